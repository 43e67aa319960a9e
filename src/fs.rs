//! File system helpers: every error names its path; output is swapped in atomically.

use crate::error::{Diagnostic, Error, Result, line_col};
use std::path::{Path, PathBuf};

/// Marks a folder as written by rapport, so that a later build may replace it.
pub const MARKER: &str = ".rapport-output";

/// What the marker says to a person who opens it.
const MARKER_TEXT: &str = "This folder was written by rapport and is replaced by each build.\n";

/// Reads a UTF-8 text file. A read failure, a path that is not a regular file (a FIFO would
/// make the read wait forever) or invalid UTF-8 becomes a diagnostic.
pub fn read_text(path: &Path) -> std::result::Result<String, Diagnostic> {
    let bytes = read_regular(path)
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

/// The bytes of the regular file at `path` (links followed). Anything else is refused without
/// waiting: the file is opened non-blocking, so a FIFO with no writer is not waited for, and
/// its type is checked on the open file.
fn read_regular(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let mut file = options.open(path)?;
    let meta = file.metadata()?;
    if let Some(kind) = special_kind(&meta.file_type()) {
        let message = format!("it is {kind}, not a file");
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            message,
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// What a file system entry that is neither a regular file nor a folder is (links followed),
/// as a message names it; `None` for files and folders.
fn special_kind(t: &std::fs::FileType) -> Option<&'static str> {
    if t.is_file() || t.is_dir() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a named pipe (FIFO)");
        } else if t.is_socket() {
            return Some("a socket");
        } else if t.is_block_device() || t.is_char_device() {
            return Some("a device");
        }
    }
    Some("a special file")
}

/// Whether a walked entry is a regular file or a folder (links followed), for walkdir's
/// `filter_entry` in every walk of input. A FIFO, a socket or a device is skipped with a
/// warning naming it: reading a FIFO waits forever for a writer, and a device never ends.
pub fn file_or_folder(
    root: &Path,
    entry: &walkdir::DirEntry,
    warnings: &mut Vec<Diagnostic>,
) -> bool {
    let Some(kind) = special_kind(&entry.file_type()) else {
        return true;
    };
    let path = entry.path();
    warnings.push(
        Diagnostic::new(
            path.strip_prefix(root).unwrap_or(path),
            format!("{kind} is not a file; skipped"),
        )
        .hint("rapport reads only files and folders: remove it, or put a file in its place")
        .warning(),
    );
    false
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

/// What to do about a link out: copy what it leads to, or link within the handbook.
const LINK_OUT_HINT: &str =
    "copy what it points to into the handbook folder, or link to a place inside it";

/// A path that leads outside the handbook folder, as [`inside_handbook`] found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadsOutside {
    /// The first file or folder on the way that leads out (the link itself, not what it leads
    /// to), relative to the handbook folder. Where it leads is never shown: a message must not
    /// tell a reader of the build log about files outside either.
    pub link: PathBuf,
    /// Whether that is a symbolic link (else a `..` in a path, such as a theme's name).
    pub is_link: bool,
}

impl LeadsOutside {
    fn message(&self) -> &'static str {
        if self.is_link {
            "a symbolic link leads outside the handbook folder"
        } else {
            "the path leads outside the handbook folder"
        }
    }

    /// The warning of a walk that leaves the link out and goes on.
    pub fn skipped(&self) -> Diagnostic {
        Diagnostic::new(&self.link, format!("{}; skipped", self.message()))
            .hint(LINK_OUT_HINT)
            .warning()
    }

    /// The error of an input the build cannot do without (the content folder).
    pub fn not_read(&self) -> Diagnostic {
        Diagnostic::new(&self.link, format!("{}; not read", self.message())).hint(LINK_OUT_HINT)
    }

    /// The refusal of `handbook.yaml` itself (exit code 2).
    pub fn refused(&self) -> Error {
        Error::refused(
            format!(
                "refusing to read `{}`: {}",
                self.link.display(),
                self.message()
            ),
            LINK_OUT_HINT,
        )
    }
}

