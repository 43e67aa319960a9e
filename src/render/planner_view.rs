//! What `planner.html` sees: the chosen worksheets, then one dated sheet per week with that
//! week's habits, time blocks and the people due a contact.

use super::view::{self, DateView, View, place};
use crate::config::{Config, Paper};
use crate::content::{Library, Page};
use crate::planner::Planner;
use crate::worksheet::{Data, Worksheet};
use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

/// Sheet margins; the bottom one holds the page number.
const MARGIN_TOP_MM: f64 = 14.0;
const MARGIN_BOTTOM_MM: f64 = 16.0;
const MARGIN_SIDE_MM: f64 = 14.0;

/// Ruled lines drawn on a week page; the page's height clips those that do not fit under the
/// week's entries, so a full week still fits one sheet.
const NOTE_LINES: u32 = 34;

/// Layout of a sheet of this paper.
trait Sheet {
    fn height_mm(self) -> f64;
    fn content_height(self) -> String;
}

impl Sheet for Paper {
    /// The sheet's height in millimetres (portrait).
    fn height_mm(self) -> f64 {
        match self {
            Paper::A4 => 297.0,
            Paper::Letter => 279.4,
        }
    }

    /// The height a week page fills: the sheet less its margins, less a little so that
    /// rounding never pushes a week onto a second sheet.
    fn content_height(self) -> String {
        format!(
            "{:.1}mm",
            self.height_mm() - MARGIN_TOP_MM - MARGIN_BOTTOM_MM - 3.0
        )
    }
}

/// What `planner.html` sees as `planner`.
#[derive(Serialize)]
pub struct PlannerView<'a> {
    start: DateView,
    end: DateView,
    paper: Paper,
    page_size: &'static str,
    /// The `@page` margin: `14mm 14mm 16mm`.
    page_margin: String,
    /// The height a week page fills (`264.0mm`).
    week_height: String,
    worksheets: Vec<SheetView<'a>>,
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
    iso_week: u32,
    iso_year: i32,
    start: Option<DateView>,
    end: Option<DateView>,
    days: Vec<DateView>,
    weekly: Vec<Entry<'a>>,
    monthly: Vec<Entry<'a>>,
    quarterly: Vec<Entry<'a>>,
    yearly: Vec<Entry<'a>>,
    blocks: Vec<BlockEntry<'a>>,
    contacts: Vec<ContactEntry<'a>>,
    /// Ruled lines for notes (more than fit: the page clips the rest).
    lines: u32,
}

/// A checklist item placed in a week.
#[derive(Serialize)]
struct Entry<'a> {
    text: &'a str,
    when: String,
    date: Option<DateView>,
}

#[derive(Serialize)]
struct BlockEntry<'a> {
    title: &'a str,
    date: DateView,
    start: String,
    end: String,
    location: Option<&'a str>,
}

#[derive(Serialize)]
struct ContactEntry<'a> {
    name: &'a str,
    role_label: &'static str,
    organization: Option<&'a str>,
    next_step: Option<&'a str>,
    cadence_label: &'static str,
    date: DateView,
    /// Due before the planner starts: listed once, in the first week.
    overdue: bool,
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
    let weeks = (0..planner.weeks)
        .filter_map(|n| {
            let monday = planner
                .start
                .checked_add_days(Days::new(u64::from(n) * 7))?;
            Some(week(planner, config.today, n + 1, monday, &sheets))
        })
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
        page_margin: format!("{MARGIN_TOP_MM}mm {MARGIN_SIDE_MM}mm {MARGIN_BOTTOM_MM}mm"),
        week_height: planner.paper.content_height(),
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
    let in_week = |d: &NaiveDate| (monday..=sunday).contains(d);
    // The months and years the week touches (one or two of each).
    let mut months = vec![(monday.year(), monday.month())];
    if sunday.month() != monday.month() {
        months.push((sunday.year(), sunday.month()));
    }
    let mut years = vec![monday.year()];
    if sunday.year() != monday.year() {
        years.push(sunday.year());
    }
    let mut w = WeekView {
        number,
        iso_week: monday.iso_week().week(),
        iso_year: monday.iso_week().year(),
        start: Some(view::date(monday)),
        end: Some(view::date(sunday)),
        days: (0..7).map(|i| view::date(monday + Days::new(i))).collect(),
        ..Default::default()
    };
    for (_, sheet) in sheets {
        match &sheet.data {
            Data::Checklist(c) => {
                for item in &c.weekly {
                    let v = view::item(item);
                    w.weekly.push(Entry {
                        text: v.text,
                        when: v.when,
                        date: None,
                    });
                }
                for item in &c.monthly {
                    for &(y, m) in &months {
                        let date = match &item.when {
                            Some(when) => when.slot.date_in(y, m),
                            None => NaiveDate::from_ymd_opt(y, m, 1),
                        };
                        push_dated(&mut w.monthly, item, date.filter(in_week));
                    }
                }
                for item in &c.quarterly {
                    for &(y, m) in months.iter().filter(|(_, m)| m % 3 == 1) {
                        let date = match &item.when {
                            Some(when) => when.slot.date_in(y, m),
                            None => NaiveDate::from_ymd_opt(y, m, 1),
                        };
                        push_dated(&mut w.quarterly, item, date.filter(in_week));
                    }
                }
                for item in &c.yearly {
                    for &y in &years {
                        let date = match &item.when {
                            Some(when) => when.slot.date_in(y),
                            // Without a date, once a year from the planner's start.
                            None => crate::dates::clamp_day(
                                y,
                                planner.start.month(),
                                planner.start.day(),
                            ),
                        };
                        push_dated(&mut w.yearly, item, date.filter(in_week));
                    }
                }
            }
            Data::Schedule(s) => {
                for b in &s.blocks {
                    for d in b.occurrences_between(monday, sunday) {
                        w.blocks.push(BlockEntry {
                            title: &b.title,
                            date: view::date(d),
                            start: b.start.to_string(),
                            end: b.end().0.to_string(),
                            location: b.location.as_deref(),
                        });
                    }
                }
            }
            Data::Stakeholders(s) => {
                for p in &s.people {
                    let entry = |d: NaiveDate, overdue: bool| ContactEntry {
                        name: &p.name,
                        role_label: p.role.map_or("", |r| r.label()),
                        organization: p.organization.as_deref(),
                        next_step: p.next_step.as_deref(),
                        cadence_label: p.cadence.map_or("", |c| c.label()),
                        date: view::date(d),
                        overdue,
                    };
                    // Someone already overdue when the planner starts heads its first week,
                    // rather than waiting for the cadence to come round again.
                    let overdue = p.next_due(today).filter(|due| *due < monday);
                    match overdue {
                        Some(due) if number == 1 => w.contacts.push(entry(due, true)),
                        _ => {
                            for d in p.due_dates(today, monday, sunday) {
                                w.contacts.push(entry(d, false));
                            }
                        }
                    }
                }
            }
            Data::Table(_) => {}
        }
    }
    w.blocks
        .sort_by(|a, b| (&a.date.iso, &a.start).cmp(&(&b.date.iso, &b.start)));
    w.contacts
        .sort_by(|a, b| (&a.date.iso, a.name).cmp(&(&b.date.iso, b.name)));
    w.lines = NOTE_LINES;
    w
}

fn push_dated<'a, W>(
    list: &mut Vec<Entry<'a>>,
    item: &'a crate::worksheet::Item<W>,
    date: Option<NaiveDate>,
) {
    if let Some(d) = date {
        let v = view::item(item);
        list.push(Entry {
            text: v.text,
            when: v.when,
            date: Some(view::date(d)),
        });
    }
}
