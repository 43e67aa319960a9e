//! Walking `content/` and turning its files into the library.

use super::front_matter::{self, FrontMatter};
use super::links::{self, ExternalLink, LinkCheck};
use super::privacy;
use super::worksheets::{self, Rendered};
use super::{Asset, ItemRef, Library, Page, PageKind, Section};
use crate::config::Config;
use crate::error::Diagnostic;
use crate::value::Value;
use crate::worksheet::Worksheet;
use crate::{fs, markdown};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A file found by the walk, before parsing.
struct Source {
    /// Relative to the site root.
    rel: PathBuf,
    section: usize,
    kind: SourceKind,
}

#[derive(Clone, Copy, PartialEq)]
enum SourceKind {
    Page,
    SectionIndex,
    Worksheet,
}

/// A source read and split, waiting for URLs to be known before its Markdown is rendered.
pub(super) struct Parsed {
    pub(super) text: String,
    pub(super) body_offset: usize,
    pub(super) fm: FrontMatter,
    /// Set for worksheets, whose shared keys also fill `fm`.
    pub(super) worksheet: Option<Worksheet>,
}

/// What loading needs from the layers above content, given as values so that content imports
/// none of them.
pub struct LoadOptions {
    /// Files the theme ships (output paths), which links may name.
    pub theme_files: std::collections::BTreeSet<String>,
    /// How many words of a page's plain text to keep, given the number of pages (search
    /// needs only a page's opening words).
    pub words_kept: fn(usize) -> usize,
}

/// Loads every source. Returns what could be read even when there are errors, so that checks
/// of the whole site (the planner's settings) still run and are reported together with them.
pub fn load(config: &Config, opts: LoadOptions) -> (Library, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut lib = Library {
        theme_files: opts.theme_files,
        ..Library::default()
    };
    let sources = walk(config, &mut lib, &mut diags);

    // Pass 1 (parallel): read and split every source.
    let parsed: Vec<Result<Parsed, Unread>> = sources
        .par_iter()
        .map(|s| match s.kind {
            SourceKind::Worksheet => worksheets::read(&config.root, &s.rel).map_err(Unread::from),
            _ => read_markdown(&config.root, &s.rel),
        })
        .collect();

    // Pass 2: metadata, drafts, privacy and URLs.
    let sorted = sort(config, &mut lib, sources, parsed, &mut diags);
    assign_urls(&mut lib, &sorted.bodies, &mut diags);
    lib.compute_order();

    // Pass 3 (parallel): render Markdown, resolving links against the complete URL map. The
    // sources are consumed here, so each file's text is freed as soon as it is rendered.
    let keep_words = (opts.words_kept)(lib.order.len()) + 1;
    lib.keep_words = keep_words;
    let Sorted {
        bodies,
        drafts,
        candidates,
        unread,
    } = sorted;
    let mut resolver = links::Resolver::new(config, &lib, &drafts);
    if !candidates.is_empty() {
        resolver = resolver.noting_public_use(&candidates);
    }
    let items: Vec<ItemRef> = bodies.iter().map(|(item, _)| *item).collect();
    let rendered: Vec<Output> = bodies
        .into_par_iter()
        .map(|(item, p)| render_source(&resolver, &lib, item, &p, keep_words))
        .collect();
    let mut checks: Vec<LinkCheck> = Vec::new();
    for (item, p) in &unread {
        let out = render_markdown(&resolver, source_of(&lib, *item), p, 0);
        diags.extend(out.errs);
        checks.extend(out.checks);
    }
    for (item, out) in items.into_iter().zip(rendered) {
        store(&mut lib, item, out, &mut checks, &mut diags);
    }
    for c in &checks {
        if let Some(d) = c.verify(&lib) {
            diags.push(d);
        }
    }
    lib.link_checks = checks;
    lib.drafts = drafts;
    privacy::settle_assets(&mut lib, candidates, config.private);
    (lib, diags)
}

