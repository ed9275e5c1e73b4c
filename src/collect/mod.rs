//! `jalon collect`: read the account through the official AWS SDK into a snapshot.
//!
//! One module per AWS service. Every collector takes a [`RegionContext`] and
//! returns its part of the snapshot or a [`Failure`]; a failed collector leaves its
//! section empty and its status says why, so controls that need it are UNKNOWN.
//! Only read-only calls are made (see `examples/iam-policy.json`, kept in step
//! with [`API_ACTIONS`] by a test).

mod cloudwatch;
mod cost;
mod failure;
mod identity;
mod lambda;
mod logs;
mod mask;
mod rate_limit;
mod rds;
mod secrets;
mod sns;
mod tagging;
mod xray;

use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::time::Instant;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region};
use aws_types::SdkConfig;
use chrono::{SecondsFormat, Utc};
use futures::stream::{self, StreamExt, TryStreamExt};
use indicatif::{ProgressBar, ProgressStyle};

pub use cost::CostRecorder;
pub use failure::{classify, Failure};
pub use mask::mask_endpoint;
pub use rate_limit::RateLimiter;

use crate::error::JalonError;
use crate::snapshot::{
    Account, CollectionCost, CollectionStatus, CollectorStatus, Service, Snapshot, ToolInfo, SCHEMA_VERSION,
};

/// Every IAM action the collectors call. `examples/iam-policy.json` grants exactly these.
pub const API_ACTIONS: &[&str] = &[
    "sts:GetCallerIdentity",
    "lambda:ListFunctions",
    "lambda:GetFunctionConcurrency",
    "lambda:ListAliases",
    "lambda:ListFunctionEventInvokeConfigs",
    "lambda:GetPolicy",
    "lambda:ListEventSourceMappings",
    "logs:DescribeLogGroups",
    "rds:DescribeDBInstances",
    "rds:DescribeDBClusters",
    "rds:DescribeDBParameters",
    "rds:DescribeDBClusterParameters",
    "secretsmanager:ListSecrets",
    "cloudwatch:DescribeAlarms",
    "sns:ListTopics",
    "sns:ListSubscriptions",
    "xray:GetSamplingRules",
    "xray:GetEncryptionConfig",
    "xray:GetGroups",
    "tag:GetResources",
];

#[derive(Debug, Clone)]
pub struct CollectOptions {
    pub profile: Option<String>,
    pub regions: Vec<String>,
    pub endpoint_url: Option<String>,
    /// Most per-resource calls in flight per service and region.
    pub concurrency: usize,
    pub max_attempts: u32,
    /// Calls per second per service and region; 0 for no limit.
    pub rate_limit: f64,
    pub progress: bool,
}

impl Default for CollectOptions {
    fn default() -> Self {
        CollectOptions {
            profile: None,
            regions: Vec::new(),
            endpoint_url: None,
            concurrency: 8,
            max_attempts: 6,
            rate_limit: 0.0,
            progress: false,
        }
    }
}

/// What a collector needs to talk to one region.
pub struct RegionContext {
    pub region: String,
    pub account_id: String,
    sdk: SdkConfig,
    recorder: CostRecorder,
    concurrency: usize,
    /// One limiter per collector: the limit applies per service and region.
    limiters: BTreeMap<Service, RateLimiter>,
}

impl RegionContext {
    fn new(
        region: &str,
        account_id: &str,
        sdk: SdkConfig,
        recorder: CostRecorder,
        concurrency: usize,
        rate_limit: f64,
    ) -> RegionContext {
        RegionContext {
            region: region.to_string(),
            account_id: account_id.to_string(),
            sdk,
            recorder,
            concurrency: concurrency.max(1),
            limiters: COLLECTORS.iter().map(|s| (*s, RateLimiter::new(rate_limit))).collect(),
        }
    }

    /// The SDK config with jalon's cost recorder, for one service's client.
    fn sdk(&self) -> &SdkConfig {
        &self.sdk
    }

    fn recorder(&self, service: Service) -> CostRecorder {
        self.recorder.for_service(service.as_str())
    }

