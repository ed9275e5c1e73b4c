//! Evaluating a snapshot with the Rego policies (regorus).
//!
//! All controls are evaluated in one query over `data.jalon.controls`, so shared
//! helpers in `jalon.lib` are computed once. If that query fails (a builtin error in
//! one control, say), each control is evaluated on its own so that only the broken
//! one becomes UNKNOWN.

pub mod fix;
pub mod input;
pub mod inventory;
mod json_value;
pub mod lint;
pub mod metadata;
pub mod policy_set;
pub mod policy_tests;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use regorus::{Engine, Value};

use crate::config::Config;
use crate::error::JalonError;
pub use input::{load_snapshot, prepare_collected, Input};
pub use inventory::Inventory;
pub use metadata::{ControlMeta, Severity};
pub use policy_set::{PolicySet, CONTROLS_PACKAGE};

/// What a control's Rego said about the snapshot, before verdicts. The strings are
/// the engine's own (reference counted), not copies: there is one per resource in
/// scope and per message.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawOutcome {
    pub in_scope: BTreeSet<Arc<str>>,
    /// Failing resources and their messages.
    pub deny: BTreeMap<Arc<str>, Vec<Arc<str>>>,
}

/// A control's outcome, or why it could not be evaluated.
pub type ControlOutcome = Result<RawOutcome, String>;

/// Regorus engines loaded with the policies and the evaluation data.
///
/// The controls are split into shards evaluated on their own threads (two on a
/// machine with two cores or more): each shard's engine holds every helper module and
/// its share of the controls, and evaluates them in one query, so helpers are still
/// computed once per shard. The split keeps the alarm controls (and their heavy
/// `jalon.lib.alarms` joins) apart from the rest.
#[derive(Clone)]
pub struct Evaluator {
    shards: Vec<Shard>,
    /// Bytes an evaluation may add to the heap (None: no bound).
    memory_budget: Option<u64>,
}

#[derive(Clone)]
struct Shard {
    /// For `JALON_TIMINGS`.
    name: &'static str,
    engine: Engine,
    /// Control id -> package.
    packages: BTreeMap<String, String>,
}

/// Which shard a control module goes to (of two).
fn shard_of(module: &policy_set::RegoFile) -> usize {
    let short = module.package.strip_prefix(&format!("{CONTROLS_PACKAGE}.")).unwrap_or(&module.package);
    let alarms = short.starts_with("alm_")
        || short.starts_with("ops_")
        || module.name.contains("/alarms/")
        || module.name.contains("/operations/");
    usize::from(!alarms)
}

impl Evaluator {
    pub fn new(policies: &PolicySet, config: &Config, as_of: DateTime<Utc>) -> Result<Evaluator, JalonError> {
        // JALON_EVAL_THREADS=1 evaluates everything on one thread (benchmarks compare both).
        let cores = std::env::var("JALON_EVAL_THREADS")
            .ok()
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        Evaluator::with_threads(policies, config, as_of, cores)
    }

