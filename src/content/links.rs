//! Links as written on GitHub's file view (`../people/hr.md#first-meeting`), turned into site
//! URLs; missing targets and anchors become diagnostics at the link's line.

use super::{ItemRef, Library};
use crate::config::Config;
use crate::error::{Diagnostic, Lines};
use crate::markdown::LinkSite;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// A `#fragment` whose target page is known but whose headings are not rendered yet. Kept in
/// the library after the build, so that serve can check it again when the target is edited.
#[derive(Debug, Clone)]
pub struct LinkCheck {
    target: ItemRef,
    fragment: String,
    source: PathBuf,
    line: usize,
    col: usize,
    /// Shared by every check of the line: a paragraph of 16,000 links is held once, not 16,000
    /// times.
    source_line: Arc<str>,
}

impl LinkCheck {
    /// The page or section the fragment must name a heading of.
    pub fn target(&self) -> ItemRef {
        self.target
    }

    /// The file the link is written in.
    pub fn source(&self) -> &Path {
        &self.source
    }

    pub fn verify(&self, lib: &Library) -> Option<Diagnostic> {
        let ids = match self.target {
            // Nothing of it could be read, so no heading can be known to be missing.
            ItemRef::Page(i) if matches!(lib.pages[i].kind, super::PageKind::Unreadable) => {
                return None;
            }
            ItemRef::Page(i) => &lib.pages[i].ids,
            ItemRef::Section(i) => &lib.sections[i].ids,
        };
        self.verify_against(lib, ids)
    }

