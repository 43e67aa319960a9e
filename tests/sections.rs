//! Sections, their order, and the pretty URLs every page and section gets.

mod common;
use common::html::{links, main_part};
use common::{Site, stderr_of};
use insta::assert_snapshot;

/// The titles of a section page's cards, in order.
fn card_titles(html: &str) -> Vec<String> {
    let cards = &html[html.find("<ol class=\"cards\">").expect("cards")..];
    let cards = &cards[..cards.find("</ol>").expect("end of cards")];
    cards
        .split("\">")
        .skip(1)
        .filter_map(|s| s.split_once("</a>").map(|(t, _)| t.to_string()))
        .collect()
}

#[test]
fn every_page_gets_a_pretty_url() {
    let site = Site::fixture("basic");
    site.build(&[]);
    for file in [
        "index.html",
        "why/index.html",
        "why/good-times/index.html",
        "why/weak-ties/index.html",
        "why/cost/index.html",
        "career/index.html",
        "career/hr/index.html",
        "career/boss/index.html",
        "404.html",
    ] {
        assert!(site.output_exists(file), "{file} missing");
    }
}

#[test]
fn order_prefixes_order_but_leave_the_url() {
    let site = Site::fixture("basic");
    site.build(&[]);
    assert!(!site.output_exists("01-why"));
    assert!(!site.output_exists("why/01-good-times"));
    let home = site.output("index.html");
    assert!(links(&home).contains(&"/why/good-times/".to_string()));
}

#[test]
fn items_are_ordered_by_weight_then_file_name() {
    let site = Site::fixture("basic");
    site.build(&[]);
    // 03-cost (weight 1), 01-good-times (weight 2), then 02-weak-ties (no weight).
    assert_eq!(
        card_titles(&site.output("why/index.html")),
        ["What it costs", "Good times and bad", "Weak ties matter"]
    );
    // Without weights, file names decide.
    assert_eq!(
        card_titles(&site.output("career/index.html")),
        ["HR and leadership development", "Your supervisor"]
    );
}

#[test]
fn section_index_gives_title_intro_and_weight() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/_index.md",
        "---\ntitle: \"Career contacts\"\ndescription: \"Who is who\"\nweight: 0\n---\n\nThe people around you.\n",
    );
    site.build(&[]);
    let html = site.output("career/index.html");
    assert!(html.contains("<h1>Career contacts</h1>"), "{html}");
    assert!(html.contains("<p class=\"lead\">Who is who</p>"), "{html}");
    assert!(html.contains("<p>The people around you.</p>"), "{html}");
    // Weight 0 puts it before `01-why` (weight 1) on the home page.
    assert_eq!(
        card_titles(&site.output("index.html")),
        ["Career contacts", "Why network"]
    );
}

#[test]
fn a_folder_without_index_gets_a_title_from_its_name() {
    let site = Site::fixture("basic");
    site.write("content/02-time-blocks/weekly.md", "# Weekly\n");
    site.build(&[]);
    let html = site.output("time-blocks/index.html");
    assert!(html.contains("<h1>Time blocks</h1>"), "{html}");
    assert!(site.output("career/index.html").contains("<h1>Career</h1>"));
}

#[test]
fn section_index_without_title_uses_its_heading() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/_index.md",
        "# People who shape your career\n\nIntro.\n",
    );
    site.build(&[]);
    let html = site.output("career/index.html");
    assert!(
        html.contains("<h1>People who shape your career</h1>"),
        "{html}"
    );
    assert!(html.contains("<p>Intro.</p>"), "{html}");
}

#[test]
fn nested_sections_get_nested_urls_and_breadcrumbs() {
    let site = Site::fixture("basic");
    site.write("content/career/01-inside/mentors.md", "# Mentors\n");
    site.build(&[]);
    let html = site.output("career/inside/mentors/index.html");
    let main = main_part(&html);
    let crumbs = &main[..main.find("</nav>").expect("breadcrumbs")];
    assert_eq!(links(crumbs), ["/", "/career/", "/career/inside/"]);
}

#[test]
fn base_url_flag_prefixes_every_link_with_its_path() {
    let site = Site::fixture("basic");
    site.build(&["--base-url", "https://me.github.io/handbook/"]);
    for file in ["index.html", "why/good-times/index.html", "404.html"] {
        let html = site.output(file);
        for link in links(&html) {
            assert!(
                link.starts_with("/handbook/")
                    || link.starts_with("https://me.github.io/handbook/")
                    || link.starts_with('#'),
                "{file}: {link} ignores the base path"
            );
        }
    }
    // The files themselves stay at the top of the output folder.
    assert!(site.output_exists("why/good-times/index.html"));
}

#[test]
fn slug_replaces_the_file_name_in_the_url() {
    let site = Site::fixture("basic");
    site.build(&[]);
    assert!(site.output_exists("career/boss/index.html"));
    assert!(!site.output_exists("career/supervisor"));
}

