//! Every `jalon check --format` on the demo snapshot: golden files (insta, under
//! tests/snapshots/), the SARIF log against the official schema, the OCSF events
//! against the official OCSF schema (tests/ocsf), the ASFF findings against Security
//! Hub's API model in botocore (tests/asff), the CSV read back, and the HTML page
//! in a real headless browser (Debian's chromium): its script runs, its filters
//! work, hostile resource names stay text, and its screenshot is a real page.
//!
//! The validators and the browser are installed by `bash tests/run.sh`. Without them a
//! developer's `cargo test` skips those tests with a message; under `CI` they fail.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// `jalon check` on the demo (or `snapshot` instead) with `extra` arguments:
/// stdout and the exit code. No colour, a fixed width.
fn check_with(snapshot: Option<&Path>, extra: &[&str]) -> (String, i32) {
    let snapshot = snapshot.map_or(common::DEMO_SNAPSHOT, |path| path.to_str().expect("UTF-8 path"));
    let mut args = vec!["check", "--snapshot", snapshot];
    args.extend_from_slice(&common::DEMO_FILES);
    args.extend_from_slice(extra);
    let out = common::jalon_command(&args).env("COLUMNS", "120").output().expect("run jalon");
    let code = out.status.code().expect("an exit code");
    assert!(matches!(code, 0..=2), "jalon check failed ({code}): {}", common::stderr(&out));
    (common::stdout(&out), code)
}

fn check(extra: &[&str]) -> (String, i32) {
    check_with(None, extra)
}

/// The policies' fingerprint changes with any edit of any policy file, even one
/// that changes no verdict: golden files show a placeholder instead.
fn redact(text: &str, report: &Value) -> String {
    let version = report["policies_version"].as_str().expect("policies_version");
    text.replace(version, "[policies-version]")
}

fn report_of(snapshot: Option<&Path>, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&check_with(snapshot, &args).0).expect("JSON result")
}

// ---------------------------------------------------------------------------------
// Golden files.

#[test]
fn golden_demo_every_format() {
    let report = report_of(None, &[]);
    for (name, format) in [
        ("demo_table", "table"),
        ("demo_json", "json"),
        ("demo_junit", "junit"),
        ("demo_sarif", "sarif"),
        ("demo_markdown", "markdown"),
        ("demo_html", "html"),
        ("demo_ocsf", "ocsf"),
        ("demo_asff", "asff"),
        ("demo_csv", "csv"),
        ("demo_fix", "fix"),
    ] {
        let (text, code) = check(&["--format", format, "--color", "never"]);
        assert_eq!(code, 1, "{format}: the demo has failures");
        insta::assert_snapshot!(name, redact(&text, &report));
    }
}

#[test]
fn golden_phase_view() {
    let report = report_of(None, &[]);
    for (name, format) in [("phase_j7_markdown", "markdown"), ("phase_j7_junit", "junit"), ("phase_j7_sarif", "sarif")]
    {
        let (text, _) = check(&["--format", format, "--phase", "J+7"]);
        assert!(!text.contains("ALM-001"), "{format}: a J+0 control in the J+7 view");
        insta::assert_snapshot!(name, redact(&text, &report));
    }
}

/// The demo six weeks on (everything due, attestations missing: NEEDS_EVIDENCE) with
/// the RDS collector denied (UNKNOWN): the verdicts the demo itself does not have.
fn degraded_snapshot(dir: &Path) -> PathBuf {
    let mut snapshot = common::read_json(&common::repo().join("examples/demo-snapshot.json"));
    for collector in snapshot["collectors"].as_array_mut().expect("collectors") {
        if collector["service"] == "rds" {
            collector["status"] = "access_denied".into();
            collector["operation"] = "DescribeDBInstances".into();
            collector["message"] = "User: arn:aws:sts::123456789012:assumed-role/jalon/ci is not authorized".into();
        }
    }
    let path = dir.join("degraded-snapshot.json");
    std::fs::write(&path, serde_json::to_string_pretty(&snapshot).unwrap()).unwrap();
    path
}

#[test]
fn golden_degraded_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let snapshot = degraded_snapshot(dir.path());
    let late = ["--as-of", "2026-12-31"];
    let report = report_of(Some(&snapshot), &late);
    let verdicts: Vec<&str> =
        report["controls"].as_array().unwrap().iter().map(|c| c["verdict"].as_str().unwrap()).collect();
    assert!(verdicts.contains(&"UNKNOWN") && verdicts.contains(&"NEEDS_EVIDENCE"), "{verdicts:?}");
    for (name, format) in [("degraded_markdown", "markdown"), ("degraded_junit", "junit"), ("degraded_sarif", "sarif")]
    {
        let (text, code) = check_with(Some(&snapshot), &["--format", format, "--as-of", "2026-12-31"]);
        assert_eq!(code, 1);
        let text = redact(&text, &report).replace(&snapshot.display().to_string(), "[snapshot]");
        insta::assert_snapshot!(name, text);
    }
}

