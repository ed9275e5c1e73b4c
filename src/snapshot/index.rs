//! The snapshot directory of a multi-account collection: `index.json` beside one
//! ordinary snapshot per account (docs/accounts.md).
//!
//! The index is what `check --snapshot DIR` walks: every account it lists is judged,
//! a failed one too (its snapshot says why), so no account drops out unseen.

use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

use super::{sha256_hex, CollectionCost, ToolInfo};
use crate::error::{read_text, JalonError};

/// Version of the index format. Readers accept exactly this version.
pub const INDEX_VERSION: u32 = 1;

/// The index's file name in a snapshot directory.
pub const INDEX_FILE: &str = "index.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnapshotIndex {
    pub index_version: u32,
    pub tool: ToolInfo,
    /// RFC 3339: when the collection started.
    pub collected_at: String,
    pub source: AccountSource,
    pub role_name: String,
    /// Sorted by id, each id once.
    pub accounts: Vec<IndexedAccount>,
    /// The sum over the accounts (seconds: the run's wall time).
    pub cost: CollectionCost,
    /// Set by `collect --shard K/N`: this directory holds only the accounts of shard
    /// K, and `jalon merge` refuses a set of shards that misses one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    /// With a shard: how many accounts the list (the file, the Organization) held
    /// before it was split, so `jalon merge` can tell the shards add up to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listed_accounts: Option<u64>,
    /// Accounts the list held that `--exclude-accounts` left out, sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub excluded_accounts: Vec<String>,
}

/// One of `count` disjoint parts of the accounts: those whose id, as a number,
/// leaves `index` modulo `count`. Decided by the id alone, so shards collected from
/// lists read at different moments never share an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// `K/N`, K from 0 to N-1.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let expected = || format!("expected K/N with 0 <= K < N <= 10000, such as 0/8, found {text:?}");
        let (k, n) = text.split_once('/').ok_or_else(expected)?;
        let index: u32 = k.trim().parse().map_err(|_| expected())?;
        let count: u32 = n.trim().parse().map_err(|_| expected())?;
        let shard = Shard { index, count };
        shard.check().map_err(|_| expected())?;
        Ok(shard)
    }

    fn check(self) -> Result<(), String> {
        if self.count == 0 || self.count > 10_000 || self.index >= self.count {
            return Err(format!("shard {}/{}: expected 0 <= index < count <= 10000", self.index, self.count));
        }
        Ok(())
    }

    /// Whether the account `id` (12 digits) is in this shard.
    pub fn holds(self, id: &str) -> bool {
        id.parse::<u64>().is_ok_and(|n| n % u64::from(self.count) == u64::from(self.index))
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Where the list of accounts came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccountSource {
    Organization,
    AccountsFile,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexedAccount {
    /// 12 digits.
    pub id: String,
    pub name: Option<String>,
    pub regions: Vec<String>,
    pub status: AccountStatus,
    /// Why the account is not complete (the first failure), else null.
    pub message: Option<String>,
    /// The snapshot's file name in the directory.
    pub snapshot: String,
    /// SHA-256 of the snapshot's bytes.
    pub sha256: String,
    pub cost: CollectionCost,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Every collector finished.
    Complete,
    /// Some collectors failed: the snapshot's statuses say which.
    Incomplete,
    /// Nothing was read: the role could not be assumed, or every collector failed.
    Failed,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Complete => "complete",
            AccountStatus::Incomplete => "incomplete",
            AccountStatus::Failed => "failed",
        }
    }
}

/// An index as read from disk: where it lies, so its snapshots can be found.
#[derive(Debug, Clone)]
pub struct LoadedIndex {
    pub index: SnapshotIndex,
    /// The index file as named (a directory given: its `index.json`).
    pub file: PathBuf,
    /// The directory holding the index and the snapshots.
    pub dir: PathBuf,
    pub sha256: String,
}

impl LoadedIndex {
    /// Reads `path`: a snapshot directory, or the index file in one.
    pub fn load(path: &Path) -> Result<LoadedIndex, JalonError> {
        let file = if path.is_dir() { path.join(INDEX_FILE) } else { path.to_path_buf() };
        let text = read_text(&file)?;
        let index = parse(&text).map_err(|detail| JalonError::input(&file, detail))?;
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        Ok(LoadedIndex { index, file, dir, sha256: sha256_hex(text.as_bytes()) })
    }

    /// Where an account's snapshot lies.
    pub fn snapshot_path(&self, account: &IndexedAccount) -> PathBuf {
        self.dir.join(&account.snapshot)
    }

