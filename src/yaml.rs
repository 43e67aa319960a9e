//! The one place that talks to the YAML library.
//!
//! serde_yaml is archived upstream; keeping every call behind this module means a maintained
//! fork can replace it without touching the rest of the code.

use crate::error::{Diagnostic, closest, line_col};
use serde::de::DeserializeOwned;
use std::path::Path;

/// A YAML value, for code that inspects documents before typing them.
pub type Value = serde_yaml::Value;

/// Parses `snippet` (which starts at line `line_offset + 1` of the file whose full text is
/// `file_text`) into `T`, turning a failure into a diagnostic that points into the file.
pub fn parse<T: DeserializeOwned>(
    path: &Path,
    file_text: &str,
    snippet: &str,
    line_offset: usize,
) -> Result<T, Diagnostic> {
    // An empty document is an empty mapping, so that `---\n---` front matter is valid.
    let snippet_or_empty = if snippet.trim().is_empty() {
        "{}"
    } else {
        snippet
    };
    serde_yaml::from_str(snippet_or_empty)
        .map_err(|e| to_diagnostic(path, file_text, snippet, line_offset, &e))
}

/// Parses a YAML document into a generic value.
pub fn parse_value(path: &Path, text: &str) -> Result<Value, Diagnostic> {
    parse(path, text, text, 0)
}

/// Types a generic value already parsed from `path`. Positions are lost at this point, so the
/// caller passes the line where the value starts.
pub fn from_value<T: DeserializeOwned>(
    value: Value,
    path: &Path,
    file_text: &str,
    line: usize,
) -> Result<T, Diagnostic> {
    serde_yaml::from_value(value).map_err(|e| {
        let (message, hint) = explain(&e.to_string());
        let d = Diagnostic::new(path, message).at(file_text, line, 0);
        match hint {
            Some(h) => d.hint(h),
            None => d,
        }
    })
}

fn to_diagnostic(
    path: &Path,
    file_text: &str,
    snippet: &str,
    line_offset: usize,
    e: &serde_yaml::Error,
) -> Diagnostic {
    let (message, hint) = explain(&e.to_string());
    let (line, col) = match e.location() {
        Some(loc) => {
            let (l, c) = line_col(snippet, loc.index());
            (l + line_offset, c)
        }
        None => (line_offset + 1, 0),
    };
    let d = Diagnostic::new(path, message).at(file_text, line, col);
    match hint {
        Some(h) => d.hint(h),
        None => d,
    }
}

/// Rewrites serde's wording into a message and a hint a writer can act on.
fn explain(raw: &str) -> (String, Option<String>) {
    // Drop serde_yaml's own " at line X column Y": the diagnostic carries the position.
    let msg = match raw.find(" at line ") {
        Some(i) => raw[..i].to_string(),
        None => raw.to_string(),
    };
    // serde_yaml prefixes errors inside nested values with their path: `people[2].role: ...`.
    if let Some((path, rest)) = msg.split_once(": ")
        && !path.contains(' ')
        && !path.contains('`')
    {
        let (inner, hint) = explain(rest);
        return (format!("{inner} (at `{path}`)"), hint);
    }
    // Typed values (dates, times, durations) put their hint after a `\nhint: ` marker.
    if let Some((message, hint)) = msg.split_once("\nhint: ") {
        return (message.to_string(), Some(hint.to_string()));
    }
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let hint = match closest(name, &known) {
            Some(k) => format!("did you mean `{k}`? Known keys: {}", known.join(", ")),
            None => format!("known keys: {}", known.join(", ")),
        };
        return (format!("unknown key `{name}`"), Some(hint));
    }
    if let Some(rest) = msg.strip_prefix("unknown variant `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let allowed: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let hint = match closest(name, &allowed) {
            Some(k) => format!("did you mean `{k}`? Allowed values: {}", allowed.join(", ")),
            None => format!("allowed values: {}", allowed.join(", ")),
        };
        return (format!("unknown value `{name}`"), Some(hint));
    }
    if let Some(field) = msg.strip_prefix("missing field `") {
        let field = field.trim_end_matches('`');
        return (
            format!("missing required key `{field}`"),
            Some(format!("add `{field}: ...`")),
        );
    }
    if msg.starts_with("invalid type") {
        // `expected struct FrontMatter` names a Rust type; the writer knows it as a mapping.
        let msg = match msg.find("expected struct ") {
            Some(i) => format!("{}expected `key: value` lines", &msg[..i]),
            None => msg,
        };
        return (msg.replacen("invalid type", "wrong type", 1), None);
    }
    (msg, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        weight: Option<i64>,
    }

    #[test]
    fn unknown_key_points_into_file_and_suggests() {
        let file = "---\ntitle: a\ntitel: b\n---\n";
        let d = parse::<T>(Path::new("x.md"), file, "title: a\ntitel: b\n", 1).unwrap_err();
        assert_eq!((d.line, d.col), (3, 1));
        assert_eq!(d.message, "unknown key `titel`");
        assert!(d.hint.unwrap().starts_with("did you mean `title`?"));
        assert_eq!(d.source_line.as_deref(), Some("titel: b"));
    }

    #[test]
    fn wrong_type_is_reported() {
        let d = parse::<T>(
            Path::new("x.md"),
            "title: a\nweight: heavy\n",
            "title: a\nweight: heavy\n",
            0,
        )
        .unwrap_err();
        assert_eq!(d.line, 2);
        assert!(d.message.starts_with("wrong type"), "{}", d.message);
    }
}
