//! The snapshot: everything jalon knows about an account, as collected.
//!
//! Field names are the contract with the Rego policies and with saved snapshots:
//! renaming one is a schema change (bump [`SCHEMA_VERSION`]). Every list is sorted
//! by ARN (or by its natural key) so that two snapshots of the same account diff
//! cleanly. Values that could hold a secret are never stored: Lambda environment
//! variables by name only, e-mail and SMS endpoints masked.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::marker::PhantomData;

use serde::de::{SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::sections::{
    ApiGatewaySection, AppConfigSection, CloudTrailSection, CloudWatchSection, CodeDeploySection, DynamoDbSection,
    ElastiCacheSection, KmsSection, LambdaSection, LogsSection, MetricsSection, RdsSection, S3Section, SecretsSection,
    SnsSection, SqsSection, XRaySection,
};

/// Version of the snapshot format. Readers accept exactly this version.
pub const SCHEMA_VERSION: u32 = 1;

pub type Tags = BTreeMap<String, String>;

/// An optional value (`null`) that is never absent: the policies read every field of the
/// snapshot as written (the engine does not go through these types), so a snapshot that
/// leaves one out is refused with the field's path rather than judged on a hole. serde
/// reads a missing `Option` field as None unless a `deserialize_with` asks for it: every
/// optional resource field names this function.
pub(crate) fn nullable<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer)
}

/// An optional RFC 3339 timestamp, checked when a snapshot is read: a malformed one
/// is an input error that names the field, and the policies can parse every
/// timestamp without a guard (regorus's `time.parse_rfc3339_ns` fails the whole
/// evaluation on a bad one, and a guard per timestamp is costly: docs/benchmarks.md).
pub(crate) fn timestamp<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
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

/// When the snapshot was collected: an RFC 3339 time in [`crate::dates::YEARS`]. The
/// as-of date defaults to it, and with it every phase's due date.
fn collected_at<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    let at = chrono::DateTime::parse_from_rfc3339(&text).map_err(|_| {
        serde::de::Error::custom(format!("expected an RFC 3339 time such as \"2026-11-22T10:00:00Z\", found {text:?}"))
    })?;
    crate::dates::check_instant(at.with_timezone(&chrono::Utc)).map_err(serde::de::Error::custom)?;
    Ok(text)
}

/// A time as AWS writes it outside the `*_at` fields: RFC 3339, or Lambda's
/// `2026-11-20T12:00:00.000+0000` (an offset without a colon). Checked like
/// [`timestamp`].
pub(crate) fn aws_time<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    let value = Option::<String>::deserialize(deserializer)?;
    if let Some(text) = &value {
        let parsed = chrono::DateTime::parse_from_rfc3339(text)
            .or_else(|_| chrono::DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"));
        if parsed.ok().and_then(|t| t.timestamp_nanos_opt()).is_none() {
            return Err(serde::de::Error::custom(format!(
                "expected an RFC 3339 time such as \"2026-11-22T10:00:00Z\" (years 1678 to 2261), found {text:?}"
            )));
        }
    }
    Ok(value)
}

/// A count, a size or a number of days: zero or more (null when unknown). The
/// policies compare them with thresholds, and a negative one would read as "below
/// any ceiling".
pub(crate) fn count<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + PartialOrd + Default + fmt::Display,
{
    match Option::<T>::deserialize(deserializer)? {
        Some(n) if n < T::default() => {
            Err(serde::de::Error::custom(format!("expected a count or a number of days, zero or more, found {n}")))
        }
        n => Ok(n),
    }
}

/// [`count`], never null.
pub(crate) fn required_count<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + PartialOrd + Default + fmt::Display,
{
    count(deserializer)?.ok_or_else(|| serde::de::Error::custom("expected a count or a number of days, found null"))
}

/// A rate between 0 and 1 (a sampling rule's fixed rate).
pub(crate) fn fraction<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    let rate = f64::deserialize(deserializer)?;
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(serde::de::Error::custom(format!("expected a rate from 0 to 1, found {rate}")))
    }
}

