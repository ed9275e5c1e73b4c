//! `jalon check` end to end on the demo snapshot: verdicts, phases, waivers,
//! attestations, exit codes, and a clear error (exit 3) for every kind of bad input.

mod common;

use std::path::{Path, PathBuf};

use common::{jalon, repo, result_json, stderr, stdout, DEMO_SNAPSHOT};
use serde_json::Value;

const DEMO: &str = DEMO_SNAPSHOT;

fn demo_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    common::demo_check_args(extra)
}

fn control<'a>(result: &'a Value, id: &str) -> &'a Value {
    result["controls"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("no {id}"))
}

fn verdict(result: &Value, id: &str) -> String {
    control(result, id)["verdict"].as_str().unwrap().to_string()
}

#[test]
fn the_demo_shows_passes_failures_waivers_and_pending_items() {
    let out = jalon(&demo_args(&[]));
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}{}", stderr(&out));
    // The triage opens with each phase's state, verdict and counts, then the failures.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "J+0 Cutover day due FAIL 10 FAIL, 1 WAIVED, 17 PASS",
        "J+7 First week not due yet PENDING",
        "J+30 First month not due yet PENDING",
        "FAIL · 10 controls, most severe first",
        "NOT DUE YET · 15 controls",
        "WAIVED · 3 controls",
        "PASS · 27 controls pass, 4 not applicable (--show-passing lists them)",
        "fix: ",
    ] {
        assert!(flat.contains(needle), "missing {needle:?} in\n{text}");
    }
    let order: Vec<usize> =
        ["FAIL ·", "NOT DUE YET ·", "WAIVED ·", "PASS ·"].iter().map(|s| text.find(s).unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "failures, then not due, then waived, then passing: {text}");
    assert!(text.contains("waiver expired on 2026-11-15"), "{text}");

    let (_, result) = result_json(&demo_args(&[]));
    assert_eq!(result["result_version"], 1);
    assert_eq!(result["day"], 3);
    assert_eq!(result["cutover"], "2026-11-19");
    assert_eq!(verdict(&result, "ALM-001"), "FAIL");
    assert_eq!(verdict(&result, "DB-006"), "WAIVED");
    assert_eq!(verdict(&result, "OPS-005"), "PENDING", "the mock path is due at J+30");
    assert_eq!(verdict(&result, "DEP-003"), "PASS", "attested");
    assert_eq!(control(&result, "DEP-003")["attestation"]["by"], "orders-team@example.com");
    // The demo's kill switch is not in AppConfig: the attestation stands for it.
    assert_eq!(control(&result, "DEP-003")["note"], "attested (nothing seen in the account)");
    // The failing resources come first, with a message.
    let alm = control(&result, "ALM-001");
    assert_eq!(alm["resources"][0]["verdict"], "FAIL");
    assert!(!alm["resources"][0]["message"].as_str().unwrap().is_empty());
    // The snapshot is cited by the hash of its bytes.
    let bytes = std::fs::read(repo().join(DEMO)).unwrap();
    assert_eq!(result["snapshot"]["sha256"], jalon::snapshot::sha256_hex(&bytes));
    // The expired waiver is reported and no longer waives.
    assert_eq!(result["waivers"]["expired"][0]["control"], "LOG-003");
}

#[test]
fn a_control_is_pending_before_its_phase_and_fails_from_its_day_on() {
    // OPS-005 (J+30): the mock function is still deployed.
    let (_, at_j29) = result_json(&demo_args(&["--as-of", "2026-12-18"]));
    assert_eq!(at_j29["day"], 29);
    assert_eq!(verdict(&at_j29, "OPS-005"), "PENDING");
    let (code, at_j30) = result_json(&demo_args(&["--as-of", "2026-12-19"]));
    assert_eq!(verdict(&at_j30, "OPS-005"), "FAIL");
    assert_eq!(code, Some(1));
    // Passing controls pass whatever their phase.
    let (_, before) = result_json(&demo_args(&["--cutover", "2026-12-01"]));
    assert_eq!(verdict(&before, "ALM-003"), "PASS");
}

#[test]
fn a_pre_launch_audit_fails_on_the_cutover_day_gate() {
    // The snapshot was taken on 2026-11-22: a cutover six days later is a pre-launch
    // audit (J-6). J+0 is the gate the launch must pass: its failures are FAIL, now.
    let (code, before) = result_json(&demo_args(&["--cutover", "2026-11-28"]));
    assert_eq!(before["day"], -6);
    assert_eq!(code, Some(1), "a stack that fails its cutover-day controls is not ready");
    assert_eq!(verdict(&before, "ALM-001"), "FAIL");
    let j0 = before["phases"].as_array().unwrap().iter().find(|p| p["id"] == "J+0").unwrap();
    assert_eq!(j0["due"], true);
    // Later phases wait for their day.
    assert_eq!(verdict(&before, "ALM-005"), "PENDING", "J+7");
    assert_eq!(verdict(&before, "OPS-005"), "PENDING", "J+30");
    let table = stdout(&jalon(&demo_args(&["--cutover", "2026-11-28", "--format", "table"])));
    let table = table.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(table.contains("J+0 Cutover day due at cutover, in 6 days FAIL"), "{table}");
    assert!(table.contains("J+7 First week not due yet PENDING"), "{table}");
    let markdown = stdout(&jalon(&demo_args(&["--cutover", "2026-11-28", "--format", "markdown"])));
    assert!(markdown.contains("**J+0 · Cutover day**: due at cutover, in 6 days"), "{markdown}");
    let html = stdout(&jalon(&demo_args(&["--cutover", "2026-11-28", "--format", "html"])));
    assert!(html.contains("due at cutover, in 6 days (2026-11-28)"));
    // The gate is J+0, not the whole checklist: the J+30 view has nothing due yet.
    let (code, _) = result_json(&demo_args(&["--cutover", "2026-11-28", "--phase", "J+30"]));
    assert_eq!(code, Some(0), "J+30 failures are pending before launch");
}

