//! Shared by the integration tests: running the CLI, writing small sites, and a crawler that
//! resolves links the way a static host would. The crawler is written apart from
//! `src/check/`, so that it checks the site rather than repeating the code under test.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_rapport");

/// Runs rapport with `args`; panics with its output if it did not start.
pub fn rapport(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("rapport runs")
}

pub fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

/// Runs rapport and insists that it succeeded.
pub fn ok(args: &[&str]) -> Output {
    let out = rapport(args);
    assert!(
        out.status.success(),
        "rapport {args:?} failed:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    out
}

/// Writes `files` (path, contents) below `dir`.
pub fn write_site(dir: &Path, files: &[(&str, &str)]) {
    for (path, contents) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, contents).unwrap();
    }
}

/// Builds the repository's bundled handbook into a fresh folder.
pub fn build_bundled(base_url: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    ok(&[
        "build",
        "--root",
        root,
        "--output",
        out.path().to_str().unwrap(),
        "--base-url",
        base_url,
        "--today",
        "2025-01-06",
        "--quiet",
    ]);
    out
}

/// Every file of an output folder, by path relative to it (with `/`).
pub fn files(out: &Path) -> BTreeMap<String, PathBuf> {
    let mut map = BTreeMap::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(out)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                map.insert(rel, p);
            }
        }
    }
    map
}

/// Attribute values `name="..."` in a document (the generated HTML always quotes with `"`).
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    let pat = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&pat) {
        rest = &rest[at + pat.len()..];
        let end = rest.find('"').unwrap();
        out.push(
            rest[..end]
                .replace("&amp;", "&")
                .replace("&quot;", "\"")
                .replace("&#39;", "'"),
        );
        rest = &rest[end..];
    }
    out
}

/// `url(...)` values in a stylesheet.
pub fn css_urls(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = css;
    while let Some(at) = rest.find("url(") {
        rest = &rest[at + 4..];
        let end = rest.find(')').unwrap();
        out.push(rest[..end].trim().trim_matches(['"', '\'']).to_string());
        rest = &rest[end..];
    }
    out
}

/// How a static host answers a request for `url_path` (already resolved against the page):
/// the file it serves, if any. Folders are served by their `index.html`.
pub fn serve(files: &BTreeMap<String, PathBuf>, base_path: &str, url_path: &str) -> Option<String> {
    let rel = url_path.strip_prefix(base_path)?;
    let rel = percent_decode(rel);
    let candidates = if rel.is_empty() || rel.ends_with('/') {
        vec![format!("{rel}index.html")]
    } else {
        vec![rel.clone(), format!("{rel}/index.html")]
    };
    candidates.into_iter().find(|c| files.contains_key(c))
}

fn percent_decode(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) =
                u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap()
}

/// Resolves a reference found on the page at `page_url` (a URL path) to a URL path and
/// fragment; `None` for other sites and schemes.
pub fn resolve(page_url: &str, link: &str) -> Option<(String, Option<String>)> {
    if link.starts_with("//") || link.split_once(':').is_some_and(|(s, _)| !s.contains('/')) {
        return None;
    }
    let (path, fragment) = match link.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (link, None),
    };
    let path = path.split('?').next().unwrap();
    let joined = if path.is_empty() {
        page_url.to_string()
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}{}", &page_url[..page_url.rfind('/').unwrap() + 1], path)
    };
    let mut segs: Vec<&str> = Vec::new();
    let parts: Vec<&str> = joined.split('/').skip(1).collect();
    for (i, seg) in parts.iter().enumerate() {
        match *seg {
            "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
        if i + 1 == parts.len() && (*seg == "." || *seg == "..") {
            segs.push("");
        }
    }
    Some((format!("/{}", segs.join("/")), fragment))
}

/// What the crawler found: how many references it followed, and every one that failed.
#[derive(Debug, Default)]
pub struct Crawl {
    pub followed: usize,
    pub fragments: usize,
    pub broken: Vec<String>,
}

/// Follows every `href` and `src` of every HTML file and every `url()` of every CSS file in
/// `out`, as served under `base_path`. `404.html` is served for a deep missing URL, as hosts do.
pub fn crawl(out: &Path, base_path: &str) -> Crawl {
    let files = files(out);
    let mut crawl = Crawl::default();
    let ids = |file: &str| -> BTreeSet<String> {
        let html = std::fs::read_to_string(out.join(file)).unwrap();
        attr_values(&html, "id").into_iter().collect()
    };
    for (rel, path) in &files {
        let page_url = if rel == "404.html" {
            format!("{base_path}some/deep/missing/page/")
        } else {
            format!("{base_path}{rel}")
        };
        let links = if rel.ends_with(".html") {
            let html = std::fs::read_to_string(path).unwrap();
            let mut l = attr_values(&html, "href");
            l.extend(attr_values(&html, "src"));
            l
        } else if rel.ends_with(".css") {
            css_urls(&std::fs::read_to_string(path).unwrap())
        } else {
            continue;
        };
        for link in links {
            let Some((url, fragment)) = resolve(&page_url, &link) else {
                continue;
            };
            crawl.followed += 1;
            let target = if link.starts_with('#') && rel == "404.html" {
                Some(rel.clone())
            } else {
                serve(&files, base_path, &url)
            };
            let Some(target) = target else {
                crawl
                    .broken
                    .push(format!("{rel}: `{link}` → {url} is not served"));
                continue;
            };
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                crawl.fragments += 1;
                if target.ends_with(".html") && !ids(&target).contains(&percent_decode(&f)) {
                    crawl
                        .broken
                        .push(format!("{rel}: `{link}` → no id `{f}` in {target}"));
                }
            }
        }
    }
    crawl
}
