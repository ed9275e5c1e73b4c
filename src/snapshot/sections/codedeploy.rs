//! CodeDeploy: the deployment groups of Lambda applications (the canary of an alias),
//! which alarms stop a deployment and whether it rolls back on them.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Section;

use crate::snapshot::model::{resources, Keyed, Tags};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeDeploySection {
    #[serde(deserialize_with = "resources")]
    pub deployment_groups: Vec<DeploymentGroup>,
}

/// A deployment group of a Lambda application (other platforms are not read).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeploymentGroup {
    /// `arn:aws:codedeploy:<region>:<account>:deploymentgroup:<application>/<group>`.
    pub arn: String,
    /// `<application>/<group>`.
    pub name: String,
    pub region: String,
    pub application: String,
    /// `CodeDeployDefault.LambdaCanary10Percent5Minutes`, ...
    pub deployment_config: String,
    /// The alarms stop a deployment that sets one off.
    pub alarms_enabled: bool,
    /// A deployment goes on when the alarms cannot be read.
    pub ignore_poll_alarm_failure: bool,
    /// CloudWatch alarm names, sorted.
    pub alarm_names: Vec<String>,
    pub auto_rollback_enabled: bool,
    /// `DEPLOYMENT_FAILURE`, `DEPLOYMENT_STOP_ON_ALARM`, `DEPLOYMENT_STOP_ON_REQUEST`.
    pub auto_rollback_events: Vec<String>,
    pub tags: Tags,
}

impl CodeDeploySection {
    pub fn append(&mut self, other: CodeDeploySection) {
        self.deployment_groups.extend(other.deployment_groups);
    }
}

impl Keyed for DeploymentGroup {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Section for CodeDeploySection {
    fn normalize(&mut self) {
        self.deployment_groups.sort_by(|a, b| a.arn.cmp(&b.arn));
        for g in &mut self.deployment_groups {
            g.alarm_names.sort();
            g.auto_rollback_events.sort();
        }
    }

    fn clear(&mut self) {
        *self = CodeDeploySection::default();
    }

    fn tags_mut(&mut self) -> Vec<(&str, &mut Tags)> {
        self.deployment_groups.iter_mut().map(|g| (g.arn.as_str(), &mut g.tags)).collect()
    }
}
