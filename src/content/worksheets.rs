//! Worksheet files as pages: read with their shared keys standing in for front matter, and
//! their Markdown fields rendered with links resolved like a page's.

use super::collect::{Parsed, title_from_name};
use super::front_matter::FrontMatter;
use super::links::{ExternalLink, LinkCheck, Resolver};
use super::{Page, PageKind};
use crate::error::Diagnostic;
use crate::fs;
use crate::markdown::{self, LinkSite};
use crate::worksheet::{self, Worksheet};
use std::path::Path;

/// What pass 3 produced for one source.
pub(super) enum Rendered {
    Page(markdown::Rendered),
    /// One result per Markdown field, in `Worksheet::markdown_mut` order.
    Worksheet(Vec<markdown::Rendered>),
}

/// The URL segment a file gives: its name without the extension.
pub(super) fn page_stem(name: &str) -> &str {
    [".md", ".yaml", ".yml"]
        .iter()
        .find_map(|ext| name.strip_suffix(ext))
        .unwrap_or(name)
}

pub(super) fn read(root: &Path, rel: &Path) -> Result<Parsed, Vec<Diagnostic>> {
    let text = fs::read_text(&root.join(rel)).map_err(|d| vec![d.relative_to(root)])?;
    let w = worksheet::parse(rel, &text)?;
    let name = super::collect::file_name(rel);
    let fm = FrontMatter {
        title: Some(
            w.header
                .title
                .clone()
                .unwrap_or_else(|| title_from_name(page_stem(&name))),
        ),
        description: w.header.description.clone(),
        weight: w.header.weight,
        draft: w.header.draft,
        private: w.header.private,
        ..Default::default()
    };
    Ok(Parsed {
        text,
        body_offset: 0,
        fm,
        worksheet: Some(w),
    })
}

type Output = (Rendered, Vec<LinkCheck>, Vec<Diagnostic>, Vec<ExternalLink>);

/// Renders every Markdown field. Link problems point at the link in the YAML file: the field is
/// found by its first line, the link by its destination after that.
pub(super) fn render(resolver: &Resolver, source: &Path, text: &str, w: &Worksheet) -> Output {
    let mut found = super::links::Found::default();
    let mut fields = Vec::new();
    let lines = crate::error::Lines::new(text);
    for md in w.markdown() {
        let first_line = md.source.lines().map(str::trim).find(|l| !l.is_empty());
        let field_at = first_line.and_then(|l| text.find(l)).unwrap_or(0);
        let r = markdown::render(&md.source, false, &mut |site: LinkSite| {
            let at = text[field_at..]
                .find(site.dest)
                .map_or(field_at, |i| field_at + i);
            let here = LinkSite {
                dest: site.dest,
                offset: 0,
                is_image: site.is_image,
            };
            let written = super::links::Written {
                source,
                lines: &lines,
                body_offset: at,
            };
            resolver.resolve(&written, here, &mut found)
        });
        fields.push(r);
    }
    let super::links::Found {
        checks,
        errs,
        external,
    } = found;
    (Rendered::Worksheet(fields), checks, errs, external)
}

/// Stores the rendered fields; the intro becomes the page's content.
pub(super) fn store(page: &mut Page, fields: Vec<markdown::Rendered>) {
    let PageKind::Worksheet(w) = &mut page.kind else {
        return;
    };
    let has_intro = w.header.intro.is_some();
    for (i, (md, r)) in w.markdown_mut().into_iter().zip(fields).enumerate() {
        md.html = r.html;
        md.text = r.text;
        if has_intro && i == 0 {
            // Headings of the intro can be linked to, like a page's.
            (page.toc, page.ids) = (r.toc, r.ids);
        }
    }
    if let Some(intro) = &w.header.intro {
        page.html.clone_from(&intro.html);
    }
    page.ids.extend(w.anchors());
    page.text = w.text();
}
