//! Worksheets: typed YAML pages (a stakeholder map, a checklist, a schedule of time blocks, a
//! free table). Each file is read in two steps: its `kind` first, then the whole file straight
//! into the kind's strict struct, so that every error keeps its line and column.

mod checklist;
mod schedule;
mod stakeholders;
mod table;

pub use checklist::{Checklist, Item, MonthSlot, WeekSlot, When, YearSlot};
pub use schedule::{Block, Schedule};
pub use stakeholders::{Influence, Person, Relationship, Role, Stakeholders, Status};
pub use table::{Column, Table};

use crate::error::{Diagnostic, Invalid, de_error};
use crate::yaml;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The kinds of worksheet, as written in `kind:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Stakeholders,
    Checklist,
    Schedule,
    Table,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Stakeholders => "stakeholders",
            Kind::Checklist => "checklist",
            Kind::Schedule => "schedule",
            Kind::Table => "table",
        }
    }

    /// The template a worksheet of this kind renders with (overridable like any template).
    pub fn template(self) -> &'static str {
        match self {
            Kind::Stakeholders => "stakeholders.html",
            Kind::Checklist => "checklist.html",
            Kind::Schedule => "schedule.html",
            Kind::Table => "table.html",
        }
    }
}

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

#[derive(Debug, Clone)]
pub enum Data {
    Stakeholders(Stakeholders),
    Checklist(Checklist),
    Schedule(Schedule),
    Table(Table),
}

#[derive(Debug, Clone)]
pub struct Worksheet {
    pub kind: Kind,
    pub header: Header,
    pub data: Data,
}

/// Declares a kind's file struct: the shared keys plus the kind's own, unknown keys refused.
/// (serde's `flatten` would lose positions and the unknown-key check, hence a macro.)
macro_rules! worksheet_file {
    ($name:ident { $( $(#[$attr:meta])* $field:ident : $ty:ty, )* }) => {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        pub(super) struct $name {
            #[allow(dead_code)]
            kind: super::Kind,
            title: Option<String>,
            description: Option<String>,
            intro: Option<super::Markdown>,
            print_intro: Option<super::Markdown>,
            weight: Option<i64>,
            #[serde(default)]
            draft: bool,
            #[serde(default)]
            private: bool,
            #[serde(default)]
            print: super::Print,
            $( $(#[$attr])* $field: $ty, )*
        }

        impl $name {
            pub fn header(&mut self) -> super::Header {
                super::Header {
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
    kind: Option<Kind>,
}

const KINDS: &str = "`kind: stakeholders`, `kind: checklist`, `kind: schedule` or `kind: table`";

/// Reads a worksheet file. `path` is shown in diagnostics; every mistake found is returned.
pub fn parse(path: &Path, text: &str) -> Result<Worksheet, Vec<Diagnostic>> {
    let node = yaml::read(path, text, text, 0).map_err(|d| vec![d])?;
    let probe: Probe = yaml::decode(path, text, &node)?;
    let Some(kind) = probe.kind else {
        return Err(vec![
            Diagnostic::new(path, "the worksheet has no `kind`")
                .at(text, 1, 1)
                .hint(format!("start the file with {KINDS}")),
        ]);
    };
    let (header, data) = match kind {
        Kind::Stakeholders => stakeholders::parse(path, text, &node)?,
        Kind::Checklist => checklist::parse(path, text, &node)?,
        Kind::Schedule => schedule::parse(path, text, &node)?,
        Kind::Table => table::parse(path, text, &node)?,
    };
    Ok(Worksheet { kind, header, data })
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
    /// Every Markdown field, for rendering once URLs are known.
    pub fn markdown_mut(&mut self) -> Vec<&mut Markdown> {
        let mut out: Vec<&mut Markdown> = self
            .header
            .intro
            .iter_mut()
            .chain(self.header.print_intro.iter_mut())
            .collect();
        match &mut self.data {
            Data::Stakeholders(s) => {
                out.extend(s.people.iter_mut().filter_map(|p| p.notes.as_mut()))
            }
            Data::Checklist(c) => out.extend(c.notes_mut()),
            Data::Schedule(s) => out.extend(s.blocks.iter_mut().filter_map(|b| b.notes.as_mut())),
            Data::Table(_) => {}
        }
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
        match &self.data {
            Data::Stakeholders(s) => out.extend(s.people.iter().filter_map(|p| p.notes.as_ref())),
            Data::Checklist(c) => out.extend(c.notes()),
            Data::Schedule(s) => out.extend(s.blocks.iter().filter_map(|b| b.notes.as_ref())),
            Data::Table(_) => {}
        }
        out
    }

    /// The ids of the groups the kind's template shows (`#weekly`, `#inside`), so that links
    /// to them are checked like links to headings.
    pub fn anchors(&self) -> Vec<String> {
        let ids: Vec<&str> = match &self.data {
            Data::Stakeholders(s) => {
                let mut ids = Vec::new();
                for (id, inside) in [
                    ("inside", Some(true)),
                    ("outside", Some(false)),
                    ("unsorted", None),
                ] {
                    if s.people.iter().any(|p| p.inside_company == inside) {
                        ids.push(id);
                    }
                }
                ids
            }
            Data::Checklist(c) => [
                ("weekly", c.weekly.is_empty()),
                ("monthly", c.monthly.is_empty()),
                ("quarterly", c.quarterly.is_empty()),
                ("yearly", c.yearly.is_empty()),
            ]
            .into_iter()
            .filter(|(_, empty)| !empty)
            .map(|(id, _)| id)
            .collect(),
            Data::Schedule(_) | Data::Table(_) => vec![],
        };
        ids.into_iter().map(String::from).collect()
    }

    /// Plain text of the worksheet, for search.
    pub fn text(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        if let Some(i) = &self.header.intro {
            parts.push(&i.text);
        }
        match &self.data {
            Data::Stakeholders(s) => {
                for p in &s.people {
                    parts.push(&p.name);
                    parts.extend(p.organization.as_deref());
                    parts.extend(p.next_step.as_deref());
                }
            }
            Data::Checklist(c) => parts.extend(c.texts()),
            Data::Schedule(s) => parts.extend(s.blocks.iter().map(|b| b.title.as_str())),
            Data::Table(t) => {
                parts.extend(t.columns.iter().map(|c| c.name.as_str()));
                for r in &t.rows {
                    parts.extend(r.iter().map(String::as_str));
                }
            }
        }
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
