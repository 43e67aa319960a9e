//! rapport: a career-networking handbook (Markdown pages, YAML worksheets) to a static site.
//!
//! Data flows one way: [`config`] → [`worksheet`] and [`content`] (the site model) →
//! [`planner`], [`calendar`], [`search`] (derived from it) → [`render`] → [`plan`],
//! [`publish`], [`check`] → [`site`] (load, validate, atomic write) → [`serve`], [`print`].
//! No module uses one above it (`tests/layers.rs` checks). The binary's `cmd/` has one module
//! per command, each owning what it prints.

pub mod calendar;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod dates;
pub mod error;
pub mod fs;
pub mod hash;
pub mod init;
pub mod markdown;
pub mod plan;
pub mod planner;
pub mod print;
pub mod publish;
pub mod recurrence;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod timezone;
pub mod value;
pub mod worksheet;
pub mod yaml;

pub use error::{Diagnostic, Error, Result};
