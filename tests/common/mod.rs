//! Test harness: the moto emulator (with jalon's fidelity patches) in server mode
//! on 127.0.0.1, started and stopped by the tests themselves, and the jalon binary.
#![allow(dead_code)]

pub mod accounts;
pub mod action;
pub mod fault_proxy;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The bundled demo snapshot (relative to the repository, where tests run jalon).
pub const DEMO_SNAPSHOT: &str = "examples/demo-snapshot.json";

/// The demo's judgement files, as the README's demo command passes them.
pub const DEMO_FILES: [&str; 6] = [
    "--config",
    "examples/jalon.toml",
    "--waivers",
    "examples/waivers.toml",
    "--attestations",
    "examples/attestations.toml",
];

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn emulator_python() -> PathBuf {
    std::env::var_os("JALON_EMULATOR_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/emulator-venv/bin/python"))
}

pub struct Emulator {
    child: Child,
    pub endpoint: String,
    pub port: u16,
    python: PathBuf,
}

impl Emulator {
    /// Starts a fresh emulator. Without one installed: `None` (the test skips) on a
    /// developer machine, a failure under `CI`, where skipping would hide a gap.
    pub fn start() -> Option<Emulator> {
        let python = emulator_python();
        if !python.exists() {
            let why =
                format!("the AWS emulator is not installed ({} missing): run `bash tests/run.sh`", python.display());
            if std::env::var_os("CI").is_some() {
                panic!("{why}");
            }
            eprintln!("skipping: {why}");
            return None;
        }
        let mut child = Command::new(&python)
            .arg(repo().join("tests/emulator/jalon_moto.py"))
            .args(["--host", "127.0.0.1", "--port", "0"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the emulator");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = rx.recv_timeout(Duration::from_secs(120)).unwrap_or_default();
        let endpoint = line.trim().rsplit(' ').next().unwrap_or_default().to_string();
        if !line.starts_with("jalon-moto ready on http://127.0.0.1:") {
            let _ = child.kill();
            panic!("the emulator did not start: {line:?}");
        }
        let port = endpoint.rsplit(':').next().and_then(|p| p.parse().ok()).expect("a port");
        Some(Emulator { child, endpoint, port, python })
    }

    /// Seeds a scenario (`varied`, `demo`, `scale`) and returns its manifest.
    pub fn seed(&self, region: &str, scenario: &str, extra: &[&str]) -> serde_json::Value {
        let manifest = tempfile::NamedTempFile::new().expect("temp file");
        let out = Command::new(&self.python)
            .arg(repo().join("tests/emulator/seed.py"))
            .args(["--endpoint", &self.endpoint, "--region", region, "--scenario", scenario, "--manifest"])
            .arg(manifest.path())
            .args(extra)
            .output()
            .expect("run the seeder");
        assert!(out.status.success(), "seeding failed: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&std::fs::read(manifest.path()).expect("manifest")).expect("manifest JSON")
    }

    /// Seeds `scenario` into each of `accounts` (seed.py --account); the manifest of each.
    #[allow(dead_code)]
    pub fn seed_accounts(
        &self,
        region: &str,
        scenario: &str,
        accounts: &[&str],
    ) -> BTreeMap<String, serde_json::Value> {
        let dir = tempfile::tempdir().expect("temp dir");
        let pattern = dir.path().join("{account}.json");
        let mut cmd = Command::new(&self.python);
        cmd.arg(repo().join("tests/emulator/seed.py"))
            .args(["--endpoint", &self.endpoint, "--region", region, "--scenario", scenario, "--manifest"])
            .arg(&pattern);
        for account in accounts {
            cmd.args(["--account", account]);
        }
        let out = cmd.output().expect("run the seeder");
        assert!(out.status.success(), "seeding failed: {}", String::from_utf8_lossy(&out.stderr));
        accounts
            .iter()
            .map(|a| {
                let text = std::fs::read(dir.path().join(format!("{a}.json"))).expect("a manifest per account");
                (a.to_string(), serde_json::from_slice(&text).expect("manifest JSON"))
            })
            .collect()
    }

    /// POSTs `body` to one of the emulator's controls (`/_jalon/accounts`, ...); its answer.
    #[allow(dead_code)]
    pub fn control(&self, path: &str, body: &serde_json::Value) -> serde_json::Value {
        let (status, text) = self.http("POST", path, &body.to_string());
        assert_eq!(status, 200, "{path}: {text}");
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null)
    }

    /// GETs one of the emulator's controls.
    #[allow(dead_code)]
    pub fn state(&self, path: &str) -> serde_json::Value {
        let (status, text) = self.http("GET", path, "");
        assert_eq!(status, 200, "{path}: {text}");
        serde_json::from_str(&text).expect("JSON")
    }

    /// Makes the emulator answer AccessDenied for these services (empty: none). A
    /// collector that calls another one's API (`metrics` reads CloudWatch metric data
    /// beside `cloudwatch`'s alarms) is denied its own operations only.
    pub fn deny(&self, services: &[&str]) {
        let mut whole = Vec::new();
        let mut operations = Vec::new();
        for name in services {
            let collector = jalon::collect::registry::find(name);
            let borrowed = collector.filter(|c| {
                c.actions.iter().all(|a| {
                    a.split(':').next().is_some_and(|p| p != c.name && jalon::collect::registry::find(p).is_some())
                })
            });
            match borrowed {
                Some(c) => operations.extend(c.actions.iter().copied()),
                None => whole.push(*name),
            }
        }
        let body = serde_json::json!({ "services": whole, "operations": operations }).to_string();
        let (status, text) = self.http("POST", "/_jalon/deny", &body);
        assert_eq!(status, 200, "deny failed: {text}");
    }

    /// Requests the emulator has answered, per `service:Operation`.
    pub fn requests(&self) -> serde_json::Map<String, serde_json::Value> {
        let (status, text) = self.http("GET", "/_jalon/requests", "");
        assert_eq!(status, 200, "{text}");
        serde_json::from_str::<serde_json::Value>(&text).expect("JSON").as_object().cloned().unwrap_or_default()
    }

    pub fn reset_requests(&self) {
        let (status, text) = self.http("POST", "/_jalon/requests/reset", "");
        assert_eq!(status, 200, "{text}");
    }

    fn http(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to the emulator");
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            body.len()
        )
        .expect("write");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
        (status, body)
    }

    /// `jalon collect` from this emulator into `out`, in one region unless `extra` adds more.
    pub fn collect(&self, out: &Path, extra: &[&str]) -> Output {
        let out = out.to_str().expect("UTF-8 path");
        // With the metric data (the last 14 days, or from `--cutover` in `extra`).
        let mut args = vec![
            "collect",
            "--endpoint-url",
            &self.endpoint,
            "--region",
            "eu-west-3",
            "--quiet",
            "--metrics",
            "-o",
            out,
        ];
        args.extend_from_slice(extra);
        jalon(&args)
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The jalon binary with a clean AWS environment: fake credentials, no shared
/// config, no instance metadata. Nothing can reach a real AWS endpoint from here
/// without an explicit `--endpoint-url`, and tests always give one.
pub fn jalon_command(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_jalon"));
    cmd.args(args)
        .current_dir(repo())
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_SESSION_TOKEN")
        .env("AWS_ACCESS_KEY_ID", "AKIAJALONTEST0000001")
        .env("AWS_SECRET_ACCESS_KEY", "jalon-test-secret")
        .env("AWS_CONFIG_FILE", "/nonexistent/jalon-test")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/jalon-test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        // What a developer's shell exports must not change what the tests read.
        .env_remove("JALON_CONFIG")
        .env_remove("COLUMNS")
        .env("NO_COLOR", "1");
    cmd
}

pub fn jalon(args: &[&str]) -> Output {
    jalon_command(args).output().expect("run jalon")
}

/// Runs jalon; a run still going after three minutes is killed and fails the test
/// (a liveness guard for runs that must stop on their own, far above any limit the
/// tests give: not a speed assertion).
#[allow(dead_code)]
pub fn jalon_bounded(args: &[&str]) -> Output {
    let mut child = jalon_command(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run jalon");
    // Drain both pipes while waiting: a full pipe would block the child.
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).map(|_| buf)
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut buf).map(|_| buf)
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(180);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for jalon") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("jalon {args:?} still running after three minutes: something is not bounded");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    Output {
        status,
        stdout: out.join().expect("stdout reader").expect("read stdout"),
        stderr: err.join().expect("stderr reader").expect("read stderr"),
    }
}

/// `jalon check` of the demo snapshot with the demo's files, then `extra`.
#[allow(dead_code)]
pub fn demo_check_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["check", "--snapshot", DEMO_SNAPSHOT];
    args.extend_from_slice(&DEMO_FILES);
    args.extend_from_slice(extra);
    args
}

