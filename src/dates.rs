//! Calendar arithmetic for worksheets and planners: typed dates, times and durations as written
//! in YAML, cadences, weekdays of the month and week boundaries.
//!
//! Adding months clamps to the end of the month (31 January + 1 month = 28 or 29 February),
//! as people expect of "monthly", and as the calendar export encodes with `BYSETPOS=-1`.

use crate::error::Invalid;
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Deserializes a type from a YAML string through `FromStr`, so that a bad value becomes an
/// error at its own position. `$what` is what the error says was expected.
macro_rules! from_yaml_str {
    ($ty:ty, $what:expr) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str($what)
                    }
                    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<$ty, E> {
                        s.parse::<$ty>().map_err(crate::error::de_error)
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

/// A calendar date written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl std::str::FromStr for Date {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Invalid> {
        parse_date(s.trim()).map(Date)
    }
}
from_yaml_str!(Date, "a date written YYYY-MM-DD");

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&iso(self.0))
    }
}

/// Parses `YYYY-MM-DD`, telling a malformed date from one that does not exist, and saying
/// which part of an impossible one is wrong.
pub fn parse_date(s: &str) -> Result<NaiveDate, Invalid> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return Err(Invalid::new(format!("`{s}` is not a date"))
            .hint("write dates as YYYY-MM-DD, e.g. 2026-03-15"));
    }
    // The shape check leaves only digits in each field, so these parse.
    let field = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (field(0..4) as i32, field(5..7), field(8..10));
    let impossible = |why: String| Invalid::new(format!("impossible date `{s}`: {why}"));
    let Some(len) = month_length(year, month) else {
        return Err(impossible(format!("month {month} is not between 1 and 12")));
    };
    if day == 0 {
        return Err(impossible(format!("day 0 is not between 1 and {len}")));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        let name = MONTH_NAMES
            .get(month as usize - 1)
            .copied()
            .unwrap_or_default();
        impossible(format!("{name} {year} has {len} days"))
    })
}

/// Number of days in a month, `None` for a month outside 1..=12.
pub fn month_length(year: i32, month: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = first.checked_add_months(Months::new(1))?;
    Some((next - first).num_days() as u32)
}

/// A time of day written `HH:MM` (24-hour clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Time {
    pub hour: u32,
    pub minute: u32,
}

impl std::str::FromStr for Time {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Invalid> {
        let s = s.trim();
        let bad = || {
            Invalid::new(format!("`{s}` is not a time")).hint("write times as HH:MM, e.g. 08:30")
        };
        let (h, m) = s.split_once(':').ok_or_else(bad)?;
        let digits = |x: &str, max_len| {
            !x.is_empty() && x.len() <= max_len && x.bytes().all(|c| c.is_ascii_digit())
        };
        if !digits(h, 2) || !digits(m, 2) || m.len() != 2 {
            return Err(bad());
        }
        let (hour, minute) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if hour > 23 || minute > 59 {
            return Err(Invalid::new(format!("impossible time `{s}`"))
                .hint("hours run from 00 to 23 and minutes from 00 to 59"));
        }
        Ok(Time { hour, minute })
    }
}
from_yaml_str!(Time, "a time written HH:MM");

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

impl Time {
    pub fn minutes(self) -> u32 {
        self.hour * 60 + self.minute
    }
}

/// A length of time written `45m`, `1h` or `1h30m`, in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration(pub u32);

/// The longest block a schedule may hold: a full day.
const MAX_MINUTES: u32 = 24 * 60;

