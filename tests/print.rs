//! `rapport print`: the planner through a real headless Chromium into a PDF, read back with
//! `pdfinfo`; and the errors when no browser can print.

mod worksheet_harness;

use std::path::Path;
use std::process::Command;
use worksheet_harness::{fixture, rapport};

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

fn print(root: &Path, pdf: &Path, today: &str) {
    let o = rapport(&[
        "print",
        "--root",
        root.to_str().unwrap(),
        "--output",
        pdf.to_str().unwrap(),
        "--today",
        today,
    ]);
    assert!(
        o.status.success(),
        "print failed:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
#[ignore = "needs chromium"]
fn the_pdf_has_one_sheet_per_worksheet_and_per_week() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = tmp.path().join("planner.pdf");
    // Four one-sheet worksheets, then four weeks.
    print(&fixture("worksheets"), &pdf, "2026-03-04");
    let info = pdfinfo(&pdf, 8);
    assert_eq!(page_count(&info), 4 + 4, "{info}");
    // The stakeholder map prints in landscape, the weeks on portrait A4.
    assert_eq!(page_size(&info, 1), (842, 595), "{info}");
    for n in 2..=8 {
        assert_eq!(page_size(&info, n), (595, 842), "{info}");
    }
}

#[test]
#[ignore = "needs chromium"]
fn a_year_planner_on_letter_paper() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = tmp.path().join("year.pdf");
    print(&fixture("planner-year"), &pdf, "2027-12-01");
    let info = pdfinfo(&pdf, 56);
    assert_eq!(page_count(&info), 4 + 52, "{info}");
    for n in 1..=56 {
        assert_eq!(page_size(&info, n), (612, 792), "page {n}: {info}");
    }
}

#[test]
fn without_a_browser_print_says_how_to_get_one() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = tmp.path().join("planner.pdf");
    let o = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["print", "--root"])
        .arg(fixture("worksheets"))
        .arg("--output")
        .arg(&pdf)
        .env("PATH", tmp.path())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("error: no Chromium or Chrome found to print with (looked for chromium, chromium-browser, google-chrome"), "{err}");
    assert!(
        err.contains("hint: install Chromium (Debian/Ubuntu: `sudo apt install chromium`"),
        "{err}"
    );
    assert!(err.contains("or pass --chromium PATH"), "{err}");
    assert!(!pdf.exists());
}

#[test]
fn a_browser_that_fails_leaves_no_pdf() {
    let tmp = tempfile::tempdir().unwrap();
    let pdf = tmp.path().join("planner.pdf");
    let fake = tmp.path().join("fake-chromium");
    std::fs::write(&fake, "#!/bin/sh\necho 'cannot open display' >&2\nexit 3\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let o = rapport(&[
        "print",
        "--root",
        fixture("worksheets").to_str().unwrap(),
        "--output",
        pdf.to_str().unwrap(),
        "--chromium",
        fake.to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("did not print the planner"), "{err}");
    assert!(
        err.contains("cannot open display"),
        "the browser's own words are shown: {err}"
    );
    assert!(!pdf.exists());
    let o = rapport(&[
        "print",
        "--root",
        fixture("worksheets").to_str().unwrap(),
        "--chromium",
        "/nonexistent/chrome",
    ]);
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("--chromium `/nonexistent/chrome` is not a file")
    );
}

#[test]
fn content_errors_stop_printing_before_the_browser_starts() {
    let dir = worksheet_harness::site(&[
        ("handbook.yaml", "title: T\n"),
        ("content/_index.md", "---\ntitle: Home\n---\nHi\n"),
        ("content/w.yaml", "kind: checklist\nweekly: 3\n"),
    ]);
    let o = rapport(&[
        "print",
        "--root",
        dir.path().to_str().unwrap(),
        "--chromium",
        "/bin/sh",
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("error: content/w.yaml:2:9: wrong type"),
        "{err}"
    );
    assert!(!dir.path().join("planner.pdf").exists());
}
