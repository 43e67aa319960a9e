//! Diagnostics: user errors with a location, collected over a whole build.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How serious a diagnostic is: errors stop a build, warnings are reported and let it finish.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    #[default]
    Error,
    Warning,
    /// What a build that publishes refuses (a public page's link to a private one), met in a
    /// preview that shows private items: reported as a warning, and shown over the page.
    Unpublishable,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning | Severity::Unpublishable => "warning",
        }
    }
}

/// One problem in the user's input, pointing at a file and, where known, a line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as shown to the user (relative to the site root when possible).
    pub path: PathBuf,
    /// 1-based line, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub col: usize,
    pub message: String,
    /// The offending source line, if known. Shared: the many diagnostics of one long line (a
    /// paragraph of links) hold one copy of it.
    pub source_line: Option<Arc<str>>,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: 0,
            col: 0,
            message: message.into(),
            source_line: None,
            hint: None,
        }
    }

    /// Sets the position and picks the source line out of `text` (the whole file).
    pub fn at(mut self, text: &str, line: usize, col: usize) -> Self {
        self.line = line;
        self.col = col;
        if line > 0 {
            self.source_line = text.lines().nth(line - 1).map(Arc::from);
        }
        self
    }

    /// Points at the value of the top-level `key:` in a YAML text (a config file, or a whole
    /// Markdown file whose front matter sets the key); unchanged when the key is not written.
    pub fn at_key(self, text: &str, key: &str) -> Self {
        let prefix = format!("{key}:");
        for (i, line) in text.lines().enumerate() {
            if let Some(rest) = line.strip_prefix(&prefix) {
                let blank = rest.len() - rest.trim_start().len();
                return self.at(text, i + 1, prefix.chars().count() + blank + 1);
            }
        }
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// A warning here that a build which publishes makes an error: see [`Severity`].
    pub fn unpublishable(mut self) -> Self {
        self.severity = Severity::Unpublishable;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Shows the path relative to `root` (the site root), as users think of their files.
    pub fn relative_to(mut self, root: &Path) -> Self {
        if let Ok(rel) = self.path.strip_prefix(root) {
            self.path = rel.to_path_buf();
        }
        self
    }

    pub fn location(&self) -> String {
        let p = self.path.display();
        match (self.line, self.col) {
            (0, _) => format!("{p}"),
            (l, 0) => format!("{p}:{l}"),
            (l, c) => format!("{p}:{l}:{c}"),
        }
    }
}

/// The parts of a rendered diagnostic a terminal may style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// `error` or `warning`, and the caret under the column.
    Severity(Severity),
    Location,
    Gutter,
    Hint,
}

impl Diagnostic {
    /// The diagnostic as text, each styled part passed through `style` (the identity for plain
    /// text, ANSI escapes on a terminal), so that there is one layout for every output.
    pub fn render(&self, style: &dyn Fn(Part, &str) -> String) -> String {
        use std::fmt::Write as _;
        let sev = Part::Severity(self.severity);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}: {}: {}",
            style(sev, self.severity.label()),
            style(Part::Location, &self.location()),
            self.message
        );
        if let Some(line) = &self.source_line {
            let (src, col) = source_window(line, self.col);
            let num = self.line.to_string();
            let pad = " ".repeat(num.len());
            let _ = writeln!(out, " {} {src}", style(Part::Gutter, &format!("{num} |")));
            if col > 0 {
                let lead = caret_lead(&src, col);
                let gutter = style(Part::Gutter, &format!("{pad} |"));
                let _ = writeln!(out, " {gutter} {lead}{}", style(sev, "^"));
            }
        }
        if let Some(h) = &self.hint {
            let _ = writeln!(out, " {}: {h}", style(Part::Hint, "hint"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&|_, text| text.to_string()))
    }
}

/// The blank that puts a caret under character `col` (1-based) of `src` on a terminal: a
/// column counts characters, a terminal draws wide (CJK) ones in two cells and combining marks
/// in none, so each character before it gives way to its display width; tabs are kept, as the
/// terminal expands them alike in both lines.
fn caret_lead(src: &str, col: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    let mut lead = String::new();
    for c in src.chars().take(col - 1) {
        match c {
            '\t' => lead.push('\t'),
            _ => lead.extend(std::iter::repeat_n(' ', c.width().unwrap_or(0))),
        }
    }
    lead
}