    fn with_threads(
        policies: &PolicySet,
        config: &Config,
        as_of: DateTime<Utc>,
        cores: usize,
    ) -> Result<Evaluator, JalonError> {
        let is_control = |m: &policy_set::RegoFile| m.package.starts_with(&format!("{CONTROLS_PACKAGE}."));
        // A control that reads another control's rules must share its engine: then no split.
        let cross_refs = policies.modules.iter().filter(|m| is_control(m)).any(|m| {
            m.source.match_indices("data.jalon.controls.").any(|(i, _)| !m.source[i + 5..].starts_with(&m.package))
        });
        let count = if cores > 1 && !cross_refs { 2 } else { 1 };
        let mut shards = Vec::new();
        for index in 0..count {
            let mut engine = Engine::new();
            let mut mine = BTreeSet::new();
            for module in &policies.modules {
                if is_control(module) {
                    if count > 1 && shard_of(module) != index {
                        continue;
                    }
                    mine.insert(module.package.clone());
                }
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
                .filter(|c| c.reads_account() && mine.contains(&c.package))
                .map(|c| (c.id.clone(), c.package.clone()))
                .collect();
            let name = match (count, index) {
                (1, _) => "evaluate all controls",
                (_, 0) => "evaluate alarm shard",
                _ => "evaluate other shard",
            };
            shards.push(Shard { name, engine, packages });
        }
        Ok(Evaluator { shards, memory_budget: None })
    }

    /// The same policies with other evaluation data (another account's config, its
    /// as-of): the modules, parsed once, are shared by every account's engines.
    pub fn rebind(&self, config: &Config, as_of: DateTime<Utc>) -> Result<Evaluator, JalonError> {
        let mut shards = self.shards.clone();
        for shard in &mut shards {
            shard.engine.clear_data();
            shard
                .engine
                .add_data(evaluation_data(config, as_of))
                .map_err(|e| JalonError::Runtime(format!("loading evaluation data: {e}")))?;
        }
        Ok(Evaluator { shards, memory_budget: self.memory_budget })
    }

    /// Bounds the heap every evaluation may add to `bytes` (regorus stops a query
    /// past it; the allocator counts the bytes in use).
    pub fn with_memory_limit(mut self, bytes: u64) -> Evaluator {
        self.memory_budget = Some(bytes);
        self
    }

    /// Bounds every query of every shard (controls, inventory, scope) to `limit`.
    pub fn with_time_limit(mut self, limit: std::time::Duration) -> Evaluator {
        for shard in &mut self.shards {
            limit_time(&mut shard.engine, limit);
        }
        self
    }

    /// Evaluates every state control against the snapshot.
    pub fn evaluate(&self, input: Input) -> BTreeMap<String, ControlOutcome> {
        let _bound = MemoryBound::new(self.memory_budget);
        let mut outcomes = self.evaluate_shards(input.0.clone());
        // The bound is the process's: a control that ran out of memory while another
        // shard grew may not be the one that grew. Each is judged again alone.
        for (id, outcome) in outcomes.iter_mut() {
            if outcome.as_ref().is_err_and(|e| e.contains(MEMORY_LIMIT_FLAG)) {
                if let Some(shard) = self.shards.iter().find(|s| s.packages.contains_key(id)) {
                    let mut engine = shard.engine.clone();
                    engine.set_input(input.0.clone());
                    *outcome = eval_value(&mut engine, &shard.packages[id]).and_then(|v| decode_outcome(&v));
                    drop_in_background(engine);
                }
            }
        }
        outcomes
    }

    fn evaluate_shards(&self, input: Value) -> BTreeMap<String, ControlOutcome> {
        let (first, rest) = match self.shards.split_first() {
            Some(split) => split,
            None => return BTreeMap::new(),
        };
        std::thread::scope(|scope| {
            // The input is shared, not copied: values are reference counted (Arc).
            let others: Vec<_> = rest
                .iter()
                .map(|shard| {
                    let engine = shard.engine.clone();
                    let input = input.clone();
                    let (name, packages) = (shard.name, &shard.packages);
                    scope.spawn(move || evaluate_shard(name, engine, packages, input))
                })
                .collect();
            let mut outcomes = evaluate_shard(first.name, first.engine.clone(), &first.packages, input);
            for handle in others {
                let more = handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                outcomes.extend(more);
            }
            outcomes
        })
    }
}

impl Evaluator {
    /// The personal-data inventory (`jalon.lib.inventory`) of the snapshot, on an
    /// engine of its own: only `jalon gdpr` asks for it.
    pub fn inventory(&self, input: Input) -> Result<Inventory, String> {
        let _bound = MemoryBound::new(self.memory_budget);
        let mut engine = self.shards.first().map(|s| s.engine.clone()).ok_or("no policies loaded")?;
        engine.set_input(input.0);
        let value = eval_value(&mut engine, inventory::PACKAGE)?;
        let inventory = Inventory::from_value(&value);
        drop_in_background(engine);
        inventory.map_err(|e| format!("the personal-data inventory ({}) has the wrong shape: {e}", inventory::PACKAGE))
    }
}

/// What the configured scope keeps of one collected list (`jalon.lib.scope_coverage`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeCoverage {
    /// `Lambda functions`, `log groups`...
    pub what: String,
    pub collected: u64,
    pub in_scope: u64,
}

