//! The default theme's promises, checked on the fixture handbook in tests/fixtures/theme built
//! with the real binary: landmarks and a skip link, labelled navigation, the current page marked
//! in the sidebar, a sidebar collapsed to the current branch (so pages do not grow
//! with the site), nothing loaded from the network, a print stylesheet that hides the chrome.
//! The ignored test measures layout, both colour schemes and text contrast in headless Chromium.

mod common;

use common::browser::{dump_dom, serve_static};
use common::html::attr_values;
use common::{Site, files};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The fixture's `base_url` path: every internal URL starts with it.
const BASE: &str = "/handbook/";

/// Builds the site (a copy of the `theme` fixture) and returns every HTML file by URL (`404`
/// for the not-found page).
fn build(site: &Site) -> BTreeMap<String, String> {
    site.build_on("2025-01-15", &["--quiet"]);
    let mut pages = BTreeMap::new();
    for (rel, path) in files(&site.path("public")) {
        let url = if rel == "404.html" {
            "404".to_string()
        } else if rel.starts_with("planner/") || rel.starts_with("book/") {
            // The planner and the book are standalone print documents with their own layout
            // (tests/planner.rs, tests/book.rs).
            continue;
        } else if let Some(dir) = rel.strip_suffix("index.html") {
            format!("{BASE}{dir}")
        } else {
            continue;
        };
        let html = std::fs::read_to_string(path).expect("read page");
        pages.insert(url, html);
    }
    assert!(pages.len() > 5, "the fixture builds several pages");
    pages
}

/// The `theme` fixture built: the site, and its pages as [`build`] returns them.
fn built() -> (Site, BTreeMap<String, String>) {
    let site = Site::fixture("theme");
    let pages = build(&site);
    (site, pages)
}

/// URLs of the fixture's sections, from its `_index.md` files (`NN-` prefixes dropped).
fn section_urls(root: &Path) -> BTreeSet<String> {
    files(&root.join("content"))
        .into_keys()
        .filter_map(|rel| {
            let dir = rel.strip_suffix("_index.md")?;
            (dir.is_empty() || dir.ends_with('/')).then(|| dir.to_string())
        })
        .map(|dir| {
            let mut url = BASE.to_string();
            for name in dir.split('/').filter(|n| !n.is_empty()) {
                let bare = match name.split_once('-') {
                    Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => rest,
                    _ => name,
                };
                url.push_str(bare);
                url.push('/');
            }
            url
        })
        .collect()
}

/// The opening tags of every `<tag` element.
fn open_tags<'a>(html: &'a str, tag: &str) -> Vec<&'a str> {
    let pat = format!("<{tag}");
    html.match_indices(&pat)
        .filter(|(i, _)| {
            let next = html[i + pat.len()..].chars().next();
            matches!(next, Some(' ' | '>'))
        })
        .map(|(i, _)| &html[i..i + html[i..].find('>').expect("tag closes") + 1])
        .collect()
}

/// The sidebar navigation of a page (it holds no nested `<nav>`).
fn sidebar(html: &str) -> &str {
    let start = html
        .find("<nav class=\"site-nav\"")
        .expect("the page has the sidebar navigation");
    let end = html[start..].find("</nav>").expect("the sidebar closes");
    &html[start..start + end]
}

/// `/handbook/a/b/` → `/handbook/a/`.
fn parent(url: &str) -> &str {
    let trimmed = url.trim_end_matches('/');
    &url[..trimmed.rfind('/').expect("absolute URL") + 1]
}

