//! `kind: schedule`: recurring networking time blocks, listed on the page and exported to
//! calendars. Occurrences are computed here once, and the calendar export encodes the same rule,
//! so the page, the planner and the reader's calendar agree.

use super::{Data, Header, Markdown, diag, worksheet_file};
use crate::dates::{Cadence, Date, Duration, Time, WeekdayOfMonth};
use crate::error::Diagnostic;
use crate::yaml::{self, Node};
use chrono::{Datelike, Months, NaiveDate};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    pub title: String,
    pub every: Cadence,
    /// The first occurrence; the block repeats from it.
    pub from: Date,
    /// For monthly and quarterly blocks: a weekday of the month instead of `from`'s day.
    pub on: Option<WeekdayOfMonth>,
    pub start: Time,
    pub duration: Duration,
    pub until: Option<Date>,
    pub count: Option<u32>,
    pub location: Option<String>,
    pub notes: Option<Markdown>,
    /// An example to replace: listed on the page, labelled, but in no calendar or planner.
    #[serde(default)]
    pub example: bool,
}

impl Block {
    /// The first occurrence: `from`, or with `on`, the first matching day on or after it.
    pub fn first(&self) -> Option<NaiveDate> {
        let from = self.from.0;
        let Some(on) = self.on else {
            return Some(from);
        };
        let step = self.every.months().unwrap_or(1);
        let this_month = on.in_month(from.year(), from.month())?;
        if this_month >= from {
            return Some(this_month);
        }
        let later = first_of_month(from)?.checked_add_months(Months::new(step))?;
        on.in_month(later.year(), later.month())
    }

    /// The `n`th occurrence (0 is the first), ignoring `until` and `count`.
    fn nth(&self, n: u32) -> Option<NaiveDate> {
        let first = self.first()?;
        match self.on {
            None => self.every.nth_after(first, n),
            Some(on) => {
                let step = self.every.months().unwrap_or(1);
                let month = first_of_month(first)?.checked_add_months(Months::new(step * n))?;
                on.in_month(month.year(), month.month())
            }
        }
    }

    fn within_limits(&self, n: u32, date: NaiveDate) -> bool {
        self.count.is_none_or(|c| n < c) && self.until.is_none_or(|u| date <= u.0)
    }

    /// Every occurrence in `from..=to`, in order.
    pub fn occurrences_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        let Some(first) = self.first() else {
            return vec![];
        };
        // Skip whole steps that surely end before `from` (a step is never longer than this).
        let longest_step = match self.every.months() {
            Some(m) => m * 31,
            None if self.every == Cadence::Biweekly => 14,
            None => 7,
        };
        let gap = u32::try_from((from - first).num_days()).unwrap_or(0);
        let mut n = gap / longest_step;
        let mut out = Vec::new();
        while let Some(d) = self.nth(n) {
            if d > to || !self.within_limits(n, d) {
                break;
            }
            if d >= from {
                out.push(d);
            }
            n += 1;
        }
        out
    }

    /// Up to `max` occurrences on or after `today`.
    pub fn next_occurrences(&self, today: NaiveDate, max: usize) -> Vec<NaiveDate> {
        // A year per date asked for: a yearly block lists as many dates as a weekly one.
        let years = u32::try_from(max.max(1)).unwrap_or(u32::MAX);
        let horizon = today
            .checked_add_months(Months::new(years.saturating_mul(12)))
            .unwrap_or(today);
        let mut v = self.occurrences_between(today, horizon);
        v.truncate(max);
        v
    }

    /// Number of occurrences up to `until` (for calendars that need a count).
    pub fn count_until(&self, until: NaiveDate) -> u32 {
        let Some(first) = self.first() else {
            return 0;
        };
        self.occurrences_between(first, until).len() as u32
    }

    /// The end time, and whether it falls on a later day.
    pub fn end(&self) -> (Time, bool) {
        let total = self.start.minutes() + self.duration.0;
        let t = Time {
            hour: (total / 60) % 24,
            minute: total % 60,
        };
        (t, total >= 24 * 60)
    }

    /// "Every week", "First Tuesday of every month", "Every quarter, on the last Friday".
    pub fn rule_label(&self) -> String {
        match self.on {
            None => self.every.label().to_string(),
            Some(on) => {
                let on = on.to_string();
                let mut chars = on.chars();
                let cap: String = chars
                    .next()
                    .map(|c| c.to_uppercase().chain(chars).collect())
                    .unwrap_or_default();
                match self.every {
                    Cadence::Quarterly => format!("{cap} of every third month"),
                    _ => format!("{cap} of every month"),
                }
            }
        }
    }
}

fn first_of_month(d: NaiveDate) -> Option<NaiveDate> {
    d.with_day(1)
}

