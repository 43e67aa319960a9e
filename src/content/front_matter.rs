//! YAML front matter of Markdown pages.

use crate::error::Diagnostic;
use crate::value::Value;
use crate::yaml;
use serde::Deserialize;
use std::path::Path;

/// The keys a page or `_index.md` may set.
#[derive(Debug, Default, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    /// Personal: served and printed, never published by `build`.
    #[serde(default)]
    pub private: bool,
    pub slug: Option<String>,
    pub template: Option<String>,
    pub extra: Option<Value>,
    /// Where `slug:` and `template:` are written (1-based line and column in the `.md` file),
    /// for checks that run once every page is known.
    #[serde(skip)]
    pub slug_at: (usize, usize),
    #[serde(skip)]
    pub template_at: (usize, usize),
}

/// A Markdown file split into its front matter and body.
#[derive(Debug)]
pub struct Split<'a> {
    pub front_matter: FrontMatter,
    pub body: &'a str,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Where the body of `text` starts, whatever its front matter holds: 0 without front matter,
/// `None` when the front matter is not closed. A page whose front matter has errors still has
/// its links checked.
pub fn body_offset(text: &str) -> Option<usize> {
    match strip_fence(text) {
        Some(after_open) => closing_fence(text, text.len() - after_open.len()).map(|(_, b)| b),
        None => Some(0),
    }
}

/// The closing fence of front matter whose YAML starts at `yaml_start`: a line that is exactly
/// `---` (or `...`), as (where the YAML ends, where the body starts).
fn closing_fence(text: &str, yaml_start: usize) -> Option<(usize, usize)> {
    let mut pos = yaml_start;
    for line in text[yaml_start..].split_inclusive('\n') {
        // Trailing blanks are invisible in an editor, so `--- ` still closes.
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            return Some((pos, pos + line.len()));
        }
        pos += line.len();
    }
    None
}

/// Splits `text` at its `---` fences and parses the YAML between them, reporting every mistake.
pub fn split<'a>(path: &Path, text: &'a str) -> Result<Split<'a>, Vec<Diagnostic>> {
    let Some(after_open) = strip_fence(text) else {
        return Ok(Split {
            front_matter: FrontMatter::default(),
            body: text,
            body_offset: 0,
        });
    };
    let yaml_start = text.len() - after_open.len();
    let Some((yaml_end, body_offset)) = closing_fence(text, yaml_start) else {
        return Err(vec![
            Diagnostic::new(path, "front matter is not closed")
                .at(text, 1, 1)
                .hint("end the front matter with a line containing only `---`"),
        ]);
    };
    let snippet = &text[yaml_start..yaml_end];
    if let Some(front_matter) = flat(snippet) {
        return Ok(Split {
            front_matter,
            body: &text[body_offset..],
            body_offset,
        });
    }
    let node = yaml::read(path, text, snippet, 1).map_err(|d| vec![d])?;
    let mut front_matter: FrontMatter = yaml::decode(path, text, &node)?;
    front_matter.slug_at = node.pos_of("slug");
    front_matter.template_at = node.pos_of("template");
    Ok(Split {
        front_matter,
        body: &text[body_offset..],
        body_offset,
    })
}

/// The front matter most pages have, read without the YAML parser: lines of `key: value` for
/// `title`, `description`, `weight`, `draft` and `private`, with values that read the same in
/// any YAML (a double-quoted string without escapes, a plain word-led string, a decimal
/// integer, `true` or `false`). Anything else, a mistake included, is `None`: the YAML path
/// reads it, with its positions and diagnostics. (Parsing and typing the tree was 5 % of a
/// 10,000-page build; the two paths are compared in the tests.)
fn flat(yaml: &str) -> Option<FrontMatter> {
    let mut fm = FrontMatter::default();
    let mut seen = [false; 5];
    let mut first = None;
    for (i, line) in yaml.lines().enumerate() {
        if line.trim_end().is_empty() {
            continue;
        }
        let (key, value) = line.split_once(": ")?;
        let value = value.trim_end();
        let slot = ["title", "description", "weight", "draft", "private"]
            .iter()
            .position(|k| *k == key)?;
        if std::mem::replace(&mut seen[slot], true) {
            return None;
        }
        first.get_or_insert(i);
        match slot {
            0 => fm.title = Some(flat_string(value)?),
            1 => fm.description = Some(flat_string(value)?),
            2 => fm.weight = Some(flat_int(value)?),
            3 => fm.draft = flat_bool(value)?,
            _ => fm.private = flat_bool(value)?,
        }
    }
    // Where the YAML path puts `slug`/`template` when they are absent: the mapping's start.
    let start = (first? + 2, 1);
    fm.slug_at = start;
    fm.template_at = start;
    Some(fm)
}

