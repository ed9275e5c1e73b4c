//! `jalon collect` against the moto emulator: the snapshot holds exactly what was
//! seeded, a denied service is marked (not empty), the call counts are exact, and
//! secret values never reach a file.

mod common;

use std::collections::BTreeMap;

use common::{read_json, stderr, Emulator};
use serde_json::Value;

const REGION: &str = "eu-west-3";

/// The key a manifest entry and a snapshot entry share.
fn key_of(section: &str, list: &str, entry: &Value) -> String {
    let field = |f: &str| entry.get(f).and_then(Value::as_str).unwrap_or_default().to_string();
    match (section, list) {
        ("rds", "instances" | "clusters") => field("identifier"),
        ("lambda", "event_source_mappings") => field("uuid"),
        ("apigateway", "integrations") => field("arn"),
        ("kms", "keys") => field("key_id"),
        ("xray", "encryption_configs") => field("region"),
        ("sns", "subscriptions") => {
            format!("{}/{}/{}", field("topic_arn"), field("protocol"), field("endpoint"))
        }
        _ => field("name"),
    }
}

/// Every manifest field of every seeded resource equals the snapshot's, and each
/// list holds exactly the seeded resources.
fn assert_snapshot_holds_manifest(snapshot: &Value, manifest: &Value) {
    let mut checked = 0;
    let sections = [
        "lambda",
        "logs",
        "rds",
        "secretsmanager",
        "cloudwatch",
        "sns",
        "sqs",
        "dynamodb",
        "elasticache",
        "s3",
        "apigateway",
        "codedeploy",
        "appconfig",
        "cloudtrail",
        "kms",
        "xray",
    ];
    for section in sections {
        let Some(lists) = manifest[section].as_object() else {
            continue;
        };
        for (list, entries) in lists {
            let Some(entries) = entries.as_array() else {
                // A single setting (the account's Block Public Access): equal as a whole.
                assert_eq!(&snapshot[section][list], entries, "{section}.{list}");
                checked += 1;
                continue;
            };
            let collected: BTreeMap<String, &Value> = snapshot[section][list]
                .as_array()
                .unwrap_or_else(|| panic!("snapshot has no {section}.{list}"))
                .iter()
                .map(|e| (key_of(section, list, e), e))
                .collect();
            assert_eq!(collected.len(), entries.len(), "{section}.{list}: count differs");
            for entry in entries {
                let mut entry = entry.clone();
                if let (Some(raw), Some(protocol)) = (entry.get("_endpoint").cloned(), entry.get("protocol").cloned()) {
                    // The snapshot keeps e-mail addresses masked.
                    let masked = jalon::collect::mask_endpoint(protocol.as_str().unwrap(), raw.as_str().unwrap());
                    entry["endpoint"] = Value::String(masked);
                }
                let key = key_of(section, list, &entry);
                let got = collected.get(&key).unwrap_or_else(|| panic!("{section}.{list}: {key} not collected"));
                for (field, want) in entry.as_object().unwrap() {
                    if field.starts_with('_') {
                        continue;
                    }
                    assert_eq!(&got[field], want, "{section}.{list}[{key}].{field}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} fields compared");
}

#[test]
fn collect_varied_account_holds_exactly_what_was_seeded() {
    let Some(emu) = Emulator::start() else { return };
    let manifest = emu.seed(REGION, "varied", &[]);
    emu.reset_requests();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snap.json");
    let out = emu.collect(&path, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let snapshot = read_json(&path);

    assert_eq!(snapshot["schema_version"], 1);
    assert_eq!(snapshot["account"]["id"], manifest["account_id"]);
    assert_eq!(snapshot["regions"], serde_json::json!([REGION]));
    for status in snapshot["collectors"].as_array().unwrap() {
        assert_eq!(status["status"], "ok", "{status}");
    }
    assert_eq!(snapshot["collectors"].as_array().unwrap().len(), 19);
    assert_snapshot_holds_manifest(&snapshot, &manifest);
    // SQS lists URLs only: one attributes call per queue, no more; tags in bulk.
    let queues = manifest["sqs"]["queues"].as_array().unwrap().len();
    assert_eq!(snapshot["cost"]["api_calls"]["sqs:ListQueues"], 1);
    assert_eq!(snapshot["cost"]["api_calls"]["sqs:GetQueueAttributes"], queues);
    // DynamoDB lists names only: three describe calls per table, each for what a
    // control reads (encryption and replicas, point-in-time recovery, TTL).
    let tables = manifest["dynamodb"]["tables"].as_array().unwrap().len();
    assert_eq!(tables, 3);
    assert_eq!(snapshot["cost"]["api_calls"]["dynamodb:ListTables"], 1);
    for op in ["DescribeTable", "DescribeContinuousBackups", "DescribeTimeToLive"] {
        assert_eq!(snapshot["cost"]["api_calls"][format!("dynamodb:{op}")], tables, "{op}");
    }
    // ElastiCache: one list call each for groups and serverless caches, no more.
    assert_eq!(snapshot["cost"]["api_calls"]["elasticache:DescribeReplicationGroups"], 1);
    assert_eq!(snapshot["cost"]["api_calls"]["elasticache:DescribeServerlessCaches"], 1);
    // S3: the region's buckets in one list, six settings per bucket, the account's
    // Block Public Access once.
    let buckets = manifest["s3"]["buckets"].as_array().unwrap().len();
    assert_eq!(buckets, 5);
    assert_eq!(snapshot["cost"]["api_calls"]["s3:ListBuckets"], 1);
    for op in [
        "GetPublicAccessBlock",
        "GetBucketEncryption",
        "GetBucketPolicy",
        "GetBucketLifecycleConfiguration",
        "GetBucketVersioning",
        "GetObjectLockConfiguration",
    ] {
        assert_eq!(snapshot["cost"]["api_calls"][format!("s3:{op}")], buckets, "{op}");
    }
    assert_eq!(snapshot["cost"]["api_calls"]["s3control:GetPublicAccessBlock"], 1);
    // API Gateway: the lists, then per REST API its stages and resources (with their
    // methods), per HTTP API its stages and integrations.
    let calls = &snapshot["cost"]["api_calls"];
    assert_eq!((&calls["apigateway:GetRestApis"], &calls["apigatewayv2:GetApis"]), (&1.into(), &1.into()));
    assert_eq!((&calls["apigateway:GetStages"], &calls["apigateway:GetResources"]), (&2.into(), &2.into()));
    assert_eq!((&calls["apigatewayv2:GetStages"], &calls["apigatewayv2:GetIntegrations"]), (&1.into(), &1.into()));
    // CodeDeploy: the applications in one list and one batch (the EC2 one is dropped
    // there), then per Lambda application one list and one batch of its groups.
    for (op, n) in [
        ("ListApplications", 1),
        ("BatchGetApplications", 1),
        ("ListDeploymentGroups", 1),
        ("BatchGetDeploymentGroups", 1),
    ] {
        assert_eq!(calls[format!("codedeploy:{op}")], n, "{op}");
    }
    // AppConfig: the applications, then one list of environments (with their
    // monitors) per application.
    assert_eq!((&calls["appconfig:ListApplications"], &calls["appconfig:ListEnvironments"]), (&1.into(), &1.into()));
    // CloudTrail: one DescribeTrails, one GetTrailStatus per trail.
    assert_eq!(snapshot["cost"]["api_calls"]["cloudtrail:DescribeTrails"], 1);
    assert_eq!(snapshot["cost"]["api_calls"]["cloudtrail:GetTrailStatus"], 2);
    // KMS: one DescribeKey per key, the rotation only of the customer keys (the
    // AWS-managed key an encrypted database made rotates on its own).
    let keys = manifest["kms"]["keys"].as_array().unwrap();
    let customer = keys.iter().filter(|k| k["key_manager"] == "CUSTOMER").count();
    assert!(customer == 2 && keys.len() > customer, "{keys:?}");
    assert_eq!(snapshot["cost"]["api_calls"]["kms:DescribeKey"], keys.len());
    assert_eq!(snapshot["cost"]["api_calls"]["kms:GetKeyRotationStatus"], customer);
    // 260 log groups are read in pages of 50: more than one page, no more than needed.
    assert_eq!(snapshot["logs"]["log_groups"].as_array().unwrap().len(), 260);
    assert_eq!(snapshot["cost"]["api_calls"]["logs:DescribeLogGroups"], 6);

    // The snapshot's own cost record agrees with what the emulator served.
    let served = emu.requests();
    let recorded = snapshot["cost"]["api_calls"].as_object().unwrap();
    assert_eq!(recorded, &served, "recorded calls differ from the calls the emulator answered");
    assert_eq!(snapshot["cost"]["retries"], 0);

    // The file is deterministic: collecting again gives the same content.
    let again = dir.path().join("again.json");
    assert_eq!(emu.collect(&again, &[]).status.code(), Some(0));
    // The metric window ends at the collection: it (and the baseline before it, as
    // long) moves with the clock; what was read within it does not.
    let strip = |mut v: Value| {
        v["collected_at"] = Value::Null;
        v["cost"] = Value::Null;
        v["metrics"]["windows"] = Value::Null;
        for f in v["metrics"]["functions"].as_array_mut().unwrap() {
            f["baseline"] = Value::Null;
            f["series"] = Value::Null;
            f["current"] = Value::Null;
        }
        v
    };
    assert_eq!(strip(read_json(&again)), strip(snapshot));
}

#[test]
fn a_denied_service_is_marked_not_read_as_empty() {
    let Some(emu) = Emulator::start() else { return };
    emu.seed(REGION, "varied", &[]);
    emu.deny(&["rds", "logs"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snap.json");
    let out = emu.collect(&path, &[]);
    // Evidence incomplete: exit 2, and the reason on stderr.
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("rds in eu-west-3"), "{}", stderr(&out));
    let snapshot = read_json(&path);
    let status = |service: &str| {
        snapshot["collectors"].as_array().unwrap().iter().find(|c| c["service"] == service).cloned().unwrap()
    };
    assert_eq!(status("rds")["status"], "access_denied");
    assert_eq!(status("rds")["operation"], "DescribeDBInstances");
    assert_eq!(status("logs")["status"], "access_denied");
    assert_eq!(status("logs")["operation"], "DescribeLogGroups");
    assert_eq!(status("lambda")["status"], "ok");
    assert!(snapshot["rds"]["instances"].as_array().unwrap().is_empty());
    assert!(!snapshot["lambda"]["functions"].as_array().unwrap().is_empty());
}

#[test]
fn secret_and_environment_values_never_reach_a_written_file() {
    let Some(emu) = Emulator::start() else { return };
    let canary = "jalon-canary-7f3a9c1e";
    let manifest = emu.seed(REGION, "varied", &["--canary", canary]);
    assert_eq!(manifest["canary"], canary);
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("snap.json");
    let collect = emu.collect(&snap, &[]);
    assert_eq!(collect.status.code(), Some(0), "{}", stderr(&collect));
    let check = common::jalon(&[
        "check",
        "--snapshot",
        snap.to_str().unwrap(),
        "--format",
        "table,json",
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert!(matches!(check.status.code(), Some(0..=2)), "{}", stderr(&check));

    // The names of the variables are kept, never their values.
    let snapshot = read_json(&snap);
    let names: Vec<&Value> = snapshot["lambda"]["functions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["environment_variable_names"].as_array().unwrap())
        .collect();
    assert!(!names.is_empty());

    let mut files = 0;
    for entry in walk(dir.path()) {
        let bytes = std::fs::read(&entry).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains(canary), "the canary leaked into {}", entry.display());
        files += 1;
    }
    assert!(files >= 2, "expected the snapshot and the reports, found {files} files");
    for output in [&collect, &check] {
        assert!(!String::from_utf8_lossy(&output.stdout).contains(canary));
        assert!(!String::from_utf8_lossy(&output.stderr).contains(canary));
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn several_regions_go_into_one_snapshot() {
    let Some(emu) = Emulator::start() else { return };
    emu.seed(REGION, "demo", &[]);
    emu.seed("eu-west-1", "scale", &["--log-groups", "60", "--functions", "3"]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snap.json");
    let out = emu.collect(&path, &["--region", "eu-west-1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let snapshot = read_json(&path);
    assert_eq!(snapshot["regions"], serde_json::json!(["eu-west-1", REGION]));
    // One status per collector and region, plus STS once.
    assert_eq!(snapshot["collectors"].as_array().unwrap().len(), 37);
    let regions_of = |list: &Value| -> std::collections::BTreeSet<String> {
        list.as_array().unwrap().iter().map(|r| r["region"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(regions_of(&snapshot["logs"]["log_groups"]).len(), 2);
    assert_eq!(regions_of(&snapshot["lambda"]["functions"]).len(), 2);
    // Sorted by ARN, so two snapshots of the same account diff cleanly.
    let arns: Vec<&str> =
        snapshot["logs"]["log_groups"].as_array().unwrap().iter().map(|g| g["arn"].as_str().unwrap()).collect();
    let mut sorted = arns.clone();
    sorted.sort();
    assert_eq!(arns, sorted);
}

#[test]
fn check_without_a_snapshot_collects_the_live_account() {
    let Some(emu) = Emulator::start() else { return };
    emu.seed(REGION, "demo", &[]);
    emu.deny(&["xray"]);
    let out = common::jalon(&[
        "check",
        "--endpoint-url",
        &emu.endpoint,
        "--region",
        REGION,
        "--quiet",
        "--config",
        "examples/jalon.toml",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    let verdict =
        |id: &str| result["controls"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap()["verdict"].clone();
    assert_eq!(verdict("ALM-001"), "FAIL");
    assert_eq!(verdict("ALM-003"), "PASS");
    // X-Ray denied: its control is UNKNOWN, never PASS.
    assert_eq!(verdict("TRC-002"), "UNKNOWN");
    assert_eq!(result["incomplete_collectors"][0]["service"], "xray");
    assert_eq!(result["snapshot"]["account_id"], "123456789012");
}

#[test]
fn queues_and_mappings_are_judged_from_what_was_collected() {
    let Some((_, result)) = varied_account_judged() else { return };
    let control = |id: &str| control_of(&result, id);
    let queue = |name: &str| format!("arn:aws:sqs:{REGION}:123456789012:{name}");
    let verdicts = |id: &str| -> BTreeMap<String, String> {
        control(id)["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["id"].as_str().unwrap().to_string(), r["verdict"].as_str().unwrap().to_string()))
            .collect()
    };
    // orders-queue: redrive after 5 receives, 18 s = 6 x queue-consumer's 3 s.
    // payments-queue: no redrive, 30 s against payments-consumer's 30 s. The dead-letter
    // and destination queues nobody consumes are not in scope.
    let want = BTreeMap::from([(queue("orders-queue"), "PASS".to_string()), (queue("payments-queue"), "FAIL".into())]);
    assert_eq!(verdicts("SQS-001"), want);
    assert_eq!(verdicts("SQS-002"), want);
    let messages = control("SQS-002")["resources"].to_string();
    assert!(messages.contains("visibility timeout 30 s is below 6 x the timeout of payments-consumer (30 s) = 180 s"));
    assert!(control("SQS-001")["resources"].to_string().contains("consumed by payments-consumer without a redrive"));
    // Where failures land: orders-queue's dead-letter queue pages on one message;
    // orders-worker's dead-letter queue and billing-events' destination page nobody.
    let want = BTreeMap::from([
        (queue("billing-events-failures"), "FAIL".to_string()),
        (queue("orders-queue-dlq"), "PASS".into()),
        (queue("orders-worker-dlq"), "FAIL".into()),
    ]);
    assert_eq!(verdicts("SQS-003"), want);
    assert!(control("SQS-003")["resources"].to_string().contains("on-failure destination of billing-events"));
    // The mappings: queue-consumer reports item failures, payments-consumer does not.
    let lmb005 = control("LMB-005");
    let failing: Vec<&Value> =
        lmb005["resources"].as_array().unwrap().iter().filter(|r| r["verdict"] == "FAIL").collect();
    assert_eq!(lmb005["resources"].as_array().unwrap().len(), 2, "{lmb005}");
    assert_eq!(failing.len(), 1, "{lmb005}");
    assert!(failing[0]["message"]
        .as_str()
        .unwrap()
        .starts_with("payments-consumer reads payments-queue in batches of 10"));
    // The data key rotates, the secrets key does not.
    let rotation = control("GDP-007")["resources"].to_string();
    assert!(rotation.contains("(alias/jalon-secrets) does not rotate"), "{rotation}");
    assert_eq!(verdicts("GDP-007").values().filter(|v| *v == "PASS").count(), 1);
}

#[test]
fn a_multi_region_trail_is_read_once_whichever_regions_are_collected() {
    let Some(emu) = Emulator::start() else { return };
    emu.seed(REGION, "varied", &[]);
    let dir = tempfile::tempdir().unwrap();
    let trails_of = |regions: &[&str]| -> Vec<(String, String)> {
        let path = dir.path().join(format!("{}.json", regions.join("+")));
        let mut args = vec!["collect", "--endpoint-url", &emu.endpoint, "--quiet", "-o", path.to_str().unwrap()];
        for region in regions {
            args.extend(["--region", region]);
        }
        let out = common::jalon(&args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let snapshot = read_json(&path);
        snapshot["cloudtrail"]["trails"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["name"].as_str().unwrap().to_string(), t["region"].as_str().unwrap().to_string()))
            .collect()
    };
    let at = |name: &str, region: &str| (name.to_string(), region.to_string());
    // Its home region collected: read there, not again from eu-west-1 (where moto, like
    // AWS, shows it as a shadow trail). The regional trail stays in its region.
    assert_eq!(trails_of(&["eu-west-1", REGION]), vec![at("legacy-regional", REGION), at("org-audit", REGION)]);
    // Its home region not collected: read once, from the first collected region.
    assert_eq!(trails_of(&["eu-west-1", "us-east-1"]), vec![at("org-audit", "eu-west-1")]);
}

#[test]
fn tables_are_judged_from_what_was_collected() {
    let Some((_, result)) = varied_account_judged() else { return };
    let control = |id: &str| control_of(&result, id);
    let table = |name: &str| format!("arn:aws:dynamodb:{REGION}:123456789012:table/{name}");
    let verdict_of = |id: &str, name: &str| -> String {
        let c = control(id);
        let found = c["resources"].as_array().unwrap().iter().find(|r| r["id"] == table(name)).cloned();
        found.map_or_else(|| "not in scope".into(), |r| r["verdict"].as_str().unwrap().to_string())
    };
    // orders-store: recoverable, protected, in the EU; sessions: neither, replicated to
    // the US; feature-flags: protected but unclassified.
    assert_eq!(verdict_of("DDB-001", "orders-store"), "PASS");
    assert_eq!(verdict_of("DDB-001", "sessions"), "FAIL");
    assert_eq!(verdict_of("DDB-002", "sessions"), "FAIL");
    assert_eq!(verdict_of("DDB-002", "feature-flags"), "PASS");
    assert_eq!(verdict_of("GDP-002", "orders-store"), "PASS");
    assert_eq!(verdict_of("GDP-002", "sessions"), "FAIL");
    assert!(control("GDP-002")["resources"].to_string().contains("replicates personal data to us-east-1"));
    assert_eq!(verdict_of("GDP-003", "sessions"), "PASS");
    assert_eq!(verdict_of("GDP-003", "feature-flags"), "not in scope");
    assert_eq!(verdict_of("GDP-001", "feature-flags"), "FAIL");
    assert_eq!(verdict_of("GDP-001", "orders-store"), "PASS");
    // The AWS-managed aws/dynamodb key rotates on its own: GDP-007 does not judge it.
    let rotation = control("GDP-007")["resources"].to_string();
    assert!(!rotation.contains("aws/dynamodb"), "{rotation}");
}

#[test]
fn caches_are_judged_from_what_was_collected() {
    let Some((_, result)) = varied_account_judged() else { return };
    let control = |id: &str| control_of(&result, id);
    // Each ElastiCache resource's verdict, by name.
    let verdicts = |id: &str| -> BTreeMap<String, String> {
        control(id)["resources"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["id"].as_str().unwrap().starts_with("arn:aws:elasticache:"))
            .map(|r| {
                let name = r["id"].as_str().unwrap().rsplit(':').next().unwrap().to_string();
                (name, r["verdict"].as_str().unwrap().to_string())
            })
            .collect()
    };
    let of = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    };
    // Encrypted with RBAC; open in every way; TLS only preferred; serverless with and
    // without a user group. Memcached is not judged.
    let want = of(&[
        ("carts-cache", "PASS"),
        ("flags-cache", "FAIL"),
        ("legacy-cache", "FAIL"),
        ("rate-limits", "FAIL"),
        ("sessions-cache", "PASS"),
    ]);
    assert_eq!(verdicts("ECH-001"), want);
    let messages = control("ECH-001")["resources"].to_string();
    assert!(messages.contains("not encrypted at rest; not encrypted in transit"), "{messages}");
    assert!(messages.contains("mode is preferred"), "{messages}");
    let want = of(&[("legacy-cache", "FAIL"), ("rate-limits", "PASS"), ("sessions-cache", "PASS")]);
    assert_eq!(verdicts("ECH-002"), want);
    // In transit (GDP-004), the groups; at rest (GDP-003), the personal caches.
    let want = of(&[("legacy-cache", "FAIL"), ("rate-limits", "FAIL"), ("sessions-cache", "PASS")]);
    assert_eq!(verdicts("GDP-004"), want);
    let want = of(&[("carts-cache", "PASS"), ("legacy-cache", "FAIL"), ("sessions-cache", "PASS")]);
    assert_eq!(verdicts("GDP-003"), want);
    // Classified or not: the Memcached cache nobody tagged with a class.
    assert_eq!(verdicts("GDP-001")["pages-cache"], "FAIL");
    assert_eq!(verdicts("GDP-001")["flags-cache"], "PASS");
}

#[test]
fn buckets_are_judged_from_what_was_collected() {
    let Some((_, result)) = varied_account_judged() else { return };
    let control = |id: &str| control_of(&result, id);
    let verdict_of = |id: &str, resource: &str| -> String {
        let c = control(id);
        let found = c["resources"].as_array().unwrap().iter().find(|r| r["id"] == resource).cloned();
        found.map_or_else(|| "not in scope".into(), |r| r["verdict"].as_str().unwrap().to_string())
    };
    let bucket = |name: &str| format!("arn:aws:s3:::{name}");
    // The account leaves Block Public Access off: the account fails, and so does the
    // one bucket without its own; the others are covered by theirs.
    assert_eq!(verdict_of("S3-001", "s3-block-public-access:123456789012"), "FAIL");
    assert_eq!(verdict_of("S3-001", &bucket("jalon-uploads")), "FAIL");
    assert_eq!(verdict_of("S3-001", &bucket("jalon-exports")), "PASS");
    // TLS only: the policies that deny aws:SecureTransport false.
    assert_eq!(verdict_of("GDP-004", &bucket("jalon-exports")), "PASS");
    assert_eq!(verdict_of("GDP-004", &bucket("jalon-uploads")), "FAIL");
    // Expiry of personal data: every object and noncurrent versions, or only tmp/.
    assert_eq!(verdict_of("GDP-005", &bucket("jalon-exports")), "PASS");
    assert_eq!(verdict_of("GDP-005", &bucket("jalon-uploads")), "FAIL");
    let messages = control("GDP-005")["resources"].to_string();
    assert!(messages.contains("(only expire: prefix tmp/)"), "{messages}");
    assert!(messages.contains("versioning is suspended"), "{messages}");
    assert_eq!(verdict_of("GDP-005", &bucket("jalon-invoices")), "not in scope");
    // The trail's log bucket nobody classified; it keeps the logs a year (AUD-002),
    // the legacy trail's keeps them for ever.
    let trail_bucket = bucket("org-audit-logs-123456789012");
    assert_eq!(verdict_of("GDP-001", &trail_bucket), "FAIL");
    let trail = |name: &str| format!("arn:aws:cloudtrail:{REGION}:123456789012:trail/{name}");
    assert_eq!(verdict_of("AUD-002", &trail("org-audit")), "PASS");
    assert_eq!(verdict_of("AUD-002", &trail("legacy-regional")), "FAIL");
    assert!(control("AUD-002")["resources"].to_string().contains("keeps the logs for ever"));
}

#[test]
fn api_stages_and_integrations_are_judged_from_what_was_collected() {
    let Some((snapshot, result)) = varied_account_judged() else { return };
    let control = |id: &str| control_of(&result, id);
    // Stages by name: the hardened REST stage, the bare one, the HTTP stage (which
    // cannot trace, and is not asked to).
    let name_of: BTreeMap<String, String> = snapshot["apigateway"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["arn"].as_str().unwrap().to_string(), s["name"].as_str().unwrap().to_string()))
        .collect();
    let stages: BTreeMap<String, String> = control("API-001")["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (name_of[r["id"].as_str().unwrap()].clone(), r["verdict"].as_str().unwrap().to_string()))
        .collect();
    let want = BTreeMap::from([
        ("legacy-rest/prod".to_string(), "FAIL".to_string()),
        ("orders-rest/prod".into(), "PASS".into()),
        ("payments-http/$default".into(), "PASS".into()),
    ]);
    assert_eq!(stages, want);
    assert!(control("API-001")["resources"].to_string().contains("no access logging, no X-Ray tracing"));
    // Timeouts: orders-api 10 s < 29 s; orders-worker 30 s >= 29 s; payments-consumer
    // 30 s >= the HTTP integration's 5 s.
    let function = |name: &str| format!("arn:aws:lambda:{REGION}:123456789012:function:{name}");
    let verdicts: BTreeMap<String, String> = control("LMB-006")["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), r["verdict"].as_str().unwrap().to_string()))
        .collect();
    let want = BTreeMap::from([
        (function("orders-api"), "PASS".to_string()),
        (function("orders-worker"), "FAIL".into()),
        (function("payments-consumer"), "FAIL".into()),
    ]);
    assert_eq!(verdicts, want);
    let messages = control("LMB-006")["resources"].to_string();
    assert!(messages.contains("timeout 30 s is not below the 5 s integration timeout of HTTP API payments-http"));
}

#[test]
fn deployment_groups_are_judged_from_what_was_collected() {
    let Some((_, result)) = varied_account_judged() else { return };
    let dep004 = control_of(&result, "DEP-004");
    let group = |name: &str| format!("arn:aws:codedeploy:{REGION}:123456789012:deploymentgroup:orders/{name}");
    let verdicts: BTreeMap<String, String> = dep004["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap().to_string(), r["verdict"].as_str().unwrap().to_string()))
        .collect();
    let want =
        BTreeMap::from([(group("orders-api"), "PASS".to_string()), (group("orders-worker"), "FAIL".to_string())]);
    assert_eq!(verdicts, want);
    let messages = dep004["resources"].to_string();
    assert!(messages.contains("it watches no error-rate alarm; it does not roll back when an alarm stops it"));
    // The kill switch: orders-flags/prod rolls back on orders-api's error-rate alarm,
    // which the account shows; no attestation is needed.
    let dep003 = control_of(&result, "DEP-003");
    assert_eq!(dep003["verdict"], "PASS", "{dep003}");
    assert_eq!(dep003["resources"][0]["id"], "kill-switch:123456789012");
}

/// The varied account seeded, collected and checked (default configuration): its
/// snapshot and the JSON result. None when the emulator is not there (and CI unset).
fn varied_account_judged() -> Option<(Value, Value)> {
    let emu = Emulator::start()?;
    emu.seed(REGION, "varied", &[]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("snap.json");
    let out = emu.collect(&path, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let check = common::jalon(&["check", "--snapshot", path.to_str().unwrap(), "--format", "json"]);
    let result: Value = serde_json::from_slice(&check.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&check)));
    Some((read_json(&path), result))
}

/// One control of a JSON result.
fn control_of(result: &Value, id: &str) -> Value {
    let controls = result["controls"].as_array().expect("controls");
    controls.iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("no {id}")).clone()
}
