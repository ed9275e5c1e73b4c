//! CloudWatch metric data and alarm history: what production did in the window.
//!
//! It runs in each region after the other collectors, on what they found: every
//! Lambda function (Invocations, Errors, Throttles, Duration p95), every REST and HTTP
//! API stage (Count, 5XX, Latency p95) and every RDS instance (CPU) at 5-minute
//! resolution over the window, plus one total per baseline and window (a period as
//! long as the window: CloudWatch computes the p95 over all of it), plus every alarm
//! state change. Queries go 500 to a call, and pages run to 100,800 data points, the
//! API's maxima; the window records the calls made and the fewest possible.
//!
//! Functions are read at the function level: it counts every version and alias, so an
//! alias's breach is in it (per-alias series would double the queries and report the
//! same breach twice). WebSocket stages publish other metrics (no error rate): left out.

use std::collections::BTreeMap;

use aws_sdk_cloudwatch::types::{Dimension, HistoryItemType, Metric, MetricDataQuery, MetricStat, ScanBy};
use aws_sdk_cloudwatch::Client;
use aws_smithy_types::DateTime as SdkTime;
use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use futures::future::BoxFuture;

use crate::collect::{Context, Failure, Part};
use crate::snapshot::{AlarmTransition, ApiStage, DbMetrics, MetricWindow, Series, Snapshot, Totals, TrafficMetrics};

/// CloudWatch's 5-minute data, the resolution of the SLO's windows.
pub const PERIOD_SECONDS: i64 = 300;
/// GetMetricData's maxima per call.
const MAX_QUERIES: usize = 500;
const MAX_DATAPOINTS: u64 = 100_800;
/// CloudWatch keeps 5-minute data 63 days: a window and its baseline of the same
/// length fit when the window is at most 31 days.
const MAX_WINDOW_DAYS: i64 = 31;
/// Without a cutover that has passed, the window is the last two weeks.
const DEFAULT_DAYS: i64 = 14;
/// A window that closed moments ago may not be all in CloudWatch yet (its errors in,
/// its invocations not, or the other way round): the window ends at the last
/// 5-minute boundary at least this long ago.
const INGESTION_DELAY_SECONDS: i64 = 180;

/// The times metric data is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MetricsPlan {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// As long as the window, just before it; None when the window had to be cut to
    /// the last 31 days (its start is then not the one asked for).
    pub baseline_start: Option<DateTime<Utc>>,
}

impl MetricsPlan {
    /// From `since` (`--metrics-since`), else the cutover once it has passed, else the
    /// last 14 days; to the last 5-minute boundary at least three minutes before `now`.
    pub fn new(
        since: Option<NaiveDate>,
        cutover: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> Result<MetricsPlan, String> {
        let end = floor(now - Duration::seconds(INGESTION_DELAY_SECONDS));
        let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
        let asked = match (since, cutover) {
            (Some(day), _) => {
                let start = midnight(day).ok_or("--metrics-since is out of range")?;
                if start >= end {
                    return Err(format!("--metrics-since {day} is not in the past: metric data starts before now"));
                }
                start
            }
            (None, Some(day)) => match midnight(day) {
                Some(start) if start < end => start,
                _ => end - Duration::days(DEFAULT_DAYS),
            },
            (None, None) => end - Duration::days(DEFAULT_DAYS),
        };
        let earliest = end - Duration::days(MAX_WINDOW_DAYS);
        if asked < earliest {
            return Ok(MetricsPlan { start: earliest, end, baseline_start: None });
        }
        let start = floor(asked);
        Ok(MetricsPlan { start, end, baseline_start: Some(start - (end - start)) })
    }

    fn seconds(&self) -> i64 {
        (self.end - self.start).num_seconds()
    }
}

fn floor(t: DateTime<Utc>) -> DateTime<Utc> {
    let secs = t.timestamp().div_euclid(PERIOD_SECONDS) * PERIOD_SECONDS;
    DateTime::from_timestamp(secs, 0).unwrap_or(t)
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn sdk_time(t: DateTime<Utc>) -> SdkTime {
    SdkTime::from_secs(t.timestamp())
}

pub fn collect<'a>(cx: &'a Context<'a>, found: &'a Snapshot) -> BoxFuture<'a, Result<Part, Failure>> {
    Box::pin(run(cx, found))
}

