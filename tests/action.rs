//! action.yml, the composite GitHub Action: it declares what a workflow passes, keeps
//! every input out of its scripts' text, and its scripts, run in bash with stand-ins
//! for jalon and curl (tests/common/action.rs), install the release that matches its
//! checksum and call `jalon collect` then `jalon check` with arguments this jalon's
//! command line accepts; and once with the real jalon against the emulator (moto on
//! 127.0.0.1). (Nothing here talks to GitHub or AWS.)

mod common;

use clap::Parser;
use common::action::{self, Runner};
use sha2::Digest;

const INPUTS: [&str; 13] = [
    "role",
    "aws-region",
    "regions",
    "config",
    "waivers",
    "attestations",
    "baseline",
    "formats",
    "output",
    "version",
    "args",
    "collect-args",
    "fail-on-findings",
];

#[test]
fn the_action_declares_its_inputs_and_outputs() {
    let a = action::action();
    assert_eq!(a["runs"]["using"], "composite");
    let inputs = a["inputs"].as_object().expect("inputs");
    for name in INPUTS {
        let input = inputs.get(name).unwrap_or_else(|| panic!("no input {name}"));
        assert!(input["description"].as_str().is_some_and(|d| !d.is_empty()), "{name} has no description");
        assert!(input["default"].is_string(), "{name}: an optional input with a default");
    }
    let ids: Vec<&str> = action::steps(&a).iter().filter_map(|s| s["id"].as_str()).collect();
    let outputs = a["outputs"].as_object().expect("outputs");
    for name in ["exit-code", "collect-exit-code", "report-dir", "snapshot", "baseline-used", "version"] {
        let value = outputs.get(name).and_then(|o| o["value"].as_str()).unwrap_or_else(|| panic!("no output {name}"));
        let step = value
            .strip_prefix("${{ steps.")
            .and_then(|v| v.strip_suffix(&format!(".outputs.{name} }}}}")))
            .unwrap_or_else(|| panic!("output {name} is not a step's output of that name: {value}"));
        assert!(ids.contains(&step), "output {name} reads step {step}, which does not exist");
    }
}

#[test]
fn no_input_is_interpolated_into_a_script() {
    let a = action::action();
    for step in action::steps(&a) {
        if let Some(run) = step["run"].as_str() {
            assert!(!run.contains("${{"), "an expression inside step {}'s script (script injection)", step["name"]);
            assert_eq!(step["shell"], "bash");
        }
    }
}

#[test]
fn the_role_is_assumed_with_oidc_only_when_given() {
    let a = action::action();
    let assume = action::steps(&a)
        .into_iter()
        .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("aws-actions/configure-aws-credentials@")))
        .expect("a step that assumes the role");
    assert_eq!(assume["if"], "inputs.role != ''");
    assert_eq!(assume["with"]["role-to-assume"], "${{ inputs.role }}");
    assert_eq!(assume["with"]["aws-region"], "${{ inputs.aws-region }}");
    // Before the collection, after the install.
    let order: Vec<&str> = action::steps(&a).iter().map(|s| s["name"].as_str().unwrap_or("")).collect();
    let position = |name: &str| order.iter().position(|n| *n == name).unwrap();
    assert!(position("Install jalon") < position(assume["name"].as_str().unwrap()));
    assert!(position(assume["name"].as_str().unwrap()) < position("Collect and check"));
}

fn parses(call: &[String]) {
    let argv = std::iter::once("jalon".to_string()).chain(call.iter().cloned());
    if let Err(e) = jalon::cli::Cli::try_parse_from(argv) {
        panic!("jalon {call:?} does not parse: {e}");
    }
}

/// `flag value` appears in the call, in that order.
fn has(call: &[String], flag: &str, value: &str) -> bool {
    call.windows(2).any(|w| w[0] == flag && w[1] == value)
}

