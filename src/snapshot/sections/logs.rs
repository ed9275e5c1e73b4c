//! CloudWatch Logs: log groups.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Section;

use crate::snapshot::model::{aws_time, count, nullable, resources, Keyed, Tags};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogsSection {
    #[serde(deserialize_with = "resources")]
    pub log_groups: Vec<LogGroup>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogGroup {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// None means "never expire".
    #[serde(deserialize_with = "count")]
    pub retention_days: Option<i32>,
    #[serde(deserialize_with = "nullable")]
    pub kms_key_id: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub data_protection_status: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub log_group_class: Option<String>,
    #[serde(deserialize_with = "count")]
    pub stored_bytes: Option<i64>,
    #[serde(deserialize_with = "aws_time")]
    pub creation_time: Option<String>,
    pub tags: Tags,
}

impl LogsSection {
    pub fn append(&mut self, other: LogsSection) {
        self.log_groups.extend(other.log_groups);
    }
}

impl Keyed for LogGroup {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Section for LogsSection {
    fn normalize(&mut self) {
        self.log_groups.sort_by(|a, b| a.arn.cmp(&b.arn));
    }

    fn clear(&mut self) {
        *self = LogsSection::default();
    }

    fn tags_mut(&mut self) -> Vec<(&str, &mut Tags)> {
        self.log_groups.iter_mut().map(|g| (g.arn.as_str(), &mut g.tags)).collect()
    }
}
