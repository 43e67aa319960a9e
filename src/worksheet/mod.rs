//! Worksheets: typed YAML pages (a stakeholder map, a checklist, a schedule of time blocks, a
//! free table). Each file is read in two steps: its `kind` first, then the whole file straight
//! into the kind's strict struct, so that every error keeps its line and column.

mod checklist;
mod schedule;
mod stakeholders;
mod table;
pub(crate) mod view;

pub use schedule::Block;

use crate::config::Paper;
use crate::error::{Diagnostic, Invalid, closest, de_error};
use crate::yaml::{self, Node};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt::Debug;
use std::path::Path;
use view::{Live, ViewAt, Week, WeekEntries};

/// What varies by kind of worksheet, implemented once per kind (one file each) on the kind's
/// typed data; the rest of rapport asks a worksheet's kind through this trait and never
/// matches on kinds. The defaults suit a kind without dates, notes or print checks.
pub(crate) trait WorksheetKind: Send + Sync + Debug {
    /// The name written in `kind:` (and `worksheet.kind` in templates).
    fn name(&self) -> &'static str;

    /// The template a worksheet of this kind renders with (overridable like any template).
    fn template(&self) -> &'static str;

    /// The kind's own Markdown fields (`notes`), in a fixed order.
    fn markdown(&self) -> Vec<&Markdown> {
        Vec::new()
    }

    /// The same fields as [`WorksheetKind::markdown`], in the same order, to render them.
    fn markdown_mut(&mut self) -> Vec<&mut Markdown> {
        Vec::new()
    }

    /// The ids of the groups the kind's template shows (`#weekly`, `#inside`), so that links
    /// to them are checked like links to headings.
    fn anchors(&self) -> Vec<&'static str> {
        Vec::new()
    }

    /// The kind's words for the search index, added after the intro.
    fn search_text<'a>(&'a self, parts: &mut Vec<&'a str>);

    /// What templates see of the kind, beside the keys every worksheet has (a map).
    fn view(&self, at: ViewAt) -> tera::Value;

    /// The dates the page's script computes again against the reader's today, if any.
    fn live(&self, _today: NaiveDate) -> Option<Live> {
        None
    }

    /// Puts what falls in `week` on the planner's week sheet.
    fn plan_week<'a>(&'a self, _week: &Week, _out: &mut WeekEntries<'a>) {}

    /// Whether the kind publishes a calendar (`.ics`) beside its page, written when it has
    /// [`WorksheetKind::events`].
    fn has_calendar(&self) -> bool {
        false
    }

    /// The time blocks that go into calendar files.
    fn events(&self) -> &[Block] {
        &[]
    }

    /// Warnings about how the worksheet prints on `paper` (found when the planner resolves).
    fn print_warnings(&self, _source: &Path, _print: &Print, _paper: Paper) -> Vec<Diagnostic> {
        Vec::new()
    }
}

/// Reads a file of one kind: the shared keys and the kind's data, or every mistake found.
pub(crate) type ParseKind =
    fn(&Path, &str, &Node) -> Result<(Header, Box<dyn WorksheetKind>), Vec<Diagnostic>>;

/// A kind as the registry lists it: the name `kind:` gives and how to read its files.
#[derive(Clone, Copy)]
pub(crate) struct Registered {
    pub name: &'static str,
    pub parse: ParseKind,
}

/// Every kind of worksheet. Adding a kind is a file implementing [`WorksheetKind`], its line
/// here and its template.
pub(crate) const KINDS: &[Registered] = &[
    stakeholders::KIND,
    checklist::KIND,
    schedule::KIND,
    table::KIND,
];

/// Markdown written in a worksheet (`intro`, `notes`). `html` is filled in once every page's
/// URL is known, so that links resolve like links in pages.
#[derive(Debug, Clone, Default)]
pub struct Markdown {
    pub source: String,
    pub html: String,
    pub text: String,
}

impl<'de> Deserialize<'de> for Markdown {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Markdown {
            source: String::deserialize(d)?,
            ..Default::default()
        })
    }
}

/// Templates see the rendered HTML (mark it `| safe`: it was escaped by the Markdown renderer).
impl Serialize for Markdown {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.html)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    #[default]
    Portrait,
    Landscape,
}

/// The most empty rows a worksheet may ask for: a few sheets' worth, so that a typo cannot
/// produce a page of millions of rows.
pub const MAX_BLANK_ROWS: u32 = 200;

