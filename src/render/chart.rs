//! A small inline SVG chart of one function's or stage's service level: the error
//! rate (left scale) and the p95 latency (right scale) over time, each with its SLO
//! line, and the cutover marked. No script, no network, no library: a polyline per
//! series, broken where there was no traffic. Colours come from the page's CSS
//! classes (`svg .err`, `.p95`, `.slo`, `.cut`), so the page's content security policy
//! needs no inline style.

use std::fmt::Write;

use crate::render::escape::html::text as escape;
use crate::result::slo::SloSummary;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 150.0;
/// Room for the scales' labels.
const LEFT: f64 = 44.0;
const RIGHT: f64 = 56.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 22.0;

/// A scale's top: the SLO line at two thirds, unless the worst value is higher.
fn top(slo: f64, worst: Option<f64>) -> f64 {
    let top = (slo * 1.5).max(worst.unwrap_or(0.0) * 1.05);
    if top > 0.0 && top.is_finite() {
        top
    } else {
        1.0
    }
}

/// The polylines of a series (one per run of points with traffic), as SVG points.
fn runs(values: &[Option<f64>], y: impl Fn(f64) -> f64) -> Vec<String> {
    let n = values.len().max(2) - 1;
    let x = |i: usize| LEFT + (WIDTH - LEFT - RIGHT) * i as f64 / n as f64;
    let mut runs = Vec::new();
    let mut run = String::new();
    for (i, v) in values.iter().enumerate() {
        match v {
            Some(v) if v.is_finite() => {
                let _ = write!(run, "{:.1},{:.1} ", x(i), y(*v));
            }
            _ if !run.is_empty() => runs.push(std::mem::take(&mut run)),
            _ => {}
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

pub fn svg(s: &SloSummary) -> String {
    let plot = HEIGHT - TOP - BOTTOM;
    let err_top = top(s.error_rate_slo_percent, s.worst_error_rate_percent);
    let p95_top = top(s.latency_slo_ms, s.worst_p95_ms);
    let y = |v: f64, top: f64| TOP + plot - plot * (v / top).clamp(0.0, 1.0);
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg class=\"slo-chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" aria-label=\"{label}\">\
         <title>{label}</title>",
        label = escape(&format!(
            "{}: error rate (left, SLO {} %) and p95 latency (right, SLO {} ms) per {} min since {}",
            s.name,
            s.error_rate_slo_percent,
            s.latency_slo_ms,
            s.chart.step_seconds / 60,
            s.chart.start
        )),
    );
    // The frame and the SLO lines, each on its own scale.
    let _ = write!(
        out,
        "<rect class=\"frame\" x=\"{LEFT}\" y=\"{TOP}\" width=\"{w}\" height=\"{plot}\"/>\
         <line class=\"slo err\" x1=\"{LEFT}\" x2=\"{x2}\" y1=\"{ye:.1}\" y2=\"{ye:.1}\"/>\
         <line class=\"slo p95\" x1=\"{LEFT}\" x2=\"{x2}\" y1=\"{yp:.1}\" y2=\"{yp:.1}\"/>\
         <text class=\"err\" x=\"{lx}\" y=\"{ye:.1}\" text-anchor=\"end\" dy=\"4\">{slo_e} %</text>\
         <text class=\"p95\" x=\"{rx}\" y=\"{yp:.1}\" dy=\"4\">{slo_p} ms</text>",
        w = WIDTH - LEFT - RIGHT,
        x2 = WIDTH - RIGHT,
        ye = y(s.error_rate_slo_percent, err_top),
        yp = y(s.latency_slo_ms, p95_top),
        lx = LEFT - 4.0,
        rx = WIDTH - RIGHT + 4.0,
        slo_e = s.error_rate_slo_percent,
        slo_p = s.latency_slo_ms,
    );
    for run in runs(&s.chart.p95_ms, |v| y(v, p95_top)) {
        let _ = write!(out, "<polyline class=\"p95\" points=\"{}\"/>", run.trim_end());
    }
    for run in runs(&s.chart.error_rate_percent, |v| y(v, err_top)) {
        let _ = write!(out, "<polyline class=\"err\" points=\"{}\"/>", run.trim_end());
    }
    let span = (s.chart.error_rate_percent.len().max(1) as i64 * s.chart.step_seconds).max(1);
    if let Some(offset) = s.chart.cutover_offset_seconds {
        let x = LEFT + (WIDTH - LEFT - RIGHT) * (offset as f64 / span as f64).clamp(0.0, 1.0);
        let _ = write!(
            out,
            "<line class=\"cut\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{TOP}\" y2=\"{b}\"/>\
             <text class=\"cut\" x=\"{lx:.1}\" y=\"{ly}\">cutover</text>",
            b = TOP + plot,
            lx = x + 3.0,
            ly = TOP + 10.0,
        );
    }
    let _ = write!(
        out,
        "<text class=\"axis\" x=\"{LEFT}\" y=\"{ly}\">{start}</text>\
         <text class=\"axis\" x=\"{r}\" y=\"{ly}\" text-anchor=\"end\">{end}</text></svg>",
        ly = HEIGHT - 6.0,
        r = WIDTH - RIGHT,
        start = escape(s.chart.start.get(..10).unwrap_or(&s.chart.start)),
        end = escape(s.until.get(..10).unwrap_or(&s.until)),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::slo::Chart;

    fn summary(name: &str, rates: Vec<Option<f64>>) -> SloSummary {
        SloSummary {
            arn: "arn:aws:lambda:eu-west-3:1:function:x".into(),
            name: name.into(),
            kind: "function".into(),
            region: "eu-west-3".into(),
            since: "2026-11-19T00:00:00Z".into(),
            until: "2026-11-26T00:00:00Z".into(),
            requests: 10,
            errors: 1,
            error_rate_percent: Some(10.0),
            worst_error_rate_percent: Some(12.0),
            worst_p95_ms: Some(900.0),
            p95_ms: None,
            baseline_p95_ms: None,
            error_rate_slo_percent: 2.0,
            latency_slo_ms: 500.0,
            chart: Chart {
                start: "2026-11-19T00:00:00Z".into(),
                step_seconds: 3600,
                cutover_offset_seconds: Some(0),
                p95_ms: rates.iter().map(|r| r.map(|r| r * 75.0)).collect(),
                error_rate_percent: rates,
            },
        }
    }

    #[test]
    fn a_gap_without_traffic_breaks_the_line_and_the_slo_and_cutover_are_drawn() {
        let svg = svg(&summary("api", vec![Some(1.0), Some(12.0), None, Some(0.5)]));
        assert_eq!(svg.matches("<polyline class=\"err\"").count(), 2, "{svg}");
        assert_eq!(svg.matches("<polyline class=\"p95\"").count(), 2);
        assert!(svg.contains("class=\"slo err\"") && svg.contains("class=\"slo p95\""));
        assert!(svg.contains(">cutover</text>"));
        assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
    }

    #[test]
    fn a_hostile_name_is_escaped() {
        let svg = svg(&summary("<script>alert(1)</script>\"", vec![Some(1.0)]));
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;"));
    }
}
