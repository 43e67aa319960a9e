//! Build benchmark: generates handbooks of several sizes, builds each with the release binary
//! several times and prints median wall time and peak memory. When `hugo` or `zola` is on PATH,
//! it builds the same corpus in their formats (written by ../shared/bench/gen_corpus.py) in the
//! same run and prints the ratios.
//!
//!   cargo bench --bench build                     # 1,000 and 10,000 pages, 5 runs each
//!   cargo bench --bench build -- --pages 1000 --runs 3
//!   RAPPORT_BENCH_DIR=/mnt/bench cargo bench --bench build   # e.g. a fresh loop-mounted ext4
//!
//! Every run writes into a new folder, deleted outside the timing: on ext4, creating many files
//! right after deleting many is several times slower, which would distort the figures.

mod corpus;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RAPPORT: &str = env!("CARGO_BIN_EXE_rapport");

struct Args {
    pages: Vec<usize>,
    runs: usize,
    dir: PathBuf,
}

fn parse_args() -> Args {
    let mut args = Args {
        pages: vec![1000, 10_000],
        runs: 5,
        dir: std::env::var_os("RAPPORT_BENCH_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench")),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--pages" => {
                let v = it.next().unwrap_or_default();
                args.pages = v.split(',').filter_map(|p| p.trim().parse().ok()).collect();
            }
            "--runs" => args.runs = it.next().and_then(|v| v.parse().ok()).unwrap_or(5),
            "--dir" => args.dir = it.next().map(PathBuf::from).unwrap_or(args.dir),
            _ => {} // cargo passes `--bench`
        }
    }
    args
}

/// One timed child process: wall time and peak resident memory (from wait4's rusage).
#[allow(clippy::zombie_processes)] // wait4 below reaps the child
fn run(cmd: &mut Command) -> (Duration, u64) {
    use std::os::unix::process::ExitStatusExt;
    let start = Instant::now();
    let child = cmd.spawn().expect("start the benchmarked command");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waiting for our own child with valid pointers to locals.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    assert!(pid > 0, "wait4 failed");
    let st = std::process::ExitStatus::from_raw(status);
    assert!(st.success(), "benchmarked command failed: {cmd:?}");
    (elapsed, usage.ru_maxrss as u64 * 1024)
}

fn median<T: Copy + Ord>(mut v: Vec<T>) -> T {
    v.sort();
    v[v.len() / 2]
}

struct Row {
    tool: &'static str,
    pages: usize,
    wall: Duration,
    peak: u64,
}

/// Builds `runs` times, each into a fresh folder, and returns the medians.
fn measure(
    tool: &'static str,
    pages: usize,
    runs: usize,
    dir: &Path,
    mut make: impl FnMut(&Path) -> Command,
) -> Row {
    let mut walls = Vec::new();
    let mut peaks = Vec::new();
    for i in 0..runs {
        let out = dir.join(format!("out-{tool}-{pages}-{i}-{}", std::process::id()));
        let (wall, peak) = run(&mut make(&out));
        walls.push(wall);
        peaks.push(peak);
        let _ = std::fs::remove_dir_all(&out);
    }
    Row {
        tool,
        pages,
        wall: median(walls),
        peak: median(peaks),
    }
}

fn on_path(name: &str) -> bool {
    Command::new(name)
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn peer_corpus(dir: &Path, format: &str, pages: usize) -> Option<PathBuf> {
    let gen_script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py");
    let path = dir.join(format!("corpus-{format}-{pages}"));
    if !path.exists() {
        let ok = Command::new("python3")
            .arg(&gen_script)
            .args([
                "--pages",
                &pages.to_string(),
                "--format",
                format,
                "--seed",
                "1",
                "--out",
            ])
            .arg(&path)
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            return None;
        }
    }
    Some(path)
}

fn rapport_build(corpus: &Path, out: &Path) -> Command {
    let mut c = Command::new(RAPPORT);
    c.args(["build", "--quiet", "--today", "2026-11-25", "--root"])
        .arg(corpus)
        .arg("--output")
        .arg(out);
    c
}

fn main() {
    let args = parse_args();
    std::fs::create_dir_all(&args.dir).expect("create the bench folder");
    let mut rows = Vec::new();

    let bundled = Path::new(env!("CARGO_MANIFEST_DIR"));
    rows.push(measure("rapport", 0, args.runs, &args.dir, |out| {
        rapport_build(bundled, out)
    }));
    for &pages in &args.pages {
        // Our own generator's corpus: always available.
        let corpus = args.dir.join(format!("corpus-rapport-{pages}"));
        if !corpus.exists() {
            corpus::generate(&corpus, pages).expect("generate the corpus");
        }
        rows.push(measure("rapport", pages, args.runs, &args.dir, |out| {
            rapport_build(&corpus, out)
        }));
        // Side by side: the shared reference generator writes the same prose in each tool's
        // format, so rapport builds its handbook version for the ratios.
        let peers: Vec<&str> = ["zola", "hugo"]
            .into_iter()
            .filter(|p| on_path(p))
            .collect();
        if peers.is_empty() {
            continue;
        }
        let Some(shared) = peer_corpus(&args.dir, "handbook", pages) else {
            continue;
        };
        rows.push(measure("rapport*", pages, args.runs, &args.dir, |out| {
            rapport_build(&shared, out)
        }));
        for peer in peers {
            let Some(src) = peer_corpus(&args.dir, peer, pages) else {
                continue;
            };
            rows.push(measure(peer, pages, args.runs, &args.dir, |out| {
                let mut c = Command::new(peer);
                if peer == "zola" {
                    c.arg("--root")
                        .arg(&src)
                        .args(["build", "--force", "--output-dir"])
                        .arg(out);
                } else {
                    c.arg("--source")
                        .arg(&src)
                        .arg("--destination")
                        .arg(out)
                        .arg("--quiet");
                }
                c.stdout(std::process::Stdio::null());
                c
            }));
        }
    }

    println!(
        "\n{:<9} {:>8} {:>12} {:>12} {:>11}",
        "tool", "pages", "median wall", "peak memory", "vs rapport*"
    );
    for r in &rows {
        let ours = rows
            .iter()
            .find(|o| o.tool == "rapport*" && o.pages == r.pages)
            .map(|o| o.wall);
        let ratio = match ours {
            Some(o) if r.tool != "rapport" => {
                format!("{:.1}x", r.wall.as_secs_f64() / o.as_secs_f64())
            }
            _ => String::new(),
        };
        let pages = if r.pages == 0 {
            "bundled".to_string()
        } else {
            r.pages.to_string()
        };
        println!(
            "{:<9} {:>8} {:>10.3} s {:>9.1} MB {:>11}",
            r.tool,
            pages,
            r.wall.as_secs_f64(),
            r.peak as f64 / 1e6,
            ratio
        );
    }
    let by = |p| {
        rows.iter()
            .find(|r| r.tool == "rapport" && r.pages == p)
            .map(|r| r.wall.as_secs_f64())
    };
    if let (Some(small), Some(big)) = (by(1000), by(10_000)) {
        println!(
            "\nscaling: the 10,000-page build takes {:.1}x the 1,000-page build",
            big / small
        );
    }
    println!(
        "({} runs each, medians; rapport = our generator's corpus, rapport* = the shared \
         generator's, which the peers build in their own formats; corpora in {})",
        args.runs,
        args.dir.display()
    );
}
