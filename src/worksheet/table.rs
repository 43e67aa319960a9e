//! `kind: table`: a free worksheet of named columns, filled rows and blank rows to write in.

use super::view::ViewAt;
use super::{Header, Orientation, Print, Registered, WorksheetKind, diag, worksheet_file};
use crate::config::Paper;
use crate::error::{Diagnostic, Invalid, closest};
use crate::yaml::{self, Node};
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::path::Path;

/// The registry's line for this kind.
pub(super) const KIND: Registered = Registered {
    name: "table",
    parse,
};

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub name: String,
    /// A CSS length (`30%`, `12em`), checked so it is safe in a style attribute.
    pub width: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnMap {
    name: String,
    width: Option<Width>,
}

/// A column width: a number (percent) or a CSS length.
struct Width(String);

impl<'de> Deserialize<'de> for Width {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Width;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a width such as 30% or 12em")
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Width, E> {
                if (1..=100).contains(&n) {
                    Ok(Width(format!("{n}%")))
                } else {
                    Err(crate::error::de_error(
                        Invalid::new(format!("width {n} is out of range"))
                            .hint("a number is a percentage from 1 to 100"),
                    ))
                }
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Width, E> {
                let s = s.trim();
                let num_end = s
                    .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .unwrap_or(s.len());
                let (num, unit) = s.split_at(num_end);
                let units = ["%", "em", "rem", "ch", "mm", "cm", "in", "px", "pt"];
                if num.parse::<f64>().is_ok_and(|n| n > 0.0) && units.contains(&unit) {
                    Ok(Width(s.to_string()))
                } else {
                    Err(crate::error::de_error(
                        Invalid::new(format!("`{s}` is not a width"))
                            .hint("write a percentage or a length: 30%, 12em, 40mm"),
                    ))
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Column {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Column;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a column name, or a mapping with `name` and optional `width`")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Column, E> {
                Ok(Column {
                    name: s.to_string(),
                    width: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Column, A::Error> {
                let m = ColumnMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Column {
                    name: m.name,
                    width: m.width.map(|w| w.0),
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// A row as written: cells in column order, or a mapping from column name to cell.
#[derive(Debug, Clone)]
enum RawRow {
    List(Vec<String>),
    Map(Vec<(String, String)>),
}

/// A cell: any scalar, shown as written.
struct Cell(String);

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Cell;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a cell value (text, a number or a date)")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Cell, E> {
                Ok(Cell(s.to_string()))
            }
            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Cell, E> {
                Ok(Cell(n.to_string()))
            }
            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Cell, E> {
                Ok(Cell(n.to_string()))
            }
            fn visit_f64<E: de::Error>(self, n: f64) -> Result<Cell, E> {
                Ok(Cell(n.to_string()))
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Cell, E> {
                Ok(Cell(if b { "yes" } else { "no" }.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Cell, E> {
                Ok(Cell(String::new()))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawRow {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawRow;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a row: a list of cells, or a mapping from column name to cell")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawRow, A::Error> {
                let mut cells = Vec::new();
                while let Some(Cell(c)) = seq.next_element()? {
                    cells.push(c);
                }
                Ok(RawRow::List(cells))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawRow, A::Error> {
                let mut cells = Vec::new();
                while let Some((k, Cell(v))) = map.next_entry::<String, Cell>()? {
                    cells.push((k, v));
                }
                Ok(RawRow::Map(cells))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<Column>,
    /// Every row with one cell per column.
    pub rows: Vec<Vec<String>>,
    /// Which rows are examples to replace (`example: true` in a row written as a mapping).
    pub examples: Vec<bool>,
    pub blank_rows: u32,
}

worksheet_file!(File {
    columns: Vec<Column>,
    #[serde(default)]
    rows: Vec<RawRow>,
    #[serde(default, deserialize_with = "super::blank_rows")]
    blank_rows: u32,
});

fn parse(
    path: &Path,
    text: &str,
    node: &Node,
) -> Result<(Header, Box<dyn WorksheetKind>), Vec<Diagnostic>> {
    let (header, table) = read(path, text, node)?;
    Ok((header, Box::new(table)))
}

/// The shared keys and the table, every row checked against the columns.
fn read(path: &Path, text: &str, node: &Node) -> Result<(Header, Table), Vec<Diagnostic>> {
    let mut f: File = yaml::decode(path, text, node)?;
    let columns = node.get("columns");
    let column_at = |i: usize| columns.and_then(|c| c.items().get(i)).map(Node::pos);
    let rows_node = node.get("rows");
    let row_at = |i: usize| rows_node.and_then(|r| r.items().get(i));
    let header = f.header();
    let mut diags = Vec::new();
    let names: Vec<&str> = f.columns.iter().map(|c| c.name.as_str()).collect();
    if names.is_empty() {
        diags.push(diag(
            path,
            text,
            node.key_pos("columns"),
            "a table needs at least one column",
            "list the column names: `columns: [Date, What I did, Impact]`",
        ));
    }
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            diags.push(diag(
                path,
                text,
                column_at(i).unwrap_or(node.pos_of("columns")),
                format!("column `{name}` is listed twice"),
                "give every column its own name",
            ));
        }
    }
    let mut rows = Vec::with_capacity(f.rows.len());
    let mut examples = Vec::with_capacity(f.rows.len());
    for (i, row) in f.rows.iter().enumerate() {
        let mut cells = vec![String::new(); names.len()];
        let mut example = false;
        match row {
            RawRow::List(list) => {
                if list.len() > names.len() {
                    diags.push(diag(
                        path,
                        text,
                        row_at(i).map_or(node.pos_of("rows"), Node::pos),
                        format!(
                            "row {} has {} cells but the table has {} columns",
                            i + 1,
                            list.len(),
                            names.len()
                        ),
                        format!("columns: {}", names.join(", ")),
                    ));
                }
                for (c, v) in cells.iter_mut().zip(list) {
                    c.clone_from(v);
                }
            }
            RawRow::Map(map) => {
                for (k, v) in map {
                    match names.iter().position(|n| n == k) {
                        Some(j) => cells[j].clone_from(v),
                        // `example` marks the row, unless a column has that name.
                        None if k == "example" => match v.as_str() {
                            "yes" => example = true,
                            "no" => {}
                            _ => diags.push(diag(
                                path,
                                text,
                                row_at(i).map_or(node.pos_of("rows"), |r| r.key_pos(k)),
                                format!("`example` is `{v}`"),
                                "write `example: true` for an example row, or leave it out",
                            )),
                        },
                        None => {
                            let hint = match closest(k, &names) {
                                Some(n) => {
                                    format!("did you mean `{n}`? Columns: {}", names.join(", "))
                                }
                                None => format!("columns: {}", names.join(", ")),
                            };
                            diags.push(diag(
                                path,
                                text,
                                row_at(i).map_or(node.pos_of("rows"), |r| r.key_pos(k)),
                                format!("unknown column `{k}`"),
                                hint,
                            ));
                        }
                    }
                }
            }
        }
        rows.push(cells);
        examples.push(example);
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok((
        header,
        Table {
            columns: f.columns,
            rows,
            examples,
            blank_rows: f.blank_rows,
        },
    ))
}

impl WorksheetKind for Table {
    fn name(&self) -> &'static str {
        KIND.name
    }

    fn template(&self) -> &'static str {
        "table.html"
    }

    fn search_text<'a>(&'a self, parts: &mut Vec<&'a str>) {
        parts.extend(self.columns.iter().map(|c| c.name.as_str()));
        for r in &self.rows {
            parts.extend(r.iter().map(String::as_str));
        }
    }

    fn view(&self, _at: ViewAt) -> tera::Value {
        tera::Value::from_serializable(&TableView {
            columns: &self.columns,
            rows: self
                .rows
                .iter()
                .zip(&self.examples)
                .map(|(cells, &example)| RowView { cells, example })
                .collect(),
            blank_rows: self.blank_rows,
        })
    }

    fn print_warnings(&self, source: &Path, print: &Print, paper: Paper) -> Vec<Diagnostic> {
        narrow_columns(self, source, print, paper)
    }
}

/// The narrowest column one can write a sentence in by hand.
pub const WRITING_COLUMN_MM: f64 = 45.0;
/// A column given less than this share of the sheet is a label (a date, a number, a tick):
/// only wider ones are checked against [`WRITING_COLUMN_MM`].
const LABEL_SHARE: f64 = 0.15;
/// What a CSS length is in millimetres at the planner's type size (10.5 pt).
fn length_mm(width: &str, sheet_mm: f64) -> Option<f64> {
    let num_end = width
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(width.len());
    let (n, unit) = width.split_at(num_end);
    let n: f64 = n.parse().ok()?;
    Some(match unit {
        "%" => n / 100.0 * sheet_mm,
        "mm" => n,
        "cm" => n * 10.0,
        "in" => n * 25.4,
        "pt" => n * 25.4 / 72.0,
        "px" => n * 25.4 / 96.0,
        "em" | "rem" => n * 3.7,
        "ch" => n * 1.85,
        _ => return None,
    })
}

/// Warnings for the columns of a table worksheet that print too narrow to write in: widths
/// from the worksheet, the columns without one sharing what is left of the sheet's width.
fn narrow_columns(t: &Table, source: &Path, print: &Print, paper: Paper) -> Vec<Diagnostic> {
    let landscape = print.orientation == Orientation::Landscape;
    let sheet = paper.content_width_mm(landscape);
    let given: Vec<Option<f64>> = t
        .columns
        .iter()
        .map(|c| c.width.as_deref().and_then(|s| length_mm(s, sheet)))
        .collect();
    let fixed: f64 = given.iter().flatten().sum();
    let free = given.iter().filter(|g| g.is_none()).count();
    let share = if free > 0 {
        ((sheet - fixed) / free as f64).max(0.0)
    } else {
        0.0
    };
    let mut out = Vec::new();
    for (c, g) in t.columns.iter().zip(&given) {
        let mm = g.unwrap_or(share);
        if mm < WRITING_COLUMN_MM && mm >= LABEL_SHARE * sheet {
            out.push(
                Diagnostic::new(
                    source,
                    format!(
                        "column `{}` prints {mm:.0} mm wide on {} {}, too narrow to write in (at least {WRITING_COLUMN_MM:.0} mm)",
                        c.name,
                        paper.css(),
                        if landscape { "landscape" } else { "portrait" },
                    ),
                )
                .hint("give it a wider `width`, narrow the label columns (dates, ticks), or print the sheet in landscape (`print: {orientation: landscape}`)")
                .warning(),
            );
        }
    }
    out
}

#[derive(Serialize)]
struct TableView<'a> {
    columns: &'a [Column],
    rows: Vec<RowView<'a>>,
    blank_rows: u32,
}

#[derive(Serialize)]
struct RowView<'a> {
    cells: &'a [String],
    example: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Result<Table, Vec<Diagnostic>> {
        let path = Path::new("t.yaml");
        let node = yaml::read(path, text, text, 0).map_err(|d| vec![d])?;
        read(path, text, &node).map(|(_, t)| t)
    }

    #[test]
    fn rows_as_lists_and_mappings() {
        let t = table(
            "kind: table\ncolumns:\n  - Date\n  - name: Impact\n    width: 40%\nrows:\n  - [2026-01-05, 3]\n  - Impact: big\n",
        )
        .unwrap();
        assert_eq!(t.rows, vec![vec!["2026-01-05", "3"], vec!["", "big"]]);
        assert_eq!(t.examples, vec![false, false]);
        assert_eq!(t.columns[1].width.as_deref(), Some("40%"));
        let t = table("kind: table\ncolumns: [A]\nrows:\n  - A: x\n    example: true\n  - [y]\n")
            .unwrap();
        assert_eq!(t.examples, vec![true, false]);
        let e =
            table("kind: table\ncolumns: [A]\nrows:\n  - A: x\n    example: maybe\n").unwrap_err();
        assert_eq!((e[0].line, e[0].col), (5, 5));
    }

    #[test]
    fn bad_rows_and_widths() {
        let e = table("kind: table\ncolumns: [Date, Impact]\nrows:\n  - Date: x\n    Imppact: y\n")
            .unwrap_err();
        assert_eq!(
            e[0].message,
            "unknown column `Impppact`".replace("ppp", "pp")
        );
        assert_eq!((e[0].line, e[0].col), (5, 5));
        assert!(
            e[0].hint
                .as_deref()
                .unwrap()
                .starts_with("did you mean `Impact`?")
        );
        let e = table("kind: table\ncolumns: [A]\nrows:\n  - [1, 2]\n").unwrap_err();
        assert_eq!(e[0].line, 4);
        let e = table("kind: table\ncolumns:\n  - name: A\n    width: 30;color:red\n").unwrap_err();
        assert_eq!(e[0].line, 4);
        assert!(e[0].message.contains("is not a width"), "{}", e[0].message);
    }
}
