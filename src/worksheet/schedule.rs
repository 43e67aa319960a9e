//! `kind: schedule`: recurring networking time blocks, listed on the page and exported to
//! calendars. Occurrences are computed here once, and the calendar export encodes the same rule,
//! so the page, the planner and the reader's calendar agree.

use super::view::{
    BlockEntry, DateView, Live, LiveItem, ViewAt, Week, WeekEntries, capitalise_dates, date,
};
use super::{Header, Markdown, Registered, WorksheetKind, diag, worksheet_file};
use crate::dates::{Cadence, Date, Duration, Time, WeekdayOfMonth};
use crate::error::Diagnostic;
use crate::recurrence::{On, Recurrence};
use crate::yaml::{self, Node};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The registry's line for this kind.
pub(super) const KIND: Registered = Registered {
    name: "schedule",
    parse,
};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Block {
    pub title: String,
    pub every: Cadence,
    /// The first occurrence; the block repeats from it.
    pub from: Date,
    /// For monthly and quarterly blocks: a weekday of the month instead of `from`'s day; for
    /// yearly ones, a weekday of a named month.
    pub on: Option<BlockOn>,
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

/// `on:` of a block: a weekday of the month (`first tuesday`) for monthly and quarterly
/// blocks, of a named month (`second monday of november`) for yearly ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockOn {
    pub weekday: WeekdayOfMonth,
    pub month: Option<u32>,
}

impl std::str::FromStr for BlockOn {
    type Err = crate::error::Invalid;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase();
        match lower.split_once(" of ") {
            Some((day, month)) => Ok(BlockOn {
                weekday: day.parse()?,
                month: Some(crate::dates::parse_month(month.trim())?),
            }),
            None => Ok(BlockOn {
                weekday: lower.parse()?,
                month: None,
            }),
        }
    }
}

impl std::fmt::Display for BlockOn {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{}", self.weekday)?;
        if let Some(m) = self.month {
            write!(f, " of {}", crate::dates::month_name(m))?;
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for BlockOn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = BlockOn;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a weekday of the month such as `first tuesday`")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<BlockOn, E> {
                s.parse().map_err(crate::error::de_error)
            }
        }
        d.deserialize_str(V)
    }
}

impl Block {
    /// The block's dates as one recurrence; `None` only past the end of the calendar.
    pub fn recurrence(&self) -> Option<Recurrence> {
        let on = match self.on {
            None => On::Day,
            Some(BlockOn {
                weekday,
                month: Some(m),
            }) => On::WeekdayOfYear(weekday, m),
            Some(BlockOn { weekday, .. }) => On::Weekday(weekday),
        };
        let mut r = Recurrence::starting(self.every, self.from.0, on)?;
        r.count = self.count;
        r.until = self.until.map(|u| u.0);
        Some(r)
    }

    /// The first occurrence: `from`, or with `on`, the first matching day on or after it.
    pub fn first(&self) -> Option<NaiveDate> {
        self.recurrence().map(|r| r.first)
    }

    /// Every occurrence in `from..=to`, in order.
    pub fn occurrences_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        self.recurrence()
            .map_or_else(Vec::new, |r| r.between(from, to))
    }

    /// Up to `max` occurrences on or after `today`.
    pub fn next_occurrences(&self, today: NaiveDate, max: usize) -> Vec<NaiveDate> {
        self.recurrence()
            .map_or_else(Vec::new, |r| r.next(today, max))
    }

    /// Number of occurrences up to `until`.
    #[cfg(test)]
    pub fn count_until(&self, until: NaiveDate) -> u32 {
        self.recurrence()
            .map_or(0, |r| r.between(r.first, until).len() as u32)
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
                    Cadence::Yearly => format!("Every year, on the {on}"),
                    _ => format!("{cap} of every month"),
                }
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct Schedule {
    pub blocks: Vec<Block>,
}

worksheet_file!(File {
    blocks: Vec<Block>,
});

fn parse(
    path: &Path,
    text: &str,
    node: &Node,
) -> Result<(Header, Box<dyn WorksheetKind>), Vec<Diagnostic>> {
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
    Ok((header, Box::new(Schedule { blocks: f.blocks })))
}

