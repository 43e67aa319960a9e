//! `rapport build`: the warnings, then one summary line.

use super::{Ui, count};
use rapport::cli::BuildArgs;
use rapport::{Result, site};

pub fn run(args: BuildArgs, ui: &mut Ui) -> Result<()> {
    let mut opts = args.site.options();
    opts.output = args.output;
    opts.base_url = args.base_url;
    opts.exit_after = true;
    let s = site::build(&opts)?;
    for w in &s.warnings {
        ui.warning(w);
    }
    ui.say(format_args!(
        "Built {} in {} into {} in {} ms",
        count(s.stats.pages, "page"),
        count(s.stats.sections, "section"),
        s.output.display(),
        s.elapsed.as_millis()
    ));
    if s.private > 0 {
        ui.say(format_args!(
            "Left out {} marked `private: true` (`rapport serve` and `rapport print` show {})",
            count(s.private, "page or worksheet")
                .replace("page or worksheets", "pages or worksheets"),
            if s.private == 1 { "it" } else { "them" }
        ));
    }
    Ok(())
}
