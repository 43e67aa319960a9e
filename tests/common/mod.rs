//! The one harness of the integration tests: run the `rapport` binary on a site in a temporary
//! folder, exactly as a user would, and read what it wrote.
//!
//! A test copies a fixture (`tests/fixtures/<name>/`), writes a site of its own, or builds the
//! repository's bundled handbook; changes a few files; runs the binary; and reads the output.
//! `html` reads generated pages, `host` serves and crawls an output folder the way a static host
//! would, `browser` drives headless Chromium.

#![allow(dead_code)]

pub mod browser;
pub mod host;
pub mod html;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The date passed as `--today` by [`Site::build`], so that output never depends on the clock.
pub const TODAY: &str = "2024-03-01";

/// The repository, whose `handbook.yaml` and `content/` are the bundled handbook.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A handbook in its own temporary folder. The folder is removed when the value is dropped.
pub struct Site {
    _tmp: tempfile::TempDir,
    /// The handbook folder (holding `handbook.yaml`); the binary runs here.
    pub root: PathBuf,
}

impl Site {
    /// A copy of `tests/fixtures/<name>`.
    pub fn fixture(name: &str) -> Site {
        let site = Site::bare();
        let from = repo().join("tests/fixtures").join(name);
        assert!(from.is_dir(), "no fixture {}", from.display());
        for (rel, bytes) in tree(&from) {
            site.write_bytes(&rel, &bytes);
        }
        site
    }

    /// The smallest site that builds: a config and a home page.
    pub fn minimal() -> Site {
        let site = Site::bare();
        site.write("handbook.yaml", "title: \"Mini\"\n");
        site.write("content/_index.md", "---\ntitle: Home\n---\n\nHello.\n");
        site
    }

    /// A site made of `files` (path, text).
    pub fn with_files(files: &[(&str, &str)]) -> Site {
        let site = Site::bare();
        for (rel, text) in files {
            site.write(rel, text);
        }
        site
    }

    /// An empty temporary folder, for `init` and for sites written by the test.
    pub fn bare() -> Site {
        let tmp = tempfile::tempdir().expect("temporary folder");
        let root = tmp.path().join("site");
        std::fs::create_dir_all(&root).expect("create site folder");
        Site { _tmp: tmp, root }
    }

    /// The repository's bundled handbook built on `today` with `args`, into the `public/` folder
    /// of an otherwise empty site (the repository itself is never written to).
    pub fn bundled(today: &str, args: &[&str]) -> Site {
        let site = Site::bare();
        let out = site.path("public");
        let mut all = vec![
            "--root",
            repo().to_str().expect("UTF-8 path"),
            "--output",
            out.to_str().expect("UTF-8 path"),
        ];
        all.extend_from_slice(args);
        site.build_on(today, &all);
        site
    }

    /// A path inside the site folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes a file (creating its folders), replacing any previous content.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create folders");
        std::fs::write(&path, bytes).expect("write file");
        self
    }

    pub fn remove(&self, rel: &str) -> &Self {
        let path = self.path(rel);
        if path.is_dir() {
            std::fs::remove_dir_all(&path).expect("remove folder");
        } else {
            std::fs::remove_file(&path).expect("remove file");
        }
        self
    }

    /// A `rapport` command run in the site folder, with a clean date environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapport"));
        cmd.args(args)
            .current_dir(&self.root)
            .env_remove("SOURCE_DATE_EPOCH")
            .stdin(Stdio::null());
        cmd
    }

    /// Runs `rapport ARGS` in the site folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// Runs `rapport ARGS` in the site folder with the environment variables `vars` set.
    pub fn run_with_env(&self, args: &[&str], vars: &[(&str, &str)]) -> Run {
        let mut cmd = self.command(args);
        cmd.envs(vars.iter().copied());
        Run::from(cmd.output().expect("run rapport")).in_site(&self.root)
    }

    /// `rapport build --today TODAY ARGS`, which must succeed.
    pub fn build(&self, args: &[&str]) -> Run {
        self.build_on(TODAY, args)
    }

    /// `rapport build --today DATE ARGS`, which must succeed.
    pub fn build_on(&self, today: &str, args: &[&str]) -> Run {
        let mut all = vec!["build", "--today", today];
        all.extend_from_slice(args);
        self.run(&all).success()
    }

    /// `rapport build --today TODAY`, which must fail with exit code 1 (content errors).
    pub fn build_fails(&self) -> Run {
        self.run(&["build", "--today", TODAY]).failure(1)
    }

    /// `rapport check`, which must fail with exit code 1.
    pub fn check_fails(&self) -> Run {
        self.run(&["check", "--today", TODAY]).failure(1)
    }

    /// A file of the default output folder `public/`.
    pub fn output(&self, rel: &str) -> String {
        let path = self.path("public").join(rel);
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
    }

    pub fn output_exists(&self, rel: &str) -> bool {
        self.path("public").join(rel).exists()
    }

    /// Every file below `rel`, by relative path, with its bytes.
    pub fn tree(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        tree(&self.path(rel))
    }
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// The site folder it ran in, for [`stderr_of`] to redact.
    pub root: Option<PathBuf>,
}

