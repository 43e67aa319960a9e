//! Worksheet pages in the output: their template, their `worksheet` context value, and the
//! calendar files written beside schedules, and the planner page.

use super::view::{self, place};
use crate::calendar;
use crate::config::Config;
use crate::content::{ItemRef, Library, Page, PageKind};
use crate::plan;
use crate::planner::Planner;
use tera::Value;

/// The template of a page without `template:`: the kind's for a worksheet.
pub fn default_template(p: &Page) -> &'static str {
    match &p.kind {
        PageKind::Worksheet(w) => w.template(),
        PageKind::Markdown | PageKind::Unreadable => "page.html",
    }
}

/// `worksheet` for a page's template, when the page is a worksheet.
pub fn context_value(config: &Config, lib: &Library, index: usize) -> Option<Value> {
    let page = &lib.pages[index];
    let w = lib.worksheet(index)?;
    Some(Value::from_serializable(&view::view(
        w,
        place(config, page, w),
    )))
}

/// The calendar files: one beside each schedule page, and `calendar.ics` at the root with every
/// block of the handbook (when there is at least one). Returns (output path, text).
pub fn calendars(config: &Config, lib: &Library) -> Vec<(String, String)> {
    let site_url = config.site.base_url.contains("://");
    let domain = config
        .site
        .base_url
        .split_once("://")
        .map(|(_, rest)| rest.split('/').next().unwrap_or("rapport"))
        .filter(|h| !h.is_empty())
        .unwrap_or("rapport");
    let mut files = Vec::new();
    let mut all: Vec<calendar::Entry> = Vec::new();
    for item in &lib.order {
        let ItemRef::Page(i) = *item else { continue };
        let page = &lib.pages[i];
        let Some(w) = lib.worksheet(i) else { continue };
        let url = if site_url {
            config.permalink(&page.path)
        } else {
            String::new()
        };
        let entries: Vec<calendar::Entry> = w
            .data
            .events()
            .iter()
            .map(|b| calendar::Entry {
                block: b,
                source: page.source.to_str().unwrap_or_default(),
                url: url.clone(),
                notes: b.notes.as_ref().map_or("", |n| n.text.as_str()),
            })
            .collect();
        if entries.is_empty() {
            continue;
        }
        let name = format!("{} · {}", page.title, config.site.title);
        files.push((
            plan::calendar_file(page),
            calendar::calendar(&entries, &calendar_options(config, &name, domain)),
        ));
        all.extend(entries);
    }
    if !all.is_empty() {
        files.push((
            plan::ALL_CALENDARS.to_string(),
            calendar::calendar(&all, &calendar_options(config, &config.site.title, domain)),
        ));
    }
    files
}

fn calendar_options<'a>(
    config: &'a Config,
    name: &'a str,
    domain: &'a str,
) -> calendar::Options<'a> {
    calendar::Options {
        name,
        timezone: config.site.timezone.as_deref(),
        stamp: config.today,
        domain,
    }
}

/// The context of `planner.html`.
pub fn planner_context(config: &Config, lib: &Library, planner: &Planner) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("planner", &super::planner_view::view(planner, config, lib));
    ctx.insert("current_path", &config.url(plan::PLANNER));
    // `calendar.ics` at the root exists when any schedule has blocks (see `calendars`).
    let has_blocks = (0..lib.pages.len()).any(|i| {
        lib.worksheet(i)
            .is_some_and(|w| !w.data.events().is_empty())
    });
    ctx.insert(
        "calendar_url",
        &has_blocks.then(|| config.url(plan::ALL_CALENDARS)),
    );
    // What `partials/meta.html` needs for the canonical link and Open Graph tags.
    let mut page = tera::Map::new();
    page.insert("title".into(), Value::from("Planner"));
    page.insert(
        "description".into(),
        Value::from("A printable networking planner: worksheets and one page per week."),
    );
    page.insert("url".into(), Value::from(config.url(plan::PLANNER)));
    page.insert(
        "permalink".into(),
        Value::from(config.permalink(plan::PLANNER)),
    );
    ctx.insert_value("page", Value::from(page));
    ctx.insert_value("breadcrumbs", Value::from(Vec::<Value>::new()));
    ctx
}
