//! `rapport check`: the external links, the warnings, one summary line; the errors as the
//! command's failure (exit code 1).

use super::{Ui, count};
use rapport::cli::CheckArgs;
use rapport::{Error, Result, site};

pub fn run(args: CheckArgs, ui: &mut Ui) -> Result<()> {
    let mut opts = args.site.options();
    opts.base_url = args.base_url;
    opts.exit_after = true;
    let r = site::check(&opts)?;
    let f = &r.findings;
    if !ui.quiet() {
        if !f.external.is_empty() {
            ui.say(format_args!("External links (listed, not fetched):"));
            for l in &f.external {
                ui.say(format_args!(
                    "  {}:{}:{}  {}",
                    l.source.display(),
                    l.line,
                    l.col,
                    l.url
                ));
            }
        }
        for w in &f.warnings {
            ui.warning(w);
        }
    }
    ui.say(format_args!(
        "Checked {} in {}: {}, {}, {} ({} ms)",
        count(r.stats.pages, "page"),
        count(r.stats.sections, "section"),
        count(f.errors.len(), "error"),
        count(f.warnings.len(), "warning"),
        count(f.external.len(), "external link"),
        r.elapsed.as_millis()
    ));
    if f.errors.is_empty() {
        Ok(())
    } else {
        Err(Error::content(f.errors.clone()))
    }
}
