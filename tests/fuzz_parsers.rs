//! Fuzzing the parsers of every file a user hands jalon: snapshot (JSON), config,
//! waivers, attestations, checklist (TOML) and the `# METADATA` block of a policy.
//!
//! proptest generates arbitrary text and bytes, and structure-aware mutations of the
//! valid files in examples/ and policies/ (a field dropped, a value of another type,
//! an unknown key, a list element repeated, a well-typed value no sound input holds,
//! a truncated file, lines deleted or repeated). The properties: no parser panics,
//! every error names where the problem is (a line, or the field's path), and a
//! snapshot the reader lets through is judged whole (a verdict for every control). The number of cases is bounded so the suite stays fast in debug
//! builds; `PROPTEST_CASES=5000 cargo test --test fuzz_parsers` digs deeper.

use std::sync::OnceLock;

use jalon::checklist::Checklist;
use jalon::config::Config;
use jalon::engine::metadata::parse_control;
use jalon::engine::PolicySet;
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use serde_json::Value as Json;

fn repo_file(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect(path)
}

struct Seeds {
    snapshot: String,
    config: String,
    waivers: String,
    attestations: String,
    checklist: String,
    /// Control policies (METADATA + package), by name.
    controls: Vec<(String, String)>,
    policies: PolicySet,
}

fn seeds() -> &'static Seeds {
    static SEEDS: OnceLock<Seeds> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let policies = PolicySet::embedded().expect("embedded policies");
        let controls = policies
            .modules
            .iter()
            .filter(|m| m.package.starts_with("jalon.controls."))
            .map(|m| (m.name.clone(), m.source.clone()))
            .collect();
        let checklist = jalon::engine::policy_set::embedded_checklists()
            .iter()
            .find(|(n, _)| n.ends_with("default.toml"))
            .map(|(_, t)| t.to_string())
            .expect("the default checklist");
        Seeds {
            snapshot: repo_file("examples/demo-snapshot.json"),
            config: repo_file("examples/jalon.toml"),
            waivers: repo_file("examples/waivers.toml"),
            attestations: repo_file("examples/attestations.toml"),
            checklist,
            controls,
            policies,
        }
    })
}

