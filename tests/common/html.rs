//! Reading generated HTML and CSS. The output always quotes attributes with `"`, so plain string
//! scanning suffices and keeps the tests free of an HTML parser.

/// Attribute values `name="..."` in a document, in order, with entities decoded.
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    let pat = format!(" {name}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&pat) {
        rest = &rest[at + pat.len()..];
        let end = rest.find('"').expect("the attribute value closes");
        out.push(
            rest[..end]
                .replace("&amp;", "&")
                .replace("&quot;", "\"")
                .replace("&#39;", "'"),
        );
        rest = &rest[end..];
    }
    out
}

/// The `href` and then the `src` values of a document.
pub fn links(html: &str) -> Vec<String> {
    let mut out = attr_values(html, "href");
    out.extend(attr_values(html, "src"));
    out
}

/// `url(...)` values in a stylesheet.
pub fn css_urls(css: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = css;
    while let Some(at) = rest.find("url(") {
        rest = &rest[at + 4..];
        let end = rest.find(')').expect("url( closes");
        out.push(rest[..end].trim().trim_matches(['"', '\'']).to_string());
        rest = &rest[end..];
    }
    out
}

/// The text between `<main` and `</main>`: the part of a page its content decides.
pub fn main_part(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    let end = html.find("</main>").unwrap_or(html.len());
    &html[start..end]
}

/// The text of an HTML fragment without tags, whitespace collapsed.
pub fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
