//! Rendering a [`CheckReport`]: one module per format.

pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod table;

use crate::checklist::{CheckReport, ControlResult, ResourceResult, Verdict, WaiverEntry};

/// Output formats of `jalon check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
    /// JUnit XML: one suite per phase, one test case per control and per resource.
    Junit,
    /// SARIF 2.1.0 for code-scanning dashboards.
    Sarif,
    /// A summary for a pull-request comment or a CI job summary.
    Markdown,
    /// One self-contained page with filters and the evidence per resource.
    Html,
}

impl Format {
    /// File name used when several formats are written to a directory.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Table => "jalon.txt",
            Format::Json => "jalon.json",
            Format::Junit => "jalon.junit.xml",
            Format::Sarif => "jalon.sarif",
            Format::Markdown => "jalon.md",
            Format::Html => "jalon.html",
        }
    }
}

/// A resource's verdict as the reports show it: a failing resource of a control
/// that is not due yet is PENDING, like its control.
pub fn resource_verdict(control: &ControlResult, resource: &ResourceResult) -> Verdict {
    if control.verdict == Verdict::Pending && resource.verdict == Verdict::Fail {
        Verdict::Pending
    } else {
        resource.verdict
    }
}

/// How a report names a resource: its short name in a one-region snapshot (where
/// the name says it all), the full ARN otherwise.
pub fn display_name<'a>(report: &CheckReport, id: &'a str) -> &'a str {
    if report.snapshot.regions.len() <= 1 {
        resource_name(id)
    } else {
        id
    }
}

/// "not due until J+7 (J+3 today)", or just "not due until J+7".
pub fn not_due_reason(report: &CheckReport, control: &ControlResult) -> String {
    match report.day {
        Some(day) => format!("not due until {} ({} today)", control.phase_id, day_label(day)),
        None => format!("not due until {}", control.phase_id),
    }
}

/// J+3, J-2.
pub fn day_label(day: i64) -> String {
    format!("J{day:+}")
}

/// Controls in view, in report order.
pub fn shown_controls<'a>(report: &'a CheckReport, shown: &dyn Fn(&ControlResult) -> bool) -> Vec<&'a ControlResult> {
    report.controls.iter().filter(|c| shown(c)).collect()
}

/// Waivers whose control is in view (a waiver for an unknown control is always shown).
pub fn shown_waivers<'a>(
    report: &CheckReport,
    waivers: &'a [WaiverEntry],
    shown: &dyn Fn(&ControlResult) -> bool,
) -> Vec<&'a WaiverEntry> {
    waivers.iter().filter(|w| report.controls.iter().find(|c| c.id == w.control).is_none_or(shown)).collect()
}

/// The short name of a resource for remediation commands: the part of the ARN
/// after its resource type (`function:orders-api` -> `orders-api`).
pub fn resource_name(id: &str) -> &str {
    let parts: Vec<&str> = id.splitn(6, ':').collect();
    if parts.len() < 6 || parts[0] != "arn" {
        return id;
    }
    let resource = parts[5];
    for prefix in ["function:", "log-group:", "db:", "cluster:", "secret:", "alarm:", "sampling-rule/", "group/"] {
        if let Some(rest) = resource.strip_prefix(prefix) {
            return rest;
        }
    }
    // SNS topics: arn:aws:sns:region:account:name
    resource
}

/// The control's remediation with `{name}` and `{arn}` filled for one resource.
pub fn remediation_for(template: &str, resource: &ResourceResult) -> String {
    template.replace("{name}", resource_name(&resource.id)).replace("{arn}", &resource.id)
}

