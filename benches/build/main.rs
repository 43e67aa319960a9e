//! Build benchmark: rapport against the cost of writing its output (the write floor), its peers
//! when they are on PATH, and its own `check`, rebuild and `serve`, all on the same corpus and in
//! the same run.
//!
//!   cargo bench --bench build                         # 10,000 and 50,000 pages, 3 rounds
//!   cargo bench --bench build -- --pages 1000,10000 --rounds 5
//!   RAPPORT_BENCH_DIR=/mnt/bench cargo bench --bench build   # a fresh loop-mounted ext4
//!
//! Per corpus size it prints, for each tool, the median wall time, the median CPU time (user +
//! system, from `wait4`'s rusage: the bar on a shared, noisy machine) and the median peak RSS,
//! and the ratios: rapport to the floor, each peer to rapport, `check` and a rebuild into an
//! existing output to a fresh build. The tools alternate round by round (rapport, floor, peers,
//! check, rebuild; then again), `sync` runs before every timed run (outside the timing; as root,
//! the page cache is then emptied and the run's inputs read back in, see `settle`), and no
//! output is deleted right after it was timed: a round's outputs are removed two rounds later,
//! followed by a `sync`, because creating many files right after deleting many is several times
//! slower on ext4 and would distort the next figure.
//!
//! Corpora come from `../shared/bench/gen_corpus.py --format handbook|hugo|zola|mdbook --seed 1`
//! (the same prose for every tool); without python3 or the script, rapport's own generator
//! (`corpus.rs`) is used and the peers are skipped.
//!
//! The floor is this binary itself (`--floor SRC OUT`, see `floor.rs`), run on the site rapport
//! built in the untimed warm-up.
//!
//! The serve row (`--serve 1000,10000` by default): time until the home page is served, resident
//! memory after start and after 20 edits, and the median time from writing a page to a GET that
//! returns the new text (the watcher's debounce included).

mod corpus;
mod floor;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const RAPPORT: &str = env!("CARGO_BIN_EXE_rapport");
const TODAY: &str = "2026-11-25";

struct Args {
    pages: Vec<usize>,
    serve: Vec<usize>,
    rounds: usize,
    peer_max: usize,
    dir: PathBuf,
}

fn list(v: Option<String>) -> Vec<usize> {
    v.unwrap_or_default()
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .collect()
}

fn parse_args() -> Args {
    let mut args = Args {
        pages: vec![10_000, 50_000],
        serve: vec![1000, 10_000],
        rounds: 3,
        peer_max: 10_000,
        dir: std::env::var_os("RAPPORT_BENCH_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench")),
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--floor" => {
                let (src, out) = (it.next().expect("SRC"), it.next().expect("OUT"));
                if let Err(e) = floor::run(Path::new(&src), Path::new(&out)) {
                    eprintln!("floor: {e}");
                    std::process::exit(1);
                }
                std::process::exit(0);
            }
            "--pages" => args.pages = list(it.next()),
            "--serve" => args.serve = list(it.next()),
            "--rounds" => args.rounds = it.next().and_then(|v| v.parse().ok()).unwrap_or(3),
            "--peer-max" => args.peer_max = it.next().and_then(|v| v.parse().ok()).unwrap_or(0),
            "--dir" => args.dir = it.next().map(PathBuf::from).unwrap_or(args.dir),
            _ => {} // cargo passes `--bench`
        }
    }
    args.rounds = args.rounds.max(1);
    args
}

/// One timed child process.
#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    cpu: Duration,
    peak: u64,
}

fn sync() {
    let _ = Command::new("sync").status();
}

