//! `rapport check`: the rendered site's links, unreachable pages, and the external link list.

mod common;

use common::{Site, repo, stderr_of};
use insta::assert_snapshot;

/// `rapport check ARGS` in the site's folder: exit code, stdout, stderr (redacted, whole).
fn check(site: &Site, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["check"];
    all.extend(args);
    let run = site.run(&all);
    let stderr = stderr_of(&run);
    (run.code, run.stdout, stderr)
}

#[test]
fn the_bundled_handbook_checks_clean_under_a_project_path() {
    let site = Site::bare();
    let (code, stdout, stderr) = check(
        &site,
        &[
            "--root",
            repo().to_str().unwrap(),
            "--base-url",
            "https://example.org/handbook/",
        ],
    );
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains(": 0 errors, 0 warnings"),
        "{stdout}{stderr}"
    );
}

#[test]
fn external_links_are_listed_with_their_place_and_do_not_fail() {
    let site = Site::with_files(&[
        (
            "handbook.yaml",
            "title: T\nbase_url: https://example.org/\n",
        ),
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n\nRead [the book](https://example.com/book?x=1&y=2).\n\nMail [me](mailto:me@example.org).\n",
        ),
        ("content/01-a/_index.md", "---\ntitle: A\n---\n"),
        (
            "content/01-a/page.md",
            "# Page\n\nSee <https://rust-lang.org/> and\n[docs](http://docs.example.net/a#b).\n",
        ),
    ]);
    let (code, stdout, stderr) = check(&site, &[]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("External links (listed, not fetched):"),
        "{stdout}"
    );
    let listed: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("  "))
        .map(str::trim)
        .collect();
    assert_eq!(
        listed,
        [
            "content/01-a/page.md:3:5  https://rust-lang.org/",
            "content/01-a/page.md:4:1  http://docs.example.net/a#b",
            "content/_index.md:5:6  https://example.com/book?x=1&y=2",
        ]
    );
    assert!(
        stdout.contains("0 errors, 0 warnings, 3 external links"),
        "{stdout}"
    );
    assert_eq!(stderr, "");
}

