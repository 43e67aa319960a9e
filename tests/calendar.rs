//! The `.ics` export, read back with an independent iCalendar parser (the `ical` crate).

mod common;

use common::Site;
use std::collections::BTreeMap;

/// Event properties by name (value as written, parameters flattened to `NAME=value`).
type Event = BTreeMap<String, (String, Vec<String>)>;

fn parse(ics: &str) -> (Vec<(String, String)>, Vec<Event>) {
    let mut calendars = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
    let cal = calendars
        .next()
        .expect("one calendar")
        .unwrap_or_else(|e| panic!("the parser rejects the file: {e}\n{ics}"));
    assert!(calendars.next().is_none(), "exactly one VCALENDAR");
    let props = cal
        .properties
        .iter()
        .map(|p| (p.name.clone(), p.value.clone().unwrap_or_default()))
        .collect();
    let events = cal
        .events
        .iter()
        .map(|e| {
            e.properties
                .iter()
                .map(|p| {
                    let params = p
                        .params
                        .iter()
                        .flatten()
                        .map(|(k, v)| format!("{k}={}", v.join(",")))
                        .collect();
                    (
                        p.name.clone(),
                        (p.value.clone().unwrap_or_default(), params),
                    )
                })
                .collect()
        })
        .collect();
    (props, events)
}

fn value<'a>(e: &'a Event, name: &str) -> &'a str {
    e.get(name)
        .map(|v| v.0.as_str())
        .unwrap_or_else(|| panic!("no {name} in {e:?}"))
}

fn by_summary<'a>(events: &'a [Event], summary: &str) -> &'a Event {
    events
        .iter()
        .find(|e| value(e, "SUMMARY") == summary)
        .unwrap_or_else(|| panic!("no event {summary}"))
}

/// Every physical line ends with CRLF and holds at most 75 octets.
fn assert_rfc5545_lines(ics: &str) {
    assert!(ics.ends_with("\r\n"));
    assert!(!ics.replace("\r\n", "").contains('\n'), "bare LF");
    assert!(!ics.replace("\r\n", "").contains('\r'), "bare CR");
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
}

#[test]
fn schedule_calendar_has_one_recurring_event_per_block() {
    let site = Site::fixture("worksheets");
    site.build_on("2026-03-04", &[]);
    let ics = site.output("plan/blocks/calendar.ics");
    assert_rfc5545_lines(&ics);
    let (props, events) = parse(&ics);
    assert!(props.contains(&("VERSION".into(), "2.0".into())));
    assert!(props.iter().any(|(k, _)| k == "PRODID"));
    assert_eq!(events.len(), 4);

    let coffee = by_summary(&events, "Coffee chat\\; bring questions\\, notes");
    assert_eq!(value(coffee, "DTSTART"), "20260303T080000");
    assert_eq!(coffee["DTSTART"].1, vec!["TZID=Europe/Berlin".to_string()]);
    assert_eq!(value(coffee, "DURATION"), "PT45M");
    assert_eq!(value(coffee, "RRULE"), "FREQ=WEEKLY");
    assert_eq!(value(coffee, "LOCATION"), "Café Central\\, Main St. 1");
    assert_eq!(value(coffee, "DTSTAMP"), "20260304T000000Z");

    let event = by_summary(&events, "Industry event");
    // `from: 2026-03-01` with `on: first tuesday`: the first occurrence is 3 March.
    assert_eq!(value(event, "DTSTART"), "20260303T180000");
    assert_eq!(value(event, "DURATION"), "PT2H");
    assert_eq!(value(event, "RRULE"), "FREQ=MONTHLY;BYDAY=1TU;COUNT=6");

    let review = by_summary(&events, "Stakeholder review");
    assert_eq!(value(review, "DTSTART"), "20260327T150000");
    assert_eq!(value(review, "DURATION"), "PT1H30M");
    // `until: 2026-12-31` with a named time zone: expressed as the number of occurrences
    // (March, June, September, December).
    assert_eq!(
        value(review, "RRULE"),
        "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR;COUNT=4"
    );

    let yearly = by_summary(&events, "Yearly network review");
    assert_eq!(value(yearly, "RRULE"), "FREQ=YEARLY");
    assert_eq!(value(yearly, "DESCRIPTION"), "Bring the map.");

    let mut uids: Vec<&str> = events.iter().map(|e| value(e, "UID")).collect();
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), 4, "UIDs are unique");
}

