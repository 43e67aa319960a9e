//! The library's layers, checked: no module uses one above it, so data flows one way
//! (config → content → render → site; serve and print on top), as `src/lib.rs` says.
//!
//! A use is any path into another top-level module, wherever it stands in the code: `use
//! crate::x`, a group `use crate::{x, y::{z}}` (on one line or many), a path in an expression
//! `crate::x::f()`, and `super::` climbing out of the file's own top-level module. Comments,
//! strings and character literals are blanked first, so text about a module is not a use of it.

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

/// `text` with comments, string literals and character literals replaced by spaces (newlines
/// kept), so that only code is left and every brace is a real one.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut i = 0;
    while i < b.len() {
        let start = i;
        if b[i..].starts_with(b"//") {
            i = b[i..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |n| i + n);
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if (b[i] == b'r' || b[i..].starts_with(b"br")) && (i == 0 || !ident(b[i - 1])) && {
            let j = i + if b[i] == b'b' { 2 } else { 1 };
            let hashes = b[j..].iter().take_while(|&&c| c == b'#').count();
            b.get(j + hashes) == Some(&b'"')
        } {
            let j = i + if b[i] == b'b' { 2 } else { 1 };
            let hashes = b[j..].iter().take_while(|&&c| c == b'#').count();
            let mut close = vec![b'"'];
            close.extend(std::iter::repeat_n(b'#', hashes));
            i = j + hashes + 1;
            while i < b.len() && !b[i..].starts_with(&close) {
                i += 1;
            }
            i = (i + close.len()).min(b.len());
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(b.len());
        } else if b[i] == b'\'' {
            // A character literal ('x', '\n', '\u{7}', '{') or a lifetime ('a): a literal
            // closes within a few characters, a lifetime does not close.
            let end = if b.get(i + 1) == Some(&b'\\') {
                b[i + 2..]
                    .iter()
                    .position(|&c| c == b'\'')
                    .map(|n| i + 2 + n)
            } else {
                let len = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                (b.get(i + 1 + len) == Some(&b'\'')).then_some(i + 1 + len)
            };
            match end {
                Some(e) => i = e + 1,
                None => {
                    i += 1;
                    continue;
                }
            }
        } else {
            i += 1;
            continue;
        }
        blank(&mut out, start, i);
    }
    String::from_utf8(out).expect("only ASCII bytes were written over whole characters")
}

/// The identifier at the start of `s`.
fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

fn skip_space(s: &str) -> &str {
    s.trim_start()
}

/// The top-level module of every item of the use group that `s` opens with `{`: the first
/// segment of each item (`crate::{fs, yaml::{de, read}}` → fs, yaml). A group that is itself
/// an item (`crate::{{a, b}}`: legal, never written) holds heads too.
fn group_heads(s: &str, out: &mut BTreeSet<String>) {
    // For each open brace: whether its items are top-level modules.
    let mut heads: Vec<bool> = Vec::new();
    let mut at_item = true;
    for (i, c) in s.char_indices() {
        let in_heads = heads.last() == Some(&true);
        match c {
            '{' => {
                heads.push(heads.is_empty() || (in_heads && at_item));
                at_item = true;
            }
            '}' => {
                heads.pop();
                at_item = false;
                if heads.is_empty() {
                    return;
                }
            }
            ',' => at_item = true,
            c if c.is_whitespace() => {}
            _ => {
                if in_heads && at_item {
                    let name = ident_at(&s[i..]);
                    if !name.is_empty() && name != "self" {
                        out.insert(name.to_string());
                    }
                }
                at_item = false;
            }
        }
    }
}

