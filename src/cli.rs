//! Command-line interface (clap). Every flag has a help text; `--help` works on each command.
//! Where Zola has the same flag, it has Zola's name (`-u/--base-url`, `-o/--output`,
//! `-p/--port`, `-i/--interface`, `-O/--open`, `-r/--root`).

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// `rapport --version`: the version, and the commit it was built from when the build knew it
/// (`0.1.0 (1a2b3c4d5e6f 2026-12-01)`); see build.rs.
pub const VERSION: &str = env!("RAPPORT_VERSION");

#[derive(Debug, Parser)]
#[command(
    name = "rapport",
    version = VERSION,
    propagate_version = true,
    about = "Build a career-networking handbook into a static site with printable planners",
    after_help = "Exit codes: 0 success; 1 problems in the handbook (including `check`'s \
                  findings); 2 a usage error, a refusal, or a failed file operation."
)]
pub struct Cli {
    /// Print nothing but errors.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// When to colour diagnostics: `auto` colours them on a terminal unless NO_COLOR is set.
    #[arg(long, global = true, value_name = "WHEN", default_value = "auto")]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Command,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default `public/`).
    Build(BuildArgs),
    /// Run every validation of a build, check the rendered site's links, list external links.
    Check(CheckArgs),
    /// Create a new handbook that builds at once.
    Init(InitArgs),
    /// Serve the site locally, rebuild on every save and reload the browser.
    Serve(ServeArgs),
    /// Print the planner (worksheets and one page per week) to a PDF with headless Chromium.
    Print(PrintArgs),
    /// Print a shell completion script (e.g. `rapport completions bash > ~/.local/share/bash-completion/completions/rapport`).
    Completions(CompletionsArgs),
    /// Print a man page (e.g. `rapport man | man -l -`, or `rapport man build`).
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A command whose page to print (`rapport-build(1)`, ...) instead of rapport(1).
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The handbook folder (the one holding `handbook.yaml`).
    #[arg(short, long, default_value = ".", value_name = "DIR")]
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
    #[arg(short = 'u', long, value_name = "URL", value_parser = parse_base_url)]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Check as if built with this `base_url` (e.g. `https://me.github.io/handbook/`).
    #[arg(short = 'u', long, value_name = "URL", value_parser = parse_base_url)]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// The address to listen on; 127.0.0.1 keeps the preview on this machine.
    #[arg(short, long, default_value = "127.0.0.1", value_name = "IP")]
    pub interface: std::net::IpAddr,
    /// The port to listen on [default: 1111, or the next free one]; 0 picks any free port.
    #[arg(short, long, value_name = "PORT")]
    pub port: Option<u16>,
    /// Open the site in the web browser.
    #[arg(short = 'O', long)]
    pub open: bool,
    /// Also answer requests for this host name (besides localhost and the loopback and bound
    /// addresses); may be given more than once.
    #[arg(long = "allow-host", value_name = "NAME")]
    pub allow_host: Vec<String>,
    /// Serve under this base URL's path, as the site will be published (e.g.
    /// `https://me.github.io/handbook/` or `/handbook/`).
    #[arg(short = 'u', long, value_name = "URL", value_parser = parse_base_url)]
    pub base_url: Option<String>,
    /// Make file:line in the error overlay open your editor: a URL with {file}, {line} and {col},
    /// e.g. `vscode://file/{file}:{line}:{col}` [default: guessed from $VISUAL or $EDITOR].
    #[arg(long, value_name = "PATTERN")]
    pub editor: Option<String>,
    /// Leave out pages and worksheets marked `private: true`, as the published site does.
    #[arg(long)]
    pub public: bool,
}

impl ServeArgs {
    pub fn options(&self, quiet: bool) -> crate::serve::ServeOptions {
        crate::serve::ServeOptions {
            site: crate::config::BuildOptions {
                private: !self.public,
                ..self.site.options()
            },
            interface: self.interface,
            port: self.port,
            open: self.open,
            quiet,
            allow_hosts: self.allow_host.clone(),
            base_url: self.base_url.clone(),
            editor: self.editor.clone(),
        }
    }
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
    /// Print the whole handbook as a book (cover, contents, every page and worksheet) to
    /// `handbook.pdf` instead of the planner.
    #[arg(long)]
    pub book: bool,
    /// Leave out pages and worksheets marked `private: true`, as a published site does.
    #[arg(long)]
    pub public: bool,
    /// Start the planner in the week of this date, for this print only (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub start: Option<NaiveDate>,
    /// Print this many weeks (1 to 104), for this print only.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=104))]
    pub weeks: Option<u32>,
    /// Print on this paper, for this print only.
    #[arg(long, value_name = "PAPER", value_enum, ignore_case = true)]
    pub paper: Option<crate::config::Paper>,
}

impl PrintArgs {
    pub fn options(&self) -> crate::config::BuildOptions {
        crate::config::BuildOptions {
            private: !self.public,
            planner: crate::config::PlannerOverride {
                start: self.start,
                weeks: self.weeks,
                paper: self.paper,
            },
            ..self.site.options()
        }
    }
}

/// `--paper A4` or `--paper Letter` (in any case), named as handbook.yaml names them. Written
/// here rather than derived on `Paper`, so that the config module knows nothing of clap.
impl ValueEnum for crate::config::Paper {
    fn value_variants<'a>() -> &'a [Self] {
        &[crate::config::Paper::A4, crate::config::Paper::Letter]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(match self {
            crate::config::Paper::A4 => "A4",
            crate::config::Paper::Letter => "Letter",
        }))
    }
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

/// `--today` and `--start`: the worksheets' date parser, and a year a planner can work from.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    use chrono::Datelike;
    let date = crate::dates::parse_date(s).map_err(|e| match e.hint {
        Some(hint) => format!("{}; {hint}", e.message),
        None => e.message,
    })?;
    let years = crate::config::BUILD_YEARS;
    if !years.contains(&date.year()) {
        return Err(format!(
            "`{s}`: the year {} is not between {} and {}",
            date.year(),
            years.start(),
            years.end()
        ));
    }
    Ok(date)
}

/// Rejects a malformed `--base-url` as a usage error (exit code 2), like a malformed date.
pub fn parse_base_url(s: &str) -> Result<String, String> {
    crate::config::split_base_url(s).map(|_| s.to_string())
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

    #[test]
    fn paper_is_named_in_any_case() {
        use super::{Cli, Command};
        use crate::config::Paper;
        use clap::Parser;
        for (arg, paper) in [
            ("letter", Paper::Letter),
            ("A4", Paper::A4),
            ("a4", Paper::A4),
        ] {
            let cli = Cli::try_parse_from(["rapport", "print", "--paper", arg]);
            let Ok(Cli {
                command: Command::Print(print),
                ..
            }) = cli
            else {
                panic!("`--paper {arg}` is refused");
            };
            assert_eq!(print.paper, Some(paper));
        }
    }
}