/// `blank_rows`, refused past [`MAX_BLANK_ROWS`] at its own line and column (the check runs in
/// a visitor, where the YAML parser still knows the position).
pub fn blank_rows<'de, D: serde::Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    struct Rows;
    impl serde::de::Visitor<'_> for Rows {
        type Value = u32;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a number of rows")
        }
        fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<u32, E> {
            match u32::try_from(n) {
                Ok(n) if n <= MAX_BLANK_ROWS => Ok(n),
                _ => Err(de_error(
                    Invalid::new(format!("`blank_rows` is {n}, more than fit on paper"))
                        .hint(format!("ask for at most {MAX_BLANK_ROWS} blank rows")),
                )),
            }
        }
        fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<u32, E> {
            match u64::try_from(n) {
                Ok(n) => self.visit_u64(n),
                Err(_) => Err(de_error(
                    Invalid::new(format!("`blank_rows` is {n}"))
                        .hint(format!("write a number of rows from 0 to {MAX_BLANK_ROWS}")),
                )),
            }
        }
    }
    d.deserialize_u32(Rows)
}

/// How a worksheet prints: empty rows to fill in by hand, and the sheet's orientation.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Print {
    #[serde(default, deserialize_with = "blank_rows")]
    pub blank_rows: u32,
    #[serde(default)]
    pub orientation: Orientation,
}

/// The keys every kind shares.
#[derive(Debug, Clone, Default)]
pub struct Header {
    pub title: Option<String>,
    pub description: Option<String>,
    pub intro: Option<Markdown>,
    /// What prints instead of `intro` (which may speak of the screen: buttons, downloads).
    pub print_intro: Option<Markdown>,
    pub weight: Option<i64>,
    pub draft: bool,
    /// Personal: served and printed, never published by `build`.
    pub private: bool,
    pub print: Print,
}

#[derive(Debug)]
pub struct Worksheet {
    pub header: Header,
    /// The kind's typed data, which answers for everything that varies by kind.
    pub(crate) data: Box<dyn WorksheetKind>,
}

