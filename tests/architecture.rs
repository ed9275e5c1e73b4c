//! The module graph has no cycle: data flows one way (collect -> snapshot -> engine
//! -> checklist -> drift -> render -> cli, ARCHITECTURE.md), and a module imports only
//! modules of the layers below its own. Read from the sources: every `crate::x` path
//! outside comments and test code.

mod common;

use std::path::{Path, PathBuf};

/// The top-level modules, lowest layer first.
const LAYERS: &[&[&str]] = &[
    &["error", "dates", "timings"],
    &["config", "snapshot"],
    &["collect"],
    &["engine"],
    &["waivers", "attestations"],
    &["result"],
    &["checklist"],
    &["drift"],
    &["render"],
    &["gdpr"],
    &["pipeline"],
    &["synthetic"],
    &["cli"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file: comments removed, and the test code at its end (from the first
/// `#[cfg(test)]` followed by a module) left out.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if trimmed == "#[cfg(test)]" && lines.get(i + 1).is_some_and(|next| next.contains("mod ")) {
            break;
        }
        let code = match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        };
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// The top-level modules a piece of code names as `crate::x`.
fn imports(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let name: String = code[at + 7..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if !name.is_empty() && !found.contains(&name) {
            found.push(name);
        }
    }
    found
}

#[test]
fn every_module_imports_only_the_layers_below_it() {
    let src = common::repo().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut errors = Vec::new();
    let mut checked = 0;
    for file in files {
        let relative = file.strip_prefix(&src).unwrap();
        let top =
            relative.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        // The crate root, the binaries and test fixtures are not layers.
        if ["lib", "main", "bin"].contains(&top.as_str()) || relative.ends_with("fixtures.rs") {
            continue;
        }
        let Some(own) = layer(&top) else {
            errors.push(format!("{}: module `{top}` is in no layer of this test", relative.display()));
            continue;
        };
        let code = code_of(&std::fs::read_to_string(&file).unwrap());
        for imported in imports(&code) {
            if imported == top {
                continue;
            }
            match layer(&imported) {
                Some(l) if l < own => {}
                Some(_) => errors.push(format!(
                    "{}: `{top}` imports `crate::{imported}`, which is not below it",
                    relative.display()
                )),
                None => errors.push(format!("{}: `crate::{imported}` is in no layer", relative.display())),
            }
        }
        checked += 1;
    }
    assert!(checked > 50, "only {checked} files read");
    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[test]
fn the_reader_finds_imports_and_skips_comments_and_tests() {
    let text = "use crate::snapshot::Snapshot;\n// crate::cli in a comment\nfn f() { crate::render::x(); }\n\
                #[cfg(test)]\nmod tests {\n    use crate::cli::x;\n}\n";
    assert_eq!(imports(&code_of(text)), ["snapshot", "render"]);
    assert_eq!(imports("notcrate::x"), Vec::<String>::new());
}
