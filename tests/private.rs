//! `private: true` keeps a page or worksheet out of everything `build` writes, while `serve`
//! and `print` show it; `example: true` entries are shown but counted and scheduled nowhere.

mod common;

use common::{Site, stderr_of};
use insta::assert_snapshot;

const CONFIG: &str = "title: \"Mine\"\nbase_url: \"https://example.org/\"\nplanner:\n  start: 2026-03-02\n  weeks: 4\n";

const PRIVATE_MAP: &str = "\
kind: stakeholders
private: true
title: My real people
people:
  - name: Wilhelmina Okonkwo-Baptiste
    role: sponsor
    cadence: weekly
    contact: \"+44 7700 900123\"
";

const HABITS: &str = "\
kind: checklist
title: Habits
weekly:
  - Write notes
  - text: Pretend habit
    example: true
";

const CALENDAR: &str = "\
kind: schedule
title: Blocks
blocks:
  - title: Real block
    every: weekly
    from: 2026-03-03
    start: \"08:00\"
    duration: 30m
  - title: Sample block
    example: true
    every: weekly
    from: 2026-03-03
    start: \"09:00\"
    duration: 30m
";

const PEOPLE: &str = "\
kind: stakeholders
title: People
people:
  - name: Real Rosa
    cadence: weekly
  - name: Sample Sven
    example: true
    cadence: weekly
";

fn site() -> Site {
    Site::with_files(&[
        ("handbook.yaml", CONFIG),
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n\nSee the [habits](habits.yaml).\n",
        ),
        ("content/habits.yaml", HABITS),
        ("content/blocks.yaml", CALENDAR),
        ("content/people.yaml", PEOPLE),
        ("content/mine.yaml", PRIVATE_MAP),
    ])
}

/// Every output file whose bytes contain `needle`.
fn files_with(site: &Site, needle: &str) -> Vec<String> {
    site.tree("public")
        .into_iter()
        .filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains(needle))
        .map(|(path, _)| path)
        .collect()
}

#[test]
fn build_leaves_a_private_worksheet_out_of_every_file_and_says_so() {
    let site = site();
    let run = site.build_on("2026-03-04", &[]);
    assert!(
        run.stdout
            .contains("Left out what is private: 1 page or worksheet (`rapport serve`"),
        "{}",
        run.stdout
    );
    for needle in [
        "Wilhelmina",
        "900123",
        "My real people",
        "mine.yaml",
        "/mine/",
    ] {
        assert_eq!(files_with(&site, needle), Vec::<String>::new(), "{needle}");
    }
    assert!(!site.output_exists("mine/index.html"));
    // The public worksheets are all there.
    assert!(site.output("people/index.html").contains("Real Rosa"));
}

#[test]
fn a_public_page_linking_to_a_private_one_is_an_error_at_the_link() {
    let site = site();
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\n\nMy [map](mine.yaml).\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/_index.md:5:4: link to the private page `content/mine.yaml`
     5 | My [map](mine.yaml).
       |    ^
     hint: a published page cannot link to a private one: remove the link, or drop `private: true` from the target

    1 error found
    ");
}

#[test]
fn a_planner_that_includes_a_private_worksheet_builds_without_it() {
    let site = site();
    site.write(
        "handbook.yaml",
        &format!("{CONFIG}  include: [mine.yaml, habits.yaml]\n"),
    );
    site.build_on("2026-03-04", &[]).success();
    let planner = site.output("planner/index.html");
    assert!(planner.contains("Write notes"));
    assert!(!planner.contains("Wilhelmina"));
}