/// The most characters of a source line shown under a diagnostic.
const SHOWN_CHARS: usize = 100;

/// A long source line cut to the part around `col`, and the column within that part.
pub fn source_window(line: &str, col: usize) -> (String, usize) {
    let len = line.chars().count();
    if len <= SHOWN_CHARS {
        return (line.to_string(), col);
    }
    let start = col.saturating_sub(SHOWN_CHARS / 2).min(len - SHOWN_CHARS);
    let part: String = line.chars().skip(start).take(SHOWN_CHARS).collect();
    let lead = if start > 0 { "…" } else { "" };
    let shown_col = if col == 0 {
        0
    } else {
        col - start + lead.chars().count()
    };
    (format!("{lead}{part}…"), shown_col)
}

/// Everything that can stop a command.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Problems in the user's content, all of them, sorted.
    #[error("{}", render_all(.0))]
    Content(Vec<Diagnostic>),
    /// A file system operation failed.
    #[error("could not {action} `{}`: {source}", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// A request rapport refuses to carry out (e.g. an unsafe output folder).
    #[error("{message}{}", .hint.as_ref().map(|h| format!("\n hint: {h}")).unwrap_or_default())]
    Refused {
        message: String,
        hint: Option<String>,
    },
}

impl Error {
    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn refused(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Refused {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// The text shown to the user, the same in the terminal and in `serve`'s browser overlay:
    /// content errors list their diagnostics, anything else is one `error:` line.
    pub fn report(&self) -> String {
        match self {
            Error::Content(_) => self.to_string(),
            other => format!("error: {other}"),
        }
    }

    /// Builds a content error from collected diagnostics, sorted by file and position.
    pub fn content(mut diags: Vec<Diagnostic>) -> Self {
        sort(&mut diags);
        Error::Content(diags)
    }
}

pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.col, &a.message).cmp(&(&b.path, b.line, b.col, &b.message))
    });
    diags.dedup();
}

fn render_all(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        out.push_str(&d.to_string());
        out.push('\n');
    }
    let n = diags.iter().filter(|d| d.is_error()).count();
    out.push_str(&format!("{n} error{} found", if n == 1 { "" } else { "s" }));
    out
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A value that failed a check of its own (a date, a time, a width), with what to write instead.
/// Parsers of typed values return it; the YAML layer turns it into a diagnostic at the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub message: String,
    pub hint: Option<String>,
}

