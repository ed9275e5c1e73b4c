//! `--format asff`: the AWS Security Finding Format (ASFF, `SchemaVersion`
//! 2018-10-08), the list `aws securityhub batch-import-findings --findings
//! file://jalon.asff.json` takes (the file is the JSON list itself, not
//! `{"Findings": [...]}`).
//!
//! What is a finding, for the due controls in view (a control not due yet has none:
//! an alert today would be noise, as in SARIF):
//! - each FAIL resource: `Compliance.Status` FAILED, `Workflow.Status` NEW;
//! - each WAIVED resource: FAILED and SUPPRESSED (the waiver is the reason);
//! - each PASS resource: PASSED and RESOLVED, so that the finding of a resource
//!   fixed since the last import is closed by this one (Security Hub keeps a finding
//!   active until its provider says otherwise);
//! - an UNKNOWN control: one finding on the account (`AwsAccount`,
//!   `AWS::::Account:ID`), NOT_AVAILABLE (the evidence could not be collected); a
//!   NEEDS_EVIDENCE control the same, WARNING (an attestation is missing);
//! - every other due control: that account finding with `RecordState` ARCHIVED, so
//!   that a review opened by an earlier UNKNOWN run closes once the control is judged.
//!
//! `Id` is stable across runs (the account, the control and a SHA-256 of the control
//! and resource ids), so a nightly import updates the same findings. `ProductArn` is
//! the account's default product in the resource's region (a global resource: the
//! snapshot's first region): Security Hub imports a finding in the region its
//! `ProductArn` names, so a multi-region file is imported region by region (README).
//! Security Hub takes at most 100 findings a call; the file holds them all, and the
//! README shows the `jq` that cuts it in batches.
//!
//! Lengths are Security Hub's (its API model documents them): `Title` 256,
//! `Description` 1024, `Remediation.Recommendation.Text` 512. Security Hub counts
//! UTF-16 code units (Java strings); a longer text is cut on a character boundary and
//! ends with `…`.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use crate::engine::Severity;
use crate::render::{aws, remediation_for, View};
use crate::result::{CheckReport, ControlResult, ResourceResult, Verdict};
use crate::snapshot::arn::resource_name;

pub const SCHEMA_VERSION: &str = "2018-10-08";
/// `BatchImportFindings` takes at most this many findings a call.
pub const MAX_BATCH: usize = 100;
pub const TITLE_MAX: usize = 256;
pub const DESCRIPTION_MAX: usize = 1024;
pub const RECOMMENDATION_MAX: usize = 512;

/// The partitions `Resources[].Partition` accepts (the API model's enum, AWS's).
const PARTITIONS: [&str; 5] = ["aws", "aws-cn", "aws-us-gov", "aws-us-iso", "aws-us-iso-b"];

/// Streams the findings of the due controls in view, as a JSON list.
pub fn write(view: &View, out: &mut dyn Write) -> io::Result<()> {
    aws::write_list(out, findings(view))
}

/// The findings of the due controls in view, each built as it is asked for.
pub fn findings<'a>(view: &'a View<'a>) -> impl Iterator<Item = Value> + 'a {
    let report = view.report;
    let controls = report.controls.iter().filter(|c| (view.shown)(c) && c.due);
    controls.flat_map(move |c| {
        let resources = c.resources.iter().filter_map(move |r| resource_finding(report, c, r));
        std::iter::once(review(report, c)).chain(resources)
    })
}

/// What a finding says of its resource: compliance status, workflow status, severity.
struct Status {
    compliance: &'static str,
    workflow: &'static str,
    label: &'static str,
}

