//! CloudWatch metric data and alarm history: what production did since the cutover
//! (or over the last days), read after the resources of the same region.
//!
//! Series are kept compactly: one entry per 5-minute window that saw traffic, as
//! parallel arrays (`at` counts periods from the window's start), never the raw
//! GetMetricData answers. Windows without traffic are left out: an error rate is
//! only defined where there were requests. The section is kept when a snapshot is
//! read for its metadata only: the reports chart it.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::Section;

use crate::snapshot::model::{kept_resources, nullable, required_count, timestamp, Keyed};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsSection {
    /// What was asked, per region: the window, its baseline and the calls it took.
    #[serde(deserialize_with = "kept_resources")]
    pub windows: Vec<MetricWindow>,
    /// Lambda functions: Invocations, Errors, Throttles (Sum) and Duration p95.
    #[serde(deserialize_with = "kept_resources")]
    pub functions: Vec<TrafficMetrics>,
    /// API Gateway stages (REST and HTTP APIs): Count, 5XX errors and Latency p95.
    #[serde(deserialize_with = "kept_resources")]
    pub api_stages: Vec<TrafficMetrics>,
    /// RDS instances: CPUUtilization (Average) per window.
    #[serde(deserialize_with = "kept_resources")]
    pub db_instances: Vec<DbMetrics>,
    /// Every state change of every alarm in the window (DescribeAlarmHistory),
    /// sorted by region, alarm and time: the policies read an alarm's next change as
    /// the next entry, so a snapshot out of that order is refused.
    #[serde(deserialize_with = "history")]
    pub alarm_history: Vec<AlarmTransition>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricWindow {
    pub region: String,
    /// The first window's start (the cutover, when it is known and recent enough).
    #[serde(deserialize_with = "required_time")]
    pub start: String,
    /// The end of the last window that closed at least three minutes before the
    /// collection (a fresher one may not be all in CloudWatch yet).
    #[serde(deserialize_with = "required_time")]
    pub end: String,
    /// The baseline runs from here to `start`, as long as the window; null when the
    /// window does not start at the cutover (a cutover too long ago for the 5-minute
    /// data CloudWatch keeps).
    #[serde(deserialize_with = "timestamp")]
    pub baseline_start: Option<String>,
    #[serde(deserialize_with = "required_count")]
    pub period_seconds: u32,
    /// GetMetricData queries asked and data points received.
    #[serde(deserialize_with = "required_count")]
    pub queries: u64,
    #[serde(deserialize_with = "required_count")]
    pub datapoints: u64,
    /// GetMetricData calls made, and the fewest any client could make for the same
    /// queries and data points (500 queries, 100,800 data points a call). A call
    /// carries one set of at most 500 queries, so every set after the first can end
    /// on a page it does not fill: at most one call more per set.
    #[serde(deserialize_with = "required_count")]
    pub calls: u64,
    #[serde(deserialize_with = "required_count")]
    pub minimum_calls: u64,
}

/// A function's or an API stage's traffic.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrafficMetrics {
    pub arn: String,
    /// The function's name; `api/stage` for a stage.
    pub name: String,
    pub region: String,
    /// Totals over the baseline (null without one) and over the window.
    #[serde(deserialize_with = "nullable")]
    pub baseline: Option<Totals>,
    pub current: Totals,
    pub series: Series,
}

/// Sums over a whole period, and its p95 latency in milliseconds (null when nothing
/// was measured).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Totals {
    #[serde(deserialize_with = "required_count")]
    pub requests: u64,
    #[serde(deserialize_with = "required_count")]
    pub errors: u64,
    #[serde(deserialize_with = "required_count")]
    pub throttles: u64,
    #[serde(deserialize_with = "nullable")]
    pub p95_ms: Option<f64>,
}

/// One entry per window with requests, as parallel arrays of the same length.
/// `requests` is Lambda's Invocations or API Gateway's Count; `throttles` is all zero
/// for a stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "RawSeries")]
pub struct Series {
    /// Periods since the window's start, increasing.
    pub at: Vec<u32>,
    /// Each above zero.
    pub requests: Vec<u64>,
    pub errors: Vec<u64>,
    pub throttles: Vec<u64>,
    pub p95_ms: Vec<Option<f64>>,
    /// The highest `100 * errors / requests` of any window (0 without windows), or
    /// more: OPS-003 skips the windows of a series whose worst is within the SLO (the
    /// many healthy ones), so a snapshot that says less is refused.
    pub worst_error_rate_percent: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeries {
    at: Vec<u32>,
    requests: Vec<u64>,
    errors: Vec<u64>,
    throttles: Vec<u64>,
    #[serde(deserialize_with = "nullable")]
    p95_ms: Option<Vec<Option<f64>>>,
    worst_error_rate_percent: f64,
}

impl TryFrom<RawSeries> for Series {
    type Error = String;