/// What pass 2 sorts the read sources into.
#[derive(Default)]
struct Sorted {
    /// Sources to render, with their library item.
    bodies: Vec<(ItemRef, Parsed)>,
    /// Drafts and (in a run without private items) private pages, left out: links to them are
    /// errors.
    drafts: HashMap<PathBuf, ()>,
    /// Files private pages link to.
    candidates: privacy::Candidates,
    /// Bodies of sources whose front matter has errors, link-checked only.
    unread: Vec<(ItemRef, Box<Parsed>)>,
}

/// Pass 2: puts every source read into the library (or leaves it out), in walk order.
fn sort(
    config: &Config,
    lib: &mut Library,
    sources: Vec<Source>,
    parsed: Vec<Result<Parsed, Unread>>,
    diags: &mut Vec<Diagnostic>,
) -> Sorted {
    let mut sorted = Sorted {
        bodies: Vec::with_capacity(parsed.len()),
        ..Sorted::default()
    };
    // Grown by doubling, the pages (about 400 bytes each) would hold up to twice their room.
    lib.pages.reserve_exact(parsed.len());
    lib.by_source.reserve(parsed.len());
    for (src, res) in sources.into_iter().zip(parsed) {
        match res {
            Ok(p) if src.kind == SourceKind::SectionIndex => {
                let s = &mut lib.sections[src.section];
                apply_section_meta(s, &p.fm);
                s.index = Some(src.rel.clone());
                lib.front_matter.insert(src.rel.clone(), p.fm.clone());
                lib.by_source.insert(src.rel, ItemRef::Section(src.section));
                sorted.bodies.push((ItemRef::Section(src.section), p));
            }
            Ok(p) => add_page(config, lib, src, p, &mut sorted),
            Err(Unread { diags: d, body }) => {
                diags.extend(d);
                let item = add_unread(lib, src);
                sorted.unread.extend(body.map(|b| (item, b)));
            }
        }
    }
    sorted
}

/// A page or worksheet read: into the library, or left out as a draft or as private.
fn add_page(config: &Config, lib: &mut Library, src: Source, mut p: Parsed, sorted: &mut Sorted) {
    if p.fm.draft && !config.drafts {
        sorted.drafts.insert(src.rel, ());
        return;
    }
    let private = p.fm.private || lib.sections[src.section].private;
    if private {
        sorted.candidates.add_links(&src.rel, &link_dests(&p));
    }
    if private && !config.private {
        lib.private.insert(src.rel.clone());
        lib.left_out.pages += 1;
        sorted.drafts.insert(src.rel, ());
        return;
    }
    let file_name = file_name(&src.rel);
    let idx = lib.pages.len();
    if p.worksheet.is_none() {
        lib.front_matter.insert(src.rel.clone(), p.fm.clone());
    }
    let kind = match p.worksheet.take() {
        Some(w) => PageKind::Worksheet(Box::new(w)),
        None => PageKind::Markdown,
    };
    lib.pages.push(new_page(&src, kind, &p.fm, file_name));
    lib.pages[idx].private = private;
    lib.sections[src.section].pages.push(idx);
    lib.by_source.insert(src.rel, ItemRef::Page(idx));
    sorted.bodies.push((ItemRef::Page(idx), p));
}

/// A source that could not be read stays in the library (a page, or its section's
/// `_index.md`), so that links to it lead there and only its own errors are reported.
fn add_unread(lib: &mut Library, src: Source) -> ItemRef {
    if src.kind != SourceKind::SectionIndex {
        return add_unreadable(lib, src);
    }
    lib.sections[src.section].index = Some(src.rel.clone());
    lib.by_source.insert(src.rel, ItemRef::Section(src.section));
    ItemRef::Section(src.section)
}

/// What pass 3 gives for one source.
type Output = (
    Rendered,
    Vec<LinkCheck>,
    Vec<Diagnostic>,
    Vec<ExternalLink>,
    Untitled,
);

