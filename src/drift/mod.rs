//! Drift: what changed between two check results (`jalon check --baseline`,
//! `jalon diff OLD NEW`) and, in [`snapshots`], between two snapshots.
//!
//! A **regression** is a new failure: a resource that was not FAIL in the baseline
//! (or not there at all) and is FAIL now. A resource of a PENDING control counts as
//! PENDING, so a control that falls due while still failing regresses on that day.
//! A resource is **fixed** when it goes from FAIL to PASS; every other verdict change
//! is reported as such. Resources that enter or leave a control's scope are added or
//! removed, except where a side has no evidence (UNKNOWN, NEEDS_EVIDENCE): a missing
//! permission does not remove resources, it changes the control's verdict.

pub mod snapshots;

use std::collections::BTreeMap;

use crate::engine::Severity;
use crate::error::exit;
use crate::result::drift::{summarize, Change, ControlDrift, Drift, ResourceDrift, ResultRef};
use crate::result::{CheckReport, ControlResult, Verdict, WaiverEntry, Warning};

/// Compares a baseline result with a new one.
pub fn compare(before: &CheckReport, after: &CheckReport) -> Drift {
    let mut baseline: BTreeMap<&str, &ControlResult> = before.controls.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut controls = Vec::new();
    for c in &after.controls {
        let b = baseline.remove(c.id.as_str());
        controls.extend(control_drift(b, Some(c)));
    }
    for b in &before.controls {
        if baseline.contains_key(b.id.as_str()) {
            controls.extend(control_drift(Some(b), None));
        }
    }
    let waivers_expired: Vec<WaiverEntry> =
        after.waivers.expired.iter().filter(|w| !before.waivers.expired.contains(w)).cloned().collect();
    Drift {
        before: ResultRef::of(before),
        after: ResultRef::of(after),
        summary: summarize(&controls, waivers_expired.len()),
        controls,
        waivers_expired,
    }
}

/// Whether a control's resource list says what is in scope: not when its evidence
/// is missing (UNKNOWN) or it waits for an attestation.
fn scope_known(c: &ControlResult) -> bool {
    match c.verdict {
        Verdict::Unknown | Verdict::NeedsEvidence => false,
        Verdict::Pending => !c.resources.is_empty(),
        _ => true,
    }
}

fn resources_of(c: Option<&ControlResult>) -> BTreeMap<&str, (Verdict, &str)> {
    c.map(|c| c.resources.iter().map(|r| (&*r.id, (c.shown_verdict(r), r.message.as_str()))).collect())
        .unwrap_or_default()
}

fn control_drift(before: Option<&ControlResult>, after: Option<&ControlResult>) -> Option<ControlDrift> {
    let current = after.or(before)?;
    let (old, new) = (resources_of(before), resources_of(after));
    let scopes_comparable = before.is_some_and(scope_known) && after.is_some_and(scope_known);
    let mut ids: Vec<&str> = old.keys().chain(new.keys()).copied().collect();
    ids.sort_unstable();
    ids.dedup();
    let mut resources = Vec::new();
    for id in ids {
        let b = old.get(id).map(|(v, _)| *v);
        let a = new.get(id).map(|(v, _)| *v);
        let change = match (b, a) {
            (_, Some(Verdict::Fail)) if b != Some(Verdict::Fail) => Change::NewFailure,
            (Some(Verdict::Fail), Some(Verdict::Pass)) => Change::Fixed,
            (Some(x), Some(y)) if x != y => Change::Changed,
            (None, Some(_)) if scopes_comparable => Change::Added,
            (Some(_), None) if scopes_comparable => Change::Removed,
            _ => continue,
        };
        let message = new.get(id).or_else(|| old.get(id)).map(|(_, m)| m.to_string()).unwrap_or_default();
        resources.push(ResourceDrift { id: id.to_string(), change, before: b, after: a, message });
    }
    resources.sort_by(|x, y| (x.change, &x.id).cmp(&(y.change, &y.id)));
    let (vb, va) = (before.map(|c| c.verdict), after.map(|c| c.verdict));
    if vb == va && resources.is_empty() {
        return None;
    }
    let note = match after {
        Some(c) if vb != va && c.resources.is_empty() => c.note.clone(),
        _ => None,
    };
    Some(ControlDrift {
        id: current.id.clone(),
        title: current.title.clone(),
        phase_id: current.phase_id.clone(),
        severity: current.severity,
        before: vb,
        after: va,
        note,
        resources,
    })
}

