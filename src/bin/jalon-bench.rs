//! jalon-bench: evaluation and collection benchmarks (not part of the test suite).
//!
//! Run it through `bash tests/bench.sh` (it installs what it needs under target/ and
//! builds in release mode), or directly:
//!
//!     cargo run --release --bin jalon-bench -- eval --sizes 1000,10000,100000 --opa
//!     cargo run --release --bin jalon-bench -- collect --sizes 2000,10000
//!
//! `eval`: for each size, a synthetic snapshot (`jalon::synthetic`, seeded) is written
//! to target/bench/, then a fresh child process (`eval-one`) loads and evaluates it
//! like `jalon check` does, several times: snapshot parse, policy load, input
//! conversion, evaluation and judgement are timed separately (medians). Peak memory
//! is measured twice, in that child: the heap peak seen by a counting global
//! allocator during the first run, and the kernel's resident-set high-water mark
//! (VmHWM, /proc/self/status) after it. With `--opa`, OPA's Go engine evaluates the
//! same policies, data and input (tests/bench/opa_eval.py), its per-call input
//! conversion is measured with a trivial rule and subtracted, and the deny sets of
//! both engines are compared.
//!
//! `collect`: starts the moto emulator, seeds the `scale` scenario, runs the release
//! `jalon collect` against it and compares the calls per operation with the minimum
//! (pages at the largest page size plus the per-resource calls the APIs require).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use clap::{Args, Parser, Subcommand};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

use jalon::config::Config;
use jalon::engine::{ControlOutcome, Evaluator, PolicySet};
use jalon::pipeline;
use jalon::render::Format;
use jalon::snapshot::{self, Snapshot};
use jalon::synthetic;

// ---------------------------------------------------------------- peak heap

/// The heap in use when the measured code starts. The global allocator is regorus's
/// mimalloc (the one `jalon` uses), which counts the bytes in use and their peak.
fn start_counting() -> u64 {
    regorus_mimalloc::mimalloc::flush_thread_counters();
    regorus_mimalloc::allocation_stats_snapshot().0.allocated
}

/// The heap high-water mark over `baseline`: the heap the measured code added. The
/// allocator's peak is the process's; the measured run is the child's first, so the
/// peak is that run's.
fn stop_counting(baseline: u64) -> u64 {
    regorus_mimalloc::mimalloc::flush_thread_counters();
    regorus_mimalloc::allocation_stats_snapshot().0.peak.saturating_sub(baseline)
}

// ---------------------------------------------------------------- command line

#[path = "jalon_bench/accounts.rs"]
mod accounts;

#[derive(Parser)]
#[command(name = "jalon-bench", about = "jalon's evaluation and collection benchmarks")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Evaluation time and peak memory on synthetic snapshots (optionally against OPA).
    Eval(EvalArgs),
    /// Collection time and API calls against the seeded emulator.
    Collect(CollectArgs),
    /// Metric data (collect --metrics) against the emulator: calls against the
    /// fewest possible, wall time and snapshot size, per number of functions.
    Metrics(MetricsArgs),
    /// `collect --org` and `check --snapshot DIR` over N emulated accounts.
    Accounts(accounts::AccountsArgs),
    /// Both, then one markdown table.
    All {
        #[command(flatten)]
        eval: EvalArgs,
        #[command(flatten)]
        collect: CollectArgs,
    },
    /// Time per control package and per lib rule (each on a fresh engine, so lib
    /// rules a control uses are counted in it): where evaluation time goes.
    Rules {
        #[arg(long)]
        snapshot: PathBuf,
        /// Extra queries to time, e.g. data.jalon.lib.alarms.error_rate_candidates.
        #[arg(long)]
        query: Vec<String>,
        /// Extra Rego modules to load beside the shipped ones (to time a variant of a rule).
        #[arg(long)]
        policy: Vec<PathBuf>,
        /// Time only the --query ones (not every control package).
        #[arg(long)]
        only: bool,
        /// Runs per query (the median is printed).
        #[arg(long, default_value_t = 1)]
        runs: usize,
    },
    /// Every format's render time for one control failing on many resources, and for
    /// one resource with a very long name, against the JSON's.
    Render {
        /// Log groups without retention (LOG-001 and LOG-002 fail on each).
        #[arg(long, default_value_t = 100_000)]
        failing: usize,
        /// Characters of the long name.
        #[arg(long, default_value_t = 100_000)]
        name_chars: usize,
        /// Runs per format (the median is printed).
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
    /// (internal) One size, in a fresh process: prints one JSON line.
    #[command(hide = true)]
    EvalOne {
        #[arg(long)]
        snapshot: PathBuf,
        #[arg(long)]
        runs: usize,
        #[arg(long)]
        config: Option<PathBuf>,
        #[arg(long)]
        outcomes: Option<PathBuf>,
    },
}

#[derive(Args, Clone)]
struct EvalArgs {
    /// Snapshot sizes, in resources.
    #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
    sizes: Vec<usize>,
    /// Timed runs per size (default: 5, and 3 from 50k resources).
    #[arg(long)]
    runs: Option<usize>,
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// A jalon.toml for the evaluation (default: the built-in defaults).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Also evaluate with OPA (needs tests/bench/requirements.txt in a Python venv).
    #[arg(long)]
    opa: bool,
    /// The Python with `opa-golib-python-bindings` installed.
    #[arg(long, default_value = "target/bench-venv/bin/python")]
    opa_python: PathBuf,
}

#[derive(Args, Clone)]
struct CollectArgs {
    /// Log groups to seed per run (functions: one per 40 log groups).
    #[arg(long = "collect-sizes", value_delimiter = ',', default_value = "2000,10000")]
    collect_sizes: Vec<usize>,
    /// The Python of the emulator's venv.
    #[arg(long, default_value = "target/emulator-venv/bin/python")]
    emulator_python: PathBuf,
}