// ---------------------------------------------------------------------------------
// Semantics the goldens could hide.

#[test]
fn junit_totals_match_the_result() {
    let report = report_of(None, &[]);
    let (xml, _) = check(&["--format", "junit"]);
    let controls = report["controls"].as_array().unwrap();
    let (mut tests, mut failures, mut errors, mut skipped) = (0, 0, 0, 0);
    for c in controls {
        let verdict = c["verdict"].as_str().unwrap();
        tests += 1;
        match verdict {
            "FAIL" => failures += 1,
            "UNKNOWN" | "NEEDS_EVIDENCE" => errors += 1,
            "PENDING" | "NOT_APPLICABLE" | "WAIVED" => skipped += 1,
            _ => {}
        }
        for r in c["resources"].as_array().unwrap() {
            tests += 1;
            match (verdict, r["verdict"].as_str().unwrap()) {
                ("PENDING", "FAIL") | (_, "WAIVED") => skipped += 1,
                (_, "FAIL") => failures += 1,
                _ => {}
            }
        }
    }
    let head = format!(
        r#"<testsuites name="jalon" tests="{tests}" skipped="{skipped}" failures="{failures}" errors="{errors}">"#
    );
    assert!(xml.contains(&head), "expected {head} in\n{}", &xml[..400.min(xml.len())]);
    assert_eq!(xml.matches("<testsuite ").count(), 3, "one suite per phase");
    assert_eq!(xml.matches("<testcase ").count(), tests);
}

#[test]
fn several_formats_go_to_their_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let formats = "table,junit,sarif,markdown,html,ocsf,asff,csv";
    let (table, code) = check(&["--format", formats, "-o", out, "--color", "never"]);
    assert_eq!(code, 1);
    assert!(table.contains("FAIL · 10 controls, most severe first"), "the table still goes to stdout");
    for name in
        ["jalon.junit.xml", "jalon.sarif", "jalon.md", "jalon.html", "jalon.ocsf.json", "jalon.asff.json", "jalon.csv"]
    {
        let text = std::fs::read_to_string(dir.path().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!text.is_empty(), "{name} is empty");
    }
}

#[test]
fn sarif_records_the_exit_code_of_the_run() {
    let (text, code) = check(&["--format", "sarif", "--fail-on", "critical"]);
    let log: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(log["runs"][0]["invocations"][0]["exitCode"], code);
    let (text, code) = check(&["--format", "sarif", "--phase", "J+30"]);
    let log: Value = serde_json::from_str(&text).unwrap();
    assert_eq!((code, log["runs"][0]["invocations"][0]["exitCode"].as_i64()), (0, Some(0)));
}

#[test]
fn markdown_fits_a_pull_request_comment() {
    let (text, _) = check(&["--format", "markdown"]);
    assert!(text.chars().count() < 65_000);
    let failures = text.find("### ❌ Failures").expect("failures section");
    assert!(failures < text.find("### ⏳ Not due yet").expect("pending section"));
    assert!(failures < text.find("<details>").expect("passing controls folded"));
}

// ---------------------------------------------------------------------------------
// The tools these tests need: installed by tests/run.sh; skipped locally, fatal in CI.

fn required(what: &str, path: Option<PathBuf>) -> Option<PathBuf> {
    if path.is_some() {
        return path;
    }
    let why = format!("{what} is not installed: run `bash tests/run.sh`");
    if std::env::var_os("CI").is_some() {
        panic!("{why}");
    }
    eprintln!("skipping: {why}");
    None
}

fn sarif_python() -> Option<PathBuf> {
    let path = std::env::var_os("JALON_SARIF_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::repo().join("target/sarif-venv/bin/python"));
    required(&format!("the SARIF schema ({} missing)", path.display()), path.exists().then_some(path))
}

/// A validator's Python, from `variable` or the venv tests/run.sh builds under target/.
fn validator_python(what: &str, variable: &str, venv: &str) -> Option<PathBuf> {
    let path = std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| common::repo().join(format!("target/{venv}/bin/python")));
    required(&format!("{what} ({} missing)", path.display()), path.exists().then_some(path))
}

fn chromium() -> Option<PathBuf> {
    let found = std::env::var_os("JALON_CHROMIUM").map(PathBuf::from).or_else(|| {
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .map(|dir| dir.join("chromium"))
            .find(|p| p.is_file())
    });
    required("chromium (Debian's package)", found)
}

