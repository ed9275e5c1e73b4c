//! The processing record (TOML): the facts the account cannot show, as the
//! controller declares them (GDPR Art. 30). Every field is optional so that an
//! incomplete record still gives an appendix, with each undeclared fact marked
//! missing; an unknown field or a wrong type is an input error naming the line.
//!
//! Lists distinguish "not declared" (key absent: missing) from "declared empty"
//! (`transfer = []`: there is none).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProcessingRecord {
    /// The processing activity documented.
    pub processing: Option<Activity>,
    pub controller: Option<Party>,
    /// Data protection officer (Art. 37-39).
    pub dpo: Option<Contact>,
    /// Other contacts: security, breach notification, data subject requests.
    #[serde(rename = "contact")]
    pub contacts: Option<Vec<RoleContact>>,
    #[serde(rename = "purpose")]
    pub purposes: Option<Vec<Purpose>>,
    pub data_subjects: Option<Vec<String>>,
    #[serde(rename = "data_category")]
    pub data_categories: Option<Vec<DataCategory>>,
    #[serde(rename = "recipient")]
    pub recipients: Option<Vec<Recipient>>,
    #[serde(rename = "processor")]
    pub processors: Option<Vec<Processor>>,
    /// Transfers outside the EEA (Chapter V).
    #[serde(rename = "transfer")]
    pub transfers: Option<Vec<Transfer>>,
    #[serde(rename = "retention")]
    pub retention: Option<Vec<Retention>>,
    pub erasure: Option<Erasure>,
    pub breach: Option<Breach>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    pub name: Option<String>,
    pub description: Option<String>,
    /// The entry in the controller's register of processing activities.
    pub register_ref: Option<String>,
    #[serde(default, deserialize_with = "optional_day")]
    pub last_reviewed: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub name: Option<String>,
    pub address: Option<String>,
    pub contact: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: Option<String>,
    pub contact: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleContact {
    pub role: Option<String>,
    pub name: Option<String>,
    pub contact: Option<String>,
}

/// Art. 6(1): the lawful bases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LawfulBasis {
    Consent,
    Contract,
    LegalObligation,
    VitalInterests,
    PublicTask,
    LegitimateInterests,
}

impl LawfulBasis {
    pub fn describe(self) -> &'static str {
        match self {
            LawfulBasis::Consent => "consent, Art. 6(1)(a)",
            LawfulBasis::Contract => "performance of a contract, Art. 6(1)(b)",
            LawfulBasis::LegalObligation => "legal obligation, Art. 6(1)(c)",
            LawfulBasis::VitalInterests => "vital interests, Art. 6(1)(d)",
            LawfulBasis::PublicTask => "public task, Art. 6(1)(e)",
            LawfulBasis::LegitimateInterests => "legitimate interests, Art. 6(1)(f)",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    pub name: Option<String>,
    pub lawful_basis: Option<LawfulBasis>,
    /// The contract, the law, the legitimate-interest assessment...
    pub details: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataCategory {
    pub name: Option<String>,
    pub examples: Option<String>,
    /// A special category (Art. 9) or criminal-offence data (Art. 10).
    pub special: Option<bool>,
    /// The data-classification tag value that marks the stores holding it.
    pub data_class: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    pub name: Option<String>,
    pub purpose: Option<String>,
    pub location: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Processor {
    pub name: Option<String>,
    pub service: Option<String>,
    pub location: Option<String>,
    /// The data processing agreement (Art. 28(3)).
    pub agreement: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    pub recipient: Option<String>,
    pub country: Option<String>,
    /// Adequacy decision (Art. 45), standard contractual clauses (Art. 46), ...
    pub safeguard: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    pub data: Option<String>,
    pub period: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Erasure {
    /// How an erasure request (Art. 17) is carried out, end to end.
    pub procedure: Option<String>,
    /// How data is handed over on a portability request (Art. 20).
    pub portability: Option<String>,
    /// Where data subjects send requests.
    pub requests_to: Option<String>,
    pub link: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Breach {
    pub procedure: Option<String>,
    pub supervisory_authority: Option<String>,
    /// Hours from awareness to notification (Art. 33(1): 72 at most).
    pub notify_within_hours: Option<u32>,
    pub contact: Option<String>,
}

fn optional_day<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    crate::dates::optional_day(d)
}

impl ProcessingRecord {
    pub fn parse(text: &str) -> Result<ProcessingRecord, String> {
        let record: ProcessingRecord = toml::from_str(text).map_err(|e| e.to_string())?;
        if let Some(hours) = record.breach.as_ref().and_then(|b| b.notify_within_hours) {
            if hours > 72 {
                return Err(format!("breach.notify_within_hours: {hours} is above the 72 hours of Art. 33(1)"));
            }
        }
        Ok(record)
    }
}

/// A declared text: None when absent or blank.
pub fn declared(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_record_is_valid_and_declares_nothing() {
        let r = ProcessingRecord::parse("").unwrap();
        assert_eq!(r, ProcessingRecord::default());
    }

    #[test]
    fn declared_empty_lists_differ_from_absent_ones() {
        let r = ProcessingRecord::parse("transfer = []\n").unwrap();
        assert_eq!(r.transfers, Some(vec![]));
        assert_eq!(r.recipients, None);
    }

    #[test]
    fn mistakes_name_the_line_and_what_was_expected() {
        let err = ProcessingRecord::parse("[controller]\nname = \"A\"\nadress = \"typo\"\n").unwrap_err();
        assert!(err.contains("line 3") && err.contains("unknown field `adress`"), "{err}");
        let err = ProcessingRecord::parse("[[purpose]]\nname = \"x\"\nlawful_basis = \"because\"\n").unwrap_err();
        assert!(err.contains("line 3") && err.contains("legitimate_interests"), "{err}");
        let err = ProcessingRecord::parse("[breach]\nnotify_within_hours = 96\n").unwrap_err();
        assert!(err.contains("72"), "{err}");
        let err = ProcessingRecord::parse("[processing]\nlast_reviewed = \"soon\"\n").unwrap_err();
        assert!(err.contains("line 2") && err.contains("YYYY-MM-DD"), "{err}");
    }
}
