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
        "---\ntitle: \"Making time\"\ndescription: \"Put networking in your calendar\"\n---\n\n## A weekly rhythm\n\n- [ ] One coffee chat\n- [ ] Three short messages to people you have not spoken to in a while\n\n## A yearly review\n\nOnce a year, review your whole network. See [why](01-why.md) and keep\n[your people](03-people.yaml) up to date.\n",
    ),
    (
        "content/01-basics/03-people.yaml",
        "# A worksheet: the people who shape your career. Replace the examples with your own.\nkind: stakeholders\ntitle: \"My people\"\ndescription: \"Who shapes my career, and when I am next due to talk to them\"\npeople:\n  - name: \"Example: my supervisor\"\n    role: supervisor\n    inside_company: true\n    cadence: weekly\n    next_step: \"Agree on goals for the quarter\"\n  - name: \"Example: a recruiter I trust\"\n    role: recruiter\n    inside_company: false\n    cadence: quarterly\n    next_step: \"Share an updated CV\"\n",
    ),
    (
        "content/01-basics/04-habits.yaml",
        "# A worksheet: recurring networking habits, printed with check boxes in the planner.\nkind: checklist\ntitle: \"My networking habits\"\nweekly:\n  - text: \"One coffee chat\"\n    when: \"Tuesday 08:30\"\n  - \"Three short messages to people I have not spoken to in a while\"\nmonthly:\n  - \"One event inside or outside the company\"\nyearly:\n  - \"Review the whole network and set goals\"\n",
    ),
];

/// The GitHub Pages workflow of a new handbook. `{git}` becomes rapport's repository (from
/// `repository` in rapport's Cargo.toml) and `{version}` this rapport's version, so the site is
/// built by the release that created it until the user changes the pin. Not `cargo install
/// rapport`: that name on crates.io belongs to an unrelated tool.
pub const PAGES_WORKFLOW: &str = r#"# Publishes the handbook on GitHub Pages on every push to the default branch.
#
# One-time setup: on GitHub, open the repository's Settings > Pages and set
# "Build and deployment > Source" to "GitHub Actions". The site's address (and so the base
# path every link uses, e.g. https://you.github.io/handbook/) comes from that configuration.
name: Publish handbook

on:
  push:
    branches: [main]
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

# One deployment at a time; a newer push waits instead of cancelling a deployment half-way.
concurrency:
  group: pages
  cancel-in-progress: false

env:
  # Where rapport is built from: its Git repository and a release tag (or use --branch/--rev
  # in the install step below).
  RAPPORT_GIT: "{git}"
  RAPPORT_TAG: "v{version}"

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Configure Pages
        id: pages
        uses: actions/configure-pages@v5
      - name: Cache rapport
        uses: actions/cache@v4
        with:
          path: ~/.cargo/bin/rapport
          key: rapport-${{ runner.os }}-${{ env.RAPPORT_GIT }}-${{ env.RAPPORT_TAG }}
      - name: Install rapport
        run: |
          if ! command -v rapport; then
            case "$RAPPORT_GIT" in
              *OWNER*) echo "::error::set RAPPORT_GIT in .github/workflows/pages.yml to rapport's Git repository"; exit 1 ;;
            esac
            cargo install --locked --git "$RAPPORT_GIT" --tag "$RAPPORT_TAG" rapport
          fi
      - name: Check links
        run: rapport check --base-url "${{ steps.pages.outputs.base_url }}/"
      - name: Build
        # The last commit's date is the build date, so a rebuild gives the same site.
        run: |
          export SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"
          rapport build --base-url "${{ steps.pages.outputs.base_url }}/" --output public
      - name: Upload the site
        uses: actions/upload-pages-artifact@v3
        with:
          path: public

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - name: Deploy to GitHub Pages
        id: deployment
        uses: actions/deploy-pages@v4
"#;

/// The Pages workflow, filled in with where this rapport comes from.
pub fn pages_workflow() -> String {
    let git = match env!("CARGO_PKG_REPOSITORY") {
        "" => "https://github.com/OWNER/rapport",
        repo => repo,
    };
    PAGES_WORKFLOW
        .replace("{git}", git)
        .replace("{version}", env!("CARGO_PKG_VERSION"))
}

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
    let workflow = pages_workflow();
    let files = FILES
        .iter()
        .map(|(path, text)| (*path, text.replace("{title}", &safe_title)))
        .chain([(".github/workflows/pages.yml", workflow)]);
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
