//! Output guard for optimisations: the bundled handbook and a generated 2,000-page handbook
//! (the benchmark's own generator, `benches/build/corpus.rs`) must build byte for byte as the
//! checked-in digest lists in `tests/digests/` say. A change that is meant to alter the output
//! (a theme change, say) regenerates them with `RAPPORT_UPDATE_DIGESTS=1 cargo test --test
//! output_digests`, and the diff of the lists shows which files it touched.
//!
//! Beside them, the whole HTML of a few representative pages of a small fixture
//! (`tests/fixtures/snapshot`: a guide page with a link, a table and headings, a checklist, a
//! schedule) is kept as insta snapshots in `tests/snapshots/`, so that a change to a page reads
//! as a diff in review; `cargo insta test --test output_digests` then `cargo insta review`
//! updates them.

mod common;

#[path = "../benches/build/corpus.rs"]
#[allow(dead_code)]
mod corpus;

use common::Site;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// FNV-1a, 64 bits: enough to notice any change, and the same on every platform and Rust.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn digest_list(tree: &BTreeMap<String, Vec<u8>>) -> String {
    let mut out = String::new();
    for (path, bytes) in tree {
        writeln!(out, "{:016x} {:>8} {path}", fnv(bytes), bytes.len()).unwrap();
    }
    out
}

fn compare(name: &str, tree: &BTreeMap<String, Vec<u8>>) {
    let file = common::repo()
        .join("tests/digests")
        .join(format!("{name}.txt"));
    let actual = digest_list(tree);
    if std::env::var_os("RAPPORT_UPDATE_DIGESTS").is_some() {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (RAPPORT_UPDATE_DIGESTS=1 writes it)",
            file.display()
        )
    });
    if expected == actual {
        return;
    }
    let lines = |s: &str| -> BTreeMap<String, String> {
        s.lines()
            .filter_map(|l| {
                l.rsplit_once(' ')
                    .map(|(d, p)| (p.to_string(), d.to_string()))
            })
            .collect()
    };
    let (want, got) = (lines(&expected), lines(&actual));
    let mut diffs: Vec<String> = Vec::new();
    for (path, d) in &want {
        match got.get(path) {
            None => diffs.push(format!("missing: {path}")),
            Some(g) if g != d => diffs.push(format!("changed: {path}")),
            _ => {}
        }
    }
    diffs.extend(
        got.keys()
            .filter(|p| !want.contains_key(*p))
            .map(|p| format!("new: {p}")),
    );
    panic!(
        "{name}: {} files differ from {} (first 20):\n{}",
        diffs.len(),
        file.display(),
        diffs
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_bundled_handbook_builds_as_recorded() {
    let site = Site::bundled(common::TODAY, &[]);
    compare("bundled", &site.tree("public"));
}

#[test]
fn a_two_thousand_page_handbook_builds_as_recorded() {
    let site = Site::bare();
    corpus::generate(&site.root, 2000).expect("generate the corpus");
    site.build(&["--output", "public"]);
    compare("corpus-2000", &site.tree("public"));
}

/// The whole HTML of a guide page, a checklist and a schedule, built on a fixed date. The
/// version (which names the commit) is redacted; everything else is as written.
#[test]
fn representative_pages_build_as_recorded() {
    let site = Site::fixture("snapshot");
    site.build(&[]);
    let page = |rel: &str| common::redact(&site.output(rel), Some(&site.root));
    insta::assert_snapshot!("guide_page", page("guide/first-steps/index.html"));
    insta::assert_snapshot!("checklist_page", page("guide/habits/index.html"));
    insta::assert_snapshot!("schedule_page", page("guide/coffee/index.html"));
}
