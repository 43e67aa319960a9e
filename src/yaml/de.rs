//! serde over a [`Node`] tree, with structured errors that know where they happened, and the
//! loop that reports every mistake of a file.

use super::{Entry, Node, NodeKind};
use crate::error::{Diagnostic, closest, take_pending_hint};
use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use std::fmt;
use std::path::Path;

/// The most mistakes reported for one file: past this, the rest is noise.
const MAX_PROBLEMS: usize = 100;

/// A step from a node to one of its children.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    UnknownKey {
        key: String,
        known: &'static [&'static str],
    },
    UnknownValue {
        value: String,
        allowed: &'static [&'static str],
    },
    MissingKey(&'static str),
    DuplicateKey(&'static str),
    WrongType {
        expected: String,
        found: String,
    },
    Message(String),
}

/// One mistake: what, where (the node's position) and along which keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    kind: Kind,
    pos: Option<(usize, usize)>,
    path: Vec<Step>,
    hint: Option<String>,
}

impl Problem {
    fn new(kind: Kind) -> Self {
        Problem {
            kind,
            pos: None,
            path: Vec::new(),
            hint: None,
        }
    }

    fn wrong_type(expected: &str, node: &Node) -> Self {
        let mut p = Problem::new(Kind::WrongType {
            expected: expected.to_string(),
            found: describe(node),
        });
        p.hint = type_hint(expected, node);
        p
    }

    /// Records that the problem happened inside the child `step` (written at `pos`).
    fn within(mut self, step: Step, pos: (usize, usize)) -> Self {
        self.path.insert(0, step);
        self.pos.get_or_insert(pos);
        self
    }

    /// `people[2].role`; for an unknown key, the mapping that holds it.
    fn shown_path(&self) -> String {
        let steps = match self.kind {
            Kind::UnknownKey { .. } => &self.path[..self.path.len().saturating_sub(1)],
            _ => &self.path[..],
        };
        let mut out = String::new();
        for step in steps {
            match step {
                Step::Key(k) if out.is_empty() => out.push_str(k),
                Step::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Step::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    pub fn into_diagnostic(self, path: &Path, text: &str) -> Diagnostic {
        let at = self.shown_path();
        let (message, hint) = match &self.kind {
            Kind::UnknownKey { key, known } => (
                format!("unknown key `{key}`"),
                Some(suggest(key, known, "Known keys", "known keys")),
            ),
            Kind::UnknownValue { value, allowed } => (
                format!("unknown value `{value}`"),
                Some(suggest(value, allowed, "Allowed values", "allowed values")),
            ),
            Kind::MissingKey(key) => (
                format!("missing required key `{key}`"),
                Some(format!("add `{key}: ...`")),
            ),
            Kind::DuplicateKey(key) => (format!("duplicate key `{key}`"), None),
            Kind::WrongType { expected, found } => (
                format!("wrong type: expected {expected}, found {found}"),
                None,
            ),
            Kind::Message(m) => (m.clone(), None),
        };
        let message = if at.is_empty() {
            message
        } else {
            format!("{message} (at `{at}`)")
        };
        let (line, col) = self.pos.unwrap_or((0, 0));
        Diagnostic::new(path, message)
            .at(text, line, col)
            .hint_opt(self.hint.or(hint))
    }
}

fn suggest(name: &str, known: &[&str], full: &str, short: &str) -> String {
    let list = known.join(", ");
    match closest(name, known) {
        Some(k) => format!("did you mean `{k}`? {full}: {list}"),
        None => format!("{short}: {list}"),
    }
}

/// How a value reads to the person who wrote it.
fn describe(node: &Node) -> String {
    match &node.kind {
        NodeKind::Null => "nothing".into(),
        NodeKind::Bool(b) => format!("`{b}`"),
        NodeKind::Int(n) => format!("the number `{n}`"),
        NodeKind::Float(f) => format!("the number `{f}`"),
        NodeKind::Str(s) => format!("the text `{s}`"),
        NodeKind::Seq(_) => "a list".into(),
        NodeKind::Map(_) => "`key: value` lines".into(),
        NodeKind::Removed => "nothing".into(),
    }
}

const BOOL: &str = "`true` or `false`";
const LIST: &str = "a list (`- item` lines)";
const MAPPING: &str = "`key: value` lines";

fn type_hint(expected: &str, node: &Node) -> Option<String> {
    let text = match &node.kind {
        NodeKind::Str(s) => s.as_str(),
        NodeKind::Null => return Some("write a value after the `:`, or leave the key out".into()),
        _ => return None,
    };
    let yes_no = [
        "yes", "no", "on", "off", "y", "n", "True", "False", "TRUE", "FALSE",
    ];
    if expected == BOOL && yes_no.contains(&text) {
        return Some("write `true` or `false`".into());
    }
    None
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.kind)
    }
}

impl std::error::Error for Problem {}

impl de::Error for Problem {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        let mut p = Problem::new(Kind::Message(msg.to_string()));
        p.hint = take_pending_hint();
        p
    }
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Problem::new(Kind::UnknownKey {
            key: field.to_string(),
            known: expected,
        })
    }
    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Problem::new(Kind::UnknownValue {
            value: variant.to_string(),
            allowed: expected,
        })
    }
    fn missing_field(field: &'static str) -> Self {
        Problem::new(Kind::MissingKey(field))
    }
    fn duplicate_field(field: &'static str) -> Self {
        Problem::new(Kind::DuplicateKey(field))
    }
    fn invalid_type(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        Problem::new(Kind::WrongType {
            expected: exp.to_string(),
            found: unexp.to_string(),
        })
    }
    fn invalid_value(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        Problem::new(Kind::Message(format!(
            "{unexp} is out of range: expected {exp}"
        )))
    }
}

