//! `jalon-bench accounts`: `collect --org` over N emulated accounts, then `check
//! --snapshot DIR` over them: wall time, API calls, peak memory, and how each grows
//! with N (docs/scale.md takes these to 1,000 accounts).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use clap::Args;

use crate::{bench_dir, clean_jalon, repo, start_emulator, Emulator};

#[derive(Args, Clone)]
pub struct AccountsArgs {
    /// Numbers of member accounts, one run each (a fresh emulator per run).
    #[arg(long, value_delimiter = ',', default_value = "1,10,25,50")]
    accounts: Vec<usize>,
    /// `--account-concurrency` of the collection.
    #[arg(long, default_value_t = 4)]
    account_concurrency: usize,
    /// The seed scenario of each account (`small`: a little of every collector).
    #[arg(long, default_value = "small")]
    scenario: String,
    #[arg(long, default_value = "target/emulator-venv/bin/python")]
    emulator_python: PathBuf,
}

pub struct AccountsRow {
    accounts: usize,
    seed_s: f64,
    collect_s: f64,
    collect_peak_mib: f64,
    calls: u64,
    served: u64,
    assume_role: u64,
    snapshot_bytes: u64,
    check_s: Option<f64>,
    check_peak_mib: Option<f64>,
    check_exit: Option<i32>,
}

const CALLER: &str = "123456789012";

fn member(i: usize) -> String {
    format!("{:012}", 100_000_000_000u64 + i as u64 * 7_919)
}

pub fn run(args: &AccountsArgs) -> Vec<AccountsRow> {
    let python = if args.emulator_python.is_absolute() {
        args.emulator_python.clone()
    } else {
        repo().join(&args.emulator_python)
    };
    let mut rows = Vec::new();
    for &n in &args.accounts {
        let emu = start_emulator(&python);
        let ids: Vec<String> = (0..n).map(member).collect();
        let accounts: Vec<serde_json::Value> = ids
            .iter()
            .map(|id| serde_json::json!({"id": id, "name": format!("member {id}"), "state": "ACTIVE"}))
            .collect();
        post(
            &emu,
            "/_jalon/organization",
            &serde_json::json!({"management": CALLER, "accounts": accounts, "roles": ["jalon-audit"]}),
        );

        eprintln!("[accounts] seeding {n} accounts ({})...", args.scenario);
        let manifests = tempfile::tempdir().expect("temp dir");
        let t = Instant::now();
        let mut seed = Command::new(&python);
        seed.arg(repo().join("tests/emulator/seed.py"))
            .args(["--endpoint", &emu.endpoint, "--region", "eu-west-3", "--scenario", &args.scenario, "--manifest"])
            .arg(manifests.path().join("{account}.json"));
        for id in &ids {
            seed.args(["--account", id]);
        }
        assert!(seed.status().expect("run the seeder").success(), "seeding failed");
        let seed_s = t.elapsed().as_secs_f64();
        emu.http("POST", "/_jalon/requests/reset");

        let dir = bench_dir().join(format!("accounts-{n}"));
        let _ = std::fs::remove_dir_all(&dir);
        let concurrency = args.account_concurrency.to_string();
        let out = jalon(&[
            "collect",
            "--endpoint-url",
            &emu.endpoint,
            "--region",
            "eu-west-3",
            "--quiet",
            "--org",
            "--role-name",
            "jalon-audit",
            "--account-concurrency",
            &concurrency,
            "-o",
            dir.to_str().expect("UTF-8"),
        ]);
        assert!(out.status.success(), "jalon collect: {}", String::from_utf8_lossy(&out.stderr));
        let (collect_s, collect_peak_mib) = timings(&out.stderr);
        let served: u64 = serde_json::from_str::<BTreeMap<String, u64>>(&emu.http("GET", "/_jalon/requests"))
            .unwrap_or_default()
            .values()
            .sum();
        let index: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("index.json")).expect("index")).expect("index JSON");
        let calls: u64 =
            index["cost"]["api_calls"].as_object().expect("calls").values().filter_map(|v| v.as_u64()).sum();
        let assume_role = index["cost"]["api_calls"]["sts:AssumeRole"].as_u64().unwrap_or(0);
        let snapshot_bytes =
            std::fs::read_dir(&dir).expect("dir").filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum();

        let report = dir.join("check.json");
        let check = jalon(&[
            "check",
            "--snapshot",
            dir.to_str().expect("UTF-8"),
            "--format",
            "json",
            "-o",
            report.to_str().expect("UTF-8"),
        ]);
        let check_exit = check.status.code();
        let (check_s, check_peak_mib) = if matches!(check_exit, Some(0..=2)) {
            let (s, m) = timings(&check.stderr);
            (Some(s), Some(m))
        } else {
            eprintln!("[accounts] check did not judge the directory: {}", String::from_utf8_lossy(&check.stderr));
            (None, None)
        };
        eprintln!(
            "[accounts] {n}: collect {collect_s:.2}s {collect_peak_mib:.0} MiB, {calls} calls ({served} served), check {check_s:?}s {check_peak_mib:?} MiB"
        );
        rows.push(AccountsRow {
            accounts: n + 1,
            seed_s,
            collect_s,
            collect_peak_mib,
            calls,
            served,
            assume_role,
            snapshot_bytes,
            check_s,
            check_peak_mib,
            check_exit,
        });
    }
    rows
}

