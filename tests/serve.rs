//! `rapport serve` end to end: the real binary on a copy of tests/fixtures/serve, real TCP
//! requests, real file edits, and (ignored by default) a real headless Chromium.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long any awaited change may take before the test fails (never a fixed sleep).
const DEADLINE: Duration = Duration::from_secs(15);

/// Output of a child process, collected by a thread so the pipe never fills up.
type Lines = Arc<Mutex<String>>;

/// A running `rapport serve`, killed when dropped, whatever the test's outcome.
struct Serve {
    child: Child,
    base: String,
    stdout: Lines,
    stderr: Lines,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collect(pipe: impl Read + Send + 'static) -> Lines {
    let lines: Lines = Arc::default();
    let sink = lines.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            let mut s = sink.lock().unwrap();
            s.push_str(&line);
            s.push('\n');
        }
    });
    lines
}

impl Serve {
    /// Starts serve on `root` on a port the system picks, and waits for its address.
    fn start(root: &Path, extra: &[&str]) -> Serve {
        Serve::start_with_path(root, extra, None)
    }

    /// The same, with `PATH` replaced (to control which programs serve finds).
    fn start_with_path(root: &Path, extra: &[&str], path: Option<&Path>) -> Serve {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rapport"));
        if let Some(p) = path {
            cmd.env("PATH", p);
        }
        let mut child = cmd
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start rapport serve");
        let stdout = collect(child.stdout.take().unwrap());
        let stderr = collect(child.stderr.take().unwrap());
        let mut serve = Serve {
            child,
            base: String::new(),
            stdout,
            stderr,
        };
        let out = serve.stdout.clone();
        let base = wait_for("the server's address", || {
            let text = out.lock().unwrap();
            let line = text.lines().find(|l| l.starts_with("Serving "))?;
            Some(
                line.split_whitespace()
                    .nth(1)?
                    .trim_end_matches('/')
                    .to_string(),
            )
        });
        serve.base = base;
        serve
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn addr(&self) -> String {
        self.base.trim_start_matches("http://").to_string()
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }
}

/// Polls `check` until it gives a value, or fails the test at the deadline.
fn wait_for<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = check() {
            return v;
        }
        assert!(start.elapsed() < DEADLINE, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A copy of the fixture site in a fresh temporary folder.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve"),
        dir.path(),
    );
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .new_agent()
}

/// Status, Content-Type and body of a GET.
fn get(url: &str) -> (u16, String, String) {
    let mut resp = agent().get(url).call().expect(url);
    let ct = header(&resp, "content-type");
    let body = resp.body_mut().read_to_string().unwrap_or_default();
    (resp.status().as_u16(), ct, body)
}