    /// The bytes of an account's snapshot, as the index hashed them: a file missing,
    /// unreadable or changed since the collection is an input error naming it.
    pub fn read_snapshot(&self, account: &IndexedAccount) -> Result<Vec<u8>, JalonError> {
        let path = self.snapshot_path(account);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(JalonError::input(
                    &path,
                    format!("missing: {} lists it as account {}'s snapshot", self.file.display(), account.id),
                ))
            }
            Err(e) => {
                return Err(JalonError::input(&path, format!("unreadable ({e}): account {}'s snapshot", account.id)))
            }
        };
        let found = sha256_hex(&bytes);
        if !found.eq_ignore_ascii_case(&account.sha256) {
            return Err(self.changed(account, &found));
        }
        Ok(bytes)
    }

    /// The error for an account's snapshot whose SHA-256 is `found`, not the index's.
    pub fn changed(&self, account: &IndexedAccount, found: &str) -> JalonError {
        JalonError::input(
            self.snapshot_path(account),
            format!(
                "its SHA-256 is {found}, {} says {} (account {}): the snapshot changed after the collection; collect again",
                self.file.display(),
                account.sha256,
                account.id
            ),
        )
    }
}

/// True when `path` is a snapshot directory or an index rather than one snapshot: a
/// directory, or a JSON file whose first key is `index_version`.
pub fn is_index(path: &Path) -> bool {
    if path.is_dir() {
        return true;
    }
    // An index is small; a snapshot may be large: read only the start.
    use std::io::Read;
    let mut head = [0u8; 256];
    let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
    let head = String::from_utf8_lossy(&head[..n]);
    head.trim_start().trim_start_matches('{').trim_start().starts_with("\"index_version\"")
}

/// Parses and checks an index: its version, ids, file names, order.
pub fn parse(text: &str) -> Result<SnapshotIndex, String> {
    let index: SnapshotIndex = serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(text))
        .map_err(|err| {
            let inner = err.inner();
            format!("line {}, column {}, at `{}`: {}", inner.line(), inner.column(), err.path(), inner)
        })?;
    if index.index_version != INDEX_VERSION {
        return Err(format!(
            "at `index_version`: this jalon reads index version {INDEX_VERSION}, the file has version {}",
            index.index_version
        ));
    }
    if let Some(shard) = index.shard {
        shard.check().map_err(|e| format!("at `shard`: {e}"))?;
    }
    for (i, id) in index.excluded_accounts.iter().enumerate() {
        if !is_account_id(id) {
            return Err(format!("at `excluded_accounts[{i}]`: expected 12 digits, found {id:?}"));
        }
        if index.accounts.iter().any(|a| &a.id == id) {
            return Err(format!("at `excluded_accounts[{i}]`: account {id} is also in `accounts`"));
        }
    }
    for (i, account) in index.accounts.iter().enumerate() {
        let at = |field: &str| format!("at `accounts[{i}].{field}`");
        if let Some(shard) = index.shard.filter(|s| !s.holds(&account.id)) {
            return Err(format!("{}: account {} is not in shard {shard}", at("id"), account.id));
        }
        if !is_account_id(&account.id) {
            return Err(format!("{}: expected 12 digits, found {:?}", at("id"), account.id));
        }
        if !is_plain_file_name(&account.snapshot) {
            return Err(format!(
                "{}: expected a file name in the snapshot directory, found {:?}",
                at("snapshot"),
                account.snapshot
            ));
        }
        if account.sha256.len() != 64 || !account.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("{}: expected 64 hexadecimal digits", at("sha256")));
        }
        if i > 0 && index.accounts[i - 1].id >= account.id {
            return Err(format!(
                "{}: accounts must be sorted by id, each once; found {} after {}",
                at("id"),
                account.id,
                index.accounts[i - 1].id
            ));
        }
    }
    Ok(index)
}

/// The canonical JSON form: pretty, trailing newline.
pub fn to_json(index: &SnapshotIndex) -> String {
    let mut text = serde_json::to_string_pretty(index).expect("an index serialises");
    text.push('\n');
    text
}

// ---------------------------------------------------------------- account scopes
//
// `account = "111111111111"` or `account = ["111111111111", ...]` on a waiver or an
// attestation: the accounts it applies to. Absent: every account.

/// The accounts a waiver or an attestation names; empty: every account.
pub type AccountScope = Vec<String>;

/// Whether an entry scoped to `scope` applies to `account`.
pub fn scope_applies(scope: &[String], account: &str) -> bool {
    scope.is_empty() || scope.iter().any(|id| id == account)
}

