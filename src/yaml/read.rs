//! YAML text to a [`Node`] tree through serde-saphyr, within budgets, and its syntax errors as
//! diagnostics with a hint for the common slips.

use super::{Entry, Node, NodeKind};
use crate::error::Diagnostic;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::budget::{Budget, BudgetBreach};
use serde_saphyr::{Error, Location, Options, Spanned};
use std::fmt;
use std::path::Path;

/// Nesting deeper than this is no handbook: it is refused before it costs time.
pub const MAX_DEPTH: usize = 24;
/// The most text a file may expand to through aliases (`*name`): far above any real worksheet,
/// far below what slows a build.
pub const MAX_EXPANDED_BYTES: usize = 8 << 20;
/// The most values (scalars, lists, mappings) a file may hold once aliases are expanded.
pub const MAX_NODES: usize = 250_000;

/// Parses `snippet`, which starts at line `line_offset + 1` of `file_text` (the whole file at
/// `path`), into a tree. An empty document is an empty mapping, so `---\n---` front matter is
/// valid.
pub fn read(
    path: &Path,
    file_text: &str,
    snippet: &str,
    line_offset: usize,
) -> Result<Node, Diagnostic> {
    let empty = Node {
        line: line_offset + 1,
        col: 1,
        kind: NodeKind::Map(vec![]),
    };
    if snippet.trim().is_empty() {
        return Ok(empty);
    }
    match serde_saphyr::from_str_with_options::<Option<Spanned<Raw>>>(snippet, options()) {
        Ok(Some(raw)) => Ok(into_node(raw, line_offset)),
        Ok(None) => Ok(empty),
        Err(e) => Err(syntax_error(path, file_text, snippet, line_offset, &e)),
    }
}

fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_depth = MAX_DEPTH;
    budget.flow_nesting_limit = MAX_DEPTH;
    budget.max_total_scalar_bytes = MAX_EXPANDED_BYTES;
    budget.max_nodes = MAX_NODES;
    let mut options = Options::default();
    options.budget = Some(budget);
    // `yes`, `on` and `y` stay text: only `true` and `false` are booleans.
    options.strict_booleans = true;
    options.with_snippet = false;
    options
}

/// A parsed value before positions are made absolute.
enum Raw {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<Raw>>),
    Map(Vec<(Spanned<Key>, Spanned<Raw>)>),
}

/// A mapping key: any scalar, kept as the text it stands for.
struct Key(String);

fn into_node(raw: Spanned<Raw>, line_offset: usize) -> Node {
    let (line, col) = position(&raw.referenced, line_offset);
    let kind = match raw.value {
        Raw::Null => NodeKind::Null,
        Raw::Bool(b) => NodeKind::Bool(b),
        Raw::Int(n) => NodeKind::Int(n),
        Raw::Float(f) => NodeKind::Float(f),
        Raw::Str(s) => NodeKind::Str(s),
        Raw::Seq(items) => NodeKind::Seq(
            items
                .into_iter()
                .map(|i| into_node(i, line_offset))
                .collect(),
        ),
        Raw::Map(entries) => NodeKind::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    let (line, col) = position(&k.referenced, line_offset);
                    Entry {
                        key: k.value.0,
                        line,
                        col,
                        value: into_node(v, line_offset),
                    }
                })
                .collect(),
        ),
    };
    Node { line, col, kind }
}

