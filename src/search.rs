//! The client-side search index, `search-index.json`.
//!
//! The index has to stay small for a 10,000-page handbook, because the browser downloads all of
//! it on the first search. So it holds every title and heading (what people search for) and a
//! share of a fixed word budget of each page's text: a small handbook is searched in full, a
//! large one by its pages' opening words. It is written as arrays, not objects:
//!
//! ```json
//! {"version":1,
//!  "sections":["", "Why network", ...],
//!  "pages":[["Title", "why/cost/", 1, ["heading-id", "Heading text", ...], "Opening words"], ...]}
//! ```
//!
//! A page's URL is relative to the site's base path (the search box knows the base path), its
//! section is an index into `sections`, and its headings are flat (id, text) pairs, where the id
//! is `0` when it is the ASCII heading's own slug (the search box derives it again: this halves
//! the size of the headings). Hand-written
//! JSON keeps serde_json out of the binary; every string goes through [`json_string`].

use crate::config::Config;
use crate::content::{ItemRef, Library};
use crate::hash::HashMap;
use crate::markdown::TocEntry;

/// Words of page text the whole index may hold (about 600 KB, 200 KB compressed), shared out
/// evenly between its entries...
pub const TOTAL_WORDS: usize = 100_000;
/// ...but every entry keeps at least its opening words.
pub const MIN_WORDS: usize = 30;

/// How many words of text each of `entries` entries keeps.
pub fn words_per_entry(entries: usize) -> usize {
    (TOTAL_WORDS / entries.max(1)).max(MIN_WORDS)
}

/// An index being built. Pages are added in reading order, so results with equal scores come
/// out in the order the handbook is read.
pub struct SearchIndex {
    /// Words of text kept per entry.
    words: usize,
    sections: Vec<String>,
    section_ids: HashMap<String, usize>,
    pages: Vec<String>,
    /// Where each page and section of the library is in `pages`, for [`SearchIndex::refresh`].
    positions: HashMap<ItemRef, usize>,
}

impl SearchIndex {
    /// An index for about `entries` entries (which sets how much text each keeps).
    pub fn new(entries: usize) -> SearchIndex {
        SearchIndex {
            words: words_per_entry(entries),
            sections: Vec::new(),
            section_ids: HashMap::default(),
            pages: Vec::with_capacity(entries),
            positions: HashMap::default(),
        }
    }

    /// Adds one searchable page. `path` is the URL path below the base path (`why/cost/`),
    /// `section` the title of the section it belongs to (shown beside the result), `headings`
    /// the anchors a result may jump to, `text` its plain text (cut to the entry's share of
    /// the word budget). Worksheets add themselves here too, with their entries as headings.
    pub fn add(
        &mut self,
        title: &str,
        path: &str,
        section: &str,
        headings: &[(&str, &str)],
        text: &str,
    ) {
        let entry = self.entry(title, path, section, headings, text);
        self.pages.push(entry);
    }

    fn entry(
        &mut self,
        title: &str,
        path: &str,
        section: &str,
        headings: &[(&str, &str)],
        text: &str,
    ) -> String {
        let next = self.sections.len();
        let section_id = *self
            .section_ids
            .entry(section.to_string())
            .or_insert_with(|| next);
        if section_id == next {
            self.sections.push(section.to_string());
        }
        let mut entry = String::with_capacity(64 + text.len().min(self.words * 8));
        entry.push('[');
        entry.push_str(&json_string(title));
        entry.push(',');
        entry.push_str(&json_string(path));
        entry.push_str(&format!(",{section_id},["));
        for (i, (id, text)) in headings.iter().enumerate() {
            if i > 0 {
                entry.push(',');
            }
            if text.is_ascii() && crate::markdown::is_slug_of_ascii(id, text) {
                entry.push('0');
            } else {
                entry.push_str(&json_string(id));
            }
            entry.push(',');
            entry.push_str(&json_string(text));
        }
        entry.push_str("],");
        entry.push_str(&json_string(&excerpt(text, self.words)));
        entry.push(']');
        entry
    }

    /// Adds a page or section of the library.
    fn add_item(&mut self, config: &Config, lib: &Library, item: ItemRef) {
        self.positions.insert(item, self.pages.len());
        let entry = self.item_entry(config, lib, item);
        self.pages.push(entry);
    }

