//! The snapshot: everything jalon knows about an account, as collected.
//!
//! Field names are the contract with the Rego policies and with saved snapshots:
//! renaming one is a schema change (bump [`SCHEMA_VERSION`]). Every list is sorted
//! by ARN (or by its natural key) so that two snapshots of the same account diff
//! cleanly. Values that could hold a secret are never stored: Lambda environment
//! variables by name only, e-mail and SMS endpoints masked.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

/// Version of the snapshot format. Readers accept exactly this version.
pub const SCHEMA_VERSION: u32 = 1;

pub type Tags = BTreeMap<String, String>;

/// An optional RFC 3339 timestamp, checked when a snapshot is read: a malformed one
/// is an input error that names the field, and the policies can parse every
/// timestamp without a guard (regorus's `time.parse_rfc3339_ns` fails the whole
/// evaluation on a bad one; the `regex.match` guard it replaces cost 5 % of it).
fn timestamp<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let value = Option::<String>::deserialize(deserializer)?;
    if let Some(text) = &value {
        // The engine counts nanoseconds in an i64: 1677-09-21 to 2262-04-11.
        let valid = chrono::DateTime::parse_from_rfc3339(text).ok().and_then(|t| t.timestamp_nanos_opt()).is_some();
        if !valid {
            return Err(serde::de::Error::custom(format!(
                "expected an RFC 3339 time such as \"2026-11-22T10:00:00Z\" (years 1678 to 2261), found {text:?}"
            )));
        }
    }
    Ok(value)
}

thread_local! {
    /// Off while a snapshot is read for its metadata only (`parse_without_resources`):
    /// then the resource lists are checked element by element and not kept.
    pub(super) static KEEP_RESOURCES: Cell<bool> = const { Cell::new(true) };
}

/// A section's resource list. When only the metadata is wanted, every element is
/// still read and checked (the same errors, at the same places), then dropped: at
/// 100k resources that spares some 70 MB of memory that would be written once and
/// freed (on a virtual machine, memory touched for the first time is expensive).
fn resources<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    if KEEP_RESOURCES.get() {
        return Vec::deserialize(deserializer);
    }
    struct Discard<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for Discard<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a sequence")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            while seq.next_element::<T>()?.is_some() {}
            Ok(Vec::new())
        }
    }
    deserializer.deserialize_seq(Discard(PhantomData))
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    pub schema_version: u32,
    pub tool: ToolInfo,
    pub account: Account,
    /// Regions collected, sorted.
    pub regions: Vec<String>,
    /// RFC 3339, UTC, seconds precision.
    pub collected_at: String,
    /// One entry per (service, region), sorted.
    pub collectors: Vec<CollectorStatus>,
    pub cost: CollectionCost,
    #[serde(default)]
    pub lambda: LambdaSection,
    #[serde(default)]
    pub logs: LogsSection,
    #[serde(default)]
    pub rds: RdsSection,
    #[serde(default)]
    pub secretsmanager: SecretsSection,
    #[serde(default)]
    pub cloudwatch: CloudWatchSection,
    #[serde(default)]
    pub sns: SnsSection,
    #[serde(default)]
    pub xray: XRaySection,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolInfo {
    pub name: String,
    pub version: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// 12-digit account id, from STS GetCallerIdentity. Empty when unknown.
    pub id: String,
    pub caller_arn: String,
}

/// The services jalon collects. The name is used in the snapshot (`collectors[].service`)
/// and in policy metadata (`custom.evidence`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    Sts,
    Lambda,
    Logs,
    Rds,
    Secretsmanager,
    Cloudwatch,
    Sns,
    Xray,
    Tagging,
}

