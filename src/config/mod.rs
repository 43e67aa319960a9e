//! `handbook.yaml`: a strict raw form, resolved into the `Config` the build uses.

mod planner;

pub use planner::{DEFAULT_WEEKS, MARGIN_MM, Paper, PlannerConfig, Weeks};

use crate::error::{Diagnostic, Error, Result};
use crate::value::Value;
use crate::{fs, yaml};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "handbook.yaml";

/// The file as written. Unknown keys are errors, so typos never pass silently.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    theme: Option<String>,
    author: Option<String>,
    timezone: Option<TimeZoneName>,
    cname: Option<String>,
    planner: Option<PlannerConfig>,
    search: Option<bool>,
    sitemap: Option<SitemapConfig>,
    extra: Option<Value>,
}

/// An IANA time zone name from `handbook.yaml` (`Europe/Berlin`), checked for its shape: without
/// a time zone database the name itself cannot be verified, but typos like `Berlin` or
/// `CET+1` are caught.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeZoneName(pub String);

impl std::str::FromStr for TimeZoneName {
    type Err = crate::error::Invalid;
    fn from_str(s: &str) -> Result<Self, crate::error::Invalid> {
        crate::timezone::parse(s).map(|tz| TimeZoneName(tz.name().to_string()))
    }
}

impl<'de> serde::Deserialize<'de> for TimeZoneName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = TimeZoneName;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an IANA time zone name such as Europe/Berlin")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<TimeZoneName, E> {
                s.parse().map_err(crate::error::de_error)
            }
        }
        d.deserialize_str(V)
    }
}

/// `sitemap:` in handbook.yaml.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SitemapConfig {
    /// Give every URL a `<lastmod>` of the build date (`--today` / SOURCE_DATE_EPOCH). Off by
    /// default: one date for every page tells search engines nothing unless the whole site
    /// really is rebuilt from changed sources.
    #[serde(default)]
    pub lastmod: bool,
}

/// Options given on the command line that shape a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub today: Option<NaiveDate>,
    /// Include worksheets and pages marked `private: true` (serve and print do; build never).
    pub private: bool,
    /// Planner settings given for one run (`rapport print --start --weeks --paper`), over
    /// handbook.yaml's.
    pub planner: PlannerOverride,
    /// The process exits when the command is done (the CLI's `build` and `check`): the loaded
    /// site is left for the system to take back rather than freed allocation by allocation.
    pub exit_after: bool,
}

/// `rapport print --start DATE --weeks N --paper A4|Letter`.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlannerOverride {
    pub start: Option<NaiveDate>,
    pub weeks: Option<u32>,
    pub paper: Option<Paper>,
}

/// What templates see as `config`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    /// Without a trailing slash: `https://me.github.io/handbook`.
    pub base_url: String,
    /// Always starts and ends with `/`: `/handbook/` or `/`.
    pub base_path: String,
    pub language: String,
    pub theme: String,
    pub author: String,
    pub timezone: Option<String>,
    pub cname: Option<String>,
    pub search: bool,
    pub sitemap: SitemapConfig,
    pub extra: Value,
}

/// The resolved configuration: site settings plus the paths and options of this build.
#[derive(Debug, Clone)]
pub struct Config {
    pub site: SiteConfig,
    /// `planner:` as written; the planner module fills in the defaults.
    pub planner: Option<PlannerConfig>,
    pub root: PathBuf,
    pub content_dir: PathBuf,
    pub static_dir: PathBuf,
    pub templates_dir: PathBuf,
    pub themes_dir: PathBuf,
    pub output_dir: PathBuf,
    pub drafts: bool,
    /// Private pages and worksheets are loaded (serve, print), not left out (build).
    pub private: bool,
    pub today: NaiveDate,
    /// The config file's text, for diagnostics that point into it.
    pub text: String,
    /// Where each setting is written in the config file.
    pub positions: Positions,
}

/// Positions (1-based line and column) of the values in handbook.yaml, by dotted key:
/// `theme`, `planner.include[2]`. Taken from the parser, so diagnostics about a setting that
/// are only found later (a theme that does not exist) still point at it.
#[derive(Debug, Clone, Default)]
pub struct Positions(HashMap<String, (usize, usize)>);

impl Positions {
    fn record(&mut self, prefix: &str, node: &yaml::Node) {
        for e in node.entries() {
            let key = if prefix.is_empty() {
                e.key.clone()
            } else {
                format!("{prefix}.{}", e.key)
            };
            for (i, item) in e.value.items().iter().enumerate() {
                self.0.insert(format!("{key}[{i}]"), item.pos());
            }
            self.0.insert(key.clone(), e.value.pos());
            if prefix.is_empty() {
                self.record(&key, &e.value);
            }
        }
    }

    /// Where `key`'s value is written; (0, 0), no position, when it is not in the file.
    pub fn of(&self, key: &str) -> (usize, usize) {
        self.0.get(key).copied().unwrap_or((0, 0))
    }
}

