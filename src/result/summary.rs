//! What the table and the Markdown of a run over several accounts keep of each
//! account once its report is written and dropped: its verdict counts, its exit
//! code, and the controls that need attention with a few of their resources. Small
//! (a few KB an account), so that 200 accounts never hold 200 reports.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::engine::Severity;
use crate::result::{CheckReport, ControlResult, PhaseRef, Verdict, WaiverEntry, Warning};
use crate::snapshot::index::{AccountStatus, IndexedAccount, LoadedIndex};

/// Resources listed under a control in the details, at most.
pub const LISTED_RESOURCES: usize = 3;

/// The whole run.
#[derive(Debug, Serialize)]
pub struct RunSummary {
    /// Written once, at the head of the JSON document.
    #[serde(skip)]
    pub index: IndexRef,
    pub accounts: Vec<AccountSummary>,
    /// Every control in view that fails or is not judged in some account (a failed
    /// account is left out: see [`RunSummary::failed_accounts`]).
    pub controls: Vec<ControlAcross>,
    /// The worst of the accounts' (1 over 2 over 0).
    pub exit_code: i32,
    /// Waivers that apply to no account judged: see [`RunOutcome`](crate::accounts::run::RunOutcome).
    pub unmatched_waivers: Vec<WaiverEntry>,
    pub warnings: Vec<Warning>,
    /// With `--baseline`: the baseline's accounts this run does not have.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub accounts_removed: Vec<String>,
}

/// The snapshot directory judged.
#[derive(Debug, Clone, Serialize)]
pub struct IndexRef {
    pub path: String,
    pub sha256: String,
    pub collected_at: String,
    pub source: crate::snapshot::index::AccountSource,
    pub role_name: String,
    pub accounts: usize,
    /// Left out of the collection on purpose (`collect --exclude-accounts`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub excluded: Vec<String>,
}

impl IndexRef {
    pub fn of(index: &LoadedIndex) -> IndexRef {
        IndexRef {
            path: index.file.display().to_string(),
            sha256: index.sha256.clone(),
            collected_at: index.index.collected_at.clone(),
            source: index.index.source,
            role_name: index.index.role_name.clone(),
            accounts: index.index.accounts.len(),
            excluded: index.index.excluded_accounts.clone(),
        }
    }
}

/// One account, as the index names it and as it was judged.
#[derive(Debug, Clone, Serialize)]
pub struct AccountSummary {
    pub id: String,
    pub name: Option<String>,
    pub status: AccountStatus,
    pub message: Option<String>,
    pub cutover: Option<NaiveDate>,
    pub day: Option<i64>,
    pub as_of: String,
    pub phases: Vec<PhaseRef>,
    /// Controls in view per verdict.
    pub counts: BTreeMap<Verdict, usize>,
    pub exit_code: i32,
    /// Its warnings' messages (an incomplete collection among them).
    pub warnings: Vec<String>,
    /// With `--baseline`: what changed since the account's baseline result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drift: Option<crate::result::drift::DriftSummary>,
    /// The controls in view that are FAIL, UNKNOWN or NEEDS_EVIDENCE, most severe first
    /// (none for a failed account: all of them are UNKNOWN).
    #[serde(skip)]
    pub attention: Vec<ControlBrief>,
    /// Regions of its snapshot: one region, the resources are named by their short name.
    #[serde(skip)]
    pub one_region: bool,
}

/// A control that needs attention in one account.
#[derive(Debug, Clone)]
pub struct ControlBrief {
    pub id: String,
    pub severity: Severity,
    pub phase_id: String,
    pub verdict: Verdict,
    /// "3 of 41 log groups fail", or why it is not judged.
    pub summary: String,
    /// The first failing resources: (id, message).
    pub resources: Vec<(String, String)>,
    /// Failing resources not listed.
    pub more: usize,
}

/// A control across the accounts: where it fails, where it is not judged.
#[derive(Debug, Clone, Serialize)]
pub struct ControlAcross {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    /// Days after the cutover it is due (its phase's day), and the phase's id.
    pub phase: u32,
    pub phase_id: String,
    pub fail: Vec<String>,
    pub unknown: Vec<String>,
    pub needs_evidence: Vec<String>,
    pub waived: Vec<String>,
}