/// Runs jalon with `--format json` added: its exit code and the result on stdout.
#[allow(dead_code)]
pub fn result_json(args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "json"]);
    let out = jalon(&all);
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(&out), stderr(&out)));
    (out.status.code(), json)
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn read_json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).expect("read JSON file")).expect("valid JSON")
}

/// A linter from the lint venv (tests/lint/requirements.txt, installed by tests/run.sh;
/// `JALON_LINT_BIN` names its bin directory). Without it: `None` (the test skips) on a
/// developer machine, a failure under `CI`, where skipping would hide a gap.
pub fn lint_tool(name: &str) -> Option<PathBuf> {
    let dir =
        std::env::var_os("JALON_LINT_BIN").map(PathBuf::from).unwrap_or_else(|| repo().join("target/lint-venv/bin"));
    let path = dir.join(name);
    if path.exists() {
        return Some(path);
    }
    let why = format!("{name} is not installed ({} missing): run `bash tests/run.sh`", path.display());
    if std::env::var_os("CI").is_some() {
        panic!("{why}");
    }
    eprintln!("skipping: {why}");
    None
}

/// Runs a linter with `text` on its standard input: (success, stdout and stderr).
pub fn lint_stdin(tool: &Path, args: &[&str], text: &str) -> (bool, String) {
    let mut child = Command::new(tool)
        .args(args)
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("run {}: {e}", tool.display()));
    child.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("write the linter's input");
    let out = child.wait_with_output().expect("the linter's output");
    (out.status.success(), format!("{}{}", stdout(&out), stderr(&out)))
}
