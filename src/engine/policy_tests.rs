//! `jalon policies test`: runs the `test_*` rules of every `*_test.rego` file.
//! regorus has no test runner of its own; OPA's semantics are kept: a test passes
//! when its rule evaluates to `true`.

use chrono::{DateTime, Utc};
use regorus::{Engine, Value};

use crate::config::Config;
use crate::engine::policy_set::PolicySet;
use crate::snapshot::{Account, Snapshot, ToolInfo, SCHEMA_VERSION};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TestStatus {
    Pass,
    /// Undefined or not `true`.
    Fail,
    /// The rule raised an error.
    Error(String),
}

#[derive(Debug, Clone)]
pub struct TestResult {
    /// `package.rule`, e.g. `jalon.controls.log_001_test.test_never_expire_fails`.
    pub name: String,
    pub file: String,
    pub status: TestStatus,
    /// What the test printed (`print`, as the `jalon.lib.testing` assertions do when they
    /// do not hold: expected against actual), `file:line: text` each.
    pub output: Vec<String>,
}

/// The names of the `test_` rules a Rego file defines, in file order.
pub fn test_rule_names(source: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for line in source.lines() {
        if !line.starts_with("test_") {
            continue;
        }
        let name: String = line.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The account, region and time `jalon.lib.testing`'s builders use.
const ACCOUNT: &str = "123456789012";
const REGION: &str = "eu-west-1";
const AS_OF: &str = "2026-11-22T10:00:00Z";

/// The snapshot `jalon.lib.testing` builds on: every section present and empty.
fn empty_snapshot() -> serde_json::Value {
    let snapshot = Snapshot {
        schema_version: SCHEMA_VERSION,
        tool: ToolInfo { name: "jalon".into(), version: env!("CARGO_PKG_VERSION").into() },
        account: Account { id: ACCOUNT.into(), caller_arn: format!("arn:aws:iam::{ACCOUNT}:role/audit") },
        regions: vec![REGION.into()],
        collected_at: AS_OF.into(),
        ..Snapshot::default()
    };
    serde_json::to_value(snapshot).expect("a snapshot always serialises")
}

/// Runs every test whose full name contains `filter` (all when None).
pub fn run(policies: &PolicySet, filter: Option<&str>) -> Result<Vec<TestResult>, String> {
    let mut engine = Engine::new();
    for file in policies.modules.iter().chain(&policies.tests) {
        engine
            .add_policy(file.name.clone(), file.source.clone())
            .map_err(|e| format!("{}: Rego error: {e}", file.name))?;
    }
    // Defaults for tests that do not override them with `with`, and what
    // `jalon.lib.testing` builds on: the Rust defaults, never a hand copy of them.
    let as_of: DateTime<Utc> = "2026-01-15T00:00:00Z".parse().expect("a valid constant");
    let data = serde_json::json!({"jalon": {
        "config": Config::default(),
        "as_of": "2026-01-15T00:00:00Z",
        "as_of_ns": as_of.timestamp_nanos_opt(),
        "testing": {
            "config": Config::default(),
            "empty_snapshot": empty_snapshot(),
            "account": ACCOUNT,
            "region": REGION,
            "as_of": AS_OF,
        },
    }});
    engine.add_data(Value::from(data)).map_err(|e| format!("test data: {e}"))?;
    engine.set_input(Value::new_object());
    engine.set_gather_prints(true);
    // A test that loops fails alone instead of hanging the run.
    super::limit_time(&mut engine, super::DEFAULT_TIME_LIMIT);

    let mut results = Vec::new();
    for file in &policies.tests {
        for rule in test_rule_names(&file.source) {
            let name = format!("{}.{rule}", file.package);
            if filter.is_some_and(|f| !name.contains(f)) {
                continue;
            }
            // Prints of an earlier test, if any, are not this one's.
            let _ = engine.take_prints();
            let status = match engine.eval_query(format!("data.{name}"), false) {
                Ok(r) => {
                    let value = r.result.first().and_then(|r| r.expressions.first()).map(|e| e.value.clone());
                    if value == Some(Value::Bool(true)) {
                        TestStatus::Pass
                    } else {
                        TestStatus::Fail
                    }
                }
                Err(e) => TestStatus::Error(e.to_string()),
            };
            let output = engine.take_prints().unwrap_or_default();
            results.push(TestResult { name, file: file.name.clone(), status, output });
        }
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_test_rules_once_each() {
        let src = "package p\n\ntest_a if { true }\ntest_a if { false }\n  test_indented := 1\ntest_b := true\nhelper if { true }\n";
        assert_eq!(test_rule_names(src), vec!["test_a", "test_b"]);
    }

    #[test]
    fn passing_failing_and_erroring_tests_are_told_apart() {
        let mut set = PolicySet::default();
        set.add_source("lib.rego", "package jalon.lib\nimport rego.v1\ndouble(x) := x * 2\n").unwrap();
        set.add_source(
            "lib_test.rego",
            "package jalon.lib_test\nimport rego.v1\nimport data.jalon.lib\n\
             test_ok if { lib.double(2) == 4 }\n\
             test_wrong if { lib.double(2) == 5 }\n\
             test_error if { to_number(\"x\") == 1 }\n",
        )
        .unwrap();
        let results = run(&set, None).unwrap();
        let status = |n: &str| results.iter().find(|r| r.name.ends_with(n)).unwrap().status.clone();
        assert_eq!(status("test_ok"), TestStatus::Pass);
        assert_eq!(status("test_wrong"), TestStatus::Fail);
        assert!(matches!(status("test_error"), TestStatus::Error(_)), "{:?}", status("test_error"));
        assert_eq!(run(&set, Some("wrong")).unwrap().len(), 1);
    }
}
