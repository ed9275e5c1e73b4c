//! `--format junit`: JUnit XML, so CI systems (GitLab, Jenkins, Azure DevOps,
//! GitHub test reporters) list the checklist as tests and draw trend graphs.
//!
//! One `<testsuite>` per phase (`J+0: Cutover day`), and in it one test case per
//! control plus one per resource the control judged, all with the control id as
//! `classname`. Names are stable from run to run (id, title, ARN), which is what
//! trend graphs key on:
//!
//! | verdict | test case |
//! |---|---|
//! | FAIL | `<failure>`: the message, then the remediation |
//! | UNKNOWN, NEEDS_EVIDENCE | `<error>`: the evidence is incomplete, the check could not run |
//! | PENDING, NOT_APPLICABLE, WAIVED | `<skipped>` with the reason |
//! | PASS | passes |
//!
//! A failing resource of a control that is not due yet is PENDING, like its
//! control. No timestamps or durations: the same result gives the same file.

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::checklist::{CheckReport, ControlResult, ResourceResult, Verdict};
use crate::report::{not_due_reason, remediation_for, resource_verdict};

pub fn render(report: &CheckReport, shown: &dyn Fn(&ControlResult) -> bool) -> String {
    let mut junit = Report::new("jalon");
    for phase in &report.phases {
        let controls: Vec<&ControlResult> =
            report.controls.iter().filter(|c| c.phase_id == phase.id && shown(c)).collect();
        if controls.is_empty() {
            continue;
        }
        let mut suite = TestSuite::new(format!("{}: {}", phase.id, phase.title));
        suite.add_property(("phase", phase.id.as_str()));
        suite.add_property(("due", if phase.due { "true" } else { "false" }));
        suite.add_property(("account", report.snapshot.account_id.as_str()));
        suite.add_property(("regions", report.snapshot.regions.join(",").as_str()));
        suite.add_property(("as_of", report.as_of.as_str()));
        if let Some(day) = report.day {
            suite.add_property(("day", crate::report::day_label(day).as_str()));
        }
        suite.add_property(("snapshot_sha256", report.snapshot.sha256.as_str()));
        suite.add_property(("policies_version", report.policies_version.as_str()));
        for c in controls {
            suite.add_test_case(control_case(report, c));
            for r in &c.resources {
                suite.add_test_case(resource_case(report, c, r));
            }
        }
        junit.add_test_suite(suite);
    }
    let mut text = junit.to_string().expect("a JUnit report always serialises");
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

fn control_case(report: &CheckReport, c: &ControlResult) -> TestCase {
    let summary = c.summary();
    let status = match c.verdict {
        Verdict::Pass => TestCaseStatus::success(),
        Verdict::Fail => {
            let mut lines: Vec<String> = c
                .resources
                .iter()
                .filter(|r| r.verdict == Verdict::Fail)
                .map(|r| format!("✗ {}: {}", r.id, r.message))
                .collect();
            if let Some(first) = c.resources.iter().find(|r| r.verdict == Verdict::Fail) {
                lines.push(format!("fix: {}", remediation_for(&c.remediation, first)));
            }
            non_success(NonSuccessKind::Failure, c, format!("{summary} (severity {})", c.severity), lines)
        }
        Verdict::Unknown | Verdict::NeedsEvidence => {
            let why = c.note.clone().unwrap_or_else(|| summary.clone());
            let message = format!("evidence incomplete: {}", why.trim_start_matches("evidence incomplete: "));
            non_success(NonSuccessKind::Error, c, message, vec![format!("fix: {}", c.remediation)])
        }
        Verdict::Pending => skipped(c.verdict, format!("{}: {summary}", not_due_reason(report, c))),
        Verdict::NotApplicable => skipped(c.verdict, summary),
        Verdict::Waived => skipped(c.verdict, format!("waived: {summary}")),
    };
    let mut case = TestCase::new(format!("{}: {}", c.id, c.title), status);
    case.set_classname(c.id.as_str());
    case
}

fn resource_case(report: &CheckReport, c: &ControlResult, r: &ResourceResult) -> TestCase {
    let verdict = resource_verdict(c, r);
    let status = match verdict {
        Verdict::Pass => TestCaseStatus::success(),
        Verdict::Fail => non_success(
            NonSuccessKind::Failure,
            c,
            r.message.clone(),
            vec![format!("severity: {}", c.severity), format!("fix: {}", remediation_for(&c.remediation, r))],
        ),
        Verdict::Unknown | Verdict::NeedsEvidence => non_success(
            NonSuccessKind::Error,
            c,
            format!("evidence incomplete: {}", r.message),
            vec![format!("fix: {}", c.remediation)],
        ),
        Verdict::Pending => skipped(verdict, format!("{}: {}", not_due_reason(report, c), r.message)),
        Verdict::Waived | Verdict::NotApplicable => skipped(verdict, r.message.clone()),
    };
    let mut case = TestCase::new(format!("{}: {}", c.id, r.id), status);
    case.set_classname(c.id.as_str());
    case
}

fn non_success(kind: NonSuccessKind, c: &ControlResult, message: String, lines: Vec<String>) -> TestCaseStatus {
    let mut status = TestCaseStatus::non_success(kind);
    status.set_message(message);
    status.set_type(c.verdict.as_str());
    if !lines.is_empty() {
        status.set_description(lines.join("\n"));
    }
    status
}

fn skipped(verdict: Verdict, message: String) -> TestCaseStatus {
    let mut status = TestCaseStatus::skipped();
    status.set_type(verdict.as_str());
    status.set_message(message);
    status
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample_report;

    #[test]
    fn totals_count_every_control_and_resource() {
        let report = sample_report();
        let xml = render(&report, &|_| true);
        // 7 controls and 6 resources. Failures: LOG-001 and its failing log group. Errors:
        // UNKNOWN and NEEDS_EVIDENCE. Skipped: ALM-005 (PENDING) and its failing function,
        // DB-006 (WAIVED) and its database, SEC-001 (NOT_APPLICABLE).
        assert!(xml.contains(r#"<testsuites name="jalon" tests="13" skipped="5" failures="2" errors="2">"#), "{xml}");
        assert!(xml.contains(r#"<testsuite name="J+0: Cutover day" tests="5" skipped="0" errors="2" failures="2">"#));
    }

    #[test]
    fn untrusted_text_is_escaped() {
        let report = sample_report();
        let xml = render(&report, &|_| true);
        assert!(!xml.contains("<script>"), "{xml}");
        assert!(xml.contains("&lt;script&gt;"), "{xml}");
    }

    #[test]
    fn the_phase_view_keeps_only_its_suite() {
        let report = sample_report();
        let xml = render(&report, &|c| c.phase_id == "J+7");
        assert!(!xml.contains("J+0: Cutover day"), "{xml}");
        assert!(xml.contains("J+7: First week"), "{xml}");
    }
}
