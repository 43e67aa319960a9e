//! Files a static host expects beside the pages: `.nojekyll`, `CNAME`, `sitemap.xml` and
//! `robots.txt` (GitHub Pages first, but nothing here is specific to it).
//!
//! A file of the same name in the site's (or theme's) `static/` folder wins: the user's own
//! `robots.txt` is never overwritten.

use crate::config::Config;
use crate::content::Library;
use crate::error::Error;
use crate::render::Sink;

/// Writes the publishing files that `taken` (the static files already written) does not
/// provide; returns how many were written.
pub fn write(
    config: &Config,
    lib: &Library,
    taken: &dyn Fn(&str) -> bool,
    sink: &dyn Sink,
) -> Result<usize, Error> {
    let mut files: Vec<(&str, String)> = Vec::new();
    // Without it, GitHub Pages runs Jekyll, which drops files and folders starting with `_`.
    files.push((".nojekyll", String::new()));
    if let Some(cname) = &config.site.cname {
        files.push(("CNAME", format!("{cname}\n")));
    }
    // Sitemaps must list absolute URLs; with a path-only base URL there is no host to name.
    if config.has_absolute_urls() {
        files.push(("sitemap.xml", sitemap(config, lib)));
    }
    files.push(("robots.txt", robots(config)));
    let mut written = 0;
    for (path, text) in files {
        if !taken(path) {
            sink.write(path, text.as_bytes())?;
            written += 1;
        }
    }
    Ok(written)
}

/// Every section and page once, sorted by URL.
pub fn sitemap(config: &Config, lib: &Library) -> String {
    let mut urls: Vec<String> = lib
        .sections
        .iter()
        .map(|s| s.path.as_str())
        .chain(lib.pages.iter().map(|p| p.path.as_str()))
        .chain([crate::plan::PLANNER, crate::plan::BOOK])
        .map(|path| config.permalink(path))
        .collect();
    urls.sort();
    urls.dedup();
    let lastmod = config
        .site
        .sitemap
        .lastmod
        .then(|| config.today.format("%Y-%m-%d").to_string());
    let mut out = String::with_capacity(urls.len() * 80 + 200);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for url in urls {
        out.push_str("  <url><loc>");
        out.push_str(&xml_escape(&url));
        out.push_str("</loc>");
        if let Some(date) = &lastmod {
            out.push_str("<lastmod>");
            out.push_str(date);
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// Allows everything and names the sitemap. Crawlers read `robots.txt` only at a domain's root,
/// so under a project path it is inert, but harmless, and right once a custom domain is set.
pub fn robots(config: &Config) -> String {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if config.has_absolute_urls() {
        out.push_str(&format!("\nSitemap: {}\n", config.permalink("sitemap.xml")));
    }
    out
}

/// Escapes text for an XML element or attribute.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_encoded_and_escaped() {
        assert_eq!(
            crate::config::encode_path("café au lait/"),
            "caf%C3%A9%20au%20lait/"
        );
        assert_eq!(crate::config::encode_path("why/cost/"), "why/cost/");
        assert_eq!(xml_escape("a&b<'\">"), "a&amp;b&lt;&apos;&quot;&gt;");
    }
}