/// poppler's pdftotext (Debian's poppler-utils): reads back what the printed page says.
fn pdftotext() -> Option<PathBuf> {
    let found = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join("pdftotext"))
        .find(|p| p.is_file());
    required("pdftotext (Debian's poppler-utils)", found)
}

fn validate_sarif(python: &Path, files: &[&Path]) -> (bool, String) {
    let out = Command::new(python)
        .arg(common::repo().join("tests/sarif/validate.py"))
        .args(files)
        .output()
        .expect("run the SARIF validator");
    (out.status.success(), format!("{}{}", common::stdout(&out), common::stderr(&out)))
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let Some(python) = sarif_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let degraded = degraded_snapshot(dir.path());
    // The demo's result as a baseline: the degraded snapshot's results carry a baselineState.
    let (baseline, _) = check_with(None, &["--format", "json"]);
    let baseline_path = dir.path().join("baseline.json");
    std::fs::write(&baseline_path, baseline).unwrap();
    let mut files = Vec::new();
    for (i, (snapshot, extra)) in [
        (None, vec![]),
        (None, vec!["--phase", "J+7"]),
        (Some(degraded.as_path()), vec!["--as-of", "2026-12-31"]),
        (Some(degraded.as_path()), vec!["--baseline", baseline_path.to_str().unwrap()]),
        // Capped: a notification says how many results were left out.
        (None, vec!["--sarif-max-results", "5"]),
    ]
    .into_iter()
    .enumerate()
    {
        let mut args = vec!["--format", "sarif"];
        args.extend(extra);
        let (text, _) = check_with(snapshot, &args);
        let path = dir.path().join(format!("log-{i}.sarif"));
        std::fs::write(&path, text).unwrap();
        files.push(path);
    }
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let (ok, output) = validate_sarif(&python, &paths);
    assert!(ok, "SARIF does not validate:\n{output}");
    assert_eq!(output.matches(": valid against https://docs.oasis-open.org/sarif/").count(), 5, "{output}");
    let with_baseline: Value = serde_json::from_str(&std::fs::read_to_string(&files[3]).unwrap()).unwrap();
    let states: Vec<&str> = with_baseline["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["baselineState"].as_str().expect("every result has a baselineState"))
        .collect();
    assert!(states.contains(&"new") && states.contains(&"unchanged"), "{states:?}");
    let full: Value = serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    let capped: Value = serde_json::from_str(&std::fs::read_to_string(&files[4]).unwrap()).unwrap();
    let count = |log: &Value| log["runs"][0]["results"].as_array().unwrap().len();
    assert!(count(&full) > 5, "the demo has more than 5 results");
    assert_eq!(count(&capped), 5);
    let omitted = &capped["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["properties"]["resultsOmitted"];
    assert_eq!(omitted.as_u64(), Some(count(&full) as u64 - 5));

    // The validator does reject what the schema forbids.
    let mut broken: Value = serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    let path = dir.path().join("broken.sarif");
    std::fs::write(&path, broken.to_string()).unwrap();
    let (ok, output) = validate_sarif(&python, &[&path]);
    assert!(!ok && output.contains("runs/0/results/0/level"), "{output}");
}

/// `python validate.py files...` of tests/`dir`: whether every file is valid, and what it said.
fn run_validator(python: &Path, dir: &str, files: &[&Path]) -> (bool, String) {
    let out = Command::new(python)
        .arg(common::repo().join(format!("tests/{dir}/validate.py")))
        .args(files)
        .output()
        .unwrap_or_else(|e| panic!("run the {dir} validator: {e}"));
    (out.status.success(), format!("{}{}", common::stdout(&out), common::stderr(&out)))
}

/// Each `(snapshot, extra arguments)` rendered in `format` to a file of `dir`.
fn render_files(dir: &Path, format: &str, cases: &[(Option<&Path>, Vec<&str>)]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for (i, (snapshot, extra)) in cases.iter().enumerate() {
        let mut args = vec!["--format", format];
        args.extend(extra);
        let (text, _) = check_with(*snapshot, &args);
        let path = dir.join(format!("{format}-{i}.json"));
        std::fs::write(&path, text).unwrap();
        files.push(path);
    }
    files
}

/// A name longer than any ASFF field and full of what each reader acts on.
const LONG_HOSTILE_NAME: &str = "/x/=HYPERLINK(\"http://evil.example\",\"x\"),\"a\",b\n<script>😀</script>";

fn long_hostile_name() -> String {
    format!("{LONG_HOSTILE_NAME}{}", "😀é".repeat(400))
}

#[test]
fn ocsf_is_valid_against_the_official_schema() {
    let Some(python) = validator_python("the OCSF schema", "JALON_OCSF_PYTHON", "ocsf-venv") else { return };
    let dir = tempfile::tempdir().unwrap();
    let degraded = degraded_snapshot(dir.path());
    let hostile = snapshot_with_a_log_group_named(dir.path(), &long_hostile_name());
    let files = render_files(
        dir.path(),
        "ocsf",
        &[
            (None, vec![]),
            (None, vec!["--phase", "J+7"]),
            (Some(degraded.as_path()), vec!["--as-of", "2026-12-31"]),
            (Some(hostile.as_path()), vec![]),
        ],
    );
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let (ok, output) = run_validator(&python, "ocsf", &paths);
    assert!(ok, "OCSF does not validate:\n{output}");
    assert_eq!(output.matches("events valid against OCSF 1.6.0 compliance_finding").count(), 4, "{output}");

    // Every verdict of the degraded run has its compliance status.
    let events: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&files[2]).unwrap()).unwrap();
    let statuses: std::collections::BTreeSet<(String, u64)> = events
        .iter()
        .map(|e| {
            (
                e["compliance"]["status_code"].as_str().unwrap().to_string(),
                e["compliance"]["status_id"].as_u64().unwrap(),
            )
        })
        .collect();
    for (verdict, status_id) in [("FAIL", 3), ("PASS", 1), ("UNKNOWN", 0), ("NEEDS_EVIDENCE", 2), ("WAIVED", 3)] {
        assert!(statuses.contains(&(verdict.to_string(), status_id)), "{verdict}: {statuses:?}");
    }
    // One event per resource, one per control without resources, of the controls in view.
    let report = report_of(Some(&degraded), &["--as-of", "2026-12-31"]);
    let expected: usize =
        report["controls"].as_array().unwrap().iter().map(|c| c["resources"].as_array().unwrap().len().max(1)).sum();
    assert_eq!(events.len(), expected);
    // The hostile name is kept whole, as data.
    let hostile: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&files[3]).unwrap()).unwrap();
    assert!(hostile
        .iter()
        .any(|e| e["resources"][0]["uid"].as_str().is_some_and(|id| id.ends_with(&long_hostile_name()))));

    // The validator rejects what the schema forbids.
    let mut broken = events.clone();
    broken[0]["compliance"]["status_id"] = 7.into();
    broken[1]["finding_info"]["made_up"] = true.into();
    let path = dir.path().join("broken.json");
    std::fs::write(&path, serde_json::to_string(&broken).unwrap()).unwrap();
    let (ok, output) = run_validator(&python, "ocsf", &[&path]);
    assert!(!ok, "{output}");
    assert!(output.contains("0/compliance/status_id") && output.contains("'made_up' was unexpected"), "{output}");
}