/// The one judge of what rapport may read of a handbook: whether `path`, every symbolic link on
/// the way followed, stays inside the handbook folder `root`. Every walk of input (its root,
/// then each link it meets) and every read of a path not found by such a walk asks it first,
/// so a hostile handbook (`templates -> ~/.ssh`) cannot put a file from elsewhere into the site.
/// A path that does not resolve (missing, a dangling link, a loop) passes: reading it fails,
/// and its reader reports that.
pub fn inside_handbook(root: &Path, path: &Path) -> std::result::Result<(), LeadsOutside> {
    let real_root = root.canonicalize().unwrap_or_else(|_| absolute(root));
    match path.canonicalize() {
        Ok(real) if !real.starts_with(&real_root) => Err(way_out(root, &real_root, path)),
        _ => Ok(()),
    }
}

/// The first file or folder from `root` down to `path` that leads outside `real_root`: the link
/// to name in the message. A path that leaves by a `..` (a theme named `../x`) is named whole.
/// Only called once a path is known to lead out, so rarely.
fn way_out(root: &Path, real_root: &Path, path: &Path) -> LeadsOutside {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut at = root.to_path_buf();
    for part in rel.components() {
        at.push(part);
        let out = at.canonicalize();
        if out.is_ok_and(|real| !real.starts_with(real_root)) {
            break;
        }
    }
    let is_link = at
        .symlink_metadata()
        .is_ok_and(|m| m.file_type().is_symlink());
    let link = if is_link {
        at.strip_prefix(root).unwrap_or(&at)
    } else {
        rel
    };
    LeadsOutside {
        link: link.to_path_buf(),
        is_link,
    }
}

/// Whether a walk may start at `dir`, a folder of input: it stays inside the handbook folder
/// `root`; if not, the warning is pushed. Asked before walking, since walkdir walks into a root
/// that is a link it does not follow whatever its `filter_entry` says of that root.
pub fn may_walk(root: &Path, dir: &Path, warnings: &mut Vec<Diagnostic>) -> bool {
    match inside_handbook(root, dir) {
        Ok(()) => true,
        Err(out) => {
            warnings.push(out.skipped());
            false
        }
    }
}

/// Whether a walked entry stays inside the handbook folder `root`, for walkdir's
/// `filter_entry`. A symbolic link that leads outside it (`static/etc -> /etc`, a page linked
/// to `/etc/passwd`) is skipped with a warning naming the link; links within it are followed.
/// The walk's own root must have passed [`may_walk`].
pub fn inside_root(root: &Path, entry: &walkdir::DirEntry, warnings: &mut Vec<Diagnostic>) -> bool {
    // Below a root that stays inside, only a link can lead elsewhere: other entries need no
    // look-up, which keeps a walk of 50,000 pages as fast as it was.
    if entry.depth() > 0 && !entry.path_is_symlink() {
        return true;
    }
    may_walk(root, entry.path(), warnings)
}

/// How many folders deep below the root of a walk (`content/`, `static/`, `templates/`, a
/// theme's folders) a folder may be. Each level of `content/` is a section with pages of its
/// own: 1,000 nested folders (4 KB of input) made 706 MB of output, while a handbook has
/// rarely more than four.
pub const MAX_DEPTH: usize = 32;

/// Whether a walked entry is at most [`MAX_DEPTH`] folders below `dir`, the root of the walk in
/// the handbook folder `root`, for walkdir's `filter_entry`. A folder deeper is an error at that
/// folder, and nothing in it is read.
pub fn within_depth(
    root: &Path,
    dir: &Path,
    entry: &walkdir::DirEntry,
    diags: &mut Vec<Diagnostic>,
) -> bool {
    if entry.depth() <= MAX_DEPTH || !entry.file_type().is_dir() {
        return true;
    }
    let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    diags.push(
        Diagnostic::new(
            shown(entry.path()),
            format!(
                "the folder is more than {MAX_DEPTH} levels below `{}/`; not read",
                shown(dir).display()
            ),
        )
        .hint(format!(
            "move what it holds into a folder at most {MAX_DEPTH} levels deep"
        )),
    );
    false
}

/// Once a build is interrupted, nothing more is written: the folders being removed are not
/// made again by the threads still rendering.
fn refuse_if_interrupted(what: &'static str, path: &Path) -> Result<()> {
    if interrupted::stopping() {
        let e = std::io::Error::new(std::io::ErrorKind::Interrupted, "the build was interrupted");
        return Err(Error::io(what, path, e));
    }
    Ok(())
}

pub fn create_dir_all(path: &Path) -> Result<()> {
    refuse_if_interrupted("create the folder", path)?;
    std::fs::create_dir_all(path).map_err(|e| Error::io("create the folder", path, e))
}