/// Declares a kind's file struct: the shared keys plus the kind's own, unknown keys refused.
/// (serde's `flatten` would lose positions and the unknown-key check, hence a macro.)
macro_rules! worksheet_file {
    ($name:ident { $( $(#[$attr:meta])* $field:ident : $ty:ty, )* }) => {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub(super) struct $name {
            /// Read by [`parse_with`] first; known here so that it is not refused.
            #[allow(dead_code)]
            kind: serde::de::IgnoredAny,
            title: Option<String>,
            description: Option<String>,
            intro: Option<$crate::worksheet::Markdown>,
            print_intro: Option<$crate::worksheet::Markdown>,
            weight: Option<i64>,
            #[serde(default)]
            draft: bool,
            #[serde(default)]
            private: bool,
            #[serde(default)]
            print: $crate::worksheet::Print,
            $( $(#[$attr])* $field: $ty, )*
        }

        impl $name {
            pub fn header(&mut self) -> $crate::worksheet::Header {
                $crate::worksheet::Header {
                    title: self.title.take(),
                    description: self.description.take(),
                    intro: self.intro.take(),
                    print_intro: self.print_intro.take(),
                    weight: self.weight,
                    draft: self.draft,
                    private: self.private,
                    print: std::mem::take(&mut self.print),
                }
            }
        }
    };
}
pub(crate) use worksheet_file;

/// Only the kind, read before the rest; other keys are ignored at this step.
#[derive(Deserialize)]
struct Probe {
    kind: Option<String>,
}

/// Reads a worksheet file. `path` is shown in diagnostics; every mistake found is returned.
pub fn parse(path: &Path, text: &str) -> Result<Worksheet, Vec<Diagnostic>> {
    parse_with(KINDS, path, text)
}

/// Reads a worksheet file whose kind is one of `kinds` (the registry, or more in a test).
pub(crate) fn parse_with(
    kinds: &[Registered],
    path: &Path,
    text: &str,
) -> Result<Worksheet, Vec<Diagnostic>> {
    let node = yaml::read(path, text, text, 0).map_err(|d| vec![d])?;
    let probe: Probe = yaml::decode(path, text, &node)?;
    let Some(name) = probe.kind else {
        return Err(vec![
            Diagnostic::new(path, "the worksheet has no `kind`")
                .at(text, 1, 1)
                .hint(format!("start the file with {}", kind_lines(kinds))),
        ]);
    };
    let Some(kind) = kinds.iter().find(|k| k.name == name) else {
        return Err(vec![unknown_kind(kinds, path, text, &node, &name)]);
    };
    let (header, data) = (kind.parse)(path, text, &node)?;
    Ok(Worksheet { header, data })
}

/// "`kind: a`, `kind: b` or `kind: c`"
fn kind_lines(kinds: &[Registered]) -> String {
    let lines: Vec<String> = kinds
        .iter()
        .map(|k| format!("`kind: {}`", k.name))
        .collect();
    match lines.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// `kind:` names no registered kind: said as the YAML reader says an unknown value.
fn unknown_kind(
    kinds: &[Registered],
    path: &Path,
    text: &str,
    node: &Node,
    name: &str,
) -> Diagnostic {
    let names: Vec<&str> = kinds.iter().map(|k| k.name).collect();
    let list = names.join(", ");
    let hint = match closest(name, &names) {
        Some(k) => format!("did you mean `{k}`? Allowed values: {list}"),
        None => format!("allowed values: {list}"),
    };
    let (line, col) = node.pos_of("kind");
    Diagnostic::new(path, format!("unknown value `{name}` (at `kind`)"))
        .at(text, line, col)
        .hint(hint)
}

/// A diagnostic at `(line, col)` of `text`, for the checks that run after typing.
pub(crate) fn diag(
    path: &Path,
    text: &str,
    (line, col): (usize, usize),
    message: impl Into<String>,
    hint: impl Into<String>,
) -> Diagnostic {
    Diagnostic::new(path, message)
        .at(text, line, col)
        .hint(hint)
}

impl Worksheet {
    /// The name written in `kind:`.
    pub fn kind(&self) -> &'static str {
        self.data.name()
    }

    /// The template the worksheet renders with, unless its page names another.
    pub fn template(&self) -> &'static str {
        self.data.template()
    }

    /// Every Markdown field, for rendering once URLs are known.
    pub fn markdown_mut(&mut self) -> Vec<&mut Markdown> {
        let mut out: Vec<&mut Markdown> = self
            .header
            .intro
            .iter_mut()
            .chain(self.header.print_intro.iter_mut())
            .collect();
        out.extend(self.data.markdown_mut());
        out
    }

    /// Every Markdown field, in the same order as `markdown_mut`.
    pub fn markdown(&self) -> Vec<&Markdown> {
        let mut out: Vec<&Markdown> = self
            .header
            .intro
            .iter()
            .chain(self.header.print_intro.iter())
            .collect();
        out.extend(self.data.markdown());
        out
    }

    /// The ids of the groups the kind's template shows.
    pub fn anchors(&self) -> Vec<String> {
        self.data.anchors().into_iter().map(String::from).collect()
    }

    /// Plain text of the worksheet, for search.
    pub fn text(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if let Some(i) = &self.header.intro {
            parts.push(&i.text);
        }
        self.data.search_text(&mut parts);
        parts.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> Diagnostic {
        parse(Path::new("w.yaml"), text).unwrap_err().remove(0)
    }

    #[test]
    fn kind_is_required_and_checked() {
        let d = err("title: x\n");
        assert_eq!(d.message, "the worksheet has no `kind`");
        assert_eq!((d.line, d.col), (1, 1));
        let d = err("title: x\nkind: stakeholder\n");
        assert_eq!(d.message, "unknown value `stakeholder` (at `kind`)");
        assert_eq!(d.line, 2);
        assert!(d.hint.unwrap().contains("did you mean `stakeholders`"));
        let d = err("- a\n- b\n");
        assert!(
            d.message
                .contains("expected `key: value` lines, found a list"),
            "{}",
            d.message
        );
    }

    #[test]
    fn shared_keys_are_typed() {
        let d = err("kind: table\ncolumns: [a]\nprint:\n  orientation: sideways\n");
        assert_eq!(d.line, 4);
        assert!(d.hint.unwrap().contains("portrait, landscape"));
        let d = err("kind: table\ncolumns: [a]\ntitel: x\n");
        assert_eq!(d.message, "unknown key `titel`");
        assert!(d.hint.unwrap().starts_with("did you mean `title`?"));
    }
}
