//! The command line: `check`, `init`, exit codes, `--quiet`, the summary, and error reporting.

mod common;
use common::{Site, TODAY};

#[test]
fn build_prints_a_summary_with_the_counts() {
    let site = Site::fixture("basic");
    let run = site.build(&[]);
    // 5 pages; sections: home, why, career.
    assert!(
        run.stdout.starts_with("Built 5 pages in 3 sections into "),
        "{}",
        run.stdout
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn quiet_prints_nothing_on_success() {
    let site = Site::fixture("basic");
    for args in [
        &["build", "--quiet", "--today", TODAY][..],
        &["-q", "build"],
        &["check", "-q"],
    ] {
        let run = site.run(args).success();
        assert_eq!(
            (run.stdout.as_str(), run.stderr.as_str()),
            ("", ""),
            "{args:?}"
        );
    }
}

#[test]
fn quiet_still_prints_errors() {
    let site = Site::fixture("basic");
    site.write("content/career/x.md", "no title\n");
    site.run(&["build", "-q"])
        .failure(1)
        .stderr_has(&["the page has no title"]);
}

#[test]
fn check_validates_without_writing_anything() {
    let site = Site::fixture("basic");
    let before = site.tree("");
    let run = site.run(&["check"]).success();
    assert!(
        run.stdout
            .starts_with("Checked 5 pages in 3 sections: 0 errors, 0 warnings"),
        "{}",
        run.stdout
    );
    assert_eq!(site.tree(""), before);
    assert!(!site.path("public").exists());
}

#[test]
fn check_finds_the_same_errors_as_build() {
    let site = Site::fixture("basic");
    site.write("content/career/x.md", "# X\n\n[gone](gone.md)\n");
    let check = site.check_fails();
    let build = site.build_fails();
    assert_eq!(check.stderr, build.stderr);
    assert!(!site.path("public").exists());
}

#[test]
fn all_errors_are_reported_sorted_by_file_and_line() {
    let site = Site::fixture("basic");
    site.write("content/career/zz.md", "---\ntitle: Z\nwieght: 1\n---\n");
    site.write(
        "content/01-why/02-weak-ties.md",
        "# Weak\n\n[a](a.md)\n\n[b](b.md)\n",
    );
    site.write("handbook.yaml", "title: T\n");
    let run = site.build_fails();
    let errors = run.error_lines();
    assert_eq!(errors.len(), 3, "{}", run.stderr);
    assert!(
        errors[0].starts_with("error: content/01-why/02-weak-ties.md:3:1:"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("error: content/01-why/02-weak-ties.md:5:1:"),
        "{errors:?}"
    );
    assert!(
        errors[2].starts_with("error: content/career/zz.md:3:1: unknown key `wieght`"),
        "{errors:?}"
    );
    assert!(
        run.stderr.trim_end().ends_with("3 errors found"),
        "{}",
        run.stderr
    );
}

#[test]
fn content_and_theme_errors_are_reported_together() {
    let site = Site::fixture("basic");
    site.write("content/career/x.md", "no title\n");
    site.write("templates/page.html", "{{ page.title | shout }}");
    let run = site.build_fails();
    assert_eq!(run.error_lines().len(), 2, "{}", run.stderr);
    run.stderr_has(&["content/career/x.md:1:1", "templates/page.html:1:"]);
}

#[test]
fn usage_errors_exit_with_code_2() {
    let site = Site::fixture("basic");
    site.run(&["build", "--bogus"])
        .failure(2)
        .stderr_has(&["--bogus"]);
    site.run(&["build", "--today", "2024-13-01"])
        .failure(2)
        .stderr_has(&["2024-13-01", "YYYY-MM-DD"]);
    // A date far outside the calendar the planner works in, not a crash.
    site.run(&["build", "--today", "+262142-12-31"])
        .failure(2)
        .stderr_has(&["years 1900 to 9999"]);
    site.run(&["build", "--base-url", "example.org"])
        .failure(2)
        .stderr_has(&["example.org"]);
    site.run(&["frobnicate"]).failure(2);
    site.run(&[]).failure(2);
    assert!(!site.path("public").exists());
}

#[test]
fn help_and_version_succeed() {
    let site = Site::bare();
    let run = site.run(&["--help"]).success();
    for cmd in ["build", "check", "init"] {
        assert!(run.stdout.contains(cmd), "{}", run.stdout);
    }
    site.run(&["build", "--help"]).success();
    let run = site.run(&["--version"]).success();
    assert!(run.stdout.contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn root_and_output_can_be_given() {
    let site = Site::fixture("basic");
    let elsewhere = Site::bare();
    let out = elsewhere.path("out");
    let run = elsewhere.run(&[
        "build",
        "--root",
        site.root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    run.success();
    assert!(out.join("career/hr/index.html").is_file());
    assert!(!site.path("public").exists());
}

#[test]
fn init_creates_a_handbook_that_builds() {
    let site = Site::bare();
    let run = site
        .run(&["init", "hb", "--title", "Ada's \"network\""])
        .success();
    assert!(
        run.stdout.contains("Created a new handbook in hb"),
        "{}",
        run.stdout
    );
    let root = site.path("hb");
    let run = site
        .run(&["build", "--root", "hb", "--today", TODAY])
        .success();
    assert!(
        run.stdout.starts_with("Built 4 pages in 2 sections"),
        "{}",
        run.stdout
    );
    // The starter worksheets render as pages and feed the planner.
    let people = std::fs::read_to_string(root.join("public/basics/people/index.html")).unwrap();
    assert!(people.contains("Example: my supervisor"), "{people}");
    let planner = std::fs::read_to_string(root.join("public/planner/index.html")).unwrap();
    assert!(planner.contains("One coffee chat"), "{planner}");
    let home = std::fs::read_to_string(root.join("public/index.html")).unwrap();
    assert!(
        home.contains("<title>Ada&#39;s &quot;network&quot;</title>"),
        "{home}"
    );
    site.run(&["check", "--root", "hb"]).success();
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let site = Site::bare();
    site.write("hb/notes.txt", "mine\n");
    site.run(&["init", "hb"])
        .failure(1)
        .stderr_has(&["`hb` is not empty", "--force"]);
    assert!(!site.path("hb/handbook.yaml").exists());
    site.run(&["init", "hb", "--force"]).success();
    assert!(site.path("hb/handbook.yaml").exists());
    assert_eq!(
        std::fs::read_to_string(site.path("hb/notes.txt")).unwrap(),
        "mine\n"
    );
}

#[test]
fn init_into_an_empty_folder_is_fine() {
    let site = Site::bare();
    std::fs::create_dir(site.path("hb")).unwrap();
    site.run(&["init", "hb"]).success();
    site.run(&["build", "--root", "hb"]).success();
}
