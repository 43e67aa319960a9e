//! Where rendering reads a page's HTML. Serve, check and print render a site again later, so
//! they read the library's. A build writes each page once and its book chapter once: it moves
//! the pages' HTML out of the library (270 MB at 50,000 pages) and lets each page's go once
//! both are written, so that what a build holds falls as it renders instead of staying to the
//! end.

use crate::content::Library;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, Ordering};

/// The library's HTML, for renders that read it where it is.
pub static KEPT: Bodies = Bodies::kept();

pub struct Bodies {
    /// Per page, when moved out of the library; `None`: the library's are read.
    taken: Option<Vec<Slot>>,
}

struct Slot {
    html: Mutex<Option<String>>,
    /// Readers not done with it yet: the page and its chapter.
    readers: AtomicU8,
}

impl Bodies {
    /// The library's HTML, read where it is and kept.
    pub const fn kept() -> Bodies {
        Bodies { taken: None }
    }

    /// Every page's HTML moved out of `lib`, whose pages are left without: each is let go once
    /// its page and its chapter [`Bodies::release`]d it.
    pub fn released(lib: &mut Library) -> Bodies {
        let taken = lib.pages.iter_mut().map(|p| Slot {
            html: Mutex::new(Some(std::mem::take(&mut p.html))),
            readers: AtomicU8::new(2),
        });
        Bodies {
            taken: Some(taken.collect()),
        }
    }

    /// Calls `f` with page `i`'s HTML.
    pub fn read<R>(&self, lib: &Library, i: usize, f: impl FnOnce(&str) -> R) -> R {
        let Some(slot) = self.slot(i) else {
            return f(lib.html_of(crate::content::ItemRef::Page(i)));
        };
        let html = slot.html.lock().unwrap_or_else(|p| p.into_inner());
        debug_assert!(
            html.is_some(),
            "page {i} read after both its readers let it go"
        );
        f(html.as_deref().unwrap_or_default())
    }

    /// Says that one of page `i`'s readers is done with its HTML; after the second, it is let go.
    pub fn release(&self, i: usize) {
        let Some(slot) = self.slot(i) else {
            return;
        };
        if slot.readers.fetch_sub(1, Ordering::AcqRel) == 1 {
            let html = slot.html.lock().unwrap_or_else(|p| p.into_inner()).take();
            drop(html);
        }
    }

    fn slot(&self, i: usize) -> Option<&Slot> {
        self.taken.as_ref().and_then(|t| t.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_let_go_after_its_second_reader_and_the_library_keeps_its_own() {
        let (_dir, _config, mut lib) = crate::content::load_for_test(&[
            ("handbook.yaml", "title: T\n"),
            ("content/a.md", "# A\n\nThe text.\n"),
        ]);
        let kept = Bodies::kept();
        kept.release(0);
        kept.release(0);
        assert!(kept.read(&lib, 0, |h| h.contains("The text.")));
        let bodies = Bodies::released(&mut lib);
        assert!(lib.pages[0].html.is_empty(), "moved out");
        assert!(bodies.read(&lib, 0, |h| h.contains("The text.")));
        bodies.release(0);
        assert!(
            bodies.read(&lib, 0, |h| h.contains("The text.")),
            "one reader left"
        );
        bodies.release(0);
        let slot = bodies.slot(0).unwrap();
        assert!(slot.html.lock().unwrap().is_none(), "let go");
    }
}
