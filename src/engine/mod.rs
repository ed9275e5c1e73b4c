//! Evaluating a snapshot with the Rego policies (regorus).
//!
//! All controls are evaluated in one query over `data.jalon.controls`, so shared
//! helpers in `jalon.lib` are computed once. If that query fails (a builtin error in
//! one control, say), each control is evaluated on its own so that only the broken
//! one becomes UNKNOWN.

pub mod metadata;
pub mod policy_set;
pub mod policy_tests;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use regorus::{Engine, Value};
use serde::Deserialize;

use crate::config::Config;
use crate::error::JalonError;
pub use metadata::{ControlMeta, Severity};
pub use policy_set::{PolicySet, CONTROLS_PACKAGE};

/// What a control's Rego said about the snapshot, before verdicts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawOutcome {
    pub in_scope: BTreeSet<String>,
    /// Failing resources and their messages.
    pub deny: BTreeMap<String, Vec<String>>,
}

/// A control's outcome, or why it could not be evaluated.
pub type ControlOutcome = Result<RawOutcome, String>;

#[derive(Deserialize)]
struct PackageOutput {
    #[serde(default)]
    in_scope: Vec<serde_json::Value>,
    #[serde(default)]
    deny: Vec<serde_json::Value>,
}

/// A regorus engine loaded with the policies and the evaluation data.
#[derive(Clone)]
pub struct Evaluator {
    engine: Engine,
    packages: BTreeMap<String, String>,
}

impl Evaluator {
    pub fn new(policies: &PolicySet, config: &Config, as_of: DateTime<Utc>) -> Result<Evaluator, JalonError> {
        let mut engine = Engine::new();
        for module in &policies.modules {
            engine
                .add_policy(module.name.clone(), module.source.clone())
                .map_err(|e| JalonError::input(&module.name, format!("Rego error: {e}")))?;
        }
        engine
            .add_data(evaluation_data(config, as_of))
            .map_err(|e| JalonError::Runtime(format!("loading evaluation data: {e}")))?;
        let packages = policies
            .controls
            .values()
            .filter(|c| !c.attestation)
            .map(|c| (c.id.clone(), c.package.clone()))
            .collect();
        Ok(Evaluator { engine, packages })
    }

    /// Evaluates every state control against the input (the snapshot JSON text).
    pub fn evaluate(&self, input_json: &str) -> Result<BTreeMap<String, ControlOutcome>, JalonError> {
        let input = Value::from_json_str(input_json)
            .map_err(|e| JalonError::Runtime(format!("snapshot is not valid JSON for the engine: {e}")))?;
        Ok(self.evaluate_value(input))
    }

    pub fn evaluate_value(&self, input: Value) -> BTreeMap<String, ControlOutcome> {
        let t = std::time::Instant::now();
        let mut engine = self.engine.clone();
        engine.set_input(input);
        let r = eval_path(&mut engine, CONTROLS_PACKAGE);
        eprintln!("TT query+tojson {:?}", t.elapsed());
        match r {
            Ok(all) => { let t = std::time::Instant::now(); let x = self
                .packages
                .iter()
                .map(|(id, package)| {
                    let short = package.strip_prefix(&format!("{CONTROLS_PACKAGE}.")).unwrap_or(package);
                    let value = all.get(short).cloned().unwrap_or(serde_json::Value::Null);
                    (id.clone(), decode_outcome(value))
                })
                .collect(); eprintln!("TT decode {:?}", t.elapsed()); let t = std::time::Instant::now(); drop(all); drop(engine); eprintln!("TT drop {:?}", t.elapsed()); x },
            // One control broke the shared query: isolate it.
            Err(_) => self
                .packages
                .iter()
                .map(|(id, package)| (id.clone(), eval_path(&mut engine, package).and_then(decode_outcome)))
                .collect(),
        }
    }
}

/// `data.jalon.config`, `data.jalon.as_of` and `data.jalon.as_of_ns`, as JSON (the
/// benchmark hands the same document to OPA).
pub fn evaluation_data_json(config: &Config, as_of: DateTime<Utc>) -> serde_json::Value {
    serde_json::json!({
        "jalon": {
            "config": config,
            "as_of": as_of.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "as_of_ns": as_of.timestamp_nanos_opt().unwrap_or(i64::MAX),
        }
    })
}

fn evaluation_data(config: &Config, as_of: DateTime<Utc>) -> Value {
    Value::from(evaluation_data_json(config, as_of))
}

fn eval_path(engine: &mut Engine, package: &str) -> Result<serde_json::Value, String> {
    let results = engine
        .eval_query(format!("data.{package}"), false)
        .map_err(|e| format!("evaluation failed: {e}"))?;
    let value = results
        .result
        .first()
        .and_then(|r| r.expressions.first())
        .map(|e| e.value.clone())
        .unwrap_or(Value::Undefined);
    if value == Value::Undefined {
        return Ok(serde_json::Value::Null);
    }
    serde_json::to_value(&value).map_err(|e| format!("unreadable result: {e}"))
}

fn decode_outcome(value: serde_json::Value) -> ControlOutcome {
    if value.is_null() {
        // No rule fired at all: nothing in scope.
        return Ok(RawOutcome::default());
    }
    let output: PackageOutput = serde_json::from_value(value)
        .map_err(|e| format!("the control's `in_scope` / `deny` rules have the wrong shape: {e}"))?;
    let mut outcome = RawOutcome::default();
    for id in output.in_scope {
        outcome.in_scope.insert(resource_id(&id)?);
    }
    for entry in output.deny {
        let resource = entry
            .get("resource")
            .ok_or_else(|| format!("a `deny` entry has no `resource` field: {entry}"))
            .and_then(resource_id)?;
        let message = entry.get("message").and_then(|m| m.as_str()).unwrap_or("fails").to_string();
        // A denied resource is in scope even when the policy forgot to say so.
        outcome.in_scope.insert(resource.clone());
        outcome.deny.entry(resource).or_default().push(message);
    }
    for messages in outcome.deny.values_mut() {
        messages.sort();
        messages.dedup();
    }
    Ok(outcome)
}

fn resource_id(value: &serde_json::Value) -> Result<String, String> {
    match value {
        serde_json::Value::String(s) => Ok(s.clone()),
        other => Err(format!("a resource id must be a string, found {other}")),
    }
}
