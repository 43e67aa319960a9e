//! The search index and the search box: what the build writes, what the index holds, and a
//! real browser typing into the box.

mod common;

#[cfg(feature = "browser-tests")]
use common::browser::{Chromium, serve_static};
use common::host::serve;
use common::html::attr_values;
use common::{Site, files};
#[cfg(feature = "browser-tests")]
use headless_chrome::{Element, Tab};
use serde_json::Value;
use std::path::Path;

/// The index's heading ids: `0` stands for the ASCII heading's own slug.
fn heading_id(id: &Value, text: &str) -> String {
    match id {
        Value::String(s) => s.clone(),
        _ => {
            assert_eq!(id, &Value::from(0));
            assert!(text.is_ascii());
            let s: String = text
                .trim()
                .to_lowercase()
                .replace(' ', "-")
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if s.is_empty() { "section".into() } else { s }
        }
    }
}

fn read_index(out: &Path) -> Value {
    let text = std::fs::read_to_string(out.join("search-index.json")).expect("an index is written");
    serde_json::from_str(&text).expect("the index is valid JSON")
}

/// (title, url, section, [(id, heading)], text) of every entry.
type Entry = (String, String, String, Vec<(String, String)>, String);

fn entries(index: &Value) -> Vec<Entry> {
    let sections = index["sections"].as_array().unwrap();
    index["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let heads = p[3].as_array().unwrap();
            let heads = heads
                .chunks(2)
                .map(|h| {
                    let text = h[1].as_str().unwrap().to_string();
                    (heading_id(&h[0], &text), text)
                })
                .collect();
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
                sections[p[2].as_u64().unwrap() as usize]
                    .as_str()
                    .unwrap()
                    .to_string(),
                heads,
                p[4].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_bundled_index_covers_every_page_and_every_heading_anchor() {
    let site = Site::bundled(
        "2025-01-06",
        &["--base-url", "https://example.org/handbook/", "--quiet"],
    );
    let out = site.path("public");
    let files = files(&out);
    let index = read_index(&out);
    assert_eq!(index["version"], 1);
    let entries = entries(&index);
    let pages: Vec<&String> = files.keys().filter(|f| f.ends_with("index.html")).collect();
    assert_eq!(entries.len(), pages.len(), "one entry per page and section");
    let mut headings = 0;
    for (title, url, _, heads, text) in &entries {
        let file = serve(&files, "/handbook/", &format!("/handbook/{url}"))
            .unwrap_or_else(|| panic!("{title}: `{url}` is not a page"));
        let html = std::fs::read_to_string(out.join(&file)).unwrap();
        assert!(
            html.contains(&format!("<title>{}", title.replace('&', "&amp;"))),
            "{file} is titled {title}"
        );
        let ids = attr_values(&html, "id");
        for (id, heading) in heads {
            assert!(
                ids.contains(id),
                "{file}: the index jumps to #{id} ({heading}), which is not there"
            );
            headings += 1;
        }
        // A handbook this small is searched in full: no page's text is cut.
        assert!(!text.ends_with('…'), "{title}: the text is cut");
    }
    assert!(
        headings > 50,
        "the bundled pages have many headings, found {headings}"
    );
    let size = std::fs::metadata(out.join("search-index.json"))
        .unwrap()
        .len();
    // The bundled handbook is about 45,000 words (pages and worksheets): about 255 KB of index.
    assert!(size < 300_000, "the index is {size} bytes");
}

#[test]
fn entries_hold_title_section_headings_and_opening_words() {
    // Far more text than the index's word budget allows for one page.
    let body: String = (1..=120_000).map(|i| format!("word{i} ")).collect();
    let site = Site::with_files(&[
        ("handbook.yaml", "title: Guide\nbase_url: /hb/\n"),
        ("content/_index.md", "---\ntitle: Guide\n---\nWelcome.\n"),
        (
            "content/01-people/_index.md",
            "---\ntitle: People <who>\n---\n",
        ),
        (
            "content/01-people/01-coffee.md",
            &format!(
                "---\ntitle: Coffee \"chats\"\ndescription: Meet for coffee.\n---\n\n{body}\n\n## Asking for an introduction\n\n### Résumé review\n\n## Custom {{#mine}}\n"
            ),
        ),
    ]);
    site.run(&["build", "-q"]).success();
    let out = site.path("public");
    let entries = entries(&read_index(&out));
    let coffee = entries
        .iter()
        .find(|e| e.1 == "people/coffee/")
        .expect("the page is indexed");
    assert_eq!(coffee.0, "Coffee \"chats\"");
    assert_eq!(coffee.2, "People <who>");
    assert_eq!(
        coffee.3,
        [
            (
                "asking-for-an-introduction".to_string(),
                "Asking for an introduction".to_string()
            ),
            ("résumé-review".to_string(), "Résumé review".to_string()),
            ("mine".to_string(), "Custom".to_string()),
        ]
    );
    assert!(
        coffee.4.starts_with("Meet for coffee. word1 word2"),
        "{}",
        coffee.4
    );
    assert!(coffee.4.ends_with('…'), "the text is cut to the budget");
    let kept = coffee.4.split_whitespace().count();
    assert!((30..100_000).contains(&kept), "kept {kept} words");
    assert!(
        !coffee.4.contains("word119999"),
        "only the opening words are kept"
    );
    let intro = entries.iter().find(|e| e.1.is_empty()).unwrap();
    assert_eq!(intro.4, "Welcome.", "short texts are kept whole");
    let raw = std::fs::read_to_string(out.join("search-index.json")).unwrap();
    assert!(
        !raw.contains('<'),
        "`<` is escaped, so the JSON is safe anywhere"
    );
    let section = entries.iter().find(|e| e.1 == "people/").unwrap();
    assert_eq!(
        (section.0.as_str(), section.2.as_str()),
        ("People <who>", "Guide")
    );
    let html = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(html.contains("role=\"search\""));
    assert!(html.contains("data-index=\"/hb/search-index.json\""));
    assert!(html.contains("<script src=\"/hb/search.js\" defer></script>"));
    assert!(out.join("search.js").is_file() && out.join("search.css").is_file());
}

#[test]
fn search_false_writes_no_index_and_shows_no_box() {
    let site = Site::with_files(&[
        ("handbook.yaml", "title: Guide\nsearch: false\n"),
        ("content/_index.md", "Welcome.\n"),
        ("content/a.md", "# A\n\n## B\n"),
    ]);
    site.run(&["build", "-q"]).success();
    let out = site.path("public");
    assert!(!out.join("search-index.json").exists());
    let mut pages = 0;
    for (rel, path) in files(&out) {
        if rel.ends_with(".html") {
            let html = std::fs::read_to_string(path).unwrap();
            assert!(
                !html.contains("role=\"search\""),
                "{rel} shows a search box"
            );
            assert!(
                !html.contains("search.js") && !html.contains("search.css"),
                "{rel}"
            );
            pages += 1;
        }
    }
    assert_eq!(pages, 5, "three pages, the planner and the book");
}

/// Types `query` into the page's search box and returns the first result (an option).
#[cfg(feature = "browser-tests")]
fn search_for<'a>(tab: &'a Tab, query: &str) -> Element<'a> {
    // The box is hidden until the script runs, so seeing it proves the script loaded.
    let input = tab
        .wait_for_element("form.site-search:not([hidden]) input")
        .unwrap();
    input.click().unwrap();
    tab.type_str(query).unwrap();
    tab.wait_for_element("#site-search-results [role=option]")
        .unwrap()
}

