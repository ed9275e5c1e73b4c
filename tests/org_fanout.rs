//! examples/org-fanout.yml does what it says: actionlint passes it, and its own
//! `run:` scripts, executed by bash as the runner would (the collect step once per
//! shard, then the merge and the check), read an emulated Organization end to end.
//! Only the install and the actions (`uses:`) are left out: the scripts find the
//! jalon under test on PATH and reach the emulator through `AWS_ENDPOINT_URL`.

mod common;

use std::path::Path;
use std::process::Command;

use common::{repo, Emulator};
use serde_json::{json, Value};

fn workflow() -> Value {
    let text = std::fs::read_to_string(repo().join("examples/org-fanout.yml")).unwrap();
    yaml_serde::from_str(&text).expect("the workflow is valid YAML")
}

/// The `run:` script of the step named `name` in `job`.
fn script<'a>(w: &'a Value, job: &str, name: &str) -> &'a str {
    w["jobs"][job]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"].as_str().is_some_and(|n| n.starts_with(name)))
        .and_then(|s| s["run"].as_str())
        .unwrap_or_else(|| panic!("no step `{name}` with a script in job `{job}`"))
}

/// Runs a step's script with bash in `dir`, as a runner would, with `env`.
fn run_step(script: &str, dir: &Path, emu: &Emulator, env: &[(&str, &str)]) -> std::process::Output {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_jalon")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let mut cmd = Command::new("bash");
    cmd.args(["-e", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_DEFAULT_REGION")
        .env_remove("JALON_CONFIG")
        .env("AWS_ENDPOINT_URL", &emu.endpoint)
        .env("AWS_REGION", "eu-west-3")
        .env("AWS_ACCESS_KEY_ID", "AKIAJALONTEST0000001")
        .env("AWS_SECRET_ACCESS_KEY", "jalon-test-secret")
        .env("AWS_CONFIG_FILE", "/nonexistent/jalon-test")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/jalon-test")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run bash")
}

#[test]
fn actionlint_passes_the_fan_out_workflow() {
    let (Some(actionlint), Some(shellcheck)) = (common::lint_tool("actionlint"), common::lint_tool("shellcheck"))
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let text = std::fs::read_to_string(repo().join("examples/org-fanout.yml")).unwrap();
    let lint = |text: &str| {
        std::fs::write(dir.path().join(".github/workflows/org.yml"), text).unwrap();
        let out = Command::new(&actionlint)
            .args(["-no-color", "-shellcheck"])
            .arg(&shellcheck)
            .arg(".github/workflows/org.yml")
            .current_dir(dir.path())
            .output()
            .unwrap();
        (out.status.success(), format!("{}{}", common::stdout(&out), common::stderr(&out)))
    };
    let (ok, report) = lint(&text);
    assert!(ok, "actionlint: {report}");
    // The linter objects to an expression inside a script (else it checks nothing).
    let injected = text.replace("echo \"exit code $code\"", "echo \"${{ github.event.head_commit.message }}\"");
    assert_ne!(injected, text);
    let (ok, report) = lint(&injected);
    assert!(!ok && report.contains("potentially untrusted"), "{report}");
}

#[test]
fn the_workflow_scripts_collect_merge_and_check_an_organization() {
    let Some(emu) = Emulator::start() else { return };
    let w = workflow();
    let shards = w["jobs"]["collect"]["strategy"]["matrix"]["shard"].as_array().unwrap().len();
    assert_eq!(shards, 8);
    // An Organization: the caller manages it; two members seeded; one refuses the role.
    let members = ["111111111111", "222222222222", "333333333333", "444444444444"];
    let accounts: Vec<Value> = members.iter().map(|id| json!({"id": id, "name": format!("member {id}")})).collect();
    emu.control(
        "/_jalon/organization",
        &json!({"management": "123456789012", "accounts": accounts, "roles": ["jalon-audit"]}),
    );
    emu.seed_accounts("eu-west-3", "small", &members[..2]);
    emu.control("/_jalon/accounts", &json!({"assume_role_denied": ["444444444444"]}));

    let work = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("examples/jalon.toml"), work.path().join("jalon.toml")).unwrap();
    let collect = script(&w, "collect", "Collect shard");
    for k in 0..shards {
        let (k, n) = (k.to_string(), shards.to_string());
        let out = run_step(collect, work.path(), &emu, &[("SHARD", &k), ("SHARDS", &n)]);
        // 0 or 2 (an empty shard, or the refused account): the step passes.
        assert!(out.status.success(), "shard {k}: {}{}", common::stdout(&out), common::stderr(&out));
    }
    let merge = script(&w, "check", "Merge the shards");
    let out = run_step(merge, work.path(), &emu, &[]);
    assert!(out.status.success(), "merge: {}", common::stderr(&out));
    let index = common::read_json(&work.path().join("snapshots/organization/index.json"));
    let ids: Vec<&str> = index["accounts"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["111111111111", "123456789012", "222222222222", "333333333333", "444444444444"]);

    let output = work.path().join("github_output");
    let check = script(&w, "check", "Check every account");
    let out = run_step(check, work.path(), &emu, &[("GITHUB_OUTPUT", output.to_str().unwrap())]);
    assert!(out.status.success(), "check: {}", common::stderr(&out));
    let recorded = std::fs::read_to_string(&output).unwrap();
    // Findings in the seeded accounts (the small scenario is not hardened): exit 1.
    assert_eq!(recorded.trim(), "exit-code=1", "{recorded}\n{}", common::stderr(&out));
    for report in ["jalon.json", "jalon.junit.xml", "jalon.sarif", "jalon.md"] {
        assert!(work.path().join("reports").join(report).exists(), "{report}");
    }
    // The refused account is judged, UNKNOWN, not dropped.
    let md = std::fs::read_to_string(work.path().join("reports/jalon.md")).unwrap();
    assert!(md.contains("444444444444"), "{md}");

    // The decide step turns the code into the job's status.
    let decide = script(&w, "check", "Decide");
    for (code, ok) in [("0", true), ("1", false), ("2", true), ("3", false), ("", false)] {
        let out = run_step(decide, work.path(), &emu, &[("CODE", code)]);
        assert_eq!(out.status.success(), ok, "exit {code:?}: {}", common::stdout(&out));
    }

    // A shard missing: the merge refuses.
    std::fs::remove_dir_all(work.path().join("snapshots/organization")).unwrap();
    std::fs::remove_dir_all(work.path().join("snapshots/shard-3")).unwrap();
    let out = run_step(merge, work.path(), &emu, &[]);
    assert_eq!(out.status.code(), Some(3), "{}", common::stderr(&out));
}
