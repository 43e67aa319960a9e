(function () {
  "use strict";
  var build = "BUILD_ID", editor = "", root = "", host = null, retry = 250;
  var CSS = [
    ":host{all:initial}",
    ".panel{--bg:#ffffff;--fg:#1f2328;--code-bg:#f6f8fa;--title:#a40e26;--link:#0550ae;--edge:#d0d7de;",
    "position:fixed;inset:0;z-index:2147483647;overflow:auto;box-sizing:border-box;margin:0;padding:2rem;",
    "background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,sans-serif;user-select:text;-webkit-user-select:text;cursor:auto}",
    "@media (prefers-color-scheme:dark){.panel{--bg:#18181b;--fg:#f4f4f5;--code-bg:#27272a;--title:#fca5a5;--link:#93c5fd;--edge:#52525b}}",
    "h1{margin:0 0 .5rem;font-size:1.25rem;color:var(--title)}",
    "p{margin:0 0 1rem;max-width:60rem}",
    "pre{margin:0;padding:1rem;white-space:pre-wrap;overflow-wrap:anywhere;background:var(--code-bg);color:var(--fg);",
    "border:1px solid var(--edge);border-radius:6px;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace}",
    "a{color:var(--link);text-decoration:underline;cursor:pointer}",
    "button{font:inherit;color:var(--fg);background:var(--code-bg);border:1px solid var(--edge);border-radius:6px;padding:.25rem .75rem;margin:0 0 1rem;cursor:pointer}",
    "a:focus-visible,button:focus-visible{outline:3px solid var(--link);outline-offset:2px}"
  ].join("");
  // `error: content/a.md:3:5: ...`, ` --> templates/page.html:2:1`, `warning: static/x: ...`
  var LOCATION = /^(\s*(?:error|warning):\s*|\s*-->\s*)([^\s:][^:]*):(\d+)(?::(\d+))?/;

  function hide() {
    if (host) { host.remove(); host = null; }
    document.removeEventListener("keydown", onKey);
  }
  function onKey(e) { if (e.key === "Escape") hide(); }
  function editorUrl(file, line, col) {
    var abs = /^\//.test(file) ? file : root.replace(/\/$/, "") + "/" + file;
    return editor.split("{file}").join(encodeURI(abs))
      .split("{line}").join(line).split("{col}").join(col || "1");
  }
  function locationLink(file, line, col) {
    var a = document.createElement("a");
    var where = file + ":" + line + (col ? ":" + col : "");
    a.textContent = where;
    if (editor) {
      a.href = editorUrl(file, line, col);
      a.title = "Open in your editor";
    } else {
      a.href = "#";
      a.title = "Copy " + where;
      a.addEventListener("click", function (e) {
        e.preventDefault();
        if (navigator.clipboard) {
          navigator.clipboard.writeText(where).then(function () { a.title = "Copied " + where; });
        }
      });
    }
    return a;
  }
  // A build error, or (`warning`) what a published build would refuse in this preview.
  function show(text, warning) {
    hide();
    host = document.createElement("div");
    host.id = "rapport-error";
    var shadow = host.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent = CSS;
    var panel = document.createElement("div");
    panel.className = "panel";
    panel.setAttribute("role", "alertdialog");
    panel.setAttribute("aria-labelledby", "rapport-error-title");
    var title = document.createElement("h1");
    title.id = "rapport-error-title";
    title.textContent = warning ? "rapport build would refuse this handbook" : "rapport could not build the site";
    var note = document.createElement("p");
    note.textContent = warning
      ? "The preview shows private pages; the published build leaves them out, so a public page may not link to them. This panel goes away by itself once that is fixed."
      : "The page underneath is the last good build. This panel goes away by itself once the error is fixed.";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = warning ? "Show the page (Esc)" : "Show the last good build (Esc)";
    close.addEventListener("click", hide);
    var pre = document.createElement("pre");
    text.split("\n").forEach(function (line, i) {
      if (i > 0) pre.appendChild(document.createTextNode("\n"));
      var m = LOCATION.exec(line);
      if (!m) { pre.appendChild(document.createTextNode(line)); return; }
      pre.appendChild(document.createTextNode(m[1]));
      pre.appendChild(locationLink(m[2], m[3], m[4]));
      pre.appendChild(document.createTextNode(line.slice(m[0].length)));
    });
    panel.append(title, note, close, pre);
    shadow.append(style, panel);
    document.documentElement.appendChild(host);
    document.addEventListener("keydown", onKey);
    close.focus();
  }
  function swapCss() {
    document.querySelectorAll('link[rel~="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("rapport-reload", Date.now());
      link.href = url.href;
    });
  }
  function connect() {
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__rapport/live");
    ws.onopen = function () { retry = 250; };
    ws.onmessage = function (e) {
      var m;
      try { m = JSON.parse(e.data); } catch (err) { return; }
      if (m.type === "hello") {
        editor = m.editor || ""; root = m.root || "";
        if (m.build !== build) location.reload();
      } else if (m.type === "reload") {
        location.reload();
      } else if (m.type === "css") {
        build = m.build; hide(); swapCss();
      } else if (m.type === "build-error") {
        show(m.text, false);
      } else if (m.type === "build-warnings") {
        show(m.text, true);
      }
    };
    ws.onclose = function () {
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 5000);
    };
  }
  connect();
})();