#[test]
fn collect_then_check_with_every_input() {
    let run = Runner {
        inputs: vec![
            ("aws-region", "eu-west-3"),
            ("regions", "eu-west-3, eu-west-1"),
            ("config", "jalon.toml"),
            ("waivers", "waivers.toml"),
            ("attestations", "attestations.toml"),
            ("baseline", "baseline/last.json"),
            ("formats", "json, junit,sarif,markdown"),
            ("output", "out/reports"),
            ("args", "--fail-on high  --phase J+7"),
            ("collect-args", "--rate-limit 5"),
            ("fail-on-findings", "false"),
        ],
        files: vec![("baseline/last.json", "{}")],
        ..Default::default()
    }
    .run("run");
    assert_eq!(run.code(), Some(0), "{}", run.log());
    let [collect, check] = run.calls.as_slice() else { panic!("two calls expected: {:?}", run.calls) };
    assert_eq!(collect[0], "collect");
    assert_eq!(check[0], "check");
    parses(collect);
    parses(check);
    assert!(has(collect, "--region", "eu-west-3") && has(collect, "--region", "eu-west-1"), "{collect:?}");
    assert!(has(collect, "--output", "out/reports/snapshot.json"), "{collect:?}");
    assert!(has(collect, "--config", "jalon.toml") && has(collect, "--rate-limit", "5"), "{collect:?}");
    assert!(collect.contains(&"--quiet".to_string()));
    assert!(has(check, "--snapshot", "out/reports/snapshot.json"), "{check:?}");
    assert!(has(check, "--format", "table,json,junit,sarif,markdown"), "{check:?}");
    assert!(has(check, "--output", "out/reports"), "{check:?}");
    assert!(has(check, "--waivers", "waivers.toml") && has(check, "--attestations", "attestations.toml"));
    assert!(has(check, "--baseline", "baseline/last.json"), "{check:?}");
    assert!(has(check, "--fail-on", "high") && has(check, "--phase", "J+7"), "{check:?}");
    assert!(run.workspace.join("out/reports").is_dir(), "the output directory is created");
    for (name, value) in [
        ("collect-exit-code", "0"),
        ("exit-code", "0"),
        ("report-dir", "out/reports"),
        ("snapshot", "out/reports/snapshot.json"),
        ("baseline-used", "true"),
    ] {
        assert_eq!(run.outputs.get(name).map(String::as_str), Some(value), "output {name}: {:?}", run.outputs);
    }
}

#[test]
fn the_defaults_make_a_valid_run() {
    let run = Runner::default().run("run");
    assert_eq!(run.code(), Some(0), "{}", run.log());
    assert_eq!(run.calls.len(), 2);
    run.calls.iter().for_each(|c| parses(c));
    // No region input: the SDK's own (profile, AWS_REGION); no config: jalon's default.
    assert!(!run.calls[0].contains(&"--region".to_string()), "{:?}", run.calls[0]);
    assert!(!run.calls[1].contains(&"--config".to_string()), "{:?}", run.calls[1]);
    assert!(has(&run.calls[1], "--format", "table,json,junit,sarif,markdown"), "{:?}", run.calls[1]);
}

#[test]
fn aws_region_is_the_region_collected_without_regions() {
    let run = Runner { inputs: vec![("aws-region", "us-gov-west-1")], ..Default::default() }.run("run");
    assert_eq!(run.code(), Some(0), "{}", run.log());
    assert!(has(&run.calls[0], "--region", "us-gov-west-1"), "{:?}", run.calls[0]);
}

#[test]
fn the_table_alone_goes_to_the_log_only() {
    // One format with -o would make `reports` a file: the table alone has no -o.
    let run = Runner { inputs: vec![("formats", "table")], ..Default::default() }.run("run");
    assert_eq!(run.code(), Some(0), "{}", run.log());
    assert!(has(&run.calls[1], "--format", "table"), "{:?}", run.calls[1]);
    assert!(!run.calls[1].contains(&"--output".to_string()), "{:?}", run.calls[1]);
}

#[test]
fn a_missing_baseline_is_a_first_run() {
    let run = Runner { inputs: vec![("baseline", "baseline/last.json")], ..Default::default() }.run("run");
    assert_eq!(run.code(), Some(0), "{}", run.log());
    assert!(!run.calls[1].contains(&"--baseline".to_string()), "{:?}", run.calls[1]);
    assert_eq!(run.outputs["baseline-used"], "false");
    assert!(run.log().contains("::notice::jalon: no baseline yet"), "{}", run.log());
}

