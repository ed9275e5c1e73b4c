//! The container image (Dockerfile, .dockerignore): built and run where a container
//! engine answers (`docker info`), and linted everywhere: by hadolint (the venv that
//! tests/run.sh installs) and by the rules below, which are jalon's own (multi-stage,
//! a distroless or scratch runtime, non-root, no shell, exec-form entry point, a locked
//! release build, the toolchain of Cargo.toml). Nothing here pulls an image unless an
//! engine runs.

mod common;

use std::path::Path;
use std::process::Command;

/// One Dockerfile instruction: its keyword (upper case), its arguments, its line.
#[derive(Debug)]
struct Instruction {
    keyword: String,
    args: String,
    line: usize,
}

/// The instructions, continuation lines joined, comments and blank lines dropped.
fn instructions(text: &str) -> Vec<Instruction> {
    let mut out = Vec::new();
    let mut pending: Option<(usize, String)> = None;
    for (index, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if trimmed.starts_with('#') || (trimmed.is_empty() && pending.is_none()) {
            continue;
        }
        let (line, mut joined) = pending.take().unwrap_or((index + 1, String::new()));
        if let Some(head) = trimmed.strip_suffix('\\') {
            joined.push_str(head.trim_end());
            joined.push(' ');
            pending = Some((line, joined));
            continue;
        }
        joined.push_str(trimmed);
        let (keyword, args) = joined.split_once(char::is_whitespace).unwrap_or((joined.as_str(), ""));
        out.push(Instruction { keyword: keyword.to_ascii_uppercase(), args: args.trim().to_string(), line });
    }
    out
}

/// `ARG NAME=default` values declared before the first FROM, for `${NAME}` in a FROM.
fn global_args(all: &[Instruction]) -> Vec<(String, String)> {
    all.iter()
        .take_while(|i| i.keyword != "FROM")
        .filter(|i| i.keyword == "ARG")
        .filter_map(|i| i.args.split_once('=').map(|(k, v)| (k.trim().to_string(), v.trim().to_string())))
        .collect()
}

fn expand(text: &str, args: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (name, value) in args {
        out = out.replace(&format!("${{{name}}}"), value).replace(&format!("${name}"), value);
    }
    out
}

/// An exec-form instruction's arguments: a JSON array of strings.
fn exec_form(args: &str) -> Option<Vec<String>> {
    serde_json::from_str::<Vec<String>>(args).ok().filter(|v| !v.is_empty())
}