impl Evaluator {
    /// What the scope keeps of each collected list, on an engine of its own: asked
    /// only when the config's scope filters something.
    pub fn scope_coverage(&self, input: Input) -> Result<Vec<ScopeCoverage>, String> {
        let _bound = MemoryBound::new(self.memory_budget);
        let mut engine = self.shards.first().map(|s| s.engine.clone()).ok_or("no policies loaded")?;
        engine.set_input(input.0);
        let value = eval_value(&mut engine, "jalon.lib.scope_coverage")?;
        let Value::Object(lists) = &value else {
            return Err(format!("jalon.lib.scope_coverage has the wrong shape: {}", describe(&value)));
        };
        let count = |v: &Value| v.as_u64().map_err(|_| format!("expected a count, found {}", describe(v)));
        let coverage = lists
            .iter()
            .map(|(what, counts)| {
                Ok(ScopeCoverage {
                    what: what.as_string().map_err(|e| e.to_string())?.to_string(),
                    collected: count(&counts[0])?,
                    in_scope: count(&counts[1])?,
                })
            })
            .collect();
        drop_in_background(engine);
        coverage
    }
}

/// How long one query may run: a policy that loops (nested `numbers.range`, a
/// recursion through comprehensions) stops there, and its control alone is UNKNOWN.
pub const DEFAULT_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(120);

/// Work units between two looks at the clock: a look costs a clock read, and a
/// limit overrun by a few thousand steps is still bounded.
const TIME_CHECK_INTERVAL: u32 = 4096;

/// Bounds every query of `engine` to `limit`.
pub fn limit_time(engine: &mut Engine, limit: std::time::Duration) {
    engine.set_execution_timer_config(regorus::utils::limits::ExecutionTimerConfig {
        limit,
        check_interval: std::num::NonZeroU32::new(TIME_CHECK_INTERVAL).expect("not zero"),
    });
}

/// The memory limit's flag, named in its error (and found there again).
const MEMORY_LIMIT_FLAG: &str = "--eval-memory";

/// The default of `--eval-memory`: far above what the shipped policies need at a
/// million resources, far below what a runaway rule reaches.
pub const DEFAULT_MEMORY_LIMIT: u64 = 4 << 30;

/// While it lives, regorus stops any query that grows the process's heap more than
/// the budget over what it held when the bound was set (regorus's allocator counts
/// the bytes in use). The limit is the process's, so one bound at a time.
struct MemoryBound;

impl MemoryBound {
    fn new(budget: Option<u64>) -> Option<MemoryBound> {
        let budget = budget?;
        let (in_use, _) = regorus_mimalloc::allocation_stats_snapshot();
        regorus::set_global_memory_limit(Some(in_use.allocated.saturating_add(budget)));
        Some(MemoryBound)
    }
}

impl Drop for MemoryBound {
    fn drop(&mut self) {
        regorus::set_global_memory_limit(None);
    }
}

