//! Rendering the library through the theme into an output sink (a folder, memory, or nothing).

pub mod bodies;
pub mod book;
mod context;
pub mod packed;
mod partial;
mod planned;
pub mod planner_view;
mod sidebar;
pub mod theme;
pub mod view;
mod worksheets;

use crate::config::Config;
use crate::content::Library;
use crate::error::{Diagnostic, Error};
use crate::plan::{self, index_file};
use context::SharedContext;
pub use partial::{affected, render_items};
pub use planned::PlannedSink;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
pub use theme::{StaticSource, Theme};

/// Where rendered files go. Paths are relative to the output root, with `/` separators.
pub trait Sink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Error>;
    /// Copies a file from disk; sinks that keep files in memory read it.
    fn copy(&self, path: &str, from: &Path) -> Result<(), Error> {
        let bytes = std::fs::read(from).map_err(|e| Error::io("read", from, e))?;
        self.write(path, &bytes)
    }
    /// Writes a file that `fill` produces piece by piece; sinks that keep files whole collect
    /// the pieces.
    fn write_from(
        &self,
        path: &str,
        fill: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), Error> {
        let mut bytes = Vec::new();
        fill(&mut bytes).map_err(|e| Error::io("write", Path::new(path), e))?;
        self.write(path, &bytes)
    }
    /// Writes the book; sinks that update it per page keep it in [`book::Parts`].
    /// A template error on the way stops it: see [`book::Book::failure`].
    fn write_book(&self, path: &str, book: &book::Book) -> Result<(), Error> {
        self.write_from(path, &|out| book.write_to(out))
    }
}

/// Writes into a folder, creating sub-folders as needed.
pub struct DirSink(pub PathBuf);

impl DirSink {
    /// Where `path` goes, its folder created.
    fn dest(&self, path: &str) -> Result<PathBuf, Error> {
        let dest = self.0.join(path);
        if let Some(parent) = dest.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        Ok(dest)
    }
}

impl Sink for DirSink {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        let dest = self.dest(path)?;
        crate::fs::write(&dest, bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), Error> {
        let dest = self.dest(path)?;
        crate::fs::copy(from, &dest)
    }

    fn write_from(
        &self,
        path: &str,
        fill: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), Error> {
        let dest = self.dest(path)?;
        crate::fs::write_from(&dest, fill)
    }
}

/// Counts for the summary line.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub pages: usize,
    pub sections: usize,
    pub files: usize,
}

fn push_error(errors: &Mutex<Vec<Diagnostic>>, theme: &Theme, e: tera::Error) {
    let d = theme::template_error(&e, &theme.origins, &theme.sources);
    errors.lock().unwrap_or_else(|p| p.into_inner()).push(d);
}

/// What rendering a page or section needs: shared by the full build and serve's partial one.
/// Template errors are collected (all of them, for one sorted report); only I/O errors stop a
/// pass.
struct Pass<'a> {
    config: &'a Config,
    lib: &'a Library,
    bodies: &'a bodies::Bodies,
    theme: &'a Theme,
    shared: SharedContext,
    sidebars: Option<Vec<sidebar::Sidebar>>,
    sink: &'a dyn Sink,
    errors: Mutex<Vec<Diagnostic>>,
    /// A little over the largest page rendered so far, in bytes.
    largest: AtomicUsize,
}

