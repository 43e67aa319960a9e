//! `kind: checklist`: recurring networking habits, grouped by cadence.
//!
//! An item's `when` says when it falls, in words that depend on its group: a weekday for weekly
//! items (`tuesday 08:00`), a day of the month for monthly and quarterly ones (`first tuesday`,
//! `last friday`, `day 15`; quarterly items use the first month of each quarter), a month and day
//! for yearly ones (`december 15`). The planner puts each item in the week it falls in.

use super::view::{Entry, ViewAt, Week, WeekEntries, capitalise_dates, date};
use super::{Header, Markdown, Registered, WorksheetKind, worksheet_file};
use crate::dates::{
    Time, WeekdayOfMonth, clamp_day, month_length, parse_month, parse_weekday, weekday_name,
};
use crate::error::{Diagnostic, Invalid};
use crate::yaml::{self, Node};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;
use std::marker::PhantomData;
use std::path::Path;
use std::str::FromStr;

/// The registry's line for this kind.
pub(super) const KIND: Registered = Registered {
    name: "checklist",
    parse,
};

/// A checklist item: a string, or a mapping with `text`, `when` and `notes`.
#[derive(Debug, Clone)]
pub struct Item<W> {
    pub text: String,
    pub when: Option<When<W>>,
    pub notes: Option<Markdown>,
    /// An example to replace: shown on the page, labelled, and put in no planner week.
    pub example: bool,
}

/// A parsed `when`, with the words as written (shown on the page).
#[derive(Debug, Clone)]
pub struct When<W> {
    pub raw: String,
    pub slot: W,
}

impl<'de, W: FromStr<Err = Invalid>> Deserialize<'de> for When<W> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Parsed inside the visitor, so that an error points at the value itself.
        struct V<W>(PhantomData<W>);
        impl<W: FromStr<Err = Invalid>> Visitor<'_> for V<W> {
            type Value = When<W>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a day and time such as `tuesday 08:00`")
            }
            fn visit_str<E: de::Error>(self, raw: &str) -> Result<When<W>, E> {
                Ok(When {
                    raw: raw.trim().to_string(),
                    slot: raw.parse::<W>().map_err(crate::error::de_error)?,
                })
            }
        }
        d.deserialize_str(V(PhantomData))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "W: FromStr<Err = Invalid>"))]
struct ItemMap<W> {
    text: String,
    when: Option<When<W>>,
    notes: Option<Markdown>,
    #[serde(default)]
    example: bool,
}

