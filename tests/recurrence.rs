//! An independent judge of the calendar files: every emitted RRULE is expanded by python-dateutil
//! (`rrulestr`, RFC 5545) and must give exactly the dates the planner puts the block on, and the
//! first three must be the next dates the schedule page lists.

mod common;

use common::Site;
use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};

const SCHEDULE: &str = "\
kind: schedule
blocks:
  - title: Thirty-first
    every: monthly
    from: 2026-01-31
    start: \"17:00\"
    duration: 1h
  - title: Leap day
    every: yearly
    from: 2024-02-29
    start: \"10:00\"
    duration: 1h
  - title: Last Friday
    every: monthly
    on: last friday
    from: 2026-01-01
    start: \"12:00\"
    duration: 1h
  - title: First Tuesday
    every: quarterly
    on: first tuesday
    from: 2026-01-01
    start: \"08:00\"
    duration: 45m
  - title: Fortnightly
    every: biweekly
    from: 2026-01-06
    start: \"08:00\"
    duration: 30m
  - title: Counted
    every: weekly
    from: 2026-01-07
    start: \"09:00\"
    duration: 30m
    count: 20
  - title: Until summer
    every: monthly
    from: 2026-01-15
    start: \"09:00\"
    duration: 30m
    until: 2026-07-14
  - title: Thirtieth
    every: monthly
    from: 2026-01-30
    start: \"23:30\"
    duration: 1h
    count: 15
  - title: Twenty-ninth
    every: quarterly
    from: 2026-11-29
    start: \"07:00\"
    duration: 1h
  - title: Career week
    every: yearly
    on: second monday of november
    from: 2026-01-01
    start: \"09:00\"
    duration: 2h
";

