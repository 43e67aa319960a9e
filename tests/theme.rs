//! Theming: the built-in theme, a site theme in `themes/<name>/`, single-template overrides in
//! `templates/`, static files, and template errors located in the template file.

mod common;
use common::{Site, stderr_of};
use insta::assert_snapshot;

#[test]
fn a_site_template_overrides_one_template_of_the_theme() {
    let site = Site::fixture("basic");
    site.write("templates/page.html", "MINE {{ page.title }}");
    site.build(&[]);
    assert_eq!(
        site.output("career/hr/index.html"),
        "MINE HR and leadership development"
    );
    // Sections still use the theme's templates.
    assert!(
        site.output("career/index.html")
            .contains("<article class=\"section\">")
    );
}

#[test]
fn an_override_can_extend_the_original() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        "{% extends \"builtin/page.html\" %}{% block title %}Custom: {{ page.title }}{% endblock title %}",
    );
    site.build(&[]);
    let html = site.output("career/hr/index.html");
    assert!(
        html.contains("<title>Custom: HR and leadership development</title>"),
        "{html}"
    );
    assert!(html.contains("<h2 id=\"first-meeting\">"), "{html}");
}

#[test]
fn an_override_of_a_partial_can_include_the_original() {
    let site = Site::fixture("basic");
    site.write(
        "templates/partials/prevnext.html",
        "<div class=\"mine\">{% include \"builtin/partials/prevnext.html\" %}</div>",
    );
    site.build(&[]);
    let html = site.output("career/hr/index.html");
    let mine = html.find("<div class=\"mine\">").expect("the override");
    assert!(html[mine..].contains("<nav class=\"prev-next\""), "{html}");
}

#[test]
fn a_site_theme_is_used_when_named() {
    let site = Site::fixture("basic");
    site.write("handbook.yaml", "title: T\ntheme: plain\n");
    site.write("themes/plain/templates/page.html", "PLAIN {{ page.title }}");
    site.write("themes/plain/static/plain.css", "body { color: black }\n");
    site.build(&[]);
    assert_eq!(
        site.output("career/hr/index.html"),
        "PLAIN HR and leadership development"
    );
    assert_eq!(site.output("plain.css"), "body { color: black }\n");
    // What the theme leaves out comes from the built-in theme.
    assert!(
        site.output("career/index.html")
            .contains("<article class=\"section\">")
    );
    assert!(site.output_exists("rapport.css"));
}

#[test]
fn site_templates_win_over_the_site_theme() {
    let site = Site::fixture("basic");
    site.write("handbook.yaml", "title: T\ntheme: plain\n");
    site.write("themes/plain/templates/page.html", "PLAIN");
    site.write("templates/page.html", "SITE");
    site.build(&[]);
    assert_eq!(site.output("career/hr/index.html"), "SITE");
}

#[test]
fn a_missing_theme_is_an_error_at_the_theme_key() {
    let site = Site::fixture("basic");
    site.write("handbook.yaml", "title: T\ntheme: fancy\n");
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: handbook.yaml:2:8: theme `fancy` not found
     2 | theme: fancy
       |        ^
     hint: create `themes/fancy/templates/`, or use `theme: default`

    1 error found
    ");
}

#[test]
fn a_template_syntax_error_names_the_template_and_line() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        "<p>\n{% if page.title %}x{% endfor %}\n</p>\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: templates/page.html:2:24: Unknown tag
     2 | {% if page.title %}x{% endfor %}
       |                        ^
     hint: see the theming guide in the README for the variables each template receives

    1 error found
    ");
}

#[test]
fn an_unknown_filter_names_the_template_and_line() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        "<p>\n{{ page.title | shout }}\n</p>\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: templates/page.html:2:17: Unknown filter `shout`
     2 | {{ page.title | shout }}
       |                 ^
     hint: see the theming guide in the README for the variables each template receives

    1 error found
    ");
}