/// What a query measures, to put its answer back in place.
#[derive(Clone, Copy)]
enum Measure {
    Requests,
    Errors,
    Throttles,
    P95,
    Cpu,
}

/// One metric of one target.
struct Query {
    target: usize,
    measure: Measure,
    namespace: &'static str,
    metric: &'static str,
    dimensions: Vec<(&'static str, String)>,
    stat: &'static str,
}

/// A function, stage or instance, and its queries' answers by timestamp.
struct Target {
    arn: String,
    name: String,
    kind: Kind,
    series: BTreeMap<i64, [Option<f64>; 4]>,
    totals: BTreeMap<i64, [Option<f64>; 4]>,
}

enum Kind {
    Function,
    /// Its dimensions and its 5XX metric: REST APIs publish by API name (`5XXError`),
    /// HTTP APIs by id (`5xx`).
    Stage {
        dimensions: Vec<(&'static str, String)>,
        errors: &'static str,
    },
    Db,
}

impl Kind {
    fn stage(stage: &ApiStage) -> Kind {
        let (api, name) = stage.name.rsplit_once('/').unwrap_or((&stage.name, ""));
        if stage.api_type == "REST" {
            Kind::Stage {
                dimensions: vec![("ApiName", api.to_string()), ("Stage", name.to_string())],
                errors: "5XXError",
            }
        } else {
            Kind::Stage {
                dimensions: vec![("ApiId", stage.api_id.clone()), ("Stage", name.to_string())],
                errors: "5xx",
            }
        }
    }
}

fn queries_of(targets: &[Target], totals: bool) -> Vec<Query> {
    let mut queries = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        let q = |measure, namespace, metric, dimensions: Vec<(&'static str, String)>, stat| Query {
            target: i,
            measure,
            namespace,
            metric,
            dimensions,
            stat,
        };
        match &t.kind {
            Kind::Function => {
                let dims = vec![("FunctionName", t.name.clone())];
                queries.push(q(Measure::Requests, "AWS/Lambda", "Invocations", dims.clone(), "Sum"));
                queries.push(q(Measure::Errors, "AWS/Lambda", "Errors", dims.clone(), "Sum"));
                queries.push(q(Measure::Throttles, "AWS/Lambda", "Throttles", dims.clone(), "Sum"));
                queries.push(q(Measure::P95, "AWS/Lambda", "Duration", dims, "p95"));
            }
            Kind::Stage { dimensions, errors } => {
                queries.push(q(Measure::Requests, "AWS/ApiGateway", "Count", dimensions.clone(), "Sum"));
                queries.push(q(Measure::Errors, "AWS/ApiGateway", errors, dimensions.clone(), "Sum"));
                queries.push(q(Measure::P95, "AWS/ApiGateway", "Latency", dimensions.clone(), "p95"));
            }
            Kind::Db if !totals => {
                let dims = vec![("DBInstanceIdentifier", t.name.clone())];
                queries.push(q(Measure::Cpu, "AWS/RDS", "CPUUtilization", dims, "Average"));
            }
            Kind::Db => {}
        }
    }
    queries
}

fn sdk_query(id: usize, q: &Query, period: i64) -> MetricDataQuery {
    let dimensions = q.dimensions.iter().map(|(k, v)| Dimension::builder().name(*k).value(v).build()).collect();
    let metric =
        Metric::builder().namespace(q.namespace).metric_name(q.metric).set_dimensions(Some(dimensions)).build();
    let stat = MetricStat::builder().metric(metric).period(period as i32).stat(q.stat).build();
    MetricDataQuery::builder().id(format!("q{id}")).metric_stat(stat).return_data(true).build()
}

/// What one set of queries over one time range cost and returned.
#[derive(Default)]
struct Cost {
    queries: u64,
    datapoints: u64,
    calls: u64,
}

impl Cost {
    /// The fewest calls that carry these queries and data points.
    fn minimum(&self) -> u64 {
        if self.queries == 0 {
            return 0;
        }
        self.queries.div_ceil(MAX_QUERIES as u64).max(self.datapoints.div_ceil(MAX_DATAPOINTS))
    }
}

/// Runs `queries` over `[start, end)` at `period`, 500 to a call, every page; each
/// answer goes to its target's `series` or `totals` (by timestamp, in seconds).
async fn fetch(
    cx: &Context<'_>,
    client: &Client,
    targets: &mut [Target],
    queries: &[Query],
    (start, end, period): (DateTime<Utc>, DateTime<Utc>, i64),
    into_totals: bool,
) -> Result<Cost, Failure> {
    let mut cost = Cost { queries: queries.len() as u64, ..Cost::default() };
    let chunks: Vec<usize> = (0..queries.len()).step_by(MAX_QUERIES).collect();
    let answers = cx
        .for_each(chunks, |offset| async move {
            let chunk = &queries[offset..(offset + MAX_QUERIES).min(queries.len())];
            let mut request = client
                .get_metric_data()
                .start_time(sdk_time(start))
                .end_time(sdk_time(end))
                .scan_by(ScanBy::TimestampAscending)
                .max_datapoints(MAX_DATAPOINTS as i32);
            for (i, q) in chunk.iter().enumerate() {
                request = request.metric_data_queries(sdk_query(offset + i, q, period));
            }
            let mut got: Vec<(usize, i64, f64)> = Vec::new();
            let mut calls = 0;
            cx.pages("GetMetricData", request.into_paginator().send(), |page| {
                calls += 1;
                for result in page.metric_data_results() {
                    let Some(index) = result.id().and_then(|id| id.strip_prefix('q')).and_then(|n| n.parse().ok())
                    else {
                        continue;
                    };
                    for (t, v) in result.timestamps().iter().zip(result.values()) {
                        got.push((index, t.secs(), *v));
                    }
                }
            })
            .await?;
            Ok((calls, got))
        })
        .await?;
    for (calls, got) in answers {
        cost.calls += calls;
        cost.datapoints += got.len() as u64;
        for (index, at, value) in got {
            let Some(q) = queries.get(index) else { continue };
            let target = &mut targets[q.target];
            let slot = if into_totals { &mut target.totals } else { &mut target.series };
            let column = match q.measure {
                Measure::Requests | Measure::Cpu => 0,
                Measure::Errors => 1,
                Measure::Throttles => 2,
                Measure::P95 => 3,
            };
            slot.entry(at).or_insert([None; 4])[column] = Some(value);
        }
    }
    Ok(cost)
}

fn count(v: Option<f64>) -> u64 {
    v.filter(|v| v.is_finite() && *v > 0.0).map_or(0, |v| v.round() as u64)
}

fn latency(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite() && *v >= 0.0).map(|v| (v * 10.0).round() / 10.0)
}

