//! `rapport check`: everything a build validates, plus a look at the rendered site the way a
//! static host serves it.
//!
//! Markdown links, anchors and images are already checked while pages load (with the line of
//! each link). What only the output shows is checked here: links from templates and from raw
//! HTML in pages, site-absolute links, files under the base path, and which pages nobody can
//! reach by following links from the home page. External links are listed, never fetched.

mod scan;

use crate::config::Config;
use crate::content::{ExternalLink, ItemRef, Library, percent_decode};
use crate::error::{Diagnostic, Error, line_col};
use crate::plan::index_file;
use crate::render::Sink;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use scan::Facts;

/// What `rapport check` found. Errors make it exit 1; warnings and the link list do not.
#[derive(Debug, Default)]
pub struct Findings {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// Links to other sites, sorted by file and position.
    pub external: Vec<ExternalLink>,
}

/// A sink that keeps, of every output file, only its name and, for HTML and CSS, the anchors
/// and links in it: enough to check a 10,000-page site without holding it in memory.
#[derive(Default)]
pub struct LinkSink {
    files: Mutex<HashMap<String, Facts>>,
    /// One copy of each distinct link, shared by every page that has it.
    links: Mutex<HashSet<Arc<str>>>,
}

impl LinkSink {
    fn record(&self, path: &str, bytes: &[u8]) {
        let lossy;
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                lossy = String::from_utf8_lossy(bytes);
                &lossy
            }
        };
        let found = if path.ends_with(".html") {
            scan::scan_html(text)
        } else if path.ends_with(".css") {
            let facts = scan::css(text);
            scan::Found {
                ids: facts.ids,
                links: facts.links.iter().map(|l| l.to_string().into()).collect(),
            }
        } else {
            scan::Found::default()
        };
        let facts = {
            let mut seen = self.links.lock().unwrap_or_else(|e| e.into_inner());
            found.into_facts(|link| match seen.get(link) {
                Some(shared) => Arc::clone(shared),
                None => {
                    let shared: Arc<str> = Arc::from(link);
                    seen.insert(Arc::clone(&shared));
                    shared
                }
            })
        };
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), facts);
    }

    pub fn into_files(self) -> HashMap<String, Facts> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for LinkSink {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        self.record(path, bytes);
        Ok(())
    }

    /// The book holds every page again: only its frame is scanned (the chapters' ids are
    /// found from their pages when a link needs one, see [`in_book_chapter`]), and its links
    /// are each checked on their page.
    fn write_book(&self, path: &str, book: &crate::render::book::Book) -> Result<(), Error> {
        match book.splice() {
            crate::render::book::Splice::AfterRender => {
                if let Some(frame) = book.frame_text() {
                    self.record(path, frame.as_bytes())
                }
            }
            crate::render::book::Splice::InContext => {
                self.write_from(path, &|out| book.write_to(out))?
            }
        }
        Ok(())
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), Error> {
        if path.ends_with(".css") || path.ends_with(".html") {
            let bytes = std::fs::read(from).map_err(|e| Error::io("read", from, e))?;
            self.record(path, &bytes);
        } else {
            self.record(path, &[]);
        }
        Ok(())
    }
}

/// Checks the rendered files; `files` is what a [`LinkSink`] collected.
pub fn verify(config: &Config, lib: &Library, files: &HashMap<String, Facts>) -> Findings {
    let mut findings = Findings::default();
    let sources: HashMap<String, &Path> = lib
        .sections
        .iter()
        .map(|s| (index_file(&s.path), s.index.as_deref().unwrap_or(&s.source)))
        .chain(
            lib.pages
                .iter()
                .map(|p| (index_file(&p.path), p.source.as_path())),
        )
        .collect();
    // Broken links, grouped by the link as written so that a template's mistake is one error,
    // not one per page.
    let mut broken: BTreeMap<(String, String), Vec<&str>> = BTreeMap::new();
    let mut edges: HashMap<&str, Vec<String>> = HashMap::new();
    let mut names: Vec<&String> = files.keys().collect();
    names.sort();
    // Resolving is most of the work and independent per file: in parallel, each file giving
    // its broken links (link, why) and the pages it leads to, then gathered in file order.
    let book = index_file(crate::plan::BOOK);
    let anchors: HashMap<String, ItemRef> = lib
        .order
        .iter()
        .map(|&item| (crate::render::book::anchor(lib.path_of(item)), item))
        .collect();
    let per_file: Vec<FileLinks> = names
        .par_iter()
        .map(|from| {
            let (mut bad, mut to_pages) = (Vec::new(), Vec::new());
            // The book (`/book/`) holds every page's links again: each is checked on its page.
            if *from == &book {
                return (bad, to_pages);
            }
            for link in &files[*from].links {
                match resolve(&config.site.base_path, from, link, files) {
                    Target::Skip => {}
                    Target::File(to, fragment) => {
                        let missing_anchor = fragment.as_ref().is_some_and(|f| {
                            to.ends_with(".html")
                                && !files[&to].ids.iter().any(|id| id == f)
                                && !(to == book && in_book_chapter(lib, &anchors, f))
                        });
                        if missing_anchor {
                            let f = fragment.unwrap_or_default();
                            bad.push((
                                link.to_string(),
                                format!("no element with id `{f}` in `{to}`"),
                            ));
                        } else if to.ends_with(".html") {
                            to_pages.push(to);
                        }
                    }
                    Target::Missing(why) => bad.push((link.to_string(), why)),
                }
            }
            (bad, to_pages)
        })
        .collect();
    for (from, (bad, to_pages)) in names.into_iter().zip(per_file) {
        for key in bad {
            broken.entry(key).or_default().push(from);
        }
        if !to_pages.is_empty() {
            edges.entry(from.as_str()).or_default().extend(to_pages);
        }
    }
    for ((link, why), froms) in broken {
        findings
            .errors
            .push(broken_link(config, &sources, &link, &why, &froms));
    }
    findings.warnings.extend(
        unreachable(lib, &edges)
            .into_iter()
            .map(Diagnostic::warning),
    );
    if !config.has_absolute_urls() {
        findings.warnings.push(
            Diagnostic::new(
                crate::config::CONFIG_FILE,
                "`base_url` names no host, so no `sitemap.xml` is written and pages have no `og:url`",
            )
            .hint("set `base_url: https://you.github.io/handbook/`, or build with `--base-url` (the Pages workflow does)")
            .warning(),
        );
    }
    findings.external = lib.external_links.clone();
    findings.external.sort_by(|a, b| {
        (&a.source, a.line, a.col, &a.url).cmp(&(&b.source, b.line, b.col, &b.url))
    });
    findings
}