/// Pass 3 for one source: its Markdown (or a worksheet's Markdown fields) rendered.
fn render_source(
    resolver: &links::Resolver,
    lib: &Library,
    item: ItemRef,
    p: &Parsed,
    keep_words: usize,
) -> Output {
    let source = source_of(lib, item);
    if let ItemRef::Page(i) = item
        && let Some(w) = lib.worksheet(i)
    {
        let (r, checks, errs, external) = worksheets::render(resolver, source, &p.text, w);
        return (r, checks, errs, external, Untitled::default());
    }
    let MarkdownOutput {
        rendered,
        checks,
        errs,
        external,
    } = render_markdown(resolver, source, p, keep_words);
    // Prepared only when the title may come from the body: reported if it does not.
    let untitled = Untitled {
        error: p.fm.title.is_none().then(|| {
            Diagnostic::new(source, "the page has no title")
                .at(&p.text, 1, 1)
                .hint("add `title: ...` to the front matter, or start the page with a `# Heading`")
        }),
    };
    (Rendered::Page(rendered), checks, errs, external, untitled)
}

/// Stores what pass 3 gave for `item`: its body and title, its links to check.
fn store(
    lib: &mut Library,
    item: ItemRef,
    (r, c, errs, ext, untitled): Output,
    checks: &mut Vec<LinkCheck>,
    diags: &mut Vec<Diagnostic>,
) {
    diags.extend(errs);
    checks.extend(c);
    lib.external_links.extend(ext);
    let r = match (r, item) {
        (Rendered::Page(r), _) => r,
        (Rendered::Worksheet(fields), ItemRef::Page(i)) => {
            worksheets::store(&mut lib.pages[i], fields);
            return;
        }
        (Rendered::Worksheet(_), ItemRef::Section(_)) => return,
    };
    let fm = lib.front_matter.get(source_of(lib, item));
    match fm.and_then(|fm| title(lib, item, fm, r.first_h1.as_deref())) {
        Some(t) => set_title(lib, item, t),
        None => diags.extend(untitled.error),
    }
    store_rendered(lib, item, r);
}

/// Every link and image destination of a source, as written (for what private pages link to).
fn link_dests(p: &Parsed) -> Vec<String> {
    match &p.worksheet {
        Some(w) => w
            .markdown()
            .iter()
            .flat_map(|md| markdown::link_dests(&md.source))
            .collect(),
        None => markdown::link_dests(&p.text[p.body_offset..]),
    }
}

/// What is needed of a source after rendering when its title turns out to be missing.
#[derive(Default)]
struct Untitled {
    error: Option<Diagnostic>,
}

/// What rendering one Markdown source gives.
pub(super) struct MarkdownOutput {
    pub(super) rendered: markdown::Rendered,
    /// Its `#fragment` links, to verify once every target is rendered.
    pub(super) checks: Vec<LinkCheck>,
    pub(super) errs: Vec<Diagnostic>,
    pub(super) external: Vec<ExternalLink>,
}

/// Renders a page's or `_index.md`'s Markdown with its links resolved against the library,
/// keeping the first `keep_words` words of its plain text.
pub(super) fn render_markdown(
    resolver: &links::Resolver,
    source: &Path,
    p: &Parsed,
    keep_words: usize,
) -> MarkdownOutput {
    // Without a title in the front matter, the opening `# heading` is the title: not shown twice.
    let strip = p.fm.title.is_none();
    let mut found = links::Found::default();
    let body = &p.text[p.body_offset..];
    let lines = crate::error::Lines::new(&p.text);
    let at = links::Written {
        source,
        lines: &lines,
        body_offset: p.body_offset,
    };
    let mut rendered = markdown::render(body, strip, &mut |site| {
        resolver.resolve(&at, site, &mut found)
    });
    truncate_words(&mut rendered.text, keep_words);
    // Kept for the whole build: without the spare capacity of their growth (the plain text
    // was cut to its opening words), 10,000 pages hold about 40 MB less.
    rendered.text.shrink_to_fit();
    rendered.html.shrink_to_fit();
    MarkdownOutput {
        rendered,
        checks: found.checks,
        errs: found.errs,
        external: found.external,
    }
}

