//! The release workflow (.github/workflows/release.yml) publishes what action.yml
//! downloads (jalon-vX.Y.Z-TARGET.tar.gz for the four targets, SHA256SUMS), builds as
//! the release profile says, and keeps inputs out of its scripts; actionlint passes it
//! and examples/nightly-drift.yml, the latter with jalon's action resolved locally so
//! the inputs it passes are checked against action.yml. (Nothing here runs a workflow:
//! the musl, macOS and container builds happen on GitHub's runners only.)

mod common;

use std::path::Path;

use serde_json::Value;

fn read(path: &str) -> String {
    std::fs::read_to_string(common::repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn release() -> Value {
    yaml_serde::from_str(&read(".github/workflows/release.yml")).expect("release.yml is valid YAML")
}

fn scripts(w: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for job in w["jobs"].as_object().expect("jobs").values() {
        for step in job["steps"].as_array().expect("steps") {
            if let Some(run) = step["run"].as_str() {
                out.push(run.to_string());
            }
        }
    }
    out
}

const TARGETS: [&str; 4] =
    ["x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl", "aarch64-apple-darwin", "x86_64-apple-darwin"];

#[test]
fn a_version_tag_builds_every_target_the_action_downloads() {
    let w = release();
    let tags: Vec<&str> =
        w["on"]["push"]["tags"].as_array().expect("on.push.tags").iter().filter_map(Value::as_str).collect();
    assert!(tags.iter().all(|t| t.starts_with("v[0-9]+.")), "{tags:?}");
    let matrix = w["jobs"]["build"]["strategy"]["matrix"]["include"].as_array().expect("build matrix");
    let targets: Vec<&str> = matrix.iter().filter_map(|m| m["target"].as_str()).collect();
    assert_eq!(targets, TARGETS);
    // action.yml maps the runners to exactly these targets.
    let action = read("action.yml");
    for target in TARGETS {
        assert!(action.contains(&format!(") target={target} ;;")), "action.yml does not download {target}");
    }
    // The names agree: jalon-<tag>-<target>.tar.gz, in the SHA256SUMS made over them.
    let all = scripts(&w).join("\n");
    assert!(all.contains(r#"name="jalon-$GITHUB_REF_NAME-$TARGET""#), "{all}");
    assert!(all.contains(r#"tar -C dist -czf "dist/$name.tar.gz" "$name""#));
    assert!(action.contains(r#"name="jalon-$version-$target""#));
    assert!(all.contains("sha256sum -- *.tar.gz > SHA256SUMS"));
    assert!(all.contains("dist/*.tar.gz dist/SHA256SUMS"), "the release carries the tarballs and the sums");
    // The tag is checked against Cargo.toml, which the action reads for its version.
    assert!(all.contains(r#"if [ "$GITHUB_REF_NAME" != "v$version" ]"#));
}

#[test]
fn the_builds_are_locked_release_builds_and_linux_is_static() {
    let w = release();
    let all = scripts(&w).join("\n");
    let builds: Vec<&str> = all.lines().filter(|l| l.contains("cargo build") || l.contains("cargo zigbuild")).collect();
    assert_eq!(builds.len(), 2, "{builds:?}");
    for line in builds {
        assert!(line.contains("--release --locked --bin jalon --target"), "{line}");
    }
    assert!(all.contains("readelf --dynamic") && all.contains("grep -q NEEDED"), "the static check");
    let toolchain = w["env"]["RUST_TOOLCHAIN"].as_str().expect("a pinned toolchain");
    let manifest: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    assert_eq!(toolchain, manifest["package"]["rust-version"].as_str().unwrap());
}

#[test]
fn no_expression_inside_a_release_script() {
    for script in scripts(&release()) {
        assert!(!script.contains("${{"), "an expression inside a script: {script}");
    }
}

fn actionlint(tool: &Path, shellcheck: &Path, dir: &Path, files: &[&str]) -> (bool, String) {
    let out = std::process::Command::new(tool)
        .arg("-no-color")
        .arg("-shellcheck")
        .arg(shellcheck)
        .args(files)
        .current_dir(dir)
        .output()
        .expect("run actionlint");
    (out.status.success(), format!("{}{}", common::stdout(&out), common::stderr(&out)))
}

/// A throwaway repository holding action.yml and one workflow, so that actionlint
/// resolves `uses: ./` to the action and checks the inputs against it.
fn project_with(workflow: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".github/workflows")).unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::write(dir.path().join("action.yml"), read("action.yml")).unwrap();
    std::fs::write(dir.path().join(".github/workflows/nightly.yml"), workflow).unwrap();
    dir
}

#[test]
fn actionlint_passes_the_workflows() {
    let (Some(actionlint_bin), Some(shellcheck)) = (common::lint_tool("actionlint"), common::lint_tool("shellcheck"))
    else {
        return;
    };
    let (ok, text) = actionlint(&actionlint_bin, &shellcheck, &common::repo(), &[".github/workflows/release.yml"]);
    assert!(ok, "actionlint, release.yml: {text}");

    let nightly = read("examples/nightly-drift.yml");
    assert!(nightly.contains("uses: OWNER/jalon@v1"));
    let local = nightly.replace("uses: OWNER/jalon@v1", "uses: ./");
    let project = project_with(&local);
    let (ok, text) = actionlint(&actionlint_bin, &shellcheck, project.path(), &[".github/workflows/nightly.yml"]);
    assert!(ok, "actionlint, nightly-drift.yml: {text}");

    // The same linter on the same workflow with a misspelt input, and with an
    // untrusted value inside a script: it must object (else it checks nothing).
    let misspelt = local.replace("          formats: json,", "          formatz: json,");
    assert_ne!(misspelt, local);
    let project = project_with(&misspelt);
    let (ok, text) = actionlint(&actionlint_bin, &shellcheck, project.path(), &[".github/workflows/nightly.yml"]);
    assert!(!ok && text.contains("input \"formatz\" is not defined"), "{text}");
    let injected = local.replace(
        "run: cat reports/jalon.md >> \"$GITHUB_STEP_SUMMARY\"",
        "run: echo \"${{ github.event.head_commit.message }}\" >> \"$GITHUB_STEP_SUMMARY\"",
    );
    assert_ne!(injected, local);
    let project = project_with(&injected);
    let (ok, text) = actionlint(&actionlint_bin, &shellcheck, project.path(), &[".github/workflows/nightly.yml"]);
    assert!(!ok && text.contains("potentially untrusted"), "{text}");
}