/// Whether `id` is one of a chapter's own ids in the book (`book-why-cost--intro`: the chapter
/// `book-why-cost`, and `intro` in its page's HTML).
fn in_book_chapter(lib: &Library, anchors: &HashMap<String, ItemRef>, id: &str) -> bool {
    id.match_indices("--").any(|(at, _)| {
        let Some(&item) = anchors.get(&id[..at]) else {
            return false;
        };
        let own = &id[at + 2..];
        scan::scan_html(lib.html_of(item))
            .ids
            .iter()
            .any(|i| i == own)
    })
}

/// Of one output file: its broken links (the link as written, why), and the pages it leads to.
type FileLinks = (Vec<(String, String)>, Vec<String>);

/// Where a link leads on a static host.
#[derive(Debug, PartialEq)]
enum Target {
    /// Another site, a `mailto:`, a bare `#`: nothing to check here.
    Skip,
    /// An output file, and the fragment to find in it.
    File(String, Option<String>),
    Missing(String),
}

/// Resolves `link`, found in the output file `from`, as a browser and a static host would:
/// relative to the file's URL, under the base path, folders served by their `index.html`.
fn resolve(base: &str, from: &str, link: &str, files: &HashMap<String, Facts>) -> Target {
    let link = link.trim();
    if link.is_empty() || link == "#" || has_scheme(link) || link.starts_with("//") {
        return Target::Skip;
    }
    let (rest, fragment) = match link.split_once('#') {
        Some((r, f)) => (
            r,
            Some(percent_decode(f).into_owned()).filter(|f| !f.is_empty()),
        ),
        None => (link, None),
    };
    let rest = rest.split('?').next().unwrap_or("");
    if rest.is_empty() {
        return Target::File(from.to_string(), fragment);
    }
    // A host serves `404.html` for a missing URL at any depth: its links must work from there.
    let from_url = if from == "404.html" {
        format!("{base}any/missing/page/")
    } else {
        format!("{base}{from}")
    };
    let joined = if rest.starts_with('/') {
        rest.to_string()
    } else {
        let dir = &from_url[..from_url.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{rest}")
    };
    let path = normalize(&joined);
    let Some(rel) = path
        .strip_prefix(base)
        .or_else(|| (path.clone() + "/").strip_prefix(base).map(|_| ""))
    else {
        return Target::Missing(format!("`{path}` is outside the site's base path `{base}`"));
    };
    let rel = percent_decode(rel).into_owned();
    let candidates = if rel.is_empty() || rel.ends_with('/') {
        vec![format!("{rel}index.html")]
    } else {
        // Like GitHub Pages, a folder URL without its slash is redirected to the folder.
        vec![rel.clone(), format!("{rel}/index.html")]
    };
    match candidates.into_iter().find(|c| files.contains_key(c)) {
        Some(file) => Target::File(file, fragment),
        None => Target::Missing(format!("no file at `{path}` in the output")),
    }
}

fn has_scheme(link: &str) -> bool {
    match link.find(':') {
        Some(i) => {
            let s = &link[..i];
            s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Resolves `.` and `..` in a URL path; `..` above the root stays at the root, as in browsers.
fn normalize(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                }
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    let joined = out.join("/");
    if joined.starts_with('/') {
        joined
    } else {
        format!("/{joined}")
    }
}

/// One broken link, placed in the page's source when it is written there (raw HTML, a
/// site-absolute link), else reported as coming from a template.
fn broken_link(
    config: &Config,
    sources: &HashMap<String, &Path>,
    link: &str,
    why: &str,
    froms: &[&str],
) -> Diagnostic {
    let mut written = vec![link.to_string()];
    if let Some(rest) = link.strip_prefix(&config.site.base_path) {
        // Site-absolute Markdown links gain the base path when rendered.
        written.push(format!("/{rest}"));
    }
    for from in froms {
        let Some(source) = sources.get(*from) else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(config.root.join(source)) else {
            continue;
        };
        if let Some(at) = written.iter().find_map(|w| text.find(w.as_str())) {
            let (line, col) = line_col(&text, at);
            return Diagnostic::new(*source, format!("broken link `{link}`: {why}"))
                .at(&text, line, col)
                .hint(hint_for(link));
        }
    }
    let first = froms.first().copied().unwrap_or("");
    let shown = PathBuf::from(format!("(output) {first}"));
    if !first.ends_with(".html") {
        return Diagnostic::new(shown, format!("broken link `{link}` in a static file: {why}")).hint(
            "a stylesheet's `url()` is relative to the stylesheet; one starting with `/` ignores the base path",
        );
    }
    let others = match froms.len() {
        1 => String::new(),
        n => format!(" and {} other pages", n - 1),
    };
    Diagnostic::new(
        shown,
        format!("broken link `{link}` from a template{others}: {why}"),
    )
    .hint("in templates, build URLs with `get_url(path=\"...\")` (or `page.url`, `section.url`), so they honour the base path")
}

fn hint_for(link: &str) -> &'static str {
    if link.starts_with('/') {
        "a link starting with `/` is relative to the site's base path: check the file exists in `static/` or the page under `content/`"
    } else {
        "links in HTML are relative to the page's URL; in Markdown, link to the `.md` file or the image beside it instead"
    }
}

/// Pages and sections that no chain of links from the home page leads to. With the default
/// theme every page is listed by its section, so this finds pages hidden by a custom template.
fn unreachable(lib: &Library, edges: &HashMap<&str, Vec<String>>) -> Vec<Diagnostic> {
    let mut seen: HashSet<&str> = HashSet::new();
    let mut queue: VecDeque<&str> = VecDeque::from(["index.html"]);
    seen.insert("index.html");
    while let Some(file) = queue.pop_front() {
        for to in edges.get(file).into_iter().flatten() {
            if seen.insert(to.as_str()) {
                queue.push_back(to.as_str());
            }
        }
    }
    let mut out = Vec::new();
    let items = lib
        .sections
        .iter()
        .map(|s| (&s.path, &s.title, s.index.as_deref().unwrap_or(&s.source)))
        .chain(
            lib.pages
                .iter()
                .map(|p| (&p.path, &p.title, p.source.as_path())),
        );
    for (path, title, source) in items {
        if !seen.contains(index_file(path).as_str()) {
            out.push(
                Diagnostic::new(
                    source,
                    format!("`{title}` cannot be reached from the home page: no page links to it"),
                )
                .hint("link to it from another page, or let its section list it (the default theme lists every page of a section)"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(names: &[&str]) -> HashMap<String, Facts> {
        names
            .iter()
            .map(|n| (n.to_string(), Facts::default()))
            .collect()
    }

    #[test]
    fn links_resolve_like_a_static_host() {
        let f = files(&["index.html", "why/index.html", "why/a.png", "rapport.css"]);
        let r = |from: &str, link: &str| resolve("/hb/", from, link, &f);
        assert_eq!(
            r("index.html", "/hb/why/"),
            Target::File("why/index.html".into(), None)
        );
        assert_eq!(
            r("index.html", "/hb/why"),
            Target::File("why/index.html".into(), None)
        );
        assert_eq!(
            r("why/index.html", "a.png"),
            Target::File("why/a.png".into(), None)
        );
        assert_eq!(
            r("why/index.html", "../rapport.css?v=1"),
            Target::File("rapport.css".into(), None)
        );
        assert_eq!(
            r("why/index.html", "..#top"),
            Target::File("index.html".into(), Some("top".into()))
        );
        assert_eq!(
            r("why/index.html", "#x"),
            Target::File("why/index.html".into(), Some("x".into()))
        );
        assert_eq!(r("index.html", "https://x.org/"), Target::Skip);
        assert_eq!(r("index.html", "mailto:a@b.c"), Target::Skip);
        assert!(
            matches!(r("index.html", "/rapport.css"), Target::Missing(m) if m.contains("outside"))
        );
        assert!(matches!(r("index.html", "/hb/nope/"), Target::Missing(_)));
        assert_eq!(
            r("index.html", "/hb"),
            Target::File("index.html".into(), None)
        );
        assert!(matches!(r("404.html", "rapport.css"), Target::Missing(_)));
        assert_eq!(
            r("404.html", "/hb/rapport.css"),
            Target::File("rapport.css".into(), None)
        );
        assert_eq!(
            r("404.html", "#main"),
            Target::File("404.html".into(), Some("main".into()))
        );
    }
}
