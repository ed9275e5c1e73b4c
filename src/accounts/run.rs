//! The loop over a snapshot directory's accounts: the team's files and the policies
//! read once; then each account's snapshot read, judged and handed on, and dropped
//! before the next one is read.

use std::collections::BTreeSet;

use chrono::Utc;

use crate::engine::Evaluator;
use crate::error::JalonError;
use crate::pipeline::{self, Evidence, Request, Rules, StageTimes};
use crate::result::{CheckReport, WaiverEntry, Warning};
use crate::snapshot::index::{AccountStatus, IndexedAccount, LoadedIndex};

/// What the run found beyond each account's report: the waivers and attestations
/// that apply to no account judged.
#[derive(Debug, Default)]
pub struct RunOutcome {
    /// Waivers without `account` that matched nothing in any account, and waivers
    /// naming an account that is not in the run.
    pub unmatched_waivers: Vec<WaiverEntry>,
    pub warnings: Vec<Warning>,
}

/// A run ready to judge: the team's files and the policies read, every snapshot of
/// the index checked. Everything that can be wrong with the input is found here,
/// before any report is begun.
pub struct Prepared<'a> {
    index: &'a LoadedIndex,
    request: &'a Request,
    rules: Rules,
    evaluator: Evaluator,
}

/// Reads the team's files and the policies once, and checks every snapshot of the
/// index: there, its bytes the ones the index hashed, a snapshot jalon reads, of the
/// account the index says. A snapshot that is not is an input error naming it.
pub fn prepare<'a>(index: &'a LoadedIndex, request: &'a Request) -> Result<Prepared<'a>, JalonError> {
    let rules = Rules::load(&request.files)?;
    if let Some(phase) = &request.phase {
        rules.check_phase(phase)?;
    }
    for warning in &rules.policies.warnings {
        eprintln!("jalon: warning: {warning}");
    }
    for account in &index.index.accounts {
        check_snapshot(index, account)?;
    }
    // Parsed once; each account's engines share the modules with their own data.
    let evaluator = Evaluator::new(&rules.policies, &rules.config, request.as_of.unwrap_or_else(Utc::now))?;
    Ok(Prepared { index, request, rules, evaluator })
}

impl Prepared<'_> {
    /// Judges every account, one after another, and hands each report to `each` (with
    /// the account's entry in the index) before the next snapshot is read.
    pub fn run(
        self,
        mut each: impl FnMut(&IndexedAccount, CheckReport) -> Result<(), JalonError>,
    ) -> Result<RunOutcome, JalonError> {
        let Prepared { index, request, rules, evaluator } = self;
        let mut hits = vec![0usize; rules.waivers.len()];
        let mut in_play = vec![false; rules.waivers.len()];
        for entry in &index.index.accounts {
            let path = index.snapshot_path(entry);
            let evidence = Evidence::Snapshot(path.clone());
            let (snapshot, input) = pipeline::read_evidence(&evidence, false)?;
            // Checked again as read: the file may have changed since the first look.
            if !snapshot.sha256.eq_ignore_ascii_case(&entry.sha256) {
                return Err(index.changed(entry, &snapshot.sha256));
            }
            let as_of = pipeline::as_of(request.as_of, &snapshot, &evidence)?;
            let mut account = rules.for_account(&entry.id);
            if entry.status == AccountStatus::Failed {
                // Nothing of the account could be read: an attestation kept for every
                // account (a kill switch, a runbook) says nothing of this one, so the
                // controls that read the account stay UNKNOWN. Attestation-only
                // controls (a cost review) still take theirs.
                account
                    .attestations
                    .retain(|a| rules.policies.controls.get(&a.control).is_some_and(|m| !m.reads_account()));
            }
            let engines = evaluator.rebind(&account.config, as_of)?;
            let judged = pipeline::judge_snapshot(
                &rules,
                &account,
                &engines,
                &snapshot,
                input,
                as_of,
                request,
                &mut StageTimes::default(),
            )?;
            drop((engines, snapshot));
            let today = as_of.date_naive();
            for (i, n) in account.waiver_index.iter().zip(&judged.waiver_hits) {
                hits[*i] += n;
                in_play[*i] |= rules.waivers[*i].is_active(today);
            }
            let mut report = judged.report;
            // A snapshot whose role could not be assumed may not know its own account.
            if report.snapshot.account_id.is_empty() {
                report.snapshot.account_id = entry.id.clone();
            }
            // A waiver for every account matches nothing in one of them as a rule: it is
            // reported once, over the run, only when it matches nothing anywhere.
            report.waivers.unmatched.retain(|w| !w.account.is_empty());
            report.warnings.extend(collection_warning(entry));
            each(entry, report)?;
        }
        let judged: BTreeSet<&str> = index.index.accounts.iter().map(|a| a.id.as_str()).collect();
        Ok(outcome(&rules, &hits, &in_play, &judged))
    }
}