#[test]
fn an_invalid_slug_is_an_error_at_its_line() {
    let site = Site::fixture("basic");
    site.write("content/career/x.md", "---\ntitle: X\nslug: a/b\n---\n");
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/career/x.md:3:7: invalid slug `a/b`
     3 | slug: a/b
       |       ^
     hint: a slug is one URL segment: letters, digits, `-`, `_`, `.` or `~`; no spaces, `/`, `?`, `#` or `%`

    1 error found
    ");
}

#[test]
fn two_sources_with_one_url_are_both_named() {
    let site = Site::fixture("basic");
    site.write("content/career/01-hr.md", "# Another HR page\n");
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/career/hr.md: `content/career/01-hr.md` and `content/career/hr.md` both map to the URL `/career/hr/`
     hint: rename one of them or give it a different `slug`

    1 error found
    ");
}

#[test]
fn a_slug_colliding_with_a_folder_is_an_error() {
    let site = Site::fixture("basic");
    site.write("content/x.md", "---\ntitle: X\nslug: career\n---\n");
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/x.md: `content/career` and `content/x.md` both map to the URL `/career/`
     hint: rename one of them or give it a different `slug`

    1 error found
    ");
}

#[test]
fn a_home_page_without_index_takes_the_site_title() {
    let site = Site::fixture("basic");
    site.remove("content/_index.md");
    site.build(&[]);
    let home = site.output("index.html");
    assert!(home.contains("<h1>Test Handbook</h1>"), "{home}");
    let crumbs = site.output("career/index.html");
    assert!(
        crumbs.contains("<li><a href=\"/\">Test Handbook</a></li>"),
        "{crumbs}"
    );
}

#[test]
fn a_missing_content_folder_is_an_error() {
    let site = Site::fixture("basic");
    site.remove("content");
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content: the content folder is missing
     hint: create `content/` with an `_index.md` and some pages

    1 error found
    ");
}

#[test]
fn url_characters_in_file_names_are_left_out_of_urls() {
    let site = Site::fixture("basic");
    site.write("content/career/faq?.md", "# Questions\n");
    site.write("content/career/c#sharp.md", "# C sharp\n");
    site.write("content/career/100%.md", "# All in\n");
    site.write("content/career/my notes.md", "# Notes\n");
    site.write(
        "content/career/links.md",
        "# Links\n\n[q](faq%3F.md) [h](c%23sharp.md) [p](100%25.md) [n](my%20notes.md)\n",
    );
    site.build(&[]);
    for dir in ["faq", "csharp", "100", "my-notes"] {
        assert!(
            site.output_exists(&format!("career/{dir}/index.html")),
            "{dir}"
        );
    }
    let html = site.output("career/links/index.html");
    let hrefs = links(main_part(&html));
    for url in [
        "/career/faq/",
        "/career/csharp/",
        "/career/100/",
        "/career/my-notes/",
    ] {
        assert!(hrefs.iter().any(|h| h == url), "{url} in {hrefs:?}");
    }
}

#[test]
fn a_slug_with_url_characters_is_refused() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/x.md",
        "---\ntitle: X\nslug: \"a b%\"\n---\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @r#"
    error: content/career/x.md:3:7: invalid slug `a b%`
     3 | slug: "a b%"
       |       ^
     hint: a slug is one URL segment: letters, digits, `-`, `_`, `.` or `~`; no spaces, `/`, `?`, `#` or `%`

    1 error found
    "#);
}

/// Names the output cannot hold, each an error at the page's `slug:` naming both origins:
/// a page where a file of rapport's own is (the home page, the 404 page, the output marker),
/// a name longer than file systems allow, and a file beside a page with the page's name.
#[test]
fn output_names_that_cannot_be_written_are_errors_at_the_slug() {
    let site = Site::minimal();
    let long = "a".repeat(300);
    site.write("content/i.md", "---\ntitle: I\nslug: index.html\n---\n");
    site.write("content/n.md", "---\ntitle: N\nslug: 404.html\n---\n");
    site.write(
        "content/m.md",
        "---\ntitle: M\nslug: .rapport-output\n---\n",
    );
    site.write(
        "content/l.md",
        &format!("---\ntitle: L\nslug: {long}\n---\n"),
    );
    site.write("content/a.md", "---\ntitle: A\n---\n");
    site.write("content/a", "a file named like the page");
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/a.md: `a` would be both a file, by `content/a`, and a folder, for `a/index.html` by `content/a.md`
     hint: give the page another `slug`, or rename its file or folder

    error: content/i.md:3:7: `index.html` would be both a file, by `content/_index.md`, and a folder, for `index.html/index.html` by `content/i.md`
     hint: give the page another `slug`, or rename its file or folder

    error: content/l.md:3:7: the output name `aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…` is 300 bytes long, longer than file systems allow (255)
     hint: give it a shorter file name or slug

    error: content/m.md:3:7: `.rapport-output` is the name rapport marks its output folder with
     hint: give it another file name or slug

    error: content/n.md:3:7: `404.html` would be both a file, by the theme's 404 page, and a folder, for `404.html/index.html` by `content/n.md`
     hint: give the page another `slug`, or rename its file or folder

    5 errors found
    ");
    assert!(!site.path("public").exists());
}