#[test]
fn exit_codes_reach_the_step_and_its_outputs() {
    // (collect's code, check's code, fail-on-findings) → (the step's code, exit-code output)
    let cases = [
        (0, 0, "true", 0, Some("0")),
        (0, 1, "true", 1, Some("1")),
        (0, 2, "true", 2, Some("2")),
        (0, 1, "false", 0, Some("1")),
        (2, 2, "false", 0, Some("2")),
        (0, 3, "false", 3, Some("3")),
        (0, 4, "false", 4, Some("4")),
        (4, 0, "false", 4, None),
        (3, 0, "true", 3, None),
    ];
    for (collect, check, fail, step, exit_output) in cases {
        let run = Runner {
            inputs: vec![("fail-on-findings", fail)],
            exit_codes: vec![("collect", collect), ("check", check)],
            ..Default::default()
        }
        .run("run");
        let case = format!("collect {collect}, check {check}, fail-on-findings {fail}");
        assert_eq!(run.code(), Some(step), "{case}: {}", run.log());
        assert_eq!(run.outputs["collect-exit-code"], collect.to_string(), "{case}");
        assert_eq!(run.outputs.get("exit-code").map(String::as_str), exit_output, "{case}");
        // A collection that could not run is never checked.
        assert_eq!(run.calls.len(), if exit_output.is_some() { 2 } else { 1 }, "{case}");
    }
}

#[test]
fn hostile_inputs_stay_data() {
    let hostile = "$(touch pwned) `touch pwned` ; touch pwned * ' \"";
    // A region that is not a region name: refused before anything runs.
    let run = Runner { inputs: vec![("regions", "eu-west-3;touch pwned")], ..Default::default() }.run("run");
    assert_eq!(run.code(), Some(3), "{}", run.log());
    assert!(run.calls.is_empty());
    // Paths are single arguments; extra flags are words, never evaluated or globbed.
    let run = Runner {
        inputs: vec![("config", hostile), ("baseline", hostile), ("args", hostile), ("waivers", "a b")],
        files: vec![("decoy.txt", "a file a glob would list")],
        ..Default::default()
    }
    .run("run");
    assert_eq!(run.code(), Some(0), "{}", run.log());
    assert!(!run.workspace.join("pwned").exists(), "an input ran as a command");
    let check = &run.calls[1];
    assert!(has(check, "--config", hostile), "{check:?}");
    assert!(has(check, "--waivers", "a b"), "{check:?}");
    for word in ["$(touch", "`touch", "*", "'", "\""] {
        assert!(check.contains(&word.to_string()), "{word} not passed as itself: {check:?}");
    }
    assert!(!check.contains(&"decoy.txt".to_string()), "a word was globbed: {check:?}");
    // An output directory that would forge an output line.
    let run = Runner { inputs: vec![("output", "reports\nexit-code=0")], ..Default::default() }.run("run");
    assert_eq!(run.code(), Some(3), "{}", run.log());
    assert!(!run.outputs.contains_key("exit-code"));
    let run = Runner { inputs: vec![("fail-on-findings", "yes")], ..Default::default() }.run("run");
    assert_eq!(run.code(), Some(3), "{}", run.log());
}

/// A release as the release workflow publishes it: per target a tar.gz holding
/// jalon-vX-TARGET/jalon, and SHA256SUMS. Its jalon prints the version.
fn release(dir: &std::path::Path, version: &str, targets: &[&str]) {
    let mut sums = String::new();
    for target in targets {
        let name = format!("jalon-{version}-{target}");
        let stage = dir.join("stage").join(&name);
        std::fs::create_dir_all(&stage).unwrap();
        action::write_executable(&stage.join("jalon"), &format!("#!/bin/sh\necho 'jalon {}'\n", &version[1..]));
        let tarball = dir.join(format!("{name}.tar.gz"));
        let status = std::process::Command::new("tar")
            .arg("-czf")
            .arg(&tarball)
            .arg("-C")
            .arg(dir.join("stage"))
            .arg(&name)
            .status()
            .expect("tar");
        assert!(status.success());
        let digest = sha2::Sha256::digest(std::fs::read(&tarball).unwrap());
        sums.push_str(&format!("{}  {name}.tar.gz\n", hex::encode(digest)));
    }
    std::fs::write(dir.join("SHA256SUMS"), sums).unwrap();
}

