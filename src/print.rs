//! `rapport print`: the planner as a PDF, printed by headless Chromium.
//!
//! The site is built into a temporary folder with a `file://` base URL, so that every
//! site-absolute link (styles, images) resolves on disk without a server; Chromium then prints
//! `planner/index.html` with the print CSS, and the PDF replaces the output file only once it
//! is complete.

use crate::config::BuildOptions;
use crate::error::{Error, Result};
use crate::render::DirSink;
use crate::render::book;
use crate::site::Site;
use crate::{fs, planner};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Browser names looked up on PATH, in order.
const BROWSERS: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// How long Chromium may take to print before it is stopped.
const PRINT_TIMEOUT: Duration = Duration::from_secs(180);

pub struct PrintOptions {
    pub site: BuildOptions,
    /// The PDF to write; default `planner.pdf` in the handbook folder.
    pub output: Option<PathBuf>,
    /// The browser to use instead of searching PATH.
    pub chromium: Option<PathBuf>,
    /// The whole handbook (`book/`) instead of the planner; default output `handbook.pdf`.
    pub book: bool,
}

pub struct Printed {
    pub output: PathBuf,
    pub worksheets: usize,
    pub weeks: u32,
    /// Pages of the PDF.
    pub pages: u32,
    /// How many times the book was printed to settle its page numbers (1 for the planner).
    pub passes: u32,
    pub elapsed: Duration,
}

/// A book whose page numbers have not settled after this many prints is printed as it stands.
const MAX_PASSES: u32 = 4;

pub fn print(opts: &PrintOptions) -> Result<Printed> {
    let start = Instant::now();
    let browser = find_browser(opts.chromium.as_deref())?;
    let output = fs::absolute(&opts.output.clone().unwrap_or_else(|| {
        opts.site.root.join(if opts.book {
            "handbook.pdf"
        } else {
            "planner.pdf"
        })
    }));
    if let Some(parent) = output.parent()
        && !parent.is_dir()
    {
        return Err(Error::refused(
            format!("the folder of `{}` does not exist", output.display()),
            "create it first, or pass another --output",
        ));
    }
    let tmp = tempfile::Builder::new()
        .prefix("rapport-print-")
        .tempdir()
        .map_err(|e| Error::io("create a temporary folder in", &std::env::temp_dir(), e))?;
    let site_dir = tmp.path().join("site");
    let mut build = opts.site.clone();
    build.base_url = Some(file_url(&site_dir)?);
    build.output = Some(site_dir.clone());
    let mut site = Site::load(&build)?;
    let plan = planner::resolve(&site.config, &site.library).map_err(Error::content)?;
    site.render_to(&DirSink(site_dir.clone()))?;

    let pdf = tmp.path().join("print.pdf");
    let (pages, passes) = if opts.book {
        print_book(&site, &site_dir, &browser, tmp.path(), &pdf)?
    } else {
        let page = site_dir.join(crate::plan::PLANNER).join("index.html");
        run_browser(
            &browser,
            tmp.path(),
            &pdf,
            &format!("file://{}", page.display()),
        )?;
        (read_pdf(&pdf)?.pages, 1)
    };
    // Written beside the output and renamed, so a reader never sees half a file.
    let partial = output.with_extension("pdf.partial");
    fs::copy(&pdf, &partial)?;
    std::fs::rename(&partial, &output).map_err(|e| Error::io("write", &output, e))?;
    Ok(Printed {
        output,
        worksheets: plan.worksheets.len(),
        weeks: plan.weeks,
        pages,
        passes,
        elapsed: start.elapsed(),
    })
}

