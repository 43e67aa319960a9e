//! What worksheet templates see as `worksheet`: the typed data plus what the build computes
//! from it (due dates, status against the build date, summaries, next occurrences).
//! Markdown fields (`intro`, `notes`) hold rendered HTML: print them with `| safe`.
//!
//! `live` is what the page's script needs to compute the dates again against the reader's today
//! (JSON, safe inside `<script type="application/json">`): without JavaScript, the build date's
//! values stay, marked "as of".

use crate::config::Config;
use crate::content::Page;
use crate::worksheet::{
    Data, Influence, Item, Kind, Person, Print, Relationship, Role, Status, When, Worksheet,
};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Where the worksheet sits in the site, for links and the calendar file.
pub struct Place<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub url: String,
    pub source: String,
    /// URL of the schedule's `.ics` file.
    pub calendar_url: Option<String>,
    pub today: NaiveDate,
    /// Marked `private: true`, or in a private folder.
    pub private: bool,
}

/// Where a worksheet page sits, for its view.
pub fn place<'a>(config: &Config, page: &'a Page, w: &Worksheet) -> Place<'a> {
    Place {
        title: &page.title,
        description: &page.description,
        url: config.url(&page.path),
        source: page.source.to_string_lossy().replace('\\', "/"),
        calendar_url: (w.kind == Kind::Schedule)
            .then(|| config.url(&crate::plan::calendar_file(page))),
        today: config.today,
        private: page.private,
    }
}