const TARGETS: [&str; 4] =
    ["x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl", "x86_64-apple-darwin", "aarch64-apple-darwin"];

#[test]
fn the_install_downloads_the_runners_release_from_the_actions_own_repository() {
    let served = tempfile::tempdir().unwrap();
    let version = format!("v{}", env!("CARGO_PKG_VERSION"));
    release(served.path(), &version, &TARGETS);
    for ((os, arch), target) in
        [("Linux", "X64"), ("Linux", "ARM64"), ("macOS", "X64"), ("macOS", "ARM64")].iter().zip(TARGETS)
    {
        let run = Runner {
            served: Some(served.path()),
            action_repository: "a-fork/jalon",
            action_ref: "v1",
            runner: Some((os, arch)),
            ..Default::default()
        }
        .run("install");
        assert_eq!(run.code(), Some(0), "{os} {arch}: {}", run.log());
        let base = format!("https://github.com/a-fork/jalon/releases/download/{version}");
        assert_eq!(run.downloads, [format!("{base}/jalon-{version}-{target}.tar.gz"), format!("{base}/SHA256SUMS")]);
        assert_eq!(run.outputs["version"], env!("CARGO_PKG_VERSION"));
        let [added] = run.path_added.as_slice() else { panic!("one PATH entry: {:?}", run.path_added) };
        assert!(added.ends_with(&format!("jalon-{version}-{target}")), "{added}");
        assert!(run.log().contains(&format!("jalon {}", env!("CARGO_PKG_VERSION"))), "it ran --version: {}", run.log());
    }
    // The checkout path names the repository when the context does not.
    let run = Runner { served: Some(served.path()), inputs: vec![("version", &version)], ..Default::default() };
    let out = run.run("install");
    // GITHUB_ACTION_PATH here is the repository, not .../_actions/OWNER/REPO/REF.
    assert_eq!(out.code(), Some(3), "{}", out.log());
    assert!(out.log().contains("cannot tell which repository"), "{}", out.log());
}

#[test]
fn a_release_that_does_not_match_its_checksum_is_refused() {
    let served = tempfile::tempdir().unwrap();
    let version = format!("v{}", env!("CARGO_PKG_VERSION"));
    release(served.path(), &version, &TARGETS);
    let install = || {
        Runner { served: Some(served.path()), action_repository: "owner/jalon", ..Default::default() }.run("install")
    };
    assert_eq!(install().code(), Some(0));
    // Tampered with after the sums were made.
    let tarball = served.path().join(format!("jalon-{version}-x86_64-unknown-linux-musl.tar.gz"));
    let mut bytes = std::fs::read(&tarball).unwrap();
    bytes.push(0);
    std::fs::write(&tarball, bytes).unwrap();
    let run = install();
    assert_eq!(run.code(), Some(3), "{}", run.log());
    assert!(run.log().contains("does not match SHA256SUMS"), "{}", run.log());
    assert!(run.path_added.is_empty(), "a refused binary went on the PATH");
    // No entry for the file at all.
    std::fs::write(served.path().join("SHA256SUMS"), "0000  jalon-other.tar.gz\n").unwrap();
    let run = install();
    assert_eq!(run.code(), Some(3), "{}", run.log());
    assert!(run.log().contains("expected no entry"), "{}", run.log());
    // No release at all.
    std::fs::remove_file(served.path().join("SHA256SUMS")).unwrap();
    let run = install();
    assert_eq!(run.code(), Some(3), "{}", run.log());
    assert!(run.log().contains("cannot download"), "{}", run.log());
}

