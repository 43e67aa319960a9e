//! The output folder: written atomically, never where it could destroy the user's files, and
//! never polluted by hidden files or editor leftovers.

mod common;
use common::{Site, TODAY, stderr_of};
use insta::assert_snapshot;

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
    let before = site.tree("");
    let mut refusals = String::new();
    for output in [
        ".",
        "..",
        "content",
        "content/site",
        "static/site",
        "notes",
        "handbook.yaml",
    ] {
        // A refusal: exit code 2.
        let run = site.run(&["build", "--today", TODAY, "--output", output]);
        refusals.push_str(&format!(
            "--output {output}\n{}\n",
            stderr_of(&run.failure(2))
        ));
        assert_eq!(site.tree(""), before, "--output {output} changed files");
    }
    assert_snapshot!(refusals, @"
    --output .
    error: refusing to replace `[ROOT]/.`: it holds the handbook itself
     hint: choose another --output folder, e.g. `public`

    --output ..
    error: refusing to replace `[ROOT]/..`: it holds the handbook itself
     hint: choose another --output folder, e.g. `public`

    --output content
    error: refusing to replace `[ROOT]/content`: it holds the content folder
     hint: choose another --output folder, e.g. `public`

    --output content/site
    error: refusing to write the site into `[ROOT]/content/site`: it is inside `content`, which rapport reads
     hint: choose another --output folder, e.g. `public`

    --output static/site
    error: refusing to write the site into `[ROOT]/static/site`: it is inside `static`, which rapport reads
     hint: choose another --output folder, e.g. `public`

    --output notes
    error: refusing to replace `[ROOT]/notes`: it is not empty and was not written by rapport
     hint: empty it yourself, or choose another --output folder

    --output handbook.yaml
    error: `[ROOT]/handbook.yaml` is a file, not a folder
     hint: choose another --output folder, e.g. `public`
    ");
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
    assert_snapshot!(stderr_of(&run.in_site(&site.root).failure(1)), @"
    error: content/career/loop: symbolic link loop
     hint: the link points to a folder that contains it: remove the link

    1 error found
    ");
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
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: static/404.html: `404.html` would be written twice: by `static/404.html` and by the theme's 404 page
     hint: rename or move the file in `static/`

    error: static/why/index.html: `why/index.html` would be written twice: by `static/why/index.html` and by `content/01-why/_index.md`
     hint: rename or move the file in `static/`

    2 errors found
    ");
}

/// A handbook of 2,000 pages, so that a build runs long enough to be interrupted.
fn big_site() -> Site {
    let site = Site::minimal();
    let words = "Some words for the page to render and the search index to hold. ".repeat(40);
    for s in 0..20 {
        site.write(
            &format!("content/s{s:02}/_index.md"),
            &format!("---\ntitle: \"Section {s}\"\n---\n"),
        );
        for p in 0..100 {
            site.write(
                &format!("content/s{s:02}/p{p:03}.md"),
                &format!("---\ntitle: \"Page {s}-{p}\"\n---\n\n{words}\n"),
            );
        }
    }
    site
}

/// What builds left beside the output (in the handbook folder, the output's parent).
fn litter(site: &Site) -> Vec<String> {
    root_entries(site)
        .into_iter()
        .filter(|n| n.contains(".rapport-"))
        .collect()
}

/// Starts a build and waits until it writes into its staging folder (its first file).
#[cfg(unix)]
fn build_until_staging(site: &Site) -> std::process::Child {
    let mut cmd = site.command(&["build", "--quiet", "--today", TODAY]);
    cmd.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let start = std::time::Instant::now();
    loop {
        let staging = litter(site)
            .into_iter()
            .find(|n| n.contains("rapport-new-"));
        if let Some(name) = staging
            && std::fs::read_dir(site.path(&name)).is_ok_and(|mut d| d.next().is_some())
        {
            return child;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the build ended before it could be interrupted"
        );
        assert!(start.elapsed() < std::time::Duration::from_secs(120));
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[cfg(unix)]
fn signal(child: &std::process::Child, sig: &str) {
    let ok = std::process::Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success());
}

#[cfg(unix)]
#[test]
fn the_build_after_a_killed_one_removes_its_litter() {
    let site = big_site();
    site.build(&[]);
    let mut child = build_until_staging(&site);
    signal(&child, "-KILL");
    child.wait().unwrap();
    assert!(
        !litter(&site).is_empty(),
        "kill -9 leaves the staging folder"
    );
    assert!(
        site.output_exists("s00/p000/index.html"),
        "the old output stays"
    );
    site.build(&[]);
    assert!(site.output_exists("s19/p099/index.html"));
    // The killed build's staging folder is gone at once; the output this build replaced is
    // removed by a child in the background, soon after the build returned.
    assert!(!litter(&site).iter().any(|n| n.contains("rapport-new-")));
    assert_eq!(wait_for_no_litter(&site), Vec::<String>::new());
}

/// The litter beside the output once the background removal of the old output finished (or
/// after ten seconds, what is left).
fn wait_for_no_litter(site: &Site) -> Vec<String> {
    wait_for_litter(site, &[])
}

/// The litter beside the output once it is `want` (or after ten seconds, what is left).
fn wait_for_litter(site: &Site, want: &[String]) -> Vec<String> {
    let start = std::time::Instant::now();
    loop {
        let left = litter(site);
        if left == want || start.elapsed() > std::time::Duration::from_secs(10) {
            return left;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Whether `strace` can run here; if not, a test that needs it is skipped, except in CI
/// (`.ci/run` installs it).
#[cfg(target_os = "linux")]
fn strace_available() -> bool {
    let found = std::process::Command::new("strace")
        .args(["-o", "/dev/null", "true"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(found || std::env::var_os("CI").is_none(), "CI needs strace");
    if !found {
        eprintln!("skipped: strace is not installed");
    }
    found
}

/// The killed build's `.public.rapport-new-PID` and `-old-PID` folders, with the PID as `PID`.
fn litter_kinds(site: &Site) -> Vec<String> {
    litter(site)
        .into_iter()
        .map(|n| match n.rsplit_once('-') {
            Some((kind, pid)) if pid.parse::<u32>().is_ok() => format!("{kind}-PID"),
            _ => n,
        })
        .collect()
}

#[cfg(target_os = "linux")]
#[test]
fn a_build_killed_between_the_renames_of_its_swap_loses_no_site() {
    if !strace_available() {
        return;
    }
    let site = Site::fixture("basic");
    site.build(&[]);
    site.write("content/career/new.md", "---\ntitle: New\n---\n\nAdded.\n");
    // SIGKILL at the second rename: the old site is moved aside, the new one not yet in place.
    let mut cmd = std::process::Command::new("strace");
    cmd.args([
        "-f",
        "-o",
        "/dev/null",
        "-e",
        "inject=rename:signal=SIGKILL:when=2",
    ])
    .arg(env!("CARGO_BIN_EXE_rapport"))
    .args(["build", "--today", TODAY])
    .current_dir(&site.root);
    let killed = cmd.output().unwrap();
    assert!(!killed.status.success(), "{killed:?}");
    assert!(
        !site.path("public").exists(),
        "the kill came between the renames"
    );
    assert_eq!(
        litter_kinds(&site),
        [
            ".public.rapport-lock",
            ".public.rapport-new-PID",
            ".public.rapport-old-PID"
        ]
    );
    let new = litter(&site)
        .into_iter()
        .find(|n| n.contains("-new-"))
        .unwrap();
    let new_site = site.tree(&new);
    assert!(new_site.contains_key("career/new/index.html"));
    assert!(new_site.contains_key(".rapport-output"));

    // A build that fails on its content does not touch the output or what is beside it.
    let hr = std::fs::read_to_string(site.path("content/career/hr.md")).unwrap();
    site.write(
        "content/career/hr.md",
        "---\ntitle: HR\n---\n\n[broken](nowhere.md)\n",
    );
    site.run(&["build", "--today", TODAY]).failure(1);
    assert_eq!(site.tree(&new), new_site);
    // One that fails while rendering has put the killed build's finished site in place first,
    // and removed nothing else of it: the only copy of a site is never taken for litter.
    site.write("content/career/hr.md", &hr);
    site.write("templates/page.html", "{{ page.nothing }}");
    site.run(&["build", "--today", TODAY]).failure(1);
    assert_eq!(site.tree("public"), new_site);
    assert_eq!(litter(&site), Vec::<String>::new());

    // The next good build: a whole site, the same as a fresh one, and no litter.
    site.remove("templates/page.html");
    site.build(&[]);
    let rebuilt = site.tree("public");
    assert_eq!(wait_for_no_litter(&site), Vec::<String>::new());
    site.remove("public");
    site.build(&[]);
    assert_eq!(rebuilt, site.tree("public"));
}

/// `chattr FLAG path`: whether it worked (root, on a file system with those flags).
#[cfg(target_os = "linux")]
fn chattr(flag: &str, path: &std::path::Path) -> bool {
    std::process::Command::new("chattr")
        .arg(flag)
        .arg(path)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Makes a file removable again when dropped, so that the temporary folder can go even when
/// the test fails.
#[cfg(target_os = "linux")]
struct Immutable(std::path::PathBuf);

#[cfg(target_os = "linux")]
impl Drop for Immutable {
    fn drop(&mut self) {
        chattr("-i", &self.0);
    }
}

#[cfg(target_os = "linux")]
#[test]
fn an_old_site_that_cannot_be_removed_is_reported_until_it_is_gone() {
    let site = Site::fixture("basic");
    site.build(&[]);
    let file = site.path("public/career/hr/index.html");
    if !chattr("+i", &file) {
        eprintln!("skipped: `chattr +i` needs root and a file system with the flag");
        return;
    }
    let first = site.build(&[]);
    let left = litter(&site);
    let [old] = &left[..] else {
        panic!("one old site is left: {left:?}")
    };
    let pinned = Immutable(site.path(old).join("career/hr/index.html"));
    assert!(
        site.output_exists("career/hr/index.html"),
        "the new site is in place"
    );
    let warning = stderr_of(&first).replace(old, ".public.rapport-old-[PID]");
    assert_snapshot!(warning, @"
    warning: [ROOT]/.public.rapport-old-[PID]/career/hr/index.html: could not be removed: Operation not permitted (os error 1)
     hint: the new site is in place, but `[ROOT]/.public.rapport-old-[PID]` is left beside it until this can be removed (see its permissions and flags, and those of its folder); each build tries again
    ");
    // Each later build says it again, until the file can be removed.
    let again = site.build(&[]);
    assert_eq!(
        stderr_of(&again).replace(old, ".public.rapport-old-[PID]"),
        warning
    );
    let only_old = [old.clone()];
    assert_eq!(wait_for_litter(&site, &only_old), only_old);
    drop(pinned);
    let clean = site.build(&[]);
    assert_eq!(stderr_of(&clean), "");
    assert_eq!(wait_for_no_litter(&site), Vec::<String>::new());
}

#[test]
fn a_rebuild_leaves_no_old_output_behind() {
    let site = big_site();
    site.build(&[]);
    site.build(&[]);
    let left = litter(&site);
    assert!(
        left.iter().all(|n| n.contains("rapport-old-")),
        "only the old output may be left for a moment: {left:?}"
    );
    assert_eq!(wait_for_no_litter(&site), Vec::<String>::new());
    assert!(site.output_exists("s19/p099/index.html"));
}

#[cfg(unix)]
#[test]
fn an_interrupted_build_removes_its_staging_folder() {
    let site = big_site();
    site.build(&[]);
    let before = site.tree("public");
    for sig in ["-INT", "-TERM"] {
        let mut child = build_until_staging(&site);
        signal(&child, sig);
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(130), "{sig}");
        assert_eq!(litter(&site), Vec::<String>::new(), "{sig}");
        assert_eq!(site.tree("public"), before, "{sig}: the old output stays");
    }
}

#[cfg(unix)]
#[test]
fn serve_removes_the_litter_of_dead_builds() {
    let site = Site::minimal();
    std::fs::create_dir_all(site.path(".public.rapport-new-999999/x")).unwrap();
    std::fs::create_dir_all(site.path(".public.rapport-old-999999")).unwrap();
    site.write(".public.rapport-lock", "");
    let mut child = site
        .command(&["serve", "--port", "0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Serving is announced after the litter was removed.
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.starts_with("Serving ") {
        line.clear();
        let n = std::io::BufRead::read_line(&mut out, &mut line).unwrap();
        assert!(n > 0, "serve ended");
    }
    let left = litter(&site);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(left, Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_handbook_are_skipped_with_a_warning() {
    let site = Site::fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    let secret = "TOP-SECRET-outside-the-handbook";
    std::fs::write(outside.path().join("secret.txt"), secret).unwrap();
    std::fs::write(
        outside.path().join("page.md"),
        format!("# Leak\n\n{secret}\n"),
    )
    .unwrap();
    std::fs::create_dir_all(site.path("static")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("static/outlink")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("page.md"), site.path("content/leak.md"))
        .unwrap();
    std::fs::create_dir_all(site.path("themes")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("themes/default")).unwrap();
    let outside_path = outside.path().to_string_lossy().into_owned();
    let err = stderr_of(&site.build(&[])).replace(&outside_path, "[OUTSIDE]");
    assert_snapshot!(err, @"
    warning: content/leak.md: a symbolic link leads outside the handbook folder; skipped
     hint: copy what it points to into the handbook folder, or link to a place inside it
    warning: themes/default: a symbolic link leads outside the handbook folder; skipped
     hint: copy what it points to into the handbook folder, or link to a place inside it
    warning: static/outlink: a symbolic link leads outside the handbook folder; skipped
     hint: copy what it points to into the handbook folder, or link to a place inside it
    ");
    for (name, bytes) in site.tree("public") {
        assert!(!name.starts_with("outlink"), "{name} was copied");
        assert!(!name.starts_with("leak"), "{name} was built");
        assert!(!String::from_utf8_lossy(&bytes).contains(secret), "{name}");
    }
}
