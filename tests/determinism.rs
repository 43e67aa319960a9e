//! The same sources and date give byte-identical output, wherever and however often built.

mod common;
use common::{Site, stderr_of};
use insta::assert_snapshot;

#[test]
fn two_builds_with_a_pinned_date_are_byte_identical() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/01-inside/mentors.md",
        "# Mentors\n\n## One\n\n## Two\n",
    );
    site.write_bytes("content/career/chart.png", b"\x89PNG fake");
    site.build(&["--output", "one"]);
    site.build(&["--output", "two"]);
    let (one, two) = (site.tree("one"), site.tree("two"));
    assert!(one.len() > 10, "{:?}", one.keys());
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &one {
        assert!(two[name] == *bytes, "{name} differs between builds");
    }
}

#[test]
fn the_bundled_handbook_builds_identically_twice() {
    // The real content of the repository: many pages, so parallel rendering has a chance to
    // reorder anything that is not sorted.
    let a = Site::bundled(common::TODAY, &[]);
    let b = Site::bundled(common::TODAY, &[]);
    assert_eq!(a.tree("public"), b.tree("public"));
}

#[test]
fn today_pins_the_build_date() {
    let site = Site::fixture("basic");
    site.build(&[]);
    assert!(
        site.output("index.html")
            .contains("Built 2024-03-01 with rapport")
    );
}

#[test]
fn source_date_epoch_pins_the_build_date() {
    let site = Site::fixture("basic");
    // 1700000000 is 2023-11-14T22:13:20Z.
    site.run_with_env(&["build"], &[("SOURCE_DATE_EPOCH", "1700000000")])
        .success();
    assert!(
        site.output("index.html")
            .contains("Built 2023-11-14 with rapport")
    );
}

#[test]
fn today_wins_over_source_date_epoch() {
    let site = Site::fixture("basic");
    site.run_with_env(
        &["build", "--today", "2025-06-30"],
        &[("SOURCE_DATE_EPOCH", "1700000000")],
    )
    .success();
    assert!(
        site.output("index.html")
            .contains("Built 2025-06-30 with rapport")
    );
}

#[test]
fn an_invalid_source_date_epoch_is_an_error_not_a_silent_fallback() {
    let site = Site::fixture("basic");
    // Exit code 2, like a malformed --today.
    assert_snapshot!(stderr_of(&site.run_with_env(&["build"], &[("SOURCE_DATE_EPOCH", "yesterday")]).failure(2)), @"
    error: SOURCE_DATE_EPOCH is `yesterday`, not a number of seconds since 1970 (up to the year 9999)
     hint: set it to a Unix timestamp (e.g. `git log -1 --format=%ct`), or unset it
    ");
    assert!(!site.output_exists("index.html"));
}