    /// Rebuilds the entries of `items` from the library (serve, after an edit of their
    /// bodies): the rest of the index stays as it is, so an edit costs one entry, not the
    /// whole index. Items the index does not hold are left out, as a full build would.
    pub fn refresh(&mut self, config: &Config, lib: &Library, items: &[ItemRef]) {
        for &item in items {
            if let Some(&at) = self.positions.get(&item) {
                self.pages[at] = self.item_entry(config, lib, item);
            }
        }
    }

    fn item_entry(&mut self, config: &Config, lib: &Library, item: ItemRef) -> String {
        let section_title = |s: usize| -> &str {
            if s == 0 && lib.sections[0].title.is_empty() {
                &config.site.title
            } else {
                &lib.sections[s].title
            }
        };
        let (title, path, parent, description, toc, text) = match item {
            ItemRef::Page(i) => {
                let p = &lib.pages[i];
                let title = p.title.as_str();
                (
                    title,
                    &p.path,
                    Some(p.section),
                    &p.description,
                    &p.toc,
                    &p.text,
                )
            }
            ItemRef::Section(i) => {
                let s = &lib.sections[i];
                let title = section_title(i);
                (title, &s.path, s.parent, &s.description, &s.toc, &s.text)
            }
        };
        let mut headings = Vec::new();
        flatten(toc, &mut headings);
        let body = if description.is_empty() {
            std::borrow::Cow::Borrowed(text.as_str())
        } else {
            std::borrow::Cow::Owned(format!("{description} {text}"))
        };
        let section = parent.map(section_title).unwrap_or("");
        self.entry(
            title,
            &crate::config::encode_path(path),
            section,
            &headings,
            &body,
        )
    }

    /// The index as JSON, one page per line (diffs of the output stay readable).
    #[cfg(test)]
    pub fn to_json(&self) -> String {
        let size: usize = self.pages.iter().map(|p| p.len() + 2).sum();
        let mut out = Vec::with_capacity(size + 64);
        // Writing into memory cannot fail, and writes only UTF-8.
        self.write_json(&mut out).ok();
        String::from_utf8(out).unwrap_or_default()
    }

    /// Writes the index's JSON to `out` entry by entry: at 50,000 pages it is 19 MB, which a
    /// string made whole (and a joined copy of the entries) would hold twice more.
    pub fn write_json<W: std::io::Write + ?Sized>(&self, out: &mut W) -> std::io::Result<()> {
        out.write_all(b"{\"version\":1,\n\"sections\":[")?;
        for (i, s) in self.sections.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            out.write_all(json_string(s).as_bytes())?;
        }
        out.write_all(b"],\n\"pages\":[\n")?;
        for (i, p) in self.pages.iter().enumerate() {
            if i > 0 {
                out.write_all(b",\n")?;
            }
            out.write_all(p.as_bytes())?;
        }
        out.write_all(b"\n]}\n")
    }
}

/// The index of every section and page of the library, in reading order.
pub fn build(config: &Config, lib: &Library) -> SearchIndex {
    let mut index = SearchIndex::new(lib.order.len());
    for &item in &lib.order {
        index.add_item(config, lib, item);
    }
    index.add(
        "Planner",
        crate::plan::PLANNER,
        "",
        &[],
        "A printable networking planner: the worksheets, then one dated page per week with habits, calendar blocks and the people due a contact.",
    );
    index.add(
        "The whole handbook",
        crate::plan::BOOK,
        "",
        &[],
        "Every page and worksheet of the handbook in reading order, to read or print as one book.",
    );
    index
}

fn flatten<'a>(toc: &'a [TocEntry], out: &mut Vec<(&'a str, &'a str)>) {
    for e in toc {
        out.push((&e.id, &e.title));
        flatten(&e.children, out);
    }
}

