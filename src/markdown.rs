//! Markdown to HTML: heading ids with self-links, a table of contents, GitHub alerts, and link
//! rewriting through a caller-supplied resolver (so this module knows nothing of the site).

use crate::hash::HashMap;
use pulldown_cmark::{
    BlockQuoteKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html,
};
use serde::Serialize;

/// One entry of a page's table of contents.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// The result of rendering one Markdown document.
#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Every heading id in the document, for checking `#fragment` links.
    pub ids: Vec<String>,
    /// The text of the first level-1 heading, if any.
    pub first_h1: Option<String>,
    /// Plain text of the document (for search and descriptions), whitespace not normalised.
    pub text: String,
    pub word_count: usize,
}

/// Where a link or image points, as written.
pub struct LinkSite<'a> {
    pub dest: &'a str,
    /// Byte offset of the link in the Markdown source.
    pub offset: usize,
    pub is_image: bool,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Every link and image destination in `source`, as written (reference links resolved).
pub fn link_dests(source: &str) -> Vec<String> {
    Parser::new_ext(source, options())
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.into_string())
            }
            _ => None,
        })
        .collect()
}

/// Renders `source`. `resolve` sees every link and image destination and returns a replacement
/// URL, or `None` to keep it as written. With `strip_leading_h1`, a level-1 heading that opens
/// the document is left out of the HTML (the template shows the title itself).
pub fn render(
    source: &str,
    strip_leading_h1: bool,
    resolve: &mut dyn FnMut(LinkSite) -> Option<String>,
) -> Rendered {
    // CommonMark replaces NUL with U+FFFD, and HTML allows no other control character but
    // white space; pulldown-cmark passes them through. The replacement has the same length in
    // characters, so columns of later diagnostics stay right.
    let replaced;
    let source = if has_control(source) {
        replaced = replace_controls(source);
        replaced.as_str()
    } else {
        source
    };
    let mut out = Rendered::default();
    // One event per 16 bytes of prose on average, up to one per 10 (the 2,000-page corpus):
    // room for one per 8, as growing the vector copies it whole. Text is nearly as long as
    // the source.
    let mut events: Vec<Event> = Vec::with_capacity(source.len() / 8);
    out.text.reserve(source.len());
    let mut used_ids: HashMap<String, usize> = HashMap::default();
    let mut headings: Vec<(u8, String, String)> = Vec::with_capacity(8);
    out.ids.reserve(8);
    let mut heading: Option<HeadingBuf> = None;
    let mut first_block = true;
    let mut footnotes = Footnotes::default();
    let mut task: Option<Task> = None;

    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        if let Some(h) = heading.as_mut() {
            match event {
                Event::End(TagEnd::Heading(_)) => {
                    let h = heading.take().unwrap_or_default();
                    let level = h.level;
                    let title = h.text.trim().to_string();
                    if level == 1 && out.first_h1.is_none() {
                        out.first_h1 = Some(title.clone());
                        if strip_leading_h1 && h.was_first {
                            continue;
                        }
                    }
                    let id = unique_id(h.id.unwrap_or_else(|| slugify(&title)), &mut used_ids);
                    let html = heading_html(level, &id, &h.classes, h.events, &title);
                    events.push(Event::Html(CowStr::from(html)));
                    out.ids.push(id.clone());
                    headings.push((level, id, title));
                    push_text(&mut out.text, "\n");
                }
                Event::Text(ref t) | Event::Code(ref t) => {
                    h.text.push_str(t);
                    push_text(&mut out.text, t);
                    h.events.push(event);
                }
                Event::Start(Tag::Link { .. }) | Event::Start(Tag::Image { .. }) => {
                    h.events.push(rewrite_link(event, range.start, resolve));
                }
                other => h.events.push(other),
            }
            continue;
        }
        let was_first = first_block;
        if matches!(event, Event::Start(_)) {
            first_block = false;
        }
        if matches!(
            event,
            Event::End(TagEnd::Paragraph | TagEnd::Item) | Event::Start(Tag::List(_))
        ) && let Some(t) = task.take()
        {
            events[t.at] = Event::Html(CowStr::from(t.html()));
        }
        match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                heading = Some(HeadingBuf {
                    level: heading_level(level),
                    id: id.map(|s| s.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    was_first,
                    text: String::with_capacity(64),
                    events: Vec::with_capacity(4),
                });
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = alert(kind);
                events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"alert alert-{class}\" role=\"note\">\n<p class=\"alert-title\">{label}</p>\n"
                ))));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                push_text(&mut out.text, " ");
                events.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            // Footnote ids get a prefix so that they never clash with heading ids, and each
            // definition links back to where it was first referenced.
            Event::FootnoteReference(label) => {
                events.push(Event::Html(CowStr::from(
                    footnotes.reference(&label, &mut used_ids),
                )));
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let (html, id) = footnotes.definition(&label, &mut used_ids);
                out.ids.push(id);
                events.push(Event::Html(CowStr::from(html)));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                push_text(&mut out.text, " ");
                events.push(Event::Html(CowStr::from(footnotes.end_definition())));
            }
            // Wide tables scroll sideways on narrow screens instead of squeezing their cells;
            // the wrapper is focusable so keyboard users can scroll it too.
            Event::Start(Tag::Table(_)) => {
                events.push(Event::Html(CowStr::Borrowed(
                    "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table\">\n",
                )));
                events.push(event);
            }
            Event::End(TagEnd::Table) => {
                events.push(event);
                events.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            Event::Start(Tag::Link { .. }) | Event::Start(Tag::Image { .. }) => {
                events.push(rewrite_link(event, range.start, resolve));
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                push_text(&mut out.text, t);
                if let Some(task) = task.as_mut() {
                    task.label.push_str(t);
                }
                events.push(event);
            }
            // A task list's check box is named by its item's text (until the item's first
            // paragraph or nested list ends): an unnamed check box is an accessibility error.
            Event::TaskListMarker(checked) => {
                task = Some(Task {
                    at: events.len(),
                    label: String::new(),
                    checked,
                });
                events.push(Event::Html(CowStr::Borrowed("")));
            }
            // Words on either side of a line break or a block boundary stay apart in the text.
            Event::SoftBreak | Event::HardBreak => {
                push_text(&mut out.text, " ");
                if let Some(task) = task.as_mut() {
                    task.label.push(' ');
                }
                events.push(event);
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::TableHead
                | TagEnd::TableRow
                | TagEnd::CodeBlock
                | TagEnd::HtmlBlock
                | TagEnd::List(_)
                | TagEnd::BlockQuote(None)
                | TagEnd::DefinitionListTitle
                | TagEnd::DefinitionListDefinition,
            ) => {
                push_text(&mut out.text, " ");
                events.push(event);
            }
            other => events.push(other),
        }
    }
    out.html.reserve(source.len() * 3 / 2);
    html::push_html(&mut out.html, events.into_iter());
    out.toc = build_toc(&headings);
    out.word_count = word_count(&out.text);
    out
}