#[derive(Serialize)]
pub struct View<'a> {
    kind: Kind,
    title: &'a str,
    description: &'a str,
    intro: &'a str,
    /// Printed instead of `intro` when set.
    print_intro: &'a str,
    /// Marked `private: true` (shown only because this run includes private worksheets).
    private: bool,
    url: String,
    source: String,
    print: &'a Print,
    /// JSON for worksheets.js: the build date and the dates it recomputes (empty for kinds
    /// without dates).
    live: String,
    #[serde(flatten)]
    data: DataView<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum DataView<'a> {
    Stakeholders(StakeholdersView<'a>),
    Checklist(ChecklistView<'a>),
    Schedule(ScheduleView<'a>),
    Table(TableView<'a>),
}

pub fn view<'a>(w: &'a Worksheet, place: Place<'a>) -> View<'a> {
    let today = place.today;
    let live = live(w, today);
    let data = match &w.data {
        Data::Stakeholders(s) => DataView::Stakeholders(stakeholders(s, today)),
        Data::Checklist(c) => DataView::Checklist(checklist(c)),
        Data::Schedule(s) => DataView::Schedule(schedule(s, today, place.calendar_url)),
        Data::Table(t) => DataView::Table(TableView {
            columns: &t.columns,
            rows: t
                .rows
                .iter()
                .zip(&t.examples)
                .map(|(cells, &example)| RowView { cells, example })
                .collect(),
            blank_rows: t.blank_rows,
        }),
    };
    View {
        kind: w.kind,
        title: place.title,
        description: place.description,
        intro: w.header.intro.as_ref().map_or("", |m| m.html.as_str()),
        print_intro: w
            .header
            .print_intro
            .as_ref()
            .map_or("", |m| m.html.as_str()),
        private: place.private,
        url: place.url,
        source: place.source,
        print: &w.header.print,
        live,
        data,
    }
}

/// How far ahead a schedule's occurrences are embedded for the page's script, and at most how
/// many: enough for a site left unbuilt for a year or more (weekly blocks run out first).
const LIVE_YEARS: u32 = 3;
const LIVE_MAX: usize = 160;

/// The JSON the page's script reads (see [`View::live`]).
fn live(w: &Worksheet, today: NaiveDate) -> String {
    use crate::search::json_string;
    let iso = |d: NaiveDate| json_string(&crate::dates::iso(d));
    let items: Vec<String> = match &w.data {
        Data::Stakeholders(s) => s
            .people
            .iter()
            .map(|p| match (p.cadence, p.last_contact()) {
                (None, _) => "null".to_string(),
                _ if p.example => "null".to_string(),
                // Never contacted: due on whatever day the reader looks.
                (Some(_), None) => "\"today\"".to_string(),
                (Some(_), Some(_)) => p.next_due(today).map_or("null".into(), iso),
            })
            .collect(),
        Data::Schedule(s) => s
            .blocks
            .iter()
            .map(|b| {
                let horizon = today
                    .checked_add_months(chrono::Months::new(12 * LIVE_YEARS))
                    .unwrap_or(today);
                let mut dates = b.occurrences_between(today, horizon);
                // Complete when no occurrence is left beyond the list.
                let complete = dates.len() <= LIVE_MAX
                    && b.next_occurrences(horizon.succ_opt().unwrap_or(horizon), 1)
                        .is_empty();
                dates.truncate(LIVE_MAX);
                let list: Vec<String> = dates.into_iter().map(iso).collect();
                format!("{{\"complete\":{complete},\"dates\":[{}]}}", list.join(","))
            })
            .collect(),
        Data::Checklist(_) | Data::Table(_) => return String::new(),
    };
    let key = if matches!(w.data, Data::Stakeholders(_)) {
        "people"
    } else {
        "blocks"
    };
    format!(
        "{{\"today\":{},\"{key}\":[{}]}}",
        iso(today),
        items.join(",")
    )
}

/// English weekday and month names capitalised, and the first letter too: `first tuesday` →
/// `First Tuesday`, as every date label of the site writes them.
pub fn capitalise_dates(text: &str) -> String {
    // "may" is left out: in a sentence it is more often the verb (it still opens a label).
    const NAMES: [&str; 18] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let lower = word.to_lowercase();
        let named = NAMES
            .iter()
            .any(|n| *n == lower || (lower.len() == 3 && n.starts_with(lower.as_str())));
        if named || out.trim().is_empty() {
            let mut chars = word.chars();
            if let Some(c) = chars.next() {
                out.extend(c.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push_str(word);
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// A date as templates get it: ISO for machines, words for people.
#[derive(Serialize, Clone)]
pub struct DateView {
    pub iso: String,
    /// `Tue 6 Jan 2026`
    pub label: String,
    /// `Tue 6 Jan`
    pub short: String,
}

pub fn date(d: NaiveDate) -> DateView {
    DateView {
        iso: crate::dates::iso(d),
        label: crate::dates::label(d, true),
        short: crate::dates::label(d, false),
    }
}

#[derive(Serialize)]
struct StakeholdersView<'a> {
    people: Vec<PersonView<'a>>,
    groups: Vec<GroupView<'a>>,
    summary: Summary,
    grid: GridView<'a>,
}

/// The influence × relationship grid: nine boxes in an SVG `viewBox` of
/// [`GRID_W`] × [`GRID_H`], each listing the people placed in it.
#[derive(Serialize)]
pub struct GridView<'a> {
    cells: Vec<CellView<'a>>,
    /// People without an influence or a relationship, listed under the grid.
    unplaced: Vec<&'a str>,
    /// Axis labels with their positions.
    columns: Vec<AxisLabel>,
    rows: Vec<AxisLabel>,
    width: u32,
    height: u32,
    /// Where the axes' titles are drawn.
    x_title: (u32, u32),
    y_title: (u32, u32),
}

#[derive(Serialize)]
struct CellView<'a> {
    influence: &'static str,
    relationship: &'static str,
    x: u32,
    y: u32,
    w: u32,
    h: u32,
    text_x: u32,
    /// Names, each with the baseline it is drawn on.
    names: Vec<NameView<'a>>,
    /// Everyone in the box, for the text alternative.
    all: Vec<&'a str>,
    /// Names that did not fit in the box ("+2 more").
    more: usize,
    more_y: u32,
}

#[derive(Serialize)]
struct NameView<'a> {
    text: &'a str,
    y: u32,
    example: bool,
}

#[derive(Serialize)]
struct AxisLabel {
    text: &'static str,
    x: u32,
    y: u32,
}

const GRID_W: u32 = 720;
const GRID_H: u32 = 480;
const GRID_LEFT: u32 = 112;
const GRID_BOTTOM: u32 = 48;
const NAME_LINE: u32 = 19;

fn grid(people: &[Person]) -> GridView<'_> {
    use Influence as I;
    use Relationship as R;
    let (cw, ch) = ((GRID_W - GRID_LEFT) / 3, (GRID_H - GRID_BOTTOM) / 3);
    let influences = [(I::High, "High"), (I::Medium, "Medium"), (I::Low, "Low")];
    let relationships = [(R::New, "New"), (R::Warm, "Warm"), (R::Strong, "Strong")];
    let mut cells = Vec::new();
    for (row, (inf, inf_label)) in influences.iter().enumerate() {
        for (col, (rel, rel_label)) in relationships.iter().enumerate() {
            let x = GRID_LEFT + col as u32 * cw;
            let y = row as u32 * ch;
            let here: Vec<&Person> = people
                .iter()
                .filter(|p| p.influence == Some(*inf) && p.relationship == Some(*rel))
                .collect();
            let fit = ((ch - 14) / NAME_LINE) as usize;
            let shown = if here.len() > fit {
                fit - 1
            } else {
                here.len()
            };
            let names = here[..shown]
                .iter()
                .enumerate()
                .map(|(i, p)| NameView {
                    text: &p.name,
                    y: y + 24 + i as u32 * NAME_LINE,
                    example: p.example,
                })
                .collect();
            cells.push(CellView {
                influence: inf_label,
                relationship: rel_label,
                x,
                y,
                w: cw,
                h: ch,
                text_x: x + 8,
                names,
                all: here.iter().map(|p| p.name.as_str()).collect(),
                more: here.len() - shown,
                more_y: y + 24 + shown as u32 * NAME_LINE,
            });
        }
    }
    GridView {
        cells,
        unplaced: people
            .iter()
            .filter(|p| p.influence.is_none() || p.relationship.is_none())
            .map(|p| p.name.as_str())
            .collect(),
        columns: relationships
            .iter()
            .enumerate()
            .map(|(i, (_, l))| AxisLabel {
                text: l,
                x: GRID_LEFT + i as u32 * cw + cw / 2,
                y: GRID_H - GRID_BOTTOM + 22,
            })
            .collect(),
        rows: influences
            .iter()
            .enumerate()
            .map(|(i, (_, l))| AxisLabel {
                text: l,
                x: GRID_LEFT - 10,
                y: i as u32 * ch + ch / 2 + 5,
            })
            .collect(),
        width: GRID_W,
        height: GRID_H,
        x_title: (GRID_LEFT + (GRID_W - GRID_LEFT) / 2, GRID_H - 4),
        y_title: (18, (GRID_H - GRID_BOTTOM) / 2),
    }
}

#[derive(Serialize, Clone)]
pub struct PersonView<'a> {
    /// Position in the worksheet's `people` (and in `live`).
    index: usize,
    name: &'a str,
    role: Option<Role>,
    role_label: &'static str,
    organization: Option<&'a str>,
    inside_company: Option<bool>,
    influence: Option<Influence>,
    relationship: Option<Relationship>,
    last_contact: Option<DateView>,
    cadence: Option<&'static str>,
    cadence_label: &'static str,
    next_due: Option<DateView>,
    status: Status,
    status_label: &'static str,
    next_step: Option<&'a str>,
    contact: Option<&'a str>,
    notes: &'a str,
    /// Newest first.
    interactions: Vec<InteractionView<'a>>,
    /// An example to replace (no due date, not counted).
    example: bool,
}

#[derive(Serialize, Clone)]
struct InteractionView<'a> {
    date: DateView,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct GroupView<'a> {
    key: &'static str,
    title: &'static str,
    people: Vec<PersonView<'a>>,
}