#[test]
fn a_scope_that_keeps_nothing_is_incomplete_evidence_not_a_green_run() {
    let dir = tempfile::tempdir().unwrap();
    // A typo in the scope: no resource carries env=prod-eu. Every state control has
    // nothing to judge (NOT_APPLICABLE), the attestations pass: it used to exit 0.
    let config = std::fs::read_to_string(repo().join("examples/jalon.toml"))
        .unwrap()
        .replace("require_tags = { env = \"prod\" }", "require_tags = { env = \"prod-eu\" }");
    let config = write(dir.path(), "jalon.toml", &config);
    // The account-wide audit trail is judged whatever the scope: made complete here, so
    // only the scope speaks.
    let snapshot = edited_demo(dir.path(), "snapshot.json", |s| {
        s["cloudtrail"]["trails"][0]["log_file_validation"] = true.into();
    });
    let args = [
        "check",
        "--snapshot",
        &snapshot,
        "--config",
        &config,
        "--waivers",
        "examples/waivers.toml",
        "--attestations",
        "examples/attestations.toml",
    ];
    let (code, result) = result_json(&args);
    assert_eq!(code, Some(2), "a scope that keeps nothing is incomplete evidence");
    assert!(result["controls"].as_array().unwrap().iter().all(|c| c["verdict"] != "FAIL"));
    let warnings = result["warnings"].as_array().expect("warnings");
    let lambda = warnings
        .iter()
        .find(|w| w["message"].as_str().unwrap().contains("Lambda functions collected (3 in the snapshot)"))
        .expect("a warning for the functions");
    assert_eq!(lambda["kind"], "scope-keeps-nothing");
    assert_eq!(lambda["incomplete"], true);
    assert!(lambda["message"].as_str().unwrap().contains("scope.require_tags env=prod-eu"), "names the scope");
    let out = jalon(&args);
    assert!(stderr(&out).contains("jalon: warning: the scope (scope.require_tags env=prod-eu"), "{}", stderr(&out));
    assert!(stdout(&out).contains("! warning: the scope (scope.require_tags env=prod-eu"));
    let mut markdown_args = args.to_vec();
    markdown_args.extend(["--format", "markdown"]);
    let markdown = stdout(&jalon(&markdown_args));
    assert!(markdown.starts_with("## ⚠️ jalon: no control fails, but the evidence is incomplete"), "{markdown}");
    assert!(markdown.contains("> [!WARNING]\n> the scope"));
    let mut sarif_args = args.to_vec();
    sarif_args.extend(["--format", "sarif"]);
    let sarif: Value = serde_json::from_slice(&jalon(&sarif_args).stdout).unwrap();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert!(invocation["toolExecutionNotifications"].to_string().contains("scope-keeps-nothing"));

    // The shipped demo's scope keeps resources of every list: no warning.
    let (_, demo) = result_json(&demo_args(&[]));
    assert!(demo.get("warnings").is_none(), "{}", demo["warnings"]);
}

#[test]
fn a_snapshot_older_than_max_age_before_the_as_of_is_warned_about() {
    // Collected 2026-11-22, judged as of 2026-12-04: twelve days.
    let (code, result) = result_json(&demo_args(&["--as-of", "2026-12-04"]));
    let (same_code, _) = result_json(&demo_args(&["--as-of", "2026-12-04", "--max-age", "0"]));
    assert_eq!(code, same_code, "a warning, not a verdict");
    let warning = &result["warnings"][0];
    assert_eq!(warning["kind"], "stale-snapshot");
    assert_eq!(warning["incomplete"], false);
    assert!(warning["message"].as_str().unwrap().contains("collected on 2026-11-22, 12 days before"), "{warning}");
    let (_, fresh) = result_json(&demo_args(&["--as-of", "2026-12-04", "--max-age", "30"]));
    assert!(fresh.get("warnings").is_none());
    let (_, off) = result_json(&demo_args(&["--as-of", "2026-12-04", "--max-age", "0"]));
    assert!(off.get("warnings").is_none());
}

#[test]
fn phase_view_and_fail_on_shape_the_exit_code() {
    let (code, result) = result_json(&demo_args(&["--phase", "J+30"]));
    // J+30 is not due at J+3: its failures and missing attestations are pending.
    assert_eq!(code, Some(0));
    assert_eq!(verdict(&result, "OPS-006"), "PENDING");
    let out = jalon(&demo_args(&["--phase", "J+30"]));
    assert!(!stdout(&out).contains("J+0 · Cutover day"));

    // Demo failures at J+0 include critical ones (ALM-001): --fail-on critical still fails.
    assert_eq!(jalon(&demo_args(&["--fail-on", "critical"])).status.code(), Some(1));
    let bad = jalon(&demo_args(&["--phase", "J+99"]));
    assert_eq!(bad.status.code(), Some(3));
    assert!(stderr(&bad).contains("--phase"), "{}", stderr(&bad));
}

