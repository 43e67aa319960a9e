//! The whole handbook as one book (`/book/`, and `rapport print --book`): a cover, a table of
//! contents, then every section and page in reading order, worksheets included. Links between
//! pages become links inside the book, so they work in the PDF too; each top-level section is a
//! named page whose running header carries the section's title.
//!
//! Page numbers in the contents come from a print: `rapport print --book` prints once, reads
//! the page of every chapter back from the PDF and prints again with the numbers (see
//! `print.rs`). In a browser (`/book/`) the contents have no numbers.

use super::view::{self, View};
use crate::config::Config;
use crate::content::{ItemRef, Library};
use serde::Serialize;
use std::collections::HashMap;

/// The book's URL path below the base path.
pub const PATH: &str = crate::planner::BOOK_PATH;

/// The page each chapter starts on, by anchor (empty: no numbers yet).
pub type Numbers = HashMap<String, u32>;

#[derive(Serialize)]
struct BookView<'a> {
    chapters: Vec<Chapter<'a>>,
    /// Top-level sections, for the named pages and running headers.
    parts: Vec<Part>,
    /// The build date, as `1 December 2026`.
    date: String,
    numbered: bool,
}

#[derive(Serialize)]
struct Part {
    /// `part-3`: the CSS named page.
    name: String,
    /// The running header, quoted for CSS `content:` (`"Time \"and\" you"`).
    header_css: String,
}

#[derive(Serialize)]
struct Chapter<'a> {
    /// The element id: `book-time-weekly-rhythm`.
    anchor: String,
    title: &'a str,
    description: &'a str,
    /// 1 for a top-level section (starts a new sheet), 2 for a page or a subsection.
    level: u8,
    /// The named page of its top-level section (`part-3`), or empty for the home section.
    part: String,
    /// The page's HTML with its headings moved one level down and its links into the book.
    html: String,
    worksheet: Option<View<'a>>,
    /// Its page in the printed book, once known.
    page: Option<u32>,
}

/// The anchor of a page or section with URL path `path` (`time/weekly-rhythm/`).
pub fn anchor(path: &str) -> String {
    let slug: String = path
        .trim_matches('/')
        .chars()
        // ASCII only: the anchors are PDF names too, read back by `rapport print --book`.
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    if slug.is_empty() {
        "book-home".to_string()
    } else {
        format!("book-{slug}")
    }
}

/// The context of `book.html`.
pub fn context(config: &Config, lib: &Library, numbers: &Numbers) -> tera::Context {
    // Every page's and section's URL → its anchor in the book.
    let targets: HashMap<String, String> = lib
        .order
        .iter()
        .map(|&item| {
            let path = lib.path_of(item);
            (config.url(path), anchor(path))
        })
        .collect();
    let top = |mut s: usize| {
        while let Some(p) = lib.sections[s].parent {
            if lib.sections[p].parent.is_none() {
                return Some(s);
            }
            s = p;
        }
        None
    };
    let part_of = |item: ItemRef| match item {
        ItemRef::Section(s) => top(s),
        ItemRef::Page(p) => top(lib.pages[p].section),
    };
    let mut parts = Vec::new();
    let mut chapters = Vec::new();
    for &item in &lib.order {
        let part = part_of(item).map_or(String::new(), |s| format!("part-{s}"));
        let (title, description, html, worksheet, level) = match item {
            ItemRef::Section(s) => {
                let sec = &lib.sections[s];
                let level = if sec.parent.is_some() && top(s) == Some(s) {
                    parts.push(Part {
                        name: part.clone(),
                        header_css: css_string(&sec.title),
                    });
                    1
                } else {
                    2
                };
                (&sec.title, &sec.description, &sec.html, None, level)
            }
            ItemRef::Page(i) => {
                let page = &lib.pages[i];
                let w = lib
                    .worksheet(i)
                    .map(|w| view::view(w, view::place(config, page, w)));
                (&page.title, &page.description, &page.html, w, 2)
            }
        };
        let anchor = anchor(lib.path_of(item));
        let html = into_book(
            &absolute(
                &if level == 1 {
                    html.to_string()
                } else {
                    demote_headings(html)
                },
                &config.url(lib.path_of(item)),
                &anchor,
            ),
            &targets,
            numbers,
        );
        chapters.push(Chapter {
            page: numbers.get(&anchor).copied(),
            anchor,
            title,
            description,
            level,
            part,
            html,
            worksheet,
        });
    }
    let mut ctx = tera::Context::new();
    ctx.insert(
        "book",
        &BookView {
            chapters,
            parts,
            date: config.today.format("%-d %B %Y").to_string(),
            numbered: !numbers.is_empty(),
        },
    );
    ctx.insert("current_path", &config.url(PATH));
    let mut page = tera::Map::new();
    page.insert("title".into(), tera::Value::from("The whole handbook"));
    page.insert(
        "description".into(),
        tera::Value::from("Every page and worksheet of the handbook, in reading order, to print."),
    );
    page.insert("url".into(), tera::Value::from(config.url(PATH)));
    page.insert(
        "permalink".into(),
        tera::Value::from(config.permalink(PATH)),
    );
    ctx.insert_value("page", tera::Value::from(page));
    ctx.insert_value("breadcrumbs", tera::Value::from(Vec::<tera::Value>::new()));
    ctx
}

