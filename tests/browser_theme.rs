//! The default theme judged in a real browser and by outside tools, over every built page of
//! the bundled handbook, the `rapport init` handbook and the test fixtures:
//!
//! - the W3C Nu HTML checker (npm `vnu-jar`, run with Java) reports no error;
//! - axe-core (npm `axe-core`, injected into headless Chromium) reports no WCAG 2.1 A/AA
//!   violation, in the light and in the dark colour scheme;
//! - every text node contrasts with its background (4.5:1, 3:1 for large text), computed in the
//!   page, in both schemes;
//! - no page scrolls sideways at 360, 390, 768 or 1280 px;
//! - screenshots of the main page kinds land in `target/screenshots/` for people to look at;
//! - search forgives a typo and highlights what matched; checklist ticks last for their period.
//!
//! The judges come from the root `package.json` (`npm ci`, as `.ci/run` does); every test here
//! is ignored by default, like the other Chromium tests.

#![cfg(feature = "browser-tests")]

mod common;

use common::browser::{Chromium, serve_static};
use common::{Site, files, repo};
use headless_chrome::Tab;
use headless_chrome::protocol::cdp::{Emulation, Page};
use std::path::PathBuf;
use std::sync::Arc;

/// The build date of every site here.
const TODAY: &str = "2026-12-01";

/// A built handbook, served on a loopback port at `/`.
struct Built {
    name: String,
    _site: Site,
    out: PathBuf,
    port: u16,
}