/// Footnote numbering as pulldown-cmark does it (by first mention, reference or definition),
/// with ids `fn-N` / `fnref-N` made unique against the document's heading ids: a footnote's ids
/// are fixed at its first mention, and headings after it are deduplicated against them.
#[derive(Default)]
struct Footnotes {
    /// label → (number, definition id, first reference id)
    known: HashMap<String, (usize, String, String)>,
    referenced: std::collections::HashSet<String>,
    open: Option<String>,
}

impl Footnotes {
    fn ids(&mut self, label: &str, used: &mut HashMap<String, usize>) -> (usize, String, String) {
        if let Some(known) = self.known.get(label) {
            return known.clone();
        }
        let n = self.known.len() + 1;
        let def = unique_id(format!("fn-{n}"), used);
        let back = unique_id(format!("fnref-{n}"), used);
        self.known
            .insert(label.to_string(), (n, def.clone(), back.clone()));
        (n, def, back)
    }

    fn reference(&mut self, label: &str, used: &mut HashMap<String, usize>) -> String {
        let (n, def, back) = self.ids(label, used);
        // Only the first reference carries the id the definition links back to.
        let id = if self.referenced.insert(label.to_string()) {
            format!(" id=\"{}\"", escape(&back))
        } else {
            String::new()
        };
        format!(
            "<sup class=\"footnote-reference\"{id}><a href=\"#{}\">{n}</a></sup>",
            escape(&def)
        )
    }

    /// The opening HTML of a definition, and its id.
    fn definition(&mut self, label: &str, used: &mut HashMap<String, usize>) -> (String, String) {
        let (n, def, _) = self.ids(label, used);
        self.open = Some(label.to_string());
        let html = format!(
            "<div class=\"footnote-definition\" id=\"{}\"><sup class=\"footnote-definition-label\">{n}</sup>\n",
            escape(&def)
        );
        (html, def)
    }

