//! Drift: `jalon diff` on pairs of snapshots that differ in known ways (derived from
//! the demo snapshot by editing its JSON), `jalon diff` on two results, `jalon check
//! --baseline` exit codes, and bad input.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{jalon, jalon_command, read_json, repo, stderr, stdout, DEMO_FILES, DEMO_SNAPSHOT};
use serde_json::{json, Value};

const DEMO: &str = DEMO_SNAPSHOT;
const ORDERS_API_LOGS: &str = "arn:aws:logs:eu-west-3:123456789012:log-group:/aws/lambda/orders-api";
const ERROR_RATE_ALARM: &str = "arn:aws:cloudwatch:eu-west-3:123456789012:alarm:orders-api-error-rate";
const RDS_SECRET: &str =
    "arn:aws:secretsmanager:eu-west-3:123456789012:secret:rds!db-4a9fab5c-d590-45aa-a44f-38e6fef2e815-uQfjXb";
const MOCK_FUNCTION: &str = "arn:aws:lambda:eu-west-3:123456789012:function:orders-read-mock";
const NEW_LOG_GROUP: &str = "arn:aws:logs:eu-west-3:123456789012:log-group:/orders/new-audit";

fn demo() -> Value {
    read_json(&repo().join(DEMO))
}

fn write(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(value).unwrap()).unwrap();
    path
}

fn by_arn<'a>(list: &'a mut Value, arn: &str) -> &'a mut Value {
    list.as_array_mut().unwrap().iter_mut().find(|x| x["arn"] == arn).unwrap_or_else(|| panic!("{arn} not in the demo"))
}

/// The demo, changed in five known ways: a retention to never-expire, an alarm
/// threshold raised, a rotation turned off, a function removed, a log group added.
fn drifted() -> Value {
    let mut s = demo();
    by_arn(&mut s["logs"]["log_groups"], ORDERS_API_LOGS)["retention_days"] = Value::Null;
    by_arn(&mut s["cloudwatch"]["metric_alarms"], ERROR_RATE_ALARM)["threshold"] = json!(5.0);
    by_arn(&mut s["secretsmanager"]["secrets"], RDS_SECRET)["rotation_enabled"] = json!(false);
    s["lambda"]["functions"].as_array_mut().unwrap().retain(|f| f["arn"] != MOCK_FUNCTION);
    let mut group = by_arn(&mut s["logs"]["log_groups"], ORDERS_API_LOGS).clone();
    group["arn"] = json!(NEW_LOG_GROUP);
    group["name"] = json!("/orders/new-audit");
    group["retention_days"] = json!(400);
    group["tags"] = json!({"env": "prod", "data-class": "audit"});
    s["logs"]["log_groups"].as_array_mut().unwrap().push(group);
    s
}

fn str_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "absent".into(),
        other => other.to_string(),
    }
}

/// A side of a field change: `absent` (no such field), `null`, or the value.
fn side(change: &Value, which: &str) -> String {
    match change.get(which) {
        None => "absent".into(),
        Some(Value::Null) => "null".into(),
        Some(v) => str_of(v),
    }
}

/// Every change of a `jalon diff --format json` snapshot diff, flattened:
/// (section, kind, key, field, before, after).
fn changes(diff: &Value) -> BTreeSet<(String, String, String, String, String, String)> {
    let mut out = BTreeSet::new();
    for s in diff["snapshots"]["sections"].as_array().unwrap() {
        let section = s["section"].as_str().unwrap().to_string();
        for (kind, list) in [("added", &s["added"]), ("removed", &s["removed"])] {
            for r in list.as_array().unwrap() {
                out.insert((
                    section.clone(),
                    kind.into(),
                    str_of(&r["key"]),
                    String::new(),
                    String::new(),
                    String::new(),
                ));
            }
        }
        for r in s["changed"].as_array().unwrap() {
            for f in r["fields"].as_array().unwrap() {
                out.insert((
                    section.clone(),
                    "changed".into(),
                    str_of(&r["key"]),
                    str_of(&f["path"]),
                    side(f, "before"),
                    side(f, "after"),
                ));
            }
        }
    }
    out
}