impl Built {
    /// Every page's URL path: folders by their `index.html`, and the not-found page.
    fn pages(&self) -> Vec<String> {
        files(&self.out)
            .into_keys()
            .filter_map(|rel| {
                if rel == "404.html" {
                    Some("/no-such-page/".to_string())
                } else {
                    rel.strip_suffix("index.html").map(|dir| format!("/{dir}"))
                }
            })
            .collect()
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

fn serve(name: &str, site: Site, out: PathBuf) -> Built {
    let port = serve_static(&out, "/");
    Built {
        name: name.to_string(),
        _site: site,
        out,
        port,
    }
}

/// The repository's bundled handbook.
fn bundled() -> Built {
    let site = Site::bundled(TODAY, &["--quiet", "--base-url", "/"]);
    let out = site.path("public");
    serve("bundled", site, out)
}

/// The handbook `rapport init` writes, and every fixture that builds, each served.
fn others() -> Vec<Built> {
    let mut all = Vec::new();
    let init = Site::bare();
    init.run(&["init", "--quiet", "hb"]).success();
    init.run(&[
        "build",
        "--quiet",
        "--root",
        "hb",
        "--today",
        TODAY,
        "--base-url",
        "/",
    ])
    .success();
    let out = init.path("hb/public");
    all.push(serve("init", init, out));
    let mut names: Vec<String> = std::fs::read_dir(repo().join("tests/fixtures"))
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let site = Site::fixture(&name);
        site.build_on(TODAY, &["--quiet", "--base-url", "/"]);
        let out = site.path("public");
        all.push(serve(&format!("fixture {name}"), site, out));
    }
    all
}

fn node_module(rel: &str) -> PathBuf {
    let path = repo().join("node_modules").join(rel);
    assert!(
        path.exists(),
        "{} is missing: run `npm ci` in the repository first",
        path.display()
    );
    path
}

/// A tab of `browser` at `width` × `height` CSS pixels in the colour scheme `scheme`.
fn new_tab(browser: &Chromium, width: u32, height: u32, scheme: &str) -> Arc<Tab> {
    let tab = browser.new_tab().expect("new tab");
    size(&tab, width, height);
    tab.call_method(Emulation::SetEmulatedMedia {
        media: None,
        features: Some(vec![Emulation::MediaFeature {
            name: "prefers-color-scheme".into(),
            value: scheme.into(),
        }]),
    })
    .expect("emulate the colour scheme");
    tab
}

fn size(tab: &Tab, width: u32, height: u32) {
    tab.call_method(Emulation::SetDeviceMetricsOverride {
        width,
        height,
        device_scale_factor: 1.0,
        mobile: false,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    })
    .expect("set the viewport");
}

fn open(tab: &Tab, url: &str) {
    tab.navigate_to(url)
        .and_then(|t| t.wait_until_navigated())
        .unwrap_or_else(|e| panic!("cannot load {url}: {e}"));
}

/// The string a script evaluates to (awaiting a promise).
fn eval(tab: &Tab, js: &str) -> String {
    let value = tab
        .evaluate(js, true)
        .unwrap_or_else(|e| panic!("script failed: {e}\n{js}"))
        .value;
    match value {
        Some(serde_json::Value::String(s)) => s,
        other => panic!("the script returned {other:?}"),
    }
}

#[test]
#[ignore = "needs java and `npm ci` (vnu-jar)"]
fn the_nu_html_checker_finds_no_error_on_any_page() {
    let jar = node_module("vnu-jar/build/dist/vnu.jar");
    let mut sites = vec![bundled()];
    sites.extend(others());
    let output = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "json", "--skip-non-html"])
        .args(sites.iter().map(|s| &s.out))
        .output()
        .expect("run java");
    let report: serde_json::Value =
        serde_json::from_slice(&output.stderr).expect("the checker writes JSON");
    let messages = report["messages"].as_array().expect("messages");
    let pages: usize = sites.iter().map(|s| s.pages().len()).sum();
    assert!(pages > 60, "checked {pages} pages");
    let errors: Vec<String> = messages
        .iter()
        .map(|m| {
            format!(
                "{}:{}: {}",
                m["url"].as_str().unwrap_or(""),
                m["lastLine"],
                m["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    assert!(
        errors.is_empty(),
        "{} errors in {pages} pages:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

/// Runs axe-core on the page in `tab` and returns one line per violation and node.
fn axe(tab: &Tab, source: &str) -> Vec<String> {
    tab.evaluate(source, false).expect("inject axe-core");
    let js = r#"axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})
      .then(r => JSON.stringify(r.violations.flatMap(v => v.nodes.map(n => `${v.id}: ${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`))))"#;
    serde_json::from_str(&eval(tab, js)).expect("a list")
}

#[test]
#[ignore = "needs chromium and `npm ci` (axe-core)"]
fn axe_finds_no_violation_in_either_colour_scheme() {
    let source = std::fs::read_to_string(node_module("axe-core/axe.min.js")).expect("axe");
    let browser = Chromium::launch();
    let mut sites = vec![bundled()];
    // A fixture whose static/rapport.css replaces the theme's stylesheet (the serve tests'
    // stand-in) has no theme to judge.
    sites.extend(
        others()
            .into_iter()
            .filter(|s| !s.out.with_file_name("static/rapport.css").exists()),
    );
    let mut found = Vec::new();
    let mut checked = 0;
    for scheme in ["light", "dark"] {
        let tab = new_tab(&browser, 1280, 900, scheme);
        for site in &sites {
            for page in site.pages() {
                open(&tab, &site.url(&page));
                for v in axe(&tab, &source) {
                    found.push(format!("{} {page} ({scheme}): {v}", site.name));
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 120, "checked {checked} pages");
    assert!(
        found.is_empty(),
        "{} violations over {checked} page views:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// The contrast of every visible text node of the page against what is painted behind it,
/// with the opacity of its ancestors: one line per node under 4.5:1 (3:1 for large text).
const CONTRAST: &str = r#"(() => {
  const parse = s => { const m = (s.match(/[\d.]+/g) || []).map(Number); return m.length === 3 ? m.concat(1) : m; };
  const lum = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3])).concat(1);
  const behind = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    let colour = layers.length && layers[layers.length - 1][3] >= 1 ? [] : [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) colour = colour.length ? over(layers[i], colour) : layers[i];
    return colour;
  };
  const bad = [];
  let measured = 0;
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const el = n.parentElement;
    if (!n.data.trim() || !el || el.closest('script, style, noscript')) continue;
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const range = document.createRange(); range.selectNodeContents(n);
    const box = range.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    let opacity = 1;
    for (let e = el; e; e = e.parentElement) opacity *= +getComputedStyle(e).opacity;
    const style = getComputedStyle(el);
    const bg = behind(el);
    let fg = parse(style.color); fg = over([fg[0], fg[1], fg[2], fg[3] * opacity], bg);
    const [a, b] = [lum(fg), lum(bg)];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), weight = +style.fontWeight;
    const large = size >= 24 || (size >= 18.66 && weight >= 700);
    measured++;
    if (ratio < (large ? 3 : 4.5)) {
      const path = []; for (let e = el; e && e !== document.body && path.length < 4; e = e.parentElement) path.unshift(e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : ''));
      bad.push(`${ratio.toFixed(2)} ${path.join(' > ')} "${n.data.trim().slice(0, 40)}"`);
    }
  }
  return JSON.stringify({ measured, bad });
})()"#;

