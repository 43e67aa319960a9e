//! A hostile handbook reads nothing outside its folder (issue 23): each folder a build reads
//! (`content/`, `static/`, `templates/`, a theme and its `templates/` and `static/`) and
//! `handbook.yaml` itself, made a symbolic link to a place outside that holds a marker, is
//! built and checked by the real binary. The marker must show in no output file and in no
//! message, the warning must name the link, and the exit code must be the one a user expects.
//! Links that stay inside the handbook keep working.
#![cfg(unix)]

mod common;

use common::{Run, Site};
use std::path::Path;

/// Written in every file outside the handbook; found anywhere a user can see, it leaked.
const SECRET: &str = "SECRET-MARKER-issue-23";

/// A folder outside the handbook holding the marker in every form a handbook's folders could
/// read: templates (`page.html`, a private key `id_ed25519`), static files, pages, a config
/// whose first line would be quoted by an error about it, and a theme made of those.
fn outside() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        ("templates/page.html", format!("{SECRET} page")),
        ("templates/section.html", format!("{SECRET} section")),
        ("templates/index.html", format!("{SECRET} home")),
        ("templates/id_ed25519", format!("{SECRET} private key")),
        ("static/secret.txt", SECRET.to_string()),
        ("static/rapport.css", format!("/* {SECRET} */")),
        (
            "content/_index.md",
            format!("---\ntitle: Home\n---\n\n{SECRET}\n"),
        ),
        (
            "content/leak.md",
            format!("---\ntitle: Leak\n---\n\n{SECRET}\n"),
        ),
        ("handbook.yaml", format!("{SECRET}: 1\ntitle: Leak\n")),
    ];
    for (rel, text) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The smallest site, one page, with `theme` in its config.
fn site(theme: &str) -> Site {
    let site = Site::minimal();
    site.write(
        "handbook.yaml",
        &format!("title: \"Mini\"\ntheme: {theme}\n"),
    );
    site.write("content/first.md", "---\ntitle: First\n---\n\nHello.\n");
    site
}

/// Makes `link` (below the site) a symbolic link to `target`.
fn link(site: &Site, link: &str, target: &Path) {
    let path = site.path(link);
    if path.is_dir() {
        std::fs::remove_dir_all(&path).unwrap();
    } else if path.exists() {
        std::fs::remove_file(&path).unwrap();
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, path).unwrap();
}

/// Runs `rapport ARGS` (with `--today`), expecting exit code `code`, and asserts that neither
/// the marker nor the outside folder's path shows in stdout, stderr or any output file.
fn run_clean(site: &Site, outside: &Path, args: &[&str], code: i32) -> Run {
    let mut all = args.to_vec();
    all.extend(["--today", common::TODAY]);
    let run = site.run(&all).failure(code);
    let shown = outside.to_str().unwrap();
    for (what, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        assert!(!text.contains(SECRET), "the marker is in {what}:\n{run}");
        assert!(
            !text.contains(shown),
            "the outside path is in {what}:\n{run}"
        );
    }
    if site.path("public").is_dir() {
        for (name, bytes) in site.tree("public") {
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains(SECRET), "the marker is in public/{name}");
        }
    }
    run
}

/// `build` and `check` both end with `code`, each naming the link in a warning (or error)
/// `message`: `LINK: a symbolic link leads outside the handbook folder; skipped`.
fn build_and_check(site: &Site, outside: &Path, code: i32, messages: &[&str]) {
    for command in ["build", "check"] {
        let run = run_clean(site, outside, &[command], code);
        assert_eq!(headlines(&run), messages, "{run}");
    }
}

/// Every `error:` and `warning:` line of a run, in order: an extra or a lost one fails.
/// (`check` also warns that a path-only `base_url` gives no sitemap: not counted here.)
fn headlines(run: &Run) -> Vec<&str> {
    let heads = run.stderr.lines();
    let base_url = "warning: handbook.yaml: `base_url` names no host";
    heads
        .filter(|l| l.starts_with("error:") || l.starts_with("warning:"))
        .filter(|l| !l.starts_with(base_url))
        .collect()
}

fn skipped(link: &str) -> String {
    format!("warning: {link}: a symbolic link leads outside the handbook folder; skipped")
}

#[test]
fn a_content_folder_linked_out_is_an_error() {
    let (site, out) = (site("default"), outside());
    link(&site, "content", &out.path().join("content"));
    let message = "error: content: a symbolic link leads outside the handbook folder; not read";
    build_and_check(&site, out.path(), 1, &[message]);
    assert!(!site.path("public").exists());
}

#[test]
fn a_static_folder_linked_out_is_skipped() {
    let (site, out) = (site("default"), outside());
    link(&site, "static", &out.path().join("static"));
    build_and_check(&site, out.path(), 0, &[&skipped("static")]);
    assert!(!site.output_exists("secret.txt"));
}