fn tuple(
    section: &str,
    kind: &str,
    key: &str,
    field: &str,
    before: &str,
    after: &str,
) -> (String, String, String, String, String, String) {
    (section.into(), kind.into(), key.into(), field.into(), before.into(), after.into())
}

#[test]
fn every_known_snapshot_difference_is_reported_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let new = write(dir.path(), "new.json", &drifted());
    let out = jalon(&["diff", DEMO, new.to_str().unwrap(), "--format", "json", "--config", "examples/jalon.toml"]);
    let diff: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    let want: BTreeSet<_> = [
        tuple("logs.log_groups", "changed", ORDERS_API_LOGS, "retention_days", "30", "null"),
        tuple("cloudwatch.metric_alarms", "changed", ERROR_RATE_ALARM, "threshold", "2.0", "5.0"),
        tuple("secretsmanager.secrets", "changed", RDS_SECRET, "rotation_enabled", "true", "false"),
        tuple("lambda.functions", "removed", MOCK_FUNCTION, "", "", ""),
        tuple("logs.log_groups", "added", NEW_LOG_GROUP, "", "", ""),
    ]
    .into_iter()
    .collect();
    assert_eq!(changes(&diff), want);
    assert_eq!(diff["kind"], "snapshots");
    assert!(diff["snapshots"]["collectors"].as_array().unwrap().is_empty());
    assert!(diff["snapshots"]["regions_added"].as_array().unwrap().is_empty());
    // The retention change is a regression: exit 1, and the verdict drift says which.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(diff["regression"], true);
    let new_failures: BTreeSet<(String, String)> = diff["drift"]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| {
            c["resources"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|r| r["change"] == "new_failure")
                .map(|r| (str_of(&c["id"]), str_of(&r["id"])))
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(new_failures.contains(&("LOG-002".into(), ORDERS_API_LOGS.into())), "{new_failures:?}");
    assert!(new_failures.contains(&("LOG-001".into(), ORDERS_API_LOGS.into())), "{new_failures:?}");
}

#[test]
fn the_text_diff_reads_as_field_paths() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old.json", &demo());
    write(dir.path(), "new.json", &drifted());
    let config = repo().join("examples/jalon.toml");
    let out = jalon_command(&["diff", "old.json", "new.json", "--config", config.to_str().unwrap()])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    for line in [
        "  ~ logs.log_groups[/aws/lambda/orders-api].retention_days: 30 → never expire (null)",
        "  ~ cloudwatch.metric_alarms[orders-api-error-rate].threshold: 2.0 → 5.0",
        "  ~ secretsmanager.secrets[rds!db-4a9fab5c-d590-45aa-a44f-38e6fef2e815-uQfjXb].rotation_enabled: true → false",
        "  - lambda.functions[orders-read-mock]",
        "  + logs.log_groups[/orders/new-audit]",
    ] {
        assert!(text.lines().any(|l| l == line), "missing line {line:?} in:\n{text}");
    }
    // The snapshot part does not depend on the policies: a golden text.
    let snapshot_part = text.split("\nVerdicts,").next().unwrap();
    let demo_sha = &jalon::snapshot::sha256_hex(&std::fs::read(dir.path().join("old.json")).unwrap())[..12];
    let new_sha = &jalon::snapshot::sha256_hex(&std::fs::read(dir.path().join("new.json")).unwrap())[..12];
    let golden = snapshot_part.replace(demo_sha, "[old-sha]").replace(new_sha, "[new-sha]");
    insta::assert_snapshot!("snapshot_diff_text", golden);
}

