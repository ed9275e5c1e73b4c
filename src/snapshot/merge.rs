//! `jalon merge`: the snapshot directories of a sharded collection (`collect --shard
//! K/N` on N machines) into one, for `check --snapshot DIR`.
//!
//! A merge that misses a shard, holds one twice, or mixes two collections would judge
//! part of the Organization as if it were the whole: each is refused.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::index::{LoadedIndex, SnapshotIndex, INDEX_FILE};
use crate::error::JalonError;

/// Merges the shard directories `inputs` into `out` (created; its snapshots are hard
/// links to the inputs' where the file system allows, else copies).
pub fn merge(inputs: &[PathBuf], out: &Path) -> Result<SnapshotIndex, JalonError> {
    let mut loaded = Vec::new();
    for input in inputs {
        loaded.push(LoadedIndex::load(input)?);
    }
    let Some(first) = loaded.first() else {
        return Err(JalonError::Usage("jalon merge needs at least one snapshot directory".into()));
    };
    let place = |l: &LoadedIndex| l.dir.join(INDEX_FILE);
    // Every input a shard of the same split, each shard once.
    let count = match first.index.shard {
        Some(shard) => shard.count,
        None if loaded.len() == 1 => 1,
        None => {
            return Err(JalonError::input(
                place(first),
                "not a shard (collected without --shard K/N): a whole collection is not merged with others",
            ))
        }
    };
    let mut by_shard: BTreeMap<u32, &LoadedIndex> = BTreeMap::new();
    for l in &loaded {
        let Some(shard) = l.index.shard else {
            return Err(JalonError::input(place(l), "not a shard (collected without --shard K/N)"));
        };
        if shard.count != count {
            return Err(JalonError::input(
                place(l),
                format!("shard {shard} is of a split in {} parts, the first input's in {count}", shard.count),
            ));
        }
        for (what, found, expected) in [
            ("role_name", &l.index.role_name, &first.index.role_name),
            ("tool.version", &l.index.tool.version, &first.index.tool.version),
        ] {
            if found != expected {
                return Err(JalonError::input(
                    place(l),
                    format!("at `{what}`: {found:?}, the first input's is {expected:?}: not the same collection"),
                ));
            }
        }
        if l.index.excluded_accounts != first.index.excluded_accounts {
            return Err(JalonError::input(
                place(l),
                "at `excluded_accounts`: not the accounts the first input excluded: not the same collection",
            ));
        }
        if l.index.source != first.index.source {
            return Err(JalonError::input(place(l), "at `source`: not the same list of accounts as the first input"));
        }
        if let Some(other) = by_shard.insert(shard.index, l) {
            return Err(JalonError::input(place(l), format!("shard {shard} is also in {}", other.dir.display())));
        }
    }
    if first.index.shard.is_some() {
        let missing: Vec<String> =
            (0..count).filter(|k| !by_shard.contains_key(k)).map(|k| format!("{k}/{count}")).collect();
        if !missing.is_empty() {
            return Err(JalonError::Usage(format!(
                "shards missing: {} (every shard of the split is needed, or part of the accounts would go unjudged)",
                missing.join(", ")
            )));
        }
    }

    one_collection(&by_shard)?;

    std::fs::create_dir_all(out).map_err(|e| JalonError::io(out, e))?;
    let mut merged = first.index.clone();
    merged.accounts.clear();
    merged.shard = None;
    merged.listed_accounts = None;
    // Every shard listed the same accounts and excluded the same ones.
    merged.excluded_accounts = first.index.excluded_accounts.clone();
    merged.cost = Default::default();
    for l in by_shard.values() {
        merged.collected_at = merged.collected_at.min(l.index.collected_at.clone());
        merged.cost.seconds = merged.cost.seconds.max(l.index.cost.seconds);
        // Counts read from files: added without overflow, whatever they hold.
        merged.cost.retries = merged.cost.retries.saturating_add(l.index.cost.retries);
        merged.cost.throttles = merged.cost.throttles.saturating_add(l.index.cost.throttles);
        for (call, n) in &l.index.cost.api_calls {
            let total = merged.cost.api_calls.entry(call.clone()).or_default();
            *total = total.saturating_add(*n);
        }
        for account in &l.index.accounts {
            let from = l.snapshot_path(account);
            let bytes = l.read_snapshot(account)?;
            let to = out.join(&account.snapshot);
            if to != from {
                let _ = std::fs::remove_file(&to);
                if std::fs::hard_link(&from, &to).is_err() {
                    crate::files::write_whole(&to, |w| w.write_all(&bytes))?;
                }
            }
            merged.accounts.push(account.clone());
        }
    }
    merged.accounts.sort_by(|a, b| a.id.cmp(&b.id));
    for pair in merged.accounts.windows(2) {
        if pair[0].id == pair[1].id {
            return Err(JalonError::Usage(format!("account {} is in two shards", pair[0].id)));
        }
    }
    let text = super::index::to_json(&merged);
    // Checked as `check` will read it.
    super::index::parse(&text).map_err(|e| JalonError::Runtime(format!("the merged index does not read back: {e}")))?;
    crate::files::write_whole(&out.join(INDEX_FILE), |w| w.write_all(text.as_bytes()))?;
    Ok(merged)
}

/// Shards collected this far apart are not one collection (a stale shard left from an
/// earlier night, a job that failed before writing its own).
const MAX_SPREAD_HOURS: i64 = 12;

/// The shards are one collection: listed from one list of the same size, and
/// collected within [`MAX_SPREAD_HOURS`] of each other; their accounts add up to it.
fn one_collection(by_shard: &BTreeMap<u32, &LoadedIndex>) -> Result<(), JalonError> {
    let place = |l: &LoadedIndex| l.dir.join(INDEX_FILE);
    let mut times = Vec::new();
    for l in by_shard.values() {
        let at = chrono::DateTime::parse_from_rfc3339(&l.index.collected_at)
            .map_err(|_| JalonError::input(place(l), "at `collected_at`: expected an RFC 3339 time"))?;
        times.push((at, l));
    }
    times.sort_by_key(|(at, _)| *at);
    if let (Some((first, a)), Some((last, b))) = (times.first(), times.last()) {
        if (*last - *first).num_hours() >= MAX_SPREAD_HOURS {
            return Err(JalonError::Usage(format!(
                "{} was collected at {} and {} at {}: more than {MAX_SPREAD_HOURS} hours apart, not one collection \
                 (a shard left from an earlier run?)",
                a.dir.display(),
                a.index.collected_at,
                b.dir.display(),
                b.index.collected_at
            )));
        }
    }
    let listed: Vec<Option<u64>> = by_shard.values().map(|l| l.index.listed_accounts).collect();
    if let Some(Some(total)) = listed.first() {
        if listed.iter().any(|n| *n != Some(*total)) {
            return Err(JalonError::Usage(format!(
                "the shards listed different numbers of accounts ({}): the list changed between them, and an \
                 account may be in no shard; collect every shard again",
                listed.iter().map(|n| n.map_or("?".into(), |n| n.to_string())).collect::<Vec<_>>().join(", ")
            )));
        }
        let held: u64 = by_shard.values().map(|l| l.index.accounts.len() as u64).sum();
        if held != *total {
            return Err(JalonError::Usage(format!(
                "the shards hold {held} accounts, the list they were split from {total}"
            )));
        }
    }
    Ok(())
}
