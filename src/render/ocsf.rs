//! `--format ocsf`: a JSON list of OCSF 1.6.0 Compliance Finding events (class 2003,
//! category Findings, profile `cloud`), the version AWS Security Hub reads.
//!
//! One event per resource of each control in view, whatever its verdict (a
//! compliance record says what passes too), and one event for a control without
//! resources (UNKNOWN, NEEDS_EVIDENCE, NOT_APPLICABLE, a PENDING attestation): the
//! account is then the subject (`cloud.account`), and no `resources` are listed.
//!
//! The mapping:
//! - `compliance.status_id`: PASS 1 Pass; FAIL and WAIVED 3 Fail (a waiver accepts a
//!   failure, it does not make it pass); NEEDS_EVIDENCE 2 Warning (the check lacked
//!   information: an attestation); UNKNOWN 0 Unknown (the evidence could not be
//!   collected); PENDING and NOT_APPLICABLE 99 Other, with jalon's verdict as
//!   `compliance.status`. `compliance.status_code` is always jalon's verdict;
//! - `status_id` (the finding's own state): WAIVED 3 Suppressed, PASS and
//!   NOT_APPLICABLE 4 Resolved, the others 1 New;
//! - `severity_id` from the control's severity: low 2, medium 3, high 4, critical 5;
//! - `activity_id` 1 Create and `type_uid` 200301: each run states the findings anew;
//! - `finding_info.uid` is stable across runs (the account, the control and a SHA-256
//!   of the control and resource ids); `time` and `finding_info.created_time` are the
//!   as-of instant (milliseconds), so a run gives the same file twice;
//! - `unmapped.jalon` keeps what OCSF has no place for: the phase and whether it is due.
//!
//! Valid against the OCSF 1.6.0 schema: tests/ocsf validates the demo's events with
//! the JSON Schema generated from the official schema export, as the PyPI package
//! `ocsf-json-schema` ships it.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use crate::engine::Severity;
use crate::render::{aws, display_name, remediation_for, View};
use crate::result::{CheckReport, ControlResult, ResourceResult, Verdict};
use crate::snapshot::arn::resource_name;

/// The OCSF schema version of every event.
pub const OCSF_VERSION: &str = "1.6.0";
pub const CLASS_UID: u32 = 2003;
pub const CATEGORY_UID: u32 = 2;
/// Activity 1, Create: `class_uid * 100 + activity_id`.
pub const TYPE_UID: u32 = CLASS_UID * 100 + 1;

/// Streams the events of the controls in view, as a JSON list.
pub fn write(view: &View, out: &mut dyn Write) -> io::Result<()> {
    aws::write_list(out, events(view))
}

/// The events of the controls in view, each built as it is asked for.
pub fn events<'a>(view: &'a View<'a>) -> impl Iterator<Item = Value> + 'a {
    let report = view.report;
    let controls = report.controls.iter().filter(|c| (view.shown)(c));
    controls.flat_map(move |c| {
        // A control without resources is one event, on the account.
        let account = c.resources.is_empty().then(|| event(report, c, None));
        account.into_iter().chain(c.resources.iter().map(move |r| event(report, c, Some(r))))
    })
}