pub fn write(path: &Path, bytes: impl AsRef<[u8]>) -> Result<()> {
    refuse_if_interrupted("write", path)?;
    std::fs::write(path, bytes).map_err(|e| Error::io("write", path, e))
}

/// Writes a file that `fill` produces piece by piece, through one buffer.
pub fn write_from(
    path: &Path,
    fill: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<()> {
    use std::io::Write;
    refuse_if_interrupted("write", path)?;
    let file = std::fs::File::create(path).map_err(|e| Error::io("write", path, e))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    fill(&mut out)
        .and_then(|()| out.flush())
        .map_err(|e| Error::io("write", path, e))
}

pub fn copy(from: &Path, to: &Path) -> Result<()> {
    refuse_if_interrupted("write", to)?;
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

/// Every file and folder a build keeps beside the output while it runs starts with
/// `.<output name>.rapport-`: the lock (`…-lock`), the new site being written (`…-new-PID`)
/// and, for a moment during the swap, the old one (`…-old-PID`). A build killed before it
/// could tidy up leaves them behind; the next build of the same output (and `rapport serve`
/// as it starts) puts a site back in place if the kill left none, then removes them
/// ([`OutputLock::remove_litter`]).
///
/// What makes that safe is the output marker [`MARKER`]: it is the last file written into a
/// new site ([`swap_in`], once rendering finished) and the first one removed from an old site
/// ([`remove_tree`]). So a folder of this name that holds the marker is a whole site, and
/// one without it is a half-written or half-removed one.
fn litter_prefix(out: &Path) -> (PathBuf, String) {
    let parent = out.parent().unwrap_or(Path::new("/")).to_path_buf();
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (parent, format!(".{name}.rapport-"))
}

/// Held by a build for as long as it writes beside `output`: an exclusive lock on
/// `.<name>.rapport-lock`. Whoever holds it knows that no other build of this output is
/// running, so anything else of that name beside the output is the litter of a dead one. The
/// lock file is removed when the lock is dropped.
pub struct OutputLock {
    /// Held open: closing it releases the lock.
    _file: std::fs::File,
    /// The output folder (absolute).
    output: PathBuf,
    path: PathBuf,
    parent: PathBuf,
    prefix: String,
}

impl OutputLock {
    /// Waits for any other build of the same output to finish, then takes the lock.
    pub fn acquire(output: &Path) -> Result<OutputLock> {
        let out = absolute(output);
        let (parent, _) = litter_prefix(&out);
        create_dir_all(&parent)?;
        loop {
            if let Some(lock) = OutputLock::take(&out, true)? {
                // Removed, like the staging folder, should the build be interrupted.
                interrupted::remove_on_signal(&lock.path);
                return Ok(lock);
            }
        }
    }

    /// The lock if no build holds it now.
    pub fn try_acquire(output: &Path) -> Option<OutputLock> {
        OutputLock::take(&absolute(output), false).ok().flatten()
    }

    fn take(out: &Path, wait: bool) -> Result<Option<OutputLock>> {
        let (parent, prefix) = litter_prefix(out);
        let path = parent.join(format!("{prefix}lock"));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io("create the lock file", &path, e))?;
        if !lock_file(&file, wait) {
            return Ok(None);
        }
        // The build that held the lock may have removed the file while this one waited: the
        // lock is then on a file nobody else will open, so take the one now at the path.
        if !same_file(&file, &path) {
            return Ok(None);
        }
        Ok(Some(OutputLock {
            _file: file,
            output: out.to_path_buf(),
            path,
            parent,
            prefix,
        }))
    }

    /// Removes the folders that builds of this output which are no longer running left, after
    /// putting a whole site back in place should a build have died between the two renames of
    /// its swap (no output, but the old site and the finished new one beside it).
    /// Returns a warning for each folder that could not be removed, or put back.
    pub fn remove_litter(&self) -> Vec<Diagnostic> {
        let mut litter = Vec::new();
        if let Ok(entries) = std::fs::read_dir(&self.parent) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let Some(rest) = name.strip_prefix(&self.prefix) else {
                    continue;
                };
                if rest.starts_with("new-") || rest.starts_with("old-") {
                    litter.push(entry.path());
                }
            }
        }
        if std::fs::symlink_metadata(&self.output).is_err() {
            // The newest whole site: its marker was written last. A build killed between its
            // renames leaves the old site and the new one, both whole: the new one goes back.
            let newest = litter
                .iter()
                .filter_map(|dir| {
                    let finished = dir.join(MARKER).symlink_metadata().ok()?.modified().ok()?;
                    Some((finished, dir.clone()))
                })
                .max();
            if let Some((_, site)) = newest {
                if let Err(e) = std::fs::rename(&site, &self.output) {
                    // Nothing is removed: the folder may hold the only copy of the site.
                    let put_back = Diagnostic::new(&site, format!("could not be put back: {e}"))
                        .hint(format!(
                            "it holds the last whole site of `{}`: move it there yourself",
                            self.output.display()
                        ))
                        .warning();
                    return vec![put_back];
                }
                litter.retain(|dir| *dir != site);
            }
        }
        litter
            .iter()
            .filter_map(|dir| {
                remove_tree(dir)
                    .err()
                    .map(|(p, e)| left_behind(dir, &p, &e))
            })
            .collect()
    }

    /// A fresh folder beside the output to build into, removed should the build be
    /// interrupted (SIGINT, SIGTERM) and swapped in by [`swap_in`].
    pub fn staging(&self) -> Result<PathBuf> {
        let staging = self
            .parent
            .join(format!("{}new-{}", self.prefix, std::process::id()));
        if staging.exists() {
            remove_dir_all(&staging)?;
        }
        interrupted::remove_on_signal(&staging);
        create_dir_all(&staging)?;
        // The marker is written by `swap_in`, once the site is whole.
        Ok(staging)
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still locked; a build waiting on this file notices it is gone.
        let _ = std::fs::remove_file(&self.path);
        interrupted::forget(&self.path);
    }
}

