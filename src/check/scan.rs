//! Just enough HTML and CSS reading to find what a page links to and which anchors it offers.
//! Rendered pages are well-formed (we wrote them), but raw HTML from Markdown may use single
//! quotes, no quotes or upper case, so attributes are read the way browsers read them.

use std::borrow::Cow;
use std::sync::Arc;

/// The anchors and outgoing references of one file.
#[derive(Debug, Default)]
pub struct Facts {
    /// `id` attributes and `<a name>`s.
    pub ids: Vec<String>,
    /// `href`, `src`, `srcset` and `poster` values, and CSS `url()`s, entities decoded. Shared
    /// strings: most links (navigation, assets) are the same on thousands of pages.
    pub links: Vec<Arc<str>>,
}

/// What one HTML document holds, its links borrowed from the text where they need no
/// decoding: a 10,000-page site has over a million links, most of them repeated, so the
/// caller shares one copy of each instead of allocating each here ([`Found::into_facts`]).
#[derive(Debug, Default)]
pub struct Found<'a> {
    pub ids: Vec<String>,
    pub links: Vec<Cow<'a, str>>,
}

impl Found<'_> {
    /// The links sorted and deduplicated, each turned into a shared string by `share`.
    pub fn into_facts(mut self, mut share: impl FnMut(&str) -> Arc<str>) -> Facts {
        self.links.sort_unstable();
        self.links.dedup();
        Facts {
            ids: self.ids,
            links: self.links.iter().map(|l| share(l)).collect(),
        }
    }
}

/// Reads an HTML document.
#[cfg(test)]
pub fn html(text: &str) -> Facts {
    scan_html(text).into_facts(|l| Arc::from(l))
}

/// Reads an HTML document, borrowing what it can.
pub fn scan_html(text: &str) -> Found<'_> {
    let mut found = Found::default();
    let mut attrs = Vec::new();
    let mut i = 0;
    let bytes = text.as_bytes();
    while let Some(off) = memchr::memchr(b'<', &bytes[i..]) {
        i += off;
        let rest = &text[i..];
        if rest.starts_with("<!--") {
            i += rest.find("-->").map_or(rest.len(), |e| e + 3);
            continue;
        }
        let name_len = rest[1..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            i += 1;
            continue;
        }
        let name = &rest[1..=name_len];
        let end = attributes(&rest[1 + name_len..], &mut attrs);
        i += 1 + name_len + end;
        for &(attr, value) in &attrs {
            let is = |n: &str| attr.eq_ignore_ascii_case(n);
            if is("href") || is("src") || is("poster") {
                found.links.push(unescape_cow(value));
            } else if is("srcset") {
                let value = unescape_cow(value);
                found.links.extend(
                    value
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .map(|c| Cow::Owned(c.to_string())),
                );
            } else if is("id") || (is("name") && name.eq_ignore_ascii_case("a")) {
                found.ids.push(unescape(value));
            } else if is("style") {
                let mut links = Vec::new();
                css_into(&unescape(value), &mut links);
                found
                    .links
                    .extend(links.iter().map(|l| Cow::Owned(l.to_string())));
            }
        }
        // Script and style bodies are not HTML; a `<style>` body is CSS.
        let script = name.eq_ignore_ascii_case("script");
        let style = name.eq_ignore_ascii_case("style");
        if script || style {
            let close = if script { "</script" } else { "</style" };
            let body_end = find_ascii_ci(&text[i..], close).unwrap_or(text.len() - i);
            if style {
                let mut links = Vec::new();
                css_into(&text[i..i + body_end], &mut links);
                found
                    .links
                    .extend(links.iter().map(|l| Cow::Owned(l.to_string())));
            }
            i += body_end;
        }
    }
    found
}

/// Reads a stylesheet: every `url(...)` and `@import "..."`.
pub fn css(text: &str) -> Facts {
    let mut facts = Facts::default();
    css_into(text, &mut facts.links);
    facts
}

fn css_into(text: &str, links: &mut Vec<Arc<str>>) {
    let text = strip_css_comments(text);
    let mut rest = text.as_str();
    while let Some(at) = rest.find("url(") {
        rest = &rest[at + 4..];
        let end = rest.find(')').unwrap_or(rest.len());
        let value = rest[..end].trim().trim_matches(['"', '\'']).trim();
        links.push(value.into());
        rest = &rest[end..];
    }
    let mut rest = text.as_str();
    while let Some(at) = rest.find("@import") {
        rest = rest[at + 7..].trim_start();
        if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'')
            && let Some(end) = rest[1..].find(q)
        {
            links.push(rest[1..=end].into());
        }
    }
}

fn strip_css_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .find("*/")
            .map_or("", |e| &rest[start + 2 + e + 2..]);
    }
    out.push_str(rest);
    out
}

/// Parses attributes up to the end of the tag into `attrs` (names as written: compare them
/// ignoring ASCII case); returns the byte length consumed, `>` included.
fn attributes<'a>(s: &'a str, attrs: &mut Vec<(&'a str, &'a str)>) -> usize {
    let b = s.as_bytes();
    attrs.clear();
    let mut i = 0;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return i;
        }
        if b[i] == b'>' {
            return i + 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !b"=>/".contains(&b[i]) {
            i += 1;
        }
        let name = &s[start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() || b[i] != b'=' {
            attrs.push((name, ""));
            continue;
        }
        i += 1;
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let value = match b.get(i) {
            Some(&q) if q == b'"' || q == b'\'' => {
                let end = s[i + 1..].find(q as char).map_or(b.len(), |e| i + 1 + e);
                let v = &s[(i + 1).min(end)..end];
                i = (end + 1).min(b.len());
                v
            }
            _ => {
                let start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                &s[start..i]
            }
        };
        attrs.push((name, value));
    }
}

fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// [`unescape`], borrowing when there is nothing to decode (nearly always).
fn unescape_cow(s: &str) -> Cow<'_, str> {
    if s.contains('&') {
        Cow::Owned(unescape(s))
    } else {
        Cow::Borrowed(s)
    }
}

/// Decodes the character references that appear in URLs and ids.
pub fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| match &rest[1..e] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            num if num.starts_with("#x") || num.starts_with("#X") => {
                u32::from_str_radix(&num[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            num if num.starts_with('#') => num[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_links_and_ids_as_browsers_do() {
        let f = html(concat!(
            "<!doctype html><!-- <a href=\"no\"> --><A HREF='a.html?x=1&amp;y=2' id=top>",
            "<img src=b.png srcset=\"c.png 1x, d.png 2x\" alt=\"<x>\"><a name=\"old\"></a>",
            "<script>var s = '<a href=\"js\">';</script><style>p{background:url( 'e.svg' )}</style>",
            "<p style=\"background: url(f.png)\" id=\"p&amp;q\">"
        ));
        let links: Vec<&str> = f.links.iter().map(|l| &**l).collect();
        assert_eq!(
            links,
            [
                "a.html?x=1&y=2",
                "b.png",
                "c.png",
                "d.png",
                "e.svg",
                "f.png"
            ]
        );
        assert_eq!(f.ids, ["top", "old", "p&q"]);
    }

    #[test]
    fn reads_css_urls_outside_comments() {
        let f = css("/* url(no.png) */ a { b: url(\"x.woff2\") } @import 'y.css';");
        let links: Vec<&str> = f.links.iter().map(|l| &**l).collect();
        assert_eq!(links, ["x.woff2", "y.css"]);
        assert_eq!(unescape("&#x41;&#66;&bogus"), "AB&bogus");
    }
}
