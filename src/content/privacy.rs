//! What is private, decided while loading: a page or worksheet marked `private: true`, every
//! source and file in a folder whose `_index.md` is marked so or in `content/private/`, and the
//! files beside pages that only private pages link to.
//!
//! A run without private items (`build`, `--public`) leaves them out of the library, so no
//! output can show them; they are remembered in `Library::private`, so that a link to one is an
//! error at the link rather than a missing file. A run with them (`serve`, `print`) keeps them,
//! marked, so that the output plan marks what they make private.

use super::Library;
use super::front_matter;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The folder every file of which is private, whatever its front matter says.
pub(crate) const PRIVATE_FOLDER: &str = "content/private";

/// What a run without private items left out, for the summary line.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct LeftOut {
    /// Pages and worksheets.
    pub pages: usize,
    pub sections: usize,
    /// Images and other files beside pages.
    pub files: usize,
}

impl LeftOut {
    pub fn is_empty(&self) -> bool {
        *self == LeftOut::default()
    }
}

/// Whether the content folder `rel` (relative to the root) is private: inside a private one,
/// `content/private/` itself, or marked in its `_index.md`. An `_index.md` that cannot be read
/// here counts as public; its errors are reported when it is loaded as a source.
pub(super) fn folder_is_private(root: &Path, rel: &Path, parent_private: bool) -> bool {
    if parent_private || rel == Path::new(PRIVATE_FOLDER) {
        return true;
    }
    let index = rel.join("_index.md");
    let Ok(text) = crate::fs::read_text(&root.join(&index)) else {
        return false;
    };
    front_matter::split(&index, &text).is_ok_and(|s| s.front_matter.private)
}

/// Files beside pages that private pages link to. Each stays private unless a public page
/// links to it too ([`Candidates::used_by`]), which makes it part of what that page publishes.
#[derive(Debug, Default)]
pub(super) struct Candidates {
    files: BTreeSet<PathBuf>,
    used_publicly: Mutex<BTreeSet<PathBuf>>,
}

impl Candidates {
    /// Adds what the links `dests`, written in `source`, point to. Targets that are not files
    /// beside pages (pages, folders, missing files) are kept too: only files are ever marked.
    pub(super) fn add_links(&mut self, source: &Path, dests: &[String]) {
        let targets = dests
            .iter()
            .filter_map(|d| super::links::local_target(source, d));
        self.files.extend(targets);
    }

    pub(super) fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Notes that a public page links to `target` (any file: only candidates are kept).
    pub(super) fn used_by_public_page(&self, target: &Path) {
        if self.files.contains(target) {
            let mut used = self.used_publicly.lock().unwrap_or_else(|p| p.into_inner());
            used.insert(target.to_path_buf());
        }
    }

    /// The candidates no public page links to.
    fn settled(self) -> BTreeSet<PathBuf> {
        let used = self
            .used_publicly
            .into_inner()
            .unwrap_or_else(|p| p.into_inner());
        self.files.difference(&used).cloned().collect()
    }
}

/// Marks the files only private pages link to as private; a run without private items leaves
/// them out of the library and counts them.
pub(super) fn settle_assets(lib: &mut Library, candidates: Candidates, keep_private: bool) {
    let private = candidates.settled();
    if private.is_empty() {
        return;
    }
    for a in &mut lib.assets {
        a.private |= private.contains(&a.source);
    }
    if !keep_private {
        leave_out_private_assets(lib);
    }
}

/// Takes the assets marked private out of the library (a run without private items).
pub(super) fn leave_out_private_assets(lib: &mut Library) {
    let before = lib.assets.len();
    let assets = std::mem::take(&mut lib.assets);
    for a in assets {
        if a.private {
            lib.private.insert(a.source);
        } else {
            lib.assets.push(a);
        }
    }
    lib.left_out.files += before - lib.assets.len();
}
