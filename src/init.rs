//! `rapport init`: a new handbook that builds at once.

use crate::error::{Error, Result};
use crate::fs;
use std::path::Path;

/// The starter files: (path in the handbook, text). In the text, `{title}` becomes the
/// handbook's title, `{version}` this rapport's version and `{install}` how to install it.
const FILES: &[(&str, &str)] = &[
    ("README.md", include_str!("init/README.md")),
    ("handbook.yaml", include_str!("init/handbook.yaml")),
    (".gitignore", include_str!("init/gitignore")),
    ("content/_index.md", include_str!("init/content/_index.md")),
    (
        "content/01-basics/_index.md",
        include_str!("init/content/01-basics/_index.md"),
    ),
    (
        "content/01-basics/01-why.md",
        include_str!("init/content/01-basics/01-why.md"),
    ),
    (
        "content/01-basics/02-time.md",
        include_str!("init/content/01-basics/02-time.md"),
    ),
    (
        "content/01-basics/03-people.yaml",
        include_str!("init/content/01-basics/03-people.yaml"),
    ),
    (
        "content/01-basics/04-habits.yaml",
        include_str!("init/content/01-basics/04-habits.yaml"),
    ),
    (
        ".github/workflows/pages.yml",
        include_str!("init/pages.yml"),
    ),
];

/// The package name on crates.io (the binary is `rapport`; the crate `rapport` is another tool).
pub const CRATE: &str = env!("CARGO_PKG_NAME");

/// Where this rapport's release archives are (`https://github.com/OWNER/REPO/releases`), if it
/// knows: from `RAPPORT_REPOSITORY` at build time (the release workflow sets it to the repository
/// it runs in), else from `repository` in Cargo.toml. Only GitHub repositories have releases
/// at a known address.
pub fn releases() -> Option<String> {
    let repo = match option_env!("RAPPORT_REPOSITORY") {
        Some(r) if !r.is_empty() => r,
        _ => env!("CARGO_PKG_REPOSITORY"),
    };
    let repo = repo.trim_end_matches('/').trim_end_matches(".git");
    let path = repo.strip_prefix("https://github.com/")?;
    (path.split('/').filter(|p| !p.is_empty()).count() == 2).then(|| format!("{repo}/releases"))
}

/// The Pages workflow of a new handbook, installing this version of rapport: the release
/// archive where `releases` is known, else `cargo install` of this version.
pub fn pages_workflow(releases: Option<&str>) -> String {
    let install = match releases {
        Some(r) => include_str!("init/install-release.yml").replace("{releases}", r),
        None => include_str!("init/install-cargo.yml").replace("{crate}", CRATE),
    };
    fill(include_str!("init/pages.yml"), "", install.trim_end())
}

/// The README's install instructions.
fn readme_install(releases: Option<&str>) -> String {
    let cargo = format!(
        "```sh\ncargo install --locked {CRATE} --version {}\n```",
        env!("CARGO_PKG_VERSION")
    );
    match releases {
        Some(r) => format!(
            "Download the archive for your system from {r}/tag/v{{version}} (check it against\n\
             the SHA256SUMS beside it) and put `rapport` on your PATH, or build it with Rust\n\
             (https://rustup.rs):\n\n{cargo}"
        ),
        None => format!("Build it with Rust (https://rustup.rs):\n\n{cargo}"),
    }
}

/// `text` with `{install}`, `{version}` and `{title}` filled in.
fn fill(text: &str, title: &str, install: &str) -> String {
    text.replace("{install}", install)
        .replace("{version}", env!("CARGO_PKG_VERSION"))
        .replace("{title}", title)
}

/// Writes the starter handbook into `dir`; returns the number of files written.
pub fn init(dir: &Path, title: &str, force: bool) -> Result<usize> {
    // The title goes inside double-quoted YAML strings: escape it rather than drop characters.
    let safe_title = title
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    check_title(&safe_title)?;
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
    let releases = releases();
    let files = FILES.iter().map(|&(path, text)| {
        let text = match path {
            // The README takes the title as it is; the others inside double-quoted YAML.
            "README.md" => fill(text, title, &readme_install(releases.as_deref())),
            ".github/workflows/pages.yml" => pages_workflow(releases.as_deref()),
            _ => fill(text, &safe_title, ""),
        };
        (path, text)
    });
    let mut written = 0;
    for (path, text) in files {
        let dest = dir.join(path);
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&dest, text)?;
        written += 1;
    }
    Ok(written)
}

/// Refuses a title that `build` would refuse once written into `handbook.yaml` (a control
/// character), with the message the YAML reader gives there, before anything is written.
fn check_title(safe_title: &str) -> Result<()> {
    let text = format!("title: \"{safe_title}\"\n");
    match crate::yaml::read(Path::new(crate::config::CONFIG_FILE), &text, &text, 0) {
        Ok(_) => Ok(()),
        Err(d) => Err(Error::refused(
            format!("--title: {}", d.message),
            "type the title without it: `rapport build` refuses it in `handbook.yaml`",
        )),
    }
}