fn position(loc: &Location, line_offset: usize) -> (usize, usize) {
    let line = usize::try_from(loc.line()).unwrap_or(0);
    let col = usize::try_from(loc.column()).unwrap_or(0);
    (line + line_offset, col)
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E>(self, b: bool) -> Result<Raw, E> {
        Ok(Raw::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Raw, E> {
        Ok(Raw::Int(n))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Raw, E> {
        // Past i64, a number is kept as the float it is closest to.
        Ok(i64::try_from(n).map_or(Raw::Float(n as f64), Raw::Int))
    }
    fn visit_i128<E>(self, n: i128) -> Result<Raw, E> {
        Ok(i64::try_from(n).map_or(Raw::Float(n as f64), Raw::Int))
    }
    fn visit_u128<E>(self, n: u128) -> Result<Raw, E> {
        Ok(i64::try_from(n).map_or(Raw::Float(n as f64), Raw::Int))
    }
    fn visit_f64<E>(self, f: f64) -> Result<Raw, E> {
        Ok(Raw::Float(f))
    }
    fn visit_str<E>(self, s: &str) -> Result<Raw, E> {
        Ok(Raw::Str(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Raw, E> {
        Ok(Raw::Str(s))
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        d.deserialize_any(RawVisitor)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Raw::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key()? {
            entries.push((key, map.next_value()?));
        }
        Ok(Raw::Map(entries))
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Raw, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        let text = match Raw::deserialize(d)? {
            Raw::Null => String::new(),
            Raw::Bool(b) => b.to_string(),
            Raw::Int(n) => n.to_string(),
            Raw::Float(f) => f.to_string(),
            Raw::Str(s) => s,
            // A list or mapping as a key (`? [a, b]`) has no name a handbook could mean.
            Raw::Seq(_) | Raw::Map(_) => {
                return Err(serde::de::Error::custom(
                    "a key must be a name, not a list or mapping",
                ));
            }
        };
        Ok(Key(text))
    }
}

/// A parse failure as a diagnostic at its position, with a hint read off the source there.
fn syntax_error(
    path: &Path,
    file_text: &str,
    snippet: &str,
    line_offset: usize,
    e: &Error,
) -> Diagnostic {
    let (line, col) = e
        .location()
        .map_or((line_offset + 1, 0), |l| position(&l, line_offset));
    let src = SourceAt::new(snippet, line - line_offset, col);
    let (message, hint) = explain(e, &src);
    Diagnostic::new(path, message)
        .at(file_text, line, col)
        .hint_opt(hint)
}

/// The source line of an error and the character at its column.
struct SourceAt<'a> {
    /// The whole text parsed.
    text: &'a str,
    lines: Vec<&'a str>,
    /// 0-based index into `lines`.
    index: usize,
    col: usize,
}

impl<'a> SourceAt<'a> {
    fn new(text: &'a str, line: usize, col: usize) -> Self {
        SourceAt {
            text,
            lines: text.lines().collect(),
            index: line.saturating_sub(1),
            col,
        }
    }

    fn line(&self) -> &'a str {
        self.lines.get(self.index).copied().unwrap_or("")
    }

    fn char_at(&self) -> Option<char> {
        self.line().chars().nth(self.col.checked_sub(1)?)
    }

    fn indent(line: &str) -> &str {
        &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
    }

    /// The nearest line above with the same indentation, skipping blank and comment lines.
    fn sibling_above(&self) -> Option<&'a str> {
        let indent = Self::indent(self.line()).len();
        self.lines[..self.index.min(self.lines.len())]
            .iter()
            .rev()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .find(|l| Self::indent(l).len() <= indent)
            .filter(|l| Self::indent(l).len() == indent)
            .copied()
    }

    /// The lines above that could enclose this one or stand beside it: each no deeper than
    /// the ones between it and this line, skipping blank and comment lines.
    fn enclosing_above(&self) -> impl Iterator<Item = &'a str> {
        let mut ceiling = usize::MAX;
        self.lines[..self.index.min(self.lines.len())]
            .iter()
            .rev()
            .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            .filter(move |l| {
                let indent = Self::indent(l).len();
                let on_chain = indent <= ceiling;
                ceiling = ceiling.min(indent);
                on_chain
            })
            .copied()
    }
}

fn explain(e: &Error, src: &SourceAt) -> (String, Option<String>) {
    if let Some(c) = src.char_at().filter(|c| is_forbidden_control(*c)) {
        return (
            format!("control character U+{:04X} in the text", c as u32),
            Some(
                "delete it: it is invisible in most editors (retyping the line removes it)".into(),
            ),
        );
    }
    let message = match e {
        // A mistake met while expanding an alias: the mistake itself tells what went wrong.
        Error::AliasError { error, .. } => return explain(error, src),
        Error::ExternalMessage { msg, .. } | Error::Message { msg, .. } => msg.clone(),
        Error::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or("");
            return (
                format!("duplicate key `{key}`"),
                Some(format!(
                    "`{key}` is set earlier in the same mapping: keep one of them"
                )),
            );
        }
        Error::Budget { breach, .. } => return budget_message(breach, src.text),
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. } => return alias_message(),
        Error::UnknownAnchor { .. } => {
            return (
                "an alias (`*name`) to an anchor that is not defined above".into(),
                Some("define it first with `&name`, or write the value out".into()),
            );
        }
        other => other.to_string(),
    };
    (message, slip_hint(src))
}

