//! The PDF Chromium wrote, read and corrected with a PDF library: its pages and named
//! destinations (where the book's chapters start), and its links, which Chromium makes from the
//! temporary `file://` site it printed. A printed link points to its target's published URL
//! (from the output plan), or inside the PDF where the target is printed in it; a link to
//! anything else (a private page, or any page when the base URL names no host) is taken off,
//! so that no link leads into a folder deleted after printing.

use crate::error::{Error, Result};
use lopdf::{Dictionary, Document, Object, ObjectId};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// What `rapport print` reads back from a PDF.
pub(super) struct PdfFacts {
    pub(super) pages: u32,
    /// Named destination (an element id that a link points to) → its page, from 1.
    pub(super) destinations: HashMap<String, u32>,
}

/// Where the links of a printed page lead.
pub(super) struct Targets<'a> {
    /// The `file://` URL of the folder the site was rendered into, with its trailing `/`.
    pub(super) site_url: &'a str,
    /// The printed page's output path (`book/`): its own fragments stay in the PDF.
    pub(super) printed: &'a str,
    /// The published URL of an output path (`why/cost/`), when it has one.
    pub(super) published: &'a dyn Fn(&str) -> Option<String>,
    /// The element of the printed page that shows an output path, when it is printed in it
    /// (the planner's sheet of a worksheet).
    pub(super) inside: &'a dyn Fn(&str) -> Option<String>,
}

/// What became of the links that led into the temporary site.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Settled {
    pub(super) internal: usize,
    pub(super) published: usize,
    pub(super) removed: usize,
}

pub(super) fn load(pdf: &Path) -> Result<Document> {
    Document::load(pdf).map_err(|e| unreadable(pdf, &e.to_string()))
}

fn unreadable(pdf: &Path, why: &str) -> Error {
    Error::refused(
        format!("the PDF `{}` could not be read back: {why}", pdf.display()),
        "print with Chromium or Chrome (pass --chromium PATH)",
    )
}

/// The pages and named destinations of `doc`.
pub(super) fn facts(doc: &Document) -> PdfFacts {
    let pages = doc.get_pages();
    let number: HashMap<ObjectId, u32> = pages.iter().map(|(n, id)| (*id, *n)).collect();
    let mut destinations = HashMap::new();
    let dests = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Dests").ok())
        .and_then(|d| doc.dereference(d).ok())
        .and_then(|(_, d)| d.as_dict().ok());
    for (name, dest) in dests.into_iter().flat_map(Dictionary::iter) {
        let page = deref(doc, dest)
            .and_then(|d| d.as_array().ok())
            .and_then(|a| a.first())
            .and_then(|p| p.as_reference().ok())
            .and_then(|p| number.get(&p));
        if let Some(&page) = page {
            destinations.insert(String::from_utf8_lossy(name).into_owned(), page);
        }
    }
    PdfFacts {
        pages: u32::try_from(pages.len()).unwrap_or(u32::MAX),
        destinations,
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> Option<&'a Object> {
    doc.dereference(o).ok().map(|(_, o)| o)
}

/// Points every link into the temporary site at its published URL or inside the PDF, takes
/// off the rest, and writes the PDF again.
pub(super) fn settle_links(pdf: &Path, targets: &Targets) -> Result<Settled> {
    let mut doc = load(pdf)?;
    let destinations = facts(&doc).destinations;
    let mut settled = Settled::default();
    let mut removed: HashSet<ObjectId> = HashSet::new();
    for (page, annot) in annotations(&doc) {
        let Some(dict) = doc
            .objects
            .get_mut(&annot)
            .and_then(|o| o.as_dict_mut().ok())
        else {
            continue;
        };
        let Some(uri) = link_uri(dict) else { continue };
        let Some(rest) = uri.strip_prefix(targets.site_url) else {
            continue;
        };
        let (path, fragment) = rest.split_once('#').unwrap_or((rest, ""));
        let path = crate::content::percent_decode(path);
        let path = path.strip_suffix("index.html").unwrap_or(&path);
        // A fragment of the printed page, or a page printed as a sheet of its own; a link to
        // the page it stands on (a sheet's title) leads to the published page instead.
        let name = if path == targets.printed {
            fragment.to_string()
        } else {
            (targets.inside)(path).unwrap_or_default()
        };
        match destinations.get(&name) {
            Some(&on) if on != page => {
                dict.set("A", go_to(&name));
                settled.internal += 1;
            }
            _ => match (targets.published)(path) {
                Some(url) if fragment.is_empty() => {
                    dict.set("A", uri_action(&url));
                    settled.published += 1;
                }
                Some(url) => {
                    dict.set("A", uri_action(&format!("{url}#{fragment}")));
                    settled.published += 1;
                }
                None => {
                    removed.insert(annot);
                    settled.removed += 1;
                }
            },
        }
    }
    if !removed.is_empty() {
        take_off(&mut doc, &removed);
    }
    doc.save(pdf).map_err(|e| Error::io("write", pdf, e))?;
    Ok(settled)
}

/// Every annotation of every page, as (page number from 1, annotation).
fn annotations(doc: &Document) -> Vec<(u32, ObjectId)> {
    let mut out = Vec::new();
    for (number, page) in doc.get_pages() {
        let annots = doc
            .get_dictionary(page)
            .and_then(|p| p.get(b"Annots"))
            .ok()
            .and_then(|a| deref(doc, a))
            .and_then(|a| a.as_array().ok());
        let ids = annots
            .into_iter()
            .flatten()
            .filter_map(|a| a.as_reference().ok());
        out.extend(ids.map(|id| (number, id)));
    }
    out
}

/// The URI of a link annotation's action, if it has one.
fn link_uri(annot: &Dictionary) -> Option<String> {
    let is_link = annot.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Link".as_ref());
    if !is_link {
        return None;
    }
    let action = annot.get(b"A").and_then(Object::as_dict).ok()?;
    let uri = action.get(b"URI").and_then(Object::as_str).ok()?;
    Some(String::from_utf8_lossy(uri).into_owned())
}

fn go_to(name: &str) -> Dictionary {
    let mut a = Dictionary::new();
    a.set("S", Object::Name(b"GoTo".to_vec()));
    a.set("D", Object::Name(name.as_bytes().to_vec()));
    a
}

fn uri_action(url: &str) -> Dictionary {
    let mut a = Dictionary::new();
    a.set("S", Object::Name(b"URI".to_vec()));
    a.set("URI", Object::string_literal(url));
    a
}

/// Takes the annotations `removed` off every page's `/Annots`.
fn take_off(doc: &mut Document, removed: &HashSet<ObjectId>) {
    let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
    for page in pages {
        let annots = match doc.get_dictionary(page).and_then(|p| p.get(b"Annots")) {
            Ok(Object::Reference(id)) => *id,
            Ok(Object::Array(_)) => page,
            _ => continue,
        };
        let keep = |o: &Object| !o.as_reference().is_ok_and(|id| removed.contains(&id));
        let array = if annots == page {
            doc.get_dictionary_mut(page)
                .and_then(|p| p.get_mut(b"Annots"))
                .and_then(Object::as_array_mut)
        } else {
            doc.get_object_mut(annots).and_then(Object::as_array_mut)
        };
        if let Ok(array) = array {
            array.retain(keep);
        }
    }
}
