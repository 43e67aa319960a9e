//! One module per command, each the thin reporting layer over the library: it turns the
//! command's arguments into options, calls the library, and says what happened. This module holds
//! what they share: the terminal ([`Ui`]), the one diagnostic formatter, and the exit codes.

pub mod build;
pub mod check;
pub mod completions;
pub mod init;
pub mod man;
pub mod print;
pub mod serve;

use rapport::cli::ColorChoice;
use rapport::error::{Part, Severity};
use rapport::{Diagnostic, Error};
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};

/// Exit code of a failed command: 1 for problems in the handbook (the user fixes their files), 2
/// for a command that could not be carried out (a refusal, a failed file operation). Usage errors
/// exit with 2 from clap.
pub fn exit_code(e: &Error) -> u8 {
    match e {
        Error::Content(_) => 1,
        Error::Refused { .. } | Error::Io { .. } => 2,
    }
}

/// Where a command reports: stdout for what it did, stderr for diagnostics.
pub struct Ui {
    quiet: bool,
    color: bool,
    /// Set once stdout turned out to be a closed pipe (`rapport check | head -1`): the rest of
    /// the report is dropped, and the command still ends as it would have.
    stdout_closed: bool,
}

impl Ui {
    pub fn new(quiet: bool, color: ColorChoice) -> Ui {
        Ui {
            quiet,
            color: use_color(color, std::io::stderr().is_terminal(), |k| {
                std::env::var_os(k)
            }),
            stdout_closed: false,
        }
    }

    pub fn quiet(&self) -> bool {
        self.quiet
    }

    /// A line of the report on stdout, unless `--quiet`.
    pub fn say(&mut self, line: std::fmt::Arguments) {
        if !self.quiet {
            let mut text = line.to_string();
            text.push('\n');
            self.stdout(text.as_bytes());
        }
    }

    /// Bytes that are the command's product (a completion script, a man page): printed even
    /// with `--quiet`.
    pub fn stdout(&mut self, bytes: &[u8]) {
        if self.stdout_closed {
            return;
        }
        let mut out = std::io::stdout().lock();
        if let Err(e) = out.write_all(bytes).and_then(|()| out.flush()) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                self.stdout_closed = true;
            } else {
                // Nowhere left to report to but stderr; the command's result stands.
                let _ = writeln!(std::io::stderr(), "error: could not write to stdout: {e}");
                self.stdout_closed = true;
            }
        }
    }

    /// A warning on stderr (printed even with `--quiet`, like errors).
    pub fn warning(&self, d: &Diagnostic) {
        self.stderr(&diagnostic(d, self.color));
    }

    /// The error that stopped a command, on stderr.
    pub fn error(&self, e: &Error) {
        let paint = Paint(self.color);
        let mut text = String::new();
        match e {
            Error::Content(diags) => {
                for d in diags {
                    text.push_str(&diagnostic(d, self.color));
                    text.push('\n');
                }
                let n = diags.iter().filter(|d| d.is_error()).count();
                let _ = write!(text, "{n} error{} found", if n == 1 { "" } else { "s" });
            }
            Error::Refused { message, hint } => {
                let _ = write!(text, "{}: {message}", paint.error("error"));
                if let Some(h) = hint {
                    let _ = write!(text, "\n {}: {h}", paint.hint("hint"));
                }
            }
            other => {
                let _ = write!(text, "{}: {other}", paint.error("error"));
            }
        }
        text.push('\n');
        self.stderr(&text);
    }

    fn stderr(&self, text: &str) {
        // A closed stderr leaves no one to tell; never panic over it.
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
}

/// Whether to colour stderr. `auto` colours a terminal unless `NO_COLOR` is set to anything
/// non-empty (no-color.org) or `TERM` is `dumb`; the flag beats the environment.
fn use_color(
    choice: ColorChoice,
    terminal: bool,
    env: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            terminal
                && env("NO_COLOR").is_none_or(|v| v.is_empty())
                && env("TERM").is_none_or(|t| t != "dumb")
        }
    }
}

