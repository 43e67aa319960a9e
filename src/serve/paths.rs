//! Request paths to output files: every segment decoded on its own and checked, so no request
//! can name anything but a file the build produced; and the redirect a folder without its
//! slash gets, with everything it copies percent-encoded.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Bytes a `Location` never carries raw: controls (CR, LF, NUL), space, and what is not allowed
/// in a URL. `%` stays, so what the request had encoded stays encoded once, not twice.
const LOCATION: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'\\')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b'#');

/// Where `/prefix/path?query` is redirected to: the same with a slash after the path.
pub fn redirect_location(prefix: &str, path: &str, query: Option<&str>) -> String {
    let mut to = String::from(prefix.trim_end_matches('/'));
    to.push_str(&utf8_percent_encode(path, LOCATION).to_string());
    to.push('/');
    if let Some(q) = query {
        to.push('?');
        to.push_str(&utf8_percent_encode(q, LOCATION).to_string());
    }
    to
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

    #[test]
    fn redirects_encode_what_they_copy() {
        assert_eq!(redirect_location("/", "/why", Some("x=1")), "/why/?x=1");
        assert_eq!(
            redirect_location("/handbook/", "/why", Some("a\r\nSet-Cookie: x\0")),
            "/handbook/why/?a%0D%0ASet-Cookie:%20x%00"
        );
        assert_eq!(redirect_location("/", "/café", None), "/caf%C3%A9/");
        assert_eq!(redirect_location("/", "/a", Some("q=%0d")), "/a/?q=%0d");
    }

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
    fn content_types() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("x.WOFF2"), "font/woff2");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