/// The waivers and attestations that apply to no account of the run.
fn outcome(rules: &Rules, hits: &[usize], in_play: &[bool], judged: &BTreeSet<&str>) -> RunOutcome {
    let mut outcome = RunOutcome::default();
    let elsewhere = |scope: &[String]| -> Vec<String> {
        scope.iter().filter(|id| !judged.contains(id.as_str())).cloned().collect()
    };
    for (i, w) in rules.waivers.iter().enumerate() {
        let missing = elsewhere(&w.account);
        if !missing.is_empty() {
            outcome.warnings.push(Warning::new(
                "waiver-account-not-judged",
                format!(
                    "the waiver of {} for {} (owner {}) names account {}, not in this run: it waives nothing there",
                    w.control,
                    w.resource,
                    w.owner,
                    missing.join(", ")
                ),
                false,
            ));
            outcome.unmatched_waivers.push(WaiverEntry::from(w));
        } else if w.account.is_empty() && in_play[i] && hits[i] == 0 {
            outcome.unmatched_waivers.push(WaiverEntry::from(w));
        }
    }
    for a in &rules.attestations {
        let missing = elsewhere(&a.account);
        if !missing.is_empty() {
            outcome.warnings.push(Warning::new(
                "attestation-account-not-judged",
                format!(
                    "the attestation of {} by {} names account {}, not in this run",
                    a.control,
                    a.by,
                    missing.join(", ")
                ),
                false,
            ));
        }
    }
    outcome
}

/// An account the collection could not read whole: never judged silently fine.
fn collection_warning(entry: &IndexedAccount) -> Option<Warning> {
    let why = entry.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default();
    match entry.status {
        AccountStatus::Complete => None,
        AccountStatus::Incomplete => Some(Warning::new(
            "account-incomplete",
            format!("the collection of account {} is incomplete{why}", entry.id),
            true,
        )),
        AccountStatus::Failed => Some(Warning::new(
            "account-failed",
            format!("nothing of account {} could be read{why}: its controls are UNKNOWN", entry.id),
            true,
        )),
    }
}

/// The snapshot is there, its bytes are the ones the index hashed, it reads as a
/// snapshot (checked whole, nothing kept), and it is of the account the index says.
fn check_snapshot(index: &LoadedIndex, entry: &IndexedAccount) -> Result<(), JalonError> {
    let path = index.snapshot_path(entry);
    let bytes = index.read_snapshot(entry)?;
    let text = String::from_utf8(bytes).map_err(|e| JalonError::input(&path, format!("not UTF-8 text: {e}")))?;
    let snapshot =
        crate::snapshot::parse_without_resources(&text).map_err(|detail| JalonError::input(&path, detail))?;
    drop(text);
    for (i, status) in snapshot.collectors.iter().enumerate() {
        crate::collect::registry::check_name(status.service.as_str())
            .map_err(|e| JalonError::input(&path, format!("at `collectors[{i}].service`: {e}")))?;
    }
    let found = &snapshot.account.id;
    if !found.is_empty() && found != &entry.id {
        return Err(JalonError::input(
            &path,
            format!(
                "at `account.id`: {} lists this file as account {}'s snapshot, it is of account {found}",
                index.file.display(),
                entry.id
            ),
        ));
    }
    Ok(())
}