#[test]
fn asff_is_valid_for_securityhub_batch_import_findings() {
    let Some(python) = validator_python("botocore's Security Hub model", "JALON_ASFF_PYTHON", "asff-venv") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let degraded = degraded_snapshot(dir.path());
    let hostile = snapshot_with_a_log_group_named(dir.path(), &long_hostile_name());
    let files = render_files(
        dir.path(),
        "asff",
        &[(None, vec![]), (Some(degraded.as_path()), vec!["--as-of", "2026-12-31"]), (Some(hostile.as_path()), vec![])],
    );
    let paths: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let (ok, output) = run_validator(&python, "asff", &paths);
    assert!(ok, "ASFF does not validate:\n{output}");
    assert_eq!(output.matches("batches valid against botocore").count(), 3, "{output}");

    // The demo's findings take two calls of at most 100.
    let findings: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&files[0]).unwrap()).unwrap();
    assert!(findings.len() > 100, "{}", findings.len());
    assert!(output.contains(&format!("{} findings in 2 batches", findings.len())), "{output}");
    // Only due controls: the demo's J+7 and J+30 controls are not.
    let report = report_of(None, &[]);
    let not_due: Vec<&str> = report["controls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["due"] == false)
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(findings.iter().all(|f| !not_due.contains(&f["Compliance"]["SecurityControlId"].as_str().unwrap())));
    let waived = findings
        .iter()
        .find(|f| f["ProductFields"]["jalon/Verdict"] == "WAIVED" && f["RecordState"] == "ACTIVE")
        .expect("a waived resource");
    assert_eq!(
        (&waived["Compliance"]["Status"], &waived["Workflow"]["Status"]),
        (&"FAILED".into(), &"SUPPRESSED".into())
    );
    // UNKNOWN and NEEDS_EVIDENCE: a finding on the account each.
    let degraded: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&files[1]).unwrap()).unwrap();
    for status in ["NOT_AVAILABLE", "WARNING"] {
        let f = degraded.iter().find(|f| f["Compliance"]["Status"] == status).unwrap_or_else(|| panic!("{status}"));
        assert_eq!(f["Resources"][0]["Type"], "AwsAccount");
    }
    // The hostile name's finding: cut to Security Hub's length, still its resource.
    let hostile: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&files[2]).unwrap()).unwrap();
    let cut = hostile
        .iter()
        .find(|f| f["Resources"][0]["Id"].as_str().is_some_and(|id| id.ends_with(&long_hostile_name())))
        .expect("the hostile log group's finding");
    let description = cut["Description"].as_str().unwrap();
    assert!(description.ends_with('…') && description.encode_utf16().count() <= 1024, "{description}");

    // The validator rejects what Security Hub would.
    let mut broken = findings.clone();
    broken[0]["Title"] = "t".repeat(257).into();
    broken[1]["Compliance"]["Status"] = "BROKEN".into();
    broken[2].as_object_mut().unwrap().remove("AwsAccountId");
    let path = dir.path().join("broken.json");
    std::fs::write(&path, serde_json::to_string(&broken).unwrap()).unwrap();
    let (ok, output) = run_validator(&python, "asff", &[&path]);
    assert!(!ok, "{output}");
    for expected in ["0/Title: 257 UTF-16 units", "1/Compliance/Status: 'BROKEN'", "Findings[2]: \"AwsAccountId\""] {
        assert!(output.contains(expected), "{expected} not in {output}");
    }
}