#[derive(Serialize)]
struct Summary {
    /// People other than examples; the counts below leave examples out too.
    total: usize,
    /// Example entries, shown but not counted.
    examples: usize,
    overdue: usize,
    due: usize,
    ok: usize,
    by_role: Vec<RoleCount>,
}

#[derive(Serialize)]
struct RoleCount {
    role: Option<Role>,
    label: &'static str,
    count: usize,
}

pub fn person<'a>(p: &'a Person, index: usize, today: NaiveDate) -> PersonView<'a> {
    let status = p.status(today);
    let mut interactions: Vec<InteractionView> = p
        .interactions
        .iter()
        .map(|i| InteractionView {
            date: date(i.date.0),
            note: i.note.as_deref(),
        })
        .collect();
    interactions.sort_by(|a, b| b.date.iso.cmp(&a.date.iso));
    PersonView {
        index,
        name: &p.name,
        role: p.role,
        role_label: p.role.map_or("", Role::label),
        organization: p.organization.as_deref(),
        inside_company: p.inside_company,
        influence: p.influence,
        relationship: p.relationship,
        last_contact: p.last_contact().map(date),
        cadence: p.cadence.map(|c| c.name()),
        cadence_label: p.cadence.map_or("", |c| c.label()),
        next_due: p.next_due(today).map(date),
        status,
        status_label: status.label(),
        next_step: p.next_step.as_deref(),
        contact: p.contact.as_deref(),
        notes: p.notes.as_ref().map_or("", |m| m.html.as_str()),
        interactions,
        example: p.example,
    }
}

