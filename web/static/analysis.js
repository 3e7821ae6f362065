// framsyn analysis: "skruva i det". The sliders and selectors of an index
// model recompute the ranking as they move: the server computes (the one
// implementation of the arithmetic, internal/index) and answers the
// results fragment, which replaces the old one. Without JavaScript the
// form's button does the same with a page load. PNG export draws a
// chart's SVG on a canvas.
(function () {
  'use strict';
  var form = document.getElementById('knobs');
  var target = document.getElementById('index-results');
  if (form && target) {
    var ctl = null, seq = 0;
    var update = function () {
      var started = performance.now();
      var params = new URLSearchParams(new FormData(form));
      var mine = ++seq;
      if (ctl) ctl.abort();
      ctl = new AbortController();
      fetch(form.dataset.fragment + '?' + params.toString(), {signal: ctl.signal, headers: {'Accept': 'text/html'}})
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          if (mine !== seq) return;
          target.innerHTML = html;
          pngButtons(target);
          target.dataset.redrawMs = (performance.now() - started).toFixed(1);
          target.dataset.seq = String(mine);
          history.replaceState(null, '', form.action + '?' + params.toString());
        })
        .catch(function () { /* a newer request replaced this one, or the server refused: the button still works */ });
    };
    // Every move asks at once; a newer request aborts the one in flight,
    // so the page shows the last position without waiting for a pause.
    form.addEventListener('input', function (e) {
      var out = document.getElementById(e.target.id + '-out');
      if (out) out.textContent = e.target.value;
      update();
    });
  }

  function pngButtons(root) {
    root.querySelectorAll('button.png').forEach(function (b) { b.hidden = false; });
  }
  pngButtons(document);
  document.addEventListener('click', function (e) {
    var b = e.target.closest ? e.target.closest('button.png') : null;
    if (!b) return;
    var svg = document.getElementById(b.dataset.svg);
    if (!svg) return;
    var w = svg.viewBox.baseVal.width || svg.clientWidth, h = svg.viewBox.baseVal.height || svg.clientHeight;
    var xml = new XMLSerializer().serializeToString(svg);
    var img = new Image();
    img.onload = function () {
      var c = document.createElement('canvas');
      c.width = w * 2; c.height = h * 2;
      var g = c.getContext('2d');
      g.fillStyle = '#ffffff'; g.fillRect(0, 0, c.width, c.height);
      g.drawImage(img, 0, 0, c.width, c.height);
      c.toBlob(function (blob) {
        var a = document.createElement('a');
        a.href = URL.createObjectURL(blob);
        a.download = b.dataset.name || 'diagram.png';
        document.body.appendChild(a); a.click(); a.remove();
        setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
      }, 'image/png');
    };
    img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(xml);
  });
})();
