//! Snapshot directories for the multi-account tests: the demo snapshot rewritten for
//! each account id, and an index with the snapshots' real SHA-256, as
//! `jalon collect --accounts` writes them (docs/accounts.md).

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

/// The demo snapshot's account id, rewritten in every ARN.
pub const DEMO_ACCOUNT: &str = "123456789012";

/// One account of a generated directory.
#[derive(Clone)]
pub struct Account<'a> {
    pub id: &'a str,
    pub name: Option<&'a str>,
    /// `complete`, `incomplete` or `failed` (failed: the role could not be assumed).
    pub status: &'a str,
}

impl<'a> Account<'a> {
    pub fn new(id: &'a str, name: Option<&'a str>, status: &'a str) -> Account<'a> {
        Account { id, name, status }
    }
}

/// The demo snapshot as account `id` saw it; a failed account has no resources and
/// every collector denied, `sts` on AssumeRole.
pub fn snapshot_text(id: &str, failed: bool) -> String {
    let demo = std::fs::read_to_string(super::repo().join(super::DEMO_SNAPSHOT)).expect("the demo snapshot");
    let text = demo.replace(DEMO_ACCOUNT, id);
    if !failed {
        return text;
    }
    let mut snapshot: Value = serde_json::from_str(&text).expect("the demo is JSON");
    let object = snapshot.as_object_mut().expect("an object");
    for (key, section) in object.iter_mut() {
        if matches!(
            key.as_str(),
            "schema_version" | "tool" | "account" | "regions" | "collected_at" | "collectors" | "cost"
        ) {
            continue;
        }
        if let Some(section) = section.as_object_mut() {
            for value in section.values_mut() {
                *value = if value.is_array() { json!([]) } else { Value::Null };
            }
        }
    }
    let role = format!("arn:aws:iam::{id}:role/jalon-audit");
    for collector in object["collectors"].as_array_mut().expect("collectors") {
        collector["status"] = "access_denied".into();
        collector["operation"] = "sts:AssumeRole".into();
        collector["message"] = format!("access denied: not authorized to perform sts:AssumeRole on {role}").into();
    }
    object["account"]["caller_arn"] = "".into();
    object["cost"] = json!({ "seconds": 0.1, "api_calls": { "sts:AssumeRole": 1 }, "retries": 0, "throttles": 0 });
    serde_json::to_string_pretty(&snapshot).expect("JSON") + "\n"
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Writes `DIR/<id>.json` for each account and `DIR/index.json`; returns DIR.
pub fn write_directory(dir: &Path, accounts: &[Account]) -> PathBuf {
    std::fs::create_dir_all(dir).expect("the directory");
    let mut entries = Vec::new();
    let mut sorted = accounts.to_vec();
    sorted.sort_by_key(|a| a.id);
    for a in &sorted {
        let text = snapshot_text(a.id, a.status == "failed");
        let file = format!("{}.json", a.id);
        std::fs::write(dir.join(&file), &text).expect("write a snapshot");
        let message = match a.status {
            "failed" => json!(format!("sts:AssumeRole: access denied on arn:aws:iam::{}:role/jalon-audit", a.id)),
            "incomplete" => json!("rds in eu-west-3: access denied"),
            _ => Value::Null,
        };
        entries.push(json!({
            "id": a.id,
            "name": a.name,
            "regions": ["eu-west-3"],
            "status": a.status,
            "message": message,
            "snapshot": file,
            "sha256": sha256(text.as_bytes()),
            "cost": { "seconds": 1.0, "api_calls": { "lambda": 1 }, "retries": 0, "throttles": 0 },
        }));
    }
    let index = json!({
        "index_version": 1,
        "tool": { "name": "jalon", "version": "0.1.0" },
        "collected_at": "2026-11-22T01:45:00Z",
        "source": "accounts-file",
        "role_name": "jalon-audit",
        "accounts": entries,
        "cost": { "seconds": 3.0, "api_calls": { "lambda": 3 }, "retries": 0, "throttles": 0 },
    });
    std::fs::write(dir.join("index.json"), serde_json::to_string_pretty(&index).expect("JSON") + "\n")
        .expect("write the index");
    dir.to_path_buf()
}