    /// Waits for this service's rate limiter (in this region) before a call.
    async fn throttle(&self, service: Service) {
        if let Some(limiter) = self.limiters.get(&service) {
            limiter.acquire().await;
        }
    }

    /// Runs `f` on every item with bounded concurrency, keeping the input order.
    async fn for_each<T, R, F, Fut>(&self, items: Vec<T>, f: F) -> Result<Vec<R>, Failure>
    where
        F: Fn(T) -> Fut,
        Fut: Future<Output = Result<R, Failure>>,
    {
        stream::iter(items.into_iter().map(f)).buffered(self.concurrency).try_collect().await
    }
}

/// Loads the base SDK config: credential chain, profile, endpoint, adaptive retry.
async fn base_config(opts: &CollectOptions) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::adaptive().with_max_attempts(opts.max_attempts));
    if let Some(profile) = &opts.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &opts.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
}

/// Collects the account on a runtime of its own: for callers that are not async.
pub fn collect_blocking(opts: &CollectOptions) -> Result<Snapshot, JalonError> {
    if opts.rate_limit < 0.0 || !opts.rate_limit.is_finite() {
        return Err(JalonError::Usage(format!("--rate-limit must be 0 or more, found {}", opts.rate_limit)));
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| JalonError::Runtime(format!("cannot start the async runtime: {e}")))?
        .block_on(collect(opts))
}

pub async fn collect(opts: &CollectOptions) -> Result<Snapshot, JalonError> {
    let started = Instant::now();
    let base = base_config(opts).await;
    let mut regions = opts.regions.clone();
    if regions.is_empty() {
        match base.region() {
            Some(r) => regions.push(r.to_string()),
            None => {
                return Err(JalonError::Usage(
                    "no region: pass --region (repeatable) or set AWS_REGION / a profile region".into(),
                ))
            }
        }
    }
    regions.sort();
    regions.dedup();
    let recorder = CostRecorder::new();
    let region_config = |region: &str| base.to_builder().region(Region::new(region.to_string())).build();

    let progress = progress_bar(opts.progress, (regions.len() * COLLECTORS.len() + 1) as u64);
    progress.set_message("identity");
    let identity = identity::collect(&region_config(&regions[0]), &recorder).await?;
    progress.inc(1);

    let mut snapshot = Snapshot {
        schema_version: SCHEMA_VERSION,
        tool: ToolInfo { name: "jalon".into(), version: env!("CARGO_PKG_VERSION").into() },
        account: Account { id: identity.account_id.clone(), caller_arn: identity.caller_arn.clone() },
        regions: regions.clone(),
        collected_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        ..Snapshot::default()
    };
    snapshot.collectors.push(status(Service::Sts, &regions[0], identity.failure.as_ref()));

    let contexts: Vec<RegionContext> = regions
        .iter()
        .map(|region| {
            RegionContext::new(
                region,
                &identity.account_id,
                region_config(region),
                recorder.clone(),
                opts.concurrency,
                opts.rate_limit,
            )
        })
        .collect();
    let parts = futures::future::join_all(contexts.iter().map(|cx| collect_region(cx, &progress))).await;
    for part in parts {
        part.merge_into(&mut snapshot);
    }
    progress.finish_and_clear();

    let (api_calls, retries, throttles) = recorder.totals();
    snapshot.cost =
        CollectionCost { seconds: round_ms(started.elapsed().as_secs_f64()), api_calls, retries, throttles };
    snapshot.normalize();
    Ok(snapshot)
}

fn round_ms(seconds: f64) -> f64 {
    (seconds * 1000.0).round() / 1000.0
}

/// The collectors run per region, by service.
const COLLECTORS: [Service; 8] = [
    Service::Lambda,
    Service::Logs,
    Service::Rds,
    Service::Secretsmanager,
    Service::Cloudwatch,
    Service::Sns,
    Service::Xray,
    Service::Tagging,
];