    /// Checks the fragment against `ids`, the target's heading ids (which may not be stored in
    /// `lib` yet).
    pub fn verify_against(&self, lib: &Library, ids: &[String]) -> Option<Diagnostic> {
        if ids.contains(&self.fragment) {
            return None;
        }
        let known: Vec<&str> = ids.iter().map(String::as_str).collect();
        let hint = match crate::error::closest(&self.fragment, &known) {
            Some(k) => format!("did you mean `#{k}`?"),
            None if known.is_empty() => "the target page has no headings".to_string(),
            None => format!(
                "headings there: {}",
                known
                    .iter()
                    .map(|k| format!("#{k}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let mut d = Diagnostic::new(
            &self.source,
            format!(
                "no heading `#{}` in `{}`",
                self.fragment,
                lib.title_of(self.target)
            ),
        )
        .hint(hint);
        (d.line, d.col, d.source_line) = (self.line, self.col, Some(self.source_line.clone()));
        Some(d)
    }
}

/// A link to another site, kept for `rapport check`.
#[derive(Debug, Clone)]
pub struct ExternalLink {
    pub url: String,
    pub source: PathBuf,
    pub line: usize,
    pub col: usize,
}

pub struct Resolver<'a> {
    config: &'a Config,
    lib: &'a Library,
    drafts: &'a HashMap<PathBuf, ()>,
    assets: HashMap<&'a Path, &'a super::Asset>,
    /// Files private pages link to, told which of them public pages link to as well.
    candidates: Option<&'a super::privacy::Candidates>,
}

impl<'a> Resolver<'a> {
    pub fn new(config: &'a Config, lib: &'a Library, drafts: &'a HashMap<PathBuf, ()>) -> Self {
        let assets = lib.assets.iter().map(|a| (a.source.as_path(), a)).collect();
        Resolver {
            config,
            lib,
            drafts,
            assets,
            candidates: None,
        }
    }

    /// Tells `candidates` of every file a public page links to.
    pub(super) fn noting_public_use(mut self, candidates: &'a super::privacy::Candidates) -> Self {
        self.candidates = Some(candidates);
        self
    }

    /// Whether the file a link is written in is a private page or `_index.md`.
    fn is_private_source(&self, source: &Path) -> bool {
        self.lib
            .by_source
            .get(source)
            .is_some_and(|&item| self.lib.is_private(item))
    }

    /// A public page's link to a private item, in a run that shows private items: a warning,
    /// since the published build refuses it.
    fn warn_if_private(&self, link: &Link, target: &Path, private: bool, found: &mut Found) {
        if private && !self.is_private_source(link.at.source) {
            let (message, hint) = private_link(target);
            let mut d = link.here().unpublishable();
            d.message = format!("{message} (`rapport build` refuses it)");
            found.errs.push(d.hint(hint));
        }
    }

    /// Returns the rewritten URL for the link `site` written in `at`; records problems,
    /// fragments to check and links to other sites in `found`.
    pub fn resolve(&self, at: &Written, site: LinkSite, found: &mut Found) -> Option<String> {
        let link = Link {
            at,
            offset: at.body_offset + site.offset,
            dest: site.dest.trim(),
        };
        let dest = link.dest;
        if dest.is_empty() {
            return None;
        }
        if is_external(dest) {
            if dest.starts_with("http://") || dest.starts_with("https://") || dest.starts_with("//")
            {
                let (line, col) = link.pos();
                found.external.push(ExternalLink {
                    url: dest.to_string(),
                    source: at.source.to_path_buf(),
                    line,
                    col,
                });
            }
            return None;
        }
        let (path_part, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        let path_part = path_part.split('?').next().unwrap_or("");
        let fragment_named = fragment.filter(|f| !f.is_empty());
        if path_part.is_empty() {
            // `#anchor` in the same page; a bare `#` is the top of the page, as on GitHub.
            if let (Some(f), Some(&item)) = (fragment_named, self.lib.by_source.get(at.source)) {
                found.checks.push(self.check(item, f, &link));
            }
            return None;
        }
        if let Some(rest) = path_part.strip_prefix('/') {
            // Site-absolute: honour the base path so the link works under a project site.
            return Some(with_fragment(self.config.url(rest), fragment));
        }
        let decoded = percent_decode(path_part);
        let Some(target) = target_of(at.source, &decoded) else {
            let mut d = link.here();
            d.message = format!("link `{dest}` leaves the handbook folder");
            found.errs.push(d.hint("link to files inside the handbook"));
            return None;
        };
        if let Some(&item) = self.lib.by_source.get(&target) {
            self.warn_if_private(&link, &target, self.lib.is_private(item), found);
            if let Some(f) = fragment_named {
                found.checks.push(self.check(item, f, &link));
            }
            let url = self.config.url(self.lib.path_of(item));
            return Some(with_fragment(url, fragment));
        }
        let url = self.file_url(&link, &target, site.is_image, found)?;
        Some(with_fragment(url, fragment))
    }

    /// The URL of a file that is no page: a static file or a file beside pages; `None` with
    /// the error when it is private, a draft or missing.
    fn file_url(
        &self,
        link: &Link,
        target: &Path,
        is_image: bool,
        found: &mut Found,
    ) -> Option<String> {
        let mut d = link.here();
        if self.lib.private.contains(target) {
            let (message, hint) = private_link(target);
            d.message = message;
            found.errs.push(d.hint(hint));
            return None;
        }
        if self.drafts.contains_key(target) {
            d.message = format!("link to the draft page `{}`", target.display());
            found.errs.push(
                d.hint("build with --drafts, or remove the link until the page is published"),
            );
            return None;
        }
        if let Ok(in_static) = target.strip_prefix("static") {
            let name = in_static.to_string_lossy().replace('\\', "/");
            if self.config.static_dir.join(in_static).is_file()
                || self.lib.theme_files.contains(&name)
            {
                return Some(self.config.url(&in_static.to_string_lossy()));
            }
        } else if let Some(asset) = self.assets.get(target) {
            self.warn_if_private(link, target, asset.private, found);
            if let Some(c) = self
                .candidates
                .filter(|_| !self.is_private_source(link.at.source))
            {
                c.used_by_public_page(target);
            }
            return Some(self.config.url(&asset.path));
        }
        let what = if is_image { "image" } else { "link" };
        d.message = format!(
            "{what} to a missing file `{}` (looked for `{}`)",
            link.dest,
            target.display()
        );
        let hint = if target
            .extension()
            .is_some_and(|e| e == "md" || e == "yaml" || e == "yml")
        {
            "links are relative to this file, as on GitHub: `../section/page.md#heading`"
        } else {
            "put the file under `static/` (and link to it relatively) or beside this page"
        };
        found.errs.push(d.hint(hint));
        None
    }

    fn check(&self, target: ItemRef, fragment: &str, link: &Link) -> LinkCheck {
        let (line, col) = link.pos();
        LinkCheck {
            target,
            fragment: percent_decode(fragment).into_owned(),
            source: link.at.source.to_path_buf(),
            line,
            col,
            source_line: link.at.lines.shared_line(line),
        }
    }
}

/// The file a link is written in: its path, its lines, and where the rendered text starts.
pub struct Written<'a> {
    pub source: &'a Path,
    pub lines: &'a Lines<'a>,
    /// Byte offset in the file of the text that link offsets count from.
    pub body_offset: usize,
}

/// What resolving links finds besides their URLs.
#[derive(Debug, Default)]
pub struct Found {
    /// `#fragment` links to verify once every target is rendered.
    pub checks: Vec<LinkCheck>,
    pub errs: Vec<Diagnostic>,
    pub external: Vec<ExternalLink>,
}

/// One link being resolved.
struct Link<'a> {
    at: &'a Written<'a>,
    /// Byte offset of the link in the file.
    offset: usize,
    dest: &'a str,
}

impl Link<'_> {
    /// Line and column, worked out only when needed: scanning the file for every link would
    /// make rendering quadratic in the page length.
    fn pos(&self) -> (usize, usize) {
        self.at.lines.line_col(self.offset)
    }

    /// A diagnostic at the link, its message to be set.
    fn here(&self) -> Diagnostic {
        let (line, col) = self.pos();
        let mut d = Diagnostic::new(self.at.source, "");
        (d.line, d.col, d.source_line) = (line, col, Some(self.at.lines.shared_line(line)));
        d
    }
}

