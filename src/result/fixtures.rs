//! Results to test with: builders for hand-made results, and a small report with
//! every verdict and hostile text, the fixture of the renderers' unit tests.

use crate::engine::Severity;
use crate::result::{
    CheckReport, ControlResult, ResourceResult, SnapshotRef, ToolRef, Verdict, WaiverReport, RESULT_VERSION,
};

pub(crate) fn control(id: &str, verdict: Verdict, resources: &[(&str, Verdict)]) -> ControlResult {
    ControlResult {
        id: id.into(),
        title: format!("{id} title"),
        description: String::new(),
        phase: 0,
        phase_id: "J+0".into(),
        due: true,
        severity: Severity::High,
        verdict,
        resource_type: "log group".into(),
        evidence: vec![],
        gdpr: vec![],
        remediation: String::new(),
        iac: vec![],
        related_resources: vec![],
        source: crate::result::BUILTIN.into(),
        replaces_builtin: false,
        note: None,
        attestation: None,
        resources: resources
            .iter()
            .map(|(id, v)| ResourceResult {
                id: (*id).into(),
                verdict: *v,
                message: format!("{id} says {v}"),
                fix: None,
            })
            .collect(),
    }
}

pub(crate) fn report(controls: Vec<ControlResult>) -> CheckReport {
    CheckReport {
        result_version: RESULT_VERSION,
        tool: ToolRef { name: "jalon".into(), version: "0".into() },
        policies_version: "p".into(),
        snapshot: SnapshotRef {
            sha256: "a".repeat(64),
            collected_at: "2026-11-22T00:00:00Z".into(),
            account_id: "1".into(),
            regions: vec!["eu-west-3".into()],
        },
        as_of: "2026-11-22T00:00:00Z".into(),
        cutover: None,
        day: None,
        phases: vec![],
        incomplete_collectors: vec![],
        controls,
        waivers: WaiverReport::default(),
        drift: None,
        warnings: Vec::new(),
        slo: Vec::new(),
    }
}

/// A small report with every verdict and hostile text (markup, quotes, pipes,
/// backticks) in resource ids, messages and waivers: the fixture of the format
/// modules' unit tests. Built from JSON so new optional fields do not break it.
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
    let mut log_001 = control(
        "LOG-001",
        0,
        "high",
        "FAIL",
        serde_json::json!([
            {"id": hostile, "verdict": "FAIL", "message": "retention is \"never\" <b>bold</b> | pipe `tick`\nrm -rf / #",
             "fix": {"commands": [r#"aws logs associate-kms-key --region eu-west-3 --log-group-name '/x/<script>alert("x")</script>' --kms-key-id "$LOGS_KMS_KEY_ARN_EU_WEST_3""#],
                     "inputs": [{"variable": "LOGS_KMS_KEY_ARN_EU_WEST_3", "description": "the <b>key</b> (in eu-west-3)"}],
                     "note": "the key's policy <i>must</i> allow it"}},
            {"id": "arn:aws:logs:eu-west-3:123456789012:log-group:/ok", "verdict": "PASS"}
        ]),
    );
    log_001["iac"] = serde_json::json!([{"type": "AWS::Logs::LogGroup", "properties": "RetentionInDays: 30\nKmsKeyId: '<script>'\n"}]);
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
            log_001,
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
