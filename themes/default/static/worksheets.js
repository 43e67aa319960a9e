// rapport's worksheet pages, on screen: plain JavaScript, no library, nothing fetched.
// - Stakeholder maps and schedules are built on one day and read on others: the due dates,
//   badges, summary and next dates are computed again against the reader's today, from the
//   data the build embeds (<script type="application/json" class="worksheet-data">). Without
//   JavaScript the page keeps the build date's values, marked "as of" that date.
// - Checklists keep their ticks in localStorage, per group, for the current period (this week,
//   month, quarter or year): a tick made on Monday is still there on Friday and gone the week
//   after. "Clear ticks" empties the group's period.
(function () {
  "use strict";
  var DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var LABELS = { overdue: "Overdue", due: "Due this week", ok: "On track" };

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  // Dates are local calendar days, kept as Date objects at noon (no daylight-saving edges).
  function parse(iso) {
    var p = iso.split("-");
    return new Date(+p[0], +p[1] - 1, +p[2], 12);
  }
  function iso(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  // As the build writes them: "Tue 6 Jan 2026".
  function label(d) { return DAYS[d.getDay()] + " " + d.getDate() + " " + MONTHS[d.getMonth()] + " " + d.getFullYear(); }
  function today() { var n = new Date(); return new Date(n.getFullYear(), n.getMonth(), n.getDate(), 12); }
  function addDays(d, n) { return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n, 12); }
  // Weeks start on Monday, as in the planner and the build.
  function monday(d) { return addDays(d, -((d.getDay() + 6) % 7)); }

  function setTime(el, d) {
    el.setAttribute("datetime", iso(d));
    el.textContent = label(d);
  }

  var now = today();
  var data = document.querySelector("script.worksheet-data");
  var live = null;
  try { live = data && JSON.parse(data.textContent); } catch (e) { live = null; }

  if (live && live.today !== iso(now)) {
    if (live.people) people(live.people);
    if (live.blocks) blocks(live.blocks);
  }

  function people(list) {
    var sunday = addDays(monday(now), 6);
    var counts = { overdue: 0, due: 0 };
    var rows = document.querySelectorAll("tr[data-person]");
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var due = list[+row.getAttribute("data-person")];
      if (!due) continue;
      var date = due === "today" ? now : parse(due);
      var status = date < now ? "overdue" : date <= sunday ? "due" : "ok";
      if (counts[status] !== undefined) counts[status]++;
      row.className = row.className.replace(/\bstatus-\w+/, "status-" + status);
      var cell = row.querySelector(".next-due");
      var time = cell && cell.querySelector("time");
      if (time) setTime(time, date);
      var badge = cell && cell.querySelector(".badge");
      if (badge) {
        badge.className = "badge badge-" + status;
        badge.textContent = LABELS[status];
      }
    }
    ["overdue", "due"].forEach(function (k) {
      var part = document.querySelector(".summary-" + k);
      if (!part) return;
      part.querySelector(".summary-count").textContent = counts[k];
      part.hidden = counts[k] === 0;
    });
    asOf();
  }

  function blocks(list) {
    var rows = document.querySelectorAll("tr[data-block]");
    var fresh = true;
    for (var i = 0; i < rows.length; i++) {
      var b = list[+rows[i].getAttribute("data-block")];
      if (!b) continue;
      var next = b.dates.filter(function (d) { return d >= iso(now); }).slice(0, 3);
      // The embedded dates ran out before three were found: keep the build's, "as of".
      if (next.length < 3 && !b.complete) { fresh = false; continue; }
      var cell = rows[i].querySelector(".next-dates-cell");
      cell.textContent = "";
      if (!next.length) {
        var none = document.createElement("small");
        none.textContent = "no more dates";
        cell.appendChild(none);
        continue;
      }
      var ul = document.createElement("ul");
      ul.className = "next-dates";
      next.forEach(function (d) {
        var li = document.createElement("li");
        var t = document.createElement("time");
        setTime(t, parse(d));
        li.appendChild(t);
        ul.appendChild(li);
      });
      cell.appendChild(ul);
    }
    if (fresh) asOf();
  }

  // The values now hold for today.
  function asOf() {
    var times = document.querySelectorAll(".as-of-date");
    for (var i = 0; i < times.length; i++) setTime(times[i], now);
  }

  // ---- Checklists ----

  // The period a tick belongs to: 2026-W49, 2026-12, 2026-Q4 or 2026.
  function period(cadence, d) {
    if (cadence === "weekly") {
      var thursday = addDays(monday(d), 3);
      var jan1 = new Date(thursday.getFullYear(), 0, 1, 12);
      var week = Math.floor(Math.round((thursday - jan1) / 864e5) / 7) + 1;
      return thursday.getFullYear() + "-W" + pad(week);
    }
    if (cadence === "monthly") return d.getFullYear() + "-" + pad(d.getMonth() + 1);
    if (cadence === "quarterly") return d.getFullYear() + "-Q" + (Math.floor(d.getMonth() / 3) + 1);
    return String(d.getFullYear());
  }
  var PERIOD_WORDS = { weekly: "this week", monthly: "this month", quarterly: "this quarter", yearly: "this year" };

  var groups = document.querySelectorAll(".checklist-group[data-cadence]");
  var storeKey = "rapport-ticks:" + location.pathname;
  var store = {};
  try { store = JSON.parse(localStorage.getItem(storeKey) || "{}") || {}; } catch (e) { store = null; }
  if (!groups.length || store === null) return;

  function save() {
    try { localStorage.setItem(storeKey, JSON.stringify(store)); } catch (e) {}
  }

  Array.prototype.forEach.call(groups, function (group) {
    var cadence = group.getAttribute("data-cadence");
    var current = period(cadence, now);
    // Ticks of an earlier period are dropped: the group starts afresh.
    if (!store[cadence] || store[cadence].period !== current) store[cadence] = { period: current, items: [] };
    var ticked = store[cadence].items;
    var boxes = group.querySelectorAll("input.checkbox");
    function textOf(box) { return box.parentNode.querySelector(".item-text").textContent; }
    var tools = group.querySelector(".checklist-tools");
    var note = tools && tools.querySelector(".checklist-period");
    function count() {
      if (!note) return;
      var n = ticked.length;
      note.textContent = n + " of " + boxes.length + " ticked " + PERIOD_WORDS[cadence] + ".";
    }
    Array.prototype.forEach.call(boxes, function (box) {
      box.checked = ticked.indexOf(textOf(box)) >= 0;
      box.addEventListener("change", function () {
        var t = textOf(box), at = ticked.indexOf(t);
        if (box.checked && at < 0) ticked.push(t);
        if (!box.checked && at >= 0) ticked.splice(at, 1);
        save();
        count();
      });
    });
    if (tools) {
      tools.hidden = false;
      tools.querySelector("button").addEventListener("click", function () {
        ticked.length = 0;
        Array.prototype.forEach.call(boxes, function (box) { box.checked = false; });
        save();
        count();
      });
    }
    count();
  });
  save();
})();
