//! The whole handbook as one book (`/book/`, and `rapport print --book`): a cover, a table of
//! contents, then every section and page in reading order, worksheets included. Links between
//! pages become links inside the book, so they work in the PDF too; each top-level section is a
//! named page whose running header carries the section's title.
//!
//! Page numbers in the contents come from a print: `rapport print --book` prints once, reads
//! the page of every chapter back from the PDF and prints again with the numbers (see
//! `print.rs`). In a browser (`/book/`) the contents have no numbers.

use super::packed::Packed;
use super::view::{self, View};
use crate::config::Config;
use crate::content::{ItemRef, Library};
use crate::hash::HashMap;
use serde::Serialize;
use std::sync::Arc;

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
    /// Set when rapport renders the chapters itself, a batch at a time (the built-in
    /// template): what marks the places of the contents' entries and of the chapters.
    slots: Option<Slots>,
}

#[derive(Serialize)]
struct Slots {
    contents: String,
    chapters: String,
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
    /// The home section's chapter, the book's first.
    home: bool,
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

/// How the chapters' HTML reaches the output.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Splice {
    /// In the template's context, for a `book.html` of the site's or theme's own, which may do
    /// anything with it.
    InContext,
    /// For the built-in `book.html`, which prints `c.html | safe` once per chapter. A book
    /// holds every page again (60 MB at 10,000 pages), so it is never held whole, nor copied
    /// into template values: the template renders the frame (cover, contents, the chapters'
    /// titles and worksheets) with a marker where each chapter's HTML goes, and the chapters
    /// are written in as the file is. Nor are all chapters' template values (2 KB each) held
    /// at once: the contents' entries and the chapters are rendered a batch at a time
    /// (`partials/book-contents.html`, `partials/book-chapters.html`).
    AfterRender,
}

/// Where a chapter's HTML goes in the frame when it is spliced in after rendering: `\u{1}7\u{1}`
/// (chapter 7). No control character reaches the frame from the sources (YAML refuses them;
/// Markdown and titles from file names have them replaced), so the frame holds no other;
/// [`render`] counts them all the same.
const MARK: char = '\u{1}';

/// The book, rendered: the template's output (the frame) and what writes each chapter into it.
pub struct Book<'a> {
    frame: String,
    splice: Splice,
    sources: Vec<Source<'a>>,
    targets: HashMap<String, String>,
    numbers: &'a Numbers,
}

/// A chapter's HTML as the page has it, and how it changes in the book.
struct Source<'a> {
    html: &'a str,
    /// Headings one level down (pages and subsections).
    demote: bool,
    /// The page's URL, which relative links start from.
    base: String,
    anchor: String,
    /// The top-level section it is in; `None` for the home section.
    top: Option<usize>,
}

/// Chapters per render of the built-in book's partials: few enough that their template
/// values stay small, enough that rendering costs no more than one loop over them all.
const BATCH: usize = 256;

/// Renders `book.html` for `lib`, with the page `numbers` of a print (empty: none yet).
pub fn render<'a>(
    config: &Config,
    lib: &'a Library,
    tera: &tera::Tera,
    splice: Splice,
    numbers: &'a Numbers,
) -> Result<Book<'a>, tera::Error> {
    let mut book = Book {
        frame: String::new(),
        splice,
        sources: lib.order.iter().map(|&i| source(config, lib, i)).collect(),
        targets: targets(config, lib),
        numbers,
    };
    let frame = match splice {
        Splice::InContext => whole(config, lib, tera, &book)?,
        // Should a character of the sources have made a marker of its own after all, the
        // frame is not cut: the chapters go through the context instead, as for a template
        // of one's own.
        Splice::AfterRender => match batched(config, lib, tera, &book)? {
            Some(frame) => frame,
            None => return render(config, lib, tera, Splice::InContext, numbers),
        },
    };
    book.frame = String::from_utf8(frame).map_err(|e| tera::Error::message(e.to_string()))?;
    Ok(book)
}

