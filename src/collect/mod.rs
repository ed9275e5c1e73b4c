//! `jalon collect`: read the account through the official AWS SDK into a snapshot.
//!
//! One module per AWS service, each listed once in [`registry`] (name, IAM actions,
//! snapshot section, function). In each region every collector runs with a
//! [`Context`] and returns its [`Part`] or a [`Failure`]; a failed collector leaves
//! its section empty and its status says why, so controls that need it are UNKNOWN.
//! Only read-only calls are made (`examples/iam-policy.json`, kept in step with the
//! registry by a test).

pub mod accounts;
mod apigateway;
mod appconfig;
mod cloudtrail;
mod cloudwatch;
mod codedeploy;
mod context;
mod cost;
mod dynamodb;
mod elasticache;
mod failure;
mod identity;
mod kms;
mod lambda;
mod logs;
mod mask;
pub mod metrics;
mod rate_limit;
mod rds;
pub mod registry;
mod s3;
mod secrets;
mod sns;
mod sqs;
mod tagging;
mod xray;

use std::collections::HashMap;
use std::future::Future;
use std::time::{Duration, Instant};

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region};
use aws_types::SdkConfig;
use chrono::{SecondsFormat, Utc};
use indicatif::{ProgressBar, ProgressStyle};

pub use context::{Context, RegionContext};
pub use cost::CostRecorder;
pub use failure::{classify, Failure};
pub use mask::mask_endpoint;
pub use rate_limit::{RateLimiter, RateLimits, RegionLimiters};

use crate::error::JalonError;
use crate::snapshot::{
    Account, CollectionCost, CollectionStatus, CollectorStatus, Service, Snapshot, Tags, ToolInfo, SCHEMA_VERSION,
};

/// What a collector read in one region.
pub enum Part {
    /// Resources: a snapshot holding this collector's section (boxed: a snapshot is
    /// some 560 bytes of empty sections, the tags 48).
    Resources(Box<Snapshot>),
    /// The tags of resources other collectors read, by ARN.
    Tags(HashMap<String, Tags>),
}

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
    /// Per attempt: to connect, and to wait for the answer.
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    /// Metric data and alarm history over this window (`--metrics`); None: not read.
    pub metrics: Option<MetricsRequest>,
    /// Called with each failure's whole error chain (`--verbose`): the caller decides
    /// where it goes and how it is escaped, the collector only reports it.
    pub on_failure: Option<FailureSink>,
}

/// Which metric window to read: from `since`, else from the cutover once it has
/// passed, else the last two weeks ([`metrics::MetricsPlan`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MetricsRequest {
    pub since: Option<chrono::NaiveDate>,
    pub cutover: Option<chrono::NaiveDate>,
}

/// Receives `(service, region, failure)` for each collector that failed.
pub type FailureSink = fn(&str, &str, &Failure);

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
            connect_timeout: Duration::from_secs(5),
            read_timeout: Duration::from_secs(60),
            metrics: None,
            on_failure: None,
        }
    }
}

/// Loads the base SDK config: credential chain, profile, endpoint, adaptive retry.
pub(crate) async fn base_config(opts: &CollectOptions) -> SdkConfig {
    // Every attempt is bounded: a server that accepts and never answers (or answers a
    // byte at a time) fails the attempt, and the retries, instead of hanging the run.
    let timeouts = TimeoutConfig::builder()
        .connect_timeout(opts.connect_timeout)
        .read_timeout(opts.read_timeout)
        .operation_attempt_timeout(opts.connect_timeout + opts.read_timeout)
        .build();
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(RetryConfig::adaptive().with_max_attempts(opts.max_attempts))
        .timeout_config(timeouts);
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
    runtime_for(opts)?.block_on(collect(opts))
}

/// The runtime a collection runs on, once its options are checked.
pub(crate) fn runtime_for(opts: &CollectOptions) -> Result<tokio::runtime::Runtime, JalonError> {
    if opts.rate_limit < 0.0 || !opts.rate_limit.is_finite() {
        return Err(JalonError::Usage(format!("--rate-limit must be 0 or more, found {}", opts.rate_limit)));
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| JalonError::Runtime(format!("cannot start the async runtime: {e}")))
}

pub async fn collect(opts: &CollectOptions) -> Result<Snapshot, JalonError> {
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
    let plan = metrics_plan(opts)?;
    let per_region = registry::regional().count() + if plan.is_some() { registry::follow_ups().count() } else { 0 };
    let progress = progress_bar(opts.progress, (regions.len() * per_region + 1) as u64);
    let limits = RateLimits::new(opts.rate_limit);
    let run = AccountRun {
        sdk: base,
        regions,
        plan,
        limits: &limits,
        progress: &progress,
        recorder: CostRecorder::new(),
        account_id: None,
    };
    let snapshot = collect_account(&run, opts).await;
    progress.finish_and_clear();
    let snapshot = snapshot?;
    nothing_collected(&snapshot)?;
    Ok(snapshot)
}

