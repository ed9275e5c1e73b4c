//! AppConfig: the environments of each application and the alarms that roll a
//! configuration deployment back (the kill switch of DEP-003). Configurations
//! themselves (the flags' values) are never read.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Section;

use crate::snapshot::model::{resources, Keyed};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppConfigSection {
    #[serde(deserialize_with = "resources")]
    pub environments: Vec<AppConfigEnvironment>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppConfigEnvironment {
    /// `arn:aws:appconfig:<region>:<account>:application/<app id>/environment/<env id>`.
    pub arn: String,
    /// `<application name>/<environment name>`.
    pub name: String,
    pub region: String,
    pub application: String,
    /// `ReadyForDeployment`, `Deploying`, `RollingBack`, `RolledBack`, ...
    pub state: String,
    /// The CloudWatch alarms whose ALARM state rolls a deployment back, sorted.
    pub monitor_alarm_arns: Vec<String>,
}

impl AppConfigSection {
    pub fn append(&mut self, other: AppConfigSection) {
        self.environments.extend(other.environments);
    }
}

impl Keyed for AppConfigEnvironment {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Section for AppConfigSection {
    fn normalize(&mut self) {
        self.environments.sort_by(|a, b| a.arn.cmp(&b.arn));
        for e in &mut self.environments {
            e.monitor_alarm_arns.sort();
        }
    }

    fn clear(&mut self) {
        *self = AppConfigSection::default();
    }
}