fn stakeholders(s: &crate::worksheet::Stakeholders, today: NaiveDate) -> StakeholdersView<'_> {
    let people: Vec<PersonView> = s
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| person(p, i, today))
        .collect();
    let group = |key, title, inside: Option<bool>| GroupView {
        key,
        title,
        people: people
            .iter()
            .filter(|p| p.inside_company == inside)
            .cloned()
            .collect(),
    };
    let groups: Vec<GroupView> = [
        group("inside", "Inside the company", Some(true)),
        group("outside", "Outside the company", Some(false)),
        group("unsorted", "Inside or outside not set", None),
    ]
    .into_iter()
    .filter(|g| !g.people.is_empty())
    .collect();
    let mut roles: BTreeMap<Option<Role>, usize> = BTreeMap::new();
    for p in s.people.iter().filter(|p| !p.example) {
        *roles.entry(p.role).or_default() += 1;
    }
    let count = |st: Status| {
        people
            .iter()
            .filter(|p| !p.example && p.status == st)
            .count()
    };
    let examples = people.iter().filter(|p| p.example).count();
    let summary = Summary {
        total: people.len() - examples,
        examples,
        overdue: count(Status::Overdue),
        due: count(Status::Due),
        ok: count(Status::Ok),
        by_role: roles
            .into_iter()
            .map(|(role, count)| RoleCount {
                role,
                label: role.map_or("No role set", Role::label),
                count,
            })
            .collect(),
    };
    StakeholdersView {
        people,
        groups,
        summary,
        grid: grid(&s.people),
    }
}

#[derive(Serialize)]
struct ChecklistView<'a> {
    groups: Vec<ChecklistGroup<'a>>,
    count: usize,
}

#[derive(Serialize)]
struct ChecklistGroup<'a> {
    cadence: &'static str,
    title: &'static str,
    items: Vec<ItemView<'a>>,
}

#[derive(Serialize)]
pub struct ItemView<'a> {
    pub text: &'a str,
    /// As written, with weekdays and months capitalised.
    pub when: String,
    pub notes: &'a str,
    pub example: bool,
}

