//! Reading a result over several accounts (`check --snapshot DIR --format json`): the
//! baseline of the next directory run, and one side of `jalon diff`. Each account's
//! result stays raw JSON until asked for: the file is held, never every account's
//! result parsed at once.

use std::path::Path;

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{read_text, JalonError};
use crate::result::{json_error, parse_result, CheckReport, RESULT_VERSION};

/// The `kind` of a result over several accounts (one account's result has none).
pub const KIND: &str = "accounts";
use crate::snapshot::index::AccountStatus;

#[derive(Debug, Deserialize)]
pub struct AccountsResult {
    pub result_version: u32,
    pub kind: String,
    pub accounts: Vec<AccountEntry>,
}

#[derive(Debug, Deserialize)]
pub struct AccountEntry {
    pub account: AccountRef,
    pub exit_code: i32,
    result: Box<RawValue>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AccountRef {
    pub id: String,
    pub name: Option<String>,
    pub status: AccountStatus,
    pub message: Option<String>,
}

impl AccountEntry {
    /// The account's own result, parsed and checked as a one-account result is.
    pub fn report(&self) -> Result<CheckReport, String> {
        parse_result(self.result.get()).map_err(|e| format!("the result of account {}: {e}", self.account.id))
    }
}

impl AccountsResult {
    pub fn account(&self, id: &str) -> Option<&AccountEntry> {
        self.accounts.iter().find(|a| a.account.id == id)
    }
}

/// Whether a JSON text is a result over several accounts: `"kind": "accounts"` near
/// its start (the head is written first).
pub fn is_accounts_result(text: &str) -> bool {
    let head: String = text.chars().take(512).collect();
    head.contains(&format!("\"kind\": \"{KIND}\"")) || head.contains(&format!("\"kind\":\"{KIND}\""))
}

pub fn load(path: &Path) -> Result<AccountsResult, JalonError> {
    parse(&read_text(path)?).map_err(|detail| JalonError::input(path, detail))
}

pub fn parse(text: &str) -> Result<AccountsResult, String> {
    let mut de = serde_json::Deserializer::from_str(text);
    let result: AccountsResult =
        serde_path_to_error::deserialize(&mut de).map_err(|err| json_error(err.inner(), &err.path().to_string()))?;
    if result.result_version != RESULT_VERSION {
        return Err(format!(
            "at `result_version`: this jalon reads check result version {RESULT_VERSION}, the file has {}",
            result.result_version
        ));
    }
    if result.kind != KIND {
        return Err(format!("at `kind`: expected \"{KIND}\", found {:?}", result.kind));
    }
    Ok(result)
}