fn progress_bar(enabled: bool, total: u64) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template("{spinner} collecting [{bar:30}] {pos}/{len} {msg}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

fn status(service: Service, region: &str, failure: Option<&Failure>) -> CollectorStatus {
    CollectorStatus {
        service,
        region: region.to_string(),
        status: failure.map_or(CollectionStatus::Ok, |f| f.status),
        operation: failure.map(|f| f.operation.clone()),
        message: failure.map(|f| f.message.clone()),
    }
}

/// One region's results, before merging into the snapshot.
struct RegionPart {
    statuses: Vec<CollectorStatus>,
    lambda: Option<lambda::LambdaPart>,
    logs: Option<Vec<crate::snapshot::LogGroup>>,
    rds: Option<crate::snapshot::RdsSection>,
    secrets: Option<Vec<crate::snapshot::Secret>>,
    cloudwatch: Option<crate::snapshot::CloudWatchSection>,
    sns: Option<crate::snapshot::SnsSection>,
    xray: Option<crate::snapshot::XRaySection>,
    tags: Option<HashMap<String, crate::snapshot::Tags>>,
}

async fn collect_region(cx: &RegionContext, progress: &ProgressBar) -> RegionPart {
    let track = |service: Service| {
        let progress = progress.clone();
        let region = cx.region.clone();
        let recorder = cx.recorder.clone();
        move || {
            progress.inc(1);
            progress.set_message(format!("{service} {region} done, {} calls", recorder.total_calls()));
        }
    };
    let (lambda, logs, rds, secrets, cloudwatch, sns, xray, tags) = tokio::join!(
        with_progress(lambda::collect(cx), track(Service::Lambda)),
        with_progress(logs::collect(cx), track(Service::Logs)),
        with_progress(rds::collect(cx), track(Service::Rds)),
        with_progress(secrets::collect(cx), track(Service::Secretsmanager)),
        with_progress(cloudwatch::collect(cx), track(Service::Cloudwatch)),
        with_progress(sns::collect(cx), track(Service::Sns)),
        with_progress(xray::collect(cx), track(Service::Xray)),
        with_progress(tagging::collect(cx), track(Service::Tagging)),
    );
    let r = &cx.region;
    RegionPart {
        statuses: vec![
            status(Service::Lambda, r, lambda.as_ref().err()),
            status(Service::Logs, r, logs.as_ref().err()),
            status(Service::Rds, r, rds.as_ref().err()),
            status(Service::Secretsmanager, r, secrets.as_ref().err()),
            status(Service::Cloudwatch, r, cloudwatch.as_ref().err()),
            status(Service::Sns, r, sns.as_ref().err()),
            status(Service::Xray, r, xray.as_ref().err()),
            status(Service::Tagging, r, tags.as_ref().err()),
        ],
        lambda: lambda.ok(),
        logs: logs.ok(),
        rds: rds.ok(),
        secrets: secrets.ok(),
        cloudwatch: cloudwatch.ok(),
        sns: sns.ok(),
        xray: xray.ok(),
        tags: tags.ok(),
    }
}

async fn with_progress<T>(fut: impl Future<Output = T>, done: impl FnOnce()) -> T {
    let out = fut.await;
    done();
    out
}

impl RegionPart {
    fn merge_into(self, snapshot: &mut Snapshot) {
        snapshot.collectors.extend(self.statuses);
        // Resources whose list call does not return tags get them from the tagging API.
        let tags = self.tags.unwrap_or_default();
        let tags_of = |arn: &str| tags.get(arn).cloned().unwrap_or_default();
        if let Some(mut part) = self.lambda {
            for f in &mut part.functions {
                f.tags = tags_of(&f.arn);
            }
            snapshot.lambda.functions.extend(part.functions);
            snapshot.lambda.event_source_mappings.extend(part.event_source_mappings);
        }
        if let Some(mut groups) = self.logs {
            for g in &mut groups {
                g.tags = tags_of(&g.arn);
            }
            snapshot.logs.log_groups.extend(groups);
        }
        if let Some(rds) = self.rds {
            snapshot.rds.instances.extend(rds.instances);
            snapshot.rds.clusters.extend(rds.clusters);
            snapshot.rds.parameter_groups.extend(rds.parameter_groups);
        }
        if let Some(secrets) = self.secrets {
            snapshot.secretsmanager.secrets.extend(secrets);
        }
        if let Some(mut cw) = self.cloudwatch {
            for a in &mut cw.metric_alarms {
                a.tags = tags_of(&a.arn);
            }
            snapshot.cloudwatch.metric_alarms.extend(cw.metric_alarms);
            snapshot.cloudwatch.composite_alarms.extend(cw.composite_alarms);
        }
        if let Some(sns) = self.sns {
            snapshot.sns.topics.extend(sns.topics);
            snapshot.sns.subscriptions.extend(sns.subscriptions);
        }
        if let Some(xray) = self.xray {
            snapshot.xray.sampling_rules.extend(xray.sampling_rules);
            snapshot.xray.encryption_configs.extend(xray.encryption_configs);
            snapshot.xray.groups.extend(xray.groups);
        }
    }
}

/// SDK timestamps as RFC 3339 strings (UTC, seconds). One the engine cannot count in
/// nanoseconds (before 1678 or after 2261) is left out, as unknown: a snapshot holding
/// it would not load.
fn timestamp(t: Option<&aws_smithy_types::DateTime>) -> Option<String> {
    let t = t?;
    chrono::DateTime::from_timestamp(t.secs(), t.subsec_nanos())
        .filter(|d| d.timestamp_nanos_opt().is_some())
        .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true))
}

