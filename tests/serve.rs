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
        Serve::spawn(cmd, root, extra)
    }

    /// The same, run by `wrapper` (e.g. `prlimit --nofile=256 --`).
    fn start_under(wrapper: &[&str], root: &Path, extra: &[&str]) -> Serve {
        let mut cmd = Command::new(wrapper[0]);
        cmd.args(&wrapper[1..]).arg(env!("CARGO_BIN_EXE_rapport"));
        Serve::spawn(cmd, root, extra)
    }

    fn spawn(mut cmd: Command, root: &Path, extra: &[&str]) -> Serve {
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

    /// `127.0.0.1:PORT`, without the path a `--base-url` adds.
    fn addr(&self) -> String {
        let rest = self.base.trim_start_matches("http://");
        rest.split('/').next().unwrap_or(rest).to_string()
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

/// Messages of the live-reload socket, as the JSON text each one is.
const HELLO: &str = r#""type":"hello""#;
const RELOAD: &str = r#""type":"reload""#;
const CSS: &str = r#""type":"css""#;
const BUILD_ERROR: &str = r#""type":"build-error""#;

/// A live-reload WebSocket, everything it received kept in order, one message a line.
struct Events(Lines);

impl Events {
    fn open(serve: &Serve) -> Events {
        let (addr, origin) = (serve.addr(), format!("http://{}", serve.addr()));
        let events = Events::connect(&addr, &addr, Some(&origin)).expect("the live socket");
        events.wait(HELLO);
        events
    }

    /// Opens the socket with this Host (and Origin); the error is the refusal's status.
    fn connect(addr: &str, host: &str, origin: Option<&str>) -> Result<Events, u16> {
        use tungstenite::client::IntoClientRequest;
        let stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(DEADLINE)).unwrap();
        let mut req = format!("ws://{addr}/__rapport/live")
            .into_client_request()
            .unwrap();
        req.headers_mut().insert("host", host.parse().unwrap());
        if let Some(o) = origin {
            req.headers_mut().insert("origin", o.parse().unwrap());
        }
        let (mut ws, _) = match tungstenite::client(req, stream) {
            Ok(ok) => ok,
            Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(r))) => {
                return Err(r.status().as_u16());
            }
            Err(e) => panic!("WebSocket handshake: {e}"),
        };
        ws.get_ref().set_read_timeout(None).unwrap();
        let lines: Lines = Arc::default();
        let sink = lines.clone();
        std::thread::spawn(move || {
            while let Ok(m) = ws.read() {
                if let tungstenite::Message::Text(t) = m {
                    let mut s = sink.lock().unwrap();
                    s.push_str(t.as_str());
                    s.push('\n');
                }
            }
        });
        Ok(Events(lines))
    }

    fn text(&self) -> String {
        self.0.lock().unwrap().clone()
    }

    /// The messages so far, parsed.
    fn messages(&self) -> Vec<serde_json::Value> {
        self.text()
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON message"))
            .collect()
    }

    /// Waits until `needle` is among what the socket sent (since the last `clear`).
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
    events.wait(RELOAD);

    // Broken front matter: the error goes to every tab, the last good page stays.
    events.clear();
    write(
        root,
        "content/01-guide/01-first.md",
        "---\ntitle: [oops\n---\n\nBroken.\n",
    );
    let text = events.wait(BUILD_ERROR);
    assert!(
        text.contains("error: content/01-guide/01-first.md:2:"),
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
    late.wait(BUILD_ERROR);

    // Fixed: served and reloaded.
    events.clear();
    write(
        root,
        "content/01-guide/01-first.md",
        &page("First page", "Fixed again."),
    );
    wait_page(&first, 200, "Fixed again.");
    events.wait(RELOAD);

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
    events.clear();
    write(
        root,
        "templates/404.html",
        "<!doctype html><html><body><h1>Edited missing page</h1></body></html>\n",
    );
    wait_page(&serve.url("/nowhere/"), 404, "Edited missing page");
    // The reload follows the publication; wait for it, so that it cannot arrive after the
    // stream is cleared below.
    events.wait(RELOAD);

    // A stylesheet-only change swaps styles instead of reloading.
    events.clear();
    write(
        root,
        "static/rapport.css",
        "body { background: rgb(1, 2, 3); }\n",
    );
    events.wait(CSS);
    assert!(!events.text().contains(RELOAD));
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
        assert!(body.contains("/__rapport/live"));
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
    events.wait("error: content/01-guide/01-first.md:2:");
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
    events.wait(RELOAD);
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
    let run = common::Run::from(out).in_site(site.path());
    let err = common::stderr_of(&run).replace(&port, "[PORT]");
    insta::assert_snapshot!(err, @"
    error: cannot serve on 127.0.0.1:[PORT]: port [PORT] is already in use
     hint: stop the other server, or pass another port with --port (0 picks a free one)
    ");
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
#[cfg(feature = "browser-tests")]
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
    let overlay = "(function () { var h = document.getElementById('rapport-error'); \
                   return h && h.shadowRoot ? h.shadowRoot.querySelector('pre').textContent : ''; })()";
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

    // A link to a private page, which the published build refuses, shows over the page too;
    // the fix removes it.
    write(
        root,
        "content/01-guide/09-mine.md",
        "---\ntitle: Mine\nprivate: true\n---\n\nMine.\n",
    );
    write(
        root,
        "content/01-guide/01-first.md",
        &page("First page", "See [mine](09-mine.md)."),
    );
    let title = "(function () { var h = document.getElementById('rapport-error'); \
                 return h && h.shadowRoot ? h.shadowRoot.querySelector('h1').textContent : ''; })()";
    let shown = wait_js("the warnings overlay", title, &|t| !t.is_empty());
    assert_eq!(shown, "rapport build would refuse this handbook");
    let text = eval(overlay);
    assert!(
        text.starts_with("warning: content/01-guide/01-first.md:5:5: link to the private page"),
        "{text}"
    );
    write(
        root,
        "content/01-guide/01-first.md",
        &page("First page", "Live text three."),
    );
    wait_js("the page without the link", main_text, &|t| {
        t.contains("Live text three.")
    });
    assert_eq!(eval(overlay), "");
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
fn an_editors_save_is_one_rebuild() {
    let site = fixture();
    let root = site.path();
    let serve = Serve::start(root, &[]);
    let page_path = root.join("content/01-guide/01-first.md");
    let first = serve.url("/guide/first/");
    // vim (`backupcopy=no`): the page renamed to a backup, the new text written and synced,
    // the backup removed.
    let backup = root.join("content/01-guide/01-first.md~");
    std::fs::rename(&page_path, &backup).unwrap();
    let mut f = std::fs::File::create(&page_path).unwrap();
    std::io::Write::write_all(&mut f, page("First page", "Saved like vim.").as_bytes()).unwrap();
    f.sync_all().unwrap();
    drop(f);
    std::fs::remove_file(&backup).unwrap();
    wait_page(&first, 200, "Saved like vim.");
    // Other editors: a temporary file, synced, renamed over the page.
    let tmp = root.join("content/01-guide/.01-first.md.tmp");
    let mut f = std::fs::File::create(&tmp).unwrap();
    std::io::Write::write_all(&mut f, page("First page", "Saved by rename.").as_bytes()).unwrap();
    f.sync_all().unwrap();
    drop(f);
    std::fs::rename(&tmp, &page_path).unwrap();
    wait_page(&first, 200, "Saved by rename.");
    // Time for any late event of either save to cause a rebuild of its own.
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(rebuilds(&serve).len(), 2, "{:?}", rebuilds(&serve));
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
    events.wait(RELOAD);
    assert_eq!(wait_rebuilds(&serve, 1), ["rebuilt 1 page"]);
    // The search index follows the edit.
    wait_page(&serve.url("/search-index.json"), 200, "zanzibar");
    // So does the book, which holds every page.
    let book = wait_page(&serve.url("/book/"), 200, "A body edit about zanzibar.");
    assert!(book.contains("The second page"), "{book}");
    // The other pages are still served, unchanged.
    wait_page(&serve.url("/guide/second/"), 200, "The second page");

    // A section's introduction shows on the section's page (and is given to its pages).
    write(
        root,
        "content/01-guide/_index.md",
        "---\ntitle: \"The guide\"\ndescription: \"Two pages to edit\"\n---\n\nA new introduction.\n",
    );
    wait_page(&serve.url("/guide/"), 200, "A new introduction.");
    let served = wait_page(&serve.url("/book/"), 200, "A new introduction.");
    // The book as served after two edits is the book a build of the edited site writes.
    let out = tempfile::tempdir().unwrap();
    let build = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["build", "-q", "-u", &serve.url("/")])
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(out.path().join("site"))
        .status()
        .unwrap();
    assert!(build.success());
    let built = std::fs::read_to_string(out.path().join("site/book/index.html")).unwrap();
    let script = served.find("<script data-rapport-live-reload>").unwrap();
    let end = served[script..].find("</script>\n").unwrap() + script + "</script>\n".len();
    assert_eq!(format!("{}{}", &served[..script], &served[end..]), built);
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
    let text = events.wait(BUILD_ERROR);
    assert!(
        text.contains("error: content/01-guide/02-second.md:5:6: no heading `#getting-started`"),
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
    events.wait(RELOAD);
    assert_eq!(wait_rebuilds(&serve, 1), ["rebuilt 1 page"]);

    // Broken again, then fixed in the page with the link: both edits are rendered.
    events.clear();
    write(
        root,
        first_md,
        &page("First page", "## Setting out\n\nRenamed again."),
    );
    events.wait(BUILD_ERROR);
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
    events.wait(RELOAD);
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

/// A raw request's whole answer (status 0: the server closed without answering).
fn raw(addr: &str, request: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let _ = s.write_all(request);
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text
        .strip_prefix("HTTP/1.1 ")
        .and_then(|r| r.get(..3))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, text)
}

#[test]
fn every_traversal_form_is_refused() {
    let site = fixture();
    let serve = Serve::start(site.path(), &[]);
    let addr = serve.addr();
    let dots = [
        "..",
        "%2e%2e",
        "%2E%2E",
        ".%2e",
        "%2e.",
        "%2E.",
        ".%2E",
        "..%00",
        "%2e%2e%00",
    ];
    let seps = ["/", "%2f", "%2F", "%5c", "%5C", "\\", "/./", "//"];
    let targets = ["secret.txt", "etc/passwd"];
    let mut forms = Vec::new();
    for dot in dots {
        for sep in seps {
            for depth in 1..=3 {
                for target in targets {
                    for start in ["/", "/guide/"] {
                        let climb = format!("{dot}{sep}").repeat(depth);
                        forms.push(format!("{start}{climb}{target}"));
                    }
                }
            }
        }
    }
    assert!(forms.len() > 800, "{}", forms.len());
    for target in &forms {
        let (status, text) = raw_get(&addr, target);
        assert!(
            status == 400 || status == 404 || status == 0,
            "{target} gave {status}:\n{text}"
        );
        assert!(!text.contains("root:"), "{target} leaked /etc/passwd");
    }
    assert_eq!(raw_get(&addr, "/guide/").0, 200);
}

#[test]
fn odd_methods_and_malformed_requests_never_stop_the_server() {
    let site = fixture();
    let serve = Serve::start(site.path(), &[]);
    let addr = serve.addr();
    for method in [
        "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "MKCOL", "LOCK", "FOO",
        "get", "CONNECT",
    ] {
        let (status, text) = raw(
            &addr,
            format!("{method} / HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        assert!(
            status == 405 || status == 400,
            "{method} gave {status}:\n{text}"
        );
        if status == 405 {
            assert!(text.contains("allow: GET, HEAD"), "{text}");
        }
    }
    let host = format!("Host: {addr}\r\n");
    let malformed: Vec<Vec<u8>> = vec![
        b"GET\r\n\r\n".to_vec(),
        b"\r\n\r\n".to_vec(),
        b"GET / HTTP/9.9\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHost localhost\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nHo\0st: x\r\n\r\n".to_vec(),
        b"\0\0\0\0\0\0\0\0\r\n\r\n".to_vec(),
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03".to_vec(),
        b"GET  / HTTP/1.1\r\n\r\n".to_vec(),
        b"GET /\tx HTTP/1.1\r\n\r\n".to_vec(),
        b"GET /\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n".to_vec(),
        b"GET / HTTP/1.1\rHost: x\r\r".to_vec(),
        format!("GET / HTTP/1.1\r\n{host} folded\r\n\r\n").into_bytes(),
        format!("GET / HTTP/1.1\r\n{host}Content-Length: 5\r\nContent-Length: 6\r\n\r\nabcde")
            .into_bytes(),
        format!("GET / HTTP/1.1\r\n{host}Content-Length: -1\r\n\r\n").into_bytes(),
        format!("GET / HTTP/1.1\r\n{host}Content-Length: 99999999999999999999\r\n\r\n")
            .into_bytes(),
        format!("GET / HTTP/1.1\r\n{host}: no name\r\n\r\n").into_bytes(),
        format!("GET / HTTP/1.1\r\n{host}Transfer-Encoding: gzip, chunked, x\r\n\r\n").into_bytes(),
        format!("GET / HTTP/1.1\r\n{host}{host}\r\n").into_bytes(),
        b"GET / HTTP/1.1\r\n\r\n".to_vec(),
        format!("GET *  HTTP/1.1\r\n{host}\r\n").into_bytes(),
        format!("GET localhost:80 HTTP/1.1\r\n{host}\r\n").into_bytes(),
        format!("GET /\x7f HTTP/1.1\r\n{host}\r\n").into_bytes(),
        format!("GET / HTTP/1.1\r\n{host}X: \x01\x02\r\n\r\n").into_bytes(),
    ];
    assert_eq!(malformed.len(), 24);
    // At once: a head that never ends waits out the server's header timeout.
    let answers: Vec<_> = malformed
        .into_iter()
        .map(|req| {
            let addr = addr.clone();
            std::thread::spawn(move || (raw(&addr, &req), req))
        })
        .collect();
    for answer in answers {
        let ((status, text), req) = answer.join().unwrap();
        assert!(
            status == 0 || (400..500).contains(&status),
            "{:?} gave {status}:\n{text}",
            String::from_utf8_lossy(&req)
        );
    }
    // Half a request, then nothing: the server stays free for others.
    let mut half = TcpStream::connect(&addr).unwrap();
    half.write_all(b"GET / HTTP/1.1\r\nHost: ").unwrap();
    assert_eq!(raw_get(&addr, "/guide/").0, 200);
    drop(half);
}

#[test]
fn ranges_never_break_a_response() {
    let site = fixture();
    let serve = Serve::start(site.path(), &[]);
    let addr = serve.addr();
    let (_, _, css) = get(&serve.url("/rapport.css"));
    let many = vec!["0-0"; 2000].join(",");
    for range in [
        "bytes=0-0",
        "bytes=-1",
        "bytes=-0",
        "bytes=99999999999-",
        "bytes=5-2",
        "bytes=abc",
        "bytes=0-18446744073709551616",
        many.as_str(),
        "lines=1-2",
    ] {
        let (status, text) = raw(
            &addr,
            format!(
                "GET /rapport.css HTTP/1.1\r\nHost: {addr}\r\nRange: {range}\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        );
        // Ranges are not supported: the whole file, every time.
        assert_eq!(status, 200, "{range}: {text}");
        assert!(text.ends_with(&css), "{range}");
    }
}

/// A server whose descriptor limit is 256 holds 512 idle connections and still answers.
#[cfg(target_os = "linux")]
#[test]
fn idle_connections_cannot_use_up_the_descriptors() {
    let site = fixture();
    let serve = Serve::start_under(&["prlimit", "--nofile=256:256", "--"], site.path(), &[]);
    let addr = serve.addr();
    let idle: Vec<TcpStream> = (0..512)
        .filter_map(|_| {
            let s = TcpStream::connect_timeout(&addr.parse().unwrap(), Duration::from_secs(5));
            s.ok()
        })
        .collect();
    assert!(idle.len() > 256, "only {} connections", idle.len());
    let answered = || {
        wait_for("a page while idle connections are open", || {
            (raw_get(&addr, "/guide/").0 == 200).then_some(())
        })
    };
    answered();
    answered();
    drop(idle);
    answered();
    assert!(!serve.stderr().contains("panicked"), "{}", serve.stderr());
}

#[test]
fn clients_that_never_read_do_not_hold_up_others() {
    let site = fixture();
    let big: Vec<u8> = (0..8 << 20).map(|i: u32| (i % 251) as u8).collect();
    std::fs::write(site.path().join("static/big.bin"), &big).unwrap();
    let serve = Serve::start(site.path(), &[]);
    let addr = serve.addr();
    let stuck: Vec<TcpStream> = (0..4)
        .map(|_| {
            let mut s = TcpStream::connect(&addr).unwrap();
            write!(s, "GET /big.bin HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
            s
        })
        .collect();
    // Let the server fill their socket buffers and block on them.
    std::thread::sleep(Duration::from_millis(300));
    let start = Instant::now();
    let (status, _, body) = get(&serve.url("/guide/first/"));
    assert_eq!(status, 200);
    assert!(body.contains("The original first text."));
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "took {:?}",
        start.elapsed()
    );
    drop(stuck);
}

#[test]
fn oversized_request_heads_are_refused() {
    let site = fixture();
    let serve = Serve::start(site.path(), &[]);
    let addr = serve.addr();
    let big = "a".repeat(1 << 20);
    for req in [
        format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Big: {big}\r\n\r\n"),
        format!("GET /{big} HTTP/1.1\r\nHost: {addr}\r\n\r\n"),
    ] {
        let (status, _) = raw(&addr, req.as_bytes());
        assert!(matches!(status, 0 | 414 | 431), "gave {status}");
    }
    assert_eq!(raw_get(&addr, "/guide/").0, 200);
}

#[test]
fn other_hosts_are_refused_for_pages_index_and_live_reload() {
    let site = fixture();
    let serve = Serve::start(site.path(), &["--allow-host", "Preview.Test"]);
    let addr = serve.addr();
    let port = addr.rsplit(':').next().unwrap();
    let with_host = |target: &str, host: &str| {
        raw(
            &addr,
            format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
    };
    for target in [
        "/",
        "/guide/first/",
        "/search-index.json",
        "/__rapport/live",
    ] {
        for host in [
            "evil.example",
            &format!("evil.example:{port}"),
            "localhost:1",
        ] {
            let (status, text) = with_host(target, host);
            assert_eq!(status, 403, "{target} for {host}: {text}");
            let body = text.split("\r\n\r\n").nth(1).unwrap();
            assert_eq!(body.lines().count(), 1, "{body}");
            assert!(body.contains("--allow-host"), "{body}");
            assert!(!text.contains("The original first text."));
        }
    }
    assert_eq!(
        Events::connect(&addr, "evil.example", Some(&format!("http://{addr}"))).err(),
        Some(403)
    );
    // A page elsewhere may not open the socket either (browsers allow that across origins).
    assert_eq!(
        Events::connect(&addr, &addr, Some("http://evil.example")).err(),
        Some(403)
    );
    // The absolute form names the host too.
    let (status, _) = raw(
        &addr,
        format!("GET http://evil.example/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    );
    assert_eq!(status, 403);
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("preview.test:{port}"),
    ] {
        assert_eq!(with_host("/guide/", &host).0, 200, "{host}");
    }
    let events = Events::connect(
        &addr,
        &format!("localhost:{port}"),
        Some(&format!("http://localhost:{port}")),
    )
    .expect("a page of the preview opens the socket");
    events.wait(HELLO);
}

#[test]
fn redirects_never_copy_raw_control_bytes() {
    let site = fixture();
    let serve = Serve::start(site.path(), &[]);
    let addr = serve.addr();
    let (status, text) = raw_get(&addr, "/guide/first?a=%0d%0aSet-Cookie:%20x%00");
    assert_eq!(status, 308, "{text}");
    let head = text.split("\r\n\r\n").next().unwrap();
    assert!(
        head.contains("\r\nlocation: /guide/first/?a=%0d%0aSet-Cookie:%20x%00\r\n"),
        "{head}"
    );
    assert!(
        !head.to_ascii_lowercase().contains("\r\nset-cookie"),
        "{head}"
    );
    // Raw CR and NUL in the target: refused, never copied into a header.
    for raw_query in ["a=\rSet-Cookie: x", "a=\0b", "a=\r\nSet-Cookie: x"] {
        let (status, text) = raw(
            &addr,
            format!(
                "GET /guide/first?{raw_query} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
            )
            .as_bytes(),
        );
        assert!(status == 400 || status == 0, "{raw_query:?}: {text}");
        assert!(!text.to_ascii_lowercase().contains("set-cookie"), "{text}");
    }
}

#[test]
fn a_carriage_return_in_an_error_is_one_message() {
    let site = fixture();
    write(
        site.path(),
        "content/01-guide/03-bad\rname.md",
        "---\ntitle: [oops\n---\n",
    );
    let serve = Serve::start(site.path(), &[]);
    let events = Events::open(&serve);
    events.wait(BUILD_ERROR);
    // Any further message would have come with the first ones.
    std::thread::sleep(Duration::from_millis(300));
    let messages = events.messages();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_eq!(messages[0]["type"], "hello");
    assert_eq!(messages[1]["type"], "build-error");
    let text = messages[1]["text"].as_str().unwrap();
    assert!(text.contains("03-bad\rname.md"), "{text:?}");
}

#[test]
fn twenty_tabs_all_reload() {
    let site = fixture();
    let serve = Serve::start(site.path(), &[]);
    let tabs: Vec<Events> = (0..20).map(|_| Events::open(&serve)).collect();
    write(
        site.path(),
        "content/01-guide/01-first.md",
        &page("First page", "Seen by twenty tabs."),
    );
    wait_page(&serve.url("/guide/first/"), 200, "Seen by twenty tabs.");
    for tab in &tabs {
        tab.wait(RELOAD);
    }
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_handbook_are_neither_read_nor_served() {
    let site = fixture();
    let outside = tempfile::tempdir().unwrap();
    let secret = "TOP-SECRET-outside-the-handbook";
    std::fs::write(outside.path().join("secret.txt"), secret).unwrap();
    std::fs::write(
        outside.path().join("page.md"),
        format!("# Leak\n\n{secret}\n"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path().join("static/outlink")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("page.md"),
        site.path().join("content/01-guide/09-leak.md"),
    )
    .unwrap();
    // A link that stays inside the handbook is followed.
    std::os::unix::fs::symlink(
        site.path().join("static/rapport.css"),
        site.path().join("static/inside.css"),
    )
    .unwrap();
    let serve = Serve::start(site.path(), &[]);
    for path in ["/outlink/secret.txt", "/guide/leak/", "/outlink/"] {
        let (status, _, body) = get(&serve.url(path));
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains(secret), "{path}");
    }
    assert_eq!(get(&serve.url("/inside.css")).0, 200);
    let index = get(&serve.url("/search-index.json")).2;
    assert!(!index.contains(secret));
    wait_for("the warnings", || {
        let err = serve.stderr();
        (err.contains("warning: static/outlink: a symbolic link leads outside the handbook")
            && err.contains("warning: content/01-guide/09-leak.md: a symbolic link leads outside"))
        .then_some(())
    });
}

/// Issue 23: a `templates/` that is itself a link out of the handbook is neither read nor
/// served, its pages rendered by the built-in templates instead.
#[cfg(unix)]
#[test]
fn a_templates_folder_linked_out_is_neither_read_nor_served() {
    let site = fixture();
    let outside = tempfile::tempdir().unwrap();
    let secret = "SECRET-MARKER-issue-23";
    for name in ["index.html", "section.html", "page.html"] {
        std::fs::write(outside.path().join(name), format!("{secret} {name}")).unwrap();
    }
    std::os::unix::fs::symlink(outside.path(), site.path().join("templates")).unwrap();
    let serve = Serve::start(site.path(), &[]);
    for path in ["/", "/guide/", "/guide/first/"] {
        let (status, _, body) = get(&serve.url(path));
        assert_eq!(status, 200, "{path}");
        assert!(!body.contains(secret), "{path}");
    }
    wait_for("the warning", || {
        let err = serve.stderr();
        err.contains("warning: templates: a symbolic link leads outside the handbook folder")
            .then_some(())
    });
    assert!(!serve.stderr().contains(secret));
}

#[test]
fn base_url_serves_under_its_path() {
    let site = fixture();
    let serve = Serve::start(site.path(), &["-u", "https://me.github.io/handbook/"]);
    assert!(serve.base.ends_with("/handbook"), "{}", serve.base);
    let (status, _, home) = get(&serve.url("/"));
    assert_eq!(status, 200);
    assert!(home.contains(r#"href="/handbook/guide/""#), "{home}");
    assert_eq!(get(&serve.url("/guide/first/")).0, 200);
    let root = serve.base.trim_end_matches("/handbook").to_string();
    assert_eq!(get(&format!("{root}/guide/first/")).0, 404);
    let resp = agent().get(&format!("{root}/handbook?x=1")).call().unwrap();
    assert_eq!(resp.status(), 308);
    assert_eq!(header(&resp, "location"), "/handbook/?x=1");
    let events = Events::open(&serve);
    events.wait(HELLO);
}

/// Private pages, their files, `content/private/` and a private section are served for the
/// author's preview, and left out with `--public`; a public page's link to one of them is a
/// warning in the terminal, since the published build refuses it.
#[test]
fn serves_private_items_unless_public_and_warns_of_links_to_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "handbook.yaml", "title: \"Mine\"\n");
    write(
        root,
        "content/_index.md",
        &page("Home", "See [the plan](team/plan.md)."),
    );
    write(
        root,
        "content/notes.md",
        "---\ntitle: Notes\nprivate: true\n---\n\n![Me](me.png)\n",
    );
    write(root, "content/me.png", "MARKER-PHOTO");
    write(root, "content/private/notes.csv", "MARKER-CSV");
    write(
        root,
        "content/team/_index.md",
        "---\ntitle: Team\nprivate: true\n---\n",
    );
    write(
        root,
        "content/team/plan.md",
        &page("Plan", "MARKER-SECTION-PAGE"),
    );
    let cases: [(&[&str], u16); 2] = [(&[], 200), (&["--public"], 404)];
    for (args, status) in cases {
        if status == 404 {
            // The published build refuses the link: so does a public preview.
            write(root, "content/_index.md", &page("Home", "Hello."));
        }
        let serve = Serve::start(root, args);
        for (path, marker) in [
            ("/me.png", "MARKER-PHOTO"),
            ("/private/notes.csv", "MARKER-CSV"),
            ("/team/plan/", "MARKER-SECTION-PAGE"),
        ] {
            let (code, _, body) = get(&serve.url(path));
            assert_eq!(code, status, "{path} {args:?}");
            assert_eq!(body.contains(marker), status == 200, "{path} {args:?}");
        }
        if status == 200 {
            let warned = "warning: content/_index.md:5:5: link to the private page \
                          `content/team/plan.md` (`rapport build` refuses it)";
            wait_for("the warning", || {
                serve.stderr().contains(warned).then_some(())
            });
            // An open tab shows it over the page.
            let events = Events::open(&serve);
            events.wait(r#""type":"build-warnings""#);
            let shown = events.messages();
            assert_eq!(shown[1]["type"], "build-warnings", "{shown:?}");
            assert!(
                shown[1]["text"].as_str().unwrap().starts_with(warned),
                "{shown:?}"
            );
            // An edit that a page's re-render alone would serve is reported the same way.
            write(
                root,
                "content/_index.md",
                &page("Home", "The [plan](team/plan.md)."),
            );
            let again = "warning: content/_index.md:5:5: link to the private page";
            wait_for("the warning after the edit", || {
                (serve.stderr().matches(again).count() == 2).then_some(())
            });
            // Once the link is gone, a tab that connects is shown nothing.
            write(root, "content/_index.md", &page("Home", "No link."));
            wait_page(&serve.url("/"), 200, "No link.");
            let events = Events::open(&serve);
            std::thread::sleep(Duration::from_millis(200));
            assert_eq!(events.messages().len(), 1, "{:?}", events.messages());
        }
    }
}

/// Serve's resident memory in KiB (`VmRSS` of /proc/PID/status).
#[cfg(target_os = "linux")]
fn rss_kib(serve: &Serve) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", serve.child.id())).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .expect("VmRSS")
}

/// A handbook whose book is several MB: 300 pages of about 20 KB of varied words each.
fn big_book_site() -> tempfile::TempDir {
    let site = fixture();
    let words = [
        "ask",
        "advice",
        "follow",
        "up",
        "within",
        "a",
        "week",
        "mentor",
        "coffee",
        "thank",
        "introduce",
        "colleague",
        "listen",
        "share",
        "offer",
        "help",
        "first",
        "network",
    ];
    let mut seed = 7u32;
    for p in 0..300 {
        let mut body = String::with_capacity(21_000);
        while body.len() < 20_000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            body.push_str(words[(seed >> 16) as usize % words.len()]);
            body.push(if seed.is_multiple_of(17) { '\n' } else { ' ' });
        }
        write(
            site.path(),
            &format!("content/01-guide/p{p:03}.md"),
            &page(&format!("Page {p}"), &body),
        );
    }
    site
}

/// Milliseconds of `n` GETs of a normal page, sorted.
fn page_times(serve: &Serve, n: usize) -> Vec<u128> {
    let mut times: Vec<u128> = (0..n)
        .map(|_| {
            // A failed or timed-out request counts as what it took (figures before a fix).
            let start = Instant::now();
            if let Ok(mut resp) = agent().get(&serve.url("/guide/first/")).call() {
                let body = resp.body_mut().read_to_string().unwrap_or_default();
                assert_eq!(resp.status().as_u16(), 200);
                assert!(body.contains("The original first text."));
            }
            start.elapsed().as_millis()
        })
        .collect();
    times.sort_unstable();
    times
}

/// Thirty clients that ask for the book (6 MB here) and never read raise serve's memory by less
/// than its idle figure and leave a page answering within 50 ms; two more that read the book
/// in a loop slow a page by little more than their share of the CPU.
#[cfg(target_os = "linux")]
#[test]
fn the_book_is_held_once_whatever_its_clients_do() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let site = big_book_site();
    let serve = Serve::start(site.path(), &[]);
    let addr = serve.addr();
    let (status, _, book) = get(&serve.url("/book/"));
    assert_eq!(status, 200);
    assert!(book.len() > 5_000_000, "{}", book.len());
    assert_eq!(book.matches("data-rapport-live-reload").count(), 1);
    let idle_times = page_times(&serve, 5);
    let idle = rss_kib(&serve);
    let stuck: Vec<TcpStream> = (0..30)
        .map(|_| {
            let mut s = TcpStream::connect(&addr).unwrap();
            write!(s, "GET /book/ HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
            s
        })
        .collect();
    // The highest figure over a second and a half, while the clients are at it.
    let mut peak = 0;
    for _ in 0..15 {
        std::thread::sleep(Duration::from_millis(100));
        peak = peak.max(rss_kib(&serve));
    }
    let stuck_times = page_times(&serve, 10);
    peak = peak.max(rss_kib(&serve));
    let stop = Arc::new(AtomicBool::new(false));
    let loops: Vec<_> = (0..2)
        .map(|_| {
            let (url, stop) = (serve.url("/book/"), stop.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                // Bounded: at most 200 tries, or until told to stop.
                for _ in 0..200 {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    if let Ok(mut resp) = agent().get(&url).call() {
                        let body = &mut resp.body_mut().as_reader();
                        let len = std::io::copy(body, &mut std::io::sink()).unwrap_or(0);
                        n += usize::from(len > 5_000_000);
                    }
                }
                n
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let loop_times = page_times(&serve, 10);
    peak = peak.max(rss_kib(&serve));
    stop.store(true, Ordering::Relaxed);
    let books: usize = loops.into_iter().map(|t| t.join().unwrap()).sum();
    drop(stuck);
    eprintln!(
        "book {} bytes; RSS idle {idle} KiB, peak {peak} KiB; page ms idle {idle_times:?}, \
         with 30 never-reading clients {stuck_times:?}, and 2 looping ({books} books read) \
         {loop_times:?}",
        book.len()
    );
    assert!(
        peak < 2 * idle,
        "RSS {idle} KiB idle, {peak} KiB with the clients"
    );
    let median = |t: &[u128]| t[t.len() / 2];
    assert!(median(&stuck_times) < 50, "a page took {stuck_times:?} ms");
    // Debug builds inflate slowly, and the test machine is shared: a loose bound.
    assert!(median(&loop_times) < 150, "a page took {loop_times:?} ms");
    assert!(!serve.stderr().contains("panicked"), "{}", serve.stderr());
}

/// Over-long request lines get 431 as documented; the reload socket needs exactly one Origin
/// and a real key; a Host port is digits only.
#[test]
fn http_details_are_as_documented() {
    let site = fixture();
    let serve = Serve::start(site.path(), &[]);
    let addr = serve.addr();
    let port = addr.rsplit(':').next().unwrap();
    for len in [20 << 10, 70 << 10] {
        let target = format!("/{}", "a".repeat(len));
        let req = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
        assert_eq!(raw(&addr, req.as_bytes()).0, 431, "a {len}-byte target");
    }
    let key = "dGhlIHNhbXBsZSBub25jZQ==";
    let origin = format!("Origin: http://{addr}\r\n");
    let upgrade = |key: Option<&str>, origins: &str| {
        let key = key
            .map(|k| format!("Sec-WebSocket-Key: {k}\r\n"))
            .unwrap_or_default();
        let req = format!(
            "GET /__rapport/live HTTP/1.1\r\nHost: {addr}\r\nConnection: Upgrade, close\r\n\
             Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n{key}{origins}\r\n"
        );
        raw(&addr, req.as_bytes()).0
    };
    let two = format!("{origin}{origin}");
    let then_evil = format!("{origin}Origin: http://evil.example\r\n");
    assert_eq!(upgrade(Some(key), &two), 400);
    assert_eq!(upgrade(Some(key), &then_evil), 400);
    assert_eq!(upgrade(Some(key), ""), 400);
    assert_eq!(upgrade(Some(""), &origin), 400);
    assert_eq!(upgrade(Some("short"), &origin), 400);
    assert_eq!(upgrade(None, &origin), 426);
    assert_eq!(upgrade(Some(key), "Origin: http://evil.example\r\n"), 403);
    let with_host = |host: &str| {
        let req = format!("GET /guide/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        raw(&addr, req.as_bytes()).0
    };
    assert_eq!(with_host(&format!("localhost:+{port}")), 403);
    assert_eq!(with_host(&format!("127.0.0.1:+{port}")), 403);
    assert_eq!(with_host(&format!("localhost:{port}")), 200);
    let origin = format!("http://localhost:{port}");
    let events = Events::connect(&addr, &addr, Some(&origin)).expect("one Origin of the preview");
    events.wait(HELLO);
}