#[test]
fn attestation_controls_need_evidence_without_an_attestation() {
    let (_, result) = result_json(&["check", "--snapshot", DEMO, "--config", "examples/jalon.toml"]);
    assert_eq!(verdict(&result, "DEP-003"), "NEEDS_EVIDENCE");
    let note = control(&result, "DEP-003")["note"].as_str().unwrap().to_string();
    assert!(note.starts_with("nothing in the account shows it, and no attestation"), "{note}");
    // Without waivers, the demo's single-AZ database fails DB-006 once J+7 is due.
    let (_, later) =
        result_json(&["check", "--snapshot", DEMO, "--config", "examples/jalon.toml", "--as-of", "2026-11-27"]);
    assert_eq!(verdict(&later, "DB-006"), "FAIL");
}

#[test]
fn the_slo_is_judged_on_metric_data_and_an_attestation_overrides_a_breach_only_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    // J+8: the first week is due, and the demo's orders-api breached it on 2026-11-20.
    let args = |attestations: &str| {
        let mut args = vec!["check", "--snapshot", DEMO, "--config", "examples/jalon.toml", "--as-of", "2026-11-27"];
        args.extend(["--attestations", attestations]);
        result_json(&args).1
    };
    let plain = write(
        dir.path(),
        "plain.toml",
        "[[attestation]]\ncontrol = \"OPS-003\"\nby = \"sre@example.com\"\ndate = 2026-11-26\n\
         link = \"https://wiki.example.com/slo-review\"\nexpires = 2027-11-26\n",
    );
    let result = args(&plain);
    let ops = control(&result, "OPS-003");
    assert_eq!(ops["verdict"], "FAIL", "{ops}");
    assert!(ops["note"].as_str().unwrap().contains("does not override the account's FAIL"), "{ops}");
    let api = ops["resources"].as_array().unwrap().iter().find(|r| r["id"].as_str().unwrap().ends_with(":orders-api"));
    let message = api.expect("orders-api is judged")["message"].as_str().unwrap();
    assert!(message.starts_with("15 minutes out of SLO"), "{message}");
    assert!(message.contains("worst 2026-11-20T14:15:00Z 5.8 % (72/1249"), "{message}");

    let with_reason = std::fs::read_to_string(&plain).unwrap()
        + "reason = \"the 14:05 spike was the payment provider's outage, credited\"\n";
    let reasoned = write(dir.path(), "reasoned.toml", &with_reason);
    let result = args(&reasoned);
    let ops = control(&result, "OPS-003");
    assert_eq!(ops["verdict"], "PASS", "{ops}");
    assert_eq!(
        ops["note"],
        "attested over the account's FAIL: the 14:05 spike was the payment provider's outage, credited"
    );
    // Too little traffic to judge any function or stage: evidence is needed, not a pass.
    let config = std::fs::read_to_string(repo().join("examples/jalon.toml")).unwrap().replace(
        "# slo_min_requests = 100             # OPS-003: fewer requests since cutover: not judged",
        "slo_min_requests = 1000000000",
    );
    let quiet = write(dir.path(), "quiet.toml", &config);
    let (_, result) =
        result_json(&["check", "--snapshot", DEMO, "--config", &quiet, "--as-of", "2026-11-27", "--format", "json"]);
    let ops = control(&result, "OPS-003");
    assert_eq!(ops["verdict"], "NEEDS_EVIDENCE", "{ops}");
    assert!(ops["resources"].as_array().unwrap().is_empty(), "the calm database alone is not judged: {ops}");
    // An empty reason is refused like any empty field.
    let empty = write(dir.path(), "empty.toml", &(std::fs::read_to_string(&plain).unwrap() + "reason = \" \"\n"));
    let out = jalon(&["check", "--snapshot", DEMO, "--attestations", &empty]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("attestation[0].reason: must not be empty"), "{}", stderr(&out));
}

/// The files of a folder, by name, with their contents.
fn folder(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn a_report_set_is_replaced_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    let reports_arg = reports.to_str().unwrap();
    let out = jalon(&demo_args(&["--format", "json,markdown,sarif", "-o", reports_arg]));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let before = folder(&reports);
    assert_eq!(before.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["jalon.json", "jalon.md", "jalon.sarif"]);

    // The next run fails on its last format (a folder is in the way of jalon.html):
    // exit 4, and the previous set is as it was, with no temporary left beside it.
    std::fs::create_dir(reports.join("jalon.html")).unwrap();
    let out = jalon(&demo_args(&["--format", "json,markdown,sarif,html", "-o", reports_arg, "--as-of", "2026-12-31"]));
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("jalon.html"), "{}", stderr(&out));
    assert_eq!(folder(&reports), before);
    std::fs::remove_dir(reports.join("jalon.html")).unwrap();

    // A symlink planted at a report's name is replaced, never written through.
    #[cfg(unix)]
    {
        let victim = dir.path().join("victim.txt");
        std::fs::write(&victim, "precious").unwrap();
        std::fs::remove_file(reports.join("jalon.md")).unwrap();
        std::os::unix::fs::symlink(&victim, reports.join("jalon.md")).unwrap();
        let out = jalon(&demo_args(&["--format", "json,markdown", "-o", reports_arg]));
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert!(std::fs::symlink_metadata(reports.join("jalon.md")).unwrap().is_file());
        assert!(std::fs::read_to_string(reports.join("jalon.md")).unwrap().starts_with("## "));
    }
}