impl WorksheetKind for Schedule {
    fn name(&self) -> &'static str {
        KIND.name
    }

    fn template(&self) -> &'static str {
        "schedule.html"
    }

    fn markdown(&self) -> Vec<&Markdown> {
        self.blocks
            .iter()
            .filter_map(|b| b.notes.as_ref())
            .collect()
    }

    fn markdown_mut(&mut self) -> Vec<&mut Markdown> {
        self.blocks
            .iter_mut()
            .filter_map(|b| b.notes.as_mut())
            .collect()
    }

    fn search_text<'a>(&'a self, parts: &mut Vec<&'a str>) {
        parts.extend(self.blocks.iter().map(|b| b.title.as_str()));
    }

    fn view(&self, at: ViewAt) -> tera::Value {
        tera::Value::from_serializable(&schedule(self, at.today, at.calendar_url))
    }

    fn live(&self, today: NaiveDate) -> Option<Live> {
        let horizon = today
            .checked_add_months(chrono::Months::new(12 * LIVE_YEARS))
            .unwrap_or(today);
        let items = self
            .blocks
            .iter()
            .map(|b| {
                let mut dates = b.occurrences_between(today, horizon);
                // Complete when no occurrence is left beyond the list.
                let complete = dates.len() <= LIVE_MAX
                    && b.next_occurrences(horizon.succ_opt().unwrap_or(horizon), 1)
                        .is_empty();
                dates.truncate(LIVE_MAX);
                LiveItem::Dates { complete, dates }
            })
            .collect();
        Some(Live {
            key: "blocks",
            items,
        })
    }

    fn plan_week<'a>(&'a self, week: &Week, out: &mut WeekEntries<'a>) {
        for b in self.blocks.iter().filter(|b| !b.example) {
            for d in b.occurrences_between(week.monday, week.sunday) {
                out.blocks.push(BlockEntry {
                    title: &b.title,
                    date: date(d),
                    start: b.start.to_string(),
                    end: b.end().0.to_string(),
                    location: b.location.as_deref(),
                });
            }
        }
    }

    fn has_calendar(&self) -> bool {
        true
    }

    fn events(&self) -> &[Block] {
        &self.blocks
    }
}

/// How far ahead a schedule's occurrences are embedded for the page's script, and at most how
/// many: enough for a site left unbuilt for a year or more (weekly blocks run out first).
const LIVE_YEARS: u32 = 3;
const LIVE_MAX: usize = 160;

#[derive(Serialize)]
struct ScheduleView<'a> {
    blocks: Vec<BlockView<'a>>,
    calendar_url: Option<String>,
}

#[derive(Serialize)]
struct BlockView<'a> {
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

fn block(b: &Block, today: NaiveDate) -> BlockView<'_> {
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

fn schedule(s: &Schedule, today: NaiveDate, calendar_url: Option<String>) -> ScheduleView<'_> {
    ScheduleView {
        blocks: s.blocks.iter().map(|b| block(b, today)).collect(),
        calendar_url,
    }
}

/// Rules that involve more than one key of a block.
fn check_block(path: &Path, text: &str, item: &Node, b: &Block, diags: &mut Vec<Diagnostic>) {
    let at = |key| item.key_pos(key);
    match (b.on, b.every) {
        (None, _) => {}
        (Some(BlockOn { month: None, .. }), Cadence::Monthly | Cadence::Quarterly) => {}
        (Some(BlockOn { month: Some(_), .. }), Cadence::Yearly) => {}
        (Some(on), Cadence::Yearly) => diags.push(diag(
            path,
            text,
            at("on"),
            format!("a yearly block needs the month in `on`: `{on}` names none"),
            format!("write e.g. `on: {on} of november`"),
        )),
        (Some(BlockOn { month: Some(_), .. }), Cadence::Monthly | Cadence::Quarterly) => diags
            .push(diag(
                path,
                text,
                at("on"),
                format!(
                    "a {} block repeats every month it is due: `on` names a month",
                    b.every.name()
                ),
                "leave out `of <month>`, or use `every: yearly`",
            )),
        (Some(_), _) => diags.push(diag(
            path,
            text,
            at("on"),
            format!(
                "`on` applies to monthly, quarterly and yearly blocks, not to {} ones",
                b.every.name()
            ),
            "remove `on` (the block repeats on `from`'s weekday), or use `every: monthly`",
        )),
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

    #[test]
    fn a_yearly_block_takes_a_weekday_of_a_named_month() {
        let b = block(
            Cadence::Yearly,
            "2026-01-01",
            Some("second Monday of November"),
        );
        assert_eq!(b.first(), Some(d("2026-11-09")));
        assert_eq!(
            b.rule_label(),
            "Every year, on the second Monday of november"
        );
        let parse = |t: &str| super::super::parse(Path::new("s.yaml"), t).err();
        let yaml = |every: &str, on: &str| {
            format!(
                "kind: schedule\nblocks:\n  - title: x\n    every: {every}\n    on: {on}\n    from: 2026-01-01\n    start: \"08:00\"\n    duration: 1h\n"
            )
        };
        assert!(parse(&yaml("yearly", "second monday of november")).is_none());
        let e = parse(&yaml("yearly", "second monday")).unwrap();
        assert_eq!((e[0].line, e[0].col), (5, 5));
        assert!(e[0].message.contains("needs the month"), "{}", e[0].message);
        let e = parse(&yaml("monthly", "first tuesday of may")).unwrap();
        assert!(e[0].message.contains("names a month"), "{}", e[0].message);
        let e = parse(&yaml("yearly", "second monday of brumaire")).unwrap();
        assert!(e[0].message.contains("not a month"), "{}", e[0].message);
    }
}
