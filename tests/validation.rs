//! Every kind of bad worksheet or planner input, as `rapport check` and `rapport build` report
//! it: message, file:line:col, the source line, a hint; all errors at once; nothing written.

mod common;

use common::{Site, stderr_of};
use insta::assert_snapshot;

const HOME: (&str, &str) = ("content/_index.md", "---\ntitle: Home\n---\nHi\n");

/// Runs `rapport check` on the site, which must fail, and returns its error output.
fn check_fails(site: &Site) -> String {
    site.run(&["check", "--today", "2026-03-04"])
        .failure(1)
        .stderr
}

/// Checks a handbook holding one worksheet and returns the error output.
fn errors_for(worksheet: &str) -> String {
    check_fails(&Site::with_files(&[
        ("handbook.yaml", "title: T\n"),
        HOME,
        ("content/w.yaml", worksheet),
    ]))
}

/// Asserts one error: location, message, source line and hint all present (`""`: no hint).
fn assert_error(out: &str, location: &str, message: &str, source: &str, hint: &str) {
    let head = format!("error: {location}: {message}");
    let block = out
        .split("error: ")
        .map(|b| format!("error: {b}"))
        .find(|b| b.starts_with(&head))
        .unwrap_or_else(|| panic!("no `{head}` in:\n{out}"));
    assert!(
        block.contains(&format!("| {source}")),
        "source line `{source}` missing:\n{block}"
    );
    match hint {
        "" => assert!(
            !block.contains(" hint: "),
            "a hint where none is due:\n{block}"
        ),
        _ => assert!(
            block.contains(&format!("hint: {hint}")),
            "hint `{hint}` missing:\n{block}"
        ),
    }
}

#[test]
fn missing_kind() {
    let out = errors_for("title: Map\npeople: []\n");
    assert_error(
        &out,
        "content/w.yaml:1:1",
        "the worksheet has no `kind`",
        "title: Map",
        "start the file with `kind: stakeholders`, `kind: checklist`, `kind: schedule` or `kind: table`",
    );
}

#[test]
fn unknown_kind_lists_the_kinds() {
    let out = errors_for("title: Map\nkind: stakeholder\n");
    assert_error(
        &out,
        "content/w.yaml:2:7",
        "unknown value `stakeholder` (at `kind`)",
        "kind: stakeholder",
        "did you mean `stakeholders`? Allowed values: stakeholders, checklist, schedule, table",
    );
}

#[test]
fn unknown_keys_suggest_the_closest() {
    let out = errors_for("kind: stakeholders\ntitel: Map\n");
    assert_error(
        &out,
        "content/w.yaml:2:1",
        "unknown key `titel`",
        "titel: Map",
        "did you mean `title`?",
    );
    let out = errors_for("kind: stakeholders\npeople:\n  - name: Ada\n    cadance: weekly\n");
    assert_error(
        &out,
        "content/w.yaml:4:5",
        "unknown key `cadance` (at `people[0]`)",
        "    cadance: weekly",
        "did you mean `cadence`?",
    );
    let out = errors_for("kind: schedule\nblocks: []\nprint:\n  blank_row: 3\n");
    assert_error(
        &out,
        "content/w.yaml:4:3",
        "unknown key `blank_row` (at `print`)",
        "  blank_row: 3",
        "did you mean `blank_rows`?",
    );
}

#[test]
fn wrong_types() {
    let out = errors_for("kind: stakeholders\npeople:\n  - name: Ada\n    inside_company: maybe\n");
    assert!(
        out.contains("error: content/w.yaml:4:21: wrong type: expected `true` or `false`, found the text `maybe` (at `people[0].inside_company`)"),
        "{out}"
    );
    assert!(out.contains(" 4 |     inside_company: maybe"), "{out}");
    let out = errors_for("kind: checklist\nweekly: Send messages\n");
    assert!(
        out.contains(
            "error: content/w.yaml:2:9: wrong type: expected a list (`- item` lines), found the text `Send messages` (at `weekly`)"
        ),
        "{out}"
    );
    let out = errors_for("kind: table\ncolumns: [A]\nblank_rows: many\n");
    assert!(
        out.contains("error: content/w.yaml:3:13: wrong type"),
        "{out}"
    );
}

