//! What a team sees first and what it chooses to see: the table's triage order, its
//! width and colour, commands and ARNs that paste whole; `--controls`,
//! `--skip-controls` and `--severity`; `policies list` filters; the team's files found
//! beside `jalon.toml` or through `JALON_CONFIG`; waivers that name their approver;
//! expiry warnings.

mod common;

use std::path::Path;

use common::{jalon, jalon_command, repo, result_json, stderr, stdout, DEMO_SNAPSHOT};
use serde_json::Value;

fn demo_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    common::demo_check_args(extra)
}

fn ids(result: &Value) -> Vec<String> {
    result["controls"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().to_string()).collect()
}

// ------------------------------------------------------------------ the table

#[test]
fn the_table_leads_with_the_phases_then_failures_by_severity_and_folds_what_passes() {
    let out = jalon(&demo_args(&["--width", "100"]));
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<&str> = text.lines().collect();
    // The first lines after the header: one per phase, then the counts.
    assert!(lines[3].starts_with("J+0 ") && lines[3].contains(" FAIL "), "{text}");
    assert!(lines[4].starts_with("J+7 ") && lines[5].starts_with("J+30 "), "{text}");
    assert!(lines[6].starts_with("59 controls: 10 FAIL, 15 PENDING, 3 WAIVED, 27 PASS"), "{text}");

    // Failures come most severe first.
    let fail = &text[text.find("FAIL · ").unwrap()..text.find("NOT DUE YET · ").unwrap()];
    let severities: Vec<&str> = fail
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("    "))
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert_eq!(severities.len(), 10, "{fail}");
    let rank = |s: &str| ["critical", "high", "medium", "low"].iter().position(|x| *x == s).unwrap();
    assert!(severities.windows(2).all(|w| rank(w[0]) <= rank(w[1])), "{severities:?}");
    assert_eq!(severities[0], "critical");

    // Passing controls are one line, unless asked for.
    let folded = &text[text.find("PASS · 27 controls pass").unwrap()..];
    assert_eq!(folded.lines().next().unwrap(), "PASS · 27 controls pass, 4 not applicable (--show-passing lists them)");
    assert_eq!(folded.lines().nth(1), Some(""), "a passing control is folded: {text}");
    let listed = stdout(&jalon(&demo_args(&["--width", "100", "--show-passing"])));
    let pass = &listed[listed.find("PASS · 27 controls pass").unwrap()..];
    assert!(pass.contains("DB-002") && pass.contains("n/a"), "{pass}");
    assert_eq!(pass.lines().filter(|l| l.starts_with("  ") && !l.starts_with("    ")).count(), 31, "{pass}");
}

#[test]
fn prose_follows_the_width_and_commands_and_arns_are_never_split() {
    for width in [50usize, 80, 200] {
        let text = stdout(&jalon(&demo_args(&["--width", &width.to_string()])));
        let mut fixes = 0;
        for line in text.lines().filter(|l| l.starts_with("  ")) {
            // A fix's commands: the first after `fix:`, the next ones under it.
            if line.trim_start().starts_with("fix: ") {
                fixes += 1;
                continue;
            }
            if line.starts_with("         aws ") {
                continue;
            }
            // Past the width only when the line is one word that could not be split
            // (an ARN, a path), after its indent and mark.
            if line.chars().count() > width {
                let body = line.trim_start().trim_start_matches(['✗', '~', '!', '·', '…']).trim();
                assert!(!body.contains(' '), "width {width}: {line:?}");
            }
        }
        assert_eq!(fixes, 25, "every failing and pending control shows its fix (10 FAIL, 15 PENDING)");
    }
    // Each fix is the whole command, on one line, as the JSON gives it.
    let text = stdout(&jalon(&demo_args(&["--width", "50"])));
    let (_, result) = result_json(&demo_args(&[]));
    let alm_001 = result["controls"].as_array().unwrap().iter().find(|c| c["id"] == "ALM-001").unwrap();
    let command = alm_001["resources"][0]["fix"]["commands"][0].as_str().unwrap();
    assert!(command.len() > 500, "the metric math is in the command: {command}");
    assert!(text.lines().any(|l| l == format!("    fix: {command}")), "{text}");
}