fn event(report: &CheckReport, c: &ControlResult, resource: Option<&ResourceResult>) -> Value {
    let verdict = resource.map_or(c.verdict, |r| c.shown_verdict(r));
    let account = &report.snapshot.account_id;
    let time = millis(&report.as_of);
    let (compliance_status_id, compliance_status) = compliance_status(verdict);
    let (status_id, status) = finding_status(verdict);
    let (severity_id, severity) = severity(c.severity);
    let resource_id = resource.map_or("", |r| &*r.id);
    let (message, fix) = match resource {
        Some(r) => {
            let said = if r.message.is_empty() { verdict.as_str().to_string() } else { r.message.clone() };
            (format!("{}: {said}", display_name(report, &r.id)), remediation_for(c, r))
        }
        None => (c.summary(), c.remediation.clone()),
    };
    let region = resource
        .and_then(|r| aws::region_of(&r.id))
        .or_else(|| report.snapshot.regions.first().map(String::as_str))
        .unwrap_or_default();

    let mut compliance = Map::new();
    compliance.insert("control".into(), c.id.clone().into());
    compliance.insert("desc".into(), if c.description.is_empty() { &c.title } else { &c.description }.clone().into());
    compliance.insert("standards".into(), json!(["jalon"]));
    if !c.gdpr.is_empty() {
        let articles: Vec<String> = c.gdpr.iter().map(|a| format!("GDPR Art. {a}")).collect();
        compliance.insert("requirements".into(), articles.into());
    }
    compliance.insert("status_id".into(), compliance_status_id.into());
    compliance.insert("status".into(), compliance_status.into());
    compliance.insert("status_code".into(), verdict.as_str().into());

    let mut finding_info = Map::new();
    finding_info.insert(
        "uid".into(),
        format!("jalon:{account}:{}:{}", c.id, crate::render::finding_digest(&c.id, resource_id)).into(),
    );
    finding_info.insert("title".into(), format!("{} {}", c.id, c.title).into());
    finding_info.insert("desc".into(), message.clone().into());
    finding_info.insert("created_time".into(), time.into());
    finding_info.insert("types".into(), json!(["Compliance", format!("jalon/{}", c.phase_id)]));

    let mut event = Map::new();
    event.insert("activity_id".into(), 1.into());
    event.insert("activity_name".into(), "Create".into());
    event.insert("category_uid".into(), CATEGORY_UID.into());
    event.insert("category_name".into(), "Findings".into());
    event.insert("class_uid".into(), CLASS_UID.into());
    event.insert("class_name".into(), "Compliance Finding".into());
    event.insert("type_uid".into(), TYPE_UID.into());
    event.insert("type_name".into(), "Compliance Finding: Create".into());
    event.insert("severity_id".into(), severity_id.into());
    event.insert("severity".into(), severity.into());
    event.insert("status_id".into(), status_id.into());
    event.insert("status".into(), status.into());
    event.insert("status_code".into(), verdict.as_str().into());
    event.insert("time".into(), time.into());
    event.insert("message".into(), message.into());
    event.insert("metadata".into(), metadata(report));
    event.insert("cloud".into(), cloud(account, region, resource_id));
    event.insert("compliance".into(), Value::Object(compliance));
    event.insert("finding_info".into(), Value::Object(finding_info));
    if let Some(r) = resource {
        event.insert("resources".into(), json!([resource_details(r)]));
    }
    let references: Vec<&String> = c.related_resources.iter().filter(|u| crate::render::is_web_link(u)).collect();
    let mut remediation = json!({ "desc": fix });
    if !references.is_empty() {
        remediation["references"] = json!(references);
    }
    event.insert("remediation".into(), remediation);
    event.insert("unmapped".into(), json!({ "jalon": { "phase": c.phase_id, "due": c.due, "verdict": verdict } }));
    Value::Object(event)
}

fn metadata(report: &CheckReport) -> Value {
    json!({
        "version": OCSF_VERSION,
        "product": {
            "name": report.tool.name,
            "vendor_name": "jalon",
            "version": report.tool.version,
        },
        "profiles": ["cloud"],
    })
}

fn cloud(account: &str, region: &str, resource: &str) -> Value {
    let mut cloud = json!({
        "provider": "AWS",
        "account": { "uid": account, "type": "AWS Account", "type_id": 10 },
    });
    if let Some(partition) = aws::partition_of(resource) {
        cloud["cloud_partition"] = partition.into();
    }
    if !region.is_empty() {
        cloud["region"] = region.into();
    }
    cloud
}

fn resource_details(r: &ResourceResult) -> Value {
    let mut details = json!({
        "uid": &*r.id,
        "name": resource_name(&r.id),
        "type": aws::resource_kind(&r.id).cloudformation,
    });
    if let Some(region) = aws::region_of(&r.id) {
        details["region"] = region.into();
    }
    if let Some(partition) = aws::partition_of(&r.id) {
        details["cloud_partition"] = partition.into();
    }
    details
}

