//! Runs a step of action.yml the way the runner does (`bash --noprofile --norc -eo
//! pipefail`), its `env:` expressions filled from the inputs (or their defaults), with
//! stand-ins on PATH: a `jalon` that records its arguments and exits with a chosen code,
//! and a `curl` that serves files from a local directory instead of GitHub.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub fn action() -> Value {
    let text = std::fs::read_to_string(super::repo().join("action.yml")).expect("action.yml");
    yaml_serde::from_str(&text).expect("action.yml is valid YAML")
}

pub fn steps(action: &Value) -> Vec<&Value> {
    action["runs"]["steps"].as_array().expect("runs.steps").iter().collect()
}

pub fn step<'a>(action: &'a Value, id: &str) -> &'a Value {
    steps(action).into_iter().find(|s| s["id"] == id).unwrap_or_else(|| panic!("no step {id}"))
}

/// A step's run, and what it left behind.
pub struct StepRun {
    pub output: Output,
    /// The stand-in jalon's calls, in order, each without the program name.
    pub calls: Vec<Vec<String>>,
    /// Lines written to GITHUB_OUTPUT, as name → value.
    pub outputs: BTreeMap<String, String>,
    /// Lines written to GITHUB_PATH.
    pub path_added: Vec<String>,
    /// URLs the stand-in curl was asked for.
    pub downloads: Vec<String>,
    /// The directory the step ran in (the job's workspace).
    pub workspace: PathBuf,
    _dir: tempfile::TempDir,
}

impl StepRun {
    pub fn code(&self) -> Option<i32> {
        self.output.status.code()
    }
    pub fn log(&self) -> String {
        format!("{}{}", super::stdout(&self.output), super::stderr(&self.output))
    }
}

/// How to run a step.
#[derive(Default)]
pub struct Runner<'a> {
    pub inputs: Vec<(&'a str, &'a str)>,
    /// The stand-in jalon's exit code per subcommand (default 0).
    pub exit_codes: Vec<(&'a str, i32)>,
    /// Files the stand-in curl serves, by the URL's last segment.
    pub served: Option<&'a Path>,
    /// Files to create in the workspace first (relative path, content).
    pub files: Vec<(&'a str, &'a str)>,
    /// `github.action_repository` and `github.action_ref`.
    pub action_repository: &'a str,
    pub action_ref: &'a str,
    /// RUNNER_OS and RUNNER_ARCH (default Linux, X64).
    pub runner: Option<(&'a str, &'a str)>,
    /// Run this jalon binary instead of the recording stand-in (`calls` stays empty).
    pub real_jalon: Option<&'a Path>,
    /// More environment for the step (the step's own env: comes last).
    pub env: Vec<(&'a str, &'a str)>,
}

const FAKE_JALON: &str = r#"#!/usr/bin/env bash
# Records its arguments (NUL-separated, one file per call), exits as told.
n=$(find "$FAKE_CALLS" -type f | wc -l)
printf '%s\0' "$@" > "$FAKE_CALLS/$(printf '%04d' "$n")"
var="FAKE_EXIT_$1"
exit "${!var:-0}"
"#;

const FAKE_CURL: &str = r#"#!/usr/bin/env bash
# Serves the URL's last segment from $FAKE_SERVED; records the URL. Only the flags
# action.yml uses.
out="" url=""
while [ $# -gt 0 ]; do
  case "$1" in
    --output | -o) out=$2; shift 2 ;;
    --proto | --retry) shift 2 ;;
    -*) shift ;;
    *) url=$1; shift ;;
  esac
done
printf '%s\n' "$url" >> "$FAKE_DOWNLOADS"
src="$FAKE_SERVED/${url##*/}"
[ -f "$src" ] || { echo "curl: (22) The requested URL returned error: 404" >&2; exit 22; }
cp "$src" "$out"
"#;

