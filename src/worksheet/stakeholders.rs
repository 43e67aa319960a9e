//! `kind: stakeholders`: the people who shape the reader's career, and when each is due a call.

use super::view::{ContactEntry, DateView, Live, LiveItem, ViewAt, Week, WeekEntries, date};
use super::{Header, Markdown, Registered, WorksheetKind, worksheet_file};
use crate::dates::{Cadence, Date, week_start};
use crate::error::Diagnostic;
use crate::recurrence::Recurrence;
use crate::yaml::{self, Node};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The registry's line for this kind.
pub(super) const KIND: Registered = Registered {
    name: "stakeholders",
    parse,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Hr,
    Leadership,
    Supervisor,
    Recruiter,
    CareerConsultant,
    Mentor,
    Sponsor,
    Peer,
    Other,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Hr => "HR",
            Role::Leadership => "Leadership",
            Role::Supervisor => "Supervisor",
            Role::Recruiter => "Recruiter",
            Role::CareerConsultant => "Career consultant",
            Role::Mentor => "Mentor",
            Role::Sponsor => "Sponsor",
            Role::Peer => "Peer",
            Role::Other => "Other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Influence {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relationship {
    New,
    Warm,
    Strong,
}

/// One logged contact; the latest counts as the last contact.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Interaction {
    pub date: Date,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub role: Option<Role>,
    pub organization: Option<String>,
    pub inside_company: Option<bool>,
    pub influence: Option<Influence>,
    pub relationship: Option<Relationship>,
    pub last_contact: Option<Date>,
    pub cadence: Option<Cadence>,
    pub next_step: Option<String>,
    pub notes: Option<Markdown>,
    pub contact: Option<String>,
    #[serde(default)]
    pub interactions: Vec<Interaction>,
    /// An example to replace: shown on the page, labelled, and never due.
    #[serde(default)]
    pub example: bool,
}

/// Where a person stands relative to the build date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The next contact fell due before today.
    Overdue,
    /// Due between today and the end of this week (Sunday).
    Due,
    Ok,
    /// No cadence: nothing falls due.
    None,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Overdue => "Overdue",
            Status::Due => "Due this week",
            Status::Ok => "On track",
            Status::None => "",
        }
    }
}

impl Person {
    /// The later of `last_contact` and the latest logged interaction.
    pub fn last_contact(&self) -> Option<NaiveDate> {
        let logged = self.interactions.iter().map(|i| i.date.0);
        self.last_contact
            .map(|d| d.0)
            .into_iter()
            .chain(logged)
            .max()
    }

    /// Last contact plus cadence; someone never contacted is due today; an example never.
    pub fn next_due(&self, today: NaiveDate) -> Option<NaiveDate> {
        if self.example {
            return None;
        }
        let cadence = self.cadence?;
        match self.last_contact() {
            Some(last) => Recurrence::new(cadence, last).nth(1),
            None => Some(today),
        }
    }

    pub fn status(&self, today: NaiveDate) -> Status {
        let Some(due) = self.next_due(today) else {
            return Status::None;
        };
        let sunday = week_start(today) + Days::new(6);
        if due < today {
            Status::Overdue
        } else if due <= sunday {
            Status::Due
        } else {
            Status::Ok
        }
    }

    /// Every date in `from..=to` on which a contact falls due, rolling the cadence forward from
    /// the last contact (or from today for someone never contacted).
    pub fn due_dates(&self, today: NaiveDate, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let Some(cadence) = self.cadence.filter(|_| !self.example) else {
            return vec![];
        };
        match self.last_contact() {
            // The last contact itself is not a due date; every step after it is.
            Some(last) => Recurrence::new(cadence, last)
                .between(from, to)
                .into_iter()
                .filter(|d| *d > last)
                .collect(),
            None => Recurrence::new(cadence, today).between(from, to),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Stakeholders {
    pub people: Vec<Person>,
}

worksheet_file!(File {
    #[serde(default)]
    people: Vec<Person>,
});

fn parse(
    path: &Path,
    text: &str,
    node: &Node,
) -> Result<(Header, Box<dyn WorksheetKind>), Vec<Diagnostic>> {
    let mut f: File = yaml::decode(path, text, node)?;
    let header = f.header();
    Ok((header, Box::new(Stakeholders { people: f.people })))
}

impl WorksheetKind for Stakeholders {
    fn name(&self) -> &'static str {
        KIND.name
    }

    fn template(&self) -> &'static str {
        "stakeholders.html"
    }

    fn markdown(&self) -> Vec<&Markdown> {
        self.people
            .iter()
            .filter_map(|p| p.notes.as_ref())
            .collect()
    }

    fn markdown_mut(&mut self) -> Vec<&mut Markdown> {
        self.people
            .iter_mut()
            .filter_map(|p| p.notes.as_mut())
            .collect()
    }

    fn anchors(&self) -> Vec<&'static str> {
        let groups = [
            ("inside", Some(true)),
            ("outside", Some(false)),
            ("unsorted", None),
        ];
        groups
            .into_iter()
            .filter(|(_, inside)| self.people.iter().any(|p| p.inside_company == *inside))
            .map(|(id, _)| id)
            .collect()
    }