/// `h2`…`h5` become `h3`…`h6`, so a page's own headings nest under its title in the book's
/// outline.
fn demote_headings(html: &str) -> String {
    let mut out = html.to_string();
    for n in (2..=5).rev() {
        out = out
            .replace(&format!("<h{n}"), &format!("<h{}", n + 1))
            .replace(&format!("</h{n}>"), &format!("</h{}>", n + 1));
    }
    out
}

/// Links to pages of the handbook (`href="/time/rhythm/#blocks"`) become links to their
/// chapter (`href="#book-time-rhythm"`), followed on paper by the chapter's page ("p. 12")
/// once the numbers are known; other links stay.
fn into_book(html: &str, targets: &HashMap<String, String>, numbers: &Numbers) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("href=\"") {
        let (head, tail) = rest.split_at(i + 6);
        out.push_str(head);
        let end = tail.find('"').unwrap_or(tail.len());
        let href = &tail[..end];
        let url = href.split('#').next().unwrap_or(href);
        let Some(a) = targets.get(url) else {
            out.push_str(href);
            rest = &tail[end..];
            continue;
        };
        out.push('#');
        out.push_str(a);
        rest = &tail[end..];
        if let (Some(n), Some(close)) = (numbers.get(a), rest.find("</a>")) {
            out.push_str(&rest[..close + 4]);
            out.push_str(&format!(
                "<span class=\"page-ref print-only\"> (p. {n})</span>"
            ));
            rest = &rest[close + 4..];
        }
    }
    out.push_str(rest);
    out
}

/// Relative `src` and `href` values made absolute from the page's URL `base` (`/why/cost/`), so
/// images and links beside a page still work from `/book/`; the page's element ids, and links
/// to them, get the chapter's anchor in front (`book-why-cost--intro`), so that the ids of
/// all pages stay unique in the book.
fn absolute(html: &str, base: &str, chapter: &str) -> String {
    let html = html.replace(" id=\"", &format!(" id=\"{chapter}--"));
    let html = html.replace("href=\"#", &format!("href=\"#{chapter}--"));
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    loop {
        let next = ["src=\"", "href=\""]
            .iter()
            .filter_map(|a| rest.find(a).map(|i| i + a.len()))
            .min();
        let Some(i) = next else { break };
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        let relative = !(tail.starts_with('/')
            || tail.starts_with('#')
            || tail.starts_with('"')
            || tail[..tail.find('"').unwrap_or(tail.len())].contains(':'));
        if relative {
            out.push_str(base);
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// A CSS string literal for `content:`, safe inside `<style>`.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("\\3c "),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_into_the_handbook_become_chapter_links() {
        let targets = HashMap::from([("/time/rhythm/".to_string(), anchor("time/rhythm/"))]);
        assert_eq!(
            into_book(
                r#"<a href="/time/rhythm/#blocks">x</a> <a href="https://a.b/">y</a>"#,
                &targets,
                &Numbers::new()
            ),
            r##"<a href="#book-time-rhythm">x</a> <a href="https://a.b/">y</a>"##
        );
        let numbers = Numbers::from([(anchor("time/rhythm/"), 7)]);
        assert_eq!(
            into_book(r#"<a href="/time/rhythm/">x</a>."#, &targets, &numbers),
            r##"<a href="#book-time-rhythm">x</a><span class="page-ref print-only"> (p. 7)</span>."##
        );
        assert_eq!(anchor(""), "book-home");
        assert_eq!(
            absolute(
                r##"<h3 id="f">F</h3><img src="a.png"> <a href="https://x.y/">x</a> <a href="#f">f</a>"##,
                "/why/",
                "book-why"
            ),
            r##"<h3 id="book-why--f">F</h3><img src="/why/a.png"> <a href="https://x.y/">x</a> <a href="#book-why--f">f</a>"##
        );
    }

    #[test]
    fn headings_move_down_and_titles_quote_for_css() {
        assert_eq!(
            demote_headings("<h2 id=\"a\">A</h2><h3>B</h3>"),
            "<h3 id=\"a\">A</h3><h4>B</h4>"
        );
        assert_eq!(css_string("a \"b\" </style>"), r#""a \"b\" \3c /style>""#);
    }
}