#[test]
fn the_install_refuses_bad_inputs_before_downloading() {
    for (inputs, runner, message) in [
        (vec![("version", "v1.0.0; touch pwned")], None, "version must be a release tag"),
        (vec![("version", "latest")], None, "version must be a release tag"),
        (vec![("role", "arn:aws:iam::123456789012:role/x")], None, "aws-region is required with role"),
        (vec![], Some(("Windows", "X64")), "no jalon release for Windows"),
    ] {
        let run = Runner { inputs, runner, action_repository: "owner/jalon", ..Default::default() }.run("install");
        assert_eq!(run.code(), Some(3), "{}", run.log());
        assert!(run.log().contains(message), "{message}: {}", run.log());
        assert!(run.downloads.is_empty(), "{:?}", run.downloads);
        assert!(!run.workspace.join("pwned").exists());
    }
}

#[test]
fn shellcheck_passes_the_actions_scripts() {
    let Some(shellcheck) = common::lint_tool("shellcheck") else { return };
    let a = action::action();
    for step in action::steps(&a) {
        if let Some(run) = step["run"].as_str() {
            let (ok, text) = common::lint_stdin(&shellcheck, &["--shell=bash", "-"], run);
            assert!(ok, "shellcheck, step {}: {text}", step["name"]);
        }
    }
    // The same check on an unquoted input: it must object (else it checks nothing).
    let (ok, text) = common::lint_stdin(&shellcheck, &["--shell=bash", "-"], "jalon check --config $INPUT_CONFIG\n");
    assert!(!ok && text.contains("SC2086"), "{text}");
}

/// The action's script with the real jalon: collect from the emulator (the demo
/// account), then check it with the demo's files; the reports are there and the exit
/// code is the one jalon check gives on that snapshot.
#[test]
fn the_action_collects_and_checks_the_emulator_with_the_real_jalon() {
    let Some(emulator) = common::Emulator::start() else { return };
    emulator.seed("eu-west-3", "demo", &[]);
    let collect_args = format!("--endpoint-url {}", emulator.endpoint);
    let example = |name: &str| common::repo().join("examples").join(name).display().to_string();
    let (config, waivers, attestations) =
        (example("jalon.toml"), example("waivers.toml"), example("attestations.toml"));
    let run = Runner {
        real_jalon: Some(std::path::Path::new(env!("CARGO_BIN_EXE_jalon"))),
        env: vec![
            ("AWS_ACCESS_KEY_ID", "AKIAJALONTEST0000001"),
            ("AWS_SECRET_ACCESS_KEY", "jalon-test-secret"),
            ("AWS_CONFIG_FILE", "/nonexistent/jalon-test"),
            ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/jalon-test"),
            ("AWS_EC2_METADATA_DISABLED", "true"),
        ],
        inputs: vec![
            ("regions", "eu-west-3"),
            ("collect-args", &collect_args),
            ("config", &config),
            ("waivers", &waivers),
            ("attestations", &attestations),
            ("formats", "json,junit,sarif,markdown"),
            ("fail-on-findings", "false"),
        ],
        ..Default::default()
    }
    .run("run");
    assert_eq!(run.code(), Some(0), "{}", run.log());
    assert_eq!(run.outputs["collect-exit-code"], "0", "{}", run.log());
    let reports = run.workspace.join("reports");
    for file in ["snapshot.json", "jalon.json", "jalon.junit.xml", "jalon.sarif", "jalon.md"] {
        assert!(reports.join(file).is_file(), "no reports/{file}: {}", run.log());
    }
    let result = common::read_json(&reports.join("jalon.json"));
    assert!(result["controls"].as_array().is_some_and(|c| !c.is_empty()), "a result with controls");
    let snapshot = reports.join("snapshot.json").display().to_string();
    let direct = common::jalon(&[
        "check",
        "--snapshot",
        &snapshot,
        "--config",
        &config,
        "--waivers",
        &waivers,
        "--attestations",
        &attestations,
    ]);
    assert_eq!(run.outputs["exit-code"], direct.status.code().unwrap().to_string(), "{}", run.log());
}