#[test]
fn the_width_comes_from_the_flag_then_columns_and_colour_honours_no_color() {
    // The widest line of prose: entries, not their fix commands nor the header.
    let widest = |text: &str| {
        let command = |l: &str| l.trim_start().starts_with("fix: ") || l.starts_with("         aws ");
        // A line of one word (an ARN, a JSON policy) may pass the width: it is not split.
        let one_word = |l: &str| !l.trim().trim_start_matches(['✗', '~', '!', '·', '…']).trim().contains(' ');
        let prose = text.lines().filter(|l| l.starts_with("  ") && !command(l) && !one_word(l));
        prose.map(|l| l.chars().count()).max().unwrap()
    };
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = jalon_command(&demo_args(args));
        for (k, v) in env {
            cmd.env(k, v);
        }
        stdout(&cmd.output().unwrap())
    };
    // Piped (the tests' stdout is a pipe): COLUMNS, else 120; --width above both.
    let columns = run(&[], &[("COLUMNS", "72")]);
    let default = run(&[], &[]);
    let flag = run(&["--width", "90"], &[("COLUMNS", "72")]);
    assert!(widest(&columns) > 60 && widest(&columns) <= 72, "{columns}");
    assert!(widest(&default) > 100 && widest(&default) <= 120, "{default}");
    assert!(columns.lines().count() > default.lines().count(), "narrower wraps more");
    assert!(flag.lines().count() < columns.lines().count() && flag.lines().count() > default.lines().count());
    assert!(!default.contains('\u{1b}'), "NO_COLOR is set by the harness and auto honours it");

    // --color always colours, whatever NO_COLOR says; never and auto on a pipe do not.
    let always = run(&["--color", "always"], &[]);
    assert!(always.contains("\u{1b}[1m\u{1b}[31mFAIL · 10 controls"), "{always}");
    let mut plain = jalon_command(&demo_args(&["--color", "auto"]));
    plain.env_remove("NO_COLOR");
    assert!(!stdout(&plain.output().unwrap()).contains('\u{1b}'), "a pipe is not a terminal");
    assert!(!run(&["--color", "never"], &[]).contains('\u{1b}'));
    let out = jalon(&demo_args(&["--width", "10"]));
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
}

// ------------------------------------------------------------------ selection

#[test]
fn controls_and_skip_controls_choose_what_is_evaluated() {
    let (code, result) = result_json(&demo_args(&["--controls", "ALM-*,log-001"]));
    assert_eq!(ids(&result), ["ALM-001", "ALM-002", "ALM-003", "ALM-004", "ALM-007", "LOG-001", "ALM-005", "ALM-006"]);
    assert_eq!(code, Some(1), "ALM-001 fails");
    let (code, result) = result_json(&demo_args(&["--controls", "DB-*", "--skip-controls", "DB-006,DB-007"]));
    assert!(ids(&result).iter().all(|id| id.starts_with("DB-") && id != "DB-006" && id != "DB-007"));
    assert_eq!(code, Some(0), "the databases' other controls pass: {result}");
    // A waiver of a control left out is neither applied nor "unmatched".
    assert!(result["waivers"]["unmatched"].as_array().unwrap().is_empty());
    let (_, all_but) = result_json(&demo_args(&["--skip-controls", "ALM-*"]));
    assert_eq!(ids(&all_but).len(), 59 - 7);

    for (flag, value, expected) in [
        ("--controls", "ALM-001,LGO-*", "--controls: \"LGO-*\" matches no control"),
        ("--skip-controls", "NOPE-1", "--skip-controls: \"NOPE-1\" matches no control"),
        ("--controls", "[", "not a control id or glob"),
    ] {
        let out = jalon(&demo_args(&[flag, value]));
        assert_eq!(out.status.code(), Some(3), "{flag} {value}");
        assert!(stderr(&out).contains(expected), "{}", stderr(&out));
    }
    let out = jalon(&demo_args(&["--controls", "ALM-*", "--skip-controls", "ALM-*"]));
    assert!(stderr(&out).contains("leave no control to evaluate"), "{}", stderr(&out));
}

#[test]
fn a_selective_run_against_a_full_baseline_reports_no_control_as_gone() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("full.json");
    let out = jalon(&demo_args(&["--format", "json", "-o", baseline.to_str().unwrap()]));
    assert_eq!(out.status.code(), Some(1));
    let (code, result) = result_json(&demo_args(&["--controls", "LOG-*", "--baseline", baseline.to_str().unwrap()]));
    assert_eq!(code, Some(0), "no regression");
    assert_eq!(result["drift"]["controls"].as_array().map_or(0, Vec::len), 0, "{}", result["drift"]);
}

