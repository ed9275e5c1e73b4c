//! ElastiCache: Redis OSS and Valkey replication groups and serverless caches, how they
//! are encrypted, who may connect, how they fail over and how long their snapshots
//! stay. Cached data is never read.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Section;

use crate::snapshot::model::{nullable, required_count, resources, Keyed, Tags};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ElastiCacheSection {
    #[serde(deserialize_with = "resources")]
    pub replication_groups: Vec<ReplicationGroup>,
    #[serde(deserialize_with = "resources")]
    pub serverless_caches: Vec<ServerlessCache>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplicationGroup {
    pub arn: String,
    /// The replication group id.
    pub name: String,
    pub region: String,
    /// `redis` or `valkey`.
    pub engine: String,
    /// `available`, `creating`, `modifying`, ...
    pub status: String,
    pub at_rest_encryption: bool,
    #[serde(deserialize_with = "nullable")]
    pub kms_key_id: Option<String>,
    pub transit_encryption: bool,
    /// `required` or `preferred` (plain-text connections still accepted); None when
    /// not reported.
    #[serde(deserialize_with = "nullable")]
    pub transit_encryption_mode: Option<String>,
    /// A Redis AUTH token is set.
    pub auth_token_enabled: bool,
    /// RBAC: the user groups that control access.
    pub user_group_ids: Vec<String>,
    /// `enabled`, `disabled`, `enabling`, `disabling`.
    pub automatic_failover: String,
    /// `enabled` or `disabled`.
    pub multi_az: String,
    /// Days automatic snapshots are kept; 0: none taken.
    #[serde(deserialize_with = "required_count")]
    pub snapshot_retention_days: i64,
    pub tags: Tags,
}

/// Serverless caches always encrypt at rest and in transit and span several AZs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerlessCache {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// `redis`, `valkey` or `memcached`.
    pub engine: String,
    pub status: String,
    /// A customer KMS key; None: the AWS owned key.
    #[serde(deserialize_with = "nullable")]
    pub kms_key_id: Option<String>,
    /// RBAC: the user group that controls access; None: the default user, no password.
    #[serde(deserialize_with = "nullable")]
    pub user_group_id: Option<String>,
    #[serde(deserialize_with = "required_count")]
    pub snapshot_retention_days: i64,
    pub tags: Tags,
}

impl ElastiCacheSection {
    pub fn append(&mut self, other: ElastiCacheSection) {
        self.replication_groups.extend(other.replication_groups);
        self.serverless_caches.extend(other.serverless_caches);
    }
}

impl Keyed for ReplicationGroup {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Keyed for ServerlessCache {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Section for ElastiCacheSection {
    fn normalize(&mut self) {
        self.replication_groups.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.serverless_caches.sort_by(|a, b| a.arn.cmp(&b.arn));
        for g in &mut self.replication_groups {
            g.user_group_ids.sort();
        }
    }

    fn clear(&mut self) {
        *self = ElastiCacheSection::default();
    }

    fn tags_mut(&mut self) -> Vec<(&str, &mut Tags)> {
        let groups = self.replication_groups.iter_mut().map(|g| (g.arn.as_str(), &mut g.tags));
        groups.chain(self.serverless_caches.iter_mut().map(|c| (c.arn.as_str(), &mut c.tags))).collect()
    }
}