#[test]
fn every_page_has_landmarks_a_skip_link_and_one_main() {
    let (_, pages) = built();
    for (url, html) in &pages {
        assert!(html.contains("<html lang=\"en\">"), "{url}: language");
        assert_eq!(open_tags(html, "main").len(), 1, "{url}: one <main>");
        assert_eq!(
            open_tags(html, "main")[0],
            "<main id=\"main\" tabindex=\"-1\">"
        );
        let body = &html[html.find("<body").expect("body")..];
        let first_link = open_tags(body, "a")[0];
        assert!(
            first_link.contains("class=\"skip-link\"") && first_link.contains("href=\"#main\""),
            "{url}: the first link skips to the content, found {first_link}"
        );
        // Page headers sit inside <article> and are no landmark; the site header is the banner.
        let banners = open_tags(html, "header")
            .into_iter()
            .filter(|t| !t.contains("page-header"))
            .count();
        assert_eq!(banners, 1, "{url}: one site header");
        assert_eq!(open_tags(html, "footer").len(), 1, "{url}: one footer");
        assert_eq!(open_tags(html, "h1").len(), 1, "{url}: one h1");
    }
}

#[test]
fn every_navigation_landmark_has_a_distinct_label() {
    let (_, pages) = built();
    for (url, html) in &pages {
        let navs = open_tags(html, "nav");
        assert!(!navs.is_empty(), "{url}: has navigation");
        let labels: Vec<String> = navs
            .iter()
            .map(|tag| {
                attr_values(tag, "aria-label")
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| panic!("{url}: unlabelled {tag}"))
            })
            .collect();
        let distinct: BTreeSet<&String> = labels.iter().collect();
        assert_eq!(distinct.len(), labels.len(), "{url}: labels {labels:?}");
        assert!(
            labels.iter().any(|l| l == "Handbook"),
            "{url}: the sidebar is labelled"
        );
    }
    let page = &pages["/handbook/alpha/kitchen-sink/"];
    for label in ["Breadcrumbs", "On this page", "Previous and next"] {
        assert!(page.contains(&format!("aria-label=\"{label}\"")), "{label}");
    }
}

#[test]
fn sidebar_marks_the_current_page_and_nothing_else() {
    let (_, pages) = built();
    for (url, html) in &pages {
        let nav = sidebar(html);
        let current: Vec<String> = nav
            .match_indices("aria-current=\"page\"")
            .map(|(i, _)| {
                let tag_start = nav[..i].rfind("<a ").expect("on a link");
                attr_values(&nav[tag_start..i], "href").remove(0)
            })
            .collect();
        if url == "404" {
            assert!(
                current.is_empty(),
                "the 404 page is no page of the handbook"
            );
        } else {
            assert_eq!(
                current,
                vec![url.as_str()],
                "{url}: the current page is marked"
            );
        }
    }
}

#[test]
fn sidebar_shows_the_current_branch_only() {
    let (site, all) = built();
    let sections = section_urls(&site.root);
    let pages: BTreeSet<&str> = all
        .keys()
        .map(String::as_str)
        .filter(|u| *u != "404" && !sections.contains(*u))
        .collect();
    assert!(
        pages.len() >= 4,
        "the fixture has pages in several sections"
    );
    assert!(
        sections.iter().any(|s| parent(s) != BASE && *s != BASE),
        "the fixture has nested sections"
    );
    for (url, html) in &all {
        if url == "404" {
            continue;
        }
        let here = if sections.contains(url) {
            url.as_str()
        } else {
            parent(url)
        };
        let links: BTreeSet<String> = attr_values(sidebar(html), "href").into_iter().collect();
        // The planner, a standalone page, is linked from every sidebar, and so is Home.
        let planner = format!("{BASE}planner/");
        let book = format!("{BASE}book/");
        assert!(links.contains(&planner), "{url}: misses the planner");
        assert!(links.contains(BASE), "{url}: misses Home");
        assert!(links.contains(&book), "{url}: misses the book");
        // Every link is Home, the planner, the book, a section on the way down to this one, or an item
        // of the current section: no other section's branch.
        for link in &links {
            let on_the_way = sections.contains(link) && here.starts_with(link.as_str());
            assert!(
                *link == planner || *link == book || on_the_way || parent(link) == here,
                "{url}: sidebar links to {link}, off the current branch {here}"
            );
        }
        // Every item of the current section is there, and every section above it.
        for item in pages
            .iter()
            .copied()
            .chain(sections.iter().map(String::as_str))
        {
            if (parent(item) == here && item != BASE)
                || (sections.contains(item) && here.starts_with(item))
            {
                assert!(links.contains(item), "{url}: sidebar misses {item}");
            }
        }
    }
}

