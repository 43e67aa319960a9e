//! The default theme's promises, checked on the fixture handbook in tests/fixtures/theme built
//! with the real binary: landmarks and a skip link, labelled navigation, the current page marked
//! in the sidebar, a sidebar that lists the current section's pages only (so pages do not grow
//! with the site), nothing loaded from the network, a print stylesheet that hides the chrome.
//! The ignored test measures layout, both colour schemes and text contrast in headless Chromium.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The fixture's `base_url` path: every internal URL starts with it.
const BASE: &str = "/handbook/";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/theme")
}

fn build(root: &Path, out: &Path) {
    let output = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["build", "--quiet", "--today", "2025-01-15", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .expect("run rapport");
    assert!(
        output.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The built fixture: its folder, and every HTML file by URL (`404` for the not-found page).
struct Built {
    _dir: tempfile::TempDir,
    out: PathBuf,
    pages: BTreeMap<String, String>,
}

fn build_fixture(root: &Path) -> Built {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("public");
    build(root, &out);
    let mut pages = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&out).sort_by_file_name() {
        let entry = entry.expect("walk output");
        let rel = entry.path().strip_prefix(&out).expect("inside output");
        let rel = rel.to_string_lossy().replace('\\', "/");
        let url = if rel == "404.html" {
            "404".to_string()
        } else if rel.starts_with("planner/") {
            // The planner is a standalone print document with its own layout (tests/planner.rs).
            continue;
        } else if let Some(dir) = rel.strip_suffix("index.html") {
            format!("{BASE}{dir}")
        } else {
            continue;
        };
        let html = std::fs::read_to_string(entry.path()).expect("read page");
        pages.insert(url, html);
    }
    assert!(pages.len() > 5, "the fixture builds several pages");
    Built {
        _dir: dir,
        out,
        pages,
    }
}

/// URLs of the fixture's sections, from its `_index.md` files (`NN-` prefixes dropped).
fn section_urls(root: &Path) -> BTreeSet<String> {
    let content = root.join("content");
    walkdir::WalkDir::new(&content)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "_index.md")
        .map(|e| {
            let dir = e.path().parent().expect("has a folder");
            let rel = dir.strip_prefix(&content).expect("inside content");
            let mut url = BASE.to_string();
            for part in rel.components() {
                let name = part.as_os_str().to_string_lossy();
                let bare = match name.split_once('-') {
                    Some((n, rest)) if n.chars().all(|c| c.is_ascii_digit()) => rest,
                    _ => &name,
                };
                url.push_str(bare);
                url.push('/');
            }
            url
        })
        .collect()
}

/// The values of every `name="…"` attribute in `html`.
fn attr_values<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let pat = format!(" {name}=\"");
    html.match_indices(&pat)
        .filter_map(|(i, _)| {
            let rest = &html[i + pat.len()..];
            rest.find('"').map(|end| &rest[..end])
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
    let site = build_fixture(&fixture());
    for (url, html) in &site.pages {
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
    let site = build_fixture(&fixture());
    for (url, html) in &site.pages {
        let navs = open_tags(html, "nav");
        assert!(!navs.is_empty(), "{url}: has navigation");
        let labels: Vec<&str> = navs
            .iter()
            .map(|tag| {
                attr_values(tag, "aria-label")
                    .first()
                    .copied()
                    .unwrap_or_else(|| panic!("{url}: unlabelled {tag}"))
            })
            .collect();
        let distinct: BTreeSet<&&str> = labels.iter().collect();
        assert_eq!(distinct.len(), labels.len(), "{url}: labels {labels:?}");
        assert!(
            labels.contains(&"Handbook"),
            "{url}: the sidebar is labelled"
        );
    }
    let page = &site.pages["/handbook/alpha/kitchen-sink/"];
    for label in ["Breadcrumbs", "On this page", "Previous and next"] {
        assert!(page.contains(&format!("aria-label=\"{label}\"")), "{label}");
    }
}

#[test]
fn sidebar_marks_the_current_page_and_nothing_else() {
    let site = build_fixture(&fixture());
    for (url, html) in &site.pages {
        let nav = sidebar(html);
        let current: Vec<&str> = nav
            .match_indices("aria-current=\"page\"")
            .map(|(i, _)| {
                let tag_start = nav[..i].rfind("<a ").expect("on a link");
                attr_values(&nav[tag_start..i], "href")[0]
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
fn sidebar_lists_the_sections_and_only_the_current_sections_pages() {
    let root = fixture();
    let site = build_fixture(&root);
    let sections = section_urls(&root);
    let pages: BTreeSet<&str> = site
        .pages
        .keys()
        .map(String::as_str)
        .filter(|u| *u != "404" && !sections.contains(*u))
        .collect();
    assert!(
        pages.len() >= 4,
        "the fixture has pages in several sections"
    );
    for (url, html) in &site.pages {
        if url == "404" {
            continue;
        }
        let here = if sections.contains(url) {
            url.as_str()
        } else {
            parent(url)
        };
        let links: BTreeSet<&str> = attr_values(sidebar(html), "href").into_iter().collect();
        // The planner, a standalone page, is linked from every sidebar.
        let planner = format!("{BASE}planner/");
        assert!(
            links.contains(planner.as_str()),
            "{url}: misses the planner"
        );
        for link in &links {
            if !sections.contains(*link) && *link != planner {
                assert_eq!(parent(link), here, "{url}: sidebar links to {link}");
            }
        }
        // Every page of the current section is there, and every top-level section.
        for page in pages.iter().filter(|p| parent(p) == here) {
            assert!(links.contains(page), "{url}: sidebar misses {page}");
        }
        for section in sections.iter().filter(|s| parent(s) == BASE) {
            assert!(links.contains(section.as_str()), "{url}: misses {section}");
        }
    }
}

#[test]
fn a_page_does_not_grow_when_other_sections_do() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path().join("site");
    for entry in walkdir::WalkDir::new(fixture()) {
        let entry = entry.expect("walk fixture");
        let dest = root.join(entry.path().strip_prefix(fixture()).expect("inside"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
    let page = "alpha/kitchen-sink/index.html";
    let before = build_fixture(&root);
    let small = std::fs::read(before.out.join(page)).expect("page");
    for i in 10..50 {
        let text = format!("---\ntitle: \"Extra page {i}\"\n---\n\nFiller.\n");
        std::fs::write(root.join(format!("content/02-beta/{i}-extra-{i}.md")), text)
            .expect("write");
    }
    let after = build_fixture(&root);
    assert!(
        after.pages.len() >= before.pages.len() + 40,
        "pages were added"
    );
    let large = std::fs::read(after.out.join(page)).expect("page");
    assert_eq!(
        String::from_utf8_lossy(&small),
        String::from_utf8_lossy(&large),
        "a page of another section is unchanged"
    );
    let beta = &after.pages["/handbook/beta/third/"];
    assert!(
        sidebar(beta).contains("Extra page 42"),
        "beta's pages list grew"
    );
}

#[test]
fn theme_loads_nothing_from_the_network() {
    let root = fixture();
    let site = build_fixture(&root);
    // The only remote URLs allowed are the links an author wrote in the content.
    let mut authored = String::new();
    for entry in walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_file() {
            authored.push_str(&std::fs::read_to_string(entry.path()).expect("read content"));
        }
    }
    let mut remote_links = 0;
    for (url, html) in &site.pages {
        for attr in ["href", "src", "srcset", "action", "poster"] {
            for value in attr_values(html, attr) {
                let remote = value.starts_with("http:")
                    || value.starts_with("https:")
                    || value.starts_with("//");
                if remote {
                    assert!(authored.contains(value), "{url}: {attr}=\"{value}\"");
                    remote_links += 1;
                }
            }
        }
    }
    assert!(remote_links > 0, "the content's external link is kept");
    let css = std::fs::read_to_string(site.out.join("rapport.css")).expect("stylesheet");
    assert!(!css.contains("@import"), "no imported stylesheets");
    assert!(!css.contains("@font-face"), "system fonts only");
    for (i, _) in css.match_indices("url(") {
        let arg = &css[i + 4..];
        assert!(
            !(arg.starts_with("http") || arg.starts_with("\"http") || arg.starts_with("'http")),
            "remote url in the stylesheet"
        );
    }
    assert!(css.contains("@media (prefers-color-scheme: dark)"));
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
    let site = build_fixture(&fixture());
    let css = std::fs::read_to_string(site.out.join("rapport.css")).expect("stylesheet");
    let print = rules(print_block(&css));
    let hidden: Vec<&str> = print
        .iter()
        .filter(|(_, decl)| decl.contains("display: none"))
        .flat_map(|(sel, _)| sel.split(',').map(str::trim))
        .collect();
    let page = &site.pages["/handbook/alpha/kitchen-sink/"];
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

/// Serves `root` at BASE over HTTP on a free local port, for the browser.
fn serve(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            let path = line.split(' ').nth(1).unwrap_or("/");
            let rel = path.strip_prefix(BASE).unwrap_or("\u{0}");
            let mut file = root.join(rel);
            if rel.is_empty() || rel.ends_with('/') {
                file = file.join("index.html");
            }
            let kind = match file.extension().and_then(|e| e.to_str()) {
                Some("css") => "text/css",
                Some("svg") => "image/svg+xml",
                _ => "text/html; charset=utf-8",
            };
            let mut stream = &stream;
            let _ = match std::fs::read(&file) {
                Ok(body) => write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                )
                .and_then(|_| stream.write_all(&body)),
                Err(_) => write!(
                    stream,
                    "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                ),
            };
        }
    });
    port
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
    let profile = tempfile::tempdir().expect("profile dir");
    let mut cmd = Command::new("/usr/bin/chromium");
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .arg(format!("--window-size={width},900"));
    if dark {
        cmd.arg("--force-dark-mode");
    }
    let output = cmd
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&output.stdout);
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
    let site = build_fixture(&fixture());
    let page = site.out.join("alpha/kitchen-sink/index.html");
    let html = std::fs::read_to_string(&page).expect("page");
    let probed = html.replace("</body>", &format!("{PROBE}</body>"));
    std::fs::write(site.out.join("alpha/kitchen-sink/probe.html"), probed).expect("write");
    let port = serve(site.out.clone());
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