/// Tabs, stray colons and missing `- ` markers: what the source at the error shows.
fn slip_hint(src: &SourceAt) -> Option<String> {
    let line = src.line();
    if SourceAt::indent(line).contains('\t') || src.char_at() == Some('\t') {
        return Some("indent with spaces: YAML does not allow tabs for indentation".into());
    }
    // A colon inside the value; the key's own colon out of place is an indentation slip.
    if src.char_at() == Some(':')
        && let Some((key, value)) = line.trim_start().split_once(": ")
        && src.col > SourceAt::indent(line).chars().count() + key.chars().count() + 1
    {
        let key = key.trim_start_matches("- ");
        return Some(format!(
            "quote a value that contains `: `, e.g. `{key}: \"{}\"`",
            value.trim().replace('"', "\\\"")
        ));
    }
    let item = src.sibling_above().map(str::trim_start);
    if item.is_some_and(|l| l.starts_with("- ") || l == "-") && !line.trim_start().starts_with('-')
    {
        return Some("start a list item with `- `, as the items above it".into());
    }
    indent_hint(src)
}

/// A line indented unlike any line it could belong with: a key unlike the keys of the mappings
/// that enclose it, a `- ` item unlike the items of the lists.
fn indent_hint(src: &SourceAt) -> Option<String> {
    let line = src.line();
    let item = is_item(line);
    let n = SourceAt::indent(line).len();
    let mut nearest: Option<usize> = None;
    for m in src.enclosing_above().filter_map(|l| aligned_at(l, item)) {
        if m == n {
            return None;
        }
        if nearest.is_none_or(|k| m.abs_diff(n) < k.abs_diff(n)) {
            nearest = Some(m);
        }
    }
    let spaces = if n == 1 { "space" } else { "spaces" };
    nearest.map(|m| {
        format!("this line is indented {n} {spaces}, its siblings above {m}: line it up with them")
    })
}

fn is_item(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with("- ") || t == "-"
}

/// Where `line` puts a `- ` item (`item`) or a key: `  - name: a` has its item at 2, its key
/// at 4.
fn aligned_at(line: &str, item: bool) -> Option<usize> {
    let indent = SourceAt::indent(line).len();
    let is_key = |t: &str| t.contains(": ") || t.ends_with(':');
    let t = line.trim_start();
    match (is_item(line), item) {
        (true, true) => Some(indent),
        (true, false) => is_key(&t[1..]).then_some(indent + 2),
        (false, true) => None,
        (false, false) => is_key(t).then_some(indent),
    }
}

fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// What `text` went over, in its own words: the nesting, its own size, or what its aliases
/// expand to.
fn budget_message(breach: &BudgetBreach, text: &str) -> (String, Option<String>) {
    let split = || {
        Some(
            "split it into smaller files: a worksheet this large is better as several worksheets"
                .into(),
        )
    };
    match breach {
        BudgetBreach::Depth { .. } => (
            format!("the values nest deeper than {MAX_DEPTH} levels"),
            Some(
                "a handbook file needs a few levels of nesting; check the brackets and indentation"
                    .into(),
            ),
        ),
        BudgetBreach::ScalarBytes { .. } if !aliased_before_limit(text) => (
            format!(
                "the file holds more than {} MB of text",
                MAX_EXPANDED_BYTES >> 20
            ),
            split(),
        ),
        BudgetBreach::Nodes { .. } | BudgetBreach::Events { .. } if !aliased_before_limit(text) => {
            (
                format!("the file holds more than {MAX_NODES} values (texts, lists and mappings)"),
                split(),
            )
        }
        _ => alias_message(),
    }
}

