//! Snapshot diff: per section (`logs.log_groups`, `rds.instances`, ...), the
//! resources added and removed, and the configuration values that changed per
//! resource. Resources are matched by ARN (or their list's natural key: a mapping's
//! UUID, a subscription's topic, protocol and endpoint, a parameter group's region
//! and name); the comparison is a generic JSON field diff, so a new snapshot field
//! is compared without code here.
//!
//! `collected_at` and `cost` are not compared, nor, unless asked, the fields that
//! change without anyone changing the configuration ([`VOLATILE_FIELDS`]).

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::snapshot::arn;
use crate::snapshot::{CollectionStatus, CollectorStatus, LoadedSnapshot, Snapshot};

/// Fields whose value moves on its own (metrics, alarm states, rotation timestamps):
/// `section.list.field`, or a whole section (the metric data: what production did,
/// new every night, not the account's configuration).
pub const VOLATILE_FIELDS: &[&str] = &[
    "metrics",
    "logs.log_groups.stored_bytes",
    "cloudwatch.metric_alarms.state_value",
    "cloudwatch.metric_alarms.state_updated_at",
    "cloudwatch.composite_alarms.state_value",
    "cloudwatch.composite_alarms.state_updated_at",
    "secretsmanager.secrets.last_rotated_at",
    "secretsmanager.secrets.next_rotation_at",
    "secretsmanager.secrets.last_changed_at",
];