#[derive(Args, Clone)]
struct MetricsArgs {
    /// Functions with traffic, per run.
    #[arg(long, value_delimiter = ',', default_value = "1,200")]
    functions: Vec<usize>,
    /// Days of 5-minute metric data read (at most 31).
    #[arg(long, default_value_t = 30)]
    days: u32,
    #[arg(long, default_value = "target/emulator-venv/bin/python")]
    emulator_python: PathBuf,
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Cmd::EvalOne { snapshot, runs, config, outcomes } => {
            eval_one(&snapshot, runs, config.as_deref(), outcomes.as_deref());
            0
        }
        Cmd::Render { failing, name_chars, runs } => {
            render_bench(failing, name_chars, runs);
            0
        }
        Cmd::Rules { snapshot, query, policy, only, runs } => {
            rules_profile(&snapshot, &query, &policy, only, runs);
            0
        }
        Cmd::Eval(args) => {
            let rows = eval_bench(&args);
            print_markdown(&rows, &[]);
            0
        }
        Cmd::Metrics(args) => {
            metrics_bench(&args);
            0
        }
        Cmd::Accounts(args) => {
            accounts::print_markdown(&accounts::run(&args));
            0
        }
        Cmd::Collect(args) => {
            let rows = collect_bench(&args);
            print_markdown(&[], &rows);
            i32::from(rows.iter().any(|r| !r.at_minimum))
        }
        Cmd::All { eval, collect } => {
            let eval_rows = eval_bench(&eval);
            let collect_rows = collect_bench(&collect);
            print_markdown(&eval_rows, &collect_rows);
            i32::from(collect_rows.iter().any(|r| !r.at_minimum))
        }
    };
    std::process::exit(code);
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn bench_dir() -> PathBuf {
    let dir = repo().join("target/bench");
    std::fs::create_dir_all(&dir).expect("create target/bench");
    dir
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

// ---------------------------------------------------------------- evaluation, one size

/// Seconds per phase of one `jalon check`-like run.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
struct Phases {
    /// Read the file; parse it into the typed snapshot and hash it, while another
    /// thread converts it to the engine's input value (as `jalon check` does).
    load: f64,
    /// Parse the embedded policies and load them into regorus with the data.
    policies: f64,
    /// Every control, in one query.
    evaluate: f64,
    /// Verdicts per phase (checklist, evidence, waivers).
    judge: f64,
    total: f64,
    /// CPU time (user + system, every thread) the process spent during the run: the
    /// work done. On two cores the wall time can not go below half of it, so the two
    /// together say whether more parallelism could help or only less work.
    cpu: f64,
}

#[derive(Debug, Serialize, Deserialize)]
struct OneResult {
    resources: usize,
    file_bytes: u64,
    runs: usize,
    median: Phases,
    all: Vec<Phases>,
    /// Heap high-water mark during the first run, over the heap in use before it.
    heap_peak_bytes: u64,
    /// Resident set high-water mark of the process after the first run.
    vm_hwm_bytes: u64,
    controls: usize,
    failing_resources: usize,
}

fn eval_one(path: &Path, runs: usize, config_path: Option<&Path>, outcomes_out: Option<&Path>) {
    let config = match config_path {
        Some(p) => Config::load(p).unwrap_or_else(|e| panic!("{e}")),
        None => Config::default(),
    };
    // Run 0 measures memory (counting allocator on); runs 1..=runs are timed.
    let mut all = Vec::new();
    let mut heap_peak = 0;
    let mut baseline = 0;
    let mut vm_hwm = 0;
    let mut counts = (0, 0);
    for run in 0..=runs.max(1) {
        if run == 0 {
            baseline = start_counting();
        }
        let (phases, controls, failing) = one_run(path, config_path);
        if run == 0 {
            heap_peak = stop_counting(baseline);
            vm_hwm = jalon::timings::proc_status_bytes("VmHWM").unwrap_or(0);
        } else {
            all.push(phases);
        }
        counts = (controls, failing);
    }
    let (controls, failing) = counts;
    if let Some(out) = outcomes_out {
        // An untimed run of its own: the judged runs consume their outcomes.
        let outcomes = evaluate_only(path, &config);
        std::fs::write(out, serde_json::to_string(&outcomes_json(&outcomes)).expect("JSON")).expect("write outcomes");
    }
    let snapshot = snapshot::parse(&std::fs::read_to_string(path).expect("read")).expect("parse");
    let pick = |f: fn(&Phases) -> f64| median(&all.iter().map(f).collect::<Vec<_>>());
    let median = Phases {
        load: pick(|p| p.load),
        policies: pick(|p| p.policies),
        evaluate: pick(|p| p.evaluate),
        judge: pick(|p| p.judge),
        total: pick(|p| p.total),
        cpu: pick(|p| p.cpu),
    };
    let result = OneResult {
        resources: synthetic::resource_count(&snapshot),
        file_bytes: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0),
        runs: all.len(),
        median,
        all,
        heap_peak_bytes: heap_peak,
        vm_hwm_bytes: vm_hwm,
        controls,
        failing_resources: failing,
    };
    println!("{}", serde_json::to_string(&result).expect("JSON"));
}

/// User + system CPU time of this process so far (Linux: /proc/self/stat, in clock
/// ticks of 1/100 s, the USER_HZ Linux reports on every architecture jalon builds for);
/// 0 elsewhere.
fn process_cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses and may hold spaces):
    // utime and stime are the 14th and 15th fields, the 12th and 13th after it.
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = after_name.split_whitespace().skip(11).take(2).filter_map(|t| t.parse::<u64>().ok()).sum();
    ticks as f64 / 100.0
}