impl Config {
    pub fn load(opts: &BuildOptions) -> Result<Config> {
        let root = opts.root.clone();
        let path = root.join(CONFIG_FILE);
        if !path.is_file() {
            return Err(Error::refused(
                format!("no `{CONFIG_FILE}` in `{}`", root.display()),
                "run rapport in a handbook folder, pass --root DIR, or create one with `rapport init DIR`",
            ));
        }
        // A link out of the folder is refused before a byte of it is read: its first lines would
        // otherwise show in the messages about it.
        fs::inside_handbook(&root, &path).map_err(|out| out.refused())?;
        let text = fs::read_text(&path).map_err(|d| Error::content(vec![d.relative_to(&root)]))?;
        let shown = Path::new(CONFIG_FILE);
        let node = yaml::read(shown, &text, &text, 0).map_err(|d| Error::content(vec![d]))?;
        let raw: RawConfig = yaml::decode(shown, &text, &node).map_err(Error::content)?;
        let mut positions = Positions::default();
        positions.record("", &node);
        let mut diags = Vec::new();
        // A `--base-url` is checked by the command line parser; only the file's is checked here.
        let base_url = match &opts.base_url {
            Some(flag) => flag.clone(),
            None => raw.base_url.unwrap_or_else(|| "/".to_string()),
        };
        let (base_url, base_path) =
            split_base_url(&base_url).unwrap_or_else(|m| {
                let (line, col) = positions.of("base_url");
                diags.push(Diagnostic::new(shown, m).at(&text, line, col).hint(
                    "write an absolute URL such as `https://me.github.io/handbook/`, or `/`",
                ));
                (String::new(), "/".to_string())
            });
        let cname = raw.cname.and_then(|c| {
            check_cname(&c, &text, positions.of("cname"))
                .map_err(|d| diags.push(d))
                .ok()
        });
        if !diags.is_empty() {
            return Err(Error::content(diags));
        }
        let site = SiteConfig {
            title: raw.title.unwrap_or_else(|| "Handbook".to_string()),
            description: raw.description.unwrap_or_default(),
            base_url,
            base_path,
            language: raw.language.unwrap_or_else(|| "en".to_string()),
            theme: raw.theme.unwrap_or_else(|| "default".to_string()),
            author: raw.author.unwrap_or_default(),
            timezone: raw.timezone.map(|t| t.0),
            cname,
            search: raw.search.unwrap_or(true),
            sitemap: raw.sitemap.unwrap_or_default(),
            extra: raw.extra.unwrap_or_else(Value::empty_map),
        };
        let output_dir = match &opts.output {
            Some(o) if o.is_absolute() => o.clone(),
            Some(o) => std::env::current_dir()
                .map_err(|e| Error::io("read the current folder", Path::new("."), e))?
                .join(o),
            None => root.join("public"),
        };
        Ok(Config {
            site,
            planner: opts.planner.apply(raw.planner),
            content_dir: root.join("content"),
            static_dir: root.join("static"),
            templates_dir: root.join("templates"),
            themes_dir: root.join("themes"),
            root,
            output_dir,
            drafts: opts.drafts,
            private: opts.private,
            today: match opts.today {
                Some(d) => d,
                None => build_date()?,
            },
            text,
            positions,
        })
    }

    /// A site-absolute URL path for `path` (`static/x.css` → `/handbook/static/x.css`). Every
    /// URL of the site is spelled by this function or [`Config::permalink`], percent-encoded,
    /// so a page's links, canonical URL, sitemap entry and search entry agree.
    pub fn url(&self, path: &str) -> String {
        joined(&self.site.base_path, "", path)
    }

    /// The full URL of `path` (`https://me.github.io/handbook/why/`); site-absolute when
    /// `base_url` has no scheme and host.
    pub fn permalink(&self, path: &str) -> String {
        joined(&self.site.base_url, "/", path)
    }

    /// Whether `base_url` names a host, so that permalinks are absolute URLs (as sitemaps and
    /// Open Graph require).
    pub fn has_absolute_urls(&self) -> bool {
        self.site.base_url.contains("://")
    }
}

/// `start`, `sep`, then `path` without its leading slashes, percent-encoded. Built without
/// `format!`: every page asks for a dozen URLs.
fn joined(start: &str, sep: &str, path: &str) -> String {
    let path = encode_path(path.trim_start_matches('/'));
    let mut url = String::with_capacity(start.len() + sep.len() + path.len());
    url.push_str(start);
    url.push_str(sep);
    url.push_str(&path);
    url
}

