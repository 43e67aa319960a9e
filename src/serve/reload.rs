//! The live-reload channel: the site being served, the state of the last build, and the
//! Server-Sent Events sent to every open tab.
//!
//! The served files, the last error and the list of listening tabs sit behind one lock, so a
//! tab never hears "reload" before the build it would reload into is the one being served.

use crate::render::Files;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard};

/// Where the injected script listens (same origin, so any host name or port works).
pub const EVENTS_PATH: &str = "/__rapport/events";

/// One complete build, served as a whole and replaced as a whole.
pub struct Output {
    /// Output path (`why/cost/index.html`) → bytes.
    pub files: Files,
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
    tabs: Vec<Sender<String>>,
    builds: u64,
}

pub struct Live {
    epoch: u128,
    state: Mutex<State>,
}

impl Live {
    pub fn new() -> Live {
        let epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        Live {
            epoch,
            state: Mutex::new(State {
                output: Arc::new(Output {
                    files: Files::new(),
                    id: format!("{epoch}-0"),
                }),
                error: None,
                tabs: Vec::new(),
                builds: 0,
            }),
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
    pub fn publish(&self, files: Files) -> Change {
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
        let event = match change {
            Change::Css => "css",
            _ => "reload",
        };
        send_all(&mut st.tabs, frame(event, &id));
        change
    }

    /// Keeps serving the last good build and shows `text` on every open page.
    pub fn publish_error(&self, text: &str) {
        let mut st = self.lock();
        st.error = Some(text.to_string());
        send_all(&mut st.tabs, frame("build-error", text));
    }

    /// Registers a tab. The first frames tell it which build is current and any error.
    pub fn subscribe(&self) -> (String, Receiver<String>) {
        let mut st = self.lock();
        let (tx, rx) = channel();
        st.tabs.push(tx);
        let mut first = String::from("retry: 1000\n");
        first.push_str(&frame("hello", &st.output.id));
        if let Some(e) = &st.error {
            first.push_str(&frame("build-error", e));
        }
        (first, rx)
    }
}

impl Default for Live {
    fn default() -> Self {
        Live::new()
    }
}

/// Drops tabs that went away while sending.
fn send_all(tabs: &mut Vec<Sender<String>>, frame: String) {
    tabs.retain(|t| t.send(frame.clone()).is_ok());
}

/// One Server-Sent Event. Each line of the data gets its own `data:` field, which the browser
/// joins with newlines again.
pub fn frame(event: &str, data: &str) -> String {
    let mut s = format!("event: {event}\n");
    for line in data.trim_end_matches('\n').split('\n') {
        s.push_str("data: ");
        s.push_str(line.trim_end_matches('\r'));
        s.push('\n');
    }
    s.push('\n');
    s
}

/// What differs between two builds, decided on the output itself: a stylesheet edit that
/// changed nothing else swaps styles, anything else reloads. Files shared by both builds compare
/// by pointer first (`Arc`'s equality does), so a rebuild of one page costs no byte comparison
/// of the others.
fn diff(old: &Files, new: &Files) -> Change {
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
const SCRIPT: &str = r#"<script data-rapport-live-reload>
(function () {
  var build = "BUILD_ID", overlay = null;
  function hide() { if (overlay) { overlay.remove(); overlay = null; } }
  function show(text) {
    hide();
    overlay = document.createElement("div");
    overlay.id = "rapport-error";
    overlay.setAttribute("role", "alert");
    overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;background:#18181b;cursor:pointer;color:#fafafa;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace";
    var title = document.createElement("p");
    title.style.cssText = "margin:0 0 1rem;font-weight:bold;color:#fca5a5";
    title.textContent = "rapport could not build the site. Underneath is the last good build (click to see it); this goes away once the error is fixed.";
    var pre = document.createElement("pre");
    pre.style.cssText = "margin:0;white-space:pre-wrap";
    pre.textContent = text;
    overlay.append(title, pre);
    overlay.addEventListener("click", hide);
    document.body.appendChild(overlay);
  }
  function swapCss() {
    document.querySelectorAll('link[rel~="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      url.searchParams.set("rapport-reload", Date.now());
      link.href = url.href;
    });
  }
  var events = new EventSource("/__rapport/events");
  events.addEventListener("hello", function (e) { if (e.data !== build) location.reload(); });
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("css", function (e) { build = e.data; hide(); swapCss(); });
  events.addEventListener("build-error", function (e) { show(e.data); });
})();
</script>
"#;

/// Adds the reload script before the last `</body>` (any case), or at the end if there is none.
pub fn inject(html: &[u8], build_id: &str) -> Vec<u8> {
    let script = SCRIPT.replace("BUILD_ID", build_id);
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

    fn map(entries: &[(&str, &str)]) -> Files {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_bytes().into()))
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
    fn frames_split_lines() {
        assert_eq!(
            frame("build-error", "a\nb\n"),
            "event: build-error\ndata: a\ndata: b\n\n"
        );
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
        assert!(first.contains("event: build-error\ndata: error: content/a.md:1:1: bad\n"));
        // The same output again after an error still reloads, to clear the overlay.
        assert_eq!(live.publish(map(&[("index.html", "a")])), Change::Reload);
        let (first, _rx) = live.subscribe();
        assert!(!first.contains("build-error"));
    }
}