/// `[measured, failures]` of [`CONTRAST`] on the page in `tab`.
fn contrast(tab: &Tab) -> (u64, Vec<String>) {
    let v: serde_json::Value = serde_json::from_str(&eval(tab, CONTRAST)).expect("JSON");
    let bad = v["bad"].as_array().expect("list");
    (
        v["measured"].as_u64().expect("count"),
        bad.iter()
            .map(|b| b.as_str().unwrap_or("").to_string())
            .collect(),
    )
}

#[test]
#[ignore = "needs chromium"]
fn every_text_contrasts_with_its_background_in_both_schemes() {
    let site = bundled();
    let browser = Chromium::launch();
    let mut failures = Vec::new();
    for (scheme, width) in [
        ("light", 1280),
        ("dark", 1280),
        ("light", 390),
        ("dark", 390),
    ] {
        let tab = new_tab(&browser, width, 900, scheme);
        for page in site.pages() {
            open(&tab, &site.url(&page));
            // The scheme the page shows is the one asked for.
            let paper = eval(&tab, "getComputedStyle(document.body).backgroundColor");
            let red: u32 = paper
                .trim_start_matches("rgb(")
                .split(',')
                .next()
                .and_then(|r| r.trim().parse().ok())
                .expect("an rgb() colour");
            assert_eq!(
                red < 128,
                scheme == "dark",
                "{page} in {scheme}: body {paper}"
            );
            let (measured, bad) = contrast(&tab);
            assert!(measured > 10, "{page}: measured {measured} texts");
            failures.extend(
                bad.into_iter()
                    .map(|b| format!("{page} ({scheme}, {width}px): {b}")),
            );
        }
    }
    // The reader's own choice wins over the system's, and survives a reload.
    let tab = new_tab(&browser, 1280, 900, "light");
    open(&tab, &site.url("/people/stakeholder-map/"));
    eval(
        &tab,
        "(() => { const s = document.getElementById('theme-select'); s.value = 'dark'; s.dispatchEvent(new Event('change')); return s.value; })()",
    );
    tab.reload(false, None).expect("reload");
    tab.wait_until_navigated().expect("reloaded");
    // The switch is set once the document has loaded.
    for _ in 0..100 {
        if eval(&tab, "document.readyState") == "complete" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(
        eval(
            &tab,
            "document.documentElement.dataset.theme + ' ' + document.getElementById('theme-select').value"
        ),
        "dark dark"
    );
    let paper = eval(&tab, "getComputedStyle(document.body).backgroundColor");
    assert_eq!(paper, "rgb(17, 21, 24)", "dark paper on a light system");
    let (_, bad) = contrast(&tab);
    failures.extend(bad.into_iter().map(|b| format!("chosen dark: {b}")));
    assert!(
        failures.is_empty(),
        "{} texts under the contrast threshold:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
#[ignore = "needs chromium"]
fn no_page_scrolls_sideways_and_phones_get_cards() {
    let site = bundled();
    let browser = Chromium::launch();
    let mut wide = Vec::new();
    // Against the width left beside a vertical scroll bar (`clientWidth`), not only the
    // window's (`innerWidth`, which counts the bar): a page that overflows by less than the
    // bar still scrolls sideways.
    for width in [360, 390, 768, 1280] {
        let tab = new_tab(&browser, width, 800, "light");
        for page in site.pages() {
            open(&tab, &site.url(&page));
            let sizes = eval(
                &tab,
                "(() => { const t = document.querySelector('.site-title span'); const lines = t ? Math.round(t.getBoundingClientRect().height / parseFloat(getComputedStyle(t).lineHeight)) : 0; return document.documentElement.scrollWidth + ' ' + Math.min(innerWidth, document.documentElement.clientWidth) + ' ' + lines; })()",
            );
            let n: Vec<u32> = sizes
                .split(' ')
                .map(|v| v.parse().expect("number"))
                .collect();
            if n[0] > n[1] {
                wide.push(format!("{page} at {width}px: {} > {}", n[0], n[1]));
            }
            assert!(
                n[2] <= 2,
                "{page} at {width}px: the title takes {} lines",
                n[2]
            );
        }
    }
    assert!(
        wide.is_empty(),
        "pages wider than the screen:\n{}",
        wide.join("\n")
    );

    // On a phone a person is a card: its due date and status above the name, every value
    // named; on a wide screen it is a table row.
    let layout = |width| {
        let tab = new_tab(&browser, width, 800, "light");
        open(&tab, &site.url("/people/stakeholder-map/"));
        eval(
            &tab,
            "(() => { const tr = document.querySelector('tr[data-person]'); const due = tr.querySelector('.next-due').getBoundingClientRect().top, name = tr.querySelector('th').getBoundingClientRect().top; const label = getComputedStyle(tr.querySelector('td[data-label=Role]'), '::before').content; return getComputedStyle(tr).display + ' ' + (due < name) + ' ' + label; })()",
        )
    };
    assert_eq!(layout(390), "flex true \"Role: \"");
    assert_eq!(layout(1280), "table-row false none");
}

/// The pages screenshotted, by name.
const SHOTS: [(&str, &str); 8] = [
    ("home", "/"),
    ("guide", "/people/recruiters/"),
    ("stakeholders", "/people/stakeholder-map/"),
    ("checklist", "/time/networking-checklist/"),
    ("schedule", "/time/networking-calendar/"),
    ("table", "/visibility/review-preparation/"),
    ("log", "/visibility/contribution-log-template/"),
    ("planner", "/planner/"),
];

#[test]
#[ignore = "needs chromium"]
fn screenshots_of_every_page_kind_in_both_schemes() {
    let site = bundled();
    let dir = repo().join("target/screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    let browser = Chromium::launch();
    for scheme in ["light", "dark"] {
        for width in [390, 1280] {
            let tab = new_tab(&browser, width, 900, scheme);
            for (name, page) in SHOTS {
                open(&tab, &site.url(page));
                // The whole page, up to a few screens.
                let height: u32 = eval(&tab, "String(document.documentElement.scrollHeight)")
                    .parse()
                    .expect("height");
                size(&tab, width, height.clamp(600, 3200));
                let png = tab
                    .capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
                    .expect("screenshot");
                assert!(png.starts_with(b"\x89PNG"), "{name}: a PNG");
                let file = dir.join(format!("{name}-{scheme}-{width}.png"));
                std::fs::write(&file, png).expect("write screenshot");
                size(&tab, width, 900);
            }
        }
    }
}

/// An init script that fixes the page's clock at noon on `day` (YYYY-MM-DD), local time.
fn clock(tab: &Tab, day: &str) -> String {
    let source = format!(
        "(() => {{ const [y, m, d] = '{day}'.split('-').map(Number); const fixed = new Date(y, m - 1, d, 12).getTime(); const Real = Date;
          class Fixed extends Real {{ constructor(...a) {{ if (a.length) super(...a); else super(fixed); }} static now() {{ return fixed; }} }}
          window.Date = Fixed; }})()"
    );
    tab.call_method(Page::AddScriptToEvaluateOnNewDocument {
        source,
        world_name: None,
        include_command_line_api: None,
        run_immediately: None,
    })
    .expect("add the clock")
    .identifier
}

fn unclock(tab: &Tab, id: String) {
    tab.call_method(Page::RemoveScriptToEvaluateOnNewDocument { identifier: id })
        .expect("remove the clock");
}

#[test]
#[ignore = "needs chromium"]
fn checklist_ticks_last_for_their_period() {
    let site = bundled();
    let browser = Chromium::launch();
    let tab = new_tab(&browser, 1280, 900, "light");
    let url = site.url("/time/networking-checklist/");
    let state = "(() => ['weekly', 'monthly'].map(c => { const g = document.querySelector(`[data-cadence=${c}]`); return c + ':' + [...g.querySelectorAll('input')].map(b => b.checked ? 1 : 0).join(''); }).join(' ') + ' | ' + document.querySelector('[data-cadence=weekly] .checklist-period').textContent)()";
    let tick = |c: &str| {
        tab.find_element(&format!("[data-cadence={c}] li:first-child input"))
            .expect("a check box")
            .click()
            .expect("tick");
    };

    // Wednesday 2 December 2026: tick the first weekly and the first monthly item.
    let id = clock(&tab, "2026-12-02");
    open(&tab, &url);
    assert!(
        eval(
            &tab,
            "String(document.querySelectorAll('.checklist .print-only').length > 0 && [...document.querySelectorAll('.print-only')].every(e => !e.checkVisibility()))"
        ) == "true",
        "the paper-only rows are there, and hidden on screen"
    );
    tick("weekly");
    tick("monthly");
    open(&tab, &url);
    let ticked = eval(&tab, state);
    assert!(ticked.starts_with("weekly:1000 monthly:10"), "{ticked}");
    assert!(ticked.ends_with("1 of 4 ticked this week."), "{ticked}");

    // The Monday after, the week's ticks are gone, the month's stay.
    unclock(&tab, id);
    let id = clock(&tab, "2026-12-07");
    open(&tab, &url);
    assert!(eval(&tab, state).starts_with("weekly:0000 monthly:10"));
    // "Clear ticks" empties the month.
    tab.find_element("[data-cadence=monthly] .checklist-clear")
        .expect("the clear button")
        .click()
        .expect("clear");
    open(&tab, &url);
    assert!(eval(&tab, state).starts_with("weekly:0000 monthly:00"));
    tick("monthly");

    // January: December's ticks are gone.
    unclock(&tab, id);
    clock(&tab, "2027-01-04");
    open(&tab, &url);
    assert!(eval(&tab, state).starts_with("weekly:0000 monthly:00"));
}

#[test]
#[ignore = "needs chromium"]
fn dates_are_computed_again_on_the_readers_day() {
    let site = bundled();
    // The same handbook built on the day it is read: what the script computes must be what
    // the build computes for that day.
    let later = Site::bundled("2027-03-15", &["--quiet", "--base-url", "/"]);
    let later_out = later.path("public");
    let later = serve("bundled on 15 March", later, later_out);
    let browser = Chromium::launch();
    let tab = new_tab(&browser, 1280, 900, "light");
    let next_dates = "[...document.querySelectorAll('tr[data-block]')].map(r => [...r.querySelectorAll('.next-dates time')].map(t => t.getAttribute('datetime')).join(',')).join(' ')";
    open(&tab, &later.url("/time/networking-calendar/"));
    let built_then = eval(&tab, next_dates);
    // Built on 1 December 2026, read on 15 March 2027.
    clock(&tab, "2027-03-15");
    open(&tab, &site.url("/time/networking-calendar/"));
    let next = eval(&tab, next_dates);
    let blocks: Vec<&str> = next.split(' ').collect();
    assert!(blocks.len() >= 3, "{next}");
    for b in &blocks {
        let dates: Vec<&str> = b.split(',').collect();
        assert_eq!(dates.len(), 3, "three next dates per block: {next}");
        assert!(dates.iter().all(|d| *d >= "2027-03-15"), "{next}");
    }
    assert_eq!(next, built_then, "the script and a build on that day agree");
    assert_eq!(
        eval(&tab, "document.querySelector('.as-of-date').textContent"),
        "Mon 15 Mar 2027"
    );

    open(&tab, &site.url("/people/stakeholder-map/"));
    let summary = eval(
        &tab,
        "(() => { const s = document.querySelector('.worksheet-summary p'); return [...s.querySelectorAll('[hidden]')].length + ' ' + s.textContent.replace(/\\s+/g, ' ').trim(); })()",
    );
    let built =
        std::fs::read_to_string(site.out.join("people/stakeholder-map/index.html")).expect("page");
    assert!(
        built.contains("datetime=\"2026-12-01\">2026-12-01</time>"),
        "as of the build"
    );
    assert!(summary.ends_with("(as of Mon 15 Mar 2027)"), "{summary}");
    // The bundled people are all examples (`example: true`): no badge, no due date, and
    // nothing counted, on the reader's day as on the build day.
    let statuses = eval(
        &tab,
        "[...document.querySelectorAll('tr[data-person] .badge')].map(b => b.className).join('|')",
    );
    assert_eq!(statuses, "", "examples are never due");
    assert!(summary.contains("0 people"), "{summary}");
    assert!(
        summary.contains("8 examples to replace, not counted"),
        "{summary}"
    );

    // A contact on track on the build day (Tuesday 1 December, due the Monday after) is due
    // that Monday and overdue from the Tuesday.
    let small = Site::with_files(&[
        ("handbook.yaml", "title: Small\n"),
        ("content/_index.md", "Hello.\n"),
        (
            "content/people.yaml",
            "kind: stakeholders\ntitle: People\npeople:\n  - name: Ada\n    inside_company: true\n    last_contact: 2026-11-30\n    cadence: weekly\n",
        ),
    ]);
    small.build_on(TODAY, &["--quiet"]);
    let out = small.path("public");
    let small = serve("small", small, out);
    let built = std::fs::read_to_string(small.out.join("people/index.html")).expect("page");
    assert!(
        built.contains("badge badge-ok\">On track"),
        "on track at the build"
    );
    for (day, status, summary) in [
        (
            "2026-12-01",
            "ok:On track",
            "1 person (as of Tue 1 Dec 2026)",
        ),
        (
            "2026-12-07",
            "due:Due this week",
            "1 person · 1 due this week (as of Mon 7 Dec 2026)",
        ),
        (
            "2026-12-08",
            "overdue:Overdue",
            "1 person · 1 overdue (as of Tue 8 Dec 2026)",
        ),
    ] {
        let tab = new_tab(&browser, 1280, 900, "light");
        clock(&tab, day);
        open(&tab, &small.url("/people/"));
        let shown = eval(
            &tab,
            "(() => { const b = document.querySelector('tr[data-person] .badge'); const s = [...document.querySelector('.worksheet-summary p').childNodes].filter(n => !n.hidden).map(n => n.textContent).join('').replace(/\\s+/g, ' ').trim(); return b.className.split('-')[1] + ':' + b.textContent + '|' + s; })()",
        );
        let expected = format!("{status}|{summary}");
        // On the build day itself the page is left as built: "as of" shows the ISO date.
        if day == TODAY {
            assert!(shown.starts_with(status), "{day}: {shown}");
        } else {
            assert_eq!(shown, expected, "{day}");
        }
    }
}

#[test]
#[ignore = "needs chromium"]
fn search_forgives_a_typo_and_highlights_the_match() {
    let site = bundled();
    let browser = Chromium::launch();
    for (scheme, width) in [("light", 1280), ("dark", 390)] {
        let tab = new_tab(&browser, width, 900, scheme);
        open(&tab, &site.url("/"));
        let input = tab
            .wait_for_element("form.site-search:not([hidden]) input")
            .expect("the search box");
        input.click().expect("focus");
        tab.type_str("recruter").expect("type");
        let first = tab
            .wait_for_element("#site-search-results [role=option]")
            .expect("a result");
        let href = first.get_attribute_value("data-href").expect("attribute");
        assert!(
            href.as_deref()
                .unwrap_or("")
                .starts_with("/people/recruiters/"),
            "the recruiters page (or one of its headings) comes first: {href:?}"
        );
        let marked = eval(
            &tab,
            "[...document.querySelectorAll('#site-search-option-0 .site-search-title mark')].map(m => m.textContent).join(',')",
        );
        assert!(
            marked.starts_with("Recruiters")
                && marked.split(',').all(|m| m.to_lowercase() == "recruiters"),
            "the title's matches are highlighted: {marked}"
        );
        let snippet = eval(
            &tab,
            "document.querySelector('#site-search-option-0 .site-search-snippet mark')?.textContent || ''",
        );
        assert!(snippet.to_lowercase().starts_with("recruit"), "{snippet:?}");
        assert_eq!(
            eval(
                &tab,
                "document.querySelector('#site-search-input').getAttribute('aria-expanded')"
            ),
            "true"
        );
        // The results take the width they need, the full width on a phone, and stay readable.
        let widths = eval(
            &tab,
            "(() => { const r = document.querySelector('#site-search-results').getBoundingClientRect(); const h = document.querySelector('.site-header-inner'), cs = getComputedStyle(h); return Math.round(r.width) + ' ' + Math.round(h.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)); })()",
        );
        let w: Vec<f64> = widths
            .split(' ')
            .map(|v| v.parse().expect("number"))
            .collect();
        if width < 640 {
            assert!(
                w[0] >= w[1] - 1.0,
                "the header's full width on a phone: {widths}"
            );
        } else {
            assert!(w[0] >= 400.0, "wide results: {widths}");
        }
        let (_, bad) = contrast(&tab);
        assert!(bad.is_empty(), "{scheme}: {bad:?}");
    }
}
