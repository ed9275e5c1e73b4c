//! Fixes end to end: the commands jalon writes for hostile names reach `aws` as the
//! exact arguments intended, the ALM-001 command creates an alarm that ALM-001
//! passes, and every shipped control's fix and IaC snippet is well formed.

use std::path::{Path, PathBuf};
use std::process::Command;

use jalon::engine::PolicySet;
use jalon::pipeline::{self, Request, TeamFiles};
use jalon::render::{Format, Options, View};
use jalon::result::{CheckReport, Verdict};
use serde_json::{json, Value};

const REGION: &str = "eu-west-3";
const ACCOUNT: &str = "123456789012";
/// Shell metacharacters of every kind, and a line break.
const HOSTILE_FUNCTION: &str = "orders-a!b$(touch pwned)'y`touch pwned2`\"q\" z\nnext";
const HOSTILE_GROUP: &str = "/x/a!b$(touch pwned)'y`id` \"q\" ;z\nrm -rf /";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn demo() -> Value {
    let text = std::fs::read_to_string(repo().join("examples/demo-snapshot.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn function_arn(name: &str) -> String {
    format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}")
}

/// The demo snapshot with a function and a log group of hostile names, both failing
/// (no error-rate alarm, no active tracing; a 14-day retention).
fn hostile_snapshot() -> Value {
    let mut s = demo();
    let functions = s["lambda"]["functions"].as_array_mut().unwrap();
    let mut f = functions.iter().find(|f| f["name"] == "orders-api").unwrap().clone();
    f["name"] = HOSTILE_FUNCTION.into();
    f["arn"] = function_arn(HOSTILE_FUNCTION).into();
    f["aliases"] = json!([]);
    f["tracing_mode"] = "PassThrough".into();
    functions.push(f);
    functions.sort_by(|a, b| a["arn"].as_str().cmp(&b["arn"].as_str()));
    let groups = s["logs"]["log_groups"].as_array_mut().unwrap();
    let mut g = groups[0].clone();
    g["name"] = HOSTILE_GROUP.into();
    g["arn"] = format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{HOSTILE_GROUP}").into();
    g["retention_days"] = 14.into();
    groups.push(g);
    groups.sort_by(|a, b| a["arn"].as_str().cmp(&b["arn"].as_str()));
    s
}

fn judge(snapshot: &Value, dir: &Path) -> CheckReport {
    let path = dir.join("snapshot.json");
    std::fs::write(&path, serde_json::to_string_pretty(snapshot).unwrap()).unwrap();
    let files = TeamFiles { config: Some(repo().join("examples/jalon.toml")), ..TeamFiles::default() };
    pipeline::run(&Request::of_snapshot(&path, files)).unwrap().report
}

fn resource<'a>(report: &'a CheckReport, control: &str, id: &str) -> &'a jalon::result::ResourceResult {
    let c = report.controls.iter().find(|c| c.id == control).unwrap();
    c.resources.iter().find(|r| &*r.id == id).unwrap_or_else(|| panic!("{control}: no {id:?}"))
}

/// The words bash passes to `aws` for a command line, with these variables set.
fn bash_words(command: &str, variables: &[(&str, &str)]) -> Vec<String> {
    let script = format!("aws() {{ printf '%s\\0' aws \"$@\"; }}\n{command}\n");
    let out = Command::new("bash").arg("-c").arg(script).envs(variables.iter().copied()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    text.strip_suffix('\0').unwrap().split('\0').map(str::to_string).collect()
}

/// The value after `--option` in an argv.
fn option<'a>(argv: &'a [String], name: &str) -> &'a str {
    let i = argv.iter().position(|a| a == name).unwrap_or_else(|| panic!("no {name} in {argv:?}"));
    &argv[i + 1]
}

