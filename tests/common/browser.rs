//! Real headless Chromium for the tests where a page's behaviour matters (`#[ignore = "needs
//! chromium"]`), and a tiny static HTTP server to load a built site from: a `file://` URL would
//! neither honour the base path nor fetch the search index the way a host does.

#[cfg(feature = "browser-tests")]
use headless_chrome::{Browser, LaunchOptions};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Flags besides `--headless`, `--no-sandbox` and the profile: no GPU, no QUIC, no first-run
/// screens and no background traffic, so that nothing but the page under test reaches the net.
const FLAGS: [&str; 6] = [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

/// A Chromium driven over the DevTools protocol, with a fresh profile of its own. Dereferences
/// to the [`Browser`]; the profile folder outlives it (fields drop in order).
#[cfg(feature = "browser-tests")]
pub struct Chromium {
    browser: Browser,
    _profile: tempfile::TempDir,
}

#[cfg(feature = "browser-tests")]
impl Chromium {
    pub fn launch() -> Chromium {
        let profile = tempfile::tempdir().expect("profile folder");
        let options = LaunchOptions::default_builder()
            .path(Some(CHROMIUM.into()))
            .headless(true)
            .sandbox(false)
            .user_data_dir(Some(profile.path().to_path_buf()))
            .args(FLAGS.iter().map(std::ffi::OsStr::new).collect())
            .build()
            .expect("launch options");
        let browser = Browser::new(options).expect("chromium starts");
        Chromium {
            browser,
            _profile: profile,
        }
    }
}

#[cfg(feature = "browser-tests")]
impl std::ops::Deref for Chromium {
    type Target = Browser;
    fn deref(&self) -> &Browser {
        &self.browser
    }
}

/// Loads `url` in a fresh headless Chromium run with the `extra` flags and returns the DOM once
/// the page's scripts have run (`--dump-dom`).
pub fn dump_dom(url: &str, extra: &[&str]) -> String {
    let profile = tempfile::tempdir().expect("profile folder");
    let output = Command::new(CHROMIUM)
        .args(["--headless", "--no-sandbox"])
        .args(FLAGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg("--dump-dom")
        .arg(url)
        .output()
        .expect("run chromium");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Serves the output folder `root` under the URL path `base` on a free loopback port, like a
/// static host ([`super::host::serve`]): folders by their `index.html`, `404.html` for anything
/// else. Returns the port; the server lives as long as the test process.
pub fn serve_static(root: &Path, base: &'static str) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let port = listener.local_addr().expect("address").port();
    let root = root.to_path_buf();
    let files = Arc::new(super::files(&root));
    let root = Arc::new(root);
    std::thread::spawn(move || {
        // One thread per connection: the browser opens connections it may never use, and one
        // of those must not hold up the others.
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let (files, root) = (files.clone(), root.clone());
            std::thread::spawn(move || answer(stream, &files, &root, base));
        }
    });
    port
}

/// Answers one HTTP/1.1 request and closes the connection.
fn answer(
    mut stream: TcpStream,
    files: &std::collections::BTreeMap<String, std::path::PathBuf>,
    root: &Path,
    base: &str,
) {
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let Ok(clone) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(clone);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    // Skip the headers.
    let mut header = String::new();
    while reader
        .read_line(&mut header)
        .map(|n| n > 2)
        .unwrap_or(false)
    {
        header.clear();
    }
    let path = line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .split('?')
        .next()
        .unwrap_or("/")
        .to_string();
    let (status, file) = match super::host::serve(files, base, &path) {
        Some(f) => ("200 OK", f),
        None => ("404 Not Found", "404.html".to_string()),
    };
    let body = std::fs::read(root.join(&file)).unwrap_or_default();
    let kind = match file.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|_| stream.write_all(&body));
}
