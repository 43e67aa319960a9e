//! `handbook.yaml`: a strict raw form, resolved into the `Config` the build uses.

use crate::error::{Diagnostic, Error, Result};
use crate::planner::PlannerConfig;
use crate::{fs, yaml};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
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
    timezone: Option<crate::calendar::TimeZoneName>,
    cname: Option<String>,
    planner: Option<PlannerConfig>,
    search: Option<bool>,
    extra: Option<yaml::Value>,
}

/// Options given on the command line that shape a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    pub today: Option<NaiveDate>,
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
    pub extra: yaml::Value,
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
    pub today: NaiveDate,
    /// The config file's text, for diagnostics that point into it.
    pub text: String,
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
        let text = fs::read_text(&path).map_err(|d| Error::content(vec![d.relative_to(&root)]))?;
        let shown = Path::new(CONFIG_FILE);
        let raw: RawConfig =
            yaml::parse(shown, &text, &text, 0).map_err(|d| Error::content(vec![d]))?;
        let base_url = opts
            .base_url
            .clone()
            .or(raw.base_url)
            .unwrap_or_else(|| "/".to_string());
        let (base_url, base_path) = split_base_url(&base_url).map_err(|m| {
            Error::content(vec![Diagnostic::new(shown, m).hint(
                "write an absolute URL such as `https://me.github.io/handbook/`, or `/`",
            )])
        })?;
        let site = SiteConfig {
            title: raw.title.unwrap_or_else(|| "Handbook".to_string()),
            description: raw.description.unwrap_or_default(),
            base_url,
            base_path,
            language: raw.language.unwrap_or_else(|| "en".to_string()),
            theme: raw.theme.unwrap_or_else(|| "default".to_string()),
            author: raw.author.unwrap_or_default(),
            timezone: raw.timezone.map(|t| t.0),
            cname: raw.cname,
            search: raw.search.unwrap_or(true),
            extra: raw
                .extra
                .unwrap_or_else(|| yaml::Value::Mapping(Default::default())),
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
            planner: raw.planner,
            content_dir: root.join("content"),
            static_dir: root.join("static"),
            templates_dir: root.join("templates"),
            themes_dir: root.join("themes"),
            root,
            output_dir,
            drafts: opts.drafts,
            today: opts.today.unwrap_or_else(build_date),
            text,
        })
    }

    /// A site-absolute URL path for `path` (`static/x.css` → `/handbook/static/x.css`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.site.base_path, path.trim_start_matches('/'))
    }
}

/// Splits a base URL into the URL without a trailing slash and its path (`/` or `/a/b/`).
fn split_base_url(url: &str) -> std::result::Result<(String, String), String> {
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
fn build_date() -> NaiveDate {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|dt| dt.date_naive())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
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
}