/// Everything wrong with this Dockerfile and .dockerignore, by jalon's rules (empty: none).
fn lint(dockerfile: &str, dockerignore: &str, rust_version: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let all = instructions(dockerfile);
    let args = global_args(&all);
    let stages: Vec<&[Instruction]> = {
        let starts: Vec<usize> = all.iter().enumerate().filter(|(_, i)| i.keyword == "FROM").map(|(n, _)| n).collect();
        starts.iter().enumerate().map(|(k, &s)| &all[s..*starts.get(k + 1).unwrap_or(&all.len())]).collect()
    };
    if stages.len() < 2 {
        problems.push(format!("not multi-stage: {} FROM", stages.len()));
    }
    let Some(last) = stages.last() else {
        return problems;
    };

    // The builder: the official rust image at Cargo.toml's rust-version, a locked release build.
    let builder_image = stages
        .iter()
        .take(stages.len().saturating_sub(1))
        .map(|s| expand(s[0].args.split_whitespace().next().unwrap_or(""), &args))
        .find(|image| image.starts_with("rust:"));
    match builder_image {
        None => problems.push("no build stage on the official rust image".into()),
        Some(image) => {
            let tag = image.trim_start_matches("rust:");
            if !(tag == rust_version || tag.starts_with(&format!("{rust_version}-"))) {
                problems.push(format!("the build stage is {image}, not Cargo.toml's rust-version {rust_version}"));
            }
        }
    }
    let builds = all.iter().filter(|i| i.keyword == "RUN" && i.args.contains("cargo build")).collect::<Vec<_>>();
    if !builds.iter().any(|i| {
        let words: Vec<&str> = i.args.split_whitespace().collect();
        words.contains(&"--release") && words.contains(&"--locked")
    }) {
        problems.push("no `cargo build --release --locked`".into());
    }

    // The runtime: distroless or scratch, non-root, no shell, exec form.
    let base = expand(last[0].args.split_whitespace().next().unwrap_or(""), &args);
    if !(base == "scratch" || base.starts_with("gcr.io/distroless/")) {
        problems.push(format!("line {}: the runtime stage is {base}, not distroless or scratch", last[0].line));
    }
    for i in last.iter() {
        if i.keyword == "RUN" || i.keyword == "SHELL" {
            problems.push(format!("line {}: {} in the runtime stage (it has no shell)", i.line, i.keyword));
        }
    }
    match last.iter().rev().find(|i| i.keyword == "USER") {
        None => problems.push("the runtime stage sets no USER (it would run as root)".into()),
        Some(user) => {
            let name = user.args.split(':').next().unwrap_or("").trim();
            if name.is_empty() || name == "root" || name == "0" {
                problems.push(format!("line {}: the runtime stage runs as {:?}", user.line, user.args));
            }
        }
    }
    match last.iter().rev().find(|i| i.keyword == "ENTRYPOINT") {
        None => problems.push("the runtime stage has no ENTRYPOINT".into()),
        Some(entry) => {
            if exec_form(&entry.args).is_none() {
                problems.push(format!("line {}: ENTRYPOINT is not in exec form (a JSON array)", entry.line));
            }
        }
    }
    if let Some(cmd) = last.iter().rev().find(|i| i.keyword == "CMD") {
        if exec_form(&cmd.args).is_none() {
            problems.push(format!("line {}: CMD is not in exec form (a JSON array)", cmd.line));
        }
    }
    if !last.iter().any(|i| i.keyword == "WORKDIR") {
        problems.push("the runtime stage has no WORKDIR for the reports".into());
    }

    // The build context: never the target directory or the history.
    let ignored: Vec<&str> =
        dockerignore.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    for needed in ["target", ".git"] {
        let listed = ignored.iter().any(|p| p.trim_start_matches('/').trim_end_matches('/') == needed);
        if !listed {
            problems.push(format!(".dockerignore does not exclude {needed}/"));
        }
    }
    problems
}

