//! What `planner.html` sees: the chosen worksheets, then one dated sheet per week with that
//! week's habits, time blocks and the people due a contact.

use super::view::{self, DateView, View, place};
use crate::config::{Config, Paper};
use crate::content::{Library, Page};
use crate::planner::Planner;
use crate::worksheet::Worksheet;
use crate::worksheet::view::{Week, WeekEntries};
use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

/// The same margin on every side of every sheet, portrait or landscape; the sheet number
/// sits in the bottom one.
pub use crate::config::MARGIN_MM;

/// The height of a writing row (a ruled note line, an entry, a blank table row): college-ruled
/// paper is 7.1 mm, a pencil wants a little more.
pub const ROW_MM: f64 = 8.5;

/// How a week sheet is laid out on paper, in millimetres. planner.css sets the same sizes
/// (`--row`, `--text-line`), so what is counted here is what prints.
mod layout {
    /// The week's title, its dates and the row of days.
    pub const HEADER: f64 = 24.0;
    /// A group's heading ("Every week").
    pub const HEADING: f64 = 8.0;
    /// One line of an entry's text (9.5 pt type on 4.4 mm lines).
    pub const TEXT_LINE: f64 = 4.4;
    /// An entry's padding above and below its text.
    pub const ENTRY_PAD: f64 = 3.6;
    /// A character's average width at 9.5 pt, generously (so an estimate never falls short).
    pub const CHAR: f64 = 1.85;
    /// The notes' heading and at least this many ruled lines close the last sheet of a week.
    pub const MIN_NOTE_LINES: u32 = 4;
    /// Left for rounding, so a full sheet never spills onto another.
    pub const SLACK: f64 = 8.0;
}

/// What `planner.html` sees as `planner`.
#[derive(Serialize)]
pub struct PlannerView<'a> {
    start: DateView,
    end: DateView,
    paper: Paper,
    page_size: &'static str,
    /// The `@page` margin: `15mm`.
    page_margin: String,
    /// The height a week sheet fills (`267mm`).
    week_height: String,
    /// The writing row's height (`8mm`).
    row: String,
    /// Weeks in the planner (a week may take more than one sheet).
    week_count: u32,
    worksheets: Vec<SheetView<'a>>,
    /// One entry per sheet: a week too full for one sheet continues on the next.
    weeks: Vec<WeekView<'a>>,
}

#[derive(Serialize)]
struct SheetView<'a> {
    title: &'a str,
    description: &'a str,
    url: String,
    landscape: bool,
    worksheet: View<'a>,
}

#[derive(Serialize, Default)]
pub struct WeekView<'a> {
    /// 1-based position in the planner.
    number: u32,
    /// The sheet's id: `week-3`, then `week-3-2` for its continuation.
    id: String,
    /// A continuation sheet of the week ("Week 49 · continued").
    continued: bool,
    /// Whether the week goes on to another sheet (which holds the notes).
    continues: bool,
    iso_week: u32,
    iso_year: i32,
    start: Option<DateView>,
    end: Option<DateView>,
    days: Vec<DateView>,
    /// What the worksheets put in the week, group by group.
    #[serde(flatten)]
    entries: WeekEntries<'a>,
    /// Ruled lines for notes: as many as fit under the entries of the week's last sheet.
    lines: u32,
}

pub fn view<'a>(planner: &Planner, config: &'a Config, lib: &'a Library) -> PlannerView<'a> {
    let sheets: Vec<(&'a Page, &'a Worksheet)> = planner
        .worksheets
        .iter()
        .filter_map(|&i| Some((&lib.pages[i], lib.worksheet(i)?)))
        .collect();
    let worksheets = sheets
        .iter()
        .map(|(page, w)| SheetView {
            title: &page.title,
            description: &page.description,
            url: config.url(&page.path),
            landscape: w.header.print.orientation == crate::worksheet::Orientation::Landscape,
            worksheet: view::view(w, place(config, page, w)),
        })
        .collect();
    let paper = Size::portrait(planner.paper);
    let weeks = (0..planner.weeks)
        .filter_map(|n| {
            let monday = planner
                .start
                .checked_add_days(Days::new(u64::from(n) * 7))?;
            Some(week(planner, config.today, n + 1, monday, &sheets))
        })
        .flat_map(|w| paginate(w, paper))
        .collect();
    let last_day = planner
        .start
        .checked_add_days(Days::new(u64::from(planner.weeks) * 7 - 1))
        .unwrap_or(planner.start);
    PlannerView {
        start: view::date(planner.start),
        end: view::date(last_day),
        paper: planner.paper,
        page_size: planner.paper.css(),
        page_margin: format!("{MARGIN_MM}mm"),
        week_height: format!("{:.1}mm", paper.content_height() - layout::SLACK),
        row: format!("{ROW_MM}mm"),
        week_count: planner.weeks,
        worksheets,
        weeks,
    }
}

