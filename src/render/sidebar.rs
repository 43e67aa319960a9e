//! The sidebar is rendered once per section and shared by the section's pages, instead of being
//! re-rendered for each page: in a 10,000-page handbook each sidebar lists ~100 pages, and
//! rendering that list per page was a quarter of the build.
//!
//! Contract for themes: `partials/sidebar.html` is rendered with the section's context (so
//! `current_path` is the section's URL); on each page rapport then moves the
//! `aria-current="page"` attribute from the link to the section to the link to the page. The
//! result reaches templates as `sidebar` (safe HTML). A theme without that partial renders its
//! navigation however it likes.

use super::context::SharedContext;
use super::theme::Theme;
use crate::config::Config;
use crate::content::Library;
use rayon::prelude::*;
use tera::{Context, Value};

const TEMPLATE: &str = "partials/sidebar.html";
const CURRENT: &str = " aria-current=\"page\"";

/// One rendered sidebar per section (left empty for the sections `wanted` leaves out), or none
/// when the theme has no sidebar partial.
pub fn prerender(
    config: &Config,
    lib: &Library,
    theme: &Theme,
    shared: &SharedContext,
    report: &(dyn Fn(tera::Error) + Sync),
    wanted: &(dyn Fn(usize) -> bool + Sync),
) -> Option<Vec<String>> {
    if !theme.tera.contains_template(TEMPLATE) {
        return None;
    }
    let rendered = (0..lib.sections.len())
        .into_par_iter()
        .map(|i| {
            if !wanted(i) {
                return String::new();
            }
            theme
                .tera
                .render(TEMPLATE, &shared.for_section(config, lib, i))
                .unwrap_or_else(|e| {
                    report(e);
                    String::new()
                })
        })
        .collect();
    Some(rendered)
}

/// Adds `sidebar` to a section's or page's context.
pub fn insert(
    ctx: &mut Context,
    sidebars: &Option<Vec<String>>,
    config: &Config,
    lib: &Library,
    section: usize,
    page_path: Option<&str>,
) {
    let Some(sidebars) = sidebars else { return };
    let html = &sidebars[section];
    let value = match page_path {
        None => Value::safe_string(html),
        Some(page) => {
            let section_url = config.url(&lib.sections[section].path);
            Value::safe_string(&mark_current(html, &section_url, &config.url(page)))
        }
    };
    ctx.insert_value("sidebar", value);
}

fn mark_current(html: &str, section_url: &str, page_url: &str) -> String {
    let href = |url: &str| format!("href=\"{}\"", crate::markdown::escape(url));
    let section_href = href(section_url);
    let mut out = html.replacen(&format!("{section_href}{CURRENT}"), &section_href, 1);
    let page_href = href(page_url);
    if let Some(i) = out.find(&page_href) {
        out.insert_str(i + page_href.len(), CURRENT);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_the_current_mark_to_the_page() {
        let html =
            r#"<a href="/s/" aria-current="page">S</a><a href="/s/p/">P</a><a href="/s/q/">Q</a>"#;
        assert_eq!(
            mark_current(html, "/s/", "/s/p/"),
            r#"<a href="/s/">S</a><a href="/s/p/" aria-current="page">P</a><a href="/s/q/">Q</a>"#
        );
    }
}