    fn search_text<'a>(&'a self, parts: &mut Vec<&'a str>) {
        for p in &self.people {
            parts.push(&p.name);
            parts.extend(p.organization.as_deref());
            parts.extend(p.next_step.as_deref());
        }
    }

    fn view(&self, at: ViewAt) -> tera::Value {
        tera::Value::from_serializable(&stakeholders(self, at.today))
    }

    fn live(&self, today: NaiveDate) -> Option<Live> {
        let items = self
            .people
            .iter()
            .map(|p| match (p.cadence, p.last_contact()) {
                (None, _) => LiveItem::Nothing,
                _ if p.example => LiveItem::Nothing,
                // Never contacted: due on whatever day the reader looks.
                (Some(_), None) => LiveItem::Today,
                (Some(_), Some(_)) => p.next_due(today).map_or(LiveItem::Nothing, LiveItem::Date),
            })
            .collect();
        Some(Live {
            key: "people",
            items,
        })
    }

    fn plan_week<'a>(&'a self, week: &Week, out: &mut WeekEntries<'a>) {
        for p in self.people.iter().filter(|p| !p.example) {
            let entry = |d: NaiveDate, overdue: bool| ContactEntry {
                name: &p.name,
                role_label: p.role.map_or("", |r| r.label()),
                organization: p.organization.as_deref(),
                next_step: p.next_step.as_deref(),
                cadence_label: p.cadence.map_or("", |c| c.label()),
                date: date(d),
                overdue,
            };
            // Someone already overdue when the planner starts heads its first week, rather
            // than waiting for the cadence to come round again.
            let overdue = p.next_due(week.today).filter(|due| *due < week.monday);
            match overdue {
                Some(due) if week.number == 1 => out.contacts.push(entry(due, true)),
                _ => {
                    for d in p.due_dates(week.today, week.monday, week.sunday) {
                        out.contacts.push(entry(d, false));
                    }
                }
            }
        }
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

fn stakeholders(s: &Stakeholders, today: NaiveDate) -> StakeholdersView<'_> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_date;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn person(last: Option<&str>, cadence: Option<Cadence>) -> Person {
        Person {
            name: "A".into(),
            role: None,
            organization: None,
            inside_company: None,
            influence: None,
            relationship: None,
            last_contact: last.map(|s| Date(d(s))),
            cadence,
            next_step: None,
            notes: None,
            contact: None,
            interactions: vec![],
            example: false,
        }
    }

    #[test]
    fn an_example_is_never_due() {
        let mut p = person(None, Some(Cadence::Weekly));
        let today = d("2026-03-11");
        assert_eq!(p.next_due(today), Some(today));
        p.example = true;
        assert_eq!(p.next_due(today), None);
        assert_eq!(p.status(today), Status::None);
        assert!(p.due_dates(today, today, d("2026-12-31")).is_empty());
    }

    #[test]
    fn due_dates_per_cadence() {
        let today = d("2026-03-11"); // a Wednesday
        let cases = [
            (Cadence::Weekly, "2026-03-01", "2026-03-08", Status::Overdue),
            (Cadence::Biweekly, "2026-03-01", "2026-03-15", Status::Due),
            (
                Cadence::Monthly,
                "2026-01-31",
                "2026-02-28",
                Status::Overdue,
            ),
            (Cadence::Quarterly, "2026-01-10", "2026-04-10", Status::Ok),
            (Cadence::Yearly, "2025-03-12", "2026-03-12", Status::Due),
        ];
        for (cadence, last, due, status) in cases {
            let p = person(Some(last), Some(cadence));
            assert_eq!(p.next_due(today), Some(d(due)), "{cadence:?}");
            assert_eq!(p.status(today), status, "{cadence:?}");
        }
        assert_eq!(person(None, None).status(today), Status::None);
        assert_eq!(
            person(None, Some(Cadence::Monthly)).status(today),
            Status::Due
        );
    }

    #[test]
    fn latest_interaction_resets_the_clock() {
        let mut p = person(Some("2026-01-05"), Some(Cadence::Monthly));
        p.interactions.push(Interaction {
            date: Date(d("2026-03-02")),
            note: None,
        });
        assert_eq!(p.next_due(d("2026-03-11")), Some(d("2026-04-02")));
        assert_eq!(p.status(d("2026-03-11")), Status::Ok);
    }

    #[test]
    fn rolling_due_dates() {
        let p = person(Some("2025-01-31"), Some(Cadence::Monthly));
        let dates = p.due_dates(d("2026-01-01"), d("2026-01-01"), d("2026-04-30"));
        assert_eq!(
            dates,
            vec![
                d("2026-01-31"),
                d("2026-02-28"),
                d("2026-03-31"),
                d("2026-04-30")
            ]
        );
        let w = person(Some("2026-01-01"), Some(Cadence::Weekly));
        assert_eq!(
            w.due_dates(d("2026-01-01"), d("2026-01-01"), d("2026-01-20")),
            vec![d("2026-01-08"), d("2026-01-15")]
        );
    }
}
