//! iCalendar (RFC 5545) export of schedule blocks.
//!
//! Each block becomes one recurring event (two for a date on the 29th or 30th, February apart).
//! The rules come from the same `Recurrence` that lists the dates on the page and in the planner
//! (`crate::recurrence`), in forms every RFC 5545 client reads alike, so the reader's calendar
//! shows the dates the page and the planner show. Output is deterministic:
//! `DTSTAMP` is the build date and `UID`s derive from the source file and the block's title.

use crate::worksheet::Block;
use chrono::{Datelike, NaiveDate};

/// One block to export, with where it comes from.
pub struct Entry<'a> {
    pub block: &'a Block,
    /// Source path of the worksheet (`content/02-time/calendar.yaml`), part of the UID.
    pub source: &'a str,
    /// Absolute URL of the worksheet page; empty when the site has no absolute `base_url`.
    pub url: String,
    /// Plain text of the block's notes.
    pub notes: &'a str,
}

/// Calendar-wide settings.
pub struct Options<'a> {
    pub name: &'a str,
    pub timezone: Option<&'a str>,
    /// The build date, used as `DTSTAMP`.
    pub stamp: NaiveDate,
    /// Right-hand side of UIDs (the site's host).
    pub domain: &'a str,
}

/// A whole `VCALENDAR` with one `VEVENT` per entry, CRLF line endings and folded lines.
pub fn calendar(entries: &[Entry], opts: &Options) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        format!(
            "PRODID:-//rapport//rapport {}//EN",
            env!("CARGO_PKG_VERSION")
        ),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        format!("X-WR-CALNAME:{}", escape_text(opts.name)),
    ];
    if let Some(tz) = opts.timezone {
        lines.push(format!("X-WR-TIMEZONE:{tz}"));
        // Every TZID an event uses needs its VTIMEZONE (RFC 5545 §3.2.19); UTC needs none.
        let years = entries
            .iter()
            .filter_map(|e| e.block.first())
            .map(|d| d.year());
        let (from, to) = (years.clone().min(), years.max());
        if let (Some(from), Some(to), Ok(zone)) = (from, to, crate::timezone::parse(tz))
            && !matches!(tz, "UTC" | "GMT")
        {
            lines.extend(crate::timezone::vtimezone(zone, from, to));
        }
    }
    // A block's UID comes from its file and title, so it survives edits of everything else;
    // two blocks with one title in one file are told apart by their order among those blocks,
    // which is the same in the page's calendar and in the handbook-wide one.
    let mut seen: std::collections::HashMap<(&str, &str), usize> = Default::default();
    // Examples are shown on their page but belong in nobody's calendar.
    for e in entries.iter().filter(|e| !e.block.example) {
        let nth = seen.entry((e.source, e.block.title.as_str())).or_insert(0);
        let hash = if *nth == 0 {
            fnv1a(&[e.source, &e.block.title])
        } else {
            fnv1a(&[e.source, &e.block.title, &nth.to_string()])
        };
        *nth += 1;
        let uid = format!("{hash:016x}@{}", opts.domain);
        event(&mut lines, e, &uid, opts);
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in &lines {
        fold(&mut out, l);
    }
    out
}

fn event(lines: &mut Vec<String>, e: &Entry, uid: &str, opts: &Options) {
    let b = e.block;
    let Some(rec) = b.recurrence() else {
        return;
    };
    let utc = matches!(opts.timezone, Some("UTC" | "GMT"));
    let floating = opts.timezone.is_none();
    // Usually one rule; a date on the 29th or 30th gives February its own (see recurrence.rs),
    // as a second event of the same block.
    for (i, rule) in rec.rules(utc, floating).iter().enumerate() {
        lines.push("BEGIN:VEVENT".into());
        if i == 0 {
            lines.push(format!("UID:{uid}"));
        } else {
            lines.push(format!(
                "UID:{}",
                uid.replacen('@', &format!("-{}@", i + 1), 1)
            ));
        }
        lines.push(format!("DTSTAMP:{}T000000Z", ymd(opts.stamp)));
        let start = format!(
            "{}T{:02}{:02}00",
            ymd(rule.start),
            b.start.hour,
            b.start.minute
        );
        lines.push(match opts.timezone {
            Some("UTC") | Some("GMT") => format!("DTSTART:{start}Z"),
            Some(tz) => format!("DTSTART;TZID={tz}:{start}"),
            None => format!("DTSTART:{start}"),
        });
        lines.push(format!("DURATION:{}", b.duration.ical()));
        lines.push(format!("RRULE:{}", rule.rrule));
        lines.push(format!("SUMMARY:{}", escape_text(&b.title)));
        if let Some(loc) = &b.location {
            lines.push(format!("LOCATION:{}", escape_text(loc)));
        }
        let description: Vec<&str> = [e.notes.trim(), e.url.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect();
        if !description.is_empty() {
            lines.push(format!(
                "DESCRIPTION:{}",
                escape_text(&description.join("\n\n"))
            ));
        }
        if !e.url.is_empty() {
            lines.push(format!("URL:{}", e.url));
        }
        lines.push("END:VEVENT".into());
    }
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// TEXT value escaping (RFC 5545 §3.3.11).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.replace("\r\n", "\n").chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded to at most 75 octets per physical line, never splitting a UTF-8
/// character, each line ended by CRLF (RFC 5545 §3.1).
pub fn fold(out: &mut String, line: &str) {
    let mut limit = 75;
    let mut rest = line;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        // Continuation lines start with a space, which counts.
        limit = 74;
    }
}

/// FNV-1a, 64 bits: a stable hash (std's is randomly seeded) for UIDs.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h ^= 0x1f;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in p.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_respects_octets_and_characters() {
        let mut out = String::new();
        let long = format!("DESCRIPTION:{}", "é".repeat(100));
        fold(&mut out, &long);
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{} octets", l.len());
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, long);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
