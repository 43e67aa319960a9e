//! `rapport man [COMMAND]`: a man page (roff) generated from the clap definitions: rapport(1),
//! or rapport-COMMAND(1) for one command.

use super::Ui;
use clap::CommandFactory;
use rapport::cli::{Cli, ManArgs};
use rapport::{Error, Result};

pub fn run(args: ManArgs, ui: &mut Ui) -> Result<()> {
    let mut cli = Cli::command();
    // Subcommands inherit the version and global flags only once the command is built.
    cli.build();
    let (page, title) = match &args.command {
        None => (cli, "rapport".to_string()),
        Some(name) => match cli.find_subcommand(name) {
            Some(sub) => {
                let title = format!("rapport-{name}");
                (sub.clone().display_name(&title).bin_name(&title), title)
            }
            None => {
                let names: Vec<_> = cli
                    .get_subcommands()
                    .map(|s| s.get_name())
                    .filter(|n| *n != "help")
                    .collect();
                return Err(Error::refused(
                    format!("rapport has no command `{name}`"),
                    format!("name one of {}", names.join(", ")),
                ));
            }
        },
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .title(title)
        .source(format!("rapport {}", env!("CARGO_PKG_VERSION")))
        .render(&mut roff)
        .map_err(|e| Error::io("write the man page to", std::path::Path::new("stdout"), e))?;
    ui.stdout(&roff);
    Ok(())
}
