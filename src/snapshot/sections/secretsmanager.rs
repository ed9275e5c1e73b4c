//! Secrets Manager: secret metadata, never a value.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Section;

use crate::snapshot::model::{count, nullable, resources, timestamp, Keyed, Tags};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretsSection {
    #[serde(deserialize_with = "resources")]
    pub secrets: Vec<Secret>,
}

/// Secret metadata only: `GetSecretValue` is never called.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Secret {
    pub arn: String,
    pub name: String,
    pub region: String,
    #[serde(deserialize_with = "nullable")]
    pub description: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub kms_key_id: Option<String>,
    pub rotation_enabled: bool,
    #[serde(deserialize_with = "nullable")]
    pub rotation_lambda_arn: Option<String>,
    #[serde(deserialize_with = "count")]
    pub rotation_every_days: Option<i64>,
    #[serde(deserialize_with = "nullable")]
    pub rotation_schedule_expression: Option<String>,
    #[serde(deserialize_with = "timestamp")]
    pub last_rotated_at: Option<String>,
    #[serde(deserialize_with = "timestamp")]
    pub next_rotation_at: Option<String>,
    #[serde(deserialize_with = "timestamp")]
    pub last_changed_at: Option<String>,
    #[serde(deserialize_with = "timestamp")]
    pub created_at: Option<String>,
    /// Set for secrets a service manages, e.g. `rds` for RDS master user secrets.
    #[serde(deserialize_with = "nullable")]
    pub owning_service: Option<String>,
    pub tags: Tags,
}

impl SecretsSection {
    pub fn append(&mut self, other: SecretsSection) {
        self.secrets.extend(other.secrets);
    }
}

impl Keyed for Secret {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Section for SecretsSection {
    fn normalize(&mut self) {
        self.secrets.sort_by(|a, b| a.arn.cmp(&b.arn));
    }

    fn clear(&mut self) {
        *self = SecretsSection::default();
    }
}
