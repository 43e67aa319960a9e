//! Embeds the default theme (`themes/default/`) into the binary, so that an installed rapport
//! works in any folder. The file list is generated, so adding a theme file needs no code change.
//!
//! Also sets `RAPPORT_VERSION`, the text of `rapport --version`: the package version, and the
//! commit it was built from when this is a Git checkout of rapport (not a crates.io download).

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    version();
    position_dependent();
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("themes/default");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut out = String::from(
        "/// Files of the built-in default theme: (path inside the theme, bytes).\npub static FILES: &[(&str, &[u8])] = &[\n",
    );
    for (rel, abs) in &files {
        println!("cargo:rerun-if-changed={}", abs.display());
        out.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            abs.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("theme_files.rs");
    std::fs::write(dest, out).unwrap();
}

/// Links the `rapport` binary at a fixed address (not as a position-independent executable)
/// on Linux. The tz database (chrono-tz) is some 35,000 `&'static str` names: in a PIE the
/// loader relocates each at every start, 1.2 MB of pages written before `main`, about a
/// millisecond of every run (`rapport --version` 3.4 → 2.2 ms). The library, tests and other
/// platforms are unchanged; the shared libraries, heap and stack keep their random addresses.
fn position_dependent() {
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    if linux {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with('~') {
            continue;
        }
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(root, &path, files);
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.push((rel, path));
        }
    }
}

/// `0.1.0 (1a2b3c4d5e6f 2026-12-01)` in a Git checkout, else `0.1.0`. Any failure of `git` (not
/// installed, not a checkout, an unrelated repository around a vendored copy) drops the commit.
fn version() {
    let version = std::env::var("CARGO_PKG_VERSION").unwrap();
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git")
            .args(args)
            .current_dir(&dir)
            .output()
            .ok()?;
        let text = String::from_utf8(out.stdout).ok()?;
        (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
    };
    let ours = git(&["rev-parse", "--show-toplevel"])
        .and_then(|top| Path::new(&top).canonicalize().ok())
        .is_some_and(|top| dir.canonicalize().is_ok_and(|d| d == top));
    let line = match ours.then(|| git(&["log", "-1", "--format=%h %cs", "--abbrev=12"])) {
        Some(Some(commit)) => {
            // Rebuild when HEAD moves: watch HEAD, the branch it names and the packed refs.
            for rel in ["HEAD", "packed-refs"] {
                watch_git_path(&git, rel);
            }
            if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
                watch_git_path(&git, &branch);
            }
            format!("{version} ({commit})")
        }
        _ => version,
    };
    println!("cargo:rustc-env=RAPPORT_VERSION={line}");
}

/// Reruns the build script when the file behind `git rev-parse --git-path REL` changes (only if
/// it exists: a missing file would rerun the script on every build).
fn watch_git_path(git: &dyn Fn(&[&str]) -> Option<String>, rel: &str) {
    if let Some(path) = git(&["rev-parse", "--path-format=absolute", "--git-path", rel])
        && Path::new(&path).exists()
    {
        println!("cargo:rerun-if-changed={path}");
    }
}
