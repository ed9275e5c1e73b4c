//! X-Ray: sampling rules, encryption configuration and groups.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Section;

use crate::snapshot::model::{fraction, nullable, required_count, resources, Keyed};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct XRaySection {
    #[serde(deserialize_with = "resources")]
    pub sampling_rules: Vec<SamplingRule>,
    /// One per region.
    #[serde(deserialize_with = "resources")]
    pub encryption_configs: Vec<XRayEncryption>,
    #[serde(deserialize_with = "resources")]
    pub groups: Vec<XRayGroup>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamplingRule {
    pub arn: String,
    pub name: String,
    pub region: String,
    #[serde(deserialize_with = "required_count")]
    pub priority: i32,
    #[serde(deserialize_with = "fraction")]
    pub fixed_rate: f64,
    #[serde(deserialize_with = "required_count")]
    pub reservoir_size: i32,
    pub service_name: String,
    pub service_type: String,
    pub host: String,
    pub http_method: String,
    pub url_path: String,
    pub resource_arn: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct XRayEncryption {
    pub region: String,
    /// `NONE` (AWS-owned key) or `KMS`.
    pub encryption_type: String,
    #[serde(deserialize_with = "nullable")]
    pub key_id: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub status: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct XRayGroup {
    pub arn: String,
    pub name: String,
    pub region: String,
    #[serde(deserialize_with = "nullable")]
    pub filter_expression: Option<String>,
    pub insights_enabled: bool,
}

impl XRaySection {
    pub fn append(&mut self, other: XRaySection) {
        self.sampling_rules.extend(other.sampling_rules);
        self.encryption_configs.extend(other.encryption_configs);
        self.groups.extend(other.groups);
    }
}

impl Keyed for SamplingRule {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Keyed for XRayEncryption {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.region))
    }
}

impl Keyed for XRayGroup {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Section for XRaySection {
    fn normalize(&mut self) {
        self.sampling_rules.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.encryption_configs.sort_by(|a, b| a.region.cmp(&b.region));
        self.groups.sort_by(|a, b| a.arn.cmp(&b.arn));
    }

    fn clear(&mut self) {
        *self = XRaySection::default();
    }
}