impl std::str::FromStr for Duration {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Invalid> {
        let s = s.trim();
        let bad = || {
            Invalid::new(format!("`{s}` is not a duration"))
                .hint("write durations like 45m, 1h or 1h30m")
        };
        let (hours, rest) = match s.split_once('h') {
            Some((h, rest)) => (Some(h), rest),
            None => (None, s),
        };
        let minutes = match rest {
            "" => None,
            r => Some(r.strip_suffix('m').ok_or_else(bad)?),
        };
        if hours.is_none() && minutes.is_none() {
            return Err(bad());
        }
        let num = |x: Option<&str>| -> Result<u32, Invalid> {
            match x {
                None => Ok(0),
                Some(d)
                    if !d.is_empty() && d.len() <= 4 && d.bytes().all(|c| c.is_ascii_digit()) =>
                {
                    d.parse().map_err(|_| bad())
                }
                Some(_) => Err(bad()),
            }
        };
        let total = num(hours)? * 60 + num(minutes)?;
        if total == 0 || total > MAX_MINUTES {
            return Err(Invalid::new(format!("duration `{s}` is out of range"))
                .hint("a block lasts more than 0 minutes and at most 24h"));
        }
        Ok(Duration(total))
    }
}
from_yaml_str!(Duration, "a duration such as 45m, 1h or 1h30m");

impl fmt::Display for Duration {
    /// `1h 30m`, `45m`, `2h`: how a person would write it.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match (self.0 / 60, self.0 % 60) {
            (0, m) => write!(f, "{m}m"),
            (h, 0) => write!(f, "{h}h"),
            (h, m) => write!(f, "{h}h {m}m"),
        }
    }
}

impl Duration {
    /// RFC 5545 form: `PT1H30M`.
    pub fn ical(self) -> String {
        match (self.0 / 60, self.0 % 60) {
            (h, 0) => format!("PT{h}H"),
            (0, m) => format!("PT{m}M"),
            (h, m) => format!("PT{h}H{m}M"),
        }
    }
}

/// How often something repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Cadence {
    Weekly,
    Biweekly,
    Monthly,
    Quarterly,
    Yearly,
}

impl Cadence {
    pub fn name(self) -> &'static str {
        match self {
            Cadence::Weekly => "weekly",
            Cadence::Biweekly => "biweekly",
            Cadence::Monthly => "monthly",
            Cadence::Quarterly => "quarterly",
            Cadence::Yearly => "yearly",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Cadence::Weekly => "Every week",
            Cadence::Biweekly => "Every two weeks",
            Cadence::Monthly => "Every month",
            Cadence::Quarterly => "Every quarter",
            Cadence::Yearly => "Every year",
        }
    }

    /// Months between occurrences, for the cadences counted in months.
    pub fn months(self) -> Option<u32> {
        match self {
            Cadence::Weekly | Cadence::Biweekly => None,
            Cadence::Monthly => Some(1),
            Cadence::Quarterly => Some(3),
            Cadence::Yearly => Some(12),
        }
    }
}

/// Which weekday of a month: `first tuesday`, `last friday`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekdayOfMonth {
    /// 1..=4 counts from the start of the month; -1 is the last.
    pub nth: i8,
    pub weekday: Weekday,
}

const ORDINALS: &[(&str, i8)] = &[
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("last", -1),
];

impl std::str::FromStr for WeekdayOfMonth {
    type Err = Invalid;
    fn from_str(s: &str) -> Result<Self, Invalid> {
        let lower = s.trim().to_ascii_lowercase();
        let words: Vec<&str> = lower.split_whitespace().collect();
        let bad = || {
            Invalid::new(format!("`{}` is not a weekday of the month", s.trim())).hint("write e.g. `first tuesday` or `last friday` (first, second, third, fourth or last)")
        };
        let [ord, day] = words[..] else {
            return Err(bad());
        };
        let nth = ORDINALS
            .iter()
            .find(|(w, _)| *w == ord)
            .map(|(_, n)| *n)
            .ok_or_else(bad)?;
        Ok(WeekdayOfMonth {
            nth,
            weekday: parse_weekday(day)?,
        })
    }
}
from_yaml_str!(
    WeekdayOfMonth,
    "a weekday of the month such as `first tuesday`"
);

impl fmt::Display for WeekdayOfMonth {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let ord = ORDINALS
            .iter()
            .find(|(_, n)| *n == self.nth)
            .map(|(w, _)| *w)
            .unwrap_or("first");
        write!(f, "{ord} {}", weekday_name(self.weekday))
    }
}

