// projector.js keeps the projector view following the workshop: after
// each event of the stream it fetches the projector's content as the
// server renders it now (projektor.html) and swaps it in, so the screen
// always shows what a fresh load shows. Events close together are drawn
// once; a fetch in flight is followed by one more if events came meanwhile.
(function () {
  'use strict';
  var root = document.getElementById('proj');
  if (!root || !window.fetch || !window.EventSource) { return; }
  var seq = Number(root.dataset.seq), busy = false, again = false, failed = false, timer = null;

  function t(key, arg) {
    var s = root.dataset['t' + key] || '';
    return arg === undefined ? s : s.replace(/%[ds]/, String(arg));
  }

  function draw() {
    if (busy) { again = true; return; }
    busy = true;
    root.setAttribute('data-drawing', 'true');
    fetch(root.dataset.fragment, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } }).then(function (res) {
      if (!res.ok) { throw new Error(String(res.status)); }
      return res.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('proj');
      if (!fresh || Number(fresh.getAttribute('data-seq')) < seq) { again = true; failed = true; return; }
      Array.prototype.forEach.call(fresh.attributes, function (a) { root.setAttribute(a.name, a.value); });
      var nodes = [];
      while (fresh.firstChild) { nodes.push(document.adoptNode(fresh.firstChild)); }
      root.textContent = '';
      nodes.forEach(function (n) { root.appendChild(n); });
      countdown();
    }).catch(function () { again = true; failed = true; }).then(function () {
      busy = false;
      root.removeAttribute('data-drawing');
      // Events that came during the fetch are drawn at once; a failed or
      // stale fetch is tried again after a pause.
      if (again) { again = false; soon(failed ? 250 : 0); }
      failed = false;
    });
  }
  function soon(ms) {
    if (timer) { return; }
    timer = setTimeout(function () { timer = null; draw(); }, ms);
  }

  var es = null;
  function connect() {
    es = new EventSource(root.dataset.stream + '?since=' + seq);
    es.onopen = function () { root.setAttribute('data-online', 'true'); };
    es.onmessage = function (m) {
      var ev;
      try { ev = JSON.parse(m.data); } catch (e) { return; }
      // A revoked projector link: the page then says it is not found.
      if (ev.kind === 'projector.revoked') { es.close(); window.location.reload(); return; }
      if (ev.seq <= seq) { return; }
      seq = ev.seq;
      soon(20);
    };
    es.addEventListener('reset', function () { soon(0); });
    es.onerror = function () {
      root.setAttribute('data-online', 'false');
      if (es.readyState === EventSource.CLOSED) { setTimeout(connect, 3000); }
    };
  }

  var ticker = null;
  function countdown() {
    if (ticker) { clearInterval(ticker); ticker = null; }
    var cd = document.getElementById('proj-countdown');
    if (!cd || !cd.getAttribute('data-ends')) { return; }
    var ends = Date.parse(cd.getAttribute('data-ends')), left = cd.querySelector('.proj-left');
    var tick = function () {
      var s = Math.max(0, Math.round((ends - Date.now()) / 1000));
      var mm = Math.floor(s / 60), ss = s % 60;
      if (left) { left.textContent = s === 0 ? t('Ended') : t('Left', mm + ':' + (ss < 10 ? '0' : '') + ss); }
      cd.classList.toggle('proj-over', s === 0);
    };
    tick();
    ticker = setInterval(tick, 1000);
  }
  countdown();
  connect();
}());