/// The bytes a URL path keeps as they are: `/` and the unreserved characters.
const KEEP: [bool; 256] = {
    let mut keep = [false; 256];
    let mut b = 0;
    while b < 256 {
        keep[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    let marks = b"/-._~!$&'()*+,;=:@%";
    let mut i = 0;
    while i < marks.len() {
        keep[marks[i] as usize] = true;
        i += 1;
    }
    keep
};

/// Percent-encodes what may not appear raw in a URL path (non-ASCII, spaces, quotes), leaving
/// `/` and the unreserved characters alone.
pub fn encode_path(path: &str) -> std::borrow::Cow<'_, str> {
    let keep = |b: u8| KEEP[usize::from(b)];
    if path.bytes().all(keep) {
        return std::borrow::Cow::Borrowed(path);
    }
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(path.len() + 8);
    for b in path.bytes() {
        if keep(b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// A custom domain for GitHub Pages is a bare host name: `handbook.example.org`.
fn check_cname(
    cname: &str,
    text: &str,
    (line, col): (usize, usize),
) -> std::result::Result<String, Diagnostic> {
    let c = cname.trim();
    let ok = !c.is_empty()
        && c.len() <= 253
        && c.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-')
        });
    if ok {
        return Ok(c.to_ascii_lowercase());
    }
    Err(Diagnostic::new(
        CONFIG_FILE,
        format!("`cname` must be a bare domain name, got `{cname}`"),
    )
    .at(text, line, col)
    .hint("write only the host, e.g. `cname: handbook.example.org` (no `https://`, no path)"))
}

/// Splits a base URL into the URL without a trailing slash and its path (`/` or `/a/b/`).
pub fn split_base_url(url: &str) -> std::result::Result<(String, String), String> {
    let trimmed = url.trim().trim_end_matches('/');
    let path = if let Some(rest) = trimmed.split_once("://").map(|(_, r)| r) {
        rest.find('/').map(|i| &rest[i..]).unwrap_or("")
    } else if trimmed.is_empty() || trimmed.starts_with('/') {
        trimmed
    } else {
        return Err(format!(
            "`base_url` must be an absolute URL or a path starting with `/`, got `{url}`"
        ));
    };
    if path.contains(['?', '#', ' ']) {
        return Err(format!(
            "`base_url` may not contain a query, fragment or space: `{url}`"
        ));
    }
    Ok((trimmed.to_string(), format!("{path}/")))
}

/// The date a build is made "on": `SOURCE_DATE_EPOCH` when set (reproducible builds), else today.
/// The years a build date may fall in: planners and due dates add months and years to it, which
/// must stay within the calendar.
pub const BUILD_YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

fn build_date() -> Result<NaiveDate> {
    let Ok(raw) = std::env::var("SOURCE_DATE_EPOCH") else {
        return Ok(chrono::Local::now().date_naive());
    };
    raw.trim()
        .parse::<i64>()
        .ok()
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|dt| dt.date_naive())
        .filter(|d| BUILD_YEARS.contains(&d.year()))
        .ok_or_else(|| {
            Error::refused(
                format!("SOURCE_DATE_EPOCH is `{raw}`, not a number of seconds since 1970 (up to the year 9999)"),
                "set it to a Unix timestamp (e.g. `git log -1 --format=%ct`), or unset it",
            )
        })
}

impl PlannerOverride {
    /// handbook.yaml's planner settings with this run's flags over them.
    fn apply(self, planner: Option<PlannerConfig>) -> Option<PlannerConfig> {
        if self.start.is_none() && self.weeks.is_none() && self.paper.is_none() {
            return planner;
        }
        let mut p = planner.unwrap_or_default();
        if let Some(d) = self.start {
            p.start = Some(crate::dates::Date(d));
        }
        if let Some(w) = self.weeks {
            p.weeks = Some(Weeks(w));
        }
        if let Some(paper) = self.paper {
            p.paper = paper;
        }
        Some(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_paths() {
        let (u, p) = split_base_url("https://me.github.io/handbook/").unwrap();
        assert_eq!(
            (u.as_str(), p.as_str()),
            ("https://me.github.io/handbook", "/handbook/")
        );
        let (u, p) = split_base_url("https://example.org").unwrap();
        assert_eq!((u.as_str(), p.as_str()), ("https://example.org", "/"));
        assert_eq!(split_base_url("/").unwrap().1, "/");
        assert!(split_base_url("example.org").is_err());
    }

    #[test]
    fn cname_is_a_bare_host() {
        assert_eq!(
            check_cname(" Handbook.Example.org ", "", (0, 0)).unwrap(),
            "handbook.example.org"
        );
        let text = "title: a\ncname: https://x.org/\n";
        let d = check_cname("https://x.org/", text, (2, 8)).unwrap_err();
        assert_eq!((d.line, d.col), (2, 8));
        assert_eq!(d.source_line.as_deref(), Some("cname: https://x.org/"));
        assert!(check_cname("a..b", "", (0, 0)).is_err());
    }

    #[test]
    fn time_zone_names() {
        for ok in [
            "Europe/Berlin",
            "America/Argentina/Buenos_Aires",
            "UTC",
            "Etc/GMT+2",
        ] {
            assert!(ok.parse::<TimeZoneName>().is_ok(), "{ok}");
        }
        for bad in ["Berlin", "CET+1", "Europe/", "europe berlin", "../x"] {
            assert!(bad.parse::<TimeZoneName>().is_err(), "{bad}");
        }
    }
}