fn header<B>(resp: &ureq::http::Response<B>, name: &str) -> String {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

/// A request written byte for byte, for paths an HTTP client would normalise first.
fn raw_get(addr: &str, target: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// A live connection to the reload channel, everything it received kept in order.
struct Events(Lines);

impl Events {
    fn open(serve: &Serve) -> Events {
        let mut s = TcpStream::connect(serve.addr()).unwrap();
        write!(
            s,
            "GET /__rapport/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            serve.addr()
        )
        .unwrap();
        let events = Events(collect(s));
        events.wait("event: hello");
        events
    }

    fn text(&self) -> String {
        self.0.lock().unwrap().clone()
    }

    /// Waits until `needle` is among what the channel sent (since the last `clear`).
    fn wait(&self, needle: &str) -> String {
        wait_for(needle, || {
            let t = self.text();
            t.contains(needle).then_some(t)
        })
    }

    fn clear(&self) {
        self.0.lock().unwrap().clear();
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\n---\n\n{body}\n")
}

/// Waits until GET `url` gives `status` and, for 200, a body containing `text`.
fn wait_page(url: &str, status: u16, text: &str) -> String {
    wait_for(&format!("{url} to be {status} with `{text}`"), || {
        let (s, _, body) = get(url);
        (s == status && body.contains(text)).then_some(body)
    })
}

#[test]
fn serves_files_with_their_content_types() {
    let site = fixture();
    let files: &[(&str, &[u8], &str)] = &[
        ("static/app.js", b"console.log(1);", "text/javascript"),
        (
            "static/logo.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'/>",
            "image/svg+xml",
        ),
        ("static/img/a.png", b"\x89PNG\r\n\x1a\n", "image/png"),
        ("static/img/b.jpg", b"\xff\xd8\xff", "image/jpeg"),
        ("static/img/c.webp", b"RIFF\0\0\0\0WEBP", "image/webp"),
        ("static/fonts/d.woff2", b"wOF2", "font/woff2"),
        ("static/cal.ics", b"BEGIN:VCALENDAR\r\n", "text/calendar"),
        ("static/doc.pdf", b"%PDF-1.4", "application/pdf"),
        ("static/data.json", b"{}", "application/json"),
        ("static/feed.xml", b"<feed/>", "application/xml"),
        ("static/blob.bin", b"\0\x01", "application/octet-stream"),
        ("content/01-guide/chart.png", b"\x89PNG-asset", "image/png"),
    ];
    for (rel, bytes, _) in files {
        let path = site.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    let serve = Serve::start(site.path(), &[]);
    let agent = agent();
    for (rel, bytes, ct) in files {
        let url_path = rel
            .trim_start_matches("static")
            .replace("content/01-guide", "/guide");
        let mut resp = agent.get(serve.url(&url_path)).call().unwrap();
        assert_eq!(resp.status(), 200, "{url_path}");
        assert!(header(&resp, "content-type").starts_with(ct), "{url_path}");
        assert_eq!(header(&resp, "cache-control"), "no-store", "{url_path}");
        assert_eq!(resp.body_mut().read_to_vec().unwrap(), *bytes, "{url_path}");
    }
    let (status, ct, body) = get(&serve.url("/rapport.css"));
    assert_eq!((status, ct.as_str()), (200, "text/css; charset=utf-8"));
    assert!(
        body.contains("rgb(250, 250, 250)"),
        "the site's own stylesheet wins"
    );
    let (status, ct, body) = get(&serve.url("/guide/first/"));
    assert_eq!((status, ct.as_str()), (200, "text/html; charset=utf-8"));
    assert!(body.contains("The original first text."));
}

#[test]
fn folders_index_redirects_404_and_head() {
    let site = fixture();
    let serve = Serve::start(site.path(), &[]);
    let agent = agent();

    let (status, _, home) = get(&serve.url("/"));
    assert_eq!(status, 200);
    // Served at `/` whatever path base_url has, so every link works locally.
    assert!(home.contains(r#"href="/guide/""#), "{home}");
    assert!(home.contains(r#"href="/rapport.css""#));
    assert!(!home.contains("/handbook/"));
    assert_eq!(get(&serve.url("/index.html")).0, 200);

    let resp = agent.get(serve.url("/guide/first?x=1")).call().unwrap();
    assert!(matches!(resp.status().as_u16(), 301 | 308));
    assert_eq!(header(&resp, "location"), "/guide/first/?x=1");
    assert_eq!(header(&resp, "cache-control"), "no-store");

    let (status, ct, body) = get(&serve.url("/no/such/page/"));
    assert_eq!(status, 404);
    assert!(ct.starts_with("text/html"));
    assert!(body.contains("Page not found"), "the site's own 404.html");
    assert_eq!(get(&serve.url("/missing.css")).0, 404);
    // Sources are not part of the site.
    assert_eq!(get(&serve.url("/content/01-guide/01-first.md")).0, 404);
    assert_eq!(get(&serve.url("/handbook.yaml")).0, 404);

    let (_, _, page) = get(&serve.url("/guide/"));
    let mut head = agent.head(serve.url("/guide/")).call().unwrap();
    assert_eq!(head.status(), 200);
    assert!(header(&head, "content-type").starts_with("text/html"));
    assert_eq!(header(&head, "content-length"), page.len().to_string());
    assert!(head.body_mut().read_to_vec().unwrap().is_empty());

    let post = agent.post(serve.url("/")).send("x").unwrap();
    assert_eq!(post.status(), 405);
}

#[test]
fn never_serves_outside_the_output() {
    let site = fixture();
    let secret = "TOP-SECRET-do-not-serve";
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), secret).unwrap();
    std::fs::write(site.path().join("secret.txt"), secret).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), site.path().join("public")).unwrap();
    let serve = Serve::start(site.path(), &[]);
    let abs = outside.path().join("secret.txt");
    let abs = abs.to_string_lossy();
    let attempts = [
        "/../secret.txt".to_string(),
        "/guide/../../secret.txt".to_string(),
        "/%2e%2e/secret.txt".to_string(),
        "/%2E%2E/%2E%2E/secret.txt".to_string(),
        "/guide/%2e%2e/%2e%2e/secret.txt".to_string(),
        "/..%2fsecret.txt".to_string(),
        "/guide%2F..%2F..%2Fsecret.txt".to_string(),
        "/..\\secret.txt".to_string(),
        "/guide\\..\\..\\secret.txt".to_string(),
        "/..%5c..%5csecret.txt".to_string(),
        "/%5c..%5csecret.txt".to_string(),
        "//secret.txt".to_string(),
        format!("/{abs}"),
        format!("/{}", abs.replace('/', "%2f")),
        format!("//{}", abs.trim_start_matches('/')),
        "/secret.txt%00.html".to_string(),
        "/%00".to_string(),
        "/public/secret.txt".to_string(),
        "/./secret.txt".to_string(),
        "../secret.txt".to_string(),
        "secret.txt".to_string(),
        "/etc/passwd".to_string(),
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd".to_string(),
    ];
    for target in &attempts {
        let (status, text) = raw_get(&serve.addr(), target);
        assert!(
            status == 400 || status == 404,
            "{target} gave {status}:\n{text}"
        );
        assert!(!text.contains(secret), "{target} leaked the file");
        assert!(!text.contains("root:"), "{target} leaked /etc/passwd");
    }
    // The server still answers properly afterwards.
    assert_eq!(raw_get(&serve.addr(), "/guide/").0, 200);
}

#[test]
fn many_clients_at_once_with_open_event_streams() {
    let site = fixture();
    let serve = Serve::start(site.path(), &[]);
    // Long-lived reload connections, more than the server has workers.
    let streams: Vec<Events> = (0..12).map(|_| Events::open(&serve)).collect();
    let ok = Arc::new(Mutex::new(0));
    let threads: Vec<_> = (0..24)
        .map(|i| {
            let url = serve.url(if i % 2 == 0 {
                "/guide/first/"
            } else {
                "/rapport.css"
            });
            let ok = ok.clone();
            std::thread::spawn(move || {
                let agent = agent();
                for _ in 0..10 {
                    let resp = agent.get(&url).call().unwrap();
                    assert_eq!(resp.status(), 200);
                    *ok.lock().unwrap() += 1;
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("a client thread failed");
    }
    assert_eq!(*ok.lock().unwrap(), 240);
    assert_eq!(streams.len(), 12);
}

#[test]
fn edits_are_served_and_announced() {
    let site = fixture();
    let root = site.path();
    let serve = Serve::start(root, &[]);
    let events = Events::open(&serve);
    let first = serve.url("/guide/first/");

    // Write in place.
    write(
        root,
        "content/01-guide/01-first.md",
        &page("First page", "Edited in place."),
    );
    wait_page(&first, 200, "Edited in place.");
    events.wait("event: reload");

    // Broken front matter: the error goes to every tab, the last good page stays.
    events.clear();
    write(
        root,
        "content/01-guide/01-first.md",
        "---\ntitle: [oops\n---\n\nBroken.\n",
    );
    let text = events.wait("event: build-error");
    assert!(
        text.contains("data: error: content/01-guide/01-first.md:2:"),
        "{text}"
    );
    let (status, _, body) = get(&first);
    assert_eq!(status, 200);
    assert!(body.contains("Edited in place."));
    wait_for("the error on stderr", || {
        serve
            .stderr()
            .contains("error: content/01-guide/01-first.md:2:")
            .then_some(())
    });
    // A tab opened now learns about the error at once.
    let late = Events::open(&serve);
    late.wait("event: build-error");

    // Fixed: served and reloaded.
    events.clear();
    write(
        root,
        "content/01-guide/01-first.md",
        &page("First page", "Fixed again."),
    );
    wait_page(&first, 200, "Fixed again.");
    events.wait("event: reload");

    // Saved through a temporary file renamed over the page.
    let tmp = root.join("content/01-guide/.01-first.md.tmp");
    std::fs::write(&tmp, page("First page", "Renamed over.")).unwrap();
    std::fs::rename(&tmp, root.join("content/01-guide/01-first.md")).unwrap();
    wait_page(&first, 200, "Renamed over.");

    // Deleted and recreated.
    std::fs::remove_file(root.join("content/01-guide/01-first.md")).unwrap();
    write(
        root,
        "content/01-guide/01-first.md",
        &page("First page", "Recreated."),
    );
    wait_page(&first, 200, "Recreated.");

    // A deleted page disappears.
    std::fs::remove_file(root.join("content/01-guide/02-second.md")).unwrap();
    wait_page(&serve.url("/guide/second/"), 404, "Page not found");

    // A new page in a new folder appears.
    write(
        root,
        "content/02-more/_index.md",
        &page("More", "More pages."),
    );
    write(
        root,
        "content/02-more/01-new.md",
        &page("New page", "Brand new."),
    );
    wait_page(&serve.url("/more/new/"), 200, "Brand new.");

    // A renamed page moves.
    std::fs::rename(
        root.join("content/02-more/01-new.md"),
        root.join("content/02-more/02-moved.md"),
    )
    .unwrap();
    wait_page(&serve.url("/more/moved/"), 200, "Brand new.");
    wait_page(&serve.url("/more/new/"), 404, "");

    // handbook.yaml replaced by a rename.
    let config = std::fs::read_to_string(root.join("handbook.yaml")).unwrap();
    let tmp = root.join(".handbook.yaml.swp");
    std::fs::write(&tmp, config.replace("Serve Fixture\"", "Renamed Title\"")).unwrap();
    std::fs::rename(&tmp, root.join("handbook.yaml")).unwrap();
    wait_page(&serve.url("/guide/"), 200, "Renamed Title");

    // A `templates/` folder created while serving is watched, and a template change
    // re-renders the pages that use it.
    write(
        root,
        "templates/404.html",
        "<!doctype html><html><body><h1>Custom missing page</h1></body></html>\n",
    );
    wait_page(&serve.url("/nowhere/"), 404, "Custom missing page");
    write(
        root,
        "templates/404.html",
        "<!doctype html><html><body><h1>Edited missing page</h1></body></html>\n",
    );
    wait_page(&serve.url("/nowhere/"), 404, "Edited missing page");

    // A stylesheet-only change swaps styles instead of reloading.
    events.clear();
    write(
        root,
        "static/rapport.css",
        "body { background: rgb(1, 2, 3); }\n",
    );
    events.wait("event: css");
    assert!(!events.text().contains("event: reload"));
    assert!(get(&serve.url("/rapport.css")).2.contains("rgb(1, 2, 3)"));
}

#[test]
fn script_is_served_but_never_built() {
    let site = fixture();
    let serve = Serve::start(site.path(), &[]);
    for path in ["/", "/guide/", "/guide/first/", "/missing/"] {
        let (_, _, body) = get(&serve.url(path));
        let script = body.find("data-rapport-live-reload").expect(path);
        assert!(
            script < body.rfind("</body>").unwrap(),
            "{path}: before </body>"
        );
        assert!(body.contains("/__rapport/events"));
    }
    assert!(
        !get(&serve.url("/rapport.css"))
            .2
            .contains("rapport-live-reload")
    );
    drop(serve);

    let out = site.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["build", "--quiet", "--root"])
        .arg(site.path())
        .status()
        .unwrap();
    assert!(status.success());
    let mut html = 0;
    for entry in walk(&out) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        if entry.extension().is_some_and(|e| e == "html") {
            html += 1;
        }
        assert!(!text.contains("rapport-live-reload"), "{}", entry.display());
        assert!(!text.contains("__rapport"), "{}", entry.display());
    }
    assert!(html >= 4);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.file_type().unwrap().is_dir() {
            out.extend(walk(&entry.path()));
        } else {
            out.push(entry.path());
        }
    }
    out
}

#[test]
fn a_broken_site_is_served_with_its_error_until_fixed() {
    let site = fixture();
    let root = site.path();
    write(
        root,
        "content/01-guide/01-first.md",
        "---\ntitle: [oops\n---\n",
    );
    let serve = Serve::start(root, &[]);
    let events = Events::open(&serve);
    events.wait("data: error: content/01-guide/01-first.md:2:");
    let (status, _, body) = get(&serve.url("/guide/first/"));
    assert_eq!(status, 404);
    assert!(
        body.contains("data-rapport-live-reload"),
        "the overlay can show"
    );
    write(
        root,
        "content/01-guide/01-first.md",
        &page("First page", "Now it builds."),
    );
    wait_page(&serve.url("/guide/first/"), 200, "Now it builds.");
    events.wait("event: reload");
}

#[test]
fn drafts_are_served_only_when_asked() {
    let site = fixture();
    write(
        site.path(),
        "content/01-guide/03-draft.md",
        "---\ntitle: \"Draft\"\ndraft: true\n---\n\nNot yet.\n",
    );
    let plain = Serve::start(site.path(), &[]);
    assert_eq!(get(&plain.url("/guide/draft/")).0, 404);
    let drafts = Serve::start(site.path(), &["--drafts"]);
    wait_page(&drafts.url("/guide/draft/"), 200, "Not yet.");
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = fixture();
    let out = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["serve", "--port", &port, "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    // A refusal: exit code 2.
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("port {port} is already in use")),
        "{err}"
    );
    assert!(err.contains("hint:"), "{err}");
}

#[test]
fn outside_a_handbook_serve_stops_at_once() {
    let empty = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["serve", "--port", "0", "--root"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no `handbook.yaml`"));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    let site = fixture();
    let mut serve = Serve::start(site.path(), &[]);
    let events = Events::open(&serve);
    let kill = Command::new("kill")
        .args(["-INT", &serve.child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = wait_for("serve to exit", || serve.child.try_wait().unwrap());
    assert!(status.success(), "{status:?}");
    wait_for("the goodbye", || {
        serve
            .stdout
            .lock()
            .unwrap()
            .contains("Stopped.")
            .then_some(())
    });
    drop(events);
}

#[cfg(unix)]
#[test]
fn open_uses_xdg_open_and_does_without_it() {
    use std::os::unix::fs::PermissionsExt;
    let site = fixture();
    let bin = tempfile::tempdir().unwrap();
    let opened = bin.path().join("opened.txt");
    let script = bin.path().join("xdg-open");
    std::fs::write(
        &script,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let serve = Serve::start_with_path(site.path(), &["--open"], Some(bin.path()));
    let url = wait_for("xdg-open to be run", || {
        std::fs::read_to_string(&opened)
            .ok()
            .filter(|t| t.ends_with('\n'))
    });
    assert_eq!(url.trim(), format!("{}/", serve.base));
    drop(serve);

    // No opener on PATH: serve goes on without a word.
    let empty = tempfile::tempdir().unwrap();
    let serve = Serve::start_with_path(site.path(), &["--open"], Some(empty.path()));
    assert_eq!(get(&serve.url("/")).0, 200);
    assert_eq!(serve.stderr(), "");
}

/// Headless Chromium keeps a served page open while the test edits the sources; the page
/// changes by itself.
#[test]
#[ignore = "needs chromium"]
fn the_browser_follows_edits_by_itself() {
    let site = fixture();
    let root = site.path();
    let serve = Serve::start(root, &[]);
    let browser = common::browser::Chromium::launch();
    let tab = browser.new_tab().unwrap();
    tab.navigate_to(&serve.url("/guide/first/"))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    let eval = |js: &str| -> String {
        tab.evaluate(js, false)
            .ok()
            .and_then(|r| r.value)
            .map(|v| v.as_str().map(str::to_string).unwrap_or(v.to_string()))
            .unwrap_or_default()
    };
    let main_text =
        "document.querySelector('main') ? document.querySelector('main').innerText : ''";
    let wait_js = |what: &str, js: &str, want: &dyn Fn(&str) -> bool| {
        wait_for(what, || {
            let v = eval(js);
            want(&v).then_some(v)
        })
    };
    wait_js("the page", main_text, &|t| {
        t.contains("The original first text.")
    });
    // An edit shows up without the test navigating. (Should the page's reload channel connect
    // only after the rebuild, its first event names a newer build and the page reloads then.)
    write(
        root,
        "content/01-guide/01-first.md",
        &page("First page", "Live text one."),
    );
    wait_js("the edited text", main_text, &|t| {
        t.contains("Live text one.")
    });

    // A mistake shows an overlay with the CLI's error text; the fix removes it.
    write(
        root,
        "content/01-guide/01-first.md",
        "---\ntitle: [oops\n---\n",
    );
    let overlay = "document.getElementById('rapport-error') ? document.getElementById('rapport-error').innerText : ''";
    let shown = wait_js("the error overlay", overlay, &|t| !t.is_empty());
    assert!(shown.contains("content/01-guide/01-first.md:2:"), "{shown}");
    assert!(
        eval(main_text).contains("Live text one."),
        "the last good page stays"
    );
    write(
        root,
        "content/01-guide/01-first.md",
        &page("First page", "Live text two."),
    );
    wait_js("the fixed text", main_text, &|t| {
        t.contains("Live text two.")
    });
    assert_eq!(eval(overlay), "");

    // A stylesheet change is applied without reloading: the marker set now survives.
    eval("window.rapportMarker = 'kept'; 'ok'");
    write(
        root,
        "static/rapport.css",
        "body { background: rgb(1, 2, 3); }\n",
    );
    wait_js(
        "the new background",
        "getComputedStyle(document.body).backgroundColor",
        &|t| t == "rgb(1, 2, 3)",
    );
    assert_eq!(eval("String(window.rapportMarker)"), "kept");
}

/// What serve printed for each rebuild since it started, in order: `rebuilt 1 page`,
/// `rebuilt 3 pages` (only the edited pages were rendered again) or `rebuilt the site`.
fn rebuilds(serve: &Serve) -> Vec<String> {
    serve
        .stdout
        .lock()
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once(": rebuilt ").map(|(_, r)| r))
        .map(|r| {
            let what = r.split_once(" in ").map_or(r, |(w, _)| w);
            format!("rebuilt {}", what.split(" (").next().unwrap_or(what))
        })
        .collect()
}

/// Waits until serve has printed `n` rebuilds, and gives them.
fn wait_rebuilds(serve: &Serve, n: usize) -> Vec<String> {
    wait_for(&format!("{n} rebuilds in serve's log"), || {
        let r = rebuilds(serve);
        (r.len() >= n).then_some(r)
    })
}

/// The sidebar navigation of a served page.
fn sidebar(html: &str) -> &str {
    let start = html.find("<nav class=\"site-nav\"").expect("a sidebar");
    let end = start
        + html[start..]
            .find("</nav>")
            .expect("the end of the sidebar");
    &html[start..end]
}

#[test]
fn a_body_edit_renders_that_page_alone() {
    let site = fixture();
    let root = site.path();
    let serve = Serve::start(root, &[]);
    let events = Events::open(&serve);

    write(
        root,
        "content/01-guide/01-first.md",
        &page("First page", "A body edit about zanzibar."),
    );
    wait_page(
        &serve.url("/guide/first/"),
        200,
        "A body edit about zanzibar.",
    );
    events.wait("event: reload");
    assert_eq!(wait_rebuilds(&serve, 1), ["rebuilt 1 page"]);
    // The search index follows the edit.
    wait_page(&serve.url("/search-index.json"), 200, "zanzibar");
    // The other pages are still served, unchanged.
    wait_page(&serve.url("/guide/second/"), 200, "The second page");

    // A section's introduction shows on the section's page (and is given to its pages).
    write(
        root,
        "content/01-guide/_index.md",
        "---\ntitle: \"The guide\"\ndescription: \"Two pages to edit\"\n---\n\nA new introduction.\n",
    );
    wait_page(&serve.url("/guide/"), 200, "A new introduction.");
    assert_eq!(
        wait_rebuilds(&serve, 2),
        ["rebuilt 1 page", "rebuilt 3 pages"]
    );
}

#[test]
fn a_renamed_heading_breaks_the_links_to_it_until_fixed() {
    let site = fixture();
    let root = site.path();
    let first_md = "content/01-guide/01-first.md";
    let second_md = "content/01-guide/02-second.md";
    write(
        root,
        first_md,
        &page("First page", "## Getting started\n\nThe first steps."),
    );
    write(
        root,
        second_md,
        &page(
            "Second page",
            "Read [the first steps](01-first.md#getting-started).",
        ),
    );
    let serve = Serve::start(root, &[]);
    let events = Events::open(&serve);
    let first = serve.url("/guide/first/");
    let rapport_build = || {
        let out = Command::new(env!("CARGO_BIN_EXE_rapport"))
            .args(["build", "--quiet", "--root"])
            .arg(root)
            .output()
            .unwrap();
        assert!(!out.status.success(), "the build should fail");
        String::from_utf8_lossy(&out.stderr).trim_end().to_string()
    };

    // The heading renamed: the link in the other page breaks.
    write(
        root,
        first_md,
        &page("First page", "## Setting out\n\nRenamed steps."),
    );
    let text = events.wait("event: build-error");
    assert!(
        text.contains(
            "data: error: content/01-guide/02-second.md:5:6: no heading `#getting-started`"
        ),
        "{text}"
    );
    // The last good build is still served.
    let (status, _, body) = get(&first);
    assert_eq!(status, 200);
    assert!(body.contains("The first steps.") && !body.contains("Renamed steps."));
    // The terminal shows what `rapport build` shows.
    let expected = rapport_build();
    assert!(
        expected.contains("headings there: #setting-out"),
        "{expected}"
    );
    wait_for("the build's error text on serve's stderr", || {
        serve.stderr().contains(&expected).then_some(())
    });

    // The heading named back: served again, the overlay goes.
    events.clear();
    write(
        root,
        first_md,
        &page("First page", "## Getting started\n\nThe steps, back."),
    );
    wait_page(&first, 200, "The steps, back.");
    events.wait("event: reload");
    assert_eq!(wait_rebuilds(&serve, 1), ["rebuilt 1 page"]);

    // Broken again, then fixed in the page with the link: both edits are rendered.
    events.clear();
    write(
        root,
        first_md,
        &page("First page", "## Setting out\n\nRenamed again."),
    );
    events.wait("event: build-error");
    events.clear();
    write(
        root,
        second_md,
        &page(
            "Second page",
            "Read [the first steps](01-first.md#setting-out).",
        ),
    );
    wait_page(&first, 200, "Renamed again.");
    let second = wait_page(&serve.url("/guide/second/"), 200, "#setting-out");
    assert!(second.contains(r##"href="/guide/first/#setting-out""##));
    events.wait("event: reload");
    assert_eq!(
        wait_rebuilds(&serve, 2),
        ["rebuilt 1 page", "rebuilt 2 pages"]
    );
}

#[test]
fn a_new_title_rebuilds_the_navigation_of_other_pages() {
    let site = fixture();
    let root = site.path();
    let serve = Serve::start(root, &[]);
    let second = serve.url("/guide/second/");
    let (_, _, before) = get(&second);
    assert!(sidebar(&before).contains(">First page</a>"));

    write(
        root,
        "content/01-guide/01-first.md",
        &page("First steps", "The original first text."),
    );
    let after = wait_page(&second, 200, "First steps");
    assert!(sidebar(&after).contains(">First steps</a>"), "{after}");
    assert_eq!(wait_rebuilds(&serve, 1), ["rebuilt the site"]);

    // A title taken from the opening heading is navigation too: the front matter stays the
    // same (there is none), the heading changes.
    write(
        root,
        "content/01-guide/01-first.md",
        "# Heading title\n\nNo front matter.\n",
    );
    wait_page(&second, 200, ">Heading title</a>");
    write(
        root,
        "content/01-guide/01-first.md",
        "# Another heading title\n\nNo front matter.\n",
    );
    let after = wait_page(&second, 200, ">Another heading title</a>");
    assert!(sidebar(&after).contains(">Another heading title</a>"));
    assert_eq!(
        wait_rebuilds(&serve, 3),
        ["rebuilt the site", "rebuilt the site", "rebuilt the site"]
    );
}
