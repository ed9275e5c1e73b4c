//! DynamoDB: tables, how they are protected (point-in-time recovery, deletion
//! protection), encrypted and expired (TTL), and where their replicas are. Items are
//! never read.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Section;

use crate::snapshot::model::{nullable, resources, Keyed, Tags};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DynamoDbSection {
    #[serde(deserialize_with = "resources")]
    pub tables: Vec<DynamoDbTable>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DynamoDbTable {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// `ACTIVE`, `CREATING`, `UPDATING`, `DELETING`, `ARCHIVED`, ...
    pub status: String,
    /// At rest, every table is encrypted: None with the AWS owned key (the default),
    /// the key's ARN with a KMS key (`aws/dynamodb` or a customer key).
    #[serde(deserialize_with = "nullable")]
    pub kms_key_arn: Option<String>,
    pub point_in_time_recovery: bool,
    pub deletion_protection: bool,
    /// The attribute whose epoch time expires an item, while TTL is on (or being
    /// turned on); None when it is off.
    #[serde(deserialize_with = "nullable")]
    pub ttl_attribute: Option<String>,
    /// The other regions of a global table (version 2019.11.21), sorted.
    pub replica_regions: Vec<String>,
    pub tags: Tags,
}

impl DynamoDbSection {
    pub fn append(&mut self, other: DynamoDbSection) {
        self.tables.extend(other.tables);
    }
}

impl Keyed for DynamoDbTable {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Section for DynamoDbSection {
    fn normalize(&mut self) {
        self.tables.sort_by(|a, b| a.arn.cmp(&b.arn));
        for t in &mut self.tables {
            t.replica_regions.sort();
        }
    }

    fn clear(&mut self) {
        *self = DynamoDbSection::default();
    }

    fn tags_mut(&mut self) -> Vec<(&str, &mut Tags)> {
        self.tables.iter_mut().map(|t| (t.arn.as_str(), &mut t.tags)).collect()
    }
}
