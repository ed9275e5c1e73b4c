//! `account = "111111111111"` or `account = ["111111111111", ...]` on a waiver or an
//! attestation: the accounts it applies to. Absent: every account.

use serde::de::{self, Deserializer};
use serde::Deserialize;

use crate::snapshot::index::is_account_id;

/// The accounts a waiver or an attestation names; empty: every account.
pub type AccountScope = Vec<String>;

/// Whether an entry scoped to `scope` applies to `account`.
pub fn applies(scope: &[String], account: &str) -> bool {
    scope.is_empty() || scope.iter().any(|id| id == account)
}

/// Reads `account`: one id or a list of ids, each of 12 digits, at least one.
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<AccountScope, D::Error> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    struct Holder {
        #[serde(default, deserialize_with = "deserialize")]
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
        assert!(applies(&[], "111111111111"));
        assert!(applies(&["111111111111".into()], "111111111111"));
        assert!(!applies(&["111111111111".into()], "222222222222"));
    }
}