fn owned(s: Option<&str>) -> Option<String> {
    s.map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use tokio::time::Instant;

    #[test]
    fn timestamps_the_snapshot_cannot_hold_are_unknown() {
        let at = |secs| timestamp(Some(&aws_smithy_types::DateTime::from_secs(secs)));
        assert_eq!(at(1_763_776_800).as_deref(), Some("2025-11-22T02:00:00Z"));
        assert_eq!(at(10_000_000_000), None, "year 2286: past the engine's nanosecond range");
        assert_eq!(timestamp(None), None);
    }

    fn context(region: &str, rate: f64) -> RegionContext {
        RegionContext::new(region, "123456789012", SdkConfig::builder().build(), CostRecorder::new(), 8, rate)
    }

    /// `n` calls of `service` in `cx`, one after the other; when the last one was let through.
    async fn calls(cx: &RegionContext, service: Service, n: usize, start: Instant) -> Duration {
        for _ in 0..n {
            cx.throttle(service).await;
        }
        start.elapsed()
    }

    // Virtual time (tokio's paused clock): no wall-clock assertion.
    #[tokio::test(start_paused = true)]
    async fn the_rate_limit_applies_per_service_and_region() {
        let paris = context("eu-west-3", 10.0);
        let ireland = context("eu-west-1", 10.0);
        let start = Instant::now();
        // Five calls each to Lambda and Logs in Paris and to Lambda in Ireland, at once:
        // each (service, region) has its own budget, so each takes 4 intervals of 100 ms.
        let (lambda, logs, lambda_ireland) = tokio::join!(
            calls(&paris, Service::Lambda, 5, start),
            calls(&paris, Service::Logs, 5, start),
            calls(&ireland, Service::Lambda, 5, start),
        );
        assert_eq!([lambda, logs, lambda_ireland], [Duration::from_millis(400); 3]);

        // Two tasks sharing one service and region share its budget: 10 calls, 9 intervals.
        let start = Instant::now();
        let (a, b) = tokio::join!(calls(&paris, Service::Rds, 5, start), calls(&paris, Service::Rds, 5, start));
        assert_eq!(a.max(b), Duration::from_millis(900));
        // Every collector has a limiter.
        for service in COLLECTORS {
            assert!(paris.limiters.contains_key(&service), "{service}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn without_a_rate_limit_nothing_waits() {
        let cx = context("eu-west-3", 0.0);
        let start = Instant::now();
        assert_eq!(calls(&cx, Service::Lambda, 1000, start).await, Duration::ZERO);
    }
}