fn cases() -> ProptestConfig {
    // Fast in debug; PROPTEST_CASES raises it (proptest reads it for the default).
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(96);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

// ---------------------------------------------------------------- where errors point

fn names_a_place_snapshot(err: &str) -> bool {
    err.starts_with("line ") || err.starts_with("at `")
}

/// TOML errors come from the toml crate ("TOML parse error at line L, column C")
/// or from validation, which names the field's path.
fn names_a_place_toml(err: &str, fields: &[&str]) -> bool {
    err.contains("line ") || fields.iter().any(|f| err.starts_with(f))
}

fn names_a_place_metadata(err: &str) -> bool {
    err.starts_with("line ") || err == "no `package` line found"
}

// ---------------------------------------------------------------- mutations

/// A structure-aware change to a parsed document.
#[derive(Debug, Clone)]
enum Edit {
    /// Remove the field or element at the path.
    Drop,
    /// Replace the value at the path with a value of some type.
    Replace(Replacement),
    /// Add an unknown field next to the path.
    Unknown,
    /// Repeat the element at the path in its list (a resource listed twice).
    Duplicate,
}

#[derive(Debug, Clone)]
enum Replacement {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    EmptyList,
    EmptyMap,
    Nested(usize),
    /// A value that is well-typed but can not be sound (see [`UNSOUND`]).
    Unsound(&'static str),
}

/// Values of the right type that no sound input holds: dates out of range or
/// impossible, negative and absurd numbers, NaN, a regex that does not compile,
/// names with escapes and dot segments.
const UNSOUND: &[&str] = &[
    "1600-01-01T00:00:00Z",
    "0001-01-01",
    "9999-12-31T23:59:59Z",
    "2026-02-30",
    "2026-13-01T00:00:00Z",
    "-1",
    "nan",
    "inf",
    "1e400",
    "(unclosed",
    "[z-a]",
    "\u{1b}[2J\u{202e}",
    "/../../.github/workflows/x.yml",
    "",
];

fn replacement() -> impl Strategy<Value = Replacement> {
    prop_oneof![
        Just(Replacement::Null),
        any::<bool>().prop_map(Replacement::Bool),
        any::<i64>().prop_map(Replacement::Int),
        any::<f64>().prop_map(Replacement::Float),
        any::<String>().prop_map(Replacement::Text),
        Just(Replacement::EmptyList),
        Just(Replacement::EmptyMap),
        (1usize..40).prop_map(Replacement::Nested),
        proptest::sample::select(UNSOUND).prop_map(Replacement::Unsound),
        prop_oneof![Just(-1i64), Just(i64::MIN), Just(i64::MAX), Just(0)].prop_map(Replacement::Int),
        prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(-0.5), Just(1e300)].prop_map(Replacement::Float),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![Just(Edit::Drop), replacement().prop_map(Edit::Replace), Just(Edit::Unknown), Just(Edit::Duplicate)]
}

fn json_of(r: &Replacement) -> Json {
    match r {
        Replacement::Null => Json::Null,
        Replacement::Bool(b) => Json::Bool(*b),
        Replacement::Int(i) => Json::from(*i),
        Replacement::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Replacement::Text(s) => Json::String(s.clone()),
        Replacement::EmptyList => Json::Array(Vec::new()),
        Replacement::EmptyMap => Json::Object(Default::default()),
        Replacement::Nested(depth) => (0..*depth).fold(Json::Null, |v, _| Json::Array(vec![v])),
        Replacement::Unsound(text) => Json::String(text.to_string()),
    }
}

/// Applies `edit` at the node reached by following `path` (child indexes, modulo
/// the number of children; a leaf ends the walk early).
fn mutate_json(doc: &mut Json, path: &[usize], edit: &Edit) {
    let mut node = doc;
    for (depth, &step) in path.iter().enumerate() {
        let last = depth + 1 == path.len();
        let is_leaf = |v: &Json| match v {
            Json::Object(m) => m.is_empty(),
            Json::Array(a) => a.is_empty(),
            _ => true,
        };
        match node {
            Json::Object(map) if !map.is_empty() => {
                let key = map.keys().nth(step % map.len()).cloned().unwrap();
                if last || is_leaf(&map[&key]) {
                    match edit {
                        Edit::Drop => {
                            map.remove(&key);
                        }
                        Edit::Replace(r) => {
                            map.insert(key, json_of(r));
                        }
                        Edit::Unknown => {
                            map.insert("jalon_fuzz_unknown".into(), Json::from(1));
                        }
                        Edit::Duplicate => {}
                    }
                    return;
                }
                node = map.get_mut(&key).unwrap();
            }
            Json::Array(items) if !items.is_empty() => {
                let i = step % items.len();
                if last || is_leaf(&items[i]) {
                    match edit {
                        Edit::Drop => {
                            items.remove(i);
                        }
                        Edit::Replace(r) => items[i] = json_of(r),
                        Edit::Unknown => items.push(Json::from("jalon-fuzz")),
                        Edit::Duplicate => items.insert(i, items[i].clone()),
                    }
                    return;
                }
                node = &mut items[i];
            }
            _ => return,
        }
    }
}

fn toml_of(r: &Replacement) -> toml::Value {
    match r {
        Replacement::Null | Replacement::EmptyMap => toml::Value::Table(Default::default()),
        Replacement::Bool(b) => toml::Value::Boolean(*b),
        Replacement::Int(i) => toml::Value::Integer(*i),
        Replacement::Float(f) => toml::Value::Float(*f),
        Replacement::Text(s) => toml::Value::String(s.clone()),
        Replacement::EmptyList => toml::Value::Array(Vec::new()),
        Replacement::Nested(depth) => (0..*depth).fold(toml::Value::Integer(1), |v, _| toml::Value::Array(vec![v])),
        Replacement::Unsound(text) => toml::Value::String(text.to_string()),
    }
}

fn mutate_toml(doc: &mut toml::Value, path: &[usize], edit: &Edit) {
    let mut node = doc;
    for (depth, &step) in path.iter().enumerate() {
        let last = depth + 1 == path.len();
        let is_leaf = |v: &toml::Value| match v {
            toml::Value::Table(t) => t.is_empty(),
            toml::Value::Array(a) => a.is_empty(),
            _ => true,
        };
        match node {
            toml::Value::Table(table) if !table.is_empty() => {
                let key = table.keys().nth(step % table.len()).cloned().unwrap();
                if last || is_leaf(&table[&key]) {
                    match edit {
                        Edit::Drop => {
                            table.remove(&key);
                        }
                        Edit::Replace(r) => {
                            table.insert(key, toml_of(r));
                        }
                        Edit::Unknown => {
                            table.insert("jalon_fuzz_unknown".into(), toml::Value::Integer(1));
                        }
                        Edit::Duplicate => {}
                    }
                    return;
                }
                node = table.get_mut(&key).unwrap();
            }
            toml::Value::Array(items) if !items.is_empty() => {
                let i = step % items.len();
                if last || is_leaf(&items[i]) {
                    match edit {
                        Edit::Drop => {
                            items.remove(i);
                        }
                        Edit::Replace(r) => items[i] = toml_of(r),
                        Edit::Unknown => {}
                        Edit::Duplicate => items.insert(i, items[i].clone()),
                    }
                    return;
                }
                node = &mut items[i];
            }
            _ => return,
        }
    }
}

/// Line-level damage to any text: drop, repeat or cut a line, truncate the file.
#[derive(Debug, Clone)]
enum LineEdit {
    Delete(usize),
    Repeat(usize),
    /// Cut line `.0` at char `.1`.
    Cut(usize, usize),
    /// Replace what follows the first `:` or `=` on the line.
    Value(usize, String),
    Insert(usize, String),
    Truncate(usize),
}

fn line_edit() -> impl Strategy<Value = LineEdit> {
    let value = prop_oneof![
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("-1".to_string()),
        Just("\"\"".to_string()),
        Just("~".to_string()),
        Just("[unclosed".to_string()),
        Just("2027-02-30".to_string()),
        Just("1979-05-27T07:32:00Z".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("&anchor *alias".to_string()),
        any::<String>(),
    ];
    prop_oneof![
        any::<usize>().prop_map(LineEdit::Delete),
        any::<usize>().prop_map(LineEdit::Repeat),
        (any::<usize>(), any::<usize>()).prop_map(|(l, c)| LineEdit::Cut(l, c)),
        (any::<usize>(), value).prop_map(|(l, v)| LineEdit::Value(l, v)),
        (any::<usize>(), any::<String>()).prop_map(|(l, v)| LineEdit::Insert(l, v)),
        any::<usize>().prop_map(LineEdit::Truncate),
    ]
}

fn apply_lines(text: &str, edits: &[LineEdit]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for e in edits {
        if lines.is_empty() {
            break;
        }
        let n = lines.len();
        match e {
            LineEdit::Delete(i) => {
                lines.remove(i % n);
            }
            LineEdit::Repeat(i) => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            LineEdit::Cut(i, c) => {
                let l = &mut lines[i % n];
                let chars: Vec<char> = l.chars().collect();
                *l = chars[..c % (chars.len() + 1)].iter().collect();
            }
            LineEdit::Value(i, v) => {
                let l = &mut lines[i % n];
                if let Some(at) = l.find([':', '=']) {
                    *l = format!("{} {v}", &l[..=at]);
                }
            }
            LineEdit::Insert(i, v) => lines.insert(i % n, v.clone()),
            LineEdit::Truncate(i) => lines.truncate(i % n),
        }
    }
    lines.join("\n")
}

/// Truncates at a char boundary near `at` (a fraction of the length, in 1/1000).
fn truncate(text: &str, at: usize) -> &str {
    let mut cut = text.len() * (at % 1001) / 1000;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

// ---------------------------------------------------------------- the parsers under test

/// A parser under test, with its property checks.
type Checker = fn(&str) -> Result<(), TestCaseError>;

fn check_snapshot(text: &str) -> Result<(), TestCaseError> {
    // The engine's own conversion of the same text (engine/json_value.rs) runs beside the
    // typed parse on every load: it must not panic either, and must take what that takes.
    let converted = jalon::engine::Input::from_json(text);
    match jalon::snapshot::parse(text) {
        Err(err) => prop_assert!(names_a_place_snapshot(&err), "snapshot error without a place: {err}"),
        Ok(_) => prop_assert!(converted.is_ok(), "a valid snapshot the engine rejects: {:?}", converted.err()),
    }
    Ok(())
}

fn check_config(text: &str) -> Result<(), TestCaseError> {
    if let Err(err) = Config::parse(text) {
        prop_assert!(names_a_place_toml(&err, &["thresholds.", "scope:"]), "config error without a place: {err}");
    }
    Ok(())
}

fn check_waivers(text: &str) -> Result<(), TestCaseError> {
    if let Err(err) = jalon::waivers::parse(text, &seeds().policies) {
        prop_assert!(names_a_place_toml(&err, &["waiver["]), "waiver error without a place: {err}");
    }
    Ok(())
}

fn check_attestations(text: &str) -> Result<(), TestCaseError> {
    if let Err(err) = jalon::attestations::parse(text, &seeds().policies) {
        prop_assert!(names_a_place_toml(&err, &["attestation["]), "attestation error without a place: {err}");
    }
    Ok(())
}

fn check_checklist(text: &str) -> Result<(), TestCaseError> {
    if let Err(err) = Checklist::parse(text) {
        prop_assert!(names_a_place_toml(&err, &["phase `"]), "checklist error without a place: {err}");
    }
    Ok(())
}

fn check_index(text: &str) -> Result<(), TestCaseError> {
    if let Err(err) = jalon::snapshot::index::parse(text) {
        prop_assert!(names_a_place_snapshot(&err), "index error without a place: {err}");
    }
    Ok(())
}

fn check_accounts_file(text: &str) -> Result<(), TestCaseError> {
    if let Err(err) = jalon::collect::accounts::file::parse(text) {
        prop_assert!(
            names_a_place_toml(&err, &["account["]) || err.starts_with("the file names no account"),
            "accounts file error without a place: {err}"
        );
    }
    Ok(())
}

/// A snapshot directory's index (docs/accounts.md), valid, to damage.
const INDEX_SEED: &str = r#"{
  "index_version": 1,
  "tool": {"name": "jalon", "version": "0.1.0"},
  "collected_at": "2026-12-07T06:00:00Z",
  "source": "organization",
  "role_name": "jalon-audit",
  "accounts": [
    {"id": "111111111111", "name": "prod", "regions": ["eu-west-3"], "status": "complete", "message": null,
     "snapshot": "111111111111.json", "sha256": "0000000000000000000000000000000000000000000000000000000000000000",
     "cost": {"seconds": 1.0, "api_calls": {"sts:AssumeRole": 1}, "retries": 0, "throttles": 0}},
    {"id": "222222222222", "name": null, "regions": [], "status": "failed", "message": "sts: access denied",
     "snapshot": "222222222222.json", "sha256": "1111111111111111111111111111111111111111111111111111111111111111",
     "cost": {"seconds": 0.1, "api_calls": {}, "retries": 0, "throttles": 0}}
  ],
  "cost": {"seconds": 1.2, "api_calls": {}, "retries": 0, "throttles": 0},
  "shard": {"index": 0, "count": 1}
}"#;

const ACCOUNTS_SEED: &str = "[[account]]\nid = \"111111111111\"\nname = \"prod\"\nregions = [\"eu-west-3\"]\n\n[[account]]\nid = \"222222222222\"\n";

fn check_metadata(name: &str, text: &str) -> Result<(), TestCaseError> {
    if let Err(err) = parse_control(name, text) {
        prop_assert!(names_a_place_metadata(&err), "METADATA error without a place: {err}");
    }
    // Loading it as a team policy goes through the same parser, and never panics.
    let mut set = PolicySet::default();
    let _ = set.add_source(name, text);
    Ok(())
}

proptest! {
    #![proptest_config(cases())]

    #[test]
    fn arbitrary_text_never_panics_any_parser(text in any::<String>()) {
        check_snapshot(&text)?;
        check_config(&text)?;
        check_waivers(&text)?;
        check_attestations(&text)?;
        check_checklist(&text)?;
        check_index(&text)?;
        check_accounts_file(&text)?;
        check_metadata("fuzz.rego", &text)?;
        check_metadata("fuzz.rego", &format!("# METADATA\n{text}\npackage jalon.controls.fuzz\n"))?;
    }

    #[test]
    fn arbitrary_bytes_never_panic_any_parser(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes);
        check_snapshot(&text)?;
        check_config(&text)?;
        check_waivers(&text)?;
        check_attestations(&text)?;
        check_checklist(&text)?;
        check_index(&text)?;
        check_accounts_file(&text)?;
        check_metadata("fuzz.rego", &text)?;
    }

    #[test]
    fn mutated_indexes_and_accounts_files_fail_cleanly(
        path in proptest::collection::vec(any::<usize>(), 1..6),
        e in edit(),
        lines in proptest::collection::vec(line_edit(), 0..3),
        cut in 0usize..1500,
    ) {
        let mut doc: Json = serde_json::from_str(INDEX_SEED).unwrap();
        mutate_json(&mut doc, &path, &e);
        check_index(&serde_json::to_string_pretty(&doc).unwrap())?;
        check_index(truncate(INDEX_SEED, cut))?;
        let mut doc: toml::Value = toml::from_str(ACCOUNTS_SEED).unwrap();
        mutate_toml(&mut doc, &path, &e);
        if let Ok(text) = toml::to_string(&doc) {
            check_accounts_file(&text)?;
        }
        check_accounts_file(&apply_lines(ACCOUNTS_SEED, &lines))?;
        check_accounts_file(truncate(ACCOUNTS_SEED, cut))?;
    }

    #[test]
    fn mutated_snapshots_fail_cleanly(
        path in proptest::collection::vec(any::<usize>(), 1..8),
        e in edit(),
        cut in 0usize..1000,
        truncated in any::<bool>(),
    ) {
        let mut doc: Json = serde_json::from_str(&seeds().snapshot).unwrap();
        mutate_json(&mut doc, &path, &e);
        let text = serde_json::to_string_pretty(&doc).unwrap();
        check_snapshot(&text)?;
        if truncated {
            check_snapshot(truncate(&text, cut))?;
        }
    }

    #[test]
    fn mutated_toml_files_fail_cleanly(
        which in 0usize..4,
        path in proptest::collection::vec(any::<usize>(), 1..5),
        e in edit(),
        lines in proptest::collection::vec(line_edit(), 0..3),
        cut in 0usize..1000,
    ) {
        let s = seeds();
        let (seed, check): (&str, Checker) = match which {
            0 => (&s.config, check_config),
            1 => (&s.waivers, check_waivers),
            2 => (&s.attestations, check_attestations),
            _ => (&s.checklist, check_checklist),
        };
        let mut doc: toml::Value = toml::from_str(seed).unwrap();
        mutate_toml(&mut doc, &path, &e);
        if let Ok(text) = toml::to_string(&doc) {
            check(&text)?;
        }
        let damaged = apply_lines(seed, &lines);
        check(&damaged)?;
        check(truncate(seed, cut))?;
    }

    #[test]
    fn mutated_metadata_blocks_fail_cleanly(
        which in any::<usize>(),
        lines in proptest::collection::vec(line_edit(), 1..4),
        cut in 0usize..1000,
    ) {
        let s = seeds();
        let (name, source) = &s.controls[which % s.controls.len()];
        // Damage the METADATA block (the lines above `package`), keep the rest.
        let package_at = source.find("\npackage ").map(|i| i + 1).unwrap_or(0);
        let (block, rest) = source.split_at(package_at);
        let damaged = format!("{}\n{rest}", apply_lines(block, &lines));
        check_metadata(name, &damaged)?;
        check_metadata(name, truncate(source, cut))?;
    }
}

/// A mutated snapshot through the whole evaluation, as `jalon check` runs it: either
/// refused as an input error naming the file, or judged with a verdict for every
/// control; the engine never panics on what the reader let through.
fn check_judged(text: &str) -> Result<(), TestCaseError> {
    use jalon::pipeline::{self, Request, TeamFiles};
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("snapshot.json");
    std::fs::write(&path, text).expect("write the snapshot");
    let request = Request { inventory: true, ..Request::of_snapshot(&path, TeamFiles::default()) };
    match pipeline::run(&request) {
        Err(err) => {
            prop_assert_eq!(err.exit_code(), jalon::error::exit::INPUT, "not an input error: {}", err);
            prop_assert!(err.to_string().starts_with(&*path.to_string_lossy()), "error without its file: {}", err);
        }
        Ok(evaluation) => {
            let controls = &evaluation.report.controls;
            prop_assert!(controls.len() >= 40, "only {} controls judged", controls.len());
            // A control evaluated with an error is UNKNOWN with a note; none is lost.
            for c in controls.iter().filter(|c| c.verdict == jalon::result::Verdict::Unknown) {
                prop_assert!(c.note.is_some(), "{} is UNKNOWN without a reason", c.id);
            }
        }
    }
    Ok(())
}

proptest! {
    // The whole evaluation per case: fewer cases than the parsers alone.
    #![proptest_config(ProptestConfig { cases: cases().cases / 4, ..cases() })]

    #[test]
    fn mutated_snapshots_are_refused_or_judged_never_a_panic(
        edits in proptest::collection::vec((proptest::collection::vec(any::<usize>(), 1..8), edit()), 1..4),
    ) {
        let mut doc: Json = serde_json::from_str(&seeds().snapshot).unwrap();
        for (path, e) in &edits {
            mutate_json(&mut doc, path, e);
        }
        check_judged(&serde_json::to_string_pretty(&doc).unwrap())?;
    }
}

// ---------------------------------------------------------------- explicit edge cases

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    // Deep enough to overflow a naive recursive parser's stack; every parser here has a
    // recursion limit (METADATA: see metadata::too_deep, the YAML parser is quadratic).
    let deep = 100_000;
    let json = format!("{{\"schema_version\": 1, \"regions\": {}{}}}", "[".repeat(deep), "]".repeat(deep));
    assert!(jalon::snapshot::parse(&json).is_err());
    assert!(jalon::engine::Input::from_json(&json).is_err());
    let toml_text = format!("allowed_regions = {}{}\n", "[".repeat(deep), "]".repeat(deep));
    assert!(Config::parse(&toml_text).is_err());
    let inline = format!("[scope]\nrequire_tags = {}{}\n", "{ a = ".repeat(deep), "}".repeat(deep));
    assert!(Config::parse(&inline).is_err());
    let yaml = format!("# METADATA\n# title: {}{}\npackage jalon.controls.x\n", "[".repeat(deep), "]".repeat(deep));
    assert!(parse_control("x.rego", &yaml).is_err());
    let yaml_map = format!("# METADATA\n# title: {}\npackage jalon.controls.x\n", "{a: ".repeat(deep));
    assert!(parse_control("x.rego", &yaml_map).is_err());
}

#[test]
fn every_seed_file_is_valid_to_start_with() {
    jalon::snapshot::index::parse(INDEX_SEED).expect("the index seed");
    jalon::collect::accounts::file::parse(ACCOUNTS_SEED).expect("the accounts seed");
    let s = seeds();
    jalon::snapshot::parse(&s.snapshot).unwrap();
    Config::parse(&s.config).unwrap();
    jalon::waivers::parse(&s.waivers, &s.policies).unwrap();
    jalon::attestations::parse(&s.attestations, &s.policies).unwrap();
    Checklist::parse(&s.checklist).unwrap();
    assert!(s.controls.len() > 20);
    for (name, source) in &s.controls {
        parse_control(name, source).unwrap();
    }
}