impl WeekdayOfMonth {
    /// The date in the given month (always exists: every month has 4 of each weekday).
    pub fn in_month(self, year: i32, month: u32) -> Option<NaiveDate> {
        if self.nth > 0 {
            NaiveDate::from_weekday_of_month_opt(year, month, self.weekday, self.nth as u8)
        } else {
            let last = NaiveDate::from_ymd_opt(year, month, month_length(year, month)?)?;
            let back = (7 + last.weekday().num_days_from_monday()
                - self.weekday.num_days_from_monday())
                % 7;
            last.checked_sub_days(Days::new(u64::from(back)))
        }
    }

    /// RFC 5545 BYDAY value: `1TU`, `-1FR`.
    pub fn ical(self) -> String {
        format!("{}{}", self.nth, ical_day(self.weekday))
    }
}

pub fn ical_day(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// A weekday by its English name or three-letter abbreviation, any case.
pub fn parse_weekday(s: &str) -> Result<Weekday, Invalid> {
    let lower = s.to_ascii_lowercase();
    if let Some((_, w)) = WEEKDAYS
        .iter()
        .find(|(name, _)| *name == lower || (lower.len() == 3 && name.starts_with(&lower)))
    {
        return Ok(*w);
    }
    let names: Vec<&str> = WEEKDAYS.iter().map(|(n, _)| *n).collect();
    let hint = match crate::error::closest(&lower, &names) {
        Some(n) => format!("did you mean `{n}`?"),
        None => format!("weekdays: {}", names.join(", ")),
    };
    Err(Invalid::new(format!("`{s}` is not a weekday")).hint(hint))
}

pub fn weekday_name(w: Weekday) -> &'static str {
    const NAMES: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    NAMES[w.num_days_from_monday() as usize]
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The English name of month 1..=12, in lower case as `on:` is written.
pub fn month_name(m: u32) -> &'static str {
    MONTHS
        .get(m.wrapping_sub(1) as usize)
        .copied()
        .unwrap_or("january")
}

