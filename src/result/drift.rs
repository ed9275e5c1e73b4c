//! What changed between a baseline result and a new one: the data of the `drift`
//! field of a result (`check --baseline`) and of `jalon diff` on two results. The
//! comparison itself is [`crate::drift::compare`].

use serde::{Deserialize, Serialize};

use crate::engine::Severity;
use crate::result::{CheckReport, Verdict, WaiverEntry};

/// The difference between a baseline result and a new one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drift {
    /// The baseline.
    pub before: ResultRef,
    /// The new result.
    pub after: ResultRef,
    pub summary: DriftSummary,
    /// Controls whose verdict or resources changed: the new result's order (phase,
    /// id), then controls only the baseline has.
    pub controls: Vec<ControlDrift>,
    /// Waivers expired in the new result that had not expired in the baseline.
    pub waivers_expired: Vec<WaiverEntry>,
}

/// Which result a side of the drift is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResultRef {
    pub snapshot_sha256: String,
    pub collected_at: String,
    pub as_of: String,
    /// J+N, when the result had a cutover date.
    pub day: Option<i64>,
    pub account_id: String,
    pub regions: Vec<String>,
    pub tool_version: String,
    pub policies_version: String,
}

/// Counts: each resource change is counted once, under its [`Change`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DriftSummary {
    pub new_failures: usize,
    pub fixed: usize,
    pub other_changes: usize,
    pub resources_added: usize,
    pub resources_removed: usize,
    /// Controls whose own verdict changed (including controls added or removed).
    pub controls_changed: usize,
    pub waivers_expired: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlDrift {
    pub id: String,
    pub title: String,
    pub phase_id: String,
    pub severity: Severity,
    /// None: the control is not in that result (its policy was added or removed).
    pub before: Option<Verdict>,
    pub after: Option<Verdict>,
    /// Why the new verdict has no resources (UNKNOWN, NEEDS_EVIDENCE).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Resources whose verdict changed, or that entered or left the scope.
    pub resources: Vec<ResourceDrift>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceDrift {
    pub id: String,
    pub change: Change,
    /// None: not in the control's scope on that side.
    pub before: Option<Verdict>,
    pub after: Option<Verdict>,
    /// The new result's message (the baseline's for a removed resource).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Not FAIL (or not there) before, FAIL now: a regression.
    NewFailure,
    /// FAIL before, PASS now.
    Fixed,
    /// Any other verdict change (FAIL to WAIVED, PASS to PENDING, ...).
    Changed,
    /// Entered the control's scope, not failing.
    Added,
    /// Left the control's scope.
    Removed,
}

impl ControlDrift {
    pub fn verdict_changed(&self) -> bool {
        self.before != self.after
    }

    pub fn new_failures(&self) -> impl Iterator<Item = &ResourceDrift> {
        self.resources.iter().filter(|r| r.change == Change::NewFailure)
    }
}

impl Drift {
    /// Keeps only the controls `keep` accepts (a `--phase` view), and recounts.
    pub fn retain(&mut self, keep: impl Fn(&ControlDrift) -> bool) {
        self.controls.retain(|c| keep(c));
        self.summary = summarize(&self.controls, self.waivers_expired.len());
    }

    /// A new failure in a control at or above `fail_on`.
    pub fn has_regression(&self, fail_on: Severity) -> bool {
        self.controls.iter().any(|c| c.severity >= fail_on && c.new_failures().next().is_some())
    }

    pub fn is_empty(&self) -> bool {
        self.controls.is_empty() && self.waivers_expired.is_empty()
    }
}

impl ResultRef {
    pub(crate) fn of(report: &CheckReport) -> ResultRef {
        ResultRef {
            snapshot_sha256: report.snapshot.sha256.clone(),
            collected_at: report.snapshot.collected_at.clone(),
            as_of: report.as_of.clone(),
            day: report.day,
            account_id: report.snapshot.account_id.clone(),
            regions: report.snapshot.regions.clone(),
            tool_version: report.tool.version.clone(),
            policies_version: report.policies_version.clone(),
        }
    }
}

pub(crate) fn summarize(controls: &[ControlDrift], waivers_expired: usize) -> DriftSummary {
    let mut s = DriftSummary { waivers_expired, ..DriftSummary::default() };
    for c in controls {
        s.controls_changed += usize::from(c.verdict_changed());
        for r in &c.resources {
            match r.change {
                Change::NewFailure => s.new_failures += 1,
                Change::Fixed => s.fixed += 1,
                Change::Changed => s.other_changes += 1,
                Change::Added => s.resources_added += 1,
                Change::Removed => s.resources_removed += 1,
            }
        }
    }
    s
}
