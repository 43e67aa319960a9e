//! `rapport serve`: the serve loop reports as it goes (address, rebuilds, errors in the
//! terminal and the browser), so this only hands over the options.

use super::Ui;
use rapport::cli::ServeArgs;
use rapport::{Result, serve};

pub fn run(args: ServeArgs, ui: &Ui) -> Result<()> {
    serve::serve(&args.options(ui.quiet()))
}
