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
use std::collections::HashMap;
use tera::{Context, Value};

const TEMPLATE: &str = "partials/sidebar.html";
const CURRENT: &str = " aria-current=\"page\"";

/// A section's rendered sidebar, ready to mark any of its links as the current page without
/// searching it again: every page of the section places the mark in its own copy.
#[derive(Default)]
pub struct Sidebar {
    /// The sidebar as rendered, less the section link's current mark.
    html: String,
    /// Where the section link's mark was (right after its `href="…"`).
    section_at: Option<usize>,
    /// Every link's URL (as escaped in the HTML) → where its mark would go; the first link of
    /// each URL.
    marks: HashMap<Box<str>, usize>,
}

impl Sidebar {
    /// `html` as rendered for the section at `section_url`.
    fn new(mut html: String, section_url: &str) -> Sidebar {
        let section_href = href(section_url);
        let current = format!("{section_href}{CURRENT}");
        let section_at = memchr::memmem::find(html.as_bytes(), current.as_bytes())
            .map(|i| i + section_href.len());
        if let Some(at) = section_at {
            html.replace_range(at..at + CURRENT.len(), "");
        }
        let mut marks = HashMap::new();
        for start in memchr::memmem::find_iter(html.as_bytes(), HREF) {
            let value = start + HREF.len();
            let Some(len) = memchr::memchr(b'"', &html.as_bytes()[value..]) else {
                break;
            };
            let url = &html[value..value + len];
            marks.entry(url.into()).or_insert(value + len + 1);
        }
        Sidebar {
            html,
            section_at,
            marks,
        }
    }

    /// The sidebar with the link at `at` marked current.
    fn marked(&self, at: Option<usize>) -> Value {
        let Some(at) = at else {
            return Value::safe_string(&self.html);
        };
        let mut out = String::with_capacity(self.html.len() + CURRENT.len());
        out.push_str(&self.html[..at]);
        out.push_str(CURRENT);
        out.push_str(&self.html[at..]);
        Value::safe_string(&out)
    }
}

/// One rendered sidebar per section (left empty for the sections `wanted` leaves out), or none
/// when the theme has no sidebar partial.
pub fn prerender(
    config: &Config,
    lib: &Library,
    theme: &Theme,
    shared: &SharedContext,
    report: &(dyn Fn(tera::Error) + Sync),
    wanted: &(dyn Fn(usize) -> bool + Sync),
) -> Option<Vec<Sidebar>> {
    if !theme.tera.contains_template(TEMPLATE) {
        return None;
    }
    let rendered = (0..lib.sections.len())
        .into_par_iter()
        .map(|i| {
            if !wanted(i) {
                return Sidebar::default();
            }
            match theme
                .tera
                .render(TEMPLATE, &shared.for_section(config, lib, i))
            {
                Ok(html) => Sidebar::new(html, &config.url(&lib.sections[i].path)),
                Err(e) => {
                    report(e);
                    Sidebar::default()
                }
            }
        })
        .collect();
    Some(rendered)
}

/// Adds `sidebar` to a section's or page's context: the section's, with the current page's
/// link marked (`aria-current`) in place of the section's.
pub fn insert(
    ctx: &mut Context,
    sidebars: &Option<Vec<Sidebar>>,
    config: &Config,
    section: usize,
    page_path: Option<&str>,
) {
    let Some(sidebars) = sidebars else { return };
    let sidebar = &sidebars[section];
    let at = match page_path {
        None => sidebar.section_at,
        Some(page) => {
            let url = crate::markdown::escape(&config.url(page));
            sidebar.marks.get(url.as_str()).copied()
        }
    };
    ctx.insert_value("sidebar", sidebar.marked(at));
}

const HREF: &[u8] = b"href=\"";

fn href(url: &str) -> String {
    format!("href=\"{}\"", crate::markdown::escape(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(html: &str, section_url: &str, page_url: Option<&str>) -> String {
        let sidebar = Sidebar::new(html.to_string(), section_url);
        let at = match page_url {
            None => sidebar.section_at,
            Some(url) => sidebar.marks.get(url).copied(),
        };
        sidebar.marked(at).as_str().unwrap().to_string()
    }

    #[test]
    fn moves_the_current_mark_to_the_page() {
        let html =
            r#"<a href="/s/" aria-current="page">S</a><a href="/s/p/">P</a><a href="/s/q/">Q</a>"#;
        assert_eq!(
            marked(html, "/s/", Some("/s/p/")),
            r#"<a href="/s/">S</a><a href="/s/p/" aria-current="page">P</a><a href="/s/q/">Q</a>"#
        );
        assert_eq!(
            marked(html, "/s/", None),
            html,
            "the section's own stays as rendered"
        );
        assert_eq!(
            marked(html, "/s/", Some("/t/")),
            html.replace(CURRENT, ""),
            "a page without a link of its own: none is current"
        );
        let twice =
            r#"<a href="/s/p/">P</a><a href="/s/p/">again</a><a data-x="1" href="/s/q/">Q</a>"#;
        assert_eq!(
            marked(twice, "/s/", Some("/s/p/")),
            twice.replacen(r#""/s/p/""#, r#""/s/p/" aria-current="page""#, 1),
            "the first link to the page"
        );
        assert_eq!(
            marked(twice, "/s/", Some("/s/q/")),
            twice.replace(r#""/s/q/""#, r#""/s/q/" aria-current="page""#)
        );
        let crumb =
            r#"<a href="/s/">up</a><a href="/s/" aria-current="page">S</a><a href="/s/p/">P</a>"#;
        assert_eq!(
            marked(crumb, "/s/", Some("/s/p/")),
            r#"<a href="/s/">up</a><a href="/s/">S</a><a href="/s/p/" aria-current="page">P</a>"#,
            "the section's mark is taken where it is, not at its first link"
        );
    }
}