    /// Arrays of different lengths would let a policy index past a window and judge
    /// nothing there: refused when the snapshot is read.
    fn try_from(raw: RawSeries) -> Result<Series, String> {
        let p95_ms = raw.p95_ms.ok_or("`p95_ms` is null: expected an array")?;
        let n = raw.at.len();
        for (name, len) in [
            ("requests", raw.requests.len()),
            ("errors", raw.errors.len()),
            ("throttles", raw.throttles.len()),
            ("p95_ms", p95_ms.len()),
        ] {
            if len != n {
                return Err(format!(
                    "`{name}` has {len} entries and `at` {n}: a series' arrays have one entry per window"
                ));
            }
        }
        increasing(&raw.at)?;
        if let Some(v) = p95_ms.iter().flatten().find(|v| !(v.is_finite() && **v >= 0.0)) {
            return Err(format!("`p95_ms` holds {v}: expected milliseconds, zero or more"));
        }
        if let Some(i) = raw.requests.iter().position(|r| *r == 0) {
            return Err(format!("`requests[{i}]` is 0: a series keeps the windows with requests only"));
        }
        let worst = worst_error_rate(&raw.requests, &raw.errors);
        // Within a billionth of a percent: JSON readers may round the last bit of a
        // decimal differently, and two error rates of whole counts differ by far more.
        let at_least = worst - worst * 1e-12;
        if !(raw.worst_error_rate_percent >= at_least && raw.worst_error_rate_percent.is_finite()) {
            return Err(format!(
                "`worst_error_rate_percent` is {}, below the worst window's {worst}: it must be at least that",
                raw.worst_error_rate_percent
            ));
        }
        Ok(Series {
            at: raw.at,
            requests: raw.requests,
            errors: raw.errors,
            throttles: raw.throttles,
            p95_ms,
            worst_error_rate_percent: raw.worst_error_rate_percent,
        })
    }
}

/// The highest `100 * errors / requests` of the windows (0 without any).
pub fn worst_error_rate(requests: &[u64], errors: &[u64]) -> f64 {
    requests.iter().zip(errors).filter(|(r, _)| **r > 0).map(|(r, e)| 100.0 * *e as f64 / *r as f64).fold(0.0, f64::max)
}

impl Series {
    pub fn len(&self) -> usize {
        self.at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// Adds a window with requests (one without is not kept).
    pub fn push(&mut self, at: u32, requests: u64, errors: u64, throttles: u64, p95_ms: Option<f64>) {
        if requests == 0 {
            return;
        }
        self.at.push(at);
        self.requests.push(requests);
        self.errors.push(errors);
        self.throttles.push(throttles);
        self.p95_ms.push(p95_ms);
        self.worst_error_rate_percent = self.worst_error_rate_percent.max(100.0 * errors as f64 / requests as f64);
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "RawDbMetrics")]
pub struct DbMetrics {
    pub arn: String,
    pub id: String,
    pub region: String,
    /// Periods since the window's start, and the average CPU in each, in percent: one
    /// entry each per window.
    pub at: Vec<u32>,
    pub cpu_percent: Vec<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDbMetrics {
    arn: String,
    id: String,
    region: String,
    at: Vec<u32>,
    cpu_percent: Vec<f64>,
}

impl TryFrom<RawDbMetrics> for DbMetrics {
    type Error = String;

    /// As a series: a CPU left without its window (or a window without its CPU) would
    /// hide a busy window from the policy.
    fn try_from(raw: RawDbMetrics) -> Result<DbMetrics, String> {
        if raw.cpu_percent.len() != raw.at.len() {
            return Err(format!(
                "`cpu_percent` has {} entries and `at` {}: one entry per window",
                raw.cpu_percent.len(),
                raw.at.len()
            ));
        }
        increasing(&raw.at)?;
        if let Some(v) = raw.cpu_percent.iter().find(|v| !(v.is_finite() && **v >= 0.0)) {
            return Err(format!("`cpu_percent` holds {v}: expected a percentage, zero or more"));
        }
        Ok(DbMetrics { arn: raw.arn, id: raw.id, region: raw.region, at: raw.at, cpu_percent: raw.cpu_percent })
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlarmTransition {
    pub alarm_name: String,
    pub region: String,
    #[serde(deserialize_with = "required_time")]
    pub at: String,
    /// `OK`, `ALARM` or `INSUFFICIENT_DATA`.
    pub from: String,
    pub to: String,
}

fn required_time<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    timestamp(deserializer)?.ok_or_else(|| serde::de::Error::custom("expected an RFC 3339 time, found null"))
}

fn history<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<AlarmTransition>, D::Error> {
    let list: Vec<AlarmTransition> = kept_resources(deserializer)?;
    match list.windows(2).position(|w| order(&w[0]) >= order(&w[1])) {
        Some(i) => Err(serde::de::Error::custom(format!(
            "[{}] comes before [{i}]: the history is sorted by region, alarm name and time",
            i + 1
        ))),
        None => Ok(list),
    }
}

/// The history's order: by time, not by its text (the collector writes every time in
/// UTC, so both agree, but a key that is a time says so).
fn order(t: &AlarmTransition) -> (String, String, Option<chrono::DateTime<chrono::FixedOffset>>) {
    (t.region.clone(), t.alarm_name.clone(), chrono::DateTime::parse_from_rfc3339(&t.at).ok())
}

/// Window positions of a series or an instance's CPU: strictly increasing.
fn increasing(at: &[u32]) -> Result<(), String> {
    match at.windows(2).position(|w| w[0] >= w[1]) {
        Some(i) => Err(format!("`at` must increase: at[{}] = {} follows {}", i + 1, at[i + 1], at[i])),
        None => Ok(()),
    }
}

impl MetricsSection {
    pub fn append(&mut self, other: MetricsSection) {
        self.windows.extend(other.windows);
        self.functions.extend(other.functions);
        self.api_stages.extend(other.api_stages);
        self.db_instances.extend(other.db_instances);
        self.alarm_history.extend(other.alarm_history);
    }
}

impl Keyed for MetricWindow {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.region))
    }
}

impl Keyed for TrafficMetrics {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Keyed for DbMetrics {
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Borrowed(&self.arn))
    }
}

