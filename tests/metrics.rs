//! Metric data and alarm history against the moto emulator: what production did
//! since the cutover, read exactly as seeded, at the fewest calls, and judged (OPS-003,
//! ALM-006, ALM-007); a denied GetMetricData is UNKNOWN, never a green SLO.

mod common;

use common::{jalon, read_json, stderr, Emulator};
use serde_json::Value;

const REGION: &str = "eu-west-3";

/// The varied account collected from its cutover (seven days ago), and its manifest.
fn collected_from_the_cutover(emu: &Emulator, dir: &std::path::Path) -> (Value, Value, String) {
    let manifest = emu.seed(REGION, "varied", &[]);
    let cutover = manifest["metrics"]["cutover"].as_str().expect("the seeded cutover").to_string();
    emu.reset_requests();
    let path = dir.join("snap.json");
    let out = emu.collect(&path, &["--cutover", &cutover]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    (read_json(&path), manifest, cutover)
}

fn entry<'a>(list: &'a Value, field: &str, value: &str) -> &'a Value {
    list.as_array().unwrap().iter().find(|e| e[field] == value).unwrap_or_else(|| panic!("no {field} = {value}"))
}

/// The seeder's series (every window it wrote requests in) as the snapshot keeps it.
fn seeded_series(seeded: &Value) -> Value {
    let s = &seeded["series"];
    let keep: Vec<usize> = (0..s["at"].as_array().unwrap().len()).filter(|&i| s["requests"][i] != 0).collect();
    let column = |name: &str| Value::Array(keep.iter().map(|&i| s[name][i].clone()).collect());
    serde_json::json!({
        "at": column("at"), "requests": column("requests"), "errors": column("errors"),
        "throttles": column("throttles"), "p95_ms": column("p95_ms"),
    })
}

#[test]
fn the_week_since_the_cutover_is_read_exactly_as_seeded_at_the_fewest_calls() {
    let Some(emu) = Emulator::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (snapshot, manifest, cutover) = collected_from_the_cutover(&emu, dir.path());
    let metrics = &snapshot["metrics"];
    let seeded = &manifest["metrics"];

    let window = &metrics["windows"][0];
    assert_eq!(window["start"], format!("{cutover}T00:00:00Z"));
    assert_eq!(window["period_seconds"], 300);
    // Every function, stage and instance found is read: 4, 3 and 1 series queries, 4 and
    // 3 totals queries; at most 500 a call, and no more calls than that needs.
    let functions = snapshot["lambda"]["functions"].as_array().unwrap().len() as u64;
    let stages =
        snapshot["apigateway"]["stages"].as_array().unwrap().iter().filter(|s| s["api_type"] != "WEBSOCKET").count()
            as u64;
    let instances = snapshot["rds"]["instances"].as_array().unwrap().len() as u64;
    assert_eq!(window["queries"], 8 * functions + 6 * stages + instances);
    assert_eq!(window["calls"], window["minimum_calls"], "{window}");
    assert_eq!(snapshot["cost"]["api_calls"]["cloudwatch:GetMetricData"], window["calls"]);
    assert_eq!(snapshot["cost"]["api_calls"]["cloudwatch:DescribeAlarmHistory"], 1);
    let served = emu.requests();
    assert_eq!(snapshot["cost"]["api_calls"].as_object().unwrap(), &served);

    // Each function's and stage's windows, exactly; the window totals are CloudWatch's
    // over the whole window (its p95 is the p95 of every sample, not of the windows').
    for (list, kind) in [("functions", "functions"), ("api_stages", "stages")] {
        for (name, written) in seeded[kind].as_object().unwrap() {
            let got = entry(&metrics[list], "name", name);
            let mut series = got["series"].clone();
            series.as_object_mut().unwrap().remove("worst_error_rate_percent");
            assert_eq!(series, seeded_series(written), "{name}");
            for field in ["requests", "errors", "p95_ms"] {
                assert_eq!(got["current"][field], written["totals"][field], "{name}: {field}");
            }
        }
    }
    // The baseline: as long as the window, just before it, steady at 400 requests and a
    // p95 of 180 ms a window for the two functions seeded there.
    let start = chrono::DateTime::parse_from_rfc3339(window["start"].as_str().unwrap()).unwrap();
    let baseline_start = chrono::DateTime::parse_from_rfc3339(window["baseline_start"].as_str().unwrap()).unwrap();
    let baseline_windows = (start - baseline_start).num_seconds() as u64 / 300;
    for (name, p95) in [("orders-api", 180.0), ("orders-worker", 250.0)] {
        let baseline = &entry(&metrics["functions"], "name", name)["baseline"];
        assert_eq!(baseline["requests"], 400 * baseline_windows, "{name}");
        assert_eq!(baseline["p95_ms"], p95, "{name}");
    }
    // CPU per window, and every seeded state change in time order.
    for (id, written) in seeded["databases"].as_object().unwrap() {
        let got = entry(&metrics["db_instances"], "id", id);
        assert_eq!(got["at"], written["series"]["at"], "{id}");
        assert_eq!(got["cpu_percent"], written["series"]["cpu"], "{id}");
    }
    let history = metrics["alarm_history"].as_array().unwrap();
    for written in seeded["history"].as_array().unwrap() {
        let at = chrono::DateTime::from_timestamp(written["at"].as_f64().unwrap() as i64, 0).unwrap();
        let at = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        assert!(
            history.iter().any(|h| h["alarm_name"] == written["alarm_name"]
                && h["at"] == at.as_str()
                && h["from"] == written["from"]
                && h["to"] == written["to"]),
            "{written} not in {history:?}"
        );
    }
}