fn resource_finding(report: &CheckReport, c: &ControlResult, r: &ResourceResult) -> Option<Value> {
    let status = match r.verdict {
        Verdict::Fail => Status { compliance: "FAILED", workflow: "NEW", label: label(c.severity) },
        Verdict::Waived => Status { compliance: "FAILED", workflow: "SUPPRESSED", label: label(c.severity) },
        Verdict::Pass => Status { compliance: "PASSED", workflow: "RESOLVED", label: "INFORMATIONAL" },
        // A resource is FAIL, WAIVED or PASS; anything else is not a finding.
        _ => return None,
    };
    let region = finding_region(report, Some(&r.id));
    let message = if r.message.trim().is_empty() { c.summary() } else { r.message.clone() };
    let description = format!("{}: {message}", resource_name(&r.id));
    let mut resource = Map::new();
    resource.insert("Type".into(), aws::resource_kind(&r.id).asff.into());
    resource.insert("Id".into(), non_blank(&r.id, "(unnamed)").into());
    if let Some(partition) = aws::partition_of(&r.id).filter(|p| PARTITIONS.contains(p)) {
        resource.insert("Partition".into(), partition.into());
    }
    if let Some(resource_region) = aws::region_of(&r.id).filter(|r| is_region(r)) {
        resource.insert("Region".into(), resource_region.into());
    }
    let mut finding = base(report, c, (&r.id, r.verdict), region, &description, &status);
    finding.insert("Remediation".into(), remediation(c, &remediation_for(c, r)));
    finding.insert("Resources".into(), json!([resource]));
    finding.insert("RecordState".into(), "ACTIVE".into());
    Some(Value::Object(finding))
}

/// The control's finding on the account: open while the control could not be judged
/// (UNKNOWN, NEEDS_EVIDENCE), archived once it is.
fn review(report: &CheckReport, c: &ControlResult) -> Value {
    let region = finding_region(report, None);
    let why = c.note.clone().unwrap_or_else(|| c.summary());
    let (status, description, state) = match c.verdict {
        Verdict::Unknown => (
            Some(Status { compliance: "NOT_AVAILABLE", workflow: "NEW", label: label(c.severity) }),
            format!("Could not be judged: {why}"),
            "ACTIVE",
        ),
        Verdict::NeedsEvidence => (
            Some(Status { compliance: "WARNING", workflow: "NEW", label: label(c.severity) }),
            format!("Needs an attestation: {why}"),
            "ACTIVE",
        ),
        other => (None, format!("Judged {other}: {}", c.summary()), "ARCHIVED"),
    };
    let status = status.unwrap_or(Status { compliance: "", workflow: "", label: "INFORMATIONAL" });
    let mut finding = base(report, c, ("", c.verdict), region, &description, &status);
    finding.insert("Remediation".into(), remediation(c, &c.remediation));
    let account = &report.snapshot.account_id;
    finding.insert("Resources".into(), json!([{ "Type": "AwsAccount", "Id": format!("AWS::::Account:{account}") }]));
    finding.insert("RecordState".into(), state.into());
    Value::Object(finding)
}

/// The fields every finding has. `subject`: the resource id and its verdict, or "" and
/// the control's verdict for the control's account finding.
fn base(
    report: &CheckReport,
    c: &ControlResult,
    (resource, verdict): (&str, Verdict),
    region: &str,
    description: &str,
    status: &Status,
) -> Map<String, Value> {
    let account = &report.snapshot.account_id;
    let when = timestamp(&report.as_of);
    let kind = if resource.is_empty() { "account" } else { "resource" };
    let mut finding = Map::new();
    finding.insert("SchemaVersion".into(), SCHEMA_VERSION.into());
    finding.insert(
        "Id".into(),
        format!("jalon/{account}/{}/{kind}/{}", c.id, crate::render::finding_digest(&c.id, resource)).into(),
    );
    finding.insert(
        "ProductArn".into(),
        format!("arn:aws:securityhub:{region}:{account}:product/{account}/default").into(),
    );
    finding.insert("ProductName".into(), "jalon".into());
    finding.insert("CompanyName".into(), "jalon".into());
    finding.insert("GeneratorId".into(), format!("jalon/{}", c.id).into());
    finding.insert("AwsAccountId".into(), account.clone().into());
    let mut types = vec!["Software and Configuration Checks/AWS Security Best Practices/jalon"];
    if !c.gdpr.is_empty() {
        types.push("Software and Configuration Checks/Industry and Regulatory Standards/GDPR");
    }
    finding.insert("Types".into(), json!(types));
    finding.insert("CreatedAt".into(), when.clone().into());
    finding.insert("UpdatedAt".into(), when.into());
    finding.insert("LastObservedAt".into(), timestamp(&report.snapshot.collected_at).into());
    finding.insert("Severity".into(), json!({ "Label": status.label, "Original": c.severity.as_str() }));
    finding.insert("Title".into(), cut(&format!("{} {}", c.id, c.title), TITLE_MAX).into());
    finding.insert("Description".into(), cut(non_blank(description, &c.title), DESCRIPTION_MAX).into());
    let mut compliance = Map::new();
    if !status.compliance.is_empty() {
        compliance.insert("Status".into(), status.compliance.into());
    }
    compliance.insert("SecurityControlId".into(), c.id.clone().into());
    if !c.gdpr.is_empty() {
        let articles: Vec<String> = c.gdpr.iter().take(32).map(|a| format!("GDPR Art. {a}")).collect();
        compliance.insert("RelatedRequirements".into(), articles.into());
    }
    finding.insert("Compliance".into(), Value::Object(compliance));
    if !status.workflow.is_empty() {
        finding.insert("Workflow".into(), json!({ "Status": status.workflow }));
    }
    finding.insert(
        "ProductFields".into(),
        json!({
            "jalon/Verdict": verdict.as_str(),
            "jalon/Phase": c.phase_id,
            "jalon/ResourceType": cut(&c.resource_type, 2048),
        }),
    );
    finding
}