fn totals(values: Option<&[Option<f64>; 4]>) -> Totals {
    let [requests, errors, throttles, p95] = values.copied().unwrap_or([None; 4]);
    Totals { requests: count(requests), errors: count(errors), throttles: count(throttles), p95_ms: latency(p95) }
}

async fn run(cx: &Context<'_>, found: &Snapshot) -> Result<Part, Failure> {
    // Follow-ups run only with a plan (`collect_region`); without one, nothing to read.
    let Some(plan) = cx.metrics_plan() else { return Ok(Part::Resources(Box::default())) };
    // Counted as the CloudWatch calls they are (`cloudwatch:GetMetricData`), as IAM names them.
    let recorder = cx.recorder().for_service("cloudwatch");
    let config = aws_sdk_cloudwatch::config::Builder::from(cx.sdk())
        .interceptor(recorder)
        .retry_partition(cx.retry_partition())
        .build();
    let client = Client::from_conf(config);
    let target = |arn: &str, name: &str, kind| Target {
        arn: arn.to_string(),
        name: name.to_string(),
        kind,
        series: BTreeMap::new(),
        totals: BTreeMap::new(),
    };
    let in_region = |region: &str| region == cx.region;
    let mut targets: Vec<Target> = Vec::new();
    targets.extend(
        found.lambda.functions.iter().filter(|f| in_region(&f.region)).map(|f| target(&f.arn, &f.name, Kind::Function)),
    );
    targets.extend(
        found
            .apigateway
            .stages
            .iter()
            .filter(|s| in_region(&s.region) && matches!(s.api_type.as_str(), "REST" | "HTTP"))
            .map(|s| target(&s.arn, &s.name, Kind::stage(s))),
    );
    targets.extend(
        found.rds.instances.iter().filter(|d| in_region(&d.region)).map(|d| target(&d.arn, &d.identifier, Kind::Db)),
    );

    let series_queries = queries_of(&targets, false);
    let total_queries = queries_of(&targets, true);
    let series_cost =
        fetch(cx, &client, &mut targets, &series_queries, (plan.start, plan.end, PERIOD_SECONDS), false).await?;
    // One period as long as the window: two points (baseline, window) with a baseline,
    // one without.
    let totals_from = plan.baseline_start.unwrap_or(plan.start);
    let totals_cost =
        fetch(cx, &client, &mut targets, &total_queries, (totals_from, plan.end, plan.seconds()), true).await?;
    let history = alarm_history(cx, &client, plan).await?;

    let mut part = Snapshot::default();
    let section = &mut part.metrics;
    section.windows.push(MetricWindow {
        region: cx.region.to_string(),
        start: rfc3339(plan.start),
        end: rfc3339(plan.end),
        baseline_start: plan.baseline_start.map(rfc3339),
        period_seconds: PERIOD_SECONDS as u32,
        queries: series_cost.queries + totals_cost.queries,
        datapoints: series_cost.datapoints + totals_cost.datapoints,
        calls: series_cost.calls + totals_cost.calls,
        minimum_calls: series_cost.minimum() + totals_cost.minimum(),
    });
    section.alarm_history = history;
    let start = plan.start.timestamp();
    let offset = |at: i64| u32::try_from((at - start) / PERIOD_SECONDS).ok();
    for t in targets {
        if matches!(t.kind, Kind::Db) {
            let mut db = DbMetrics { arn: t.arn, id: t.name, region: cx.region.to_string(), ..DbMetrics::default() };
            for (at, [cpu, ..]) in &t.series {
                if let (Some(i), Some(cpu)) = (offset(*at), cpu.filter(|v| v.is_finite())) {
                    db.at.push(i);
                    db.cpu_percent.push((cpu * 10.0).round() / 10.0);
                }
            }
            section.db_instances.push(db);
            continue;
        }
        let mut series = Series::default();
        for (at, [requests, errors, throttles, p95]) in &t.series {
            // A window without requests has no error rate: not kept (`Series::push`).
            if let Some(i) = offset(*at) {
                series.push(i, count(*requests), count(*errors), count(*throttles), latency(*p95));
            }
        }
        let baseline = plan.baseline_start.map(|b| totals(t.totals.get(&b.timestamp())));
        let metrics = TrafficMetrics {
            arn: t.arn,
            name: t.name,
            region: cx.region.to_string(),
            baseline,
            current: totals(t.totals.get(&start)),
            series,
        };
        match t.kind {
            Kind::Function => section.functions.push(metrics),
            _ => section.api_stages.push(metrics),
        }
    }
    Ok(Part::Resources(Box::new(part)))
}

