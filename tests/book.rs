//! The handbook as one book: `/book/` in every build, and `rapport print --book` through
//! Chromium into a PDF whose contents name the right pages, read back with poppler and qpdf.

mod common;

use common::{Site, stderr_of};
use insta::assert_snapshot;
use std::path::Path;
use std::process::Command;

/// The text of each page of a PDF (`pdftotext -layout`), from page 1.
fn pages(pdf: &Path) -> Vec<String> {
    let info = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo");
    let n: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count");
    (1..=n)
        .map(|i| {
            let o = Command::new("pdftotext")
                .args(["-layout", "-f", &i.to_string(), "-l", &i.to_string()])
                .arg(pdf)
                .arg("-")
                .output()
                .expect("pdftotext (poppler-utils)");
            String::from_utf8_lossy(&o.stdout).into_owned()
        })
        .collect()
}

/// The bundled handbook's book, built once per test.
fn bundled_book() -> (Site, String) {
    let site = Site::bundled("2026-03-04", &[]);
    let html = site.output("book/index.html");
    (site, html)
}

#[test]
fn the_book_holds_every_page_in_reading_order_with_links_inside_it() {
    let (site, html) = bundled_book();
    // Each chapter once, in the order of the sidebar: section, then its pages.
    let ids: Vec<&str> = html
        .split(r#"<article class="book-chapter"#)
        .skip(1)
        .map(|a| {
            a.split(r#" id=""#)
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(ids.len(), 53 + 7, "{ids:?}");
    let pos = |id: &str| {
        ids.iter()
            .position(|i| *i == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    assert!(pos("book-people") < pos("book-people-stakeholder-map"));
    assert!(pos("book-skills-contact-tracker") < pos("book-time"));
    // The contents link every chapter but the home page.
    for id in &ids[1..] {
        assert!(html.contains(&format!(r##"<a href="#{id}">"##)), "{id}");
    }
    // A link between pages points into the book; links to other sites stay.
    let body = html.split(r#"id="book-home""#).nth(1).unwrap();
    assert!(!body.contains(r#"href="/people/stakeholder-map/""#));
    assert!(body.contains(r##"href="#book-people-stakeholder-map""##));
    // Worksheets are in the book with their tables and the grid.
    assert!(body.contains("stakeholders-table") && body.contains("<svg viewBox"));
    // Each top-level section is a named page with its title as the running header.
    assert!(
        html.contains(r#"@top-center { content: "Who Manages Your Career"; }"#),
        "{html}"
    );
    assert!(site.output_exists("book/index.html"));
}

#[test]
fn a_page_at_the_books_path_is_a_collision() {
    let site = Site::minimal();
    site.write("content/book.md", "---\ntitle: Book\n---\nMine.\n");
    let run = site.build_fails();
    assert_snapshot!(stderr_of(&run), @"
    error: content/book.md: `book/index.html` would be written twice: by the handbook as a book and by `content/book.md`
     hint: give the page another `slug`, or rename its file or folder

    1 error found
    ");
}

#[test]
#[ignore = "needs chromium"]
fn the_printed_book_has_contents_with_the_right_pages_and_an_outline() {
    let site = Site::bare();
    let pdf = site.path("handbook.pdf");
    let run = site.run(&[
        "print",
        "--book",
        "--root",
        common::repo().to_str().unwrap(),
        "--today",
        "2026-03-04",
        "--output",
        pdf.to_str().unwrap(),
    ]);
    let run = run.success();
    assert!(
        run.stdout.starts_with("Printed the handbook ("),
        "{}",
        run.stdout
    );
    let text = pages(&pdf);
    assert!(text.len() > 40, "{} pages", text.len());
    // No blank page; the cover names the handbook; page numbers at the foot from page 2.
    for (i, t) in text.iter().enumerate() {
        assert!(!t.trim().is_empty(), "page {} is blank", i + 1);
    }
    assert!(text[0].contains("The Networking Handbook"));
    for (i, t) in text.iter().enumerate().skip(1) {
        let last = t.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
        assert_eq!(last.trim(), (i + 1).to_string(), "page {}", i + 1);
    }
    // The contents: every entry's number is the first page (after the contents) on which
    // its title stands on a line of its own (the chapter's heading, or the running header).
    let toc_end = text
        .iter()
        .position(|t| t.contains("Own Your Career") && !t.contains("Contents"))
        .unwrap();
    let entries: Vec<(String, usize)> = text[1..toc_end]
        .iter()
        .flat_map(|t| t.lines())
        .filter_map(|l| {
            let (title, n) = l.trim().rsplit_once(' ')?;
            Some((title.trim().to_string(), n.parse().ok()?))
        })
        .collect();
    assert!(entries.len() >= 59, "{entries:?}");
    let mut last = 0;
    for (title, n) in &entries {
        let first = text
            .iter()
            .enumerate()
            .skip(toc_end)
            .find(|(_, t)| t.lines().any(|l| l.trim() == title))
            .map(|(i, _)| i + 1);
        assert_eq!(first, Some(*n), "{title}");
        assert!(*n >= last, "{title}: pages in reading order");
        last = *n;
    }
    // Running headers: a page of the people section carries its name at the top.
    let map = entries
        .iter()
        .find(|(t, _)| t == "Your Stakeholder Map")
        .unwrap()
        .1;
    let top = text[map - 1]
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap();
    assert_eq!(top.trim(), "Who Manages Your Career");
    // The outline (bookmarks) lists every section.
    let o = Command::new("qpdf")
        .args(["--json", "--json-key=outlines"])
        .arg(&pdf)
        .output()
        .expect("qpdf");
    let outline = String::from_utf8_lossy(&o.stdout);
    for section in [
        "Own Your Career",
        "The Core Skills",
        "Making Time for It",
        "Who Manages Your Career",
        "Performance and Visibility",
        "Inside and Outside the Company",
    ] {
        assert!(
            outline.contains(&format!("\"title\": \"{section}\"")),
            "{section}: {outline}"
        );
    }
    // Links between pages are links inside the PDF (named destinations).
    let dests = Command::new("pdfinfo")
        .arg("-dests")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&dests.stdout).contains("book-people-stakeholder-map"));
}

/// The built-in `book.html` gets the chapters spliced into its output; a copy of it in the
/// site's `templates/` gets them in its context like any template of the site's own. Both must
/// write the same book, byte for byte.
#[test]
fn a_site_copy_of_the_book_template_writes_the_same_book() {
    let (_bundled, spliced) = bundled_book();
    let site = Site::bare();
    for entry in walkdir::WalkDir::new(common::repo().join("content")) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(common::repo()).unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            site.write_bytes(rel.to_str().unwrap(), &bytes);
        }
    }
    let config = std::fs::read_to_string(common::repo().join("handbook.yaml")).unwrap();
    site.write("handbook.yaml", &config);
    let builtin = common::repo().join("themes/default/templates/book.html");
    site.write(
        "templates/book.html",
        &std::fs::read_to_string(builtin).unwrap(),
    );
    site.build_on("2026-03-04", &[]);
    let in_context = site.output("book/index.html");
    assert!(spliced.len() > 100_000 && spliced.contains("book-people-stakeholder-map"));
    assert!(in_context == spliced, "the two books differ");
}

/// A control character in a title (from a page's opening heading, or a folder's name) is
/// replaced like any HTML refuses: the book's chapters, spliced in where the template marks
/// them, stay whole and in place.
#[test]
fn control_characters_in_titles_leave_the_book_whole() {
    let site = Site::with_files(&[
        (
            "handbook.yaml",
            "title: T\nbase_url: https://example.org/\n",
        ),
        (
            "content/_index.md",
            "---\ntitle: Home\n---\n\nThe home text.\n",
        ),
        (
            "content/01-a\u{1}b/_index.md",
            "---\ntitle: A\n---\n\nThe section text.\n",
        ),
        (
            "content/01-a\u{1}b/page.md",
            "# Tab\u{1}le \u{85}x\n\nThe page text.\n",
        ),
        (
            "content/01-a\u{1}b/after.md",
            "---\ntitle: After\n---\n\nThe last text.\n",
        ),
    ]);
    site.build(&[]);
    let book = site.output("book/index.html");
    assert!(!book.contains(['\u{1}', '\u{85}']), "{book}");
    assert!(book.contains("Tab\u{FFFD}le \u{FFFD}x"), "{book}");
    let at = |text: &str| book.find(text).unwrap_or_else(|| panic!("{text}: {book}"));
    assert!(at("The home text.") < at("The section text."));
    assert!(at("The section text.") < at("The page text."));
    assert!(at("The section text.") < at("The last text."));
    let tree = site.tree("public");
    let (name, page) = tree
        .iter()
        .find(|(name, _)| name.ends_with("/page/index.html"))
        .expect("the page");
    let page = String::from_utf8_lossy(page);
    assert!(
        page.contains("<title>Tab\u{FFFD}le \u{FFFD}x"),
        "{name}: {page}"
    );
}

/// A site's own `partials/book-chapters.html` (the built-in `book.html` around it) gets each
/// chapter's HTML itself in `c.html`, as a whole `book.html` of its own does, never a marker
/// of the built-in one's.
#[test]
fn a_site_chapter_partial_gets_the_chapters_html() {
    let site = Site::with_files(&[
        (
            "handbook.yaml",
            "title: T\nbase_url: https://example.org/\n",
        ),
        ("content/_index.md", "# Home\n\nThe home text.\n"),
        ("content/a.md", "# A\n\nThe *page* text.\n"),
        (
            "templates/partials/book-chapters.html",
            "{% for c in book.chapters %}<p class=\"mine\">{{ c.html | upper | safe }}</p>{% endfor %}",
        ),
    ]);
    site.build(&[]);
    let book = site.output("book/index.html");
    assert!(!book.contains('\u{1}'), "{book}");
    assert!(book.contains("<p class=\"mine\">"), "{book}");
    assert!(book.contains("THE <EM>PAGE</EM> TEXT."), "{book}");
}

/// The built-in book's chapters are rendered as the file is written: a template failing in a
/// late chapter (here a worksheet partial of the site's own, failing only in the book) fails
/// the build with the template named, after a batch of chapters was written, and the previous
/// output stays as it was.
#[test]
fn a_template_failing_late_in_the_book_fails_the_build_and_keeps_the_old_output() {
    let mut files = vec![
        (
            "handbook.yaml".to_string(),
            "title: T\nbase_url: https://example.org/\n".to_string(),
        ),
        (
            "content/_index.md".into(),
            "# Home\n\nThe home text.\n".into(),
        ),
    ];
    // More chapters than a batch (256) before the worksheet.
    for p in 0..300 {
        files.push((
            format!("content/a/p{p:03}.md"),
            format!("# Page {p}\n\nText.\n"),
        ));
    }
    files.push((
        "content/z/habits.yaml".into(),
        "kind: checklist\ntitle: Habits\nweekly:\n  - Call Ana\n".into(),
    ));
    let files: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let site = Site::with_files(&files);
    site.build(&[]);
    let before = site.tree("public");
    let body = std::fs::read_to_string(
        common::repo().join("themes/default/templates/partials/worksheets/body.html"),
    )
    .unwrap();
    site.write(
        "templates/partials/worksheets/body.html",
        &format!(
            "{{% set p = id_prefix | default(value=\"\") %}}{{% if p == \"book-z-habits--\" %}}{{{{ only_in_the_book }}}}{{% endif %}}{body}"
        ),
    );
    let run = site.run(&["build", "--today", "2030-01-01"]).failure(1);
    // Only the book's chapter fails (its context has `book`), and is reported once.
    assert_snapshot!(stderr_of(&run), @r#"
    error: templates/partials/worksheets/body.html:1:78: Variable `only_in_the_book` is not defined. Available variables: book, breadcrumbs, current_path, in_planner, p, page
     1 | …lt(value="") %}{% if p == "book-z-habits--" %}{{ only_in_the_book }}{% endif %}{#- The body of any w…
       |                                                   ^
     hint: see the theming guide in the README for the variables each template receives

    1 error found
    "#);
    assert_eq!(site.tree("public"), before);
    let mut entries: Vec<String> = std::fs::read_dir(site.path("."))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(entries, ["content", "handbook.yaml", "public", "templates"]);
    // Without the failing template, the book has the worksheet again.
    site.remove("templates/partials/worksheets/body.html");
    site.build(&[]);
    assert!(site.output("book/index.html").contains("Call Ana"));
}
