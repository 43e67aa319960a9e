//! Command-line interface (clap). Every flag has a help text; `--help` works on each command.

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "rapport",
    version,
    about = "Build a career-networking handbook into a static site with printable planners"
)]
pub struct Cli {
    /// Print nothing but errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default `public/`).
    Build(BuildArgs),
    /// Run every validation of a build without writing anything.
    Check(SiteArgs),
    /// Create a new handbook that builds at once.
    Init(InitArgs),
    /// Print the planner (worksheets and one page per week) to a PDF with headless Chromium.
    Print(PrintArgs),
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The handbook folder (the one holding `handbook.yaml`).
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// The build date used for due dates and planners (default: SOURCE_DATE_EPOCH, else today).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site (default: `public/` in the handbook folder).
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Override `base_url` from handbook.yaml (e.g. `https://me.github.io/handbook/`).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct PrintArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The PDF to write (default: `planner.pdf` in the handbook folder).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The Chromium or Chrome executable (default: `chromium`, `chromium-browser` or
    /// `google-chrome` on PATH).
    #[arg(long, value_name = "PATH")]
    pub chromium: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to create the handbook in.
    pub dir: PathBuf,
    /// Write into a folder that is not empty (existing files with the same names are replaced).
    #[arg(long)]
    pub force: bool,
    /// The handbook's title.
    #[arg(long, default_value = "My Networking Handbook")]
    pub title: String,
}

pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date of the form YYYY-MM-DD"))
}

impl SiteArgs {
    pub fn options(&self) -> crate::config::BuildOptions {
        crate::config::BuildOptions {
            root: self.root.clone(),
            drafts: self.drafts,
            today: self.today,
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
