//! The output plan: every file a run writes, decided in one place once content, config and
//! theme are loaded, before anything renders. Each output has its path, its origin and its
//! visibility; rendering, host files, `check`, the statistics and `print`'s links read it, and
//! a write the plan does not list is refused (see [`PlannedSink`]). Two origins that claim one
//! path are an error naming both (Zola's `find_path_collisions` is the model).
//!
//! The paths of generated outputs are decided here and nowhere else: the constants and
//! functions below.

use crate::config::Config;
use crate::content::{ItemRef, Library, Page};
use crate::error::{Diagnostic, Error};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// The printable planner's URL path.
pub const PLANNER: &str = "planner/";
/// The whole handbook as one page, to print.
pub const BOOK: &str = "book/";
/// The search box's index.
pub const SEARCH_INDEX: &str = "search-index.json";
/// The page a static host shows for a missing path.
pub const NOT_FOUND: &str = "404.html";
/// Every schedule's blocks in one calendar.
pub const ALL_CALENDARS: &str = "calendar.ics";

/// The output file of a page or section at `path` (`why/` → `why/index.html`).
pub fn index_file(path: &str) -> String {
    format!("{path}index.html")
}

/// The output path of a schedule's calendar file: beside its page.
pub fn calendar_file(page: &Page) -> String {
    format!("{}calendar.ics", page.path)
}

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

impl Origin {
    /// The origin's source file, when it has one.
    pub fn source(&self) -> Option<&Path> {
        match self {
            Origin::Page(p)
            | Origin::Section(p)
            | Origin::Calendar(p)
            | Origin::Static(p)
            | Origin::Asset(p) => Some(p),
            _ => None,
        }
    }
}

/// Whether an output is part of the published site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Public,
    /// Written only by runs that include private items (`serve`, `print`); the reason says
    /// why, for messages.
    Private(&'static str),
}

/// One planned output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub origin: Origin,
    pub visibility: Visibility,
}

impl Output {
    pub fn is_public(&self) -> bool {
        self.visibility == Visibility::Public
    }
}

/// Every output path, sorted, with its origin and visibility.
#[derive(Debug, Default, Clone)]
pub struct Plan {
    files: BTreeMap<String, Output>,
}

/// A page's or section's output is private when it is, or when its folder is.
const MARKED: Visibility = Visibility::Private("marked private, or in a private folder");
/// A file beside pages that only private pages link to, or in a private folder.
const PRIVATE_FILE: Visibility =
    Visibility::Private("in a private folder, or linked only from private pages");

impl Plan {
    /// Plans every output of the site: the generated ones, then `statics` (the theme's and
    /// the site's `static/` files, with their origins), then the files beside pages. The
    /// diagnostics name each path claimed twice.
    pub fn build(
        config: &Config,
        lib: &Library,
        statics: impl IntoIterator<Item = (String, Origin)>,
    ) -> (Plan, Vec<Diagnostic>) {
        let mut plan = Plan::default();
        let mut diags = Vec::new();
        for (path, output) in generated(config, lib) {
            plan.claim(path, output, &mut diags);
        }
        for (path, origin) in statics {
            plan.claim(path, public(origin), &mut diags);
        }
        for a in &lib.assets {
            let visibility = if a.private {
                PRIVATE_FILE
            } else {
                Visibility::Public
            };
            let origin = Origin::Asset(a.source.clone());
            plan.claim(a.path.clone(), Output { origin, visibility }, &mut diags);
        }
        diags.extend(plan.check_names());
        for d in &mut diags {
            at_slug(d, lib);
        }
        (plan, diags)
    }

    /// Names no file system takes, or that a folder of the output needs: a name over 255
    /// bytes, rapport's output marker, and a file where another output needs a folder of the
    /// same name (`slug: 404.html`, a file `a` beside a page `a.md`).
    fn check_names(&self) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        for (path, output) in &self.files {
            let origin = &output.origin;
            if let Some(name) = path.split('/').find(|n| n.len() > MAX_NAME) {
                let message = format!(
                    "the output name `{}…` is {} bytes long, longer than file systems allow ({MAX_NAME})",
                    name.chars().take(40).collect::<String>(),
                    name.len()
                );
                diags.push(at_origin(origin, message).hint("give it a shorter file name or slug"));
            }
            let marker = path.strip_prefix(crate::fs::MARKER);
            if marker.is_some_and(|rest| rest.is_empty() || rest.starts_with('/')) {
                let message = format!(
                    "`{}` is the name rapport marks its output folder with",
                    crate::fs::MARKER
                );
                diags.push(at_origin(origin, message).hint("give it another file name or slug"));
            }
            let folders = path.match_indices('/').map(|(i, _)| &path[..i]);
            for folder in folders {
                if let Some(file) = self.files.get(folder) {
                    let message = format!(
                        "`{folder}` would be both a file, by {}, and a folder, for `{path}` by {origin}",
                        file.origin
                    );
                    diags.push(collision(&file.origin, origin, message));
                }
            }
        }
        diags
    }

    fn claim(&mut self, path: String, output: Output, diags: &mut Vec<Diagnostic>) {
        match self.files.get(&path) {
            None => {
                self.files.insert(path, output);
            }
            // The user's own robots.txt (or CNAME, sitemap) replaces rapport's, as documented.
            Some(first)
                if first.origin == Origin::HostFile
                    && matches!(output.origin, Origin::Static(_)) =>
            {
                self.files.insert(path, output);
            }
            // Two pages or sections at one URL: content reports that, at the URL.
            Some(first) if is_content(&first.origin) && is_content(&output.origin) => {}
            Some(first) => {
                let (first, second) = (&first.origin, &output.origin);
                let message =
                    format!("`{path}` would be written twice: by {second} and by {first}");
                diags.push(collision(first, second, message));
            }
        }
    }

    pub fn get(&self, path: &str) -> Option<&Output> {
        self.files.get(path)
    }

    pub fn origin(&self, path: &str) -> Option<&Origin> {
        self.get(path).map(|o| &o.origin)
    }

    /// Whether `path` is written by something other than the generator that would make it.
    pub fn is_replaced(&self, path: &str) -> bool {
        matches!(self.origin(path), Some(Origin::Static(_)))
    }

    /// The published URL of the output at `path` (a file, or a folder holding `index.html`),
    /// when it is public and the base URL names a host: where a printed link should point.
    pub fn published_url(&self, config: &Config, path: &str) -> Option<String> {
        if !config.has_absolute_urls() {
            return None;
        }
        let file = if path.is_empty() || path.ends_with('/') {
            index_file(path)
        } else {
            path.to_string()
        };
        let output = self.get(&file)?;
        output.is_public().then(|| config.permalink(path))
    }

    /// `Ok` when a run may write `path`: the plan lists it, and it is public or the run
    /// includes private items. Anything else is a bug that must not reach the output folder.
    pub fn allows(&self, path: &str, private: bool) -> Result<(), Error> {
        match self.get(path) {
            Some(o) if o.is_public() || private => Ok(()),
            Some(_) => Err(Error::refused(
                format!("rapport was about to publish the private output `{path}`"),
                "this is a bug in rapport: please report it; nothing was published",
            )),
            None => Err(Error::refused(
                format!("rapport was about to write `{path}`, which its output plan does not list"),
                "this is a bug in rapport: please report it",
            )),
        }
    }

    /// How many files the plan writes.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Output)> {
        self.files.iter().map(|(p, o)| (p.as_str(), o))
    }
}