#[test]
fn csv_reads_back_a_hostile_name_whole_and_never_as_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    let name = "/x/\"quoted\", comma\nnew line\r\n=HYPERLINK(\"http://evil.example\",\"click\")";
    let path = snapshot_with_a_log_group_named(dir.path(), name);
    let (text, _) = check_with(Some(&path), &["--format", "csv"]);
    let report = report_of(Some(&path), &[]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap(),
        vec![
            "control", "title", "phase", "severity", "verdict", "due", "resource", "region", "message", "fix",
            "account"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a well-formed row")).collect();
    let expected: usize =
        report["controls"].as_array().unwrap().iter().map(|c| c["resources"].as_array().unwrap().len().max(1)).sum();
    assert_eq!(rows.len(), expected);
    let arn = format!("arn:aws:logs:eu-west-3:123456789012:log-group:{name}");
    let row = rows.iter().find(|r| &r[0] == "LOG-001" && r[6] == arn).expect("the hostile log group, read back whole");
    assert_eq!((&row[4], &row[7], &row[10]), ("FAIL", "eu-west-3", "123456789012"));
    for cell in rows.iter().flat_map(|r| r.iter()) {
        assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "a formula cell: {cell:?}");
    }

    // A message that starts like a formula keeps its text behind the quote.
    let mut snapshot = common::read_json(&path);
    let groups = snapshot["logs"]["log_groups"].as_array_mut().unwrap();
    let last = groups.len() - 1;
    groups[last]["name"] = "=1+1".into();
    groups[last]["arn"] = "=1+1".into();
    let formula = dir.path().join("formula.json");
    std::fs::write(&formula, serde_json::to_string_pretty(&snapshot).unwrap()).unwrap();
    let (text, _) = check_with(Some(&formula), &["--format", "csv"]);
    let rows: Vec<csv::StringRecord> =
        csv::Reader::from_reader(text.as_bytes()).records().map(Result::unwrap).collect();
    assert!(rows.iter().any(|r| &r[6] == "'=1+1"), "{text}");
}

// ---------------------------------------------------------------------------------
// The HTML page in a real browser.

