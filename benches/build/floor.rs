//! The write floor: what writing a built site costs and nothing else. Modelled on
//! `../shared/bench/floor_write.c`: read every file of a built site into memory, then write them
//! all into a new folder — one `mkdir` per folder, and `open`, one `write`, `close` per file. The
//! bench binary runs it as a child (`build --floor SRC OUT`), so that it is timed like any tool.

use std::path::{Path, PathBuf};

enum Entry {
    Dir(PathBuf),
    File(PathBuf, Vec<u8>),
}

fn read_tree(root: &Path, rel: &Path, out: &mut Vec<Entry>) -> std::io::Result<()> {
    for e in std::fs::read_dir(root.join(rel))? {
        let e = e?;
        let rel = rel.join(e.file_name());
        if e.file_type()?.is_dir() {
            out.push(Entry::Dir(rel.clone()));
            read_tree(root, &rel, out)?;
        } else {
            let bytes = std::fs::read(root.join(&rel))?;
            out.push(Entry::File(rel, bytes));
        }
    }
    Ok(())
}

/// Copies the site at `src` into `out` (which must not exist) the floor's way.
pub fn run(src: &Path, out: &Path) -> std::io::Result<()> {
    let mut entries = Vec::new();
    read_tree(src, Path::new(""), &mut entries)?;
    std::fs::create_dir(out)?;
    for e in &entries {
        match e {
            Entry::Dir(rel) => std::fs::create_dir(out.join(rel))?,
            Entry::File(rel, bytes) => std::fs::write(out.join(rel), bytes)?,
        }
    }
    Ok(())
}