#[test]
fn volatile_fields_are_compared_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = demo();
    by_arn(&mut s["logs"]["log_groups"], ORDERS_API_LOGS)["stored_bytes"] = json!(123456789);
    let new = write(dir.path(), "new.json", &s);
    let out = jalon(&["diff", DEMO, new.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let diff: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(changes(&diff).is_empty());
    let out = jalon(&["diff", DEMO, new.to_str().unwrap(), "--format", "json", "--all-fields"]);
    let diff: Value = serde_json::from_slice(&out.stdout).unwrap();
    let got = changes(&diff);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got.iter().next().unwrap().3, "stored_bytes");

    // The metric data is what production did, new every night: not a drift of the
    // account, unless asked.
    let mut s = demo();
    s["metrics"]["functions"][0]["series"]["errors"][0] = json!(7);
    s["metrics"]["functions"][0]["series"]["worst_error_rate_percent"] = json!(100.0);
    let new = write(dir.path(), "traffic.json", &s);
    let out = jalon(&["diff", DEMO, new.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let diff: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(changes(&diff).is_empty(), "{diff}");
    assert!(diff["snapshots"]["ignored_fields"].as_array().unwrap().contains(&json!("metrics")));
    let out = jalon(&["diff", DEMO, new.to_str().unwrap(), "--format", "json", "--all-fields"]);
    let diff: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!changes(&diff).is_empty(), "{diff}");
}

fn check(args: &[&str]) -> std::process::Output {
    let mut all = vec!["check"];
    all.extend_from_slice(&DEMO_FILES);
    all.extend_from_slice(args);
    jalon(&all)
}

/// The demo's result, as a baseline.
fn baseline(dir: &Path) -> PathBuf {
    let path = dir.join("baseline.json");
    let out = check(&["--snapshot", DEMO, "--format", "json", "-o", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "the demo has findings: {}", stderr(&out));
    path
}

#[test]
fn check_against_a_baseline_fails_only_on_regressions() {
    let dir = tempfile::tempdir().unwrap();
    let base = baseline(dir.path());
    let base = base.to_str().unwrap();

    // Same account state: the known failures do not fail the run.
    let out = check(&["--snapshot", DEMO, "--baseline", base]);
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("No drift since the baseline"), "{}", stdout(&out));
    // ...unless asked to fail on any failure.
    let out = check(&["--snapshot", DEMO, "--baseline", base, "--fail-on-any"]);
    assert_eq!(out.status.code(), Some(1));

    // A retention turned to never-expire: a regression (LOG-001 and LOG-002 are high).
    let mut s = demo();
    by_arn(&mut s["logs"]["log_groups"], ORDERS_API_LOGS)["retention_days"] = Value::Null;
    let new = write(dir.path(), "new.json", &s);
    let new = new.to_str().unwrap();
    let out = check(&["--snapshot", new, "--baseline", base]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let drift = &text[text.find("Drift since the baseline").expect("drift after the table")..];
    assert!(drift.contains("✗ LOG-002 high · /aws/lambda/orders-api · PASS → FAIL"), "{drift}");
    // The Markdown report (a CI job summary) says what changed too.
    let out = check(&["--snapshot", new, "--baseline", base, "--format", "markdown"]);
    let text = stdout(&out);
    let section = &text[text.find("### 🔀 Since the baseline").expect("a drift section")..];
    assert!(section.contains("**2 new failures**"), "{section}");
    assert!(section.contains("- LOG-002 high · /aws/lambda/orders-api · PASS → FAIL"), "{section}");
    assert!(section.find("### ❌ Failures").is_some(), "the drift comes before the failures: {text}");
    // SARIF marks the regression `new` and the known failures `unchanged`.
    let out = check(&["--snapshot", new, "--baseline", base, "--format", "sarif"]);
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    let state_of = |rule: &str, resource: &str| {
        let results = log["runs"][0]["results"].as_array().unwrap();
        let found = results.iter().find(|r| r["ruleId"] == rule && r["properties"]["resource"] == resource);
        found.map(|r| r["baselineState"].as_str().unwrap().to_string())
    };
    assert_eq!(state_of("LOG-002", ORDERS_API_LOGS).as_deref(), Some("new"));
    let known = log["runs"][0]["results"].as_array().unwrap().iter().filter(|r| r["baselineState"] == "unchanged");
    assert!(known.count() > 0);
    // Below --fail-on it is no regression that fails the run.
    let out = check(&["--snapshot", new, "--baseline", base, "--fail-on", "critical"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    // The JSON result carries the drift.
    let out = check(&["--snapshot", new, "--baseline", base, "--format", "json"]);
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(result["result_version"], 1);
    assert_eq!(result["drift"]["summary"]["new_failures"], 2);
    // A result without a baseline has no `drift` field at all.
    let plain = read_json(Path::new(base));
    assert!(plain.get("drift").is_none());
}

#[test]
fn a_baseline_of_another_account_regions_or_policies_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let base = baseline(dir.path());
    // The same account state: no warning.
    let out = check(&["--snapshot", DEMO, "--baseline", base.to_str().unwrap(), "--format", "json"]);
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(result.get("warnings").is_none(), "{}", result["warnings"]);

    let mut other: Value = serde_json::from_str(&std::fs::read_to_string(&base).unwrap()).unwrap();
    other["snapshot"]["account_id"] = "210987654321".into();
    other["snapshot"]["regions"] = serde_json::json!(["eu-west-1", "eu-west-3"]);
    other["policies_version"] = "0123456789ab".into();
    let other = write(dir.path(), "other.json", &other);
    let out = check(&["--snapshot", DEMO, "--baseline", other.to_str().unwrap(), "--format", "json"]);
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    let messages: Vec<&str> = result["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .inspect(|w| assert_eq!(w["kind"], "baseline-mismatch"))
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].contains("account 210987654321, this run of account 123456789012"));
    assert!(messages[1].contains("regions eu-west-1, eu-west-3, this run eu-west-3"));
    assert!(messages[2].contains("policies 0123456789ab"));
    assert!(stderr(&out).contains("jalon: warning: the baseline is of account 210987654321"));
    assert_eq!(out.status.code(), Some(0), "a warning, not a finding: the state is the same");
}

#[test]
fn two_results_diff_both_ways() {
    let dir = tempfile::tempdir().unwrap();
    let base = baseline(dir.path());
    let mut s = demo();
    by_arn(&mut s["logs"]["log_groups"], ORDERS_API_LOGS)["retention_days"] = Value::Null;
    let snap = write(dir.path(), "new.json", &s);
    let new = dir.path().join("new-result.json");
    check(&["--snapshot", snap.to_str().unwrap(), "--format", "json", "-o", new.to_str().unwrap()]);
    let (base, new) = (base.to_str().unwrap(), new.to_str().unwrap());
    let out = jalon(&["diff", base, new]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("New failures (regressions)"));
    // The other way round, the same change is a fix, and no regression.
    let out = jalon(&["diff", new, base, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let diff: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(diff["kind"], "results");
    assert_eq!(diff["drift"]["summary"]["fixed"], 2);
    assert_eq!(diff["drift"]["summary"]["new_failures"], 0);
}

#[test]
fn bad_input_exits_3_naming_the_file_and_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\n  \"schema_version\": 1,\n  \"tool\": \n}\n").unwrap();
    let out = jalon(&["diff", DEMO, broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(err.contains("broken.json") && err.contains("line 4"), "{err}");

    // A snapshot with a wrong field type: the field is named.
    let mut s = demo();
    by_arn(&mut s["logs"]["log_groups"], ORDERS_API_LOGS)["retention_days"] = json!("thirty");
    let wrong = write(dir.path(), "wrong.json", &s);
    let out = jalon(&["diff", DEMO, wrong.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(err.contains("wrong.json") && err.contains("logs.log_groups[0].retention_days"), "{err}");

    // A snapshot and a result are not comparable.
    let base = baseline(dir.path());
    let out = jalon(&["diff", DEMO, base.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("is a snapshot and"), "{}", stderr(&out));

    // Neither kind.
    let other = write(dir.path(), "other.json", &json!({"hello": "world"}));
    let out = jalon(&["diff", other.to_str().unwrap(), DEMO]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("other.json: expected a snapshot"), "{}", stderr(&out));

    // A snapshot given as a baseline.
    let out = check(&["--snapshot", DEMO, "--baseline", DEMO]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("not a check result"), "{}", stderr(&out));

    // A result with a wrong field: line and field.
    let mut result = read_json(&base);
    result["controls"][0]["verdict"] = json!("GREAT");
    let bad = write(dir.path(), "bad-result.json", &result);
    let out = check(&["--snapshot", DEMO, "--baseline", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(err.contains("bad-result.json") && err.contains("controls[0].verdict") && err.contains("line "), "{err}");

    // A missing file.
    let out = jalon(&["diff", DEMO, "no-such-file.json"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("no-such-file.json"));
}