/// Before a timed run: `sync`, then, where this process may (as root), empty the page cache and
/// read `inputs` back in. Each run then starts with the same free memory, rather than after the
/// previous runs' gigabytes of written pages, which the kernel must first reclaim (on a loop
/// mount, twice: the file system's and the image file's); in one 10,000-page run without this,
/// the same binary took 1.4 s CPU in the first rounds and 2.5 s in the last. The inputs are
/// cached as in the runs before, so no tool pays for reading its sources or its program from
/// disk.
fn settle(inputs: &[&Path]) {
    sync();
    if std::fs::write("/proc/sys/vm/drop_caches", "3\n").is_err() {
        return;
    }
    for input in inputs {
        read_all(input);
    }
    // The programs back in the page cache too, all of them: started once (untimed), a program
    // brings back its libraries but only the pages of its own that `--version` runs, and the
    // rest of a build's code would then be read from disk in the timed run (4 ms of the
    // bundled handbook's 20). This benchmark's own binary, the floor's, stays mapped.
    read_all(Path::new(RAPPORT));
    let _ = Command::new(RAPPORT)
        .arg("--version")
        .stdout(Stdio::null())
        .status();
    for peer in ["hugo", "zola", "mdbook"] {
        if on_path(peer)
            && let Some(program) = program_file(peer)
        {
            read_all(&program);
        }
    }
}

/// Where `name` is found on PATH.
fn program_file(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Reads `path`, or every file below it (into the page cache), through a small buffer: a
/// program read whole into memory would stay in this process's heap, and a child started
/// from it counts this process's memory in its peak until it runs its own program.
fn read_all(path: &Path) {
    let read = |p: &Path| {
        if let Ok(mut f) = std::fs::File::open(p) {
            let _ = std::io::copy(&mut f, &mut std::io::sink());
        }
    };
    if path.is_file() {
        read(path);
        return;
    }
    let mut stack = vec![path.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(e.path()),
                Ok(_) => read(&e.path()),
                Err(_) => {}
            }
        }
    }
}

/// Waits (untimed) until no output a rapport build swapped out is still being deleted in `dir`
/// by the child it leaves behind: that deletion (10,000 files, longer when the page cache was
/// just emptied) would otherwise run beside the next timed run on this 2-core machine.
fn wait_for_background_removal(dir: &Path) {
    let start = Instant::now();
    let pending = || {
        std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                let name = e.file_name();
                name.to_string_lossy().contains(".rapport-old-")
            })
    };
    while pending() && start.elapsed() < Duration::from_secs(300) {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Runs `cmd` after [`settle`]: wall time, user + system time and peak RSS (wait4's rusage).
fn run(cmd: &mut Command, inputs: &[&Path]) -> Sample {
    settle(inputs);
    timed(cmd)
}

/// Runs `cmd` after a `sync` only, with the page cache as the runs before left it: for the
/// bundled handbook, whose 2 MB outputs leave nothing to reclaim, so that emptying the cache
/// would only make its program's and libraries' pages cold, as they never are for someone
/// rebuilding a handbook (17–20 ms then, against 13–16 ms warm).
fn run_warm(cmd: &mut Command) -> Sample {
    sync();
    timed(cmd)
}

#[allow(clippy::zombie_processes)] // wait4 below reaps the child
fn timed(cmd: &mut Command) -> Sample {
    use std::os::unix::process::ExitStatusExt;
    cmd.stdout(Stdio::null());
    let start = Instant::now();
    let child = cmd.spawn().expect("start the benchmarked command");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waiting for our own child with valid pointers to locals.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert!(pid > 0, "wait4 failed");
    let st = std::process::ExitStatus::from_raw(status);
    assert!(st.success(), "benchmarked command failed: {cmd:?}");
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Sample {
        wall,
        cpu: tv(usage.ru_utime) + tv(usage.ru_stime),
        peak: usage.ru_maxrss as u64 * 1024,
    }
}

fn median<T: Copy + PartialOrd>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).expect("comparable"));
    v[v.len() / 2]
}

struct Row {
    tool: String,
    pages: usize,
    samples: Vec<Sample>,
}

impl Row {
    fn wall(&self) -> f64 {
        median(self.samples.iter().map(|s| s.wall.as_secs_f64()).collect())
    }
    fn cpu(&self) -> f64 {
        median(self.samples.iter().map(|s| s.cpu.as_secs_f64()).collect())
    }
    fn peak(&self) -> f64 {
        median(self.samples.iter().map(|s| s.peak as f64 / 1e6).collect())
    }
}