#[test]
fn values_outside_an_enumeration_list_the_allowed_ones() {
    let out = errors_for("kind: stakeholders\npeople:\n  - name: Ada\n    role: boss\n");
    assert_error(
        &out,
        "content/w.yaml:4:11",
        "unknown value `boss` (at `people[0].role`)",
        "    role: boss",
        "allowed values: hr, leadership, supervisor, recruiter, career-consultant, mentor, sponsor, peer, other",
    );
    let out = errors_for("kind: stakeholders\npeople:\n  - name: Ada\n    cadence: montly\n");
    assert_error(
        &out,
        "content/w.yaml:4:14",
        "unknown value `montly` (at `people[0].cadence`)",
        "    cadence: montly",
        "did you mean `monthly`? Allowed values: weekly, biweekly, monthly, quarterly, yearly",
    );
    let out = errors_for("kind: table\ncolumns: [A]\nprint:\n  orientation: sideways\n");
    assert_error(
        &out,
        "content/w.yaml:4:16",
        "unknown value `sideways` (at `print.orientation`)",
        "  orientation: sideways",
        "allowed values: portrait, landscape",
    );
}

#[test]
fn impossible_dates() {
    let out =
        errors_for("kind: stakeholders\npeople:\n  - name: Ada\n    last_contact: 2026-02-30\n");
    assert_error(
        &out,
        "content/w.yaml:4:19",
        "impossible date `2026-02-30`: February 2026 has 28 days (at `people[0].last_contact`)",
        "    last_contact: 2026-02-30",
        "",
    );
    let out = errors_for(
        "kind: stakeholders\npeople:\n  - name: Ada\n    interactions:\n      - date: 30.1.2026\n",
    );
    assert_error(
        &out,
        "content/w.yaml:5:15",
        "`30.1.2026` is not a date (at `people[0].interactions[0].date`)",
        "      - date: 30.1.2026",
        "write dates as YYYY-MM-DD, e.g. 2026-03-15",
    );
    let out = errors_for("kind: checklist\nyearly:\n  - text: Review\n    when: february 30\n");
    assert_error(
        &out,
        "content/w.yaml:4:11",
        "impossible date `february 30` (at `yearly[0].when`)",
        "    when: february 30",
        "that month has 29 days",
    );
}

const BLOCK: &str =
    "kind: schedule\nblocks:\n  - title: Coffee\n    every: weekly\n    from: 2026-03-03\n";

#[test]
fn bad_times_and_durations() {
    let out = errors_for(&format!("{BLOCK}    start: \"25:00\"\n    duration: 45m\n"));
    assert_error(
        &out,
        "content/w.yaml:6:12",
        "impossible time `25:00` (at `blocks[0].start`)",
        "    start: \"25:00\"",
        "hours run from 00 to 23 and minutes from 00 to 59",
    );
    let out = errors_for(&format!("{BLOCK}    start: 08:00\n    duration: 1.5h\n"));
    assert_error(
        &out,
        "content/w.yaml:7:15",
        "`1.5h` is not a duration (at `blocks[0].duration`)",
        "    duration: 1.5h",
        "write durations like 45m, 1h or 1h30m",
    );
    let out = errors_for(&format!("{BLOCK}    start: 08:00\n    duration: 30h\n"));
    assert!(
        out.contains("error: content/w.yaml:7:15: duration `30h` is out of range"),
        "{out}"
    );
    let out = errors_for("kind: checklist\nweekly:\n  - text: Coffee\n    when: Tusday 08:00\n");
    assert_error(
        &out,
        "content/w.yaml:4:11",
        "`Tusday` is not a weekday (at `weekly[0].when`)",
        "    when: Tusday 08:00",
        "did you mean `tuesday`?",
    );
}

