//! The check result: versioned JSON (`--format json`), also the input of every
//! other report format and of drift detection (`--baseline`, `jalon diff`).
//!
//! Data only: the types, how they read and print themselves, and nothing that
//! judges ([`crate::checklist`]), compares ([`crate::drift`]) or renders
//! ([`crate::render`]) them.

pub mod accounts;
pub mod drift;
#[cfg(test)]
pub(crate) mod fixtures;
mod read;
pub mod slo;
pub mod summary;

pub use read::{json_error, load_result, parse_result};

use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::attestations::Attestation;
use crate::engine::fix::{Fix, IacSnippet};
use crate::engine::metadata::Origin;
use crate::engine::{ControlMeta, Severity};
use crate::snapshot::{CollectorStatus, Service};
use crate::waivers::Waiver;

/// Version of the result format. Bump on any incompatible change.
pub const RESULT_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    Pass,
    Fail,
    Unknown,
    Waived,
    Pending,
    NotApplicable,
    NeedsEvidence,
}

impl Verdict {
    pub const ALL: [Verdict; 7] = [
        Verdict::Fail,
        Verdict::Unknown,
        Verdict::NeedsEvidence,
        Verdict::Pending,
        Verdict::Waived,
        Verdict::Pass,
        Verdict::NotApplicable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Fail => "FAIL",
            Verdict::Unknown => "UNKNOWN",
            Verdict::Waived => "WAIVED",
            Verdict::Pending => "PENDING",
            Verdict::NotApplicable => "NOT_APPLICABLE",
            Verdict::NeedsEvidence => "NEEDS_EVIDENCE",
        }
    }

    /// Order for display: what needs attention first.
    pub fn rank(self) -> usize {
        Verdict::ALL.iter().position(|v| *v == self).unwrap_or(usize::MAX)
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckReport {
    pub result_version: u32,
    pub tool: ToolRef,
    /// Fingerprint of the policy sources evaluated.
    pub policies_version: String,
    pub snapshot: SnapshotRef,
    /// RFC 3339: the moment controls were judged at.
    pub as_of: String,
    pub cutover: Option<NaiveDate>,
    /// Days since cutover (J+N); null without a cutover date.
    pub day: Option<i64>,
    pub phases: Vec<PhaseRef>,
    /// Collectors that did not finish: why some controls are UNKNOWN.
    pub incomplete_collectors: Vec<CollectorStatus>,
    pub controls: Vec<ControlResult>,
    pub waivers: WaiverReport,
    /// What changed since a baseline result (`check --baseline`). Absent without one:
    /// an optional field, so `result_version` stays 1 and older results still read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift: Option<drift::Drift>,
    /// What a reader must know that no verdict says. Absent when there is none (an
    /// optional field: `result_version` stays 1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    /// What each function and API stage OPS-003 judged did since the cutover (an
    /// optional field: `result_version` stays 1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slo: Vec<slo::SloSummary>,
}

/// Something a reader must know that no verdict says: a scope that keeps nothing of
/// what was collected, a snapshot older than the as-of allows, a baseline from
/// another account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    /// For scripts: `scope-keeps-nothing`, `stale-snapshot`, `baseline-mismatch`.
    pub kind: String,
    pub message: String,
    /// The evidence is incomplete because of it: the run exits 2 when nothing fails.
    #[serde(default)]
    pub incomplete: bool,
}

