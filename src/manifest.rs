//! The output manifest: every file a build writes, with where it comes from, decided in one
//! place once content and theme are loaded. Two origins that claim one path are an error naming
//! both, so no file silently replaces another (Zola's `find_path_collisions` is the model).

use crate::config::Config;
use crate::content::{ItemRef, Library};
use crate::error::Diagnostic;
use crate::render::{StaticSource, index_file, view};
use crate::worksheet::Data;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Where an output file comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Page(PathBuf),
    Section(PathBuf),
    Planner,
    /// `/book/`: every page in one, to print.
    Book,
    /// The calendar of one schedule worksheet.
    Calendar(PathBuf),
    /// `calendar.ics`: every schedule's blocks.
    AllCalendars,
    SearchIndex,
    /// `.nojekyll`, `CNAME`, `sitemap.xml`, `robots.txt`: a static file of the same name
    /// replaces it on purpose.
    HostFile,
    NotFound,
    /// A file of the built-in theme.
    ThemeAsset,
    /// A file of the site's or theme's `static/` folder.
    Static(PathBuf),
    /// An image or file beside a page.
    Asset(PathBuf),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Page(p) | Origin::Section(p) => write!(f, "`{}`", p.display()),
            Origin::Planner => f.write_str("the printable planner"),
            Origin::Book => f.write_str("the handbook as a book"),
            Origin::Calendar(p) => write!(f, "the calendar of `{}`", p.display()),
            Origin::AllCalendars => f.write_str("the calendar of every schedule"),
            Origin::SearchIndex => f.write_str("the search index"),
            Origin::HostFile => f.write_str("rapport's file for static hosts"),
            Origin::NotFound => f.write_str("the theme's 404 page"),
            Origin::ThemeAsset => f.write_str("the built-in theme"),
            Origin::Static(p) | Origin::Asset(p) => write!(f, "`{}`", p.display()),
        }
    }
}

/// Every output path, sorted, with its origin.
#[derive(Debug, Default, Clone)]
pub struct Manifest {
    files: BTreeMap<String, Origin>,
}

impl Manifest {
    /// Claims every output of the site; the diagnostics name each path claimed twice.
    pub fn build(
        config: &Config,
        lib: &Library,
        statics: &BTreeMap<String, StaticSource>,
    ) -> (Manifest, Vec<Diagnostic>) {
        let mut m = Manifest::default();
        let mut diags = Vec::new();
        for (path, origin) in generated(config, lib) {
            m.claim(path, origin, &mut diags);
        }
        for (path, source) in statics {
            let origin = match source {
                StaticSource::Embedded(_) => Origin::ThemeAsset,
                StaticSource::Disk(file) => Origin::Static(
                    file.strip_prefix(&config.root)
                        .unwrap_or(file)
                        .to_path_buf(),
                ),
            };
            m.claim(path.clone(), origin, &mut diags);
        }
        for a in &lib.assets {
            m.claim(a.path.clone(), Origin::Asset(a.source.clone()), &mut diags);
        }
        (m, diags)
    }

    fn claim(&mut self, path: String, origin: Origin, diags: &mut Vec<Diagnostic>) {
        match self.files.get(&path) {
            None => {
                self.files.insert(path, origin);
            }
            // The user's own robots.txt (or CNAME, sitemap) replaces rapport's, as documented.
            Some(Origin::HostFile) if matches!(origin, Origin::Static(_)) => {
                self.files.insert(path, origin);
            }
            Some(first) => diags.push(collision(&path, first, &origin)),
        }
    }

    pub fn origin(&self, path: &str) -> Option<&Origin> {
        self.files.get(path)
    }

    /// Whether `path` is written by something other than the generator that would make it.
    pub fn is_replaced(&self, path: &str) -> bool {
        matches!(self.files.get(path), Some(Origin::Static(_)))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Origin)> {
        self.files.iter().map(|(p, o)| (p.as_str(), o))
    }
}

fn collision(path: &str, first: &Origin, second: &Origin) -> Diagnostic {
    let shown = match second {
        Origin::Static(p) | Origin::Asset(p) | Origin::Page(p) | Origin::Section(p) => p.clone(),
        _ => PathBuf::from(crate::config::CONFIG_FILE),
    };
    Diagnostic::new(
        shown,
        format!("`{path}` would be written twice: by {second} and by {first}"),
    )
    .hint("rename or move the file, or give the page another slug")
}

/// What the generator writes, before static files.
fn generated(config: &Config, lib: &Library) -> Vec<(String, Origin)> {
    let mut out = Vec::with_capacity(lib.pages.len() + lib.sections.len() + 8);
    for s in &lib.sections {
        let source = s.index.as_deref().unwrap_or(&s.source);
        out.push((index_file(&s.path), Origin::Section(source.to_path_buf())));
    }
    for p in &lib.pages {
        out.push((index_file(&p.path), Origin::Page(p.source.clone())));
    }
    out.push(("404.html".into(), Origin::NotFound));
    out.push((index_file(crate::planner::PATH), Origin::Planner));
    out.push((index_file(crate::render::book::PATH), Origin::Book));
    let mut any_schedule = false;
    for item in &lib.order {
        let ItemRef::Page(i) = *item else { continue };
        if let Some(w) = lib.worksheet(i)
            && let Data::Schedule(s) = &w.data
            && !s.blocks.is_empty()
        {
            let page = &lib.pages[i];
            out.push((
                view::calendar_path(page),
                Origin::Calendar(page.source.clone()),
            ));
            any_schedule = true;
        }
    }
    if any_schedule {
        out.push(("calendar.ics".into(), Origin::AllCalendars));
    }
    if config.site.search {
        out.push((crate::search::INDEX_FILE.into(), Origin::SearchIndex));
    }
    let mut host = vec![".nojekyll", "robots.txt"];
    if config.site.cname.is_some() {
        host.push("CNAME");
    }
    if config.has_absolute_urls() {
        host.push("sitemap.xml");
    }
    out.extend(host.into_iter().map(|h| (h.to_string(), Origin::HostFile)));
    out
}

/// The origin's source file, when it has one.
pub fn source_of(origin: &Origin) -> Option<&Path> {
    match origin {
        Origin::Page(p)
        | Origin::Section(p)
        | Origin::Calendar(p)
        | Origin::Static(p)
        | Origin::Asset(p) => Some(p),
        _ => None,
    }
}