/// The first `words` words of `text`, with an ellipsis when cut.
fn excerpt(text: &str, words: usize) -> String {
    // Byte by byte through a table, decoding only the lead bytes of white space beyond ASCII
    // (splitting by characters was 8 % of the bundled handbook's build), and words that one
    // space apart are copied in runs, not one at a time.
    let mut out = String::with_capacity(text.len().min(words * 8) + 3);
    let (mut count, mut last_end) = (0, 0);
    let mut i = skip_space(text, 0);
    // Where the words not copied yet start; up to `last_end` they are one space apart.
    let mut run = i;
    while i < text.len() {
        if count == words {
            copy_run(&mut out, text, run, last_end);
            out.push('…');
            return out;
        }
        let end = word_end(text, i);
        count += 1;
        last_end = end;
        i = skip_space(text, end);
        if !(i == end + 1 && text.as_bytes()[end] == b' ') {
            copy_run(&mut out, text, run, end);
            run = i;
        }
    }
    copy_run(&mut out, text, run, last_end);
    out
}

/// Appends `text[from..to]`, a space before it unless `out` is empty; nothing when empty.
fn copy_run(out: &mut String, text: &str, from: usize, to: usize) {
    if from < to {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&text[from..to]);
    }
}

/// Where the white space that starts at byte `i` of `text` ends (`i` when there is none).
fn skip_space(text: &str, mut i: usize) -> usize {
    while i < text.len() {
        match space_len(text, i) {
            0 => break,
            space => i += space,
        }
    }
    i
}

/// Where the word that starts at byte `i` of `text` ends.
fn word_end(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        while i < bytes.len() && SPACE[bytes[i] as usize] == 0 {
            i += 1;
        }
        if i == bytes.len() || space_len(text, i) > 0 {
            return i;
        }
        // A lead byte beyond ASCII that starts no white space.
        i += 1;
    }
}

/// Per byte: 1 for ASCII white space, 2 for the lead bytes of white space beyond ASCII
/// (U+0085 and U+00A0; U+1680; U+2000–U+205F; U+3000), which no continuation byte equals.
const SPACE: [u8; 256] = {
    let mut table = [0; 256];
    let mut ascii = [b'\t', b'\n', 0x0B, 0x0C, b'\r', b' '].as_slice();
    while let [b, rest @ ..] = ascii {
        table[*b as usize] = 1;
        ascii = rest;
    }
    table[0xC2] = 2;
    table[0xE1] = 2;
    table[0xE2] = 2;
    table[0xE3] = 2;
    table
};

/// The length in bytes of the white space (as `char::is_whitespace` has it) that starts at
/// byte `i` of `text`, or 0.
fn space_len(text: &str, i: usize) -> usize {
    match SPACE[text.as_bytes()[i] as usize] {
        0 => 0,
        1 => 1,
        _ => text[i..]
            .chars()
            .next()
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
    }
}

/// The bytes [`json_string`] looks at: what it escapes, and the first byte of U+2028/U+2029.
const SPECIAL: [bool; 256] = {
    let mut special = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        special[b] = true;
        b += 1;
    }
    special[b'"' as usize] = true;
    special[b'\\' as usize] = true;
    special[b'<' as usize] = true;
    special[0xE2] = true;
    special
};

