//! Template and static-file lookup: site `templates/` > `themes/<name>/` > the built-in theme.

use crate::config::Config;
use crate::content::Library;
use crate::error::Diagnostic;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use tera::Tera;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));
}

/// Where a static file comes from.
#[derive(Debug, Clone)]
pub enum StaticSource {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

pub struct Theme {
    pub tera: Tera,
    /// Tera template name → the path shown in error messages.
    pub origins: HashMap<String, PathBuf>,
    /// The templates (bare names) the site or its theme defines, replacing the built-in ones.
    pub own: std::collections::HashSet<String>,
    /// `builtin/NAME` and `theme/NAME` templates no template names: registered only if front
    /// matter names one ([`Theme::missing_templates`]). Name, text, the path shown.
    spare: Vec<(String, String, PathBuf)>,
    /// Template name → source text, for pointing at the line of a rendering error.
    pub sources: Vec<(String, String)>,
    /// Output path → source, every layer merged (later layers win).
    pub statics: BTreeMap<String, StaticSource>,
    /// What loading skipped but did not stop for (links out of the handbook folder).
    pub warnings: Vec<Diagnostic>,
}

const THEME_PREFIX: &str = "theme/";
const BUILTIN_PREFIX: &str = "builtin/";

impl Theme {
    /// How the book's chapters reach `book.html`: spliced in after rendering when the template
    /// and its chapter partials are the built-in ones, which print them unchanged; in the
    /// context when any is the site's or theme's own.
    pub fn book_splice(&self) -> super::book::Splice {
        let built_in = [
            "book.html",
            "partials/book-contents.html",
            "partials/book-chapters.html",
        ];
        if built_in.iter().any(|name| self.own.contains(*name)) {
            super::book::Splice::InContext
        } else {
            super::book::Splice::AfterRender
        }
    }

    /// Loads every template layer: the built-in theme, the site theme, the site's `templates/`.
    /// Each template is registered under its bare name (`page.html`) from the last layer that
    /// has it, and as `theme/page.html` or `builtin/page.html` too where a template names it
    /// so (an override extending the original).
    pub fn load(config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        let mut statics = BTreeMap::new();
        let mut diags = Vec::new();
        // Functions are resolved when templates are added, so register them first.
        let base_path = config.site.base_path.clone();
        tera.register_function("get_url", move |kwargs: tera::Kwargs, _: &tera::State| {
            let path: &str = kwargs.must_get("path")?;
            let path = path.trim_start_matches('/');
            let mut url = String::with_capacity(base_path.len() + path.len());
            url.push_str(&base_path);
            url.push_str(path);
            Ok::<_, tera::Error>(url)
        });
        let mut builtin = Vec::new();
        for (rel, bytes) in embedded::FILES {
            if let Some(name) = rel.strip_prefix("templates/") {
                builtin.push(Layered {
                    name: name.to_string(),
                    text: String::from_utf8_lossy(bytes).into_owned(),
                    shown: PathBuf::from(format!("(built-in theme) templates/{name}")),
                });
            } else if let Some(path) = rel.strip_prefix("static/") {
                statics.insert(path.to_string(), StaticSource::Embedded(bytes));
            }
        }
        let mut theme = Vec::new();
        let theme_dir = config.themes_dir.join(&config.site.theme);
        if theme_dir.is_dir() && crate::fs::may_walk(&config.root, &theme_dir, &mut diags) {
            theme = read_layer(&config.root, &theme_dir.join("templates"), &mut diags);
            read_statics(
                &config.root,
                &theme_dir.join("static"),
                &mut statics,
                &mut diags,
            );
        } else if config.site.theme != "default" {
            diags.push(
                Diagnostic::new(
                    crate::config::CONFIG_FILE,
                    format!("theme `{}` not found", config.site.theme),
                )
                .at(
                    &config.text,
                    config.positions.of("theme").0,
                    config.positions.of("theme").1,
                )
                .hint(format!(
                    "create `themes/{}/templates/`, or use `theme: default`",
                    config.site.theme
                )),
            );
        }
        let site = read_layer(&config.root, &config.templates_dir, &mut diags);
        read_statics(&config.root, &config.static_dir, &mut statics, &mut diags);
        let own = theme.iter().chain(&site).map(|t| t.name.clone()).collect();
        let (templates, origins, spare) = registered(builtin, theme, site);
        if let Err(e) =
            tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            diags.extend(template_errors(&e, &origins, &templates));
        }
        if diags.iter().any(Diagnostic::is_error) {
            return Err(diags);
        }
        Ok(Theme {
            tera,
            origins,
            own,
            spare,
            sources: templates,
            statics,
            warnings: diags,
        })
    }
}

/// A template of one layer: its name below `templates/`, its text, the path shown for it.
struct Layered {
    name: String,
    text: String,
    shown: PathBuf,
}