    fn end_definition(&mut self) -> String {
        let back = self
            .open
            .take()
            .filter(|label| self.referenced.contains(label))
            .and_then(|label| self.known.get(&label).map(|k| k.2.clone()));
        match back {
            Some(back) => format!(
                "<a class=\"footnote-backref\" href=\"#{}\" aria-label=\"Back to the text\">↩</a></div>\n",
                escape(&back)
            ),
            None => "</div>\n".to_string(),
        }
    }
}

/// A task list item's check box, written once its label (the item's text) is known.
struct Task {
    /// Its place in the event list.
    at: usize,
    label: String,
    checked: bool,
}

impl Task {
    fn html(&self) -> String {
        format!(
            "<input type=\"checkbox\" disabled{} aria-label=\"{}\">\n",
            if self.checked { " checked" } else { "" },
            match self.label.split_whitespace().collect::<Vec<_>>().join(" ") {
                label if label.is_empty() => "Task".to_string(),
                label => escape(&label),
            }
        )
    }
}

#[derive(Default)]
struct HeadingBuf<'a> {
    level: u8,
    id: Option<String>,
    classes: Vec<String>,
    text: String,
    events: Vec<Event<'a>>,
    was_first: bool,
}

fn rewrite_link<'a>(
    mut event: Event<'a>,
    offset: usize,
    resolve: &mut dyn FnMut(LinkSite) -> Option<String>,
) -> Event<'a> {
    let (dest_url, is_image) = match &mut event {
        Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
        Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
        _ => return event,
    };
    let site = LinkSite {
        dest: dest_url,
        offset,
        is_image,
    };
    if let Some(new) = resolve(site) {
        *dest_url = CowStr::from(new);
    }
    event
}

/// A control character HTML does not allow in text: C0 but tab, line feed, form feed and
/// carriage return; DEL; C1.
pub fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\u{c}' | '\r')
}

/// `text` with every [`is_forbidden_control`] character replaced by U+FFFD.
pub fn replace_controls(text: &str) -> String {
    text.chars()
        .map(|c| {
            if is_forbidden_control(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

/// A heading with its id, classes and self-link: `<h2 id="x">Title<a …>#</a></h2>`. Pushed
/// piece by piece, as every page has several.
fn heading_html(
    level: u8,
    id: &str,
    classes: &[String],
    events: Vec<Event>,
    title: &str,
) -> String {
    let digit = char::from(b'0' + level);
    let id = escape(id);
    let mut out = String::with_capacity(160 + 2 * id.len() + 3 * title.len());
    out.push_str("<h");
    out.push(digit);
    out.push_str(" id=\"");
    out.push_str(&id);
    out.push('"');
    if !classes.is_empty() {
        out.push_str(" class=\"");
        out.push_str(&escape(&classes.join(" ")));
        out.push('"');
    }
    out.push('>');
    html::push_html(&mut out, events.into_iter());
    out.push_str("<a class=\"heading-anchor\" href=\"#");
    out.push_str(&id);
    out.push_str("\" aria-label=\"Link to “");
    out.push_str(&escape(title));
    out.push_str("”\">#</a></h");
    out.push(digit);
    out.push_str(">\n");
    out
}

/// Whether `text` holds a character [`replace_controls`] replaces. Checked for every page, so
/// by bytes in blocks the compiler vectorises: C0 and DEL, then C1 (`C2 80`…`C2 9F` in UTF-8).
fn has_control(text: &str) -> bool {
    // Comparisons joined without short circuits, so that each is one vector instruction.
    let white = |b: u8| (b == b'\t') | (b == b'\n') | (b == 0x0c) | (b == b'\r');
    let bad = |b: u8| ((b < 0x20) & !white(b)) | (b == 0x7f);
    let bytes = text.as_bytes();
    let c0 = bytes
        .chunks(64)
        .any(|block| block.iter().fold(false, |acc, &b| acc | bad(b)));
    c0 || memchr::memchr_iter(0xc2, bytes)
        .any(|i| bytes.get(i + 1).is_some_and(|b| (0x80..=0x9f).contains(b)))
}

/// The words of `text` (runs of bytes other than ASCII white space), as
/// `split_ascii_whitespace` counts them: the starts of runs, counted a block of byte pairs at a
/// time with comparisons the compiler vectorises.
fn word_count(text: &str) -> usize {
    let ws = |b: u8| (b == b' ') | (b == b'\t') | (b == b'\n') | (b == 0x0c) | (b == b'\r');
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return 0;
    };
    let starts = |a: &[u8], b: &[u8]| {
        let pairs = a.iter().zip(b);
        pairs.fold(0u8, |n, (&x, &y)| n + u8::from(ws(x) & !ws(y)))
    };
    let (left, right) = (&bytes[..bytes.len() - 1], &bytes[1..]);
    let blocks = left.chunks(128).zip(right.chunks(128));
    let counted: usize = blocks.map(|(a, b)| usize::from(starts(a, b))).sum();
    counted + usize::from(!ws(first))
}

fn push_text(buf: &mut String, t: &str) {
    buf.push_str(t);
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    }
}

/// GitHub's heading ids: lower case, punctuation dropped, spaces become hyphens.
pub fn slugify(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            s.push(c.to_ascii_lowercase());
        } else if c == ' ' {
            s.push('-');
        } else if !c.is_ascii() && c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        }
    }
    if s.is_empty() {
        "section".to_string()
    } else {
        s
    }
}

