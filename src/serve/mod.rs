//! `rapport serve`: build into memory, serve over HTTP, rebuild on every save and reload the
//! open tabs.
//!
//! The site is served at `/` with `base_url` rewritten to the local address, so links work
//! whatever path the real `base_url` has; with `--base-url`, under that URL's path instead, as
//! it will be published (a GitHub Pages project path, say). A save of a page's body re-renders that page alone;
//! any other change renders the whole site into memory (see `rebuild`). The finished build
//! replaces the served one in a single swap; a failed build leaves the last good one served and
//! shows its error in every open page.

pub mod body;
pub mod conn;
pub mod host;
pub mod paths;
pub mod rebuild;
pub mod reload;
pub mod routes;
pub mod server;
pub mod socket;
pub mod store;
pub mod watch;

/// A line on stdout; a closed pipe (`rapport serve | head`) is not an error worth dying of.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// A line on stderr, never panicking.
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

use crate::config::{BuildOptions, CONFIG_FILE};
use crate::error::{Error, Result};
use notify_debouncer_full::DebounceEventResult;
use rebuild::{Builder, Rebuilt};
use reload::{Change, Live};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::Instant;

pub const DEFAULT_PORT: u16 = 1111;

/// What `rapport serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Root, drafts and date; `output` is ignored and `base_url` is replaced.
    pub site: BuildOptions,
    pub interface: IpAddr,
    /// `None`: the default port, or the next free one after it.
    pub port: Option<u16>,
    /// Open the site in the browser once it is served.
    pub open: bool,
    pub quiet: bool,
    /// Host names answered besides localhost and the loopback and bound addresses.
    pub allow_hosts: Vec<String>,
    /// Serve under this base URL's path (`/handbook/`), as published; `None`: at `/`.
    pub base_url: Option<String>,
    /// The overlay's file links: a URL pattern with `{file}`, `{line}` and `{col}`; `None`:
    /// guessed from `$VISUAL` or `$EDITOR`, else the links copy the location.
    pub editor: Option<String>,
}

/// What the serve loop waits for.
enum Message {
    Files(DebounceEventResult),
    Stop,
}

/// Builds, serves and watches until Ctrl-C.
pub fn serve(opts: &ServeOptions) -> Result<()> {
    let root = &opts.site.root;
    if !root.join(CONFIG_FILE).is_file() {
        // Not a handbook folder: stop with the error `build` gives. Any other mistake is
        // served, shown in the page, and fixed while serving.
        crate::config::Config::load(&opts.site)?;
    }
    let listener = server::bind(
        opts.interface,
        opts.port.unwrap_or(DEFAULT_PORT),
        opts.port.is_some(),
    )?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::io("read the address of", root, e))?;
    let prefix = match &opts.base_url {
        Some(base) => crate::config::split_base_url(base)
            .map_err(|e| Error::refused(e, "pass a URL such as `https://me.github.io/handbook/` or a path such as `/handbook/`"))?
            .1,
        None => "/".to_string(),
    };
    let url = local_url(addr, &prefix);
    if opts.port.is_none() && addr.port() != DEFAULT_PORT {
        say!(
            "Port {DEFAULT_PORT} is in use; serving on port {} instead.",
            addr.port()
        );
    }
    let mut build_opts = opts.site.clone();
    build_opts.base_url = Some(url.clone());

    let (tx, rx) = channel();
    let stop = tx.clone();
    ctrlc::set_handler(move || {
        let _ = stop.send(Message::Stop);
    })
    .map_err(|e| {
        Error::refused(
            format!("cannot listen for Ctrl-C: {e}"),
            "run rapport serve from a terminal",
        )
    })?;
    let mut watcher = watch::Watcher::start(root, move |batch| {
        let _ = tx.send(Message::Files(batch));
    })
    .map_err(|e| {
        Error::refused(
            format!("cannot watch `{}` for changes: {e}", root.display()),
            "on Linux, raise fs.inotify.max_user_watches if the limit was reached",
        )
    })?;

    // Leftovers of `rapport build`s killed before they could tidy up.
    if let Ok(config) = crate::config::Config::load(&opts.site) {
        crate::fs::remove_litter(&config.output_dir);
    }
    let abs_root = root
        .canonicalize()
        .unwrap_or_else(|_| crate::fs::absolute(root));
    let editor = opts
        .editor
        .clone()
        .or_else(guess_editor)
        .unwrap_or_default();
    let live = Arc::new(Live::with_editor(&editor, &abs_root.to_string_lossy()));
    let start = Instant::now();
    let mut builder = Builder::new(build_opts);
    match builder.full() {
        Ok((files, pages)) => {
            live.set_unpublishable(builder.unpublishable());
            live.publish(files);
            release_memory();
            if !opts.quiet {
                say!(
                    "Built {pages} pages into memory in {} ms",
                    start.elapsed().as_millis()
                );
            }
        }
        // Serve anyway: the page shows the error and reloads once it is fixed.
        Err(e) => report_error(&live, &e),
    }
    server::start(
        listener,
        server::App {
            live: live.clone(),
            hosts: host::HostCheck::new(addr.ip(), addr.port(), &opts.allow_hosts),
            prefix,
        },
    )?;
    say!("Serving {url} (Ctrl-C to stop)");
    if opts.open {
        open_browser(&url);
    }
    run(&rx, &mut watcher, &live, &mut builder, opts.quiet);
    if !opts.quiet {
        say!("Stopped.");
    }
    Ok(())
}