/// Types `root` as `T`; on mistakes, takes each offending value out and tries again, so that
/// every mistake is found in one run (in the order serde meets them: the file's order).
pub fn decode<T: DeserializeOwned>(root: &Node) -> Result<T, Vec<Problem>> {
    // A mistake in the root itself (a list where a mapping belongs) is at the root.
    let at_root = |mut p: Problem| {
        p.pos.get_or_insert(root.pos());
        p
    };
    let first = match T::deserialize(NodeDe(root)) {
        Ok(v) => return Ok(v),
        Err(p) => at_root(p),
    };
    let mut node = root.clone();
    let mut problems = Vec::new();
    let mut removed: Vec<Vec<Step>> = Vec::new();
    let mut next = Some(first);
    while let Some(p) = next.take() {
        // A required key that was taken out for a bad value is not missing as well.
        let echo = match &p.kind {
            Kind::MissingKey(k) => removed.iter().any(|r| {
                r.len() == p.path.len() + 1
                    && r.starts_with(&p.path)
                    && r.last() == Some(&Step::Key((*k).to_string()))
            }),
            _ => false,
        };
        let taken_out = remove(&mut node, &p.path);
        if taken_out {
            removed.push(p.path.clone());
        }
        if !echo {
            problems.push(p);
        }
        if !taken_out || problems.len() >= MAX_PROBLEMS {
            break;
        }
        if let Err(p) = T::deserialize(NodeDe(&node)) {
            next = Some(at_root(p));
        }
    }
    Err(problems)
}

/// Takes the node at `path` out of its parent; false for the root or a path that is gone.
fn remove(node: &mut Node, path: &[Step]) -> bool {
    let Some((last, parents)) = path.split_last() else {
        return false;
    };
    let mut cur = node;
    for step in parents {
        let child = match (&mut cur.kind, step) {
            (NodeKind::Map(entries), Step::Key(k)) => entries
                .iter_mut()
                .find(|e| &e.key == k)
                .map(|e| &mut e.value),
            (NodeKind::Seq(items), Step::Index(i)) => items.get_mut(*i),
            _ => None,
        };
        match child {
            Some(c) => cur = c,
            None => return false,
        }
    }
    match (&mut cur.kind, last) {
        (NodeKind::Map(entries), Step::Key(k)) => {
            let before = entries.len();
            entries.retain(|e| &e.key != k);
            entries.len() < before
        }
        (NodeKind::Seq(items), Step::Index(i)) => match items.get_mut(*i) {
            Some(item) if item.kind != NodeKind::Removed => {
                item.kind = NodeKind::Removed;
                true
            }
            _ => false,
        },
        _ => false,
    }
}