/// The title rules, in one place. A page's title is its front matter's; a section's is its
/// `_index.md`'s, else its folder's name. Where the front matter gives none (for a page, an
/// empty one too), the opening `# heading` does. `None`: a page left without a title (an error
/// when its front matter has no `title:` at all).
pub(super) fn title(
    lib: &Library,
    item: ItemRef,
    fm: &FrontMatter,
    first_h1: Option<&str>,
) -> Option<String> {
    let heading = first_h1.filter(|h| !h.is_empty()).map(str::to_string);
    match item {
        ItemRef::Page(_) => fm.title.clone().filter(|t| !t.is_empty()).or(heading),
        ItemRef::Section(i) => {
            let s = &lib.sections[i];
            let folder = || folder_title(s.parent, &s.file_name);
            Some(fm.title.clone().or(heading).unwrap_or_else(folder))
        }
    }
}

/// Cuts `text` after its first `words` words.
fn truncate_words(text: &mut String, words: usize) {
    let mut seen = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            seen += 1;
            if seen > words {
                text.truncate(i);
                return;
            }
        }
    }
}

fn empty_map() -> Value {
    Value::empty_map()
}

fn source_of(lib: &Library, item: ItemRef) -> &Path {
    match item {
        ItemRef::Page(i) => &lib.pages[i].source,
        ItemRef::Section(i) => lib.sections[i]
            .index
            .as_deref()
            .unwrap_or(&lib.sections[i].source),
    }
}

fn set_title(lib: &mut Library, item: ItemRef, title: String) {
    match item {
        ItemRef::Page(i) => lib.pages[i].title = title,
        ItemRef::Section(i) => lib.sections[i].title = title,
    }
}

pub(super) fn store_rendered(lib: &mut Library, item: ItemRef, r: markdown::Rendered) {
    match item {
        ItemRef::Page(i) => {
            let p = &mut lib.pages[i];
            (p.html, p.toc, p.ids, p.text, p.word_count) =
                (r.html, r.toc, r.ids, r.text, r.word_count);
        }
        ItemRef::Section(i) => {
            let s = &mut lib.sections[i];
            (s.html, s.toc, s.ids, s.text) = (r.html, r.toc, r.ids, r.text);
        }
    }
}

pub(super) fn read_source(root: &Path, rel: &Path) -> Result<Parsed, Vec<Diagnostic>> {
    read_markdown(root, rel).map_err(|u| u.diags)
}

/// A source that could not be read as it should, with what can still be checked of it.
struct Unread {
    diags: Vec<Diagnostic>,
    /// The body of a Markdown source whose front matter has errors: its links are checked
    /// all the same, so that one run reports every error.
    body: Option<Box<Parsed>>,
}

impl From<Vec<Diagnostic>> for Unread {
    fn from(diags: Vec<Diagnostic>) -> Self {
        Unread { diags, body: None }
    }
}

fn read_markdown(root: &Path, rel: &Path) -> Result<Parsed, Unread> {
    let text = fs::read_text(&root.join(rel)).map_err(|d| vec![d.relative_to(root)])?;
    let split = match front_matter::split(rel, &text) {
        Ok(split) => split,
        Err(diags) => {
            let body = front_matter::body_offset(&text).map(|body_offset| {
                Box::new(Parsed {
                    text,
                    body_offset,
                    fm: FrontMatter::default(),
                    worksheet: None,
                })
            });
            return Err(Unread { diags, body });
        }
    };
    let (fm, body_offset) = (split.front_matter, split.body_offset);
    Ok(Parsed {
        text,
        body_offset,
        fm,
        worksheet: None,
    })
}

/// Keeps a source that failed to read as a page, so that links to it still resolve.
fn add_unreadable(lib: &mut Library, src: Source) -> ItemRef {
    let file_name = file_name(&src.rel);
    let fm = FrontMatter {
        title: Some(title_from_name(worksheets::page_stem(&file_name))),
        ..FrontMatter::default()
    };
    let idx = lib.pages.len();
    lib.pages
        .push(new_page(&src, PageKind::Unreadable, &fm, file_name));
    lib.sections[src.section].pages.push(idx);
    lib.by_source.insert(src.rel, ItemRef::Page(idx));
    ItemRef::Page(idx)
}