#[test]
fn the_alm_001_command_creates_an_alarm_that_alm_001_passes() {
    let dir = tempfile::tempdir().unwrap();
    let mut snapshot = hostile_snapshot();
    let report = judge(&snapshot, dir.path());
    let failing = resource(&report, "ALM-001", &function_arn(HOSTILE_FUNCTION));
    assert_eq!(failing.verdict, Verdict::Fail);
    let fix = failing.fix.as_ref().expect("ALM-001 has a fix for a function");
    assert_eq!(fix.commands.len(), 1);
    assert!(!fix.commands[0].contains("file://"), "the metric math is in the command: {}", fix.commands[0]);
    assert_eq!(fix.inputs[0].variable, "SNS_TOPIC_ARN_EU_WEST_3");

    // What bash hands to aws.
    let argv = bash_words(&fix.commands[0], &[("SNS_TOPIC_ARN_EU_WEST_3", "$SNS_TOPIC_ARN_EU_WEST_3")]);
    assert_eq!(&argv[..3], ["aws", "cloudwatch", "put-metric-alarm"]);
    assert_eq!(option(&argv, "--region"), REGION);
    assert_eq!(option(&argv, "--alarm-actions"), "$SNS_TOPIC_ARN_EU_WEST_3");
    let metrics: Value = serde_json::from_str(option(&argv, "--metrics")).expect("--metrics is JSON");
    for (query, metric) in [(0, "Errors"), (1, "Invocations")] {
        assert_eq!(metrics[query]["MetricStat"]["Metric"]["MetricName"], metric);
        assert_eq!(metrics[query]["MetricStat"]["Metric"]["Dimensions"][0]["Value"], HOSTILE_FUNCTION);
    }

    // The alarm the command describes, as the collector would record it.
    let mut alarm = snapshot["cloudwatch"]["metric_alarms"][0].clone();
    let name = option(&argv, "--alarm-name");
    assert_eq!(name, format!("{HOSTILE_FUNCTION}-error-rate"));
    alarm["name"] = name.into();
    alarm["arn"] = format!("arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{name}").into();
    alarm["description"] = option(&argv, "--alarm-description").into();
    alarm["threshold"] = option(&argv, "--threshold").parse::<f64>().unwrap().into();
    alarm["comparison_operator"] = option(&argv, "--comparison-operator").into();
    alarm["evaluation_periods"] = option(&argv, "--evaluation-periods").parse::<i64>().unwrap().into();
    alarm["datapoints_to_alarm"] = Value::Null;
    alarm["treat_missing_data"] = option(&argv, "--treat-missing-data").into();
    alarm["alarm_actions"] = json!([format!("arn:aws:sns:{REGION}:{ACCOUNT}:orders-alerts")]);
    alarm["metrics"] = metrics
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let stat = &q["MetricStat"];
            json!({
                "id": q["Id"], "expression": q.get("Expression").cloned().unwrap_or(Value::Null),
                "label": q.get("Label").cloned().unwrap_or(Value::Null), "return_data": q["ReturnData"],
                "period_seconds": null,
                "metric_stat": if stat.is_null() { Value::Null } else { json!({
                    "namespace": stat["Metric"]["Namespace"], "metric_name": stat["Metric"]["MetricName"],
                    "dimensions": stat["Metric"]["Dimensions"].as_array().unwrap().iter()
                        .map(|d| (d["Name"].as_str().unwrap().to_string(), d["Value"].clone()))
                        .collect::<serde_json::Map<_, _>>(),
                    "period_seconds": stat["Period"], "stat": stat["Stat"], "unit": null,
                })},
            })
        })
        .collect();
    let alarms = snapshot["cloudwatch"]["metric_alarms"].as_array_mut().unwrap();
    alarms.push(alarm);
    alarms.sort_by(|a, b| a["arn"].as_str().cmp(&b["arn"].as_str()));

    let report = judge(&snapshot, dir.path());
    let fixed = resource(&report, "ALM-001", &function_arn(HOSTILE_FUNCTION));
    assert_eq!(fixed.verdict, Verdict::Pass, "{}", fixed.message);
    assert!(fixed.fix.is_none());
}

/// A fake `aws` first on PATH: each call's arguments, NUL-separated, in a file of its own.
fn fake_aws(bin: &Path, calls: &Path) {
    std::fs::create_dir_all(bin).unwrap();
    let script = format!(
        "#!/usr/bin/env bash\nn=$(ls -1 {calls:?} | wc -l)\nprintf '%s\\0' \"$@\" > {calls:?}/call-$(printf %04d \"$n\")\n"
    );
    let path = bin.join("aws");
    std::fs::write(&path, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

fn recorded(calls: &Path) -> Vec<Vec<String>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(calls).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).unwrap();
            let text = String::from_utf8(bytes).unwrap();
            text.strip_suffix('\0').unwrap_or(&text).split('\0').map(str::to_string).collect()
        })
        .collect()
}