#[test]
fn a_templates_folder_linked_out_is_skipped() {
    let (site, out) = (site("default"), outside());
    link(&site, "templates", &out.path().join("templates"));
    build_and_check(&site, out.path(), 0, &[&skipped("templates")]);
    // The built-in templates stand in for the skipped ones.
    assert!(site.output("first/index.html").contains("Hello."));
}

/// The attack of issue 23: `templates -> ~/.ssh`, and a page naming the key as its template.
#[test]
fn a_template_behind_a_link_out_is_not_found_at_the_page_naming_it() {
    let (site, out) = (site("default"), outside());
    link(&site, "templates", &out.path().join("templates"));
    site.write(
        "content/first.md",
        "---\ntitle: First\ntemplate: id_ed25519\n---\n\nHello.\n",
    );
    for command in ["build", "check"] {
        let run = run_clean(&site, out.path(), &[command], 1);
        assert_eq!(
            headlines(&run),
            [
                "error: content/first.md:3:11: template `id_ed25519` not found",
                &skipped("templates"),
            ],
            "{run}"
        );
    }
    assert!(!site.path("public").exists());
}

#[test]
fn a_template_file_linked_out_is_skipped() {
    let (site, out) = (site("default"), outside());
    link(
        &site,
        "templates/page.html",
        &out.path().join("templates/page.html"),
    );
    build_and_check(&site, out.path(), 0, &[&skipped("templates/page.html")]);
}

#[test]
fn a_themes_templates_folder_linked_out_is_skipped() {
    let (site, out) = (site("x"), outside());
    site.write("themes/x/static/x.css", "p {}\n");
    link(&site, "themes/x/templates", &out.path().join("templates"));
    build_and_check(&site, out.path(), 0, &[&skipped("themes/x/templates")]);
    assert!(site.output_exists("x.css"));
}

#[test]
fn a_themes_static_folder_linked_out_is_skipped() {
    let (site, out) = (site("x"), outside());
    link(&site, "themes/x/static", &out.path().join("static"));
    build_and_check(&site, out.path(), 0, &[&skipped("themes/x/static")]);
    assert!(!site.output_exists("secret.txt"));
}

/// The theme a config names, skipped, is a theme not found; the built-in theme's name falls
/// back to the built-in theme.
#[test]
fn a_theme_folder_linked_out_is_skipped() {
    let (site, out) = (site("x"), outside());
    link(&site, "themes/x", out.path());
    let not_found = "error: handbook.yaml:2:8: theme `x` not found";
    build_and_check(&site, out.path(), 1, &[not_found, &skipped("themes/x")]);
    let (site, out) = (self::site("default"), outside());
    link(&site, "themes/default", out.path());
    build_and_check(&site, out.path(), 0, &[&skipped("themes/default")]);
}

#[test]
fn a_config_linked_out_is_refused_unread() {
    let (site, out) = (site("default"), outside());
    link(&site, "handbook.yaml", &out.path().join("handbook.yaml"));
    for command in ["build", "check"] {
        let run = run_clean(&site, out.path(), &[command], 2);
        assert_eq!(
            run.stderr,
            "error: refusing to read `handbook.yaml`: a symbolic link leads outside the \
             handbook folder\n hint: copy what it points to into the handbook folder, or link \
             to a place inside it\n",
        );
    }
}

/// Every kind of root may be a link that stays inside the handbook, and so may a template.
#[test]
fn links_inside_the_handbook_are_read() {
    let site = Site::bare();
    let files = [
        ("config/handbook.yaml", "title: \"Mini\"\ntheme: x\n"),
        ("book/_index.md", "---\ntitle: Home\n---\n\nHello.\n"),
        ("book/first.md", "---\ntitle: First\n---\n\nHi.\n"),
        ("shared-templates/page.html", "SHARED-PAGE {{ page.title }}"),
        ("shared/index.html", "SHARED-HOME {{ section.title }}"),
        ("shared-static/site.txt", "SHARED-STATIC"),
        ("shared-theme/static/theme.txt", "SHARED-THEME"),
    ];
    for (rel, text) in files {
        site.write(rel, text);
    }
    let root = &site.root;
    link(&site, "handbook.yaml", &root.join("config/handbook.yaml"));
    link(&site, "content", &root.join("book"));
    link(&site, "templates", Path::new("./shared-templates"));
    link(
        &site,
        "shared-templates/index.html",
        Path::new("../shared/index.html"),
    );
    link(&site, "static", &root.join("shared-static"));
    link(&site, "themes/x", Path::new("../shared-theme"));
    let run = site.build(&[]);
    assert!(!run.stderr.contains("warning"), "{run}");
    assert!(
        site.output("first/index.html")
            .contains("SHARED-PAGE First")
    );
    assert!(site.output("index.html").contains("SHARED-HOME"));
    assert_eq!(site.output("site.txt"), "SHARED-STATIC");
    assert_eq!(site.output("theme.txt"), "SHARED-THEME");
}
