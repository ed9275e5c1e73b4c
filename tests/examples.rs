//! The files in examples/ stay in step with the code.

mod common;

use std::collections::BTreeSet;

use jalon::collect::registry;
use jalon::engine::PolicySet;

#[test]
fn the_iam_policy_grants_exactly_the_calls_the_collectors_make() {
    let policy = common::read_json(&common::repo().join("examples/iam-policy.json"));
    let granted: BTreeSet<&str> = policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap())
        .map(|a| a.as_str().unwrap())
        .collect();
    let called: BTreeSet<&str> = registry::actions().collect();
    assert_eq!(granted, called);
}

/// The registry, the policies' METADATA and the snapshot say the same of the
/// collectors: every evidence name is a collector, every collector but the caller's
/// identity is some control's evidence (nothing is collected that no control reads),
/// and every section a collector fills is a section of the snapshot.
#[test]
fn the_registry_the_metadata_and_the_snapshot_name_the_same_collectors() {
    let policies = PolicySet::embedded().unwrap();
    let evidence: BTreeSet<&str> =
        policies.controls.values().flat_map(|c| c.evidence.iter().map(|s| s.as_str())).collect();
    let names: BTreeSet<&str> = registry::names().collect();
    assert!(evidence.is_subset(&names), "unknown in METADATA: {:?}", evidence.difference(&names).collect::<Vec<_>>());
    // The caller's identity and the account's regions say how a collection went, not
    // what the account holds.
    let unread: Vec<&&str> = names.difference(&evidence).filter(|n| !["sts", "account"].contains(*n)).collect();
    assert!(unread.is_empty(), "collected, but no control names it as evidence: {unread:?}");
    let empty = serde_json::to_value(jalon::snapshot::Snapshot::default()).unwrap();
    for c in registry::COLLECTORS {
        if let Some(section) = c.section {
            assert!(empty.get(section).is_some(), "{}: no snapshot section `{section}`", c.name);
        }
    }
}
