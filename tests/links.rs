//! Links written as on GitHub (`../career/hr.md#first-meeting`) become site URLs; broken ones
//! are errors at the link.

mod common;
use common::html::{links, main_part};
use common::{Site, stderr_of};
use insta::assert_snapshot;

fn body_links(site: &Site, file: &str) -> Vec<String> {
    links(main_part(&site.output(file)))
}

#[test]
fn markdown_links_become_urls() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let found = body_links(&site, "why/good-times/index.html");
    assert!(
        found.contains(&"/career/hr/#first-meeting".to_string()),
        "{found:?}"
    );
    // A link to a section's `_index.md` goes to the section.
    let found = body_links(&site, "career/hr/index.html");
    assert!(found.contains(&"/why/".to_string()), "{found:?}");
}

#[test]
fn links_honour_the_base_path() {
    let site = Site::fixture("basic");
    site.build(&["--base-url", "https://me.github.io/handbook/"]);
    let found = body_links(&site, "why/good-times/index.html");
    assert!(
        found.contains(&"/handbook/career/hr/#first-meeting".to_string()),
        "{found:?}"
    );
    assert!(
        found.contains(&"/handbook/files/checklist.txt".to_string()),
        "{found:?}"
    );
}

#[test]
fn links_to_static_files_are_rewritten_and_the_files_copied() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let found = body_links(&site, "why/good-times/index.html");
    assert!(
        found.contains(&"/files/checklist.txt".to_string()),
        "{found:?}"
    );
    assert_eq!(
        site.output("files/checklist.txt"),
        "Name, role, last contact\n"
    );
}

#[test]
fn a_missing_static_file_is_an_error() {
    let site = Site::fixture("basic");
    site.remove("static/files/checklist.txt");
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/01-why/01-good-times.md:10:1: link to a missing file `../../static/files/checklist.txt` (looked for `static/files/checklist.txt`)
     10 | [checklist](../../static/files/checklist.txt).
        | ^
     hint: put the file under `static/` (and link to it relatively) or beside this page

    1 error found
    ");
}

#[test]
fn files_beside_a_page_are_copied_and_linked() {
    let site = Site::fixture("basic");
    site.write_bytes("content/career/org-chart.png", b"\x89PNG fake");
    site.write(
        "content/career/notes.md",
        "# Notes\n\n![Org chart](org-chart.png)\n",
    );
    site.build(&[]);
    let found = body_links(&site, "career/notes/index.html");
    assert!(
        found.contains(&"/career/org-chart.png".to_string()),
        "{found:?}"
    );
    assert!(site.output_exists("career/org-chart.png"));
}

#[test]
fn a_link_to_a_missing_page_is_an_error_at_the_link() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/notes.md",
        "# Notes\n\nSee\nthe [recruiters](recruiters.md).\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/career/notes.md:4:5: link to a missing file `recruiters.md` (looked for `content/career/recruiters.md`)
     4 | the [recruiters](recruiters.md).
       |     ^
     hint: links are relative to this file, as on GitHub: `../section/page.md#heading`

    1 error found
    ");
}

#[test]
fn a_missing_image_is_an_error() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/notes.md",
        "# Notes\n\n![chart](chart.png)\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/career/notes.md:3:1: image to a missing file `chart.png` (looked for `content/career/chart.png`)
     3 | ![chart](chart.png)
       | ^
     hint: put the file under `static/` (and link to it relatively) or beside this page

    1 error found
    ");
}

#[test]
fn a_missing_fragment_is_an_error_with_a_suggestion() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/supervisor.md",
        "---\ntitle: Boss\n---\n\nPrepare the [first meeting](hr.md#first-meting).\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/career/supervisor.md:5:13: no heading `#first-meting` in `HR and leadership development`
     5 | Prepare the [first meeting](hr.md#first-meting).
       |             ^
     hint: did you mean `#first-meeting`?

    1 error found
    ");
}

#[test]
fn a_fragment_far_from_any_heading_lists_the_headings() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/supervisor.md",
        "# Boss\n\n[x](hr.md#salary)\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/career/supervisor.md:3:1: no heading `#salary` in `HR and leadership development`
     3 | [x](hr.md#salary)
       | ^
     hint: headings there: #first-meeting, #follow-up

    1 error found
    ");
}

#[test]
fn a_link_to_a_draft_is_an_error_unless_drafts_are_built() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/wip.md",
        "---\ntitle: WIP\ndraft: true\n---\n\n## Soon\n",
    );
    site.write(
        "content/career/notes.md",
        "# Notes\n\nSee [wip](wip.md#soon).\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/career/notes.md:3:5: link to the draft page `content/career/wip.md`
     3 | See [wip](wip.md#soon).
       |     ^
     hint: build with --drafts, or remove the link until the page is published

    1 error found
    ");
    site.build(&["--drafts"]);
    let found = body_links(&site, "career/notes/index.html");
    assert!(
        found.contains(&"/career/wip/#soon".to_string()),
        "{found:?}"
    );
}

#[test]
fn a_link_out_of_the_handbook_is_an_error() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/notes.md",
        "# Notes\n\n[secret](../../../etc/passwd)\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/career/notes.md:3:1: link `../../../etc/passwd` leaves the handbook folder
     3 | [secret](../../../etc/passwd)
       | ^
     hint: link to files inside the handbook

    1 error found
    ");
}

#[test]
fn external_and_site_absolute_links_are_kept() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/notes.md",
        "# Notes\n\n[a](https://example.com/x) [b](mailto:hr@example.com) [c](/why/)\n",
    );
    site.build(&["--base-url", "https://me.github.io/handbook/"]);
    let found = body_links(&site, "career/notes/index.html");
    for want in [
        "https://example.com/x",
        "mailto:hr@example.com",
        "/handbook/why/",
    ] {
        assert!(found.contains(&want.to_string()), "{want} not in {found:?}");
    }
}

#[test]
fn links_in_headings_and_sections_are_resolved_too() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/notes.md",
        "# Notes\n\n## Read [why](../01-why/_index.md)\n",
    );
    site.build(&[]);
    let found = body_links(&site, "career/notes/index.html");
    assert!(found.contains(&"/why/".to_string()), "{found:?}");
    // The home page (a section) links to a page with a fragment.
    assert!(body_links(&site, "index.html").contains(&"/career/hr/#first-meeting".to_string()));
}

#[test]
fn a_bare_hash_links_to_the_top_of_the_page() {
    let site = Site::fixture("basic");
    site.write("content/career/notes.md", "# Notes\n\n[Back to top](#)\n");
    site.build(&[]);
    assert!(body_links(&site, "career/notes/index.html").contains(&"#".to_string()));
}
