//! The one place that talks to the YAML library.
//!
//! A file is read in two steps. [`read`] parses it with serde-saphyr (maintained, panic-free,
//! with budgets for aliases, nesting and size) into a [`Node`] tree that keeps the line and
//! column of every key and value. [`decode`] then types the tree with serde, through a
//! deserializer of our own whose errors are structured (unknown key, unknown value, wrong type,
//! missing key), so every mistake is reported at its own position. When serde stops at a
//! mistake, the offending key is taken out and typing starts again, so that one run reports
//! every mistake of every item.
//!
//! serde_yaml, used before, is archived upstream; its errors were strings to be taken apart.
//! No type of this module reaches the site model: the model holds its own types.

mod de;
mod read;

pub use read::read;

use crate::error::Diagnostic;
use serde::de::DeserializeOwned;
use std::path::Path;

/// A YAML value with the position (1-based line and column) where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub line: usize,
    pub col: usize,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
    /// A list item taken out after a mistake (while reporting every mistake of a file), so
    /// that the items after it keep their index.
    Removed,
}

/// One `key: value` of a mapping, with the key's own position.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub line: usize,
    pub col: usize,
    pub value: Node,
}

impl Node {
    pub fn pos(&self) -> (usize, usize) {
        (self.line, self.col)
    }

    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            NodeKind::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().find(|e| e.key == key)
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub fn items(&self) -> &[Node] {
        match &self.kind {
            NodeKind::Seq(items) => items,
            _ => &[],
        }
    }

    /// Where the value of `key` is written, else where the node itself starts.
    pub fn pos_of(&self, key: &str) -> (usize, usize) {
        self.get(key).map_or(self.pos(), Node::pos)
    }

    /// Where `key:` itself is written, else where the node starts.
    pub fn key_pos(&self, key: &str) -> (usize, usize) {
        self.entry(key).map_or(self.pos(), |e| (e.line, e.col))
    }
}

/// Reads `text` (the whole file at `path`) and types it as `T`, reporting every mistake.
#[cfg(test)]
pub fn parse<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Vec<Diagnostic>> {
    let node = read(path, text, text, 0).map_err(|d| vec![d])?;
    decode(path, text, &node)
}

/// Types a node read from `path` (whose whole text is `file_text`).
pub fn decode<T: DeserializeOwned>(
    path: &Path,
    file_text: &str,
    node: &Node,
) -> Result<T, Vec<Diagnostic>> {
    de::decode(node).map_err(|problems| {
        problems
            .into_iter()
            .map(|p| p.into_diagnostic(path, file_text))
            .collect()
    })
}