/// `book.html` with every chapter in its context.
fn whole(
    config: &Config,
    lib: &Library,
    tera: &tera::Tera,
    book: &Book,
) -> Result<Vec<u8>, tera::Error> {
    let chapters = (0..lib.order.len())
        .map(|n| chapter(config, lib, book, n, true))
        .collect();
    let ctx = context(config, book, chapters, parts(lib), None);
    tera.render("book.html", &ctx).map(String::into_bytes)
}

/// The built-in `book.html` with the contents' entries and the chapters rendered a batch at a
/// time into its slots; `None` if a marker turned up where none was put.
fn batched(
    config: &Config,
    lib: &Library,
    tera: &tera::Tera,
    book: &Book,
) -> Result<Option<Vec<u8>>, tera::Error> {
    let slot = |name: &str| format!("{MARK}{name}{MARK}");
    let slots = Slots {
        contents: slot("contents"),
        chapters: slot("chapters"),
    };
    let (contents, chapters) = (slots.contents.clone(), slots.chapters.clone());
    let shell = tera.render(
        "book.html",
        &context(config, book, Vec::new(), parts(lib), Some(slots)),
    )?;
    let Some((head, rest)) = shell.split_once(&contents) else {
        return Ok(None);
    };
    let Some((middle, tail)) = rest.split_once(&chapters) else {
        return Ok(None);
    };
    if [head, middle, tail].iter().any(|t| t.contains(MARK)) {
        return Ok(None);
    }
    // The frame of a large book is megabytes (an entry in the contents and an article around
    // each chapter): grown by doubling, its last copy held twice that at once. Reserved
    // generously instead: pages of it never written are never resident.
    let mut frame = Vec::with_capacity(shell.len() + (1 << 20) + 2048 * book.sources.len());
    let batches = |template, bodies, frame: &mut Vec<u8>| {
        in_batches(config, lib, tera, book, template, bodies, frame)
    };
    frame.extend_from_slice(head.as_bytes());
    let mut ok = batches("partials/book-contents.html", false, &mut frame)?;
    frame.extend_from_slice(middle.as_bytes());
    ok &= batches("partials/book-chapters.html", true, &mut frame)?;
    frame.extend_from_slice(tail.as_bytes());
    Ok(ok.then_some(frame))
}

/// Renders `template` for every chapter, [`BATCH`] at a time, onto `frame`, with the
/// chapters' bodies or (for the contents' entries) without; false if a batch holds other
/// markers than its chapters'.
fn in_batches(
    config: &Config,
    lib: &Library,
    tera: &tera::Tera,
    book: &Book,
    template: &str,
    bodies: bool,
    frame: &mut Vec<u8>,
) -> Result<bool, tera::Error> {
    let mut start = 0;
    while start < book.sources.len() {
        let end = (start + BATCH).min(book.sources.len());
        let chapters: Vec<Chapter> = (start..end)
            .map(|n| chapter(config, lib, book, n, bodies))
            .collect();
        let marked = chapters.iter().filter(|c| c.html.starts_with(MARK)).count();
        let mut ctx = context(config, book, chapters, Vec::new(), None);
        ctx.insert("in_planner", &false);
        let from = frame.len();
        tera.render_to(template, &ctx, &mut *frame)?;
        if memchr::memchr_iter(MARK as u8, &frame[from..]).count() != 2 * marked {
            return Ok(false);
        }
        start = end;
    }
    Ok(true)
}

/// A piece of the book in writing order: frame text, or chapter `n`'s place.
enum Piece<'b> {
    Frame(&'b str),
    Chapter(usize),
}

