//! `rapport print`: the planner as a PDF, printed by headless Chromium.
//!
//! The site is built into a temporary folder with a `file://` base URL, so that every
//! site-absolute link (styles, images) resolves on disk without a server; Chromium then prints
//! `planner/index.html` with the print CSS, and the PDF replaces the output file only once it
//! is complete.

mod pdf;

use crate::config::{BuildOptions, Config};
use crate::error::{Error, Result};
use crate::render::DirSink;
use crate::render::book;
use crate::site::Site;
use crate::{fs, plan};
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
    // Printed links point where the site is published: the handbook's own base URL.
    let published = Config::load(&opts.site)?;
    site.render_to(&DirSink(site_dir.clone()))?;

    let pdf = tmp.path().join("print.pdf");
    let (pages, passes) = if opts.book {
        print_book(&site, &site_dir, &browser, tmp.path(), &pdf)?
    } else {
        let page = site_dir.join(plan::PLANNER).join("index.html");
        run_browser(
            &browser,
            tmp.path(),
            &pdf,
            &format!("file://{}", page.display()),
        )?;
        (pdf::facts(&pdf::load(&pdf)?).pages, 1)
    };
    let printed = if opts.book { plan::BOOK } else { plan::PLANNER };
    let site_url = file_url(&site_dir)?;
    let published_url = |path: &str| site.plan.published_url(&published, path);
    // The planner prints each of its worksheets on a sheet `sheet-N`, in order.
    let sheets: std::collections::HashMap<&str, String> = match opts.book {
        true => Default::default(),
        false => (site.planner.worksheets.iter().enumerate())
            .map(|(i, &w)| {
                (
                    site.library.pages[w].path.as_str(),
                    format!("sheet-{}", i + 1),
                )
            })
            .collect(),
    };
    let sheet = |path: &str| sheets.get(path).cloned();
    let targets = pdf::Targets {
        site_url: &site_url,
        printed,
        published: &published_url,
        inside: &sheet,
    };
    pdf::settle_links(&pdf, &targets)?;
    // Written beside the output and renamed, so a reader never sees half a file.
    let partial = output.with_extension("pdf.partial");
    fs::copy(&pdf, &partial)?;
    std::fs::rename(&partial, &output).map_err(|e| Error::io("write", &output, e))?;
    Ok(Printed {
        output,
        worksheets: site.planner.worksheets.len(),
        weeks: site.planner.weeks,
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
    let file = site_dir.join(plan::BOOK).join("index.html");
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
        let read = pdf::facts(&pdf::load(pdf)?);
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
