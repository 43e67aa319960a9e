//! Re-rendering edited Markdown sources against the library of the last good build: the fast
//! path of `rapport serve`.
//!
//! Why that gives what a full build would: an edited page or `_index.md` whose front matter is
//! the same in every key, and whose title is the one it had, leaves every URL, title, weight,
//! description, draft and template of the site as it was, so the walk, the URLs, the order and
//! every other source's rendering (their links resolve against those alone) come out the same.
//! What may differ is the edited source's own HTML, headings, text and links. So the problems a
//! full build would find are the edited sources' link errors, and the `#fragment` checks of
//! links written in them or pointing into them: everything else passed in the last build and
//! still does. Anything else is left to a full build.
//!
//! One more kind of path changes nothing: one in `content/` that is gone and that the last build
//! did not read either, such as the scratch file Vim writes and removes on every save (`4913`).

use super::collect::{self, MarkdownOutput, Parsed};
use super::front_matter::FrontMatter;
use super::links::Resolver;
use super::{ItemRef, Library, PageKind};
use crate::config::Config;
use crate::error::Diagnostic;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What [`rerender`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Update {
    /// The sources were re-rendered and stored in the library: these pages and sections
    /// changed, nothing else did.
    Applied(Vec<ItemRef>),
    /// Something other pages depend on may have changed (or a source could not be read): the
    /// library is untouched, build the whole site.
    FullBuild,
}

/// Re-renders `changed` (paths relative to the root) against `lib`, when each is an existing
/// Markdown page or `_index.md` whose edit leaves the rest of the site as it was. On `Err`
/// (the problems a full build would report) and on [`Update::FullBuild`], `lib` is untouched.
pub fn rerender(
    config: &Config,
    lib: &mut Library,
    changed: &[PathBuf],
) -> Result<Update, Vec<Diagnostic>> {
    let mut items = Vec::with_capacity(changed.len());
    let mut parsed: Vec<Parsed> = Vec::with_capacity(changed.len());
    let mut edited: Vec<PathBuf> = Vec::with_capacity(changed.len());
    for path in changed {
        let Some(item) = markdown_source(lib, path) else {
            if vanished_stranger(config, lib, path) {
                continue;
            }
            return Ok(Update::FullBuild);
        };
        // Unreadable or broken front matter: the page drops out of a full build, and links to
        // it break; only a full build reports all of that.
        // A page now behind a symbolic link out of the handbook folder (itself or a folder on
        // its way): the full walk skips it and says so.
        if crate::fs::inside_handbook(&config.root, &config.root.join(path)).is_err() {
            return Ok(Update::FullBuild);
        }
        let Ok(p) = collect::read_source(&config.root, path) else {
            return Ok(Update::FullBuild);
        };
        items.push(item);
        parsed.push(p);
        edited.push(path.clone());
    }
    let changed = edited.as_slice();

    let keep_words = lib.keep_words;
    let resolver = Resolver::new(config, lib, &lib.drafts);
    let mut outputs: Vec<MarkdownOutput> = Vec::with_capacity(items.len());
    for ((path, &item), p) in changed.iter().zip(&items).zip(&parsed) {
        let out = collect::render_markdown(&resolver, path, p, keep_words);
        let Some(old) = lib.front_matter.get(path) else {
            return Ok(Update::FullBuild);
        };
        let title = collect::title(lib, item, &p.fm, out.rendered.first_h1.as_deref());
        if !alone(old, &p.fm, lib.title_of(item), title.as_deref()) {
            return Ok(Update::FullBuild);
        }
        // A warning (a public page's link to a private one) is reported by a full build,
        // which reports every warning of the site.
        if out.errs.iter().any(|d| !d.is_error()) {
            return Ok(Update::FullBuild);
        }
        outputs.push(out);
    }

    let diags = problems(lib, changed, &items, &outputs);
    if !diags.is_empty() {
        return Err(diags);
    }
    let sources: HashSet<&Path> = changed.iter().map(PathBuf::as_path).collect();
    lib.link_checks.retain(|c| !sources.contains(c.source()));
    lib.external_links
        .retain(|l| !sources.contains(l.source.as_path()));
    for (&item, out) in items.iter().zip(outputs) {
        lib.link_checks.extend(out.checks);
        lib.external_links.extend(out.external);
        collect::store_rendered(lib, item, out.rendered);
    }
    Ok(Update::Applied(items))
}

/// Whether an edited source can be re-rendered alone: its front matter is the same in every
/// key (each one shows on other pages or decides URLs, links, drafts or templates), and the
/// title it ends up with (`new_title`, `None` when it has none) is the one it had, since a
/// title taken from the opening `# heading` shows in navigation too.
pub fn alone(
    old: &FrontMatter,
    new: &FrontMatter,
    old_title: &str,
    new_title: Option<&str>,
) -> bool {
    // Every key of the front matter compared, those added later included.
    old == new && new_title == Some(old_title)
}

/// Whether `path` is in `content/`, is gone, and was not read by the build of `lib` either: then
/// the content folder is, as far as it goes, as that build saw it. Everything the walk of
/// `content/` reads is in the library: pages, sections and `_index.md` files in `by_source`,
/// drafts in `drafts`, other files as assets.
fn vanished_stranger(config: &Config, lib: &Library, path: &Path) -> bool {
    let gone = std::fs::symlink_metadata(config.root.join(path))
        .is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
    gone && path.starts_with("content")
        && !lib.by_source.contains_key(path)
        && !lib.drafts.contains_key(path)
        && !lib.assets.iter().any(|a| a.source == path)
}

/// The library item `path` is the Markdown source of, if any: a Markdown page (not a worksheet)
/// or a section's `_index.md` (not its folder).
fn markdown_source(lib: &Library, path: &Path) -> Option<ItemRef> {
    let item = *lib.by_source.get(path)?;
    let markdown = match item {
        ItemRef::Page(i) => matches!(lib.pages[i].kind, PageKind::Markdown),
        ItemRef::Section(i) => lib.sections[i].index.as_deref() == Some(path),
    };
    markdown.then_some(item)
}

/// The problems of the edited sources: their link errors, and the `#fragment` links written in
/// them or pointing into them, checked against their new headings.
fn problems(
    lib: &Library,
    changed: &[PathBuf],
    items: &[ItemRef],
    outputs: &[MarkdownOutput],
) -> Vec<Diagnostic> {
    let new_ids: HashMap<ItemRef, &[String]> = items
        .iter()
        .zip(outputs)
        .map(|(&item, out)| (item, out.rendered.ids.as_slice()))
        .collect();
    let ids = |target: ItemRef| -> &[String] {
        match (new_ids.get(&target), target) {
            (Some(ids), _) => ids,
            (None, ItemRef::Page(i)) => &lib.pages[i].ids,
            (None, ItemRef::Section(i)) => &lib.sections[i].ids,
        }
    };
    let sources: HashSet<&Path> = changed.iter().map(PathBuf::as_path).collect();
    // Links from unchanged sources into the edited ones, then the edited sources' own links.
    let kept = lib
        .link_checks
        .iter()
        .filter(|c| !sources.contains(c.source()) && new_ids.contains_key(&c.target()));
    let fresh = outputs.iter().flat_map(|out| &out.checks);
    let mut diags: Vec<Diagnostic> = outputs.iter().flat_map(|out| out.errs.clone()).collect();
    diags.extend(
        kept.chain(fresh)
            .filter_map(|c| c.verify_against(lib, ids(c.target()))),
    );
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site of two pages, the second linking to a heading of the first, loaded.
    fn site() -> (tempfile::TempDir, Config, Library) {
        super::super::load_for_test(&[
            (
                "handbook.yaml",
                "title: \"T\"\nbase_url: \"https://example.org\"\n",
            ),
            ("content/_index.md", "Home.\n"),
            (
                "content/a.md",
                "---\ntitle: \"A\"\n---\n\n## Start\n\nOld text.\n",
            ),
            (
                "content/b.md",
                "---\ntitle: \"B\"\n---\n\n[A](a.md#start)\n",
            ),
            ("content/chart.png", "png"),
        ])
    }

    fn edit(
        config: &Config,
        lib: &mut Library,
        rel: &str,
        text: &str,
    ) -> Result<Update, Vec<Diagnostic>> {
        std::fs::write(config.root.join(rel), text).unwrap();
        rerender(config, lib, &[PathBuf::from(rel)])
    }

    #[test]
    fn a_body_edit_is_stored() {
        let (_dir, config, mut lib) = site();
        let text = "---\ntitle: \"A\"\n---\n\n## Start\n\nNew text.\n";
        let a = lib.by_source[Path::new("content/a.md")];
        assert_eq!(
            edit(&config, &mut lib, "content/a.md", text),
            Ok(Update::Applied(vec![a]))
        );
        let ItemRef::Page(i) = a else { panic!() };
        assert!(
            lib.pages[i].html.contains("New text."),
            "{}",
            lib.pages[i].html
        );
        assert_eq!(lib.link_checks.len(), 1, "b's link into a is still checked");
    }

    #[test]
    fn a_broken_fragment_link_is_an_error_and_the_library_stays() {
        let (_dir, config, mut lib) = site();
        let text = "---\ntitle: \"A\"\n---\n\n## Begin\n\nNew text.\n";
        let Err(diags) = edit(&config, &mut lib, "content/a.md", text) else {
            panic!("b links to #start")
        };
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].path, Path::new("content/b.md"));
        assert!(diags[0].message.contains("#start"), "{}", diags[0].message);
        let a = &lib.pages.iter().find(|p| p.title == "A").unwrap();
        assert!(a.html.contains("Old text."));
    }

    #[test]
    fn new_front_matter_or_unknown_files_need_a_full_build() {
        let (_dir, config, mut lib) = site();
        let retitled = "---\ntitle: \"A2\"\n---\n\n## Start\n";
        assert_eq!(
            edit(&config, &mut lib, "content/a.md", retitled),
            Ok(Update::FullBuild)
        );
        assert_eq!(
            edit(&config, &mut lib, "content/new.md", "# New\n"),
            Ok(Update::FullBuild)
        );
        // Gone, but the build read it: the asset must disappear.
        std::fs::remove_file(config.root.join("content/chart.png")).unwrap();
        let gone = [PathBuf::from("content/chart.png")];
        assert_eq!(rerender(&config, &mut lib, &gone), Ok(Update::FullBuild));
        // A folder stands for everything in it.
        let folder = [PathBuf::from("content")];
        assert_eq!(rerender(&config, &mut lib, &folder), Ok(Update::FullBuild));
    }

    #[test]
    fn an_editors_scratch_file_changes_nothing() {
        let (_dir, config, mut lib) = site();
        // Written and removed again since the last build, which never saw it.
        let scratch = PathBuf::from("content/4913");
        assert_eq!(
            rerender(&config, &mut lib, std::slice::from_ref(&scratch)),
            Ok(Update::Applied(vec![]))
        );
        let text = "---\ntitle: \"B\"\n---\n\n[A](a.md#start) again\n";
        std::fs::write(config.root.join("content/b.md"), text).unwrap();
        let b = lib.by_source[Path::new("content/b.md")];
        let both = [scratch, PathBuf::from("content/b.md")];
        assert_eq!(
            rerender(&config, &mut lib, &both),
            Ok(Update::Applied(vec![b]))
        );
    }

    fn fm() -> FrontMatter {
        FrontMatter {
            title: Some("Cost".into()),
            description: Some("What it costs".into()),
            weight: Some(2),
            draft: false,
            slug: None,
            template: None,
            extra: None,
            ..Default::default()
        }
    }

    #[test]
    fn a_body_edit_is_rendered_alone() {
        assert!(alone(&fm(), &fm(), "Cost", Some("Cost")));
    }

    #[test]
    fn any_front_matter_change_needs_a_full_build() {
        let changes: [fn(&mut FrontMatter); 8] = [
            |f| f.title = Some("Price".into()),
            |f| f.title = None,
            |f| f.description = Some("Other".into()),
            |f| f.weight = Some(3),
            |f| f.draft = true,
            |f| f.slug = Some("price".into()),
            |f| f.template = Some("wide.html".into()),
            |f| f.extra = Some(crate::value::Value::Bool(true)),
        ];
        for (n, change) in changes.iter().enumerate() {
            let mut new = fm();
            change(&mut new);
            assert!(!alone(&fm(), &new, "Cost", Some("Cost")), "change {n}");
        }
    }

    #[test]
    fn a_title_from_the_opening_heading_counts_as_front_matter() {
        let untitled = FrontMatter {
            title: None,
            ..fm()
        };
        assert!(alone(&untitled, &untitled, "Cost", Some("Cost")));
        assert!(!alone(&untitled, &untitled, "Cost", Some("The cost")));
        // The heading removed: the page has no title, which a full build reports.
        assert!(!alone(&untitled, &untitled, "Cost", None));
    }
}