#[test]
fn broken_output_links_fail_with_their_place_and_orphans_are_warned_about() {
    let site = Site::with_files(&[
        (
            "handbook.yaml",
            "title: T\nbase_url: https://example.org/hb/\n",
        ),
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n\nA <img src=\"missing.png\" alt=\"\"> and [an absolute link](/nope/),\nand [a good one](/logo.txt).\n",
        ),
        ("static/logo.txt", "logo\n"),
        (
            "static/extra.css",
            "body { background: url(\"fonts/gone.woff2\") }\n",
        ),
        (
            "content/01-a/_index.md",
            "---\ntitle: A\ntemplate: bare.html\n---\n",
        ),
        (
            "content/01-a/secret.md",
            "---\ntitle: Secret\n---\n\n<a href=\"../../#nowhere\">home</a>\n",
        ),
        // A theme override that forgets get_url and hides its section's pages.
        (
            "templates/bare.html",
            "<!doctype html><html><head><link rel=\"stylesheet\" href=\"/extra.css\"></head><body><h1>{{ section.title }}</h1></body></html>",
        ),
    ]);
    let (code, stdout, stderr) = check(&site, &[]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert_snapshot!(stderr, @r#"
    warning: content/01-a/secret.md: `Secret` cannot be reached from the home page: no page links to it
     hint: link to it from another page, or let its section list it (the default theme lists every page of a section)
    error: (output) a/index.html: broken link `/extra.css` from a template: `/extra.css` is outside the site's base path `/hb/`
     hint: in templates, build URLs with `get_url(path="...")` (or `page.url`, `section.url`), so they honour the base path

    error: (output) extra.css: broken link `fonts/gone.woff2` in a static file: no file at `/hb/fonts/gone.woff2` in the output
     hint: a stylesheet's `url()` is relative to the stylesheet; one starting with `/` ignores the base path

    error: content/01-a/secret.md:5:10: broken link `../../#nowhere`: no element with id `nowhere` in `index.html`
     5 | <a href="../../#nowhere">home</a>
       |          ^
     hint: links in HTML are relative to the page's URL; in Markdown, link to the `.md` file or the image beside it instead

    error: content/_index.md:5:13: broken link `missing.png`: no file at `/hb/missing.png` in the output
     5 | A <img src="missing.png" alt=""> and [an absolute link](/nope/),
       |             ^
     hint: links in HTML are relative to the page's URL; in Markdown, link to the `.md` file or the image beside it instead

    error: content/_index.md:5:57: broken link `/hb/nope/`: no file at `/hb/nope/` in the output
     5 | A <img src="missing.png" alt=""> and [an absolute link](/nope/),
       |                                                         ^
     hint: a link starting with `/` is relative to the site's base path: check the file exists in `static/` or the page under `content/`

    5 errors found
    "#);
    assert!(stdout.contains("5 errors, 1 warning"), "{stdout}");
}

#[test]
fn markdown_errors_stop_the_check_like_a_build() {
    let site = Site::with_files(&[
        ("handbook.yaml", "title: T\n"),
        (
            "content/_index.md",
            "Hi ![chart](chart.png) and [x](nope.md).\n",
        ),
    ]);
    let (code, _, stderr) = check(&site, &[]);
    assert_eq!(code, Some(1));
    assert_snapshot!(stderr, @"
    error: content/_index.md:1:4: image to a missing file `chart.png` (looked for `content/chart.png`)
     1 | Hi ![chart](chart.png) and [x](nope.md).
       |    ^
     hint: put the file under `static/` (and link to it relatively) or beside this page

    error: content/_index.md:1:28: link to a missing file `nope.md` (looked for `content/nope.md`)
     1 | Hi ![chart](chart.png) and [x](nope.md).
       |                            ^
     hint: links are relative to this file, as on GitHub: `../section/page.md#heading`

    2 errors found
    ");
}

#[test]
fn a_path_only_base_url_is_a_warning_about_the_sitemap() {
    let site = Site::with_files(&[
        ("handbook.yaml", "title: T\n"),
        ("content/_index.md", "Hi.\n"),
    ]);
    let (code, stdout, stderr) = check(&site, &[]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert_snapshot!(stderr, @"
    warning: handbook.yaml: `base_url` names no host, so no `sitemap.xml` is written and pages have no `og:url`
     hint: set `base_url: https://you.github.io/handbook/`, or build with `--base-url` (the Pages workflow does)
    ");
    let (code, stdout, stderr) = check(&site, &["--base-url", "https://me.github.io/x/"]);
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("0 warnings") && stderr.is_empty(),
        "{stdout}{stderr}"
    );
}

/// Links into the book reach its chapters and the headings inside them (`#book-a-page--intro`);
/// a heading the page does not have is a broken link like any other.
#[test]
fn links_into_the_book_are_checked_against_its_chapters() {
    let site = Site::with_files(&[
        (
            "handbook.yaml",
            "title: T\nbase_url: https://example.org/\n",
        ),
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n\nPrint [the page](/book/#book-a-page--intro), [its chapter](/book/#book-a-page), [the contents](/book/#book-contents) or [nothing](/book/#book-a-page--outro).\n",
        ),
        ("content/01-a/_index.md", "---\ntitle: A\n---\n"),
        (
            "content/01-a/page.md",
            "---\ntitle: Page\n---\n\n## Intro\n\nText.\n",
        ),
    ]);
    let (code, stdout, stderr) = check(&site, &[]);
    assert_eq!(code, Some(1), "{stdout}{stderr}");
    assert_snapshot!(stderr, @"
    error: content/_index.md:5:131: broken link `/book/#book-a-page--outro`: no element with id `book-a-page--outro` in `book/index.html`
     5 | …](/book/#book-a-page), [the contents](/book/#book-contents) or [nothing](/book/#book-a-page--outro).…
       |                                                                           ^
     hint: a link starting with `/` is relative to the site's base path: check the file exists in `static/` or the page under `content/`

    1 error found
    ");
}
