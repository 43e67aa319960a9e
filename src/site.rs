//! Site assembly: load, render, and write the output folder atomically.

use crate::check;
use crate::config::{BuildOptions, Config};
use crate::content::{self, Library};
use crate::error::{Diagnostic, Error, Result};
use crate::plan::{self, Origin, Plan};
use crate::planner::Planner;
use crate::render::{self, DirSink, PlannedSink, Sink, StaticSource, Stats, Theme};
use crate::{fs, publish, search};
use std::time::{Duration, Instant};

/// What a finished build reports.
#[derive(Debug)]
pub struct Summary {
    pub stats: Stats,
    pub elapsed: Duration,
    pub output: std::path::PathBuf,
    /// What the build reported without failing.
    pub warnings: Vec<Diagnostic>,
    /// The private pages, sections and files left out of the output.
    pub left_out: content::LeftOut,
}

/// A loaded, validated site, ready to render.
pub struct Site {
    pub config: Config,
    pub library: Library,
    pub theme: Theme,
    /// The planner's settings, resolved against the worksheets.
    pub planner: Planner,
    /// Every output: its path, origin and visibility.
    pub plan: Plan,
    /// What loading reported without stopping (a symbolic link out of the folder, skipped).
    pub warnings: Vec<Diagnostic>,
    /// The search index of the last render, kept so that serve updates only the entries of
    /// the pages an edit re-rendered.
    search_index: Option<search::SearchIndex>,
}

impl Site {
    /// The book of this site, with the page numbers of a print (empty: none yet).
    pub fn book<'a>(
        &'a self,
        numbers: &'a render::book::Numbers,
    ) -> std::result::Result<render::book::Book<'a>, tera::Error> {
        let splice = self.theme.book_splice();
        render::book::render(
            &self.config,
            &self.library,
            &self.theme.tera,
            &render::bodies::KEPT,
            splice,
            numbers,
        )
    }

    /// Loads config, content and theme and runs every check of the whole site (planner
    /// settings, templates, output paths), reporting all their diagnostics together.
    pub fn load(opts: &BuildOptions) -> Result<Site> {
        let config = Config::load(opts)?;
        let opts = content::LoadOptions {
            theme_files: render::theme::theme_files(&config),
            words_kept: search::words_per_entry,
        };
        let ((library, mut diags), theme) =
            rayon::join(|| content::load(&config, opts), || Theme::load(&config));
        let root = config.root.clone();
        let planner = crate::planner::resolve(&config, &library)
            .map(|mut p| {
                diags.append(&mut p.warnings);
                p
            })
            .map_err(|d| diags.extend(d));
        let theme = match theme {
            Ok(mut theme) => {
                diags.append(&mut theme.warnings);
                diags.extend(theme.missing_templates(&library, &root));
                let statics = statics(&config, &theme);
                let (plan, collisions) = Plan::build(&config, &library, statics);
                diags.extend(collisions);
                Some((theme, plan))
            }
            Err(d) => {
                diags.extend(d);
                None
            }
        };
        let diags: Vec<Diagnostic> = diags.into_iter().map(|d| d.relative_to(&root)).collect();
        let failed = diags.iter().any(Diagnostic::is_error);
        match (theme, planner) {
            (Some((theme, plan)), Ok(planner)) if !failed => Ok(Site {
                config,
                library,
                theme,
                planner,
                plan,
                warnings: diags,
                search_index: None,
            }),
            _ => Err(Error::content(diags)),
        }
    }

    /// Renders every page, then the files a host and the search box need.
    pub fn render_to(&mut self, sink: &dyn Sink) -> Result<Stats> {
        self.render_with(sink, &render::bodies::KEPT)
    }

    /// Renders as [`Site::render_to`] does, once: the pages' HTML is moved out of the library
    /// and each page's let go as soon as its page and its book chapter are written, so that a
    /// large site's memory falls as it renders. The site cannot render its pages again.
    pub fn render_once(&mut self, sink: &dyn Sink) -> Result<Stats> {
        let bodies = render::bodies::Bodies::released(&mut self.library);
        self.render_with(sink, &bodies)
    }

    fn render_with(&mut self, sink: &dyn Sink, bodies: &render::bodies::Bodies) -> Result<Stats> {
        let (config, library, theme) = (&self.config, &self.library, &mut self.theme);
        let sink = PlannedSink::new(&self.plan, sink, config.private);
        let sink = &sink;
        // The search index needs only the library: made beside the book, not after rendering.
        let search = config.site.search;
        let index = || search.then(|| search::build(config, library));
        let (mut stats, index) =
            render::render_site(config, library, bodies, &self.planner, theme, sink, index)?;
        let plan = &self.plan;
        let taken = |path: &str| plan.is_replaced(path);
        publish::write(config, library, &taken, sink)?;
        if let Some(index) = index {
            sink.write_from(plan::SEARCH_INDEX, &|out| index.write_json(out))?;
            self.search_index = Some(index);
        }
        stats.files = sink.written();
        if stats.files != plan.len() {
            return Err(Error::refused(
                format!(
                    "rapport wrote {} files of the {} it planned",
                    stats.files,
                    plan.len()
                ),
                "this is a bug in rapport: please report it",
            ));
        }
        Ok(stats)
    }

    /// Writes `search-index.json`, unless search is off; returns how many files it wrote.
    pub fn write_search_index(&mut self, sink: &dyn Sink) -> Result<usize> {
        if !self.config.site.search {
            return Ok(0);
        }
        let index = search::build(&self.config, &self.library);
        sink.write_from(plan::SEARCH_INDEX, &|out| index.write_json(out))?;
        self.search_index = Some(index);
        Ok(1)
    }

    /// Writes `search-index.json` again after `items` were re-rendered with new bodies (the
    /// same titles and places): only their entries are rebuilt.
    pub fn update_search_index(
        &mut self,
        items: &[crate::content::ItemRef],
        sink: &dyn Sink,
    ) -> Result<usize> {
        let Some(index) = self.search_index.as_mut() else {
            return self.write_search_index(sink);
        };
        if !self.config.site.search {
            return Ok(0);
        }
        index.refresh(&self.config, &self.library, items);
        sink.write_from(plan::SEARCH_INDEX, &|out| index.write_json(out))?;
        Ok(1)
    }
}

