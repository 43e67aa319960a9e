//! What templates see. Shared parts (config, navigation, each section's listing) are turned into
//! template values once per build and shared by reference-counted clones, never re-serialised
//! per page: the per-page cost stays constant however large the site grows.

use crate::config::Config;
use crate::content::{ItemRef, Library, Page, Section};
use crate::hash::HashMap;
use serde::Serialize;
use tera::{Context, Map, Value};

/// A link to a page or section, as listed in navigation.
#[derive(Serialize)]
struct Link<'a> {
    title: &'a str,
    url: String,
    description: &'a str,
    is_section: bool,
}

/// One node of the section tree shown in the sidebar (sections only: its size grows with the
/// number of sections, not pages).
#[derive(Serialize)]
struct NavNode<'a> {
    title: &'a str,
    url: String,
    path: &'a str,
    subsections: Vec<NavNode<'a>>,
}

pub struct SharedContext {
    /// Per section: its value as `section` (listing, intro, breadcrumbs of its pages).
    sections: Vec<Value>,
    /// Per section: the trail from the home page to it, included.
    trails: Vec<Value>,
    order_index: HashMap<ItemRef, usize>,
}

impl SharedContext {
    pub fn new(config: &Config, lib: &Library) -> SharedContext {
        let sections = (0..lib.sections.len())
            .map(|i| section_value(config, lib, i))
            .collect();
        let trails = (0..lib.sections.len())
            .map(|i| {
                let trail: Vec<Link> = lib
                    .ancestors(i)
                    .into_iter()
                    .map(|s| link(config, lib, ItemRef::Section(s)))
                    .collect();
                Value::from_serializable(&trail)
            })
            .collect();
        SharedContext {
            sections,
            trails,
            order_index: lib.order_index(),
        }
    }

    /// Values every template gets, set once as Tera's global context.
    pub fn globals(config: &Config, lib: &Library) -> Context {
        let mut ctx = Context::new();
        ctx.insert("config", &config.site);
        let nav: Vec<NavNode> = lib.sections[0]
            .subsections
            .iter()
            .map(|&s| nav_node(config, lib, s))
            .collect();
        ctx.insert("nav", &nav);
        ctx.insert("home_url", &config.site.base_path);
        ctx.insert("today", &config.today.format("%Y-%m-%d").to_string());
        ctx.insert("rapport_version", env!("CARGO_PKG_VERSION"));
        ctx
    }

    /// The context of page `index`, whose HTML is `html`.
    pub fn for_page(&self, config: &Config, lib: &Library, index: usize, html: &str) -> Context {
        let page = &lib.pages[index];
        let mut ctx = Context::new();
        let (prev, next) = self.neighbours(config, lib, ItemRef::Page(index));
        ctx.insert_value("page", page_value(config, page, html, prev, next));
        ctx.insert_value("section", self.sections[page.section].clone());
        ctx.insert_value("breadcrumbs", self.trails[page.section].clone());
        ctx.insert("current_path", &config.url(&page.path));
        if let Some(w) = super::worksheets::context_value(config, lib, index) {
            ctx.insert_value("worksheet", w);
        }
        ctx
    }

    pub fn for_section(&self, config: &Config, lib: &Library, index: usize) -> Context {
        let s = &lib.sections[index];
        let mut ctx = Context::new();
        ctx.insert_value("section", self.sections[index].clone());
        let parent_trail = match s.parent {
            Some(p) => self.trails[p].clone(),
            None => Value::from(Vec::<Value>::new()),
        };
        ctx.insert_value("breadcrumbs", parent_trail);
        let (prev, next) = self.neighbours(config, lib, ItemRef::Section(index));
        ctx.insert_value("prev", prev);
        ctx.insert_value("next", next);
        ctx.insert("current_path", &config.url(&s.path));
        ctx
    }

    fn neighbours(&self, config: &Config, lib: &Library, item: ItemRef) -> (Value, Value) {
        let Some(&i) = self.order_index.get(&item) else {
            return (Value::none(), Value::none());
        };
        let at = |j: Option<usize>| match j.and_then(|j| lib.order.get(j)) {
            Some(&other) => Value::from_serializable(&link(config, lib, other)),
            None => Value::none(),
        };
        (at(i.checked_sub(1)), at(Some(i + 1)))
    }
}