thread_local! {
    /// Off while a snapshot is read for its metadata only (`parse_without_resources`):
    /// then the resource lists are checked element by element and not kept.
    pub(super) static KEEP_RESOURCES: Cell<bool> = const { Cell::new(true) };
}

/// A resource of a section's list, by what names it once in the account (its ARN,
/// mostly). A list that names one twice was not written by a collector: the
/// policies would judge the resource twice, the reports count it twice, and one of
/// the two copies can hide the other.
pub trait Keyed {
    /// None for an entry that has no name of its own (a pending SNS subscription).
    fn key(&self) -> Option<Cow<'_, str>>;
}

fn listed_twice<E: serde::de::Error>(key: &str, first: usize, again: usize) -> E {
    E::custom(format!("{key:?} is listed twice, at [{first}] and [{again}]: a snapshot lists each resource once"))
}

/// [`resources`], kept even when only the metadata is wanted: the metric series,
/// which the reports chart after the engine has its copy.
pub(crate) fn kept_resources<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Keyed,
{
    let list = Vec::<T>::deserialize(deserializer)?;
    let mut seen = HashMap::with_capacity(list.len());
    for (i, resource) in list.iter().enumerate() {
        if let Some(key) = resource.key() {
            if let Some(first) = seen.insert(key, i) {
                let key = resource.key().unwrap_or_default();
                return Err(listed_twice(&key, first, i));
            }
        }
    }
    Ok(list)
}

/// A section's resource list, checked to name each resource once. When only the
/// metadata is wanted, every element is still read and checked (the same errors, at
/// the same places), then dropped: that spares memory that would be written once
/// and freed (on a virtual machine, memory touched for the first time is expensive).
pub(crate) fn resources<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Keyed,
{
    if KEEP_RESOURCES.get() {
        return kept_resources(deserializer);
    }
    struct Discard<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de> + Keyed> Visitor<'de> for Discard<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a sequence")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut seen: HashMap<String, usize> = HashMap::new();
            let mut i = 0;
            while let Some(resource) = seq.next_element::<T>()? {
                if let Some(key) = resource.key() {
                    if let Some(first) = seen.insert(key.into_owned(), i) {
                        return Err(listed_twice(&resource.key().unwrap_or_default(), first, i));
                    }
                }
                i += 1;
            }
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
    #[serde(deserialize_with = "collected_at")]
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
    pub sqs: SqsSection,
    #[serde(default)]
    pub dynamodb: DynamoDbSection,
    #[serde(default)]
    pub elasticache: ElastiCacheSection,
    #[serde(default)]
    pub s3: S3Section,
    #[serde(default)]
    pub apigateway: ApiGatewaySection,
    #[serde(default)]
    pub codedeploy: CodeDeploySection,
    #[serde(default)]
    pub appconfig: AppConfigSection,
    #[serde(default)]
    pub cloudtrail: CloudTrailSection,
    #[serde(default)]
    pub kms: KmsSection,
    #[serde(default)]
    pub xray: XRaySection,
    #[serde(default)]
    pub metrics: MetricsSection,
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

/// A collector, by the name the snapshot (`collectors[].service`) and the policies'
/// METADATA (`custom.evidence`) give it: `lambda`, `logs`, `tagging`... The collectors
/// are listed once, in `collect::registry`; a name it does not list is refused when a
/// snapshot or a policy is read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Service(String);

impl Service {
    pub fn new(name: impl Into<String>) -> Service {
        Service(name.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
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

impl CollectionStatus {
    /// For people: "ok", "access denied", "throttled", "error".
    pub fn words(self) -> &'static str {
        match self {
            CollectionStatus::Ok => "ok",
            CollectionStatus::AccessDenied => "access denied",
            CollectionStatus::Throttled => "throttled",
            CollectionStatus::Error => "error",
        }
    }
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

impl CollectorStatus {
    /// "lambda in eu-west-3: throttled on ListFunctions: Rate exceeded": one line, as
    /// the account wrote it (escape it for the output).
    pub fn line(&self) -> String {
        format!(
            "{} in {}: {} on {}: {}",
            self.service,
            self.region,
            self.status.words(),
            self.operation.as_deref().unwrap_or("?"),
            self.message.as_deref().unwrap_or("failed")
        )
    }
}
