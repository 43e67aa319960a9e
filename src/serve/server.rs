//! The HTTP side of `rapport serve` (tiny_http): files from the in-memory build, the events
//! stream, and nothing else. Paths are looked up in a map, never on disk, so a request can only
//! ever reach what the build produced.

use super::reload::{EVENTS_PATH, Live};
use crate::error::{Error, Result};
use percent_encoding::{CONTROLS, utf8_percent_encode};
use std::io::Write;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// Threads answering ordinary requests. Event streams get threads of their own, so long-lived
/// connections never hold these up.
const WORKERS: usize = 4;

/// How often an idle events stream is poked, to notice tabs that went away.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// Binds `interface:port`. When the port was not chosen explicitly and is taken, the next free
/// one of the following few is used (the caller says so); an explicit port must be free.
pub fn bind(interface: IpAddr, port: u16, explicit: bool) -> Result<TcpListener> {
    let tries = if explicit { 1 } else { 20 };
    let mut last = None;
    for p in (port..=u16::MAX).take(tries) {
        match TcpListener::bind(SocketAddr::new(interface, p)) {
            Ok(l) => {
                // tiny_http writes a response in several pieces; with Nagle's algorithm the
                // second waits for the client's delayed ACK (40 ms) on a kept-alive
                // connection. Connections accepted from this socket inherit the option.
                let _ = socket2::SockRef::from(&l).set_tcp_nodelay(true);
                return Ok(l);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => return Err(bind_error(interface, p, &e)),
        }
    }
    let e = last.unwrap_or_else(|| std::io::Error::from(std::io::ErrorKind::AddrInUse));
    Err(bind_error(interface, port, &e))
}

fn bind_error(interface: IpAddr, port: u16, e: &std::io::Error) -> Error {
    let addr = SocketAddr::new(interface, port);
    if e.kind() == std::io::ErrorKind::AddrInUse {
        let what = if port == 0 {
            "no port".into()
        } else {
            format!("port {port}")
        };
        Error::refused(
            format!("cannot serve on {addr}: {what} is already in use"),
            "stop the other server, or pass another port with --port (0 picks a free one)",
        )
    } else {
        Error::refused(
            format!("cannot serve on {addr}: {e}"),
            "pass another address with --interface, e.g. 127.0.0.1",
        )
    }
}

/// Starts the worker threads; they run until the process ends.
pub fn start(listener: TcpListener, live: Arc<Live>) -> Result<()> {
    let addr = listener.local_addr().ok();
    let server = tiny_http::Server::from_listener(listener, None).map_err(|e| {
        Error::refused(
            format!("cannot start the HTTP server: {e}"),
            format!("check the address {addr:?}"),
        )
    })?;
    let server = Arc::new(server);
    for _ in 0..WORKERS {
        let server = server.clone();
        let live = live.clone();
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                handle(request, &live);
            }
        });
    }
    Ok(())
}

fn handle(request: Request, live: &Arc<Live>) {
    let method = request.method().clone();
    if method != Method::Get && method != Method::Head {
        let mut response =
            Response::from_string("only GET and HEAD are supported\n").with_status_code(405);
        add_header(&mut response, "Allow", "GET, HEAD");
        let _ = request.respond(response);
        return;
    }
    let url = request.url().to_string();
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (url.as_str(), None),
    };
    if path == EVENTS_PATH && method == Method::Get {
        let live = live.clone();
        // Long-lived: a thread of its own, so the workers stay free for pages.
        std::thread::spawn(move || stream_events(request, &live));
        return;
    }
    let output = live.output();
    let (status, key, location) = match resolve(path, |k| output.files.contains_key(k)) {
        Resolved::File(key) => (200, Some(key), None),
        Resolved::Redirect => {
            // Re-encoded, so a header never carries raw non-ASCII bytes.
            let mut to = utf8_percent_encode(path, CONTROLS).to_string() + "/";
            if let Some(q) = query {
                to.push('?');
                to.push_str(q);
            }
            (308, None, Some(to))
        }
        Resolved::NotFound => (404, Some("404.html".to_string()), None),
        Resolved::BadRequest => (400, None, None),
    };
    let found = key
        .as_deref()
        .and_then(|k| output.files.get(k).map(|b| (k, b)));
    let (body, content_type) = match (found, status) {
        (Some((k, bytes)), _) => {
            let ct = content_type(k);
            if ct.starts_with("text/html") {
                (super::reload::inject(bytes, &output.id), ct)
            } else {
                (bytes.to_vec(), ct)
            }
        }
        // No 404.html (a theme without one, or no good build yet): a plain page, still with
        // the script, so an error overlay shows and the fix reloads it.
        (None, 404) => (
            super::reload::inject(FALLBACK_404.as_bytes(), &output.id),
            "text/html; charset=utf-8",
        ),
        (None, 400) => (b"bad request\n".to_vec(), "text/plain; charset=utf-8"),
        (None, _) => (Vec::new(), "text/plain; charset=utf-8"),
    };
    let mut response = Response::from_data(body).with_status_code(StatusCode(status));
    add_header(&mut response, "Content-Type", content_type);
    // A preview must never show a stale page, not even after a redirect.
    add_header(&mut response, "Cache-Control", "no-store");
    add_header(&mut response, "X-Content-Type-Options", "nosniff");
    if let Some(to) = location {
        add_header(&mut response, "Location", &to);
    }
    let _ = request.respond(response);
}

