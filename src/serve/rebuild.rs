//! Serve's builds: the whole site into memory, or (the fast path) only the pages whose Markdown
//! bodies were edited, against the site of the last good build.
//!
//! The fast path must give the files a full build would. It is taken only when every source
//! changed since the last good build is a Markdown page or `_index.md` of that build whose
//! front matter and title are unchanged (`content::update` decides, and says why that is
//! enough); anything else, or any doubt (a missed file event, a new day), builds the whole site.
//! Sources changed since the last good build are remembered until a build succeeds, so a fast
//! rebuild after a failed one still accounts for every change since the site it starts from.

use super::store::{Store, StoreSink, Stored};
use crate::config::{BuildOptions, Config};
use crate::content::update::{self, Update};
use crate::error::{Error, Result};
use crate::render;
use crate::site::Site;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What a successful rebuild re-rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rebuilt {
    /// Only these many pages and sections (and the search index).
    Pages(usize),
    /// The whole site, of these many pages.
    Site(usize),
}

/// The last good build, kept between rebuilds.
struct Good {
    site: Site,
    files: Store,
}

pub struct Builder {
    opts: BuildOptions,
    last: Option<Good>,
    /// Sources (relative to the root) changed since `last` was built.
    dirty: BTreeSet<PathBuf>,
    /// What the last good build has that a published build refuses.
    unpublishable: Vec<crate::error::Diagnostic>,
}

impl Builder {
    pub fn new(opts: BuildOptions) -> Builder {
        Builder {
            opts,
            last: None,
            dirty: BTreeSet::new(),
            unpublishable: Vec::new(),
        }
    }

    /// Builds after `changed` (paths relative to the root). With `sure` false (file events may
    /// have been missed), the whole site is built.
    pub fn rebuild(&mut self, changed: &[PathBuf], sure: bool) -> Result<(Store, Rebuilt)> {
        self.dirty.extend(changed.iter().cloned());
        if sure && let Some(done) = self.fast()? {
            return Ok(done);
        }
        let (files, pages) = self.full()?;
        Ok((files, Rebuilt::Site(pages)))
    }

    /// What the last good build has that a published build refuses, as printed; `None` when
    /// there is nothing.
    pub fn unpublishable(&self) -> Option<String> {
        let all = self.unpublishable.iter().map(ToString::to_string);
        let text = all.collect::<Vec<_>>().join("\n");
        (!text.is_empty()).then_some(text)
    }

    /// Builds the whole site; on success it becomes the base of later fast rebuilds.
    pub fn full(&mut self) -> Result<(Store, usize)> {
        // The site being served is held by the server; the last build's model is not needed
        // to build a new one, so it is not kept alongside. (Should this build fail, the next
        // rebuild is a full one too.)
        self.last = None;
        let mut site = Site::load(&self.opts)?;
        for w in &site.warnings {
            // Like `rapport build`: reported, and the site is served anyway.
            use std::io::Write as _;
            let _ = write!(std::io::stderr(), "{w}");
        }
        let sink = StoreSink::default();
        let stats = site.render_to(&sink)?;
        let files = sink.into_store();
        self.unpublishable = (site.warnings.iter())
            .filter(|w| w.severity == crate::error::Severity::Unpublishable)
            .cloned()
            .collect();
        self.last = Some(Good {
            site,
            files: files.clone(),
        });
        self.dirty.clear();
        Ok((files, stats.pages))
    }

    /// Re-renders the edited pages when that is enough; `None` when a full build is needed.
    fn fast(&mut self) -> Result<Option<(Store, Rebuilt)>> {
        let Some(good) = &mut self.last else {
            return Ok(None);
        };
        // Worksheets and `today` in templates show the build date: a new day builds it all.
        match Config::load(&self.opts) {
            Ok(config) if config.today == good.site.config.today => {}
            _ => return Ok(None),
        }
        let site = &mut good.site;
        let changed: Vec<PathBuf> = self.dirty.iter().cloned().collect();
        let items = match update::rerender(&site.config, &mut site.library, &changed) {
            Ok(Update::Applied(items)) => items,
            Ok(Update::FullBuild) => return Ok(None),
            Err(diags) => {
                let root = &site.config.root;
                let diags = diags.into_iter().map(|d| d.relative_to(root)).collect();
                return Err(Error::content(diags));
            }
        };
        // From here on the library holds the new bodies. Should rendering fail, the sources
        // stay in `dirty`, so the next rebuild renders them again (re-rendering is idempotent).
        let pages = render::affected(&site.library, &items);
        let sink = StoreSink::default();
        render::render_items(&site.config, &site.library, &site.theme, &pages, &sink)?;
        site.update_search_index(&pages, &sink)?;
        good.files.extend(sink.into_store());
        update_book(site, &mut good.files, &pages)?;
        // Re-rendered alone, an edited source has nothing unpublishable (else the whole site
        // is built): what it had is gone.
        self.unpublishable.retain(|d| !changed.contains(&d.path));
        self.dirty.clear();
        Ok(Some((good.files.clone(), Rebuilt::Pages(pages.len()))))
    }
}

/// The book holds every page: the chapters of the pages rendered again are replaced. A book of a
/// template of the site's own, which may show a page anywhere, is rendered again whole.
fn update_book(site: &Site, files: &mut Store, pages: &[crate::content::ItemRef]) -> Result<()> {
    use render::book;
    let path = crate::plan::index_file(crate::plan::BOOK);
    if site.theme.book_splice() == book::Splice::AfterRender
        && let Some(Stored::Book(parts)) = files.get(&path)
    {
        let mut parts = (**parts).clone();
        parts.update(&site.config, &site.library, pages);
        files.insert(path, Stored::Book(std::sync::Arc::new(parts)));
        return Ok(());
    }
    let template_error = |e: tera::Error| {
        let d = render::theme::template_error(&e, &site.theme.origins, &site.theme.sources);
        Error::content(vec![d])
    };
    let numbers = book::Numbers::default();
    let book = site.book(&numbers).map_err(template_error)?;
    let sink = StoreSink::default();
    render::write_book(&sink, &path, &book)?.map_err(template_error)?;
    files.extend(sink.into_store());
    Ok(())
}