impl<'de, W: FromStr<Err = Invalid>> Deserialize<'de> for Item<W> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<W>(PhantomData<W>);
        impl<'de, W: FromStr<Err = Invalid>> Visitor<'de> for V<W> {
            type Value = Item<W>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a string, or a mapping with `text` and optional `when`, `notes` and `example`",
                )
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Item<W>, E> {
                Ok(Item {
                    text: s.to_string(),
                    when: None,
                    notes: None,
                    example: false,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Item<W>, A::Error> {
                let m = ItemMap::<W>::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(Item {
                    text: m.text,
                    when: m.when,
                    notes: m.notes,
                    example: m.example,
                })
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// Splits a trailing `HH:MM` off `s`.
fn split_time(s: &str) -> Result<(String, Option<Time>), Invalid> {
    let words: Vec<&str> = s.split_whitespace().collect();
    match words.split_last() {
        Some((last, rest)) if last.contains(':') => Ok((rest.join(" "), Some(last.parse()?))),
        _ => Ok((words.join(" "), None)),
    }
}

/// `when` of a weekly item: a weekday, a time, or both (`tuesday 08:00`).
#[derive(Debug, Clone, Copy)]
pub struct WeekSlot {
    pub weekday: Option<Weekday>,
    pub time: Option<Time>,
}

impl FromStr for WeekSlot {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Invalid> {
        let (rest, time) = split_time(s)?;
        let weekday = match rest.as_str() {
            "" if time.is_some() => None,
            "" => return Err(Invalid::new("`when` is empty").hint("write e.g. `tuesday 08:00`")),
            w => Some(parse_weekday(w)?),
        };
        Ok(WeekSlot { weekday, time })
    }
}

/// The day of a month: a weekday of the month or a day number (clamped to short months).
#[derive(Debug, Clone, Copy)]
pub enum MonthDay {
    Weekday(WeekdayOfMonth),
    Day(u32),
}

/// `when` of a monthly or quarterly item: `first tuesday`, `day 15`, optionally with a time.
#[derive(Debug, Clone, Copy)]
pub struct MonthSlot {
    pub day: MonthDay,
    /// Read and checked, not shown yet: week pages list monthly and yearly items by day.
    #[allow(dead_code)]
    pub time: Option<Time>,
}

impl FromStr for MonthSlot {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Invalid> {
        let (rest, time) = split_time(s)?;
        let lower = rest.to_ascii_lowercase();
        let number = lower.strip_prefix("day ").unwrap_or(&lower).trim();
        let number = number.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        let day = if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) {
            match number.parse::<u32>() {
                Ok(n @ 1..=31) => MonthDay::Day(n),
                _ => {
                    return Err(
                        Invalid::new(format!("impossible day of the month `{}`", rest))
                            .hint("days run from 1 to 31"),
                    );
                }
            }
        } else {
            MonthDay::Weekday(rest.parse().map_err(|e: Invalid| Invalid {
                hint: e.hint.map(|h| format!("{h}, or `day 15`")),
                ..e
            })?)
        };
        Ok(MonthSlot { day, time })
    }
}

impl MonthSlot {
    /// The item's date in a given month.
    pub fn date_in(&self, year: i32, month: u32) -> Option<NaiveDate> {
        match self.day {
            MonthDay::Weekday(w) => w.in_month(year, month),
            MonthDay::Day(d) => clamp_day(year, month, d),
        }
    }
}

/// `when` of a yearly item: a month, optionally a day and a time (`december 15 09:00`).
#[derive(Debug, Clone, Copy)]
pub struct YearSlot {
    pub month: u32,
    pub day: Option<u32>,
    /// Read and checked, not shown yet: week pages list monthly and yearly items by day.
    #[allow(dead_code)]
    pub time: Option<Time>,
}

impl FromStr for YearSlot {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Invalid> {
        let (rest, time) = split_time(s)?;
        let words: Vec<&str> = rest.split_whitespace().collect();
        let (month, day) = match words[..] {
            [m] => (parse_month(m)?, None),
            [m, d] => (parse_month(m)?, Some(d)),
            _ => {
                return Err(
                    Invalid::new(format!("`{}` is not a day of the year", s.trim())).hint(
                        "write a month and an optional day, e.g. `december` or `december 15`",
                    ),
                );
            }
        };
        let day = match day {
            None => None,
            Some(d) => {
                let n: u32 = d.parse().map_err(|_| {
                    Invalid::new(format!("`{d}` is not a day of the month"))
                        .hint("write e.g. `december 15`")
                })?;
                // Checked against a leap year: 29 February is a real yearly date.
                let len = month_length(2028, month).unwrap_or(31);
                if n == 0 || n > len {
                    return Err(Invalid::new(format!("impossible date `{}`", s.trim()))
                        .hint(format!("that month has {len} days")));
                }
                Some(n)
            }
        };
        Ok(YearSlot { month, day, time })
    }
}

impl YearSlot {
    pub fn date_in(&self, year: i32) -> Option<NaiveDate> {
        clamp_day(year, self.month, self.day.unwrap_or(1))
    }
}

impl fmt::Display for WeekSlot {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match (self.weekday, self.time) {
            (Some(w), Some(t)) => write!(f, "{} {t}", weekday_name(w)),
            (Some(w), None) => f.write_str(weekday_name(w)),
            (None, Some(t)) => write!(f, "{t}"),
            (None, None) => Ok(()),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Checklist {
    pub weekly: Vec<Item<WeekSlot>>,
    pub monthly: Vec<Item<MonthSlot>>,
    pub quarterly: Vec<Item<MonthSlot>>,
    pub yearly: Vec<Item<YearSlot>>,
}

worksheet_file!(File {
    #[serde(default)]
    weekly: Vec<Item<WeekSlot>>,
    #[serde(default)]
    monthly: Vec<Item<MonthSlot>>,
    #[serde(default)]
    quarterly: Vec<Item<MonthSlot>>,
    #[serde(default)]
    yearly: Vec<Item<YearSlot>>,
});

fn parse(
    path: &Path,
    text: &str,
    node: &Node,
) -> Result<(Header, Box<dyn WorksheetKind>), Vec<Diagnostic>> {
    let mut f: File = yaml::decode(path, text, node)?;
    let header = f.header();
    Ok((
        header,
        Box::new(Checklist {
            weekly: f.weekly,
            monthly: f.monthly,
            quarterly: f.quarterly,
            yearly: f.yearly,
        }),
    ))
}

impl WorksheetKind for Checklist {
    fn name(&self) -> &'static str {
        KIND.name
    }

    fn template(&self) -> &'static str {
        "checklist.html"
    }

    fn markdown(&self) -> Vec<&Markdown> {
        let w = self.weekly.iter().filter_map(|i| i.notes.as_ref());
        let m = self.monthly.iter().filter_map(|i| i.notes.as_ref());
        let q = self.quarterly.iter().filter_map(|i| i.notes.as_ref());
        let y = self.yearly.iter().filter_map(|i| i.notes.as_ref());
        w.chain(m).chain(q).chain(y).collect()
    }

    fn markdown_mut(&mut self) -> Vec<&mut Markdown> {
        let w = self.weekly.iter_mut().filter_map(|i| i.notes.as_mut());
        let m = self.monthly.iter_mut().filter_map(|i| i.notes.as_mut());
        let q = self.quarterly.iter_mut().filter_map(|i| i.notes.as_mut());
        let y = self.yearly.iter_mut().filter_map(|i| i.notes.as_mut());
        w.chain(m).chain(q).chain(y).collect()
    }

    fn anchors(&self) -> Vec<&'static str> {
        [
            ("weekly", self.weekly.is_empty()),
            ("monthly", self.monthly.is_empty()),
            ("quarterly", self.quarterly.is_empty()),
            ("yearly", self.yearly.is_empty()),
        ]
        .into_iter()
        .filter(|(_, empty)| !empty)
        .map(|(id, _)| id)
        .collect()
    }

    fn search_text<'a>(&'a self, parts: &mut Vec<&'a str>) {
        let w = self.weekly.iter().map(|i| i.text.as_str());
        let m = self.monthly.iter().map(|i| i.text.as_str());
        let q = self.quarterly.iter().map(|i| i.text.as_str());
        let y = self.yearly.iter().map(|i| i.text.as_str());
        parts.extend(w.chain(m).chain(q).chain(y));
    }

    fn view(&self, _at: ViewAt) -> tera::Value {
        tera::Value::from_serializable(&checklist(self))
    }

    fn plan_week<'a>(&'a self, week: &Week, out: &mut WeekEntries<'a>) {
        let in_week = |d: &NaiveDate| week.contains(d);
        for item in self.weekly.iter().filter(|i| !i.example) {
            let v = item_view(item);
            out.weekly.push(Entry {
                text: v.text,
                when: v.when,
                date: None,
            });
        }
        for item in self.monthly.iter().filter(|i| !i.example) {
            for &(y, m) in &week.months {
                let date = match &item.when {
                    Some(when) => when.slot.date_in(y, m),
                    None => NaiveDate::from_ymd_opt(y, m, 1),
                };
                push_dated(&mut out.monthly, item, date.filter(in_week));
            }
        }
        for item in self.quarterly.iter().filter(|i| !i.example) {
            for &(y, m) in week.months.iter().filter(|(_, m)| m % 3 == 1) {
                let date = match &item.when {
                    Some(when) => when.slot.date_in(y, m),
                    None => NaiveDate::from_ymd_opt(y, m, 1),
                };
                push_dated(&mut out.quarterly, item, date.filter(in_week));
            }
        }
        let start = week.planner_start;
        for item in self.yearly.iter().filter(|i| !i.example) {
            for &y in &week.years {
                let date = match &item.when {
                    Some(when) => when.slot.date_in(y),
                    // Without a date, once a year from the planner's start.
                    None => clamp_day(y, start.month(), start.day()),
                };
                push_dated(&mut out.yearly, item, date.filter(in_week));
            }
        }
    }
}