/// `compliance.status_id` and its caption.
fn compliance_status(verdict: Verdict) -> (u8, &'static str) {
    match verdict {
        Verdict::Pass => (1, "Pass"),
        Verdict::NeedsEvidence => (2, "Warning"),
        Verdict::Fail | Verdict::Waived => (3, "Fail"),
        Verdict::Unknown => (0, "Unknown"),
        Verdict::Pending => (99, "Pending"),
        Verdict::NotApplicable => (99, "Not Applicable"),
    }
}

/// The finding's `status_id` and its caption.
fn finding_status(verdict: Verdict) -> (u8, &'static str) {
    match verdict {
        Verdict::Waived => (3, "Suppressed"),
        Verdict::Pass | Verdict::NotApplicable => (4, "Resolved"),
        Verdict::Fail | Verdict::Unknown | Verdict::NeedsEvidence | Verdict::Pending => (1, "New"),
    }
}

fn severity(severity: Severity) -> (u8, &'static str) {
    match severity {
        Severity::Low => (2, "Low"),
        Severity::Medium => (3, "Medium"),
        Severity::High => (4, "High"),
        Severity::Critical => (5, "Critical"),
    }
}

/// Milliseconds since the epoch of an RFC 3339 instant (OCSF's `timestamp_t`); 0
/// when the text is not one (a result always holds one).
fn millis(instant: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(instant).map(|t| t.timestamp_millis()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{to_string, Format};
    use crate::result::fixtures::sample_report;

    fn events() -> Vec<Value> {
        serde_json::from_str(&to_string(Format::Ocsf, &sample_report(), &|_| true)).expect("a JSON list")
    }

    #[test]
    fn one_event_per_resource_and_per_control_without_resources() {
        let events = events();
        let summary: Vec<(&str, &str, u64, u64)> = events
            .iter()
            .map(|e| {
                (
                    e["compliance"]["control"].as_str().unwrap(),
                    e["compliance"]["status_code"].as_str().unwrap(),
                    e["compliance"]["status_id"].as_u64().unwrap(),
                    e["status_id"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("LOG-001", "FAIL", 3, 1),
                ("LOG-001", "PASS", 1, 4),
                ("ALM-001", "UNKNOWN", 0, 1),
                ("OPS-003", "NEEDS_EVIDENCE", 2, 1),
                ("ALM-005", "PENDING", 99, 1),
                ("ALM-005", "PASS", 1, 4),
                ("DB-006", "WAIVED", 3, 3),
                ("TRC-002", "PASS", 1, 4),
                ("SEC-001", "NOT_APPLICABLE", 99, 4),
            ]
        );
        for e in &events {
            assert_eq!((e["class_uid"].as_u64(), e["category_uid"].as_u64()), (Some(2003), Some(2)));
            assert_eq!(e["type_uid"], 200301);
            assert_eq!(e["metadata"]["version"], OCSF_VERSION);
            assert_eq!(e["cloud"]["provider"], "AWS");
            assert_eq!(e["cloud"]["account"]["uid"], "123456789012");
            assert_eq!(e["time"], 1_795_311_917_000_i64);
        }
        let failing = &events[0];
        assert_eq!(failing["severity_id"], 4);
        assert_eq!(failing["resources"][0]["type"], "AWS::Logs::LogGroup");
        assert_eq!(failing["resources"][0]["region"], "eu-west-3");
        assert!(failing["remediation"]["desc"].as_str().unwrap().contains("--log-group-name '/x/<script>"));
        assert_eq!(failing["remediation"]["references"], json!(["https://docs.aws.amazon.com/x.html"]));
        assert!(events[2].get("resources").is_none(), "the account is the subject");
    }

    #[test]
    fn finding_uids_are_stable_and_distinct() {
        let (first, second) = (events(), events());
        let uids: Vec<&Value> = first.iter().map(|e| &e["finding_info"]["uid"]).collect();
        assert_eq!(uids, second.iter().map(|e| &e["finding_info"]["uid"]).collect::<Vec<_>>());
        let distinct: std::collections::BTreeSet<&str> = uids.iter().map(|u| u.as_str().unwrap()).collect();
        assert_eq!(distinct.len(), uids.len());
    }
}