/// Runs headless chromium with its own profile; kills it after two minutes.
fn chromium_run(chromium: &Path, profile: &Path, args: &[&str]) -> String {
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let stderr = child.stderr.take().unwrap();
    let errors = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish in 2 minutes: {args:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = reader.join().unwrap();
    let err = errors.join().unwrap();
    assert!(status.success(), "chromium failed ({status}): {err}");
    out
}

fn file_url(path: &Path, fragment: &str) -> String {
    format!("file://{}{fragment}", path.display())
}

/// `(verdict, hidden)` of every control in a dumped DOM.
fn controls_in(dom: &str) -> Vec<(String, bool)> {
    dom.match_indices("<details class=\"control\"")
        .map(|(at, _)| {
            let tag = &dom[at..at + dom[at..].find('>').expect("end of tag")];
            let verdict = tag.split("data-verdict=\"").nth(1).and_then(|s| s.split('"').next()).expect("data-verdict");
            (verdict.to_string(), tag.contains(" hidden"))
        })
        .collect()
}

#[test]
fn html_runs_filters_and_renders_in_a_headless_browser() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let report = report_of(None, &[]);
    let total = report["controls"].as_array().unwrap().len();
    let failing = report["controls"].as_array().unwrap().iter().filter(|c| c["verdict"] == "FAIL").count();
    let page = dir.path().join("jalon.html");
    std::fs::write(&page, check(&["--format", "html"]).0).unwrap();

    // The script ran: every control listed and visible, every filter on by default.
    let dom = chromium_run(&chromium, &dir.path().join("profile-1"), &["--dump-dom", &file_url(&page, "")]);
    assert!(dom.contains("data-ready=\"true\""), "the page's script did not run:\n{dom}");
    let controls = controls_in(&dom);
    assert_eq!(controls.len(), total);
    assert!(controls.iter().all(|(_, hidden)| !hidden));
    assert!(dom.contains(&format!("Showing {total} of {total} controls")));
    assert!(
        dom.contains("data-verdicts=\"FAIL,UNKNOWN,NEEDS_EVIDENCE,PENDING,WAIVED,PASS,NOT_APPLICABLE\""),
        "default filter"
    );
    assert!(dom.contains("data-severities=\"critical,high,medium,low\""), "default filter");

    // A filter in the URL: only FAIL controls stay visible, and the status says so.
    let dom =
        chromium_run(&chromium, &dir.path().join("profile-2"), &["--dump-dom", &file_url(&page, "#verdict=FAIL")]);
    let controls = controls_in(&dom);
    assert!(!controls.is_empty());
    for (verdict, hidden) in &controls {
        assert_eq!(*hidden, verdict != "FAIL", "{verdict} hidden={hidden}");
    }
    assert!(dom.contains(&format!("Showing {failing} of {total} controls")), "status line");
    assert!(dom.contains("data-verdicts=\"FAIL\""), "the filter read from the URL");

    // Severity and verdict together: only critical failures.
    let dom = chromium_run(
        &chromium,
        &dir.path().join("profile-3"),
        &["--dump-dom", &file_url(&page, "#verdict=FAIL&severity=critical")],
    );
    let critical_failing = report["controls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["verdict"] == "FAIL" && c["severity"] == "critical")
        .count();
    assert_eq!(controls_in(&dom).iter().filter(|(_, hidden)| !hidden).count(), critical_failing);

    // The screenshot: the right size, and a page, not a blank or single-colour image.
    let png = dir.path().join("jalon.png");
    chromium_run(
        &chromium,
        &dir.path().join("profile-4"),
        &[&format!("--screenshot={}", png.display()), "--window-size=1280,2000", &file_url(&page, "")],
    );
    check_screenshot(&png, 1280, 2000);
    if let Some(keep) = std::env::var_os("JALON_KEEP_SCREENSHOT") {
        std::fs::copy(&png, keep).unwrap();
    }
}

#[test]
fn html_filters_by_phase_on_screen_and_prints_everything() {
    let (Some(chromium), Some(pdftotext)) = (chromium(), pdftotext()) else { return };
    let dir = tempfile::tempdir().unwrap();
    let report = report_of(None, &[]);
    let of_phase = |id: &str| report["controls"].as_array().unwrap().iter().filter(|c| c["phase_id"] == id).count();
    let page = dir.path().join("jalon.html");
    std::fs::write(&page, check(&["--format", "html"]).0).unwrap();

    // The phase filter, as the page writes it (J%2B7) and as a person types it (J+7).
    for (i, fragment) in ["#phase=J%2B7", "#phase=J+7,J+30"].iter().enumerate() {
        let dom = chromium_run(
            &chromium,
            &dir.path().join(format!("profile-{i}")),
            &["--dump-dom", &file_url(&page, fragment)],
        );
        let visible = controls_in(&dom).iter().filter(|(_, hidden)| !hidden).count();
        let expected = if i == 0 { of_phase("J+7") } else { of_phase("J+7") + of_phase("J+30") };
        assert_eq!(visible, expected, "{fragment}");
        assert!(dom.contains(&format!("Showing {expected} of")), "{fragment}");
    }

    // Printed with a screen filter that shows only the failures: the print has the
    // counters, every phase, and every control open with its evidence.
    let pdf = dir.path().join("jalon.pdf");
    chromium_run(
        &chromium,
        &dir.path().join("profile-print"),
        &[&format!("--print-to-pdf={}", pdf.display()), "--no-pdf-header-footer", &file_url(&page, "#verdict=FAIL")],
    );
    let out = Command::new(pdftotext).arg(&pdf).arg("-").output().expect("run pdftotext");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    for id in report["controls"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()) {
        assert!(text.contains(id), "{id} is missing from the print");
    }
    // A passing control's evidence (closed on screen) and a waiver's (filtered out).
    // (pdftotext reads the evidence table's columns interleaved: one phrase, not a line.)
    assert!(text.contains("by cto@example.com"), "the waived DB-006's evidence");
    assert!(text.contains("PENDING"), "the counters");
    // Each phase starts a page (pdftotext ends a page with a form feed).
    let raw = String::from_utf8_lossy(&out.stdout).to_string();
    for phase in report["phases"].as_array().unwrap() {
        let title = phase["title"].as_str().unwrap();
        let starts = raw.split('\u{c}').any(|page| page.lines().take(3).any(|l| l.contains(title)));
        assert!(starts, "no page starts with the phase {title}:\n{raw}");
    }
}

fn check_screenshot(path: &Path, width: u32, height: u32) {
    let bytes = std::fs::read(path).expect("chromium wrote the screenshot");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG file");
    // IHDR comes first: width and height, big-endian, at bytes 16..24.
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((w, h), (width, height));

    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("PNG header");
    let mut pixels = vec![0; reader.output_buffer_size().expect("buffer size")];
    let info = reader.next_frame(&mut pixels).expect("PNG frame");
    let channels = info.color_type.samples();
    let pixels = &pixels[..info.buffer_size()];
    let mut colours = std::collections::HashMap::new();
    for px in pixels.chunks(channels) {
        *colours.entry(px[..3.min(channels)].to_vec()).or_insert(0usize) += 1;
    }
    let total = (width * height) as usize;
    let background = colours.values().max().copied().unwrap_or(0);
    assert!(colours.len() > 50, "only {} colours: a blank page?", colours.len());
    assert!(background < total * 95 / 100, "{}% of the page is one colour", background * 100 / total);
    // The red of FAIL is on the page (the demo has failures).
    assert!(
        colours.keys().any(|c| c.len() >= 3 && c[0] > 180 && c[1] < 80 && c[2] < 80),
        "no failure red in the screenshot"
    );
}

/// The demo with one more log group, named `name`, without retention: it fails the
/// retention floor, so its name lands in the checklist, the drift and the diff.
fn snapshot_with_a_log_group_named(dir: &Path, name: &str) -> PathBuf {
    let mut snapshot = common::read_json(&common::repo().join("examples/demo-snapshot.json"));
    let groups = snapshot["logs"]["log_groups"].as_array_mut().expect("log groups");
    let mut hostile = groups[0].clone();
    hostile["name"] = name.into();
    hostile["arn"] = format!("arn:aws:logs:eu-west-3:123456789012:log-group:{name}").into();
    hostile["retention_days"] = Value::Null;
    groups.push(hostile);
    let path = dir.join("hostile-snapshot.json");
    std::fs::write(&path, serde_json::to_string_pretty(&snapshot).unwrap()).unwrap();
    path
}

#[test]
fn html_keeps_hostile_resource_names_as_text_in_a_browser() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    // A log group whose name is markup: it fails the retention floor, so its ARN and
    // the policies' messages about it land in the page.
    let name = r#"/x/<img src=x onerror="document.title='pwned'"><script>document.title="pwned"</script>'"#;
    let path = snapshot_with_a_log_group_named(dir.path(), name);

    let (html, _) = check_with(Some(&path), &["--format", "html"]);
    assert_eq!(html.matches("<script").count(), 1, "only the page's own script");
    assert!(html.contains("&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;"));
    let page = dir.path().join("hostile.html");
    std::fs::write(&page, &html).unwrap();
    let dom = chromium_run(&chromium, &dir.path().join("profile"), &["--dump-dom", &file_url(&page, "")]);
    assert!(dom.contains("data-ready=\"true\""));
    assert!(!dom.contains("pwned</title>"), "injected script ran:\n{dom}");
    assert!(dom.contains("<title>jalon · 123456789012"), "{}", &dom[..600.min(dom.len())]);
    assert!(!dom.contains("<img src=\"x\""), "injected element in the DOM");
    assert!(dom.contains("&lt;img src=x onerror="), "the name is shown as text");

    // Same for Markdown: the name only ever appears inside a code span or escaped.
    let (md, _) = check_with(Some(&path), &["--format", "markdown"]);
    for line in md.lines().filter(|l| l.contains("onerror")) {
        assert!(line.contains("`/x/<img src=x onerror=") || line.contains(r"\<img"), "{line}");
    }
}