/// ANSI styles, or none.
#[derive(Clone, Copy)]
struct Paint(bool);

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn error(self, t: &str) -> String {
        self.wrap("1;31", t)
    }
    fn warning(self, t: &str) -> String {
        self.wrap("1;33", t)
    }
    fn level(self, level: Severity, t: &str) -> String {
        match level {
            Severity::Error => self.error(t),
            Severity::Warning | Severity::Unpublishable => self.warning(t),
        }
    }
    fn bold(self, t: &str) -> String {
        self.wrap("1", t)
    }
    fn gutter(self, t: &str) -> String {
        self.wrap("1;34", t)
    }
    fn hint(self, t: &str) -> String {
        self.wrap("1;36", t)
    }
}

/// The one place a diagnostic becomes text for the terminal. Without colour it is exactly
/// `Diagnostic`'s `Display` (with `warning:` for warnings), which `serve`'s browser overlay and
/// the tests read; with colour the same text, styled like rustc's.
pub fn diagnostic(d: &Diagnostic, color: bool) -> String {
    let p = Paint(color);
    d.render(&|part, text| match part {
        Part::Severity(level) => p.level(level, text),
        Part::Location => p.bold(text),
        Part::Gutter => p.gutter(text),
        Part::Hint => p.hint(text),
    })
}

/// `1 page`, `2 pages`.
pub fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Diagnostic> {
        vec![
            Diagnostic::new("a.md", "bad")
                .at("x\n\tkey: 1\n", 2, 3)
                .hint("fix it"),
            Diagnostic::new("b.yaml", "no line"),
            Diagnostic::new("c.md", "line only").at("one\ntwo\n", 2, 0),
        ]
    }

    #[test]
    fn plain_text_is_the_display_of_the_library() {
        for d in sample() {
            assert_eq!(diagnostic(&d, false), d.to_string());
            let w = d.clone().warning();
            assert_eq!(diagnostic(&w, false), w.to_string());
            assert!(w.to_string().starts_with("warning: "));
        }
    }

    #[test]
    fn colour_only_adds_escapes() {
        for d in sample() {
            let coloured = diagnostic(&d, true);
            assert!(coloured.contains("\x1b[1;31merror\x1b[0m"), "{coloured:?}");
            let mut stripped = String::new();
            let mut chars = coloured.chars();
            while let Some(c) = chars.next() {
                if c == '\x1b' {
                    chars.by_ref().find(|&c| c == 'm');
                } else {
                    stripped.push(c);
                }
            }
            assert_eq!(stripped, d.to_string());
        }
    }

    #[test]
    fn colour_choice() {
        use std::ffi::OsString;
        let none = |_: &str| None;
        let no_color = |k: &str| (k == "NO_COLOR").then(|| OsString::from("1"));
        let empty_no_color = |k: &str| (k == "NO_COLOR").then(OsString::new);
        let dumb = |k: &str| (k == "TERM").then(|| OsString::from("dumb"));
        assert!(use_color(ColorChoice::Auto, true, none));
        assert!(!use_color(ColorChoice::Auto, false, none));
        assert!(!use_color(ColorChoice::Auto, true, no_color));
        assert!(use_color(ColorChoice::Auto, true, empty_no_color));
        assert!(!use_color(ColorChoice::Auto, true, dumb));
        assert!(use_color(ColorChoice::Always, false, no_color));
        assert!(!use_color(ColorChoice::Never, true, none));
    }

    #[test]
    fn exit_codes() {
        assert_eq!(exit_code(&Error::content(vec![])), 1);
        assert_eq!(exit_code(&Error::refused("no", "why")), 2);
        let io = std::io::Error::other("disk");
        assert_eq!(
            exit_code(&Error::io("write", std::path::Path::new("x"), io)),
            2
        );
    }
}