impl Runner<'_> {
    /// The value of an `env:` entry: `${{ inputs.NAME }}` and the two github.action_* fields.
    fn expand(&self, action: &Value, text: &str) -> String {
        let Some(inner) = text.strip_prefix("${{").and_then(|t| t.strip_suffix("}}")) else {
            assert!(!text.contains("${{"), "an expression inside a longer env value: {text}");
            return text.to_string();
        };
        let inner = inner.trim();
        if let Some(name) = inner.strip_prefix("inputs.") {
            let declared = &action["inputs"][name];
            assert!(declared.is_object(), "env uses undeclared input {name}");
            return self
                .inputs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
                .unwrap_or_else(|| declared["default"].as_str().unwrap_or("").to_string());
        }
        match inner {
            "github.action_repository" => self.action_repository.to_string(),
            "github.action_ref" => self.action_ref.to_string(),
            other => panic!("no value for {other} in this harness"),
        }
    }

    pub fn run(&self, id: &str) -> StepRun {
        let action = action();
        for (name, _) in &self.inputs {
            assert!(action["inputs"][name].is_object(), "the action has no input {name}");
        }
        let step = step(&action, id);
        assert_eq!(step["shell"], "bash", "step {id} runs in bash");
        let script = step["run"].as_str().expect("a run script");

        let dir = tempfile::tempdir().expect("temp dir");
        let bin = dir.path().join("bin");
        let calls = dir.path().join("calls");
        let workspace = dir.path().join("workspace");
        let temp = dir.path().join("runner-temp");
        for d in [&bin, &calls, &workspace, &temp] {
            std::fs::create_dir_all(d).unwrap();
        }
        match self.real_jalon {
            Some(real) => std::os::unix::fs::symlink(real, bin.join("jalon")).unwrap(),
            None => write_executable(&bin.join("jalon"), FAKE_JALON),
        }
        write_executable(&bin.join("curl"), FAKE_CURL);
        for (path, content) in &self.files {
            let path = workspace.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        }
        let script_path = dir.path().join("step.sh");
        std::fs::write(&script_path, script).unwrap();
        let github_output = dir.path().join("github-output");
        let github_path = dir.path().join("github-path");
        let downloads = dir.path().join("downloads");
        for f in [&github_output, &github_path, &downloads] {
            std::fs::write(f, "").unwrap();
        }

        let (os, arch) = self.runner.unwrap_or(("Linux", "X64"));
        let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
        let mut command = Command::new("bash");
        command
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script_path)
            .current_dir(&workspace)
            .env_clear()
            .env("PATH", path)
            .env("HOME", dir.path())
            .env("GITHUB_OUTPUT", &github_output)
            .env("GITHUB_PATH", &github_path)
            .env("GITHUB_ACTION_PATH", super::repo())
            .env("RUNNER_TEMP", &temp)
            .env("RUNNER_OS", os)
            .env("RUNNER_ARCH", arch)
            .env("FAKE_CALLS", &calls)
            .env("FAKE_DOWNLOADS", &downloads)
            .env("FAKE_SERVED", self.served.unwrap_or(Path::new("/nonexistent")));
        for (name, value) in &self.env {
            command.env(name, value);
        }
        for (subcommand, code) in &self.exit_codes {
            command.env(format!("FAKE_EXIT_{subcommand}"), code.to_string());
        }
        if let Some(env) = step["env"].as_object() {
            for (name, value) in env {
                command.env(name, self.expand(&action, value.as_str().expect("env values are text")));
            }
        }
        let output = command.output().expect("run bash");

        let mut call_files: Vec<PathBuf> = std::fs::read_dir(&calls).unwrap().map(|e| e.unwrap().path()).collect();
        call_files.sort();
        let calls = call_files
            .iter()
            .map(|f| {
                let bytes = std::fs::read(f).unwrap();
                let text = String::from_utf8(bytes).expect("UTF-8 arguments");
                text.split_terminator('\0').map(str::to_string).collect()
            })
            .collect();
        let outputs = std::fs::read_to_string(&github_output)
            .unwrap()
            .lines()
            .map(|l| {
                let (k, v) = l.split_once('=').unwrap_or_else(|| panic!("not name=value: {l:?}"));
                (k.to_string(), v.to_string())
            })
            .collect();
        let path_added = std::fs::read_to_string(&github_path).unwrap().lines().map(str::to_string).collect();
        let downloads = std::fs::read_to_string(&downloads).unwrap().lines().map(str::to_string).collect();
        StepRun { output, calls, outputs, path_added, downloads, workspace, _dir: dir }
    }
}

pub fn write_executable(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}