pub fn item<W>(i: &Item<W>) -> ItemView<'_> {
    ItemView {
        text: &i.text,
        when: i
            .when
            .as_ref()
            .map_or(String::new(), |w: &When<W>| capitalise_dates(&w.raw)),
        notes: i.notes.as_ref().map_or("", |m| m.html.as_str()),
        example: i.example,
    }
}

fn checklist(c: &crate::worksheet::Checklist) -> ChecklistView<'_> {
    let groups: Vec<ChecklistGroup> = [
        (
            "weekly",
            "Every week",
            c.weekly.iter().map(item).collect::<Vec<_>>(),
        ),
        (
            "monthly",
            "Every month",
            c.monthly.iter().map(item).collect(),
        ),
        (
            "quarterly",
            "Every quarter",
            c.quarterly.iter().map(item).collect(),
        ),
        ("yearly", "Every year", c.yearly.iter().map(item).collect()),
    ]
    .into_iter()
    .filter(|(_, _, items)| !items.is_empty())
    .map(|(cadence, title, items)| ChecklistGroup {
        cadence,
        title,
        items,
    })
    .collect();
    let count = groups.iter().map(|g| g.items.len()).sum();
    ChecklistView { groups, count }
}

#[derive(Serialize)]
struct ScheduleView<'a> {
    blocks: Vec<BlockView<'a>>,
    calendar_url: Option<String>,
}

#[derive(Serialize)]
pub struct BlockView<'a> {
    title: &'a str,
    every: &'static str,
    rule: String,
    on: Option<String>,
    from: DateView,
    start: String,
    end: String,
    duration: String,
    until: Option<DateView>,
    count: Option<u32>,
    location: Option<&'a str>,
    notes: &'a str,
    /// The next few occurrences from the build date.
    next: Vec<DateView>,
    /// An example to replace: in no calendar file and no planner week.
    example: bool,
}

/// How many upcoming dates a schedule page lists per block.
const NEXT_SHOWN: usize = 3;

pub fn block(b: &crate::worksheet::Block, today: NaiveDate) -> BlockView<'_> {
    BlockView {
        title: &b.title,
        every: b.every.name(),
        rule: capitalise_dates(&b.rule_label()),
        on: b.on.map(|o| o.to_string()),
        from: date(b.first().unwrap_or(b.from.0)),
        start: b.start.to_string(),
        end: b.end().0.to_string(),
        duration: b.duration.to_string(),
        until: b.until.map(|u| date(u.0)),
        count: b.count,
        location: b.location.as_deref(),
        notes: b.notes.as_ref().map_or("", |m| m.html.as_str()),
        next: b
            .next_occurrences(today, NEXT_SHOWN)
            .into_iter()
            .map(date)
            .collect(),
        example: b.example,
    }
}

fn schedule(
    s: &crate::worksheet::Schedule,
    today: NaiveDate,
    calendar_url: Option<String>,
) -> ScheduleView<'_> {
    ScheduleView {
        blocks: s.blocks.iter().map(|b| block(b, today)).collect(),
        calendar_url,
    }
}

#[derive(Serialize)]
struct TableView<'a> {
    columns: &'a [crate::worksheet::Column],
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
    use super::capitalise_dates;

    #[test]
    fn weekdays_months_and_the_first_letter_are_capitalised() {
        assert_eq!(capitalise_dates("first tuesday"), "First Tuesday");
        assert_eq!(capitalise_dates("Wednesday 11:30"), "Wednesday 11:30");
        assert_eq!(
            capitalise_dates("last friday of every month"),
            "Last Friday of every month"
        );
        assert_eq!(capitalise_dates("in december, mon"), "In December, Mon");
        // "may" the verb is left alone unless it opens the label.
        assert_eq!(capitalise_dates("when you may"), "When you may");
        assert_eq!(capitalise_dates("may 1"), "May 1");
        assert_eq!(capitalise_dates(""), "");
    }
}