fn on_path(name: &str) -> bool {
    Command::new(name)
        .arg(if name == "mdbook" {
            "--version"
        } else {
            "version"
        })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The shared generator's corpus in `format`, made on first use; `None` without python3 or
/// the script.
fn shared_corpus(dir: &Path, format: &str, pages: usize) -> Option<PathBuf> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py");
    let path = dir.join(format!("corpus-{format}-{pages}"));
    if path.exists() {
        return Some(path);
    }
    if !script.is_file() {
        return None;
    }
    let ok = Command::new("python3")
        .arg(&script)
        .args(["--pages", &pages.to_string(), "--format", format])
        .args(["--seed", "1", "--out"])
        .arg(&path)
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    ok.then_some(path)
}

fn handbook_corpus(dir: &Path, pages: usize) -> PathBuf {
    shared_corpus(dir, "handbook", pages).unwrap_or_else(|| {
        let path = dir.join(format!("corpus-rapport-{pages}"));
        if !path.exists() {
            corpus::generate(&path, pages).expect("generate the corpus");
        }
        path
    })
}

fn rapport(cmd: &str, corpus: &Path, out: Option<&Path>) -> Command {
    let mut c = Command::new(RAPPORT);
    c.args([cmd, "--quiet", "--today", TODAY, "--root"])
        .arg(corpus);
    if let Some(out) = out {
        c.arg("--output").arg(out);
    }
    c
}

fn peer(name: &str, src: &Path, out: &Path) -> Command {
    let mut c = Command::new(name);
    match name {
        "zola" => {
            c.arg("--root")
                .arg(src)
                .args(["build", "--force", "--output-dir"])
                .arg(out);
        }
        "mdbook" => {
            c.arg("build").arg(src).arg("--dest-dir").arg(out);
        }
        _ => {
            c.arg("--source")
                .arg(src)
                .arg("--destination")
                .arg(out)
                .arg("--quiet");
        }
    }
    c.stderr(Stdio::null());
    c
}

fn remove(paths: &mut Vec<PathBuf>) {
    for p in paths.drain(..) {
        let _ = std::fs::remove_dir_all(p);
    }
    sync();
}

/// Files, bytes, and the mean size of a page (`*/index.html`) of a built site.
fn site_size(dir: &Path) -> (usize, u64, u64) {
    let (mut files, mut bytes, mut pages, mut page_bytes) = (0, 0, 0, 0);
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let m = e.metadata().expect("metadata");
            if m.is_dir() {
                stack.push(e.path());
            } else {
                files += 1;
                bytes += m.len();
                // The book and the planner are one file each that grows with the site: not
                // pages.
                let whole = ["book", "planner"].iter().any(|w| d == dir.join(w));
                if e.file_name() == "index.html" && !whole {
                    pages += 1;
                    page_bytes += m.len();
                }
            }
        }
    }
    (files, bytes, page_bytes / pages.max(1))
}

