//! The site model: sections and pages held in one library, keyed by source path.
//!
//! Loading happens in passes so that each source is parsed once: walk the content folder,
//! read front matter (parallel), assign URLs, then render Markdown with links resolved against
//! the now-complete URL map (parallel), and finally check `#fragment` links.

mod collect;
pub mod front_matter;
mod links;
mod privacy;
pub(crate) use links::percent_decode;
pub mod update;
mod worksheets;

use crate::markdown::TocEntry;
use crate::value::Value;
use std::collections::HashMap;
use std::path::PathBuf;

pub use collect::{LoadOptions, load};
pub use links::{ExternalLink, LinkCheck};
pub use privacy::LeftOut;

/// Index of a page or a section in the library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemRef {
    Page(usize),
    Section(usize),
}

/// What a page is made from.
#[derive(Debug)]
pub enum PageKind {
    Markdown,
    /// A YAML worksheet; the page's `html` is its rendered `intro`.
    Worksheet(Box<crate::worksheet::Worksheet>),
    /// A source with errors of its own. It stays a link target, so that links to it resolve
    /// and only its own errors are reported; the build fails on those, so it never renders.
    Unreadable,
}

#[derive(Debug)]
pub struct Page {
    /// Source path relative to the site root (`content/01-why/02-cost.md`).
    pub source: PathBuf,
    pub kind: PageKind,
    pub title: String,
    pub description: String,
    pub weight: Option<i64>,
    pub draft: bool,
    /// Marked `private: true`, and loaded because this run includes private pages (serve,
    /// print); `build` leaves such pages out entirely.
    pub private: bool,
    pub template: Option<String>,
    pub extra: Value,
    /// Ordering key within the section: the file name as written.
    pub file_name: String,
    /// URL path below the base path, with a trailing slash (`why/cost/`).
    pub path: String,
    pub section: usize,
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub ids: Vec<String>,
    pub text: String,
    pub word_count: usize,
}

#[derive(Debug, Clone)]
pub struct Section {
    /// Source folder relative to the site root (`content/01-why`).
    pub source: PathBuf,
    /// The `_index.md`, when there is one.
    pub index: Option<PathBuf>,
    pub title: String,
    pub description: String,
    pub weight: Option<i64>,
    pub template: Option<String>,
    pub extra: Value,
    pub file_name: String,
    /// URL path below the base path: `` for the home page, else `why/`.
    pub path: String,
    pub parent: Option<usize>,
    /// Direct children, ordered by weight, then file name.
    pub pages: Vec<usize>,
    pub subsections: Vec<usize>,
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub ids: Vec<String>,
    pub text: String,
    /// In `content/private/` or marked `private: true` in its `_index.md` (or inside such a
    /// folder), and loaded because this run includes private items: all it holds is private.
    pub private: bool,
}

/// Files copied to the output as they are: colocated images and documents in `content/`.
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: PathBuf,
    /// Output path below the output root (`why/chart.png`).
    pub path: String,
    /// In a private folder, or linked to by private pages only (see `privacy`).
    pub private: bool,
}

#[derive(Debug, Default)]
pub struct Library {
    /// `sections[0]` is the home page (the `content/` folder itself).
    pub sections: Vec<Section>,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// Source path (relative to the root) of every page, `_index.md` and content folder.
    pub by_source: crate::hash::HashMap<PathBuf, ItemRef>,
    /// Reading order: depth first, a section before its items.
    pub order: Vec<ItemRef>,
    /// Links to other sites, found while rendering (for `check`).
    pub external_links: Vec<ExternalLink>,
    /// Every `#fragment` link to a page or section, all verified (for serve, which checks those
    /// into an edited page again).
    pub link_checks: Vec<LinkCheck>,
    /// Sources left out as drafts: links to them are errors.
    pub drafts: HashMap<PathBuf, ()>,
    /// Sources, folders and files left out as private (pages also in `drafts`): links to
    /// them are errors.
    pub private: std::collections::BTreeSet<PathBuf>,
    /// How many private pages, sections and files a run without private items left out.
    pub left_out: LeftOut,
    /// The front matter of every Markdown page and `_index.md`, as parsed (for serve, which
    /// re-renders an edited page alone only while its front matter stays the same).
    pub front_matter: HashMap<PathBuf, front_matter::FrontMatter>,
    /// Files the theme ships (`rapport.css`), as output paths: links to them resolve.
    pub theme_files: std::collections::BTreeSet<String>,
    /// Words of plain text kept per page (see `LoadOptions::words_kept`), for re-renders.
    pub keep_words: usize,
}

