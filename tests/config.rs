//! `handbook.yaml`: every key reaches the site; every mistake is reported where it is.

mod common;
use common::Site;

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
    site.build_fails().stderr_has(&[
        "error: handbook.yaml:2:1: unknown key `titel`",
        " 2 | titel: typo",
        "hint: did you mean `title`?",
    ]);
}

#[test]
fn wrong_type_is_reported_at_the_value() {
    let site = Site::fixture("basic");
    site.write("handbook.yaml", "title: T\nsearch: maybe\n");
    site.build_fails()
        .stderr_has(&["error: handbook.yaml:2:9: wrong type", "(at `search`)"]);
}

#[test]
fn invalid_yaml_is_reported_with_its_line() {
    let site = Site::fixture("basic");
    site.write("handbook.yaml", "title: T\n  author: indented\n");
    site.build_fails().stderr_has(&["error: handbook.yaml:2:"]);
}

#[test]
fn bad_base_url_in_the_config_points_at_its_line() {
    let site = Site::fixture("basic");
    site.write("handbook.yaml", "title: T\nbase_url: \"example.org\"\n");
    site.build_fails().stderr_has(&[
        "error: handbook.yaml:2:11: `base_url` must be an absolute URL",
        "hint: write an absolute URL",
    ]);
}

#[test]
fn missing_config_is_explained() {
    let site = Site::bare();
    // Not a handbook folder: a usage mistake (2), not a problem in a handbook (1).
    site.run(&["build"])
        .failure(2)
        .stderr_has(&["no `handbook.yaml`", "rapport init"]);
}

#[test]
fn a_config_that_is_not_a_mapping_is_explained() {
    let site = Site::fixture("basic");
    site.write("handbook.yaml", "- title\n");
    site.build_fails().stderr_has(&[
        "error: handbook.yaml:1:1: wrong type: expected `key: value` lines, found a list",
    ]);
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