/// The metric window `opts` asks for, if any.
fn metrics_plan(opts: &CollectOptions) -> Result<Option<metrics::MetricsPlan>, JalonError> {
    match opts.metrics {
        Some(m) => Ok(Some(metrics::MetricsPlan::new(m.since, m.cutover, Utc::now()).map_err(JalonError::Usage)?)),
        None => Ok(None),
    }
}

/// One account's collection: its SDK configuration (its credentials), its regions,
/// and what the run shares between accounts.
pub(crate) struct AccountRun<'a> {
    pub sdk: SdkConfig,
    pub regions: Vec<String>,
    pub plan: Option<metrics::MetricsPlan>,
    pub limits: &'a RateLimits,
    pub progress: &'a ProgressBar,
    /// Counts the account's calls (its AssumeRole too, in a multi-account run).
    pub recorder: CostRecorder,
    /// The account asked for (a multi-account run): its retry partitions and S3
    /// Control calls use it even when GetCallerIdentity was refused.
    pub account_id: Option<String>,
}

/// Reads one account, every region at once, into its snapshot. An error only when
/// the account cannot be reached at all (no credentials, no network).
pub(crate) async fn collect_account(run: &AccountRun<'_>, opts: &CollectOptions) -> Result<Snapshot, JalonError> {
    let started = Instant::now();
    let mut regions = run.regions.clone();
    regions.sort();
    regions.dedup();
    let Some(first_region) = regions.first().cloned() else {
        return Err(JalonError::Usage("no region to collect".into()));
    };
    let recorder = run.recorder.clone();
    let region_config = |region: &str| run.sdk.to_builder().region(Region::new(region.to_string())).build();

    run.progress.set_message("identity");
    let identity = identity::collect(&region_config(&first_region), &recorder, run.account_id.as_deref()).await?;
    if let (Some(sink), Some(failure)) = (opts.on_failure, &identity.failure) {
        sink("sts", &first_region, failure);
    }
    run.progress.inc(1);

    let mut snapshot = Snapshot {
        schema_version: SCHEMA_VERSION,
        tool: tool_info(),
        account: Account { id: identity.account_id.clone(), caller_arn: identity.caller_arn.clone() },
        regions: regions.clone(),
        collected_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        ..Snapshot::default()
    };
    snapshot.collectors.push(status("sts", &first_region, identity.failure.as_ref()));

    // The account asked for, else the one the caller's identity names.
    let account_id = run.account_id.clone().unwrap_or_else(|| identity.account_id.clone());
    let contexts: Vec<RegionContext> = regions
        .iter()
        .map(|region| {
            RegionContext::new(
                region,
                &account_id,
                &regions,
                region_config(region),
                recorder.clone(),
                opts.concurrency,
                run.limits,
            )
            .with_metrics(run.plan)
        })
        .collect();
    let parts =
        futures::future::join_all(contexts.iter().map(|cx| collect_region(cx, run.progress, opts.on_failure))).await;
    for part in parts {
        snapshot.append(part);
    }

    let (api_calls, retries, throttles) = recorder.totals();
    snapshot.cost =
        CollectionCost { seconds: round_ms(started.elapsed().as_secs_f64()), api_calls, retries, throttles };
    snapshot.normalize();
    registry::sort_statuses(&mut snapshot.collectors);
    Ok(snapshot)
}

pub(crate) fn tool_info() -> ToolInfo {
    ToolInfo { name: "jalon".into(), version: env!("CARGO_PKG_VERSION").into() }
}

/// A run in which no collector finished in any region read nothing of the account:
/// its snapshot would judge every control UNKNOWN and could pass for a slow night.
/// It is a runtime failure (exit 4), with the first reason.
pub(crate) fn nothing_collected(snapshot: &Snapshot) -> Result<(), JalonError> {
    let regional: Vec<&CollectorStatus> = snapshot
        .collectors
        .iter()
        .filter(|c| registry::regional().any(|(r, _)| r.name == c.service.as_str()))
        .collect();
    let Some(first) = regional.first() else { return Ok(()) };
    if regional.iter().any(|c| c.status == CollectionStatus::Ok) {
        return Ok(());
    }
    let why = format!(
        "; {} in {} on {}: {}",
        first.service,
        first.region,
        first.operation.as_deref().unwrap_or("?"),
        first.message.as_deref().unwrap_or("failed")
    );
    Err(JalonError::Runtime(format!(
        "nothing was collected: no collector finished in any region{why} (--verbose shows each error)"
    )))
}

pub(crate) fn round_ms(seconds: f64) -> f64 {
    (seconds * 1000.0).round() / 1000.0
}