fn week<'a>(
    planner: &Planner,
    today: NaiveDate,
    number: u32,
    monday: NaiveDate,
    sheets: &[(&'a Page, &'a Worksheet)],
) -> WeekView<'a> {
    let sunday = monday + Days::new(6);
    // The months and years the week touches (one or two of each).
    let mut months = vec![(monday.year(), monday.month())];
    if sunday.month() != monday.month() {
        months.push((sunday.year(), sunday.month()));
    }
    let mut years = vec![monday.year()];
    if sunday.year() != monday.year() {
        years.push(sunday.year());
    }
    let at = Week {
        number,
        monday,
        sunday,
        today,
        planner_start: planner.start,
        months,
        years,
    };
    let mut entries = WeekEntries::default();
    for (_, sheet) in sheets {
        sheet.data.plan_week(&at, &mut entries);
    }
    entries
        .blocks
        .sort_by(|a, b| (&a.date.iso, &a.start).cmp(&(&b.date.iso, &b.start)));
    entries
        .contacts
        .sort_by(|a, b| (&a.date.iso, a.name).cmp(&(&b.date.iso, b.name)));
    WeekView {
        number,
        id: format!("week-{number}"),
        iso_week: monday.iso_week().week(),
        iso_year: monday.iso_week().year(),
        start: Some(view::date(monday)),
        end: Some(view::date(sunday)),
        days: (0..7).map(|i| view::date(monday + Days::new(i))).collect(),
        entries,
        ..Default::default()
    }
}

/// A sheet of paper in millimetres.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub width: f64,
    pub height: f64,
}

impl Size {
    pub fn portrait(paper: Paper) -> Size {
        let (width, height) = paper.size_mm(false);
        Size { width, height }
    }

    /// The width inside the margins.
    pub fn content_width(self) -> f64 {
        self.width - 2.0 * MARGIN_MM
    }

    pub fn content_height(self) -> f64 {
        self.height - 2.0 * MARGIN_MM
    }
}

/// The height an entry of `chars` characters takes on a sheet `width` mm wide.
fn entry_height(chars: usize, width: f64) -> f64 {
    // The check box takes the first 6 mm of the line.
    let per_line = (((width - 6.0) / layout::CHAR).floor() as usize).max(1);
    let lines = chars.div_ceil(per_line).max(1) as f64;
    (lines * layout::TEXT_LINE + layout::ENTRY_PAD).max(ROW_MM)
}

/// Splits a week into sheets that each fit the paper: entries in their order (habits, the
/// month's and quarter's items, blocks, contacts), a group's heading again on the sheet it
/// continues on, and the notes on the last sheet, with as many ruled lines as fit there.
/// No entry is split across sheets.
fn paginate(week: WeekView<'_>, paper: Size) -> Vec<WeekView<'_>> {
    let budget = paper.content_height() - layout::SLACK - layout::HEADER;
    let width = paper.content_width();
    let notes_min = layout::HEADING + f64::from(layout::MIN_NOTE_LINES) * ROW_MM;
    let mut sheets = vec![WeekView {
        number: week.number,
        id: week.id.clone(),
        iso_week: week.iso_week,
        iso_year: week.iso_year,
        start: week.start.clone(),
        end: week.end.clone(),
        days: week.days.clone(),
        ..Default::default()
    }];
    let mut used = 0.0;
    // Which group the last entry went into, so a new sheet repeats the group's heading.
    let mut open: Option<u8> = None;
    macro_rules! place {
        ($group:ident, $key:expr, $chars:expr, $entry:expr) => {{
            let heading = if open == Some($key) {
                0.0
            } else {
                layout::HEADING
            };
            let h = entry_height($chars, width);
            if used + heading + h > budget && used > 0.0 {
                continue_week(&mut sheets);
                used = layout::HEADING;
            } else {
                used += heading;
            }
            used += h;
            open = Some($key);
            sheets
                .last_mut()
                .expect("a sheet")
                .entries
                .$group
                .push($entry);
        }};
    }
    for e in week.entries.weekly {
        place!(weekly, 0, e.text.len() + e.when.len(), e);
    }
    // Monthly, quarterly and yearly items share the heading "Also this week".
    for e in week.entries.monthly {
        place!(monthly, 1, e.text.len() + e.when.len() + 20, e);
    }
    for e in week.entries.quarterly {
        place!(quarterly, 1, e.text.len() + e.when.len() + 20, e);
    }
    for e in week.entries.yearly {
        place!(yearly, 1, e.text.len() + e.when.len() + 20, e);
    }
    for b in week.entries.blocks {
        let chars = b.title.len() + b.location.map_or(0, str::len) + 24;
        place!(blocks, 2, chars, b);
    }
    for c in week.entries.contacts {
        let chars = c.name.len()
            + c.role_label.len()
            + c.organization.map_or(0, str::len)
            + c.next_step.map_or(0, str::len)
            + 30;
        place!(contacts, 3, chars, c);
    }
    if used + notes_min > budget {
        continue_week(&mut sheets);
        used = 0.0;
    }
    let left = budget - used - layout::HEADING;
    sheets.last_mut().expect("a sheet").lines = (left / ROW_MM).floor().max(0.0) as u32;
    sheets
}

/// Ends the last sheet of a week and starts its "continued" sheet, dated like the first.
fn continue_week(sheets: &mut Vec<WeekView<'_>>) {
    let n = sheets.len() + 1;
    let first = &sheets[0];
    let next = WeekView {
        number: first.number,
        id: format!("{}-{n}", first.id),
        continued: true,
        iso_week: first.iso_week,
        iso_year: first.iso_year,
        start: first.start.clone(),
        end: first.end.clone(),
        ..Default::default()
    };
    sheets.last_mut().expect("a sheet").continues = true;
    sheets.push(next);
}
