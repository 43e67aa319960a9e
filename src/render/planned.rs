//! A sink that writes only what the output plan lists.

use super::{Sink, book};
use crate::error::Error;
use crate::plan::Plan;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A sink that writes only what the plan lists, and counts what it wrote: a renderer that
/// writes a path the plan does not know, or a private output in a run that publishes, is a bug
/// that must not reach the output folder.
pub struct PlannedSink<'a> {
    pub plan: &'a Plan,
    pub inner: &'a dyn Sink,
    /// Whether private outputs may be written (runs that include private items).
    pub private: bool,
    written: AtomicUsize,
}

impl<'a> PlannedSink<'a> {
    pub fn new(plan: &'a Plan, inner: &'a dyn Sink, private: bool) -> Self {
        PlannedSink {
            plan,
            inner,
            private,
            written: Default::default(),
        }
    }

    fn allow(&self, path: &str) -> Result<(), Error> {
        self.plan.allows(path, self.private)?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// How many files were written.
    pub fn written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }
}

impl Sink for PlannedSink<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        self.allow(path)?;
        self.inner.write(path, bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), Error> {
        self.allow(path)?;
        self.inner.copy(path, from)
    }

    fn write_from(
        &self,
        path: &str,
        fill: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), Error> {
        self.allow(path)?;
        self.inner.write_from(path, fill)
    }

    fn write_book(&self, path: &str, book: &book::Book) -> Result<(), Error> {
        self.allow(path)?;
        self.inner.write_book(path, book)
    }
}