/// A JSON string literal. `<` is escaped as well, so the JSON is safe inside HTML too.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    // Scan bytes and copy runs of plain text in one go: every character that needs escaping
    // is ASCII, or U+2028/U+2029 (E2 80 A8/A9), so each cut falls on a character boundary.
    let bytes = s.as_bytes();
    let mut plain_from = 0;
    let mut i = 0;
    while let Some(at) = bytes[i..].iter().position(|&b| SPECIAL[usize::from(b)]) {
        i += at;
        let b = bytes[i];
        let (escaped, len): (std::borrow::Cow<str>, usize) = match b {
            b'"' => ("\\\"".into(), 1),
            b'\\' => ("\\\\".into(), 1),
            b'\n' => ("\\n".into(), 1),
            b'\r' => ("\\r".into(), 1),
            b'\t' => ("\\t".into(), 1),
            b'<' => ("\\u003c".into(), 1),
            0..0x20 => (format!("\\u{b:04x}").into(), 1),
            0xE2 if bytes.get(i + 1) == Some(&0x80)
                && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
            {
                (
                    format!("\\u{:04x}", 0x2000 + u32::from(bytes[i + 2]) - 0x80).into(),
                    3,
                )
            }
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[plain_from..i]);
        out.push_str(&escaped);
        i += len;
        plain_from = i;
    }
    out.push_str(&s[plain_from..]);
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_split_words_as_split_whitespace_does() {
        let texts = [
            "one two  three\tfour\nfive\r\nsix \x0c seven",
            "vertical\x0btab splits",
            "  leading and trailing  ",
            "non\u{a0}breaking\u{85}next and ünïcode words",
            "“Curly” quotes — dashes…\u{2028}line\u{3000}ideographic\u{1680}ogham\u{205f}x",
            "\u{2014}\u{2060}\u{200b}\u{feff} not white space",
            "a b c  d e\nf g \u{a0}h i ",
            " x",
            "x ",
            "",
        ];
        for text in texts {
            for words in [0, 1, 2, 3, 4, 5, 100] {
                let mut it = text.split_whitespace();
                let mut expected = it.by_ref().take(words).collect::<Vec<_>>().join(" ");
                if it.next().is_some() {
                    expected.push('…');
                }
                assert_eq!(excerpt(text, words), expected, "{text:?} {words}");
            }
        }
        // And texts made of pieces that start and end runs of words, in every order.
        let pieces = [
            "a", "bc", " ", "  ", "\n", "\u{a0}", "é", "\u{2014}", "\u{3000}",
        ];
        let mut seed = 1u32;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..12 {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                text.push_str(pieces[(seed >> 16) as usize % pieces.len()]);
            }
            let words = (seed >> 8) as usize % 6;
            let mut it = text.split_whitespace();
            let mut expected = it.by_ref().take(words).collect::<Vec<_>>().join(" ");
            if it.next().is_some() {
                expected.push('…');
            }
            assert_eq!(excerpt(&text, words), expected, "{text:?} {words}");
        }
    }

    #[test]
    fn the_word_budget_is_shared_but_never_below_the_minimum() {
        assert_eq!(words_per_entry(0), TOTAL_WORDS);
        assert_eq!(words_per_entry(40), TOTAL_WORDS / 40);
        assert_eq!(words_per_entry(10_000), MIN_WORDS);
    }

    #[test]
    fn every_control_character_and_line_separator_is_escaped() {
        let controls: String = (0..0x20u8).map(char::from).collect();
        let expected = "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\u0008\\t\\n\\u000b\\u000c\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f";
        assert_eq!(json_string(&controls), format!("\"{expected}\""));
        // Non-ASCII stays as written, `†` too (E2 80 A0, a neighbour of U+2028's E2 80 A8);
        // DEL needs no escape in JSON.
        assert_eq!(
            json_string("</script>\u{7f}名前 †🙂\u{2028}"),
            "\"\\u003c/script>\u{7f}名前 †🙂\\u2028\""
        );
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(
            json_string("a\"b\\c\n<\u{1}"),
            "\"a\\\"b\\\\c\\n\\u003c\\u0001\""
        );
        assert_eq!(
            json_string("café\u{2028}x\u{2029}"),
            "\"café\\u2028x\\u2029\""
        );
    }

    #[test]
    fn entries_share_section_names_and_cut_text() {
        let mut idx = SearchIndex::new(TOTAL_WORDS);
        let long = "word ".repeat(MIN_WORDS + 5);
        idx.add(
            "A",
            "a/",
            "S",
            &[("h", "H"), ("why-it-matters-1", "Why it matters")],
            &long,
        );
        idx.add(
            "É",
            "e/",
            "T",
            &[("résumé", "Résumé"), ("why-it-matters", "Why it matters")],
            "",
        );
        idx.add("B", "b/", "S", &[], "short text");
        let json = idx.to_json();
        assert!(json.contains("\"sections\":[\"S\",\"T\"]"), "{json}");
        assert!(
            json.contains(
                "[\"A\",\"a/\",0,[0,\"H\",\"why-it-matters-1\",\"Why it matters\"],\"word"
            ),
            "{json}"
        );
        assert!(
            json.contains("[\"É\",\"e/\",1,[\"résumé\",\"Résumé\",0,\"Why it matters\"],\"\"]"),
            "{json}"
        );
        assert!(json.contains("word…\"]"));
        assert!(json.contains("[\"B\",\"b/\",0,[],\"short text\"]"));
    }
}