/// What a Markdown renderer makes of `md`: every link, image and raw HTML in it,
/// and the text of its code blocks.
fn markdown_markup(md: &str) -> (Vec<String>, String) {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut markup = Vec::new();
    let mut code_blocks = String::new();
    let mut in_block = false;
    for event in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => markup.push(format!("link {dest_url}")),
            Event::Start(Tag::Image { dest_url, .. }) => markup.push(format!("image {dest_url}")),
            Event::Html(html) | Event::InlineHtml(html) => markup.push(format!("html {html}")),
            Event::Start(Tag::CodeBlock(_)) => in_block = true,
            Event::End(TagEnd::CodeBlock) => in_block = false,
            Event::Text(text) if in_block => code_blocks.push_str(&text),
            _ => {}
        }
    }
    (markup, code_blocks)
}

#[test]
fn diff_markdown_keeps_a_name_with_newlines_and_fences_inside_its_block() {
    let dir = tempfile::tempdir().unwrap();
    // A log group whose name closes a code fence, then writes a link, an image, raw
    // HTML and bare autolinks on lines of their own: in a job summary, all of that
    // would render if the name could leave its block.
    let name = "/x/\n```\n~~~\n[click](https://evil.example/a)\n![img](https://evil.example/i.png)\n<img src=x>\nINJECTED www.evil.example ops@evil.example";
    let path = snapshot_with_a_log_group_named(dir.path(), name);

    let out = common::jalon(&["diff", common::DEMO_SNAPSHOT, path.to_str().unwrap(), "--format", "markdown"]);
    assert_eq!(out.status.code(), Some(1), "{}", common::stderr(&out));
    let md = common::stdout(&out);
    assert!(md.contains("INJECTED"), "the name is shown:\n{md}");
    let (markup, code_blocks) = markdown_markup(&md);
    assert!(markup.is_empty(), "the name became markup: {markup:?}\n{md}");
    // The configuration change stays inside its block, on one line.
    assert!(code_blocks.contains(r"/x/\u{a}```\u{a}~~~\u{a}[click](https://evil.example/a)"), "{md}");
    for start in ["INJECTED", "[click]", "![img]", "<img", "```\n"] {
        assert!(!md.lines().any(|l| l.starts_with(start)), "a line of the name begins with {start}:\n{md}");
    }

    // The checklist and the drift report say the same of it.
    let baseline = dir.path().join("baseline.json");
    check(&["--format", "json", "--output", baseline.to_str().unwrap()]);
    let (report, _) = check_with(Some(&path), &["--format", "markdown", "--baseline", baseline.to_str().unwrap()]);
    assert!(report.contains("INJECTED"), "the name is shown:\n{report}");
    let (markup, _) = markdown_markup(&report);
    let foreign: Vec<_> = markup.iter().filter(|m| m.contains("evil")).collect();
    assert!(foreign.is_empty(), "the name became markup: {foreign:?}");
}

