//! The `rapport` binary: parse the command line, run, report, exit.

use clap::Parser;
use rapport::cli::{Cli, Command};
use rapport::{Error, init, print, site};
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
                        "Built {} pages in {} sections into {} in {} ms",
                        s.stats.pages,
                        s.stats.sections,
                        s.output.display(),
                        s.elapsed.as_millis()
                    );
                }
            })
        }
        Command::Check(args) => site::check(&args.options()).map(|s| {
            if !quiet {
                println!(
                    "Checked {} pages in {} sections: no problems found ({} ms)",
                    s.stats.pages,
                    s.stats.sections,
                    s.elapsed.as_millis()
                );
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
            }
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", report(&e));
            ExitCode::from(1)
        }
    }
}

fn report(e: &Error) -> String {
    match e {
        Error::Content(_) => e.to_string(),
        other => format!("error: {other}"),
    }
}