impl From<std::process::Output> for Run {
    fn from(o: std::process::Output) -> Run {
        Run {
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
            root: None,
        }
    }
}

impl Run {
    /// The same run, known to have run in the site folder `root`.
    pub fn in_site(mut self, root: &Path) -> Run {
        self.root = Some(root.to_path_buf());
        self
    }

    pub fn success(self) -> Run {
        assert_eq!(self.code, Some(0), "expected success, got {self}");
        self
    }

    pub fn failure(self, code: i32) -> Run {
        assert_eq!(
            self.code,
            Some(code),
            "expected exit code {code}, got {self}"
        );
        self
    }

    /// The `error: ` lines of stderr (the first line of every diagnostic).
    pub fn error_lines(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect()
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit code {:?}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// The whole stderr of `run`, with what varies from run to run redacted, for a snapshot
/// (`insta::assert_snapshot!(stderr_of(&run), @"…")`): the site folder becomes `[ROOT]`, the
/// temporary folder around it `[TMP]`, the repository `[REPO]`, a duration `12 ms` `[TIME]`,
/// and the version (`rapport --version`'s, and `rapport 0.1.0` in a page) `[VERSION]`. Colour
/// is off, since stderr is a pipe; a snapshot with an escape sequence in it would show that.
pub fn stderr_of(run: &Run) -> String {
    redact(&run.stderr, run.root.as_deref())
}

/// `text` with the varying parts of [`stderr_of`] redacted; `root` is the site folder.
pub fn redact(text: &str, root: Option<&Path>) -> String {
    let mut text = text.to_string();
    let mut folders: Vec<(PathBuf, &str)> = Vec::new();
    if let Some(root) = root {
        folders.push((root.to_path_buf(), "[ROOT]"));
        if let Some(tmp) = root.parent() {
            folders.push((tmp.to_path_buf(), "[TMP]"));
        }
    }
    folders.push((repo().to_path_buf(), "[REPO]"));
    // Longest first, each also as the OS spells it once links are resolved.
    let mut pairs: Vec<(String, &str)> = Vec::new();
    for (path, name) in folders {
        let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
        for p in [canonical, path] {
            let p = p.to_string_lossy().into_owned();
            pairs.push((p.replace('\\', "/"), name));
            pairs.push((p, name));
        }
    }
    pairs.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    for (path, name) in pairs {
        text = text.replace(&path, name);
    }
    // `rapport --version` names the commit; pages name the package version.
    let version = rapport::cli::VERSION;
    if !version.is_empty() {
        text = text.replace(version, "[VERSION]");
    }
    let package = concat!("rapport ", env!("CARGO_PKG_VERSION"));
    text = text.replace(package, "rapport [VERSION]");
    redact_durations(&text)
}

/// Every `<digits> ms` (and `<digits>.<digits> ms`, `<digits>ms`) as `[TIME]`.
fn redact_durations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let glued = start > 0 && rest[..start].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        let number = rest[start..]
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map_or(rest.len(), |n| start + n);
        let after = &rest[number..];
        let unit = [" ms", "ms"].into_iter().find(|u| {
            after.starts_with(u) && !after[u.len()..].starts_with(|c: char| c.is_alphanumeric())
        });
        match unit {
            Some(u) if !glued => {
                out.push_str(&rest[..start]);
                out.push_str("[TIME]");
                rest = &after[u.len()..];
            }
            _ => {
                out.push_str(&rest[..number]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Runs `cmd`, killing it and failing the test if it has not finished after `limit`. Only a
/// guard against hangs: no test asserts on timing.
pub fn run_guarded(mut cmd: Command, limit: Duration) -> Run {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn rapport");
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return Run::from(child.wait_with_output().expect("output"));
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("rapport did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every file below `dir` (which must exist), by path relative to it with `/`, sorted.
pub fn files(dir: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let entries = std::fs::read_dir(&folder)
            .unwrap_or_else(|e| panic!("cannot list {}: {e}", folder.display()));
        for entry in entries {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("inside the folder");
                out.insert(rel.to_string_lossy().replace('\\', "/"), path);
            }
        }
    }
    out
}

/// Every file below `dir`, by relative path, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .map(|(rel, path)| (rel, std::fs::read(path).expect("read file")))
        .collect()
}