#[test]
fn site_calendar_holds_every_block_and_uids_are_stable() {
    let files = [
        (
            "handbook.yaml",
            "title: T\nbase_url: https://me.github.io/handbook/\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\nHi\n"),
        (
            "content/a/weekly.yaml",
            "kind: schedule\ntitle: Weekly\nblocks:\n  - title: Coffee\n    every: weekly\n    from: 2026-03-03\n    start: 08:00\n    duration: 30m\n",
        ),
        (
            "content/b/yearly.yaml",
            "kind: schedule\ntitle: Yearly\nblocks:\n  - title: Review\n    every: yearly\n    from: 2026-12-01\n    start: 09:00\n    duration: 4h\n    until: 2030-12-31\n    notes: Look at the whole map.\n",
        ),
    ];
    let site = Site::with_files(&files);
    site.build_on("2026-03-04", &[]);
    let (props, all) = parse(&site.output("calendar.ics"));
    assert!(props.contains(&("X-WR-CALNAME".into(), "T".into())));
    let summaries: Vec<&str> = all.iter().map(|e| value(e, "SUMMARY")).collect();
    assert_eq!(summaries, ["Coffee", "Review"]);
    let coffee = by_summary(&all, "Coffee");
    assert_eq!(
        value(coffee, "URL"),
        "https://me.github.io/handbook/a/weekly/"
    );
    assert!(value(coffee, "UID").ends_with("@me.github.io"));
    // Floating local time without `timezone`; UNTIL then is floating too.
    assert_eq!(coffee["DTSTART"].1, Vec::<String>::new());
    assert_eq!(value(coffee, "DTSTART"), "20260303T080000");
    let review = by_summary(&all, "Review");
    assert_eq!(value(review, "RRULE"), "FREQ=YEARLY;UNTIL=20301231T235959");
    assert_eq!(
        value(review, "DESCRIPTION"),
        "Look at the whole map.\\n\\nhttps://me.github.io/handbook/b/yearly/"
    );

    // Each schedule's own file holds its blocks only, with the same UIDs.
    let (_, weekly) = parse(&site.output("a/weekly/calendar.ics"));
    assert_eq!(weekly.len(), 1);
    assert_eq!(value(&weekly[0], "UID"), value(coffee, "UID"));

    // Another build date changes DTSTAMP, never the UIDs (re-imports update, not duplicate).
    site.build_on("2026-09-01", &[]);
    let (_, again) = parse(&site.output("calendar.ics"));
    let uids = |evs: &[Event]| {
        evs.iter()
            .map(|e| value(e, "UID").to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(uids(&all), uids(&again));
    assert_eq!(value(&again[0], "DTSTAMP"), "20260901T000000Z");
}

#[test]
fn month_ends_and_leap_days_clamp_like_the_page_shows() {
    let site = Site::with_files(&[
        ("handbook.yaml", "title: T\ntimezone: UTC\n"),
        ("content/_index.md", "---\ntitle: Home\n---\nHi\n"),
        (
            "content/s.yaml",
            "kind: schedule\nblocks:\n  - title: Month end\n    every: monthly\n    from: 2026-01-31\n    start: 17:00\n    duration: 1h\n    until: 2026-06-30\n  - title: Leap\n    every: yearly\n    from: 2028-02-29\n    start: 10:00\n    duration: 1h\n  - title: Thirtieth\n    every: quarterly\n    from: 2026-11-30\n    start: 10:00\n    duration: 1h\n    count: 3\n",
        ),
    ]);
    site.build_on("2026-02-01", &[]);
    let (_, events) = parse(&site.output("s/calendar.ics"));
    let month_end = by_summary(&events, "Month end");
    assert_eq!(value(month_end, "DTSTART"), "20260131T170000Z");
    assert_eq!(
        value(month_end, "RRULE"),
        "FREQ=MONTHLY;BYMONTHDAY=-1;UNTIL=20260630T235959Z"
    );
    assert_eq!(
        value(by_summary(&events, "Leap"), "RRULE"),
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"
    );
    // No client-dependent BYSETPOS: the 30th is two events, February on its last day.
    let thirtieth: Vec<(&str, &str)> = events
        .iter()
        .filter(|e| value(e, "SUMMARY") == "Thirtieth")
        .map(|e| (value(e, "DTSTART"), value(e, "RRULE")))
        .collect();
    assert_eq!(
        thirtieth,
        [
            (
                "20261130T100000Z",
                "FREQ=MONTHLY;INTERVAL=3;BYMONTH=5,8,11;BYMONTHDAY=30;COUNT=2"
            ),
            (
                "20270228T100000Z",
                "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1;COUNT=1"
            ),
        ]
    );
    assert!(!site.output("calendar.ics").contains("BYSETPOS"));
    // The page lists the same clamped dates the rule produces.
    let page = site.output("s/index.html");
    assert!(
        page.contains(r#"<time datetime="2026-02-28">"#),
        "28 February"
    );
    assert!(page.contains(r#"<time datetime="2026-03-31">"#), "31 March");
    assert!(
        page.contains(r#"<time datetime="2027-02-28">"#),
        "30 November + 3 months"
    );
}

#[test]
fn long_and_non_ascii_text_is_folded_and_escaped() {
    let title = "Kaffee mit Jürgen, Çağla und Zoë; danach Notizen \\ Ideen für das nächste Quartal — Überblick";
    let site = Site::with_files(&[
        (
            "handbook.yaml",
            "title: T\ntimezone: America/Argentina/Buenos_Aires\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\nHi\n"),
        (
            "content/s.yaml",
            &format!(
                "kind: schedule\nblocks:\n  - title: \"{}\"\n    every: biweekly\n    from: 2026-03-03\n    start: 07:30\n    duration: 1h15m\n    notes: |\n      Line one, with *emphasis*.\n\n      Line two; more.\n",
                title.replace('\\', "\\\\")
            ),
        ),
    ]);
    site.build_on("2026-03-04", &[]);
    let ics = site.output("calendar.ics");
    assert_rfc5545_lines(&ics);
    assert!(ics.contains("\r\n "), "long lines are folded");
    let (_, events) = parse(&ics);
    let e = &events[0];
    let escaped = title
        .replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace(';', "\\;");
    assert_eq!(
        value(e, "SUMMARY"),
        escaped,
        "unfolded, the summary is whole"
    );
    assert_eq!(value(e, "RRULE"), "FREQ=WEEKLY;INTERVAL=2");
    assert_eq!(value(e, "DURATION"), "PT1H15M");
    assert_eq!(
        e["DTSTART"].1,
        vec!["TZID=America/Argentina/Buenos_Aires".to_string()]
    );
    assert_eq!(
        value(e, "DESCRIPTION"),
        "Line one\\, with emphasis. Line two\\; more."
    );
}

#[test]
fn no_schedules_no_site_calendar() {
    let site = Site::fixture("worksheets");
    site.build_on("2026-03-04", &[]);
    assert!(site.output_exists("calendar.ics"));
    let site = Site::with_files(&[
        ("handbook.yaml", "title: T\n"),
        ("content/_index.md", "---\ntitle: Home\n---\nHi\n"),
    ]);
    site.build_on("2026-03-04", &[]);
    assert!(!site.output_exists("calendar.ics"));
}

#[test]
fn blocks_sharing_a_title_keep_one_uid_in_every_calendar() {
    let block = "  - title: X\n    every: weekly\n    from: 2026-03-03\n    start: 08:00\n    duration: 30m\n";
    let schedule = format!("kind: schedule\ntitle: S\nblocks:\n{block}{block}");
    let files = [
        (
            "handbook.yaml",
            "title: T\nbase_url: https://me.github.io/\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\nHi\n"),
        ("content/cal.yaml", schedule.as_str()),
        ("content/cal2.yaml", schedule.as_str()),
    ];
    let site = Site::with_files(&files);
    site.build_on("2026-03-04", &[]);
    let uids = |path: &str| -> Vec<String> {
        let (_, events) = parse(&site.output(path));
        events.iter().map(|e| value(e, "UID").to_string()).collect()
    };
    let (one, two, all) = (
        uids("cal/calendar.ics"),
        uids("cal2/calendar.ics"),
        uids("calendar.ics"),
    );
    assert_eq!(
        all,
        [one.clone(), two.clone()].concat(),
        "the same UIDs everywhere"
    );
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4, "{all:?}");
}

#[test]
fn a_named_time_zone_comes_with_its_vtimezone() {
    let site = Site::fixture("worksheets");
    site.build_on("2026-03-04", &[]);
    for path in ["plan/blocks/calendar.ics", "calendar.ics"] {
        let ics = site.output(path);
        assert_rfc5545_lines(&ics);
        let mut parser = ical::IcalParser::new(std::io::BufReader::new(ics.as_bytes()));
        let cal = parser.next().expect("a calendar").expect("parses");
        // RFC 5545 §3.2.19: one VTIMEZONE for the TZID the events use, with Berlin's rules.
        assert_eq!(cal.timezones.len(), 1, "{ics}");
        let tz = &cal.timezones[0];
        let tzid = tz
            .properties
            .iter()
            .find(|p| p.name == "TZID")
            .and_then(|p| p.value.clone());
        assert_eq!(tzid.as_deref(), Some("Europe/Berlin"));
        let offsets: Vec<String> = tz
            .transitions
            .iter()
            .flat_map(|t| t.properties.iter())
            .filter(|p| p.name == "TZOFFSETTO")
            .filter_map(|p| p.value.clone())
            .collect();
        assert!(
            offsets.contains(&"+0200".to_string()) && offsets.contains(&"+0100".to_string()),
            "{offsets:?}"
        );
        assert!(
            ics.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"),
            "{ics}"
        );
    }
}