/// Prints `book/` until its table of contents names the pages the chapters start on: the first
/// print finds them (read back from the PDF's named destinations), the next prints them, and
/// one more print confirms nothing moved. Returns the PDF's pages and the number of prints.
fn print_book(
    site: &Site,
    site_dir: &Path,
    browser: &Path,
    tmp: &Path,
    pdf: &Path,
) -> Result<(u32, u32)> {
    let file = site_dir.join(crate::plan::BOOK).join("index.html");
    let mut numbers = book::Numbers::default();
    for pass in 1..=MAX_PASSES {
        let failed = |e| {
            Error::refused(
                format!("the template `book.html` failed: {e}"),
                "fix the template, or remove your copy to use the built-in one",
            )
        };
        let html = site.book(&numbers).map_err(failed)?;
        let written = fs::write_from(&file, &|out| html.write_to(out));
        if let Some(e) = html.failure() {
            return Err(failed(e));
        }
        written?;
        run_browser(browser, tmp, pdf, &format!("file://{}", file.display()))?;
        let read = read_pdf(pdf)?;
        let found: book::Numbers = numbers
            .keys()
            .chain(read.destinations.keys())
            .filter(|a| a.starts_with("book-"))
            .filter_map(|a| Some((a.clone(), *read.destinations.get(a)?)))
            .collect();
        if found == numbers || pass == MAX_PASSES {
            return Ok((read.pages, pass));
        }
        numbers = found;
    }
    unreachable!("the loop returns at its last pass")
}

/// What `rapport print` reads back from the PDF Chromium wrote.
struct PdfFacts {
    pages: u32,
    /// Named destination (an element id that a link points to) → its page, from 1.
    destinations: std::collections::HashMap<String, u32>,
}

/// Reads the page tree and the named destinations of a PDF written by Chromium (Skia), whose
/// dictionaries are plain text outside the compressed streams.
fn read_pdf(pdf: &Path) -> Result<PdfFacts> {
    let bytes = std::fs::read(pdf).map_err(|e| Error::io("read", pdf, e))?;
    let text = String::from_utf8_lossy(&bytes);
    parse_pdf(&text).ok_or_else(|| {
        Error::refused(
            format!("the PDF `{}` could not be read back", pdf.display()),
            "print with Chromium or Chrome (pass --chromium PATH)",
        )
    })
}

fn parse_pdf(text: &str) -> Option<PdfFacts> {
    let object = |n: u32| -> Option<&str> {
        let head = format!("\n{n} 0 obj\n");
        let start = text.find(&head)? + head.len();
        let end = text[start..].find("endobj")? + start;
        Some(&text[start..end])
    };
    let reference = |dict: &str, key: &str| -> Option<u32> {
        let at = dict.find(&format!("{key} "))? + key.len() + 1;
        dict[at..].split_whitespace().next()?.parse().ok()
    };
    let catalog_at = text.find("/Type /Catalog")?;
    let catalog_start = text[..catalog_at].rfind(" 0 obj")?;
    let catalog = &text[catalog_start..];
    let catalog = &catalog[..catalog.find("endobj")?];
    // The page tree, in order: Skia nests /Pages nodes a few kids wide.
    let mut pages: Vec<u32> = Vec::new();
    let mut stack = vec![reference(catalog, "/Pages")?];
    let mut seen = 0;
    while let Some(n) = stack.pop() {
        seen += 1;
        if seen > 1_000_000 {
            return None;
        }
        let obj = object(n)?;
        if obj.contains("/Type /Pages") {
            let kids = obj.split("/Kids [").nth(1)?.split(']').next()?;
            let refs: Vec<u32> = kids
                .split(" 0 R")
                .filter_map(|k| k.trim().parse().ok())
                .collect();
            stack.extend(refs.into_iter().rev());
        } else {
            pages.push(n);
        }
    }
    let mut destinations = std::collections::HashMap::new();
    if let Some(dests) = reference(catalog, "/Dests").and_then(object) {
        for entry in dests.split('/').skip(1) {
            // `name [12 0 R /XYZ …]`: the name, then the page's object number.
            let Some((name, rest)) = entry.split_once(" [") else {
                continue;
            };
            let Some(page) = rest.split_whitespace().next().and_then(|p| p.parse().ok()) else {
                continue;
            };
            if let Some(i) = pages.iter().position(|&p| p == page) {
                destinations.insert(name.trim().to_string(), i as u32 + 1);
            }
        }
    }
    Some(PdfFacts {
        pages: u32::try_from(pages.len()).ok()?,
        destinations,
    })
}