#[test]
fn the_slo_and_the_first_hours_are_judged_from_what_was_collected() {
    let Some(emu) = Emulator::start() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (_, _, cutover) = collected_from_the_cutover(&emu, dir.path());
    let path = dir.path().join("snap.json");
    let out = jalon(&["check", "--snapshot", path.to_str().unwrap(), "--cutover", &cutover, "--format", "json"]);
    let result: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    let control = |id: &str| entry(&result["controls"], "id", id).clone();
    let resource = |c: &Value, suffix: &str| {
        c["resources"].as_array().unwrap().iter().find(|r| r["id"].as_str().unwrap().ends_with(suffix)).cloned()
    };

    // The breach: orders-worker's three windows at 03:00 on the cutover day.
    let ops = control("OPS-003");
    assert_eq!(ops["verdict"], "FAIL", "{ops}");
    let worker = resource(&ops, ":function:orders-worker").expect("orders-worker is judged");
    let message = worker["message"].as_str().unwrap();
    assert!(message.starts_with("15 minutes out of SLO"), "{message}");
    assert!(message.contains(&format!("worst {cutover}T03:00:00Z 10 % (30/300, p95 950 ms)")), "{message}");
    assert!(message.contains("p95 above 500 ms in 3 windows"), "{message}");
    // Healthy ones pass; too little traffic is not judged.
    for healthy in [":function:orders-api", "/stages/prod", "/stages/$default", ":db:orders-db"] {
        assert_eq!(resource(&ops, healthy).expect(healthy)["verdict"], "PASS", "{healthy}");
    }
    assert!(resource(&ops, ":function:billing-events").is_none(), "21 requests in a week are not judged");
    let db = resource(&ops, ":db:reporting-db").expect("reporting-db");
    assert!(db["message"].as_str().unwrap().contains("average CPU above 80 % in 3 of"), "{db}");
    // The JSON carries the figures of each function and stage judged.
    let figures = result["slo"].as_array().expect("slo figures");
    let api = figures.iter().find(|f| f["name"] == "orders-api").expect("orders-api's figures");
    assert_eq!(api["kind"], "function");
    assert_eq!(api["baseline_p95_ms"], 180.0);
    assert!(figures.iter().all(|f| f["name"] != "billing-events"));

    // ALM-007: the error-rate alarm fired three hours in and stayed two hours.
    let alm007 = control("ALM-007");
    let alarm = resource(&alm007, ":alarm:orders-api-error-rate").expect("the error-rate alarm");
    assert_eq!(alarm["verdict"], "FAIL", "{alm007}");
    assert!(alarm["message"].as_str().unwrap().contains("3 h after the cutover, and stayed 2 h 0 min"), "{alarm}");
    // ALM-006: the latency alarm was blind for 26 hours on day two, though OK now.
    let alm006 = control("ALM-006");
    let latency = resource(&alm006, ":alarm:orders-api-p95-latency").expect("the latency alarm");
    assert!(latency["message"].as_str().unwrap().contains("was in INSUFFICIENT_DATA for 26 h 0 min"), "{latency}");
}