impl Library {
    /// Lets go of what only loading (checking links and their fragments) and serve's fast
    /// rebuilds need: every page's front matter and heading ids, the source → item map and
    /// the fragment links. Rendering needs none of it (11 MB of 580 at 50,000 pages).
    pub fn drop_load_state(&mut self) {
        self.front_matter = HashMap::new();
        self.by_source = Default::default();
        self.link_checks = Vec::new();
        for ids in self.pages.iter_mut().map(|p| &mut p.ids) {
            *ids = Vec::new();
        }
        for ids in self.sections.iter_mut().map(|s| &mut s.ids) {
            *ids = Vec::new();
        }
    }

    pub fn path_of(&self, item: ItemRef) -> &str {
        match item {
            ItemRef::Page(i) => &self.pages[i].path,
            ItemRef::Section(i) => &self.sections[i].path,
        }
    }

    /// The worksheet behind a page, if it is one.
    pub fn worksheet(&self, page: usize) -> Option<&crate::worksheet::Worksheet> {
        match &self.pages[page].kind {
            PageKind::Worksheet(w) => Some(w),
            PageKind::Markdown | PageKind::Unreadable => None,
        }
    }

    /// The rendered body of a page or section (a build moves the pages' out while rendering:
    /// see `render::bodies`).
    pub fn html_of(&self, item: ItemRef) -> &str {
        match item {
            ItemRef::Page(i) => &self.pages[i].html,
            ItemRef::Section(i) => &self.sections[i].html,
        }
    }

    /// Whether a page or section is private (only ever true in runs that include them).
    pub fn is_private(&self, item: ItemRef) -> bool {
        match item {
            ItemRef::Page(i) => self.pages[i].private,
            ItemRef::Section(i) => self.sections[i].private,
        }
    }

    pub fn title_of(&self, item: ItemRef) -> &str {
        match item {
            ItemRef::Page(i) => &self.pages[i].title,
            ItemRef::Section(i) => &self.sections[i].title,
        }
    }

    /// The ancestors of a section from the home page down, the section included.
    pub fn ancestors(&self, section: usize) -> Vec<usize> {
        let mut chain = vec![section];
        let mut cur = section;
        while let Some(p) = self.sections[cur].parent {
            chain.push(p);
            cur = p;
        }
        chain.reverse();
        chain
    }

    /// Items of a section in display order (pages and subsections interleaved by weight).
    pub fn items(&self, section: usize) -> Vec<ItemRef> {
        let s = &self.sections[section];
        let mut items: Vec<ItemRef> = s
            .pages
            .iter()
            .map(|&p| ItemRef::Page(p))
            .chain(s.subsections.iter().map(|&c| ItemRef::Section(c)))
            .collect();
        items.sort_by(|a, b| self.sort_key(*a).cmp(&self.sort_key(*b)));
        items
    }

    fn sort_key(&self, item: ItemRef) -> (bool, i64, &str) {
        let (weight, name) = match item {
            ItemRef::Page(i) => (self.pages[i].weight, self.pages[i].file_name.as_str()),
            ItemRef::Section(i) => (self.sections[i].weight, self.sections[i].file_name.as_str()),
        };
        // Weighted items first, by weight; then the rest by file name.
        (weight.is_none(), weight.unwrap_or(0), name)
    }

    fn compute_order(&mut self) {
        let mut order = Vec::with_capacity(self.pages.len() + self.sections.len());
        let mut stack = vec![ItemRef::Section(0)];
        while let Some(item) = stack.pop() {
            order.push(item);
            if let ItemRef::Section(s) = item {
                stack.extend(self.items(s).into_iter().rev());
            }
        }
        self.order = order;
    }

    /// The position of every item in reading order, for previous / next links.
    pub fn order_index(&self) -> crate::hash::HashMap<ItemRef, usize> {
        self.order
            .iter()
            .enumerate()
            .map(|(i, item)| (*item, i))
            .collect()
    }
}

/// A handbook of `files` (path, text) in a temporary folder, loaded without errors: for tests
/// of the layers that work on a library.
#[cfg(test)]
pub(crate) fn load_for_test(
    files: &[(&str, &str)],
) -> (tempfile::TempDir, crate::config::Config, Library) {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let opts = crate::config::BuildOptions {
        root: dir.path().to_path_buf(),
        ..Default::default()
    };
    let config = crate::config::Config::load(&opts).unwrap();
    let opts = LoadOptions {
        theme_files: Default::default(),
        words_kept: |_| 100,
    };
    let (lib, diags) = load(&config, opts);
    assert!(diags.is_empty(), "{diags:?}");
    (dir, config, lib)
}