/// The rebuild loop: one rebuild per batch of changes, until Ctrl-C.
fn run(
    rx: &Receiver<Message>,
    watcher: &mut watch::Watcher,
    live: &Live,
    builder: &mut Builder,
    quiet: bool,
) {
    while let Ok(message) = rx.recv() {
        let mut touched: Vec<PathBuf> = Vec::new();
        let mut stop = false;
        // Events may have been lost: only a full rebuild is sure to see every change.
        let mut missed = false;
        // Take every batch already waiting: one rebuild covers them all.
        for message in std::iter::once(message).chain(rx.try_iter()) {
            match message {
                Message::Stop => stop = true,
                Message::Files(Ok(events)) => {
                    let changes = events.into_iter().filter(|e| watch::is_change(&e.event));
                    touched.extend(changes.flat_map(|e| e.event.paths));
                }
                Message::Files(Err(errors)) => {
                    for e in errors {
                        tell!("warning: watching for changes: {e}");
                    }
                    missed = true;
                }
            }
        }
        if stop {
            return;
        }
        watcher.refresh(&touched);
        let changed = watcher.relevant(&touched);
        if changed.is_empty() && !missed {
            continue;
        }
        let start = Instant::now();
        match builder.rebuild(&changed, !missed) {
            Ok((files, rebuilt)) => {
                live.set_unpublishable(builder.unpublishable());
                let change = live.publish(files);
                if matches!(rebuilt, Rebuilt::Site(_)) {
                    release_memory();
                }
                if !quiet {
                    let what = match change {
                        Change::Css => "stylesheets swapped",
                        Change::Reload => "reloading",
                        Change::Nothing => "output unchanged",
                    };
                    let ms = start.elapsed().as_millis();
                    let how = match rebuilt {
                        Rebuilt::Pages(1) => format!("rebuilt 1 page in {ms} ms"),
                        Rebuilt::Pages(n) => format!("rebuilt {n} pages in {ms} ms"),
                        Rebuilt::Site(n) => format!("rebuilt the site ({n} pages) in {ms} ms"),
                    };
                    say!("Changed {}: {how}, {what}", describe(&changed));
                }
            }
            Err(e) => report_error(live, &e),
        }
    }
}

/// Gives the memory a full rebuild freed back to the system. glibc keeps freed memory in its
/// per-thread arenas; without this, serve's RSS grew by the size of a build with every full
/// rebuild until it held about two builds' worth.
fn release_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Prints a failed build as `rapport build` would, and shows it in every open page.
fn report_error(live: &Live, e: &Error) {
    let text = e.report();
    tell!("{}", text.trim_end());
    live.publish_error(&text);
}

fn describe(changed: &[PathBuf]) -> String {
    let Some(first) = changed.first() else {
        return "files (some changes may have been missed)".to_string();
    };
    let first = first.display().to_string();
    match changed.len() {
        1 => first,
        n => format!("{first} and {} more", n - 1),
    }
}

/// An editor URL pattern for the overlay's links, from the editor named in `$VISUAL` or
/// `$EDITOR` when it has a URL scheme (VS Code, VSCodium, Sublime Text, Zed, TextMate, IntelliJ).
fn guess_editor() -> Option<String> {
    let var = std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| std::env::var("EDITOR").ok())?;
    editor_pattern(&var).map(str::to_string)
}

fn editor_pattern(command: &str) -> Option<&'static str> {
    let program = command.split_whitespace().next()?;
    let name = std::path::Path::new(program).file_name()?.to_str()?;
    Some(match name {
        "code" | "code-insiders" => "vscode://file/{file}:{line}:{col}",
        "codium" => "vscodium://file/{file}:{line}:{col}",
        "subl" => "subl://open?url=file://{file}&line={line}&column={col}",
        "zed" => "zed://file/{file}:{line}:{col}",
        "mate" => "txmt://open?url=file://{file}&line={line}&column={col}",
        "idea" => "idea://open?file={file}&line={line}&column={col}",
        _ => return None,
    })
}

/// The address to print and to use as `base_url`, under `prefix` (`/` or `/handbook/`). A
/// wildcard interface is shown as loopback, the one address sure to reach it from this machine.
fn local_url(addr: SocketAddr, prefix: &str) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}{prefix}", SocketAddr::new(ip, addr.port()))
}

/// Opens the site with `xdg-open` (or `open` on macOS) where there is one; silent otherwise.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let child = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Ok(mut child) = child {
        // Reap it when it exits, so it leaves no zombie behind.
        std::thread::spawn(move || child.wait());
    }
}

#[cfg(test)]
mod tests {
    use super::{editor_pattern, local_url};

    #[test]
    fn local_urls() {
        assert_eq!(
            local_url("0.0.0.0:1111".parse().unwrap(), "/"),
            "http://127.0.0.1:1111/"
        );
        assert_eq!(
            local_url("[::1]:8080".parse().unwrap(), "/handbook/"),
            "http://[::1]:8080/handbook/"
        );
    }

    #[test]
    fn editors_with_url_schemes() {
        assert_eq!(
            editor_pattern("/usr/bin/code --wait"),
            Some("vscode://file/{file}:{line}:{col}")
        );
        assert_eq!(editor_pattern("vim"), None);
        assert_eq!(editor_pattern(""), None);
    }
}
