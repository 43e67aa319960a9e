//! `rapport init DIR`: what was created and what to do next.

use super::Ui;
use rapport::cli::InitArgs;
use rapport::{Result, init};

pub fn run(args: InitArgs, ui: &mut Ui) -> Result<()> {
    let n = init::init(&args.dir, &args.title, args.force)?;
    let dir = args.dir.display();
    ui.say(format_args!(
        "Created a new handbook in {dir} ({n} files). Preview it with: rapport serve --root {dir}"
    ));
    ui.say(format_args!(
        "Its README.md says how to build, print and publish it (.github/workflows/pages.yml publishes it on GitHub Pages)."
    ));
    Ok(())
}