fn flat_string(value: &str) -> Option<String> {
    let printable = |s: &str| !s.chars().any(|c| c.is_control() || c == '\u{feff}');
    if let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        return (printable(inner) && !inner.contains(['"', '\\'])).then(|| inner.to_string());
    }
    // A plain scalar that can only be a string: it starts with a letter, holds no `: ` or ` #`
    // (a key or a comment) and is none of the words YAML 1.1 reads as something else.
    let special = ["null", "true", "false", "yes", "no", "on", "off", "y", "n"];
    let plain = value.starts_with(|c: char| c.is_alphabetic())
        && printable(value)
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.ends_with(':')
        && !special.iter().any(|w| value.eq_ignore_ascii_case(w));
    plain.then(|| value.to_string())
}

fn flat_int(value: &str) -> Option<i64> {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let decimal = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    decimal.then(|| value.parse().ok()).flatten()
}

fn flat_bool(value: &str) -> Option<bool> {
    match value {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn strip_fence(text: &str) -> Option<&str> {
    text.strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter() {
        let s = split(Path::new("a.md"), "---\ntitle: Hi\nweight: 2\n---\nBody\n").unwrap();
        assert_eq!(s.front_matter.title.as_deref(), Some("Hi"));
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_offset, 28);
    }

    /// What the YAML path reads from `yaml` (between the fences).
    fn full(yaml: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
        let text = format!("---\n{yaml}---\nBody\n");
        let node = yaml::read(Path::new("a.md"), &text, &text[4..4 + yaml.len()], 1)
            .map_err(|d| vec![d])?;
        let mut fm: FrontMatter = yaml::decode(Path::new("a.md"), &text, &node)?;
        fm.slug_at = node.pos_of("slug");
        fm.template_at = node.pos_of("template");
        Ok(fm)
    }

    #[test]
    fn the_flat_reading_agrees_with_yaml_or_declines() {
        let taken = [
            "title: \"Running an interview: step by step\"\ndescription: \"Ask for one thing\"\nweight: 1\n",
            "title: Plain words, with commas\nweight: -3\ndraft: true\nprivate: false\n",
            "\n\ntitle: \"Late start\"  \r\nweight: 0\n",
            "description: \"Ünïcode — quotes ‘ok’ and # hashes\"\ntitle: Café au lait\n",
            "title: \"\"\nweight: 9223372036854775807\n",
            "title: C# and F#? fine\n",
        ];
        for yaml in taken {
            let fast = flat(yaml);
            assert!(fast.is_some(), "declined {yaml:?}");
            assert_eq!(fast, full(yaml).ok(), "{yaml:?}");
        }
        // Each of these reads differently in YAML (or is a mistake to report), so the flat
        // reading leaves it to the YAML path.
        let declined = [
            "title: yes\n",
            "title: 12\n",
            "title: null\n",
            "title: \"a\\tb\"\n",
            "title: 'single'\n",
            "title: x # comment\n",
            "title: a: b\n",
            "title: \"x\" # comment\n",
            "title: long\n  continued\n",
            "weight: 007\n",
            "weight: 1.5\n",
            "weight: +1\n",
            "draft: True\n",
            "draft: yes\n",
            "title: a\ntitle: b\n",
            "slug: x\n",
            "extra:\n  a: 1\n",
            "# a comment\ntitle: x\n",
            "\ttitle: x\n",
            "title:x\n",
            "title: \"bell\u{7}\"\n",
            "",
        ];
        for yaml in declined {
            assert_eq!(flat(yaml), None, "{yaml:?}");
        }
    }

    #[test]
    fn no_front_matter() {
        let s = split(Path::new("a.md"), "# Hi\n").unwrap();
        assert!(s.front_matter.title.is_none());
        assert_eq!(s.body, "# Hi\n");
    }

    #[test]
    fn unclosed_and_bad_yaml() {
        assert!(split(Path::new("a.md"), "---\ntitle: x\n").is_err());
        let d = split(Path::new("a.md"), "---\ntitle: [x\n---\n").unwrap_err();
        assert!(d[0].line >= 2, "{d:?}");
    }
}
