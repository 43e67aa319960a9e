//! File system helpers: every error names its path; output is swapped in atomically.

use crate::error::{Diagnostic, Error, Result, line_col};
use std::path::{Path, PathBuf};

/// Marks a folder as written by rapport, so that a later build may replace it.
pub const MARKER: &str = ".rapport-output";

/// Reads a UTF-8 text file. A read failure or invalid UTF-8 becomes a diagnostic.
pub fn read_text(path: &Path) -> std::result::Result<String, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::new(path, format!("could not read the file: {e}")))?;
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let text = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            let (line, col) = line_col(&text, valid);
            let mut d = Diagnostic::new(path, "the file is not valid UTF-8")
                .hint("save the file with UTF-8 encoding");
            d.line = line;
            d.col = col;
            Err(d)
        }
    }
}

/// Files and folders a build never reads: hidden files, VCS folders and editor leftovers.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with("jb_")
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|e| Error::io("create the folder", path, e))
}

pub fn write(path: &Path, bytes: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| Error::io("write", path, e))
}

pub fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| Error::io("copy", from, e))
}

/// Refuses output folders that a build could damage: the site root, a folder holding the
/// content, or a non-empty folder that rapport did not write.
pub fn check_output_dir(output: &Path, root: &Path, content: &Path) -> Result<()> {
    let out = absolute(output);
    let root = absolute(root);
    let content = absolute(content);
    let hint = "choose another --output folder, e.g. `public`";
    if out == root || root.starts_with(&out) {
        return Err(Error::refused(
            format!(
                "refusing to replace `{}`: it holds the handbook itself",
                output.display()
            ),
            hint,
        ));
    }
    if content.starts_with(&out) {
        return Err(Error::refused(
            format!(
                "refusing to replace `{}`: it holds the content folder",
                output.display()
            ),
            hint,
        ));
    }
    // Inside a folder the build reads, the output would be read back as input next time.
    for input in [
        content,
        root.join("static"),
        root.join("templates"),
        root.join("themes"),
    ] {
        if out.starts_with(&input) {
            return Err(Error::refused(
                format!(
                    "refusing to write the site into `{}`: it is inside `{}`, which rapport reads",
                    output.display(),
                    input.strip_prefix(&root).unwrap_or(&input).display()
                ),
                hint,
            ));
        }
    }
    if out.is_file() {
        return Err(Error::refused(
            format!("`{}` is a file, not a folder", output.display()),
            hint,
        ));
    }
    if out.is_dir() && !out.join(MARKER).exists() {
        let empty = std::fs::read_dir(&out)
            .map_err(|e| Error::io("read the folder", &out, e))?
            .next()
            .is_none();
        if !empty {
            return Err(Error::refused(
                format!(
                    "refusing to replace `{}`: it is not empty and was not written by rapport",
                    output.display()
                ),
                "empty it yourself, or choose another --output folder",
            ));
        }
    }
    Ok(())
}

/// A fresh folder beside `output` to build into; swapped in by [`swap_in`].
pub fn staging_dir(output: &Path) -> Result<PathBuf> {
    let out = absolute(output);
    let parent = out.parent().unwrap_or(Path::new("/"));
    create_dir_all(parent)?;
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staging = parent.join(format!(".{name}.rapport-new-{}", std::process::id()));
    if staging.exists() {
        remove_dir_all(&staging)?;
    }
    create_dir_all(&staging)?;
    write(
        &staging.join(MARKER),
        "This folder was written by rapport and is replaced by each build.\n",
    )?;
    Ok(staging)
}

/// Replaces `output` with the finished `staging` folder: two renames, so readers never see a
/// half-written site; the old output is deleted afterwards.
pub fn swap_in(staging: &Path, output: &Path) -> Result<()> {
    let out = absolute(output);
    if out.exists() {
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let old = out.with_file_name(format!(".{name}.rapport-old-{}", std::process::id()));
        if old.exists() {
            remove_dir_all(&old)?;
        }
        std::fs::rename(&out, &old).map_err(|e| Error::io("move aside", &out, e))?;
        std::fs::rename(staging, &out).map_err(|e| Error::io("move into place", staging, e))?;
        remove_dir_all(&old)?;
    } else {
        std::fs::rename(staging, &out).map_err(|e| Error::io("move into place", staging, e))?;
    }
    Ok(())
}

pub fn remove_dir_all(path: &Path) -> Result<()> {
    std::fs::remove_dir_all(path).map_err(|e| Error::io("remove", path, e))
}

/// An absolute, lexically normalised path (no file system access, so it works for paths that
/// do not exist yet).
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_editor_leftovers() {
        for n in [
            ".git",
            ".DS_Store",
            "a.md~",
            ".a.md.swp",
            "#a.md#",
            "jb_tmp",
        ] {
            assert!(is_ignored(n), "{n}");
        }
        assert!(!is_ignored("a.md"));
    }

    #[test]
    fn absolute_normalises() {
        assert_eq!(
            absolute(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
    }
}