/// An evaluation error in words: a limit says which one and how to raise it.
fn evaluation_error<E>(error: &E) -> String
where
    E: AsRef<dyn std::error::Error + Send + Sync + 'static> + std::fmt::Display,
{
    let root: &(dyn std::error::Error + 'static) = error.as_ref();
    let limit = std::iter::successors(Some(root), |e| e.source()).find_map(|e| e.downcast_ref::<regorus::LimitError>());
    match limit {
        Some(regorus::LimitError::TimeLimitExceeded { limit, .. }) => format!(
            "the policy ran past the evaluation time limit of {} s (--eval-timeout) and was stopped",
            limit.as_secs_f64()
        ),
        Some(regorus::LimitError::MemoryLimitExceeded { usage, .. }) => format!(
            "the policy grew the heap past the evaluation memory limit ({MEMORY_LIMIT_FLAG}) and was stopped \
             ({} MiB allocated)",
            usage >> 20
        ),
        _ => format!("evaluation failed: {error}"),
    }
}

/// Evaluates one shard's controls in one query; if that query fails (a builtin
/// error in one control, say), each control on its own, so only the broken one is
/// UNKNOWN.
fn evaluate_shard(
    name: &'static str,
    mut engine: Engine,
    packages: &BTreeMap<String, String>,
    input: Value,
) -> BTreeMap<String, ControlOutcome> {
    let _shard = crate::timings::stage(name);
    engine.set_input(input);
    match eval_value(&mut engine, CONTROLS_PACKAGE) {
        // The outcomes are read straight from the engine's values: no JSON in between.
        Ok(all) => {
            let _decoding = crate::timings::stage("decode outcomes");
            let outcomes = packages
                .iter()
                .map(|(id, package)| {
                    let short = package.strip_prefix(&format!("{CONTROLS_PACKAGE}.")).unwrap_or(package);
                    let value = match &all {
                        Value::Object(_) => &all[short],
                        _ => &Value::Undefined,
                    };
                    (id.clone(), decode_outcome(value))
                })
                .collect();
            drop_in_background((engine, all));
            outcomes
        }
        Err(_) => {
            let outcomes = packages
                .iter()
                .map(|(id, package)| (id.clone(), eval_value(&mut engine, package).and_then(|v| decode_outcome(&v))))
                .collect();
            drop_in_background(engine);
            outcomes
        }
    }
}

/// Frees a large value (the engine with its input and every rule's cached value) on
/// another thread, off the critical path.
fn drop_in_background<T: Send + 'static>(value: T) {
    // If no thread can be started, the closure (and the value) is dropped right here.
    let _ = std::thread::Builder::new().name("jalon-drop".into()).spawn(move || drop(value));
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

fn eval_value(engine: &mut Engine, package: &str) -> Result<Value, String> {
    let results = engine.eval_query(format!("data.{package}"), false).map_err(|e| evaluation_error(&e))?;
    Ok(results.result.first().and_then(|r| r.expressions.first()).map(|e| e.value.clone()).unwrap_or(Value::Undefined))
}

/// A value, shortened for an error message.
fn describe(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| format!("{value:?}"));
    match text.char_indices().nth(200) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text,
    }
}

/// The members of a set (or array) rule; undefined reads as empty.
fn members<'a>(package: &'a Value, rule: &str) -> Result<Vec<&'a Value>, String> {
    match &package[rule] {
        Value::Undefined | Value::Null => Ok(Vec::new()),
        Value::Set(set) => Ok(set.iter().collect()),
        Value::Array(items) => Ok(items.iter().collect()),
        other => Err(format!(
            "the control's `in_scope` / `deny` rules have the wrong shape: `{rule}` must be a set or an array, found {}",
            describe(other)
        )),
    }
}

fn decode_outcome(value: &Value) -> ControlOutcome {
    match value {
        // No rule fired at all: nothing in scope.
        Value::Undefined | Value::Null => return Ok(RawOutcome::default()),
        Value::Object(_) => {}
        other => {
            return Err(format!(
                "the control's `in_scope` / `deny` rules have the wrong shape: the package is {}",
                describe(other)
            ))
        }
    }
    // Built in bulk from sorted lists, not entry by entry: a scope is a set (in order) or
    // an array of ids in snapshot order (sorted by ARN, which the sort checks in one
    // pass), and the deny set is ordered by message, so the (resource, message) pairs are
    // a few sorted runs that a stable sort merges. A control can have tens of
    // thousands of resources in scope.
    let mut in_scope = members(value, "in_scope")?.into_iter().map(resource_id).collect::<Result<Vec<_>, _>>()?;
    let (resource_key, message_key) = (Value::from("resource"), Value::from("message"));
    let mut denied = Vec::new();
    for entry in members(value, "deny")? {
        let resource = match entry {
            Value::Object(_) => match &entry[&resource_key] {
                Value::Undefined => None,
                id => Some(resource_id(id)?),
            },
            _ => None,
        }
        .ok_or_else(|| format!("a `deny` entry has no `resource` field: {}", describe(entry)))?;
        let message = match &entry[&message_key] {
            Value::String(m) => m.clone(),
            _ => Arc::from("fails"),
        };
        denied.push((resource, message));
    }
    denied.sort();
    denied.dedup();
    // A denied resource is in scope, whatever in_scope says.
    in_scope.extend(denied.iter().map(|(resource, _)| resource.clone()));
    in_scope.sort();
    in_scope.dedup();
    let mut deny: Vec<(Arc<str>, Vec<Arc<str>>)> = Vec::new();
    for (resource, message) in denied {
        match deny.last_mut() {
            Some((last, messages)) if *last == resource => messages.push(message),
            _ => deny.push((resource, vec![message])),
        }
    }
    Ok(RawOutcome { in_scope: in_scope.into_iter().collect(), deny: deny.into_iter().collect() })
}

