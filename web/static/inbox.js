// inbox.js keeps the inbox page current, which works without it (reload):
// it follows the signed-in user's own inbox stream from the sequence the
// page was rendered at and puts each new notification on top, and the
// unread count in its status line. The browser resumes by Last-Event-ID.
// Text is only ever inserted with textContent.
(function () {
  'use strict';
  var root = document.getElementById('inbox-live');
  if (!root || !window.EventSource) { return; }
  var list = document.getElementById('inbox');
  var unread = document.getElementById('inbox-unread');
  var none = document.getElementById('inbox-none');
  var max = 50;
  var es = new EventSource(root.dataset.stream);
  es.onmessage = function (e) {
    var d;
    try { d = JSON.parse(e.data); } catch (err) { return; }
    if (d.unread_text && unread) { unread.textContent = d.unread_text; }
    if (!d.title || !d.path || d.path.charAt(0) !== '/' || d.path.charAt(1) === '/') { return; }
    var li = document.createElement('li');
    li.className = 'unread';
    var a = document.createElement('a');
    a.href = d.path;
    a.textContent = d.title;
    var at = document.createElement('span');
    at.className = 'muted';
    at.textContent = d.at || '';
    li.appendChild(a);
    li.appendChild(document.createTextNode(' '));
    li.appendChild(at);
    list.insertBefore(li, list.firstChild);
    while (list.children.length > max) { list.removeChild(list.lastChild); }
    list.hidden = false;
    if (none) { none.hidden = true; }
  };
  es.addEventListener('reset', function () { /* the log was restored: the page is the truth */ window.location.reload(); });
})();
