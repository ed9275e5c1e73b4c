//! `jalon diff OLD NEW` over accounts: two results over accounts (verdict drift per
//! account), or two snapshot directories (each account's configuration changes and
//! its verdicts, both judged with the same files). Accounts that appear or disappear
//! between the two are listed: a disappeared account is evidence missing, never
//! silently fine.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use crate::drift::snapshots::{self, DiffOptions, SnapshotDiff};
use crate::error::JalonError;
use crate::result::drift::Drift;
use crate::result::CheckReport;
use crate::snapshot::index::{AccountStatus, LoadedIndex};
use crate::snapshot::LoadedSnapshot;

/// The diff of two runs over accounts.
#[derive(Debug, Serialize)]
pub struct AccountsDiff {
    /// In NEW, not in OLD.
    pub added: Vec<String>,
    /// In OLD, not in NEW: its evidence is missing from NEW.
    pub removed: Vec<String>,
    /// In NEW, not read whole (a role refused, a collector denied or throttled): what
    /// did not change there is not known.
    pub incomplete: Vec<String>,
    /// The accounts both have, by id.
    pub accounts: Vec<AccountDiff>,
}

#[derive(Debug, Serialize)]
pub struct AccountDiff {
    pub id: String,
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snapshots: Option<SnapshotDiff>,
    pub drift: Drift,
}

impl AccountsDiff {
    pub fn has_regression(&self, fail_on: crate::engine::Severity) -> bool {
        self.accounts.iter().any(|a| a.drift.has_regression(fail_on))
    }
}

/// Added and removed ids, and the ids both have, each sorted.
fn split<'a>(old: &'a [String], new: &'a [String]) -> (Vec<String>, Vec<String>, Vec<&'a str>) {
    let (old_ids, new_ids): (BTreeSet<&str>, BTreeSet<&str>) =
        (old.iter().map(String::as_str).collect(), new.iter().map(String::as_str).collect());
    let added = new_ids.difference(&old_ids).map(|s| s.to_string()).collect();
    let removed = old_ids.difference(&new_ids).map(|s| s.to_string()).collect();
    (added, removed, old_ids.intersection(&new_ids).copied().collect())
}

/// Two results over accounts (`check --snapshot DIR --format json`).
pub fn results(old: &Path, new: &Path) -> Result<AccountsDiff, JalonError> {
    let (before, after) = (crate::result::accounts::load(old)?, crate::result::accounts::load(new)?);
    let ids = |r: &crate::result::accounts::AccountsResult| {
        r.accounts.iter().map(|a| a.account.id.clone()).collect::<Vec<_>>()
    };
    let (old_ids, new_ids) = (ids(&before), ids(&after));
    let (added, removed, both) = split(&old_ids, &new_ids);
    let mut accounts = Vec::new();
    for id in both {
        let (b, a) = (before.account(id).expect("listed"), after.account(id).expect("listed"));
        let report = |entry: &crate::result::accounts::AccountEntry, path: &Path| -> Result<CheckReport, JalonError> {
            entry.report().map_err(|detail| JalonError::input(path, detail))
        };
        let drift = crate::drift::compare(&report(b, old)?, &report(a, new)?);
        accounts.push(AccountDiff { id: id.to_string(), name: a.account.name.clone(), snapshots: None, drift });
    }
    let incomplete = after
        .accounts
        .iter()
        .filter(|a| a.account.status != AccountStatus::Complete || a.exit_code == crate::error::exit::INCOMPLETE)
        .map(|a| a.account.id.clone())
        .collect();
    Ok(AccountsDiff { added, removed, incomplete, accounts })
}

/// Two snapshot directories: each account both hold, its snapshots compared and
/// judged by `judge` (the same files for both), one account at a time.
pub fn directories(
    old: &Path,
    new: &Path,
    options: DiffOptions,
    judge: &dyn Fn(&Path) -> Result<CheckReport, JalonError>,
) -> Result<AccountsDiff, JalonError> {
    let (before, after) = (LoadedIndex::load(old)?, LoadedIndex::load(new)?);
    let ids = |i: &LoadedIndex| i.index.accounts.iter().map(|a| a.id.clone()).collect::<Vec<_>>();
    let (old_ids, new_ids) = (ids(&before), ids(&after));
    let (added, removed, both) = split(&old_ids, &new_ids);
    let mut accounts = Vec::new();
    for id in both {
        let read = |index: &LoadedIndex| -> Result<(LoadedSnapshot, std::path::PathBuf), JalonError> {
            let entry = index.index.accounts.iter().find(|a| a.id == id).expect("listed");
            let path = index.snapshot_path(entry);
            let bytes = index.read_snapshot(entry)?;
            let text =
                String::from_utf8(bytes).map_err(|e| JalonError::input(&path, format!("not UTF-8 text: {e}")))?;
            let snapshot = LoadedSnapshot::from_text(&path, &text)?;
            Ok((snapshot, path))
        };
        let ((b, b_path), (a, a_path)) = (read(&before)?, read(&after)?);
        let names = (b_path.display().to_string(), a_path.display().to_string());
        let diff = snapshots::diff(&b, &a, (&names.0, &names.1), options);
        drop((b, a));
        let drift = crate::drift::compare(&judge(&b_path)?, &judge(&a_path)?);
        let name = after.index.accounts.iter().find(|e| e.id == id).and_then(|e| e.name.clone());
        accounts.push(AccountDiff { id: id.to_string(), name, snapshots: Some(diff), drift });
    }
    let incomplete =
        after.index.accounts.iter().filter(|a| a.status != AccountStatus::Complete).map(|a| a.id.clone()).collect();
    Ok(AccountsDiff { added, removed, incomplete, accounts })
}