type Registered = (
    Vec<(String, String)>,
    HashMap<String, PathBuf>,
    Vec<(String, String, PathBuf)>,
);

/// The Tera names and texts of the layers' templates, and the path shown for each name. A bare
/// name is the last layer's template of that name; `builtin/NAME` and `theme/NAME` are added
/// where a template names them in quotes (the built-in home page extends
/// `builtin/section.html`). Registering exact names rather than leaving
/// `page.html` to Tera's fallback prefixes matters: Tera formats and looks up one candidate
/// name per prefix on every include of every page, 3 % of a large build's instructions.
fn registered(builtin: Vec<Layered>, theme: Vec<Layered>, site: Vec<Layered>) -> Registered {
    let all = builtin.iter().chain(&theme).chain(&site);
    let named = prefixed_names(all.map(|t| t.text.as_str()));
    let (mut prefixed, mut spare) = (Vec::new(), Vec::new());
    for (prefix, layer) in [(BUILTIN_PREFIX, &builtin), (THEME_PREFIX, &theme)] {
        for t in layer.iter() {
            let full = format!("{prefix}{}", t.name);
            let to = if named.contains(&full) {
                &mut prefixed
            } else {
                &mut spare
            };
            to.push((full, t.text.clone(), t.shown.clone()));
        }
    }
    let mut winners: BTreeMap<String, (String, PathBuf)> = BTreeMap::new();
    for t in builtin.into_iter().chain(theme).chain(site) {
        winners.insert(t.name, (t.text, t.shown));
    }
    let mut templates = Vec::with_capacity(winners.len() + prefixed.len());
    let mut origins = HashMap::new();
    let all = winners.into_iter().map(|(n, (t, p))| (n, t, p));
    for (name, text, shown) in all.chain(prefixed) {
        origins.insert(name.clone(), shown);
        templates.push((name, text));
    }
    (templates, origins, spare)
}

/// The paths (below the output root) of the files the theme ships: the built-in theme's and
/// those in `themes/<name>/static/`. Links to them resolve like links to `static/` files.
pub fn theme_files(config: &Config) -> std::collections::BTreeSet<String> {
    let mut statics = BTreeMap::new();
    // Theme::load reports the links it skips; this second look stays quiet.
    read_statics(
        &config.root,
        &config.themes_dir.join(&config.site.theme).join("static"),
        &mut statics,
        &mut Vec::new(),
    );
    let builtin = embedded::FILES
        .iter()
        .filter_map(|(rel, _)| rel.strip_prefix("static/"))
        .map(String::from);
    statics.into_keys().chain(builtin).collect()
}

impl Theme {
    /// Every `template:` named in front matter must exist. Checked before rendering, so that the
    /// error points at the page that names it rather than at the theme. A `builtin/` or
    /// `theme/` name no template mentions is registered here.
    pub fn missing_templates(&mut self, lib: &Library, root: &Path) -> Vec<Diagnostic> {
        let pages = lib
            .pages
            .iter()
            .map(|p| (p.template.as_deref(), Some(&p.source)));
        let sections = lib
            .sections
            .iter()
            .map(|s| (s.template.as_deref(), s.index.as_ref()));
        let named: Vec<(&str, &PathBuf)> = pages
            .chain(sections)
            .filter_map(|(name, source)| Some((name?, source?)))
            .collect();
        let mut diags = self.register_spare(named.iter().map(|(name, _)| *name));
        let missing = named
            .into_iter()
            .filter(|(name, _)| !self.tera.contains_template(name))
            .map(|(name, source)| {
                let text = crate::fs::read_text(&root.join(source)).unwrap_or_default();
                Diagnostic::new(source, format!("template `{name}` not found"))
                    .at_key(&text, "template")
                    .hint("put it in `templates/`, or name one of the theme's templates such as `page.html`")
            });
        diags.extend(missing);
        diags
    }

    /// Registers the spare templates among `names`.
    fn register_spare<'a>(&mut self, names: impl Iterator<Item = &'a str>) -> Vec<Diagnostic> {
        let names: std::collections::HashSet<&str> = names.collect();
        let (wanted, spare) = std::mem::take(&mut self.spare)
            .into_iter()
            .partition::<Vec<_>, _>(|(name, _, _)| names.contains(name.as_str()));
        self.spare = spare;
        if wanted.is_empty() {
            return Vec::new();
        }
        let added = self.tera.add_raw_templates(
            wanted
                .iter()
                .map(|(name, text, _)| (name.as_str(), text.as_str())),
        );
        for (name, text, shown) in wanted {
            self.origins.insert(name.clone(), shown);
            self.sources.push((name, text));
        }
        match added {
            Ok(()) => Vec::new(),
            Err(e) => template_errors(&e, &self.origins, &self.sources),
        }
    }
}

