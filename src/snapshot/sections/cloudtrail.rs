//! CloudTrail: trails, each once (in its home region when that region was collected,
//! else in the first collected region that sees it), with whether it is logging.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Section;

use crate::snapshot::model::{nullable, resources, Keyed};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudTrailSection {
    #[serde(deserialize_with = "resources")]
    pub trails: Vec<Trail>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trail {
    pub arn: String,
    pub name: String,
    /// Where it was read.
    pub region: String,
    pub home_region: String,
    pub multi_region: bool,
    pub organization_trail: bool,
    pub log_file_validation: bool,
    #[serde(deserialize_with = "nullable")]
    pub kms_key_id: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub s3_bucket_name: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub cloud_watch_logs_log_group_arn: Option<String>,
    /// GetTrailStatus: whether it records events now.
    pub logging: bool,
    /// The last error delivering log files to the bucket, if any.
    #[serde(deserialize_with = "nullable")]
    pub latest_delivery_error: Option<String>,
}

impl CloudTrailSection {
    pub fn append(&mut self, other: CloudTrailSection) {
        self.trails.extend(other.trails);
    }
}

impl Keyed for Trail {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Section for CloudTrailSection {
    fn normalize(&mut self) {
        self.trails.sort_by(|a, b| a.arn.cmp(&b.arn));
    }

    fn clear(&mut self) {
        *self = CloudTrailSection::default();
    }
}