impl Book<'_> {
    /// Calls `each` with the frame's text and the chapters' places, in order.
    fn pieces<E>(&self, mut each: impl FnMut(Piece) -> Result<(), E>) -> Result<(), E> {
        let mut rest = self.frame.as_str();
        while let Some((head, tail)) = rest
            .split_once(MARK)
            .filter(|_| self.splice == Splice::AfterRender)
        {
            let (number, tail) = tail.split_once(MARK).unwrap_or((tail, ""));
            each(Piece::Frame(head))?;
            if let Some(n) = number.parse().ok().filter(|n| *n < self.sources.len()) {
                each(Piece::Chapter(n))?;
            }
            rest = tail;
        }
        each(Piece::Frame(rest))
    }

    pub fn splice(&self) -> Splice {
        self.splice
    }

    /// The template's output, with a marker where each spliced chapter goes.
    pub fn frame(&self) -> &str {
        &self.frame
    }

    /// Writes the whole book to `out`.
    pub fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut html = String::new();
        self.pieces(|piece| match piece {
            Piece::Frame(text) => out.write_all(text.as_bytes()),
            Piece::Chapter(n) => {
                html.clear();
                self.chapter_html(&self.sources[n], &mut html);
                out.write_all(html.as_bytes())
            }
        })
    }

    fn chapter_html(&self, s: &Source, out: &mut String) {
        s.html_into(&self.targets, self.numbers, out);
    }
}

/// The book in pieces, for serve: the frame cut where the chapters go, and each chapter's HTML,
/// so that an edited page's chapter can be replaced alone (the frame shows titles only, which an
/// edit of a page's body leaves as they were).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parts {
    /// One more piece than `chapters`.
    frame: Vec<Arc<str>>,
    /// Each chapter's index in `lib.order`, and its HTML.
    /// (Deflated: serve keeps the whole book, 63 MB at 10,000 pages, requested rarely.)
    chapters: Vec<(usize, Packed)>,
    targets: Arc<HashMap<String, String>>,
}

impl Book<'_> {
    /// The book cut into [`Parts`] (a book of a template of one's own is one piece).
    pub fn into_parts(self) -> Parts {
        let mut parts = Parts::default();
        let mut piece = String::new();
        // Collecting into memory cannot fail.
        let Ok(()) = self.pieces(|p| -> Result<(), std::convert::Infallible> {
            match p {
                Piece::Frame(text) => piece.push_str(text),
                Piece::Chapter(n) => {
                    let mut html = String::new();
                    self.chapter_html(&self.sources[n], &mut html);
                    parts.frame.push(std::mem::take(&mut piece).into());
                    parts.chapters.push((n, Packed::new(html.as_bytes())));
                }
            }
            Ok(())
        });
        parts.frame.push(piece.into());
        parts.targets = Arc::new(self.targets);
        parts
    }
}

impl Parts {
    /// The whole book.
    pub fn bytes(&self) -> Vec<u8> {
        let frame: usize = self.frame.iter().map(|p| p.len()).sum();
        let chapters: usize = self.chapters.iter().map(|c| c.1.len()).sum();
        let mut out = Vec::with_capacity(frame + chapters);
        for (i, piece) in self.frame.iter().enumerate() {
            out.extend_from_slice(piece.as_bytes());
            if let Some((_, html)) = self.chapters.get(i) {
                html.inflate_into(&mut out);
            }
        }
        out
    }

    /// Takes the chapters of `items` again from `lib`, whose bodies (not titles) changed.
    pub fn update(&mut self, config: &Config, lib: &Library, items: &[ItemRef]) {
        let numbers = Numbers::default();
        for (n, html) in &mut self.chapters {
            let item = lib.order[*n];
            if items.contains(&item) {
                let source = source(config, lib, item);
                let mut out = String::new();
                source.html_into(&self.targets, &numbers, &mut out);
                *html = Packed::new(out.as_bytes());
            }
        }
    }
}

impl Source<'_> {
    /// The chapter's HTML (see [`into_book`]), appended to `out`.
    fn html_into(&self, targets: &HashMap<String, String>, numbers: &Numbers, out: &mut String) {
        let (demote, base, anchor) = (self.demote, &self.base, &self.anchor);
        into_book(self.html, demote, base, anchor, targets, numbers, out);
    }
}

