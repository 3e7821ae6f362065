// workshop.js enhances the workshop board, which works without it: it
// follows the workshop's events (server-sent events from the sequence the
// page was rendered at), applies small changes in place, and sends the
// board's forms as commands through an outbox kept in localStorage, so
// what is typed while the connection is down is sent once it is back.
// The server applies a command once per client id, so resending is safe.
// Text is only ever inserted with textContent.
(function () {
  'use strict';
  var root = document.getElementById('ws');
  if (!root || !window.fetch || !window.EventSource || !window.localStorage) { return; }
  var ds = root.dataset;
  var wsID = ds.id, me = Number(ds.me), fac = ds.fac === 'true', stage = ds.stage;
  var seq = Number(ds.seq);
  var live = document.getElementById('ws-live');
  var conn = document.getElementById('ws-conn');
  var OUTBOX = 'framsyn-ws-outbox-' + wsID;
  var SAID = 'framsyn-ws-said-' + wsID;
  var numbers = ['note', 'into', 'item', 'participant', 'group', 'quadrant', 'seconds', 'impact', 'uncertainty', 'year', 'budget'];

  function t(key, arg) {
    var s = ds['t' + key] || '';
    return arg === undefined ? s : s.replace(/%[ds]/, String(arg));
  }

  // say announces a change to screen readers (the live region) without
  // taking focus; the last few messages stay so none is cut off.
  function say(msg) {
    if (!msg || !live) { return; }
    var p = document.createElement('p');
    p.textContent = msg;
    live.appendChild(p);
    while (live.childNodes.length > 3) { live.removeChild(live.firstChild); }
  }

  function newID() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var s = 'c-';
    for (var i = 0; i < 4; i++) { s += Math.random().toString(36).slice(2, 10); }
    return s;
  }

  // The outbox: commands not yet acknowledged, oldest first.
  function outbox() {
    try { return JSON.parse(localStorage.getItem(OUTBOX)) || []; } catch (e) { return []; }
  }
  function saveOutbox(box) {
    try { localStorage.setItem(OUTBOX, JSON.stringify(box)); } catch (e) { /* full: stays in memory only */ }
    status();
  }
  function drop(id) { saveOutbox(outbox().filter(function (c) { return c.id !== id; })); }

  var online = true, sending = false, retry = null, refusedMsgs = [];

  function status() {
    if (!conn) { return; }
    var n = outbox().length, parts = [];
    if (!online) { parts.push(t('Offline')); }
    if (n > 0) { parts.push(t('Pending', n)); }
    parts = parts.concat(refusedMsgs);
    conn.textContent = parts.join(' ');
    conn.hidden = parts.length === 0;
    conn.className = 'ws-conn' + (online ? '' : ' ws-offline');
    root.setAttribute('data-pending', String(n));
    root.setAttribute('data-online', String(online));
  }

  function later() {
    if (retry) { return; }
    retry = setTimeout(function () { retry = null; flush(); }, 2000);
  }

  // flush sends the outbox in order, one command at a time. A refusal
  // (4xx) drops the command and says why; a network error or 5xx/429
  // keeps it for the next try.
  function flush() {
    if (sending) { return; }
    var box = outbox();
    if (box.length === 0) { return; }
    var cmd = box[0];
    sending = true;
    fetch(ds.post, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(cmd)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) {
        sending = false;
        setOnline(true);
        if (res.ok) {
          drop(cmd.id);
          settleDrafts(cmd.id, true);
          flush();
          return;
        }
        if (res.status === 429 || res.status >= 500) { later(); return; }
        drop(cmd.id);
        settleDrafts(cmd.id, false);
        if (cmd.kind === 'scenario.edit') { refusedScenario(cmd); }
        var msg = (body && body.error && body.error.message) || String(res.status);
        var what = cmd.text || cmd.name || '';
        if (!fieldError(cmd, msg)) {
          refusedMsgs.push(t('Refused', msg) + (what ? ' (' + what + ')' : ''));
          say(t('Refused', msg));
        }
        status();
        if (body && body.error && body.error.key === 'workshop.removed') { removed(); return; }
        flush();
      });
    }, function () {
      sending = false;
      setOnline(false);
      later();
    });
  }

  function setOnline(v) {
    if (online === v) { return; }
    online = v;
    status();
    say(v ? t('Online') : t('Offline'));
  }

  // refusedScenario: the writer's text stays in the fields; the base
  // becomes the scenario as it is now, so saving again (after comparing)
  // is the writer's choice, never a silent loss.
  function refusedScenario(cmd) {
    var art = q('article[data-scenario="' + cmd.quadrant + '"]');
    var f = art && art.querySelector('form[data-kind="scenario.edit"]');
    if (!f) { return; }
    var shown = { name: art.querySelector('.sc-name'), story: art.querySelector('.sc-story'), life: art.querySelector('.sc-life'), signs: art.querySelector('.sc-signs') };
    scenarioFields.forEach(function (k) {
      var el = f.elements[k], base = f.elements['base_' + k];
      if (el) { el.removeAttribute('data-sent'); }
      if (base && shown[k]) { base.value = k === 'name' && shown[k].textContent === '–' ? '' : shown[k].textContent; }
    });
  }

  // fieldError shows why a command was refused next to the field of the
  // form it came from (found by its kind and the note, milestone or
  // quadrant it is about) and moves the focus there, as the server does
  // for a form sent without script. False when the form is gone.
  function fieldError(cmd, msg) {
    var keys = ['note', 'item', 'quadrant', 'axis'];
    var f = Array.prototype.filter.call(root.querySelectorAll('form.cmd[data-kind="' + cmd.kind + '"]'), function (f) {
      return keys.every(function (k) {
        var el = f.querySelector('input[type=hidden][name=' + k + ']');
        return !el || String(cmd[k]) === el.value;
      });
    })[0];
    if (!f) { return false; }
    clearError(f);
    var field = f.querySelector('textarea, input[type=text], select, button');
    if (!field) { return false; }
    if (!field.id) { field.id = 'f-' + newID(); }
    var p = document.createElement('p');
    p.className = 'error';
    p.id = field.id + '-error';
    p.textContent = t('Refused', msg);
    field.parentNode.insertBefore(p, field.nextSibling);
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-describedby', p.id);
    field.focus();
    return true;
  }
  function clearError(f) {
    Array.prototype.forEach.call(f.querySelectorAll('[aria-invalid]'), function (el) {
      el.removeAttribute('aria-invalid');
      var e = document.getElementById(el.getAttribute('aria-describedby') || '');
      if (e && e.classList.contains('error')) { e.parentNode.removeChild(e); }
      el.removeAttribute('aria-describedby');
    });
  }

  // Co-writing a scenario. Each edit goes with the text it started from
  // (the form's base_* fields) and the server merges it into the text as
  // it is now. A field nobody is typing in takes the new text at once,
  // the caret kept where it was; a field with unsent typing keeps it (its
  // next save is merged, and the answer brings the others' text). While
  // someone types, the edit is saved after a pause.
  var scenarioFields = ['name', 'story', 'life', 'signs'];
  function sentScenario(f) {
    scenarioFields.forEach(function (k) {
      var el = f.elements[k];
      if (el) { el.setAttribute('data-sent', el.value); }
    });
  }
  function cowrite(f, s, mine) {
    if (!f) { return; }
    scenarioFields.forEach(function (k) {
      var el = f.elements[k], base = f.elements['base_' + k];
      if (!el || !base) { return; }
      var text = s[k] || '';
      if (mine && el.hasAttribute('data-sent')) {
        var sent = el.getAttribute('data-sent');
        el.removeAttribute('data-sent');
        if (el.value === sent) { keepCaret(el, text); base.value = text; } else { base.value = sent; }
        return;
      }
      if (el.value === base.value) { keepCaret(el, text); base.value = text; }
    });
  }
  // keepCaret sets a field's text, the caret and selection moved by what
  // changed before them only.
  function keepCaret(el, text) {
    var old = el.value;
    if (old === text) { return; }
    var focused = document.activeElement === el, a = el.selectionStart, b = el.selectionEnd;
    var p = 0, n = Math.min(old.length, text.length);
    while (p < n && old.charCodeAt(p) === text.charCodeAt(p)) { p++; }
    var sfx = 0;
    while (sfx < n - p && old.charCodeAt(old.length - 1 - sfx) === text.charCodeAt(text.length - 1 - sfx)) { sfx++; }
    var shift = function (c) {
      if (c <= p) { return c; }
      if (c >= old.length - sfx) { return c + text.length - old.length; }
      return text.length - sfx;
    };
    el.value = text;
    el.defaultValue = text;
    if (focused) { el.setSelectionRange(shift(a), shift(b)); }
    writeDraft(el.id, null);
  }
  var autosave = {};
  root.addEventListener('input', function (e) {
    var f = e.target.form;
    if (!f || f.getAttribute('data-kind') !== 'scenario.edit' || !f.requestSubmit) { return; }
    var key = f.elements.quadrant ? f.elements.quadrant.value : '';
    clearTimeout(autosave[key]);
    var later = function () {
      autosave[key] = setTimeout(function () {
        // One edit of a scenario in flight at a time: its answer is the base of the next.
        var waiting = outbox().some(function (c) { return c.kind === 'scenario.edit' && String(c.quadrant) === key; });
        var el = f.elements[e.target.name];
        if (waiting || (el && el.hasAttribute('data-sent'))) { later(); return; }
        if (document.body.contains(f)) { f.requestSubmit(); }
      }, 900);
    };
    later();
  });

  // Forms become commands in the outbox.
  document.addEventListener('submit', function (e) {
    var f = e.target;
    if (!f.classList || !f.classList.contains('cmd')) { return; }
    e.preventDefault();
    var kind = f.getAttribute('data-kind');
    var cmd = { id: newID() };
    new FormData(f).forEach(function (v, k) {
      if (k === 'id' || k === 'return') { return; }
      if (k === 'notes' || (k === 'participants' && f.id === 'ws-bulk-form')) {
        (cmd[k] = cmd[k] || []).push(Number(v));
      } else if (k.slice(0, 5) === 'base_') {
        (cmd.base = cmd.base || {})[k.slice(5)] = v;
      } else if (numbers.indexOf(k) >= 0) {
        if (v !== '') { cmd[k] = Number(v); }
      } else if (k === 'on') {
        cmd.on = v === 'true' || v === 'on';
      } else {
        cmd[k] = v;
      }
    });
    refusedMsgs = [];
    clearError(f);
    if (kind === 'scenario.edit') { sentScenario(f); }
    sentDrafts(f, cmd.id);
    var box = outbox();
    box.push(cmd);
    saveOutbox(box);
    if (kind === 'cluster.group') { clearPicks(f); }
    if (kind === 'note.add' || kind === 'milestone.add' || kind === 'action.add') {
      Array.prototype.forEach.call(f.querySelectorAll('textarea, input[type=text]'), function (el) { el.value = ''; });
    }
    flush();
  });

  // Drafts: text typed but not sent survives a reload, an app switch and
  // a closed tab. Each field's text is kept in localStorage under the
  // workshop, the participant and the field's id as it is typed. A form
  // sent marks its fields' drafts with the command's id: the outbox holds
  // the text then, so the draft is not restored while the command waits,
  // is removed once the server has the command, and comes back into its
  // field if the server refuses it.
  var DRAFT = 'framsyn-ws-draft-' + wsID + '-' + me + '-';
  function draftFields(scope) {
    return Array.prototype.filter.call((scope || root).querySelectorAll('form.cmd textarea, form.cmd input[type=text]'), function (el) { return !!el.id; });
  }
  function readDraft(id) {
    try { return JSON.parse(localStorage.getItem(DRAFT + id)); } catch (e) { return null; }
  }
  function writeDraft(id, d) {
    try {
      if (d) { localStorage.setItem(DRAFT + id, JSON.stringify(d)); } else { localStorage.removeItem(DRAFT + id); }
    } catch (e) { /* full: the text stays in the field only */ }
  }
  root.addEventListener('input', function (e) {
    var el = e.target;
    if (!el.id || !el.form || !el.form.classList.contains('cmd') || !(el.tagName === 'TEXTAREA' || el.type === 'text')) { return; }
    writeDraft(el.id, el.value === el.defaultValue ? null : { v: el.value, d: el.defaultValue });
    var note = document.getElementById(el.id + '-draft');
    if (note) { note.parentNode.removeChild(note); }
  });
  // sentDrafts marks the drafts of a sent form's fields with the command.
  function sentDrafts(f, cmdID) {
    Array.prototype.forEach.call(f.querySelectorAll('textarea, input[type=text]'), function (el) {
      var d = readDraft(el.id);
      if (d) { d.cmd = cmdID; writeDraft(el.id, d); }
    });
  }
  // settleDrafts removes (ok) or releases (refused) the drafts sent with a command.
  function settleDrafts(cmdID, ok) {
    var n = DRAFT.length;
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var k = localStorage.key(i);
      if (!k || k.slice(0, n) !== DRAFT) { continue; }
      var d = readDraft(k.slice(n));
      if (!d || d.cmd !== cmdID) { continue; }
      if (ok) { writeDraft(k.slice(n), null); continue; }
      delete d.cmd;
      writeDraft(k.slice(n), d);
      var el = document.getElementById(k.slice(n));
      if (el && el.value === '') { el.value = d.v; }
    }
  }
  var focusID = null;
  function keepDrafts() {
    focusID = document.activeElement && document.activeElement.id;
  }
  // restoreDrafts puts the kept text back into the board's fields and
  // says so next to each field; a draft whose command is still in the
  // outbox stays there (the outbox sends it).
  function restoreDrafts(visible) {
    var waiting = {};
    outbox().forEach(function (c) { waiting[c.id] = true; });
    draftFields().forEach(function (el) {
      var d = readDraft(el.id);
      if (!d || typeof d.v !== 'string') { return; }
      if (d.cmd && waiting[d.cmd]) { return; }
      if (d.cmd) { delete d.cmd; writeDraft(el.id, d); }
      if (el.value === d.v) { return; }
      // A scenario's draft was typed over the text then in the field: that
      // is the base its save is merged from.
      var base = el.form && el.form.getAttribute('data-kind') === 'scenario.edit' && el.form.elements['base_' + el.name];
      if (base && typeof d.d === 'string') { base.value = d.d; }
      el.value = d.v;
      if (!visible || document.getElementById(el.id + '-draft')) { return; }
      var p = document.createElement('p');
      p.id = el.id + '-draft';
      p.className = 'ws-draft muted';
      p.textContent = t('Draft');
      el.parentNode.insertBefore(p, el.nextSibling);
    });
    var f = focusID && document.getElementById(focusID);
    if (f && f.focus) { f.focus(); }
    focusID = null;
  }

  // liveParts redraws the parts of the board drawn from many events (the
  // rating scatter and table, the cross and its axes) from the board as
  // the server renders it now, so they show what a fresh load shows.
  // Events close together are drawn once.
  var partsTimer = null, partsBusy = false, partsAgain = false;
  function liveParts() {
    if (!q('[data-live]')) { return; }
    if (partsBusy) { partsAgain = true; return; }
    if (partsTimer) { return; }
    partsTimer = setTimeout(function () {
      partsTimer = null;
      partsBusy = true;
      root.setAttribute('data-drawing', 'true');
      fetch('/workshoppar/' + wsID + '/tavla.html' + location.search, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } }).then(function (res) {
        if (!res.ok) { throw new Error(String(res.status)); }
        return res.text();
      }).then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('ws');
        if (fresh && !refreshing && fresh.getAttribute('data-stage') === stage) {
          var now = root.querySelectorAll('[data-live]'), got = fresh.querySelectorAll('[data-live]');
          if (now.length !== got.length) { refresh(); } else {
            Array.prototype.forEach.call(now, function (el, i) {
              if (got[i].getAttribute('data-live') !== el.getAttribute('data-live')) { return; }
              el.parentNode.replaceChild(document.adoptNode(got[i]), el);
            });
          }
        }
      }).catch(function () { /* the next event or a reload draws them */ }).then(function () {
        partsBusy = false;
        root.removeAttribute('data-drawing');
        if (partsAgain) { partsAgain = false; liveParts(); }
      });
    }, 150);
  }

  // refresh brings the board up to date after a change that reshapes it
  // (a new stage, groups, reveal, lock, axes): it fetches the board alone
  // (tavla.html, rendered for this person as the page is) and swaps it in,
  // keeping the stream, the live region, drafts and focus. Events that
  // arrive meanwhile wait and are applied after the swap if the fetched
  // board is older than they are. If that fails, the page is reloaded.
  var refreshing = false, waiting = [];
  function refresh() {
    if (refreshing) { return; }
    refreshing = true;
    root.setAttribute('data-refreshing', 'true');
    keepDrafts();
    var want = seq;
    fetch('/workshoppar/' + wsID + '/tavla.html' + location.search, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } }).then(function (res) {
      if (!res.ok) { throw new Error(String(res.status)); }
      return res.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('ws');
      if (!fresh || Number(fresh.getAttribute('data-seq')) < want) { throw new Error('stale'); }
      swap(fresh);
    }).catch(function () { location.reload(); });
  }

  function swap(fresh) {
    var before = stageText();
    var rateBefore = (q('#ws-rate-one') || { getAttribute: function () { return null; } }).getAttribute('data-note');
    var picked = picks().map(function (b) { return b.value; });
    Array.prototype.slice.call(root.attributes).forEach(function (a) {
      if (a.name !== 'id' && !fresh.hasAttribute(a.name)) { root.removeAttribute(a.name); }
    });
    Array.prototype.forEach.call(fresh.attributes, function (a) { root.setAttribute(a.name, a.value); });
    var nodes = [];
    while (fresh.firstChild) { nodes.push(document.adoptNode(fresh.firstChild)); }
    root.textContent = '';
    nodes.forEach(function (n) { root.appendChild(n); });
    // The live region and the status line stay the same elements, so
    // what they say is still read out.
    [live, conn].forEach(function (old) {
      var now = old && document.getElementById(old.id);
      if (now && now !== old) { now.parentNode.replaceChild(old, now); }
    });
    stage = ds.stage;
    var at = Number(ds.seq);
    readNames();
    countdown();
    showKeys();
    picked.forEach(function (v) {
      var b = root.querySelector('input[name=notes][form=ws-group-form][value="' + v + '"]');
      if (b) { b.checked = true; }
    });
    showPicks(false);
    restoreDrafts(false);
    var after = stageText();
    if (after && after !== before) { say(after); }
    var one = q('#ws-rate-one');
    if (one && after === before && one.getAttribute('data-note') !== rateBefore) {
      say([document.getElementById('rate-h'), document.getElementById('rate-name')].filter(Boolean).map(function (e) { return e.textContent; }).join(': '));
    }
    if (stageText()) { sessionStorage.setItem(SAID, document.getElementById('stage-h').textContent); }
    refreshing = false;
    status();
    var late = waiting;
    waiting = [];
    seq = Math.max(seq, at);
    root.setAttribute('data-seq', String(seq));
    late.forEach(function (ev) { if (ev.seq > at) { apply(ev); } });
  }

  function stageText() {
    var h = document.getElementById('stage-h');
    return h ? h.textContent.replace(/\s+/g, ' ').trim() : '';
  }

  function removed() {
    if (es) { es.close(); }
    say(t('Removed'));
    if (conn) { conn.hidden = false; conn.textContent = t('Removed'); }
    Array.prototype.forEach.call(root.querySelectorAll('form.cmd button'), function (b) { b.disabled = true; });
  }

  function q(sel) { return root.querySelector(sel); }
  function setText(el, s) { if (el) { el.textContent = s; } }

  // Small events change the page in place; the rest reloads it.
  function apply(ev) {
    var d = ev.data || {};
    switch (ev.kind) {
      case 'note.add':
        (d.notes || []).forEach(addNote);
        return;
      case 'note.edit':
        (d.notes || []).forEach(function (n) {
          setText(q('li[data-note="' + n.id + '"] .ws-text'), n.text);
        });
        return;
      case 'note.remove':
        if (fac) { refresh(); return; }
        (d.notes || []).forEach(function (n) {
          var li = q('li[data-note="' + n.id + '"]');
          if (li) { li.parentNode.removeChild(li); }
        });
        return;
      case 'rating.set':
        if (ev.by === me && q('#ws-rate-one')) {
          // One driver at a time: on to the next one not yet rated.
          if (/[?&]bedom=/.test(location.search)) { history.replaceState(null, '', location.pathname); }
          refresh();
          return;
        }
        (d.stats || []).forEach(function (s) {
          var row = q('tr[data-stat="' + s.note + '"]');
          if (!row || !s.n) { return; }
          var cells = row.querySelectorAll('td');
          setText(cells[0], String(s.n));
          setText(cells[1], avg(s.impact_sum, s.n));
          setText(cells[2], avg(s.uncertainty_sum, s.n));
        });
        if (d.rating && ev.by === me) {
          setText(q('[data-mine="' + d.rating.note + '"]'), t('Yours').replace('%d', d.rating.impact).replace('%d', d.rating.uncertainty));
        }
        liveParts();
        return;
      case 'vote.add':
      case 'vote.remove':
        (d.totals || []).forEach(function (v) { setText(q('[data-total="' + v.quadrant + '"]'), String(v.dots)); });
        if (d.vote && ev.by === me) {
          var cell = q('[data-dots="' + d.vote.quadrant + '"]');
          var left = q('#ws-dots-left');
          if (cell && left) {
            left.textContent = String(Number(left.textContent) - (d.vote.dots - Number(cell.textContent)));
          }
          setText(cell, String(d.vote.dots));
        }
        liveParts();
        return;
      case 'scenario.edit':
        (d.scenarios || []).forEach(function (s) {
          var art = q('article[data-scenario="' + s.quadrant + '"]');
          if (!art) { return; }
          cowrite(art.querySelector('form[data-kind="scenario.edit"]'), s, ev.by === me);
          setText(art.querySelector('.sc-name'), s.name || '–');
          setText(art.querySelector('.sc-story'), s.story);
          setText(art.querySelector('.sc-life'), s.life);
          setText(art.querySelector('.sc-signs'), s.signs);
          if (ev.by !== me) { say(s.name); }
        });
        liveParts();
        return;
      case 'participant.join':
        if (fac) { (d.participants || []).forEach(addPerson); }
        return;
      case 'cluster.merge':
        if (stage !== 'clustering') { break; }
        mergeNotes(d.notes || [], ev.by !== me);
        return;
      case 'cluster.group':
        // The board is reshaped (clusters collapse, proposals change):
        // swapped in, and the grouping said to the others.
        if (ev.by !== me && d.notes && d.notes.length > 1) { say(t('Merged', d.notes.slice(1).map(function (n) { return n.text; }).join(', '))); }
        break;
      case 'cluster.reject':
        if (fac) { refresh(); }
        return;
      case 'cluster.name':
        if (stage !== 'clustering') { break; }
        (d.notes || []).forEach(function (n) { nameCluster(n, ev.by !== me); });
        return;
      case 'milestone.add':
      case 'action.add':
      case 'backcast.remove':
        if (!q('#ws-timeline')) { return; }
        (d.backcast || []).forEach(function (it) { addItem(it, ev.by !== me); });
        return;
      case 'participant.remove':
        (d.participants || []).forEach(function (p) { if (p.id === me && p.removed) { removed(); } });
        if (fac) { refresh(); }
        return;
    }
    refresh();
  }

  // addPerson adds a newly joined participant to the facilitator's table,
  // with the same forms the server renders.
  function addPerson(p) {
    var tpl = document.getElementById('ws-person-tpl');
    var body = q('#ws-people tbody');
    if (!tpl || !body) { refresh(); return; }
    if (q('tr[data-person="' + p.id + '"]')) { return; }
    var tr = tpl.content.firstElementChild.cloneNode(true);
    tr.setAttribute('data-person', String(p.id));
    setText(tr.querySelector('th'), p.nickname);
    var pick = tr.querySelector('input[name=participants]');
    if (pick) {
      pick.value = String(p.id);
      pick.id = 'bulk-' + p.id;
      var pl = tr.querySelector('.ws-bulk-l');
      pl.setAttribute('for', pick.id);
      pl.textContent += p.nickname;
    }
    var sel = tr.querySelector('select');
    sel.id = 'ga-' + p.id;
    var label = tr.querySelector('label');
    label.setAttribute('for', sel.id);
    label.textContent += p.nickname;
    Array.prototype.forEach.call(tr.querySelectorAll('input[name=participant]'), function (el) { el.value = String(p.id); });
    Array.prototype.forEach.call(tr.querySelectorAll('input[name=id]'), function (el) { el.value = newID(); });
    setText(tr.querySelector('button.danger .visually-hidden'), ': ' + p.nickname);
    body.appendChild(tr);
    var n = q('#ws-people-n');
    if (n) { n.textContent = String(Number(n.textContent) + 1); }
    say(t('Joined', p.nickname));
  }

  // mergeNotes moves merged notes (a note and the notes merged into it)
  // from the board's list into the members of their cluster's note, and
  // out of the lists of notes to merge into. Focus left on a removed note
  // goes to the cluster.
  function mergeNotes(notes, others) {
    var tpl = document.getElementById('ws-member-tpl');
    var focus = null;
    notes.forEach(function (n) {
      var old = q('li.ws-note[data-note="' + n.id + '"]');
      var host = n.cluster ? q('li.ws-note[data-note="' + n.cluster + '"]') : null;
      if (old) {
        if (old.contains(document.activeElement)) { focus = host; }
        old.parentNode.removeChild(old);
      }
      Array.prototype.forEach.call(root.querySelectorAll('select[name=into] option[value="' + n.id + '"]'), function (o) { o.parentNode.removeChild(o); });
      if (!host || n.removed) { return; }
      var ul = host.querySelector('ul.ws-members');
      if (!ul) {
        ul = document.createElement('ul');
        ul.className = 'ws-members';
        var p = host.querySelector('p');
        host.insertBefore(ul, p ? p.nextSibling : host.firstChild);
      }
      if (ul.querySelector('li[data-note="' + n.id + '"]')) { return; }
      var li;
      if (tpl) {
        li = tpl.content.firstElementChild.cloneNode(true);
        li.querySelector('input[name=note]').value = String(n.id);
        li.querySelector('input[name=id]').value = newID();
        setText(li.querySelector('button .visually-hidden'), ': ' + n.text);
      } else {
        li = document.createElement('li');
        li.appendChild(document.createElement('span')).className = 'ws-text';
      }
      li.setAttribute('data-note', String(n.id));
      setText(li.querySelector('.ws-text'), n.text);
      ul.appendChild(li);
    });
    if (focus) {
      focus.setAttribute('tabindex', '-1');
      focus.focus();
    }
    if (notes.length && others) { say(t('Merged', notes[0].text)); }
  }

  // nameCluster shows a cluster's new name on its note, in its name
  // field (unless it is being typed in) and in the lists to merge into.
  function nameCluster(n, others) {
    var li = q('li.ws-note[data-note="' + n.id + '"]');
    var span = li && li.querySelector('p .ws-text');
    if (span) {
      span.textContent = '';
      if (n.cluster_name) {
        span.appendChild(document.createElement('strong')).textContent = n.cluster_name;
        span.appendChild(document.createTextNode(': ' + n.text));
      } else {
        span.textContent = n.text;
      }
    }
    // The names screen readers hear on the cluster's controls.
    if (li) {
      Array.prototype.forEach.call(li.querySelectorAll('.ws-cluster > summary .visually-hidden, label[for="pick-' + n.id + '"] .visually-hidden'), function (h) { h.textContent = ': ' + (n.cluster_name || n.text); });
    }
    var input = document.getElementById('cname-' + n.id);
    if (input && input !== document.activeElement) { input.value = input.defaultValue = n.cluster_name || ''; }
    Array.prototype.forEach.call(root.querySelectorAll('select[name=into] option[value="' + n.id + '"]'), function (o) { o.textContent = n.cluster_name || n.text; });
    if (others && n.cluster_name) { say(t('Named', n.cluster_name)); }
  }

  // addItem puts a new milestone in the timeline (latest year first, as
  // the server orders it) or a new action under its milestone, and takes
  // a removed one away.
  function addItem(it, others) {
    var tl = q('#ws-timeline');
    var have = tl.querySelector('li[data-item="' + it.id + '"]');
    if (it.removed) {
      if (have) { have.parentNode.removeChild(have); }
      if (!tl.querySelector('li[data-item]')) { refresh(); }
      return;
    }
    if (have) { return; }
    var li;
    if (it.kind === 'action') {
      var parent = tl.querySelector('li[data-item="' + it.parent + '"]');
      var ul = parent && parent.querySelector('ul');
      if (!ul) { return; }
      li = document.createElement('li');
      li.setAttribute('data-item', String(it.id));
      li.textContent = it.text;
      if (it.owner) {
        li.appendChild(document.createTextNode(' '));
        li.appendChild(document.createElement('span')).className = 'muted';
        li.lastChild.textContent = '(' + it.owner + ')';
      }
      ul.appendChild(li);
    } else {
      var tpl = document.getElementById('ws-ms-tpl');
      if (!tpl) { refresh(); return; }
      li = tpl.content.firstElementChild.cloneNode(true);
      li.setAttribute('data-item', String(it.id));
      setText(li.querySelector('.ws-year'), String(it.year));
      setText(li.querySelector('.ws-text'), it.text);
      var own = li.querySelector('.ws-owner');
      if (it.owner) { setText(own.querySelector('span'), it.owner); } else { own.parentNode.removeChild(own); }
      var f = li.querySelector('form');
      if (f) {
        f.querySelector('input[name=item]').value = String(it.id);
        f.querySelector('input[name=id]').value = newID();
        f.querySelector('.ws-act').id = 'act-' + it.id;
        f.querySelector('.ws-act-l').setAttribute('for', 'act-' + it.id);
        f.querySelector('.ws-own').id = 'own-' + it.id;
        f.querySelector('.ws-own-l').setAttribute('for', 'own-' + it.id);
      }
      var before = null;
      Array.prototype.some.call(tl.children, function (c) {
        var y = c.querySelector('.ws-year');
        if (y && Number(y.textContent) < it.year) { before = c; return true; }
        return false;
      });
      tl.insertBefore(li, before);
      var empty = tl.querySelector('.ws-empty');
      if (empty) { tl.removeChild(empty); }
    }
    if (others) { say(t('NewItem', it.text)); }
  }

  function avg(sum, n) { var s = (sum / n).toFixed(1); return document.documentElement.lang === 'sv' ? s.replace('.', ',') : s; }

  function addNote(n) {
    if (q('li[data-note="' + n.id + '"]')) { return; }
    var tpl = document.getElementById('ws-note-tpl');
    var list = q('ul.ws-notes[data-group="' + n.group + '"]');
    if (!tpl || !list || n.removed || n.cluster) { if (!tpl && stage !== 'drivers') { refresh(); } return; }
    var li = tpl.content.firstElementChild.cloneNode(true);
    li.setAttribute('data-note', String(n.id));
    li.id = 'note-' + n.id;
    setText(li.querySelector('.ws-text'), n.text);
    var tag = li.querySelector('.ws-steep');
    if (n.steep) { tag.textContent = ds['tSteep_' + n.steep] || n.steep; } else { tag.parentNode.removeChild(tag); }
    var who = person(n.by);
    setText(li.querySelector('.ws-by'), who ? '– ' + who : '');
    var rm = li.querySelector('.ws-remove');
    if (rm) {
      if (n.by === me || fac) {
        rm.querySelector('input[name=note]').value = String(n.id);
        rm.querySelector('input[name=id]').value = newID();
        var btn = rm.querySelector('button');
        var hid = document.createElement('span');
        hid.className = 'visually-hidden';
        hid.textContent = ': ' + n.text;
        btn.appendChild(hid);
      } else {
        rm.parentNode.removeChild(rm);
      }
    }
    var empty = list.querySelector('.ws-empty');
    if (empty) { list.removeChild(empty); }
    list.appendChild(li);
    if (n.by !== me) { say(t('NewNote', n.text)); }
  }

  // Nicknames are known from the page (the facilitator's table, or the
  // authors shown on notes) and from join events.
  var names = {};
  function person(id) { return names[id] || ''; }
  function readNames() {
    Array.prototype.forEach.call(root.querySelectorAll('[data-person]'), function (tr) {
      var th = tr.querySelector('th');
      if (th) { names[tr.getAttribute('data-person')] = th.firstChild ? th.firstChild.textContent.trim() : ''; }
    });
    try { JSON.parse(ds.people || '[]').forEach(function (p) { names[p[0]] = p[1]; }); } catch (e) { /* ignore */ }
  }
  readNames();

  // The stream. The browser reconnects by itself after the server's
  // retry: (a fraction of a second, drawn per stream, so a restart's
  // clients come back spread and soon). When attempts keep failing (the
  // network or the server is gone for longer) the board takes over and
  // backs off, 1 s doubling to 30 s, jittered, so a dead network does not
  // retry twice a second and a thousand boards do not return in step.
  var es = null, failures = 0, again = null;
  function backoff() {
    var base = Math.min(30000, 1000 * Math.pow(2, Math.max(0, failures - 4)));
    return base / 2 + Math.random() * base;
  }
  function reconnect(ms) {
    if (es) { es.close(); }
    if (again) { clearTimeout(again); }
    again = setTimeout(function () { again = null; connect(); }, ms);
  }
  function connect() {
    es = new EventSource(ds.stream + '?since=' + seq);
    es.onopen = function () { failures = 0; setOnline(true); flush(); };
    es.onmessage = function (m) {
      var ev;
      try { ev = JSON.parse(m.data); } catch (e) { return; }
      setOnline(true);
      if (ev.seq <= seq) { return; }
      seq = ev.seq;
      if (ev.kind === 'participant.join' && ev.data && ev.data.participants) {
        ev.data.participants.forEach(function (p) { names[p.id] = p.nickname; });
      }
      if (refreshing) { waiting.push(ev); return; }
      root.setAttribute('data-seq', String(seq));
      apply(ev);
    };
    es.addEventListener('reset', function () { refresh(); });
    es.onerror = function () {
      setOnline(false);
      failures++;
      if (es.readyState === EventSource.CLOSED) {
        // Refused (removed, or the server is gone): ask why, then retry.
        var ms = backoff();
        fetch('/workshoppar/' + wsID + '/tavla.json', { credentials: 'same-origin' }).then(function (res) {
          if (res.status === 403) {
            return res.json().then(function (b) {
              if (b.error && b.error.key === 'workshop.removed') { removed(); } else { reconnect(ms); }
            });
          }
          reconnect(ms);
        }, function () { reconnect(ms); });
        return;
      }
      // The browser tries again after retry:; past three failed tries in
      // a row, the board waits longer between them.
      if (failures > 3) { reconnect(backoff()); }
    };
  }

  // The countdown of a time-boxed stage (again after a swap).
  var ticker = null;
  function countdown() {
    if (ticker) { clearInterval(ticker); ticker = null; }
    var cd = document.getElementById('ws-countdown');
    if (!cd || !cd.getAttribute('data-ends')) { return; }
    var ends = Date.parse(cd.getAttribute('data-ends')), warned = false, over = false;
    var left = cd.querySelector('.ws-left');
    var tick = function () {
      var s = Math.max(0, Math.round((ends - Date.now()) / 1000));
      var mm = Math.floor(s / 60), ss = s % 60;
      setText(left, t('Left', mm + ':' + (ss < 10 ? '0' : '') + ss));
      if (s <= 60 && s > 0 && !warned) { warned = true; say(t('Left', mm + ':' + (ss < 10 ? '0' : '') + ss)); }
      if (s === 0 && !over) { over = true; say(t('Ended')); cd.classList.add('ws-over'); }
    };
    tick();
    ticker = setInterval(tick, 1000);
  }
  countdown();

  // Clustering by select-then-group: the notes' checkboxes belong to the
  // group form; how many are selected is said as it changes (a keyboard
  // user ticks them with Space and presses the button). Dragging a note
  // onto another groups the two. Selections survive a swap of the board.
  function picks() { return Array.prototype.filter.call(root.querySelectorAll('input[name=notes][form=ws-group-form]'), function (b) { return b.checked; }); }
  function showPicks(announce) {
    var out = document.getElementById('ws-picked');
    if (!out) { return; }
    var n = picks().length;
    out.textContent = n ? (out.getAttribute('data-t') || '').replace('%d', String(n)) : '';
    if (announce) { say(out.textContent || (out.getAttribute('data-t') || '').replace('%d', '0')); }
  }
  function clearPicks(f) {
    Array.prototype.forEach.call(root.querySelectorAll('input[name=notes][form="' + f.id + '"]'), function (b) { b.checked = false; });
    showPicks(false);
  }
  root.addEventListener('change', function (e) {
    if (e.target && e.target.name === 'notes' && e.target.getAttribute('form') === 'ws-group-form') { showPicks(true); }
  });
  var dragged = null;
  root.addEventListener('dragstart', function (e) {
    var li = e.target.closest && e.target.closest('li.ws-note[draggable=true]');
    if (!li) { return; }
    dragged = li.getAttribute('data-note');
    e.dataTransfer.setData('text/plain', dragged);
    e.dataTransfer.effectAllowed = 'move';
  });
  root.addEventListener('dragover', function (e) {
    var li = e.target.closest && e.target.closest('li.ws-note[draggable=true]');
    if (li && dragged && li.getAttribute('data-note') !== dragged) { e.preventDefault(); li.classList.add('ws-drop'); }
  });
  root.addEventListener('dragleave', function (e) {
    var li = e.target.closest && e.target.closest('li.ws-note');
    if (li) { li.classList.remove('ws-drop'); }
  });
  root.addEventListener('drop', function (e) {
    var li = e.target.closest && e.target.closest('li.ws-note[draggable=true]');
    if (!li || !dragged) { return; }
    e.preventDefault();
    li.classList.remove('ws-drop');
    var into = Number(li.getAttribute('data-note')), from = Number(dragged);
    dragged = null;
    if (into === from) { return; }
    var box = outbox();
    box.push({ id: newID(), kind: 'cluster.group', notes: [into, from] });
    saveOutbox(box);
    flush();
  });
  // Skipping a driver swaps the next one in, without a reload.
  root.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('#ws-skip');
    if (!a || e.ctrlKey || e.metaKey || e.shiftKey) { return; }
    e.preventDefault();
    history.replaceState(null, '', a.getAttribute('href'));
    refresh();
  });

  // A rejected proposal (cluster.reject, kept by the server) is hidden at
  // once and the focus moves to the next one; the form is still sent.
  root.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('.ws-reject');
    if (!b) { return; }
    var li = b.closest('li');
    var next = li.nextElementSibling || li.previousElementSibling;
    setTimeout(function () {
      li.hidden = true;
      var h = document.getElementById('prop-h');
      if (next && next.querySelector('button')) { next.querySelector('button').focus(); } else if (h) { h.setAttribute('tabindex', '-1'); h.focus(); }
    }, 0);
  });

  // The facilitator's single-key shortcuts (N next stage, L lock, R
  // reveal, S gather everyone, U undo) press the button of the same name;
  // they are off while a field has focus, with a modifier key, and when
  // the facilitator turns them off (kept in localStorage).
  var KEYS = 'framsyn-ws-keys';
  var shortcuts = { n: 'ws-next', l: 'ws-lock', r: 'ws-reveal', s: 'ws-summon', u: 'ws-undo' };
  function keysOn() { return localStorage.getItem(KEYS) !== 'off'; }
  function showKeys() {
    var box = document.getElementById('ws-keys-on');
    if (box) { box.checked = keysOn(); }
  }
  root.addEventListener('change', function (e) {
    if (e.target && e.target.id === 'ws-keys-on') { localStorage.setItem(KEYS, e.target.checked ? 'on' : 'off'); }
  });
  document.addEventListener('keydown', function (e) {
    if (!fac || !keysOn() || e.ctrlKey || e.metaKey || e.altKey || e.repeat) { return; }
    var el = e.target;
    if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) { return; }
    var id = shortcuts[(e.key || '').toLowerCase()];
    var btn = id && document.getElementById(id);
    if (!btn || btn.disabled) { return; }
    e.preventDefault();
    btn.click();
    say(btn.textContent.replace(/\s+/g, ' ').trim());
  });
  showKeys();

  window.addEventListener('online', function () { flush(); });
  restoreDrafts(true);
  // Say what changed across a reload (a new stage, for example).
  var heading = document.getElementById('stage-h');
  var said = sessionStorage.getItem(SAID);
  if (heading && said !== null && said !== heading.textContent) { say(heading.textContent.replace(/\s+/g, ' ').trim()); }
  if (heading) { sessionStorage.setItem(SAID, heading.textContent); }
  status();
  connect();
  flush();
}());
