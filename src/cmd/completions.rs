//! `rapport completions SHELL`: a completion script generated from the clap definitions.

use super::Ui;
use clap::CommandFactory;
use rapport::Result;
use rapport::cli::{Cli, CompletionsArgs};

pub fn run(args: CompletionsArgs, ui: &mut Ui) -> Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "rapport", &mut script);
    ui.stdout(&script);
    Ok(())
}
