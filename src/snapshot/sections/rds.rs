//! RDS: DB instances, clusters and the custom parameter groups they use.

use std::collections::BTreeMap;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Section;

use crate::snapshot::model::{count, nullable, required_count, resources, Keyed, Tags};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RdsSection {
    #[serde(deserialize_with = "resources")]
    pub instances: Vec<DbInstance>,
    #[serde(deserialize_with = "resources")]
    pub clusters: Vec<DbCluster>,
    /// Custom parameter groups in use, with the parameters controls read.
    #[serde(deserialize_with = "resources")]
    pub parameter_groups: Vec<DbParameterGroup>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DbInstance {
    pub arn: String,
    pub identifier: String,
    pub region: String,
    pub engine: String,
    #[serde(deserialize_with = "nullable")]
    pub engine_version: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub instance_class: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub cluster_identifier: Option<String>,
    pub storage_encrypted: bool,
    #[serde(deserialize_with = "nullable")]
    pub kms_key_id: Option<String>,
    pub performance_insights_enabled: bool,
    #[serde(deserialize_with = "count")]
    pub performance_insights_retention_days: Option<i32>,
    #[serde(deserialize_with = "required_count")]
    pub backup_retention_days: i32,
    pub deletion_protection: bool,
    pub multi_az: bool,
    pub publicly_accessible: bool,
    pub iam_auth_enabled: bool,
    /// ARN of the RDS-managed master user secret, when the password is managed.
    #[serde(deserialize_with = "nullable")]
    pub master_user_secret_arn: Option<String>,
    pub cloudwatch_logs_exports: Vec<String>,
    pub parameter_groups: Vec<String>,
    /// Source of a read replica.
    #[serde(deserialize_with = "nullable")]
    pub read_replica_source: Option<String>,
    pub tags: Tags,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DbCluster {
    pub arn: String,
    pub identifier: String,
    pub region: String,
    pub engine: String,
    #[serde(deserialize_with = "nullable")]
    pub engine_version: Option<String>,
    pub storage_encrypted: bool,
    #[serde(deserialize_with = "nullable")]
    pub kms_key_id: Option<String>,
    pub performance_insights_enabled: bool,
    #[serde(deserialize_with = "count")]
    pub performance_insights_retention_days: Option<i32>,
    #[serde(deserialize_with = "required_count")]
    pub backup_retention_days: i32,
    pub deletion_protection: bool,
    pub multi_az: bool,
    pub publicly_accessible: bool,
    pub iam_auth_enabled: bool,
    #[serde(deserialize_with = "nullable")]
    pub master_user_secret_arn: Option<String>,
    pub cloudwatch_logs_exports: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub parameter_group: Option<String>,
    pub members: Vec<String>,
    pub tags: Tags,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DbParameterGroup {
    pub name: String,
    pub region: String,
    /// A DB cluster parameter group (Aurora) rather than a DB parameter group.
    pub cluster: bool,
    /// Only the parameters controls read (e.g. `rds.force_ssl`), with their current value.
    pub parameters: BTreeMap<String, String>,
}

impl RdsSection {
    pub fn append(&mut self, other: RdsSection) {
        self.instances.extend(other.instances);
        self.clusters.extend(other.clusters);
        self.parameter_groups.extend(other.parameter_groups);
    }
}

impl Keyed for DbInstance {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Keyed for DbCluster {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Keyed for DbParameterGroup {
    fn key(&self) -> Option<Cow<'_, str>> {
        // Cluster and instance parameter groups are two namespaces, per region.
        let kind = if self.cluster { "cluster parameter group" } else { "parameter group" };
        Some(Cow::Owned(format!("{} {kind} {}", self.region, self.name)))
    }
}

impl Section for RdsSection {
    fn normalize(&mut self) {
        self.instances.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.clusters.sort_by(|a, b| a.arn.cmp(&b.arn));
        for c in &mut self.clusters {
            c.members.sort();
        }
        self.parameter_groups.sort_by(|a, b| (&a.region, &a.name).cmp(&(&b.region, &b.name)));
    }

    fn clear(&mut self) {
        *self = RdsSection::default();
    }
}