/// Whether `text`, which went over a budget of size, meets an alias (`*name`) before it goes
/// over: read again, with no alias allowed. Only asked once a file was refused.
fn aliased_before_limit(text: &str) -> bool {
    let mut options = options();
    if let Some(budget) = options.budget.as_mut() {
        budget.max_aliases = 0;
    }
    matches!(
        serde_saphyr::from_str_with_options::<serde::de::IgnoredAny>(text, options),
        Err(Error::Budget {
            breach: BudgetBreach::Aliases { .. },
            ..
        })
    )
}

fn alias_message() -> (String, Option<String>) {
    (
        format!(
            "the file expands past {} MB or {MAX_NODES} values through aliases (`*name`)",
            MAX_EXPANDED_BYTES >> 20
        ),
        Some("write the values out, or repeat an anchor fewer times".into()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> Diagnostic {
        read(Path::new("x.yaml"), text, text, 0).unwrap_err()
    }

    #[test]
    fn positions_are_absolute() {
        let n = read(Path::new("a.md"), "", "a: 1\nb:\n  - x\n", 3).unwrap();
        assert_eq!(n.pos_of("a"), (4, 4));
        assert_eq!(n.key_pos("b"), (5, 1));
        assert_eq!(n.get("b").unwrap().items()[0].pos(), (6, 5));
    }

    #[test]
    fn slips_get_hints() {
        let d = err("title: a\nnote: Time: 9am\n");
        assert_eq!((d.line, d.col), (2, 11));
        assert_eq!(
            d.hint.as_deref(),
            Some("quote a value that contains `: `, e.g. `note: \"Time: 9am\"`")
        );
        let d = err("a:\n\tb: 1\n");
        assert!(d.hint.unwrap().starts_with("indent with spaces"));
        let d = err("people:\n  - name: a\n    role: x\n  name: b\n");
        assert_eq!(d.line, 4);
        assert!(d.hint.unwrap().starts_with("start a list item with `- `"));
        let hint = |text: &str| err(text).hint.unwrap_or_default();
        let slipped = "people:\n  - name: a\n    role: x\n     cadence: weekly\n";
        assert_eq!(
            hint(slipped),
            "this line is indented 5 spaces, its siblings above 4: line it up with them"
        );
        let slipped = "weekly:\n  - a\n - b\n";
        assert_eq!(
            hint(slipped),
            "this line is indented 1 space, its siblings above 2: line it up with them"
        );
    }

    #[test]
    fn duplicates_and_controls_at_their_place() {
        let d = err("title: a\nbase_url: /\nbase_url: /x/\n");
        assert_eq!(
            (d.line, d.col, d.message.as_str()),
            (3, 1, "duplicate key `base_url`")
        );
        let d = err("title: a\ndescription: \"a\u{1}b\"\n");
        assert_eq!((d.line, d.col), (2, 16));
        assert_eq!(d.message, "control character U+0001 in the text");
    }

    #[test]
    fn budgets_stop_alias_fan_out_quickly() {
        let start = std::time::Instant::now();
        let mut fan = format!("a: &a {}\nb:\n", "x".repeat(10_000));
        fan.push_str(&"  - *a\n".repeat(20_000));
        let d = err(&fan);
        assert!(d.message.contains("through aliases"), "{d:?}");
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
    }

    #[test]
    fn budgets_stop_deep_nesting_quickly() {
        let start = std::time::Instant::now();
        let flow = format!("a: {}{}\n", "[".repeat(80_000), "]".repeat(80_000));
        assert_eq!(err(&flow).line, 1);
        let block: String = (0..200)
            .map(|i| format!("{}k:\n", "  ".repeat(i)))
            .collect();
        assert!(err(&block).message.contains("nest deeper"));
        assert!(start.elapsed() < std::time::Duration::from_secs(1));
    }
}
