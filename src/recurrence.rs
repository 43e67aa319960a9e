//! One recurrence type: a cadence from a first date, on a day of the month or a weekday of the
//! month, bounded by a count or a last day. It lists the dates (for pages, the planner and due
//! dates) and writes the RFC 5545 rules that give the same dates, so the reader's calendar, the
//! page and the planner agree.
//!
//! The rules keep to the forms calendar clients agree on: no `BYSETPOS` (calcurse ignores it),
//! `BYMONTHDAY=-1` for the last day of the month. A monthly date on the 29th or 30th, which
//! February lacks, becomes two rules: the other months on that day, and February on its last.

#[cfg(test)]
use crate::dates::month_length;
use crate::dates::{Cadence, WeekdayOfMonth, ical_day};
use chrono::{Datelike, Days, Months, NaiveDate};
use std::fmt::Write;

/// Which day of its month (or year) each occurrence falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    /// The first date's day of the month, clamped into short months (the 31st becomes the
    /// 30th in April); for weekly cadences, the first date's weekday.
    Day,
    /// A weekday of the month: `first tuesday`.
    Weekday(WeekdayOfMonth),
    /// Yearly: a weekday of one month, `second monday of november`.
    WeekdayOfYear(WeekdayOfMonth, u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recurrence {
    pub every: Cadence,
    /// The first occurrence (already moved onto `on`).
    pub first: NaiveDate,
    pub on: On,
    pub count: Option<u32>,
    /// The last day an occurrence may fall on.
    pub until: Option<NaiveDate>,
}

/// One calendar rule: the first date it covers (its DTSTART) and the RRULE value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub start: NaiveDate,
    pub rrule: String,
}

/// At most this many occurrences are listed to count a bounded rule's share.
const MAX_LISTED: u32 = 20_000;

impl Recurrence {
    /// Every `every` from `first`, without end.
    pub fn new(every: Cadence, first: NaiveDate) -> Recurrence {
        Recurrence {
            every,
            first,
            on: On::Day,
            count: None,
            until: None,
        }
    }

    /// The recurrence of `every` on `on` whose first occurrence is the first match on or after
    /// `from`.
    pub fn starting(every: Cadence, from: NaiveDate, on: On) -> Option<Recurrence> {
        let step = every.months().unwrap_or(1);
        let first = match on {
            On::Day => from,
            On::Weekday(w) => {
                let this = w.in_month(from.year(), from.month())?;
                if this >= from {
                    this
                } else {
                    let next = from.with_day(1)?.checked_add_months(Months::new(step))?;
                    w.in_month(next.year(), next.month())?
                }
            }
            On::WeekdayOfYear(w, month) => {
                let this = w.in_month(from.year(), month)?;
                if this >= from {
                    this
                } else {
                    w.in_month(from.year() + 1, month)?
                }
            }
        };
        Some(Recurrence {
            on,
            ..Recurrence::new(every, first)
        })
    }

    /// The `n`th occurrence (0 is the first), ignoring `count` and `until`. Counted from the
    /// first each time, so the 31st stays the 31st after a short month clamped it.
    pub fn nth(&self, n: u32) -> Option<NaiveDate> {
        let first = self.first;
        match (self.every.months(), self.on) {
            (None, _) => {
                let days: u64 = if self.every == Cadence::Biweekly {
                    14
                } else {
                    7
                };
                first.checked_add_days(Days::new(days * u64::from(n)))
            }
            (Some(m), On::Day) => first.checked_add_months(Months::new(m.checked_mul(n)?)),
            (Some(m), On::Weekday(w)) => {
                let month = first
                    .with_day(1)?
                    .checked_add_months(Months::new(m.checked_mul(n)?))?;
                w.in_month(month.year(), month.month())
            }
            (Some(_), On::WeekdayOfYear(w, month)) => {
                w.in_month(first.year().checked_add(i32::try_from(n).ok()?)?, month)
            }
        }
    }

    fn within(&self, n: u32, date: NaiveDate) -> bool {
        self.count.is_none_or(|c| n < c) && self.until.is_none_or(|u| date <= u)
    }