/// An exclusive lock on `file`, waiting for it or not: std's `File::lock` (`flock` on Unix,
/// `LockFileEx` on Windows), so that builds exclude each other on every system. Where std has
/// no file locks, a build goes ahead unlocked rather than waiting forever.
fn lock_file(file: &std::fs::File, wait: bool) -> bool {
    use std::fs::TryLockError;
    use std::io::ErrorKind;
    if !wait {
        return match file.try_lock() {
            Ok(()) => true,
            Err(TryLockError::Error(e)) => e.kind() == ErrorKind::Unsupported,
            Err(TryLockError::WouldBlock) => false,
        };
    }
    loop {
        match file.lock() {
            Ok(()) => return true,
            // A signal cut the wait short (std does not retry `flock`): wait again.
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return e.kind() == ErrorKind::Unsupported,
        }
    }
}

#[cfg(unix)]
fn same_file(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &std::fs::File, path: &Path) -> bool {
    path.exists()
}

/// Removes the litter of dead builds beside `output`, unless a build of it is running now;
/// the warnings of [`OutputLock::remove_litter`].
pub fn remove_litter(output: &Path) -> Vec<Diagnostic> {
    match OutputLock::try_acquire(output) {
        Some(lock) => lock.remove_litter(),
        None => Vec::new(),
    }
}

/// What an interrupted build removes before it exits.
mod interrupted {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Mutex, MutexGuard, Once};
    use std::time::Duration;

    static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    static HANDLER: Once = Once::new();
    static STOPPING: AtomicBool = AtomicBool::new(false);

    pub fn stopping() -> bool {
        STOPPING.load(Ordering::SeqCst)
    }

    pub fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
        PENDING.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Removes `path` (a folder or a file) should SIGINT or SIGTERM arrive before [`forget`].
    pub fn remove_on_signal(path: &Path) {
        HANDLER.call_once(|| {
            // A process that has a handler of its own (serve) keeps it.
            let _ = ctrlc::set_handler(|| {
                STOPPING.store(true, Ordering::SeqCst);
                // Taken for good: a swap in progress finishes first, and none starts after.
                let pending = pending();
                // A write that was under way as the signal came may still land: try again
                // until the folders stay gone.
                for _ in 0..50 {
                    for p in pending.iter() {
                        let _ = std::fs::remove_dir_all(p).or_else(|_| std::fs::remove_file(p));
                    }
                    std::thread::sleep(Duration::from_millis(10));
                    if !pending.iter().any(|p| p.exists()) {
                        break;
                    }
                }
                eprintln!("Interrupted: the unfinished build was removed.");
                std::process::exit(130);
            });
        });
        pending().push(path.to_path_buf());
    }

    pub fn forget(path: &Path) {
        pending().retain(|p| p != path);
    }
}

