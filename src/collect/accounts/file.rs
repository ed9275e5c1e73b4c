//! `--accounts FILE`: the accounts to collect, by id, with an optional name and regions.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;

use crate::error::{read_text, JalonError};
use crate::snapshot::index::is_account_id;

/// One account to collect.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountTarget {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    /// Overrides `--region` for this account; empty: `--region`, else its enabled regions.
    #[serde(default, deserialize_with = "crate::config::regions")]
    pub regions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountsFile {
    #[serde(default)]
    account: Vec<AccountTarget>,
}

pub fn load(path: &Path) -> Result<Vec<AccountTarget>, JalonError> {
    parse(&read_text(path)?).map_err(|detail| JalonError::input(path, detail))
}

/// The accounts of the file, sorted by id. Each id is 12 digits and appears once;
/// the file names at least one.
pub fn parse(text: &str) -> Result<Vec<AccountTarget>, String> {
    let file: AccountsFile = toml::from_str(text).map_err(|e| {
        let text = e.to_string();
        // A bare number loses an id's leading zeros: say how to write one.
        if text.contains("invalid type: integer") {
            format!("{text}\nwrite account ids as strings: id = \"012345678901\"")
        } else {
            text
        }
    })?;
    let mut seen = BTreeSet::new();
    for (i, account) in file.account.iter().enumerate() {
        if !is_account_id(&account.id) {
            return Err(format!("account[{i}].id: expected 12 digits, found {:?}", account.id));
        }
        if !seen.insert(account.id.as_str()) {
            return Err(format!("account[{i}].id: {} is listed twice", account.id));
        }
    }
    if file.account.is_empty() {
        return Err("the file names no account: expected [[account]] entries with an `id`".into());
    }
    let mut accounts = file.account;
    accounts.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(accounts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_read_sorted_with_their_names_and_regions() {
        let accounts = parse(
            r#"
            [[account]]
            id = "222222222222"
            [[account]]
            id = "111111111111"
            name = "prod"
            regions = ["eu-west-3", "eu-west-1"]
            "#,
        )
        .unwrap();
        assert_eq!(accounts.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), ["111111111111", "222222222222"]);
        assert_eq!(accounts[0].name.as_deref(), Some("prod"));
        assert_eq!(accounts[0].regions, ["eu-west-3", "eu-west-1"]);
        assert!(accounts[1].regions.is_empty());
    }

    #[test]
    fn a_bad_file_says_where_and_what_was_expected() {
        for (text, expected) in [
            ("[[account]]\nid = \"1234\"", "account[0].id: expected 12 digits"),
            ("[[account]]\nid = 111111111111", "write account ids as strings"),
            (
                "[[account]]\nid = \"111111111111\"\n[[account]]\nid = \"111111111111\"",
                "account[1].id: 111111111111 is listed twice",
            ),
            ("[[account]]\nid = \"111111111111\"\nrole = \"x\"", "unknown field `role`"),
            ("[[account]]\nid = \"111111111111\"\nregions = [\"paris\"]", "expected AWS region names"),
            ("", "names no account"),
            ("[[account]\n", "line 1"),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.contains(expected), "{text:?}: {err}");
        }
    }
}
