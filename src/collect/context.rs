//! What a collector works with in one region: the SDK configuration, its cost
//! recorder, its rate limiter, and the calls every collector makes the same way (a
//! list call's every page, one call, many calls at bounded concurrency).

use std::future::Future;

use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime::client::retries::RetryPartition;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_types::SdkConfig;
use futures::stream::{self, StreamExt, TryStreamExt};

use crate::collect::metrics::MetricsPlan;
use crate::collect::registry::Collector;
use crate::collect::{classify, CostRecorder, Failure, RateLimiter, RateLimits, RegionLimiters};

/// One region's shared state: the collectors of that region each get a [`Context`].
pub struct RegionContext {
    pub region: String,
    pub account_id: String,
    /// Every region of this collection, sorted and deduplicated by `collect` (CloudTrail
    /// reads a trail once, in its home region when that is collected).
    pub regions: Vec<String>,
    sdk: SdkConfig,
    recorder: CostRecorder,
    concurrency: usize,
    /// One limiter per collector: the limit applies per service and region, across
    /// every account of the run.
    limiters: RegionLimiters,
    /// The metric window, when metrics are collected.
    metrics: Option<MetricsPlan>,
}

impl RegionContext {
    pub fn new(
        region: &str,
        account_id: &str,
        regions: &[String],
        sdk: SdkConfig,
        recorder: CostRecorder,
        concurrency: usize,
        limits: &RateLimits,
    ) -> RegionContext {
        RegionContext {
            region: region.to_string(),
            account_id: account_id.to_string(),
            regions: regions.to_vec(),
            sdk,
            recorder,
            concurrency: concurrency.max(1),
            limiters: limits.in_region(region),
            metrics: None,
        }
    }

    /// Collects metric data over `plan`'s window in this region.
    pub fn with_metrics(mut self, plan: Option<MetricsPlan>) -> RegionContext {
        self.metrics = plan;
        self
    }

    pub fn metrics_plan(&self) -> Option<MetricsPlan> {
        self.metrics
    }

    /// The context of one collector in this region.
    pub fn for_collector(&self, collector: &'static Collector) -> Context<'_> {
        Context {
            region: &self.region,
            account_id: &self.account_id,
            regions: &self.regions,
            sdk: &self.sdk,
            recorder: self.recorder.for_service(collector.name),
            collector: collector.name,
            limiter: &self.limiters[collector.name],
            concurrency: self.concurrency,
            metrics: self.metrics,
        }
    }
}

/// What one collector works with in one region.
pub struct Context<'r> {
    pub region: &'r str,
    collector: &'static str,
    pub account_id: &'r str,
    /// Every region of this collection, sorted.
    pub regions: &'r [String],
    sdk: &'r SdkConfig,
    recorder: CostRecorder,
    limiter: &'r RateLimiter,
    concurrency: usize,
    metrics: Option<MetricsPlan>,
}

impl Context<'_> {
    /// The SDK configuration (credentials, region, endpoint, retries) for the client.
    pub fn sdk(&self) -> &SdkConfig {
        self.sdk
    }

    /// The metric window, when metrics are collected.
    pub fn metrics_plan(&self) -> Option<MetricsPlan> {
        self.metrics
    }

    /// The SDK's retry partition for this collector's client: its own per service,
    /// region *and account*. The adaptive retry's token bucket and send rate are kept
    /// per partition, process-wide; by default per service and region, so one throttled
    /// account would slow, or exhaust the retries of, every other account read at once.
    pub fn retry_partition(&self) -> RetryPartition {
        RetryPartition::new(format!("{}-{}-{}", self.collector, self.region, self.account_id))
    }

    /// The interceptor that counts this collector's calls, for its client's config.
    pub fn recorder(&self) -> CostRecorder {
        self.recorder.clone()
    }

    /// Waits for this collector's rate limiter (in this region) before a call.
    pub async fn throttle(&self) {
        self.limiter.acquire().await;
    }

    /// Every page of a list call (`into_paginator().send()`), each after the rate
    /// limiter: `each` sees every page; a page that fails fails the collector, as
    /// `operation`.
    pub async fn pages<T, E>(
        &self,
        operation: &str,
        mut pages: PaginationStream<Result<T, SdkError<E, HttpResponse>>>,
        mut each: impl FnMut(T),
    ) -> Result<(), Failure>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        loop {
            self.throttle().await;
            match pages.next().await {
                None => return Ok(()),
                Some(page) => each(page.map_err(|e| classify(operation, &e))?),
            }
        }
    }

    /// One call after the rate limiter; its error fails the collector, as `operation`.
    pub async fn call<T, E>(
        &self,
        operation: &str,
        call: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
    ) -> Result<T, Failure>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        self.throttle().await;
        call.await.map_err(|e| classify(operation, &e))
    }

    /// [`Context::call`] where an error whose code `absent` accepts means the thing is
    /// not there (deleted since it was listed, no policy): None, not a failure.
    pub async fn call_unless_absent<T, E>(
        &self,
        operation: &str,
        call: impl Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        absent: impl Fn(&str) -> bool,
    ) -> Result<Option<T>, Failure>
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        self.throttle().await;
        match call.await {
            Ok(out) => Ok(Some(out)),
            Err(e) if e.code().is_some_and(&absent) => Ok(None),
            Err(e) => Err(classify(operation, &e)),
        }
    }

    /// Runs `f` on every item with bounded concurrency, keeping the input order.
    pub async fn for_each<T, R, F, Fut>(&self, items: Vec<T>, f: F) -> Result<Vec<R>, Failure>
    where
        F: Fn(T) -> Fut,
        Fut: Future<Output = Result<R, Failure>>,
    {
        stream::iter(items.into_iter().map(f)).buffered(self.concurrency).try_collect().await
    }
}