/// How the old site is removed once the new one is in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// In a detached child where the binary allows it: the build does not wait for thousands
    /// of unlinks. Should one fail all the same, the next build reports it.
    Background,
    /// Before the build returns, so that what cannot be removed is reported at once: the old
    /// site holds a file or folder marked immutable or append-only (`chattr +i`, `+a`).
    Here,
}

/// Refuses to swap when the old site could not be removed afterwards (a folder of it, or the
/// folder holding it, is not writable): the new site must not end up in place behind a failed
/// build. An entry marked undeletable (Linux's immutable and append-only flags) cannot be
/// made removable by its owner, so it does not fail the build: the old site is then removed
/// while the build waits, and what stays is reported ([`Removal::Here`]).
pub fn check_replaceable(output: &Path) -> Result<Removal> {
    let out = absolute(output);
    let (parent, _) = litter_prefix(&out);
    let mut dirs = vec![parent];
    let mut removal = Removal::Background;
    if out.is_dir() {
        for entry in walkdir::WalkDir::new(&out).into_iter().flatten() {
            if removal == Removal::Background && undeletable(entry.path()) {
                removal = Removal::Here;
            }
            if entry.file_type().is_dir() {
                dirs.push(entry.into_path());
            }
        }
    }
    for dir in dirs {
        if !writable(&dir) {
            return Err(Error::refused(
                format!(
                    "cannot replace `{}`: `{}` is not writable, so the old site could not be removed",
                    output.display(),
                    dir.display()
                ),
                "make it writable (e.g. `chmod -R u+w`), or choose another --output folder",
            ));
        }
    }
    Ok(removal)
}

/// Whether `path` (not followed, if a link) is marked immutable or append-only, so that it
/// (or, for a folder, what it holds) cannot be removed, not even by root.
#[cfg(target_os = "linux")]
fn undeletable(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: an all-zero `statx` is a valid value of that plain C struct.
    let mut stx: libc::statx = unsafe { std::mem::zeroed() };
    // SAFETY: statx reads the NUL-terminated path and writes one `statx` into `stx`. Called
    // through `syscall`, since not every libc of a release target has a `statx` function.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_statx,
            libc::AT_FDCWD,
            c.as_ptr(),
            libc::AT_SYMLINK_NOFOLLOW | libc::AT_STATX_DONT_SYNC,
            0u32,
            &mut stx as *mut libc::statx,
        )
    };
    let flags = (libc::STATX_ATTR_IMMUTABLE | libc::STATX_ATTR_APPEND) as u64;
    rc == 0 && stx.stx_attributes & stx.stx_attributes_mask & flags != 0
}

#[cfg(not(target_os = "linux"))]
fn undeletable(_path: &Path) -> bool {
    false
}

#[cfg(unix)]
fn writable(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: access reads the NUL-terminated path for the duration of the call.
    unsafe { libc::access(c.as_ptr(), libc::W_OK | libc::X_OK) == 0 }
}

#[cfg(not(unix))]
fn writable(_dir: &Path) -> bool {
    true
}

/// Removes an unfinished staging folder (the build failed).
pub fn discard(staging: &Path) {
    let _ = std::fs::remove_dir_all(staging);
    interrupted::forget(staging);
}

