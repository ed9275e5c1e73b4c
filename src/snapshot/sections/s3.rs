//! S3: the account's Block Public Access and each bucket's, how buckets are encrypted,
//! whether their policy refuses plain HTTP, how their objects expire (lifecycle),
//! versioning and object lock. Objects are never listed or read.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Section;

use crate::snapshot::model::{count, nullable, resources, Keyed, Tags};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3Section {
    /// The account-wide setting (S3 Control), read once per collection; None when it
    /// was not read. All four off when the account never set it.
    #[serde(deserialize_with = "nullable")]
    pub account_public_access_block: Option<PublicAccessBlock>,
    #[serde(deserialize_with = "resources")]
    pub buckets: Vec<Bucket>,
}

/// The four Block Public Access settings; all off when none is configured.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicAccessBlock {
    pub block_public_acls: bool,
    pub ignore_public_acls: bool,
    pub block_public_policy: bool,
    pub restrict_public_buckets: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bucket {
    /// `arn:aws:s3:::name`: bucket ARNs carry no region or account.
    pub arn: String,
    pub name: String,
    pub region: String,
    pub public_access_block: PublicAccessBlock,
    /// Default encryption: `AES256` (SSE-S3, what every bucket has at least since
    /// 2023), `aws:kms` or `aws:kms:dsse`.
    pub encryption: String,
    #[serde(deserialize_with = "nullable")]
    pub kms_key_id: Option<String>,
    /// The bucket policy denies every request made without TLS
    /// (`aws:SecureTransport` false).
    pub tls_only: bool,
    /// `Enabled`, `Suspended` or `Disabled` (never enabled).
    pub versioning: String,
    /// Object lock is on; its default retention in days when it has one.
    pub object_lock: bool,
    #[serde(deserialize_with = "count")]
    pub object_lock_days: Option<i64>,
    pub lifecycle_rules: Vec<LifecycleRule>,
    pub tags: Tags,
}

/// A lifecycle rule, as far as it deletes objects.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LifecycleRule {
    pub id: String,
    pub enabled: bool,
    /// The objects it applies to: "" for every object, else `prefix logs/`,
    /// `tag k=v`, ... joined by `, `.
    pub applies_to: String,
    /// Current objects expire this many days after creation...
    #[serde(deserialize_with = "count")]
    pub expiration_days: Option<i64>,
    /// ... or on this date (`2027-01-01`).
    #[serde(deserialize_with = "nullable")]
    pub expiration_date: Option<String>,
    /// Noncurrent versions expire this many days after becoming noncurrent.
    #[serde(deserialize_with = "count")]
    pub noncurrent_expiration_days: Option<i64>,
}

impl S3Section {
    pub fn append(&mut self, other: S3Section) {
        if other.account_public_access_block.is_some() {
            self.account_public_access_block = other.account_public_access_block;
        }
        self.buckets.extend(other.buckets);
    }
}

impl Keyed for Bucket {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Section for S3Section {
    fn normalize(&mut self) {
        self.buckets.sort_by(|a, b| a.arn.cmp(&b.arn));
    }

    /// The lists only: the account's setting is one value, read like the other
    /// non-list fields (as `parse_without_resources` does).
    fn clear(&mut self) {
        self.buckets.clear();
    }

    fn tags_mut(&mut self) -> Vec<(&str, &mut Tags)> {
        self.buckets.iter_mut().map(|b| (b.arn.as_str(), &mut b.tags)).collect()
    }
}