fn script_of(report: &CheckReport) -> String {
    let view = View { report, shown: &|_| true, options: Options::default() };
    let mut bytes = Vec::new();
    Format::Fix.write(&view, &mut bytes).unwrap();
    String::from_utf8(bytes).unwrap()
}

#[test]
fn the_fix_script_hands_aws_the_exact_arguments_for_hostile_names() {
    let dir = tempfile::tempdir().unwrap();
    let report = judge(&hostile_snapshot(), dir.path());
    let script = script_of(&report);
    let path = dir.path().join("jalon-fix.sh");
    std::fs::write(&path, &script).unwrap();
    let syntax = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    assert!(syntax.status.success(), "bash -n: {}", String::from_utf8_lossy(&syntax.stderr));

    // Every line is a comment, blank, one of the script's own, or an aws command: no
    // hostile text escaped its comment.
    let commands: Vec<&str> = script.lines().filter(|l| l.starts_with("aws ")).collect();
    for line in script.lines() {
        assert!(
            line.is_empty() || line.starts_with('#') || line.starts_with("aws ") || !line.contains("pwned"),
            "{line}"
        );
    }
    assert!(script.contains(&format!("# finding: no error-rate alarm: expected metric math 100 * Errors / Invocations on AWS/Lambda with FunctionName={}", HOSTILE_FUNCTION.replace('\n', "\\n"))), "{script}");

    let bin = dir.path().join("bin");
    let calls = dir.path().join("calls");
    std::fs::create_dir_all(&calls).unwrap();
    fake_aws(&bin, &calls);
    let path_var = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let run = |inputs: &[(String, String)]| {
        let work = dir.path().join("work");
        std::fs::create_dir_all(&work).unwrap();
        Command::new("bash")
            .arg(&path)
            .current_dir(&work)
            .env("PATH", &path_var)
            .envs(inputs.iter().cloned())
            .output()
            .unwrap()
    };

    // Without its inputs the script refuses to run: no call at all.
    let variables: Vec<String> = script
        .lines()
        .filter_map(|l| l.split_once("=\"${").map(|(v, _)| v.to_string()))
        .filter(|v| v.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
        .collect();
    assert!(variables.contains(&"SNS_TOPIC_ARN_EU_WEST_3".to_string()), "{variables:?}");
    let refused = run(&[]);
    assert_eq!(refused.status.code(), Some(2), "{}", String::from_utf8_lossy(&refused.stderr));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("set SNS_TOPIC_ARN_EU_WEST_3"));
    assert!(recorded(&calls).is_empty());

    // With them: one call per command, none of the names expanded or split.
    let inputs: Vec<(String, String)> =
        variables.iter().map(|v| (v.clone(), format!("value of {v} with 'quotes' $(and) `more`"))).collect();
    let ran = run(&inputs);
    assert!(ran.status.success(), "{}", String::from_utf8_lossy(&ran.stderr));
    let argvs = recorded(&calls);
    assert_eq!(argvs.len(), commands.len());
    assert!(!dir.path().join("work/pwned").exists() && !dir.path().join("work/pwned2").exists());

    let log_001: Vec<String> = [
        "logs",
        "put-retention-policy",
        "--region",
        REGION,
        "--log-group-name",
        HOSTILE_GROUP,
        "--retention-in-days",
        "30",
    ]
    .map(str::to_string)
    .to_vec();
    assert!(argvs.contains(&log_001), "{argvs:#?}");
    let trc_001: Vec<String> = [
        "lambda",
        "update-function-configuration",
        "--region",
        REGION,
        "--function-name",
        HOSTILE_FUNCTION,
        "--tracing-config",
        "Mode=Active",
    ]
    .map(str::to_string)
    .to_vec();
    assert!(argvs.contains(&trc_001), "{argvs:#?}");
    let alarm = argvs
        .iter()
        .find(|a| {
            a.get(1).is_some_and(|s| s == "put-metric-alarm") && a.contains(&format!("{HOSTILE_FUNCTION}-error-rate"))
        })
        .expect("the ALM-001 call");
    let topic = "value of SNS_TOPIC_ARN_EU_WEST_3 with 'quotes' $(and) `more`";
    assert_eq!(option(alarm, "--alarm-actions"), topic);
    let metrics: Value = serde_json::from_str(option(alarm, "--metrics")).unwrap();
    assert_eq!(metrics[0]["MetricStat"]["Metric"]["Dimensions"][0]["Value"], HOSTILE_FUNCTION);
}

