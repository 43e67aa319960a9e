//! The whole handbook as one book (`/book/`, and `rapport print --book`): a cover, a table of
//! contents, then every section and page in reading order, worksheets included. Links between
//! pages become links inside the book, so they work in the PDF too; each top-level section is a
//! named page whose running header carries the section's title.
//!
//! Page numbers in the contents come from a print: `rapport print --book` prints once, reads
//! the page of every chapter back from the PDF and prints again with the numbers (see
//! `print.rs`). In a browser (`/book/`) the contents have no numbers.

use super::bodies::Bodies;
use super::packed::Packed;
use super::view::{self, View};
use crate::config::Config;
use crate::content::{ItemRef, Library};
use crate::hash::HashMap;
use serde::Serialize;
use std::cell::RefCell;
use std::convert::Infallible;
use std::sync::Arc;

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
    /// are written in as the file is. Nor is the frame held whole, nor all chapters' template
    /// values (2 KB each) at once: the contents' entries and the chapters are rendered a batch
    /// at a time as the file is written (`partials/book-contents.html`,
    /// `partials/book-chapters.html`).
    AfterRender,
}

/// Where a chapter's HTML goes in the frame when it is spliced in after rendering: `\u{1}7\u{1}`
/// (chapter 7). No control character reaches the frame from the sources (YAML refuses them;
/// Markdown and titles from file names have them replaced), so the frame holds no other;
/// [`render`] and the batches count them all the same.
const MARK: char = '\u{1}';

/// The book, rendered as far as it is before writing: the template's output (the frame), or
/// for the built-in template its shell, whose contents and chapters are rendered a batch at a
/// time as the file is written; and what writes each chapter into it.
pub struct Book<'a> {
    config: &'a Config,
    lib: &'a Library,
    tera: &'a tera::Tera,
    bodies: &'a Bodies,
    frame: Frame,
    splice: Splice,
    sources: Vec<Source>,
    targets: HashMap<String, String>,
    numbers: &'a Numbers,
    /// The template error that stopped writing the book, for the caller (see [`Book::failure`]).
    failure: RefCell<Option<tera::Error>>,
}

/// The template's output, before the chapters are written in.
enum Frame {
    /// All of it ([`Splice::InContext`]).
    Whole(String),
    /// The built-in template's output around the places of the contents' entries and of the
    /// chapters, which are rendered as they are written: a frame held whole is a couple of
    /// kilobytes a chapter (31 MB at 50,000 pages).
    Slotted {
        head: String,
        middle: String,
        tail: String,
    },
}

/// What a chapter's `html` holds in the template's context.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Body {
    /// Nothing, nor a worksheet: the contents' entries.
    Titles,
    /// The chapter's HTML, for a template of one's own ([`Splice::InContext`]).
    Whole,
    /// A marker where the chapter's HTML goes; a worksheet's chapter shows the worksheet.
    Marked,
    /// As [`Body::Marked`], with the HTML itself in place of the marker.
    Inline,
}

/// Whose HTML a chapter is, and how it changes in the book.
struct Source {
    item: ItemRef,
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

const CONTENTS: &str = "partials/book-contents.html";
const CHAPTERS: &str = "partials/book-chapters.html";

/// Renders `book.html` for `lib`, with the page `numbers` of a print (empty: none yet), the
/// pages' HTML read from `bodies`. The built-in template's contents and chapters are rendered
/// while the book is written, and a template error there stops the writing: see
/// [`Book::failure`].
pub fn render<'a>(
    config: &'a Config,
    lib: &'a Library,
    tera: &'a tera::Tera,
    bodies: &'a Bodies,
    splice: Splice,
    numbers: &'a Numbers,
) -> Result<Book<'a>, tera::Error> {
    let mut book = Book {
        config,
        lib,
        tera,
        bodies,
        frame: Frame::Whole(String::new()),
        splice,
        sources: lib.order.iter().map(|&i| source(config, lib, i)).collect(),
        targets: targets(config, lib),
        numbers,
        failure: RefCell::new(None),
    };
    book.frame = match splice {
        Splice::InContext => Frame::Whole(whole(&book)?),
        // Should a character of the sources have made a marker of its own after all, the
        // shell is not cut: the chapters go through the context instead, as for a template
        // of one's own.
        Splice::AfterRender => match shell(&book)? {
            Some(frame) => frame,
            None => return render(config, lib, tera, bodies, Splice::InContext, numbers),
        },
    };
    Ok(book)
}

/// `book.html` with every chapter in its context.
fn whole(book: &Book) -> Result<String, tera::Error> {
    let chapters = (0..book.sources.len())
        .map(|n| chapter(book, n, Body::Whole))
        .collect();
    let ctx = context(book, chapters, parts(book.lib), None);
    book.tera.render("book.html", &ctx)
}

