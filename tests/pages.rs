//! Markdown pages and their front matter: every key used, every mistake located in the file.

mod common;
use common::{Site, stderr_of};
use insta::assert_snapshot;

#[test]
fn front_matter_keys_shape_the_page() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/recruiters.md",
        "---\ntitle: \"Recruiters\"\ndescription: \"Who calls whom\"\nweight: 5\n\
         draft: false\nslug: headhunters\ntemplate: page.html\nextra:\n  level: 2\n---\n\nBody.\n",
    );
    site.build(&[]);
    let html = site.output("career/headhunters/index.html");
    assert!(html.contains("<h1>Recruiters</h1>"), "{html}");
    assert!(
        html.contains("<p class=\"lead\">Who calls whom</p>"),
        "{html}"
    );
    assert!(html.contains("<p>Body.</p>"), "{html}");
}

#[test]
fn extra_is_available_to_templates() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/x.md",
        "---\ntitle: X\nextra:\n  mood: sunny\n---\n",
    );
    site.write(
        "templates/page.html",
        "mood={{ page.extra.mood | default(value='none') }}",
    );
    site.build(&[]);
    assert_eq!(site.output("career/x/index.html"), "mood=sunny");
    assert_eq!(site.output("career/hr/index.html"), "mood=none");
}

#[test]
fn unknown_front_matter_key_points_into_the_markdown_file() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/hr.md",
        "---\ntitle: HR\ntitel: typo\n---\n\nText.\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/career/hr.md:3:1: unknown key `titel`
     3 | titel: typo
       | ^
     hint: did you mean `title`? Known keys: title, description, weight, draft, private, slug, template, extra

    1 error found
    ");
}

#[test]
fn wrong_type_in_front_matter_is_an_error() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/hr.md",
        "---\ntitle: HR\nweight: heavy\n---\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/career/hr.md:3:9: wrong type: expected a whole number, found the text `heavy` (at `weight`)
     3 | weight: heavy
       |         ^

    1 error found
    ");
}

#[test]
fn invalid_yaml_in_front_matter_is_reported_with_its_line() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/hr.md",
        "---\ntitle: HR\ndescription: a\n  weight: 2\n---\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/career/hr.md:4:9: mapping values are not allowed in this context
     4 |   weight: 2
       |         ^
     hint: this line is indented 2 spaces, its siblings above 0: line it up with them

    1 error found
    ");
}

#[test]
fn unclosed_front_matter_is_an_error() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/hr.md",
        "---\ntitle: HR\n\nText without an end.\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/career/hr.md:1:1: front matter is not closed
     1 | ---
       | ^
     hint: end the front matter with a line containing only `---`

    1 error found
    ");
}

#[test]
fn title_falls_back_to_the_first_heading() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let html = site.output("why/weak-ties/index.html");
    assert!(
        html.contains("<title>Weak ties matter · Test Handbook</title>"),
        "{html}"
    );
    // The heading becomes the page title, shown once.
    assert_eq!(html.matches("Weak ties matter</h1>").count(), 1, "{html}");
}

#[test]
fn a_page_without_title_or_heading_is_an_error() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/untitled.md",
        "Only text.\n\n## Not a title\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/career/untitled.md:1:1: the page has no title
     1 | Only text.
       | ^
     hint: add `title: ...` to the front matter, or start the page with a `# Heading`

    1 error found
    ");
}

#[test]
fn a_file_that_is_not_utf8_is_reported_at_the_bad_byte() {
    let site = Site::fixture("basic");
    site.write_bytes("content/career/latin1.md", b"# Caf\xe9\n\nok\n");
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/career/latin1.md:1:6: the file is not valid UTF-8
     hint: save the file with UTF-8 encoding

    1 error found
    ");
}

#[test]
fn windows_line_endings_are_accepted() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/crlf.md",
        "---\r\ntitle: \"Written on Windows\"\r\n---\r\n\r\n## A heading\r\n",
    );
    site.build(&[]);
    let html = site.output("career/crlf/index.html");
    assert!(html.contains("<h1>Written on Windows</h1>"), "{html}");
    assert!(html.contains("<h2 id=\"a-heading\">"), "{html}");
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/wip.md",
        "---\ntitle: WIP\ndraft: true\n---\n",
    );
    site.build(&[]);
    assert!(!site.output_exists("career/wip/index.html"));
    assert!(!site.output("career/index.html").contains("WIP"));
    site.build(&["--drafts"]);
    assert!(site.output_exists("career/wip/index.html"));
}

#[test]
fn front_matter_that_is_not_a_mapping_is_explained() {
    let site = Site::fixture("basic");
    site.write("content/career/hr.md", "---\n- title\n- HR\n---\n");
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/career/hr.md:2:1: wrong type: expected `key: value` lines, found a list
     2 | - title
       | ^

    1 error found
    ");
}

#[test]
fn a_closing_fence_with_trailing_blanks_still_closes() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/notes.md",
        "---\ntitle: Notes  \n---  \n\nBody.\n",
    );
    site.build(&[]);
    assert!(
        site.output("career/notes/index.html")
            .contains("<h1>Notes</h1>")
    );
}

#[test]
fn an_empty_heading_is_no_title() {
    let site = Site::fixture("basic");
    site.write("content/career/notes.md", "#\n\nText.\n");
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/career/notes.md:1:1: the page has no title
     1 | #
       | ^
     hint: add `title: ...` to the front matter, or start the page with a `# Heading`

    1 error found
    ");
}

#[test]
fn an_unknown_key_in_a_section_index_points_into_it() {
    let site = Site::fixture("basic");
    site.write(
        "content/01-why/_index.md",
        "---\ntitle: Why\nwieght: 1\n---\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/01-why/_index.md:3:1: unknown key `wieght`
     3 | wieght: 1
       | ^
     hint: did you mean `weight`? Known keys: title, description, weight, draft, private, slug, template, extra

    1 error found
    ");
}