/// A page with its front matter's settings, before its URL and body are known.
fn new_page(src: &Source, kind: PageKind, fm: &FrontMatter, file_name: String) -> Page {
    Page {
        kind,
        title: fm.title.clone().unwrap_or_default(),
        description: fm.description.clone().unwrap_or_default(),
        weight: fm.weight,
        draft: fm.draft,
        private: fm.private,
        template: fm.template.clone(),
        extra: fm.extra.clone().unwrap_or_else(empty_map),
        path: String::new(),
        section: src.section,
        html: String::new(),
        toc: vec![],
        ids: vec![],
        text: String::new(),
        word_count: 0,
        source: src.rel.clone(),
        file_name,
    }
}

fn apply_section_meta(s: &mut Section, fm: &FrontMatter) {
    if let Some(t) = &fm.title {
        s.title = t.clone();
    }
    s.description = fm.description.clone().unwrap_or_default();
    s.weight = fm.weight;
    s.template = fm.template.clone();
    if let Some(e) = &fm.extra {
        s.extra = e.clone();
    }
}

/// Walks the content folder in sorted order, creating a section per folder.
fn walk(config: &Config, lib: &mut Library, diags: &mut Vec<Diagnostic>) -> Vec<Source> {
    let root = &config.root;
    let content_rel = PathBuf::from("content");
    lib.sections
        .push(new_section(content_rel.clone(), None, String::new()));
    lib.by_source
        .insert(content_rel.clone(), ItemRef::Section(0));
    if !config.content_dir.is_dir() {
        diags.push(
            Diagnostic::new(&content_rel, "the content folder is missing")
                .hint("create `content/` with an `_index.md` and some pages"),
        );
        return vec![];
    }
    if let Err(out) = fs::inside_handbook(root, &config.content_dir) {
        diags.push(out.not_read());
        return vec![];
    }
    let mut found = Found {
        dir_index: HashMap::from([(content_rel, 0)]),
        ..Found::default()
    };
    // What the walk leaves out with a message: links out of the handbook, folders too deep,
    // FIFOs, sockets and devices.
    let mut skipped = Vec::new();
    let walker = walkdir::WalkDir::new(&config.content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            (e.depth() == 0 || !fs::is_ignored(&e.file_name().to_string_lossy()))
                && fs::inside_root(root, e, &mut skipped)
                && fs::within_depth(root, &config.content_dir, e, &mut skipped)
                && fs::file_or_folder(root, e, &mut skipped)
        });
    for entry in walker {
        match entry {
            Ok(e) if e.depth() == 0 => {}
            Ok(e) => {
                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                found.visit(config, lib, rel.to_path_buf(), e.file_type().is_dir());
            }
            // A symlink loop or an unreadable folder: report it and keep going.
            Err(e) => diags.push(walk_error(root, &e)),
        }
    }
    diags.extend(skipped);
    found.sources
}

/// What the walk of `content/` has found so far.
#[derive(Default)]
struct Found {
    /// Each folder's section.
    dir_index: HashMap<PathBuf, usize>,
    sources: Vec<Source>,
    /// Private folders a run without private items leaves out, with all they hold.
    left_out: std::collections::HashSet<PathBuf>,
}

impl Found {
    /// Puts the file or folder `rel` (relative to the root) into the library or the sources.
    fn visit(&mut self, config: &Config, lib: &mut Library, rel: PathBuf, is_dir: bool) {
        let parent = rel.parent().map(Path::to_path_buf).unwrap_or_default();
        if self.left_out.contains(&parent) {
            leave_out(lib, &mut self.left_out, rel, is_dir);
            return;
        }
        let Some(&parent_idx) = self.dir_index.get(&parent) else {
            return;
        };
        let parent_private = lib.sections[parent_idx].private;
        if is_dir {
            let private = privacy::folder_is_private(&config.root, &rel, parent_private);
            if private && !config.private {
                leave_out(lib, &mut self.left_out, rel, true);
                return;
            }
            let idx = lib.sections.len();
            let mut section = new_section(rel.clone(), Some(parent_idx), file_name(&rel));
            section.private = private;
            lib.sections.push(section);
            lib.sections[parent_idx].subsections.push(idx);
            lib.by_source.insert(rel.clone(), ItemRef::Section(idx));
            self.dir_index.insert(rel, idx);
            return;
        }
        match source_kind(&rel) {
            Some(kind) => self.sources.push(Source {
                rel,
                section: parent_idx,
                kind,
            }),
            // Copied beside its page; the output path is set once URLs are known.
            None => lib.assets.push(Asset {
                source: rel,
                path: String::new(),
                private: parent_private,
            }),
        }
    }
}