/// `--chromium PATH`, or the first known browser on PATH.
fn find_browser(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(path) = given {
        return if path.is_file() {
            Ok(path.to_path_buf())
        } else {
            Err(Error::refused(
                format!("--chromium `{}` is not a file", path.display()),
                "pass the path of a Chromium or Chrome executable",
            ))
        };
    }
    let dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    BROWSERS
        .iter()
        .flat_map(|name| dirs.iter().map(move |d| d.join(name)))
        .find(|p| is_executable(p))
        .ok_or_else(|| {
            Error::refused(
                format!(
                    "no Chromium or Chrome found to print with (looked for {} on PATH)",
                    BROWSERS.join(", ")
                ),
                "install Chromium (Debian/Ubuntu: `sudo apt install chromium`, Fedora: `sudo dnf install chromium`, macOS: `brew install --cask chromium`), or pass --chromium PATH",
            )
        })
}

fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        p.metadata()
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// `file:///tmp/x/site/` for a folder whose path needs no escaping in a URL.
fn file_url(dir: &Path) -> Result<String> {
    let s = dir.to_string_lossy().replace('\\', "/");
    let plain = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-~:".contains(c));
    if !plain {
        return Err(Error::refused(
            format!("the temporary folder `{s}` has characters that cannot appear in a link"),
            "set TMPDIR to a folder whose path has only letters, digits, `/`, `.`, `_` and `-`",
        ));
    }
    let s = if s.starts_with('/') {
        s
    } else {
        format!("/{s}")
    };
    Ok(format!("file://{}/", s.trim_end_matches('/')))
}

fn run_browser(browser: &Path, tmp: &Path, pdf: &Path, url: &str) -> Result<()> {
    let mut cmd = Command::new(browser);
    cmd.arg("--headless")
        .arg("--disable-gpu")
        .arg("--no-first-run")
        .arg("--no-default-browser-check")
        .arg("--disable-background-networking")
        .arg("--disable-component-update")
        .arg("--disable-sync")
        .arg("--disable-extensions")
        .arg("--no-pdf-header-footer")
        // Bookmarks from the headings: sections, pages, weeks.
        .arg("--generate-pdf-document-outline")
        .arg(format!("--user-data-dir={}", tmp.join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()));
    if running_as_root() {
        // Chromium refuses to start its sandbox as root (containers, CI).
        cmd.arg("--no-sandbox");
    }
    let mut child = cmd
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::io("start", browser, e))?;
    // Read stderr on the side, so a chatty browser never blocks on a full pipe.
    let reader = child.stderr.take().map(|mut err| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut err, &mut text);
            text
        })
    });
    let started = Instant::now();
    let status = loop {
        match child
            .try_wait()
            .map_err(|e| Error::io("wait for", browser, e))?
        {
            Some(status) => break status,
            None if started.elapsed() > PRINT_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::refused(
                    format!(
                        "`{}` did not finish printing within {} s",
                        browser.display(),
                        PRINT_TIMEOUT.as_secs()
                    ),
                    "try again, or pass another browser with --chromium PATH",
                ));
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    };
    let stderr = reader.and_then(|r| r.join().ok()).unwrap_or_default();
    let is_pdf = std::fs::read(pdf).is_ok_and(|b| b.starts_with(b"%PDF"));
    if status.success() && is_pdf {
        return Ok(());
    }
    let tail: Vec<&str> = stderr.lines().rev().take(5).collect();
    let tail: Vec<&str> = tail.into_iter().rev().collect();
    Err(Error::refused(
        format!(
            "`{}` did not print ({status}){}",
            browser.display(),
            if tail.is_empty() {
                String::new()
            } else {
                format!(":\n  {}", tail.join("\n  "))
            }
        ),
        "check that the browser starts (`chromium --headless --version`), or pass another with --chromium PATH",
    ))
}

fn running_as_root() -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
    }
    #[cfg(not(unix))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls() {
        assert_eq!(
            file_url(Path::new("/tmp/rapport-print-x/site")).unwrap(),
            "file:///tmp/rapport-print-x/site/"
        );
        assert!(file_url(Path::new("/tmp/my files/site")).is_err());
    }

    #[test]
    fn missing_browser_says_how_to_install() {
        let e = find_browser(Some(Path::new("/nonexistent/chromium"))).unwrap_err();
        assert!(e.to_string().contains("is not a file"));
    }
}
