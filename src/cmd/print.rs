//! `rapport print`: where the PDF went and what it holds.

use super::{Ui, count};
use rapport::cli::PrintArgs;
use rapport::{Result, print};

pub fn run(args: PrintArgs, ui: &mut Ui) -> Result<()> {
    let p = print::print(&print::PrintOptions {
        site: args.options(),
        output: args.output,
        chromium: args.chromium,
        book: args.book,
    })?;
    if args.book {
        ui.say(format_args!(
            "Printed the handbook ({}, page numbers settled in {}) to {} in {} ms",
            count(p.pages as usize, "page"),
            count(p.passes as usize, "print"),
            p.output.display(),
            p.elapsed.as_millis()
        ));
    } else {
        ui.say(format_args!(
            "Printed the planner ({} worksheets, {} weeks, {}) to {} in {} ms",
            p.worksheets,
            p.weeks,
            count(p.pages as usize, "sheet"),
            p.output.display(),
            p.elapsed.as_millis()
        ));
    }
    Ok(())
}
