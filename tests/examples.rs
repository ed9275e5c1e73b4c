//! The files in examples/ stay in step with the code.

mod common;

use std::collections::BTreeSet;

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
    let called: BTreeSet<&str> = jalon::collect::API_ACTIONS.iter().copied().collect();
    assert_eq!(granted, called);
    // Read-only: no action that writes, and none that returns a secret value.
    for action in &granted {
        let verb = action.split(':').nth(1).unwrap();
        assert!(["Describe", "List", "Get"].iter().any(|p| verb.starts_with(p)), "{action} is not a read-only call");
        assert_ne!(*action, "secretsmanager:GetSecretValue");
    }
}
