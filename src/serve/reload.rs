//! The live-reload channel: the site being served, the state of the last build, and the
//! messages sent to every open tab over its WebSocket.
//!
//! The served files, the last error and the list of listening tabs sit behind one lock, so a
//! tab never hears "reload" before the build it would reload into is the one being served.
//! Every message is one JSON object in one WebSocket message, so no text in it (a CR in an
//! error, say) can split it in two.

use super::store::Store;
use crate::search::json_string;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

/// Where the injected script connects its WebSocket (same origin, so any allowed host name or
/// port works).
pub const LIVE_PATH: &str = "/__rapport/live";

/// One complete build, served as a whole and replaced as a whole.
pub struct Output {
    /// Output path (`why/cost/index.html`) → bytes.
    pub files: Store,
    /// Identifies this build: `<server start>-<build number>`. Pages carry it, so a tab that
    /// connects after a newer build was swapped in knows at once that it is stale.
    pub id: String,
}

/// What a finished rebuild tells the open tabs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Only stylesheets differ: swap them without reloading the page.
    Css,
    /// Anything else: reload.
    Reload,
    /// The output is byte for byte the same: tell nobody.
    Nothing,
}

struct State {
    output: Arc<Output>,
    /// The text of the last build's error, shown as an overlay until a build succeeds.
    error: Option<String>,
    /// What the last good build had that a published build refuses, shown over its pages.
    unpublishable: Option<String>,
    tabs: Vec<UnboundedSender<Arc<str>>>,
    builds: u64,
}

pub struct Live {
    epoch: u128,
    state: Mutex<State>,
    /// Told to every tab on connecting: the editor URL pattern for the overlay's file links
    /// (empty: links copy the location) and the handbook folder the paths are relative to.
    editor: String,
    root: String,
}

impl Live {
    pub fn new() -> Live {
        Live::with_editor("", "")
    }

    pub fn with_editor(editor: &str, root: &str) -> Live {
        let epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        Live {
            epoch,
            state: Mutex::new(State {
                output: Arc::new(Output {
                    files: Store::new(),
                    id: format!("{epoch}-0"),
                }),
                error: None,
                unpublishable: None,
                tabs: Vec::new(),
                builds: 0,
            }),
            editor: editor.to_string(),
            root: root.to_string(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The build being served now.
    pub fn output(&self) -> Arc<Output> {
        self.lock().output.clone()
    }

    /// Serves a new build and tells every tab what to do about it.
    pub fn publish(&self, files: Store) -> Change {
        let mut st = self.lock();
        let recovering = st.error.take().is_some();
        let change = match diff(&st.output.files, &files) {
            // A tab showing an error overlay must lose it, whatever changed.
            _ if recovering => Change::Reload,
            c => c,
        };
        if change == Change::Nothing {
            return change;
        }
        st.builds += 1;
        let id = format!("{}-{}", self.epoch, st.builds);
        st.output = Arc::new(Output {
            files,
            id: id.clone(),
        });
        let kind = match change {
            Change::Css => "css",
            _ => "reload",
        };
        send_all(&mut st.tabs, message(&[("type", kind), ("build", &id)]));
        change
    }

    /// Sets what the build about to be published has that a published build refuses (`None`:
    /// nothing). Tabs are told when they connect, so call it before [`Live::publish`], whose
    /// reload makes them connect again.
    pub fn set_unpublishable(&self, text: Option<String>) {
        self.lock().unpublishable = text;
    }

    /// Keeps serving the last good build and shows `text` on every open page.
    pub fn publish_error(&self, text: &str) {
        let mut st = self.lock();
        st.error = Some(text.to_string());
        send_all(&mut st.tabs, error_message(text));
    }

    /// Registers a tab. The first messages tell it which build is current and any error.
    pub fn subscribe(&self) -> (Vec<Arc<str>>, UnboundedReceiver<Arc<str>>) {
        let mut st = self.lock();
        let (tx, rx) = unbounded_channel();
        st.tabs.push(tx);
        let mut first = vec![message(&[
            ("type", "hello"),
            ("build", &st.output.id),
            ("editor", &self.editor),
            ("root", &self.root),
        ])];
        if let Some(e) = &st.error {
            first.push(error_message(e));
        } else if let Some(w) = &st.unpublishable {
            first.push(message(&[
                ("type", "build-warnings"),
                ("text", w.trim_end()),
            ]));
        }
        (first, rx)
    }

    /// How many tabs are listening (tabs that went away are noticed at the next message).
    pub fn tabs(&self) -> usize {
        self.lock().tabs.len()
    }
}

impl Default for Live {
    fn default() -> Self {
        Live::new()
    }
}

/// Drops tabs that went away while sending.
fn send_all(tabs: &mut Vec<UnboundedSender<Arc<str>>>, message: Arc<str>) {
    tabs.retain(|t| t.send(message.clone()).is_ok());
}

fn error_message(text: &str) -> Arc<str> {
    message(&[("type", "build-error"), ("text", text.trim_end())])
}

/// One message: a JSON object of string fields.
pub fn message(fields: &[(&str, &str)]) -> Arc<str> {
    let mut s = String::from("{");
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&json_string(k));
        s.push(':');
        s.push_str(&json_string(v));
    }
    s.push('}');
    s.into()
}

/// What differs between two builds, decided on the output itself: a stylesheet edit that
/// changed nothing else swaps styles, anything else reloads. Files shared by both builds compare
/// by pointer first (`Arc`'s equality does), so a rebuild of one page costs no byte comparison
/// of the others.
fn diff(old: &Store, new: &Store) -> Change {
    let changed = new
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, _)| k)
        .chain(old.keys().filter(|k| !new.contains_key(*k)));
    let mut any = false;
    for path in changed {
        if !path.ends_with(".css") {
            return Change::Reload;
        }
        any = true;
    }
    if any { Change::Css } else { Change::Nothing }
}