impl Service {
    pub const ALL: [Service; 9] = [
        Service::Sts,
        Service::Lambda,
        Service::Logs,
        Service::Rds,
        Service::Secretsmanager,
        Service::Cloudwatch,
        Service::Sns,
        Service::Xray,
        Service::Tagging,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Service::Sts => "sts",
            Service::Lambda => "lambda",
            Service::Logs => "logs",
            Service::Rds => "rds",
            Service::Secretsmanager => "secretsmanager",
            Service::Cloudwatch => "cloudwatch",
            Service::Sns => "sns",
            Service::Xray => "xray",
            Service::Tagging => "tagging",
        }
    }

    pub fn parse(name: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl std::fmt::Display for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a collector ended. Anything but `Ok` makes the controls that need it UNKNOWN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CollectionStatus {
    Ok,
    AccessDenied,
    Throttled,
    Error,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectorStatus {
    pub service: Service,
    pub region: String,
    pub status: CollectionStatus,
    /// The API operation that failed, e.g. `DescribeDBInstances`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// What the collection cost in API calls and time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CollectionCost {
    pub seconds: f64,
    /// Successful-or-not calls per `service:Operation`, retries excluded.
    pub api_calls: BTreeMap<String, u64>,
    /// Extra attempts made by the retry strategy.
    pub retries: u64,
    /// Attempts answered with a throttling error.
    pub throttles: u64,
}

// ---------------------------------------------------------------- Lambda

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
    pub runtime: Option<String>,
    pub package_type: Option<String>,
    pub timeout_seconds: Option<i32>,
    pub memory_mb: Option<i32>,
    /// `Active` or `PassThrough`.
    pub tracing_mode: Option<String>,
    /// Customer KMS key for environment variables; None means the AWS-managed key.
    pub kms_key_arn: Option<String>,
    /// Environment variable names, sorted. Values are never read into jalon.
    pub environment_variable_names: Vec<String>,
    pub dead_letter_target_arn: Option<String>,
    pub logging: Option<LambdaLogging>,
    pub last_modified: Option<String>,
    pub tags: Tags,
    /// Asynchronous invocation settings, one per qualifier.
    pub event_invoke_configs: Vec<EventInvokeConfig>,
    pub aliases: Vec<LambdaAlias>,
    /// Reserved concurrent executions; None when not reserved.
    pub reserved_concurrency: Option<i32>,
    /// Who may invoke the function, from its resource-based policy.
    pub invoke_permissions: Vec<InvokePermission>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LambdaLogging {
    /// `JSON` or `Text`.
    pub log_format: Option<String>,
    pub application_log_level: Option<String>,
    pub system_log_level: Option<String>,
    pub log_group: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventInvokeConfig {
    /// The function ARN with its qualifier, as AWS returns it.
    pub function_arn: String,
    pub on_failure_destination: Option<String>,
    pub on_success_destination: Option<String>,
    pub maximum_retry_attempts: Option<i32>,
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
    pub source_arn: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventSourceMapping {
    pub uuid: String,
    pub region: String,
    pub function_arn: String,
    pub event_source_arn: Option<String>,
    pub state: Option<String>,
    pub on_failure_destination: Option<String>,
}

// ---------------------------------------------------------------- CloudWatch Logs

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
    pub retention_days: Option<i32>,
    pub kms_key_id: Option<String>,
    pub data_protection_status: Option<String>,
    pub log_group_class: Option<String>,
    pub stored_bytes: Option<i64>,
    pub creation_time: Option<String>,
    pub tags: Tags,
}

// ---------------------------------------------------------------- RDS

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
    pub engine_version: Option<String>,
    pub instance_class: Option<String>,
    pub cluster_identifier: Option<String>,
    pub storage_encrypted: bool,
    pub kms_key_id: Option<String>,
    pub performance_insights_enabled: bool,
    pub performance_insights_retention_days: Option<i32>,
    pub backup_retention_days: i32,
    pub deletion_protection: bool,
    pub multi_az: bool,
    pub publicly_accessible: bool,
    pub iam_auth_enabled: bool,
    /// ARN of the RDS-managed master user secret, when the password is managed.
    pub master_user_secret_arn: Option<String>,
    pub cloudwatch_logs_exports: Vec<String>,
    pub parameter_groups: Vec<String>,
    /// Source of a read replica.
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
    pub engine_version: Option<String>,
    pub storage_encrypted: bool,
    pub kms_key_id: Option<String>,
    pub performance_insights_enabled: bool,
    pub performance_insights_retention_days: Option<i32>,
    pub backup_retention_days: i32,
    pub deletion_protection: bool,
    pub multi_az: bool,
    pub publicly_accessible: bool,
    pub iam_auth_enabled: bool,
    pub master_user_secret_arn: Option<String>,
    pub cloudwatch_logs_exports: Vec<String>,
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

// ---------------------------------------------------------------- Secrets Manager

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretsSection {
    #[serde(deserialize_with = "resources")]
    pub secrets: Vec<Secret>,
}

/// Secret metadata only: `GetSecretValue` is never called.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Secret {
    pub arn: String,
    pub name: String,
    pub region: String,
    pub description: Option<String>,
    pub kms_key_id: Option<String>,
    pub rotation_enabled: bool,
    pub rotation_lambda_arn: Option<String>,
    pub rotation_every_days: Option<i64>,
    pub rotation_schedule_expression: Option<String>,
    #[serde(default, deserialize_with = "timestamp")]
    pub last_rotated_at: Option<String>,
    #[serde(default, deserialize_with = "timestamp")]
    pub next_rotation_at: Option<String>,
    #[serde(default, deserialize_with = "timestamp")]
    pub last_changed_at: Option<String>,
    #[serde(default, deserialize_with = "timestamp")]
    pub created_at: Option<String>,
    /// Set for secrets a service manages, e.g. `rds` for RDS master user secrets.
    pub owning_service: Option<String>,
    pub tags: Tags,
}

// ---------------------------------------------------------------- CloudWatch alarms

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
    pub description: Option<String>,
    pub namespace: Option<String>,
    pub metric_name: Option<String>,
    pub dimensions: BTreeMap<String, String>,
    pub statistic: Option<String>,
    /// e.g. `p95`.
    pub extended_statistic: Option<String>,
    /// Metric-math queries, in the alarm's order.
    pub metrics: Vec<MetricQuery>,
    pub threshold: Option<f64>,
    pub threshold_metric_id: Option<String>,
    pub comparison_operator: Option<String>,
    pub period_seconds: Option<i32>,
    pub evaluation_periods: Option<i32>,
    pub datapoints_to_alarm: Option<i32>,
    pub treat_missing_data: Option<String>,
    pub actions_enabled: bool,
    pub alarm_actions: Vec<String>,
    pub ok_actions: Vec<String>,
    pub insufficient_data_actions: Vec<String>,
    /// `OK`, `ALARM` or `INSUFFICIENT_DATA`.
    pub state_value: Option<String>,
    #[serde(default, deserialize_with = "timestamp")]
    pub state_updated_at: Option<String>,
    pub tags: Tags,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricQuery {
    pub id: String,
    pub expression: Option<String>,
    pub label: Option<String>,
    pub return_data: Option<bool>,
    pub period_seconds: Option<i32>,
    pub metric_stat: Option<MetricStat>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricStat {
    pub namespace: Option<String>,
    pub metric_name: Option<String>,
    pub dimensions: BTreeMap<String, String>,
    pub period_seconds: Option<i32>,
    pub stat: Option<String>,
    pub unit: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompositeAlarm {
    pub arn: String,
    pub name: String,
    pub region: String,
    pub description: Option<String>,
    pub rule: Option<String>,
    pub actions_enabled: bool,
    pub alarm_actions: Vec<String>,
    pub state_value: Option<String>,
    #[serde(default, deserialize_with = "timestamp")]
    pub state_updated_at: Option<String>,
}

// ---------------------------------------------------------------- SNS

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnsSection {
    #[serde(deserialize_with = "resources")]
    pub topics: Vec<SnsTopic>,
    #[serde(deserialize_with = "resources")]
    pub subscriptions: Vec<SnsSubscription>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnsTopic {
    pub arn: String,
    pub name: String,
    pub region: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SnsSubscription {
    /// `PendingConfirmation` subscriptions have no ARN yet; they carry None here.
    pub arn: Option<String>,
    pub topic_arn: String,
    pub region: String,
    pub protocol: String,
    /// Masked: `a***@example.com` for e-mail, the host only for HTTP(S), last digits for SMS.
    pub endpoint: String,
    pub confirmed: bool,
}

// ---------------------------------------------------------------- X-Ray

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct XRaySection {
    #[serde(deserialize_with = "resources")]
    pub sampling_rules: Vec<SamplingRule>,
    /// One per region.
    #[serde(deserialize_with = "resources")]
    pub encryption_configs: Vec<XRayEncryption>,
    #[serde(deserialize_with = "resources")]
    pub groups: Vec<XRayGroup>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamplingRule {
    pub arn: String,
    pub name: String,
    pub region: String,
    pub priority: i32,
    pub fixed_rate: f64,
    pub reservoir_size: i32,
    pub service_name: String,
    pub service_type: String,
    pub host: String,
    pub http_method: String,
    pub url_path: String,
    pub resource_arn: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct XRayEncryption {
    pub region: String,
    /// `NONE` (AWS-owned key) or `KMS`.
    pub encryption_type: String,
    pub key_id: Option<String>,
    pub status: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct XRayGroup {
    pub arn: String,
    pub name: String,
    pub region: String,
    pub filter_expression: Option<String>,
    pub insights_enabled: bool,
}