#[derive(Debug, Clone)]
pub struct Schedule {
    pub blocks: Vec<Block>,
}

worksheet_file!(File {
    blocks: Vec<Block>,
});

pub(super) fn parse(
    path: &Path,
    text: &str,
    node: &Node,
) -> Result<(Header, Data), Vec<Diagnostic>> {
    let mut f: File = yaml::decode(path, text, node)?;
    let header = f.header();
    let mut diags = Vec::new();
    let items = node.get("blocks").map_or(&[][..], Node::items);
    for (b, item) in f.blocks.iter().zip(items) {
        check_block(path, text, item, b, &mut diags);
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok((header, Data::Schedule(Schedule { blocks: f.blocks })))
}

/// Rules that involve more than one key of a block.
fn check_block(path: &Path, text: &str, item: &Node, b: &Block, diags: &mut Vec<Diagnostic>) {
    let at = |key| item.key_pos(key);
    if b.on.is_some() && b.every.months().is_none_or(|m| m == 12) {
        diags.push(diag(
            path,
            text,
            at("on"),
            format!(
                "`on` applies to monthly and quarterly blocks, not to {} ones",
                b.every.name()
            ),
            "remove `on` (the block repeats on `from`'s weekday or date), or use `every: monthly`",
        ));
    }
    if b.until.is_some() && b.count.is_some() {
        diags.push(diag(
            path,
            text,
            at("count"),
            "a block ends with `until` or with `count`, not both",
            "remove one of them",
        ));
    }
    if b.count == Some(0) {
        diags.push(diag(
            path,
            text,
            at("count"),
            "`count` must be at least 1",
            "remove `count` for a block without end",
        ));
    }
    if let (Some(until), Some(first)) = (b.until, b.first())
        && until.0 < first
    {
        diags.push(diag(
            path,
            text,
            at("until"),
            format!(
                "`until` ({}) is before the first occurrence ({})",
                until.0, first
            ),
            "`until` is the last day the block may occur",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_date;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn block(every: Cadence, from: &str, on: Option<&str>) -> Block {
        Block {
            title: "b".into(),
            every,
            from: Date(d(from)),
            on: on.map(|o| o.parse().unwrap()),
            start: "08:00".parse().unwrap(),
            duration: "1h".parse().unwrap(),
            until: None,
            count: None,
            location: None,
            notes: None,
            example: false,
        }
    }

    #[test]
    fn occurrences_follow_the_rule() {
        let b = block(Cadence::Weekly, "2026-01-06", None);
        assert_eq!(
            b.occurrences_between(d("2026-01-10"), d("2026-01-27")),
            vec![d("2026-01-13"), d("2026-01-20"), d("2026-01-27")]
        );
        let b = block(Cadence::Monthly, "2026-01-01", Some("first tuesday"));
        assert_eq!(b.first(), Some(d("2026-01-06")));
        assert_eq!(
            b.occurrences_between(d("2026-01-01"), d("2026-03-31")),
            vec![d("2026-01-06"), d("2026-02-03"), d("2026-03-03")]
        );
        // `from` after this month's first Tuesday: the next month's.
        let b = block(Cadence::Quarterly, "2026-01-20", Some("last friday"));
        assert_eq!(b.first(), Some(d("2026-01-30")));
        let b = block(Cadence::Quarterly, "2026-02-10", Some("first monday"));
        assert_eq!(
            b.occurrences_between(d("2026-01-01"), d("2026-12-31")),
            vec![d("2026-05-04"), d("2026-08-03"), d("2026-11-02")]
        );
        let b = block(Cadence::Monthly, "2026-01-31", None);
        assert_eq!(
            b.occurrences_between(d("2026-02-01"), d("2026-04-30")),
            vec![d("2026-02-28"), d("2026-03-31"), d("2026-04-30")]
        );
        let mut b = block(Cadence::Yearly, "2028-02-29", None);
        b.count = Some(2);
        assert_eq!(
            b.occurrences_between(d("2020-01-01"), d("2040-01-01")),
            vec![d("2028-02-29"), d("2029-02-28")]
        );
        let mut b = block(Cadence::Biweekly, "2026-01-05", None);
        b.until = Some(Date(d("2026-02-02")));
        assert_eq!(b.count_until(d("2026-02-02")), 3);
        assert_eq!(b.next_occurrences(d("2026-01-06"), 5).len(), 2);
    }

    #[test]
    fn end_time_and_labels() {
        let mut b = block(Cadence::Monthly, "2026-01-01", Some("first tuesday"));
        b.start = "23:30".parse().unwrap();
        assert_eq!(b.end().0.to_string(), "00:30");
        assert!(b.end().1);
        assert_eq!(b.rule_label(), "First Tuesday of every month");
    }
}