#[test]
fn schedule_rules_across_keys() {
    let out = errors_for(&format!(
        "{BLOCK}    on: first monday\n    start: 08:00\n    duration: 1h\n    until: 2026-06-01\n    count: 4\n"
    ));
    assert_error(
        &out,
        "content/w.yaml:6:5",
        "`on` applies to monthly, quarterly and yearly blocks, not to weekly ones",
        "    on: first monday",
        "remove `on`",
    );
    assert_error(
        &out,
        "content/w.yaml:10:5",
        "a block ends with `until` or with `count`, not both",
        "    count: 4",
        "remove one of them",
    );
    let out = errors_for(&format!(
        "{BLOCK}    start: 08:00\n    duration: 1h\n    until: 2026-01-01\n"
    ));
    assert!(out.contains("error: content/w.yaml:8:5: `until` (2026-01-01) is before the first occurrence (2026-03-03)"), "{out}");
    let out = errors_for(
        "kind: schedule\nblocks:\n  - title: x\n    every: monthly\n    on: fifth friday\n",
    );
    assert!(
        out.contains("error: content/w.yaml:5:9: `fifth friday` is not a weekday of the month"),
        "{out}"
    );
}

#[test]
fn table_rows_must_fit_the_columns() {
    let out = errors_for(
        "kind: table\ncolumns: [Date, Impact]\nrows:\n  - Date: 2026-01-01\n    Imapct: big\n",
    );
    assert_error(
        &out,
        "content/w.yaml:5:5",
        "unknown column `Imapct`",
        "    Imapct: big",
        "did you mean `Impact`? Columns: Date, Impact",
    );
    let out = errors_for("kind: table\ncolumns: [A]\nrows:\n  - [1, 2]\n");
    assert!(
        out.contains("error: content/w.yaml:4:5: row 1 has 2 cells but the table has 1 columns"),
        "{out}"
    );
}

#[test]
fn missing_required_keys() {
    let out = errors_for("kind: stakeholders\npeople:\n  - role: hr\n");
    assert_error(
        &out,
        "content/w.yaml:3:5",
        "missing required key `name` (at `people[0]`)",
        "  - role: hr",
        "add `name: ...`",
    );
    let out = errors_for("kind: table\ntitle: Log\n");
    assert!(
        out.contains("error: content/w.yaml:1:1: missing required key `columns`"),
        "{out}"
    );
}