/// One `jalon check --snapshot FILE --format json` run before rendering: the library's
/// pipeline, as the CLI runs it. Returns the stages' times, the number of state
/// controls evaluated and the number of failing resources.
fn one_run(path: &Path, config_path: Option<&Path>) -> (Phases, usize, usize) {
    let files = pipeline::TeamFiles { config: config_path.map(Path::to_path_buf), ..Default::default() };
    let request = pipeline::Request::of_snapshot(path, files);
    let cpu0 = process_cpu_seconds();
    let t0 = Instant::now();
    let evaluation = pipeline::run(&request).unwrap_or_else(|e| panic!("{e}"));
    let times = evaluation.times;
    let p = Phases {
        load: times.snapshot.as_secs_f64(),
        policies: (times.files + times.engine).as_secs_f64(),
        evaluate: times.evaluate.as_secs_f64(),
        judge: times.judge.as_secs_f64(),
        total: t0.elapsed().as_secs_f64(),
        cpu: process_cpu_seconds() - cpu0,
    };
    let controls = evaluation.rules.policies.controls.values().filter(|c| c.reads_account()).count();
    let failing = evaluation
        .report
        .controls
        .iter()
        .flat_map(|c| &c.resources)
        .filter(|r| r.verdict == jalon::result::Verdict::Fail)
        .count();
    (p, controls, failing)
}

// ---------------------------------------------------------------- rendering

/// A small synthetic account whose log groups are `groups` copies of one without
/// retention, named by `name(i)`.
fn failing_log_groups(groups: usize, name: impl Fn(usize) -> String) -> jalon::snapshot::Snapshot {
    let mut snapshot = synthetic::generate(1_000, 42);
    let template = snapshot.logs.log_groups[0].clone();
    snapshot.logs.log_groups = (0..groups)
        .map(|i| {
            let name = name(i);
            jalon::snapshot::LogGroup {
                arn: format!("arn:aws:logs:{}:{}:log-group:{name}", template.region, synthetic::ACCOUNT),
                name,
                retention_days: None,
                ..template.clone()
            }
        })
        .collect();
    snapshot.normalize();
    snapshot
}

/// A writer that keeps nothing and counts the bytes.
#[derive(Default)]
struct CountingSink(usize);

impl std::io::Write for CountingSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The median seconds to render `report` in each format, every control in view: with
/// the default options (SARIF capped at GitHub's limit), and SARIF once more uncapped.
fn render_times(report: &jalon::result::CheckReport, runs: usize) -> Vec<(String, f64, usize)> {
    let defaults = jalon::render::Options { color: false, width: Some(120), exit_code: 1, ..Default::default() };
    let uncapped = jalon::render::Options { sarif_max_results: 0, ..defaults };
    let shown = |_: &jalon::result::ControlResult| true;
    let cases = [
        (Format::Json, defaults, ""),
        (Format::Table, defaults, ""),
        (Format::Markdown, defaults, ""),
        (Format::Html, defaults, ""),
        (Format::Junit, defaults, ""),
        (Format::Sarif, defaults, " (default cap)"),
        (Format::Sarif, uncapped, " (no cap)"),
        (Format::Ocsf, defaults, ""),
        (Format::Asff, defaults, ""),
        (Format::Csv, defaults, ""),
    ];
    cases
        .into_iter()
        .map(|(format, options, note)| {
            let view = jalon::render::View { report, shown: &shown, options };
            let mut bytes = 0;
            let times: Vec<f64> = (0..runs.max(1))
                .map(|_| {
                    // Buffered like `jalon check`'s files and stdout, into a sink that
                    // counts: a growing Vec of 300 MB measured page faults, not rendering.
                    let mut out = std::io::BufWriter::new(CountingSink::default());
                    let t = Instant::now();
                    format.write(&view, &mut out).expect("render");
                    out.flush().expect("flush");
                    let elapsed = t.elapsed().as_secs_f64();
                    bytes = out.get_ref().0;
                    elapsed
                })
                .collect();
            (format!("{format:?}{note}"), median(&times), bytes)
        })
        .collect()
}

fn render_bench(failing: usize, name_chars: usize, runs: usize) {
    let cases = [
        (
            format!("one control failing on {failing} log groups"),
            failing_log_groups(failing, |i| format!("/aws/lambda/bench-{i:06}")),
        ),
        (
            format!("one log group named with {name_chars} characters"),
            failing_log_groups(1, |_| format!("/{}", "n".repeat(name_chars))),
        ),
    ];
    println!("| case | format | render (s) | × JSON | output (MB) |\n|---|---|---:|---:|---:|");
    for (case, snapshot) in cases {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("snapshot.json");
        jalon::snapshot::save(&snapshot, &path).expect("write the snapshot");
        let request = pipeline::Request::of_snapshot(path, pipeline::TeamFiles::default());
        let evaluation = pipeline::run(&request).unwrap_or_else(|e| panic!("{e}"));
        let times = render_times(&evaluation.report, runs);
        let json = times.iter().find(|(f, ..)| f == "Json").map_or(f64::NAN, |t| t.1);
        for (format, seconds, bytes) in times {
            println!("| {case} | {format} | {seconds:.3} | {:.1} | {:.1} |", seconds / json, bytes as f64 / 1e6);
        }
    }
}

/// The raw outcomes of every state control, for the comparison with OPA.
fn evaluate_only(path: &Path, config: &Config) -> BTreeMap<String, ControlOutcome> {
    let (loaded, input) = jalon::engine::load_snapshot(path, false).unwrap_or_else(|e| panic!("{e}"));
    let as_of: DateTime<Utc> =
        DateTime::parse_from_rfc3339(&loaded.snapshot.collected_at).expect("collected_at").with_timezone(&Utc);
    let policies = PolicySet::embedded().unwrap_or_else(|e| panic!("{e}"));
    Evaluator::new(&policies, config, as_of).unwrap_or_else(|e| panic!("{e}")).evaluate(input)
}

/// {control id: {"in_scope": [ids], "deny": {id: [messages]}}} or {"error": text}.
fn outcomes_json(outcomes: &BTreeMap<String, ControlOutcome>) -> Json {
    let mut map = serde_json::Map::new();
    for (id, outcome) in outcomes {
        let v = match outcome {
            Ok(o) => json!({"in_scope": o.in_scope, "deny": o.deny}),
            Err(e) => json!({"error": e}),
        };
        map.insert(id.clone(), v);
    }
    Json::Object(map)
}

