//! The printable planner page: worksheets first, then one dated page per week with what falls
//! in that week.

mod common;

use common::html::text_of;
use common::{Site, stderr_of};
use insta::assert_snapshot;

/// The planner's week sections, in order, as (id, html).
fn weeks(html: &str) -> Vec<(String, String)> {
    html.split(r#"<section class="sheet sheet-week" id=""#)
        .skip(1)
        .map(|s| {
            let (id, rest) = s.split_once('"').unwrap();
            let body = rest.split("</section>\n</section>").next().unwrap_or(rest);
            (id.to_string(), body.to_string())
        })
        .collect()
}

/// Week numbers (1-based positions) whose text contains `needle`.
fn weeks_with(weeks: &[(String, String)], needle: &str) -> Vec<usize> {
    weeks
        .iter()
        .enumerate()
        .filter(|(_, (_, html))| html.contains(needle))
        .map(|(i, _)| i + 1)
        .collect()
}

fn year_planner() -> String {
    let site = Site::fixture("planner-year");
    site.build_on("2027-12-01", &[]);
    site.output("planner/index.html")
}

#[test]
fn a_year_of_weeks_crosses_the_new_year_and_the_leap_day() {
    let html = year_planner();
    let weeks = weeks(&html);
    assert_eq!(weeks.len(), 52);
    // The start date is a Wednesday: weeks start on Monday.
    let first = text_of(&weeks[0].1);
    assert!(first.contains("Week 52 · 2027"), "{first}");
    assert!(first.contains("Mon 27 Dec – Sun 2 Jan 2028"), "{first}");
    let second = text_of(&weeks[1].1);
    assert!(
        second.contains("Week 1 · 2028"),
        "ISO week 1 of 2028 follows: {second}"
    );
    assert_eq!(weeks_with(&weeks, r#"datetime="2028-02-29""#), vec![10]);
    let tenth = text_of(&weeks[9].1);
    assert!(tenth.contains("Mon 28 Feb Tue 29 Feb Wed 1 Mar"), "{tenth}");
    let last = text_of(&weeks[51].1);
    assert!(last.contains("Week 51 · 2028"), "{last}");
    assert!(last.contains("Mon 18 Dec – Sun 24 Dec 2028"), "{last}");
    // Every day of the year appears exactly once in the week strips.
    let days: usize = weeks
        .iter()
        .map(|(_, w)| {
            w.split("<ol class=\"week-days\">")
                .nth(1)
                .unwrap()
                .split("</ol>")
                .next()
                .unwrap()
                .matches("<li>")
                .count()
        })
        .sum();
    assert_eq!(days, 52 * 7);
}

#[test]
fn weekly_items_every_week_and_monthly_quarterly_yearly_ones_in_their_week() {
    let html = year_planner();
    let weeks = weeks(&html);
    let all: Vec<usize> = (1..=52).collect();
    assert_eq!(weeks_with(&weeks, "Send three messages"), all);
    // First Tuesday of each month of 2028 (December 2027's is before the planner).
    assert_eq!(
        weeks_with(&weeks, "Industry event"),
        vec![2, 6, 11, 15, 19, 24, 28, 32, 37, 41, 46, 50]
    );
    // Day 31, clamped to the month's last day: 29 February in week 10.
    let month_end = weeks_with(&weeks, "Month-end notes");
    assert_eq!(month_end.len(), 12, "{month_end:?}");
    assert!(weeks[9].1.contains(
        r#"Month-end notes</span> <span class="when">monthly · <time datetime="2028-02-29">"#
    ));
    // Quarterly without `when`: the week holding the 1st of January, April, July, October.
    assert_eq!(weeks_with(&weeks, "Quarter kickoff"), vec![1, 14, 27, 40]);
    // Quarterly on the last Friday of the quarter's first month.
    assert_eq!(
        weeks_with(&weeks, "Stakeholder review"),
        vec![5, 18, 31, 44]
    );
    assert_eq!(weeks_with(&weeks, "Network review"), vec![51]);
    // A yearly item without a date falls on the planner's anniversary: only the first week.
    assert_eq!(weeks_with(&weeks, "Development plan"), vec![1]);
}

#[test]
fn time_blocks_land_on_their_dates() {
    let html = year_planner();
    let weeks = weeks(&html);
    let even: Vec<usize> = (1..=26).map(|n| n * 2).collect();
    assert_eq!(weeks_with(&weeks, "Coffee chat"), even);
    assert!(text_of(&weeks[1].1).contains("Tue 4 Jan 08:00–08:45 Coffee chat"));
    assert!(text_of(&weeks[51].1).contains("Tue 19 Dec 08:00–08:45 Coffee chat"));
    // Last Friday of January, February and March, then the count runs out.
    assert_eq!(weeks_with(&weeks, "Mentoring circle"), vec![5, 9, 14]);
    assert!(
        weeks[8]
            .1
            .contains(r#"<time datetime="2028-02-25">Fri 25 Feb</time> 12:00–13:00"#)
    );
}

#[test]
fn people_appear_in_the_weeks_their_contact_falls_due() {
    let html = year_planner();
    let weeks = weeks(&html);
    let due = weeks_with(&weeks, "Maya &lt;Mentor&gt;");
    // Monthly from 30 November 2027: 30 December, 30 January, 29 February (leap), 30 March …
    assert_eq!(due[..4], [1, 5, 10, 14]);
    assert_eq!(due.len(), 12, "{due:?}");
    assert!(weeks[9].1.contains(r#"due <time datetime="2028-02-29">"#));
    let first = text_of(&weeks[0].1);
    assert!(
        first.contains(
            "Maya &lt;Mentor&gt; (Mentor, Guild &amp; Co) due Thu 30 Dec · Share the plan"
        ),
        "{first}"
    );
    assert!(
        weeks_with(&weeks, "Sam").is_empty(),
        "no cadence, never due"
    );
    assert!(!html.contains("<Mentor>"), "names are escaped");
}

#[test]
fn a_cover_then_the_worksheets_then_the_weeks_with_lines_for_notes() {
    let html = year_planner();
    let main = html.split("<main").nth(1).unwrap();
    let sheets: Vec<&str> = main
        .split(r#"<section class="sheet "#)
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    assert_eq!(sheets[0], "sheet-cover");
    let cover = text_of(main.split("</section>").next().unwrap());
    assert!(
        cover.contains("Mon 27 Dec 2027 – Sun 24 Dec 2028 · 52 weeks"),
        "{cover}"
    );
    assert!(cover.contains("This planner belongs to"), "{cover}");
    let sheets = &sheets[1..];
    assert_eq!(
        sheets[..5],
        [
            "sheet-worksheet worksheet worksheet-checklist",
            "sheet-worksheet worksheet worksheet-schedule",
            "sheet-worksheet worksheet worksheet-stakeholders",
            "sheet-grid landscape",
            "sheet-worksheet worksheet worksheet-table",
        ]
    );
    assert!(sheets[5..].iter().all(|s| *s == "sheet-week"));
    assert_eq!(sheets.len(), 57);
    for (_, w) in weeks(&html) {
        assert!(w.matches(r#"<div class="line"></div>"#).count() > 10);
    }
    // Letter paper sets the sheet size.
    assert!(html.contains("@page { size: letter;"));
}

#[test]
fn include_picks_and_orders_the_worksheets() {
    let site = Site::with_files(&[
        (
            "handbook.yaml",
            "title: T\nplanner:\n  start: 2028-01-03\n  weeks: 2\n  paper: A4\n  include:\n    - b/people.yaml\n    - content/a/habits.yml\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\nHi\n"),
        (
            "content/a/habits.yml",
            "kind: checklist\ntitle: Habits\nweekly: [Write notes]\n",
        ),
        (
            "content/a/other.yaml",
            "kind: checklist\ntitle: Other\nweekly: [Not printed]\n",
        ),
        (
            "content/b/people.yaml",
            "kind: stakeholders\ntitle: People\n",
        ),
    ]);
    site.build_on("2028-01-01", &[]);
    let html = site.output("planner/index.html");
    let people = html
        .find(r#"worksheet-stakeholders" id="sheet-1""#)
        .expect("people first");
    let habits = html
        .find(r#"worksheet-checklist" id="sheet-2""#)
        .expect("habits second");
    assert!(people < habits);
    assert!(
        !html.contains("Not printed"),
        "a worksheet left out adds nothing to the weeks"
    );
    assert_eq!(weeks_with(&weeks(&html), "Write notes"), vec![1, 2]);
    assert!(html.contains("@page { size: A4;"));
}

#[test]
fn without_settings_the_planner_covers_thirteen_weeks_from_this_week() {
    let site = Site::with_files(&[
        ("handbook.yaml", "title: T\n"),
        ("content/_index.md", "---\ntitle: Home\n---\nHi\n"),
    ]);
    site.build_on("2026-03-05", &[]);
    let html = site.output("planner/index.html");
    let weeks = weeks(&html);
    assert_eq!(weeks.len(), 13);
    assert!(text_of(&weeks[0].1).contains("Mon 2 Mar – Sun 8 Mar 2026"));
    assert!(html.contains("@page { size: A4;"));
}

#[test]
fn the_planner_links_the_handbook_wide_calendar_only_when_there_are_blocks() {
    let site = Site::fixture("worksheets");
    site.build(&[]);
    let html = site.output("planner/index.html");
    assert!(
        html.contains(r#"<a href="/calendar.ics" download="calendar.ics">"#),
        "{html}"
    );
    assert!(site.output_exists("calendar.ics"));
    // Without a schedule there is no calendar to link to.
    site.remove("content/plan/blocks.yaml");
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\n\nNo calendar here.\n",
    );
    site.write(
        "content/plan/guide.md",
        "---\ntitle: Guide\n---\n\nNo calendar here.\n",
    );
    site.build(&[]);
    let html = site.output("planner/index.html");
    assert!(!html.contains("calendar.ics"), "{html}");
    assert!(!site.output_exists("calendar.ics"));
}

#[test]
fn a_contact_overdue_when_the_planner_starts_heads_its_first_week() {
    let site = Site::with_files(&[
        ("handbook.yaml", "title: T\nplanner:\n  weeks: 3\n"),
        ("content/_index.md", "---\ntitle: Home\n---\nHi\n"),
        (
            "content/people.yaml",
            "kind: stakeholders\npeople:\n  - name: Overdue Olga\n    cadence: monthly\n    last_contact: 2025-01-01\n  - name: Punctual Pia\n    cadence: weekly\n    last_contact: 2026-03-06\n",
        ),
    ]);
    site.build_on("2026-03-10", &[]);
    let html = site.output("planner/index.html");
    let weeks = weeks(&html);
    assert_eq!(
        weeks_with(&weeks, "Overdue Olga"),
        [1],
        "listed once, up front"
    );
    assert!(weeks[0].1.contains("overdue since"), "{}", weeks[0].1);
    assert!(weeks[0].1.contains("2025-02-01"), "{}", weeks[0].1);
    // Someone on schedule keeps their rolling dates: 13, 20 and 27 March.
    assert_eq!(weeks_with(&weeks, "Punctual Pia"), [1, 2, 3]);
}

#[test]
fn a_column_too_narrow_to_write_in_on_paper_is_a_warning_with_its_width() {
    let table = "kind: table\ncolumns:\n  - name: Date\n    width: 10%\n  - name: Notes\n    width: 20%\n  - Who\n  - What\n  - Next\n";
    let site = Site::with_files(&[
        ("handbook.yaml", "title: T\n"),
        ("content/_index.md", "---\ntitle: Home\n---\nHi\n"),
        ("content/log.yaml", table),
    ]);
    let run = site.build(&[]).success();
    // Portrait A4 is 180 mm inside the margins: Notes 36 mm, the other three 42 mm each;
    // Date (18 mm) is a label column.
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(
        warnings,
        [
            "warning: content/log.yaml: column `Notes` prints 36 mm wide on A4 portrait, too narrow to write in (at least 45 mm)",
            "warning: content/log.yaml: column `Who` prints 42 mm wide on A4 portrait, too narrow to write in (at least 45 mm)",
            "warning: content/log.yaml: column `What` prints 42 mm wide on A4 portrait, too narrow to write in (at least 45 mm)",
            "warning: content/log.yaml: column `Next` prints 42 mm wide on A4 portrait, too narrow to write in (at least 45 mm)",
        ],
        "{}",
        run.stderr
    );
    // In landscape (267 mm) every writing column fits.
    site.write(
        "content/log.yaml",
        &format!("{table}print:\n  orientation: landscape\n"),
    );
    let run = site.build(&[]).success();
    assert_eq!(stderr_of(&run), "");
}

/// The planner is written as it is rendered: a template of the site's own failing after more
/// than a write buffer of output fails the build with the template named, and the previous
/// output stays as it was.
#[test]
fn a_planner_template_failing_late_fails_the_build_and_keeps_the_old_output() {
    let site = Site::fixture("planner-year");
    site.build_on("2027-12-01", &[]);
    let before = site.tree("public");
    site.write(
        "templates/planner.html",
        "{% for i in range(end=100000) %}<p>Week {{ i }}</p>\n{% endfor %}{{ planner.not_a_field }}",
    );
    let run = site.run(&["build", "--today", "2027-12-01"]).failure(1);
    assert_snapshot!(stderr_of(&run), @"
    error: templates/planner.html:2:24: Field `not_a_field` is not defined. Available fields: end, page_margin, page_size, paper, row, start, week_count, week_height, weeks, worksheets
     2 | {% endfor %}{{ planner.not_a_field }}
       |                        ^
     hint: see the theming guide in the README for the variables each template receives

    1 error found
    ");
    assert_eq!(site.tree("public"), before);
}
