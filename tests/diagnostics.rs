//! Diagnostics as a user meets them: the binary on small sites, the whole stderr compared, so
//! that an extra or a lost error fails a test. Every mistake of a build at once, each at its own
//! line and column, with a hint where one helps.

mod common;

use common::{Site, stderr_of};
use insta::assert_snapshot;
use std::path::Path;
use std::time::{Duration, Instant};

/// A site of `files` whose build fails with exit code 1; returns its whole stderr, redacted.
fn failing_build(files: &[(&str, &str)]) -> String {
    let mut all = vec![
        ("handbook.yaml", "title: \"T\"\n"),
        ("content/_index.md", "---\ntitle: Home\n---\n\nHello.\n"),
    ];
    all.extend_from_slice(files);
    let site = Site::with_files(&all);
    stderr_of(&site.run(&["build", "--today", "2026-12-01"]).failure(1))
}

#[test]
fn redaction_leaves_the_rest_alone() {
    let root = Path::new("/tmp/.tmpAb12/site");
    assert_eq!(
        common::redact(
            "error: /tmp/.tmpAb12/site/content/a.md: no\nBuilt 3 pages in 12 ms into /tmp/.tmpAb12/out (7ms), 2 ms2 x3 ms 1.5 ms\n",
            Some(root)
        ),
        "error: [ROOT]/content/a.md: no\nBuilt 3 pages in [TIME] into [TMP]/out ([TIME]), 2 ms2 x3 ms [TIME]\n"
    );
}

