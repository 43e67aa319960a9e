//! Publishing: the bundled handbook crawled as a static host serves it, at a domain root and
//! under a project path; sitemap, robots, CNAME, .nojekyll, 404, canonical and Open Graph tags;
//! the GitHub Pages workflows.

mod common;

use common::host::{crawl, resolve, serve};
use common::html::links;
use common::{Site, files, stderr_of};
use insta::assert_snapshot;
use std::collections::BTreeSet;

/// The bundled handbook built with `base_url`, as every test here publishes it.
fn bundled(base_url: &str) -> Site {
    Site::bundled("2025-01-06", &["--base-url", base_url, "--quiet"])
}

fn assert_crawls(base_url: &str, base_path: &str) {
    let site = bundled(base_url);
    let c = crawl(&site.path("public"), base_path);
    assert!(
        c.broken.is_empty(),
        "broken references:\n{}",
        c.broken.join("\n")
    );
    // The bundled handbook has dozens of pages, each with navigation: a crawl that followed
    // only a handful of links would prove nothing.
    assert!(c.followed > 500, "followed only {} references", c.followed);
    assert!(c.fragments > 20, "checked only {} fragments", c.fragments);
}

#[test]
fn every_reference_resolves_at_a_domain_root() {
    assert_crawls("/", "/");
}

#[test]
fn every_reference_resolves_under_a_project_path() {
    assert_crawls("https://example.org/handbook/", "/handbook/");
}

#[test]
fn nothing_escapes_the_project_path() {
    let site = bundled("https://example.org/handbook/");
    for (rel, path) in files(&site.path("public")) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = std::fs::read_to_string(path).unwrap();
        for link in links(&html) {
            if link.starts_with('/') && !link.starts_with("//") {
                assert!(
                    link.starts_with("/handbook/"),
                    "{rel}: `{link}` ignores the base path"
                );
            }
        }
    }
}

#[test]
fn the_404_page_works_from_any_depth() {
    let site = bundled("https://example.org/handbook/");
    let files = files(&site.path("public"));
    let html = site.output("404.html");
    assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
    assert!(
        !html.contains("rel=\"canonical\""),
        "a 404 page has no canonical URL"
    );
    let mut checked = 0;
    for deep in [
        "/handbook/x/",
        "/handbook/a/b/c/d/missing.html",
        "/handbook/why/nope/deeper/",
    ] {
        for link in links(&html) {
            if link.starts_with('#') {
                continue;
            }
            let Some((url, _)) = resolve(deep, &link) else {
                continue;
            };
            assert!(
                serve(&files, "/handbook/", &url).is_some(),
                "404 at {deep}: `{link}` → {url}"
            );
            checked += 1;
        }
    }
    assert!(
        checked > 15,
        "the 404 page links to the home page, sections and its stylesheet"
    );
}

