//! Rendering the library through the theme into an output sink (a folder, memory, or nothing).

mod context;
mod sidebar;
pub mod theme;
mod worksheets;

use crate::config::Config;
use crate::content::Library;
use crate::error::{Diagnostic, Error};
use context::SharedContext;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
pub use theme::{StaticSource, Theme};

/// Where rendered files go. Paths are relative to the output root, with `/` separators.
pub trait Sink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Error>;
    /// Copies a file from disk; sinks that keep files in memory read it.
    fn copy(&self, path: &str, from: &Path) -> Result<(), Error> {
        let bytes = std::fs::read(from).map_err(|e| Error::io("read", from, e))?;
        self.write(path, &bytes)
    }
}

/// Writes into a folder, creating sub-folders as needed.
pub struct DirSink(pub PathBuf);

impl Sink for DirSink {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        let dest = self.0.join(path);
        if let Some(parent) = dest.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        crate::fs::write(&dest, bytes)
    }

    fn copy(&self, path: &str, from: &Path) -> Result<(), Error> {
        let dest = self.0.join(path);
        if let Some(parent) = dest.parent() {
            crate::fs::create_dir_all(parent)?;
        }
        crate::fs::copy(from, &dest)
    }
}

/// Keeps files in memory (for serving and tests).
#[derive(Default)]
pub struct MemorySink(pub Mutex<std::collections::BTreeMap<String, Vec<u8>>>);

impl Sink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), bytes.to_vec());
        Ok(())
    }
}

/// Counts for the summary line.
#[derive(Debug, Default, Clone, Copy)]
pub struct Stats {
    pub pages: usize,
    pub sections: usize,
    pub files: usize,
}

/// The output file of a page or section at `path` (`why/` → `why/index.html`).
pub fn index_file(path: &str) -> String {
    format!("{path}index.html")
}

/// Renders every page and section and copies static files. Template errors are collected;
/// an I/O error stops the build.
pub fn render_site(
    config: &Config,
    lib: &Library,
    theme: &mut Theme,
    sink: &dyn Sink,
) -> Result<Stats, Error> {
    // Planner settings are checked before anything is written.
    let planner = crate::planner::resolve(config, lib).map_err(Error::content)?;
    *theme.tera.global_context() = SharedContext::globals(config, lib);
    let theme = &*theme;
    let shared = SharedContext::new(config, lib);
    let errors: Mutex<Vec<Diagnostic>> = Mutex::new(Vec::new());
    let report = |e: tera::Error| {
        let d = theme::template_error(&e, &theme.origins, &theme.sources);
        errors.lock().unwrap_or_else(|p| p.into_inner()).push(d);
    };

    let sidebars = sidebar::prerender(config, lib, theme, &shared, &report);
    let sections_done: Result<(), Error> =
        (0..lib.sections.len()).into_par_iter().try_for_each(|i| {
            let s = &lib.sections[i];
            let default = if i == 0 { "index.html" } else { "section.html" };
            let template = s.template.as_deref().unwrap_or(default);
            let mut ctx = shared.for_section(config, lib, i);
            sidebar::insert(&mut ctx, &sidebars, config, lib, i, None);
            match theme.tera.render(template, &ctx) {
                Ok(html) => sink.write(&index_file(&s.path), html.as_bytes()),
                Err(e) => {
                    report(e);
                    Ok(())
                }
            }
        });
    sections_done?;
    lib.pages.par_iter().enumerate().try_for_each(|(i, p)| {
        let template = p
            .template
            .as_deref()
            .unwrap_or_else(|| worksheets::default_template(p));
        let mut ctx = shared.for_page(config, lib, i);
        sidebar::insert(&mut ctx, &sidebars, config, lib, p.section, Some(&p.path));
        match theme.tera.render(template, &ctx) {
            Ok(html) => sink.write(&index_file(&p.path), html.as_bytes()),
            Err(e) => {
                report(e);
                Ok(())
            }
        }
    })?;
    match theme
        .tera
        .render("404.html", &shared.for_section(config, lib, 0))
    {
        Ok(html) => sink.write("404.html", html.as_bytes())?,
        Err(e) => report(e),
    }
    let planner_ctx = worksheets::planner_context(config, lib, &planner);
    match theme.tera.render("planner.html", &planner_ctx) {
        Ok(html) => sink.write(&index_file(crate::planner::PATH), html.as_bytes())?,
        Err(e) => report(e),
    }
    let calendars = worksheets::calendars(config, lib);
    for (path, text) in &calendars {
        sink.write(path, text.as_bytes())?;
    }
    let mut errors = errors.into_inner().unwrap_or_else(|p| p.into_inner());
    if !errors.is_empty() {
        crate::error::sort(&mut errors);
        return Err(Error::content(errors));
    }
    let statics: Vec<_> = theme.statics.iter().collect();
    statics.par_iter().try_for_each(|(path, src)| match src {
        StaticSource::Embedded(bytes) => sink.write(path, bytes),
        StaticSource::Disk(from) => sink.copy(path, from),
    })?;
    lib.assets
        .par_iter()
        .try_for_each(|a| sink.copy(&a.path, &config.root.join(&a.source)))?;
    Ok(Stats {
        pages: lib.pages.len(),
        sections: lib.sections.len(),
        files: lib.pages.len()
            + lib.sections.len()
            + 2
            + calendars.len()
            + statics.len()
            + lib.assets.len(),
    })
}
