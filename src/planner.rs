//! The printable planner (`/planner/`): its settings resolved against the worksheets, checked
//! when the site loads. What its template sees is built in `render::planner_view`.

use crate::config::{CONFIG_FILE, Config, DEFAULT_WEEKS, Paper};
use crate::content::{ItemRef, Library};
use crate::dates::week_start;
use crate::error::{Diagnostic, closest};
use crate::plan::PLANNER as PATH;
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
        .flat_map(|(page, w)| {
            w.data
                .print_warnings(&page.source, &w.header.print, cfg.paper)
        })
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