#[test]
fn every_shipped_control_has_a_well_formed_fix_and_iac() {
    let policies = PolicySet::load(None).unwrap();
    // Controls judged on attestations alone, or whose remedy is a migration: words only.
    let words_only = ["DEP-003", "GDP-002", "GDP-006", "OPS-002", "OPS-003", "OPS-004", "OPS-006"];
    for meta in policies.controls.values() {
        if words_only.contains(&meta.id.as_str()) {
            assert!(meta.fix.is_empty(), "{}", meta.id);
        } else {
            assert!(!meta.fix.is_empty(), "{}: no fix in its METADATA", meta.id);
        }
        assert!(!meta.remediation.contains('{'), "{}: the remediation is words, no placeholder", meta.id);
        for variant in &meta.fix.variants {
            for template in &variant.commands {
                let words = shlex::split(&template.text).unwrap();
                assert_eq!(words[0], "aws", "{}", meta.id);
                // Regional services run in the resource's region, not the default one.
                let global = matches!(words[1].as_str(), "s3api" | "s3control");
                assert!(global || words.contains(&"--region".to_string()), "{}: {}", meta.id, template.text);
            }
        }
        for snippet in &meta.iac {
            let yaml: yaml_serde::Value = yaml_serde::from_str(&snippet.properties)
                .unwrap_or_else(|e| panic!("{} {}: {e}", meta.id, snippet.resource_type));
            assert!(yaml.as_mapping().is_some_and(|m| !m.is_empty()), "{}", meta.id);
        }
    }
}