#[test]
fn every_bad_item_of_every_file_is_reported_at_once_and_nothing_is_written() {
    let site = Site::with_files(&[
        ("handbook.yaml", "title: T\n"),
        HOME,
        (
            "content/a/map.yaml",
            "kind: stakeholders\npeople:\n  - name: A\n    role: boss\n  - name: B\n    last_contact: 2026-02-30\n  - role: hr\n",
        ),
        (
            "content/b.yml",
            "kind: checklist\nweekly:\n  - text: x\n    when: Tuesday 25:00\n",
        ),
        ("content/c.yaml", "kind: calendar\n"),
    ]);
    let out_dir = site.path("public");
    assert_snapshot!(stderr_of(&site.run(&["build"]).failure(1)), @"
    error: content/a/map.yaml:4:11: unknown value `boss` (at `people[0].role`)
     4 |     role: boss
       |           ^
     hint: allowed values: hr, leadership, supervisor, recruiter, career-consultant, mentor, sponsor, peer, other

    error: content/a/map.yaml:6:19: impossible date `2026-02-30`: February 2026 has 28 days (at `people[1].last_contact`)
     6 |     last_contact: 2026-02-30
       |                   ^

    error: content/a/map.yaml:7:5: missing required key `name` (at `people[2]`)
     7 |   - role: hr
       |     ^
     hint: add `name: ...`

    error: content/b.yml:4:11: impossible time `25:00` (at `weekly[0].when`)
     4 |     when: Tuesday 25:00
       |           ^
     hint: hours run from 00 to 23 and minutes from 00 to 59

    error: content/c.yaml:1:7: unknown value `calendar` (at `kind`)
     1 | kind: calendar
       |       ^
     hint: allowed values: stakeholders, checklist, schedule, table

    5 errors found
    ");
    assert!(!out_dir.exists(), "a failed build wrote its output");
}

#[test]
fn yaml_syntax_errors_point_at_the_line() {
    let out = errors_for("kind: table\ncolumns: [A, B\nrows: []\n");
    assert!(out.contains("error: content/w.yaml:3:"), "{out}");
}

#[test]
fn planner_settings_are_checked() {
    let check = |planner: &str| {
        let site = Site::with_files(&[
            ("handbook.yaml", &format!("title: T\nplanner:\n{planner}")),
            HOME,
            ("content/people.yaml", "kind: stakeholders\n"),
        ]);
        check_fails(&site)
    };
    let out = check("  start: 2027-02-29\n");
    assert_error(
        &out,
        "handbook.yaml:3:10",
        "impossible date `2027-02-29`: February 2027 has 28 days (at `planner.start`)",
        "  start: 2027-02-29",
        "",
    );
    let out = check("  weeks: 500\n");
    assert_error(
        &out,
        "handbook.yaml:3:10",
        "a planner of 500 weeks (at `planner.weeks`)",
        "  weeks: 500",
        "plan from 1 to 104 weeks",
    );
    let out = check("  paper: A5\n");
    assert_error(
        &out,
        "handbook.yaml:3:10",
        "unknown value `A5` (at `planner.paper`)",
        "  paper: A5",
        "allowed values: A4, Letter",
    );
    let out = check("  wekes: 4\n");
    assert_error(
        &out,
        "handbook.yaml:3:3",
        "unknown key `wekes` (at `planner`)",
        "  wekes: 4",
        "did you mean `weeks`?",
    );
    let out = check("  include:\n    - poeple.yaml\n");
    assert_error(
        &out,
        "handbook.yaml:4:7",
        "`planner.include` names `poeple.yaml`, which is not a worksheet",
        "    - poeple.yaml",
        "did you mean `people.yaml`?",
    );
}

#[test]
fn time_zone_must_be_in_the_tz_database() {
    let site = Site::with_files(&[("handbook.yaml", "title: T\ntimezone: Berlin\n"), HOME]);
    let out = check_fails(&site);
    assert_error(
        &out,
        "handbook.yaml:2:11",
        "`Berlin` is not a time zone of the tz database (at `timezone`)",
        "timezone: Berlin",
        "write a tz database name such as Europe/Berlin",
    );
    // A near miss gets the name it probably meant.
    let site = Site::with_files(&[
        ("handbook.yaml", "title: T\ntimezone: Europe/Berln\n"),
        HOME,
    ]);
    let out = check_fails(&site);
    assert_error(
        &out,
        "handbook.yaml:2:11",
        "`Europe/Berln` is not a time zone of the tz database (at `timezone`)",
        "timezone: Europe/Berln",
        "did you mean `Europe/Berlin`?",
    );
}

#[test]
fn content_may_not_take_the_planner_url() {
    let site = Site::with_files(&[
        ("handbook.yaml", "title: T\n"),
        HOME,
        ("content/planner.md", "---\ntitle: My planner\n---\nx\n"),
    ]);
    let out = check_fails(&site);
    assert!(
        out.contains("error: content/planner.md: `content/planner.md` takes the URL /planner/"),
        "{out}"
    );
}

#[test]
fn links_in_worksheet_markdown_are_checked() {
    let out =
        errors_for("kind: checklist\nintro: |\n  Read [the guide](guide.md) first.\nweekly: [a]\n");
    assert!(
        out.contains("error: content/w.yaml:3:20: link to a missing file `guide.md`"),
        "{out}"
    );
}

#[test]
fn blank_rows_beyond_a_few_sheets_are_refused_where_written() {
    let out = errors_for("kind: table\ncolumns: [A]\nblank_rows: 4000000000\n");
    assert_error(
        &out,
        "content/w.yaml:3:13",
        "`blank_rows` is 4000000000, more than fit on paper",
        "blank_rows: 4000000000",
        "ask for at most 200 blank rows",
    );
    let out = errors_for("kind: checklist\nweekly: [a]\nprint:\n  blank_rows: 500\n");
    assert!(out.contains("error: content/w.yaml:4:"), "{out}");
    assert!(out.contains("`blank_rows` is 500"), "{out}");
}
