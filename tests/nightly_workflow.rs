//! examples/nightly-drift.yml stays in step with the action and the command line: it
//! is valid YAML, it has the steps the nightly job needs, it uses jalon's action
//! (action.yml) with inputs the action declares, and the `jalon` commands the action
//! then runs parse with this jalon's arguments. (Nothing here talks to GitHub or AWS.)

mod common;

use clap::Parser;
use common::action::Runner;
use serde_json::Value;

fn workflow() -> Value {
    let text = std::fs::read_to_string(common::repo().join("examples/nightly-drift.yml")).unwrap();
    yaml_serde::from_str(&text).expect("the workflow is valid YAML")
}

fn steps(w: &Value) -> Vec<&Value> {
    w["jobs"]["drift"]["steps"].as_array().expect("jobs.drift.steps").iter().collect()
}

/// The step that runs jalon's action.
fn jalon_step(w: &Value) -> &Value {
    steps(w)
        .into_iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("OWNER/jalon@")))
        .expect("a step uses OWNER/jalon@...")
}

/// The action's inputs as the workflow gives them, `${{ env.NAME }}` read from the
/// workflow's env.
fn action_inputs(w: &Value) -> Vec<(String, String)> {
    let with = jalon_step(w)["with"].as_object().expect("the action's inputs");
    with.iter()
        .map(|(name, value)| {
            let text = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let resolved = match text.strip_prefix("${{ env.").and_then(|t| t.strip_suffix(" }}")) {
                Some(var) => w["env"][var].as_str().unwrap_or_else(|| panic!("env.{var} is not set")).to_string(),
                None => {
                    assert!(!text.contains("${{"), "input {name}: only env expressions here: {text}");
                    text
                }
            };
            (name.clone(), resolved)
        })
        .collect()
}

#[test]
fn the_workflow_has_every_step_of_the_nightly_job() {
    let w = workflow();
    assert_eq!(w["permissions"]["id-token"], "write", "OIDC needs id-token: write");
    let uses: Vec<&str> = steps(&w).iter().filter_map(|s| s["uses"].as_str()).collect();
    for action in [
        "actions/cache/restore@",
        "OWNER/jalon@v1",
        "dorny/test-reporter@",
        "github/codeql-action/upload-sarif@",
        "actions/cache/save@",
    ] {
        assert!(uses.iter().any(|u| u.starts_with(action)), "no step uses {action}");
    }
    let runs: String = steps(&w).iter().filter_map(|s| s["run"].as_str()).collect::<Vec<_>>().join("\n");
    assert!(runs.contains("GITHUB_STEP_SUMMARY"));
    assert!(!runs.contains("${{"), "an expression inside a script (script injection)");
    assert!(!runs.contains("cargo install"), "the action installs jalon");

    // The role is assumed (by the action) with the workflow's role, in its region.
    let inputs = action_inputs(&w);
    let input = |name: &str| inputs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    assert_eq!(input("role"), w["env"]["JALON_ROLE"].as_str());
    assert_eq!(input("aws-region"), w["env"]["AWS_REGION"].as_str());
    // The baseline the action reads is the file the cache restores and saves.
    let restore = steps(&w)
        .into_iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("actions/cache/restore@")))
        .unwrap();
    assert_eq!(input("baseline"), restore["with"]["path"].as_str());
    assert_eq!(input("output"), Some("reports"));
    assert_eq!(input("fail-on-findings"), Some("false"), "the last step decides the job's status");

    // Only a clean night becomes the baseline: collection complete, check judged.
    let promote = steps(&w)
        .into_iter()
        .find(|s| s["run"].as_str().is_some_and(|r| r.contains("cp reports/jalon.json baseline/last.json")))
        .expect("a step that promotes the result");
    let condition = promote["if"].as_str().expect("a condition");
    assert!(condition.contains("steps.jalon.outputs.collect-exit-code == '0'"), "{condition}");
    assert!(
        condition.contains("steps.jalon.outputs.exit-code == '0' || steps.jalon.outputs.exit-code == '1'"),
        "{condition}"
    );
    assert!(!condition.contains("hashFiles"), "a file's presence does not make a run clean: {condition}");
    // Every output the workflow reads is one the action declares.
    let action = common::action::action();
    let text = std::fs::read_to_string(common::repo().join("examples/nightly-drift.yml")).unwrap();
    for part in text.split("steps.jalon.outputs.").skip(1) {
        let name: String = part.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        assert!(action["outputs"][name.as_str()].is_object(), "the action has no output {name}");
    }
}

fn parses(call: &[String]) {
    let argv = std::iter::once("jalon".to_string()).chain(call.iter().cloned());
    if let Err(e) = jalon::cli::Cli::try_parse_from(argv) {
        panic!("jalon {call:?} does not parse: {e}");
    }
}

#[test]
fn the_action_runs_valid_jalon_commands_with_the_workflows_inputs() {
    let w = workflow();
    let inputs = action_inputs(&w);
    let inputs: Vec<(&str, &str)> = inputs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    for baseline_exists in [true, false] {
        let files = if baseline_exists { vec![("baseline/last.json", "{}")] } else { vec![] };
        let run = Runner { inputs: inputs.clone(), files, ..Default::default() }.run("run");
        assert_eq!(run.code(), Some(0), "{}", run.log());
        let names: Vec<&str> = run.calls.iter().map(|c| c[0].as_str()).collect();
        assert_eq!(names, ["collect", "check"]);
        run.calls.iter().for_each(|c| parses(c));
        let check = run.calls[1].join(" ");
        assert_eq!(check.contains("--baseline baseline/last.json"), baseline_exists, "{check}");
        assert!(check.contains("--format table,json,junit,sarif,markdown --output reports"), "{check}");
        assert!(check.contains("--config jalon.toml --waivers waivers.toml --attestations attestations.toml"));
        let collect = run.calls[0].join(" ");
        assert!(collect.contains("--region eu-west-3 --region eu-west-1"), "{collect}");
        assert!(collect.contains("--output reports/snapshot.json"), "{collect}");
    }
    // The reports the later steps publish are the ones these formats write.
    let published: String = steps(&w).iter().filter_map(|s| s["if"].as_str()).collect::<Vec<_>>().join("\n");
    for file in ["reports/jalon.junit.xml", "reports/jalon.sarif", "reports/jalon.md"] {
        assert!(published.contains(file), "no step reads {file}");
    }
}

#[test]
fn the_last_step_fails_the_job_on_a_regression_or_a_broken_run_only() {
    let w = workflow();
    let last = steps(&w).into_iter().last().expect("steps");
    assert_eq!(last["if"], "always()");
    let script = last["run"].as_str().expect("a script");
    // (check's exit code, a baseline was compared) → the job fails
    for (code, baseline_used, fails) in [
        ("0", "true", false),
        ("1", "true", true),
        ("1", "false", false), // the first night: nothing to regress from
        ("2", "true", false),
        ("3", "true", true),
        ("4", "false", true),
        ("", "", true), // collection failed: check never ran
    ] {
        let out = std::process::Command::new("bash")
            .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
            .env("CODE", code)
            .env("BASELINE_USED", baseline_used)
            .output()
            .expect("bash");
        assert_eq!(!out.status.success(), fails, "exit {code:?}, baseline {baseline_used:?}: {}", common::stdout(&out));
    }
    let env = last["env"].as_object().expect("the outputs through env");
    assert_eq!(env["CODE"], "${{ steps.jalon.outputs.exit-code }}");
    assert_eq!(env["BASELINE_USED"], "${{ steps.jalon.outputs.baseline-used }}");
}
