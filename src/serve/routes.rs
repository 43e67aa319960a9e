//! One request to one response: the Host check, GET and HEAD only, the live-reload socket, and
//! files of the build being served. Paths are looked up in a map, never on disk, so a request
//! can only ever reach what the build produced.

use super::conn::Slot;
use super::paths::{self, Resolved};
use super::reload::LIVE_PATH;
use super::server::App;
use super::store::Stored;
use bytes::Bytes;
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use std::sync::Arc;

pub use super::body::Body;

pub fn handle(req: Request<Incoming>, app: &App, slot: &Arc<Slot>) -> Response<Body> {
    let uri = req.uri();
    // Origin form (`/path`) or absolute form (`http://host/path`); `*` and `host:port` are
    // not requests for a file.
    if !uri.path().starts_with('/') || (uri.scheme().is_none() && uri.authority().is_some()) {
        return text(StatusCode::BAD_REQUEST, "bad request\n");
    }
    if let Some(refused) = check_host(&req, app) {
        return refused;
    }
    let method = req.method();
    if method != Method::GET && method != Method::HEAD {
        let mut r = text(
            StatusCode::METHOD_NOT_ALLOWED,
            "only GET and HEAD are supported\n",
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let uri = req.uri();
    let (path, query) = (uri.path().to_string(), uri.query().map(str::to_string));
    if path == LIVE_PATH {
        return super::socket::upgrade(req, app, slot);
    }
    // For HEAD, hyper sends the headers (the length of this body among them) and no body.
    file(app, &path, query.as_deref(), slot)
}

/// Both the request target's authority (absolute form) and `Host` must name this server; the
/// refusal otherwise.
fn check_host(req: &Request<Incoming>, app: &App) -> Option<Response<Body>> {
    let mut hosts = req.headers().get_all(header::HOST).iter();
    let host = match (hosts.next(), hosts.next()) {
        (Some(h), None) => h.to_str().ok(),
        _ => None,
    };
    let Some(host) = host else {
        return Some(text(
            StatusCode::BAD_REQUEST,
            "a request needs exactly one Host header\n",
        ));
    };
    let target = req.uri().authority().map(|a| a.as_str());
    for name in std::iter::once(host).chain(target) {
        if !app.hosts.allows(name) {
            return Some(text(StatusCode::FORBIDDEN, refusal(name)));
        }
    }
    None
}

/// The one-line reason for a 403, naming the host (printable ASCII only, and not too much).
pub fn refusal(host: &str) -> String {
    let shown: String = host
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(100)
        .collect();
    format!(
        "rapport serve does not answer to the host `{shown}`: only to localhost, 127.0.0.1, [::1], \
         the address it listens on, and names given with --allow-host\n"
    )
}

/// A file of the build being served, a redirect to a folder, or the site's 404 page.
fn file(app: &App, path: &str, query: Option<&str>, slot: &Arc<Slot>) -> Response<Body> {
    let output = app.live.output();
    let Some(rest) = strip_prefix(path, &app.prefix) else {
        return not_found(&output);
    };
    if rest.is_empty() {
        return redirect(paths::redirect_location(&app.prefix, "", query));
    }
    match paths::resolve(rest, |k| output.files.contains_key(k)) {
        Resolved::File(key) => match output.files.get(&key) {
            Some(stored) => {
                let ct = paths::content_type(&key);
                let html = ct.starts_with("text/html");
                let body = match stored {
                    // Streamed from the build's pieces, a chunk at a time.
                    Stored::Book(parts) if html => {
                        let script = Bytes::from(super::reload::script(&output.id));
                        Body::book(parts.clone(), script, slot.clone())
                    }
                    _ if html => Body::whole(Bytes::from(super::reload::inject(
                        &stored.bytes(),
                        &output.id,
                    ))),
                    // The build's own bytes, shared: no copy per request.
                    Stored::Plain(bytes) => Body::whole(bytes.clone()),
                    Stored::Deflated(..) | Stored::Book(_) => {
                        Body::whole(Bytes::from(stored.bytes().into_owned()))
                    }
                };
                with_body(StatusCode::OK, ct, body)
            }
            None => not_found(&output),
        },
        Resolved::Redirect => redirect(paths::redirect_location(&app.prefix, rest, query)),
        Resolved::NotFound => not_found(&output),
        Resolved::BadRequest => text(StatusCode::BAD_REQUEST, "bad request\n"),
    }
}

/// `/handbook/why/` under the prefix `/handbook/` is `/why/`; `/handbook` is `""` (redirected);
/// a path outside the prefix is `None`.
fn strip_prefix<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    let prefix = prefix.trim_end_matches('/');
    let rest = path.strip_prefix(prefix)?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

fn not_found(output: &super::reload::Output) -> Response<Body> {
    // No 404.html (a theme without one, or no good build yet): a plain page, still with the
    // script, so an error overlay shows and the fix reloads it.
    let page = output.files.get(crate::plan::NOT_FOUND).map(Stored::bytes);
    let page = page.as_deref().unwrap_or(FALLBACK_404.as_bytes());
    let body = super::reload::inject(page, &output.id);
    response(
        StatusCode::NOT_FOUND,
        "text/html; charset=utf-8",
        Bytes::from(body),
    )
}

const FALLBACK_404: &str = "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Not found</title></head>\n<body><h1>Not found</h1><p>Nothing is served at this address.</p></body></html>\n";

fn redirect(location: String) -> Response<Body> {
    let mut r = response(
        StatusCode::PERMANENT_REDIRECT,
        "text/plain; charset=utf-8",
        Bytes::new(),
    );
    match HeaderValue::from_str(&location) {
        Ok(v) => {
            r.headers_mut().insert(header::LOCATION, v);
            r
        }
        // Cannot happen: the location is percent-encoded ASCII.
        Err(_) => text(StatusCode::BAD_REQUEST, "bad request\n"),
    }
}

pub fn text(status: StatusCode, body: impl Into<String>) -> Response<Body> {
    response(
        status,
        "text/plain; charset=utf-8",
        Bytes::from(body.into()),
    )
}

pub fn response(status: StatusCode, content_type: &'static str, body: Bytes) -> Response<Body> {
    with_body(status, content_type, Body::whole(body))
}

fn with_body(status: StatusCode, content_type: &'static str, body: Body) -> Response<Body> {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // A preview must never show a stale page, not even after a redirect.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(strip_prefix("/why/", "/"), Some("/why/"));
        assert_eq!(strip_prefix("/", "/"), Some("/"));
        assert_eq!(strip_prefix("/handbook/why/", "/handbook/"), Some("/why/"));
        assert_eq!(strip_prefix("/handbook", "/handbook/"), Some(""));
        assert_eq!(strip_prefix("/handbookx/", "/handbook/"), None);
        assert_eq!(strip_prefix("/why/", "/handbook/"), None);
    }

    #[test]
    fn refusals_are_one_printable_line() {
        let r = refusal("evil.example\u{7}\u{1b}[31m");
        assert_eq!(r.lines().count(), 1);
        assert!(r.contains("`evil.example[31m`"), "{r}");
    }
}
