//! Worksheets as a reader meets them: built pages for every kind, computed due dates and
//! statuses, escaping, links, drafts and ordering.

mod common;

use common::Site;
use common::html::text_of;

/// The worksheets fixture, built on `today`.
fn worksheets(today: &str) -> Site {
    let site = Site::fixture("worksheets");
    site.build_on(today, &[]);
    site
}

/// The `<tr>…</tr>` of the table row whose text contains `needle`.
fn row<'a>(html: &'a str, needle: &str) -> &'a str {
    html.split("<tr")
        .map(|r| r.split("</tr>").next().unwrap_or(""))
        .find(|r| r.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle}"))
}

#[test]
fn every_kind_renders_with_its_own_template() {
    let site = worksheets("2026-03-04");
    for (path, kind, title) in [
        (
            "plan/people/index.html",
            "stakeholders",
            "People &lt;map&gt;",
        ),
        ("plan/habits/index.html", "checklist", "Habits"),
        ("plan/blocks/index.html", "schedule", "Networking calendar"),
        ("plan/log/index.html", "table", "Contribution log"),
    ] {
        let html = site.output(path);
        assert!(
            html.contains(&format!("worksheet worksheet-{kind}")),
            "{path} not rendered with the {kind} template"
        );
        assert!(html.contains(&format!("<h1>{title}</h1>")), "{path}");
        assert!(
            html.contains("planner.css"),
            "{path} lacks the worksheet styles"
        );
    }
}

