//! `--rate-limit`: validated on the command line, and applied without losing a call.
//! (That it spaces calls per service and region is proven with tokio's paused clock
//! in src/collect/mod.rs: no wall-clock assertion here.)

mod common;

use common::{jalon, read_json, stderr, Emulator};
use serde_json::Value;

#[test]
fn a_bad_rate_limit_is_a_usage_error() {
    for bad in ["-1", "-0.5", "NaN", "inf", "-inf", "fast", "0.001", "1e-300"] {
        for command in ["collect", "check"] {
            let flag = format!("--rate-limit={bad}");
            let out = jalon(&[command, &flag, "--endpoint-url", "http://127.0.0.1:9", "--region", "eu-west-3"]);
            assert_eq!(out.status.code(), Some(3), "{command} {flag}: {}", stderr(&out));
            assert!(stderr(&out).contains("--rate-limit"), "{command} {flag}: {}", stderr(&out));
        }
    }
}

#[test]
fn a_rate_limited_collection_makes_every_call_and_reads_the_same_account() {
    let Some(emu) = Emulator::start() else { return };
    emu.seed("eu-west-3", "varied", &[]);
    let dir = tempfile::tempdir().unwrap();
    let free = dir.path().join("free.json");
    assert_eq!(emu.collect(&free, &[]).status.code(), Some(0));

    emu.reset_requests();
    let limited = dir.path().join("limited.json");
    // 100 calls per second per service and region: the Lambda collector's ~40 calls
    // are spaced, the others barely; every call still happens, once.
    let out = emu.collect(&limited, &["--rate-limit", "100"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let snapshot = read_json(&limited);
    let strip = |mut v: Value| {
        v["collected_at"] = Value::Null;
        v["cost"] = Value::Null;
        v
    };
    assert_eq!(strip(snapshot.clone()), strip(read_json(&free)));
    assert_eq!(snapshot["cost"]["api_calls"].as_object().unwrap(), &emu.requests());
    assert_eq!(snapshot["cost"]["api_calls"], read_json(&free)["cost"]["api_calls"]);
    assert_eq!(snapshot["cost"]["retries"], 0);
}