/// The exit code of a check against a baseline: 1 when a control in view has a new
/// failure at or above `fail_on`; else 2 when evidence is incomplete; else 0. Failures
/// the baseline already had do not fail the run.
/// What makes a baseline a poor reference: another account, other regions, other
/// policies. The drift is still computed (a policy upgrade is a reason to look at
/// it), but it may then list changes the account did not make.
pub fn baseline_mismatches(baseline: &CheckReport, report: &CheckReport) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let (before, after) = (&baseline.snapshot, &report.snapshot);
    let shown = |s: &str| if s.is_empty() { "unknown".to_string() } else { s.to_string() };
    if before.account_id != after.account_id {
        warnings.push(format!(
            "the baseline is of account {}, this run of account {}: the drift compares two accounts",
            shown(&before.account_id),
            shown(&after.account_id)
        ));
    }
    if before.regions != after.regions {
        warnings.push(format!(
            "the baseline covers regions {}, this run {}: resources of the other regions show as added or removed",
            shown(&before.regions.join(", ")),
            shown(&after.regions.join(", "))
        ));
    }
    if baseline.policies_version != report.policies_version {
        warnings.push(format!(
            "the baseline was judged with policies {}, this run with {}: a change of verdict may come from the policies, not the account",
            baseline.policies_version, report.policies_version
        ));
    }
    warnings.into_iter().map(|m| Warning::new("baseline-mismatch", m, false)).collect()
}

pub fn exit_code(
    report: &CheckReport,
    drift: &Drift,
    fail_on: Severity,
    in_view: impl Fn(&ControlResult) -> bool,
) -> i32 {
    let regressed = |id: &str| {
        drift.controls.iter().any(|c| c.id == id && c.severity >= fail_on && c.new_failures().next().is_some())
    };
    let shown: Vec<&ControlResult> = report.controls.iter().filter(|c| in_view(c)).collect();
    if shown.iter().any(|c| regressed(&c.id)) {
        exit::FINDINGS
    } else if shown.iter().any(|c| matches!(c.verdict, Verdict::Unknown | Verdict::NeedsEvidence))
        || report.warnings.iter().any(|w| w.incomplete)
    {
        exit::INCOMPLETE
    } else {
        exit::OK
    }
}

// ---------------------------------------------------------------- rendering

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::fixtures::{control, report};

    use Verdict::*;

    #[test]
    fn changes_are_classified_once_each() {
        let before = report(vec![
            control("A", Fail, &[("a1", Fail), ("a2", Pass), ("a3", Pass), ("a4", Fail)]),
            control("B", Pass, &[("b1", Pass)]),
        ]);
        let after = report(vec![
            control("A", Fail, &[("a1", Pass), ("a2", Fail), ("a4", Waived), ("a5", Pass), ("a6", Fail)]),
            control("B", Pass, &[("b1", Pass)]),
        ]);
        let drift = compare(&before, &after);
        assert_eq!(drift.controls.len(), 1);
        let got: Vec<(&str, Change)> = drift.controls[0].resources.iter().map(|r| (r.id.as_str(), r.change)).collect();
        assert_eq!(
            got,
            [
                ("a2", Change::NewFailure),
                ("a6", Change::NewFailure),
                ("a1", Change::Fixed),
                ("a4", Change::Changed),
                ("a5", Change::Added),
                ("a3", Change::Removed)
            ]
        );
        assert!(!drift.controls[0].verdict_changed());
        assert_eq!(drift.summary.new_failures, 2);
        assert!(drift.has_regression(Severity::High));
        assert!(!drift.has_regression(Severity::Critical));
    }

    #[test]
    fn a_control_falling_due_while_failing_regresses() {
        let before = report(vec![control("A", Pending, &[("a1", Fail)])]);
        let after = report(vec![control("A", Fail, &[("a1", Fail)])]);
        let drift = compare(&before, &after);
        let r = &drift.controls[0].resources[0];
        assert_eq!((r.change, r.before, r.after), (Change::NewFailure, Some(Pending), Some(Fail)));
        assert_eq!(exit_code(&after, &drift, Severity::Low, |_| true), exit::FINDINGS);
    }

    #[test]
    fn missing_evidence_removes_no_resource() {
        let before = report(vec![control("A", Pass, &[("a1", Pass)])]);
        let mut gone = control("A", Unknown, &[]);
        gone.note = Some("evidence incomplete: logs in eu-west-3: access denied".into());
        let after = report(vec![gone]);
        let drift = compare(&before, &after);
        assert!(drift.controls[0].resources.is_empty());
        assert_eq!((drift.controls[0].before, drift.controls[0].after), (Some(Pass), Some(Unknown)));
        assert!(drift.controls[0].note.as_deref().unwrap().contains("access denied"));
        assert_eq!(exit_code(&after, &drift, Severity::Low, |_| true), exit::INCOMPLETE);
    }

    #[test]
    fn known_failures_do_not_fail_the_run() {
        let same = report(vec![control("A", Fail, &[("a1", Fail)])]);
        let drift = compare(&same, &same);
        assert!(drift.is_empty());
        assert_eq!(exit_code(&same, &drift, Severity::Low, |_| true), exit::OK);
    }
}
