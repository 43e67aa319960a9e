//! No input can exhaust a build (issue 23): a hostile handbook — folders nested deep, a FIFO
//! where a page or an asset should be, thousands of links in one paragraph, a huge table — gets
//! a clear message in bounded time and memory. Each test drives the binary as a user would, and
//! every wait is bounded.

mod common;

use common::stderr_of;
use insta::assert_snapshot;

use common::Site;
use std::time::Duration;

/// `rapport build --today TODAY` in `site`, killed (and the test failed) after `limit`.
fn build_within(site: &Site, limit: Duration) -> common::Run {
    common::run_guarded(site.command(&["build", "--today", common::TODAY]), limit)
}

/// `content/` followed by `levels` folders called `d`.
fn nested(root: &str, levels: usize) -> String {
    let mut path = root.to_string();
    for _ in 0..levels {
        path.push_str("/d");
    }
    path
}

/// 40 nested folders: an error at the 33rd, within a second, nothing written; the other errors
/// of the build are still reported.
#[test]
fn folders_nested_past_32_levels_are_an_error_at_the_folder() {
    let site = Site::minimal();
    site.write(&format!("{}/deep.md", nested("content", 40)), "# Deep\n");
    site.write("content/untitled.md", "No title.\n");
    let run = build_within(&site, Duration::from_secs(1)).failure(1);
    assert_eq!(
        run.error_lines(),
        [
            format!(
                "error: {}: the folder is more than 32 levels below `content/`; not read",
                nested("content", 33)
            ),
            "error: content/untitled.md:1:1: the page has no title".to_string(),
        ],
        "{run}"
    );
    assert_snapshot!(stderr_of(&run), @"
    error: content/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d: the folder is more than 32 levels below `content/`; not read
     hint: move what it holds into a folder at most 32 levels deep

    error: content/untitled.md:1:1: the page has no title
     1 | No title.
       | ^
     hint: add `title: ...` to the front matter, or start the page with a `# Heading`

    2 errors found
    ");
    assert!(!site.path("public").exists(), "{run}");
}

/// 32 levels are allowed, and `static/` and `templates/` have the same limit.
#[test]
fn folders_32_levels_deep_build_and_static_has_the_same_limit() {
    let site = Site::minimal();
    site.write(&format!("{}/deep.md", nested("content", 32)), "# Deep\n");
    site.write(&format!("{}/x.txt", nested("static", 40)), "x\n");
    site.write(&format!("{}/x.html", nested("templates", 40)), "x\n");
    let run = build_within(&site, Duration::from_secs(10)).failure(1);
    assert_eq!(
        run.error_lines(),
        [
            format!(
                "error: {}: the folder is more than 32 levels below `static/`; not read",
                nested("static", 33)
            ),
            format!(
                "error: {}: the folder is more than 32 levels below `templates/`; not read",
                nested("templates", 33)
            ),
        ],
        "{run}"
    );
    site.remove("static").remove("templates");
    build_within(&site, Duration::from_secs(10)).success();
    assert!(site.output_exists(&format!("{}/deep/index.html", &nested("", 32)[1..])));
}

/// Makes `rel` (below the site) a named pipe with no writer.
#[cfg(unix)]
fn mkfifo(site: &Site, rel: &str) {
    let path = site.path(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads the NUL-terminated path for the duration of the call.
    assert_eq!(
        unsafe { libc::mkfifo(c.as_ptr(), 0o644) },
        0,
        "mkfifo {rel}"
    );
}

/// A FIFO as a page, an asset, a section's `_index.md`, a template or a static file hung the
/// build forever (reading waits for a writer): each is skipped with a warning naming it.
#[cfg(unix)]
#[test]
fn fifos_are_skipped_with_a_warning_in_every_walk() {
    let site = Site::minimal();
    site.write("content/sub/page.md", "# Page\n");
    for rel in [
        "content/x.md",
        "content/y.png",
        "content/sub/_index.md",
        "templates/page.html",
        "static/z.txt",
    ] {
        mkfifo(&site, rel);
    }
    let run = build_within(&site, Duration::from_secs(10)).success();
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    let skipped = |rel| format!("warning: {rel}: a named pipe (FIFO) is not a file; skipped");
    assert_eq!(
        warnings,
        [
            skipped("content/sub/_index.md"),
            skipped("content/x.md"),
            skipped("content/y.png"),
            skipped("templates/page.html"),
            skipped("static/z.txt"),
        ],
        "{run}"
    );
    assert_snapshot!(stderr_of(&run), @"
    warning: content/sub/_index.md: a named pipe (FIFO) is not a file; skipped
     hint: rapport reads only files and folders: remove it, or put a file in its place
    warning: content/x.md: a named pipe (FIFO) is not a file; skipped
     hint: rapport reads only files and folders: remove it, or put a file in its place
    warning: content/y.png: a named pipe (FIFO) is not a file; skipped
     hint: rapport reads only files and folders: remove it, or put a file in its place
    warning: templates/page.html: a named pipe (FIFO) is not a file; skipped
     hint: rapport reads only files and folders: remove it, or put a file in its place
    warning: static/z.txt: a named pipe (FIFO) is not a file; skipped
     hint: rapport reads only files and folders: remove it, or put a file in its place
    ");
    assert!(site.output("sub/page/index.html").contains("Page"));
    assert!(!site.output_exists("y.png") && !site.output_exists("z.txt"));
}

/// `rapport build` in `site` under a 1 GB address-space limit (`prlimit --as`); `None`, with a
/// message, where prlimit is missing.
fn build_in_1_gb(site: &Site) -> Option<common::Run> {
    let found = std::process::Command::new("prlimit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("skipped: `prlimit` (util-linux) is not installed");
        return None;
    }
    let mut cmd = std::process::Command::new("prlimit");
    cmd.arg("--as=1073741824")
        .arg(env!("CARGO_BIN_EXE_rapport"))
        .args(["build", "--today", common::TODAY])
        .current_dir(&site.root)
        .env_remove("SOURCE_DATE_EPOCH")
        .stdin(std::process::Stdio::null());
    Some(common::run_guarded(cmd, Duration::from_secs(60)))
}

/// 16,000 fragment links in one paragraph (a 112 KB line) took 2 GB, every link's check holding
/// its own copy of the line: under 1 GB they build, and broken ones among them are reported
/// at their line and column.
#[test]
fn sixteen_thousand_links_in_one_paragraph_build_in_1_gb() {
    let site = Site::minimal();
    let good = "[x](#h) ".repeat(8_000);
    let page = |broken: [&str; 2]| {
        format!(
            "---\ntitle: P\n---\n\n# H\n\n{good}{}{good}{}\n",
            broken[0], broken[1]
        )
    };
    site.write("content/p.md", &page(["", ""]));
    let Some(run) = build_in_1_gb(&site) else {
        return;
    };
    run.success();
    let html = site.output("p/index.html");
    assert_eq!(html.matches("href=\"#h\">x</a>").count(), 16_000);

    site.write("content/p.md", &page(["[y](#nope) ", "[z](#hh)"]));
    let run = build_in_1_gb(&site).unwrap().failure(1);
    let col = |before: usize| good.len() * before + 1;
    assert_eq!(
        run.error_lines(),
        [
            format!(
                "error: content/p.md:7:{}: no heading `#nope` in `P`",
                col(1)
            ),
            format!(
                "error: content/p.md:7:{}: no heading `#hh` in `P`",
                col(2) + "[y](#nope) ".len()
            ),
        ],
        "{run}"
    );
    assert_snapshot!(stderr_of(&run), @"
    error: content/p.md:7:64001: no heading `#nope` in `P`
     7 | … [x](#h) [x](#h) [x](#h) [x](#h) [x](#h) [x](#h) [y](#nope) [x](#h) [x](#h) [x](#h) [x](#h) [x](#h) …
       |                                                   ^
     hint: headings there: #h

    error: content/p.md:7:128012: no heading `#hh` in `P`
     7 | …#h) [x](#h) [x](#h) [x](#h) [x](#h) [x](#h) [x](#h) [x](#h) [x](#h) [x](#h) [x](#h) [x](#h) [z](#hh)…
       |                                                                                              ^
     hint: did you mean `#h`?

    2 errors found
    ");
}

/// A 90,000-row table (2 MB, no alias) was refused for expanding "through aliases": the
/// message says what it holds too much of, the limit, and to split it. An alias that makes a
/// file too big is still named.
#[test]
fn a_huge_table_is_refused_for_its_own_size_not_for_aliases() {
    let site = Site::minimal();
    let mut table =
        String::from("kind: table\ntitle: Big\ncolumns:\n  - name: A\n  - name: B\nrows:\n");
    for i in 0..90_000 {
        table.push_str(&format!("  - [\"Row {i}\", \"x\"]\n"));
    }
    site.write("content/big.yaml", &table);
    let run = build_within(&site, Duration::from_secs(120)).failure(1);
    // Three values a row (the row, two texts) after the 7 above: the 250,001st is in row 83,328.
    assert_eq!(
        run.error_lines(),
        [
            "error: content/big.yaml:83335:6: the file holds more than 250000 values (texts, lists and mappings)"
        ],
        "{run}"
    );
    assert_snapshot!(stderr_of(&run), @r#"
    error: content/big.yaml:83335:6: the file holds more than 250000 values (texts, lists and mappings)
     83335 |   - ["Row 83328", "x"]
           |      ^
     hint: split it into smaller files: a worksheet this large is better as several worksheets

    1 error found
    "#);

    let mut fan = format!(
        "kind: table\ntitle: Fan\ncolumns:\n  - name: A\nrows:\n  - &row [\"{}\"]\n",
        "x".repeat(10_000)
    );
    fan.push_str(&"  - *row\n".repeat(1_000));
    site.write("content/big.yaml", &fan);
    let run = build_within(&site, Duration::from_secs(60)).failure(1);
    let error = &run.error_lines()[0];
    assert!(
        error.ends_with(": the file expands past 8 MB or 250000 values through aliases (`*name`)"),
        "{run}"
    );
}