/// The script the server adds to every HTML response, never written by `rapport build`.
const SCRIPT: &str = include_str!("live.js");

/// The reload script element for pages of build `build_id`.
pub fn script(build_id: &str) -> String {
    format!(
        "<script data-rapport-live-reload>\n{}</script>\n",
        SCRIPT.replace("BUILD_ID", build_id)
    )
}

/// Adds the reload script before the last `</body>` (any case), or at the end if there is none.
pub fn inject(html: &[u8], build_id: &str) -> Vec<u8> {
    let script = script(build_id);
    let at = html
        .windows(7)
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_written_by_the_one_json_writer() {
        assert_eq!(
            &*message(&[("type", "build-error"), ("text", "<b>\"x\"\u{2028}")]),
            r#"{"type":"build-error","text":"\u003cb>\"x\"\u2028"}"#
        );
    }

    fn map(entries: &[(&str, &str)]) -> Store {
        entries
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    super::super::store::Stored::new(k, v.as_bytes()),
                )
            })
            .collect()
    }

    #[test]
    fn diff_tells_css_from_the_rest() {
        let a = map(&[("index.html", "a"), ("rapport.css", "x")]);
        assert_eq!(diff(&a, &a), Change::Nothing);
        let css = map(&[("index.html", "a"), ("rapport.css", "y")]);
        assert_eq!(diff(&a, &css), Change::Css);
        let html = map(&[("index.html", "b"), ("rapport.css", "y")]);
        assert_eq!(diff(&a, &html), Change::Reload);
        let gone = map(&[("rapport.css", "x")]);
        assert_eq!(diff(&a, &gone), Change::Reload);
    }

    #[test]
    fn messages_are_one_json_object_whatever_the_text() {
        let m = message(&[
            ("type", "build-error"),
            ("text", "a\rb\n\"c\" \\ \0 \u{2028}"),
        ]);
        assert_eq!(
            &*m,
            r#"{"type":"build-error","text":"a\rb\n\"c\" \\ \u0000 \u2028"}"#
        );
        assert!(!m.contains(['\r', '\n', '\0']));
    }

    #[test]
    fn injects_before_the_last_body_end() {
        let out = inject(b"<body><p>x</p></BODY></html>", "1-1");
        let s = String::from_utf8(out).unwrap();
        let script = s.find("<script data-rapport-live-reload>").unwrap();
        assert!(script > s.find("<p>x</p>").unwrap());
        assert!(script < s.find("</BODY>").unwrap());
        assert!(s.contains(r#"var build = "1-1""#));
        let bare = String::from_utf8(inject(b"<p>x</p>", "1-1")).unwrap();
        assert!(bare.starts_with("<p>x</p><script"));
    }

    #[test]
    fn recovery_reloads_and_new_tabs_see_errors() {
        let live = Live::new();
        live.publish(map(&[("index.html", "a")]));
        live.publish_error("error: content/a.md:1:1: bad");
        let (first, _rx) = live.subscribe();
        assert_eq!(
            &*first[1],
            r#"{"type":"build-error","text":"error: content/a.md:1:1: bad"}"#
        );
        // The same output again after an error still reloads, to clear the overlay.
        assert_eq!(live.publish(map(&[("index.html", "a")])), Change::Reload);
        let (first, _rx) = live.subscribe();
        assert_eq!(first.len(), 1);
        assert!(first[0].starts_with(r#"{"type":"hello","build":""#));
    }
}

#[cfg(test)]
mod overlay {
    //! The overlay's colours, read from the script itself: every text colour on every
    //! background it is shown on meets WCAG AA (4.5:1), in light and in dark.

    fn colours(scheme: &str) -> Vec<(String, String)> {
        let css = super::SCRIPT;
        let at = match scheme {
            "light" => css.find(".panel{--bg").unwrap(),
            _ => css.find("prefers-color-scheme:dark").unwrap(),
        };
        let block = &css[at..];
        let block = &block[..block.find('}').unwrap()];
        block
            .split(['{', ';'])
            .filter_map(|d| d.trim().strip_prefix("--"))
            .filter_map(|d| d.split_once(':'))
            .map(|(k, v)| (k.to_string(), v.trim().to_string()))
            .collect()
    }

    fn luminance(hex: &str) -> f64 {
        let hex = hex.trim_start_matches('#');
        let channel = |i: usize| {
            let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn text_meets_aa_contrast_in_light_and_dark() {
        for scheme in ["light", "dark"] {
            let c = colours(scheme);
            let get = |k: &str| {
                c.iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| panic!("{scheme}: no --{k}"))
            };
            for (fg, bg) in [
                ("fg", "bg"),
                ("title", "bg"),
                ("fg", "code-bg"),
                ("link", "code-bg"),
                ("link", "bg"),
            ] {
                let ratio = contrast(&get(fg), &get(bg));
                assert!(ratio >= 4.5, "{scheme}: --{fg} on --{bg} is {ratio:.2}:1");
            }
        }
    }

    #[test]
    fn the_panel_is_opaque_and_its_text_selectable() {
        let css = super::SCRIPT;
        assert!(css.contains("background:var(--bg)"));
        assert!(css.contains("user-select:text"));
        for scheme in ["light", "dark"] {
            for (k, v) in colours(scheme) {
                assert!(
                    v.len() == 7 && v.starts_with('#'),
                    "{scheme}: --{k}: {v} is not opaque"
                );
            }
        }
    }
}