impl<'a> Pass<'a> {
    /// Prepares the shared template data, and the sidebars of the sections `wanted` says.
    fn new(
        config: &'a Config,
        lib: &'a Library,
        bodies: &'a bodies::Bodies,
        theme: &'a Theme,
        sink: &'a dyn Sink,
        wanted: &(dyn Fn(usize) -> bool + Sync),
    ) -> Pass<'a> {
        let shared = SharedContext::new(config, lib);
        let errors = Mutex::new(Vec::new());
        let report = |e: tera::Error| push_error(&errors, theme, e);
        let sidebars = sidebar::prerender(config, lib, theme, &shared, &report, wanted);
        Pass {
            config,
            lib,
            bodies,
            theme,
            shared,
            sidebars,
            sink,
            errors,
            largest: AtomicUsize::new(16 << 10),
        }
    }

    fn report(&self, e: tera::Error) {
        push_error(&self.errors, self.theme, e);
    }

    /// Every template error of the pass, sorted, or `Ok`.
    fn finish(self) -> Result<(), Error> {
        let mut errors = self.errors.into_inner().unwrap_or_else(|p| p.into_inner());
        if errors.is_empty() {
            return Ok(());
        }
        crate::error::sort(&mut errors);
        Err(Error::content(errors))
    }

    fn section(&self, i: usize) -> Result<(), Error> {
        let (config, lib) = (self.config, self.lib);
        let s = &lib.sections[i];
        let default = if i == 0 { "index.html" } else { "section.html" };
        let template = s.template.as_deref().unwrap_or(default);
        let mut ctx = self.shared.for_section(config, lib, i);
        sidebar::insert(&mut ctx, &self.sidebars, config, i, None);
        self.write(template, &ctx, &index_file(&s.path))
    }

    fn page(&self, i: usize) -> Result<(), Error> {
        let (config, lib) = (self.config, self.lib);
        let p = &lib.pages[i];
        let template = p
            .template
            .as_deref()
            .unwrap_or_else(|| worksheets::default_template(p));
        let mut ctx = self
            .bodies
            .read(lib, i, |html| self.shared.for_page(config, lib, i, html));
        // The context holds a copy.
        self.bodies.release(i);
        sidebar::insert(&mut ctx, &self.sidebars, config, p.section, Some(&p.path));
        self.write(template, &ctx, &index_file(&p.path))
    }

    /// `404.html`, which sees the home page's context.
    fn not_found(&self) -> Result<(), Error> {
        let ctx = self.shared.for_section(self.config, self.lib, 0);
        self.write(plan::NOT_FOUND, &ctx, plan::NOT_FOUND)
    }

    fn write(&self, template: &str, ctx: &tera::Context, path: &str) -> Result<(), Error> {
        // Rendered into bytes as large as the largest page so far: Tera's own buffer starts at
        // the template's size and doubles, and its `String` is checked for UTF-8 once more.
        let mut html = Vec::with_capacity(self.largest.load(Ordering::Relaxed));
        match self.theme.tera.render_to(template, ctx, &mut html) {
            Ok(()) => {
                self.largest
                    .fetch_max(html.len() + html.len() / 8, Ordering::Relaxed);
                self.sink.write(path, &html)
            }
            Err(e) => {
                self.report(e);
                Ok(())
            }
        }
    }
}

fn render_planner_and_book(pass: &Pass, planner: &crate::planner::Planner) -> Result<(), Error> {
    let (config, lib, theme, sink) = (pass.config, pass.lib, pass.theme, pass.sink);
    let numbers = book::Numbers::default();
    let splice = theme.book_splice();
    match book::render(config, lib, &theme.tera, pass.bodies, splice, &numbers) {
        Ok(book) => {
            if let Err(e) = write_book(sink, &index_file(plan::BOOK), &book)? {
                pass.report(e);
            }
        }
        Err(e) => pass.report(e),
    }
    // After the book: in a build, the pages' HTML that the book and the pages are both done
    // with is let go by then, and the planner's values (every worksheet's, 35 MB at 50,000
    // pages) take less room than they would on top of all of it.
    let planner_ctx = worksheets::planner_context(config, lib, planner);
    let path = index_file(plan::PLANNER);
    let planner_html = render_into(sink, &path, &theme.tera, "planner.html", &planner_ctx)?;
    drop(planner_ctx);
    if let Err(e) = planner_html {
        pass.report(e);
    }
    Ok(())
}