/// The release `jalon` with `JALON_TIMINGS=1` and the bench's clean AWS environment.
fn jalon(args: &[&str]) -> std::process::Output {
    clean_jalon().args(args).env("JALON_TIMINGS", "1").output().expect("run jalon")
}

/// `total` seconds and `peak memory (VmHWM)` MiB from jalon's timings on stderr.
fn timings(stderr: &[u8]) -> (f64, f64) {
    let text = String::from_utf8_lossy(stderr);
    let number = |stage: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix("jalon: ")?.strip_prefix(stage))
            .and_then(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
            .unwrap_or_else(|| panic!("no `{stage}` line in jalon's timings:\n{text}"))
    };
    (number("total"), number("peak memory (VmHWM)"))
}

fn post(emu: &Emulator, path: &str, body: &serde_json::Value) {
    let body = body.to_string();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", emu.port)).expect("connect");
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    assert!(response.starts_with("HTTP/1.1 200") || response.starts_with("HTTP/1.0 200"), "{path}: {response}");
}

/// One markdown table, then the growth per added account between the smallest and
/// the largest run.
pub fn print_markdown(rows: &[AccountsRow]) {
    println!("| accounts | seed s | collect s | collect peak MiB | API calls | served | AssumeRole | snapshots MB | check s | check peak MiB | check exit |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let opt = |v: Option<f64>, digits: usize| v.map_or("-".to_string(), |v| format!("{v:.digits$}"));
    for r in rows {
        println!(
            "| {} | {:.1} | {:.2} | {:.0} | {} | {} | {} | {:.2} | {} | {} | {} |",
            r.accounts,
            r.seed_s,
            r.collect_s,
            r.collect_peak_mib,
            r.calls,
            r.served,
            r.assume_role,
            r.snapshot_bytes as f64 / 1e6,
            opt(r.check_s, 2),
            opt(r.check_peak_mib, 0),
            r.check_exit.map_or("-".into(), |c| c.to_string())
        );
    }
    if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
        let added = (last.accounts - first.accounts) as f64;
        if added > 0.0 {
            let per = |a: f64, b: f64| (b - a) / added;
            println!();
            println!(
                "per added account: collect {:.3} s, {:.1} MiB peak, {:.1} calls, {:.3} MB of snapshot; check {} s, {} MiB peak",
                per(first.collect_s, last.collect_s),
                per(first.collect_peak_mib, last.collect_peak_mib),
                per(first.calls as f64, last.calls as f64),
                per(first.snapshot_bytes as f64, last.snapshot_bytes as f64) / 1e6,
                match (first.check_s, last.check_s) {
                    (Some(a), Some(b)) => format!("{:.3}", per(a, b)),
                    _ => "-".into(),
                },
                match (first.check_peak_mib, last.check_peak_mib) {
                    (Some(a), Some(b)) => format!("{:.2}", per(a, b)),
                    _ => "-".into(),
                },
            );
        }
    }
}