/// The built-in `book.html` cut at its slots; `None` if a marker turned up where none was put.
fn shell(book: &Book) -> Result<Option<Frame>, tera::Error> {
    let slot = |name: &str| format!("{MARK}{name}{MARK}");
    let slots = Slots {
        contents: slot("contents"),
        chapters: slot("chapters"),
    };
    let (contents, chapters) = (slots.contents.clone(), slots.chapters.clone());
    let ctx = context(book, Vec::new(), parts(book.lib), Some(slots));
    let shell = book.tera.render("book.html", &ctx)?;
    let Some((head, rest)) = shell.split_once(&contents) else {
        return Ok(None);
    };
    let Some((middle, tail)) = rest.split_once(&chapters) else {
        return Ok(None);
    };
    if [head, middle, tail].iter().any(|t| t.contains(MARK)) {
        return Ok(None);
    }
    Ok(Some(Frame::Slotted {
        head: head.to_string(),
        middle: middle.to_string(),
        tail: tail.to_string(),
    }))
}

/// A piece of the book in writing order: frame text, or chapter `n`'s place.
enum Piece<'b> {
    Frame(&'b str),
    Chapter(usize),
}

/// Why the pieces stopped: the receiver's error, or a template's.
enum Stop<E> {
    Out(E),
    Template(tera::Error),
}

impl Book<'_> {
    /// Calls `each` with the frame's text and the chapters' places, in order, rendering the
    /// built-in template's contents and chapters a batch at a time on the way.
    fn pieces<E>(&self, mut each: impl FnMut(Piece) -> Result<(), E>) -> Result<(), Stop<E>> {
        let (head, middle, tail) = match &self.frame {
            Frame::Whole(text) => {
                each(Piece::Frame(text)).map_err(Stop::Out)?;
                self.written(0..self.sources.len());
                return Ok(());
            }
            Frame::Slotted { head, middle, tail } => (head, middle, tail),
        };
        let mut out = |piece: Piece<'_>| each(piece).map_err(Stop::Out);
        let mut batch = Vec::new();
        out(Piece::Frame(head))?;
        for start in (0..self.sources.len()).step_by(BATCH) {
            self.batch(CONTENTS, start, Body::Titles, &mut batch)?;
            out(Piece::Frame(utf8(&batch)?))?;
        }
        out(Piece::Frame(middle))?;
        for start in (0..self.sources.len()).step_by(BATCH) {
            let body = self.batch(CHAPTERS, start, Body::Marked, &mut batch)?;
            let text = utf8(&batch)?;
            if body == Body::Marked {
                self.split(text, &mut out)?;
            } else {
                out(Piece::Frame(text))?;
            }
            self.written(start..(start + BATCH).min(self.sources.len()));
        }
        out(Piece::Frame(tail))
    }

    /// Lets the pages of chapters `chapters`, written, know that the book is done with them.
    fn written(&self, chapters: std::ops::Range<usize>) {
        for source in &self.sources[chapters] {
            if let ItemRef::Page(p) = source.item {
                self.bodies.release(p);
            }
        }
    }

    /// Renders `template` for the chapters from `start` on, a batch of them, into `out`, their
    /// bodies as `body` says. Chapters marked for their HTML whose output holds other markers
    /// than theirs are rendered again with their HTML inline; returns what they hold.
    fn batch<E>(
        &self,
        template: &str,
        start: usize,
        body: Body,
        out: &mut Vec<u8>,
    ) -> Result<Body, Stop<E>> {
        let render = |body, out: &mut Vec<u8>| {
            let end = (start + BATCH).min(self.sources.len());
            let chapters: Vec<Chapter> = (start..end).map(|n| chapter(self, n, body)).collect();
            let marked = chapters.iter().filter(|c| c.html.starts_with(MARK)).count();
            let mut ctx = context(self, chapters, Vec::new(), None);
            ctx.insert("in_planner", &false);
            out.clear();
            self.tera.render_to(template, &ctx, &mut *out)?;
            Ok(memchr::memchr_iter(MARK as u8, out).count() == 2 * marked)
        };
        match render(body, out) {
            Ok(true) => Ok(body),
            Ok(false) if body == Body::Marked => match render(Body::Inline, out) {
                Ok(_) => Ok(Body::Inline),
                Err(e) => Err(Stop::Template(e)),
            },
            Ok(false) => Ok(body),
            Err(e) => Err(Stop::Template(e)),
        }
    }

    /// Calls `each` with the pieces of a rendered batch: its text, cut where chapters go.
    fn split<E>(&self, text: &str, each: &mut impl FnMut(Piece) -> Result<(), E>) -> Result<(), E> {
        let mut rest = text;
        while let Some((head, tail)) = rest.split_once(MARK) {
            let (number, tail) = tail.split_once(MARK).unwrap_or((tail, ""));
            each(Piece::Frame(head))?;
            if let Some(n) = number.parse().ok().filter(|n| *n < self.sources.len()) {
                each(Piece::Chapter(n))?;
            }
            rest = tail;
        }
        each(Piece::Frame(rest))
    }

    /// Takes the template error that stopped [`Book::write_to`] (or a sink's
    /// [`super::Sink::write_book`]), if one did. Whoever writes the book asks.
    pub fn failure(&self) -> Option<tera::Error> {
        self.failure.take()
    }

    /// Keeps a template error for [`Book::failure`]; gives back the receiver's.
    fn kept<E>(&self, stop: Stop<E>) -> Option<E> {
        match stop {
            Stop::Out(e) => Some(e),
            Stop::Template(e) => {
                self.failure.replace(Some(e));
                None
            }
        }
    }

    pub fn splice(&self) -> Splice {
        self.splice
    }

    /// The template's output without the chapters' HTML, or `None` when a template failed
    /// (see [`Book::failure`]).
    pub fn frame_text(&self) -> Option<String> {
        let mut frame = String::new();
        let collected = self.pieces(|piece| -> Result<(), Infallible> {
            if let Piece::Frame(text) = piece {
                frame.push_str(text);
            }
            Ok(())
        });
        match collected {
            Ok(()) => Some(frame),
            Err(stop) => self.kept(stop).and(None),
        }
    }

    /// Writes the whole book to `out`. A template error stops it with an error of its own
    /// kind; [`Book::failure`] then gives the template's.
    pub fn write_to(&self, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        let mut html = String::new();
        let written = self.pieces(|piece| match piece {
            Piece::Frame(text) => out.write_all(text.as_bytes()),
            Piece::Chapter(n) => {
                html.clear();
                self.chapter_html(&self.sources[n], &mut html);
                out.write_all(html.as_bytes())
            }
        });
        written.map_err(|stop| {
            let failed = || std::io::Error::other("a template of the book failed");
            self.kept(stop).unwrap_or_else(failed)
        })
    }

    fn chapter_html(&self, s: &Source, out: &mut String) {
        let (lib, targets, numbers) = (self.lib, &self.targets, self.numbers);
        match s.item {
            ItemRef::Section(_) => s.html_into(lib.html_of(s.item), targets, numbers, out),
            ItemRef::Page(i) => {
                let into = |html: &str| s.html_into(html, targets, numbers, out);
                self.bodies.read(lib, i, into);
            }
        }
    }
}

