//! rapport: a career-networking handbook (Markdown pages, YAML worksheets) to a static site.
//!
//! Data flows one way: [`config`] → [`content`] (the site model) → [`render`] → [`site`] (the
//! atomic write). `main.rs` only parses the command line and reports errors.

pub mod calendar;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod dates;
pub mod error;
pub mod fs;
pub mod init;
pub mod manifest;
pub mod markdown;
pub mod planner;
pub mod print;
pub mod publish;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod timezone;
pub mod value;
pub mod worksheet;
pub mod yaml;

pub use error::{Diagnostic, Error, Result};