/// Every alarm's state changes since the window's start (all alarms of the region:
/// one paged call, and the policies pick the alarms they judge).
async fn alarm_history(cx: &Context<'_>, client: &Client, plan: MetricsPlan) -> Result<Vec<AlarmTransition>, Failure> {
    let pages = client
        .describe_alarm_history()
        .history_item_type(HistoryItemType::StateUpdate)
        .start_date(sdk_time(plan.start))
        .end_date(sdk_time(plan.end + Duration::seconds(PERIOD_SECONDS)))
        .scan_by(ScanBy::TimestampAscending)
        .max_records(100)
        .into_paginator()
        .send();
    let mut found = Vec::new();
    cx.pages("DescribeAlarmHistory", pages, |page| {
        for item in page.alarm_history_items() {
            let (Some(name), Some(at)) = (item.alarm_name(), crate::collect::timestamp(item.timestamp())) else {
                continue;
            };
            if let Some((from, to)) = states(item.history_data(), item.history_summary()) {
                found.push(AlarmTransition {
                    alarm_name: name.to_string(),
                    region: cx.region.to_string(),
                    at,
                    from,
                    to,
                });
            }
        }
    })
    .await?;
    // Two changes of one alarm within the same second: the snapshot keys them by time.
    found.dedup_by(|a, b| a.alarm_name == b.alarm_name && a.at == b.at);
    Ok(found)
}