/// Top-level snapshot fields that are not sections of resources.
const HEADER_FIELDS: &[&str] = &["schema_version", "tool", "account", "regions", "collected_at", "collectors", "cost"];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotDiff {
    pub before: SnapshotSide,
    pub after: SnapshotSide,
    /// Fields not compared (see `--all-fields`).
    pub ignored_fields: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<FieldChange>,
    pub regions_added: Vec<String>,
    pub regions_removed: Vec<String>,
    /// Collectors whose status changed (a permission lost shows here first).
    pub collectors: Vec<CollectorChange>,
    /// Sections with at least one change, in snapshot order.
    pub sections: Vec<SectionDiff>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotSide {
    pub file: String,
    pub sha256: String,
    pub collected_at: String,
    pub account_id: String,
    pub regions: Vec<String>,
    pub tool_version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CollectorChange {
    pub service: String,
    pub region: String,
    /// `ok`, `access_denied (DescribeDBInstances)`, ...; None: not collected.
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionDiff {
    /// `logs.log_groups`.
    pub section: String,
    pub added: Vec<ResourceKey>,
    pub removed: Vec<ResourceKey>,
    pub changed: Vec<ResourceChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceKey {
    /// The ARN, or the list's natural key.
    pub key: String,
    /// What the text output shows: the name in a one-region comparison, else the key.
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResourceChange {
    pub key: String,
    pub label: String,
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// Inside the resource: `retention_days`, `tags.data-class`, `metrics[rate].expression`.
    pub path: String,
    /// Absent from the JSON: the field or element is absent on that side (a JSON
    /// null is the value null).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct DiffOptions {
    /// Compare [`VOLATILE_FIELDS`] too.
    pub all_fields: bool,
}

impl SnapshotDiff {
    pub fn is_empty(&self) -> bool {
        self.account.is_none()
            && self.regions_added.is_empty()
            && self.regions_removed.is_empty()
            && self.collectors.is_empty()
            && self.sections.is_empty()
    }
}

/// Compares two snapshots; `files` name them in the output.
pub fn diff(
    before: &LoadedSnapshot,
    after: &LoadedSnapshot,
    files: (&str, &str),
    options: DiffOptions,
) -> SnapshotDiff {
    let (old, new) = (normalized(&before.snapshot), normalized(&after.snapshot));
    let one_region = {
        let mut regions: Vec<&String> = old.regions.iter().chain(&new.regions).collect();
        regions.sort();
        regions.dedup();
        regions.len() <= 1
    };
    let ignored: Vec<String> =
        if options.all_fields { Vec::new() } else { VOLATILE_FIELDS.iter().map(|f| f.to_string()).collect() };
    let (old_value, new_value) = (to_value(&old), to_value(&new));
    let mut sections = Vec::new();
    for (name, old_section, new_section) in sections_of(&old_value, &new_value) {
        if ignored.contains(&name) {
            continue;
        }
        for (list, old_items, new_items) in sections_of(old_section, new_section) {
            let section = format!("{name}.{list}");
            let ignore: Vec<&str> = ignored.iter().filter_map(|f| f.strip_prefix(&format!("{section}."))).collect();
            let diff = diff_list(&section, old_items, new_items, &ignore, one_region);
            if !(diff.added.is_empty() && diff.removed.is_empty() && diff.changed.is_empty()) {
                sections.push(diff);
            }
        }
    }
    let regions_added = new.regions.iter().filter(|r| !old.regions.contains(r)).cloned().collect();
    let regions_removed = old.regions.iter().filter(|r| !new.regions.contains(r)).cloned().collect();
    let account = (old.account.id != new.account.id).then(|| FieldChange {
        path: "account.id".into(),
        before: Some(Value::String(old.account.id.clone())),
        after: Some(Value::String(new.account.id.clone())),
    });
    SnapshotDiff {
        before: side(files.0, before, &old),
        after: side(files.1, after, &new),
        ignored_fields: ignored,
        account,
        regions_added,
        regions_removed,
        collectors: collector_changes(&old.collectors, &new.collectors),
        sections,
    }
}

fn normalized(snapshot: &Snapshot) -> Snapshot {
    let mut s = snapshot.clone();
    s.normalize();
    s
}

fn to_value(snapshot: &Snapshot) -> Value {
    serde_json::to_value(snapshot).expect("a snapshot always serialises")
}

fn side(file: &str, loaded: &LoadedSnapshot, s: &Snapshot) -> SnapshotSide {
    SnapshotSide {
        file: file.to_string(),
        sha256: loaded.sha256.clone(),
        collected_at: s.collected_at.clone(),
        account_id: s.account.id.clone(),
        regions: s.regions.clone(),
        tool_version: s.tool.version.clone(),
    }
}

static EMPTY: Value = Value::Null;

/// The object members of both values that are sections (or lists), in order: the
/// old value's order, then members only the new one has.
fn sections_of<'a>(old: &'a Value, new: &'a Value) -> Vec<(String, &'a Value, &'a Value)> {
    let mut names: Vec<&String> = Vec::new();
    for v in [old, new] {
        if let Value::Object(map) = v {
            names.extend(map.keys().filter(|k| !HEADER_FIELDS.contains(&k.as_str())));
        }
    }
    let mut seen = Vec::new();
    names
        .into_iter()
        .filter(|n| {
            let fresh = !seen.contains(n);
            seen.push(*n);
            fresh
        })
        .map(|n| (n.clone(), old.get(n).unwrap_or(&EMPTY), new.get(n).unwrap_or(&EMPTY)))
        .collect()
}

fn text(item: &Value, field: &str) -> Option<String> {
    item.get(field).and_then(Value::as_str).map(str::to_string)
}

/// The key and the label of a resource in a section.
fn key_of(section: &str, item: &Value, one_region: bool) -> (String, String) {
    let field = |f: &str| text(item, f).unwrap_or_default();
    let regional = |name: String| {
        if one_region {
            name
        } else {
            format!("{}/{name}", field("region"))
        }
    };
    match section {
        "lambda.event_source_mappings" => (field("uuid"), field("uuid")),
        "xray.encryption_configs" => (field("region"), field("region")),
        "rds.parameter_groups" => {
            let kind = if item.get("cluster").and_then(Value::as_bool) == Some(true) { "cluster:" } else { "" };
            let key = format!("{}/{kind}{}", field("region"), field("name"));
            (key, regional(format!("{kind}{}", field("name"))))
        }
        "sns.subscriptions" => {
            let topic = field("topic_arn");
            let key = format!("{topic} {} {}", field("protocol"), field("endpoint"));
            let topic_label = arn::label(&topic, one_region).to_string();
            (key, format!("{topic_label} {} {}", field("protocol"), field("endpoint")))
        }
        _ => match text(item, "arn") {
            Some(arn) => {
                let label = arn::label(&arn, one_region).to_string();
                (arn, label)
            }
            None => {
                let name = text(item, "name").or_else(|| text(item, "id")).unwrap_or_default();
                (name.clone(), name)
            }
        },
    }
}

fn keyed<'a>(section: &str, items: &'a Value, one_region: bool) -> BTreeMap<String, (String, &'a Value)> {
    let mut map = BTreeMap::new();
    for item in items.as_array().map(Vec::as_slice).unwrap_or_default() {
        let (mut key, mut label) = key_of(section, item, one_region);
        // Keys are unique in a well-formed snapshot; keep both items if not.
        let base = (key.clone(), label.clone());
        let mut n = 1;
        while map.contains_key(&key) {
            n += 1;
            key = format!("{}#{n}", base.0);
            label = format!("{}#{n}", base.1);
        }
        map.insert(key, (label, item));
    }
    map
}

fn diff_list(section: &str, old: &Value, new: &Value, ignore: &[&str], one_region: bool) -> SectionDiff {
    let (old, new) = (keyed(section, old, one_region), keyed(section, new, one_region));
    let mut out = SectionDiff { section: section.to_string(), added: vec![], removed: vec![], changed: vec![] };
    for (key, (label, item)) in &old {
        match new.get(key) {
            None => out.removed.push(ResourceKey { key: key.clone(), label: label.clone() }),
            Some((label, new_item)) => {
                let mut fields = Vec::new();
                diff_value("", item, new_item, ignore, &mut fields);
                if !fields.is_empty() {
                    out.changed.push(ResourceChange { key: key.clone(), label: label.clone(), fields });
                }
            }
        }
    }
    for (key, (label, _)) in &new {
        if !old.contains_key(key) {
            out.added.push(ResourceKey { key: key.clone(), label: label.clone() });
        }
    }
    out
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

/// Fields that identify an element of a nested list, in order of preference.
const ELEMENT_KEYS: &[&str] = &["arn", "function_arn", "sid", "id", "uuid", "name"];

/// The field keying both lists' elements: every element is an object with that
/// field as a distinct string.
fn element_key(old: &[Value], new: &[Value]) -> Option<&'static str> {
    ELEMENT_KEYS.iter().copied().find(|k| {
        [old, new].iter().all(|items| {
            let mut seen = Vec::new();
            items.iter().all(|item| match item.get(*k).and_then(Value::as_str) {
                Some(v) if !seen.contains(&v) => {
                    seen.push(v);
                    true
                }
                _ => false,
            })
        })
    })
}

fn diff_value(path: &str, old: &Value, new: &Value, ignore: &[&str], out: &mut Vec<FieldChange>) {
    match (old, new) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                if path.is_empty() && ignore.contains(&k.as_str()) {
                    continue;
                }
                match b.get(k) {
                    Some(vb) => diff_value(&join(path, k), va, vb, &[], out),
                    None => out.push(FieldChange { path: join(path, k), before: Some(va.clone()), after: None }),
                }
            }
            for (k, vb) in b {
                let ignored = path.is_empty() && ignore.contains(&k.as_str());
                if !a.contains_key(k) && !ignored {
                    out.push(FieldChange { path: join(path, k), before: None, after: Some(vb.clone()) });
                }
            }
        }
        (Value::Array(a), Value::Array(b))
            if a != b && !a.is_empty() && !b.is_empty() && is_objects(a) && is_objects(b) =>
        {
            if let Some(k) = element_key(a, b) {
                let label = |v: &Value| {
                    let id = v.get(k).and_then(Value::as_str).unwrap_or_default();
                    if k.ends_with("arn") {
                        arn::resource_name(id).to_string()
                    } else {
                        id.to_string()
                    }
                };
                let find = |items: &'_ [Value], id: &str| {
                    items.iter().find(|v| v.get(k).and_then(Value::as_str) == Some(id)).cloned()
                };
                for va in a {
                    let id = va.get(k).and_then(Value::as_str).unwrap_or_default();
                    let here = format!("{path}[{}]", label(va));
                    match find(b, id) {
                        Some(vb) => diff_value(&here, va, &vb, &[], out),
                        None => out.push(FieldChange { path: here, before: Some(va.clone()), after: None }),
                    }
                }
                for vb in b {
                    let id = vb.get(k).and_then(Value::as_str).unwrap_or_default();
                    if find(a, id).is_none() {
                        out.push(FieldChange {
                            path: format!("{path}[{}]", label(vb)),
                            before: None,
                            after: Some(vb.clone()),
                        });
                    }
                }
            } else if a.len() == b.len() {
                for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                    diff_value(&format!("{path}[{i}]"), va, vb, &[], out);
                }
            } else {
                out.push(FieldChange { path: path.to_string(), before: Some(old.clone()), after: Some(new.clone()) });
            }
        }
        _ if old != new => {
            out.push(FieldChange { path: path.to_string(), before: Some(old.clone()), after: Some(new.clone()) })
        }
        _ => {}
    }
}

