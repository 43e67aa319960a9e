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
    if !s.left_out.is_empty() {
        ui.say(format_args!(
            "Left out what is private: {} (`rapport serve` and `rapport print` show it)",
            left_out(&s.left_out)
        ));
    }
    Ok(())
}

/// `2 pages or worksheets, 1 section and 3 files`, naming only what there is.
fn left_out(l: &rapport::content::LeftOut) -> String {
    let pages =
        count(l.pages, "page or worksheet").replace("page or worksheets", "pages or worksheets");
    let parts: Vec<String> = [
        (l.pages, pages),
        (l.sections, count(l.sections, "section")),
        (l.files, count(l.files, "file")),
    ]
    .into_iter()
    .filter(|(n, _)| *n > 0)
    .map(|(_, text)| text)
    .collect();
    match parts.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}
