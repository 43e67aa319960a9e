//! What the worksheet kinds' views share: dates as templates get them, the dates a page's
//! script recomputes, and a planner week with the entries a kind puts in it.

use chrono::NaiveDate;
use serde::Serialize;

/// What a kind's screen view is computed against.
pub(crate) struct ViewAt {
    pub today: NaiveDate,
    /// URL of the `.ics` file beside the page, for kinds that publish one.
    pub calendar_url: Option<String>,
}

/// The dates a page's script computes again against the reader's today: one item per entry
/// of the kind (a person, a block), listed under `key`. Written as JSON by the renderer.
pub(crate) struct Live {
    pub key: &'static str,
    pub items: Vec<LiveItem>,
}

pub(crate) enum LiveItem {
    /// Nothing falls due.
    Nothing,
    /// Due on whatever day the reader looks.
    Today,
    Date(NaiveDate),
    /// Upcoming dates, and whether none is left beyond them.
    Dates {
        complete: bool,
        dates: Vec<NaiveDate>,
    },
}

/// A week of the planner, as kinds see it when they place entries in it.
pub(crate) struct Week {
    /// 1-based position in the planner.
    pub number: u32,
    pub monday: NaiveDate,
    pub sunday: NaiveDate,
    /// The build date.
    pub today: NaiveDate,
    /// The planner's first Monday.
    pub planner_start: NaiveDate,
    /// The (year, month)s and the years the week touches (one or two of each).
    pub months: Vec<(i32, u32)>,
    pub years: Vec<i32>,
}

impl Week {
    pub fn contains(&self, d: &NaiveDate) -> bool {
        (self.monday..=self.sunday).contains(d)
    }
}

/// What a planner week lists, in the groups `planner.html` shows.
#[derive(Serialize, Default)]
pub(crate) struct WeekEntries<'a> {
    pub weekly: Vec<Entry<'a>>,
    pub monthly: Vec<Entry<'a>>,
    pub quarterly: Vec<Entry<'a>>,
    pub yearly: Vec<Entry<'a>>,
    pub blocks: Vec<BlockEntry<'a>>,
    pub contacts: Vec<ContactEntry<'a>>,
}

/// A checklist item placed in a week.
#[derive(Serialize)]
pub(crate) struct Entry<'a> {
    pub text: &'a str,
    pub when: String,
    pub date: Option<DateView>,
}

#[derive(Serialize)]
pub(crate) struct BlockEntry<'a> {
    pub title: &'a str,
    pub date: DateView,
    pub start: String,
    pub end: String,
    pub location: Option<&'a str>,
}

#[derive(Serialize)]
pub(crate) struct ContactEntry<'a> {
    pub name: &'a str,
    pub role_label: &'static str,
    pub organization: Option<&'a str>,
    pub next_step: Option<&'a str>,
    pub cadence_label: &'static str,
    pub date: DateView,
    /// Due before the planner starts: listed once, in the first week.
    pub overdue: bool,
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