/// Replaces `output` with the finished `staging` folder: two renames, so readers never see a
/// half-written site; the old output is deleted afterwards, in the background where the binary
/// allows it ([`background_removal`]). A signal waits for the renames.
///
/// A SIGKILL cannot be waited for: a build killed between the renames leaves no output, the
/// old site at `.<name>.rapport-old-PID` and the new one at `…-new-PID`. The marker written
/// here, before the first rename, says that the new one is whole, so the next build (or
/// `serve` as it starts) moves it into place instead of deleting it as litter
/// ([`OutputLock::remove_litter`]). Linux could swap in one call (`renameat2` with
/// `RENAME_EXCHANGE`), but Windows cannot, and the recovery is needed there anyway: one way of
/// swapping on every system, recoverable at each step, is the one the tests exercise.
///
/// Returns the warning of an old site that could not be removed (see [`Removal`]).
pub fn swap_in(staging: &Path, output: &Path, removal: Removal) -> Result<Option<Diagnostic>> {
    write(&staging.join(MARKER), MARKER_TEXT)?;
    let out = absolute(output);
    let (parent, prefix) = litter_prefix(&out);
    // A name no leftover holds (an old site that could not be removed keeps its name).
    let pid = std::process::id();
    let mut old = parent.join(format!("{prefix}old-{pid}"));
    for n in 2.. {
        if old.symlink_metadata().is_err() {
            break;
        }
        old = parent.join(format!("{prefix}old-{pid}-{n}"));
    }
    {
        let mut pending = interrupted::pending();
        if !out.exists() {
            std::fs::rename(staging, &out).map_err(|e| Error::io("move into place", staging, e))?;
            pending.retain(|p| p != staging);
            return Ok(None);
        }
        std::fs::rename(&out, &old).map_err(|e| Error::io("move aside", &out, e))?;
        if let Err(e) = std::fs::rename(staging, &out) {
            // Put the old site back: a failed build leaves the output as it was.
            let _ = std::fs::rename(&old, &out);
            return Err(Error::io("move into place", staging, e));
        }
        // From here on the new site is in place; only the old one is left to remove.
        for p in pending.iter_mut().filter(|p| *p == staging) {
            *p = old.clone();
        }
    }
    interrupted::forget(&old);
    Ok(remove_old(&old, removal))
}

/// The hidden first argument that makes the `rapport` binary remove an old output and exit
/// (see [`background_removal`]).
pub const REMOVE_OLD_ARG: &str = "__remove-old-output";

static BACKGROUND: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Called by the `rapport` binary first thing: with [`REMOVE_OLD_ARG`] as its first argument
/// it removes the old output named next and returns `true` (the binary then exits); otherwise
/// it lets later swaps remove the old output in such a child process, after the build
/// returned, instead of making the build wait for thousands of unlinks (a rebuild into an
/// existing output cost 1.4 times a fresh one). A library user (a test calling the build
/// in-process) keeps the synchronous removal.
pub fn background_removal() -> bool {
    let mut args = std::env::args_os().skip(1);
    if args.next().is_some_and(|a| a == REMOVE_OLD_ARG) {
        if let Some(old) = args.next().map(PathBuf::from).filter(|p| is_old_output(p)) {
            let _ = remove_tree(&old);
        }
        return true;
    }
    BACKGROUND.store(true, std::sync::atomic::Ordering::SeqCst);
    false
}

/// Only a folder named as [`swap_in`] names the old output (`.<name>.rapport-old-PID`).
fn is_old_output(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with('.') && n.contains(".rapport-old-"))
}

/// Removes the swapped-out site: its marker here and now (so it is known to be no longer
/// whole, see [`litter_prefix`]), the rest in a detached child when the binary allowed it and
/// `removal` does, else here. What could not be removed is a warning: the new site is
/// published, and the next build tries again.
fn remove_old(old: &Path, removal: Removal) -> Option<Diagnostic> {
    if removal == Removal::Background && BACKGROUND.load(std::sync::atomic::Ordering::SeqCst) {
        if let Err((path, e)) = remove_marker(old) {
            return Some(left_behind(old, &path, &e));
        }
        let spawned = std::env::current_exe().and_then(|exe| {
            std::process::Command::new(exe)
                .arg(REMOVE_OLD_ARG)
                .arg(old)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
        });
        if spawned.is_ok() {
            return None;
        }
    }
    remove_tree(old)
        .err()
        .map(|(path, e)| left_behind(old, &path, &e))
}

/// The warning of a folder beside the output that could not be removed, naming the first
/// file (or folder) in it that could not be, and why. The same at each build until it is
/// gone.
fn left_behind(folder: &Path, path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::new(path, format!("could not be removed: {e}"))
        .hint(format!(
            "the new site is in place, but `{}` is left beside it until this can be removed \
             (see its permissions and flags, and those of its folder); each build tries again",
            folder.display()
        ))
        .warning()
}

/// Removes the marker of the site in `dir`: from then on the folder is not taken for a whole
/// site. A marker that was not there is no failure.
fn remove_marker(dir: &Path) -> std::result::Result<(), (PathBuf, std::io::Error)> {
    let marker = dir.join(MARKER);
    match std::fs::remove_file(&marker) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err((marker, e)),
        _ => Ok(()),
    }
}

