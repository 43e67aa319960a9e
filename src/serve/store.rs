//! The build serve holds: every file once, pages deflated.
//!
//! A 10,000-page site is 250 MB of output, nearly all of it pages that repeat their section's
//! navigation; deflated at the fastest level they take a quarter of that. Pages are deflated as
//! the build writes them (never all held plain at once) and inflated per request, which costs
//! tens of microseconds for a page. Other files (the search index, stylesheets, images) are kept
//! as built, a file copied from disk in the very buffer it was read into, and served without a
//! copy.

use crate::error::Error;
use crate::render::Sink;
use crate::render::packed::Packed;
use bytes::Bytes;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub enum Stored {
    Plain(Bytes),
    Deflated(Packed),
    /// The book, in pieces that a page's edit replaces (every page is in it).
    Book(Arc<crate::render::book::Parts>),
}

/// Output path (`why/cost/index.html`) → file.
pub type Store = BTreeMap<String, Stored>;

/// Files shared by two builds compare by pointer first, so a rebuild does not compare the bytes
/// of every unchanged file (`Arc`'s equality does the same).
impl PartialEq for Stored {
    fn eq(&self, other: &Stored) -> bool {
        match (self, other) {
            (Stored::Plain(a), Stored::Plain(b)) => {
                (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
            }
            (Stored::Deflated(a), Stored::Deflated(b)) => a == b,
            (Stored::Book(a), Stored::Book(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Stored {}

impl Stored {
    pub fn new(path: &str, bytes: &[u8]) -> Stored {
        if path.ends_with(".html") {
            return Stored::Deflated(Packed::new(bytes));
        }
        Stored::Plain(Bytes::copy_from_slice(bytes))
    }

    /// The file's bytes: shared as they are, or inflated.
    pub fn bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        match self {
            Stored::Plain(b) => std::borrow::Cow::Borrowed(b),
            Stored::Deflated(packed) => std::borrow::Cow::Owned(packed.to_vec()),
            Stored::Book(parts) => std::borrow::Cow::Owned(parts.bytes()),
        }
    }
}

/// A sink that keeps what the build writes as a [`Store`], deflating pages as they come.
#[derive(Default)]
pub struct StoreSink(Mutex<Store>);

impl StoreSink {
    fn insert(&self, path: &str, stored: Stored) {
        let mut store = self.0.lock().unwrap_or_else(|e| e.into_inner());
        store.insert(path.to_string(), stored);
    }

    pub fn into_store(self) -> Store {
        self.0.into_inner().unwrap_or_else(|p| p.into_inner())
    }
}

impl Sink for StoreSink {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        // Deflated outside the lock, on the build's own threads.
        let stored = Stored::new(path, bytes);
        self.insert(path, stored);
        Ok(())
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), Error> {
        let bytes = std::fs::read(from).map_err(|e| Error::io("read", from, e))?;
        if path.ends_with(".html") {
            return self.write(path, &bytes);
        }
        // Kept in the buffer it was read into: a large file is held once, never twice.
        self.insert(path, Stored::Plain(Bytes::from(bytes)));
        Ok(())
    }

    fn write_book(&self, path: &str, book: &crate::render::book::Book) -> Result<(), Error> {
        if let Some(parts) = book.to_parts() {
            self.insert(path, Stored::Book(Arc::new(parts)));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_round_trip_and_other_files_are_kept_as_built() {
        let page = "<nav>same sidebar</nav>".repeat(200);
        let s = Stored::new("a/index.html", page.as_bytes());
        match &s {
            Stored::Deflated(packed) => {
                assert_eq!(packed.len(), page.len());
                assert!(packed.deflated_len() < page.len() / 4);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(&*s.bytes(), page.as_bytes());
        assert_eq!(Stored::new("a/index.html", page.as_bytes()), s);
        let css = Stored::new("rapport.css", b"body{}");
        assert_eq!(css, Stored::Plain(Bytes::from_static(b"body{}")));
        assert_eq!(&*css.bytes(), b"body{}");
    }
}