fn remediation(c: &ControlResult, fix: &str) -> Value {
    let text = cut(non_blank(fix, "See the control's documentation."), RECOMMENDATION_MAX);
    let mut recommendation = json!({ "Text": text });
    if let Some(url) = c.related_resources.iter().find(|u| crate::render::is_web_link(u)) {
        recommendation["Url"] = url.as_str().into();
    }
    json!({ "Recommendation": recommendation })
}

/// The region a finding is imported in: its resource's, else the snapshot's first.
fn finding_region<'a>(report: &'a CheckReport, resource: Option<&'a str>) -> &'a str {
    resource
        .and_then(aws::region_of)
        .filter(|r| is_region(r))
        .or_else(|| report.snapshot.regions.first().map(String::as_str))
        .unwrap_or("us-east-1")
}

/// `eu-west-3`, `us-gov-west-1`, `cn-north-1`: what a region name looks like (an ARN
/// is text from the account; anything else is not put in a field that names a region).
fn is_region(region: &str) -> bool {
    let mut parts = region.split('-');
    let well_formed = parts.next().is_some_and(|p| p.len() == 2 && p.bytes().all(|b| b.is_ascii_lowercase()))
        && region.rsplit('-').next().is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        && region.split('-').count() >= 3
        && region.split('-').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    well_formed && region.len() <= 16
}

fn label(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "CRITICAL",
        Severity::High => "HIGH",
        Severity::Medium => "MEDIUM",
        Severity::Low => "LOW",
    }
}