/// The top-level modules that the code of a file uses, given how deep the file's own module
/// sits (`src/x.rs` and `src/x/mod.rs`: 1, `src/x/y.rs`: 2). `crate::` paths of every form
/// count, and `super::` paths that climb to the crate root.
fn uses(text: &str, depth: usize) -> BTreeSet<String> {
    let code = code_only(text);
    let mut out = BTreeSet::new();
    // Inline modules open at these brace depths; a macro body at these (its `super::` belongs
    // to where the macro is expanded, so it is not read).
    let mut mods: Vec<usize> = Vec::new();
    let mut macros: Vec<usize> = Vec::new();
    let mut braces = 0usize;
    let mut pending_mod = false;
    let mut pending_macro = false;
    let b = code.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let Some(rest) = code.get(i..) else {
            i += 1;
            continue;
        };
        let prev_ident = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        match b[i] {
            b'{' => {
                braces += 1;
                if pending_mod {
                    mods.push(braces);
                } else if pending_macro {
                    macros.push(braces);
                }
                pending_mod = false;
                pending_macro = false;
            }
            b'}' => {
                if mods.last() == Some(&braces) {
                    mods.pop();
                }
                if macros.last() == Some(&braces) {
                    macros.pop();
                }
                braces = braces.saturating_sub(1);
            }
            b';' => pending_mod = false,
            _ if prev_ident => {}
            _ if rest.starts_with("mod ") => pending_mod = true,
            _ if rest.starts_with("macro_rules!") => pending_macro = true,
            _ if rest.starts_with("crate::") => {
                let after = skip_space(&rest[7..]);
                if after.starts_with('{') {
                    group_heads(after, &mut out);
                } else {
                    let name = ident_at(after);
                    if !name.is_empty() {
                        out.insert(name.to_string());
                    }
                }
            }
            _ if rest.starts_with("super::") && macros.is_empty() => {
                let mut climbs = 0;
                let mut tail = rest;
                while let Some(t) = tail.strip_prefix("super::") {
                    climbs += 1;
                    tail = skip_space(t);
                }
                i += rest.len() - tail.len();
                if climbs >= depth + mods.len() {
                    if tail.starts_with('{') {
                        group_heads(tail, &mut out);
                    } else {
                        let name = ident_at(tail);
                        if !name.is_empty() {
                            out.insert(name.to_string());
                        }
                    }
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Why the code `text` of a file of module `module`, `depth` deep, breaks the layering.
fn problems(module: &str, depth: usize, text: &str) -> Vec<String> {
    let own = layer(module).unwrap_or_else(|| panic!("module `{module}` has no layer in LAYERS"));
    uses(text, depth)
        .into_iter()
        .filter(|used| used != module)
        .filter(|used| !matches!(layer(used), Some(l) if l < own))
        .map(|used| format!("uses `{used}`, which is not below `{module}`"))
        .collect()
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
    let mut found = Vec::new();
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if matches!(name.as_str(), "lib" | "main" | "cmd") {
            continue;
        }
        seen.insert(name.clone());
        let mut files = Vec::new();
        rust_files(&path, &mut files);
        for file in files {
            let rel = file.strip_prefix(&src).unwrap();
            // src/x.rs and src/x/mod.rs are module x; src/x/y.rs is x::y, one deeper.
            let depth = rel.components().count() - usize::from(rel.ends_with("mod.rs"));
            let text = std::fs::read_to_string(&file).unwrap();
            for p in problems(&name, depth, &text) {
                found.push(format!("{}: {p}", rel.display()));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    assert!(seen.len() > 15, "read too few modules: {seen:?}");
}

#[test]
fn every_form_of_a_use_is_read() {
    let read =
        |text: &str, depth: usize| -> Vec<String> { uses(text, depth).into_iter().collect() };
    assert_eq!(read("use crate::fs;", 1), ["fs"]);
    assert_eq!(read("use crate::{fs, serve};", 1), ["fs", "serve"]);
    assert_eq!(
        read(
            "use crate::{\n    fs::{self, read},\n    yaml::{de, read as r},\n};",
            1
        ),
        ["fs", "yaml"]
    );
    assert_eq!(
        read("use crate::{self, {render, site}};", 1),
        ["render", "site"]
    );
    assert_eq!(read("let x = crate::render::page(&y);", 1), ["render"]);
    assert_eq!(
        read("pub(crate) fn f() -> crate::site::Site {}", 1),
        ["site"]
    );
    // `super::` from src/x.rs is the crate root; from src/x/y.rs it is x, unless it climbs
    // twice; inside an inline module it climbs one less.
    assert_eq!(read("use super::serve::App;", 1), ["serve"]);
    assert_eq!(read("use super::{render, fs};", 1), ["fs", "render"]);
    assert!(read("use super::store::Store;", 2).is_empty());
    assert_eq!(read("use super::super::render::x;", 2), ["render"]);
    assert!(
        read(
            "mod tests {\n    use super::*;\n    use super::super::f;\n}",
            2
        )
        .is_empty()
    );
    assert_eq!(
        read("mod tests {\n    use super::super::super::site;\n}", 2),
        ["site"]
    );
    // A macro's `super::` resolves where it is expanded, so it is not read.
    assert!(read("macro_rules! m { () => { struct S(super::Kind); } }", 1).is_empty());
    // Comments, strings and characters are not code.
    assert!(
        read(
            "// use crate::serve;\n/* crate::site */ let s = \"crate::render\";",
            1
        )
        .is_empty()
    );
    assert!(
        read(
            "let c = '{'; let r = r#\"crate::x\"#; fn f<'a>(x: &'a str) {}",
            1
        )
        .is_empty()
    );
}

#[test]
fn a_grouped_import_of_a_higher_layer_is_caught() {
    assert_eq!(
        problems("config", 1, "use crate::{fs, serve};\n"),
        ["uses `serve`, which is not below `config`"]
    );
    assert_eq!(
        problems(
            "config",
            2,
            "use crate::{\n    fs,\n    yaml::{de, read},\n    render::{self, theme},\n};\n"
        ),
        ["uses `render`, which is not below `config`"]
    );
    assert_eq!(
        problems("content", 1, "fn f() { let _ = super::site::load(); }\n"),
        ["uses `site`, which is not below `content`"]
    );
    assert!(problems("config", 1, "use crate::{fs, yaml};\n").is_empty());
}