impl Keyed for AlarmTransition {
    /// An alarm changes state at most once at a given time.
    fn key(&self) -> Option<Cow<'_, str>> {
        Some(Cow::Owned(format!("{} {} {}", self.region, self.alarm_name, self.at)))
    }
}

impl Section for MetricsSection {
    fn normalize(&mut self) {
        self.windows.sort_by(|a, b| a.region.cmp(&b.region));
        self.functions.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.api_stages.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.db_instances.sort_by(|a, b| a.arn.cmp(&b.arn));
        self.alarm_history.sort_by_cached_key(order);
    }

    fn clear(&mut self) {
        *self = MetricsSection::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<Series, String> {
        serde_json::from_str::<Series>(json).map_err(|e| e.to_string())
    }

    #[test]
    fn a_series_that_could_hide_a_window_is_refused() {
        let ok = r#"{"at": [0, 3], "requests": [200, 50], "errors": [2, 5], "throttles": [0, 0], "p95_ms": [210.5, null], "worst_error_rate_percent": 10.0}"#;
        assert_eq!(read(ok).unwrap().len(), 2);
        for (json, expected) in [
            (ok.replace("10.0", "9.5"), "below the worst window's 10"),
            (ok.replace("[200, 50]", "[200]"), "`requests` has 1 entries and `at` 2"),
            (ok.replace("[0, 3]", "[3, 3]"), "`at` must increase"),
            (ok.replace("[200, 50]", "[200, 0]").replace("[2, 5]", "[2, 0]"), "`requests[1]` is 0"),
            (ok.replace("210.5", "-1"), "expected milliseconds"),
        ] {
            let err = read(&json).unwrap_err();
            assert!(err.contains(expected), "{err}");
        }
    }

    #[test]
    fn an_instance_s_cpu_that_could_hide_a_window_is_refused() {
        let ok = r#"{"arn": "a", "id": "db", "region": "eu-west-3", "at": [0, 2], "cpu_percent": [35.5, 91.0]}"#;
        assert_eq!(serde_json::from_str::<DbMetrics>(ok).unwrap().at, [0, 2]);
        for (json, expected) in [
            (ok.replace("[35.5, 91.0]", "[35.5]"), "`cpu_percent` has 1 entries and `at` 2"),
            (ok.replace("[0, 2]", "[2, 0]"), "`at` must increase"),
            (ok.replace("91.0", "-3"), "expected a percentage"),
        ] {
            let err = serde_json::from_str::<DbMetrics>(&json).unwrap_err().to_string();
            assert!(err.contains(expected), "{err}");
        }
    }

    #[test]
    fn an_alarm_history_out_of_order_is_refused() {
        let change = |name: &str, at: &str| {
            format!(r#"{{"alarm_name": "{name}", "region": "eu-west-3", "at": "{at}", "from": "OK", "to": "ALARM"}}"#)
        };
        let section = |changes: &[String]| {
            format!(
                r#"{{"windows": [], "functions": [], "api_stages": [], "db_instances": [], "alarm_history": [{}]}}"#,
                changes.join(",")
            )
        };
        let sorted = [
            change("a", "2026-11-19T09:00:00Z"),
            change("a", "2026-11-19T10:00:00Z"),
            change("b", "2026-11-19T08:00:00Z"),
        ];
        assert!(serde_json::from_str::<MetricsSection>(&section(&sorted)).is_ok());
        let swapped = [sorted[1].clone(), sorted[0].clone()];
        let err = serde_json::from_str::<MetricsSection>(&section(&swapped)).unwrap_err().to_string();
        assert!(err.contains("[1] comes before [0]"), "{err}");
    }

    #[test]
    fn pushing_keeps_the_worst_rate_and_drops_windows_without_requests() {
        let mut s = Series::default();
        s.push(0, 100, 1, 0, Some(200.0));
        s.push(1, 0, 0, 4, None);
        s.push(2, 40, 2, 0, None);
        assert_eq!(s.at, [0, 2]);
        assert_eq!(s.worst_error_rate_percent, 5.0);
        assert_eq!(s.worst_error_rate_percent, worst_error_rate(&s.requests, &s.errors));
    }
}