const FALLBACK_404: &str = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Not found</title></head>\n<body><h1>Not found</h1><p>Nothing is served at this address.</p></body></html>\n";

/// Streams reload events to one tab until it goes away. tiny_http's own responses buffer their
/// body, so the head is written here and every event flushed as it comes.
fn stream_events(request: Request, live: &Live) {
    let (first, events) = live.subscribe();
    let mut out = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-store\r\nConnection: close\r\n\r\n";
    let mut send = |text: &str| {
        out.write_all(text.as_bytes())
            .and_then(|_| out.flush())
            .is_ok()
    };
    if !send(head) || !send(&first) {
        return;
    }
    loop {
        let ok = match events.recv_timeout(KEEP_ALIVE) {
            Ok(frame) => send(&frame),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => send(": keep-alive\n\n"),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => false,
        };
        if !ok {
            return;
        }
    }
}

fn add_header<R: std::io::Read>(response: &mut Response<R>, name: &str, value: &str) {
    // Values are constants or percent-encoded, so this never fails in practice.
    if let Ok(h) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
        response.add_header(h);
    }
}

/// What a request path names in the output.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    /// The output key to serve.
    File(String),
    /// A folder asked for without its trailing slash.
    Redirect,
    NotFound,
    /// A path no site file can have: `..`, `.`, encoded slashes, backslashes, NUL, `//`.
    BadRequest,
}

/// Maps a raw request path (still percent-encoded, without the query) to an output key.
/// Every segment is decoded on its own, so `%2f` can never join segments and `%2e%2e` is
/// caught like `..`.
pub fn resolve(raw: &str, exists: impl Fn(&str) -> bool) -> Resolved {
    let Some(rest) = raw.strip_prefix('/') else {
        return Resolved::BadRequest;
    };
    let raw_segments: Vec<&str> = rest.split('/').collect();
    let last = raw_segments.len() - 1;
    let mut segments = Vec::with_capacity(raw_segments.len());
    for (i, seg) in raw_segments.iter().enumerate() {
        let bytes: Vec<u8> = percent_encoding::percent_decode_str(seg).collect();
        let Ok(seg) = String::from_utf8(bytes) else {
            return Resolved::BadRequest;
        };
        let empty_inside = seg.is_empty() && i != last;
        if empty_inside || seg == "." || seg == ".." || seg.contains(['/', '\\', '\0']) {
            return Resolved::BadRequest;
        }
        segments.push(seg);
    }
    let key = segments.join("/");
    if key.is_empty() || key.ends_with('/') {
        let index = format!("{key}index.html");
        return if exists(&index) {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if exists(&key) {
        Resolved::File(key)
    } else if exists(&format!("{key}/index.html")) {
        Resolved::Redirect
    } else {
        Resolved::NotFound
    }
}

/// The Content-Type of an output file, by extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "csv" => "text/csv; charset=utf-8",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(k: &str) -> bool {
        [
            "index.html",
            "why/index.html",
            "why/cost/index.html",
            "rapport.css",
        ]
        .contains(&k)
    }

    #[test]
    fn resolves_files_folders_and_redirects() {
        assert_eq!(resolve("/", site), Resolved::File("index.html".into()));
        assert_eq!(
            resolve("/why/", site),
            Resolved::File("why/index.html".into())
        );
        assert_eq!(
            resolve("/why/cost/", site),
            Resolved::File("why/cost/index.html".into())
        );
        assert_eq!(resolve("/why", site), Resolved::Redirect);
        assert_eq!(
            resolve("/rapport%2Ecss", site),
            Resolved::File("rapport.css".into())
        );
        assert_eq!(resolve("/nope/", site), Resolved::NotFound);
        assert_eq!(resolve("/nope", site), Resolved::NotFound);
        // Not a path on this machine: just a name that is not in the site.
        assert_eq!(resolve("/C:/Windows", site), Resolved::NotFound);
    }

    #[test]
    fn refuses_every_traversal_form() {
        for bad in [
            "/../etc/passwd",
            "/why/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/why%2f..%2f..%2fetc",
            "/..%5c..%5cetc",
            "/why\\..\\x",
            "//etc/passwd",
            "/a%00b",
            "/./index.html",
            "etc/passwd",
            "/%ff",
        ] {
            assert_eq!(resolve(bad, site), Resolved::BadRequest, "{bad}");
        }
    }

    #[test]
    fn a_taken_port_is_skipped_only_when_not_asked_for() {
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let taken = TcpListener::bind((ip, 0)).unwrap();
        let port = taken.local_addr().unwrap().port();
        match bind(ip, port, true) {
            Err(Error::Refused { message, .. }) => {
                assert!(message.contains(&format!("port {port} is already in use")))
            }
            other => panic!("{other:?}"),
        }
        if let Ok(next) = bind(ip, port, false) {
            assert_ne!(next.local_addr().unwrap().port(), port);
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.WOFF2"), "font/woff2");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
