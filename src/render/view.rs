//! What worksheet templates see as `worksheet`: the typed data plus what the build computes
//! from it (due dates, status against the build date, summaries, next occurrences).
//! Markdown fields (`intro`, `notes`) hold rendered HTML: print them with `| safe`.
//!
//! `live` is what the page's script needs to compute the dates again against the reader's today
//! (JSON, safe inside `<script type="application/json">`): without JavaScript, the build date's
//! values stay, marked "as of".

use crate::config::Config;
use crate::content::Page;
use crate::worksheet::view::{LiveItem, ViewAt};
use crate::worksheet::{Print, Worksheet};
use chrono::NaiveDate;
use serde::Serialize;

pub use crate::worksheet::view::{DateView, date};

/// Where the worksheet sits in the site, for links and the calendar file.
pub struct Place<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub url: String,
    pub source: String,
    /// URL of the schedule's `.ics` file.
    pub calendar_url: Option<String>,
    pub today: NaiveDate,
    /// Marked `private: true`, or in a private folder.
    pub private: bool,
}

/// Where a worksheet page sits, for its view.
pub fn place<'a>(config: &Config, page: &'a Page, w: &Worksheet) -> Place<'a> {
    Place {
        title: &page.title,
        description: &page.description,
        url: config.url(&page.path),
        source: page.source.to_string_lossy().replace('\\', "/"),
        calendar_url: w
            .data
            .has_calendar()
            .then(|| config.url(&crate::plan::calendar_file(page))),
        today: config.today,
        private: page.private,
    }
}

#[derive(Serialize)]
pub struct View<'a> {
    kind: &'static str,
    title: &'a str,
    description: &'a str,
    intro: &'a str,
    /// Printed instead of `intro` when set.
    print_intro: &'a str,
    /// Marked `private: true` (shown only because this run includes private worksheets).
    private: bool,
    url: String,
    source: String,
    print: &'a Print,
    /// JSON for worksheets.js: the build date and the dates it recomputes (empty for kinds
    /// without dates).
    live: String,
    /// The kind's own keys (see `WorksheetKind::view`).
    #[serde(flatten)]
    data: tera::Value,
}

pub fn view<'a>(w: &'a Worksheet, place: Place<'a>) -> View<'a> {
    let today = place.today;
    let live = live(w, today);
    let data = w.data.view(ViewAt {
        today,
        calendar_url: place.calendar_url,
    });
    View {
        kind: w.kind(),
        title: place.title,
        description: place.description,
        intro: w.header.intro.as_ref().map_or("", |m| m.html.as_str()),
        print_intro: w
            .header
            .print_intro
            .as_ref()
            .map_or("", |m| m.html.as_str()),
        private: place.private,
        url: place.url,
        source: place.source,
        print: &w.header.print,
        live,
        data,
    }
}

/// The JSON the page's script reads (see [`View::live`]).
fn live(w: &Worksheet, today: NaiveDate) -> String {
    use crate::search::json_string;
    let Some(live) = w.data.live(today) else {
        return String::new();
    };
    let iso = |d: NaiveDate| json_string(&crate::dates::iso(d));
    let items: Vec<String> = live
        .items
        .into_iter()
        .map(|item| match item {
            LiveItem::Nothing => "null".to_string(),
            LiveItem::Today => "\"today\"".to_string(),
            LiveItem::Date(d) => iso(d),
            LiveItem::Dates { complete, dates } => {
                let list: Vec<String> = dates.into_iter().map(iso).collect();
                format!("{{\"complete\":{complete},\"dates\":[{}]}}", list.join(","))
            }
        })
        .collect();
    format!(
        "{{\"today\":{},\"{}\":[{}]}}",
        iso(today),
        live.key,
        items.join(",")
    )
}

#[cfg(test)]
mod tests {
    //! A kind is one file: everything below is what a new kind writes (its typed data, its
    //! trait implementation, its registry line, its template), and nothing else is touched.
    //! The registry is a `const` list, so the test passes its own list to
    //! `worksheet::parse_with`, the same entry point `worksheet::parse` calls with `KINDS`.

