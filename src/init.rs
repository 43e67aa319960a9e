//! `rapport init`: a new handbook that builds at once.

use crate::error::{Error, Result};
use crate::fs;
use std::path::Path;

/// The starter files: (path, contents). `{title}` is replaced by the handbook's title.
const FILES: &[(&str, &str)] = &[
    (
        "handbook.yaml",
        "# Settings of your handbook. See the rapport README for every key.\ntitle: \"{title}\"\ndescription: \"Who I know, who knows my work, and when I keep in touch.\"\nbase_url: \"/\"\nlanguage: en\nauthor: \"\"\n",
    ),
    (".gitignore", "public/\n"),
    (
        "content/_index.md",
        "---\ntitle: \"{title}\"\ndescription: \"My networking handbook\"\n---\n\nWelcome. Start with [why networking matters](01-basics/01-why.md), then\n[block the time](01-basics/02-time.md#a-weekly-rhythm) for it.\n",
    ),
    (
        "content/01-basics/_index.md",
        "---\ntitle: \"The basics\"\ndescription: \"Why and when to network\"\n---\n\nThe two habits everything else builds on.\n",
    ),
    (
        "content/01-basics/01-why.md",
        "---\ntitle: \"Why networking matters\"\ndescription: \"Relationships are career insurance\"\n---\n\nThe people who know your work decide which doors open for you. Keep those\nrelationships warm in good times, and they are there in bad times.\n\n> [!TIP]\n> Write down five people who shape your career today.\n",
    ),
    (
        "content/01-basics/02-time.md",
        "---\ntitle: \"Making time\"\ndescription: \"Put networking in your calendar\"\n---\n\n## A weekly rhythm\n\n- [ ] One coffee chat\n- [ ] Three short messages to people you have not spoken to in a while\n\n## A yearly review\n\nOnce a year, review your whole network. See [why](01-why.md).\n",
    ),
];

/// Writes the starter handbook into `dir`; returns the number of files written.
pub fn init(dir: &Path, title: &str, force: bool) -> Result<usize> {
    if dir.is_file() {
        return Err(Error::refused(
            format!("`{}` is a file", dir.display()),
            "name a folder",
        ));
    }
    if dir.is_dir() && !force {
        let non_empty = std::fs::read_dir(dir)
            .map_err(|e| Error::io("read the folder", dir, e))?
            .next()
            .is_some();
        if non_empty {
            return Err(Error::refused(
                format!("`{}` is not empty", dir.display()),
                "choose a new folder, or pass --force to write into it anyway",
            ));
        }
    }
    // The title goes inside double-quoted YAML strings: escape it rather than drop characters.
    let safe_title = title
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    for (path, text) in FILES {
        let dest = dir.join(path);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&dest, text.replace("{title}", &safe_title))?;
    }
    Ok(FILES.len())
}
