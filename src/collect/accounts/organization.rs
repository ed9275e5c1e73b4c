//! `--org`: the Organization's active accounts, from `organizations:ListAccounts`
//! (callable from the management account or a delegated administrator).

use aws_sdk_organizations::types::{AccountState, AccountStatus};
use aws_types::SdkConfig;

use crate::collect::accounts::file::AccountTarget;
use crate::collect::{classify, CostRecorder};
use crate::error::JalonError;

/// Every ACTIVE account, sorted by id. Suspended, closed and pending accounts
/// cannot be read and are left out; the Organization not listing is exit 4.
pub async fn active_accounts(caller: &SdkConfig, recorder: &CostRecorder) -> Result<Vec<AccountTarget>, JalonError> {
    let config =
        aws_sdk_organizations::config::Builder::from(caller).interceptor(recorder.for_service("organizations")).build();
    let client = aws_sdk_organizations::Client::from_conf(config);
    // AWS pages at most 20 accounts and may answer an empty page before the last:
    // the paginator follows NextToken to its end.
    let mut pages = client.list_accounts().max_results(20).into_paginator().send();
    let mut accounts = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| {
            let failure = classify("ListAccounts", &e);
            JalonError::Runtime(format!(
                "cannot list the Organization's accounts (organizations:ListAccounts, from the management account or a \
                 delegated administrator): {}",
                failure.message
            ))
        })?;
        for account in page.accounts() {
            // `State` replaces `Status` (retired in 2026); either says ACTIVE.
            let active = match account.state() {
                Some(state) => *state == AccountState::Active,
                None => account.status() == Some(&AccountStatus::Active),
            };
            let Some(id) = account.id().filter(|id| crate::snapshot::index::is_account_id(id)) else {
                // Said, not dropped unseen: no role can be assumed in an account without an
                // id. Debug quoting writes any control character out (collect sits below
                // render and its escapes).
                eprintln!(
                    "jalon: warning: the Organization lists an account whose id is not 12 digits ({:?}): skipped",
                    account.id().unwrap_or("none")
                );
                continue;
            };
            if active {
                accounts.push(AccountTarget {
                    id: id.to_string(),
                    name: account.name().map(str::to_string),
                    regions: Vec::new(),
                });
            }
        }
    }
    accounts.sort_by(|a, b| a.id.cmp(&b.id));
    accounts.dedup_by(|a, b| a.id == b.id);
    if accounts.is_empty() {
        return Err(JalonError::Runtime("the Organization lists no active account".into()));
    }
    Ok(accounts)
}