/// Whether `id` is what [`slugify`] makes of the ASCII `text`, without making it: the search
/// index asks for every heading.
pub fn is_slug_of_ascii(id: &str, text: &str) -> bool {
    let mut slug = text
        .trim()
        .bytes()
        .filter_map(|b| match b {
            b' ' => Some(b'-'),
            b if b.is_ascii_alphanumeric() || b == b'-' || b == b'_' => {
                Some(b.to_ascii_lowercase())
            }
            _ => None,
        })
        .peekable();
    if slug.peek().is_none() {
        return id == "section";
    }
    slug.eq(id.bytes())
}

fn unique_id(base: String, used: &mut HashMap<String, usize>) -> String {
    if !used.contains_key(&base) {
        used.insert(base.clone(), 0);
        return base;
    }
    let mut n = used[&base];
    loop {
        n += 1;
        let candidate = format!("{base}-{n}");
        if !used.contains_key(&candidate) {
            used.insert(base, n);
            used.insert(candidate.clone(), 0);
            return candidate;
        }
    }
}

/// Nests a flat list of headings (level, id, title) by level.
fn build_toc(headings: &[(u8, String, String)]) -> Vec<TocEntry> {
    let mut root: Vec<TocEntry> = Vec::new();
    for (level, id, title) in headings {
        let entry = TocEntry {
            level: *level,
            id: id.clone(),
            title: title.clone(),
            children: vec![],
        };
        insert_toc(&mut root, entry);
    }
    root
}

fn insert_toc(list: &mut Vec<TocEntry>, entry: TocEntry) {
    match list.last_mut() {
        Some(last) if last.level < entry.level => insert_toc(&mut last.children, entry),
        _ => list.push(entry),
    }
}

