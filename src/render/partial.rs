//! Rendering a few pages again, for serve's fast path, once `content::update` has re-rendered
//! their Markdown and changed nothing else.
//!
//! Where a body shows in the output follows from what templates see: a page's (`page.content`,
//! `toc`, `word_count`) on its own page only; a section's (`section.content`, `toc`) on the
//! section's page, on its direct pages (which get their section as `section`), in its sidebar
//! (rendered with the section's context) and, for the home page, in `404.html`. Titles, URLs and
//! descriptions, which other pages show, have not changed. The search index is written by the
//! caller.

use super::{Pass, Sink, Theme};
use crate::config::Config;
use crate::content::{ItemRef, Library};
use crate::error::Error;
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};

/// The pages and sections to render again when only the bodies of `changed` changed, sorted.
pub fn affected(lib: &Library, changed: &[ItemRef]) -> Vec<ItemRef> {
    let mut out = BTreeSet::new();
    for &item in changed {
        out.insert(item);
        if let ItemRef::Section(s) = item {
            out.extend(lib.sections[s].pages.iter().map(|&p| ItemRef::Page(p)));
        }
    }
    out.into_iter().collect()
}

/// Renders `items` (and `404.html` when the home page is one of them) into `sink`, with the
/// theme as the last full render of this site left it: its global context (the navigation)
/// still holds, since no title changed. Template errors are collected as in a full render.
pub fn render_items(
    config: &Config,
    lib: &Library,
    theme: &Theme,
    items: &[ItemRef],
    sink: &dyn Sink,
) -> Result<(), Error> {
    let sections: HashSet<usize> = items
        .iter()
        .map(|&item| match item {
            ItemRef::Page(i) => lib.pages[i].section,
            ItemRef::Section(i) => i,
        })
        .collect();
    let bodies = &super::bodies::KEPT;
    let pass = Pass::new(config, lib, bodies, theme, sink, &|i| sections.contains(&i));
    items.par_iter().try_for_each(|&item| match item {
        ItemRef::Page(i) => pass.page(i),
        ItemRef::Section(i) => pass.section(i),
    })?;
    if items.contains(&ItemRef::Section(0)) {
        pass.not_found()?;
    }
    pass.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Section;

    fn section(pages: Vec<usize>) -> Section {
        Section {
            source: "content".into(),
            index: None,
            title: String::new(),
            description: String::new(),
            weight: None,
            template: None,
            extra: crate::value::Value::Null,
            file_name: String::new(),
            path: String::new(),
            parent: None,
            pages,
            subsections: vec![],
            html: String::new(),
            toc: vec![],
            ids: vec![],
            text: String::new(),
            private: false,
        }
    }

    #[test]
    fn a_section_body_reaches_its_own_pages_only() {
        let lib = Library {
            sections: vec![section(vec![0]), section(vec![1, 2])],
            ..Library::default()
        };
        assert_eq!(affected(&lib, &[ItemRef::Page(2)]), vec![ItemRef::Page(2)]);
        assert_eq!(
            affected(&lib, &[ItemRef::Section(1), ItemRef::Page(1)]),
            vec![ItemRef::Page(1), ItemRef::Page(2), ItemRef::Section(1)]
        );
    }
}
