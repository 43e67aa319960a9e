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
    // Find the closing fence: a line that is exactly `---` (or `...`).
    let mut pos = yaml_start;
    let mut close = None;
    for line in text[yaml_start..].split_inclusive('\n') {
        // Trailing blanks are invisible in an editor, so `--- ` still closes.
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            close = Some((pos, pos + line.len()));
            break;
        }
        pos += line.len();
    }
    let Some((yaml_end, body_offset)) = close else {
        return Err(vec![
            Diagnostic::new(path, "front matter is not closed")
                .at(text, 1, 1)
                .hint("end the front matter with a line containing only `---`"),
        ]);
    };
    let snippet = &text[yaml_start..yaml_end];
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