/// The theme's and the site's `static/` files as planned outputs.
fn statics(config: &Config, theme: &Theme) -> Vec<(String, Origin)> {
    let origin = |source: &StaticSource| match source {
        StaticSource::Embedded(_) => Origin::ThemeAsset,
        StaticSource::Disk(file) => Origin::Static(
            file.strip_prefix(&config.root)
                .unwrap_or(file)
                .to_path_buf(),
        ),
    };
    let statics = theme.statics.iter();
    statics
        .map(|(path, source)| (path.clone(), origin(source)))
        .collect()
}

/// `rapport build`: renders into a fresh folder beside the output and swaps it in only when
/// everything succeeded, so a failed build leaves the previous site untouched.
pub fn build(opts: &BuildOptions) -> Result<Summary> {
    let start = Instant::now();
    let mut site = Site::load(opts)?;
    site.library.drop_load_state();
    release_freed_memory();
    let output = site.config.output_dir.clone();
    fs::check_output_dir(&output, &site.config.root, &site.config.content_dir)?;
    // Held until the end: no other build of this output runs meanwhile, so whatever a build
    // left beside it is litter of a dead one.
    let lock = fs::OutputLock::acquire(&output)?;
    let mut litter = lock.remove_litter();
    let staging = lock.staging()?;
    // Whether the old site can be removed is looked up beside rendering: it walks every folder
    // of the old output.
    let (rendered, replaceable) = rayon::join(
        || site.render_once(&DirSink(staging.clone())),
        || fs::check_replaceable(&output),
    );
    let result = rendered.and_then(|stats| replaceable.map(|removal| (stats, removal)));
    let (stats, removal) = match result {
        Ok(done) => done,
        Err(e) => {
            fs::discard(&staging);
            return Err(e);
        }
    };
    match fs::swap_in(&staging, &output, removal) {
        Ok(left_behind) => litter.extend(left_behind),
        Err(e) => {
            fs::discard(&staging);
            return Err(e);
        }
    }
    drop(lock);
    // What is left of old sites beside the output, after the build's own warnings.
    site.warnings.append(&mut litter);
    let summary = Summary {
        stats,
        elapsed: start.elapsed(),
        output,
        warnings: std::mem::take(&mut site.warnings),
        left_out: site.library.left_out,
    };
    let_go(site, opts);
    Ok(summary)
}

/// Drops `site`, unless the process exits next: freeing a large handbook's every page, title
/// and template value one by one is 2 % of a build, and the system takes it all back at once.
fn let_go(site: Site, opts: &BuildOptions) {
    if opts.exit_after {
        std::mem::forget(site);
    }
}

/// Hands the memory freed while loading (every source's text, parsed and dropped) back to the
/// system before rendering. glibc keeps freed memory in the arena of the thread that freed it,
/// where the other rendering threads cannot reuse it, so without this the peak grows with
/// the sources on top of the rendered site. (The `rapport` binary uses mimalloc, which returns
/// freed pages itself; this is for the library under the system allocator.)
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns unused heap pages to the system.
    unsafe {
        libc::malloc_trim(0);
    }
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
    let files = sink.into_files();
    let mut findings = check::verify(&site.config, &site.library, &files);
    findings
        .warnings
        .splice(0..0, std::mem::take(&mut site.warnings));
    if opts.exit_after {
        std::mem::forget(files);
    }
    let_go(site, opts);
    Ok(CheckReport {
        stats,
        elapsed: start.elapsed(),
        findings,
    })
}