/// A batch's output as text (Tera renders only text).
fn utf8<E>(bytes: &[u8]) -> Result<&str, Stop<E>> {
    std::str::from_utf8(bytes).map_err(|e| Stop::Template(tera::Error::message(e.to_string())))
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
    /// The book cut into [`Parts`] (a book of a template of one's own is one piece), or `None`
    /// when a template failed (see [`Book::failure`]).
    pub fn to_parts(&self) -> Option<Parts> {
        let mut parts = Parts::default();
        let mut piece = String::new();
        let collected = self.pieces(|p| -> Result<(), Infallible> {
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
        if let Err(stop) = collected {
            return self.kept(stop).and(None);
        }
        parts.frame.push(piece.into());
        parts.targets = Arc::new(self.targets.clone());
        Some(parts)
    }
}

impl Parts {
    /// The frame's pieces, one more than the chapters: piece `i` comes before chapter `i`.
    pub fn frame(&self) -> &[Arc<str>] {
        &self.frame
    }

    /// Chapter `i`'s HTML, deflated.
    pub fn chapter(&self, i: usize) -> Option<&Packed> {
        self.chapters.get(i).map(|c| &c.1)
    }

    /// The length of the whole book.
    pub fn len(&self) -> usize {
        let frame: usize = self.frame.iter().map(|p| p.len()).sum();
        frame + self.chapters.iter().map(|c| c.1.len()).sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The whole book.
    pub fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len());
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
                source.html_into(lib.html_of(item), &self.targets, &numbers, &mut out);
                *html = Packed::new(out.as_bytes());
            }
        }
    }
}

impl Source {
    /// The chapter's HTML made from its page's `html` (see [`into_book`]), appended to `out`.
    fn html_into(
        &self,
        html: &str,
        targets: &HashMap<String, String>,
        numbers: &Numbers,
        out: &mut String,
    ) {
        let (demote, base, anchor) = (self.demote, &self.base, &self.anchor);
        into_book(html, demote, base, anchor, targets, numbers, out);
    }
}

