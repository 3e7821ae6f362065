// The organisation filter as an ARIA 1.2 combobox with a listbox popup:
// typing asks /api/v1/organizations?q= for up to ten names; arrow keys
// move through them, Enter or a click chooses, Escape closes (or clears
// the field when closed). The chosen slug is kept in data-slug and
// submitted in place of the name. Without script the field is a text
// field whose name the server resolves.
(function () {
  "use strict";
  if (!window.fetch || !window.URLSearchParams) { return; }
  document.querySelectorAll("input[data-combobox]").forEach(function (input, n) {
    var listID = input.id + "-options";
    var list = document.createElement("ul");
    list.id = listID;
    list.className = "combo-options";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent : "");
    list.hidden = true;
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    var wrap = document.createElement("div");
    wrap.className = "combo";
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    wrap.appendChild(list);
    wrap.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listID);

    var items = [];   // {slug, name}
    var active = -1;
    var chosenName = input.getAttribute("data-slug") ? input.value : "";
    var timer = 0;
    var pending = null;
    var chose = false; // Enter chose an option: its keypress submits nothing

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark(i) {
      var opts = list.children;
      for (var k = 0; k < opts.length; k++) { opts[k].setAttribute("aria-selected", k === i ? "true" : "false"); }
      active = i;
      if (i >= 0 && opts[i]) {
        input.setAttribute("aria-activedescendant", opts[i].id);
        opts[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(i) {
      var it = items[i];
      if (!it) { return; }
      input.value = it.name;
      chosenName = it.name;
      input.setAttribute("data-slug", it.slug);
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(data) {
      items = (data.items || []).map(function (o) { return { slug: o.slug, name: o.name }; });
      list.textContent = "";
      items.forEach(function (it, i) {
        var li = document.createElement("li");
        li.id = listID + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = it.name;
        li.addEventListener("mousedown", function (e) { e.preventDefault(); });
        li.addEventListener("click", function () { choose(i); });
        list.appendChild(li);
      });
      status.textContent = items.length ? input.getAttribute("data-count").replace("%d", String(items.length)) : input.getAttribute("data-none");
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      active = -1;
    }

    function lookup() {
      var q = input.value.trim();
      if (pending) { pending.abort(); }
      if (!q) { items = []; close(); return; }
      pending = new AbortController();
      var p = new URLSearchParams({ q: q, limit: "10" });
      fetch(input.getAttribute("data-combobox") + "?" + p.toString(), { signal: pending.signal, headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (data) { if (document.activeElement === input) { show(data); } })
        .catch(function () {});
    }

    input.addEventListener("input", function () {
      if (input.value !== chosenName) { input.removeAttribute("data-slug"); }
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, 150);
    });
    input.addEventListener("keydown", function (e) {
      var open = !list.hidden;
      switch (e.key) {
        case "ArrowDown":
          e.preventDefault();
          if (!open) { if (items.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); mark(0); } else { lookup(); } return; }
          mark(Math.min(active + 1, items.length - 1));
          break;
        case "ArrowUp":
          if (open) { e.preventDefault(); mark(Math.max(active - 1, 0)); }
          break;
        case "Enter":
          if (open && active >= 0) { e.preventDefault(); chose = true; choose(active); }
          break;
        case "Escape":
          if (open) { e.preventDefault(); close(); } else if (input.value) { e.preventDefault(); input.value = ""; input.removeAttribute("data-slug"); chosenName = ""; }
          break;
        case "Tab":
          close();
          break;
      }
    });
    input.addEventListener("keypress", function (e) {
      if (e.key === "Enter" && chose) { e.preventDefault(); }
    });
    input.addEventListener("keyup", function () { chose = false; });
    input.addEventListener("blur", close);
    if (input.form) {
      // The slug goes with the form, so a name several share is no guess.
      input.form.addEventListener("submit", function () {
        var slug = input.getAttribute("data-slug");
        if (slug && input.value === chosenName) { input.value = slug; }
      });
    }
  });
})();