#[test]
fn terminal_text_shows_escape_sequences_instead_of_obeying_them() {
    let dir = tempfile::tempdir().unwrap();
    // A log group whose name clears the screen, hides a link, reverses the text after
    // it and carries a newline: it fails the retention floor, so it lands in the
    // checklist, the drift against the demo and the snapshot diff.
    let name = "/x/\u{1b}[2J\u{1b}]8;;http://e\u{7}ok\u{202e}gol.exe\nINJECTED";
    let path = snapshot_with_a_log_group_named(dir.path(), name);
    let baseline = dir.path().join("baseline.json");
    check(&["--format", "json", "--output", baseline.to_str().unwrap()]);

    let (table, _) = check_with(Some(&path), &["--format", "table"]);
    let (drift, _) = check_with(Some(&path), &["--format", "table", "--baseline", baseline.to_str().unwrap()]);
    let diff = common::jalon(&["diff", common::DEMO_SNAPSHOT, path.to_str().unwrap()]);
    let diff = common::stdout(&diff);
    for (what, text) in [("table", &table), ("drift", &drift), ("diff", &diff)] {
        assert!(text.contains(r"/x/\u{1b}[2J\u{1b}]8;;http://e\u{7}ok"), "{what}: name not shown:\n{text}");
        assert!(text.contains(r"\u{202e}gol.exe\u{a}INJECTED"), "{what}: bidi or newline not shown:\n{text}");
        assert!(!text.contains(['\u{1b}', '\u{7}', '\u{202e}']), "{what}: a raw control character:\n{text}");
        assert!(!text.lines().any(|l| l.trim_start().starts_with("INJECTED")), "{what}: the newline began a line");
    }
}
