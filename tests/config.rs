//! `handbook.yaml`: every key reaches the site; every mistake is reported where it is.

mod common;
use common::{Site, stderr_of};
use insta::assert_snapshot;

#[test]
fn config_keys_reach_the_pages() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let home = site.output("index.html");
    assert!(home.contains("<html lang=\"en-GB\">"), "{home}");
    assert!(home.contains("<title>Test Handbook</title>"), "{home}");
    assert!(home.contains("Test Handbook · Ada Tester</p>"), "{home}");
    // A page without a description of its own falls back to the site's.
    let page = site.output("why/weak-ties/index.html");
    assert!(
        page.contains("<meta name=\"description\" content=\"A handbook for the tests\">"),
        "{page}"
    );
}

#[test]
fn base_url_path_from_the_config_prefixes_every_link() {
    let site = Site::fixture("basic");
    site.write(
        "handbook.yaml",
        "title: T\nbase_url: \"https://example.org/guide/\"\n",
    );
    site.build(&[]);
    let home = site.output("index.html");
    for link in common::html::links(&home) {
        assert!(
            link.starts_with("/guide/")
                || link.starts_with("https://example.org/guide/")
                || link.starts_with('#'),
            "{link} ignores the base path"
        );
    }
}

#[test]
fn unknown_key_is_named_with_its_position_and_the_closest_key() {
    let site = Site::fixture("basic");
    site.write("handbook.yaml", "title: T\ntitel: typo\n");
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: handbook.yaml:2:1: unknown key `titel`
     2 | titel: typo
       | ^
     hint: did you mean `title`? Known keys: title, description, base_url, language, theme, author, timezone, cname, planner, search, sitemap, extra

    1 error found
    ");
}

#[test]
fn wrong_type_is_reported_at_the_value() {
    let site = Site::fixture("basic");
    site.write("handbook.yaml", "title: T\nsearch: maybe\n");
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: handbook.yaml:2:9: wrong type: expected `true` or `false`, found the text `maybe` (at `search`)
     2 | search: maybe
       |         ^

    1 error found
    ");
}

#[test]
fn invalid_yaml_is_reported_with_its_line() {
    let site = Site::fixture("basic");
    site.write("handbook.yaml", "title: T\n  author: indented\n");
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: handbook.yaml:2:9: mapping values are not allowed in this context
     2 |   author: indented
       |         ^
     hint: this line is indented 2 spaces, its siblings above 0: line it up with them

    1 error found
    ");
}

#[test]
fn bad_base_url_in_the_config_points_at_its_line() {
    let site = Site::fixture("basic");
    site.write("handbook.yaml", "title: T\nbase_url: \"example.org\"\n");
    assert_snapshot!(stderr_of(&site.build_fails()), @r#"
    error: handbook.yaml:2:11: `base_url` must be an absolute URL or a path starting with `/`, got `example.org`
     2 | base_url: "example.org"
       |           ^
     hint: write an absolute URL such as `https://me.github.io/handbook/`, or `/`

    1 error found
    "#);
}

#[test]
fn missing_config_is_explained() {
    let site = Site::bare();
    // Not a handbook folder: a usage mistake (2), not a problem in a handbook (1).
    assert_snapshot!(stderr_of(&site.run(&["build"]).failure(2)), @"
    error: no `handbook.yaml` in `.`
     hint: run rapport in a handbook folder, pass --root DIR, or create one with `rapport init DIR`
    ");
}

#[test]
fn a_config_that_is_not_a_mapping_is_explained() {
    let site = Site::fixture("basic");
    site.write("handbook.yaml", "- title\n");
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: handbook.yaml:1:1: wrong type: expected `key: value` lines, found a list
     1 | - title
       | ^

    1 error found
    ");
}

#[test]
fn an_empty_config_uses_defaults() {
    let site = Site::fixture("basic");
    site.write("handbook.yaml", "");
    site.build(&[]);
    let home = site.output("index.html");
    assert!(home.contains("<html lang=\"en\">"), "{home}");
    assert!(home.contains("<title>Handbook</title>"), "{home}");
}
