//! rapport: a career-networking handbook (Markdown pages, YAML worksheets) to a static site.
//!
//! Data flows one way: [`config`] → [`worksheet`] and [`content`] (the site model) →
//! [`planner`], [`calendar`], [`search`] (derived from it) → [`render`] → [`plan`],
//! [`publish`], [`check`] → [`site`] (load, validate, atomic write) → [`serve`], [`print`].
//! No module uses one above it (`tests/layers.rs` checks). The binary's `cmd/` has one module
//! per command, each owning what it prints.

pub(crate) mod calendar;
pub(crate) mod check;
pub mod cli;
pub(crate) mod config;
pub mod content;
pub(crate) mod dates;
pub mod error;
pub mod fs;
pub(crate) mod hash;
pub mod init;
pub(crate) mod markdown;
pub(crate) mod plan;
pub(crate) mod planner;
pub mod print;
pub(crate) mod publish;
pub(crate) mod recurrence;
pub(crate) mod render;
pub(crate) mod search;
pub mod serve;
pub mod site;
pub(crate) mod timezone;
pub(crate) mod value;
pub(crate) mod worksheet;
pub(crate) mod yaml;

pub use error::{Diagnostic, Error, Result};