/// A small report with every verdict and hostile text (markup, quotes, pipes,
/// backticks) in resource ids, messages and waivers: the fixture of the format
/// modules' unit tests. Built from JSON so new optional fields do not break it.
#[cfg(test)]
pub(crate) fn sample_report() -> CheckReport {
    let hostile = r#"arn:aws:logs:eu-west-3:123456789012:log-group:/x/<script>alert("x")</script>"#;
    let control = |id: &str, phase: u32, severity: &str, verdict: &str, resources: serde_json::Value| {
        serde_json::json!({
            "id": id, "title": format!("{id} title"), "description": format!("{id} description"),
            "phase": phase, "phase_id": format!("J+{phase}"), "due": phase == 0,
            "severity": severity, "verdict": verdict, "resource_type": "log group",
            "evidence": ["logs"], "gdpr": ["5(1)(e)"],
            "remediation": "aws logs put-retention-policy --log-group-name {name} --retention-in-days 30 | tee `out`",
            "related_resources": ["https://docs.aws.amazon.com/x.html", "javascript:alert(1)"],
            "note": null, "attestation": null, "resources": resources,
        })
    };
    let mut unknown = control("ALM-001", 0, "critical", "UNKNOWN", serde_json::json!([]));
    unknown["note"] = "evidence incomplete: cloudwatch in eu-west-3: access denied on DescribeAlarms".into();
    let mut needs = control("OPS-003", 0, "low", "NEEDS_EVIDENCE", serde_json::json!([]));
    needs["note"] = "no attestation recorded for this control".into();
    let value = serde_json::json!({
        "result_version": 1,
        "tool": {"name": "jalon", "version": "0.1.0"},
        "policies_version": "0123456789ab",
        "snapshot": {"sha256": "ab".repeat(32), "collected_at": "2026-11-22T01:45:17Z",
                     "account_id": "123456789012", "regions": ["eu-west-3"]},
        "as_of": "2026-11-22T01:45:17Z", "cutover": "2026-11-19", "day": 3,
        "phases": [
            {"id": "J+0", "day": 0, "title": "Cutover day", "due": true},
            {"id": "J+7", "day": 7, "title": "First week", "due": false},
            {"id": "J+30", "day": 30, "title": "First month", "due": false}
        ],
        "incomplete_collectors": [{"service": "cloudwatch", "region": "eu-west-3", "status": "access_denied",
            "operation": "DescribeAlarms", "message": "not authorized to <perform> \"DescribeAlarms\""}],
        "controls": [
            control("LOG-001", 0, "high", "FAIL", serde_json::json!([
                {"id": hostile, "verdict": "FAIL", "message": r#"retention is "never" <b>bold</b> | pipe `tick`"#},
                {"id": "arn:aws:logs:eu-west-3:123456789012:log-group:/ok", "verdict": "PASS"}
            ])),
            unknown,
            needs,
            control("ALM-005", 7, "medium", "PENDING", serde_json::json!([
                {"id": "arn:aws:lambda:eu-west-3:123456789012:function:orders-api", "verdict": "FAIL", "message": "no Throttles alarm"},
                {"id": "arn:aws:lambda:eu-west-3:123456789012:function:orders-notifier", "verdict": "PASS"}
            ])),
            control("DB-006", 7, "high", "WAIVED", serde_json::json!([
                {"id": "arn:aws:rds:eu-west-3:123456789012:db:orders-db", "verdict": "WAIVED",
                 "message": "single AZ (waived by dba@example.com until 2027-01-31: <i>reserved</i>)"}
            ])),
            control("TRC-002", 30, "low", "PASS", serde_json::json!([
                {"id": "xray-sampling:eu-west-3", "verdict": "PASS"}
            ])),
            control("SEC-001", 30, "high", "NOT_APPLICABLE", serde_json::json!([]))
        ],
        "waivers": {
            "expired": [{"control": "LOG-001", "resource": "arn:aws:logs:*:*:log-group:/x/*", "owner": "ops@example.com",
                         "reason": "<img src=x onerror=alert(1)> legacy", "expires": "2026-11-15"}],
            "unmatched": []
        }
    });
    serde_json::from_value(value).expect("the sample report deserialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_names_come_from_arns() {
        assert_eq!(resource_name("arn:aws:lambda:eu-west-3:123456789012:function:orders-api"), "orders-api");
        assert_eq!(resource_name("arn:aws:logs:eu-west-3:123456789012:log-group:/aws/lambda/x"), "/aws/lambda/x");
        assert_eq!(resource_name("arn:aws:rds:eu-west-3:123456789012:db:orders-db"), "orders-db");
        assert_eq!(resource_name("arn:aws:sns:eu-west-3:123456789012:alerts"), "alerts");
        assert_eq!(resource_name("xray-sampling:eu-west-3"), "xray-sampling:eu-west-3");
    }
}
