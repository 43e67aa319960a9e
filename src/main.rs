//! The `rapport` binary: parse the command line, run, report, exit.

use clap::Parser;
use rapport::cli::{Cli, Command};
use rapport::{Error, check, init, print, serve, site};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let quiet = cli.quiet;
    let result = match cli.command {
        Command::Build(args) => {
            let mut opts = args.site.options();
            opts.output = args.output;
            opts.base_url = args.base_url;
            site::build(&opts).map(|s| {
                if !quiet {
                    println!(
                        "Built {} in {} into {} in {} ms",
                        count(s.stats.pages, "page"),
                        count(s.stats.sections, "section"),
                        s.output.display(),
                        s.elapsed.as_millis()
                    );
                }
            })
        }
        Command::Check(args) => site::check(&{
            let mut opts = args.site.options();
            opts.base_url = args.base_url;
            opts
        })
        .and_then(|r| {
            let f = &r.findings;
            if !quiet {
                if !f.external.is_empty() {
                    println!("External links (listed, not fetched):");
                    for l in &f.external {
                        println!("  {}:{}:{}  {}", l.source.display(), l.line, l.col, l.url);
                    }
                }
                for w in &f.warnings {
                    eprint!("{}", check::as_warning(w));
                }
                println!(
                    "Checked {} in {}: {}, {}, {} ({} ms)",
                    count(r.stats.pages, "page"),
                    count(r.stats.sections, "section"),
                    count(f.errors.len(), "error"),
                    count(f.warnings.len(), "warning"),
                    count(f.external.len(), "external link"),
                    r.elapsed.as_millis()
                );
            }
            if f.errors.is_empty() {
                Ok(())
            } else {
                Err(Error::content(f.errors.clone()))
            }
        }),
        Command::Print(args) => print::print(&print::PrintOptions {
            site: args.site.options(),
            output: args.output,
            chromium: args.chromium,
        })
        .map(|p| {
            if !quiet {
                println!(
                    "Printed the planner ({} worksheets, {} weeks) to {} in {} ms",
                    p.worksheets,
                    p.weeks,
                    p.output.display(),
                    p.elapsed.as_millis()
                );
            }
        }),
        Command::Init(args) => init::init(&args.dir, &args.title, args.force).map(|n| {
            if !quiet {
                println!(
                    "Created a new handbook in {} ({n} files). Build it with: rapport build --root {}",
                    args.dir.display(),
                    args.dir.display()
                );
                println!(
                    "To publish it on GitHub Pages, see .github/workflows/pages.yml and the README."
                );
            }
        }),
        Command::Serve(args) => serve::serve(&args.options(quiet)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", e.report());
            ExitCode::from(1)
        }
    }
}

/// `1 page`, `2 pages`.
fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