fn public(origin: Origin) -> Output {
    Output {
        origin,
        visibility: Visibility::Public,
    }
}

/// The longest file or folder name common file systems take, in bytes.
const MAX_NAME: usize = 255;

fn is_content(origin: &Origin) -> bool {
    matches!(origin, Origin::Page(_) | Origin::Section(_))
}

/// Two origins whose outputs cannot both be written: reported at the one that has a source
/// file (the second, else the first), with a hint that fits it.
fn collision(first: &Origin, second: &Origin, message: String) -> Diagnostic {
    let at = if second.source().is_some() {
        second
    } else {
        first
    };
    at_origin(at, message).hint(match at {
        Origin::Page(_) | Origin::Section(_) | Origin::Calendar(_) => {
            "give the page another `slug`, or rename its file or folder"
        }
        Origin::Asset(_) => "rename the file, or move it into another folder",
        Origin::Static(_) => "rename or move the file in `static/`",
        _ => "rename or move the file",
    })
}

/// A diagnostic at `origin`'s source file (`handbook.yaml` for outputs of rapport's own).
fn at_origin(origin: &Origin, message: String) -> Diagnostic {
    let shown = origin
        .source()
        .unwrap_or(Path::new(crate::config::CONFIG_FILE));
    let shown = match origin {
        // A calendar's name comes from its page's; the page is where to change it.
        Origin::Calendar(p) => p.as_path(),
        _ => shown,
    };
    Diagnostic::new(shown, message)
}

/// Points a diagnostic about a page at its `slug:`, when its front matter has one: the slug
/// made the name.
fn at_slug(d: &mut Diagnostic, lib: &Library) {
    let slug = lib.front_matter.get(&d.path).filter(|fm| fm.slug.is_some());
    if let Some(fm) = slug
        && d.line == 0
    {
        (d.line, d.col) = fm.slug_at;
    }
}

/// What the generator writes, before static files.
fn generated(config: &Config, lib: &Library) -> Vec<(String, Output)> {
    let mut out = Vec::with_capacity(lib.pages.len() + lib.sections.len() + 8);
    let marked = |private: bool| {
        if private { MARKED } else { Visibility::Public }
    };
    for s in &lib.sections {
        let source = s.index.as_deref().unwrap_or(&s.source);
        let origin = Origin::Section(source.to_path_buf());
        let visibility = marked(s.private);
        out.push((index_file(&s.path), Output { origin, visibility }));
    }
    for p in &lib.pages {
        let origin = Origin::Page(p.source.clone());
        let visibility = marked(p.private);
        out.push((index_file(&p.path), Output { origin, visibility }));
    }
    out.push((NOT_FOUND.into(), public(Origin::NotFound)));
    out.push((index_file(PLANNER), public(Origin::Planner)));
    out.push((index_file(BOOK), public(Origin::Book)));
    let mut any_schedule = false;
    for item in &lib.order {
        let ItemRef::Page(i) = *item else { continue };
        if let Some(w) = lib.worksheet(i)
            && !w.data.events().is_empty()
        {
            let page = &lib.pages[i];
            let origin = Origin::Calendar(page.source.clone());
            let visibility = marked(page.private);
            out.push((calendar_file(page), Output { origin, visibility }));
            any_schedule = true;
        }
    }
    if any_schedule {
        out.push((ALL_CALENDARS.into(), public(Origin::AllCalendars)));
    }
    if config.site.search {
        out.push((SEARCH_INDEX.into(), public(Origin::SearchIndex)));
    }
    let mut host = vec![".nojekyll", "robots.txt"];
    if config.site.cname.is_some() {
        host.push("CNAME");
    }
    if config.has_absolute_urls() {
        host.push("sitemap.xml");
    }
    out.extend(
        host.into_iter()
            .map(|h| (h.to_string(), public(Origin::HostFile))),
    );
    out
}
