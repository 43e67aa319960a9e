//! The printable planner (`/planner/`): its settings resolved against the worksheets, checked
//! when the site loads. What its template sees is built in `render::planner_view`.

use crate::config::{CONFIG_FILE, Config, DEFAULT_WEEKS, Paper};
use crate::content::{ItemRef, Library};
use crate::dates::week_start;
use crate::error::{Diagnostic, closest};
use crate::plan::PLANNER as PATH;
use crate::worksheet::{Data, Orientation, Worksheet};
use chrono::NaiveDate;
use std::path::Path;

/// The planner settings with defaults filled in and worksheets found.
#[derive(Debug, Clone)]
pub struct Planner {
    /// A Monday.
    pub start: NaiveDate,
    pub weeks: u32,
    pub paper: Paper,
    /// Worksheet pages, in print order.
    pub worksheets: Vec<usize>,
    /// What was found that prints badly (a column too narrow to write in), as warnings.
    pub warnings: Vec<Diagnostic>,
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
fn narrow_columns(page: &crate::content::Page, w: &Worksheet, paper: Paper) -> Vec<Diagnostic> {
    let Data::Table(t) = &w.data else {
        return vec![];
    };
    let landscape = w.header.print.orientation == Orientation::Landscape;
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
                    &page.source,
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

pub fn resolve(config: &Config, lib: &Library) -> Result<Planner, Vec<Diagnostic>> {
    let cfg = config.planner.clone().unwrap_or_default();
    let mut diags = Vec::new();
    let taken = lib
        .sections
        .iter()
        .filter(|s| s.path == PATH)
        .map(|s| &s.source)
        .chain(
            lib.pages
                .iter()
                .filter(|p| p.path == PATH)
                .map(|p| &p.source),
        );
    for source in taken {
        diags.push(
            Diagnostic::new(
                source,
                format!(
                    "`{}` takes the URL /{PATH}, which the printable planner uses",
                    source.display()
                ),
            )
            .hint("rename the file or folder"),
        );
    }
    let all: Vec<usize> = lib
        .order
        .iter()
        .filter_map(|item| match item {
            ItemRef::Page(i) if lib.worksheet(*i).is_some() => Some(*i),
            _ => None,
        })
        .collect();
    let worksheets = match &cfg.include {
        None => all,
        Some(list) => {
            let mut chosen = Vec::new();
            for (index, entry) in list.iter().enumerate() {
                let wanted = Path::new("content").join(entry.trim_start_matches("content/"));
                match all.iter().find(|&&i| lib.pages[i].source == wanted) {
                    Some(&i) => chosen.push(i),
                    // Left out of this run (a published site): the public planner skips it.
                    None if lib.private.contains(&wanted) => {}
                    None => diags.push(unknown_include(config, lib, &all, (index, entry))),
                }
            }
            chosen
        }
    };
    if !diags.is_empty() {
        return Err(diags);
    }
    let warnings = worksheets
        .iter()
        .filter_map(|&i| Some((&lib.pages[i], lib.worksheet(i)?)))
        .flat_map(|(page, w)| narrow_columns(page, w, cfg.paper))
        .collect();
    Ok(Planner {
        start: week_start(cfg.start.map_or(config.today, |d| d.0)),
        weeks: cfg.weeks.map_or(DEFAULT_WEEKS, |w| w.0),
        paper: cfg.paper,
        worksheets,
        warnings,
    })
}

fn unknown_include(
    config: &Config,
    lib: &Library,
    all: &[usize],
    (index, entry): (usize, &str),
) -> Diagnostic {
    let known: Vec<String> = all
        .iter()
        .map(|&i| {
            let s = lib.pages[i].source.to_string_lossy().replace('\\', "/");
            s.trim_start_matches("content/").to_string()
        })
        .collect();
    let refs: Vec<&str> = known.iter().map(String::as_str).collect();
    let hint = match closest(entry, &refs) {
        Some(k) => format!("did you mean `{k}`? Paths are relative to content/"),
        None if refs.is_empty() => "there are no worksheets in content/".to_string(),
        None => format!("worksheets: {}", refs.join(", ")),
    };
    let (line, col) = config.positions.of(&format!("planner.include[{index}]"));
    Diagnostic::new(
        CONFIG_FILE,
        format!("`planner.include` names `{entry}`, which is not a worksheet"),
    )
    .at(&config.text, line, col)
    .hint(hint)
}
