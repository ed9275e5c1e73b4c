//! examples/nightly-drift.yml stays in step with the command line: it is valid YAML,
//! it has the steps the nightly job needs, and every `jalon` command it runs parses
//! with this jalon's arguments. (Nothing here talks to GitHub or AWS.)

mod common;

use clap::Parser;
use serde_json::Value;

fn workflow() -> Value {
    let text = std::fs::read_to_string(common::repo().join("examples/nightly-drift.yml")).unwrap();
    yaml_serde::from_str(&text).expect("the workflow is valid YAML")
}

fn steps(w: &Value) -> Vec<&Value> {
    w["jobs"]["drift"]["steps"].as_array().expect("jobs.drift.steps").iter().collect()
}

#[test]
fn the_workflow_has_every_step_of_the_nightly_job() {
    let w = workflow();
    assert_eq!(w["permissions"]["id-token"], "write", "OIDC needs id-token: write");
    let uses: Vec<&str> = steps(&w).iter().filter_map(|s| s["uses"].as_str()).collect();
    for action in [
        "actions/cache/restore@",
        "aws-actions/configure-aws-credentials@",
        "dorny/test-reporter@",
        "github/codeql-action/upload-sarif@",
        "actions/cache/save@",
    ] {
        assert!(uses.iter().any(|u| u.starts_with(action)), "no step uses {action}");
    }
    let runs: String = steps(&w).iter().filter_map(|s| s["run"].as_str()).collect::<Vec<_>>().join("\n");
    assert!(runs.contains("GITHUB_STEP_SUMMARY"));
    assert!(runs.contains("--baseline baseline/last.json"));

    // Only a clean night becomes the baseline: collection complete, check judged.
    let promote = steps(&w)
        .into_iter()
        .find(|s| s["run"].as_str().is_some_and(|r| r.contains("cp reports/jalon.json baseline/last.json")))
        .expect("a step that promotes the result");
    let condition = promote["if"].as_str().expect("a condition");
    assert!(condition.contains("steps.collect.outputs.code == '0'"), "{condition}");
    assert!(condition.contains("steps.check.outputs.code == '0' || steps.check.outputs.code == '1'"), "{condition}");
    assert!(!condition.contains("hashFiles"), "a file's presence does not make a run clean: {condition}");
}

/// The `jalon ...` command lines of the run blocks, shell variables replaced by a
/// placeholder and array expansions (`"${a[@]}"`) dropped.
fn jalon_commands(w: &Value) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for step in steps(w) {
        let Some(run) = step["run"].as_str() else {
            continue;
        };
        for line in run.lines() {
            let line = line.trim().trim_start_matches("command -v jalon || ");
            let Some(rest) = line.strip_prefix("jalon ") else {
                continue;
            };
            let mut args = vec!["jalon".to_string()];
            for token in rest.split_whitespace() {
                if token == ">>" || token == "||" || token == ";" {
                    break;
                }
                if token.contains("[@]") {
                    continue;
                }
                let token = token.trim_matches('"');
                args.push(if token.starts_with('$') { "placeholder".into() } else { token.to_string() });
            }
            out.push(args);
        }
    }
    out
}

#[test]
fn every_jalon_command_in_the_workflow_parses() {
    let commands = jalon_commands(&workflow());
    let names: Vec<&str> = commands.iter().map(|c| c[1].as_str()).collect();
    assert_eq!(names, ["collect", "check"]);
    for args in &commands {
        if let Err(e) = jalon::cli::Cli::try_parse_from(args) {
            panic!("{args:?} does not parse: {e}");
        }
    }
    // And with the baseline the array adds.
    let mut check = commands[1].clone();
    check.extend(["--baseline".to_string(), "baseline/last.json".to_string()]);
    jalon::cli::Cli::try_parse_from(&check).expect("check with --baseline parses");
}