    use super::{Place, view};
    use crate::error::Diagnostic;
    use crate::worksheet::view::ViewAt;
    use crate::worksheet::{
        Header, KINDS, Markdown, Registered, WorksheetKind, parse_with, worksheet_file,
    };
    use crate::yaml::{self, Node};
    use chrono::NaiveDate;
    use serde::Serialize;
    use std::path::Path;

    /// `kind: notes`: a list of things to remember, each with optional Markdown.
    #[derive(Debug, Serialize, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Note {
        text: String,
        more: Option<Markdown>,
    }

    #[derive(Debug)]
    struct Notes {
        notes: Vec<Note>,
    }

    worksheet_file!(File {
        notes: Vec<Note>,
    });

    const NOTES: Registered = Registered {
        name: "notes",
        parse,
    };

    fn parse(
        path: &Path,
        text: &str,
        node: &Node,
    ) -> Result<(Header, Box<dyn WorksheetKind>), Vec<Diagnostic>> {
        let mut f: File = yaml::decode(path, text, node)?;
        Ok((f.header(), Box::new(Notes { notes: f.notes })))
    }

    impl WorksheetKind for Notes {
        fn name(&self) -> &'static str {
            NOTES.name
        }
        fn template(&self) -> &'static str {
            "notes.html"
        }
        fn markdown(&self) -> Vec<&Markdown> {
            self.notes.iter().filter_map(|n| n.more.as_ref()).collect()
        }
        fn markdown_mut(&mut self) -> Vec<&mut Markdown> {
            self.notes
                .iter_mut()
                .filter_map(|n| n.more.as_mut())
                .collect()
        }
        fn search_text<'a>(&'a self, parts: &mut Vec<&'a str>) {
            parts.extend(self.notes.iter().map(|n| n.text.as_str()));
        }
        fn view(&self, _at: ViewAt) -> tera::Value {
            #[derive(Serialize)]
            struct NotesView<'a> {
                notes: &'a [Note],
            }
            tera::Value::from_serializable(&NotesView { notes: &self.notes })
        }
    }

    const TEMPLATE: &str = "{{ worksheet.kind }}: {{ worksheet.title }}\n\
        {% for n in worksheet.notes %}- {{ n.text }}{% if n.more %} ({{ n.more | safe }}){% endif %}\n{% endfor %}";

    #[test]
    fn a_new_kind_is_one_file_and_one_template() {
        let kinds: Vec<Registered> = KINDS.iter().copied().chain([NOTES]).collect();
        let text = "kind: notes\ntitle: Remember\nnotes:\n  - text: Call Ada\n    more: about *the* talk\n  - text: Book the room\n";
        let mut w = parse_with(&kinds, Path::new("n.yaml"), text).unwrap();
        assert_eq!((w.kind(), w.template()), ("notes", "notes.html"));
        assert_eq!(w.text(), "Call Ada Book the room");
        // What the build does once URLs are known: every Markdown field gets its HTML.
        for md in w.markdown_mut() {
            md.html = format!("<em>{}</em>", md.source);
        }
        let place = Place {
            title: "Remember",
            description: "",
            url: "/remember/".into(),
            source: "content/remember.yaml".into(),
            calendar_url: None,
            today: NaiveDate::MIN,
            private: false,
        };
        let mut ctx = tera::Context::new();
        ctx.insert("worksheet", &view(&w, place));
        let mut tera = tera::Tera::default();
        tera.add_raw_template("notes.html", TEMPLATE).unwrap();
        assert_eq!(
            tera.render("notes.html", &ctx).unwrap(),
            "notes: Remember\n- Call Ada (<em>about *the* talk</em>)\n- Book the room\n"
        );
        // Not registered, not known: the registry is the list of kinds.
        let e = parse_with(KINDS, Path::new("n.yaml"), text).unwrap_err();
        assert_eq!(e[0].message, "unknown value `notes` (at `kind`)");
        assert_eq!((e[0].line, e[0].col), (1, 7));
    }
}