/// An RFC 3339 instant as Security Hub documents it: `2026-11-22T01:45:17.000Z`.
fn timestamp(instant: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(instant)
        .map(|t| t.with_timezone(&chrono::Utc).to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_else(|_| instant.to_string())
}

/// Security Hub's strings must hold a character that is not white space.
fn non_blank<'a>(text: &'a str, instead: &'a str) -> &'a str {
    if text.trim().is_empty() {
        instead
    } else {
        text
    }
}

/// `text` in at most `max` UTF-16 code units, cut on a character boundary with `…`.
pub fn cut(text: &str, max: usize) -> String {
    if text.encode_utf16().count() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut units = 0;
    for ch in text.chars() {
        // Room for the ellipsis (one unit).
        if units + ch.len_utf16() > max - 1 {
            break;
        }
        units += ch.len_utf16();
        out.push(ch);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{to_string, Format};
    use crate::result::fixtures::sample_report;

    fn findings(shown: &dyn Fn(&ControlResult) -> bool) -> Vec<Value> {
        let text = to_string(Format::Asff, &sample_report(), shown);
        serde_json::from_str(&text).expect("a JSON list")
    }

    #[test]
    fn findings_of_due_controls_with_their_statuses() {
        let findings = findings(&|_| true);
        let summary: Vec<(String, String, String, String)> = findings
            .iter()
            .map(|f| {
                (
                    f["GeneratorId"].as_str().unwrap().into(),
                    f["Compliance"]["Status"].as_str().unwrap_or("-").into(),
                    f["Workflow"]["Status"].as_str().unwrap_or("-").into(),
                    f["RecordState"].as_str().unwrap().into(),
                )
            })
            .collect();
        let expected = [
            ("jalon/LOG-001", "-", "-", "ARCHIVED"),
            ("jalon/LOG-001", "FAILED", "NEW", "ACTIVE"),
            ("jalon/LOG-001", "PASSED", "RESOLVED", "ACTIVE"),
            ("jalon/ALM-001", "NOT_AVAILABLE", "NEW", "ACTIVE"),
            ("jalon/OPS-003", "WARNING", "NEW", "ACTIVE"),
        ];
        let expected: Vec<_> =
            expected.iter().map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d.to_string())).collect();
        assert_eq!(summary, expected, "PENDING, WAIVED and N/A controls of J+7 and J+30 are not due");
        let failed = &findings[1];
        assert_eq!(failed["SchemaVersion"], SCHEMA_VERSION);
        assert_eq!(failed["ProductArn"], "arn:aws:securityhub:eu-west-3:123456789012:product/123456789012/default");
        assert_eq!(failed["AwsAccountId"], "123456789012");
        assert_eq!(failed["Severity"]["Label"], "HIGH");
        assert_eq!(failed["CreatedAt"], "2026-11-22T01:45:17.000Z");
        assert_eq!(failed["Resources"][0]["Type"], "Other");
        assert_eq!(failed["Resources"][0]["Partition"], "aws");
        assert_eq!(failed["Resources"][0]["Region"], "eu-west-3");
        assert_eq!(failed["Compliance"]["RelatedRequirements"][0], "GDPR Art. 5(1)(e)");
        assert_eq!(failed["Remediation"]["Recommendation"]["Url"], "https://docs.aws.amazon.com/x.html");
        assert_eq!(findings[3]["Resources"][0]["Id"], "AWS::::Account:123456789012");
        // The same finding, the same Id, run after run; another resource, another Id.
        assert_eq!(findings[1]["Id"], self::findings(&|_| true)[1]["Id"]);
        assert_ne!(findings[1]["Id"], findings[2]["Id"]);
    }

    #[test]
    fn a_waived_resource_is_suppressed() {
        let mut report = sample_report();
        report.controls[4].due = true;
        let text = to_string(Format::Asff, &report, &|c| c.id == "DB-006");
        let findings: Vec<Value> = serde_json::from_str(&text).unwrap();
        let waived = &findings[1];
        assert_eq!(waived["Compliance"]["Status"], "FAILED");
        assert_eq!(waived["Workflow"]["Status"], "SUPPRESSED");
        assert_eq!(waived["Resources"][0]["Type"], "AwsRdsDbInstance");
        assert_eq!(waived["ProductFields"]["jalon/Verdict"], "WAIVED");
    }

    #[test]
    fn long_texts_are_cut_on_a_character_boundary() {
        assert_eq!(cut("short", 10), "short");
        let long = "é".repeat(300);
        let title = cut(&long, TITLE_MAX);
        assert_eq!(title.encode_utf16().count(), TITLE_MAX);
        assert!(title.ends_with('…'));
        // An astral character is two UTF-16 units: never split.
        let emoji = "😀".repeat(600);
        let description = cut(&emoji, DESCRIPTION_MAX);
        assert!(description.encode_utf16().count() <= DESCRIPTION_MAX);
        assert!(description.trim_end_matches('…').chars().all(|c| c == '😀'));
    }

    #[test]
    fn region_names_are_checked_before_they_name_a_region() {
        assert!(is_region("eu-west-3") && is_region("us-gov-west-1") && is_region("ap-southeast-2"));
        assert!(!is_region("") && !is_region("eu") && !is_region("x\"y-1") && !is_region("eu-west-3-very-long-name-9"));
    }
}