/// Removes the folder `dir` and all it holds, the marker first (see [`litter_prefix`]); if
/// the marker cannot be removed, nothing else is. Goes on past what cannot be removed and
/// returns the first such path with its error. What is already gone (another process is
/// removing the same folder) is no failure.
fn remove_tree(dir: &Path) -> std::result::Result<(), (PathBuf, std::io::Error)> {
    use std::io::ErrorKind::NotFound;
    remove_marker(dir)?;
    let mut first = None;
    for entry in walkdir::WalkDir::new(dir).contents_first(true) {
        let (path, result) = match entry {
            Ok(entry) if entry.file_type().is_dir() => (
                entry.path().to_path_buf(),
                std::fs::remove_dir(entry.path()),
            ),
            Ok(entry) => (
                entry.path().to_path_buf(),
                std::fs::remove_file(entry.path()),
            ),
            Err(e) => {
                let path = e.path().unwrap_or(dir).to_path_buf();
                let e = e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("loop"));
                (path, Err(e))
            }
        };
        if let Err(e) = result
            && e.kind() != NotFound
        {
            first.get_or_insert((path, e));
        }
    }
    first.map_or(Ok(()), Err)
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

    #[cfg(unix)]
    #[test]
    fn the_judge_names_the_first_link_out_and_never_its_target() {
        let tmp = tempfile::tempdir().unwrap();
        let (root, out) = (tmp.path().join("site"), tmp.path().join("out"));
        std::fs::create_dir_all(root.join("themes")).unwrap();
        std::fs::create_dir_all(out.join("templates")).unwrap();
        std::os::unix::fs::symlink(&out, root.join("themes/x")).unwrap();
        let found = inside_handbook(&root, &root.join("themes/x/templates")).unwrap_err();
        let link = PathBuf::from("themes/x");
        assert_eq!(
            found,
            LeadsOutside {
                link,
                is_link: true
            }
        );
        let warning = format!("{:?}", found.skipped());
        assert!(!warning.contains(out.to_str().unwrap()), "{warning}");
        // A `..` in a name (a theme called `../../out`) leads out too, through no link.
        let found = inside_handbook(&root, &root.join("themes/../../out")).unwrap_err();
        let link = PathBuf::from("themes/../../out");
        assert_eq!(
            found,
            LeadsOutside {
                link,
                is_link: false
            }
        );
        // A handbook reached through a link of its own is inside itself.
        let alias = tmp.path().join("alias");
        std::os::unix::fs::symlink(&root, &alias).unwrap();
        assert_eq!(inside_handbook(&alias, &alias.join("themes")), Ok(()));
        // What does not resolve is left to its reader, which reports it.
        assert_eq!(inside_handbook(&root, &root.join("missing")), Ok(()));
    }

    #[test]
    fn one_build_at_a_time_holds_the_output_lock() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let held = OutputLock::acquire(&output).unwrap();
        assert!(OutputLock::try_acquire(&output).is_none());
        drop(held);
        assert!(OutputLock::try_acquire(&output).is_some());
    }

    #[test]
    fn the_newest_whole_site_beside_a_missing_output_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let site = |name: &str, page: &str, finished: Option<u64>| {
            let folder = dir.path().join(name);
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(folder.join("index.html"), page).unwrap();
            if let Some(secs) = finished {
                let marker = std::fs::File::create(folder.join(MARKER)).unwrap();
                let at = std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs);
                marker.set_modified(at).unwrap();
            }
        };
        // A half-removed site of an earlier build, the old site and the finished new one of
        // a build killed between its renames, a half-written one of a build killed earlier.
        site(".public.rapport-old-1", "removed", None);
        site(".public.rapport-old-2", "old", Some(1_000));
        site(".public.rapport-new-2", "new", Some(2_000));
        site(".public.rapport-new-3", "half", None);
        OutputLock::acquire(&output).unwrap().remove_litter();
        let page = std::fs::read_to_string(output.join("index.html")).unwrap();
        assert_eq!(page, "new");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "{left:?}");
        // With an output in place, a whole site beside it is litter all the same.
        site(".public.rapport-new-4", "newer", Some(3_000));
        OutputLock::acquire(&output).unwrap().remove_litter();
        let page = std::fs::read_to_string(output.join("index.html")).unwrap();
        assert_eq!(page, "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn absolute_normalises() {
        assert_eq!(
            absolute(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
    }
}