impl Warning {
    pub fn new(kind: &str, message: impl Into<String>, incomplete: bool) -> Warning {
        Warning { kind: kind.into(), message: message.into(), incomplete }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolRef {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotRef {
    pub sha256: String,
    pub collected_at: String,
    pub account_id: String,
    pub regions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseRef {
    pub id: String,
    pub day: u32,
    pub title: String,
    pub due: bool,
}

/// `ControlResult::source` of a control shipped with jalon.
pub const BUILTIN: &str = "builtin";

fn builtin() -> String {
    BUILTIN.to_string()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ControlResult {
    pub id: String,
    pub title: String,
    pub description: String,
    /// Days after cutover when due, and the phase's id (`J+7`).
    pub phase: u32,
    pub phase_id: String,
    pub due: bool,
    pub severity: Severity,
    pub verdict: Verdict,
    pub resource_type: String,
    pub evidence: Vec<Service>,
    pub gdpr: Vec<String>,
    /// What to do, in words; each failing resource's own commands are its `fix`.
    pub remediation: String,
    /// CloudFormation / SAM properties that fix the control in the stack (an optional
    /// field: `result_version` stays 1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub iac: Vec<IacSnippet>,
    pub related_resources: Vec<String>,
    /// Where the control's policy came from: `builtin` (shipped with jalon), or the
    /// path of a team's file (`--policies`). Results written before the field read as
    /// builtin.
    #[serde(default = "builtin")]
    pub source: String,
    /// A team's file took the place of the shipped control with this id: its verdict
    /// is the team's, not jalon's.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replaces_builtin: bool,
    /// Why the verdict is what it is when there are no resources to say it
    /// (UNKNOWN, NEEDS_EVIDENCE).
    pub note: Option<String>,
    pub attestation: Option<Attestation>,
    /// Failing resources first.
    pub resources: Vec<ResourceResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceResult {
    /// Shared with the engine's value it was read from (no copy per resource).
    pub id: Arc<str>,
    pub verdict: Verdict,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
    /// The commands that fix a failing resource (an optional field: `result_version`
    /// stays 1). Absent when its control has none for this kind of resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WaiverReport {
    /// Past their expiry: they no longer waive anything.
    pub expired: Vec<WaiverEntry>,
    /// Active, but matching no resource in scope of their control.
    pub unmatched: Vec<WaiverEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WaiverEntry {
    pub control: String,
    pub resource: String,
    pub owner: String,
    /// Results written before the field read it as empty.
    #[serde(default)]
    pub approved_by: String,
    pub reason: String,
    pub expires: NaiveDate,
    /// The accounts the waiver is scoped to; absent: every account (an optional field:
    /// `result_version` stays 1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub account: Vec<String>,
}

impl From<&Waiver> for WaiverEntry {
    fn from(w: &Waiver) -> Self {
        WaiverEntry {
            control: w.control.clone(),
            resource: w.resource.clone(),
            owner: w.owner.clone(),
            approved_by: w.approved_by.clone(),
            reason: w.reason.clone(),
            expires: w.expires,
            account: w.account.clone(),
        }
    }
}

impl ControlResult {
    pub fn new(meta: &ControlMeta) -> ControlResult {
        ControlResult {
            id: meta.id.clone(),
            title: meta.title.clone(),
            description: meta.description.clone(),
            phase: meta.phase,
            phase_id: format!("J+{}", meta.phase),
            due: true,
            severity: meta.severity,
            verdict: Verdict::Unknown,
            resource_type: meta.resource_type.clone(),
            evidence: meta.evidence.clone(),
            gdpr: meta.gdpr.clone(),
            remediation: meta.remediation.clone(),
            iac: meta.iac.clone(),
            related_resources: meta.related_resources.clone(),
            note: None,
            attestation: None,
            resources: Vec::new(),
            source: match meta.origin {
                Origin::Builtin => BUILTIN.to_string(),
                Origin::Team | Origin::TeamReplacing => meta.source.clone(),
            },
            replaces_builtin: meta.origin == Origin::TeamReplacing,
        }
    }

    /// A resource's verdict as every report shows it: a failing resource of a
    /// control that is not due yet is PENDING, like its control.
    pub fn shown_verdict(&self, resource: &ResourceResult) -> Verdict {
        if self.verdict == Verdict::Pending && resource.verdict == Verdict::Fail {
            Verdict::Pending
        } else {
            resource.verdict
        }
    }

    pub fn count(&self, verdict: Verdict) -> usize {
        self.resources.iter().filter(|r| r.verdict == verdict).count()
    }

    /// "3 of 41 log groups fail", "all 41 log groups pass", "no log group in scope".
    pub fn summary(&self) -> String {
        let total = self.resources.len();
        let failing = self.count(Verdict::Fail);
        let waived = self.count(Verdict::Waived);
        let plural = |n: usize| {
            if n == 1 {
                self.resource_type.clone()
            } else {
                pluralize(&self.resource_type)
            }
        };
        // "fail" agrees with the count: "1 of 3 functions fails", "2 of 3 ... fail".
        let fail = |n: usize| if n == 1 { "fails" } else { "fail" };
        match self.verdict {
            // The note says why (no attestation recorded, evidence incomplete), also
            // once a missing attestation is only PENDING.
            _ if total == 0 && self.note.is_some() => self.note.clone().unwrap_or_default(),
            Verdict::Unknown | Verdict::NeedsEvidence if total == 0 => String::new(),
            _ if total == 0 => format!("no {} in scope", self.resource_type),
            _ if total == 1 && failing == 1 => format!("the {} fails", self.resource_type),
            _ if failing > 0 && waived > 0 => {
                format!("{failing} of {total} {} {}, {waived} waived", plural(total), fail(failing))
            }
            _ if failing > 0 => format!("{failing} of {total} {} {}", plural(total), fail(failing)),
            _ if total == 1 && waived == 1 => format!("the {} is waived", self.resource_type),
            _ if waived > 0 => format!("{waived} of {total} {} waived, the rest pass", plural(total)),
            _ if total == 1 => format!("the {} passes", self.resource_type),
            _ => format!("all {total} {} pass", plural(total)),
        }
    }
}

fn pluralize(noun: &str) -> String {
    if noun.ends_with('s') || noun.ends_with('x') || noun.ends_with("sh") {
        format!("{noun}es")
    } else if let Some(stem) = noun.strip_suffix('y').filter(|s| !s.ends_with(['a', 'e', 'o', 'u'])) {
        format!("{stem}ies")
    } else {
        format!("{noun}s")
    }
}