fn rules_profile(path: &Path, extra: &[String], extra_policies: &[PathBuf], only: bool, runs: usize) {
    let text = std::fs::read_to_string(path).expect("read the snapshot");
    let as_of = DateTime::parse_from_rfc3339(synthetic::COLLECTED_AT).expect("time").with_timezone(&Utc);
    let policies = PolicySet::embedded().expect("policies");
    let mut engine = regorus::Engine::new();
    for m in &policies.modules {
        engine.add_policy(m.name.clone(), m.source.clone()).expect("a valid policy");
    }
    for p in extra_policies {
        engine.add_policy_from_file(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    }
    engine
        .add_data(regorus::Value::from(jalon::engine::evaluation_data_json(&Config::default(), as_of)))
        .expect("data");
    // Converted as `jalon check` converts it.
    engine.set_input(jalon::engine::Input::from_json(&text).expect("input").into_value());
    let mut queries: Vec<String> = Vec::new();
    if !only {
        queries.extend(policies.controls.values().filter(|c| c.reads_account()).map(|c| format!("data.{}", c.package)));
    }
    queries.extend(extra.iter().cloned());
    if !only {
        queries.push("data.jalon.controls".into());
    }
    let mut times = Vec::new();
    for q in queries {
        let mut secs_per_run = Vec::new();
        let mut r = None;
        for _ in 0..runs.max(1) {
            let mut e = engine.clone();
            let t = Instant::now();
            r = Some(e.eval_query(q.clone(), false));
            secs_per_run.push(t.elapsed().as_secs_f64());
        }
        let (secs, r) = (median(&secs_per_run), r.expect("one run at least"));
        match r {
            Err(err) => eprintln!("{q}: {err}"),
            Ok(r) if q == "data.jalon.controls" => {
                let t = Instant::now();
                let v = r
                    .result
                    .first()
                    .and_then(|r| r.expressions.first())
                    .map(|e| e.value.clone())
                    .unwrap_or(regorus::Value::Undefined);
                let json = serde_json::to_value(&v).expect("JSON");
                eprintln!(
                    "result to serde_json: {:.1} ms ({} bytes as text)",
                    t.elapsed().as_secs_f64() * 1000.0,
                    json.to_string().len()
                );
            }
            Ok(_) => {}
        }
        times.push((secs, q));
    }
    times.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (secs, q) in times {
        println!("{:>9.1} ms  {q}", secs * 1000.0);
    }
}

// ---------------------------------------------------------------- evaluation, all sizes

struct EvalRow {
    one: OneResult,
    cli: CliRun,
    opa: Option<OpaResult>,
}

/// One `jalon check --format json` process, end to end (reading the file to writing
/// the report), as a user runs it.
#[derive(Debug, Default)]
struct CliRun {
    total_s: f64,
    vm_hwm_mib: f64,
}

/// Runs the release `jalon check` once with `JALON_TIMINGS=1` and reads its total
/// and peak memory from stderr.
fn cli_run(snapshot: &Path, report: &Path) -> CliRun {
    let jalon = std::env::current_exe().expect("own path").with_file_name("jalon");
    assert!(jalon.exists(), "{} is missing: build it with `cargo build --release --bin jalon`", jalon.display());
    let out = Command::new(&jalon)
        .args(["check", "--format", "json", "--snapshot"])
        .arg(snapshot)
        .arg("--output")
        .arg(report)
        .env("JALON_TIMINGS", "1")
        .output()
        .expect("run jalon check");
    // 0 or 1: the synthetic accounts have findings by design.
    assert!(out.status.code().is_some_and(|c| c <= 1), "jalon check failed: {}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let number = |stage: &str| {
        stderr
            .lines()
            .find_map(|l| l.strip_prefix("jalon: ")?.strip_prefix(stage))
            .and_then(|rest| rest.split_whitespace().next()?.parse::<f64>().ok())
            .unwrap_or_else(|| panic!("no `{stage}` line in jalon's timings:\n{stderr}"))
    };
    CliRun { total_s: number("total"), vm_hwm_mib: number("peak memory (VmHWM)") }
}

#[derive(Debug, Deserialize)]
struct OpaResult {
    eval_s: f64,
    input_conversion_s: f64,
    net_eval_s: f64,
    #[serde(skip)]
    agreement: Agreement,
}

#[derive(Debug, Default)]
struct Agreement {
    controls: usize,
    /// Controls whose in_scope and denied resources are the same in both engines.
    same_resources: usize,
    /// Controls whose deny messages are also the same.
    same_messages: usize,
    differences: Vec<String>,
}

fn eval_bench(args: &EvalArgs) -> Vec<EvalRow> {
    let dir = bench_dir();
    let exe = std::env::current_exe().expect("own path");
    let opa_setup = args.opa.then(|| opa_setup(&dir, args));
    let mut rows = Vec::new();
    for &size in &args.sizes {
        let path = dir.join(format!("synthetic-{size}.json"));
        let t = Instant::now();
        let snap = synthetic::generate(size, args.seed);
        let resources = synthetic::resource_count(&snap);
        snapshot::save(&snap, &path).expect("write the synthetic snapshot");
        drop(snap);
        eprintln!(
            "[eval] {size}: generated {resources} resources in {:.1}s -> {}",
            t.elapsed().as_secs_f64(),
            path.display()
        );
        let runs = args.runs.unwrap_or(if size >= 50_000 { 3 } else { 5 });
        let outcomes_path = dir.join(format!("outcomes-jalon-{size}.json"));
        let mut cmd = Command::new(&exe);
        cmd.arg("eval-one").arg("--snapshot").arg(&path).arg("--runs").arg(runs.to_string());
        cmd.arg("--outcomes").arg(&outcomes_path);
        if let Some(c) = &args.config {
            cmd.arg("--config").arg(c);
        }
        let out = cmd.stderr(Stdio::inherit()).output().expect("run eval-one");
        assert!(out.status.success(), "eval-one failed for {size}");
        let one: OneResult = serde_json::from_slice(&out.stdout).expect("eval-one output");
        eprintln!(
            "[eval] {size}: jalon {:.3}s median (evaluate {:.3}s), heap peak {:.0} MiB, VmHWM {:.0} MiB",
            one.median.total,
            one.median.evaluate,
            mib(one.heap_peak_bytes),
            mib(one.vm_hwm_bytes)
        );
        let cli = cli_run(&path, &dir.join(format!("check-{size}.json")));
        eprintln!("[eval] {size}: `jalon check --format json` {:.3}s, VmHWM {:.0} MiB", cli.total_s, cli.vm_hwm_mib);
        let opa = opa_setup.as_ref().map(|(policies_dir, data)| {
            let opa_out = dir.join(format!("outcomes-opa-{size}.json"));
            let out = Command::new(&args.opa_python)
                .arg(repo().join("tests/bench/opa_eval.py"))
                .arg("--policies")
                .arg(policies_dir)
                .arg("--data")
                .arg(data)
                .arg("--input")
                .arg(&path)
                .arg("--runs")
                .arg(runs.to_string())
                .arg("--outcomes")
                .arg(&opa_out)
                .stderr(Stdio::inherit())
                .output()
                .expect("run the OPA helper");
            assert!(out.status.success(), "the OPA helper failed for {size}");
            let mut r: OpaResult = serde_json::from_slice(&out.stdout).expect("OPA helper output");
            r.agreement = compare(&outcomes_path, &opa_out);
            eprintln!(
                "[opa] {size}: {:.3}s median, input conversion {:.3}s, net {:.3}s; {}/{} controls agree on resources, {}/{} on messages",
                r.eval_s,
                r.input_conversion_s,
                r.net_eval_s,
                r.agreement.same_resources,
                r.agreement.controls,
                r.agreement.same_messages,
                r.agreement.controls
            );
            for d in r.agreement.differences.iter().take(10) {
                eprintln!("[opa]   {d}");
            }
            r
        });
        rows.push(EvalRow { one, cli, opa });
    }
    rows
}

/// Writes the embedded (non-test) policies and the evaluation data where OPA reads them.
fn opa_setup(dir: &Path, args: &EvalArgs) -> (PathBuf, PathBuf) {
    assert!(
        args.opa_python.exists(),
        "{} is missing: run `bash tests/bench.sh`, which installs tests/bench/requirements.txt",
        args.opa_python.display()
    );
    let policies_dir = dir.join("opa-policies");
    let _ = std::fs::remove_dir_all(&policies_dir);
    let policies = PolicySet::embedded().expect("embedded policies");
    let mut translated = 0;
    for module in &policies.modules {
        let path = policies_dir.join(&module.name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
        let source = re2_syntax(&module.source);
        translated += usize::from(source != module.source);
        std::fs::write(&path, source).expect("write a policy");
    }
    if translated > 0 {
        eprintln!(
            "[opa] {translated} policy files use Rust-regex-only syntax ((?-u:...), (?i-u)) that OPA's RE2 rejects: \
             translated to RE2 for OPA (same meaning on ASCII text)"
        );
    }
    let config = match &args.config {
        Some(p) => Config::load(p).unwrap_or_else(|e| panic!("{e}")),
        None => Config::default(),
    };
    let as_of = DateTime::parse_from_rfc3339(synthetic::COLLECTED_AT).expect("time").with_timezone(&Utc);
    let data = dir.join("opa-data.json");
    let doc = jalon::engine::evaluation_data_json(&config, as_of);
    std::fs::write(&data, serde_json::to_string(&doc).expect("JSON")).expect("write data");
    (policies_dir, data)
}

/// Rust `regex` syntax OPA's Go RE2 does not know, rewritten to its RE2 equivalent:
/// `(?-u:\b)` is `\b` (RE2's `\b` is ASCII), `(?i-u)` is `(?i)`.
fn re2_syntax(source: &str) -> String {
    source.replace("(?-u:\\b)", "\\b").replace("(?i-u:", "(?i:").replace("(?i-u)", "(?i)").replace("(?-u:", "(?:")
}

/// Compares jalon's outcomes with OPA's `data.jalon.controls` per control.
fn compare(jalon_path: &Path, opa_path: &Path) -> Agreement {
    let jalon: Json = serde_json::from_slice(&std::fs::read(jalon_path).expect("jalon outcomes")).expect("JSON");
    let opa: Json = serde_json::from_slice(&std::fs::read(opa_path).expect("OPA outcomes")).expect("JSON");
    let policies = PolicySet::embedded().expect("embedded policies");
    let mut agreement = Agreement::default();
    for (id, meta) in policies.controls.iter().filter(|(_, m)| !m.attestation) {
        agreement.controls += 1;
        let short = meta.package.strip_prefix("jalon.controls.").unwrap_or(&meta.package);
        let mine = &jalon[id];
        let theirs = &opa[short];
        let strings = |v: &Json| -> BTreeSet<String> {
            v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect()).unwrap_or_default()
        };
        let my_scope = strings(&mine["in_scope"]);
        let my_deny: BTreeMap<String, BTreeSet<String>> = mine["deny"]
            .as_object()
            .map(|m| m.iter().map(|(k, v)| (k.clone(), strings(v))).collect())
            .unwrap_or_default();
        let their_scope = strings(&theirs["in_scope"]);
        let mut their_deny: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for d in theirs["deny"].as_array().into_iter().flatten() {
            let resource = d["resource"].as_str().unwrap_or_default().to_string();
            let message = d["message"].as_str().unwrap_or("fails").to_string();
            their_deny.entry(resource).or_default().insert(message);
        }
        // As jalon's engine does: a denied resource is in scope.
        let their_scope: BTreeSet<String> = their_scope.into_iter().chain(their_deny.keys().cloned()).collect();
        if mine.get("error").is_some() {
            agreement.differences.push(format!("{id}: jalon error {}", mine["error"]));
            continue;
        }
        let my_denied: BTreeSet<&String> = my_deny.keys().collect();
        let their_denied: BTreeSet<&String> = their_deny.keys().collect();
        if my_scope == their_scope && my_denied == their_denied {
            agreement.same_resources += 1;
            if my_deny == their_deny {
                agreement.same_messages += 1;
            } else if let Some((r, m)) = my_deny.iter().find(|(r, m)| their_deny.get(*r) != Some(m)) {
                agreement.differences.push(format!("{id}: message for {r}: jalon {m:?}, OPA {:?}", their_deny.get(r)));
            }
        } else {
            agreement.differences.push(format!(
                "{id}: in scope {} vs {}, denied {} vs {} (jalon vs OPA); first difference: {:?}",
                my_scope.len(),
                their_scope.len(),
                my_denied.len(),
                their_denied.len(),
                my_denied.symmetric_difference(&their_denied).next()
            ));
        }
    }
    agreement
}

// ---------------------------------------------------------------- collection

struct CollectRow {
    log_groups: usize,
    functions: usize,
    resources: usize,
    seed_s: f64,
    wall_s: f64,
    snapshot_s: f64,
    calls: BTreeMap<String, u64>,
    minimum: BTreeMap<String, u64>,
    served: BTreeMap<String, u64>,
    retries: u64,
    at_minimum: bool,
}

struct Emulator {
    child: Child,
    endpoint: String,
    port: u16,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_emulator(python: &Path) -> Emulator {
    assert!(python.exists(), "{} is missing: run `bash tests/run.sh` or `bash tests/bench.sh` first", python.display());
    let mut child = Command::new(python)
        .arg(repo().join("tests/emulator/jalon_moto.py"))
        .args(["--host", "127.0.0.1", "--port", "0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the emulator");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(Duration::from_secs(120)).unwrap_or_default();
    let endpoint = line.trim().rsplit(' ').next().unwrap_or_default().to_string();
    assert!(line.starts_with("jalon-moto ready on http://127.0.0.1:"), "the emulator did not start: {line:?}");
    let port = endpoint.rsplit(':').next().and_then(|p| p.parse().ok()).expect("a port");
    Emulator { child, endpoint, port }
}

impl Emulator {
    fn http(&self, method: &str, path: &str) -> String {
        use std::io::Read;
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(stream, "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .expect("write");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default()
    }
}

fn collect_bench(args: &CollectArgs) -> Vec<CollectRow> {
    let python = if args.emulator_python.is_absolute() {
        args.emulator_python.clone()
    } else {
        repo().join(&args.emulator_python)
    };
    let dir = bench_dir();
    let mut rows = Vec::new();
    for &log_groups in &args.collect_sizes {
        let functions = (log_groups / 40).max(1);
        let emu = start_emulator(&python);
        let manifest = dir.join(format!("collect-manifest-{log_groups}.json"));
        eprintln!("[collect] seeding {log_groups} log groups and {functions} functions...");
        let t = Instant::now();
        let status = Command::new(&python)
            .arg(repo().join("tests/emulator/seed.py"))
            .args(["--endpoint", &emu.endpoint, "--region", "eu-west-3", "--scenario", "scale", "--manifest"])
            .arg(&manifest)
            .args(["--log-groups", &log_groups.to_string(), "--functions", &functions.to_string()])
            .status()
            .expect("run the seeder");
        assert!(status.success(), "seeding failed");
        let seed_s = t.elapsed().as_secs_f64();
        emu.http("POST", "/_jalon/requests/reset");

        let out_path = dir.join(format!("collect-{log_groups}.json"));
        let t = Instant::now();
        let out = jalon_collect(&emu.endpoint, &out_path, &[]);
        let wall_s = t.elapsed().as_secs_f64();
        assert!(out.status.success(), "jalon collect failed: {}", String::from_utf8_lossy(&out.stderr));
        let served: BTreeMap<String, u64> =
            serde_json::from_str(&emu.http("GET", "/_jalon/requests")).unwrap_or_default();
        let text = std::fs::read_to_string(&out_path).expect("snapshot");
        let snap = snapshot::parse(&text).expect("a valid snapshot");
        let minimum = minimum_calls(&snap);
        let calls = snap.cost.api_calls.clone();
        let at_minimum = calls == minimum && served == calls;
        eprintln!(
            "[collect] {log_groups}: {} resources, {:.2}s wall ({:.2}s in the snapshot), {} calls (minimum {}), {}",
            synthetic::resource_count(&snap),
            wall_s,
            snap.cost.seconds,
            calls.values().sum::<u64>(),
            minimum.values().sum::<u64>(),
            if at_minimum { "at the minimum" } else { "NOT at the minimum" }
        );
        rows.push(CollectRow {
            log_groups,
            functions,
            resources: synthetic::resource_count(&snap),
            seed_s,
            wall_s,
            snapshot_s: snap.cost.seconds,
            calls,
            minimum,
            served,
            retries: snap.cost.retries,
            at_minimum,
        });
    }
    rows
}

/// `jalon collect` against the emulator, with a clean AWS environment.
fn jalon_collect(endpoint: &str, out: &Path, extra: &[&str]) -> std::process::Output {
    clean_jalon()
        .args(["collect", "--endpoint-url", endpoint, "--region", "eu-west-3", "--quiet", "-o"])
        .arg(out)
        .args(extra)
        .output()
        .expect("run jalon collect")
}

/// The release `jalon` beside this binary, with a clean AWS environment: fake
/// credentials, no shared config, no instance metadata.
fn clean_jalon() -> Command {
    let jalon = std::env::current_exe().expect("own path").with_file_name("jalon");
    assert!(jalon.exists(), "{} is missing: build it with `cargo build --release --bin jalon`", jalon.display());
    let mut cmd = Command::new(&jalon);
    cmd.env_remove("AWS_PROFILE")
        .env_remove("AWS_REGION")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("AWS_SESSION_TOKEN")
        .env("AWS_ACCESS_KEY_ID", "AKIAJALONBENCH000001")
        .env("AWS_SECRET_ACCESS_KEY", "jalon-bench-secret")
        .env("AWS_CONFIG_FILE", "/nonexistent/jalon-bench")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/jalon-bench")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    cmd
}

/// Seeds `functions` functions with `days` of traffic (plus a day, so the window is
/// whole), collects their metric data over `days` days, and prints one row each.
fn metrics_bench(args: &MetricsArgs) {
    let python = repo().join(&args.emulator_python);
    let dir = bench_dir();
    println!("| functions | days | windows | seed | collect (wall) | GetMetricData calls | fewest possible | data points | snapshot | metrics section |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for &functions in &args.functions {
        let emu = start_emulator(&python);
        let manifest = dir.join(format!("metrics-manifest-{functions}.json"));
        let t = Instant::now();
        let status = Command::new(&python)
            .arg(repo().join("tests/emulator/seed.py"))
            .args(["--endpoint", &emu.endpoint, "--region", "eu-west-3", "--scenario", "scale", "--manifest"])
            .arg(&manifest)
            .args(["--log-groups", "1", "--functions", &functions.to_string()])
            .args(["--traffic-days", &(args.days + 1).to_string()])
            .status()
            .expect("run the seeder");
        assert!(status.success(), "seeding failed");
        let seed_s = t.elapsed().as_secs_f64();
        let since = (chrono::Utc::now() - chrono::Duration::days(i64::from(args.days))).date_naive().to_string();
        let out_path = dir.join(format!("metrics-{functions}.json"));
        let t = Instant::now();
        let out = jalon_collect(&emu.endpoint, &out_path, &["--metrics-since", &since]);
        let wall_s = t.elapsed().as_secs_f64();
        assert!(out.status.success(), "jalon collect failed: {}", String::from_utf8_lossy(&out.stderr));
        let text = std::fs::read_to_string(&out_path).expect("snapshot");
        let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let window = &value["metrics"]["windows"][0];
        let section = snapshot::format::to_string(&value["metrics"]).len() as u64;
        let windows = value["metrics"]["functions"][0]["series"]["at"].as_array().map_or(0, Vec::len);
        println!(
            "| {functions} | {} | {windows} | {seed_s:.1} s | {wall_s:.2} s | {} | {} | {} | {:.1} MiB | {:.1} MiB |",
            args.days,
            window["calls"],
            window["minimum_calls"],
            window["datapoints"],
            mib(text.len() as u64),
            mib(section),
        );
    }
}

/// The fewest calls that can read this snapshot's content: every list at its largest
/// page size (at least one page, even when empty), plus the per-resource calls the
/// APIs leave no way around (Lambda has no account-wide call for reserved
/// concurrency, aliases, event invoke configs or resource policies; RDS parameters
/// are read per custom parameter group).
fn minimum_calls(s: &Snapshot) -> BTreeMap<String, u64> {
    let pages = |items: usize, page: usize| -> u64 { items.div_ceil(page).max(1) as u64 };
    let regions = s.regions.len() as u64;
    let mut m = BTreeMap::new();
    let f = s.lambda.functions.len();
    m.insert("sts:GetCallerIdentity".to_string(), 1);
    m.insert("lambda:ListFunctions".into(), pages(f, 50) * regions);
    m.insert("lambda:ListEventSourceMappings".into(), pages(s.lambda.event_source_mappings.len(), 100) * regions);
    if f > 0 {
        let f = f as u64;
        m.insert("lambda:GetFunctionConcurrency".into(), f);
        m.insert("lambda:GetPolicy".into(), f);
        m.insert(
            "lambda:ListAliases".into(),
            s.lambda.functions.iter().map(|x| pages(x.aliases.len(), 10_000)).sum::<u64>(),
        );
        m.insert(
            "lambda:ListFunctionEventInvokeConfigs".into(),
            s.lambda.functions.iter().map(|x| pages(x.event_invoke_configs.len(), 50)).sum::<u64>(),
        );
    }
    m.insert("logs:DescribeLogGroups".into(), pages(s.logs.log_groups.len(), 50) * regions);
    m.insert("rds:DescribeDBInstances".into(), pages(s.rds.instances.len(), 100) * regions);
    m.insert("rds:DescribeDBClusters".into(), pages(s.rds.clusters.len(), 100) * regions);
    let instance_groups = s.rds.parameter_groups.iter().filter(|g| !g.cluster).count() as u64;
    let cluster_groups = s.rds.parameter_groups.iter().filter(|g| g.cluster).count() as u64;
    if instance_groups > 0 {
        m.insert("rds:DescribeDBParameters".into(), instance_groups);
    }
    if cluster_groups > 0 {
        m.insert("rds:DescribeDBClusterParameters".into(), cluster_groups);
    }
    m.insert("secretsmanager:ListSecrets".into(), pages(s.secretsmanager.secrets.len(), 100) * regions);
    let alarms = s.cloudwatch.metric_alarms.len() + s.cloudwatch.composite_alarms.len();
    m.insert("cloudwatch:DescribeAlarms".into(), pages(alarms, 100) * regions);
    m.insert("sns:ListTopics".into(), pages(s.sns.topics.len(), 100) * regions);
    m.insert("sns:ListSubscriptions".into(), pages(s.sns.subscriptions.len(), 100) * regions);
    m.insert("xray:GetSamplingRules".into(), pages(s.xray.sampling_rules.len(), 100) * regions);
    m.insert("xray:GetEncryptionConfig".into(), regions);
    m.insert("xray:GetGroups".into(), pages(s.xray.groups.len(), 100) * regions);
    // Tagging returns the tagged Lambda functions, log groups and alarms.
    let tagged = s.lambda.functions.iter().filter(|x| !x.tags.is_empty()).count()
        + s.logs.log_groups.iter().filter(|x| !x.tags.is_empty()).count()
        + s.cloudwatch.metric_alarms.iter().filter(|x| !x.tags.is_empty()).count();
    m.insert("tagging:GetResources".into(), pages(tagged, 100) * regions);
    m
}

// ---------------------------------------------------------------- the table

fn print_markdown(eval: &[EvalRow], collect: &[CollectRow]) {
    let mut md = String::new();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    md.push_str(&format!(
        "jalon {} ({} build), {} cores; medians of several runs.\n\n",
        env!("CARGO_PKG_VERSION"),
        if cfg!(debug_assertions) { "DEBUG" } else { "release" },
        cores
    ));
    if !eval.is_empty() {
        md.push_str("### Evaluation (every shipped control, default config)\n\n");
        md.push_str(
            "| resources | snapshot | load | policies | evaluate | judge | **total** | CPU | µs / resource | heap peak | VmHWM | CLI total | CLI VmHWM |",
        );
        let with_opa = eval.iter().any(|r| r.opa.is_some());
        if with_opa {
            md.push_str(" OPA eval | OPA input conv. | OPA net | **jalon / OPA** | same deny sets |");
        }
        md.push('\n');
        md.push_str("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        if with_opa {
            md.push_str("---:|---:|---:|---:|---|");
        }
        md.push('\n');
        for r in eval {
            let m = &r.one.median;
            md.push_str(&format!(
                "| {} | {:.1} MiB | {:.3} s | {:.3} s | {:.3} s | {:.3} s | **{:.3} s** | {:.2} s | {:.1} | {:.0} MiB | {:.0} MiB | {:.3} s | {:.0} MiB |",
                r.one.resources,
                mib(r.one.file_bytes),
                m.load,
                m.policies,
                m.evaluate,
                m.judge,
                m.total,
                m.cpu,
                m.total * 1e6 / r.one.resources.max(1) as f64,
                mib(r.one.heap_peak_bytes),
                mib(r.one.vm_hwm_bytes),
                r.cli.total_s,
                r.cli.vm_hwm_mib,
            ));
            if let Some(o) = &r.opa {
                md.push_str(&format!(
                    " {:.3} s | {:.3} s | {:.3} s | **{:.2}** | {}/{} resources, {}/{} messages |",
                    o.eval_s,
                    o.input_conversion_s,
                    o.net_eval_s,
                    m.evaluate / o.net_eval_s.max(1e-9),
                    o.agreement.same_resources,
                    o.agreement.controls,
                    o.agreement.same_messages,
                    o.agreement.controls,
                ));
            } else if with_opa {
                md.push_str(" | | | | |");
            }
            md.push('\n');
        }
        if eval.len() > 1 {
            let first = &eval[0].one;
            let last = &eval[eval.len() - 1].one;
            let growth = last.median.total / first.median.total.max(1e-9);
            let size = last.resources as f64 / first.resources.max(1) as f64;
            md.push_str(&format!(
                "\nCost curve: {:.0}x the resources took {:.1}x the time (linear = {:.0}x).\n",
                size, growth, size
            ));
        }
        md.push_str(
            "\nload = read the file, then the typed parse + SHA-256 and the conversion to the engine's input value side by side \
on two threads (as `jalon check` does); policies = parse the embedded Rego and load the data; evaluate = all controls in one query (plus result decoding); \
judge = verdicts. CPU = user + system time of the process during the run, every thread (on two cores the wall time \
can not go below half of it). heap peak = the allocator's count of bytes in use, first run, in a fresh process per size; VmHWM = that process's \
resident-set high-water mark. CLI = one `jalon check --format json --output FILE` process end to end (reading the \
snapshot to writing the 50 MB report at 100k), its total and VmHWM from `JALON_TIMINGS=1`. OPA = OPA's Go engine (opa-golib-python-bindings), native call only; its net time subtracts \
the same call on a trivial rule (its input conversion). jalon / OPA compares evaluate with OPA net.\n",
        );
    }
    if !collect.is_empty() {
        md.push_str("\n### Collection against the emulator (scale scenario, one region, concurrency 8)\n\n");
        md.push_str("| log groups | functions | resources | wall time | API calls | minimum | retries |\n|---:|---:|---:|---:|---:|---:|---:|\n");
        for r in collect {
            md.push_str(&format!(
                "| {} | {} | {} | {:.2} s | {} | {} | {} |\n",
                r.log_groups,
                r.functions,
                r.resources,
                r.wall_s,
                r.calls.values().sum::<u64>(),
                r.minimum.values().sum::<u64>(),
                r.retries
            ));
        }
        let ops: BTreeSet<&String> = collect.iter().flat_map(|r| r.calls.keys().chain(r.minimum.keys())).collect();
        md.push_str("\nCalls per operation (made / minimum / answered by the emulator):\n\n| operation |");
        for r in collect {
            md.push_str(&format!(" {} log groups |", r.log_groups));
        }
        md.push_str("\n|---|");
        for _ in collect {
            md.push_str("---:|");
        }
        md.push('\n');
        for op in ops {
            md.push_str(&format!("| {op} |"));
            for r in collect {
                let get = |m: &BTreeMap<String, u64>| m.get(op).copied().unwrap_or(0);
                let (made, min, served) = (get(&r.calls), get(&r.minimum), get(&r.served));
                let mark = if made == min && served == made { "" } else { " ⚠" };
                md.push_str(&format!(" {made} / {min} / {served}{mark} |"));
            }
            md.push('\n');
        }
        md.push_str(&format!(
            "\nSeeding took {} (not timed in the table). Wall time includes process start; the snapshot's own `cost.seconds`: {}.\n",
            collect.iter().map(|r| format!("{:.0} s", r.seed_s)).collect::<Vec<_>>().join(", "),
            collect.iter().map(|r| format!("{:.2} s", r.snapshot_s)).collect::<Vec<_>>().join(", "),
        ));
    }
    println!("{md}");
    let path = bench_dir().join("results.md");
    let _ = std::fs::write(&path, &md);
    eprintln!("(also written to {})", path.display());
}