/// What a chapter of `item` is made from.
fn source<'a>(config: &Config, lib: &'a Library, item: ItemRef) -> Source<'a> {
    let top = top_section(
        lib,
        match item {
            ItemRef::Section(s) => s,
            ItemRef::Page(p) => lib.pages[p].section,
        },
    );
    // A top-level section's chapter starts a part with an `h1`; every other chapter's headings
    // move one level down.
    let (html, demote) = match item {
        ItemRef::Section(s) => {
            let top_level = lib.sections[s].parent.is_some() && top == Some(s);
            (&lib.sections[s].html, !top_level)
        }
        ItemRef::Page(p) => (&lib.pages[p].html, true),
    };
    Source {
        html,
        demote,
        base: config.url(lib.path_of(item)),
        anchor: anchor(lib.path_of(item)),
        top,
    }
}

/// The top-level section that section `s` is in (itself, if it is one); `None` for the home
/// section.
fn top_section(lib: &Library, mut s: usize) -> Option<usize> {
    while let Some(p) = lib.sections[s].parent {
        if lib.sections[p].parent.is_none() {
            return Some(s);
        }
        s = p;
    }
    None
}

/// Every page's and section's URL → its anchor in the book.
fn targets(config: &Config, lib: &Library) -> HashMap<String, String> {
    lib.order
        .iter()
        .map(|&item| {
            let path = lib.path_of(item);
            (config.url(path), anchor(path))
        })
        .collect()
}

/// Chapter `n` of the book; with `body`, its worksheet or the HTML for it (a marker when it
/// is spliced in after rendering), else titles only.
fn chapter<'a>(
    config: &Config,
    lib: &'a Library,
    book: &Book,
    n: usize,
    body: bool,
) -> Chapter<'a> {
    let source = &book.sources[n];
    let (title, description, worksheet) = match lib.order[n] {
        ItemRef::Section(s) => (&lib.sections[s].title, &lib.sections[s].description, None),
        ItemRef::Page(i) => {
            let page = &lib.pages[i];
            let w = lib
                .worksheet(i)
                .filter(|_| body)
                .map(|w| view::view(w, view::place(config, page, w)));
            (&page.title, &page.description, w)
        }
    };
    // The built-in template shows a worksheet's chapter as the worksheet, not its page's HTML.
    let html = match (book.splice, &worksheet) {
        _ if !body => String::new(),
        (Splice::AfterRender, Some(_)) => String::new(),
        (Splice::InContext, _) => {
            let mut html = String::new();
            book.chapter_html(source, &mut html);
            html
        }
        (Splice::AfterRender, None) => format!("{MARK}{n}{MARK}"),
    };
    Chapter {
        anchor: source.anchor.clone(),
        title,
        description,
        level: if source.demote { 2 } else { 1 },
        part: source.top.map_or(String::new(), |s| format!("part-{s}")),
        html,
        worksheet,
        page: book.numbers.get(&source.anchor).copied(),
        home: n == 0,
    }
}

/// The top-level sections, for the named pages and running headers.
fn parts(lib: &Library) -> Vec<Part> {
    let part = |s: usize| Part {
        name: format!("part-{s}"),
        header_css: css_string(&lib.sections[s].title),
    };
    lib.order
        .iter()
        .filter_map(|&item| match item {
            ItemRef::Section(s) if top_section(lib, s) == Some(s) => Some(part(s)),
            _ => None,
        })
        .collect()
}