/// Verdicts the per-control summary lists accounts for.
const ACROSS: [Verdict; 4] = [Verdict::Fail, Verdict::Unknown, Verdict::NeedsEvidence, Verdict::Waived];

impl RunSummary {
    pub fn new(index: &LoadedIndex) -> RunSummary {
        RunSummary {
            index: IndexRef::of(index),
            accounts: Vec::new(),
            controls: Vec::new(),
            exit_code: crate::error::exit::OK,
            unmatched_waivers: Vec::new(),
            warnings: Vec::new(),
            accounts_removed: Vec::new(),
        }
    }

    /// Keeps what the summary needs of one account's report.
    pub fn add(
        &mut self,
        entry: &IndexedAccount,
        report: &CheckReport,
        shown: &dyn Fn(&ControlResult) -> bool,
        exit_code: i32,
    ) {
        let controls: Vec<&ControlResult> = report.controls.iter().filter(|c| shown(c)).collect();
        // A failed account is UNKNOWN everywhere: named once, not under every control.
        let failed = entry.status == AccountStatus::Failed;
        let mut counts = BTreeMap::new();
        for c in &controls {
            *counts.entry(c.verdict).or_insert(0) += 1;
            if failed || !ACROSS.contains(&c.verdict) {
                continue;
            }
            let across = match self.controls.iter_mut().find(|a| a.id == c.id) {
                Some(across) => across,
                None => {
                    self.controls.push(ControlAcross {
                        id: c.id.clone(),
                        title: c.title.clone(),
                        severity: c.severity,
                        phase: c.phase,
                        phase_id: c.phase_id.clone(),
                        fail: Vec::new(),
                        unknown: Vec::new(),
                        needs_evidence: Vec::new(),
                        waived: Vec::new(),
                    });
                    self.controls.last_mut().expect("just pushed")
                }
            };
            let list = match c.verdict {
                Verdict::Fail => &mut across.fail,
                Verdict::Unknown => &mut across.unknown,
                Verdict::NeedsEvidence => &mut across.needs_evidence,
                _ => &mut across.waived,
            };
            list.push(entry.id.clone());
        }
        // Most severe first, then the checklist's order (the controls' phase and id).
        self.controls.sort_by(|a, b| {
            (std::cmp::Reverse(a.severity), a.phase, &a.id).cmp(&(std::cmp::Reverse(b.severity), b.phase, &b.id))
        });
        let mut attention: Vec<ControlBrief> = controls
            .iter()
            .filter(|c| !failed && matches!(c.verdict, Verdict::Fail | Verdict::Unknown | Verdict::NeedsEvidence))
            .map(|c| brief(c))
            .collect();
        attention.sort_by_key(|b| (b.verdict.rank(), std::cmp::Reverse(b.severity), b.id.clone()));
        self.accounts.push(AccountSummary {
            id: entry.id.clone(),
            name: entry.name.clone(),
            status: entry.status,
            message: entry.message.clone(),
            cutover: report.cutover,
            day: report.day,
            as_of: report.as_of.clone(),
            phases: report.phases.clone(),
            counts,
            exit_code,
            warnings: report.warnings.iter().map(|w| w.message.clone()).collect(),
            drift: report.drift.as_ref().map(|d| d.summary.clone()),
            attention,
            one_region: report.snapshot.regions.len() <= 1,
        });
        self.exit_code = worst(self.exit_code, exit_code);
    }

    /// The accounts nothing could be read of: every control that needs the account's
    /// evidence is UNKNOWN there.
    pub fn failed_accounts(&self) -> Vec<&str> {
        self.accounts.iter().filter(|a| a.status == AccountStatus::Failed).map(|a| a.id.as_str()).collect()
    }
}

