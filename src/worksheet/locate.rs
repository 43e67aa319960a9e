//! Finding where something is written, for the few checks that can only run after parsing
//! (serde has forgotten positions by then). Worksheets are written in block style, which is what
//! these lookups read; anything else falls back to the nearest position found.

use crate::error::Diagnostic;
use std::path::Path;

/// 1-based (line, column) of a top-level `key:`, or (1, 1).
pub fn key(text: &str, key: &str) -> (usize, usize) {
    text.lines()
        .position(|l| starts_with_key(l, key))
        .map(|i| (i + 1, 1))
        .unwrap_or((1, 1))
}

/// Where `key:` of the `index`th item (0-based) of the top-level list `list` is written; the
/// item's first line when the key is absent or `key` is `None`, the list's line when the item is
/// not found.
pub fn item_key(text: &str, list: &str, index: usize, key: Option<&str>) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let Some(list_line) = lines.iter().position(|l| starts_with_key(l, list)) else {
        return (1, 1);
    };
    let Some(&(start, end)) = items(text, list).get(index) else {
        return (list_line + 1, 1);
    };
    let marker_indent = lines[start].len() - lines[start].trim_start().len();
    if let Some(k) = key {
        for (i, line) in lines.iter().enumerate().take(end).skip(start) {
            let content = line.trim_start();
            // The item's first line starts with its `- ` marker.
            let after_marker = if i == start {
                content.trim_start_matches('-').trim_start()
            } else {
                content
            };
            if after_marker
                .strip_prefix(k)
                .is_some_and(|rest| rest.starts_with(':'))
            {
                return (i + 1, line.len() - after_marker.len() + 1);
            }
        }
    }
    (start + 1, marker_indent + 1)
}

/// The line ranges (0-based, end exclusive) of the items of the top-level block list `list`.
pub fn items(text: &str, list: &str) -> Vec<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(list_line) = lines.iter().position(|l| starts_with_key(l, list)) else {
        return vec![];
    };
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut item_indent: Option<usize> = None;
    let mut last_content = list_line;
    for (i, line) in lines.iter().enumerate().skip(list_line + 1) {
        let content = line.trim_start();
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        let is_marker = content == "-" || content.starts_with("- ");
        let ends_list = match item_indent {
            Some(ind) => indent < ind || (indent == ind && !is_marker),
            None => !is_marker,
        };
        if ends_list {
            break;
        }
        if is_marker && item_indent.is_none_or(|ind| ind == indent) {
            item_indent = Some(indent);
            if let Some(last) = out.last_mut() {
                last.1 = last_content + 1;
            }
            out.push((i, i + 1));
        }
        last_content = i;
    }
    if let Some(last) = out.last_mut() {
        last.1 = last_content + 1;
    }
    out
}

/// A diagnostic at `(line, col)` of `text`.
pub fn diag(
    path: &Path,
    text: &str,
    (line, col): (usize, usize),
    message: impl Into<String>,
    hint: impl Into<String>,
) -> Diagnostic {
    Diagnostic::new(path, message)
        .at(text, line, col)
        .hint(hint)
}

fn starts_with_key(line: &str, key: &str) -> bool {
    line.strip_prefix(key)
        .is_some_and(|rest| rest.starts_with(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "kind: schedule\nblocks:\n  - title: a\n    every: weekly\n\n  - title: b\n    on: first monday\n    count: 3\nnotes: x\n";

    #[test]
    fn finds_keys_of_list_items() {
        assert_eq!(item_key(TEXT, "blocks", 1, Some("on")), (7, 5));
        assert_eq!(item_key(TEXT, "blocks", 0, Some("title")), (3, 5));
        assert_eq!(item_key(TEXT, "blocks", 1, Some("until")), (6, 3));
        assert_eq!(item_key(TEXT, "blocks", 5, Some("on")), (2, 1));
        assert_eq!(key(TEXT, "notes"), (9, 1));
    }

    #[test]
    fn item_ranges() {
        assert_eq!(items(TEXT, "blocks"), vec![(2, 4), (5, 8)]);
        assert_eq!(
            items("rows:\n- [a]\n- b: 1\n  c: 2\nx: 1\n", "rows"),
            vec![(1, 2), (2, 4)]
        );
        assert_eq!(items("rows: [a, b]\n", "rows"), vec![]);
    }

    #[test]
    fn lists_at_column_zero() {
        let t = "rows:\n- a: 1\n  b: 2\n- b: 3\nblank_rows: 1\n";
        assert_eq!(item_key(t, "rows", 1, Some("b")), (4, 3));
        assert_eq!(item_key(t, "rows", 0, Some("b")), (3, 3));
    }
}
