// Live search on /sok: as one types, fetch the JSON API and show the hits
// in place, announcing the count in the polite status region. Without
// JavaScript the form submits as usual; with it, the URL follows the
// query, so reload, back and sharing a link all work.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var list = document.getElementById("search-hits");
  var count = document.getElementById("search-count");
  var pager = document.getElementById("search-pager");
  if (!form || !input || !list || !count || !pager || !window.fetch) {
    return;
  }
  var labels = {};
  document.querySelectorAll("#search-kinds [data-kind]").forEach(function (li) {
    labels[li.getAttribute("data-kind")] = li.textContent;
  });
  var timer = 0;
  var pending = null;

  function params() {
    var p = new URLSearchParams();
    var q = input.value.trim();
    if (q) { p.set("q", q); }
    [["slag", "kind"], ["typ", "type"], ["organisation", "organization"]].forEach(function (f) {
      var el = form.elements[f[0]];
      // The organisation combobox (combobox.js) holds the chosen slug.
      var v = el && (el.getAttribute("data-slug") || el.value);
      if (v) { p.set(f[0], v); }
    });
    return p;
  }

  function apiParams(p) {
    var a = new URLSearchParams();
    var names = { q: "q", slag: "kind", typ: "type", organisation: "organization" };
    p.forEach(function (v, k) { if (names[k]) { a.set(names[k], v); } });
    a.set("limit", "20");
    return a;
  }

  function marked(parent, segments) {
    segments.forEach(function (s) {
      if (s.match) {
        var m = document.createElement("mark");
        m.textContent = s.text;
        parent.appendChild(m);
      } else {
        parent.appendChild(document.createTextNode(s.text));
      }
    });
  }

  function say(key, n) {
    count.textContent = (form.getAttribute("data-" + key) || "").replace("%d", String(n));
  }

  function render(data, p) {
    list.textContent = "";
    list.setAttribute("start", "1");
    data.items.forEach(function (item) {
      var li = document.createElement("li");
      var kind = document.createElement("p");
      kind.className = "muted hit-kind";
      kind.textContent = (labels[item.kind] || item.kind) + (item.date ? " · " + item.date : "");
      var h = document.createElement("h2");
      var a = document.createElement("a");
      var u = new URL(item.url, window.location.href);
      a.href = u.pathname + u.search;
      marked(a, item.title_segments);
      h.appendChild(a);
      li.appendChild(kind);
      li.appendChild(h);
      if (item.snippet_segments.length) {
        var sn = document.createElement("p");
        sn.className = "snippet";
        marked(sn, item.snippet_segments);
        li.appendChild(sn);
      }
      list.appendChild(li);
    });
    var n = data.items.length;
    if (!p.get("q")) {
      count.textContent = "";
    } else if (n === 0) {
      say("count-none", 0);
    } else if (data.next) {
      say("count-more", n);
    } else if (n === 1) {
      say("count-one", 1);
    } else {
      say("count-many", n);
    }
    pager.textContent = "";
    pager.hidden = !data.next;
    if (data.next) {
      var next = new URLSearchParams(p);
      next.set("fran", data.next);
      var link = document.createElement("a");
      link.href = "/sok?" + next.toString();
      link.rel = "next";
      link.textContent = pager.getAttribute("data-next") || "→";
      pager.appendChild(link);
    }
    // The page's notes (too short, did you mean, filters to drop) were
    // for the query it was rendered with.
    ["search-empty", "search-suggestion", "search-drops"].forEach(function (id) {
      var el = document.getElementById(id);
      if (el) { el.hidden = true; }
    });
  }

  function run() {
    var p = params();
    window.history.replaceState(null, "", "/sok" + (p.toString() ? "?" + p.toString() : ""));
    if (pending) { pending.abort(); }
    if (!p.get("q")) {
      render({ items: [], next: null }, p);
      return;
    }
    pending = new AbortController();
    fetch(form.getAttribute("data-api") + "?" + apiParams(p).toString(), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      signal: pending.signal
    }).then(function (resp) {
      if (!resp.ok) { throw new Error(String(resp.status)); }
      return resp.json();
    }).then(function (data) {
      render(data, p);
    }).catch(function (err) {
      if (err.name !== "AbortError") { count.textContent = form.getAttribute("data-error"); }
    });
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(run, 250);
  }

  input.addEventListener("input", soon);
  form.querySelectorAll("select, [data-combobox]").forEach(function (el) { el.addEventListener("change", soon); });
})();