#[test]
fn every_mistake_of_a_person_is_reported_in_one_run() {
    let sheet = "kind: stakeholders\npeople:\n  - name: Dana\n    role: wizard\n    cadence: fortnightly\n    last_contact: 2027-02-30\n    favourite_color: blue\n  - name: Lee\n    inside_company: yes\n";
    let err = failing_build(&[("content/people.yaml", sheet)]);
    assert_snapshot!(err, @"
    error: content/people.yaml:4:11: unknown value `wizard` (at `people[0].role`)
     4 |     role: wizard
       |           ^
     hint: allowed values: hr, leadership, supervisor, recruiter, career-consultant, mentor, sponsor, peer, other

    error: content/people.yaml:5:14: unknown value `fortnightly` (at `people[0].cadence`)
     5 |     cadence: fortnightly
       |              ^
     hint: allowed values: weekly, biweekly, monthly, quarterly, yearly

    error: content/people.yaml:6:19: impossible date `2027-02-30`: February 2027 has 28 days (at `people[0].last_contact`)
     6 |     last_contact: 2027-02-30
       |                   ^

    error: content/people.yaml:7:5: unknown key `favourite_color` (at `people[0]`)
     7 |     favourite_color: blue
       |     ^
     hint: known keys: name, role, organization, inside_company, influence, relationship, last_contact, cadence, next_step, notes, contact, interactions, example

    error: content/people.yaml:9:21: wrong type: expected `true` or `false`, found the text `yes` (at `people[1].inside_company`)
     9 |     inside_company: yes
       |                     ^
     hint: write `true` or `false`

    5 errors found
    ");
}

#[test]
fn common_yaml_slips_get_a_hint() {
    let page = |text: &str| failing_build(&[("content/a.md", text)]);
    assert_snapshot!(page("---\ntitle: Meet: the people\n---\n"), @r#"
    error: content/a.md:2:12: mapping values are not allowed in this context
     2 | title: Meet: the people
       |            ^
     hint: quote a value that contains `: `, e.g. `title: "Meet: the people"`

    1 error found
    "#);
    assert_snapshot!(page("---\ntitle: A\nextra:\n\tsize: 2\n---\n"), @"
    error: content/a.md:4:2: tabs disallowed within this context (block indentation)
     4 | 	size: 2
       | 	^
     hint: indent with spaces: YAML does not allow tabs for indentation

    1 error found
    ");
    assert_snapshot!(page("---\ntitle: A\ndraft: yes\n---\n"), @"
    error: content/a.md:3:8: wrong type: expected `true` or `false`, found the text `yes` (at `draft`)
     3 | draft: yes
       |        ^
     hint: write `true` or `false`

    1 error found
    ");
    let sheet =
        "kind: checklist\nweekly:\n  - Send two messages\n  - Book a coffee\n  Review the list\n";
    assert_snapshot!(failing_build(&[("content/c.yaml", sheet)]), @"
    error: content/c.yaml:5:3: simple key expected ':'
     5 |   Review the list
       |   ^
     hint: start a list item with `- `, as the items above it

    1 error found
    ");
}

#[test]
fn a_duplicate_key_is_reported_at_its_second_occurrence() {
    let site = Site::with_files(&[
        (
            "handbook.yaml",
            "title: \"T\"\nbase_url: /\ndescription: d\nbase_url: /x/\n",
        ),
        ("content/_index.md", "Hi.\n"),
    ]);
    assert_snapshot!(stderr_of(&site.run(&["build"]).failure(1)), @"
    error: handbook.yaml:4:1: duplicate key `base_url`
     4 | base_url: /x/
       | ^
     hint: `base_url` is set earlier in the same mapping: keep one of them

    1 error found
    ");
}

#[test]
fn a_control_character_is_reported_where_it_is() {
    let site = Site::with_files(&[
        ("handbook.yaml", "title: \"T\"\ndescription: \"a\u{7}b\"\n"),
        ("content/_index.md", "Hi.\n"),
    ]);
    // The bell itself, shown as ␇: insta cannot write a control character into a snapshot.
    let err = stderr_of(&site.run(&["build"]).failure(1)).replace('\u{7}', "␇");
    assert_snapshot!(err, @r#"
    error: handbook.yaml:2:16: control character U+0007 in the text
     2 | description: "a␇b"
       |                ^
     hint: delete it: it is invisible in most editors (retyping the line removes it)

    1 error found
    "#);
}

#[test]
fn a_broken_worksheet_is_still_a_link_target() {
    let err = failing_build(&[
        (
            "content/people.yaml",
            "kind: stakeholders\npeople:\n  - name: Dana\n    cadence: sometimes\n",
        ),
        (
            "content/guide.md",
            "---\ntitle: Guide\n---\n\nSee [the map](people.yaml#inside) and [again](people.yaml).\n",
        ),
    ]);
    assert_snapshot!(err, @"
    error: content/people.yaml:4:14: unknown value `sometimes` (at `people[0].cadence`)
     4 |     cadence: sometimes
       |              ^
     hint: allowed values: weekly, biweekly, monthly, quarterly, yearly

    1 error found
    ");
}

#[test]
fn a_planner_include_error_comes_with_the_content_errors() {
    let site = Site::with_files(&[
        (
            "handbook.yaml",
            "title: \"T\"\nplanner:\n  include:\n    - checklist.yaml\n    - nope.yaml\n",
        ),
        ("content/_index.md", "Hi.\n"),
        ("content/checklist.yaml", "kind: checklist\nweekly: [a]\n"),
        ("content/bad.md", "---\ntitel: x\n---\n"),
    ]);
    assert_snapshot!(stderr_of(&site.run(&["build"]).failure(1)), @"
    error: content/bad.md:2:1: unknown key `titel`
     2 | titel: x
       | ^
     hint: did you mean `title`? Known keys: title, description, weight, draft, private, slug, template, extra

    error: handbook.yaml:5:7: `planner.include` names `nope.yaml`, which is not a worksheet
     5 |     - nope.yaml
       |       ^
     hint: worksheets: checklist.yaml

    2 errors found
    ");
}

#[test]
fn static_files_may_not_replace_the_planner_or_a_calendar() {
    let site = Site::with_files(&[
        ("handbook.yaml", "title: \"T\"\n"),
        ("content/_index.md", "Hi.\n"),
        (
            "content/time.yaml",
            "kind: schedule\nblocks:\n  - title: Coffee\n    every: weekly\n    from: 2026-01-05\n    start: \"08:00\"\n    duration: 30m\n",
        ),
        ("static/planner/index.html", "mine"),
        ("static/calendar.ics", "mine"),
        ("static/time/calendar.ics", "mine"),
    ]);
    assert_snapshot!(stderr_of(&site.run(&["build"]).failure(1)), @"
    error: static/calendar.ics: `calendar.ics` would be written twice: by `static/calendar.ics` and by the calendar of every schedule
     hint: rename or move the file in `static/`

    error: static/planner/index.html: `planner/index.html` would be written twice: by `static/planner/index.html` and by the printable planner
     hint: rename or move the file in `static/`

    error: static/time/calendar.ics: `time/calendar.ics` would be written twice: by `static/time/calendar.ics` and by the calendar of `content/time.yaml`
     hint: rename or move the file in `static/`

    3 errors found
    ");
    assert!(!site.output_exists("index.html"));
}

#[test]
fn a_link_to_a_theme_file_resolves() {
    let site = Site::with_files(&[
        ("handbook.yaml", "title: \"T\"\nbase_url: /hb/\n"),
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n\nThe [stylesheet](../static/rapport.css).\n",
        ),
    ]);
    site.build(&[]);
    assert!(
        site.output("index.html")
            .contains("<a href=\"/hb/rapport.css\">stylesheet</a>")
    );
}

/// Alias fan-out and deep nesting are refused at once, with nothing written and no staging
/// folder left beside the output.
#[test]
fn yaml_bombs_are_refused_quickly_and_leave_nothing() {
    let mut fan = format!(
        "kind: table\ncolumns: [A]\nx: &a {}\nrows:\n",
        "y".repeat(10_000)
    );
    fan.push_str(&"  - [*a]\n".repeat(20_000));
    let deep: String = (0..500)
        .map(|i| format!("{}k:\n", "  ".repeat(i)))
        .collect();
    let refused = |name: &str, text: &str| -> String {
        let site = Site::minimal();
        site.write(&format!("content/{name}"), text);
        let start = Instant::now();
        let run = site.run(&["build"]).failure(1);
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "took {:?}",
            start.elapsed()
        );
        let left: Vec<_> = std::fs::read_dir(&site.root)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            left.iter().all(|n| !n.contains("rapport") && n != "public"),
            "{left:?}"
        );
        stderr_of(&run)
    };
    assert_snapshot!(refused("fan.yaml", &fan), @"
    error: content/fan.yaml:842:6: the file expands past 8 MB or 250000 values through aliases (`*name`)
     842 |   - [*a]
         |      ^
     hint: write the values out, or repeat an anchor fewer times

    1 error found
    ");
    assert_snapshot!(refused("deep.yaml", &deep), @"
    error: content/deep.yaml:25:49: the values nest deeper than 24 levels
     25 |                                                 k:
        |                                                 ^
     hint: a handbook file needs a few levels of nesting; check the brackets and indentation

    1 error found
    ");
}

#[test]
fn a_nul_in_a_page_body_becomes_the_replacement_character() {
    let site = Site::minimal();
    site.write("content/a.md", "---\ntitle: A\n---\n\nbefore\u{0}after\n");
    site.build(&[]);
    let html = site.output("a/index.html");
    assert!(html.contains("before\u{FFFD}after"), "{html}");
    assert!(!html.contains('\u{0}'));
}

/// One URL, one spelling: a page with a non-ASCII slug is linked, canonical, in the sitemap and
/// in the search index under the same percent-encoded URL.
#[test]
fn a_non_ascii_url_is_spelled_the_same_everywhere() {
    let site = Site::with_files(&[
        (
            "handbook.yaml",
            "title: \"T\"\nbase_url: https://example.org/hb/\n",
        ),
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n\nRead [the café page](cafe.md).\n",
        ),
        (
            "content/cafe.md",
            "---\ntitle: Café\nslug: café\n---\n\nCoffee.\n",
        ),
    ]);
    site.build(&[]);
    let encoded = "caf%C3%A9/";
    let home = site.output("index.html");
    assert!(home.contains(&format!("href=\"/hb/{encoded}\"")), "{home}");
    let page = site.output("café/index.html");
    let permalink = format!("https://example.org/hb/{encoded}");
    assert!(
        page.contains(&format!("<link rel=\"canonical\" href=\"{permalink}\">")),
        "{page}"
    );
    assert!(page.contains(&format!("content=\"{permalink}\"")), "{page}");
    assert!(
        site.output("sitemap.xml")
            .contains(&format!("<loc>{permalink}</loc>"))
    );
    assert!(
        site.output("search-index.json")
            .contains(&format!("\"{encoded}\""))
    );
    assert!(!page.contains("/hb/café/"), "{page}");
}

/// A setting's error names where the value came from: the flag, the environment or the file.
#[test]
fn settings_are_reported_where_they_came_from() {
    let site = Site::with_files(&[
        ("handbook.yaml", "title: \"T\"\nbase_url: \"/\"\n"),
        ("content/_index.md", "Hi.\n"),
    ]);
    let build = site.run(&["build", "--base-url", "example.org"]).failure(2);
    let check = site.run(&["check", "--base-url", "example.org"]).failure(2);
    assert_eq!(stderr_of(&build), stderr_of(&check));
    assert_snapshot!(stderr_of(&build), @"
    error: invalid value 'example.org' for '--base-url <URL>': `base_url` must be an absolute URL or a path starting with `/`, got `example.org`

    For more information, try '--help'.
    ");
    let env = site.run_with_env(&["build"], &[("SOURCE_DATE_EPOCH", "soon")]);
    assert_snapshot!(stderr_of(&env.failure(2)), @"
    error: SOURCE_DATE_EPOCH is `soon`, not a number of seconds since 1970 (up to the year 9999)
     hint: set it to a Unix timestamp (e.g. `git log -1 --format=%ct`), or unset it
    ");
    site.write("handbook.yaml", "title: \"T\"\nbase_url: example.org\n");
    assert_snapshot!(stderr_of(&site.run(&["build"]).failure(1)), @"
    error: handbook.yaml:2:11: `base_url` must be an absolute URL or a path starting with `/`, got `example.org`
     2 | base_url: example.org
       |           ^
     hint: write an absolute URL such as `https://me.github.io/handbook/`, or `/`

    1 error found
    ");
}

#[test]
fn the_caret_sits_under_the_character_after_wide_text_and_tabs() {
    // Japanese characters take two columns of a terminal; the caret makes room for both.
    let err = failing_build(&[("content/a.md", "---\ntitle: 名前: 「山田」\n---\n")]);
    assert_eq!(
        err,
        "\
error: content/a.md:2:10: mapping values are not allowed in this context
 2 | title: 名前: 「山田」
   |            ^
 hint: quote a value that contains `: `, e.g. `title: \"名前: 「山田」\"`

1 error found
"
    );
    let sheet = "kind: stakeholders\npeople:\n  - {name: 「山田太郎」, role: 魔法使い}\n";
    let err = failing_build(&[("content/people.yaml", sheet)]);
    assert_eq!(
        err,
        "\
error: content/people.yaml:3:26: unknown value `魔法使い` (at `people[0].role`)
 3 |   - {name: 「山田太郎」, role: 魔法使い}
   |                                ^
 hint: allowed values: hr, leadership, supervisor, recruiter, career-consultant, mentor, sponsor, peer, other

1 error found
"
    );
    // A tab stays a tab under the line, so the terminal expands both alike.
    let page = "---\ntitle: T\ndescription: \"\tを\u{7}\"\n---\n";
    let err = failing_build(&[("content/b.md", page)]);
    assert!(
        err.starts_with(
            "\
error: content/b.md:3:17: control character U+0007 in the text
 3 | description: \"\tを\u{7}\"
   |               \t  ^
"
        ),
        "{err}"
    );
}

#[test]
fn a_one_space_indentation_slip_gets_a_hint_naming_the_indentation() {
    let sheet =
        "kind: stakeholders\npeople:\n  - name: Dana\n    role: mentor\n   cadence: weekly\n";
    let err = failing_build(&[("content/people.yaml", sheet)]);
    assert_eq!(
        err,
        "\
error: content/people.yaml:5:4: while parsing a block collection, did not find expected '-' indicator
 5 |    cadence: weekly
   |    ^
 hint: this line is indented 3 spaces, its siblings above 4: line it up with them

1 error found
"
    );
    // The key's own colon, one space too deep, is no colon inside a value.
    let err = failing_build(&[("content/a.md", "---\ntitle: A\n description: d\n---\n")]);
    assert_eq!(
        err,
        "\
error: content/a.md:3:13: mapping values are not allowed in this context
 3 |  description: d
   |             ^
 hint: this line is indented 1 space, its siblings above 0: line it up with them

1 error found
"
    );
}

/// One run reports every error: the links of a page whose front matter has errors are checked
/// all the same, and a link to a section whose `_index.md` has errors still leads to it.
#[test]
fn links_are_checked_on_pages_whose_front_matter_has_errors() {
    let site = Site::minimal();
    site.write(
        "content/_index.md",
        "---\ntitle: Home\n---\n\n[s](sub/_index.md) [x](missing.md)\n",
    );
    site.write(
        "content/ok.md",
        "---\ntitle: Fine\nweight: x\n---\n\n[y](nope.md)\n",
    );
    site.write(
        "content/sub/_index.md",
        "---\ntitle: Sec\nbogus: 1\n---\n\n[q](../nowhere.md)\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/_index.md:5:20: link to a missing file `missing.md` (looked for `content/missing.md`)
     5 | [s](sub/_index.md) [x](missing.md)
       |                    ^
     hint: links are relative to this file, as on GitHub: `../section/page.md#heading`

    error: content/ok.md:3:9: wrong type: expected a whole number, found the text `x` (at `weight`)
     3 | weight: x
       |         ^

    error: content/ok.md:6:1: link to a missing file `nope.md` (looked for `content/nope.md`)
     6 | [y](nope.md)
       | ^
     hint: links are relative to this file, as on GitHub: `../section/page.md#heading`

    error: content/sub/_index.md:3:1: unknown key `bogus`
     3 | bogus: 1
       | ^
     hint: known keys: title, description, weight, draft, private, slug, template, extra

    error: content/sub/_index.md:6:1: link to a missing file `../nowhere.md` (looked for `content/nowhere.md`)
     6 | [q](../nowhere.md)
       | ^
     hint: links are relative to this file, as on GitHub: `../section/page.md#heading`

    5 errors found
    ");
}