/// What a chapter of `item` is made from.
fn source(config: &Config, lib: &Library, item: ItemRef) -> Source {
    let top = top_section(
        lib,
        match item {
            ItemRef::Section(s) => s,
            ItemRef::Page(p) => lib.pages[p].section,
        },
    );
    // A top-level section's chapter starts a part with an `h1`; every other chapter's headings
    // move one level down.
    let demote = match item {
        ItemRef::Section(s) => !(lib.sections[s].parent.is_some() && top == Some(s)),
        ItemRef::Page(_) => true,
    };
    Source {
        item,
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

/// Chapter `n` of the book, its body as `body` says.
fn chapter<'a>(book: &Book<'a>, n: usize, body: Body) -> Chapter<'a> {
    let (config, lib) = (book.config, book.lib);
    let source = &book.sources[n];
    let (title, description, worksheet) = match source.item {
        ItemRef::Section(s) => (&lib.sections[s].title, &lib.sections[s].description, None),
        ItemRef::Page(i) => {
            let page = &lib.pages[i];
            let w = lib
                .worksheet(i)
                .filter(|_| body != Body::Titles)
                .map(|w| view::view(w, view::place(config, page, w)));
            (&page.title, &page.description, w)
        }
    };
    // The built-in template shows a worksheet's chapter as the worksheet, not its page's HTML.
    let html = match (body, &worksheet) {
        (Body::Titles, _) | (Body::Marked | Body::Inline, Some(_)) => String::new(),
        (Body::Marked, None) => format!("{MARK}{n}{MARK}"),
        (Body::Whole | Body::Inline, _) => {
            let mut html = String::new();
            book.chapter_html(source, &mut html);
            html
        }
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
    book: &Book,
    chapters: Vec<Chapter>,
    parts: Vec<Part>,
    slots: Option<Slots>,
) -> tera::Context {
    let config = book.config;
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
    ctx.insert("current_path", &config.url(crate::plan::BOOK));
    let mut page = tera::Map::new();
    page.insert("title".into(), tera::Value::from("The whole handbook"));
    page.insert(
        "description".into(),
        tera::Value::from("Every page and worksheet of the handbook, in reading order, to print."),
    );
    page.insert(
        "url".into(),
        tera::Value::from(config.url(crate::plan::BOOK)),
    );
    page.insert(
        "permalink".into(),
        tera::Value::from(config.permalink(crate::plan::BOOK)),
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

    /// The book `write_to` writes, and whether it was rendered as `splice` asked.
    fn written(
        config: &Config,
        lib: &Library,
        theme: &super::super::Theme,
        bodies: &Bodies,
        splice: Splice,
        numbers: &Numbers,
    ) -> (Splice, String) {
        let book = render(config, lib, &theme.tera, bodies, splice, numbers).unwrap();
        let mut out = Vec::new();
        book.write_to(&mut out).unwrap();
        (book.splice(), String::from_utf8(out).unwrap())
    }

    /// Rendered a batch at a time (the library's HTML read in place, or moved out of it as a
    /// build does) or whole, the book is the same.
    #[test]
    fn a_book_rendered_in_batches_is_the_book_rendered_whole() {
        let (_dir, config, mut lib, theme) = large_site();
        assert!(lib.order.len() > 2 * BATCH);
        let numbers = Numbers::from_iter([(anchor("s0/p0/"), 7)]);
        let kept = &super::super::bodies::KEPT;
        let (splice, batched) = written(&config, &lib, &theme, kept, Splice::AfterRender, &numbers);
        assert_eq!(
            splice,
            Splice::AfterRender,
            "no fallback to the whole render"
        );
        let (_, whole) = written(&config, &lib, &theme, kept, Splice::InContext, &numbers);
        assert!(batched.contains("(p. 7)") && batched.contains("worksheet-checklist"));
        assert_eq!(batched.matches("<article ").count(), lib.order.len());
        assert!(batched == whole, "the two books differ");
        let moved = Bodies::released(&mut lib);
        let (_, from_moved) = written(&config, &lib, &theme, &moved, Splice::AfterRender, &numbers);
        assert!(from_moved == batched, "the book of a build differs");
    }

    /// A marker that did not come from rapport (a control character no source can hold, put
    /// into a title here) makes its batch of chapters render with their HTML inline: the book
    /// is the same as rendered whole.
    #[test]
    fn a_stray_marker_renders_its_batch_inline() {
        let (_dir, config, mut lib, theme) = large_site();
        let page = lib.pages.iter().position(|p| p.title == "Page 9").unwrap();
        lib.pages[page].title.push_str(" \u{1}3\u{1}");
        let numbers = Numbers::default();
        let kept = &super::super::bodies::KEPT;
        let (splice, batched) = written(&config, &lib, &theme, kept, Splice::AfterRender, &numbers);
        assert_eq!(splice, Splice::AfterRender, "only the batch is inline");
        let (_, whole) = written(&config, &lib, &theme, kept, Splice::InContext, &numbers);
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
