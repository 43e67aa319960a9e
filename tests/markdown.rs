//! Markdown as GitHub writes it: tables, footnotes, tasks, alerts, heading ids and a TOC.

mod common;
use common::html::main_part;
use common::{Site, stderr_of};
use insta::assert_snapshot;

fn features() -> String {
    let site = Site::fixture("markdown");
    site.build(&[]);
    main_part(&site.output("features/index.html")).to_string()
}

#[test]
fn github_extensions_render() {
    let html = features();
    assert!(html.contains("<th>Who</th>"), "{html}");
    assert!(html.contains("<td>Mentor</td>"), "{html}");
    assert!(html.contains("<del>old</del>"), "{html}");
    // Task check boxes are named by their item's text.
    assert!(
        html.contains("<input type=\"checkbox\" disabled checked aria-label=\"Send the message\">"),
        "{html}"
    );
    assert!(
        html.contains("<input type=\"checkbox\" disabled aria-label=\"Book the coffee\">"),
        "{html}"
    );
    assert!(html.contains("class=\"footnote-reference\""), "{html}");
    assert!(html.contains("Where it comes from."), "{html}");
}

#[test]
fn punctuation_is_smart() {
    let html = features();
    assert!(html.contains("“quotes”"), "{html}");
    assert!(html.contains("‘apostrophes’"), "{html}");
    assert!(html.contains("– dashes…"), "{html}");
}

#[test]
fn alerts_become_labelled_boxes() {
    let html = features();
    assert!(
        html.contains(
            "<div class=\"alert alert-tip\" role=\"note\">\n<p class=\"alert-title\">Tip</p>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<div class=\"alert alert-caution\""),
        "{html}"
    );
    assert!(!html.contains("[!TIP]"), "{html}");
}

#[test]
fn headings_get_unique_ids_and_self_links() {
    let html = features();
    assert!(
        html.contains("<h2 id=\"tables\">Tables<a class=\"heading-anchor\" href=\"#tables\""),
        "{html}"
    );
    assert!(
        html.contains("<h2 id=\"tables-1\">Tables<a class=\"heading-anchor\" href=\"#tables-1\""),
        "{html}"
    );
    assert!(
        html.contains("<h2 id=\"my-anchor\" class=\"wide\">Custom anchor<a"),
        "{html}"
    );
    assert!(
        html.contains("<h3 id=\"deeper-code--more\">Deeper <code>code</code> &amp; more"),
        "{html}"
    );
}

#[test]
fn same_page_anchor_links_are_checked() {
    let site = Site::fixture("markdown");
    site.build(&[]);
    site.write("content/features.md", "# F\n\n## One\n\n[x](#two)\n");
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/features.md:5:1: no heading `#two` in `F`
     5 | [x](#two)
       | ^
     hint: headings there: #one

    1 error found
    ");
}

#[test]
fn the_table_of_contents_nests_headings() {
    let site = Site::fixture("markdown");
    site.write(
        "templates/page.html",
        "{% for h in page.toc %}{{ h.level }}:{{ h.id }}:{{ h.title }}[{% for c in h.children %}{{ c.level }}:{{ c.id }}{% endfor %}] {% endfor %}",
    );
    site.build(&[]);
    assert_eq!(
        site.output("features/index.html"),
        "2:tables:Tables[] 2:notes-and-marks:Notes and marks[] 2:tasks:Tasks[] \
         2:my-anchor:Custom anchor[] 2:tables-1:Tables[3:deeper-code--more] "
    );
}

#[test]
fn the_default_theme_shows_the_table_of_contents() {
    let html = features();
    let toc = &html[html.find("<nav class=\"toc\"").expect("toc")..];
    let toc = &toc[..toc.find("</nav>").expect("end of toc")];
    assert!(
        toc.contains("<a href=\"#my-anchor\">Custom anchor</a>"),
        "{toc}"
    );
    assert!(
        toc.contains("<a href=\"#deeper-code--more\">Deeper code &amp; more</a>"),
        "{toc}"
    );
}
