//! The command line: `check`, `init`, exit codes, `--quiet`, the summary, and error reporting;
//! closed pipes, colour, completions, man pages and `--version`.

mod common;
use common::{Site, TODAY, repo, stderr_of};
use insta::assert_snapshot;
use std::process::{Command, Stdio};

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
    assert_snapshot!(stderr_of(&site.run(&["build", "-q"]).failure(1)), @"
    error: content/career/x.md:1:1: the page has no title
     1 | no title
       | ^
     hint: add `title: ...` to the front matter, or start the page with a `# Heading`

    1 error found
    ");
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
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/career/x.md:1:1: the page has no title
     1 | no title
       | ^
     hint: add `title: ...` to the front matter, or start the page with a `# Heading`

    error: templates/page.html:1:17: Unknown filter `shout`
     1 | {{ page.title | shout }}
       |                 ^
     hint: see the theming guide in the README for the variables each template receives

    2 errors found
    ");
}

#[test]
fn usage_errors_exit_with_code_2() {
    let site = Site::fixture("basic");
    assert_snapshot!(stderr_of(&site.run(&["build", "--bogus"]).failure(2)), @"
    error: unexpected argument '--bogus' found

    Usage: rapport build [OPTIONS]

    For more information, try '--help'.
    ");
    assert_snapshot!(stderr_of(&site.run(&["build", "--today", "2024-13-01"]).failure(2)), @"
    error: invalid value '2024-13-01' for '--today <YYYY-MM-DD>': impossible date `2024-13-01`: month 13 is not between 1 and 12

    For more information, try '--help'.
    ");
    // A date far outside the calendar the planner works in, not a crash.
    assert_snapshot!(stderr_of(&site.run(&["build", "--today", "+262142-12-31"]).failure(2)), @"
    error: invalid value '+262142-12-31' for '--today <YYYY-MM-DD>': `+262142-12-31` is not a date; write dates as YYYY-MM-DD, e.g. 2026-03-15

    For more information, try '--help'.
    ");
    assert_snapshot!(stderr_of(&site.run(&["build", "--base-url", "example.org"]).failure(2)), @"
    error: invalid value 'example.org' for '--base-url <URL>': `base_url` must be an absolute URL or a path starting with `/`, got `example.org`

    For more information, try '--help'.
    ");
    site.run(&["frobnicate"]).failure(2);
    site.run(&[]).failure(2);
    assert!(!site.path("public").exists());
}

#[test]
fn a_bad_date_flag_says_what_is_wrong_with_it() {
    let site = Site::fixture("basic");
    let cases = [
        (
            &["build", "--today", "2026-13-01"][..],
            "error: invalid value '2026-13-01' for '--today <YYYY-MM-DD>': \
             impossible date `2026-13-01`: month 13 is not between 1 and 12",
        ),
        (
            &["print", "--start", "2026-02-30"],
            "error: invalid value '2026-02-30' for '--start <DATE>': \
             impossible date `2026-02-30`: February 2026 has 28 days",
        ),
        (
            &["check", "--today", "2026-04-00"],
            "error: invalid value '2026-04-00' for '--today <YYYY-MM-DD>': \
             impossible date `2026-04-00`: day 0 is not between 1 and 30",
        ),
        (
            &["build", "--today", "1899-12-31"],
            "error: invalid value '1899-12-31' for '--today <YYYY-MM-DD>': \
             `1899-12-31`: the year 1899 is not between 1900 and 9999",
        ),
        (
            &["build", "--today", "1.3.2026"],
            "error: invalid value '1.3.2026' for '--today <YYYY-MM-DD>': \
             `1.3.2026` is not a date; write dates as YYYY-MM-DD, e.g. 2026-03-15",
        ),
    ];
    for (args, line) in cases {
        let run = site.run(args).failure(2);
        assert_eq!(run.stderr.lines().next(), Some(line), "{}", run.stderr);
    }
}

#[test]
fn closed_sets_of_values_are_listed_in_help_and_errors() {
    let site = Site::fixture("basic");
    let help = site.run(&["print", "--help"]).success().stdout;
    assert!(
        help.contains("Print on this paper, for this print only [possible values: A4, Letter]"),
        "{help}"
    );
    let help = site.run(&["completions", "--help"]).success().stdout;
    assert!(
        help.contains("[possible values: bash, elvish, fish, powershell, zsh]"),
        "{help}"
    );
    let help = site.run(&["build", "--help"]).success().stdout;
    assert!(
        help.contains("[possible values: auto, always, never]"),
        "{help}"
    );
    let run = site.run(&["print", "--paper", "B5"]).failure(2);
    assert_eq!(
        run.stderr,
        "error: invalid value 'B5' for '--paper <PAPER>'\n  \
         [possible values: A4, Letter]\n\nFor more information, try '--help'.\n"
    );
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
    assert!(
        people.contains(r#"<span class="example-label">Example</span> My supervisor"#),
        "{people}"
    );
    let planner = std::fs::read_to_string(root.join("public/planner/index.html")).unwrap();
    assert!(planner.contains("One coffee chat"), "{planner}");
    // The examples are on their worksheet's sheet, but due in no week.
    let weeks = planner.split(r#"class="sheet sheet-week""#).skip(1);
    assert!(weeks.clone().count() > 0);
    for w in weeks {
        assert!(!w.contains("My supervisor"), "{w}");
    }
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
    assert_snapshot!(stderr_of(&site.run(&["init", "hb"]).failure(2)), @"
    error: `hb` is not empty
     hint: choose a new folder, or pass --force to write into it anyway
    ");
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

/// A control character in `--title` made a handbook whose build failed on it (issue 23): init
/// refuses it with the message build gives for it in `handbook.yaml`, and writes nothing.
#[test]
fn init_refuses_a_control_character_in_the_title_as_build_does() {
    let site = Site::bare();
    let run = site
        .run(&["init", "hb", "--title", "My\u{7}Book"])
        .failure(2);
    assert_eq!(
        run.stderr,
        "error: --title: control character U+0007 in the text\n hint: type the title without \
         it: `rapport build` refuses it in `handbook.yaml`\n",
        "{run}"
    );
    assert_eq!(run.stdout, "");
    assert!(!site.path("hb").exists());
    // The same message as build's for the title written in the config.
    site.write("content/_index.md", "---\ntitle: Home\n---\n")
        .write("handbook.yaml", "title: \"My\u{7}Book\"\n");
    let run = site.build_fails();
    assert_eq!(
        run.error_lines(),
        ["error: handbook.yaml:1:11: control character U+0007 in the text"],
        "{run}"
    );
}

#[test]
fn refusals_and_failed_file_operations_exit_with_code_2() {
    let site = Site::fixture("basic");
    // A refused output folder: the handbook itself.
    assert_snapshot!(stderr_of(&site.run(&["build", "--output", "."]).failure(2)), @"
    error: refusing to replace `[ROOT]/.`: it holds the handbook itself
     hint: choose another --output folder, e.g. `public`
    ");
    // A file operation that fails names its path.
    site.write("taken", "a file, not a folder\n");
    assert_snapshot!(stderr_of(&site.run(&["build", "--output", "taken/site"]).failure(2)), @"error: could not create the folder `[ROOT]/taken`: File exists (os error 17)");
    // Problems in the handbook are 1, and `check`'s findings are such problems.
    site.write("content/career/x.md", "# X\n\n[gone](gone.md)\n");
    site.run(&["check"]).failure(1);
}

/// Runs rapport with its stdout the write end of a pipe whose read end is already closed, so its
/// first line of output meets a broken pipe.
#[cfg(unix)]
fn run_into_closed_pipe(site: &Site, args: &[&str]) -> common::Run {
    use std::os::fd::FromRawFd;
    let mut fds = [0; 2];
    assert_eq!(unsafe { libc::pipe(fds.as_mut_ptr()) }, 0, "pipe");
    assert_eq!(unsafe { libc::close(fds[0]) }, 0, "close the read end");
    let write_end = unsafe { std::fs::File::from_raw_fd(fds[1]) };
    let output = site
        .command(args)
        .stdout(write_end)
        .stderr(Stdio::piped())
        .output()
        .expect("run rapport");
    common::Run::from(output).in_site(&site.root)
}

#[cfg(unix)]
#[test]
fn a_closed_stdout_ends_quietly_with_the_commands_own_code() {
    let site = Site::fixture("basic");
    for args in [
        &["build", "--today", TODAY][..],
        &["check", "--today", TODAY],
        &["completions", "bash"],
        &["man"],
        &["--help"],
    ] {
        let run = run_into_closed_pipe(&site, args).success();
        assert_eq!(run.stderr, "", "{args:?}");
    }
    // Content errors still go to stderr and still exit 1.
    site.write("content/career/x.md", "no title\n");
    let run = run_into_closed_pipe(&site, &["check", "--today", TODAY]).failure(1);
    assert_snapshot!(stderr_of(&run), @"
    error: content/career/x.md:1:1: the page has no title
     1 | no title
       | ^
     hint: add `title: ...` to the front matter, or start the page with a `# Heading`

    1 error found
    ");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn piped_into_head_exits_0_without_a_panic() {
    // The bundled handbook lists many external links, more than `head -1` reads.
    let site = Site::bare();
    let root = repo().to_str().unwrap();
    for pipeline in [
        format!("\"$0\" check --root '{root}' --today {TODAY} | head -1"),
        format!("\"$0\" build --root '{root}' --output out --today {TODAY} | head -0"),
    ] {
        let out = Command::new("bash")
            .args(["-c", &format!("set -o pipefail; {pipeline}")])
            .arg(env!("CARGO_BIN_EXE_rapport"))
            .current_dir(&site.root)
            .output()
            .expect("run bash");
        let run = common::Run::from(out).success();
        assert!(
            !run.stderr.contains("panicked"),
            "{pipeline}: {}",
            run.stderr
        );
        assert!(run.stdout.lines().count() <= 1, "{}", run.stdout);
    }
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let site = Site::fixture("basic");
    site.write("content/career/x.md", "no title\n");
    let red = "\x1b[1;31merror\x1b[0m";
    let plain = site.run(&["build"]).failure(1);
    assert!(!plain.stderr.contains('\x1b'), "{}", plain.stderr);
    let always = site.run(&["build", "--color", "always"]).failure(1);
    assert!(always.stderr.contains(red), "{:?}", always.stderr);
    // The flag beats NO_COLOR; `never` beats a terminal.
    let flag = site
        .run_with_env(&["build", "--color=always"], &[("NO_COLOR", "1")])
        .failure(1);
    assert!(flag.stderr.contains(red), "{:?}", flag.stderr);
    site.run(&["build", "--color", "sometimes"]).failure(2);
}

/// `rapport ARGS` on a pseudo-terminal (util-linux `script`), stdout and stderr both.
#[cfg(target_os = "linux")]
fn on_a_terminal(site: &Site, args: &str, vars: &[(&str, &str)]) -> String {
    let out = Command::new("script")
        .args([
            "-qec",
            &format!("'{}' {args}", env!("CARGO_BIN_EXE_rapport")),
            "/dev/null",
        ])
        .current_dir(&site.root)
        .env("TERM", "xterm")
        .env_remove("NO_COLOR")
        .envs(vars.iter().copied())
        .stdin(Stdio::null())
        .output()
        .expect("util-linux `script` runs (Debian package bsdutils)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[cfg(target_os = "linux")]
#[test]
fn a_terminal_gets_colour_unless_no_color_is_set() {
    let site = Site::fixture("basic");
    site.write("content/career/x.md", "no title\n");
    let tty = on_a_terminal(&site, "build", &[]);
    assert!(tty.contains("\x1b[1;31merror\x1b[0m"), "{tty:?}");
    assert!(tty.contains("the page has no title"), "{tty:?}");
    let no_color = on_a_terminal(&site, "build", &[("NO_COLOR", "1")]);
    assert!(
        no_color.contains("error: content/career/x.md"),
        "{no_color:?}"
    );
    assert!(!no_color.contains("\x1b[1;31m"), "{no_color:?}");
    let never = on_a_terminal(&site, "build --color never", &[]);
    assert!(!never.contains("\x1b[1;31m"), "{never:?}");
}

#[test]
fn completions_for_every_shell() {
    let site = Site::bare();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = site.run(&["completions", shell]).success();
        for word in ["build", "check", "serve", "base-url", "today"] {
            assert!(run.stdout.contains(word), "{shell} lacks {word}");
        }
    }
    // The bash script is valid bash.
    #[cfg(unix)]
    {
        let bash = site.run(&["completions", "bash"]).success().stdout;
        site.write("rapport.bash", &bash);
        let status = Command::new("bash")
            .args(["-n", "rapport.bash"])
            .current_dir(&site.root)
            .status()
            .expect("run bash");
        assert!(status.success());
    }
    site.run(&["completions", "tcsh"]).failure(2);
}

#[test]
fn man_pages_for_rapport_and_each_command() {
    let site = Site::bare();
    let page = site.run(&["man"]).success().stdout;
    assert!(page.contains(".TH rapport 1"), "{page}");
    assert!(page.contains(".SH NAME"), "{page}");
    for cmd in ["build", "check", "serve", "print", "init", "completions"] {
        assert!(page.contains(&format!("rapport\\-{cmd}")), "{cmd}: {page}");
        let sub = site.run(&["man", cmd]).success().stdout;
        assert!(sub.contains(&format!(".TH rapport-{cmd} 1")), "{sub}");
    }
    let build = site.run(&["man", "build"]).success().stdout;
    for flag in ["\\-\\-base\\-url", "\\-\\-output", "\\-\\-today"] {
        assert!(build.contains(flag), "{flag}: {build}");
    }
    assert_snapshot!(stderr_of(&site.run(&["man", "frobnicate"]).failure(2)), @"
    error: rapport has no command `frobnicate`
     hint: name one of build, check, init, serve, print, completions, man
    ");
}

#[test]
#[ignore = "needs groff"]
fn man_pages_are_clean_roff() {
    let site = Site::bare();
    for args in [&["man"][..], &["man", "build"], &["man", "serve"]] {
        let page = site.run(args).success().stdout;
        site.write("page.1", &page);
        let out = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-z", "page.1"])
            .current_dir(&site.root)
            .output()
            .expect("groff runs (Debian package groff-base)");
        assert!(out.status.success(), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}");
    }
}

#[test]
fn version_names_the_commit_when_built_from_a_checkout() {
    let site = Site::bare();
    let version = site.run(&["--version"]).success().stdout;
    let expected = format!("rapport {}", env!("CARGO_PKG_VERSION"));
    assert!(version.starts_with(&expected), "{version}");
    // The same for `-V` and on a command.
    assert_eq!(site.run(&["-V"]).success().stdout, version);
    let on_build = site.run(&["build", "--version"]).success().stdout;
    assert_eq!(on_build.replacen("rapport-build", "rapport", 1), version);
    let head = Command::new("git")
        .args(["log", "-1", "--format=%h %cs", "--abbrev=12"])
        .current_dir(repo())
        .output();
    match head {
        Ok(out) if out.status.success() => {
            let commit = String::from_utf8_lossy(&out.stdout).trim().to_string();
            assert_eq!(version.trim_end(), format!("{expected} ({commit})"));
        }
        // Not a Git checkout (a crates.io download): the version alone.
        _ => assert_eq!(version.trim_end(), expected),
    }
}

#[test]
fn zolas_short_flags() {
    let site = Site::fixture("basic");
    site.run(&[
        "build",
        "-r",
        ".",
        "-u",
        "https://example.org/hb/",
        "-o",
        "out",
        "--today",
        TODAY,
    ])
    .success();
    let home = std::fs::read_to_string(site.path("out/index.html")).unwrap();
    assert!(home.contains("https://example.org/hb/"), "{home}");
    site.run(&["check", "-u", "https://example.org/hb/", "--today", TODAY])
        .success();
    let help = site.run(&["serve", "--help"]).success().stdout;
    for flag in ["-i, --interface", "-p, --port", "-O, --open"] {
        assert!(help.contains(flag), "{flag}: {help}");
    }
}

#[test]
fn init_writes_a_readme_and_a_gitignore_to_carry_on_alone() {
    let site = Site::bare();
    site.run(&["init", "hb", "--title", "Ada's handbook"])
        .success();
    let hb = site.path("hb");
    let readme = std::fs::read_to_string(hb.join("README.md")).unwrap();
    assert!(readme.starts_with("# Ada's handbook\n"), "{readme}");
    for part in [
        "rapport serve",
        "rapport build",
        "rapport check",
        "rapport print",
        "## Publish on GitHub Pages",
        "*GitHub Actions*",
        "## Keep personal data off the public site",
        "`content/private/`",
        "draft: true",
        concat!(
            "cargo install --locked rapport-handbook --version ",
            env!("CARGO_PKG_VERSION")
        ),
    ] {
        assert!(readme.contains(part), "README lacks {part:?}");
    }
    // Every file the README's table names exists.
    let mut named = 0;
    for row in readme.lines().filter(|l| l.starts_with("| `")) {
        let path = row[3..].split('`').next().unwrap();
        assert!(
            hb.join(path).exists(),
            "README names {path}, which init did not write"
        );
        named += 1;
    }
    assert!(named >= 5, "{readme}");

    // What rapport writes and the private worksheets stay out of Git; the handbook does not.
    site.run(&["build", "--root", "hb", "--today", TODAY])
        .success();
    site.write("hb/planner.pdf", "%PDF-1.7\n");
    site.write(
        "hb/content/private/people.yaml",
        "kind: stakeholders\npeople: []\n",
    );
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(&hb)
            .output()
            .expect("git runs")
    };
    assert!(git(&["init", "-q"]).status.success());
    let ignored = git(&[
        "check-ignore",
        "public/index.html",
        "planner.pdf",
        "content/private/people.yaml",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&ignored.stdout),
        "public/index.html\nplanner.pdf\ncontent/private/people.yaml\n"
    );
    let kept = git(&[
        "check-ignore",
        "README.md",
        "handbook.yaml",
        ".gitignore",
        "content/_index.md",
        "content/01-basics/03-people.yaml",
        ".github/workflows/pages.yml",
    ]);
    assert_eq!(String::from_utf8_lossy(&kept.stdout), "");
}

/// `# key: value`, `#   key:`: a key commented out, not prose.
fn is_key_line(line: &str) -> bool {
    let rest = line.trim_start_matches('#').trim_start();
    let key = rest.split(':').next().unwrap_or("");
    !key.is_empty()
        && key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        && (rest.contains(": ") || rest.ends_with(':'))
}

/// The keys `handbook.yaml` (or its `section:`) accepts, as the error for an unknown key lists
/// them.
fn known_keys(section: Option<&str>) -> Vec<String> {
    let site = Site::bare();
    let yaml = match section {
        None => "title: T\nzzz: 1\n".to_string(),
        Some(s) => format!("title: T\n{s}:\n  zzz: 1\n"),
    };
    site.write("handbook.yaml", &yaml);
    let err = site.run(&["check"]).failure(1).stderr;
    let list = err
        .split("known keys: ")
        .nth(1)
        .unwrap_or_else(|| panic!("{err}"))
        .lines()
        .next()
        .unwrap();
    list.split(", ").map(str::to_string).collect()
}

#[test]
fn init_explains_every_key_of_handbook_yaml_and_every_example_works() {
    let site = Site::bare();
    site.run(&["init", "hb", "-q"]).success();
    let text = std::fs::read_to_string(site.path("hb/handbook.yaml")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let explained = |indent: &str, key: &str| {
        lines.iter().enumerate().any(|(i, l)| {
            let set = l.starts_with(&format!("{indent}{key}:"))
                || l.starts_with(&format!("# {indent}{key}:"))
                || l.starts_with(&format!("#{indent}{key}:"));
            // The line before is a comment of prose, not another key.
            set && i > 0 && lines[i - 1].starts_with('#') && !is_key_line(lines[i - 1])
        })
    };
    let top = known_keys(None);
    assert!(top.len() >= 12, "{top:?}");
    for key in &top {
        assert!(explained("", key), "handbook.yaml does not explain `{key}`");
    }
    for (section, indent) in [("planner", "  # "), ("sitemap", "  ")] {
        for key in known_keys(Some(section)) {
            let found = explained(indent, &key)
                || lines.iter().any(|l| l.starts_with(&format!("#   {key}:")));
            assert!(found, "handbook.yaml does not show `{section}.{key}`");
        }
    }

    // Taking out the `# ` of every example gives a handbook that builds with them all.
    let uncommented: String = lines
        .iter()
        .map(|l| {
            let rest = l.strip_prefix("# ").unwrap_or("");
            if (l.starts_with("# ") && is_key_line(l)) || l.starts_with("#   ") {
                format!("{rest}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    assert_ne!(uncommented, text);
    site.write("hb/handbook.yaml", &uncommented);
    site.run(&["build", "--root", "hb", "--today", TODAY])
        .success();
    assert_eq!(
        std::fs::read_to_string(site.path("hb/public/CNAME")).unwrap(),
        "handbook.example.org\n"
    );
}

#[test]
fn init_worksheets_print_with_rows_to_write_in() {
    let site = Site::bare();
    site.run(&["init", "hb", "-q"]).success();
    site.run(&["build", "--root", "hb", "--today", TODAY])
        .success();
    let people = std::fs::read_to_string(site.path("hb/public/basics/people/index.html")).unwrap();
    assert_eq!(
        people
            .matches("<tr class=\"blank-row print-only\">")
            .count(),
        6
    );
    let habits = std::fs::read_to_string(site.path("hb/public/basics/habits/index.html")).unwrap();
    // Four under each of the weekly, monthly and yearly lists.
    assert_eq!(
        habits.matches("class=\"blank-item print-only\"").count(),
        12
    );
}