#[test]
fn examples_are_labelled_but_in_no_week_count_or_calendar() {
    let site = site();
    site.build_on("2026-03-04", &[]).success();
    let people = site.output("people/index.html");
    assert!(
        people.contains(r#"<span class="example-label">Example</span> Sample Sven"#),
        "{people}"
    );
    // One person counted (Rosa), the example apart.
    assert!(people.contains("<strong>1</strong> person"), "{people}");
    assert!(
        people.contains("1 example to replace, not counted"),
        "{people}"
    );
    let planner = site.output("planner/index.html");
    let weeks: Vec<&str> = planner
        .split(r#"class="sheet sheet-week"#)
        .skip(1)
        .collect();
    assert_eq!(weeks.len(), 4);
    for w in &weeks {
        assert!(w.contains("Write notes") && w.contains("Real block"), "{w}");
        for example in ["Pretend habit", "Sample block", "Sample Sven"] {
            assert!(!w.contains(example), "{example} in {w}");
        }
    }
    assert!(weeks[0].contains("Real Rosa"));
    for ics in ["calendar.ics", "blocks/calendar.ics"] {
        let cal = site.output(ics);
        assert!(cal.contains("SUMMARY:Real block"), "{cal}");
        assert!(!cal.contains("Sample block"), "{cal}");
    }
    // The schedule page still lists the example, labelled.
    assert!(
        site.output("blocks/index.html")
            .contains(r#"<span class="example-label">Example</span> Sample block"#)
    );
}

#[test]
#[ignore = "needs chromium"]
fn print_includes_private_worksheets_unless_public() {
    let site = site();
    let pdf = site.path("planner.pdf");
    let text = |args: &[&str]| {
        let mut all = vec!["print", "--today", "2026-03-04", "--output"];
        all.push(pdf.to_str().unwrap());
        all.extend(args);
        site.run(&all).success();
        let o = std::process::Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils)");
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    let with = text(&[]);
    assert!(with.contains("Wilhelmina Okonkwo-Baptiste"), "{with}");
    let without = text(&["--public"]);
    assert!(!without.contains("Wilhelmina"), "{without}");
    assert!(without.contains("Real Rosa"), "{without}");
}

/// A handbook whose private page has an image and a PDF beside it, with `content/private/`
/// and a private section: every file holds a marker of its own.
fn private_files_site() -> Site {
    Site::with_files(&[
        ("handbook.yaml", CONFIG),
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n\nRead [the public page](public.md).\n",
        ),
        (
            "content/public.md",
            "---\ntitle: Public\n---\n\n![Shared](shared.png)\n",
        ),
        ("content/shared.png", "SHARED-IMAGE-BYTES"),
        (
            "content/notes.md",
            "---\ntitle: Notes MARKER-PAGE\nprivate: true\n---\n\n![Me](notes-photo.png) [scan](notes-scan.pdf) ![Shared](shared.png)\n",
        ),
        ("content/notes-photo.png", "MARKER-PHOTO"),
        ("content/notes-scan.pdf", "MARKER-SCAN"),
        ("content/private/notes.csv", "name\nMARKER-CSV\n"),
        (
            "content/private/people.md",
            "---\ntitle: MARKER-FOLDER-PAGE\n---\n",
        ),
        (
            "content/team/_index.md",
            "---\ntitle: Team MARKER-SECTION-TITLE\nprivate: true\n---\n\nMARKER-SECTION-BODY\n",
        ),
        (
            "content/team/plan.md",
            "---\ntitle: Plan\n---\n\nMARKER-SECTION-PAGE\n",
        ),
        ("content/team/org.png", "MARKER-SECTION-FILE"),
        (
            "content/team/sub/deep.yaml",
            "kind: checklist\ntitle: MARKER-DEEP\nweekly: [x]\n",
        ),
    ])
}

const MARKERS: &[&str] = &[
    "MARKER-PAGE",
    "MARKER-PHOTO",
    "MARKER-SCAN",
    "MARKER-CSV",
    "MARKER-FOLDER-PAGE",
    "MARKER-SECTION-TITLE",
    "MARKER-SECTION-BODY",
    "MARKER-SECTION-PAGE",
    "MARKER-SECTION-FILE",
    "MARKER-DEEP",
    "notes-photo",
    "notes-scan",
    "/team/",
];

#[test]
fn build_leaves_out_a_private_pages_files_the_private_folder_and_private_sections() {
    let site = private_files_site();
    let run = site.build_on("2026-03-04", &[]).success();
    assert_eq!(
        run.stdout.lines().nth(1),
        Some(
            "Left out what is private: 4 pages or worksheets, 3 sections and 4 files \
             (`rapport serve` and `rapport print` show it)"
        ),
        "{}",
        run.stdout
    );
    for needle in MARKERS {
        assert_eq!(files_with(&site, needle), Vec::<String>::new(), "{needle}");
    }
    // A file a public page links to stays, though a private page links to it too.
    assert_eq!(site.output("shared.png"), "SHARED-IMAGE-BYTES");
    assert!(site.output("public/index.html").contains("/shared.png"));
}

#[test]
fn a_public_link_into_a_private_section_or_to_a_private_file_is_an_error() {
    let site = private_files_site();
    site.write(
        "content/public.md",
        "---\ntitle: Public\n---\n\n[Plan](team/plan.md) [team](team/_index.md) [csv](private/notes.csv)\n",
    );
    let run = site.build_fails();
    assert_eq!(
        run.error_lines(),
        [
            "error: content/public.md:5:1: link to the private page `content/team/plan.md`",
            "error: content/public.md:5:22: link to the private section `content/team/_index.md`",
            "error: content/public.md:5:45: link to the private file `content/private/notes.csv`",
        ]
    );
}