pub(crate) fn progress_bar(enabled: bool, total: u64) -> ProgressBar {
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

pub(crate) fn status(service: &str, region: &str, failure: Option<&Failure>) -> CollectorStatus {
    CollectorStatus {
        service: Service::new(service),
        region: region.to_string(),
        status: failure.map_or(CollectionStatus::Ok, |f| f.status),
        operation: failure.map(|f| f.operation.clone()),
        message: failure.map(|f| f.message.clone()),
    }
}

/// One region: every collector at once, then their parts in one snapshot (statuses and
/// resources), the tags the tagging API read applied last.
async fn collect_region(cx: &RegionContext, progress: &ProgressBar, on_failure: Option<FailureSink>) -> Snapshot {
    let contexts: Vec<_> = registry::regional().map(|(c, run)| (c, run, cx.for_collector(c))).collect();
    let runs = contexts.iter().map(|(c, run, scx)| {
        let done = || {
            progress.inc(1);
            progress.set_message(format!("{} {} done, {} calls", c.name, cx.region, scx.recorder().total_calls()));
        };
        with_progress(run(scx), done)
    });
    let results = futures::future::join_all(runs).await;
    let mut region = Snapshot::default();
    let mut tags = HashMap::new();
    for ((c, _, _), result) in contexts.iter().zip(results) {
        match recorded(&mut region, c.name, &cx.region, result, on_failure) {
            Some(Part::Resources(part)) => region.append(*part),
            Some(Part::Tags(found)) => tags = found,
            None => {}
        }
    }
    region.apply_tags(&tags);
    if cx.metrics_plan().is_some() {
        follow_up(cx, &mut region, progress, on_failure).await;
    }
    region
}

/// The collectors that read what the others found in the region (metric data of its
/// functions), one after the other, each adding its part.
async fn follow_up(cx: &RegionContext, region: &mut Snapshot, progress: &ProgressBar, on_failure: Option<FailureSink>) {
    for (c, run) in registry::follow_ups() {
        let scx = cx.for_collector(c);
        let result = run(&scx, region).await;
        progress.inc(1);
        if let Some(Part::Resources(part)) = recorded(region, c.name, &cx.region, result, on_failure) {
            region.append(*part);
        }
    }
}

/// A collector's status in `region` (its failure to the sink too); its part, if it read one.
fn recorded(
    region: &mut Snapshot,
    name: &str,
    region_name: &str,
    result: Result<Part, Failure>,
    on_failure: Option<FailureSink>,
) -> Option<Part> {
    region.collectors.push(status(name, region_name, result.as_ref().err()));
    if let (Some(sink), Err(failure)) = (on_failure, &result) {
        sink(name, region_name, failure);
    }
    result.ok()
}

async fn with_progress<T>(fut: impl Future<Output = T>, done: impl FnOnce()) -> T {
    let out = fut.await;
    done();
    out
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
        RegionContext::new(
            region,
            "123456789012",
            &[region.to_string()],
            SdkConfig::builder().build(),
            CostRecorder::new(),
            8,
            &RateLimits::new(rate),
        )
    }

    /// `n` calls of the collector `name` in `cx`, one after the other; when the last
    /// one was let through.
    async fn calls(cx: &RegionContext, name: &str, n: usize, start: Instant) -> Duration {
        let scx = cx.for_collector(registry::find(name).unwrap());
        for _ in 0..n {
            scx.throttle().await;
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
            calls(&paris, "lambda", 5, start),
            calls(&paris, "logs", 5, start),
            calls(&ireland, "lambda", 5, start),
        );
        assert_eq!([lambda, logs, lambda_ireland], [Duration::from_millis(400); 3]);

        // Two tasks sharing one service and region share its budget: 10 calls, 9 intervals.
        let start = Instant::now();
        let (a, b) = tokio::join!(calls(&paris, "rds", 5, start), calls(&paris, "rds", 5, start));
        assert_eq!(a.max(b), Duration::from_millis(900));
        // Every collector has a limiter (for_collector would panic otherwise).
        for (c, _) in registry::regional() {
            paris.for_collector(c);
        }
    }

    // The caller's budget: every account's AssumeRole draws on one set of limiters.
    #[tokio::test(start_paused = true)]
    async fn contexts_of_one_budget_share_it_and_others_do_not() {
        let caller = RateLimits::new(10.0);
        let in_budget = |limits: &RateLimits| {
            RegionContext::new(
                "eu-west-3",
                "123456789012",
                &["eu-west-3".into()],
                SdkConfig::builder().build(),
                CostRecorder::new(),
                8,
                limits,
            )
        };
        let (a, b) = (in_budget(&caller), in_budget(&caller));
        let start = Instant::now();
        let (ta, tb) = tokio::join!(calls(&a, "sts", 5, start), calls(&b, "sts", 5, start));
        assert_eq!(ta.max(tb), Duration::from_millis(900), "one budget: 10 calls, 9 intervals");
        let (one, other) = (RateLimits::new(10.0), RateLimits::new(10.0));
        let (a, c) = (in_budget(&one), in_budget(&other));
        let start = Instant::now();
        let (ta, tc) = tokio::join!(calls(&a, "sts", 5, start), calls(&c, "sts", 5, start));
        assert_eq!([ta, tc], [Duration::from_millis(400); 2], "two budgets: each its own");
    }

    #[tokio::test(start_paused = true)]
    async fn without_a_rate_limit_nothing_waits() {
        let cx = context("eu-west-3", 0.0);
        let start = Instant::now();
        assert_eq!(calls(&cx, "lambda", 1000, start).await, Duration::ZERO);
    }
}