#[test]
fn sitemap_lists_every_page_once_with_absolute_urls() {
    let site = bundled("https://example.org/handbook/");
    let xml = site.output("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let locs: Vec<String> = root
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    assert!(
        !xml.contains("<lastmod>"),
        "lastmod is written only when asked for"
    );
    let unique: BTreeSet<&String> = locs.iter().collect();
    assert_eq!(unique.len(), locs.len(), "a URL is listed twice");
    let mut sorted = locs.clone();
    sorted.sort();
    assert_eq!(locs, sorted, "the sitemap is sorted");
    // Every page of the output (each `index.html`) is in the sitemap, and nothing else is.
    let pages: BTreeSet<String> = files(&site.path("public"))
        .into_keys()
        .filter(|f| f.ends_with("index.html"))
        .map(|f| {
            format!(
                "https://example.org/handbook/{}",
                f.trim_end_matches("index.html")
            )
        })
        .collect();
    assert_eq!(unique.into_iter().cloned().collect::<BTreeSet<_>>(), pages);
    assert!(pages.len() > 20);
    let robots = site.output("robots.txt");
    assert!(
        robots.contains("Sitemap: https://example.org/handbook/sitemap.xml\n"),
        "{robots}"
    );
}

#[test]
fn every_page_has_canonical_and_open_graph_tags() {
    let site = bundled("https://example.org/handbook/");
    let mut pages = 0;
    for (rel, path) in files(&site.path("public")) {
        if !rel.ends_with("index.html") {
            continue;
        }
        pages += 1;
        let html = std::fs::read_to_string(path).unwrap();
        let url = format!(
            "https://example.org/handbook/{}",
            rel.trim_end_matches("index.html")
        );
        assert!(
            html.contains(&format!("<link rel=\"canonical\" href=\"{url}\">")),
            "{rel}"
        );
        assert!(
            html.contains(&format!("<meta property=\"og:url\" content=\"{url}\">")),
            "{rel}"
        );
        let title = html
            .split("<title>")
            .nth(1)
            .unwrap()
            .split(" · ")
            .next()
            .unwrap()
            .to_string();
        let og_title = html
            .split("property=\"og:title\" content=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert!(
            title.starts_with(og_title),
            "{rel}: og:title {og_title:?} vs title {title:?}"
        );
        let og_desc = html
            .split("property=\"og:description\" content=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert!(!og_desc.is_empty(), "{rel} has an empty og:description");
        assert!(
            html.contains("<meta property=\"og:type\" content=\""),
            "{rel}"
        );
    }
    assert!(pages > 20);
}

#[test]
fn host_files_follow_the_configuration() {
    let site = Site::with_files(&[
        (
            "handbook.yaml",
            "title: T\nbase_url: https://handbook.example.org/\ncname: Handbook.Example.org\nsitemap:\n  lastmod: true\n",
        ),
        ("content/_index.md", "---\ntitle: Home\n---\nHi.\n"),
        ("content/a.md", "---\ntitle: A & B <c>\n---\nText.\n"),
        ("content/café au lait.md", "---\ntitle: Café\n---\nText.\n"),
    ]);
    site.build_on("2024-05-06", &["-q"]);
    assert_eq!(site.output("CNAME"), "handbook.example.org\n");
    assert_eq!(std::fs::read(site.path("public/.nojekyll")).unwrap(), b"");
    let xml = site.output("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let urls: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("url"))
        .map(|u| {
            let child = |name: &str| {
                u.children()
                    .find(|c| c.has_tag_name(name))
                    .and_then(|c| c.text())
                    .unwrap()
                    .to_string()
            };
            (child("loc"), child("lastmod"))
        })
        .collect();
    assert_eq!(
        urls,
        [
            (
                "https://handbook.example.org/".to_string(),
                "2024-05-06".to_string()
            ),
            (
                "https://handbook.example.org/a/".to_string(),
                "2024-05-06".to_string()
            ),
            (
                "https://handbook.example.org/book/".to_string(),
                "2024-05-06".to_string()
            ),
            (
                "https://handbook.example.org/caf%C3%A9-au-lait/".to_string(),
                "2024-05-06".to_string()
            ),
            (
                "https://handbook.example.org/planner/".to_string(),
                "2024-05-06".to_string()
            ),
        ]
    );

    // A path-only base URL: no host to name, so no sitemap, and no CNAME without `cname:`.
    site.write("handbook.yaml", "title: T\nbase_url: /\n");
    site.write("static/robots.txt", "mine\n");
    site.run(&["build", "-q"]).success();
    assert!(!site.output_exists("CNAME"));
    assert!(!site.output_exists("sitemap.xml"));
    assert!(site.output_exists(".nojekyll"));
    assert_eq!(
        site.output("robots.txt"),
        "mine\n",
        "the site's own robots.txt wins"
    );
    let html = site.output("a/index.html");
    assert!(
        html.contains("<link rel=\"canonical\" href=\"/a/\">"),
        "canonical falls back to a site-absolute URL"
    );
    assert!(
        !html.contains("og:url"),
        "og:url must be absolute, so it is left out"
    );
    assert!(
        html.contains("content=\"A &amp; B &lt;c&gt;\""),
        "titles are escaped in meta tags"
    );
}

#[test]
fn a_bad_cname_is_reported_at_its_line() {
    let site = Site::with_files(&[
        (
            "handbook.yaml",
            "title: T\ncname: https://handbook.example.org/\n",
        ),
        ("content/_index.md", "Hi.\n"),
    ]);
    assert_snapshot!(stderr_of(&site.run(&["build", "-q"]).failure(1)), @"
    error: handbook.yaml:2:8: `cname` must be a bare domain name, got `https://handbook.example.org/`
     2 | cname: https://handbook.example.org/
       |        ^
     hint: write only the host, e.g. `cname: handbook.example.org` (no `https://`, no path)

    1 error found
    ");
}