/// The error (or, where private items are shown, the warning) for a link to a private
/// target, and its hint.
fn private_link(target: &Path) -> (String, &'static str) {
    let shown = target.display();
    let is_source = target
        .extension()
        .is_some_and(|e| e == "md" || e == "yaml" || e == "yml");
    if target.file_name().is_some_and(|n| n == "_index.md") || target.extension().is_none() {
        (
            format!("link to the private section `{shown}`"),
            "a published page cannot link into a private section: remove the link, or move the target out of it",
        )
    } else if is_source {
        (
            format!("link to the private page `{shown}`"),
            "a published page cannot link to a private one: remove the link, or drop `private: true` from the target",
        )
    } else {
        (
            format!("link to the private file `{shown}`"),
            "the file is private (in a private folder, or linked only from private pages): move it out, or put a copy under `static/`",
        )
    }
}

/// The file a relative link written in `source` points to (`None` for links to other sites,
/// site-absolute links, fragments alone, and links out of the handbook).
pub(super) fn local_target(source: &Path, dest: &str) -> Option<PathBuf> {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with('/') || is_external(dest) {
        return None;
    }
    let path = dest.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() {
        return None;
    }
    target_of(source, &percent_decode(path))
}

/// `url` with `#fragment` after it, if there is a fragment.
fn with_fragment(mut url: String, f: Option<&str>) -> String {
    if let Some(f) = f.filter(|f| !f.is_empty()) {
        url.push('#');
        url.push_str(f);
    }
    url
}

/// Anything with a scheme (`https:`, `mailto:`, `tel:`) or protocol-relative.
fn is_external(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    match dest.find(':') {
        Some(i) => {
            let scheme = &dest[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !dest[..i].contains('/')
        }
        None => false,
    }
}

/// Where `rel`, written in the file `source`, points: resolved against the file's folder;
/// `None` when it climbs out of the root.
fn target_of(source: &Path, rel: &str) -> Option<PathBuf> {
    // Most sources are relative UTF-8 paths: resolved as text, without building a path
    // component by component (a fifth of the time of rendering a link, at 16,000 links).
    #[cfg(unix)]
    if let Some(src) = source.to_str()
        && !src.starts_with('/')
    {
        let base = src.rsplit_once('/').map_or("", |(base, _)| base);
        return normalize_str(base, rel).map(PathBuf::from);
    }
    normalize(&source.parent().unwrap_or(Path::new("")).join(rel))
}

/// [`normalize`] of `base` joined with `rel`, for `/`-separated relative text.
fn normalize_str(base: &str, rel: &str) -> Option<String> {
    if rel.starts_with('/') {
        // Joined, an absolute path replaces the base, and leaves the root.
        return None;
    }
    let mut out = String::with_capacity(base.len() + rel.len() + 1);
    for part in base.split('/').chain(rel.split('/')) {
        match part {
            "" | "." => {}
            ".." => {
                if out.is_empty() {
                    return None;
                }
                out.truncate(out.rfind('/').unwrap_or(0));
            }
            name => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(name);
            }
        }
    }
    Some(out)
}

/// Lexically resolves `.` and `..`; `None` when the path climbs out of the root.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::with_capacity(path.as_os_str().len());
    for c in path.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Decodes `%20` and friends in a link path or URL; invalid sequences are kept as written, and
/// text that decodes to bytes that are not UTF-8 is kept whole.
pub(crate) fn percent_decode(s: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .unwrap_or(s.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_detection() {
        assert!(is_external("https://x.org"));
        assert!(is_external("mailto:a@b.c"));
        assert!(is_external("//cdn.example"));
        assert!(!is_external("../a.md"));
        assert!(!is_external("a/b:c.md"));
    }

    #[test]
    fn links_resolve_as_text_as_they_do_as_paths() {
        let sources = ["a.md", "s1/p.md", "s1/deep/p.md", "./s1/p.md", "s1//p.md"];
        let links = [
            "b.md",
            "../b.md",
            "../../b.md",
            "../../../b.md",
            "./x/../y.md",
            "x//y.md",
            "x/./y/",
            "/abs.md",
            "..",
            ".",
            "",
            "...",
            "x/..",
        ];
        for source in sources {
            for link in links {
                let by_path = normalize(&Path::new(source).parent().unwrap().join(link));
                assert_eq!(
                    target_of(Path::new(source), link),
                    by_path,
                    "{source} {link}"
                );
            }
        }
    }

    #[test]
    fn normalize_and_decode() {
        assert_eq!(
            normalize(Path::new("content/a/../b.md")),
            Some(PathBuf::from("content/b.md"))
        );
        assert_eq!(normalize(Path::new("content/../../x")), None);
        assert_eq!(percent_decode("my%20page.md"), "my page.md");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%xé%41"), "%xéA");
    }
}