/// Renders `template` into the file at `path` as it goes, rather than into memory first (the
/// planner is 17 MB at 50,000 pages): `Ok(Err(e))` when the template failed.
fn render_into(
    sink: &dyn Sink,
    path: &str,
    tera: &tera::Tera,
    template: &str,
    ctx: &tera::Context,
) -> Result<Result<(), tera::Error>, Error> {
    let failed = std::cell::RefCell::new(None);
    let written = sink.write_from(path, &|out| {
        // Tera keeps only the kind of a writer's error: the error itself is kept here.
        let mut out = KeepError { out, error: None };
        let rendered = tera.render_to(template, ctx, &mut out);
        match (rendered, out.error) {
            (Ok(()), _) => Ok(()),
            (Err(_), Some(e)) => Err(e),
            (Err(e), None) => {
                failed.replace(Some(e));
                Err(std::io::Error::other("the template failed"))
            }
        }
    });
    match failed.into_inner() {
        Some(e) => Ok(Err(e)),
        None => written.map(Ok),
    }
}

/// A writer that keeps the error it met.
struct KeepError<'a> {
    out: &'a mut dyn std::io::Write,
    error: Option<std::io::Error>,
}

impl std::io::Write for KeepError<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.out.write(buf).map_err(|e| {
            let kind = e.kind();
            self.error = Some(e);
            kind.into()
        })
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Writes `book` through `sink`: `Ok(Err(e))` when a template failed on the way, which the
/// sink met only as the error that stopped it.
pub fn write_book(
    sink: &dyn Sink,
    path: &str,
    book: &book::Book,
) -> Result<Result<(), tera::Error>, Error> {
    let written = sink.write_book(path, book);
    match book.failure() {
        Some(e) => Ok(Err(e)),
        None => written.map(Ok),
    }
}

/// Renders every page and section and copies static files, the pages' HTML read from
/// `bodies`. Template errors are collected; an I/O error stops the build. `after_pages` runs
/// once every page is rendered, beside the book and the planner (the search index is made
/// there: late enough that a build has let most pages' HTML go, and on the thread that
/// would otherwise wait for the book).
pub fn render_site<T: Send>(
    config: &Config,
    lib: &Library,
    bodies: &bodies::Bodies,
    planner: &crate::planner::Planner,
    theme: &mut Theme,
    sink: &dyn Sink,
    after_pages: impl FnOnce() -> T + Send,
) -> Result<(Stats, T), Error> {
    *theme.tera.global_context() = SharedContext::globals(config, lib);
    let theme = &*theme;
    let pass = Pass::new(config, lib, bodies, theme, sink, &|_| true);
    (0..lib.sections.len())
        .into_par_iter()
        .try_for_each(|i| pass.section(i))?;
    // The planner and the book are one file each, long ones: written beside the pages.
    let ((pages, after), long) = rayon::join(
        || {
            let pages = (0..lib.pages.len())
                .into_par_iter()
                .try_for_each(|i| pass.page(i));
            (pages, after_pages())
        },
        || render_planner_and_book(&pass, planner),
    );
    pages?;
    long?;
    pass.not_found()?;
    let calendars = worksheets::calendars(config, lib);
    for (path, text) in &calendars {
        sink.write(path, text.as_bytes())?;
    }
    pass.finish()?;
    let statics: Vec<_> = theme.statics.iter().collect();
    statics.par_iter().try_for_each(|(path, src)| match src {
        StaticSource::Embedded(bytes) => sink.write(path, bytes),
        StaticSource::Disk(from) => sink.copy(path, from),
    })?;
    lib.assets
        .par_iter()
        .try_for_each(|a| sink.copy(&a.path, &config.root.join(&a.source)))?;
    // Files are counted by the sink that holds the output plan.
    let stats = Stats {
        pages: lib.pages.len(),
        sections: lib.sections.len(),
        files: 0,
    };
    Ok((stats, after))
}