#[test]
fn severity_filters_what_is_shown_not_what_exits() {
    let out = jalon(&demo_args(&["--severity", "critical", "--width", "200"]));
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "high failures still fail the run");
    assert!(text.contains("FAIL · 1 control"), "only ALM-001 is critical and failing: {text}");
    assert!(text.contains("not shown, 9 of them FAIL: --severity)"), "{text}");
    assert!(!text.contains("LOG-001"));
    let (_, result) = result_json(&demo_args(&["--severity", "critical"]));
    assert_eq!(ids(&result).len(), 59, "the JSON result keeps every control");
    let out = jalon(&demo_args(&["--severity", "urgent"]));
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn policies_list_filters_by_phase_service_and_gdpr() {
    let list = |args: &[&str]| -> Vec<Value> {
        let mut all = vec!["policies", "list", "--format", "json"];
        all.extend_from_slice(args);
        let out = jalon(&all);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let everything = list(&[]);
    assert_eq!(everything.len(), 59);
    let j7 = list(&["--phase", "j+7"]);
    assert!(!j7.is_empty() && j7.iter().all(|c| c["phase"] == 7), "{j7:?}");
    let rds = list(&["--service", "rds"]);
    assert!(rds.iter().all(|c| c["evidence"].as_array().unwrap().iter().any(|e| e == "rds")));
    assert!(rds.iter().any(|c| c["id"] == "DB-001"));
    let gdpr = list(&["--gdpr", "--phase", "J+0"]);
    assert!(gdpr.iter().all(|c| !c["gdpr"].as_array().unwrap().is_empty() && c["phase"] == 0));
    assert!(gdpr.len() < everything.len());
    for (flag, value) in [("--phase", "J+9"), ("--service", "ec2")] {
        let out = jalon(&["policies", "list", flag, value]);
        assert_eq!(out.status.code(), Some(3), "{flag} {value}");
    }
}

// ------------------------------------------------------------------ the team's files

fn team_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["jalon.toml", "waivers.toml", "attestations.toml"] {
        std::fs::copy(repo().join("examples").join(name), dir.path().join(name)).unwrap();
    }
    dir
}

fn check_in(cwd: &Path, env: &[(&str, &str)]) -> std::process::Output {
    let snapshot = repo().join(DEMO_SNAPSHOT);
    let mut cmd = jalon_command(&["check", "--snapshot", snapshot.to_str().unwrap(), "--format", "json"]);
    cmd.current_dir(cwd);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn the_config_is_found_and_the_waivers_and_attestations_beside_it_are_read_and_said() {
    let dir = team_dir();
    let out = check_in(dir.path(), &[]);
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    let said = stderr(&out);
    assert!(said.contains("reading jalon.toml, waivers.toml, attestations.toml (found"), "{said}");
    assert_eq!(result["cutover"], "2026-11-19", "the config was read");
    let db_006 = result["controls"].as_array().unwrap().iter().find(|c| c["id"] == "DB-006").unwrap();
    assert_eq!(db_006["verdict"], "WAIVED", "the waivers beside it were read");

    // JALON_CONFIG names it from anywhere; the files beside it come along.
    let elsewhere = tempfile::tempdir().unwrap();
    let config = dir.path().join("jalon.toml");
    let out = check_in(elsewhere.path(), &[("JALON_CONFIG", config.to_str().unwrap())]);
    assert!(stderr(&out).contains(&format!("reading {}", config.display())), "{}", stderr(&out));
    assert!(stderr(&out).contains("waivers.toml"));
    // A JALON_CONFIG that names nothing is an input error, not "no config".
    let out = check_in(elsewhere.path(), &[("JALON_CONFIG", "/nonexistent/jalon.toml")]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));

    // A config named on the command line brings nothing else along.
    let out = jalon(&["check", "--snapshot", DEMO_SNAPSHOT, "--config", "examples/jalon.toml", "--format", "json"]);
    assert!(!stderr(&out).contains("reading"), "{}", stderr(&out));
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(result["waivers"]["expired"].as_array().unwrap().is_empty(), "no waivers read");
}

#[test]
fn a_waiver_names_its_approver_and_expiries_within_two_weeks_are_warned_about() {
    let dir = team_dir();
    let waivers = std::fs::read_to_string(dir.path().join("waivers.toml")).unwrap();
    std::fs::write(dir.path().join("waivers.toml"), waivers.replace("approved_by = \"cto@example.com\"\n", ""))
        .unwrap();
    let out = check_in(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("approved_by"), "{}", stderr(&out));

    // DB-006's waiver ends 2027-01-31; the DEP-003 attestation 2027-02-19.
    let (_, result) = result_json(&demo_args(&["--as-of", "2027-01-20"]));
    let warnings: Vec<&str> = result["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["kind"] == "waiver-expiring")
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("DB-006") && warnings[0].contains("approved by cto@example.com"), "{warnings:?}");
    assert!(warnings[0].contains("expires on 2027-01-31, in 11 days"), "{warnings:?}");
    let (_, earlier) = result_json(&demo_args(&["--as-of", "2027-01-16"]));
    assert!(!earlier["warnings"].to_string().contains("waiver-expiring"), "15 days ahead is not yet warned about");
    let db_006 = result["controls"].as_array().unwrap().iter().find(|c| c["id"] == "DB-006").unwrap();
    assert!(db_006["resources"][0]["message"].as_str().unwrap().contains("approved by cto@example.com"));

    // DEP-003's attestation ends 2027-05-18: said on stderr and in the result.
    let out = jalon(&demo_args(&["--as-of", "2027-05-10", "--format", "json"]));
    let said = stderr(&out);
    assert!(
        said.contains("the attestation of DEP-003 by orders-team@example.com expires on 2027-05-18, in 8 days"),
        "{said}"
    );
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(result["warnings"].as_array().unwrap().iter().any(|w| w["kind"] == "attestation-expiring"));
}
