//! Edit-to-served latency of `rapport serve`: the time from writing a page to an HTTP GET that
//! returns the new text. Not a test: it prints figures.
//!
//! cargo bench --bench serve_latency             # 20 edits per site
//! RAPPORT_BENCH_EDITS=50 cargo bench --bench serve_latency
//! RAPPORT_BENCH_CORPUS=/mnt/bench/corpus-handbook-10000 cargo bench --bench serve_latency
//! RAPPORT_BENCH_BIN=/path/to/other/rapport cargo bench --bench serve_latency  # another build
//!
//! Sites: the bundled handbook, and a 1,000-page handbook from ../shared/bench/gen_corpus.py
//! (skipped when python3 or the generator is missing). `RAPPORT_BENCH_CORPUS` adds sites made
//! by `gen_corpus.py --format handbook` (several separated by `:`), e.g. a 10,000-page one made
//! with `python3 ../shared/bench/gen_corpus.py --pages 10000 --format handbook --seed 1 --out
//! /mnt/bench/corpus-handbook-10000`; each is copied into a scratch folder beside it first (on
//! the same file system), so the edits never touch the original.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Serve {
    child: Child,
    base: String,
    stdout: Arc<Mutex<Vec<String>>>,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    fn start(root: &Path) -> Serve {
        // Another rapport (an earlier version, say) to compare against, else this one.
        let binary = std::env::var_os("RAPPORT_BENCH_BIN")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_rapport")));
        let mut child = Command::new(binary)
            .args(["serve", "--port", "0", "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start rapport serve");
        let stdout: Arc<Mutex<Vec<String>>> = Arc::default();
        let sink = stdout.clone();
        let pipe = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        let mut serve = Serve {
            child,
            base: String::new(),
            stdout,
        };
        let start = Instant::now();
        serve.base = loop {
            let found = serve.stdout.lock().unwrap().iter().find_map(|l| {
                l.strip_prefix("Serving ")
                    .and_then(|r| r.split_whitespace().next())
                    .map(|u| u.trim_end_matches('/').to_string())
            });
            if let Some(b) = found {
                break b;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "serve did not start"
            );
            std::thread::sleep(Duration::from_millis(10));
        };
        serve
    }

    /// The rebuild times serve printed so far for edits (`Changed ...: rebuilt ... in N ms`),
    /// and how many of them re-rendered only the edited page.
    fn rebuild_times(&self) -> (Vec<f64>, usize) {
        let lines = self.stdout.lock().unwrap();
        let rebuilds: Vec<&str> = lines
            .iter()
            .filter_map(|l| l.split_once(": rebuilt ").map(|(_, r)| r))
            .collect();
        let fast = rebuilds.iter().filter(|r| r.starts_with("1 page ")).count();
        let times = rebuilds
            .iter()
            .filter_map(|r| {
                let (_, rest) = r.split_once(" in ")?;
                rest.split_once(" ms")?.0.parse().ok()
            })
            .collect();
        (times, fast)
    }
}

fn main() {
    let edits: usize = std::env::var("RAPPORT_BENCH_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = tempfile::tempdir().expect("temp dir");

    let bundled = work.path().join("bundled");
    std::fs::create_dir_all(&bundled).unwrap();
    std::fs::copy(
        manifest.join("handbook.yaml"),
        bundled.join("handbook.yaml"),
    )
    .unwrap();
    copy_dir(&manifest.join("content"), &bundled.join("content"));
    run(
        "bundled handbook",
        &bundled,
        "content/01-why/01-good-times-and-bad.md",
        "/why/good-times-and-bad/",
        edits,
    );

    let generator = manifest.join("../shared/bench/gen_corpus.py");
    let big = work.path().join("c1k");
    let generated = generator.is_file()
        && Command::new("python3")
            .arg(&generator)
            .args(["--pages", "1000", "--format", "handbook", "--out"])
            .arg(&big)
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if generated {
        run(
            "1,000-page handbook (gen_corpus.py)",
            &big,
            "content/s1/p0001.md",
            "/s1/p0001/",
            edits,
        );
    } else {
        println!("skipped the 1,000-page site: python3 or {generator:?} missing");
    }

    let corpora = std::env::var("RAPPORT_BENCH_CORPUS").unwrap_or_default();
    for corpus in corpora.split(':').filter(|c| !c.is_empty()) {
        let corpus = Path::new(corpus);
        let beside = corpus.parent().unwrap_or(Path::new("."));
        let scratch = tempfile::tempdir_in(beside).expect("scratch folder beside the corpus");
        std::fs::copy(
            corpus.join("handbook.yaml"),
            scratch.path().join("handbook.yaml"),
        )
        .expect("the corpus has a handbook.yaml");
        copy_dir(&corpus.join("content"), &scratch.path().join("content"));
        let pages = walk_count(&scratch.path().join("content"));
        run(
            &format!("{} ({pages} Markdown files)", corpus.display()),
            scratch.path(),
            "content/s1/p0001.md",
            "/s1/p0001/",
            edits,
        );
    }
}

fn walk_count(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            if e.file_type().unwrap().is_dir() {
                walk_count(&e.path())
            } else {
                usize::from(e.path().extension().is_some_and(|x| x == "md"))
            }
        })
        .sum()
}

/// Edits `page` `edits` times and prints the latency figures.
fn run(name: &str, root: &Path, page: &str, url_path: &str, edits: usize) {
    let serve = Serve::start(root);
    let url = format!("{}{url_path}", serve.base);
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let fetch = |agent: &ureq::Agent| -> String {
        agent
            .get(&url)
            .call()
            .ok()
            .and_then(|mut r| r.body_mut().read_to_string().ok())
            .unwrap_or_default()
    };
    assert!(!fetch(&agent).is_empty(), "{url} is not served");
    let path: PathBuf = root.join(page);
    let original = std::fs::read_to_string(&path).unwrap();
    let mut latencies = Vec::with_capacity(edits);
    for i in 0..edits {
        let marker = format!("Benchmark edit number {i} of {name}.");
        let text = format!("{original}\n{marker}\n");
        let start = Instant::now();
        std::fs::write(&path, text).unwrap();
        loop {
            if fetch(&agent).contains(&marker) {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "edit {i} never served"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        latencies.push(start.elapsed().as_secs_f64() * 1000.0);
        // Let the watcher settle, so the next edit is a save of its own.
        std::thread::sleep(Duration::from_millis(150));
    }
    let (rebuilds, fast) = serve.rebuild_times();
    println!(
        "{name}: {edits} edits, edit-to-served median {:.1} ms (min {:.1}, p90 {:.1}, max {:.1}); \
         rebuild median {:.1} ms ({fast} of {} rebuilds re-rendered only the edited page)",
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.0),
        percentile(&latencies, 0.9),
        percentile(&latencies, 1.0),
        percentile(&rebuilds, 0.5),
        rebuilds.len(),
    );
}

fn percentile(values: &[f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * q).round() as usize]
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let dest = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}