/// A folder the walk could not read, or a symbolic link loop.
fn walk_error(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e
        .path()
        .map(|p| p.strip_prefix(root).unwrap_or(p).to_path_buf());
    if e.loop_ancestor().is_some() {
        Diagnostic::new(path.unwrap_or_default(), "symbolic link loop")
            .hint("the link points to a folder that contains it: remove the link")
    } else {
        Diagnostic::new(path.unwrap_or_default(), format!("could not read: {e}"))
    }
}

/// What a file in `content/` is as a source; `None` for a file copied as it is.
fn source_kind(rel: &Path) -> Option<SourceKind> {
    let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
    match (file_name(rel).as_str(), ext) {
        ("_index.md", _) => Some(SourceKind::SectionIndex),
        (_, "md") => Some(SourceKind::Page),
        (_, "yaml" | "yml") => Some(SourceKind::Worksheet),
        _ => None,
    }
}

/// Leaves a private folder, or a file or folder inside one, out of a run without private
/// items: remembered as private, so that links to it are errors, and counted.
fn leave_out(
    lib: &mut Library,
    left_out: &mut std::collections::HashSet<PathBuf>,
    rel: PathBuf,
    is_dir: bool,
) {
    let counts = &mut lib.left_out;
    if is_dir {
        counts.sections += 1;
        left_out.insert(rel.clone());
    } else {
        match source_kind(&rel) {
            Some(SourceKind::SectionIndex) => {}
            Some(_) => counts.pages += 1,
            None => counts.files += 1,
        }
    }
    lib.private.insert(rel);
}

/// A section's title when its `_index.md` gives none: none for the home page (the site's title
/// is shown), else the folder's name.
fn folder_title(parent: Option<usize>, file_name: &str) -> String {
    if parent.is_none() {
        String::new()
    } else {
        title_from_name(file_name)
    }
}

fn new_section(source: PathBuf, parent: Option<usize>, file_name: String) -> Section {
    let title = folder_title(parent, &file_name);
    Section {
        source,
        index: None,
        title,
        description: String::new(),
        weight: None,
        template: None,
        extra: empty_map(),
        file_name,
        path: String::new(),
        parent,
        pages: vec![],
        subsections: vec![],
        html: String::new(),
        toc: vec![],
        ids: vec![],
        text: String::new(),
        private: false,
    }
}

pub(super) fn file_name(rel: &Path) -> String {
    rel.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `01-why-it-matters` → `why-it-matters`: a leading number orders, it is not part of the URL.
pub fn strip_order_prefix(name: &str) -> &str {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && name[digits..].starts_with('-') && name.len() > digits + 1 {
        &name[digits + 1..]
    } else {
        name
    }
}

/// One URL segment from a file or folder name: order prefix dropped, spaces to hyphens, and
/// characters that mean something in a URL (`?`, `#`, `%`, `&`, quotes …) left out, so that
/// links work without percent-encoding. Letters of any script are kept.
fn url_segment(name: &str) -> String {
    let segment: String = strip_order_prefix(name)
        .trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if is_url_safe(c) => Some(c),
            _ => None,
        })
        .collect();
    if segment.is_empty() || segment == "." || segment == ".." {
        "page".to_string()
    } else {
        segment
    }
}

/// Characters a URL segment may hold as they are.
fn is_url_safe(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '~')
}

/// A readable title for a folder without `_index.md`: `02-time-blocks` → `Time blocks`.
pub(super) fn title_from_name(name: &str) -> String {
    // A file name may hold any character but `/`: none that HTML refuses reaches a title.
    let name = &markdown::replace_controls(name);
    let words = strip_order_prefix(name).replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => name.to_string(),
    }
}