/// Expands each (DTSTART line, RRULE) with python-dateutil up to the end of 2030; the dates.
fn dateutil(rules: &[(String, String)]) -> Vec<Vec<String>> {
    let script = r#"
import sys, json
from datetime import datetime, timezone
from dateutil.rrule import rrulestr
out = []
for dtstart, rule in json.load(sys.stdin):
    # DTSTART;TZID=Europe/Berlin:20260131T170000 -> the local time (COUNT ends such rules).
    value = dtstart.split(":", 1)[1]
    utc = value.endswith("Z")
    start = datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H%M%S")
    if utc:
        start = start.replace(tzinfo=timezone.utc)
    end = datetime(2030, 12, 31, 23, 59, tzinfo=timezone.utc if utc else None)
    r = rrulestr(rule, dtstart=start)
    out.append([d.strftime("%Y-%m-%d") for d in r.between(start, end, inc=True)])
json.dump(out, sys.stdout)
"#;
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let input: Vec<String> = rules
        .iter()
        .map(|(s, r)| format!("[{},{}]", json(s), json(r)))
        .collect();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("[{}]", input.join(",")).as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(
        o.status.success(),
        "python3 with dateutil (python3-dateutil) failed"
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// (SUMMARY, DTSTART line, RRULE) of every event, unfolded.
fn events(ics: &str) -> Vec<(String, String, String)> {
    let unfolded = ics.replace("\r\n ", "");
    unfolded
        .split("BEGIN:VEVENT")
        .skip(1)
        .map(|ev| {
            let line = |name: &str| {
                ev.lines()
                    .find(|l| l.starts_with(name))
                    .unwrap_or_else(|| panic!("no {name} in {ev}"))
                    .to_string()
            };
            let summary = line("SUMMARY:")["SUMMARY:".len()..].to_string();
            let rrule = line("RRULE:")["RRULE:".len()..].to_string();
            (summary, line("DTSTART"), rrule)
        })
        .collect()
}

/// Block title → its dates in the planner (one week sheet per week, 2026 and 2027).
fn planner_dates(html: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for group in html
        .split(r#"<section class="week-group week-blocks">"#)
        .skip(1)
    {
        let group = group.split("</section>").next().unwrap();
        for li in group.split("<li>").skip(1) {
            let date = li
                .split(r#"<time datetime=""#)
                .nth(1)
                .and_then(|s| s.split('"').next())
                .unwrap();
            let title = li
                .split(r#"<span class="item-text">"#)
                .nth(1)
                .and_then(|s| s.split('<').next())
                .unwrap();
            out.entry(title.to_string())
                .or_default()
                .push(date.to_string());
        }
    }
    out
}

fn check(timezone: Option<&str>) {
    let tz = timezone.map_or(String::new(), |t| format!("timezone: {t}\n"));
    let site = Site::with_files(&[
        (
            "handbook.yaml",
            &format!("title: T\n{tz}planner:\n  start: 2026-01-01\n  weeks: 104\n"),
        ),
        ("content/_index.md", "---\ntitle: Home\n---\nHi\n"),
        ("content/s.yaml", SCHEDULE),
    ]);
    site.build_on("2026-01-01", &[]).success();
    let ics = site.output("calendar.ics");
    assert!(!ics.contains("BYSETPOS"), "{ics}");
    let evs = events(&ics);
    let rules: Vec<(String, String)> = evs.iter().map(|(_, s, r)| (s.clone(), r.clone())).collect();
    let expanded = dateutil(&rules);
    let mut from_ics: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for ((summary, _, _), dates) in evs.iter().zip(expanded) {
        from_ics.entry(summary.clone()).or_default().extend(dates);
    }
    for dates in from_ics.values_mut() {
        dates.sort();
    }
    // The planner covers 2025-12-29 .. 2027-12-26: compare within it.
    let planner = planner_dates(&site.output("planner/index.html"));
    let within = |d: &String| d.as_str() >= "2025-12-29" && d.as_str() <= "2027-12-26";
    for (title, dates) in &from_ics {
        let expected: Vec<String> = dates.iter().filter(|d| within(d)).cloned().collect();
        assert_eq!(
            planner.get(title).cloned().unwrap_or_default(),
            expected,
            "{title} ({timezone:?}): planner vs dateutil"
        );
    }
    assert_eq!(from_ics.len(), 10, "{from_ics:?}");
    assert_eq!(from_ics["Counted"].len(), 20);
    assert_eq!(from_ics["Thirtieth"].len(), 15);
    assert_eq!(from_ics["Thirty-first"][1], "2026-02-28");
    assert_eq!(
        from_ics["Leap day"],
        [
            "2024-02-29",
            "2025-02-28",
            "2026-02-28",
            "2027-02-28",
            "2028-02-29",
            "2029-02-28",
            "2030-02-28"
        ]
    );
    assert_eq!(
        from_ics["Career week"][..3],
        ["2026-11-09", "2027-11-08", "2028-11-13"]
    );
    // The schedule page lists each block's next three dates: dateutil's first three.
    let page = site.output("s/index.html");
    for (title, dates) in &from_ics {
        let row = page
            .split("<tr data-block=")
            .find(|r| r.contains(&format!("{title}</th>")) || r.contains(&format!("{title}<div")))
            .unwrap_or_else(|| panic!("no row for {title}"));
        let cell = row.split("next-dates-cell").nth(1).unwrap();
        let listed: Vec<&str> = cell
            .split(r#"<time datetime=""#)
            .skip(1)
            .map(|s| s.split('"').next().unwrap())
            .collect();
        let upcoming: Vec<&str> = dates
            .iter()
            .map(String::as_str)
            .filter(|d| *d >= "2026-01-01")
            .take(3)
            .collect();
        assert_eq!(listed.len(), 3, "{title}: three next dates");
        assert_eq!(listed, upcoming, "{title} ({timezone:?}): page vs dateutil");
    }
}

#[test]
fn dateutil_expands_every_rule_to_the_planner_and_page_dates_floating() {
    check(None);
}

#[test]
fn dateutil_expands_every_rule_to_the_planner_and_page_dates_in_utc() {
    check(Some("UTC"));
}

#[test]
fn dateutil_expands_every_rule_to_the_planner_and_page_dates_in_a_zone() {
    check(Some("Europe/Berlin"));
}