#[test]
fn denied_metric_data_leaves_the_slo_unknown_never_green() {
    let Some(emu) = Emulator::start() else { return };
    emu.seed(REGION, "varied", &[]);
    emu.deny(&["metrics"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snap.json");
    let out = emu.collect(&path, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let snapshot = read_json(&path);
    let status = |service: &str| entry(&snapshot["collectors"], "service", service).clone();
    assert_eq!(status("metrics")["status"], "access_denied");
    assert_eq!(status("metrics")["operation"], "GetMetricData");
    assert_eq!(status("cloudwatch")["status"], "ok", "the alarms are still read");
    let out = jalon(&["check", "--snapshot", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "other controls fail in the varied account");
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    for id in ["OPS-003", "ALM-007"] {
        let c = entry(&result["controls"], "id", id);
        assert_eq!(c["verdict"], "UNKNOWN", "{c}");
        assert!(c["note"].as_str().unwrap().contains("metrics in eu-west-3: access denied on GetMetricData"), "{c}");
    }
    emu.deny(&[]);
}

#[test]
fn many_functions_take_500_queries_and_100800_points_a_call() {
    let Some(emu) = Emulator::start() else { return };
    // 130 functions: 520 series queries (two calls' worth) over 7 days, some 1 million
    // data points (several pages).
    let manifest = emu.seed(REGION, "scale", &["--log-groups", "1", "--functions", "130", "--traffic-days", "7"]);
    emu.reset_requests();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snap.json");
    let out = emu.collect(&path, &["--metrics-since", &since(&manifest)]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let snapshot = read_json(&path);
    let window = &snapshot["metrics"]["windows"][0];
    assert_eq!(window["queries"], 130 * 8 + 1);
    assert!(window["datapoints"].as_u64().unwrap() > 4 * 100_800, "{window}");
    // The fewest any client could make, but for the last page of the first 500
    // queries: a call carries one set of queries, so each set ends its own page.
    let (calls, minimum) = (window["calls"].as_u64().unwrap(), window["minimum_calls"].as_u64().unwrap());
    assert!(minimum >= 9 && calls >= minimum && calls <= minimum + 1, "{window}");
    assert_eq!(snapshot["cost"]["api_calls"]["cloudwatch:GetMetricData"], window["calls"]);
    assert_eq!(snapshot["cost"]["api_calls"].as_object().unwrap(), &emu.requests());
    // Every function's every window, none lost between pages: the seeded traffic
    // runs through the whole window, 100 requests in each.
    let time = |field: &str| chrono::DateTime::parse_from_rfc3339(window[field].as_str().unwrap()).unwrap();
    let windows = (time("end") - time("start")).num_seconds() as u64 / 300;
    let functions = snapshot["metrics"]["functions"].as_array().unwrap();
    assert_eq!(functions.len(), 130);
    for f in functions {
        assert_eq!(f["series"]["at"].as_array().unwrap().len() as u64, windows, "{}", f["name"]);
        assert_eq!(f["current"]["requests"], 100 * windows, "{}", f["name"]);
    }
}

/// The first day of the scale scenario's traffic.
fn since(manifest: &Value) -> String {
    let start = manifest["metrics"]["start"].as_i64().unwrap();
    let day = chrono::DateTime::from_timestamp(start, 0).unwrap().date_naive() + chrono::Duration::days(1);
    day.to_string()
}
