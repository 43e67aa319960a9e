//! `rapport print`: the planner through a real headless Chromium into a PDF, read back with
//! `pdfinfo`; and the errors when no browser can print.

mod common;

use common::{Site, stderr_of};
use insta::assert_snapshot;
use std::path::Path;
use std::process::Command;

/// `pdfinfo` fields of a PDF (all pages listed with -l).
fn pdfinfo(pdf: &Path, pages: u32) -> String {
    let o = Command::new("pdfinfo")
        .args(["-f", "1", "-l", &pages.to_string()])
        .arg(pdf)
        .output()
        .expect("pdfinfo (poppler-utils) is installed");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn page_count(info: &str) -> u32 {
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("a page count")
}

/// Width and height of page `n`, in points, rounded.
fn page_size(info: &str, n: u32) -> (u32, u32) {
    let line = info
        .lines()
        .find(|l| l.contains(" size:") && l.split_whitespace().nth(1) == Some(&n.to_string()))
        .unwrap_or_else(|| panic!("no size of page {n}:\n{info}"));
    let nums: Vec<f64> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    (nums[1].round() as u32, nums[2].round() as u32)
}

/// `rapport print` of the site on `today` into `planner.pdf`, which must succeed; the PDF's path.
fn print(site: &Site, today: &str) -> std::path::PathBuf {
    let pdf = site.path("planner.pdf");
    site.run(&["print", "--output", pdf.to_str().unwrap(), "--today", today])
        .success();
    pdf
}

#[test]
#[ignore = "needs chromium"]
fn the_pdf_has_one_sheet_per_worksheet_and_per_week() {
    // A cover, four one-sheet worksheets and the stakeholder grid, then four weeks.
    let site = Site::fixture("worksheets");
    let pdf = print(&site, "2026-03-04");
    let info = pdfinfo(&pdf, 10);
    assert_eq!(page_count(&info), 1 + 4 + 1 + 4, "{info}");
    // The stakeholder map and its grid print in landscape, the rest on portrait A4.
    assert_eq!(page_size(&info, 2), (842, 595), "{info}");
    assert_eq!(page_size(&info, 3), (842, 595), "{info}");
    for n in [1, 4, 5, 6, 7, 8, 9, 10] {
        assert_eq!(page_size(&info, n), (595, 842), "{info}");
    }
}

#[test]
#[ignore = "needs chromium"]
fn a_year_planner_on_letter_paper() {
    let site = Site::fixture("planner-year");
    let pdf = print(&site, "2027-12-01");
    let info = pdfinfo(&pdf, 58);
    assert_eq!(page_count(&info), 1 + 4 + 1 + 52, "{info}");
    // Letter paper; the stakeholder grid (sheet 5) in landscape.
    for n in 1..=58 {
        let size = if n == 5 { (792, 612) } else { (612, 792) };
        assert_eq!(page_size(&info, n), size, "page {n}: {info}");
    }
}

#[test]
fn without_a_browser_print_says_how_to_get_one() {
    let site = Site::fixture("worksheets");
    let pdf = site.path("planner.pdf");
    // A PATH holding only an empty folder: no browser to be found.
    let empty = site.path("empty");
    std::fs::create_dir(&empty).unwrap();
    let run = site.run_with_env(
        &["print", "--output", pdf.to_str().unwrap()],
        &[("PATH", empty.to_str().unwrap())],
    );
    assert_snapshot!(stderr_of(&run.failure(2)), @"
    error: no Chromium or Chrome found to print with (looked for chromium, chromium-browser, google-chrome, google-chrome-stable on PATH)
     hint: install Chromium (Debian/Ubuntu: `sudo apt install chromium`, Fedora: `sudo dnf install chromium`, macOS: `brew install --cask chromium`), or pass --chromium PATH
    ");
    assert!(!pdf.exists());
}

#[test]
fn a_browser_that_fails_leaves_no_pdf() {
    let site = Site::fixture("worksheets");
    let pdf = site.path("planner.pdf");
    let fake = site.path("fake-chromium");
    std::fs::write(&fake, "#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let run = site.run(&[
        "print",
        "--output",
        pdf.to_str().unwrap(),
        "--chromium",
        fake.to_str().unwrap(),
    ]);
    // The browser's own words are shown.
    assert_snapshot!(stderr_of(&run.failure(2)), @"
    error: `[ROOT]/fake-chromium` did not print (exit status: 3):
      cannot open display
     hint: check that the browser starts (`chromium --headless --version`), or pass another with --chromium PATH
    ");
    assert!(!pdf.exists());
    let run = site.run(&["print", "--chromium", "/nonexistent/chrome"]);
    assert_snapshot!(stderr_of(&run), @"
    error: --chromium `/nonexistent/chrome` is not a file
     hint: pass the path of a Chromium or Chrome executable
    ");
}

#[test]
fn content_errors_stop_printing_before_the_browser_starts() {
    let site = Site::with_files(&[
        ("handbook.yaml", "title: T\n"),
        ("content/_index.md", "---\ntitle: Home\n---\nHi\n"),
        ("content/w.yaml", "kind: checklist\nweekly: 3\n"),
    ]);
    let run = site.run(&["print", "--chromium", "/bin/sh"]);
    assert_snapshot!(stderr_of(&run), @"
    error: content/w.yaml:2:9: wrong type: expected a list (`- item` lines), found the number `3` (at `weekly`)
     2 | weekly: 3
       |         ^

    1 error found
    ");
    assert!(!site.path("planner.pdf").exists());
}

/// Every link annotation of a PDF: `Ok(name)` for a jump inside it, `Err(uri)` for a URI.
fn pdf_links(pdf: &Path) -> Vec<Result<String, String>> {
    use lopdf::Object;
    let doc = lopdf::Document::load(pdf).expect("a PDF lopdf reads");
    let dests = doc
        .catalog()
        .and_then(|c| c.get(b"Dests"))
        .and_then(|d| doc.dereference(d))
        .and_then(|(_, d)| d.as_dict())
        .expect("named destinations");
    let mut links = Vec::new();
    for page in doc.get_pages().into_values() {
        let Ok(annots) = doc.get_dictionary(page).and_then(|p| p.get(b"Annots")) else {
            continue;
        };
        let annots = doc.dereference(annots).unwrap().1.as_array().unwrap();
        for annot in annots {
            let annot = doc.dereference(annot).unwrap().1.as_dict().unwrap();
            if annot.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Link".as_ref()) {
                continue;
            }
            // A jump is `/Dest name`, or an action: `/A << /S /GoTo /D name >>` or a URI.
            let action = annot.get(b"A").and_then(Object::as_dict).ok();
            let uri = action.and_then(|a| a.get(b"URI").ok()).map(Object::as_str);
            let name = (annot.get(b"Dest").ok())
                .or_else(|| action.and_then(|a| a.get(b"D").ok()))
                .map(Object::as_name);
            links.push(match (uri, name) {
                (Some(Ok(uri)), _) => Err(String::from_utf8_lossy(uri).into_owned()),
                (_, Some(Ok(name))) => {
                    assert!(dests.has(name), "a jump to a missing destination");
                    Ok(String::from_utf8_lossy(name).into_owned())
                }
                _ => panic!("a link that is neither a URI nor a named jump: {annot:?}"),
            });
        }
    }
    links
}

/// Links on paper lead where the handbook is published, or inside the PDF; never into the
/// temporary folder the site was printed from, and never to a private page.
#[test]
#[ignore = "needs chromium"]
fn printed_links_lead_to_the_published_site_or_inside_the_pdf() {
    let site = Site::fixture("worksheets");
    site.write(
        "handbook.yaml",
        &std::fs::read_to_string(site.path("handbook.yaml"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with("base_url"))
            .chain(["base_url: \"https://example.org/hb/\""])
            .collect::<Vec<_>>()
            .join("\n"),
    );
    site.write(
        "content/secret.md",
        "---\ntitle: Secret\nprivate: true\n---\n\nHidden.\n",
    );
    let pdf = site.path("out.pdf");
    for book in [false, true] {
        let mut args = vec![
            "print",
            "--today",
            "2026-03-04",
            "--output",
            pdf.to_str().unwrap(),
        ];
        if book {
            args.push("--book");
        }
        site.run(&args).success();
        let links = pdf_links(&pdf);
        let (inside, uris): (Vec<_>, Vec<_>) = links.into_iter().partition(Result::is_ok);
        let uris: Vec<String> = uris.into_iter().filter_map(Result::err).collect();
        for uri in &uris {
            assert!(
                uri.starts_with("https://example.org/hb/") && !uri.contains("/secret/"),
                "{uri} (book: {book})"
            );
        }
        assert!(!inside.is_empty(), "no jump inside the PDF (book: {book})");
        if !book {
            // Each sheet's title leads to its page on the site.
            assert!(uris.len() >= 4, "{uris:?}");
        }
    }
}
