//! The library's layers, checked: no module uses one above it, so data flows one way
//! (config → content → render → site; serve and print on top), as `src/lib.rs` says.

use std::collections::BTreeSet;
use std::path::Path;

/// Lowest first. A module may use modules of lower layers only.
const LAYERS: &[&[&str]] = &[
    &["hash"],
    &["error", "value", "markdown"],
    &["dates", "fs", "yaml"],
    &["timezone", "recurrence"],
    &["config"],
    &["worksheet"],
    &["content"],
    &["plan"],
    &["planner", "calendar"],
    &["search"],
    &["render"],
    &["publish", "check"],
    &["site"],
    &["print", "serve", "init"],
    &["cli"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The top-level modules a file names as `crate::module`.
fn uses(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + 7..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

fn rust_files(path: &Path, out: &mut Vec<std::path::PathBuf>) {
    if path.is_dir() {
        for e in std::fs::read_dir(path).unwrap() {
            rust_files(&e.unwrap().path(), out);
        }
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_path_buf());
    }
}

#[test]
fn no_module_uses_one_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if matches!(name.as_str(), "lib" | "main" | "cmd") {
            continue;
        }
        let own = layer(&name).unwrap_or_else(|| panic!("module `{name}` has no layer in LAYERS"));
        seen.insert(name.clone());
        let mut files = Vec::new();
        rust_files(&path, &mut files);
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for used in uses(&text) {
                if used == name {
                    continue;
                }
                match layer(&used) {
                    Some(l) if l < own => {}
                    _ => problems.push(format!(
                        "{} uses `{used}`, which is not below `{name}`",
                        file.strip_prefix(&src).unwrap().display()
                    )),
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(seen.len() > 15, "read too few modules: {seen:?}");
}
