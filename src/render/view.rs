//! What worksheet templates see as `worksheet`: the typed data plus what the build computes
//! from it (due dates, status against the build date, summaries, next occurrences).
//! Markdown fields (`intro`, `notes`) hold rendered HTML: print them with `| safe`.
//!
//! `live` is what the page's script needs to compute the dates again against the reader's today
//! (JSON, safe inside `<script type="application/json">`): without JavaScript, the build date's
//! values stay, marked "as of".

use crate::config::Config;
use crate::content::Page;
use crate::worksheet::view::{LiveItem, ViewAt};
use crate::worksheet::{Print, Worksheet};
use chrono::NaiveDate;
use serde::Serialize;

pub use crate::worksheet::view::{DateView, capitalise_dates, date};

/// Where the worksheet sits in the site, for links and the calendar file.
pub struct Place<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub url: String,
    pub source: String,
    /// URL of the schedule's `.ics` file.
    pub calendar_url: Option<String>,
    pub today: NaiveDate,
    /// Marked `private: true`, or in a private folder.
    pub private: bool,
}

/// Where a worksheet page sits, for its view.
pub fn place<'a>(config: &Config, page: &'a Page, w: &Worksheet) -> Place<'a> {
    Place {
        title: &page.title,
        description: &page.description,
        url: config.url(&page.path),
        source: page.source.to_string_lossy().replace('\\', "/"),
        calendar_url: w
            .data
            .has_calendar()
            .then(|| config.url(&crate::plan::calendar_file(page))),
        today: config.today,
        private: page.private,
    }
}

#[derive(Serialize)]
pub struct View<'a> {
    kind: &'static str,
    title: &'a str,
    description: &'a str,
    intro: &'a str,
    /// Printed instead of `intro` when set.
    print_intro: &'a str,
    /// Marked `private: true` (shown only because this run includes private worksheets).
    private: bool,
    url: String,
    source: String,
    print: &'a Print,
    /// JSON for worksheets.js: the build date and the dates it recomputes (empty for kinds
    /// without dates).
    live: String,
    /// The kind's own keys (see `WorksheetKind::view`).
    #[serde(flatten)]
    data: tera::Value,
}

pub fn view<'a>(w: &'a Worksheet, place: Place<'a>) -> View<'a> {
    let today = place.today;
    let live = live(w, today);
    let data = w.data.view(ViewAt {
        today,
        calendar_url: place.calendar_url,
    });
    View {
        kind: w.kind(),
        title: place.title,
        description: place.description,
        intro: w.header.intro.as_ref().map_or("", |m| m.html.as_str()),
        print_intro: w
            .header
            .print_intro
            .as_ref()
            .map_or("", |m| m.html.as_str()),
        private: place.private,
        url: place.url,
        source: place.source,
        print: &w.header.print,
        live,
        data,
    }
}

/// The JSON the page's script reads (see [`View::live`]).
fn live(w: &Worksheet, today: NaiveDate) -> String {
    use crate::search::json_string;
    let Some(live) = w.data.live(today) else {
        return String::new();
    };
    let iso = |d: NaiveDate| json_string(&crate::dates::iso(d));
    let items: Vec<String> = live
        .items
        .into_iter()
        .map(|item| match item {
            LiveItem::Nothing => "null".to_string(),
            LiveItem::Today => "\"today\"".to_string(),
            LiveItem::Date(d) => iso(d),
            LiveItem::Dates { complete, dates } => {
                let list: Vec<String> = dates.into_iter().map(iso).collect();
                format!("{{\"complete\":{complete},\"dates\":[{}]}}", list.join(","))
            }
        })
        .collect();
    format!(
        "{{\"today\":{},\"{}\":[{}]}}",
        iso(today),
        live.key,
        items.join(",")
    )
}
