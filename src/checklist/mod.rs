//! From raw policy outcomes to verdicts: phases, evidence completeness, waivers,
//! attestations. The result ([`CheckReport`]) is what every report format renders.

mod phases;

pub use phases::{Checklist, Phase};

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

use crate::attestations::Attestation;
use crate::engine::{ControlMeta, ControlOutcome, PolicySet, RawOutcome, Severity};
use crate::result::{
    CheckReport, ControlResult, PhaseRef, ResourceResult, SnapshotRef, ToolRef, Verdict, WaiverEntry, WaiverReport,
    RESULT_VERSION,
};
use crate::snapshot::{CollectionStatus, LoadedSnapshot};
use crate::waivers::Waiver;

/// Everything a verdict depends on besides the policy outcomes.
pub struct Judgement<'a> {
    pub policies: &'a PolicySet,
    pub checklist: &'a Checklist,
    pub snapshot: &'a LoadedSnapshot,
    pub waivers: &'a [Waiver],
    pub attestations: &'a [Attestation],
    pub as_of: DateTime<Utc>,
    pub cutover: Option<NaiveDate>,
}

impl Judgement<'_> {
    /// Days since cutover at `as_of` (J+N), when a cutover is known.
    pub fn day(&self) -> Option<i64> {
        self.cutover.map(|c| (self.as_of.date_naive() - c).num_days())
    }

    fn phase_day(&self, meta: &ControlMeta) -> u32 {
        self.checklist.phase_of(meta).map(|p| p.day).unwrap_or(meta.phase)
    }

    /// Without a cutover date every phase is due: the strictest reading. Before
    /// cutover (a pre-launch audit) the cutover-day phase is already due: it is the
    /// gate the launch must pass, so its failures fail the run instead of waiting.
    fn is_due(&self, phase_day: u32) -> bool {
        self.day().is_none_or(|d| d >= i64::from(phase_day) || phase_day == 0)
    }

    /// Consumes the outcomes: their resource ids move into the report instead of being
    /// held twice.
    pub fn judge(&self, outcomes: BTreeMap<String, ControlOutcome>) -> CheckReport {
        self.judge_counting(outcomes).0
    }

    /// The report, and how many in-scope resources each waiver matched (a run over
    /// several accounts adds them up to find the waivers that match nothing anywhere).
    pub fn judge_counting(&self, mut outcomes: BTreeMap<String, ControlOutcome>) -> (CheckReport, Vec<usize>) {
        let today = self.as_of.date_naive();
        let mut waiver_hits = vec![0usize; self.waivers.len()];
        let mut controls = Vec::new();
        for meta in self.policies.controls.values() {
            let phase_day = self.phase_day(meta);
            let due = self.is_due(phase_day);
            let mut result = match (meta.attestation, meta.reads_account()) {
                (true, false) => self.judge_attestation(meta, today),
                (true, true) => self.judge_either(meta, outcomes.remove(&meta.id), today, &mut waiver_hits),
                _ => self.judge_state(meta, outcomes.remove(&meta.id), today, &mut waiver_hits),
            };
            if !due && matches!(result.verdict, Verdict::Fail | Verdict::NeedsEvidence) {
                result.verdict = Verdict::Pending;
            }
            result.due = due;
            result.phase = phase_day;
            result.phase_id =
                self.checklist.phase_of(meta).map(|p| p.id.clone()).unwrap_or_else(|| format!("J+{phase_day}"));
            controls.push(result);
        }
        controls.sort_by(|a, b| (a.phase, &a.id).cmp(&(b.phase, &b.id)));

        let mut waivers = WaiverReport::default();
        for (waiver, hits) in self.waivers.iter().zip(&waiver_hits) {
            let entry = WaiverEntry::from(waiver);
            if !waiver.is_active(today) {
                waivers.expired.push(entry);
            } else if *hits == 0 {
                waivers.unmatched.push(entry);
            }
        }
        let snapshot = &self.snapshot.snapshot;
        let report = CheckReport {
            result_version: RESULT_VERSION,
            tool: ToolRef { name: "jalon".into(), version: env!("CARGO_PKG_VERSION").into() },
            policies_version: self.policies.version(),
            snapshot: SnapshotRef {
                sha256: self.snapshot.sha256.clone(),
                collected_at: snapshot.collected_at.clone(),
                account_id: snapshot.account.id.clone(),
                regions: snapshot.regions.clone(),
            },
            as_of: self.as_of.to_rfc3339_opts(SecondsFormat::Secs, true),
            cutover: self.cutover,
            day: self.day(),
            phases: self
                .checklist
                .phases
                .iter()
                .map(|p| PhaseRef { id: p.id.clone(), day: p.day, title: p.title.clone(), due: self.is_due(p.day) })
                .collect(),
            incomplete_collectors: snapshot
                .collectors
                .iter()
                .filter(|c| c.status != CollectionStatus::Ok)
                .cloned()
                .collect(),
            controls,
            waivers,
            drift: None,
            warnings: Vec::new(),
            slo: Vec::new(),
        };
        (report, waiver_hits)
    }

    fn judge_attestation(&self, meta: &ControlMeta, today: NaiveDate) -> ControlResult {
        let mine: Vec<&Attestation> = self.attestations.iter().filter(|a| a.control == meta.id).collect();
        let mut result = ControlResult::new(meta);
        if let Some(valid) = mine.iter().filter(|a| a.is_valid_on(today)).max_by_key(|a| a.date) {
            result.verdict = Verdict::Pass;
            result.resources.push(ResourceResult {
                id: valid.link.as_str().into(),
                verdict: Verdict::Pass,
                message: format!("attested by {} on {}, valid until {}", valid.by, valid.date, valid.expires),
                fix: None,
            });
            result.attestation = Some((*valid).clone());
        } else {
            result.verdict = Verdict::NeedsEvidence;
            let message = match mine.iter().max_by_key(|a| a.date) {
                Some(a) if a.date > today => format!("the attestation by {} is dated {}, after {today}", a.by, a.date),
                Some(a) => format!("the attestation by {} expired on {}", a.by, a.expires),
                None => "no attestation recorded for this control".to_string(),
            };
            result.note = Some(message);
        }
        result
    }

    /// Account state first; what it cannot show, an attestation may: a PASS stands; else
    /// a valid attestation passes the control (the account's findings kept in its
    /// note), a FAIL only when the attestation gives a reason (an override the team
    /// writes down, not a signature that hides a breach); else a control with nothing
    /// in scope NEEDS_EVIDENCE (nothing seen, nothing attested) and the others keep
    /// their verdict (FAIL, WAIVED, UNKNOWN).
    fn judge_either(
        &self,
        meta: &ControlMeta,
        outcome: Option<ControlOutcome>,
        today: NaiveDate,
        waiver_hits: &mut [usize],
    ) -> ControlResult {
        let state = self.judge_state(meta, outcome, today, waiver_hits);
        if state.verdict == Verdict::Pass {
            return state;
        }
        let mut attested = self.judge_attestation(meta, today);
        if let Some(attestation) = attested.attestation.as_ref().filter(|_| attested.verdict == Verdict::Pass) {
            let note = match (state.verdict, &attestation.reason) {
                (Verdict::Fail, None) => {
                    let mut result = state;
                    result.note = Some(format!(
                        "the attestation by {} does not override the account's FAIL: an override needs a `reason`",
                        attestation.by
                    ));
                    return result;
                }
                (Verdict::Fail, Some(reason)) => format!("attested over the account's FAIL: {reason}"),
                (Verdict::NotApplicable, _) => "attested (nothing seen in the account)".to_string(),
                (seen, _) => format!("attested (the account showed {})", seen.as_str()),
            };
            attested.note = Some(note);
            return attested;
        }
        if state.verdict == Verdict::NotApplicable {
            let mut result = state;
            result.verdict = Verdict::NeedsEvidence;
            result.note = Some(format!("nothing in the account shows it, and {}", attested.note.unwrap_or_default()));
            return result;
        }
        state
    }

    fn judge_state(
        &self,
        meta: &ControlMeta,
        outcome: Option<ControlOutcome>,
        today: NaiveDate,
        waiver_hits: &mut [usize],
    ) -> ControlResult {
        let mut result = ControlResult::new(meta);
        let snapshot = &self.snapshot.snapshot;
        // Evidence first: a control whose collectors did not all succeed can not pass.
        let mut gaps = Vec::new();
        for service in &meta.evidence {
            let statuses: Vec<_> = snapshot.statuses_of(service).collect();
            if statuses.is_empty() {
                gaps.push(format!("{service} was not collected"));
            }
            for s in statuses.into_iter().filter(|s| s.status != CollectionStatus::Ok) {
                let what = match s.status {
                    CollectionStatus::AccessDenied => "access denied",
                    CollectionStatus::Throttled => "throttled past retries",
                    _ => "failed",
                };
                let op = s.operation.as_deref().map(|o| format!(" on {o}")).unwrap_or_default();
                gaps.push(format!("{service} in {}: {what}{op}", s.region));
            }
        }
        if !gaps.is_empty() {
            result.verdict = Verdict::Unknown;
            result.note = Some(format!("evidence incomplete: {}", gaps.join("; ")));
            return result;
        }
        let RawOutcome { in_scope, mut deny } = match outcome {
            Some(Ok(o)) => o,
            Some(Err(e)) => {
                result.verdict = Verdict::Unknown;
                result.note = Some(format!("policy error: {e}"));
                return result;
            }
            None => {
                result.verdict = Verdict::Unknown;
                result.note = Some("the policy was not evaluated".into());
                return result;
            }
        };
        // A waiver that matches an in-scope resource that passes still "matches something".
        for (i, w) in self.waivers.iter().enumerate() {
            if w.is_active(today) && in_scope.iter().any(|id| w.matches(&meta.id, id)) {
                waiver_hits[i] += 1;
            }
        }
        for id in in_scope {
            let resource = match deny.remove(&id) {
                None => ResourceResult { id, verdict: Verdict::Pass, message: String::new(), fix: None },
                Some(messages) => {
                    let message = messages.join("; ");
                    let waiver =
                        self.waivers.iter().enumerate().find(|(_, w)| w.is_active(today) && w.matches(&meta.id, &id));
                    match waiver {
                        Some((i, w)) => {
                            waiver_hits[i] += 1;
                            ResourceResult {
                                id,
                                verdict: Verdict::Waived,
                                message: format!(
                                    "{message} (waived by {}, approved by {}, until {}: {})",
                                    w.owner, w.approved_by, w.expires, w.reason
                                ),
                                fix: None,
                            }
                        }
                        None => ResourceResult { id, verdict: Verdict::Fail, message, fix: None },
                    }
                }
            };
            result.resources.push(resource);
        }
        let count = |v: Verdict| result.resources.iter().filter(|r| r.verdict == v).count();
        result.verdict = if count(Verdict::Fail) > 0 {
            Verdict::Fail
        } else if count(Verdict::Waived) > 0 {
            Verdict::Waived
        } else if result.resources.is_empty() {
            Verdict::NotApplicable
        } else {
            Verdict::Pass
        };
        // Failures first, then by id, so reports lead with what needs doing. The ids
        // came in order (a sorted set): a stable sort by verdict alone keeps it, with
        // no string comparison.
        result.resources.sort_by_key(|r| r.verdict.rank());
        result
    }
}