/// The old and new state of a StateUpdate item: from its JSON data, else from its
/// summary ("Alarm updated from OK to ALARM"). Only the state names are kept: the
/// reasons quote metric values and are not needed.
fn states(data: Option<&str>, summary: Option<&str>) -> Option<(String, String)> {
    const STATES: [&str; 3] = ["OK", "ALARM", "INSUFFICIENT_DATA"];
    let known = |s: &str| STATES.contains(&s).then(|| s.to_string());
    if let Some(json) = data.and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok()) {
        let state = |key: &str| json.get(key)?.get("stateValue")?.as_str().and_then(known);
        if let (Some(from), Some(to)) = (state("oldState"), state("newState")) {
            return Some((from, to));
        }
    }
    let rest = summary?.split_once(" from ")?.1;
    let (from, to) = rest.split_once(" to ")?;
    Some((known(from.trim())?, known(to.trim())?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_window_starts_at_the_cutover_and_its_baseline_is_as_long() {
        let now = at("2026-12-06T10:08:30Z");
        let plan = MetricsPlan::new(None, Some(day("2026-11-29")), now).unwrap();
        assert_eq!(plan.start, at("2026-11-29T00:00:00Z"));
        assert_eq!(plan.end, at("2026-12-06T10:05:00Z"), "the last window closed three minutes ago");
        assert_eq!(plan.baseline_start, Some(at("2026-11-21T13:55:00Z")));
        // At 10:07:30 the window 10:00-10:05 closed only 2.5 minutes ago: not read yet.
        let early = MetricsPlan::new(None, Some(day("2026-11-29")), at("2026-12-06T10:07:30Z")).unwrap();
        assert_eq!(early.end, at("2026-12-06T10:00:00Z"));
        assert_eq!(plan.seconds() % PERIOD_SECONDS, 0);
    }

    #[test]
    fn without_a_past_cutover_the_window_is_the_last_two_weeks() {
        let now = at("2026-12-06T10:03:00Z");
        for cutover in [None, Some(day("2026-12-20")), Some(day("2026-12-07"))] {
            let plan = MetricsPlan::new(None, cutover, now).unwrap();
            assert_eq!(plan.start, at("2026-11-22T10:00:00Z"), "{cutover:?}");
            assert_eq!(plan.baseline_start, Some(at("2026-11-08T10:00:00Z")));
        }
        // `--metrics-since` wins over the cutover, and must be in the past.
        let plan = MetricsPlan::new(Some(day("2026-12-01")), Some(day("2026-11-01")), now).unwrap();
        assert_eq!(plan.start, at("2026-12-01T00:00:00Z"));
        let err = MetricsPlan::new(Some(day("2026-12-07")), None, now).unwrap_err();
        assert!(err.contains("not in the past"), "{err}");
    }

    #[test]
    fn a_cutover_older_than_31_days_keeps_the_last_31_and_no_baseline() {
        let now = at("2026-12-06T10:03:00Z");
        let plan = MetricsPlan::new(None, Some(day("2026-09-01")), now).unwrap();
        assert_eq!(plan.start, at("2026-11-05T10:00:00Z"));
        assert_eq!(plan.baseline_start, None);
    }

    #[test]
    fn states_come_from_the_data_else_the_summary() {
        let data =
            r#"{"version":"1.0","oldState":{"stateValue":"OK"},"newState":{"stateValue":"ALARM","stateReason":"x"}}"#;
        assert_eq!(states(Some(data), None), Some(("OK".into(), "ALARM".into())));
        assert_eq!(
            states(Some("not json"), Some("Alarm updated from ALARM to INSUFFICIENT_DATA")),
            Some(("ALARM".into(), "INSUFFICIENT_DATA".into()))
        );
        assert_eq!(states(None, Some("Alarm updated from OK to <script>")), None, "only the three states");
    }

    #[test]
    fn the_minimum_counts_queries_and_data_points() {
        let cost = |queries, datapoints| Cost { queries, datapoints, calls: 0 }.minimum();
        assert_eq!(cost(0, 0), 0);
        assert_eq!(cost(800, 10), 2, "500 queries a call");
        assert_eq!(cost(800, 1_600_000), 16, "100,800 data points a call");
    }
}