/// Reads `account`: one id or a list of ids, each of 12 digits, at least one.
pub fn deserialize_scope<'de, D: Deserializer<'de>>(d: D) -> Result<AccountScope, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    let ids = match OneOrMany::deserialize(d)
        .map_err(|_| de::Error::custom("expected an account id (12 digits, as a string) or a list of them"))?
    {
        OneOrMany::One(id) => vec![id],
        OneOrMany::Many(ids) => ids,
    };
    if ids.is_empty() {
        return Err(de::Error::custom("expected at least one account id: leave `account` out to mean every account"));
    }
    for id in &ids {
        if !is_account_id(id) {
            return Err(de::Error::custom(format!("expected an account id of 12 digits, found {id:?}")));
        }
    }
    Ok(ids)
}

/// Twelve ASCII digits.
pub fn is_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())
}

/// A name that stays in its directory: no separator, not `.` or `..`, not empty.
fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty() && name != "." && name != ".." && !name.contains(['/', '\\', '\0']) && !name.starts_with('-')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> SnapshotIndex {
        SnapshotIndex {
            index_version: INDEX_VERSION,
            tool: ToolInfo { name: "jalon".into(), version: "0.1.0".into() },
            collected_at: "2026-12-07T06:00:00Z".into(),
            source: AccountSource::AccountsFile,
            role_name: "jalon-audit".into(),
            accounts: ["111111111111", "222222222222"]
                .iter()
                .map(|id| IndexedAccount {
                    id: id.to_string(),
                    name: None,
                    regions: vec!["eu-west-3".into()],
                    status: AccountStatus::Complete,
                    message: None,
                    snapshot: format!("{id}.json"),
                    sha256: "0".repeat(64),
                    cost: CollectionCost::default(),
                })
                .collect(),
            cost: CollectionCost::default(),
            shard: None,
            listed_accounts: None,
            excluded_accounts: Vec::new(),
        }
    }

    #[test]
    fn an_index_reads_back_what_was_written() {
        let index = sample();
        assert_eq!(parse(&to_json(&index)).unwrap(), index);
    }

    #[test]
    fn a_bad_index_is_refused_with_the_place() {
        type Breaks = fn(&mut SnapshotIndex);
        let cases: [(Breaks, &str); 5] = [
            (|i| i.index_version = 2, "index_version"),
            (|i| i.accounts[0].id = "1111".into(), "accounts[0].id"),
            (|i| i.accounts[1].snapshot = "../etc/passwd".into(), "accounts[1].snapshot"),
            (|i| i.accounts[0].sha256 = "zz".into(), "accounts[0].sha256"),
            (|i| i.accounts.swap(0, 1), "sorted"),
        ];
        for (break_it, expected) in cases {
            let mut index = sample();
            break_it(&mut index);
            let err = parse(&to_json(&index)).unwrap_err();
            assert!(err.contains(expected), "{expected}: {err}");
        }
        let mut sharded = sample();
        sharded.shard = Some(Shard { index: 1, count: 2 });
        let err = parse(&to_json(&sharded)).unwrap_err();
        assert!(err.contains("account 222222222222 is not in shard 1/2"), "{err}");
        let err = parse(r#"{"index_version": 1, "extra": 1}"#).unwrap_err();
        assert!(err.contains("line 1"), "{err}");
    }

    #[derive(Deserialize, Debug)]
    struct Holder {
        #[serde(default, deserialize_with = "deserialize_scope")]
        account: AccountScope,
    }

    #[test]
    fn one_id_or_a_list_of_ids_of_twelve_digits() {
        let read = |text: &str| toml::from_str::<Holder>(text).map(|h| h.account).map_err(|e| e.to_string());
        assert_eq!(read("").unwrap(), Vec::<String>::new());
        assert_eq!(read("account = \"111111111111\"").unwrap(), ["111111111111"]);
        assert_eq!(read("account = [\"111111111111\", \"222222222222\"]").unwrap().len(), 2);
        for bad in ["account = \"1111\"", "account = 111111111111", "account = []", "account = [\"x\"]"] {
            let err = read(bad).unwrap_err();
            assert!(err.contains("line 1") && err.contains("account"), "{bad}: {err}");
        }
        assert!(scope_applies(&[], "111111111111"));
        assert!(scope_applies(&["111111111111".into()], "111111111111"));
        assert!(!scope_applies(&["111111111111".into()], "222222222222"));
    }
}

#[cfg(test)]
mod shard_tests {
    use super::Shard;

    #[test]
    fn shards_split_the_accounts_by_id() {
        let shard = Shard::parse("1/3").unwrap();
        assert!(shard.holds("000000000004"));
        assert!(!shard.holds("000000000005"));
        let ids: Vec<String> = (0..300u64).map(|n| format!("{:012}", n * 7919 + 1)).collect();
        for id in &ids {
            let holding = (0..3).filter(|k| Shard { index: *k, count: 3 }.holds(id)).count();
            assert_eq!(holding, 1, "{id} is in exactly one shard");
        }
        for bad in ["3/3", "1", "a/3", "0/0", "-1/2", "1/20000"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }
}
