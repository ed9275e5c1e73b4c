//! What production did since the cutover, per function and API stage: the figures the
//! reports show beside OPS-003's verdict (JSON carries them, HTML charts them). They
//! describe the metric data; the verdict is the policy's.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::config::Thresholds;
use crate::snapshot::{MetricWindow, MetricsSection, TrafficMetrics};

/// At most this many points per chart: an hour per point over a week, coarser beyond.
const CHART_POINTS: i64 = 168;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SloSummary {
    pub arn: String,
    pub name: String,
    /// `function` or `api_stage`.
    pub kind: String,
    pub region: String,
    /// The windows summarised: from the cutover (or the metric window's start, if
    /// later) to the metric window's end.
    pub since: String,
    pub until: String,
    pub requests: u64,
    pub errors: u64,
    /// Over every window since `since`; null without requests.
    pub error_rate_percent: Option<f64>,
    /// The worst 5-minute window's.
    pub worst_error_rate_percent: Option<f64>,
    pub worst_p95_ms: Option<f64>,
    /// The p95 over the whole metric window and over its baseline (null when unknown,
    /// or when the window's totals include time before the cutover).
    pub p95_ms: Option<f64>,
    pub baseline_p95_ms: Option<f64>,
    /// The SLO lines: the config's thresholds.
    pub error_rate_slo_percent: f64,
    pub latency_slo_ms: f64,
    pub chart: Chart,
}

/// The series in buckets of `step_seconds` from `start`: the highest 5-minute error
/// rate and p95 in each (null: no traffic).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub start: String,
    pub step_seconds: i64,
    /// Where the cutover falls, in seconds from `start`; null when outside the chart.
    pub cutover_offset_seconds: Option<i64>,
    pub error_rate_percent: Vec<Option<f64>>,
    pub p95_ms: Vec<Option<f64>>,
}