#[test]
fn every_section_is_reachable_without_javascript() {
    let (site, all) = built();
    let sections = section_urls(&site.root);
    // Following links (no script runs here) from the home page reaches every section.
    let mut seen = BTreeSet::from([BASE.to_string()]);
    let mut todo = vec![BASE.to_string()];
    while let Some(url) = todo.pop() {
        for link in attr_values(&all[&url], "href") {
            if sections.contains(&link) && seen.insert(link.clone()) {
                todo.push(link);
            }
        }
    }
    assert_eq!(seen, sections);
}

#[test]
fn a_page_does_not_grow_when_sections_are_added() {
    let (site, _) = built();
    let page = "alpha/kitchen-sink/index.html";
    let small = site.output(page);
    for i in 10..40 {
        site.write(
            &format!("content/{i}-extra-{i}/_index.md"),
            &format!("---\ntitle: \"Extra section {i}\"\n---\n"),
        );
        site.write(
            &format!("content/{i}-extra-{i}/page.md"),
            "---\ntitle: \"A page\"\n---\n\nFiller.\n",
        );
    }
    let after = build(&site);
    assert!(
        after.contains_key("/handbook/extra-25/"),
        "the sections were added"
    );
    assert_eq!(small, site.output(page), "a page elsewhere is unchanged");
    assert!(
        sidebar(&after[BASE]).contains("Extra section 25"),
        "the home page lists the new sections"
    );
}

#[test]
fn a_page_does_not_grow_when_other_sections_do() {
    let (site, before) = built();
    let page = "alpha/kitchen-sink/index.html";
    let small = site.output(page);
    for i in 10..50 {
        let text = format!("---\ntitle: \"Extra page {i}\"\n---\n\nFiller.\n");
        site.write(&format!("content/02-beta/{i}-extra-{i}.md"), &text);
    }
    let after = build(&site);
    assert!(after.len() >= before.len() + 40, "pages were added");
    let large = site.output(page);
    assert_eq!(small, large, "a page of another section is unchanged");
    let beta = &after["/handbook/beta/third/"];
    assert!(
        sidebar(beta).contains("Extra page 42"),
        "beta's pages list grew"
    );
}

#[test]
fn theme_loads_nothing_from_the_network() {
    let (site, pages) = built();
    // The only remote URLs allowed are the links an author wrote in the content.
    let mut authored = String::new();
    for path in files(&site.path("content")).values() {
        authored.push_str(&std::fs::read_to_string(path).expect("read content"));
    }
    let mut remote_links = 0;
    for (url, html) in &pages {
        for attr in ["href", "src", "srcset", "action", "poster"] {
            for value in attr_values(html, attr) {
                let remote = value.starts_with("http:")
                    || value.starts_with("https:")
                    || value.starts_with("//");
                if remote {
                    assert!(authored.contains(&value), "{url}: {attr}=\"{value}\"");
                    remote_links += 1;
                }
            }
        }
    }
    assert!(remote_links > 0, "the content's external link is kept");
    let css = site.output("rapport.css");
    assert!(!css.contains("@import"), "no imported stylesheets");
    assert!(!css.contains("@font-face"), "system fonts only");
    for (i, _) in css.match_indices("url(") {
        let arg = &css[i + 4..];
        assert!(
            !(arg.starts_with("http") || arg.starts_with("\"http") || arg.starts_with("'http")),
            "remote url in the stylesheet"
        );
    }
    // Both schemes: the system's by default, the reader's choice when made.
    assert!(css.contains("color-scheme: light dark"));
    assert!(css.contains("light-dark("));
    assert!(css.contains(":root[data-theme=\"dark\"] { color-scheme: dark; }"));
}