fn rust_version() -> String {
    let manifest: toml::Table = toml::from_str(&read("Cargo.toml")).expect("Cargo.toml");
    manifest["package"]["rust-version"].as_str().expect("rust-version").to_string()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(common::repo().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_dockerfile_follows_the_rules() {
    let problems = lint(&read("Dockerfile"), &read(".dockerignore"), &rust_version());
    assert!(problems.is_empty(), "Dockerfile: {problems:#?}");
}

/// The repository's Dockerfile with one text replaced (which must be there).
fn variant(from: &str, to: &str) -> Vec<String> {
    let original = read("Dockerfile");
    assert!(original.contains(from), "the Dockerfile no longer has {from:?}: update this case");
    lint(&original.replacen(from, to, 1), &read(".dockerignore"), &rust_version())
}

fn assert_caught(problems: Vec<String>, expected: &str) {
    assert!(problems.iter().any(|p| p.contains(expected)), "expected {expected:?} among {problems:#?}");
}

#[test]
fn the_lint_catches_each_violation() {
    assert_caught(
        variant("FROM gcr.io/distroless/cc-debian12:nonroot", "FROM debian:bookworm-slim"),
        "not distroless or scratch",
    );
    assert_caught(variant("USER 65532:65532", "USER root"), "runs as \"root\"");
    assert_caught(variant("USER 65532:65532", "USER 0:0"), "runs as \"0:0\"");
    assert_caught(variant("USER 65532:65532\n", ""), "sets no USER");
    assert_caught(variant("ENTRYPOINT [\"/usr/local/bin/jalon\"]", "ENTRYPOINT /usr/local/bin/jalon"), "exec form");
    assert_caught(variant("CMD [\"--help\"]", "CMD --help"), "CMD is not in exec form");
    assert_caught(
        variant("WORKDIR /work\n", "WORKDIR /work\nRUN mkdir -p /work/reports\n"),
        "RUN in the runtime stage",
    );
    assert_caught(variant("cargo build --release --locked", "cargo build --release"), "--locked");
    assert_caught(variant("ARG RUST_VERSION=1.94", "ARG RUST_VERSION=1.80"), "not Cargo.toml's rust-version");
    let final_only = read("Dockerfile");
    let runtime = &final_only[final_only.find("FROM gcr.io/distroless").expect("runtime stage")..];
    assert_caught(lint(runtime, &read(".dockerignore"), &rust_version()), "not multi-stage");
    assert_caught(lint(&read("Dockerfile"), "target/\n", &rust_version()), "does not exclude .git/");
}

#[test]
fn continuation_lines_are_one_instruction() {
    let parsed = instructions("FROM a AS b\n# note\nRUN one \\\n    two \\\n    three\nUSER x\n");
    let keywords: Vec<&str> = parsed.iter().map(|i| i.keyword.as_str()).collect();
    assert_eq!(keywords, ["FROM", "RUN", "USER"]);
    assert_eq!(parsed[1].args, "one two three");
    assert_eq!(parsed[1].line, 3);
}

fn hadolint(hadolint: &Path, dockerfile: &str) -> (bool, String) {
    common::lint_stdin(hadolint, &["--no-color", "-"], dockerfile)
}

#[test]
fn hadolint_passes_the_dockerfile_and_fails_a_bad_one() {
    let Some(bin) = common::lint_tool("hadolint") else { return };
    let (ok, text) = hadolint(&bin, &read("Dockerfile"));
    assert!(ok, "hadolint: {text}");
    // The same linter on a root, shell-form runtime: it must object (else it checks nothing).
    let bad = read("Dockerfile")
        .replace("USER 65532:65532", "USER root")
        .replace("ENTRYPOINT [\"/usr/local/bin/jalon\"]", "ENTRYPOINT /usr/local/bin/jalon");
    let (ok, text) = hadolint(&bin, &bad);
    assert!(!ok, "hadolint accepted a root, shell-form image");
    assert!(text.contains("DL3002") && text.contains("DL3025"), "{text}");
}

fn engine_answers() -> bool {
    Command::new("docker").arg("info").output().is_ok_and(|o| o.status.success())
}

/// Where a container engine runs: build the image, `--version`, and `check` on the
/// demo snapshot mounted read-only, with the same exit code and table as this build.
/// Elsewhere the tests above lint the files instead (the engine is not installable
/// as a package here: it needs a daemon and the image registries).
#[test]
fn the_image_builds_and_runs_where_an_engine_answers() {
    if !engine_answers() {
        eprintln!("no container engine answers `docker info`: the Dockerfile is linted only");
        return;
    }
    let tag = format!("jalon-test:{}", std::process::id());
    let build = Command::new("docker")
        .args(["build", "--tag", &tag, "."])
        .current_dir(common::repo())
        .status()
        .expect("docker build");
    assert!(build.success(), "docker build failed");
    let run = |args: &[&str]| {
        let examples = format!("{}:/work/examples:ro", common::repo().join("examples").display());
        Command::new("docker")
            .args(["run", "--rm", "--read-only", "--network", "none", "-v", &examples, &tag])
            .args(args)
            .output()
            .expect("docker run")
    };
    let version = run(&["--version"]);
    assert!(version.status.success(), "{}", common::stderr(&version));
    assert_eq!(common::stdout(&version).trim(), format!("jalon {}", env!("CARGO_PKG_VERSION")));

    let mut check = vec!["check", "--snapshot", common::DEMO_SNAPSHOT];
    check.extend_from_slice(&common::DEMO_FILES);
    let in_image = run(&check);
    let here = common::jalon(&check);
    assert_eq!(in_image.status.code(), here.status.code(), "{}", common::stderr(&in_image));
    assert_eq!(common::stdout(&in_image), common::stdout(&here));
    let _ = Command::new("docker").args(["image", "rm", "--force", &tag]).output();
}