fn push_dated<'a, W>(list: &mut Vec<Entry<'a>>, item: &'a Item<W>, day: Option<NaiveDate>) {
    if let Some(d) = day {
        let v = item_view(item);
        list.push(Entry {
            text: v.text,
            when: v.when,
            date: Some(date(d)),
        });
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
struct ItemView<'a> {
    text: &'a str,
    /// As written, with weekdays and months capitalised.
    when: String,
    notes: &'a str,
    example: bool,
}

fn item_view<W>(i: &Item<W>) -> ItemView<'_> {
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

fn checklist(c: &Checklist) -> ChecklistView<'_> {
    let groups: Vec<ChecklistGroup> = [
        (
            "weekly",
            "Every week",
            c.weekly.iter().map(item_view).collect::<Vec<_>>(),
        ),
        (
            "monthly",
            "Every month",
            c.monthly.iter().map(item_view).collect(),
        ),
        (
            "quarterly",
            "Every quarter",
            c.quarterly.iter().map(item_view).collect(),
        ),
        (
            "yearly",
            "Every year",
            c.yearly.iter().map(item_view).collect(),
        ),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_date;

    #[test]
    fn slots_parse_and_place() {
        let w: WeekSlot = "Tuesday 08:00".parse().unwrap();
        assert_eq!(w.to_string(), "Tuesday 08:00");
        assert!(
            "Tusday"
                .parse::<WeekSlot>()
                .unwrap_err()
                .both()
                .contains("did you mean `tuesday`")
        );
        assert!(
            "tuesday 25:00"
                .parse::<WeekSlot>()
                .unwrap_err()
                .message
                .starts_with("impossible time")
        );
        let m: MonthSlot = "first tuesday 18:30".parse().unwrap();
        assert_eq!(m.date_in(2026, 9), Some(parse_date("2026-09-01").unwrap()));
        let m: MonthSlot = "day 31".parse().unwrap();
        assert_eq!(m.date_in(2026, 2), Some(parse_date("2026-02-28").unwrap()));
        assert!("day 32".parse::<MonthSlot>().is_err());
        assert!(
            "someday"
                .parse::<MonthSlot>()
                .unwrap_err()
                .both()
                .contains("`day 15`")
        );
        let y: YearSlot = "December 15".parse().unwrap();
        assert_eq!(y.date_in(2027), Some(parse_date("2027-12-15").unwrap()));
        let y: YearSlot = "february 29".parse().unwrap();
        assert_eq!(y.date_in(2027), Some(parse_date("2027-02-28").unwrap()));
        assert!(
            "february 30"
                .parse::<YearSlot>()
                .unwrap_err()
                .message
                .starts_with("impossible date")
        );
        assert!(
            "Decembre"
                .parse::<YearSlot>()
                .unwrap_err()
                .both()
                .contains("did you mean `december`")
        );
    }
}