/// The context of `book.html`, or of a batch of its chapters (no `parts`).
fn context(
    config: &Config,
    book: &Book,
    chapters: Vec<Chapter>,
    parts: Vec<Part>,
    slots: Option<Slots>,
) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert(
        "book",
        &BookView {
            chapters,
            parts,
            date: config.today.format("%-d %B %Y").to_string(),
            numbered: !book.numbers.is_empty(),
            slots,
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

/// A page's HTML as a chapter, in one pass:
/// - with `demote`, `h2`…`h5` become `h3`…`h6`, so a page's own headings nest under its title
///   in the book's outline;
/// - its element ids, and links to them, get the chapter's anchor in front
///   (`book-why-cost--intro`), so that the ids of all pages stay unique in the book;
/// - relative `src` and `href` values start from the page's URL `base` (`/why/cost/`), so
///   images and links beside a page still work from `/book/`;
/// - links to pages of the handbook (`href="/time/rhythm/#blocks"`) become links to their
///   chapter (`href="#book-time-rhythm"`), followed on paper by the chapter's page ("p. 12")
///   once the numbers are known; other links stay.
fn into_book(
    html: &str,
    demote: bool,
    base: &str,
    chapter: &str,
    targets: &HashMap<String, String>,
    numbers: &Numbers,
    out: &mut String,
) {
    out.reserve(html.len() + html.len() / 8);
    let bytes = html.as_bytes();
    // Where the link that gets a page number ends (the position of its `</a>`), and the number.
    let mut pending: Option<(usize, u32)> = None;
    let mut copied = 0;
    let mut value = String::new();
    for at in memchr::memchr2_iter(b'<', b'"', bytes) {
        if at < copied {
            continue;
        }
        let before = &bytes[..at];
        if bytes[at] == b'<' {
            if let Some((close, n)) = pending
                && close == at
            {
                out.push_str(&html[copied..at + 4]);
                out.push_str(&format!(
                    "<span class=\"page-ref print-only\"> (p. {n})</span>"
                ));
                copied = at + 4;
                pending = None;
            } else if let Some(digit) = heading_digit(&bytes[at..]).filter(|_| demote) {
                let digit = at + digit;
                out.push_str(&html[copied..digit]);
                out.push(char::from(bytes[digit] + 1));
                copied = digit + 1;
            }
        } else if before.ends_with(b" id=") {
            out.push_str(&html[copied..=at]);
            out.push_str(chapter);
            out.push_str("--");
            copied = at + 1;
        } else if before.ends_with(b"src=") || before.ends_with(b"href=") {
            let start = at + 1;
            let end = memchr::memchr(b'"', &bytes[start..]).map_or(html.len(), |e| start + e);
            let raw = &html[start..end];
            value.clear();
            let is_href = before.ends_with(b"href=");
            if let Some(fragment) = raw.strip_prefix('#').filter(|_| is_href) {
                value.push('#');
                value.push_str(chapter);
                value.push_str("--");
                value.push_str(fragment);
            } else {
                let relative = !(raw.starts_with('/')
                    || raw.starts_with('#')
                    || raw.is_empty()
                    || raw.contains(':'));
                if relative {
                    value.push_str(base);
                }
                value.push_str(raw);
            }
            out.push_str(&html[copied..start]);
            copied = end;
            let url = value.split('#').next().unwrap_or(&value);
            // Inside a link that gets a page number, further links stay as they are.
            let anchor = targets.get(url).filter(|_| is_href && pending.is_none());
            let Some(a) = anchor else {
                out.push_str(&value);
                continue;
            };
            out.push('#');
            out.push_str(a);
            if let Some(&n) = numbers.get(a) {
                pending = memchr::memmem::find(&bytes[end..], b"</a>").map(|c| (end + c, n));
            }
        }
    }
    out.push_str(&html[copied..]);
}

/// For `<h2`…`<h5` and `</h2>`…`</h5>` at the start of `tag`, the position of the digit.
fn heading_digit(tag: &[u8]) -> Option<usize> {
    let digit = match tag {
        [b'<', b'h', d, ..] => (2, *d),
        [b'<', b'/', b'h', d, b'>', ..] => (3, *d),
        _ => return None,
    };
    (b'2'..=b'5').contains(&digit.1).then_some(digit.0)
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

    fn chapter(html: &str, demote: bool, targets: &[&str], numbers: &Numbers) -> String {
        let targets = targets
            .iter()
            .map(|t| (format!("/{t}"), anchor(t)))
            .collect();
        let mut out = String::new();
        into_book(
            html, demote, "/why/", "book-why", &targets, numbers, &mut out,
        );
        out
    }

    #[test]
    fn links_into_the_handbook_become_chapter_links() {
        let none = Numbers::default();
        assert_eq!(
            chapter(
                r#"<a href="/time/rhythm/#blocks">x</a> <a href="https://a.b/">y</a>"#,
                false,
                &["time/rhythm/"],
                &none
            ),
            r##"<a href="#book-time-rhythm">x</a> <a href="https://a.b/">y</a>"##
        );
        let numbers = Numbers::from_iter([(anchor("time/rhythm/"), 7)]);
        assert_eq!(
            chapter(
                r#"<a href="/time/rhythm/">x <a href="/time/rhythm/">y</a>.</a>"#,
                false,
                &["time/rhythm/"],
                &numbers
            ),
            concat!(
                r##"<a href="#book-time-rhythm">x <a href="/time/rhythm/">y</a>"##,
                r#"<span class="page-ref print-only"> (p. 7)</span>.</a>"#
            ),
            "the number follows the first `</a>`; links before it stay"
        );
        assert_eq!(anchor(""), "book-home");
        assert_eq!(
            chapter(
                r##"<h3 id="f">F</h3><img src="a.png"> <img src="#x"> <a href="https://x.y/">x</a> <a href="#f">f</a> <a href="cost/">c</a>"##,
                false,
                &["why/cost/"],
                &none
            ),
            r##"<h3 id="book-why--f">F</h3><img src="/why/a.png"> <img src="#x"> <a href="https://x.y/">x</a> <a href="#book-why--f">f</a> <a href="#book-why-cost">c</a>"##
        );
    }

    /// A site of more chapters than a batch, with a worksheet, a page number and a link between
    /// pages, loaded with the built-in theme.
    fn large_site() -> (tempfile::TempDir, Config, Library, super::super::Theme) {
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
        for s in 0..3 {
            let index = "# Part\n\n## About\n\nA section.\n".to_string();
            files.push((format!("content/s{s}/_index.md"), index));
            for p in 0..BATCH {
                let text =
                    format!("# Page {p}\n\n## On {p}\n\nSee [the first](../s0/p0.md#on-0).\n");
                files.push((format!("content/s{s}/p{p}.md"), text));
            }
        }
        let checklist = "kind: checklist\ntitle: Habits\nweekly:\n  - text: Call <Ana>\n    when: Tuesday 16:30\n  - Write [notes](p1.md)\nmonthly:\n  - One event\n";
        files.push(("content/s1/checklist.yaml".into(), checklist.into()));
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, t)| (p.as_str(), t.as_str()))
            .collect();
        let (dir, config, lib) = crate::content::load_for_test(&files);
        let mut theme = super::super::Theme::load(&config).unwrap();
        *theme.tera.global_context() = super::super::context::SharedContext::globals(&config, &lib);
        (dir, config, lib, theme)
    }

    #[test]
    fn a_book_rendered_in_batches_is_the_book_rendered_whole() {
        let (_dir, config, lib, theme) = large_site();
        assert!(lib.order.len() > 2 * BATCH);
        let numbers = Numbers::from_iter([(anchor("s0/p0/"), 7)]);
        let write = |splice| {
            let book = render(&config, &lib, &theme.tera, splice, &numbers).unwrap();
            let mut out = Vec::new();
            book.write_to(&mut out).unwrap();
            (book.splice(), String::from_utf8(out).unwrap())
        };
        let (splice, batched) = write(Splice::AfterRender);
        assert_eq!(
            splice,
            Splice::AfterRender,
            "no fallback to the whole render"
        );
        let (_, whole) = write(Splice::InContext);
        assert!(batched.contains("(p. 7)") && batched.contains("worksheet-checklist"));
        assert_eq!(batched.matches("<article ").count(), lib.order.len());
        assert!(batched == whole, "the two books differ");
    }

    #[test]
    fn headings_move_down_and_titles_quote_for_css() {
        let none = Numbers::default();
        let html = "<h2 id=\"a\">A</h2><h3>B</h3><h5>E</h5><h6>F</h6><hr><header>";
        assert_eq!(
            chapter(html, true, &[], &none),
            "<h3 id=\"book-why--a\">A</h3><h4>B</h4><h6>E</h6><h6>F</h6><hr><header>"
        );
        assert_eq!(
            chapter(html, false, &[], &none),
            html.replace("id=\"", "id=\"book-why--")
        );
        assert_eq!(css_string("a \"b\" </style>"), r#""a \"b\" \3c /style>""#);
    }
}
