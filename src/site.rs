//! Site assembly: load, render, and write the output folder atomically.

use crate::check;
use crate::config::{BuildOptions, Config};
use crate::content::{self, Library};
use crate::error::{Diagnostic, Error, Result};
use crate::render::{self, DirSink, Sink, Stats, Theme};
use crate::{fs, publish, search};
use std::time::{Duration, Instant};

/// What a finished build reports.
#[derive(Debug)]
pub struct Summary {
    pub stats: Stats,
    pub elapsed: Duration,
    pub output: std::path::PathBuf,
}

/// A loaded, validated site, ready to render.
pub struct Site {
    pub config: Config,
    pub library: Library,
    pub theme: Theme,
}

impl Site {
    /// Loads config, content and theme, collecting all diagnostics of both stages.
    pub fn load(opts: &BuildOptions) -> Result<Site> {
        let config = Config::load(opts)?;
        let (library, theme) = rayon::join(|| content::load(&config), || Theme::load(&config));
        let root = config.root.clone();
        match (library, theme) {
            (Ok(library), Ok(theme)) => {
                let mut problems = theme.missing_templates(&library, &root);
                problems.extend(static_collisions(&library, &theme, &root));
                if !problems.is_empty() {
                    return Err(Error::content(problems));
                }
                Ok(Site {
                    config,
                    library,
                    theme,
                })
            }
            (l, t) => {
                let mut diags = l.err().unwrap_or_default();
                diags.extend(t.err().unwrap_or_default());
                Err(Error::content(
                    diags.into_iter().map(|d| d.relative_to(&root)).collect(),
                ))
            }
        }
    }

    /// Renders every page, then the files a host and the search box need.
    pub fn render_to(&mut self, sink: &dyn Sink) -> Result<Stats> {
        let mut stats = render::render_site(&self.config, &self.library, &mut self.theme, sink)?;
        let statics = &self.theme.statics;
        let taken = |path: &str| statics.contains_key(path);
        stats.files += publish::write(&self.config, &self.library, &taken, sink)?;
        stats.files += self.write_search_index(sink)?;
        Ok(stats)
    }

    /// Writes `search-index.json`, unless search is off or the site has a static file of that
    /// name; returns how many files it wrote.
    pub fn write_search_index(&self, sink: &dyn Sink) -> Result<usize> {
        if !self.config.site.search || self.theme.statics.contains_key(search::INDEX_FILE) {
            return Ok(0);
        }
        let index = search::build(&self.config, &self.library);
        sink.write(search::INDEX_FILE, index.to_json().as_bytes())?;
        Ok(1)
    }
}

/// A static file that would silently replace a generated page is an error.
fn static_collisions(lib: &Library, theme: &Theme, root: &std::path::Path) -> Vec<Diagnostic> {
    let mut generated: std::collections::HashMap<String, &std::path::Path> = lib
        .pages
        .iter()
        .map(|p| (render::index_file(&p.path), p.source.as_path()))
        .chain(lib.sections.iter().map(|s| {
            (
                render::index_file(&s.path),
                s.index.as_deref().unwrap_or(&s.source),
            )
        }))
        .collect();
    generated.insert(
        "404.html".into(),
        std::path::Path::new("the theme's 404.html"),
    );
    let mut diags = Vec::new();
    for (path, src) in &theme.statics {
        if let (Some(page), render::StaticSource::Disk(file)) = (generated.get(path), src) {
            let shown = file.strip_prefix(root).unwrap_or(file);
            diags.push(
                Diagnostic::new(
                    shown,
                    format!(
                        "this file would overwrite `{path}`, generated from `{}`",
                        page.display()
                    ),
                )
                .hint("rename or move the static file, or give the page another slug"),
            );
        }
    }
    diags
}

/// `rapport build`: renders into a fresh folder beside the output and swaps it in only when
/// everything succeeded, so a failed build leaves the previous site untouched.
pub fn build(opts: &BuildOptions) -> Result<Summary> {
    let start = Instant::now();
    let mut site = Site::load(opts)?;
    let output = site.config.output_dir.clone();
    fs::check_output_dir(&output, &site.config.root, &site.config.content_dir)?;
    // Held until the end: no other build of this output runs meanwhile, so whatever a build
    // left beside it is litter of a dead one.
    let lock = fs::OutputLock::acquire(&output)?;
    lock.remove_litter();
    let staging = lock.staging()?;
    let result = site
        .render_to(&DirSink(staging.clone()))
        .and_then(|stats| fs::check_replaceable(&output).map(|()| stats));
    let stats = match result {
        Ok(stats) => stats,
        Err(e) => {
            fs::discard(&staging);
            return Err(e);
        }
    };
    if let Err(e) = fs::swap_in(&staging, &output) {
        fs::discard(&staging);
        return Err(e);
    }
    drop(lock);
    Ok(Summary {
        stats,
        elapsed: start.elapsed(),
        output,
    })
}

/// What `rapport check` reports: the counts, and what the look at the output found.
#[derive(Debug)]
pub struct CheckReport {
    pub stats: Stats,
    pub elapsed: Duration,
    pub findings: check::Findings,
}

/// `rapport check`: every validation of a build, then the rendered site checked as a static
/// host would serve it. Nothing is written. Errors that stop a build are returned as `Err`;
/// broken links in the output are `findings.errors`.
pub fn check(opts: &BuildOptions) -> Result<CheckReport> {
    let start = Instant::now();
    let mut site = Site::load(opts)?;
    let sink = check::LinkSink::default();
    let stats = site.render_to(&sink)?;
    let findings = check::verify(&site.config, &site.library, &sink.into_files());
    Ok(CheckReport {
        stats,
        elapsed: start.elapsed(),
        findings,
    })
}
