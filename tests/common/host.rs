//! How a static host (GitHub Pages and the like) serves an output folder, and a crawler that
//! follows every reference of a built site through it. Written apart from `src/check/`, so that
//! the tests check the site rather than repeat the code under test.

use super::html::{attr_values, css_urls};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// How a static host answers a request for `url_path` (already resolved against the page):
/// the file it serves, if any, from `files` (as listed by [`super::files`]). Folders are served
/// by their `index.html`.
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
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) =
                u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).expect("a UTF-8 URL")
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
    let path = path.split('?').next().unwrap_or_default();
    let joined = if path.is_empty() {
        page_url.to_string()
    } else if path.starts_with('/') {
        path.to_string()
    } else {
        let dir = page_url.rfind('/').expect("a URL path has a `/`");
        format!("{}{}", &page_url[..dir + 1], path)
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
    let files = super::files(out);
    let mut crawl = Crawl::default();
    let read = |path: &Path| std::fs::read_to_string(path).expect("read output file");
    let ids = |file: &str| -> BTreeSet<String> {
        attr_values(&read(&out.join(file)), "id")
            .into_iter()
            .collect()
    };
    for (rel, path) in &files {
        let page_url = if rel == "404.html" {
            format!("{base_path}some/deep/missing/page/")
        } else {
            format!("{base_path}{rel}")
        };
        let links = if rel.ends_with(".html") {
            super::html::links(&read(path))
        } else if rel.ends_with(".css") {
            css_urls(&read(path))
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