fn parse(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// One summary per function and stage of `metrics` that `keep` accepts (the ones
/// OPS-003 judged), in the section's order.
pub fn summarize(
    metrics: &MetricsSection,
    thresholds: &Thresholds,
    cutover: Option<NaiveDate>,
    keep: impl Fn(&str) -> bool,
) -> Vec<SloSummary> {
    let kinds =
        metrics.functions.iter().map(|m| ("function", m)).chain(metrics.api_stages.iter().map(|m| ("api_stage", m)));
    kinds
        .filter(|(_, m)| keep(&m.arn))
        .filter_map(|(kind, m)| {
            let window = metrics.windows.iter().find(|w| w.region == m.region)?;
            summary(kind, m, window, thresholds, cutover)
        })
        .collect()
}

fn summary(
    kind: &str,
    m: &TrafficMetrics,
    window: &MetricWindow,
    thresholds: &Thresholds,
    cutover: Option<NaiveDate>,
) -> Option<SloSummary> {
    let (start, end) = (parse(&window.start)?, parse(&window.end)?);
    let period = i64::from(window.period_seconds.max(1));
    let cutover = cutover.and_then(|d| d.and_hms_opt(0, 0, 0)).map(|t| t.and_utc());
    let since = cutover.filter(|c| *c > start).unwrap_or(start);
    let first = (since - start).num_seconds().div_euclid(period);
    let s = &m.series;
    let judged: Vec<usize> = (0..s.len()).filter(|&i| i64::from(s.at[i]) >= first && s.requests[i] > 0).collect();
    let requests: u64 = judged.iter().map(|&i| s.requests[i]).sum();
    let errors: u64 = judged.iter().map(|&i| s.errors[i]).sum();
    let rate = |e: u64, r: u64| (r > 0).then(|| round1(100.0 * e as f64 / r as f64));
    let worst_error = judged.iter().filter_map(|&i| rate(s.errors[i], s.requests[i])).fold(None, max);
    let worst_p95 = judged.iter().filter_map(|&i| s.p95_ms[i]).fold(None, max);
    // The window's totals are comparable with the baseline only when they start at
    // the cutover (or there is none).
    let totals_after_cutover = cutover.is_none_or(|c| start >= c);

    let span = (end - start).num_seconds().max(period);
    // Whole periods, at least an hour, at most CHART_POINTS buckets (spans are positive).
    let step = ((span / CHART_POINTS).max(3600) + period - 1) / period * period;
    let buckets = usize::try_from((span + step - 1) / step).unwrap_or(0);
    // Each bucket shows its worst 5-minute window: an hour's average would hide a
    // five-minute breach under the SLO line.
    let mut worst = vec![(None::<f64>, None::<f64>); buckets];
    for i in 0..s.len() {
        let bucket = (i64::from(s.at[i]) * period / step) as usize;
        if let Some(b) = worst.get_mut(bucket) {
            b.0 = max(b.0, rate(s.errors[i], s.requests[i]));
            b.1 = max(b.1, s.p95_ms[i]);
        }
    }
    let offset = cutover.map(|c| (c - start).num_seconds()).filter(|o| (0..=span).contains(o));
    Some(SloSummary {
        arn: m.arn.clone(),
        name: m.name.clone(),
        kind: kind.to_string(),
        region: m.region.clone(),
        since: rfc3339(since),
        until: rfc3339(end),
        requests,
        errors,
        error_rate_percent: rate(errors, requests),
        worst_error_rate_percent: worst_error,
        worst_p95_ms: worst_p95,
        p95_ms: if totals_after_cutover { m.current.p95_ms } else { None },
        baseline_p95_ms: if totals_after_cutover { m.baseline.as_ref().and_then(|b| b.p95_ms) } else { None },
        error_rate_slo_percent: thresholds.error_rate_percent,
        latency_slo_ms: thresholds.latency_p95_ms,
        chart: Chart {
            start: window.start.clone(),
            step_seconds: step,
            cutover_offset_seconds: offset,
            error_rate_percent: worst.iter().map(|b| b.0).collect(),
            p95_ms: worst.iter().map(|b| b.1).collect(),
        },
    })
}

fn max(a: Option<f64>, b: impl Into<Option<f64>>) -> Option<f64> {
    match (a, b.into()) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::{Series, Totals};

    fn traffic(windows: &[(u32, u64, u64, f64)]) -> MetricsSection {
        let mut series = Series::default();
        for &(at, r, e, p) in windows {
            series.push(at, r, e, 0, Some(p));
        }
        let totals = |p| Totals { requests: 0, errors: 0, throttles: 0, p95_ms: Some(p) };
        MetricsSection {
            windows: vec![MetricWindow {
                region: "eu-west-3".into(),
                start: "2026-11-19T00:00:00Z".into(),
                end: "2026-11-26T00:00:00Z".into(),
                baseline_start: Some("2026-11-12T00:00:00Z".into()),
                period_seconds: 300,
                ..MetricWindow::default()
            }],
            functions: vec![TrafficMetrics {
                arn: "arn:aws:lambda:eu-west-3:1:function:api".into(),
                name: "api".into(),
                region: "eu-west-3".into(),
                baseline: Some(totals(200.0)),
                current: totals(230.0),
                series,
            }],
            ..MetricsSection::default()
        }
    }

    #[test]
    fn figures_cover_the_windows_after_the_cutover_and_the_chart_buckets_hours() {
        let m = traffic(&[(0, 100, 1, 200.0), (1, 100, 9, 650.0), (300, 50, 0, 180.0)]);
        let cutover = NaiveDate::from_ymd_opt(2026, 11, 19);
        let s = &summarize(&m, &Thresholds::default(), cutover, |_| true)[0];
        assert_eq!((s.requests, s.errors), (250, 10));
        assert_eq!(s.error_rate_percent, Some(4.0));
        assert_eq!(s.worst_error_rate_percent, Some(9.0));
        assert_eq!(s.worst_p95_ms, Some(650.0));
        assert_eq!((s.p95_ms, s.baseline_p95_ms), (Some(230.0), Some(200.0)));
        assert_eq!(s.chart.step_seconds, 3600);
        assert_eq!(s.chart.error_rate_percent.len(), 168);
        assert_eq!(s.chart.error_rate_percent[0], Some(9.0), "the hour's worst 5-minute window");
        assert_eq!(s.chart.p95_ms[0], Some(650.0), "the hour's highest 5-minute p95");
        assert_eq!(s.chart.error_rate_percent[25], Some(0.0), "window 300 is 25 h in");
        assert_eq!(s.chart.error_rate_percent[1], None, "no traffic");
        assert_eq!(s.chart.cutover_offset_seconds, Some(0));
        assert!(summarize(&m, &Thresholds::default(), cutover, |_| false).is_empty());
    }

    #[test]
    fn a_cutover_inside_the_window_leaves_earlier_windows_out_of_the_figures() {
        let m = traffic(&[(0, 100, 50, 200.0), (300, 50, 1, 180.0)]);
        let cutover = NaiveDate::from_ymd_opt(2026, 11, 20);
        let s = &summarize(&m, &Thresholds::default(), cutover, |_| true)[0];
        assert_eq!((s.requests, s.errors), (50, 1));
        assert_eq!(s.since, "2026-11-20T00:00:00Z");
        assert_eq!(s.chart.cutover_offset_seconds, Some(86_400));
        assert_eq!((s.p95_ms, s.baseline_p95_ms), (None, None), "the totals mix both sides of the cutover");
    }
}