fn link<'a>(config: &'a Config, lib: &'a Library, item: ItemRef) -> Link<'a> {
    let (title, description) = match item {
        ItemRef::Page(i) => (
            lib.pages[i].title.as_str(),
            lib.pages[i].description.as_str(),
        ),
        ItemRef::Section(i) => {
            let s = &lib.sections[i];
            let title = if i == 0 && s.title.is_empty() {
                config.site.title.as_str()
            } else {
                s.title.as_str()
            };
            (title, s.description.as_str())
        }
    };
    Link {
        title,
        url: config.url(lib.path_of(item)),
        description,
        is_section: matches!(item, ItemRef::Section(_)),
    }
}

fn nav_node<'a>(config: &Config, lib: &'a Library, s: usize) -> NavNode<'a> {
    let sec = &lib.sections[s];
    let mut subs: Vec<usize> = lib
        .items(s)
        .into_iter()
        .filter_map(|i| match i {
            ItemRef::Section(c) => Some(c),
            ItemRef::Page(_) => None,
        })
        .collect();
    subs.dedup();
    NavNode {
        title: &sec.title,
        url: config.url(&sec.path),
        path: &sec.path,
        subsections: subs.into_iter().map(|c| nav_node(config, lib, c)).collect(),
    }
}

fn section_value(config: &Config, lib: &Library, index: usize) -> Value {
    let s: &Section = &lib.sections[index];
    // Each item's link is one value, shared (reference-counted) by `items` and by `pages` or
    // `subsections`: held for the whole build, the listings of 50,000 pages are 13 MB less.
    let items: Vec<(bool, Value)> = lib
        .items(index)
        .into_iter()
        .map(|i| {
            let is_section = matches!(i, ItemRef::Section(_));
            (is_section, Value::from_serializable(&link(config, lib, i)))
        })
        .collect();
    let listing = |sections: bool| {
        let links = items.iter().filter(|(s, _)| *s == sections);
        Value::from(links.map(|(_, v)| v.clone()).collect::<Vec<Value>>())
    };
    let (pages, subsections) = (listing(false), listing(true));
    let all: Vec<Value> = items.into_iter().map(|(_, v)| v).collect();
    let me = link(config, lib, ItemRef::Section(index));
    let mut map = Map::new();
    map.insert("title".into(), Value::from(me.title));
    map.insert("description".into(), Value::from(s.description.as_str()));
    map.insert("url".into(), Value::from(me.url.as_str()));
    map.insert("permalink".into(), Value::from(config.permalink(&s.path)));
    map.insert("path".into(), Value::from(s.path.as_str()));
    map.insert("content".into(), Value::safe_string(&s.html));
    map.insert("toc".into(), Value::from_serializable(&s.toc));
    map.insert("extra".into(), Value::from_serializable(&s.extra));
    map.insert("is_home".into(), Value::from(index == 0));
    map.insert("private".into(), Value::from(s.private));
    map.insert("pages".into(), pages);
    map.insert("subsections".into(), subsections);
    map.insert("items".into(), Value::from(all));
    Value::from(map)
}

/// What templates see as `page`. Serialised as one struct, so that its map is built once
/// (a `Map` turned into a `Value` is hashed again entry by entry).
#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    description: &'a str,
    url: String,
    permalink: String,
    path: &'a str,
    source: String,
    /// Safe HTML, passed through as a value.
    content: Value,
    toc: &'a [crate::markdown::TocEntry],
    weight: Option<i64>,
    draft: bool,
    private: bool,
    extra: &'a crate::value::Value,
    word_count: usize,
    prev: Value,
    next: Value,
}

fn page_value(config: &Config, p: &Page, html: &str, prev: Value, next: Value) -> Value {
    Value::from_serializable(&PageView {
        title: &p.title,
        description: &p.description,
        url: config.url(&p.path),
        permalink: config.permalink(&p.path),
        path: &p.path,
        source: p.source.to_string_lossy().replace('\\', "/"),
        content: Value::safe_string(html),
        toc: &p.toc,
        weight: p.weight,
        draft: p.draft,
        private: p.private,
        extra: &p.extra,
        word_count: p.word_count,
        prev,
        next,
    })
}