#[test]
fn commands_follow_the_kind_of_resource() {
    let policies = PolicySet::load(None).unwrap();
    let facts_input = json!({
        "rds": {
            "instances": [
                {"arn": "arn:aws:rds:eu-west-3:1:db:writer", "engine": "aurora-postgresql", "instance_class": "db.r6g.large", "cluster_identifier": "orders", "region": "eu-west-3"},
                {"arn": "arn:aws:rds:eu-west-3:1:db:solo", "engine": "postgres", "instance_class": "db.t4g.micro", "cluster_identifier": null, "region": "eu-west-3"}
            ],
            "clusters": [{"arn": "arn:aws:rds:eu-west-3:1:cluster:orders", "identifier": "orders", "region": "eu-west-3", "engine": "aurora-postgresql"}]
        },
        "secretsmanager": {"secrets": [{"arn": "arn:aws:secretsmanager:eu-west-3:1:secret:rds!cluster-x-AbCdEf", "owning_service": "rds"}]}
    });
    let input = jalon::engine::Input::from_json(&facts_input.to_string()).unwrap();
    let facts = jalon::engine::fix::Facts::from_input(&input);
    let fix = |control: &str, id: &str| policies.controls[control].fix.fill(id, &facts);
    let words = |control: &str, id: &str| -> Vec<Vec<String>> {
        fix(control, id).unwrap().commands.iter().map(|c| shlex::split(c).unwrap()).collect()
    };
    let cluster = "arn:aws:rds:eu-west-3:1:cluster:orders";
    let solo = "arn:aws:rds:eu-west-3:1:db:solo";
    assert_eq!(words("DB-004", cluster)[0][..3], ["aws", "rds", "modify-db-cluster"]);
    assert_eq!(option(&words("DB-004", cluster)[0], "--db-cluster-identifier"), "orders");
    assert_eq!(words("DB-004", solo)[0][..3], ["aws", "rds", "modify-db-instance"]);
    assert_eq!(words("DB-005", cluster)[0][2], "modify-db-cluster");
    assert_eq!(words("DB-007", cluster)[0][2], "modify-db-cluster");
    assert_eq!(words("DB-008", cluster)[0][2], "modify-db-cluster");
    assert_eq!(words("GDP-004", cluster)[0][2], "modify-db-cluster-parameter-group");
    assert_eq!(words("GDP-004", solo)[0][2], "modify-db-parameter-group");
    // Aurora Multi-AZ: a reader in another AZ, with the cluster's engine and class.
    let reader = &words("DB-006", cluster)[0];
    assert_eq!(reader[2], "create-db-instance");
    assert_eq!(option(reader, "--engine"), "aurora-postgresql");
    assert_eq!(option(reader, "--db-instance-class"), "db.r6g.large");
    assert!(!reader.contains(&"--multi-az".to_string()));
    assert!(option(reader, "--availability-zone").starts_with("$READER_AVAILABILITY_ZONE_"));
    assert!(words("DB-006", solo)[0].contains(&"--multi-az".to_string()));
    // An RDS-managed secret: managed rotation, no rotation function.
    let managed = "arn:aws:secretsmanager:eu-west-3:1:secret:rds!cluster-x-AbCdEf";
    let rotate = &words("SEC-001", managed)[0];
    assert!(!rotate.contains(&"--rotation-lambda-arn".to_string()), "{rotate:?}");
    assert_eq!(option(rotate, "--secret-id"), managed);
    assert!(fix("SEC-001", managed).unwrap().commands[0]
        .contains("'arn:aws:secretsmanager:eu-west-3:1:secret:rds!cluster-x-AbCdEf'"));
    let own = "arn:aws:secretsmanager:eu-west-3:1:secret:app-AbCdEf";
    assert!(words("SEC-001", own)[0].contains(&"--rotation-lambda-arn".to_string()));
    let key = fix("SEC-004", managed).unwrap();
    assert!(key.commands.is_empty() && key.note.unwrap().contains("--master-user-secret-kms-key-id"));
    // A queue by its URL, built from the ARN.
    let queue = words("SQS-002", "arn:aws:sqs:eu-west-3:1:orders-jobs");
    assert_eq!(option(&queue[0], "--queue-url"), "https://sqs.eu-west-3.amazonaws.com/1/orders-jobs");
}

#[test]
fn commands_set_the_thresholds_of_the_team_s_config() {
    let dir = tempfile::tempdir().unwrap();
    let config = std::fs::read_to_string(repo().join("examples/jalon.toml")).unwrap();
    let mut config: toml::Table = toml::from_str(&config).unwrap();
    let thresholds = config.entry("thresholds").or_insert_with(|| toml::Value::Table(Default::default()));
    let thresholds = thresholds.as_table_mut().unwrap();
    thresholds.insert("log_retention_floor_days".into(), 45.into());
    thresholds.insert("error_rate_percent".into(), 1.5.into());
    thresholds.insert("latency_p95_ms".into(), 300.into());
    let path = dir.path().join("jalon.toml");
    std::fs::write(&path, toml::to_string(&config).unwrap()).unwrap();
    let files = TeamFiles { config: Some(path), ..TeamFiles::default() };
    let report =
        pipeline::run(&Request::of_snapshot(repo().join("examples/demo-snapshot.json"), files)).unwrap().report;
    let command = |control: &str| {
        let c = report.controls.iter().find(|c| c.id == control).unwrap();
        let r = c.resources.iter().find(|r| r.fix.is_some()).unwrap_or_else(|| panic!("{control}: no fix"));
        bash_words(&r.fix.as_ref().unwrap().commands[0], &[("SNS_TOPIC_ARN_EU_WEST_3", "arn:aws:sns:x")])
    };
    // 45 days is no period CloudWatch Logs accepts: the next one above it.
    assert_eq!(option(&command("LOG-001"), "--retention-in-days"), "60");
    let alm_001 = command("ALM-001");
    assert_eq!(option(&alm_001, "--threshold"), "1.5");
    assert_eq!(option(&alm_001, "--alarm-description"), "Error rate above 1.5 % for 5 minutes");
    assert_eq!(option(&command("ALM-002"), "--threshold"), "300");
}
