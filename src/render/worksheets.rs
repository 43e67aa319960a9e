//! Worksheet pages in the output: their template, their `worksheet` context value, and the
//! calendar files written beside schedules.

use crate::config::Config;
use crate::content::{Library, Page, PageKind};
use crate::worksheet::view::{self, Place};
use crate::worksheet::{Kind, Worksheet};
use tera::Value;

/// The template of a page without `template:`: the kind's for a worksheet.
pub fn default_template(p: &Page) -> &'static str {
    match &p.kind {
        PageKind::Worksheet(w) => w.kind.template(),
        PageKind::Markdown => "page.html",
    }
}

/// The output path of a schedule's calendar file: beside its page.
pub fn calendar_path(page: &Page) -> String {
    format!("{}calendar.ics", page.path)
}

/// Where a worksheet page sits, for its view.
pub fn place<'a>(config: &Config, page: &'a Page, w: &Worksheet) -> Place<'a> {
    Place {
        title: &page.title,
        description: &page.description,
        url: config.url(&page.path),
        source: page.source.to_string_lossy().replace('\\', "/"),
        calendar_url: (w.kind == Kind::Schedule).then(|| config.url(&calendar_path(page))),
        today: config.today,
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
