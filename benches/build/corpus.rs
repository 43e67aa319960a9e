//! A deterministic synthetic handbook for benchmarks: N pages in sections of ~100, each page
//! 2–5 KB of Markdown with headings, lists, a table, task lists and relative links (70 % within
//! its section), an `_index.md` per section and one stakeholder worksheet per section — the same
//! shape as `../shared/bench/gen_corpus.py --format handbook`, written by our own code.

use std::fmt::Write as _;
use std::path::Path;

/// splitmix64: small, fast and good enough to vary synthetic prose.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const TOPICS: &[&str] = &[
    "preparing for your annual review",
    "asking for a raise",
    "running an informational interview",
    "writing a development plan",
    "finding a mentor",
    "switching teams internally",
    "working with an external recruiter",
    "negotiating a job offer",
    "managing up with a new supervisor",
    "networking at conferences",
    "building a work portfolio",
    "a first career conversation with HR",
    "keeping a brag document",
    "mapping your stakeholders",
    "preparing a promotion case",
    "using a sponsor",
    "planning a sabbatical",
    "changing industries",
];
const H2: &[&str] = &[
    "Why this matters",
    "Before you start",
    "Step by step",
    "Common pitfalls",
    "Questions to ask",
    "A worked example",
    "What good looks like",
    "After the meeting",
    "Who to involve",
    "Checklist",
];
const ACTORS: &[&str] = &[
    "your supervisor",
    "your mentor",
    "the HR partner",
    "a recruiter",
    "a career consultant",
    "a trusted peer",
    "your sponsor",
    "the hiring manager",
];
const OBJECTS: &[&str] = &[
    "development plan",
    "promotion case",
    "list of achievements",
    "feedback log",
    "stakeholder map",
    "career timeline",
    "quarterly objectives",
];
const TIMES: &[&str] = &[
    "before the meeting",
    "every quarter",
    "after each project",
    "during your one-to-one",
    "once a month",
    "within two days",
];
const ROLES: &[&str] = &[
    "hr",
    "supervisor",
    "recruiter",
    "career-consultant",
    "mentor",
    "peer",
    "sponsor",
    "other",
];
const CADENCES: &[&str] = &["weekly", "biweekly", "monthly", "quarterly", "yearly"];
const NAMES: &[&str] = &[
    "Alex Berg",
    "Sam Okafor",
    "Priya Patel",
    "Jonas Novak",
    "Mei Chen",
    "Carlos Silva",
    "Aisha Haddad",
];

fn sentence(r: &mut Rng) -> String {
    match r.below(4) {
        0 => format!(
            "Start by writing down what you want from {} and keep it short.",
            r.pick(ACTORS)
        ),
        1 => format!(
            "It helps to review your {} {}, even if nothing has changed.",
            r.pick(OBJECTS),
            r.pick(TIMES)
        ),
        2 => format!(
            "Ask {} which parts of your *{}* matter most to them.",
            r.pick(ACTORS),
            r.pick(OBJECTS)
        ),
        _ => format!(
            "Share the draft with {} {} and ask for **one** thing to change.",
            r.pick(ACTORS),
            r.pick(TIMES)
        ),
    }
}

fn title(r: &mut Rng) -> String {
    let t = r.pick(TOPICS);
    let mut c = t.chars();
    let first = c
        .next()
        .map(|f| f.to_uppercase().collect::<String>())
        .unwrap_or_default();
    format!("{first}{}", c.as_str())
}

/// Writes the corpus into `out` (which must not exist) and returns the number of pages.
pub fn generate(out: &Path, pages: usize) -> std::io::Result<usize> {
    let sections = pages.div_ceil(100).max(1);
    std::fs::create_dir_all(out.join("content"))?;
    std::fs::write(
        out.join("handbook.yaml"),
        "title: \"Benchmark Handbook\"\nbase_url: \"https://handbook.example.org\"\n",
    )?;
    std::fs::write(
        out.join("content/_index.md"),
        "---\ntitle: \"Benchmark Handbook\"\n---\n\nA synthetic handbook.\n",
    )?;
    let sizes: Vec<usize> = (0..sections)
        .map(|s| pages / sections + usize::from(s < pages % sections))
        .collect();
    for (s, &size) in sizes.iter().enumerate() {
        let dir = out.join(format!("content/s{}", s + 1));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join("_index.md"),
            format!(
                "---\ntitle: \"Section {}\"\nweight: {}\n---\n\nGuidance for section {}.\n",
                s + 1,
                s + 1,
                s + 1
            ),
        )?;
        for j in 0..size {
            let mut r = Rng::new(((s as u64) << 32) ^ j as u64 ^ 0x5eed);
            std::fs::write(dir.join(format!("p{j:04}.md")), page(&mut r, s, j, &sizes))?;
        }
        let mut r = Rng::new(s as u64 ^ 0xc0ffee);
        std::fs::write(dir.join("contacts.yaml"), contacts(&mut r, s))?;
    }
    Ok(pages)
}

fn page(r: &mut Rng, s: usize, j: usize, sizes: &[usize]) -> String {
    let mut md = format!(
        "---\ntitle: \"{}\"\ndescription: \"{}\"\nweight: {}\n---\n\n",
        title(r),
        sentence(r).replace(['*', '"'], ""),
        j + 1
    );
    let target = 2000 + r.below(3000);
    let mut h = 0;
    while md.len() < target {
        let _ = writeln!(md, "## {}\n", H2[(h + j) % H2.len()]);
        h += 1;
        for _ in 0..2 + r.below(3) {
            md.push_str(&sentence(r));
            md.push(' ');
        }
        // A link: 70 % within the section, else anywhere.
        let ts = if r.chance(70) {
            s
        } else {
            r.below(sizes.len())
        };
        let tp = r.below(sizes[ts]);
        let href = if ts == s {
            format!("p{tp:04}.md")
        } else {
            format!("../s{}/p{tp:04}.md", ts + 1)
        };
        let _ = writeln!(md, "See [{}]({href}).\n", r.pick(TOPICS));
        match r.below(3) {
            0 => {
                for _ in 0..3 + r.below(3) {
                    let _ = writeln!(md, "- Update your {} {}", r.pick(OBJECTS), r.pick(TIMES));
                }
            }
            1 => {
                md.push_str("| Stakeholder | What they care about | How often |\n|---|---|---|\n");
                for _ in 0..3 {
                    let _ = writeln!(
                        md,
                        "| {} | {} | {} |",
                        r.pick(ACTORS),
                        r.pick(OBJECTS),
                        r.pick(TIMES)
                    );
                }
            }
            _ => {
                for _ in 0..3 {
                    let _ = writeln!(
                        md,
                        "- [{}] Share it with {}",
                        if r.chance(40) { "x" } else { " " },
                        r.pick(ACTORS)
                    );
                }
            }
        }
        md.push('\n');
    }
    md
}

fn contacts(r: &mut Rng, s: usize) -> String {
    let mut y = format!(
        "kind: stakeholders\ntitle: Contacts for section {}\npeople:\n",
        s + 1
    );
    for _ in 0..5 + r.below(10) {
        let _ = write!(
            y,
            "  - name: {}\n    role: {}\n    organization: Northwind Ltd\n    inside_company: {}\n    last_contact: 2026-{:02}-{:02}\n    cadence: {}\n    next_step: book a coffee chat\n",
            r.pick(NAMES),
            r.pick(ROLES),
            r.chance(50),
            1 + r.below(12),
            1 + r.below(28),
            r.pick(CADENCES)
        );
    }
    y
}