#[test]
fn overriding_the_section_template_leaves_the_home_page_working() {
    let site = Site::fixture("basic");
    site.write("templates/section.html", "SECTION {{ section.title }}");
    site.build(&[]);
    assert_eq!(site.output("career/index.html"), "SECTION Career");
    assert!(
        site.output("index.html")
            .contains("<title>Test Handbook</title>")
    );
}

#[test]
fn a_syntax_error_in_a_site_theme_names_its_file() {
    let site = Site::fixture("basic");
    site.write("handbook.yaml", "title: T\ntheme: plain\n");
    site.write(
        "themes/plain/templates/page.html",
        "{% if page.title %}\nno end\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: themes/plain/templates/page.html:3:1: Unexpected end of input
     hint: see the theming guide in the README for the variables each template receives

    1 error found
    ");
}

#[test]
fn an_unknown_variable_names_the_template_and_line() {
    let site = Site::fixture("basic");
    site.write(
        "templates/page.html",
        "<h1>{{ page.title }}</h1>\n<p>{{ page.subtitle }}</p>\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: templates/page.html:2:12: Field `subtitle` is not defined. Available fields: content, description, draft, extra, next, path, permalink, prev, private, source, title, toc, url, weight, word_count
     2 | <p>{{ page.subtitle }}</p>
       |            ^
     hint: see the theming guide in the README for the variables each template receives

    1 error found
    ");
}

#[test]
fn check_reports_template_runtime_errors_too() {
    let site = Site::fixture("basic");
    site.write("templates/section.html", "{{ nope }}");
    assert_snapshot!(stderr_of(&site.check_fails()), @"
    error: templates/section.html:1:4: Variable `nope` is not defined. Available variables: breadcrumbs, config, current_path, home_url, nav, next, prev, rapport_version, section, sidebar, today
     1 | {{ nope }}
       |    ^
     hint: see the theming guide in the README for the variables each template receives

    1 error found
    ");
}

#[test]
fn a_page_can_name_its_template() {
    let site = Site::fixture("basic");
    site.write("templates/wide.html", "WIDE {{ page.title }}");
    site.write(
        "content/career/notes.md",
        "---\ntitle: Notes\ntemplate: wide.html\n---\n",
    );
    site.build(&[]);
    assert_eq!(site.output("career/notes/index.html"), "WIDE Notes");
}

#[test]
fn a_page_can_name_the_built_in_template_under_a_site_override() {
    let site = Site::fixture("basic");
    site.write("templates/page.html", "MINE {{ page.title }}");
    site.write(
        "content/career/notes.md",
        "---\ntitle: Notes\ntemplate: builtin/page.html\n---\nHello.\n",
    );
    site.build(&[]);
    assert!(
        site.output("career/notes/index.html")
            .contains("<h1>Notes</h1>")
    );
    assert_eq!(
        site.output("career/hr/index.html"),
        "MINE HR and leadership development"
    );
}

#[test]
fn a_missing_page_template_is_an_error_at_the_page() {
    let site = Site::fixture("basic");
    site.write(
        "content/career/notes.md",
        "---\ntitle: Notes\ntemplate: wide.html\n---\n",
    );
    assert_snapshot!(stderr_of(&site.build_fails()), @"
    error: content/career/notes.md:3:11: template `wide.html` not found
     3 | template: wide.html
       |           ^
     hint: put it in `templates/`, or name one of the theme's templates such as `page.html`

    1 error found
    ");
}

#[test]
fn static_files_are_copied_and_override_the_theme() {
    let site = Site::fixture("basic");
    site.write("static/css/extra.css", "a {}\n");
    site.write("static/rapport.css", "/* mine */\n");
    site.build(&[]);
    assert_eq!(site.output("css/extra.css"), "a {}\n");
    assert_eq!(site.output("rapport.css"), "/* mine */\n");
    assert!(site.output("favicon.svg").contains("<svg"));
}
