//! Waivers: an accepted exception to a control, with an owner, who approved it, a
//! reason and an expiry.
//! An expired waiver no longer waives; both expired and unmatched waivers are reported.

use std::path::Path;

use chrono::NaiveDate;
use globset::{Glob, GlobMatcher};
use serde::{Deserialize, Serialize};

use crate::engine::PolicySet;
use crate::error::{read_text, JalonError};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    pub control: String,
    /// Glob over resource ids (ARNs); `*` waives the whole control.
    pub resource: String,
    pub owner: String,
    /// Who accepted the risk: a waiver is a decision, not only a request.
    pub approved_by: String,
    pub reason: String,
    #[serde(deserialize_with = "crate::dates::day")]
    pub expires: NaiveDate,
    /// The accounts it waives in (`account = "id"` or a list); empty: every account.
    #[serde(
        default,
        deserialize_with = "crate::snapshot::index::deserialize_scope",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub account: Vec<String>,
    #[serde(skip)]
    matcher: Option<GlobMatcher>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverFile {
    #[serde(default)]
    waiver: Vec<Waiver>,
}

impl Waiver {
    pub fn matches(&self, control: &str, resource: &str) -> bool {
        self.control == control && self.matcher.as_ref().is_some_and(|m| m.is_match(resource))
    }

    /// Whether it applies to this account (a waiver without `account`: to every one).
    pub fn applies_to(&self, account: &str) -> bool {
        crate::snapshot::index::scope_applies(&self.account, account)
    }

    /// Active on `day`: the expiry day itself still counts.
    pub fn is_active(&self, day: NaiveDate) -> bool {
        day <= self.expires
    }
}

pub fn load(path: &Path, policies: &PolicySet) -> Result<Vec<Waiver>, JalonError> {
    parse(&read_text(path)?, policies).map_err(|detail| JalonError::input(path, detail))
}

pub fn parse(text: &str, policies: &PolicySet) -> Result<Vec<Waiver>, String> {
    let file: WaiverFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut waivers = file.waiver;
    for (i, w) in waivers.iter_mut().enumerate() {
        let at = |field: &str| format!("waiver[{i}].{field}");
        for (field, value) in [
            ("control", &w.control),
            ("resource", &w.resource),
            ("owner", &w.owner),
            ("approved_by", &w.approved_by),
            ("reason", &w.reason),
        ] {
            if value.trim().is_empty() {
                return Err(format!(
                    "{}: must not be empty (a waiver needs an owner, who approved it, a reason and an expiry)",
                    at(field)
                ));
            }
        }
        if !policies.controls.contains_key(&w.control) {
            return Err(format!("{}: unknown control `{}`", at("control"), w.control));
        }
        let glob = Glob::new(&w.resource).map_err(|e| format!("{}: bad pattern: {e}", at("resource")))?;
        w.matcher = Some(glob.compile_matcher());
    }
    Ok(waivers)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> PolicySet {
        let mut set = PolicySet::default();
        set.add_source(
            "db_006.rego",
            "# METADATA\n# title: t\n# custom:\n#   id: DB-006\n#   phase: 7\n#   severity: high\n#   evidence: [rds]\n#   remediation: r\npackage jalon.controls.db_006\n",
        )
        .unwrap();
        set
    }

    #[test]
    fn a_waiver_matches_by_glob_and_expires_after_its_day() {
        let text = "[[waiver]]\ncontrol = \"DB-006\"\nresource = \"arn:aws:rds:*:db:orders-*\"\nowner = \"dba@example.com\"\napproved_by = \"cto@example.com\"\nreason = \"single-AZ until Q1\"\nexpires = 2027-01-31\n";
        let waivers = parse(text, &catalogue()).unwrap();
        let w = &waivers[0];
        assert!(w.matches("DB-006", "arn:aws:rds:eu-west-3:1:db:orders-db"));
        assert!(!w.matches("DB-006", "arn:aws:rds:eu-west-3:1:db:billing-db"));
        assert!(!w.matches("DB-005", "arn:aws:rds:eu-west-3:1:db:orders-db"));
        assert!(w.is_active(NaiveDate::from_ymd_opt(2027, 1, 31).unwrap()));
        assert!(!w.is_active(NaiveDate::from_ymd_opt(2027, 2, 1).unwrap()));
    }

    #[test]
    fn incomplete_or_unknown_waivers_are_errors_naming_the_field() {
        let no_owner = "[[waiver]]\ncontrol = \"DB-006\"\nresource = \"*\"\nowner = \" \"\napproved_by = \"a\"\nreason = \"r\"\nexpires = 2027-01-31\n";
        assert!(parse(no_owner, &catalogue()).unwrap_err().contains("waiver[0].owner"));
        let no_approver = no_owner.replace("owner = \" \"\napproved_by = \"a\"", "owner = \"o\"");
        let err = parse(&no_approver, &catalogue()).unwrap_err();
        assert!(err.contains("approved_by"), "{err}");
        let no_expiry =
            "[[waiver]]\ncontrol = \"DB-006\"\nresource = \"*\"\nowner = \"o\"\napproved_by = \"a\"\nreason = \"r\"\n";
        let err = parse(no_expiry, &catalogue()).unwrap_err();
        assert!(err.contains("expires"), "{err}");
        let unknown = no_owner.replace("DB-006", "XYZ-1").replace("\" \"", "\"o\"");
        assert!(parse(&unknown, &catalogue()).unwrap_err().contains("unknown control `XYZ-1`"));
        let bad_date = "[[waiver]]\ncontrol = \"DB-006\"\nresource = \"*\"\nowner = \"o\"\napproved_by = \"a\"\nreason = \"r\"\nexpires = \"soon\"\n";
        let err = parse(bad_date, &catalogue()).unwrap_err();
        assert!(err.contains("line 7"), "{err}");
    }

    #[test]
    fn a_waiver_may_name_its_accounts() {
        let base = "[[waiver]]\ncontrol = \"DB-006\"\nresource = \"*\"\nowner = \"o\"\napproved_by = \"a\"\nreason = \"r\"\nexpires = 2027-01-31\n";
        let every = &parse(base, &catalogue()).unwrap()[0];
        assert!(every.applies_to("111111111111") && every.applies_to("222222222222"));
        let one = format!("{base}account = \"111111111111\"\n");
        let one = &parse(&one, &catalogue()).unwrap()[0];
        assert!(one.applies_to("111111111111") && !one.applies_to("222222222222"));
        assert_eq!(crate::result::WaiverEntry::from(one).account, ["111111111111"]);
        let bad = format!("{base}account = [\"111\"]\n");
        let err = parse(&bad, &catalogue()).unwrap_err();
        assert!(err.contains("line 8") && err.contains("12 digits"), "{err}");
    }
}