struct NodeDe<'a>(&'a Node);

impl<'a> NodeDe<'a> {
    fn scalar_text(&self) -> Option<String> {
        match &self.0.kind {
            NodeKind::Str(s) => Some(s.clone()),
            NodeKind::Int(n) => Some(n.to_string()),
            NodeKind::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

macro_rules! integers {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Problem> {
            match self.0.kind {
                NodeKind::Int(n) => v.visit_i64(n),
                _ => Err(Problem::wrong_type("a whole number", self.0)),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for NodeDe<'de> {
    type Error = Problem;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Problem> {
        match &self.0.kind {
            NodeKind::Null | NodeKind::Removed => v.visit_unit(),
            NodeKind::Bool(b) => v.visit_bool(*b),
            NodeKind::Int(n) => v.visit_i64(*n),
            NodeKind::Float(f) => v.visit_f64(*f),
            NodeKind::Str(s) => v.visit_borrowed_str(s),
            NodeKind::Seq(items) => v.visit_seq(Seq { items, next: 0 }),
            NodeKind::Map(entries) => v.visit_map(Map {
                entries,
                next: 0,
                value: None,
            }),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Problem> {
        match self.0.kind {
            NodeKind::Bool(b) => v.visit_bool(b),
            _ => Err(Problem::wrong_type(BOOL, self.0)),
        }
    }

    integers!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64);

    fn deserialize_f32<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Problem> {
        self.deserialize_f64(v)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Problem> {
        match self.0.kind {
            NodeKind::Int(n) => v.visit_f64(n as f64),
            NodeKind::Float(f) => v.visit_f64(f),
            _ => Err(Problem::wrong_type("a number", self.0)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Problem> {
        self.deserialize_str(v)
    }

    fn deserialize_str<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Problem> {
        match &self.0.kind {
            NodeKind::Str(s) => v.visit_borrowed_str(s),
            _ => match self.scalar_text() {
                // `title: 2026` means the text "2026".
                Some(text) => v.visit_string(text),
                None => {
                    let mut p = Problem::wrong_type("text", self.0);
                    if matches!(self.0.kind, NodeKind::Float(_)) {
                        p.hint = Some("quote it, so that it stays as written: `\"1.10\"`".into());
                    }
                    Err(p)
                }
            },
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Problem> {
        self.deserialize_str(v)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Problem> {
        self.deserialize_str(v)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Problem> {
        self.deserialize_str(v)
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Problem> {
        match self.0.kind {
            NodeKind::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Problem> {
        match self.0.kind {
            NodeKind::Null => v.visit_unit(),
            _ => Err(Problem::wrong_type("nothing", self.0)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, Problem> {
        self.deserialize_unit(v)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, Problem> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Problem> {
        match &self.0.kind {
            NodeKind::Seq(items) => v.visit_seq(Seq { items, next: 0 }),
            // `people:` with nothing after it is an empty list.
            NodeKind::Null => v.visit_seq(Seq {
                items: &[],
                next: 0,
            }),
            _ => Err(Problem::wrong_type(LIST, self.0)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, Problem> {
        self.deserialize_seq(v)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        v: V,
    ) -> Result<V::Value, Problem> {
        self.deserialize_seq(v)
    }

    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Problem> {
        match &self.0.kind {
            NodeKind::Map(entries) => v.visit_map(Map {
                entries,
                next: 0,
                value: None,
            }),
            NodeKind::Null => v.visit_map(Map {
                entries: &[],
                next: 0,
                value: None,
            }),
            _ => Err(Problem::wrong_type(MAPPING, self.0)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Problem> {
        self.deserialize_map(v)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Problem> {
        match &self.0.kind {
            NodeKind::Str(s) => v.visit_enum(s.as_str().into_deserializer()),
            NodeKind::Map(entries) if entries.len() == 1 => v.visit_enum(Variant(&entries[0])),
            _ => Err(Problem::wrong_type("one of the allowed values", self.0)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Problem> {
        self.deserialize_str(v)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Problem> {
        v.visit_unit()
    }
}

struct Seq<'a> {
    items: &'a [Node],
    next: usize,
}

impl<'de> SeqAccess<'de> for Seq<'de> {
    type Error = Problem;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Problem> {
        while self
            .items
            .get(self.next)
            .is_some_and(|i| i.kind == NodeKind::Removed)
        {
            self.next += 1;
        }
        let Some(item) = self.items.get(self.next) else {
            return Ok(None);
        };
        let i = self.next;
        self.next += 1;
        seed.deserialize(NodeDe(item))
            .map(Some)
            .map_err(|p| p.within(Step::Index(i), item.pos()))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len() - self.next)
    }
}

struct Map<'a> {
    entries: &'a [Entry],
    next: usize,
    value: Option<&'a Entry>,
}

impl<'de> MapAccess<'de> for Map<'de> {
    type Error = Problem;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Problem> {
        let Some(entry) = self.entries.get(self.next) else {
            return Ok(None);
        };
        self.next += 1;
        self.value = Some(entry);
        let key: de::value::BorrowedStrDeserializer<'de, Problem> =
            de::value::BorrowedStrDeserializer::new(&entry.key);
        seed.deserialize(key)
            .map(Some)
            .map_err(|p| p.within(Step::Key(entry.key.clone()), (entry.line, entry.col)))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Problem> {
        let entry = self
            .value
            .take()
            .ok_or_else(|| <Problem as de::Error>::custom("a value without its key"))?;
        seed.deserialize(NodeDe(&entry.value))
            .map_err(|p| p.within(Step::Key(entry.key.clone()), entry.value.pos()))
    }
}

/// `variant: value`, an externally tagged enum written as a one-key mapping.
struct Variant<'a>(&'a Entry);

impl<'de> EnumAccess<'de> for Variant<'de> {
    type Error = Problem;
    type Variant = NodeDe<'de>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, NodeDe<'de>), Problem> {
        let key: de::value::BorrowedStrDeserializer<'de, Problem> =
            de::value::BorrowedStrDeserializer::new(&self.0.key);
        let v = seed.deserialize(key)?;
        Ok((v, NodeDe(&self.0.value)))
    }
}

impl<'de> VariantAccess<'de> for NodeDe<'de> {
    type Error = Problem;

    fn unit_variant(self) -> Result<(), Problem> {
        Ok(())
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Problem> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, Problem> {
        de::Deserializer::deserialize_seq(self, v)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Problem> {
        de::Deserializer::deserialize_map(self, v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Person {
        name: String,
        role: Option<Role>,
        inside: Option<bool>,
        weight: Option<i64>,
    }

    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "lowercase")]
    enum Role {
        Mentor,
        Peer,
    }

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct File {
        people: Vec<Person>,
    }

    fn problems(text: &str) -> Vec<Diagnostic> {
        super::super::parse::<File>(Path::new("w.yaml"), text).unwrap_err()
    }

    #[test]
    fn every_mistake_of_every_item() {
        let text = "people:\n  - name: a\n    role: wizard\n    inside: yes\n    colour: blue\n  - role: peer\n  - name: c\n    weight: heavy\n";
        let d = problems(text);
        let got: Vec<(usize, usize, &str)> = d
            .iter()
            .map(|d| (d.line, d.col, d.message.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (3, 11, "unknown value `wizard` (at `people[0].role`)"),
                (
                    4,
                    13,
                    "wrong type: expected `true` or `false`, found the text `yes` (at `people[0].inside`)"
                ),
                (5, 5, "unknown key `colour` (at `people[0]`)"),
                (6, 5, "missing required key `name` (at `people[1]`)"),
                (
                    8,
                    13,
                    "wrong type: expected a whole number, found the text `heavy` (at `people[2].weight`)"
                ),
            ]
        );
        assert_eq!(d[1].hint.as_deref(), Some("write `true` or `false`"));
        assert!(d[0].hint.as_deref().unwrap().contains("mentor, peer"));
    }

    #[test]
    fn bad_required_value_is_not_missing_too() {
        let d = problems("people:\n  - name: [x]\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(
            d[0].message,
            "wrong type: expected text, found a list (at `people[0].name`)"
        );
    }
}
