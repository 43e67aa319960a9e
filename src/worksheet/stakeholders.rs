//! `kind: stakeholders`: the people who shape the reader's career, and when each is due a call.

use super::{Data, Header, Markdown, worksheet_file};
use crate::dates::{Cadence, Date, week_start};
use crate::error::Diagnostic;
use crate::recurrence::Recurrence;
use crate::yaml::{self, Node};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::path::Path;

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

pub(super) fn parse(
    path: &Path,
    text: &str,
    node: &Node,
) -> Result<(Header, Data), Vec<Diagnostic>> {
    let mut f: File = yaml::decode(path, text, node)?;
    let header = f.header();
    Ok((
        header,
        Data::Stakeholders(Stakeholders { people: f.people }),
    ))
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