/// Escapes text for an HTML attribute or element.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).ok();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_are_githubs() {
        let cases = [
            ("Why it matters", "why-it-matters"),
            ("  Q&A: 1-on-1s_now!  ", "qa-1-on-1s_now"),
            ("Straße Ünïcode ÉTÉ", "straße-ünïcode-été"),
            ("İ", "i\u{307}"),
            ("?!", "section"),
        ];
        for (text, id) in cases {
            assert_eq!(slugify(text), id, "{text:?}");
            if text.is_ascii() {
                assert!(is_slug_of_ascii(id, text), "{text:?}");
                assert!(!is_slug_of_ascii(&format!("{id}-"), text), "{text:?}");
                assert!(!is_slug_of_ascii(&id[1..], text), "{text:?}");
            }
        }
    }

    #[test]
    fn words_are_counted_as_split_ascii_whitespace_counts_them() {
        for text in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "a b",
            "  a\t\nb\x0c c  ",
            "é ü",
            "x\u{a0}y z",
        ] {
            assert_eq!(
                word_count(text),
                text.split_ascii_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn control_characters_html_refuses_are_replaced() {
        for clean in [
            "tab\tnew\nline\r\u{c}",
            "café © 100° \u{a0}",
            "",
            "a".repeat(200).as_str(),
        ] {
            assert!(!has_control(clean), "{clean:?}");
        }
        let long = format!("{}\u{1}", "x".repeat(130));
        for dirty in [
            "\0",
            "a\u{1}b",
            "\u{7f}",
            "x\u{85}y",
            "\u{9f}",
            long.as_str(),
        ] {
            assert!(has_control(dirty), "{dirty:?}");
        }
        assert_eq!(replace_controls("a\u{1}\tb\u{85}"), "a\u{FFFD}\tb\u{FFFD}");
        let r = render("# T\u{1}tle\n\nBe\u{7f}ll\n", false, &mut |_| None);
        assert_eq!(r.toc[0].title, "T\u{FFFD}tle");
        assert!(
            r.html.contains("Be\u{FFFD}ll") && !r.html.contains('\u{7f}'),
            "{}",
            r.html
        );
    }

    fn plain(src: &str) -> Rendered {
        render(src, true, &mut |_| None)
    }

    #[test]
    fn headings_get_unique_ids_and_self_links() {
        let r = plain("## Why it matters\n\n## Why it matters\n\n### Step 1: ask!\n");
        assert_eq!(r.ids, ["why-it-matters", "why-it-matters-1", "step-1-ask"]);
        assert!(r.html.contains("<h2 id=\"why-it-matters\">Why it matters<a class=\"heading-anchor\" href=\"#why-it-matters\""));
        assert_eq!(r.toc.len(), 2);
        assert_eq!(r.toc[1].children[0].id, "step-1-ask");
    }

    #[test]
    fn custom_ids_and_leading_h1() {
        let r = plain("# Title\n\ntext\n\n## Custom {#mine}\n");
        assert_eq!(r.first_h1.as_deref(), Some("Title"));
        assert!(!r.html.contains("<h1"));
        assert_eq!(r.ids, ["mine"]);
        let kept = render("# Title\n", false, &mut |_| None);
        assert!(kept.html.contains("<h1 id=\"title\">"));
    }

    #[test]
    fn alerts_become_labelled_boxes() {
        let r = plain("> [!TIP]\n> Book it.\n");
        assert!(
            r.html
                .contains("<div class=\"alert alert-tip\" role=\"note\">"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<p class=\"alert-title\">Tip</p>"));
    }

    #[test]
    fn links_go_through_the_resolver() {
        let mut seen = vec![];
        let r = render(
            "See [hr](../people/hr.md#x) and ![i](a.png).\n",
            true,
            &mut |l| {
                seen.push((l.dest.to_string(), l.offset, l.is_image));
                Some(format!("/rewritten/{}", l.dest.len()))
            },
        );
        assert_eq!(seen[0], ("../people/hr.md#x".to_string(), 4, false));
        assert!(seen[1].2);
        assert!(r.html.contains("href=\"/rewritten/17\""), "{}", r.html);
    }

    #[test]
    fn footnote_ids_never_clash_with_headings() {
        let r = plain("## Source\n\nText[^source] and again[^source].\n\n[^source]: A book.\n");
        assert_eq!(r.ids, ["source", "fn-1"]);
        let first_ref =
            r##"<sup class="footnote-reference" id="fnref-1"><a href="#fn-1">1</a></sup>"##;
        assert!(r.html.contains(first_ref), "{}", r.html);
        assert_eq!(r.html.matches(r#"id="fnref-1""#).count(), 1, "{}", r.html);
        assert!(
            r.html
                .contains(r#"<div class="footnote-definition" id="fn-1">"#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r##"href="#fnref-1""##), "{}", r.html);
        // A heading that reads `fn-1` keeps its id; the footnote takes another, and headings
        // after the footnote's first mention avoid the footnote's ids.
        let r = plain("## fn-1\n\nx[^a]\n\n## fn-1-1\n\n[^a]: note\n");
        assert_eq!(r.ids, ["fn-1", "fn-1-1-1", "fn-1-1"]);
        assert!(
            r.html.contains(r##"<a href="#fn-1-1">1</a>"##),
            "{}",
            r.html
        );
    }

    #[test]
    fn gfm_features_render() {
        let r = plain(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ \"quoted\"[^1]\n\n[^1]: note\n",
        );
        assert!(r.html.contains("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"Table\">\n<table>"), "{}", r.html);
        assert!(r.html.contains("</table>\n</div>"), "{}", r.html);
        assert!(r.html.contains("checkbox"));
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("“quoted”"));
        assert!(r.html.contains("footnote"));
    }
}