/// A source's `slug:` with its position, text and path, for the URL pass.
type Slug<'a> = (Option<String>, (usize, usize), &'a str, PathBuf);

/// Gives every section and page its URL path and reports two sources with one URL.
fn assign_urls(lib: &mut Library, bodies: &[(ItemRef, Parsed)], diags: &mut Vec<Diagnostic>) {
    let slugs: HashMap<ItemRef, Slug> = bodies
        .iter()
        .map(|(item, p)| {
            (
                *item,
                (
                    p.fm.slug.clone(),
                    p.fm.slug_at,
                    p.text.as_str(),
                    source_of(lib, *item).to_path_buf(),
                ),
            )
        })
        .collect();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    let mut claim = |path: &str, source: &Path, diags: &mut Vec<Diagnostic>| {
        if let Some(first) = seen.get(path) {
            diags.push(
                Diagnostic::new(
                    source,
                    format!(
                        "`{}` and `{}` both map to the URL `/{path}`",
                        first.display(),
                        source.display()
                    ),
                )
                .hint("rename one of them or give it a different `slug`"),
            );
        } else {
            seen.insert(path.to_string(), source.to_path_buf());
        }
    };
    let slug_of = |item: ItemRef, name: &str, diags: &mut Vec<Diagnostic>| -> String {
        match slugs.get(&item) {
            Some((Some(slug), (line, col), text, source)) => {
                let ok = !slug.is_empty()
                    && slug.chars().all(is_url_safe)
                    && slug != "."
                    && slug != "..";
                if ok {
                    return slug.clone();
                }
                diags.push(
                    Diagnostic::new(source, format!("invalid slug `{slug}`"))
                        .at(text, *line, *col)
                        .hint("a slug is one URL segment: letters, digits, `-`, `_`, `.` or `~`; no spaces, `/`, `?`, `#` or `%`"),
                );
                url_segment(name)
            }
            _ => url_segment(name),
        }
    };
    // Sections are created parents-first by the walk, so a parent's path is always ready.
    claim("", &lib.sections[0].source.clone(), diags);
    for i in 1..lib.sections.len() {
        let parent = lib.sections[i].parent.unwrap_or(0);
        let seg = slug_of(
            ItemRef::Section(i),
            &lib.sections[i].file_name.clone(),
            diags,
        );
        let path = format!("{}{}/", lib.sections[parent].path, seg);
        let source = lib.sections[i].source.clone();
        claim(&path, &source, diags);
        lib.sections[i].path = path;
    }
    for i in 0..lib.pages.len() {
        let name = lib.pages[i].file_name.clone();
        let stem = worksheets::page_stem(&name);
        let seg = slug_of(ItemRef::Page(i), stem, diags);
        let path = format!("{}{}/", lib.sections[lib.pages[i].section].path, seg);
        let source = lib.pages[i].source.clone();
        claim(&path, &source, diags);
        lib.pages[i].path = path;
    }
    // Colocated assets sit in their folder's URL.
    let dirs: HashMap<PathBuf, String> = lib
        .sections
        .iter()
        .map(|s| (s.source.clone(), s.path.clone()))
        .collect();
    for a in &mut lib.assets {
        let dir = a
            .source
            .parent()
            .and_then(|p| dirs.get(p))
            .cloned()
            .unwrap_or_default();
        a.path = format!("{dir}{}", file_name(&a.source));
        claim(&a.path.clone(), &a.source.clone(), diags);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_keeps_the_first_words() {
        let mut t = "one  two\nthree four".to_string();
        truncate_words(&mut t, 3);
        assert_eq!(t, "one  two\nthree ");
        let mut short = "a b".to_string();
        truncate_words(&mut short, 3);
        assert_eq!(short, "a b");
    }

    #[test]
    fn order_prefixes() {
        assert_eq!(strip_order_prefix("01-why.md"), "why.md");
        assert_eq!(strip_order_prefix("2024.md"), "2024.md");
        assert_eq!(strip_order_prefix("10-"), "10-");
        assert_eq!(title_from_name("02-time-blocks"), "Time blocks");
    }
}