impl Invalid {
    pub fn new(message: impl Into<String>) -> Self {
        Invalid {
            message: message.into(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

#[cfg(test)]
impl Invalid {
    /// Message and hint in one string, for tests that look for words in either.
    pub fn both(&self) -> String {
        format!(
            "{} (hint: {})",
            self.message,
            self.hint.as_deref().unwrap_or("")
        )
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

thread_local! {
    /// The hint of the last [`Invalid`] handed to serde. serde's error trait carries only a
    /// message, so the hint travels beside it to the YAML layer's error type, which takes it
    /// (see [`take_pending_hint`]) when serde builds the error on the same thread.
    static PENDING_HINT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A serde error for `Invalid`, keeping its hint as a field for the YAML layer.
pub fn de_error<E: serde::de::Error>(invalid: Invalid) -> E {
    PENDING_HINT.with(|h| *h.borrow_mut() = invalid.hint);
    E::custom(invalid.message)
}

/// The hint set by the last [`de_error`], once.
pub fn take_pending_hint() -> Option<String> {
    PENDING_HINT.with(|h| h.borrow_mut().take())
}

/// The known name closest to `unknown`, if it is close enough to be a likely typo.
pub fn closest<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// Lines and columns of many positions in one text: where its lines start is found once, on
/// the first question, rather than the text scanned from its start for each (a page's links).
/// Positions asked in order along one line cost the characters between them, and a line asked
/// for again is shared, not copied: 16,000 links in one 240 KB paragraph stay linear.
pub struct Lines<'a> {
    text: &'a str,
    starts: std::cell::OnceCell<Vec<usize>>,
    /// The last offset asked for and its column (0: none yet).
    last: Cell<(usize, usize)>,
    /// The last line handed out by [`Lines::shared_line`], by number.
    shared: RefCell<Option<(usize, Arc<str>)>>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        Lines {
            text,
            starts: std::cell::OnceCell::new(),
            last: Cell::new((0, 0)),
            shared: RefCell::new(None),
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    fn starts(&self) -> &[usize] {
        self.starts.get_or_init(|| {
            let breaks = memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1);
            std::iter::once(0).chain(breaks).collect()
        })
    }

    /// As [`line_col`].
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let starts = self.starts();
        let line = starts.partition_point(|&s| s <= offset);
        let start = starts[line - 1];
        let (last, last_col) = self.last.get();
        let col = if last_col > 0 && (start..=offset).contains(&last) {
            last_col + self.text[last..offset].chars().count()
        } else {
            self.text[start..offset].chars().count() + 1
        };
        self.last.set((offset, col));
        (line, col)
    }

    /// Line `n` as [`Lines::line`] has it, shared with whoever asked for it last.
    pub fn shared_line(&self, n: usize) -> Arc<str> {
        let mut shared = self.shared.borrow_mut();
        match &*shared {
            Some((at, line)) if *at == n => line.clone(),
            _ => {
                let line: Arc<str> = Arc::from(self.line(n));
                *shared = Some((n, line.clone()));
                line
            }
        }
    }

    /// Line `n` (from 1; 0 is the first too) without its line break, as `str::lines` has it;
    /// empty past the end.
    pub fn line(&self, n: usize) -> &'a str {
        let starts = self.starts();
        let i = n.saturating_sub(1);
        let Some(&start) = starts.get(i) else {
            return "";
        };
        let end = starts.get(i + 1).map_or(self.text.len(), |&next| next - 1);
        let line = &self.text[start..end];
        line.strip_suffix('\r').unwrap_or(line)
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_typos_only() {
        assert_eq!(closest("titel", &["title", "weight"]), Some("title"));
        assert_eq!(closest("zzz", &["title", "weight"]), None);
    }

    #[test]
    fn lines_answer_as_a_scan_of_the_text_does() {
        for text in [
            "",
            "a",
            "ab\ncé d\n",
            "\n\nx\r\ny",
            "é\r\n\r\n",
            "last\nline",
        ] {
            let lines = Lines::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    lines.line_col(offset),
                    line_col(text, offset),
                    "{text:?} {offset}"
                );
            }
            for offset in (0..=text.len() + 2).rev() {
                assert_eq!(
                    lines.line_col(offset),
                    line_col(text, offset),
                    "{text:?} {offset} backwards"
                );
            }
            for n in 0..6usize {
                let expected = text.lines().nth(n.saturating_sub(1)).unwrap_or("");
                assert_eq!(lines.line(n), expected, "{text:?} line {n}");
                assert_eq!(&*lines.shared_line(n), expected, "{text:?} line {n}");
            }
        }
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("ab\ncé d", 7), (2, 4));
        assert_eq!(line_col("abc", 0), (1, 1));
    }

    #[test]
    fn at_key_points_at_the_value() {
        let d = Diagnostic::new("h.yaml", "bad").at_key("title: a\nbase_url:  x\n", "base_url");
        assert_eq!((d.line, d.col), (2, 12));
        let d = Diagnostic::new("h.yaml", "bad").at_key("title: a\n", "theme");
        assert_eq!((d.line, d.col), (0, 0));
    }

    #[test]
    fn the_caret_lead_counts_display_width() {
        assert_eq!(caret_lead("名前: x", 5), "      ");
        assert_eq!(caret_lead("e\u{301}: x", 5), "   ");
        assert_eq!(caret_lead("\tａ: x", 3), "\t  ");
    }

    #[test]
    fn display_shows_source_and_caret() {
        let d = Diagnostic::new("a.md", "bad")
            .at("x\n  key: 1\n", 2, 3)
            .hint("fix it");
        let s = d.to_string();
        assert!(s.contains("error: a.md:2:3: bad"), "{s}");
        assert!(s.contains(" 2 |   key: 1"), "{s}");
        assert!(s.contains("   |   ^"), "{s}");
        assert!(s.contains("hint: fix it"), "{s}");
    }
}
