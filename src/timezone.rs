//! Time zones for calendar export: IANA names checked against the tz database (chrono-tz), and
//! the `VTIMEZONE` component RFC 5545 requires for every `TZID` an event uses.
//!
//! The component lists the zone's actual transitions (from the tz database) for the years the
//! calendar's events start in, and carries the last year's transitions on as yearly rules, so
//! that recurring events keep the right offset in later years too.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone};
use chrono_tz::{OffsetComponents, OffsetName, Tz};

/// The zone called `name`, or a message with the closest known names.
pub fn parse(name: &str) -> Result<Tz, crate::error::Invalid> {
    let name = name.trim();
    name.parse::<Tz>().map_err(|_| {
        let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|t| t.name()).collect();
        let hint = match crate::error::closest(name, &names) {
            Some(c) => format!("did you mean `{c}`?"),
            None => "write a tz database name such as Europe/Berlin, America/New_York or UTC"
                .to_string(),
        };
        crate::error::Invalid::new(format!("`{name}` is not a time zone of the tz database")).hint(
            format!("{hint}; leave `timezone` out for floating local times"),
        )
    })
}

/// One change of offset: the UTC instant, and the offsets and name before and after it.
#[derive(Debug, Clone, PartialEq)]
struct Transition {
    at: NaiveDateTime,
    from: i32,
    to: i32,
    name: String,
    daylight: bool,
}

fn offset_at(tz: Tz, utc: NaiveDateTime) -> (i32, String, bool) {
    let off = tz.offset_from_utc_datetime(&utc);
    let seconds = off.fix().local_minus_utc();
    let name = off.abbreviation().unwrap_or("").to_string();
    (seconds, name, off.dst_offset() != Duration::zero())
}

/// The transitions of `tz` in the years `from..=to` (UTC), found by stepping a day at a time
/// and narrowing each change down to the minute.
fn transitions(tz: Tz, from: i32, to: i32) -> Vec<Transition> {
    let start = |y: i32| NaiveDate::from_ymd_opt(y, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0));
    let (Some(mut t), Some(end)) = (start(from), start(to + 1)) else {
        return vec![];
    };
    let mut out = Vec::new();
    let mut before = offset_at(tz, t);
    while t < end {
        let next = t + Duration::days(1);
        let after = offset_at(tz, next);
        if after.0 != before.0 || after.2 != before.2 {
            // The change is within (t, next]: binary search on whole minutes.
            let (mut lo, mut hi) = (0i64, 24 * 60);
            while hi - lo > 1 {
                let mid = (lo + hi) / 2;
                let m = offset_at(tz, t + Duration::minutes(mid));
                if m.0 == before.0 && m.2 == before.2 {
                    lo = mid
                } else {
                    hi = mid
                }
            }
            let hi = t + Duration::minutes(hi);
            out.push(Transition {
                at: hi,
                from: before.0,
                to: after.0,
                name: after.1.clone(),
                daylight: after.2,
            });
        }
        before = after;
        t = next;
    }
    out
}

/// `+0100`, `-0430`.
fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let m = seconds.abs() / 60;
    format!("{sign}{:02}{:02}", m / 60, m % 60)
}

fn local(t: &Transition) -> NaiveDateTime {
    // An observance starts at the local time of the offset it replaces.
    t.at + Duration::seconds(i64::from(t.from))
}

/// `BYMONTH=3;BYDAY=-1SU` for a transition on the last Sunday of March, `2SU` for the second.
fn yearly_rule(t: &Transition) -> String {
    let day = local(t).date();
    let weekday = match day.weekday() {
        chrono::Weekday::Mon => "MO",
        chrono::Weekday::Tue => "TU",
        chrono::Weekday::Wed => "WE",
        chrono::Weekday::Thu => "TH",
        chrono::Weekday::Fri => "FR",
        chrono::Weekday::Sat => "SA",
        chrono::Weekday::Sun => "SU",
    };
    let days_in_month = crate::dates::month_length(day.year(), day.month()).unwrap_or(28);
    let nth = if day.day() + 7 > days_in_month {
        -1
    } else {
        (day.day() as i32 - 1) / 7 + 1
    };
    format!("FREQ=YEARLY;BYMONTH={};BYDAY={nth}{weekday}", day.month())
}