    /// Every occurrence in `from..=to`, in order.
    pub fn between(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        // Skip whole steps that surely end before `from` (a step is never longer than this).
        let longest = match self.every.months() {
            Some(m) => m * 31,
            None if self.every == Cadence::Biweekly => 14,
            None => 7,
        };
        let gap = u32::try_from((from - self.first).num_days()).unwrap_or(0);
        let mut n = gap / longest;
        let mut out = Vec::new();
        while let Some(d) = self.nth(n) {
            if d > to || !self.within(n, d) {
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
    pub fn next(&self, today: NaiveDate, max: usize) -> Vec<NaiveDate> {
        // A year per date asked for, and one more: a yearly block lists as many dates as a
        // weekly one.
        let years = u32::try_from(max.max(1))
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        let horizon = today
            .checked_add_months(Months::new(years.saturating_mul(12)))
            .unwrap_or(today);
        let mut v = self.between(today, horizon);
        v.truncate(max);
        v
    }

    /// Every occurrence, if the recurrence ends (at most `MAX_LISTED`).
    fn all(&self) -> Option<Vec<NaiveDate>> {
        if self.count.is_none() && self.until.is_none() {
            return None;
        }
        let mut out = Vec::new();
        let mut n = 0;
        while let Some(d) = self.nth(n) {
            if !self.within(n, d) || n >= MAX_LISTED {
                break;
            }
            out.push(d);
            n += 1;
        }
        Some(out)
    }

    /// The RFC 5545 rules that together give exactly these dates. `utc` says DTSTART is in
    /// UTC, and `floating` that it has no time zone; otherwise (a named zone) an end is written
    /// as a COUNT, since UNTIL would have to be converted to UTC.
    pub fn rules(&self, utc: bool, floating: bool) -> Vec<Rule> {
        let day = self.first.day();
        let months = self.every.months();
        // The 29th or 30th of each month (or quarter): February has its own rule, on its last
        // day, when February is among the months.
        let february = matches!((months, self.on), (Some(1 | 3), On::Day))
            && (29..=30).contains(&day)
            && (0..12).any(|n| self.nth(n).is_some_and(|d| d.month() == 2));
        if !february {
            return vec![Rule {
                start: self.first,
                rrule: self.with_end(self.base_rule(false), utc, floating),
            }];
        }
        let step = months.unwrap_or(1);
        let mut others: Vec<u32> = (0..12 / step)
            .filter_map(|n| self.nth(n))
            .map(|d| d.month())
            .filter(|&m| m != 2)
            .collect();
        others.sort_unstable();
        let is_feb = |d: &NaiveDate| d.month() == 2;
        let first_of = |feb: bool| {
            (0..12)
                .filter_map(|n| self.nth(n))
                .find(|d| is_feb(d) == feb)
        };
        let mut rules = Vec::new();
        for feb in [false, true] {
            let Some(start) = first_of(feb) else { continue };
            let base = if feb {
                "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1".to_string()
            } else {
                let list: Vec<String> = others.iter().map(u32::to_string).collect();
                format!(
                    "{};BYMONTH={};BYMONTHDAY={day}",
                    self.base_rule(true),
                    list.join(",")
                )
            };
            // A bounded series: each rule gets the number of its own dates.
            let count = self
                .all()
                .map(|all| all.iter().filter(|d| is_feb(d) == feb).count() as u32);
            if count == Some(0) {
                continue;
            }
            rules.push(Rule {
                start,
                rrule: match count {
                    Some(c) => format!("{base};COUNT={c}"),
                    None => base,
                },
            });
        }
        rules
    }

    /// FREQ, INTERVAL and the BY parts of a single rule; `split` leaves out the day (the caller
    /// adds it).
    fn base_rule(&self, split: bool) -> String {
        let mut r = String::new();
        match self.every {
            Cadence::Weekly => r.push_str("FREQ=WEEKLY"),
            Cadence::Biweekly => r.push_str("FREQ=WEEKLY;INTERVAL=2"),
            Cadence::Monthly | Cadence::Quarterly => {
                r.push_str("FREQ=MONTHLY");
                if self.every == Cadence::Quarterly {
                    r.push_str(";INTERVAL=3");
                }
                if split {
                    return r;
                }
                match self.on {
                    On::Weekday(w) => {
                        let _ = write!(r, ";BYDAY={}", w.ical());
                    }
                    // The 31st: the last day of every month (the 31st where there is one).
                    On::Day if self.first.day() == 31 => r.push_str(";BYMONTHDAY=-1"),
                    On::Day | On::WeekdayOfYear(..) => {}
                }
            }
            Cadence::Yearly => {
                r.push_str("FREQ=YEARLY");
                match self.on {
                    On::WeekdayOfYear(w, month) => {
                        let _ =
                            write!(r, ";BYMONTH={month};BYDAY={}{}", w.nth, ical_day(w.weekday));
                    }
                    // 29 February: the last day of February in other years.
                    _ if (self.first.month(), self.first.day()) == (2, 29) => {
                        r.push_str(";BYMONTH=2;BYMONTHDAY=-1");
                    }
                    _ => {}
                }
            }
        }
        r
    }

    /// `r` with the series' end: COUNT, or UNTIL where no time zone needs converting.
    fn with_end(&self, mut r: String, utc: bool, floating: bool) -> String {
        if let Some(n) = self.count {
            let _ = write!(r, ";COUNT={n}");
        } else if let Some(until) = self.until {
            let ymd = until.format("%Y%m%d");
            if utc {
                let _ = write!(r, ";UNTIL={ymd}T235959Z");
            } else if floating {
                let _ = write!(r, ";UNTIL={ymd}T235959");
            } else {
                let n = self.all().map_or(0, |a| a.len());
                let _ = write!(r, ";COUNT={n}");
            }
        }
        r
    }
}

/// Whether `d` is the last day of its month.
#[cfg(test)]
pub fn is_month_end(d: NaiveDate) -> bool {
    month_length(d.year(), d.month()) == Some(d.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::parse_date;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn the_31st_is_the_last_day_of_every_month() {
        let r = Recurrence::new(Cadence::Monthly, d("2026-01-31"));
        assert_eq!(
            r.between(d("2026-01-01"), d("2026-05-31")),
            [
                d("2026-01-31"),
                d("2026-02-28"),
                d("2026-03-31"),
                d("2026-04-30"),
                d("2026-05-31")
            ]
        );
        assert!(
            r.between(d("2026-01-01"), d("2027-12-31"))
                .into_iter()
                .all(is_month_end)
        );
        let rules = r.rules(false, true);
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].rrule, "FREQ=MONTHLY;BYMONTHDAY=-1");
    }

    #[test]
    fn the_30th_splits_off_february() {
        let mut r = Recurrence::new(Cadence::Monthly, d("2026-01-30"));
        let rules = r.rules(false, true);
        assert_eq!(
            rules,
            [
                Rule {
                    start: d("2026-01-30"),
                    rrule: "FREQ=MONTHLY;BYMONTH=1,3,4,5,6,7,8,9,10,11,12;BYMONTHDAY=30".into()
                },
                Rule {
                    start: d("2026-02-28"),
                    rrule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1".into()
                },
            ]
        );
        r.count = Some(3);
        let rules = r.rules(false, true);
        assert!(rules[0].rrule.ends_with(";COUNT=2"), "{rules:?}");
        assert!(rules[1].rrule.ends_with(";COUNT=1"), "{rules:?}");
        // A quarter that never meets February keeps one rule.
        let q = Recurrence::new(Cadence::Quarterly, d("2026-01-30"));
        assert_eq!(q.rules(false, true).len(), 1);
    }

    #[test]
    fn a_yearly_weekday_of_a_month() {
        let w: WeekdayOfMonth = "second monday".parse().unwrap();
        let r = Recurrence::starting(Cadence::Yearly, d("2026-11-10"), On::WeekdayOfYear(w, 11))
            .unwrap();
        assert_eq!(r.first, d("2027-11-08"));
        assert_eq!(r.nth(1), Some(d("2028-11-13")));
        assert_eq!(
            r.rules(false, true)[0].rrule,
            "FREQ=YEARLY;BYMONTH=11;BYDAY=2MO"
        );
        assert_eq!(r.next(d("2027-01-01"), 3).len(), 3);
    }
}
