//! The module graph has no cycle: data flows one way (collect -> snapshot -> engine
//! -> checklist -> drift -> render -> cli, ARCHITECTURE.md), and a module imports only
//! modules of the layers below its own. Read from the sources: every `crate::x` path
//! outside comments, strings and test code (tests may reach any layer: the GDPR
//! section tests run the pipeline).

mod common;

use std::path::{Path, PathBuf};

/// The top-level modules, lowest layer first.
const LAYERS: &[&[&str]] = &[
    &["error", "dates", "timings"],
    &["files"],
    &["config", "snapshot", "selection"],
    &["collect"],
    &["engine"],
    &["waivers", "attestations"],
    &["result"],
    &["checklist"],
    &["drift"],
    &["render"],
    &["gdpr"],
    &["pipeline"],
    &["accounts"],
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

/// The code of a file: comments and string literals blanked, and the test code at its
/// end (from the first `#[cfg(test)]` before an inline `mod name {`) left out.
fn code_of(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .iter()
        .enumerate()
        .position(|(i, line)| {
            line.trim_start() == "#[cfg(test)]"
                && lines.get(i + 1).is_some_and(|next| next.contains("mod ") && next.trim_end().ends_with('{'))
        })
        .unwrap_or(lines.len());
    let mut out = String::new();
    for line in &lines[..end] {
        out.push_str(&strip_comment_and_strings(line));
        out.push('\n');
    }
    out
}

/// A line with its `//` comment removed and its string literals blanked (a URL in a
/// string is not a comment; a path in a string is not an import).
fn strip_comment_and_strings(line: &str) -> String {
    let mut out = String::new();
    let mut chars = line.chars().peekable();
    let mut in_string = false;
    while let Some(c) = chars.next() {
        match (in_string, c) {
            (true, '\\') => {
                chars.next();
            }
            (true, '"') => {
                in_string = false;
                out.push('"');
            }
            (true, _) => out.push(' '),
            (false, '"') => {
                in_string = true;
                out.push('"');
            }
            (false, '/') if chars.peek() == Some(&'/') => break,
            (false, _) => out.push(c),
        }
    }
    out
}

/// The top-level modules a piece of code names as `crate::x`, `crate::{x, y::z}` included.
fn imports(code: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut add = |name: String| {
        if !name.is_empty() && !found.contains(&name) {
            found.push(name);
        }
    };
    let ident =
        |text: &str| text.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    for (at, _) in code.match_indices("crate::") {
        if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[at + 7..];
        match rest.strip_prefix('{') {
            Some(group) => {
                let group = &group[..group.find('}').unwrap_or(group.len())];
                for item in group.split(',') {
                    add(ident(item));
                }
            }
            None => add(ident(rest)),
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
                #[cfg(test)]\nmod fixtures;\nuse crate::{config, engine::Severity};\nconst U: &str = \"https://crate::gdpr\"; crate::drift::x();\n\
                #[cfg(test)]\nmod tests {\n    use crate::cli::x;\n}\n";
    assert_eq!(imports(&code_of(text)), ["snapshot", "render", "config", "engine", "drift"]);
    assert_eq!(imports("notcrate::x"), Vec::<String>::new());
}
