// rapport's search box: a few kilobytes of plain JavaScript, no library. The index
// (search-index.json, written by `rapport build`) is fetched the first time the box is used,
// so pages that nobody searches from never download it; nothing else is fetched.
//
// The box is an ARIA 1.2 combobox: a text input that controls a listbox of results, the active
// option named by aria-activedescendant. Matching ignores case and accents; a query word of
// five letters or more also finds words one typo away ("recruter" finds "Recruiters"). Results
// rank pages matched in their title first, then in a heading, then in their text; the matched
// words are highlighted in the titles and snippets.
(function () {
  "use strict";
  var form = document.querySelector("form.site-search[data-index]");
  if (!form || !window.fetch || !String.prototype.normalize) return;
  var input = form.querySelector("input");
  var list = form.querySelector("[role=listbox]");
  var status = form.querySelector("[aria-live]");
  var base = form.getAttribute("data-base") || "/";
  var MAX = 10;
  // How much each place weighs: any title match outranks any heading match, which outranks
  // the text; a match with a typo counts half.
  var TITLE = 100, HEADING = 10, SECTION = 3, TEXT = 1;
  var docs = null;
  var vocabulary = null;
  var loading = null;
  var shown = [];
  var active = -1;
  var WORD = /[^\p{L}\p{N}]+/u;

  form.hidden = false;

  // Case- and accent-insensitive matching: "resume" finds "Résumé".
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // The folded string, and for each of its code units the index in `s` it came from, so that
  // a match found in the folded text can be highlighted in the original.
  function foldMap(s) {
    var f = "", map = [];
    for (var i = 0; i < s.length; i++) {
      var c = fold(s.charAt(i));
      for (var j = 0; j < c.length; j++) map.push(i);
      f += c;
    }
    map.push(s.length);
    return { f: f, map: map };
  }

  // The heading ids the index leaves out (as `0`) are the slugs of ASCII headings.
  function slug(text) {
    var s = text.trim().toLowerCase().replace(/ /g, "-").replace(/[^a-z0-9_-]/g, "");
    return s || "section";
  }

  function prepare(data) {
    var words = Object.create(null);
    docs = data.pages.map(function (p) {
      var heads = [];
      for (var i = 0; i + 1 < p[3].length; i += 2) {
        var text = p[3][i + 1];
        heads.push({ id: p[3][i] === 0 ? slug(text) : p[3][i], text: text, f: fold(text) });
      }
      var section = data.sections[p[2]] || "";
      var d = {
        title: p[0], url: base + p[1], section: section, heads: heads, text: p[4],
        ft: fold(p[0]), fs: fold(section), fx: fold(p[4])
      };
      [d.ft, d.fx].concat(heads.map(function (h) { return h.f; })).forEach(function (s) {
        s.split(WORD).forEach(function (w) { if (w.length >= 4) words[w] = true; });
      });
      return d;
    });
    vocabulary = Object.keys(words);
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

  // Whether some start of `word` is at most one edit (insertion, deletion, substitution) away
  // from `term`: one row of the edit-distance table per letter of the word.
  function nearPrefix(term, word) {
    var n = term.length;
    var row = [];
    for (var j = 0; j <= n; j++) row.push(j);
    for (var i = 1; i <= Math.min(word.length, n + 1); i++) {
      var prev = row[0], next = [i], best = i;
      for (var k = 1; k <= n; k++) {
        var cost = word.charAt(i - 1) === term.charAt(k - 1) ? 0 : 1;
        var v = Math.min(row[k] + 1, next[k - 1] + 1, prev + cost);
        prev = row[k];
        next.push(v);
        if (v < best) best = v;
      }
      row = next;
      if (best > 1) return false;
      if (i >= n - 1 && row[n] <= 1) return true;
    }
    return false;
  }

  // A query word, with the words of the handbook one typo away when it is long enough.
  function term(t) {
    var near = [];
    if (t.length >= 5) {
      for (var i = 0; i < vocabulary.length && near.length < 20; i++) {
        var w = vocabulary[i];
        if (w.indexOf(t) < 0 && Math.abs(w.length - t.length) <= 12 && nearPrefix(t, w)) near.push(w);
      }
    }
    return { t: t, near: near };
  }

  function terms(query) {
    return fold(query).split(WORD).filter(Boolean).map(term);
  }

  // 2 for a match at the start of a word, 1 inside a word, 0 for none; half that with a typo.
  // Returns [weight, the folded string that matched].
  function hit(hay, q) {
    var at = hay.indexOf(q.t);
    if (at >= 0) return [at === 0 || WORD.test(hay.charAt(at - 1)) ? 2 : 1, q.t];
    for (var i = 0; i < q.near.length; i++) {
      if (hay.indexOf(q.near[i]) >= 0) return [0.5, q.near[i]];
    }
    return [0, null];
  }

  // Every query word must occur in the page (title, headings, section or text). The heading
  // that holds the most of them becomes the place the result jumps to.
  function search(query) {
    var qs = terms(query);
    if (!qs.length || !docs) return [];
    var out = [];
    docs.forEach(function (d, order) {
      var score = 0, marks = [];
      for (var t = 0; t < qs.length; t++) {
        var inTitle = hit(d.ft, qs[t]), inSection = hit(d.fs, qs[t]), inText = hit(d.fx, qs[t]);
        var inHead = [0, null];
        d.heads.forEach(function (h) { var x = hit(h.f, qs[t]); if (x[0] > inHead[0]) inHead = x; });
        var s = TITLE * inTitle[0] + HEADING * inHead[0] + SECTION * inSection[0] + TEXT * inText[0];
        if (!s) return;
        score += s;
        [inTitle, inHead, inSection, inText].forEach(function (x) {
          if (x[1] && marks.indexOf(x[1]) < 0) marks.push(x[1]);
        });
      }
      var best = null, bestCount = 0;
      d.heads.forEach(function (h) {
        var n = qs.filter(function (q) { return hit(h.f, q)[0] > 0; }).length;
        if (n > bestCount) { best = h; bestCount = n; }
      });
      out.push({ doc: d, head: best, score: score, order: order, marks: marks });
    });
    out.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return out.slice(0, MAX);
  }

  // Some 200 characters of the page's text around the first match found in it.
  function excerpt(doc, marks) {
    var at = -1;
    marks.forEach(function (m) {
      var i = doc.fx.indexOf(m);
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

  // Appends `text` to `el`, the parts that match one of `marks` (folded strings) in <mark>.
  function highlight(el, text, marks) {
    var m = foldMap(text), spans = [];
    marks.forEach(function (mark) {
      for (var at = m.f.indexOf(mark); at >= 0 && mark; at = m.f.indexOf(mark, at + mark.length)) {
        spans.push([m.map[at], m.map[at + mark.length]]);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var from = 0;
    spans.forEach(function (s) {
      if (s[0] < from) return;
      el.appendChild(document.createTextNode(text.slice(from, s[0])));
      var mk = document.createElement("mark");
      mk.textContent = text.slice(s[0], s[1]);
      el.appendChild(mk);
      from = s[1];
    });
    el.appendChild(document.createTextNode(text.slice(from)));
  }

  function say(text) {
    status.textContent = text;
  }

  function part(className, text, marks) {
    var span = document.createElement("span");
    span.className = className;
    if (marks) highlight(span, text, marks);
    else span.textContent = text;
    return span;
  }

  function render(results, query) {
    shown = results;
    active = -1;
    input.removeAttribute("aria-activedescendant");
    list.textContent = "";
    results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.id = "site-search-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.setAttribute("data-href", r.doc.url + (r.head ? "#" + r.head.id : ""));
      li.appendChild(part("site-search-title", r.doc.title + (r.head ? " › " + r.head.text : ""), r.marks));
      if (r.doc.section) li.appendChild(part("site-search-section", r.doc.section));
      if (r.doc.text) li.appendChild(part("site-search-snippet", excerpt(r.doc, r.marks), r.marks));
      list.appendChild(li);
    });
    var open = results.length > 0;
    if (!open && query.trim()) {
      // Shown to the eye; the live region below says the same to screen readers.
      var empty = document.createElement("li");
      empty.className = "site-search-empty";
      empty.setAttribute("role", "presentation");
      empty.setAttribute("aria-hidden", "true");
      empty.textContent = "No results";
      list.appendChild(empty);
    }
    list.hidden = !query.trim();
    input.setAttribute("aria-expanded", list.hidden ? "false" : "true");
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
    var items = list.querySelectorAll("[role=option]");
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

  function go(option) {
    if (option) window.location.href = option.getAttribute("data-href");
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
  list.addEventListener("click", function (e) {
    go(e.target.closest && e.target.closest("[role=option]"));
  });
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
    go(list.querySelectorAll("[role=option]")[active >= 0 ? active : 0]);
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