/// `2026-01-06`, as `%Y-%m-%d` formats it: written directly, since a planner formats thousands
/// of dates and chrono's `format` reads its pattern each time.
pub fn iso(d: NaiveDate) -> String {
    if !(0..=9999).contains(&d.year()) {
        return d.format("%Y-%m-%d").to_string();
    }
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// `Tue 6 Jan 2026` (`%a %-d %b %Y`), or without the year `Tue 6 Jan` (`%a %-d %b`).
pub fn label(d: NaiveDate, with_year: bool) -> String {
    if !(0..=9999).contains(&d.year()) {
        let pattern = if with_year {
            "%a %-d %b %Y"
        } else {
            "%a %-d %b"
        };
        return d.format(pattern).to_string();
    }
    let weekday = &weekday_name(d.weekday())[..3];
    let month = &MONTH_ABBREVIATIONS[d.month0() as usize];
    match with_year {
        true => format!("{weekday} {} {month} {}", d.day(), d.year()),
        false => format!("{weekday} {} {month}", d.day()),
    }
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const MONTH_ABBREVIATIONS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A month by its English name or three-letter abbreviation; 1..=12.
pub fn parse_month(s: &str) -> Result<u32, Invalid> {
    let lower = s.to_ascii_lowercase();
    if let Some(i) = MONTHS
        .iter()
        .position(|m| *m == lower || (lower.len() == 3 && m.starts_with(&lower)))
    {
        return Ok(i as u32 + 1);
    }
    let hint = match crate::error::closest(&lower, &MONTHS) {
        Some(n) => format!("did you mean `{n}`?"),
        None => "months: january … december".to_string(),
    };
    Err(Invalid::new(format!("`{s}` is not a month")).hint(hint))
}

/// The Monday of the ISO week holding `d`.
pub fn week_start(d: NaiveDate) -> NaiveDate {
    d - Days::new(u64::from(d.weekday().num_days_from_monday()))
}

/// `d` with its day clamped into the given month (the 31st becomes the 30th in April).
pub fn clamp_day(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    let last = month_length(year, month)?;
    NaiveDate::from_ymd_opt(year, month, day.min(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_chrono_formats_them() {
        let mut d = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        for _ in 0..800 {
            assert_eq!(iso(d), d.format("%Y-%m-%d").to_string());
            assert_eq!(label(d, true), d.format("%a %-d %b %Y").to_string());
            assert_eq!(label(d, false), d.format("%a %-d %b").to_string());
            d = d + Days::new(37);
        }
        for far in [NaiveDate::MIN, NaiveDate::MAX] {
            assert_eq!(iso(far), far.format("%Y-%m-%d").to_string());
            assert_eq!(label(far, true), far.format("%a %-d %b %Y").to_string());
        }
    }

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn dates_and_impossible_dates() {
        assert_eq!(d("2028-02-29").day(), 29);
        let message = |s: &str| parse_date(s).unwrap_err().message;
        assert_eq!(
            message("2026-02-30"),
            "impossible date `2026-02-30`: February 2026 has 28 days"
        );
        assert_eq!(
            message("2026-13-01"),
            "impossible date `2026-13-01`: month 13 is not between 1 and 12"
        );
        assert_eq!(
            message("2026-00-01"),
            "impossible date `2026-00-01`: month 0 is not between 1 and 12"
        );
        assert_eq!(
            message("2026-04-00"),
            "impossible date `2026-04-00`: day 0 is not between 1 and 30"
        );
        assert_eq!(
            message("2026-04-31"),
            "impossible date `2026-04-31`: April 2026 has 30 days"
        );
        assert_eq!(message("15/03/2026"), "`15/03/2026` is not a date");
    }

    #[test]
    fn times_and_durations() {
        assert_eq!("08:05".parse::<Time>().unwrap().to_string(), "08:05");
        assert_eq!("8:30".parse::<Time>().unwrap().minutes(), 510);
        assert!(
            "25:00"
                .parse::<Time>()
                .unwrap_err()
                .message
                .starts_with("impossible time")
        );
        assert!(
            "8h".parse::<Time>()
                .unwrap_err()
                .both()
                .contains("not a time")
        );
        assert_eq!("1h30m".parse::<Duration>().unwrap(), Duration(90));
        assert_eq!("45m".parse::<Duration>().unwrap().ical(), "PT45M");
        assert_eq!("2h".parse::<Duration>().unwrap().ical(), "PT2H");
        assert_eq!(Duration(90).ical(), "PT1H30M");
        assert_eq!(Duration(90).to_string(), "1h 30m");
        for bad in ["1.5h", "h", "m", "", "30", "1h30", "0m", "25h"] {
            assert!(bad.parse::<Duration>().is_err(), "{bad}");
        }
    }

    #[test]
    fn weekdays_of_the_month() {
        let first_tue: WeekdayOfMonth = "first Tuesday".parse().unwrap();
        assert_eq!(first_tue.in_month(2026, 9), Some(d("2026-09-01")));
        assert_eq!(first_tue.ical(), "1TU");
        let last_fri: WeekdayOfMonth = "last fri".parse().unwrap();
        assert_eq!(last_fri.in_month(2026, 1), Some(d("2026-01-30")));
        assert_eq!(last_fri.in_month(2026, 7), Some(d("2026-07-31")));
        assert_eq!(last_fri.ical(), "-1FR");
        assert!("fifth monday".parse::<WeekdayOfMonth>().is_err());
        let e = "first tusday".parse::<WeekdayOfMonth>().unwrap_err();
        assert!(e.both().contains("did you mean `tuesday`"), "{e}");
    }

    #[test]
    fn weeks_start_on_monday() {
        assert_eq!(week_start(d("2028-01-02")), d("2027-12-27"));
        assert_eq!(week_start(d("2027-12-27")), d("2027-12-27"));
        assert_eq!(month_length(2028, 2), Some(29));
        assert_eq!(clamp_day(2026, 4, 31), Some(d("2026-04-30")));
        assert!(parse_month("Sept").is_err());
        assert_eq!(parse_month("sep"), Ok(9));
    }
}