/// One corpus size: every tool once per round, in turn.
fn bench_size(args: &Args, pages: usize, rows: &mut Vec<Row>) {
    let dir = &args.dir;
    let corpus = handbook_corpus(dir, pages);
    let pid = std::process::id();
    // Untimed warm-up: the site the floor copies, and the output the rebuild row replaces.
    let site = dir.join(format!("site-{pages}-{pid}"));
    let rebuild = dir.join(format!("rebuild-{pages}-{pid}"));
    for out in [&site, &rebuild] {
        run(&mut rapport("build", &corpus, Some(out)), &[&corpus]);
    }
    let (files, bytes, page) = site_size(&site);
    println!(
        "{pages} pages: {files} files, {:.1} MB, a page {:.1} KB on average (the book and the planner aside)",
        bytes as f64 / 1e6,
        page as f64 / 1e3
    );

    type Make = Box<dyn Fn(&Path) -> Command>;
    // Each tool with the folders it reads, cached again before each of its runs.
    let mut tools: Vec<(String, Make, Vec<PathBuf>)> = Vec::new();
    let c = corpus.clone();
    tools.push((
        "rapport".into(),
        Box::new(move |o| rapport("build", &c, Some(o))),
        vec![corpus.clone()],
    ));
    let s = site.clone();
    tools.push((
        "floor".into(),
        Box::new(move |o| {
            let mut cmd = Command::new(std::env::current_exe().expect("the bench binary"));
            cmd.arg("--floor").arg(&s).arg(o);
            cmd
        }),
        vec![site.clone()],
    ));
    if pages <= args.peer_max {
        for name in ["hugo", "zola", "mdbook"] {
            if !on_path(name) {
                continue;
            }
            let Some(src) = shared_corpus(dir, name, pages) else {
                continue;
            };
            let n = name.to_string();
            let inputs = vec![src.clone()];
            tools.push((name.into(), Box::new(move |o| peer(&n, &src, o)), inputs));
        }
    }
    let c = corpus.clone();
    tools.push((
        "check".into(),
        Box::new(move |_| rapport("check", &c, None)),
        vec![corpus.clone()],
    ));
    let (c, r) = (corpus.clone(), rebuild.clone());
    tools.push((
        "rebuild".into(),
        Box::new(move |_| rapport("build", &c, Some(&r))),
        // It looks at every folder of the output it replaces, as cached as after a build.
        vec![corpus.clone(), rebuild.clone()],
    ));

    let first = rows.len();
    for (name, _, _) in &tools {
        rows.push(Row {
            tool: name.clone(),
            pages,
            samples: Vec::new(),
        });
    }
    let mut outputs: Vec<Vec<PathBuf>> = Vec::new();
    for round in 0..args.rounds {
        let mut made = Vec::new();
        for (i, (name, make, inputs)) in tools.iter().enumerate() {
            let out = dir.join(format!("out-{name}-{pages}-{round}-{pid}"));
            let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
            let sample = run(&mut make(&out), &inputs);
            rows[first + i].samples.push(sample);
            wait_for_background_removal(dir);
            made.push(out);
        }
        outputs.push(made);
        // Two rounds later, so no output is deleted right after it was timed.
        if outputs.len() > 2 {
            remove(&mut outputs.remove(0));
        }
    }
    for mut o in outputs {
        remove(&mut o);
    }
    remove(&mut vec![site, rebuild]);
}

/// `rapport serve` on a copy of the corpus: ready time, resident memory, edit-to-served.
fn bench_serve(args: &Args, pages: usize) {
    let corpus = handbook_corpus(&args.dir, pages);
    let scratch = args
        .dir
        .join(format!("serve-{pages}-{}", std::process::id()));
    copy_dir(&corpus, &scratch);
    let start = Instant::now();
    let mut child = Command::new(RAPPORT)
        .args(["serve", "--port", "0", "--today", TODAY, "--root"])
        .arg(&scratch)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start rapport serve");
    let lines: Arc<Mutex<Vec<String>>> = Arc::default();
    let sink = lines.clone();
    let pipe = child.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines().map_while(Result::ok) {
            sink.lock().expect("lines").push(line);
        }
    });
    let base = loop {
        let found = lines.lock().expect("lines").iter().find_map(|l| {
            l.strip_prefix("Serving ")
                .and_then(|r| r.split_whitespace().next())
                .map(|u| u.trim_end_matches('/').to_string())
        });
        if let Some(b) = found {
            break b;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "serve did not start"
        );
        std::thread::sleep(Duration::from_millis(2));
    };
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent();
    let get = |url: &str| -> String {
        agent
            .get(url)
            .call()
            .ok()
            .and_then(|mut r| r.body_mut().read_to_string().ok())
            .unwrap_or_default()
    };
    while get(&format!("{base}/")).is_empty() {
        std::thread::sleep(Duration::from_millis(2));
    }
    let ready = start.elapsed();
    let rss_start = rss(child.id());
    let page = scratch.join("content/s1/p0001.md");
    let url = format!("{base}/s1/p0001/");
    let original = std::fs::read_to_string(&page).expect("the corpus has s1/p0001.md");
    let mut latencies = Vec::new();
    for i in 0..20 {
        let marker = format!("Benchmark edit number {i}.");
        let t = Instant::now();
        std::fs::write(&page, format!("{original}\n{marker}\n")).expect("edit");
        while !get(&url).contains(&marker) {
            assert!(
                t.elapsed() < Duration::from_secs(30),
                "edit {i} never served"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        latencies.push(t.elapsed().as_secs_f64() * 1e3);
        // Let the watcher settle, so the next edit is a save of its own.
        std::thread::sleep(Duration::from_millis(150));
    }
    let rss_after = rss(child.id());
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&scratch);
    println!(
        "serve   {pages:>6} pages: ready in {:.2} s, {:.0} MB resident after start, {:.0} MB after \
         20 rebuilds, edit-to-served median {:.1} ms (max {:.1})",
        ready.as_secs_f64(),
        rss_start as f64 / 1e6,
        rss_after as f64 / 1e6,
        median(latencies.clone()),
        latencies.iter().cloned().fold(0.0, f64::max),
    );
}

