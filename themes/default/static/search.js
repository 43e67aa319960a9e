// rapport's search box: a few kilobytes of plain JavaScript, no library. The index
// (search-index.json, written by `rapport build`) is fetched the first time the box is used,
// so pages that nobody searches from never download it.
(function () {
  "use strict";
  var form = document.querySelector("form.site-search[data-index]");
  if (!form || !window.fetch || !String.prototype.normalize) return;
  var input = form.querySelector("input");
  var list = form.querySelector("[role=listbox]");
  var status = form.querySelector("[aria-live]");
  var base = form.getAttribute("data-base") || "/";
  var MAX = 10;
  var docs = null;
  var loading = null;
  var shown = [];
  var active = -1;

  form.hidden = false;

  // Case- and accent-insensitive matching: "resume" finds "Résumé".
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // The heading ids the index leaves out (as `0`) are the slugs of ASCII headings.
  function slug(text) {
    var s = text.trim().toLowerCase().replace(/ /g, "-").replace(/[^a-z0-9_-]/g, "");
    return s || "section";
  }

  function prepare(data) {
    docs = data.pages.map(function (p) {
      var heads = [];
      for (var i = 0; i + 1 < p[3].length; i += 2) {
        var text = p[3][i + 1];
        heads.push({ id: p[3][i] === 0 ? slug(text) : p[3][i], text: text, f: fold(text) });
      }
      var section = data.sections[p[2]] || "";
      return {
        title: p[0], url: base + p[1], section: section, heads: heads, text: p[4],
        ft: fold(p[0]), fs: fold(section), fx: fold(p[4])
      };
    });
  }

  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-index"))
        .then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        })
        .then(prepare)
        .catch(function () {
          loading = null;
          say("Search is not available right now.");
        });
    }
    return loading;
  }

  // A term at the start of a word scores higher than one inside a word.
  function hit(hay, term) {
    var at = hay.indexOf(term);
    if (at < 0) return 0;
    return at === 0 || /[^a-z0-9]/.test(hay.charAt(at - 1)) ? 2 : 1;
  }

  // Every term must occur in the page (title, headings, section or text); titles weigh most.
  // The heading that holds the most terms becomes the place the result jumps to.
  function search(query) {
    var terms = fold(query).split(/\s+/).filter(Boolean);
    if (!terms.length || !docs) return [];
    var out = [];
    docs.forEach(function (d, order) {
      var score = 0;
      for (var t = 0; t < terms.length; t++) {
        var s = 6 * hit(d.ft, terms[t]) + 2 * hit(d.fs, terms[t]) + hit(d.fx, terms[t]);
        var inHead = d.heads.some(function (h) { return h.f.indexOf(terms[t]) >= 0; });
        if (!s && !inHead) return;
        score += s + (inHead ? 3 : 0);
      }
      var best = null;
      var bestCount = 0;
      d.heads.forEach(function (h) {
        var n = terms.filter(function (term) { return h.f.indexOf(term) >= 0; }).length;
        if (n > bestCount) { best = h; bestCount = n; }
      });
      out.push({ doc: d, head: best, score: score, order: order });
    });
    out.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return out.slice(0, MAX);
  }

  // Some 200 characters of the page's text around the first term found in it.
  function excerpt(doc, terms) {
    var at = -1;
    terms.forEach(function (t) {
      var i = doc.fx.indexOf(t);
      if (i >= 0 && (at < 0 || i < at)) at = i;
    });
    var start = Math.max(0, at - 60);
    if (start > 0) {
      var space = doc.text.indexOf(" ", start);
      start = space >= 0 && space < at ? space + 1 : start;
    }
    var end = Math.min(doc.text.length, start + 200);
    return (start > 0 ? "…" : "") + doc.text.slice(start, end) + (end < doc.text.length ? "…" : "");
  }

  function say(text) {
    status.textContent = text;
  }

  function render(results, query) {
    var terms = fold(query).split(/\s+/).filter(Boolean);
    shown = results;
    active = -1;
    input.removeAttribute("aria-activedescendant");
    list.textContent = "";
    results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.id = "site-search-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var a = document.createElement("a");
      a.href = r.doc.url + (r.head ? "#" + r.head.id : "");
      a.tabIndex = -1;
      var title = document.createElement("span");
      title.className = "site-search-title";
      title.textContent = r.doc.title + (r.head ? " › " + r.head.text : "");
      a.appendChild(title);
      if (r.doc.section) {
        var section = document.createElement("span");
        section.className = "site-search-section";
        section.textContent = r.doc.section;
        a.appendChild(section);
      }
      if (r.doc.text) {
        var snippet = document.createElement("span");
        snippet.className = "site-search-snippet";
        snippet.textContent = excerpt(r.doc, terms);
        a.appendChild(snippet);
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    var open = results.length > 0;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open && query.trim()) {
      // Shown to the eye; the live region below says the same to screen readers.
      var empty = document.createElement("li");
      empty.className = "site-search-empty";
      empty.setAttribute("aria-hidden", "true");
      empty.textContent = "No results";
      list.appendChild(empty);
    }
    list.hidden = !query.trim();
    if (!query.trim()) say("");
    else if (!open) say("No results for “" + query.trim() + "”.");
    else say(results.length + (results.length === 1 ? " result" : " results") + ". Use the arrow keys to choose, Enter to open.");
  }

  function update() {
    var query = input.value;
    if (!query.trim()) return render([], query);
    load().then(function () {
      if (input.value === query && docs) render(search(query), query);
    });
  }

  function select(i) {
    var items = list.children;
    if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
    active = i;
    if (i < 0 || !items[i]) {
      active = -1;
      input.removeAttribute("aria-activedescendant");
      return;
    }
    items[i].setAttribute("aria-selected", "true");
    items[i].scrollIntoView({ block: "nearest" });
    input.setAttribute("aria-activedescendant", items[i].id);
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    select(-1);
  }

  input.addEventListener("focus", function () {
    load();
    if (shown.length && input.value.trim()) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  });
  // Keeps the focus in the box while a result is clicked, so the list stays open for the click.
  list.addEventListener("mousedown", function (e) { e.preventDefault(); });
  input.addEventListener("input", update);
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!shown.length) return;
      e.preventDefault();
      if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
      var n = shown.length;
      select(e.key === "ArrowDown" ? (active + 1) % n : (active - 1 + n) % n);
    } else if (e.key === "Escape") {
      if (!list.hidden) { e.preventDefault(); close(); } else { input.value = ""; update(); }
    }
  });
  // Enter opens the chosen result, or the first one.
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var link = list.children[active >= 0 ? active : 0];
    link = link && link.querySelector("a");
    if (link) window.location.href = link.href;
  });
  form.addEventListener("focusout", function (e) {
    if (!form.contains(e.relatedTarget)) close();
  });
  // "/" jumps to the search box from anywhere but a text field.
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      input.focus();
    }
  });
})();