fn brief(c: &ControlResult) -> ControlBrief {
    let failing: Vec<_> = c.resources.iter().filter(|r| r.verdict == Verdict::Fail).collect();
    ControlBrief {
        id: c.id.clone(),
        severity: c.severity,
        phase_id: c.phase_id.clone(),
        verdict: c.verdict,
        summary: c.summary(),
        resources: failing.iter().take(LISTED_RESOURCES).map(|r| (r.id.to_string(), r.message.clone())).collect(),
        more: failing.len().saturating_sub(LISTED_RESOURCES),
    }
}

/// The worse of two exit codes: findings (1) over incomplete evidence (2) over 0.
pub fn worst(a: i32, b: i32) -> i32 {
    use crate::error::exit::{FINDINGS, INCOMPLETE, OK};
    let rank = |code: i32| match code {
        OK => 0,
        INCOMPLETE => 1,
        FINDINGS => 2,
        _ => 3,
    };
    if rank(b) > rank(a) {
        b
    } else {
        a
    }
}

/// What a whole run amounts to, in one line, from the run's exit code (the accounts'
/// and the run's own warnings: no account judged, an account gone since the
/// baseline), never from the accounts' alone.
pub struct Headline {
    pub text: String,
    /// FAIL, UNKNOWN or PASS.
    pub verdict: Verdict,
}

impl RunSummary {
    pub fn headline(&self) -> Headline {
        let n = |code: i32| self.accounts.iter().filter(|a| a.exit_code == code).count();
        let total = self.accounts.len();
        let accounts = if total == 1 { "account" } else { "accounts" };
        let (text, verdict) = match self.exit_code {
            crate::error::exit::OK => (format!("every due control passes in {total} {accounts}"), Verdict::Pass),
            crate::error::exit::FINDINGS if n(1) > 0 => {
                (format!("{} of {total} {accounts} {}", n(1), if n(1) == 1 { "fails" } else { "fail" }), Verdict::Fail)
            }
            crate::error::exit::FINDINGS => ("findings (see the warnings)".to_string(), Verdict::Fail),
            _ if total == 0 => ("no account judged: evidence incomplete".to_string(), Verdict::Unknown),
            _ if n(2) > 0 => (format!("evidence incomplete in {} of {total} {accounts}", n(2)), Verdict::Unknown),
            _ => ("evidence incomplete (see the warnings)".to_string(), Verdict::Unknown),
        };
        Headline { text, verdict }
    }
}

/// "FAIL", "INCOMPLETE", "PASS": what an account amounts to, from its exit code and
/// whether a control fails (with `--baseline`, failures the baseline had exit 0:
/// "KNOWN FAILURES", never "PASS").
pub fn outcome_label(exit_code: i32, failing: bool) -> &'static str {
    match exit_code {
        crate::error::exit::OK if failing => "KNOWN FAILURES",
        crate::error::exit::OK => "PASS",
        crate::error::exit::FINDINGS => "FAIL",
        _ => "INCOMPLETE",
    }
}

impl AccountSummary {
    /// [`outcome_label`] of this account.
    pub fn outcome(&self) -> &'static str {
        outcome_label(self.exit_code, self.counts.get(&Verdict::Fail).is_some_and(|n| *n > 0))
    }
}

/// "2 new failures, 1 fixed since the baseline", with `--baseline`.
pub fn drift_text(account: &AccountSummary) -> Option<String> {
    let d = account.drift.as_ref()?;
    let failures = if d.new_failures == 1 { "new failure" } else { "new failures" };
    Some(format!("{} {failures}, {} fixed since the baseline", d.new_failures, d.fixed))
}

/// "6 FAIL, 1 WAIVED, 17 PASS", most pressing first.
pub fn counts_text(counts: &BTreeMap<Verdict, usize>) -> String {
    let mut parts: Vec<(Verdict, usize)> = counts.iter().map(|(v, n)| (*v, *n)).filter(|(_, n)| *n > 0).collect();
    parts.sort_by_key(|(v, _)| v.rank());
    parts.iter().map(|(v, n)| format!("{n} {v}")).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_exit_code_wins() {
        assert_eq!(worst(0, 2), 2);
        assert_eq!(worst(2, 1), 1);
        assert_eq!(worst(1, 2), 1);
        assert_eq!(worst(1, 0), 1);
        assert_eq!(worst(0, 0), 0);
    }
}