fn observance(lines: &mut Vec<String>, t: &Transition, rule: Option<String>) {
    let kind = if t.daylight { "DAYLIGHT" } else { "STANDARD" };
    lines.push(format!("BEGIN:{kind}"));
    lines.push(format!("DTSTART:{}", local(t).format("%Y%m%dT%H%M%S")));
    if let Some(rule) = rule {
        lines.push(format!("RRULE:{rule}"));
    }
    lines.push(format!("TZOFFSETFROM:{}", offset_text(t.from)));
    lines.push(format!("TZOFFSETTO:{}", offset_text(t.to)));
    if !t.name.is_empty() && !t.name.starts_with(['+', '-']) {
        lines.push(format!("TZNAME:{}", t.name));
    }
    lines.push(format!("END:{kind}"));
}

/// The `VTIMEZONE` lines for `tz`, for events starting in the years `from..=to`.
pub fn vtimezone(tz: Tz, from: i32, to: i32) -> Vec<String> {
    let mut lines = vec!["BEGIN:VTIMEZONE".to_string(), format!("TZID:{}", tz.name())];
    let Some(first) = NaiveDate::from_ymd_opt(from, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0))
    else {
        lines.push("END:VTIMEZONE".into());
        return lines;
    };
    // The offset in force when the range starts, as an observance of its own.
    let (offset, name, daylight) = offset_at(tz, first);
    let opening = Transition {
        at: first - Duration::seconds(i64::from(offset)),
        from: offset,
        to: offset,
        name,
        daylight,
    };
    observance(&mut lines, &opening, None);
    let all = transitions(tz, from, to.max(from));
    // The last year's changes recur every year after it; earlier ones are listed as they were.
    let last_year = all.last().map(|t| local(t).year());
    for t in &all {
        let recurring = Some(local(t).year()) == last_year;
        observance(&mut lines, t, recurring.then(|| yearly_rule(t)));
    }
    lines.push("END:VTIMEZONE".into());
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked_against_the_tz_database() {
        assert!(parse("Europe/Berlin").is_ok());
        assert!(parse("UTC").is_ok());
        let e = parse("Europe/Berln").unwrap_err();
        assert!(e.both().contains("did you mean `Europe/Berlin`?"), "{e}");
    }

    #[test]
    fn berlin_switches_on_the_last_sundays_of_march_and_october() {
        let tz = parse("Europe/Berlin").unwrap();
        let lines = vtimezone(tz, 2026, 2027);
        let text = lines.join("\n");
        assert!(
            text.starts_with(
                "BEGIN:VTIMEZONE\nTZID:Europe/Berlin\nBEGIN:STANDARD\nDTSTART:20260101T000000"
            ),
            "{text}"
        );
        // 29 March 2026, 02:00 CET → 03:00 CEST; 25 October 2026, 03:00 CEST → 02:00 CET.
        assert!(text.contains("BEGIN:DAYLIGHT\nDTSTART:20260329T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nTZNAME:CEST"), "{text}");
        assert!(text.contains("BEGIN:STANDARD\nDTSTART:20261025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZNAME:CET"), "{text}");
        // The last year's changes recur.
        assert!(
            text.contains("DTSTART:20270328T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"),
            "{text}"
        );
        assert!(
            text.contains("DTSTART:20271031T030000\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"),
            "{text}"
        );
        assert!(text.ends_with("END:VTIMEZONE"));
    }

    #[test]
    fn new_york_uses_the_second_and_first_sundays() {
        let text = vtimezone(parse("America/New_York").unwrap(), 2026, 2026).join("\n");
        assert!(
            text.contains("DTSTART:20260308T020000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"),
            "{text}"
        );
        assert!(
            text.contains("DTSTART:20261101T020000\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"),
            "{text}"
        );
    }

    #[test]
    fn a_zone_without_daylight_saving_has_one_observance() {
        let text = vtimezone(parse("Asia/Tokyo").unwrap(), 2026, 2030).join("\n");
        assert_eq!(text.matches("BEGIN:STANDARD").count(), 1, "{text}");
        assert!(
            text.contains("TZOFFSETFROM:+0900\nTZOFFSETTO:+0900\nTZNAME:JST"),
            "{text}"
        );
        assert!(!text.contains("DAYLIGHT"));
    }
}
