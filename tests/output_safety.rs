//! The output folder: written atomically, never where it could destroy the user's files, and
//! never polluted by hidden files or editor leftovers.

mod common;
use common::{Site, TODAY};

/// The names in the site folder (hidden ones included), to catch leftovers of a build.
fn root_entries(site: &Site) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let before = site.tree("public");
    assert!(before.contains_key("career/hr/index.html"));
    site.write(
        "content/career/hr.md",
        "---\ntitle: HR\n---\n\n[broken](nowhere.md)\n",
    );
    site.run(&["build", "--today", "2030-01-01"]).failure(1);
    assert_eq!(site.tree("public"), before);
    assert_eq!(
        root_entries(&site),
        ["content", "handbook.yaml", "public", "static"]
    );
}

#[test]
fn a_build_failing_while_rendering_leaves_the_previous_output_untouched() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let before = site.tree("public");
    // Sections render fine, pages fail: a build writing in place would have rewritten the
    // sections with the new date.
    site.write("templates/page.html", "{{ page.nothing }}");
    site.run(&["build", "--today", "2030-01-01"]).failure(1);
    assert_eq!(site.tree("public"), before);
    assert_eq!(
        root_entries(&site),
        ["content", "handbook.yaml", "public", "static", "templates"]
    );
}

#[test]
fn a_rebuild_replaces_the_output_and_drops_removed_pages() {
    let site = Site::fixture("basic");
    site.build(&[]);
    site.remove("content/career/supervisor.md");
    site.build(&[]);
    assert!(!site.output_exists("career/boss"));
    assert!(site.output_exists("career/hr/index.html"));
}

#[test]
fn unsafe_output_folders_are_refused() {
    let site = Site::fixture("basic");
    site.write("notes/todo.txt", "mine\n");
    let cases = [
        (".", "it holds the handbook itself"),
        ("..", "it holds the handbook itself"),
        ("content", "it holds the content folder"),
        ("content/site", "it is inside `content`"),
        ("static/site", "it is inside `static`"),
        ("notes", "it is not empty and was not written by rapport"),
        ("handbook.yaml", "is a file, not a folder"),
    ];
    let before = site.tree("");
    for (output, message) in cases {
        site.run(&["build", "--today", TODAY, "--output", output])
            .failure(1)
            .stderr_has(&[message]);
        assert_eq!(site.tree(""), before, "--output {output} changed files");
    }
}

#[test]
fn an_empty_folder_or_an_earlier_output_may_be_replaced() {
    let site = Site::fixture("basic");
    std::fs::create_dir(site.path("out")).unwrap();
    site.build(&["--output", "out"]);
    assert!(site.path("out/career/hr/index.html").is_file());
    site.build(&["--output", "out"]);
    assert!(site.path("out/career/hr/index.html").is_file());
}

#[test]
fn hidden_files_and_editor_leftovers_are_ignored() {
    let site = Site::fixture("basic");
    let clean = site.build(&[]).stdout;
    let clean = clean.split(" into ").next().unwrap().to_string();
    for junk in [
        "content/.DS_Store",
        "content/career/hr.md~",
        "content/career/.hr.md.swp",
        "content/career/#hr.md#",
        "content/.drafts/secret.md",
        "static/.DS_Store",
        "static/files/.checklist.txt.swp",
        "templates/.page.html.swp",
    ] {
        site.write_bytes(junk, b"\xff not even UTF-8 {{");
    }
    let run = site.build(&[]);
    assert!(run.stdout.starts_with(&clean), "{} vs {clean}", run.stdout);
    let out = site.tree("public");
    for name in out.keys() {
        let file = name.rsplit('/').next().unwrap();
        assert!(
            file == ".rapport-output"
                || file == ".nojekyll"
                || !(file.starts_with('.') || file.contains('#') || file.ends_with('~')),
            "{name} was copied"
        );
    }
}

#[test]
fn user_text_is_escaped_in_the_html() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/x.md",
        "---\ntitle: \"<script>alert(1)</script>\"\ndescription: \"a \\\"quote\\\" & <b>\"\n---\n",
    );
    site.write(
        "handbook.yaml",
        "title: \"<i>T</i>\"\nauthor: \"<b>me</b>\"\n",
    );
    site.build(&[]);
    for file in ["career/x/index.html", "career/index.html", "index.html"] {
        let html = site.output(file);
        // The theme has scripts of its own: the user's must not become one.
        assert!(!html.contains("<script>alert"), "{file}: {html}");
        assert!(!html.contains("<b>"), "{file}: {html}");
        assert!(!html.contains("<i>"), "{file}: {html}");
    }
    let page = site.output("career/x/index.html");
    assert!(
        page.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>"),
        "{page}"
    );
    assert!(
        page.contains("content=\"a &quot;quote&quot; &amp; &lt;b&gt;\""),
        "{page}"
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_does_not_hang_the_build() {
    let site = Site::fixture("basic");
    std::os::unix::fs::symlink("..", site.path("content/career/loop")).unwrap();
    let cmd = site.command(&["build", "--today", TODAY]);
    let run = common::run_guarded(cmd, std::time::Duration::from_secs(120));
    run.failure(1)
        .stderr_has(&["error: content/career/loop: symbolic link loop"]);
}

#[cfg(unix)]
#[test]
fn a_symlinked_folder_is_read_like_a_folder() {
    let site = Site::fixture("basic");
    site.write("elsewhere/shared.md", "# Shared\n");
    std::os::unix::fs::symlink(site.path("elsewhere"), site.path("content/shared")).unwrap();
    site.build(&[]);
    assert!(site.output_exists("shared/shared/index.html"));
}

#[test]
fn a_static_file_may_not_overwrite_a_generated_page() {
    let site = Site::fixture("basic");
    site.write("static/404.html", "<p>mine</p>");
    site.write("static/why/index.html", "<p>mine</p>");
    let run = site.build_fails();
    run.stderr_has(&["static/404.html", "would overwrite `404.html`"]);
    run.stderr_has(&["static/why/index.html", "would overwrite `why/index.html`"]);
}
