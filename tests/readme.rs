//! The README's commands work as written: every `jalon` command in its shell blocks
//! parses with this jalon's arguments, and every one that needs no AWS account (the
//! checks of a snapshot, the GDPR appendix, diff, the catalogue, completions, man
//! pages) runs, in a directory holding the files the README names, and ends as a run
//! may: 0, 1 (findings) or 2 (incomplete evidence), never a usage, input or runtime
//! error. Commands that read a live account (`collect`, `check` without a snapshot)
//! and `merge` (of such collections) are parsed only: the collection itself is tested
//! against the emulator elsewhere.

mod common;

use std::path::Path;

use clap::Parser;
use common::{jalon_command, repo, stderr, stdout};

/// One command of the README: the line it starts on and its arguments after `jalon`.
struct Example {
    line: usize,
    args: Vec<String>,
}

/// The `jalon` (or `cargo run --`) commands of the README's ```sh blocks, with
/// continuation lines joined, up to the first shell operator (a redirection, a pipe).
fn examples() -> Vec<Example> {
    let text = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let mut found = Vec::new();
    let mut in_block = false;
    let mut pending: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            in_block = line.trim() == "```sh";
            continue;
        }
        if !in_block {
            continue;
        }
        let (start, joined) = match pending.take() {
            Some((start, before)) => (start, format!("{before} {line}")),
            None => (i + 1, line.to_string()),
        };
        if let Some(open) = joined.strip_suffix('\\') {
            pending = Some((start, open.to_string()));
            continue;
        }
        let words = shlex::split(&joined).unwrap_or_else(|| panic!("README line {start}: not shell words: {joined}"));
        let words: Vec<String> =
            words.into_iter().take_while(|w| !matches!(w.as_str(), ">" | ">>" | "|" | "&&" | ";")).collect();
        let args = match words.first().map(String::as_str) {
            Some("jalon") => words[1..].to_vec(),
            Some("cargo") if words.get(1).map(String::as_str) == Some("run") => {
                words.iter().skip_while(|w| *w != "--").skip(1).cloned().collect()
            }
            _ => continue,
        };
        found.push(Example { line: start, args });
    }
    found
}

/// Runs without an AWS account.
fn offline(args: &[String]) -> bool {
    match args.first().map(String::as_str) {
        // A merge joins the directories of sharded collections: parsed only, as they are.
        Some("collect" | "merge") => false,
        Some("check") => args.iter().any(|a| a == "--snapshot"),
        _ => true,
    }
}

/// A directory with every file the README's commands name: the examples, a snapshot
/// and a previous result under reports/, the team's files at the top.
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&repo().join("examples"), &root.join("examples"));
    std::fs::create_dir_all(root.join("reports")).unwrap();
    let demo = repo().join(common::DEMO_SNAPSHOT);
    for name in ["reports/snapshot.json", "reports/last-snapshot.json"] {
        std::fs::copy(&demo, root.join(name)).unwrap();
    }
    for name in ["jalon.toml", "processing.toml", "waivers.toml", "attestations.toml"] {
        std::fs::copy(repo().join("examples").join(name), root.join(name)).unwrap();
    }
    // The snapshot directories and the result over accounts of "Several accounts".
    let accounts = [common::accounts::Account::new("111111111111", Some("production"), "complete")];
    for name in ["reports/accounts", "reports/accounts-yesterday"] {
        common::accounts::write_directory(&root.join(name), &accounts);
    }
    let out = jalon_command(&[
        "check",
        "--snapshot",
        "reports/accounts",
        "--format",
        "json",
        "-o",
        "reports/accounts-last.json",
    ])
    .current_dir(root)
    .output()
    .unwrap();
    assert!(root.join("reports/accounts-last.json").is_file(), "{}", stderr(&out));
    let last = root.join("reports/last.json");
    let out = jalon_command(&["check", "--snapshot", demo.to_str().unwrap(), "--format", "json", "-o"])
        .arg(&last)
        .output()
        .unwrap();
    assert!(last.is_file(), "{}", stderr(&out));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
}

#[test]
fn every_readme_command_parses_and_the_offline_ones_run() {
    let examples = examples();
    assert!(examples.len() >= 10, "the README's commands were not found: {}", examples.len());
    let dir = workspace();
    let mut ran = 0;
    for example in &examples {
        let where_ = format!("README.md line {}: jalon {}", example.line, example.args.join(" "));
        let mut argv = vec!["jalon".to_string()];
        argv.extend(example.args.iter().cloned());
        if let Err(e) = jalon::cli::Cli::try_parse_from(&argv) {
            panic!("{where_}: does not parse:\n{e}");
        }
        if !offline(&example.args) {
            continue;
        }
        // A home directory (`~/.local/share/man/man1`) is the workspace's.
        let args: Vec<String> = example
            .args
            .iter()
            .map(|a| match a.strip_prefix("~/") {
                Some(rest) => dir.path().join("home").join(rest).display().to_string(),
                None => a.clone(),
            })
            .collect();
        for a in &args {
            if a.starts_with(&dir.path().display().to_string()) {
                std::fs::create_dir_all(a).unwrap();
            }
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = jalon_command(&args).current_dir(dir.path()).output().unwrap();
        let code = out.status.code();
        assert!(matches!(code, Some(0..=2)), "{where_}: exit {code:?}\n{}\n{}", stdout(&out), stderr(&out));
        // Something came of it: the checklist on stdout, or files said written on stderr.
        let written = stderr(&out).contains("wrote ") || args.contains(&"--dir");
        assert!(!out.stdout.is_empty() || written, "{where_}: printed nothing\n{}", stderr(&out));
        ran += 1;
    }
    assert!(ran >= 8, "only {ran} of the README's commands ran");
}