/// The exit code for a report: 1 findings at or above `fail_on`, else 2 when evidence
/// is incomplete, else 0. Only controls `in_view` count.
pub fn exit_code(report: &CheckReport, fail_on: Severity, in_view: impl Fn(&ControlResult) -> bool) -> i32 {
    use crate::error::exit;
    let shown: Vec<&ControlResult> = report.controls.iter().filter(|c| in_view(c)).collect();
    if shown.iter().any(|c| c.verdict == Verdict::Fail && c.severity >= fail_on) {
        exit::FINDINGS
    } else if shown.iter().any(|c| matches!(c.verdict, Verdict::Unknown | Verdict::NeedsEvidence))
        || report.warnings.iter().any(|w| w.incomplete)
    {
        exit::INCOMPLETE
    } else {
        exit::OK
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::LoadedSnapshot;

    #[test]
    fn resources_list_failures_first_then_by_id() {
        let policies = PolicySet::embedded().unwrap();
        let checklist = Checklist::embedded().unwrap();
        let snapshot = crate::synthetic::generate(40, 3);
        let loaded = LoadedSnapshot { sha256: String::new(), snapshot };
        let judgement = Judgement {
            policies: &policies,
            checklist: &checklist,
            snapshot: &loaded,
            waivers: &[],
            attestations: &[],
            as_of: Utc::now(),
            cutover: None,
        };
        let outcome = RawOutcome {
            in_scope: ["d", "b", "c", "a"].into_iter().map(Into::into).collect(),
            deny: BTreeMap::from([("c".into(), vec!["m2".into(), "m1".into()]), ("a".into(), vec!["m".into()])]),
        };
        let report = judgement.judge(BTreeMap::from([("LOG-001".to_string(), Ok(outcome))]));
        let log_001 = report.controls.iter().find(|c| c.id == "LOG-001").unwrap();
        let listed: Vec<(&str, Verdict, &str)> =
            log_001.resources.iter().map(|r| (&*r.id, r.verdict, r.message.as_str())).collect();
        assert_eq!(
            listed,
            [
                ("a", Verdict::Fail, "m"),
                ("c", Verdict::Fail, "m2; m1"),
                ("b", Verdict::Pass, ""),
                ("d", Verdict::Pass, "")
            ]
        );
        assert_eq!(log_001.verdict, Verdict::Fail);
    }
}