#[cfg(feature = "browser-tests")]
#[test]
#[ignore = "needs chromium"]
fn typing_in_the_search_box_finds_the_heading() {
    let site = Site::with_files(&[
        ("handbook.yaml", "title: Guide\n"),
        (
            "content/_index.md",
            "---\ntitle: Guide\n---\nWelcome. An introduction to the guide.\n",
        ),
        ("content/01-people/_index.md", "---\ntitle: People\n---\n"),
        (
            "content/01-people/01-coffee.md",
            "---\ntitle: Coffee chats\n---\n\nMeet people.\n\n## Before the chat\n\nPrepare.\n\n## Asking for an introduction\n\nBe specific.\n",
        ),
        (
            "content/01-people/02-cv.md",
            "---\ntitle: Résumé tips\n---\n\nKeep it short.\n",
        ),
    ]);
    site.run(&["build", "--base-url", "/handbook/", "-q"])
        .success();
    let port = serve_static(&site.path("public"), "/handbook/");
    let browser = Chromium::launch();
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&format!("http://127.0.0.1:{port}/handbook/people/cv/"))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    let first = search_for(&tab, "introduction");
    assert_eq!(
        first.get_attribute_value("data-href").unwrap().as_deref(),
        Some("/handbook/people/coffee/#asking-for-an-introduction"),
        "the heading match ranks first and links to the heading"
    );
    assert!(
        first
            .get_inner_text()
            .unwrap()
            .contains("Coffee chats › Asking for an introduction")
    );
    let status = tab
        .find_element("#site-search-status")
        .unwrap()
        .get_inner_text()
        .unwrap();
    assert!(
        status.starts_with("2 results"),
        "the home page mentions it too: {status:?}"
    );

    // Keyboard: the arrow selects, Enter opens the heading.
    tab.press_key("ArrowDown").unwrap();
    let selected = tab
        .find_element("#site-search-results [aria-selected=true]")
        .unwrap();
    assert!(
        selected
            .get_inner_text()
            .unwrap()
            .contains("Asking for an introduction")
    );
    tab.press_key("Enter").unwrap();
    tab.wait_until_navigated().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !tab
        .get_url()
        .ends_with("/handbook/people/coffee/#asking-for-an-introduction")
    {
        assert!(
            std::time::Instant::now() < deadline,
            "Enter did not open the result: {}",
            tab.get_url()
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }

    // Accents and case do not matter; a query that matches nothing says so.
    let first = search_for(&tab, "RESUME");
    assert_eq!(
        first.get_attribute_value("data-href").unwrap().as_deref(),
        Some("/handbook/people/cv/")
    );
    tab.press_key("Escape").unwrap();
    let input = tab.find_element("#site-search-input").unwrap();
    input.type_into("zzzz").unwrap();
    tab.wait_for_element("#site-search-results .site-search-empty")
        .unwrap();
    let status = tab
        .find_element("#site-search-status")
        .unwrap()
        .get_inner_text()
        .unwrap();
    assert!(status.starts_with("No results"), "{status:?}");
}

#[test]
fn words_on_either_side_of_a_line_break_or_a_block_stay_apart() {
    let site = Site::with_files(&[
        ("handbook.yaml", "title: Guide\n"),
        (
            "content/_index.md",
            "The printable\nplanner.\n\n- one\n- two\n\n> quoted\n\n```\ncode\n```\nafter\\\nbreak\n",
        ),
        (
            "content/list.yaml",
            "kind: checklist\ntitle: List\nintro: |\n  Download the\n  file below.\nweekly:\n  - text: Tick\n",
        ),
    ]);
    site.run(&["build", "-q"]).success();
    let index = site.output("search-index.json");
    for joined in [
        "printable planner",
        "one two quoted",
        "code after break",
        "the file below",
    ] {
        assert!(index.contains(joined), "{joined:?} in {index}");
    }
    for glued in [
        "printableplanner",
        "onetwo",
        "twoquoted",
        "codeafter",
        "afterbreak",
        "thefile",
    ] {
        assert!(!index.contains(glued), "{glued:?} in {index}");
    }
}
