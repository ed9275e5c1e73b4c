//! CloudWatch: metric alarms (metric math included) and composite alarms.

use std::collections::BTreeMap;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Section;

use crate::snapshot::model::{count, nullable, resources, timestamp, Keyed, Tags};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudWatchSection {
    #[serde(deserialize_with = "resources")]
    pub metric_alarms: Vec<MetricAlarm>,
    #[serde(deserialize_with = "resources")]
    pub composite_alarms: Vec<CompositeAlarm>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricAlarm {
    pub arn: String,
    pub name: String,
    pub region: String,
    #[serde(deserialize_with = "nullable")]
    pub description: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub namespace: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub metric_name: Option<String>,
    pub dimensions: BTreeMap<String, String>,
    #[serde(deserialize_with = "nullable")]
    pub statistic: Option<String>,
    /// e.g. `p95`.
    #[serde(deserialize_with = "nullable")]
    pub extended_statistic: Option<String>,
    /// Metric-math queries, in the alarm's order.
    pub metrics: Vec<MetricQuery>,
    #[serde(deserialize_with = "nullable")]
    pub threshold: Option<f64>,
    #[serde(deserialize_with = "nullable")]
    pub threshold_metric_id: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub comparison_operator: Option<String>,
    #[serde(deserialize_with = "count")]
    pub period_seconds: Option<i32>,
    #[serde(deserialize_with = "count")]
    pub evaluation_periods: Option<i32>,
    #[serde(deserialize_with = "count")]
    pub datapoints_to_alarm: Option<i32>,
    #[serde(deserialize_with = "nullable")]
    pub treat_missing_data: Option<String>,
    pub actions_enabled: bool,
    pub alarm_actions: Vec<String>,
    pub ok_actions: Vec<String>,
    pub insufficient_data_actions: Vec<String>,
    /// `OK`, `ALARM` or `INSUFFICIENT_DATA`.
    #[serde(deserialize_with = "nullable")]
    pub state_value: Option<String>,
    #[serde(deserialize_with = "timestamp")]
    pub state_updated_at: Option<String>,
    pub tags: Tags,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricQuery {
    pub id: String,
    #[serde(deserialize_with = "nullable")]
    pub expression: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub label: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub return_data: Option<bool>,
    #[serde(deserialize_with = "count")]
    pub period_seconds: Option<i32>,
    #[serde(deserialize_with = "nullable")]
    pub metric_stat: Option<MetricStat>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricStat {
    #[serde(deserialize_with = "nullable")]
    pub namespace: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub metric_name: Option<String>,
    pub dimensions: BTreeMap<String, String>,
    #[serde(deserialize_with = "count")]
    pub period_seconds: Option<i32>,
    #[serde(deserialize_with = "nullable")]
    pub stat: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompositeAlarm {
    pub arn: String,
    pub name: String,
    pub region: String,
    #[serde(deserialize_with = "nullable")]
    pub description: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub rule: Option<String>,
    pub actions_enabled: bool,
    pub alarm_actions: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub state_value: Option<String>,
    #[serde(deserialize_with = "timestamp")]
    pub state_updated_at: Option<String>,
}

impl CloudWatchSection {
    pub fn append(&mut self, other: CloudWatchSection) {
        self.metric_alarms.extend(other.metric_alarms);
        self.composite_alarms.extend(other.composite_alarms);
    }
}

impl Keyed for MetricAlarm {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Keyed for CompositeAlarm {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Section for CloudWatchSection {
    fn normalize(&mut self) {
        self.metric_alarms.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.composite_alarms.sort_by(|a, b| a.arn.cmp(&b.arn));
    }

    fn clear(&mut self) {
        *self = CloudWatchSection::default();
    }

    fn tags_mut(&mut self) -> Vec<(&str, &mut Tags)> {
        self.metric_alarms.iter_mut().map(|a| (a.arn.as_str(), &mut a.tags)).collect()
    }
}