#[test]
fn stakeholders_show_next_contact_and_status_against_the_build_date() {
    let site = worksheets("2026-03-04");
    let html = site.output("plan/people/index.html");
    // Weekly since 2 Feb: due 9 Feb, overdue on 4 March.
    let ada = text_of(row(&html, "Ada"));
    assert!(ada.contains("Mon 9 Feb 2026 Overdue"), "{ada}");
    // The logged coffee chat on 27 Feb resets the monthly clock: due 27 March.
    let grace = row(&html, "Grace");
    assert!(grace.contains(r#"<time datetime="2026-03-27">"#), "{grace}");
    assert!(grace.contains("badge-ok"), "{grace}");
    assert!(text_of(grace).contains("1 logged contact"), "{grace}");
    let linus = row(&html, "Linus");
    assert!(linus.contains(r#"datetime="2026-03-01""#) && linus.contains("badge-overdue"));
    // No cadence: nothing falls due, no mark.
    assert!(!row(&html, "Barbara").contains("badge"));
    let summary = html.split(r#"aria-label="Summary">"#).nth(1).unwrap();
    let summary = text_of(summary.split("</section>").next().unwrap());
    assert!(summary.starts_with("5 people · 3 overdue"), "{summary}");
    assert!(
        summary.contains("Mentor: 1") && summary.contains("HR: 1"),
        "{summary}"
    );

    // Three weeks later Grace is due this week (Friday 27 March from Wednesday 25 March).
    let later = worksheets("2026-03-25");
    let html = later.output("plan/people/index.html");
    assert!(row(&html, "Grace").contains("badge-due"));
    assert!(text_of(row(&html, "Grace")).contains("Due this week"));
}

#[test]
fn people_are_grouped_inside_and_outside_the_company() {
    let site = worksheets("2026-03-04");
    let html = site.output("plan/people/index.html");
    let inside = html.find(r#"id="inside""#).unwrap();
    let outside = html.find(r#"id="outside""#).unwrap();
    let unsorted = html.find(r#"id="unsorted""#).unwrap();
    let at = |name: &str| html.find(name).unwrap();
    assert!(inside < at("Ada") && at("Margaret") < outside);
    assert!(outside < at("Grace") && at("Linus") < unsorted);
    assert!(unsorted < at("Barbara"));
}

#[test]
fn worksheet_strings_are_escaped_and_markdown_fields_rendered() {
    let site = worksheets("2026-03-04");
    let people = site.output("plan/people/index.html");
    assert!(
        people.contains("Ada &lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || people.contains("Ada &lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert!(!people.contains("<script>alert"));
    assert!(people.contains("Replace the <strong>example rows</strong>"));
    assert!(people.contains("Prefers <em>short</em> updates."));
    let log = site.output("plan/log/index.html");
    assert!(
        log.contains("Shipped the &lt;b&gt;report&lt;"),
        "table cells are escaped"
    );
    assert!(!log.contains("<b>report"));
}

#[test]
fn links_to_and_from_worksheets_resolve() {
    let site = worksheets("2026-03-04");
    let home = site.output("index.html");
    assert!(
        home.contains(r#"href="/plan/people/""#),
        "Markdown link to a .yaml file"
    );
    assert!(
        home.contains(r#"href="/plan/blocks/#when""#),
        "fragment of a worksheet heading"
    );
    let guide = site.output("plan/guide/index.html");
    assert!(
        guide.contains(r#"href="/plan/log/""#),
        "link to a .yml file"
    );
    let people = site.output("plan/people/index.html");
    assert!(
        people.contains(r#"<a href="/plan/guide/">guide</a>"#),
        "link in an intro"
    );
    let habits = site.output("plan/habits/index.html");
    assert!(
        habits.contains(r#"<a href="/plan/people/">people map</a>"#),
        "link in notes"
    );
}

#[test]
fn worksheets_are_ordered_with_pages_by_weight() {
    let site = worksheets("2026-03-04");
    let section = site.output("plan/index.html");
    let main = section.split("<main").nth(1).unwrap();
    let positions: Vec<usize> = [
        "/plan/people/",
        "/plan/guide/",
        "/plan/habits/",
        "/plan/blocks/",
        "/plan/log/",
    ]
    .iter()
    .map(|u| {
        main.find(&format!(r#"href="{u}""#))
            .unwrap_or_else(|| panic!("{u} not listed"))
    })
    .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    // Previous / next follow the same order.
    let guide = site.output("plan/guide/index.html");
    assert!(text_of(&guide).contains("Previous People &lt;map&gt;"));
    assert!(text_of(&guide).contains("Next Habits"));
}

#[test]
fn checklist_items_have_check_boxes_grouped_by_cadence() {
    let site = worksheets("2026-03-04");
    let html = site.output("plan/habits/index.html");
    assert_eq!(html.matches(r#"type="checkbox""#).count(), 7);
    let order: Vec<usize> = [
        r#"id="weekly""#,
        r#"id="monthly""#,
        r#"id="quarterly""#,
        r#"id="yearly""#,
    ]
    .iter()
    .map(|g| html.find(g).unwrap())
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]));
    let text = text_of(&html);
    assert!(text.contains("Coffee chat Tuesday 08:00"), "{text}");
    // Weekdays and months capitalised, however the YAML wrote them.
    assert!(
        text.contains("Go to an industry event First Tuesday 18:00"),
        "{text}"
    );
}

#[test]
fn schedule_lists_next_occurrences_and_links_its_calendar() {
    let site = worksheets("2026-03-04");
    let html = site.output("plan/blocks/index.html");
    assert!(html.contains(r#"href="/plan/blocks/calendar.ics""#));
    let coffee = text_of(row(&html, "Coffee chat"));
    assert!(coffee.contains("Every week"), "{coffee}");
    assert!(coffee.contains("08:00–08:45 (45m)"), "{coffee}");
    assert!(
        coffee.contains("Tue 10 Mar 2026 Tue 17 Mar 2026 Tue 24 Mar 2026"),
        "{coffee}"
    );
    let event = text_of(row(&html, "Industry event"));
    assert!(event.contains("First Tuesday of every month"), "{event}");
    assert!(event.contains("from Tue 3 Mar 2026 , 6 times"), "{event}");
    assert!(
        event.contains("Tue 7 Apr 2026 Tue 5 May 2026 Tue 2 Jun 2026"),
        "{event}"
    );
    let review = text_of(row(&html, "Stakeholder review"));
    assert!(
        review.contains("Fri 27 Mar 2026 Fri 26 Jun 2026 Fri 25 Sep 2026"),
        "{review}"
    );
}

#[test]
fn tables_keep_column_order_widths_and_blank_rows() {
    let site = worksheets("2026-03-04");
    let html = site.output("plan/log/index.html");
    assert!(html.contains(r#"<col style="width: 15%">"#));
    let mapped = text_of(row(&html, "Mentored"));
    assert_eq!(mapped, "2026-02-03 Mentored a new hire");
    assert_eq!(html.matches(r#"<tr class="blank-row">"#).count(), 3);
}

#[test]
fn draft_worksheets_are_left_out_unless_asked_for() {
    let files = [
        ("handbook.yaml", "title: T\n"),
        ("content/_index.md", "---\ntitle: Home\n---\nHi\n"),
        (
            "content/wip.yaml",
            "kind: checklist\ntitle: WIP\ndraft: true\nweekly: [a]\n",
        ),
    ];
    let site = Site::with_files(&files);
    site.build_on("2026-03-04", &[]);
    assert!(!site.output_exists("wip/index.html"));
    site.run(&["build", "--drafts", "--output", "drafts"])
        .success();
    assert!(site.path("drafts/wip/index.html").exists());
}

#[test]
fn a_worksheet_without_title_is_named_after_its_file() {
    let site = Site::with_files(&[
        ("handbook.yaml", "title: T\n"),
        ("content/_index.md", "---\ntitle: Home\n---\nHi\n"),
        (
            "content/03-review-prep.yml",
            "kind: table\ncolumns: [Question, Answer]\n",
        ),
    ]);
    site.build_on("2026-03-04", &[]);
    let html = site.output("review-prep/index.html");
    assert!(html.contains("<h1>Review prep</h1>"), "{html}");
}

#[test]
fn the_bundled_handbook_has_its_worksheets() {
    let site = Site::bundled("2026-03-04", &[]);
    for (path, kind) in [
        ("people/stakeholder-map/index.html", "stakeholders"),
        ("time/networking-checklist/index.html", "checklist"),
        ("time/networking-calendar/index.html", "schedule"),
        ("visibility/contribution-log-template/index.html", "table"),
        ("visibility/review-preparation/index.html", "table"),
    ] {
        assert!(
            site.output(path).contains(&format!("worksheet-{kind}")),
            "{path}"
        );
    }
    let map = site.output("people/stakeholder-map/index.html");
    // The example people are labelled, and counted in no summary.
    assert_eq!(
        map.matches(r#"<span class="example-label">Example</span>"#)
            .count(),
        8
    );
    assert!(map.contains("<strong>0</strong> people"), "{map}");
    assert!(map.contains("8 examples to replace, not counted"));
    assert!(!map.contains("replace me"));
    assert!(
        site.output("people/index.html")
            .contains(r#"href="/people/stakeholder-map/""#)
    );
    assert!(
        site.output("time/index.html")
            .contains(r#"href="/time/networking-checklist/#yearly""#)
    );
    let ics = site.output("calendar.ics");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 5);
    assert!(ics.contains("RRULE:FREQ=MONTHLY;BYDAY=1TU"));
    let planner = site.output("planner/index.html");
    assert_eq!(
        planner
            .matches(r#"<section class="sheet sheet-worksheet"#)
            .count(),
        15
    );
    assert_eq!(
        planner
            .matches(r#"<section class="sheet sheet-week""#)
            .count(),
        13
    );
}

#[test]
fn the_stakeholder_grid_places_each_person_by_name_with_a_text_alternative() {
    let site = Site::with_files(&[
        ("handbook.yaml", "title: T\n"),
        ("content/_index.md", "---\ntitle: Home\n---\nHi\n"),
        (
            "content/map.yaml",
            "kind: stakeholders\npeople:\n  - name: Hana\n    influence: high\n    relationship: warm\n  - name: Lars\n    influence: low\n    relationship: new\n  - name: Noor\n",
        ),
        ("content/empty.yaml", "kind: stakeholders\n"),
    ]);
    site.build(&[]).success();
    let page = site.output("map/index.html");
    let svg = page
        .split("<svg")
        .nth(1)
        .unwrap()
        .split("</svg>")
        .next()
        .unwrap();
    // Hana in the high-influence row (top third), warm column (middle third).
    let at = |name: &str| -> (u32, u32) {
        let t = svg
            .split("<text ")
            .find(|t| t.contains(&format!(">{name}<")))
            .unwrap_or_else(|| panic!("{name} not in the grid: {svg}"));
        let num = |attr: &str| {
            t.split(&format!("{attr}=\""))
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        };
        (num("x"), num("y"))
    };
    let (hx, hy) = at("Hana");
    let (lx, ly) = at("Lars");
    assert!(hy < 160 && ly > 290, "rows: Hana {hy}, Lars {ly}");
    assert!(lx < hx && hx < 480, "columns: Lars {lx}, Hana {hx}");
    assert!(
        page.contains("High influence, warm relationship: Hana"),
        "text alternative"
    );
    assert!(page.contains("Low influence, new relationship: Lars"));
    assert!(page.contains("Not on the grid yet (no influence or relationship set): Noor."));
    // No people: the empty grid still prints, with its nine boxes.
    let empty = site.output("empty/index.html");
    assert_eq!(empty.matches("<rect ").count(), 9);
    assert!(
        site.output("planner/index.html")
            .contains(r#"class="sheet sheet-grid landscape""#)
    );
}
