//! `rapport print`: where the PDF went and what it holds.

use super::Ui;
use rapport::cli::PrintArgs;
use rapport::{Result, print};

pub fn run(args: PrintArgs, ui: &mut Ui) -> Result<()> {
    let p = print::print(&print::PrintOptions {
        site: args.options(),
        output: args.output,
        chromium: args.chromium,
    })?;
    ui.say(format_args!(
        "Printed the planner ({} worksheets, {} weeks) to {} in {} ms",
        p.worksheets,
        p.weeks,
        p.output.display(),
        p.elapsed.as_millis()
    ));
    Ok(())
}
