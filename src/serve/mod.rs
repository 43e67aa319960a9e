//! `rapport serve`: build into memory, serve over HTTP, rebuild on every save and reload the
//! open tabs.
//!
//! The site is served at `/` with `base_url` rewritten to the local address, so links work
//! whatever path the real `base_url` has. A save of a page's body re-renders that page alone;
//! any other change renders the whole site into memory (see `rebuild`). The finished build
//! replaces the served one in a single swap; a failed build leaves the last good one served and
//! shows its error in every open page.

pub mod rebuild;
pub mod reload;
pub mod server;
pub mod watch;

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
    let url = local_url(addr);
    if opts.port.is_none() && addr.port() != DEFAULT_PORT {
        println!(
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

    let live = Arc::new(Live::new());
    let start = Instant::now();
    let mut builder = Builder::new(build_opts);
    match builder.full() {
        Ok((files, pages)) => {
            live.publish(files);
            if !opts.quiet {
                println!(
                    "Built {pages} pages into memory in {} ms",
                    start.elapsed().as_millis()
                );
            }
        }
        // Serve anyway: the page shows the error and reloads once it is fixed.
        Err(e) => report_error(&live, &e),
    }
    server::start(listener, live.clone())?;
    println!("Serving {url} (Ctrl-C to stop)");
    if opts.open {
        open_browser(&url);
    }
    run(&rx, &mut watcher, &live, &mut builder, opts.quiet);
    if !opts.quiet {
        println!("Stopped.");
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
                        eprintln!("warning: watching for changes: {e}");
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
                let change = live.publish(files);
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
                    println!("Changed {}: {how}, {what}", describe(&changed));
                }
            }
            Err(e) => report_error(live, &e),
        }
    }
}

/// Prints a failed build as `rapport build` would, and shows it in every open page.
fn report_error(live: &Live, e: &Error) {
    let text = e.report();
    eprintln!("{}", text.trim_end());
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

/// The address to print and to use as `base_url`. A wildcard interface is shown as loopback,
/// the one address sure to reach it from this machine.
fn local_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
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
    use super::local_url;

    #[test]
    fn local_urls() {
        assert_eq!(
            local_url("0.0.0.0:1111".parse().unwrap()),
            "http://127.0.0.1:1111/"
        );
        assert_eq!(
            local_url("[::1]:8080".parse().unwrap()),
            "http://[::1]:8080/"
        );
    }
}