/// Every quoted `builtin/…` and `theme/…` name in `texts`, as written.
fn prefixed_names<'a>(texts: impl Iterator<Item = &'a str>) -> std::collections::HashSet<String> {
    let mut names = std::collections::HashSet::new();
    for text in texts {
        for prefix in [BUILTIN_PREFIX, THEME_PREFIX] {
            for at in memchr::memmem::find_iter(text.as_bytes(), prefix) {
                let rest = &text[at..];
                let end = rest.find(['"', '\'']).unwrap_or(rest.len());
                names.insert(rest[..end].to_string());
            }
        }
    }
    names
}

/// The templates in `dir` (none if it does not exist), in name order.
fn read_layer(root: &Path, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<Layered> {
    let mut layer = Vec::new();
    if !dir.is_dir() || !crate::fs::may_walk(root, dir, diags) {
        return layer;
    }
    let mut skipped = Vec::new();
    // Links are followed, as in `content/` and `static/`: one inside the handbook is read like
    // the file it leads to, one out of it is skipped by the filter.
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            crate::fs::inside_root(root, e, &mut skipped)
                && crate::fs::within_depth(root, dir, e, &mut skipped)
                && crate::fs::file_or_folder(root, e, &mut skipped)
        });
    for entry in walker.flatten() {
        let file_name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || crate::fs::is_ignored(&file_name) {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let name = rel.to_string_lossy().replace('\\', "/");
        let shown = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_path_buf();
        match crate::fs::read_text(entry.path()) {
            Ok(text) => layer.push(Layered { name, text, shown }),
            Err(d) => diags.push(d.relative_to(root)),
        }
    }
    diags.extend(skipped);
    layer
}

fn read_statics(
    root: &Path,
    dir: &Path,
    statics: &mut BTreeMap<String, StaticSource>,
    diags: &mut Vec<Diagnostic>,
) {
    if !dir.is_dir() || !crate::fs::may_walk(root, dir, diags) {
        return;
    }
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            (e.depth() == 0 || !crate::fs::is_ignored(&e.file_name().to_string_lossy()))
                && crate::fs::inside_root(root, e, diags)
                && crate::fs::within_depth(root, dir, e, diags)
                && crate::fs::file_or_folder(root, e, diags)
        });
    for entry in walker.flatten() {
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            statics.insert(
                rel.to_string_lossy().replace('\\', "/"),
                StaticSource::Disk(entry.path().to_path_buf()),
            );
        }
    }
}

/// Turns a Tera error into a diagnostic at the template file, line and column.
pub fn template_error(
    e: &tera::Error,
    origins: &HashMap<String, PathBuf>,
    templates: &[(String, String)],
) -> Diagnostic {
    use tera::ErrorKind;
    let report = match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let Some(r) = report else {
        let mut msg = e.to_string();
        let mut src = std::error::Error::source(e);
        while let Some(s) = src {
            msg.push_str(&format!(": {s}"));
            src = s.source();
        }
        return Diagnostic::new("templates", msg);
    };
    let span = r.span();
    let (line, col) = (span.start_line, span.start_col + 1);
    located(r.filename(), r.message(), line, col, origins, templates)
}

/// Tera reports the problems it finds while linking templates (unknown filters, includes or
/// blocks) as one text, `error: MESSAGE\n --> NAME:LINE:COL\n...` per problem; each becomes a
/// diagnostic at the user's file. Any other error is handled by [`template_error`].
pub fn template_errors(
    e: &tera::Error,
    origins: &HashMap<String, PathBuf>,
    templates: &[(String, String)],
) -> Vec<Diagnostic> {
    if let tera::ErrorKind::Msg(text) = e.kind() {
        let diags: Vec<Diagnostic> = text
            .split("\n\n")
            .filter_map(|report| {
                let mut lines = report.lines();
                let message = lines.next()?.strip_prefix("error: ")?;
                let place = lines.next()?.trim_start().strip_prefix("--> ")?;
                let (place, col) = place.rsplit_once(':')?;
                let (name, line) = place.rsplit_once(':')?;
                let (line, col) = (line.parse().ok()?, col.parse().ok()?);
                Some(located(name, message, line, col, origins, templates))
            })
            .collect();
        if !diags.is_empty() {
            return diags;
        }
    }
    vec![template_error(e, origins, templates)]
}

/// A diagnostic at `line:col` of the Tera template `name`, shown as the file it came from.
fn located(
    name: &str,
    message: &str,
    line: usize,
    col: usize,
    origins: &HashMap<String, PathBuf>,
    templates: &[(String, String)],
) -> Diagnostic {
    let shown = origins
        .get(name)
        .cloned()
        .unwrap_or_else(|| PathBuf::from(name));
    let mut d = Diagnostic::new(shown, message)
        .hint("see the theming guide in the README for the variables each template receives");
    if let Some((_, text)) = templates.iter().find(|(n, _)| n == name) {
        d = d.at(text, line, col);
    } else {
        (d.line, d.col) = (line, col);
    }
    d
}
