//! Watching the handbook's sources: debounced file events, reduced to "these sources changed".
//!
//! The root is watched on its own (not recursively) so that `handbook.yaml` replaced by a
//! rename, and source folders created or deleted, are seen; each source folder is watched
//! recursively while it exists. Deletions and renames count as changes like writes do.

use notify_debouncer_full::notify::{self, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

/// Long enough to merge the several events of one save (vim's rename to a backup, write,
/// fsync and unlink, or a temp file renamed over the page: all within a few milliseconds;
/// `tests/serve.rs` saves both ways and expects one rebuild each), short enough not to be felt.
/// The debouncer looks every quarter of it, so an edit waits 10 to 12.5 ms (25 ms was a third
/// of edit-to-served at 1,000 pages).
pub const DEBOUNCE: Duration = Duration::from_millis(10);

/// The folders below the root whose contents feed a build.
const SOURCE_DIRS: [&str; 4] = ["content", "themes", "templates", "static"];

pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    /// Source folders currently watched recursively.
    watched: BTreeSet<PathBuf>,
}

impl Watcher {
    /// Starts watching `root`; batches of events are passed to `handler` on the watcher's
    /// thread.
    pub fn start(
        root: &Path,
        handler: impl FnMut(DebounceEventResult) + Send + 'static,
    ) -> notify::Result<Watcher> {
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let mut debouncer = new_debouncer(DEBOUNCE, None, handler)?;
        debouncer.watch(&root, RecursiveMode::NonRecursive)?;
        let mut w = Watcher {
            root,
            debouncer,
            watched: BTreeSet::new(),
        };
        w.refresh(&[]);
        Ok(w)
    }

    /// Keeps one recursive watch per existing source folder: adds folders that appeared, drops
    /// those that went away, and renews the watch of a folder that was itself replaced.
    pub fn refresh(&mut self, touched: &[PathBuf]) {
        for name in SOURCE_DIRS {
            let dir = self.root.join(name);
            let was = self.watched.contains(&dir);
            let replaced = touched.contains(&dir);
            if was && (replaced || !dir.is_dir()) {
                let _ = self.debouncer.unwatch(&dir);
                self.watched.remove(&dir);
            }
            if dir.is_dir()
                && !self.watched.contains(&dir)
                && self.debouncer.watch(&dir, RecursiveMode::Recursive).is_ok()
            {
                self.watched.insert(dir);
            }
        }
    }

    /// The paths of a batch that are sources of the build, relative to the root, sorted.
    pub fn relevant(&self, paths: &[PathBuf]) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = paths
            .iter()
            .filter_map(|p| p.strip_prefix(&self.root).ok())
            .filter(|rel| is_source(rel))
            .map(Path::to_path_buf)
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// Whether an event changes a file. Reads are not changes: the build itself reads every
/// source, and counting that would rebuild forever.
pub fn is_change(event: &notify::Event) -> bool {
    use notify::EventKind;
    use notify::event::{MetadataKind, ModifyKind};
    !matches!(
        event.kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

/// `handbook.yaml`, or a file in a source folder that is no editor leftover.
pub fn is_source(rel: &Path) -> bool {
    let names: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    match names.as_slice() {
        [] => false,
        [only] => only == crate::config::CONFIG_FILE || SOURCE_DIRS.contains(&only.as_str()),
        [first, rest @ ..] => {
            SOURCE_DIRS.contains(&first.as_str()) && !rest.iter().any(|n| crate::fs::is_ignored(n))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_source;
    use std::path::Path;

    #[test]
    fn sources_and_leftovers() {
        for yes in [
            "handbook.yaml",
            "content",
            "content/01-why/a.md",
            "themes/x/templates/page.html",
            "templates/page.html",
            "static/a.css",
        ] {
            assert!(is_source(Path::new(yes)), "{yes}");
        }
        for no in [
            "public/index.html",
            "public",
            ".handbook.yaml.swp",
            "content/.a.md.swp",
            "content/a.md~",
            "content/#a.md#",
            "content/.#a.md",
            "content/.git/HEAD",
            "static/x.tmp",
            "README.md",
        ] {
            assert!(!is_source(Path::new(no)), "{no}");
        }
    }
}