fn rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        .unwrap_or(0)
        * 1024
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create");
    for entry in std::fs::read_dir(from).expect("read").flatten() {
        let dest = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).expect("copy");
        }
    }
}

fn main() {
    let args = parse_args();
    std::fs::create_dir_all(&args.dir).expect("create the bench folder");
    let mut rows = Vec::new();

    // The bundled handbook: small enough for more runs.
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut samples = Vec::new();
    let mut outs = Vec::new();
    for i in 0..args.rounds * 5 {
        let out = args
            .dir
            .join(format!("out-bundled-{i}-{}", std::process::id()));
        samples.push(run_warm(&mut rapport("build", bundled, Some(&out))));
        outs.push(out);
    }
    remove(&mut outs);
    rows.push(Row {
        tool: "rapport".into(),
        pages: 0,
        samples,
    });
    for &pages in &args.pages {
        bench_size(&args, pages, &mut rows);
    }

    println!(
        "\n{:<8} {:>8} {:>10} {:>10} {:>10} {:>16}",
        "tool", "pages", "wall", "CPU", "peak", "ratio (CPU)"
    );
    let cpu_of = |tool: &str, pages: usize| {
        rows.iter()
            .find(|r| r.tool == tool && r.pages == pages)
            .map(Row::cpu)
    };
    for r in &rows {
        let ours = cpu_of("rapport", r.pages);
        let ratio = match (r.tool.as_str(), ours, cpu_of("floor", r.pages)) {
            (_, _, _) if r.pages == 0 => String::new(),
            ("rapport", _, Some(f)) => format!("{:.2}x floor", r.cpu() / f),
            ("floor", _, _) => String::new(),
            ("check" | "rebuild", Some(o), _) => format!("{:.2}x build", r.cpu() / o),
            (_, Some(o), _) => format!("{:.1}x rapport", r.cpu() / o),
            _ => String::new(),
        };
        let pages = if r.pages == 0 {
            "bundled".to_string()
        } else {
            r.pages.to_string()
        };
        println!(
            "{:<8} {:>8} {:>8.3} s {:>8.3} s {:>7.1} MB {:>16}",
            r.tool,
            pages,
            r.wall(),
            r.cpu(),
            r.peak(),
            ratio
        );
    }
    let sizes = &args.pages;
    for w in sizes.windows(2) {
        if let (Some(a), Some(b)) = (cpu_of("rapport", w[0]), cpu_of("rapport", w[1])) {
            println!(
                "scaling: {} pages cost {:.2}x the CPU of {} pages",
                w[1],
                b / a,
                w[0]
            );
        }
    }
    println!(
        "({} rounds, medians; CPU = user + system of the process and the children it waited \
         for; corpora and outputs in {})\n",
        args.rounds,
        args.dir.display()
    );
    for &pages in &args.serve {
        bench_serve(&args, pages);
    }
}
