//! The `rapport` binary: parse the command line, hand it to the command's module in `cmd/`
//! (which calls the library and reports), turn an error into its message and exit code.

mod cmd;

use clap::Parser;
use rapport::cli::{Cli, Command};
use std::process::ExitCode;

fn main() -> ExitCode {
    // A child that removes the output a build swapped out, after the build returned.
    if rapport::fs::background_removal() {
        return ExitCode::SUCCESS;
    }
    let cli = Cli::parse();
    let mut ui = cmd::Ui::new(cli.quiet, cli.color);
    let result = match cli.command {
        Command::Build(args) => cmd::build::run(args, &mut ui),
        Command::Check(args) => cmd::check::run(args, &mut ui),
        Command::Init(args) => cmd::init::run(args, &mut ui),
        Command::Serve(args) => cmd::serve::run(args, &ui),
        Command::Print(args) => cmd::print::run(args, &mut ui),
        Command::Completions(args) => cmd::completions::run(args, &mut ui),
        Command::Man(args) => cmd::man::run(args, &mut ui),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            ui.error(&e);
            ExitCode::from(cmd::exit_code(&e))
        }
    }
}