/// A copy of the demo snapshot with every collector's status replaced.
#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    // `jalon check --format json | head -c 100`: the result (some 400 KB at 500
    // resources) is far bigger than the pipe, so jalon writes to a closed pipe.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.json");
    jalon::snapshot::save(&jalon::synthetic::generate(500, 3), &path).unwrap();
    let mut child = common::jalon_command(&["check", "--snapshot", path.to_str().unwrap(), "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 100];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut head).unwrap();
    assert!(head.starts_with(b"{"), "{}", String::from_utf8_lossy(&head));
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    // The verdict's exit code stands (the synthetic account has findings).
    assert_eq!(out.status.code(), Some(1), "{err}");
}

#[test]
fn completions_and_man_pages_come_from_the_cli_definition() {
    for shell in ["bash", "zsh", "fish"] {
        let out = jalon(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        for word in ["collect", "check", "gdpr", "metrics-since", "fail-on"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let out = jalon(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(3), "an unknown shell is a usage error");

    let page = stdout(&jalon(&["man"]));
    assert!(page.contains(".TH jalon 1"), "{page}");
    for command in ["collect", "check", "diff", "gdpr", "policies", "completions", "man"] {
        assert!(page.contains(command), "the page lists {command}");
    }
    let dir = tempfile::tempdir().unwrap();
    let out = jalon(&["man", "--dir", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let check = std::fs::read_to_string(dir.path().join("jalon-check.1")).expect("a page per command");
    assert!(check.contains("metrics\\-since") && check.contains("fail\\-on"), "{check}");
    assert!(dir.path().join("jalon-policies-test.1").is_file());
}

fn demo_with_status(dir: &Path, status: &str) -> PathBuf {
    let mut snapshot: Value = serde_json::from_slice(&std::fs::read(repo().join(DEMO)).unwrap()).unwrap();
    for c in snapshot["collectors"].as_array_mut().unwrap() {
        c["status"] = Value::String(status.into());
        c["operation"] = Value::String("ListEverything".into());
        c["message"] = Value::String("AccessDenied: not allowed".into());
    }
    let path = dir.join("denied.json");
    std::fs::write(&path, serde_json::to_string_pretty(&snapshot).unwrap()).unwrap();
    path
}

#[test]
fn denied_evidence_is_unknown_never_pass_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let denied = demo_with_status(dir.path(), "access_denied");
    let path = denied.to_str().unwrap();
    let (code, result) = result_json(&[
        "check",
        "--snapshot",
        path,
        "--config",
        "examples/jalon.toml",
        "--attestations",
        "examples/attestations.toml",
    ]);
    for c in result["controls"].as_array().unwrap() {
        let evidence = c["evidence"].as_array().unwrap();
        // A valid attestation may stand for what the account could not show.
        if !evidence.is_empty() && c["attestation"].is_null() {
            assert_eq!(c["verdict"], "UNKNOWN", "{} must be UNKNOWN with its evidence denied", c["id"]);
            assert!(c["note"].as_str().unwrap().contains("access denied"), "{}", c["note"]);
        }
    }
    // Attested controls stand on their attestation, saying what the account showed;
    // the rest is incomplete: exit 2.
    assert_eq!(verdict(&result, "DEP-003"), "PASS");
    assert_eq!(control(&result, "DEP-003")["note"], "attested (the account showed UNKNOWN)");
    assert_eq!(code, Some(2));
    assert_eq!(result["incomplete_collectors"].as_array().unwrap().len(), 19);
    let out = jalon(&["check", "--snapshot", path, "--config", "examples/jalon.toml"]);
    assert!(stdout(&out).contains("! evidence incomplete: rds in eu-west-3"), "{}", stdout(&out));
}

#[test]
fn the_policies_unit_tests_pass() {
    let out = jalon(&["policies", "test"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    let line = text.lines().last().unwrap();
    assert!(line.starts_with("policies: ") && line.ends_with(" 0 failed"), "{line}");
    let passed: usize = line["policies: ".len()..].split(' ').next().unwrap().parse().unwrap();
    assert!(passed >= 100, "{line}");
}

#[test]
fn every_control_has_a_passing_and_a_failing_test() {
    let catalogue = jalon(&["policies", "list", "--format", "json"]);
    let controls: Value = serde_json::from_slice(&catalogue.stdout).unwrap();
    for c in controls.as_array().unwrap() {
        if c["attestation"] == true {
            continue;
        }
        let source = repo().join(c["source"].as_str().unwrap());
        let test = source.with_file_name(format!("{}_test.rego", source.file_stem().unwrap().to_str().unwrap()));
        let text = std::fs::read_to_string(&test).unwrap_or_else(|_| panic!("{} has no {}", c["id"], test.display()));
        let tests = jalon::engine::policy_tests::test_rule_names(&text);
        assert!(tests.len() >= 2, "{}: only {} tests", c["id"], tests.len());
    }
}

#[test]
fn the_checklist_and_the_catalogue_agree() {
    let policies = jalon::engine::PolicySet::embedded().unwrap();
    let checklist = jalon::checklist::Checklist::embedded().unwrap();
    checklist.validate(&policies).unwrap();
    for (id, meta) in &policies.controls {
        assert_eq!(checklist.phase_of(meta).unwrap().day, meta.phase, "{id}: the shipped checklist moves no control");
    }
}

// ------------------------------------------------------------------ team policies

fn team_policy_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

const TEAM_CONTROL: &str = "# METADATA\n# title: Team log floor\n# custom:\n#   id: LOG-001\n#   phase: 0\n#   severity: low\n#   evidence: [logs]\n#   resource_type: log group\n#   remediation: fix {name}\npackage jalon.controls.team_log_001\n\nimport rego.v1\n\nin_scope contains g.arn if { some g in input.logs.log_groups }\n";

#[test]
fn a_team_control_replaces_the_shipped_one_with_its_id() {
    let dir = team_policy_dir(&[("log_001.rego", TEAM_CONTROL)]);
    let (_, result) = result_json(&demo_args(&["--policies", dir.path().to_str().unwrap()]));
    let c = control(&result, "LOG-001");
    assert_eq!(c["title"], "Team log floor");
    assert_eq!(c["verdict"], "PASS", "the team's control denies nothing");
    assert_eq!(c["resources"].as_array().unwrap().len(), 20);

    // Every format says the verdict is the team's, not jalon's.
    let file = dir.path().join("log_001.rego").display().to_string();
    assert_eq!(c["source"], file.as_str());
    assert_eq!(c["replaces_builtin"], true);
    assert_eq!(control(&result, "LOG-002")["source"], "builtin");
    assert!(control(&result, "LOG-002").get("replaces_builtin").is_none());
    let note = format!("the team's policy {file} replaces the shipped LOG-001");
    let policies = ["--policies", dir.path().to_str().unwrap()];
    let formats = |format: &str| stdout(&jalon(&demo_args(&[policies[0], policies[1], "--format", format])));
    let table = stdout(&jalon(&demo_args(&[policies[0], policies[1], "--format", "table"])));
    // The table wraps long lines: compare without the layout.
    let flat = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat(&table).contains(&format!("! LOG-001: {}", flat(&note))), "{table}");
    assert!(formats("markdown").contains(&format!("<br>⚠️ {}", note.replace('_', "\\_"))), "markdown");
    assert!(formats("html").contains(&note.replace('\'', "&#39;")), "html");
    assert!(formats("junit").contains(&note.replace('\'', "&apos;")), "junit");
    let sarif: Value = serde_json::from_str(&formats("sarif")).unwrap();
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    let rule = rules.iter().find(|r| r["id"] == "LOG-001").unwrap();
    assert_eq!(rule["properties"]["source"], file.as_str());
    assert_eq!(rule["properties"]["replacesBuiltin"], true);
    assert!(rules.iter().find(|r| r["id"] == "LOG-002").unwrap()["properties"].get("source").is_none());
}

#[test]
fn a_team_policy_that_runs_past_the_time_limit_is_unknown_alone() {
    // Ten billion steps: without a limit this runs for hours.
    let looping = TEAM_CONTROL
        .replace("id: LOG-001", "id: TEAM-LOOP")
        .replace("package jalon.controls.team_log_001", "package jalon.controls.team_loop")
        + "\ndeny contains {\"resource\": g.arn, \"message\": \"never\"} if {\n\tsome g in input.logs.log_groups\n\t\
           count([1 | some i in numbers.range(1, 100000); some j in numbers.range(1, 100000)]) == 0\n}\n";
    let dir = team_policy_dir(&[("loop.rego", &looping)]);
    let out = common::jalon_bounded(&demo_args(&[
        "--policies",
        dir.path().to_str().unwrap(),
        "--eval-timeout",
        "2",
        "--format",
        "json",
    ]));
    let result: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    let looped = control(&result, "TEAM-LOOP");
    assert_eq!(looped["verdict"], "UNKNOWN");
    assert_eq!(
        looped["note"],
        "policy error: the policy ran past the evaluation time limit of 2 s (--eval-timeout) and was stopped"
    );
    // The others are judged as without it.
    assert_eq!(verdict(&result, "LOG-002"), "FAIL");
    assert_eq!(verdict(&result, "ALM-003"), "PASS");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_team_policy_that_outgrows_the_memory_limit_is_unknown_alone() {
    // Two billion numbers: some 6 GB without a limit.
    let growing = TEAM_CONTROL
        .replace("id: LOG-001", "id: TEAM-HOG")
        .replace("package jalon.controls.team_log_001", "package jalon.controls.team_hog")
        + "\ndeny contains {\"resource\": g.arn, \"message\": \"never\"} if {\n\tsome g in input.logs.log_groups\n\t\
           count(numbers.range(1, 2000000000)) == 0\n}\n";
    let dir = team_policy_dir(&[("hog.rego", &growing)]);
    let out = common::jalon_bounded(&demo_args(&[
        "--policies",
        dir.path().to_str().unwrap(),
        "--eval-memory",
        "256",
        "--format",
        "json",
    ]));
    let result: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    let hog = control(&result, "TEAM-HOG");
    assert_eq!(hog["verdict"], "UNKNOWN");
    let note = hog["note"].as_str().unwrap();
    assert!(
        note.starts_with("policy error: the policy grew the heap past the evaluation memory limit (--eval-memory)"),
        "{note}"
    );
    // The others are judged as without it, even those that shared its engine.
    let (_, plain) = result_json(&demo_args(&[]));
    for c in plain["controls"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        assert_eq!(verdict(&result, id), c["verdict"].as_str().unwrap(), "{id}");
    }
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn two_team_files_with_one_id_are_refused_naming_both() {
    let other = TEAM_CONTROL.replace("package jalon.controls.team_log_001", "package jalon.controls.team_log_001_b");
    let dir = team_policy_dir(&[("a.rego", TEAM_CONTROL), ("b.rego", &other)]);
    let out = jalon(&demo_args(&["--policies", dir.path().to_str().unwrap()]));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains("control LOG-001 is defined twice"), "{err}");
    assert!(err.contains("a.rego") && err.contains("b.rego"), "names both files: {err}");
}

#[test]
fn a_team_policy_reading_a_rule_through_an_import_alias_is_warned_about() {
    let slow = TEAM_CONTROL.replace(
        "import rego.v1\n",
        "import rego.v1\n\nimport data.jalon.lib\n\nfunction_count := count(lib.functions)\n",
    );
    let dir = team_policy_dir(&[("log_001.rego", &slow)]);
    let mut args = demo_args(&["--policies", dir.path().to_str().unwrap()]);
    args.extend_from_slice(&["--format", "json"]);
    let out = jalon(&args);
    let err = stderr(&out);
    assert!(err.contains("warning:") && err.contains("log_001.rego: line 16: `lib.functions`"), "{err}");
    // Only a warning: the control is evaluated as usual.
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(verdict(&result, "LOG-001"), "PASS");
}

#[test]
fn a_control_that_errors_at_evaluation_is_unknown_alone() {
    let broken = TEAM_CONTROL.replace("LOG-001", "TEAM-001").replace("team_log_001", "team_001").replace(
        "in_scope contains g.arn if { some g in input.logs.log_groups }",
        "in_scope contains g.arn if { some g in input.logs.log_groups }\ndeny contains {\"resource\": g.arn, \"message\": \"x\"} if { some g in input.logs.log_groups; to_number(\"not a number\") > 1 }",
    );
    // A team control with a new id is due in its METADATA phase: no checklist needed.
    let dir = team_policy_dir(&[("team_001.rego", &broken)]);
    let (code, result) = result_json(&demo_args(&["--policies", dir.path().to_str().unwrap()]));
    assert_eq!(verdict(&result, "TEAM-001"), "UNKNOWN");
    assert_eq!(control(&result, "TEAM-001")["phase_id"], "J+0");
    assert!(control(&result, "TEAM-001")["note"].as_str().unwrap().contains("policy error"));
    // Everything else was still evaluated.
    assert_eq!(verdict(&result, "ALM-001"), "FAIL");
    assert_eq!(verdict(&result, "ALM-003"), "PASS");
    assert_eq!(code, Some(1));
}

// ------------------------------------------------------------------ bad input: exit 3, file and place

fn assert_input_error(args: &[&str], file: &str, place: &str) {
    let out = jalon(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(3), "expected exit 3 for {args:?}, got {:?}: {err}", out.status.code());
    assert!(err.contains(file), "the error does not name {file}: {err}");
    assert!(err.contains(place), "the error does not say {place:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn malformed_snapshots_name_the_line_field_and_expectation() {
    let dir = tempfile::tempdir().unwrap();
    let demo = std::fs::read_to_string(repo().join(DEMO)).unwrap();

    let truncated = write(dir.path(), "truncated.json", &demo[..demo.len() / 2]);
    assert_input_error(&["check", "--snapshot", &truncated], "truncated.json", "line ");

    let wrong_type = write(
        dir.path(),
        "wrong-type.json",
        &demo.replacen("\"retention_days\": 30", "\"retention_days\": \"thirty\"", 1),
    );
    assert_input_error(&["check", "--snapshot", &wrong_type], "wrong-type.json", "logs.log_groups[");
    assert_input_error(&["check", "--snapshot", &wrong_type], "wrong-type.json", "expected i32");

    // A timestamp the engine could not parse: month 13 (the shape alone is not enough).
    let field = "\"state_updated_at\": \"";
    let date = demo.find(field).expect("an alarm state time in the demo") + field.len();
    let mut bad_time = demo.clone();
    bad_time.replace_range(date..date + 7, "2026-13");
    let bad_time = write(dir.path(), "bad-time.json", &bad_time);
    assert_input_error(&["check", "--snapshot", &bad_time], "bad-time.json", "cloudwatch.metric_alarms[");
    assert_input_error(&["check", "--snapshot", &bad_time], "bad-time.json", "expected an RFC 3339 time");

    // A field left out, even one that may be null: the policies would read a hole.
    let mut value: serde_json::Value = serde_json::from_str(&demo).unwrap();
    value["logs"]["log_groups"][2].as_object_mut().unwrap().remove("kms_key_id");
    let missing = write(dir.path(), "missing.json", &serde_json::to_string_pretty(&value).unwrap());
    assert_input_error(
        &["check", "--snapshot", &missing],
        "missing.json",
        "at `logs.log_groups[2]`: missing field `kms_key_id`",
    );

    let future = write(dir.path(), "future.json", &demo.replacen("\"schema_version\": 1", "\"schema_version\": 9", 1));
    assert_input_error(&["check", "--snapshot", &future], "future.json", "schema version 1");

    let unknown =
        write(dir.path(), "unknown.json", &demo.replacen("\"regions\"", "\"surprise\": 1,\n  \"regions\"", 1));
    assert_input_error(&["check", "--snapshot", &unknown], "unknown.json", "unknown field `surprise`");

    let binary = dir.path().join("binary.json");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x01]).unwrap();
    assert_input_error(&["check", "--snapshot", binary.to_str().unwrap()], "binary.json", "UTF-8");

    assert_input_error(&["check", "--snapshot", "no/such/snapshot.json"], "no/such/snapshot.json", "No such file");
}

/// The demo snapshot, changed by `edit`, written as `name` in `dir`.
fn edited_demo(dir: &Path, name: &str, edit: impl FnOnce(&mut Value)) -> String {
    let mut value: Value = serde_json::from_str(&std::fs::read_to_string(repo().join(DEMO)).unwrap()).unwrap();
    edit(&mut value);
    write(dir, name, &serde_json::to_string_pretty(&value).unwrap())
}

#[test]
fn a_snapshot_that_can_not_be_sound_is_refused_not_judged() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Sections cut out while their collectors say ok: the policies would find nothing
    // to judge (NOT_APPLICABLE) and exit 0.
    let cut = edited_demo(d, "cut.json", |s| {
        let s = s.as_object_mut().unwrap();
        for section in ["lambda", "logs", "rds"] {
            s.remove(section);
        }
    });
    assert_input_error(&["check", "--snapshot", &cut], "cut.json", "at `lambda`: the section is missing");
    // Out of any plausible range.
    let ancient = edited_demo(d, "ancient.json", |s| s["collected_at"] = "1600-01-01T00:00:00Z".into());
    assert_input_error(
        &["check", "--snapshot", &ancient],
        "ancient.json",
        "at `collected_at`: expected a date from 2000",
    );
    let negative = edited_demo(d, "negative.json", |s| s["logs"]["log_groups"][2]["retention_days"] = (-1).into());
    assert_input_error(
        &["check", "--snapshot", &negative],
        "negative.json",
        "at `logs.log_groups[2].retention_days`: expected a count or a number of days, zero or more, found -1",
    );
    let rate = edited_demo(d, "rate.json", |s| s["xray"]["sampling_rules"][0]["fixed_rate"] = 7.into());
    assert_input_error(&["check", "--snapshot", &rate], "rate.json", "expected a rate from 0 to 1, found 7");
    // A date outside the `*_at` fields.
    let modified = edited_demo(d, "modified.json", |s| s["lambda"]["functions"][0]["last_modified"] = "soon".into());
    assert_input_error(&["check", "--snapshot", &modified], "modified.json", "lambda.functions[0].last_modified");
    // The same resource twice: one copy can hide the other.
    let twice = edited_demo(d, "twice.json", |s| {
        let groups = s["logs"]["log_groups"].as_array_mut().unwrap();
        let mut copy = groups[1].clone();
        copy["retention_days"] = 3653.into();
        groups.push(copy);
    });
    assert_input_error(&["check", "--snapshot", &twice], "twice.json", "is listed twice, at [1] and [");
    for flag in ["--as-of", "--cutover"] {
        for day in ["0001-01-01", "1999-12-31", "2100-01-01"] {
            let out = jalon(&["check", "--snapshot", DEMO, flag, day]);
            assert_eq!(out.status.code(), Some(3), "{flag} {day}");
            assert!(stderr(&out).contains("expected a date from 2000-01-01 to 2099-12-31"), "{}", stderr(&out));
        }
    }
}

#[test]
fn thresholds_out_of_their_range_are_refused_with_their_line() {
    let dir = tempfile::tempdir().unwrap();
    for (setting, expected) in [
        ("[thresholds]\nlog_retention_floor_days = -1", "expected a whole number from 1 to 3653, found -1"),
        ("[thresholds]\nerror_rate_percent = nan", "expected a number above 0 and at most 100, found NaN"),
        ("[thresholds]\nlatency_p95_ms = -5.0", "found -5"),
        ("[thresholds]\nsampling_rate_max = inf", "expected a rate from 0 to 1"),
        ("[thresholds]\nbackup_retention_max_days = 1000", "from 1 to 35"),
        ("[thresholds]\ncredential_name_pattern = \"(unclosed\"", "expected a regular expression"),
        ("[thresholds]\nlog_retention_ceiling_by_class = { personal = 0 }", "class \"personal\""),
        ("allowed_regions = [\"eu-west-3\", \"Paris\"]", "expected AWS region names"),
        ("[scope]\npersonal_data_classes = []", "expected one or more non-empty classes"),
        ("cutover = 1900-01-01", "expected a date from 2000-01-01"),
    ] {
        let config = write(dir.path(), "jalon.toml", &format!("{setting}\n"));
        assert_input_error(&["check", "--snapshot", DEMO, "--config", &config], "jalon.toml", expected);
        assert_input_error(&["check", "--snapshot", DEMO, "--config", &config], "jalon.toml", "line ");
    }
}

#[test]
fn malformed_config_waivers_attestations_and_checklists_are_input_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let config = write(d, "jalon.toml", "cutover = 2026-11-19\n[thresholds]\nlog_retention_floor_days = \"thirty\"\n");
    assert_input_error(&["check", "--snapshot", DEMO, "--config", &config], "jalon.toml", "line 3");
    let config = write(d, "typo.toml", "[thresholds]\nlog_retention_flor_days = 30\n");
    assert_input_error(
        &["check", "--snapshot", DEMO, "--config", &config],
        "typo.toml",
        "unknown field `log_retention_flor_days`",
    );
    let config = write(d, "bounds.toml", "[thresholds]\nlog_retention_floor_days = 400\n");
    assert_input_error(
        &["check", "--snapshot", DEMO, "--config", &config],
        "bounds.toml",
        "log_retention_ceiling_days",
    );
    let config = write(d, "audit.toml", "[thresholds]\naudit_log_retention_min_days = 400\n");
    assert_input_error(
        &["check", "--snapshot", DEMO, "--config", &config],
        "audit.toml",
        "audit_log_retention_min_days (400) is above thresholds.audit_log_retention_max_days (365)",
    );

    let waivers = write(
        d,
        "waivers.toml",
        "[[waiver]]\ncontrol = \"DB-006\"\nresource = \"*\"\nowner = \"\"\napproved_by = \"a\"\nreason = \"r\"\nexpires = 2027-01-01\n",
    );
    assert_input_error(&["check", "--snapshot", DEMO, "--waivers", &waivers], "waivers.toml", "waiver[0].owner");
    let waivers = write(
        d,
        "noexpiry.toml",
        "[[waiver]]\ncontrol = \"DB-006\"\nresource = \"*\"\nowner = \"o\"\napproved_by = \"a\"\nreason = \"r\"\n",
    );
    assert_input_error(&["check", "--snapshot", DEMO, "--waivers", &waivers], "noexpiry.toml", "expires");

    let attestations = write(
        d,
        "att.toml",
        "[[attestation]]\ncontrol = \"NOPE-1\"\nby = \"a\"\ndate = 2026-01-01\nlink = \"l\"\nexpires = 2027-01-01\n",
    );
    assert_input_error(
        &["check", "--snapshot", DEMO, "--attestations", &attestations],
        "att.toml",
        "unknown control `NOPE-1`",
    );
    let attestations = write(d, "att2.toml", "[[attestation]]\ncontrol = \"OPS-004\"\nby = \"a\"\ndate = \"yesterday\"\nlink = \"l\"\nexpires = 2027-01-01\n");
    assert_input_error(&["check", "--snapshot", DEMO, "--attestations", &attestations], "att2.toml", "line 4");

    let checklist =
        write(d, "checklist.toml", "[[phase]]\nid = \"J+0\"\nday = 0\ntitle = \"t\"\ncontrols = [\"ALM-001\"]\n");
    assert_input_error(&["check", "--snapshot", DEMO, "--checklist", &checklist], "checklist.toml", "is in no phase");
}

#[test]
fn a_team_checklist_moves_a_control_to_another_phase() {
    let dir = team_policy_dir(&[(
        "checklist.toml",
        "[[phase]]\nid = \"J+0\"\nday = 0\ntitle = \"Launch\"\ncontrols = [\"DB-006\"]\n\n\
         [[phase]]\nid = \"J+7\"\nday = 7\ntitle = \"Week\"\n\n[[phase]]\nid = \"J+30\"\nday = 30\ntitle = \"Month\"\n",
    )]);
    let checklist = dir.path().join("checklist.toml");
    let (_, result) = result_json(&demo_args(&["--checklist", checklist.to_str().unwrap()]));
    // DB-006 (METADATA: J+7) is due at J+0 now: its waiver still waives it.
    assert_eq!(control(&result, "DB-006")["phase_id"], "J+0");
    assert_eq!(verdict(&result, "DB-006"), "WAIVED");
    // The others keep their METADATA phase.
    assert_eq!(control(&result, "ALM-005")["phase_id"], "J+7");
}

#[test]
fn a_policy_outside_the_controls_and_lib_packages_is_refused() {
    let typo = TEAM_CONTROL.replace("package jalon.controls.team_log_001", "package jalon.control.team_log_001");
    let dir = team_policy_dir(&[("typo.rego", &typo)]);
    assert_input_error(
        &["check", "--snapshot", DEMO, "--policies", dir.path().to_str().unwrap()],
        "typo.rego",
        "line 10: package `jalon.control.team_log_001`: expected a control under `jalon.controls.`",
    );
    let helper = team_policy_dir(&[("helper.rego", "package team.helpers\n\nimport rego.v1\n\nx := 1\n")]);
    assert_input_error(
        &["check", "--snapshot", DEMO, "--policies", helper.path().to_str().unwrap()],
        "helper.rego",
        "or a helper under `jalon.lib`",
    );
    let lib_with_metadata = TEAM_CONTROL.replace("package jalon.controls.team_log_001", "package jalon.lib.team");
    let dir = team_policy_dir(&[("lib.rego", &lib_with_metadata)]);
    assert_input_error(
        &["check", "--snapshot", DEMO, "--policies", dir.path().to_str().unwrap()],
        "lib.rego",
        "has a `# METADATA` block",
    );
}

#[test]
fn malformed_policies_are_input_errors() {
    let syntax = team_policy_dir(&[("bad.rego", "package jalon.lib.team\n\nimport rego.v1\n\nbroken if {\n")]);
    let out = jalon(&["check", "--snapshot", DEMO, "--policies", syntax.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("bad.rego"), "{}", stderr(&out));

    let metadata = team_policy_dir(&[("c.rego", &TEAM_CONTROL.replace("severity: low", "severity: urgent"))]);
    assert_input_error(
        &["policies", "list", "--policies", metadata.path().to_str().unwrap()],
        "c.rego",
        "custom.severity",
    );

    let no_meta = team_policy_dir(&[("n.rego", "package jalon.controls.n\n\nimport rego.v1\n")]);
    assert_input_error(
        &["check", "--snapshot", DEMO, "--policies", no_meta.path().to_str().unwrap()],
        "n.rego",
        "METADATA",
    );
}

#[test]
fn bad_flags_are_usage_errors() {
    assert_eq!(jalon(&["check", "--snapshot", DEMO, "--as-of", "tomorrow"]).status.code(), Some(3));
    assert_eq!(jalon(&["check", "--snapshot", DEMO, "--fail-on", "urgent"]).status.code(), Some(3));
    assert_eq!(jalon(&["check", "--snapshot", DEMO, "--format", "pdf"]).status.code(), Some(3));
    assert_eq!(jalon(&["frobnicate"]).status.code(), Some(3));
    assert_eq!(jalon(&["--version"]).status.code(), Some(0));
}