#[test]
fn the_chosen_colour_scheme_is_set_before_the_first_paint() {
    let (site, pages) = built();
    let planner = site.output("planner/index.html");
    for (url, html) in pages.iter().chain([(&"planner".to_string(), &planner)]) {
        let head = &html[..html.find("</head>").expect("a head")];
        // A plain inline script in the head, before any stylesheet: it runs before the first
        // paint, so a page never shows in the other scheme first.
        let script = head.find("<script>").expect("the scheme script");
        let sheet = head.find("<link rel=\"stylesheet\"").expect("a stylesheet");
        assert!(
            script < sheet,
            "{url}: the scheme is set before the styles load"
        );
        assert!(
            head[script..].contains("localStorage.getItem(key)"),
            "{url}"
        );
        // The switch is in the page, hidden until the script shows it.
        assert!(
            html.contains("<div class=\"theme-switch\" hidden>")
                && html.contains("<select id=\"theme-select\" autocomplete=\"off\">"),
            "{url}: the switch"
        );
    }
}

/// The rules of a CSS block as (selectors, declarations), for flat blocks.
fn rules(block: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = block;
    while let Some(open) = rest.find('{') {
        let close = open + rest[open..].find('}').expect("rule closes");
        let selector = rest[..open].rsplit(['}', ';']).next().unwrap_or("").trim();
        out.push((selector, &rest[open + 1..close]));
        rest = &rest[close + 1..];
    }
    out
}

/// The body of the `@media print { … }` block.
fn print_block(css: &str) -> &str {
    let start = css.find("@media print {").expect("a print stylesheet") + "@media print {".len();
    let mut depth = 1;
    for (i, c) in css[start..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return &css[start..start + i];
                }
            }
            _ => {}
        }
    }
    panic!("the print block does not close");
}

#[test]
fn print_stylesheet_hides_the_chrome_and_keeps_headings_with_their_text() {
    let (site, pages) = built();
    let css = site.output("rapport.css");
    let print = rules(print_block(&css));
    let hidden: Vec<&str> = print
        .iter()
        .filter(|(_, decl)| decl.contains("display: none"))
        .flat_map(|(sel, _)| sel.split(',').map(str::trim))
        .collect();
    let page = &pages["/handbook/alpha/kitchen-sink/"];
    for class in [
        "skip-link",
        "site-header",
        "sidebar",
        "breadcrumbs",
        "prev-next",
        "heading-anchor",
        "site-footer",
    ] {
        assert!(
            hidden.contains(&format!(".{class}").as_str()),
            "print hides .{class}"
        );
        assert!(
            page.contains(&format!("class=\"{class}")),
            "the page has .{class} to hide"
        );
    }
    let declares = |selector: &str, decl: &str| {
        print
            .iter()
            .any(|(sel, body)| sel.split(',').any(|s| s.trim() == selector) && body.contains(decl))
    };
    for heading in ["h1", "h2", "h3"] {
        assert!(
            declares(heading, "break-after: avoid"),
            "{heading} stays with its text"
        );
    }
    for unit in ["tr", "li", "figure"] {
        assert!(declares(unit, "break-inside: avoid"), "{unit} is not split");
    }
    assert!(declares("body", "color: #000"), "black text");
    assert!(declares("body", "background: #fff"), "white paper");
}