fn resource_id(value: &Value) -> Result<Arc<str>, String> {
    match value {
        Value::String(s) => Ok(s.clone()),
        other => Err(format!("a resource id must be a string, found {}", describe(other))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(json: &str) -> Value {
        Value::from_json_str(json).unwrap()
    }

    #[test]
    fn outcomes_are_read_from_the_engine_values() {
        assert_eq!(decode_outcome(&Value::Undefined), Ok(RawOutcome::default()));
        let out = decode_outcome(&value(
            r#"{"in_scope": ["a", "b"], "deny": [{"resource": "b", "message": "m2"}, {"resource": "b", "message": "m1"},
                {"resource": "c"}], "helper": 3}"#,
        ))
        .unwrap();
        assert_eq!(out.in_scope.iter().map(|s| &**s).collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(out.deny["b"].iter().map(|s| &**s).collect::<Vec<_>>(), ["m1", "m2"]);
        assert_eq!(out.deny["c"].iter().map(|s| &**s).collect::<Vec<_>>(), ["fails"]);
        // Sets (what Rego partial rules produce) read like arrays.
        let mut engine = Engine::new();
        engine
            .add_policy(
                "p.rego".into(),
                "package p\nimport rego.v1\nin_scope contains x if some x in [\"z\", \"y\"]\n".into(),
            )
            .unwrap();
        let set = eval_value(&mut engine, "p").unwrap();
        assert_eq!(decode_outcome(&set).unwrap().in_scope.len(), 2);
    }

    #[test]
    fn sharded_and_single_threaded_evaluations_agree() {
        let policies = PolicySet::embedded().unwrap();
        let snapshot = crate::synthetic::generate(400, 3);
        let as_of = DateTime::parse_from_rfc3339(crate::synthetic::COLLECTED_AT).unwrap().with_timezone(&Utc);
        let text = crate::snapshot::to_json(&snapshot);
        let one = Evaluator::with_threads(&policies, &Config::default(), as_of, 1).unwrap();
        let two = Evaluator::with_threads(&policies, &Config::default(), as_of, 2).unwrap();
        assert_eq!((one.shards.len(), two.shards.len()), (1, 2));
        let input = Input::from_json(&text).unwrap();
        let a = one.evaluate(input.clone());
        let b = two.evaluate(input);
        assert_eq!(a.len(), policies.controls.values().filter(|c| c.reads_account()).count());
        assert_eq!(a, b);
        assert!(a.values().all(|o| o.is_ok()));
        assert!(a.values().filter_map(|o| o.as_ref().ok()).any(|o| !o.deny.is_empty()));
    }

    #[test]
    fn wrong_shapes_are_errors_not_panics() {
        for (json, expected) in [
            (r#"{"in_scope": 3}"#, "`in_scope` must be a set"),
            (r#"{"in_scope": [1]}"#, "a resource id must be a string"),
            (r#"{"deny": [{"message": "m"}]}"#, "has no `resource` field"),
            (r#"{"deny": ["x"]}"#, "has no `resource` field"),
            (r#"{"deny": [{"resource": {"a": 1}}]}"#, "a resource id must be a string"),
            ("true", "the package is true"),
        ] {
            let err = decode_outcome(&value(json)).unwrap_err();
            assert!(err.contains(expected), "{json}: {err}");
        }
    }
}
