//! Helpers shared by the integration tests: run the real binary on a handbook folder.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn rapport(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run rapport")
}

/// Builds `root` into a fresh folder with a pinned build date; panics with the output on failure.
pub fn build(root: &Path, today: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let o = rapport(&[
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.path().join("site").to_str().unwrap(),
        "--today",
        today,
    ]);
    assert!(
        o.status.success(),
        "build failed:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

pub fn read(dir: &tempfile::TempDir, path: &str) -> String {
    let p = dir.path().join("site").join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

/// Writes `files` (path, text) into a new temporary handbook folder.
pub fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// Runs `rapport check` on `root` and returns its stderr, asserting that it failed.
pub fn check_fails(root: &Path) -> String {
    let o = rapport(&[
        "check",
        "--root",
        root.to_str().unwrap(),
        "--today",
        "2026-03-04",
    ]);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!o.status.success(), "check passed but should fail:\n{err}");
    err
}

/// The text of an HTML fragment without tags, whitespace collapsed.
pub fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