/// Measures the page in the browser and writes `key value` lines into `<pre id="probe">`.
const PROBE: &str = r#"<script>
const out = [];
const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
const background = el => { for (; el; el = el.parentElement) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.length === 3 || c[3] > 0) return c; } return [255, 255, 255]; };
const visible = el => el.checkVisibility({visibilityProperty: true});
const report = prefix => {
  out.push(`${prefix}nav ${visible(document.querySelector('.site-nav a')) ? 1 : 0}`);
  out.push(`${prefix}summary ${visible(document.querySelector('.nav-toggle > summary')) ? 1 : 0}`);
};
report('');
out.push(`background ${lum(background(document.body)).toFixed(3)}`);
// Open the menu (a no-op on wide screens) so that its links are measured on narrow ones too.
document.querySelector('details.nav-toggle').open = true;
report('open-');
const selectors = ['body', '.lead', '.prose p', '.prose a', '.breadcrumbs a', '.nav-tree a',
  '.nav-tree ul a:not([aria-current])', '.nav-tree a[aria-current]', '.toc a', '.toc-title', 'code', 'th', 'td',
  '.alert-note .alert-title', '.alert-tip .alert-title', '.alert-important .alert-title',
  '.alert-warning .alert-title', '.alert-caution .alert-title', '.alert p:not(.alert-title)',
  '.badge-ok', '.badge-due', '.badge-overdue', '.footnote-definition', '.prev-next-label',
  '.prev-next-title', '.cards a', '.cards p', '.site-footer', '.site-title', '.heading-anchor'];
for (const sel of selectors) {
  const el = document.querySelector(sel);
  if (!el || !visible(el)) continue;
  const fg = lum(rgb(getComputedStyle(el).color)), bg = lum(background(el));
  const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
  out.push(`contrast ${ratio.toFixed(2)} ${sel}`);
}
const pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = out.join('\n');
document.body.append(pre);
</script>"#;

/// Runs Chromium on `url` at `width` and returns the probe's lines.
fn probe(url: &str, width: u32, dark: bool) -> BTreeMap<String, Vec<String>> {
    let size = format!("--window-size={width},900");
    let mut flags = vec!["--hide-scrollbars", size.as_str()];
    if dark {
        flags.push("--force-dark-mode");
    }
    let dom = dump_dom(url, &flags);
    let start = dom.find("<pre id=\"probe\">").expect("the probe ran") + 16;
    let end = start + dom[start..].find("</pre>").expect("probe closes");
    let mut lines: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in dom[start..end].lines() {
        let (key, value) = line.split_once(' ').expect("key value");
        lines.entry(key.into()).or_default().push(value.into());
    }
    lines
}

#[test]
#[ignore = "needs chromium"]
fn layout_colour_schemes_and_contrast_in_chromium() {
    let (site, _) = built();
    let html = site.output("alpha/kitchen-sink/index.html");
    let probed = html.replace("</body>", &format!("{PROBE}</body>"));
    site.write("public/alpha/kitchen-sink/probe.html", &probed);
    let port = serve_static(&site.path("public"), BASE);
    let url = format!("http://127.0.0.1:{port}{BASE}alpha/kitchen-sink/probe.html");

    let one = |m: &BTreeMap<String, Vec<String>>, k: &str| m[k][0].clone();
    let wide = probe(&url, 1280, false);
    assert_eq!(one(&wide, "nav"), "1", "wide: the sidebar shows");
    assert_eq!(one(&wide, "summary"), "0", "wide: no menu toggle");
    let narrow = probe(&url, 390, false);
    assert_eq!(one(&narrow, "nav"), "0", "narrow: the menu starts closed");
    assert_eq!(
        one(&narrow, "summary"),
        "1",
        "narrow: the menu toggle shows"
    );
    assert_eq!(
        one(&narrow, "open-nav"),
        "1",
        "narrow: opening the menu shows it"
    );
    let dark = probe(&url, 1280, true);

    let light_bg: f64 = one(&wide, "background").parse().expect("number");
    let dark_bg: f64 = one(&dark, "background").parse().expect("number");
    assert!(light_bg > 0.8, "light scheme: light paper ({light_bg})");
    assert!(dark_bg < 0.05, "dark scheme: dark paper ({dark_bg})");
    for (scheme, m) in [("light", &wide), ("dark", &dark), ("narrow", &narrow)] {
        let checked = &m["contrast"];
        assert!(checked.len() >= 25, "{scheme}: measured {checked:?}");
        for entry in checked {
            let (ratio, selector) = entry.split_once(' ').expect("ratio selector");
            let ratio: f64 = ratio.parse().expect("number");
            assert!(ratio >= 4.5, "{scheme}: {selector} has contrast {ratio}");
        }
    }
}
