//! Attestations: evidence a team keeps for controls the account state cannot show
//! (a cost review, a post-mortem, an erasure drill): who, when, a link, an expiry.

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::engine::PolicySet;
use crate::error::{read_text, JalonError};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attestation {
    pub control: String,
    pub by: String,
    #[serde(deserialize_with = "crate::dates::day")]
    pub date: NaiveDate,
    pub link: String,
    #[serde(deserialize_with = "crate::dates::day")]
    pub expires: NaiveDate,
    /// Why the team accepts what the account shows: an attestation overrides a
    /// control's failing account evidence (OPS-003's breached SLO) only with one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The accounts it attests for (`account = "id"` or a list); empty: every account.
    #[serde(
        default,
        deserialize_with = "crate::snapshot::index::deserialize_scope",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub account: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttestationFile {
    #[serde(default)]
    attestation: Vec<Attestation>,
}

impl Attestation {
    /// Whether it applies to this account (one without `account`: to every one).
    pub fn applies_to(&self, account: &str) -> bool {
        crate::snapshot::index::scope_applies(&self.account, account)
    }

    /// Valid on `day`: made on or before it, and not expired.
    pub fn is_valid_on(&self, day: NaiveDate) -> bool {
        self.date <= day && day <= self.expires
    }
}

pub fn load(path: &Path, policies: &PolicySet) -> Result<Vec<Attestation>, JalonError> {
    parse(&read_text(path)?, policies).map_err(|detail| JalonError::input(path, detail))
}

pub fn parse(text: &str, policies: &PolicySet) -> Result<Vec<Attestation>, String> {
    let file: AttestationFile = toml::from_str(text).map_err(|e| e.to_string())?;
    for (i, a) in file.attestation.iter().enumerate() {
        let at = |field: &str| format!("attestation[{i}].{field}");
        let reason = a.reason.as_deref().unwrap_or("x");
        for (field, value) in [("control", a.control.as_str()), ("by", &a.by), ("link", &a.link), ("reason", reason)] {
            if value.trim().is_empty() {
                return Err(format!("{}: must not be empty", at(field)));
            }
        }
        match policies.controls.get(&a.control) {
            None => return Err(format!("{}: unknown control `{}`", at("control"), a.control)),
            Some(meta) if !meta.attestation => {
                return Err(format!(
                    "{}: control {} is evidenced by account state, not by attestation",
                    at("control"),
                    a.control
                ))
            }
            Some(_) => {}
        }
        if a.expires < a.date {
            return Err(format!("{}: {} is before the attestation date {}", at("expires"), a.expires, a.date));
        }
    }
    Ok(file.attestation)
}
