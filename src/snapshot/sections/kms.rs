//! KMS: keys, who manages them, their state and whether they rotate, with their aliases.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Section;

use crate::snapshot::model::{nullable, resources, Keyed};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KmsSection {
    #[serde(deserialize_with = "resources")]
    pub keys: Vec<KmsKey>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KmsKey {
    pub arn: String,
    pub key_id: String,
    pub region: String,
    /// `CUSTOMER` or `AWS`.
    pub key_manager: String,
    /// `Enabled`, `Disabled`, `PendingDeletion`, ...
    pub key_state: String,
    /// `SYMMETRIC_DEFAULT`, `RSA_2048`, `HMAC_256`, ...
    pub key_spec: String,
    /// `AWS_KMS`, `EXTERNAL`, `AWS_CLOUDHSM`, `EXTERNAL_KEY_STORE`.
    pub origin: String,
    /// Automatic rotation; read for the keys that can rotate (customer-managed,
    /// enabled, symmetric, key material from KMS), None for the others.
    #[serde(deserialize_with = "nullable")]
    pub rotation_enabled: Option<bool>,
    /// `alias/orders-data`, sorted.
    pub aliases: Vec<String>,
}

impl KmsSection {
    pub fn append(&mut self, other: KmsSection) {
        self.keys.extend(other.keys);
    }
}

impl Keyed for KmsKey {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Section for KmsSection {
    fn normalize(&mut self) {
        self.keys.sort_by(|a, b| a.arn.cmp(&b.arn));
        for k in &mut self.keys {
            k.aliases.sort();
        }
    }

    fn clear(&mut self) {
        *self = KmsSection::default();
    }
}