fn is_objects(items: &[Value]) -> bool {
    items.iter().all(Value::is_object)
}

fn collector_changes(old: &[CollectorStatus], new: &[CollectorStatus]) -> Vec<CollectorChange> {
    let describe = |c: &CollectorStatus| {
        let status = match c.status {
            CollectionStatus::Ok => "ok",
            CollectionStatus::AccessDenied => "access_denied",
            CollectionStatus::Throttled => "throttled",
            CollectionStatus::Error => "error",
        };
        match &c.operation {
            Some(op) if c.status != CollectionStatus::Ok => format!("{status} ({op})"),
            _ => status.to_string(),
        }
    };
    let index = |list: &[CollectorStatus]| -> BTreeMap<(String, String), String> {
        list.iter().map(|c| ((c.service.to_string(), c.region.clone()), describe(c))).collect()
    };
    let (a, b) = (index(old), index(new));
    let mut keys: Vec<&(String, String)> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| CollectorChange {
            service: k.0.clone(),
            region: k.1.clone(),
            before: a.get(k).cloned(),
            after: b.get(k).cloned(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_lists_are_matched_by_their_key() {
        let old = json!({"arn": "x", "aliases": [{"arn": "arn:aws:lambda:r:1:function:f:live", "function_version": "3"}], "names": ["A", "B"]});
        let new = json!({"arn": "x", "aliases": [{"arn": "arn:aws:lambda:r:1:function:f:live", "function_version": "4"}], "names": ["A", "C"]});
        let mut out = Vec::new();
        diff_value("", &old, &new, &[], &mut out);
        let paths: Vec<&str> = out.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["aliases[f:live].function_version", "names"]);
    }
}
