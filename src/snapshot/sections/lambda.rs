//! Lambda: functions with their asynchronous-invocation settings, aliases, reserved
//! concurrency and invoke permissions; event source mappings.

use std::collections::BTreeMap;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Section;

use crate::snapshot::model::{aws_time, count, nullable, resources, Keyed, Tags};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LambdaSection {
    #[serde(deserialize_with = "resources")]
    pub functions: Vec<LambdaFunction>,
    #[serde(deserialize_with = "resources")]
    pub event_source_mappings: Vec<EventSourceMapping>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LambdaFunction {
    pub arn: String,
    pub name: String,
    pub region: String,
    /// None for container images.
    #[serde(deserialize_with = "nullable")]
    pub runtime: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub package_type: Option<String>,
    #[serde(deserialize_with = "count")]
    pub timeout_seconds: Option<i32>,
    #[serde(deserialize_with = "count")]
    pub memory_mb: Option<i32>,
    /// `Active` or `PassThrough`.
    #[serde(deserialize_with = "nullable")]
    pub tracing_mode: Option<String>,
    /// Customer KMS key for environment variables; None means the AWS-managed key.
    #[serde(deserialize_with = "nullable")]
    pub kms_key_arn: Option<String>,
    /// Environment variable names, sorted. Values are never read into jalon.
    pub environment_variable_names: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub dead_letter_target_arn: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub logging: Option<LambdaLogging>,
    #[serde(deserialize_with = "aws_time")]
    pub last_modified: Option<String>,
    pub tags: Tags,
    /// Asynchronous invocation settings, one per qualifier.
    pub event_invoke_configs: Vec<EventInvokeConfig>,
    pub aliases: Vec<LambdaAlias>,
    /// Reserved concurrent executions; None when not reserved.
    #[serde(deserialize_with = "count")]
    pub reserved_concurrency: Option<i32>,
    /// Who may invoke the function, from its resource-based policy.
    pub invoke_permissions: Vec<InvokePermission>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LambdaLogging {
    /// `JSON` or `Text`.
    #[serde(deserialize_with = "nullable")]
    pub log_format: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub application_log_level: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub system_log_level: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub log_group: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventInvokeConfig {
    /// The function ARN with its qualifier, as AWS returns it.
    pub function_arn: String,
    #[serde(deserialize_with = "nullable")]
    pub on_failure_destination: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub on_success_destination: Option<String>,
    #[serde(deserialize_with = "count")]
    pub maximum_retry_attempts: Option<i32>,
    #[serde(deserialize_with = "count")]
    pub maximum_event_age_seconds: Option<i32>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LambdaAlias {
    pub arn: String,
    pub name: String,
    pub function_version: String,
    /// Extra versions receiving traffic, and their weights (0..1): a canary in flight.
    pub additional_version_weights: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvokePermission {
    pub sid: String,
    /// A service principal (`sns.amazonaws.com`) or an account / ARN.
    pub principal: String,
    pub action: String,
    #[serde(deserialize_with = "nullable")]
    pub source_arn: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSourceMapping {
    pub uuid: String,
    pub region: String,
    pub function_arn: String,
    #[serde(deserialize_with = "nullable")]
    pub event_source_arn: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub state: Option<String>,
    #[serde(deserialize_with = "nullable")]
    pub on_failure_destination: Option<String>,
    /// Records or messages per invocation.
    #[serde(deserialize_with = "count")]
    pub batch_size: Option<i32>,
    /// Streams: -1 retries until the record expires.
    #[serde(deserialize_with = "nullable")]
    pub maximum_retry_attempts: Option<i32>,
    /// Streams: -1 keeps a record until the stream drops it.
    #[serde(deserialize_with = "nullable")]
    pub maximum_record_age_seconds: Option<i32>,
    #[serde(deserialize_with = "nullable")]
    pub bisect_batch_on_function_error: Option<bool>,
    /// `ReportBatchItemFailures` when the function reports which items failed.
    pub function_response_types: Vec<String>,
}

impl LambdaSection {
    pub fn append(&mut self, other: LambdaSection) {
        self.functions.extend(other.functions);
        self.event_source_mappings.extend(other.event_source_mappings);
    }
}

impl Keyed for LambdaFunction {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Keyed for EventSourceMapping {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.uuid))
    }
}

impl Section for LambdaSection {
    fn normalize(&mut self) {
        self.functions.sort_by(|a, b| a.arn.cmp(&b.arn));
        for f in &mut self.functions {
            f.environment_variable_names.sort();
            f.event_invoke_configs.sort_by(|a, b| a.function_arn.cmp(&b.function_arn));
            f.aliases.sort_by(|a, b| a.arn.cmp(&b.arn));
            f.invoke_permissions.sort_by(|a, b| a.sid.cmp(&b.sid));
        }
        self.event_source_mappings.sort_by(|a, b| a.uuid.cmp(&b.uuid));
    }

    fn clear(&mut self) {
        *self = LambdaSection::default();
    }

    fn tags_mut(&mut self) -> Vec<(&str, &mut Tags)> {
        self.functions.iter_mut().map(|f| (f.arn.as_str(), &mut f.tags)).collect()
    }
}
