//! Synthetic accounts for benchmarks: deterministic snapshots of any size with a
//! realistic mix of resources, built as typed [`Snapshot`] values (so they are
//! valid by construction against the snapshot model).
//!
//! The account is made of "apps" across three regions. An app has a few Lambda
//! functions (each with its log group, an alias, invoke permissions, most with a
//! metric-math error-rate alarm, a p95 latency alarm and a Throttles alarm), an SNS
//! alerts topic with subscriptions, an X-Ray sampling rule, a secret, more log
//! groups (API Gateway, ECS, application logs), and every other app a PostgreSQL
//! database with its RDS-managed secret and saturation alarms. Settings vary with a
//! seeded generator (SplitMix64, no dependency), so some of everything passes and
//! some of everything fails, as in a real account: log retention never-expire or
//! too long, alarms missing or with a wrong threshold or without FILL, canaries
//! left half-way, deprecated runtimes, credential-looking variable names...
//!
//! `generate(n, seed)` returns a snapshot of at least `n` resources (counted by
//! [`resource_count`]), the same for the same arguments.

use std::collections::BTreeMap;

use crate::snapshot::*;

/// Resources counted in a snapshot: every entity with its own ARN (functions,
/// aliases, log groups, alarms, database instances and clusters, secrets, topics,
/// subscriptions, sampling rules, X-Ray groups, event source mappings, queues, trails,
/// keys, tables, caches, buckets, API stages and integrations, deployment groups,
/// AppConfig environments).
pub fn resource_count(s: &Snapshot) -> usize {
    s.lambda.functions.len()
        + s.lambda.functions.iter().map(|f| f.aliases.len()).sum::<usize>()
        + s.lambda.event_source_mappings.len()
        + s.logs.log_groups.len()
        + s.cloudwatch.metric_alarms.len()
        + s.cloudwatch.composite_alarms.len()
        + s.rds.instances.len()
        + s.rds.clusters.len()
        + s.secretsmanager.secrets.len()
        + s.sns.topics.len()
        + s.sns.subscriptions.len()
        + s.xray.sampling_rules.len()
        + s.xray.groups.len()
        + s.sqs.queues.len()
        + s.cloudtrail.trails.len()
        + s.kms.keys.len()
        + s.dynamodb.tables.len()
        + s.elasticache.replication_groups.len()
        + s.elasticache.serverless_caches.len()
        + s.s3.buckets.len()
        + s.apigateway.stages.len()
        + s.apigateway.integrations.len()
        + s.codedeploy.deployment_groups.len()
        + s.appconfig.environments.len()
}

/// Functions (and stages) with a week of 5-minute metric data: as many as a metric
/// benchmark collects, not every function of a 100k-resource account.
const MEASURED_FUNCTIONS: usize = 200;
const WEEK_WINDOWS: u32 = 7 * 288;

/// A week of traffic before the collection for the first functions, stages and
/// database instances, one in twenty with a few windows above the SLO; the alarm
/// history of one error-rate alarm in ten.
fn metric_data(s: &mut Snapshot, rng: &mut Rng) {
    let end = chrono::DateTime::parse_from_rfc3339(COLLECTED_AT).expect("a valid constant").with_timezone(&chrono::Utc);
    let start = end - chrono::Duration::days(7);
    let time = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    for region in &s.regions {
        s.metrics.windows.push(MetricWindow {
            region: region.clone(),
            start: time(start),
            end: time(end),
            baseline_start: Some(time(start - chrono::Duration::days(7))),
            period_seconds: 300,
            ..MetricWindow::default()
        });
    }
    let traffic = |arn: &str, name: &str, region: &str, rng: &mut Rng| {
        let peak = 50 + rng.below(2000);
        let breach = rng.chance(5).then(|| rng.below(u64::from(WEEK_WINDOWS) - 3) as u32);
        let mut series = Series::default();
        for at in 0..WEEK_WINDOWS {
            let requests = peak * (20 + u64::from(at % 288).min(288 - u64::from(at % 288))) / 164 + rng.below(10);
            let bad = breach.is_some_and(|b| (b..b + 3).contains(&at));
            let errors = if bad { requests / 20 } else { rng.below(requests / 500 + 1) };
            let p95 = if bad { 700.0 } else { 150.0 + rng.below(80) as f64 };
            series.push(at, requests, errors, 0, Some(p95));
        }
        let total = |series: &Series| Totals {
            requests: series.requests.iter().sum(),
            errors: series.errors.iter().sum(),
            throttles: 0,
            p95_ms: Some(190.0),
        };
        TrafficMetrics {
            arn: arn.to_string(),
            name: name.to_string(),
            region: region.to_string(),
            baseline: Some(total(&series)),
            current: total(&series),
            series,
        }
    };
    let functions: Vec<_> = s
        .lambda
        .functions
        .iter()
        .take(MEASURED_FUNCTIONS)
        .map(|f| (f.arn.clone(), f.name.clone(), f.region.clone()))
        .collect();
    for (arn, name, region) in functions {
        s.metrics.functions.push(traffic(&arn, &name, &region, rng));
    }
    let stages: Vec<_> = s
        .apigateway
        .stages
        .iter()
        .filter(|st| st.api_type != "WEBSOCKET")
        .take(MEASURED_FUNCTIONS / 10)
        .map(|st| (st.arn.clone(), st.name.clone(), st.region.clone()))
        .collect();
    for (arn, name, region) in stages {
        s.metrics.api_stages.push(traffic(&arn, &name, &region, rng));
    }
    for db in s.rds.instances.iter().take(MEASURED_FUNCTIONS / 10) {
        s.metrics.db_instances.push(DbMetrics {
            arn: db.arn.clone(),
            id: db.identifier.clone(),
            region: db.region.clone(),
            at: (0..WEEK_WINDOWS).collect(),
            cpu_percent: (0..WEEK_WINDOWS)
                .map(|_| {
                    // One window in a hundred up to 90 %, the rest at most 70 %.
                    let spread = if rng.chance(1) { 70 } else { 50 };
                    20.0 + rng.below(spread) as f64
                })
                .collect(),
        });
    }
    let error_rate_alarms: Vec<_> = s
        .cloudwatch
        .metric_alarms
        .iter()
        .filter(|a| !a.metrics.is_empty())
        .step_by(10)
        .map(|a| (a.name.clone(), a.region.clone()))
        .collect();
    for (name, region) in error_rate_alarms {
        let fired = start + chrono::Duration::minutes(rng.below(7 * 24 * 60 - 120) as i64);
        let back = fired + chrono::Duration::minutes(5 + rng.below(90) as i64);
        for (at, from, to) in [(fired, "OK", "ALARM"), (back, "ALARM", "OK")] {
            s.metrics.alarm_history.push(AlarmTransition {
                alarm_name: name.clone(),
                region: region.clone(),
                at: time(at),
                from: from.into(),
                to: to.into(),
            });
        }
    }
}

/// A small, fast, deterministic generator (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x6a09_e667_f3bc_c909)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// A hex id of `len` digits (resource ids, UUID parts).
    pub fn hex(&mut self, len: usize) -> String {
        let mut s = String::with_capacity(len);
        while s.len() < len {
            s.push_str(&format!("{:016x}", self.next_u64()));
        }
        s.truncate(len);
        s
    }

    pub fn uuid(&mut self) -> String {
        format!("{}-{}-{}-{}-{}", self.hex(8), self.hex(4), self.hex(4), self.hex(4), self.hex(12))
    }
}

pub const ACCOUNT: &str = "123456789012";
/// When the synthetic account is "collected"; the benchmark evaluates as of this time.
pub const COLLECTED_AT: &str = "2026-11-25T10:00:00Z";
/// Regions, most resources in the first: personal-data stores outside the EU fail GDP-002.
const REGIONS: &[(&str, u64)] = &[("eu-west-3", 70), ("eu-west-1", 25), ("us-east-1", 5)];

const RUNTIMES: &[&str] =
    &["python3.12", "python3.12", "nodejs20.x", "nodejs20.x", "java21", "python3.8", "nodejs16.x"];
const WORDS: &[&str] = &[
    "orders", "billing", "catalog", "search", "users", "payments", "shipping", "invoices", "reports", "auth", "media",
    "notify", "pricing", "stock", "checkout", "ledger",
];
const FUNCTION_ROLES: &[&str] = &["api", "worker", "consumer", "scheduler", "read", "write", "export", "webhook"];

struct Builder {
    rng: Rng,
    snapshot: Snapshot,
    app: usize,
}

/// A snapshot with at least `resources` resources (see [`resource_count`]).
pub fn generate(resources: usize, seed: u64) -> Snapshot {
    let mut b = Builder {
        rng: Rng::new(seed),
        snapshot: Snapshot {
            schema_version: SCHEMA_VERSION,
            tool: ToolInfo { name: "jalon".into(), version: env!("CARGO_PKG_VERSION").into() },
            account: Account { id: ACCOUNT.into(), caller_arn: format!("arn:aws:iam::{ACCOUNT}:user/jalon-bench") },
            regions: REGIONS.iter().map(|(r, _)| r.to_string()).collect(),
            collected_at: COLLECTED_AT.into(),
            ..Snapshot::default()
        },
        app: 0,
    };
    for (region, _) in REGIONS {
        b.region_basics(region);
    }
    // The account's audit trail, homed in the first region (AUD-001).
    let home = REGIONS[0].0;
    b.snapshot.cloudtrail.trails.push(Trail {
        arn: format!("arn:aws:cloudtrail:{home}:{ACCOUNT}:trail/org-audit"),
        name: "org-audit".into(),
        region: home.into(),
        home_region: home.into(),
        multi_region: true,
        organization_trail: false,
        log_file_validation: true,
        kms_key_id: None,
        s3_bucket_name: Some(format!("{ACCOUNT}-cloudtrail")),
        cloud_watch_logs_log_group_arn: None,
        logging: true,
        latest_delivery_error: None,
    });
    // Its bucket keeps the logs 400 days (AUD-002 wants a reason); the account leaves
    // Block Public Access off, so S3-001 judges every bucket on its own settings.
    b.snapshot.s3.buckets.push(Bucket {
        arn: format!("arn:aws:s3:::{ACCOUNT}-cloudtrail"),
        name: format!("{ACCOUNT}-cloudtrail"),
        region: home.into(),
        public_access_block: PublicAccessBlock::default(),
        encryption: "AES256".into(),
        kms_key_id: None,
        tls_only: true,
        versioning: "Disabled".into(),
        object_lock: false,
        object_lock_days: None,
        lifecycle_rules: vec![LifecycleRule {
            id: "audit-logs".into(),
            enabled: true,
            applies_to: "prefix AWSLogs/".into(),
            expiration_days: Some(400),
            expiration_date: None,
            noncurrent_expiration_days: None,
        }],
        tags: Tags::new(),
    });
    b.snapshot.s3.account_public_access_block = Some(PublicAccessBlock::default());
    let mut count = resource_count(&b.snapshot);
    while count < resources {
        count += b.app();
    }
    let mut rng = b.rng.clone();
    let mut snapshot = b.snapshot;
    metric_data(&mut snapshot, &mut rng);
    snapshot.collectors.push(CollectorStatus {
        service: Service::new("sts"),
        region: REGIONS[0].0.into(),
        status: CollectionStatus::Ok,
        operation: None,
        message: None,
    });
    for (region, _) in REGIONS {
        let regional = crate::collect::registry::regional().map(|(c, _)| c);
        for collector in regional.chain(crate::collect::registry::follow_ups().map(|(c, _)| c)) {
            snapshot.collectors.push(CollectorStatus {
                service: Service::new(collector.name),
                region: region.to_string(),
                status: CollectionStatus::Ok,
                operation: None,
                message: None,
            });
        }
    }
    snapshot.normalize();
    crate::collect::registry::sort_statuses(&mut snapshot.collectors);
    snapshot
}

fn tags(pairs: &[(&str, &str)]) -> Tags {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

impl Builder {
    fn region_basics(&mut self, region: &str) {
        let s = &mut self.snapshot;
        s.xray.sampling_rules.push(SamplingRule {
            arn: format!("arn:aws:xray:{region}:{ACCOUNT}:sampling-rule/Default"),
            name: "Default".into(),
            region: region.into(),
            priority: 10000,
            fixed_rate: 0.05,
            reservoir_size: 1,
            service_name: "*".into(),
            service_type: "*".into(),
            host: "*".into(),
            http_method: "*".into(),
            url_path: "*".into(),
            resource_arn: "*".into(),
        });
        s.xray.encryption_configs.push(XRayEncryption {
            region: region.into(),
            encryption_type: "NONE".into(),
            key_id: None,
            status: Some("ACTIVE".into()),
        });
        s.xray.groups.push(XRayGroup {
            arn: format!("arn:aws:xray:{region}:{ACCOUNT}:group/Default"),
            name: "Default".into(),
            region: region.into(),
            filter_expression: None,
            insights_enabled: false,
        });
    }

    fn region(&mut self) -> &'static str {
        let roll = self.rng.below(100);
        let mut acc = 0;
        for (region, weight) in REGIONS {
            acc += weight;
            if roll < acc {
                return region;
            }
        }
        REGIONS[0].0
    }

    /// An app's customer key, in the KMS section too (GDP-007): most rotate.
    fn kms_key(&mut self, region: &str) -> String {
        let key_id = self.rng.uuid();
        let arn = format!("arn:aws:kms:{region}:{ACCOUNT}:key/{key_id}");
        let rotation_enabled = Some(self.rng.chance(70));
        self.snapshot.kms.keys.push(KmsKey {
            arn: arn.clone(),
            key_id,
            region: region.into(),
            key_manager: "CUSTOMER".into(),
            key_state: "Enabled".into(),
            key_spec: "SYMMETRIC_DEFAULT".into(),
            origin: "AWS_KMS".into(),
            rotation_enabled,
            aliases: vec![format!("alias/app-{}", self.app)],
        });
        arn
    }

    /// One app; returns how many resources it added.
    fn app(&mut self) -> usize {
        let before = resource_count(&self.snapshot);
        self.app += 1;
        let app = format!("{}-{:05}", self.rng.pick(WORDS), self.app);
        let region = self.region();
        let personal = self.rng.chance(30);
        let prod = self.rng.chance(90);
        let env = if prod { "prod" } else { "staging" };
        let mut app_tags = tags(&[("app", &app), ("env", env)]);
        if personal {
            app_tags.insert("data-class".into(), "personal".into());
        } else if self.rng.chance(50) {
            app_tags.insert("data-class".into(), "internal".into());
        }
        let app_key = self.kms_key(region);

        // Alerts topic, subscriptions (mostly confirmed).
        let topic = format!("arn:aws:sns:{region}:{ACCOUNT}:{app}-alerts");
        self.snapshot.sns.topics.push(SnsTopic {
            arn: topic.clone(),
            name: format!("{app}-alerts"),
            region: region.into(),
        });
        let confirmed = !self.rng.chance(5);
        let sub_id = self.rng.uuid();
        self.snapshot.sns.subscriptions.push(SnsSubscription {
            arn: confirmed.then(|| format!("{topic}:{sub_id}")),
            topic_arn: topic.clone(),
            region: region.into(),
            protocol: "email".into(),
            endpoint: "o***@example.com".into(),
            confirmed,
        });
        if self.rng.chance(50) {
            let sub_id = self.rng.uuid();
            self.snapshot.sns.subscriptions.push(SnsSubscription {
                arn: Some(format!("{topic}:{sub_id}")),
                topic_arn: topic.clone(),
                region: region.into(),
                protocol: "https".into(),
                endpoint: "events.pagerduty.com".into(),
                confirmed: true,
            });
        }
        // Some alarms point at a topic that was deleted.
        let alarm_topic = if self.rng.chance(3) { format!("{topic}-old") } else { topic.clone() };

        // Functions.
        let functions = 2 + self.rng.below(5) as usize;
        for k in 0..functions {
            let role = FUNCTION_ROLES[k % FUNCTION_ROLES.len()];
            let name = format!("{app}-{role}");
            self.function(region, &name, role, &app_tags, &app_key, &alarm_topic, &topic);
        }

        // Other log groups: API Gateway, containers, application logs.
        let others = 16 + self.rng.below(9) as usize;
        for k in 0..others {
            let name = match k % 4 {
                0 => format!("API-Gateway-Execution-Logs_{}/prod-{k}", self.rng.hex(10)),
                1 => format!("/ecs/{app}/service-{k}"),
                2 => format!("/{app}/application-{k}"),
                _ => format!("/aws/vendedlogs/{app}/states-{k}"),
            };
            let own_tags = if self.rng.chance(70) { app_tags.clone() } else { Tags::new() };
            self.log_group(region, &name, own_tags, &app_key);
        }

        // Secrets.
        let secret_name = format!("{env}/{app}/api-key");
        self.secret(region, &secret_name, None, &app_tags, &app_key);

        // Every other app has a database, its managed secret, saturation alarms and logs.
        if self.app.is_multiple_of(2) {
            self.database(region, &app, &app_tags, &app_key, &alarm_topic);
        }

        // Every third app keeps state in a DynamoDB table, now and then replicated.
        if self.app % 3 == 1 {
            self.table(region, &app, &app_tags, &app_key);
        }

        // Every fourth app caches in Valkey or Redis: a replication group or, lately,
        // a serverless cache.
        if self.app % 4 == 2 {
            self.cache(region, &app, &app_tags, &app_key);
        }

        // The app's API in front of its api function, deployed as a canary.
        self.api(region, &app, &app_tags);
        self.deployment_group(region, &app, &app_tags);
        // Every fifth app has a kill switch in AppConfig, mostly on its error-rate alarm.
        if self.app.is_multiple_of(5) {
            let monitored = self.rng.chance(80);
            self.snapshot.appconfig.environments.push(AppConfigEnvironment {
                arn: format!("arn:aws:appconfig:{region}:{ACCOUNT}:application/{}/environment/prod", self.rng.hex(7)),
                name: format!("{app}-flags/prod"),
                region: region.into(),
                application: format!("{app}-flags"),
                state: "ReadyForDeployment".into(),
                monitor_alarm_arns: if monitored {
                    vec![format!("arn:aws:cloudwatch:{region}:{ACCOUNT}:alarm:{app}-api-error-rate")]
                } else {
                    Vec::new()
                },
            });
        }

        // Every other app keeps files in a bucket.
        if self.app % 2 == 1 {
            self.bucket(region, &format!("{app}-files"), &app_tags, &app_key);
        }

        // X-Ray sampling rule for the app (some sample far too much).
        let rate = if self.rng.chance(10) { 0.5 } else { 0.05 };
        self.snapshot.xray.sampling_rules.push(SamplingRule {
            arn: format!("arn:aws:xray:{region}:{ACCOUNT}:sampling-rule/{app}"),
            name: app.clone(),
            region: region.into(),
            priority: 100,
            fixed_rate: rate,
            reservoir_size: 1,
            service_name: format!("{app}-api"),
            service_type: "AWS::Lambda::Function".into(),
            host: "*".into(),
            http_method: "*".into(),
            url_path: "*".into(),
            resource_arn: "*".into(),
        });

        // Now and then a composite alarm over the app's alarms.
        if self.rng.chance(20) {
            self.snapshot.cloudwatch.composite_alarms.push(CompositeAlarm {
                arn: format!("arn:aws:cloudwatch:{region}:{ACCOUNT}:alarm:{app}-health"),
                name: format!("{app}-health"),
                region: region.into(),
                description: Some(format!("{app} unhealthy. Runbook: https://runbooks.example.com/{app}")),
                rule: Some(format!("ALARM(\"{app}-api-error-rate\") OR ALARM(\"{app}-api-p95-latency\")")),
                actions_enabled: true,
                alarm_actions: vec![alarm_topic.clone()],
                state_value: Some("OK".into()),
                state_updated_at: Some("2026-11-24T08:00:00Z".into()),
            });
        }
        resource_count(&self.snapshot) - before
    }

    #[allow(clippy::too_many_arguments)]
    fn function(
        &mut self,
        region: &str,
        name: &str,
        role: &str,
        app_tags: &Tags,
        app_key: &str,
        alarm_topic: &str,
        topic: &str,
    ) {
        let arn = format!("arn:aws:lambda:{region}:{ACCOUNT}:function:{name}");
        let rng = &mut self.rng;
        let mut env: Vec<String> = vec!["STAGE".into(), "LOG_LEVEL".into()];
        if rng.chance(40) {
            env.extend(["DB_HOST".into(), "DB_NAME".into(), "DB_SECRET_ARN".into()]);
        }
        if rng.chance(8) {
            env.push("API_KEY".into());
        }
        if rng.chance(5) {
            env.push("DB_PASSWORD".into());
        }
        if rng.chance(20) {
            env.push(format!("{}_TABLE", role.to_uppercase()));
        }
        env.sort();
        let mut f_tags = app_tags.clone();
        let mock = role == "read" && rng.chance(10);
        if mock {
            f_tags.insert("path".into(), "mock".into());
        }
        let logging = match rng.below(10) {
            0..=5 => Some(LambdaLogging {
                log_format: Some("JSON".into()),
                application_log_level: Some(if rng.chance(5) { "DEBUG" } else { "INFO" }.into()),
                system_log_level: Some("INFO".into()),
                log_group: Some(format!("/aws/lambda/{name}")),
            }),
            6..=8 => Some(LambdaLogging {
                log_format: Some("Text".into()),
                application_log_level: None,
                system_log_level: None,
                log_group: Some(format!("/aws/lambda/{name}")),
            }),
            _ => None,
        };
        let mut permissions = Vec::new();
        let mut async_invoked = false;
        match role {
            "api" | "read" | "write" => permissions.push(InvokePermission {
                sid: "apigateway-prod".into(),
                principal: "apigateway.amazonaws.com".into(),
                action: "lambda:InvokeFunction".into(),
                source_arn: Some(format!("arn:aws:execute-api:{region}:{ACCOUNT}:{}/prod/*", rng.hex(10))),
            }),
            "consumer" | "webhook" => {
                async_invoked = true;
                permissions.push(InvokePermission {
                    sid: "sns-events".into(),
                    principal: "sns.amazonaws.com".into(),
                    action: "lambda:InvokeFunction".into(),
                    source_arn: Some(topic.replace("-alerts", "-events")),
                });
            }
            "scheduler" => {
                async_invoked = true;
                permissions.push(InvokePermission {
                    sid: "events-schedule".into(),
                    principal: "events.amazonaws.com".into(),
                    action: "lambda:InvokeFunction".into(),
                    source_arn: Some(format!("arn:aws:events:{region}:{ACCOUNT}:rule/{name}")),
                });
            }
            "export" => permissions.push(InvokePermission {
                sid: "s3-exports".into(),
                principal: "s3.amazonaws.com".into(),
                action: "lambda:InvokeFunction".into(),
                source_arn: Some(format!("arn:aws:s3:::{name}-bucket")),
            }),
            _ => {}
        }
        let dlq = (async_invoked && rng.chance(50)).then(|| format!("arn:aws:sqs:{region}:{ACCOUNT}:{name}-dlq"));
        let mut invoke_configs = Vec::new();
        if async_invoked && dlq.is_none() && rng.chance(60) {
            invoke_configs.push(EventInvokeConfig {
                function_arn: format!("{arn}:$LATEST"),
                on_failure_destination: Some(format!("arn:aws:sqs:{region}:{ACCOUNT}:{name}-failures")),
                on_success_destination: None,
                maximum_retry_attempts: Some(2),
                maximum_event_age_seconds: Some(3600),
            });
        }
        let mut aliases = Vec::new();
        if rng.chance(92) {
            let mut weights = BTreeMap::new();
            let version = 2 + rng.below(40);
            if rng.chance(4) {
                weights.insert((version + 1).to_string(), 0.1);
            }
            let latest = rng.chance(3);
            aliases.push(LambdaAlias {
                arn: format!("{arn}:live"),
                name: "live".into(),
                function_version: if latest { "$LATEST".into() } else { version.to_string() },
                additional_version_weights: weights,
            });
        }
        let kms = rng.chance(60).then(|| app_key.to_string());
        let function = LambdaFunction {
            arn: arn.clone(),
            name: name.into(),
            region: region.into(),
            runtime: Some(rng.pick(RUNTIMES).to_string()),
            package_type: Some("Zip".into()),
            timeout_seconds: Some(if role == "api" { 10 } else { 60 }),
            memory_mb: Some(*rng.pick(&[256, 512, 1024, 2048])),
            tracing_mode: Some(if rng.chance(75) { "Active" } else { "PassThrough" }.into()),
            kms_key_arn: kms,
            environment_variable_names: env,
            dead_letter_target_arn: dlq,
            logging,
            last_modified: Some("2026-11-20T12:00:00.000+0000".into()),
            tags: f_tags.clone(),
            event_invoke_configs: invoke_configs,
            aliases,
            reserved_concurrency: rng.chance(50).then(|| *rng.pick(&[10, 50, 100])),
            invoke_permissions: permissions,
        };
        let has_db_env = function.environment_variable_names.iter().any(|n| n == "DB_HOST");
        self.snapshot.lambda.functions.push(function);

        // An SQS consumer reads through an event source mapping.
        if role == "consumer" && self.rng.chance(50) {
            let qualifier = if self.rng.chance(80) { ":live" } else { "" };
            let uuid = self.rng.uuid();
            self.snapshot.lambda.event_source_mappings.push(EventSourceMapping {
                uuid,
                region: region.into(),
                function_arn: format!("{arn}{qualifier}"),
                event_source_arn: Some(format!("arn:aws:sqs:{region}:{ACCOUNT}:{name}-queue")),
                state: Some("Enabled".into()),
                on_failure_destination: None,
                batch_size: Some(*self.rng.pick(&[1, 10, 10])),
                maximum_retry_attempts: None,
                maximum_record_age_seconds: None,
                bisect_batch_on_function_error: None,
                function_response_types: if self.rng.chance(60) {
                    vec!["ReportBatchItemFailures".into()]
                } else {
                    Vec::new()
                },
            });
            self.consumed_queue(region, name, &f_tags, alarm_topic);
        }

        // Its log group.
        let lg_tags = if self.rng.chance(60) { f_tags } else { Tags::new() };
        self.log_group(region, &format!("/aws/lambda/{name}"), lg_tags, app_key);

        // Alarms: error rate (most), p95 latency (most), throttles (half).
        if self.rng.chance(90) {
            self.error_rate_alarm(region, name, alarm_topic);
        } else if self.rng.chance(50) {
            // Only a plain Errors > 0 alarm.
            let a = self.plain_alarm(
                region,
                &format!("{name}-errors"),
                "AWS/Lambda",
                "Errors",
                "FunctionName",
                name,
                alarm_topic,
            );
            self.snapshot.cloudwatch.metric_alarms.push(MetricAlarm { threshold: Some(0.0), ..a });
        }
        if self.rng.chance(85) {
            let mut a = self.plain_alarm(
                region,
                &format!("{name}-p95-latency"),
                "AWS/Lambda",
                "Duration",
                "FunctionName",
                name,
                alarm_topic,
            );
            a.statistic = None;
            a.extended_statistic = Some(if self.rng.chance(90) { "p95" } else { "p99" }.into());
            a.threshold = Some(if self.rng.chance(90) { 500.0 } else { 2000.0 });
            self.snapshot.cloudwatch.metric_alarms.push(a);
        }
        if self.rng.chance(50) || has_db_env {
            let a = self.plain_alarm(
                region,
                &format!("{name}-throttles"),
                "AWS/Lambda",
                "Throttles",
                "FunctionName",
                name,
                alarm_topic,
            );
            self.snapshot.cloudwatch.metric_alarms.push(MetricAlarm { threshold: Some(0.0), ..a });
        }
    }

    fn log_group(&mut self, region: &str, name: &str, tags: Tags, app_key: &str) {
        let retention =
            *self.rng.pick(&[None, Some(7), Some(14), Some(30), Some(30), Some(90), Some(90), Some(365), Some(3653)]);
        let kms = self.rng.chance(40).then(|| app_key.to_string());
        let class = if self.rng.chance(10) { "INFREQUENT_ACCESS" } else { "STANDARD" };
        let bytes = (self.rng.below(1 << 30)) as i64;
        self.snapshot.logs.log_groups.push(LogGroup {
            arn: format!("arn:aws:logs:{region}:{ACCOUNT}:log-group:{name}"),
            name: name.into(),
            region: region.into(),
            retention_days: retention,
            kms_key_id: kms,
            data_protection_status: None,
            log_group_class: Some(class.into()),
            stored_bytes: Some(bytes),
            creation_time: Some("2026-10-01T09:00:00Z".into()),
            tags,
        });
    }

    /// A table: mostly recoverable and protected, its items expiring by TTL when it
    /// holds personal data; some replicated, a few of them outside the EU.
    fn table(&mut self, region: &str, app: &str, app_tags: &Tags, key: &str) {
        let rng = &mut self.rng;
        let name = format!("{app}-state");
        let replica_regions = match rng.below(10) {
            0 => vec!["us-east-1".to_string()],
            1 | 2 => vec![if region == "eu-central-1" { "eu-west-1" } else { "eu-central-1" }.to_string()],
            _ => Vec::new(),
        };
        self.snapshot.dynamodb.tables.push(DynamoDbTable {
            arn: format!("arn:aws:dynamodb:{region}:{ACCOUNT}:table/{name}"),
            name,
            region: region.into(),
            status: "ACTIVE".into(),
            kms_key_arn: rng.chance(50).then(|| key.to_string()),
            point_in_time_recovery: !rng.chance(20),
            deletion_protection: !rng.chance(30),
            ttl_attribute: rng.chance(70).then(|| "expires_at".to_string()),
            replica_regions,
            tags: app_tags.clone(),
        });
    }

    /// A cache: mostly encrypted with RBAC or AUTH, failing over across AZs; a few
    /// legacy ones open.
    fn cache(&mut self, region: &str, app: &str, app_tags: &Tags, key: &str) {
        let rng = &mut self.rng;
        let name = format!("{app}-cache");
        if rng.chance(30) {
            self.snapshot.elasticache.serverless_caches.push(ServerlessCache {
                arn: format!("arn:aws:elasticache:{region}:{ACCOUNT}:serverlesscache:{name}"),
                name,
                region: region.into(),
                engine: "valkey".into(),
                status: "available".into(),
                kms_key_id: rng.chance(50).then(|| key.to_string()),
                user_group_id: (!rng.chance(20)).then(|| format!("{app}-users")),
                snapshot_retention_days: rng.below(8) as i64,
                tags: app_tags.clone(),
            });
            return;
        }
        let legacy = rng.chance(15);
        let failover = if rng.chance(25) { "disabled" } else { "enabled" };
        self.snapshot.elasticache.replication_groups.push(ReplicationGroup {
            arn: format!("arn:aws:elasticache:{region}:{ACCOUNT}:replicationgroup:{name}"),
            name,
            region: region.into(),
            engine: if legacy { "redis" } else { "valkey" }.into(),
            status: "available".into(),
            at_rest_encryption: !legacy,
            kms_key_id: (!legacy && rng.chance(40)).then(|| key.to_string()),
            transit_encryption: !legacy,
            transit_encryption_mode: (!legacy).then(|| if rng.chance(10) { "preferred" } else { "required" }.into()),
            auth_token_enabled: !legacy && rng.chance(50),
            user_group_ids: if legacy { Vec::new() } else { vec![format!("{app}-users")] },
            automatic_failover: failover.into(),
            multi_az: failover.into(),
            snapshot_retention_days: rng.below(8) as i64,
            tags: app_tags.clone(),
        });
    }

    /// A REST API (now and then an HTTP API) with a prod stage, mostly logged, traced
    /// and throttled, and the integration of the app's api function.
    fn api(&mut self, region: &str, app: &str, tags: &Tags) {
        let rng = &mut self.rng;
        let id = rng.hex(10);
        let http = rng.chance(25);
        let (kind, path, stage) = if http { ("HTTP", "apis", "$default") } else { ("REST", "restapis", "prod") };
        let api_arn = format!("arn:aws:apigateway:{region}::/{path}/{id}");
        let throttled = rng.chance(70);
        self.snapshot.apigateway.stages.push(ApiStage {
            arn: format!("{api_arn}/stages/{stage}"),
            name: format!("{app}/{stage}"),
            region: region.into(),
            api_id: id.clone(),
            api_type: kind.into(),
            access_log_destination: rng
                .chance(80)
                .then(|| format!("arn:aws:logs:{region}:{ACCOUNT}:log-group:/aws/apigateway/{app}")),
            tracing: !http && rng.chance(60),
            throttling_rate_limit: throttled.then_some(100.0),
            throttling_burst_limit: throttled.then_some(200),
            tags: tags.clone(),
        });
        self.snapshot.apigateway.integrations.push(ApiIntegration {
            arn: if http {
                format!("{api_arn}/integrations/{}", rng.hex(7))
            } else {
                format!("{api_arn}/resources/{}/methods/ANY", rng.hex(6))
            },
            region: region.into(),
            api_id: id,
            api_name: app.into(),
            api_type: kind.into(),
            function_arn: format!("arn:aws:lambda:{region}:{ACCOUNT}:function:{app}-api"),
            qualifier: rng.chance(50).then(|| "live".to_string()),
            timeout_ms: if http {
                30_000
            } else if rng.chance(10) {
                5_000
            } else {
                29_000
            },
        });
    }

    /// The canary of the app's api function: mostly on its error-rate alarm, rolling back.
    fn deployment_group(&mut self, region: &str, app: &str, tags: &Tags) {
        let rng = &mut self.rng;
        let watched = rng.chance(80);
        let rollback = rng.chance(85);
        self.snapshot.codedeploy.deployment_groups.push(DeploymentGroup {
            arn: format!("arn:aws:codedeploy:{region}:{ACCOUNT}:deploymentgroup:{app}/{app}-api"),
            name: format!("{app}/{app}-api"),
            region: region.into(),
            application: app.into(),
            deployment_config: "CodeDeployDefault.LambdaCanary10Percent5Minutes".into(),
            alarms_enabled: watched,
            ignore_poll_alarm_failure: false,
            alarm_names: if watched { vec![format!("{app}-api-error-rate")] } else { Vec::new() },
            auto_rollback_enabled: true,
            auto_rollback_events: if rollback {
                vec!["DEPLOYMENT_FAILURE".into(), "DEPLOYMENT_STOP_ON_ALARM".into()]
            } else {
                vec!["DEPLOYMENT_FAILURE".into()]
            },
            tags: tags.clone(),
        });
    }

    /// A bucket: mostly blocked from the public, TLS only and expiring its objects.
    fn bucket(&mut self, region: &str, name: &str, tags: &Tags, key: &str) {
        let rng = &mut self.rng;
        let blocked = !rng.chance(10);
        let versioning = if rng.chance(40) { "Enabled" } else { "Disabled" };
        let rule = |rng: &mut Rng| LifecycleRule {
            id: "expire".into(),
            enabled: true,
            applies_to: if rng.chance(20) { "prefix tmp/".into() } else { String::new() },
            expiration_days: Some(30 + rng.below(365) as i64),
            expiration_date: None,
            noncurrent_expiration_days: rng.chance(70).then_some(30),
        };
        let lifecycle_rules = if rng.chance(75) { vec![rule(rng)] } else { Vec::new() };
        self.snapshot.s3.buckets.push(Bucket {
            arn: format!("arn:aws:s3:::{name}"),
            name: name.into(),
            region: region.into(),
            public_access_block: PublicAccessBlock {
                block_public_acls: blocked,
                ignore_public_acls: blocked,
                block_public_policy: blocked,
                restrict_public_buckets: blocked,
            },
            encryption: if rng.chance(50) { "aws:kms" } else { "AES256" }.into(),
            kms_key_id: None,
            tls_only: rng.chance(60),
            versioning: versioning.into(),
            object_lock: false,
            object_lock_days: None,
            lifecycle_rules,
            tags: tags.clone(),
        });
        if let Some(b) = self.snapshot.s3.buckets.last_mut() {
            if b.encryption == "aws:kms" {
                b.kms_key_id = Some(key.to_string());
            }
        }
    }

    /// The queue a consumer reads, usually with a dead-letter queue (SQS-001..003):
    /// some without redrive, some with too many receives or too short a visibility,
    /// half the dead-letter queues with an alarm on their first message.
    fn consumed_queue(&mut self, region: &str, function: &str, tags: &Tags, topic: &str) {
        let queue = |name: String, rng: &mut Rng| SqsQueue {
            arn: format!("arn:aws:sqs:{region}:{ACCOUNT}:{name}"),
            name,
            region: region.into(),
            fifo: false,
            visibility_timeout_seconds: *rng.pick(&[30, 180, 900]),
            message_retention_seconds: *rng.pick(&[345_600, 1_209_600]),
            kms_master_key_id: None,
            sqs_managed_sse: true,
            redrive: None,
            tags: tags.clone(),
        };
        let mut consumed = queue(format!("{function}-queue"), &mut self.rng);
        if self.rng.chance(80) {
            let dlq = queue(format!("{function}-dlq"), &mut self.rng);
            let max_receive_count = Some(*self.rng.pick(&[3, 5, 5, 20]));
            consumed.redrive = Some(Redrive { dead_letter_target_arn: dlq.arn.clone(), max_receive_count });
            if self.rng.chance(50) {
                let mut alarm = self.plain_alarm(
                    region,
                    &format!("{function}-dlq-visible"),
                    "AWS/SQS",
                    "ApproximateNumberOfMessagesVisible",
                    "QueueName",
                    &dlq.name,
                    topic,
                );
                alarm.threshold = Some(0.0);
                self.snapshot.cloudwatch.metric_alarms.push(alarm);
            }
            self.snapshot.sqs.queues.push(dlq);
        }
        self.snapshot.sqs.queues.push(consumed);
    }

    #[allow(clippy::too_many_arguments)]
    fn plain_alarm(
        &mut self,
        region: &str,
        name: &str,
        namespace: &str,
        metric: &str,
        dimension: &str,
        value: &str,
        topic: &str,
    ) -> MetricAlarm {
        let (state, since) = self.alarm_state();
        let described = self.rng.chance(85);
        MetricAlarm {
            arn: format!("arn:aws:cloudwatch:{region}:{ACCOUNT}:alarm:{name}"),
            name: name.into(),
            region: region.into(),
            description: described.then(|| format!("{name}. Runbook: https://runbooks.example.com/{value}")),
            namespace: Some(namespace.into()),
            metric_name: Some(metric.into()),
            dimensions: BTreeMap::from([(dimension.to_string(), value.to_string())]),
            statistic: Some("Sum".into()),
            extended_statistic: None,
            metrics: Vec::new(),
            threshold: Some(80.0),
            threshold_metric_id: None,
            comparison_operator: Some("GreaterThanThreshold".into()),
            period_seconds: Some(60),
            evaluation_periods: Some(5),
            datapoints_to_alarm: None,
            treat_missing_data: Some("notBreaching".into()),
            actions_enabled: !self.rng.chance(3),
            alarm_actions: vec![topic.to_string()],
            ok_actions: Vec::new(),
            insufficient_data_actions: Vec::new(),
            state_value: Some(state.into()),
            state_updated_at: Some(since.into()),
            tags: Tags::new(),
        }
    }

    fn alarm_state(&mut self) -> (&'static str, &'static str) {
        match self.rng.below(100) {
            0..=84 => ("OK", "2026-11-24T08:00:00Z"),
            85..=89 => ("ALARM", "2026-11-25T09:30:00Z"),
            90..=94 => ("INSUFFICIENT_DATA", "2026-11-25T09:00:00Z"),
            _ => ("INSUFFICIENT_DATA", "2026-11-18T09:00:00Z"),
        }
    }

    fn error_rate_alarm(&mut self, region: &str, function: &str, topic: &str) {
        let mut a = self.plain_alarm(region, &format!("{function}-error-rate"), "", "", "", "", topic);
        a.namespace = None;
        a.metric_name = None;
        a.dimensions = BTreeMap::new();
        a.statistic = None;
        a.period_seconds = None;
        a.description = a
            .description
            .map(|_| format!("{function} error rate above 2%. Runbook: https://runbooks.example.com/{function}"));
        a.threshold = Some(2.0);
        // Mostly the canonical form; other spellings and query ids, some defects.
        let (e, i, expression) = match self.rng.below(100) {
            0..=79 => ("err", "inv", "IF(inv > 0, 100 * FILL(err, 0) / inv, 0)".to_string()),
            80..=87 => ("errors", "invocations", "100 * FILL(errors, 0) / invocations".to_string()),
            88..=91 => ("fn_errors", "fn_calls", "IF(fn_calls > 0, 100*FILL(fn_errors,0)/fn_calls, 0)".to_string()),
            92..=95 => ("err", "inv", "100 * err / inv".to_string()),
            _ => {
                a.threshold = Some(5.0);
                ("err", "inv", "IF(inv > 0, 100 * FILL(err, 0) / inv, 0)".to_string())
            }
        };
        if self.rng.chance(2) {
            a.treat_missing_data = Some("breaching".into());
        }
        let stat = |id: &str, metric: &str| MetricQuery {
            id: id.into(),
            expression: None,
            label: None,
            return_data: Some(false),
            period_seconds: None,
            metric_stat: Some(MetricStat {
                namespace: Some("AWS/Lambda".into()),
                metric_name: Some(metric.into()),
                dimensions: BTreeMap::from([("FunctionName".to_string(), function.to_string())]),
                period_seconds: Some(60),
                stat: Some("Sum".into()),
                unit: None,
            }),
        };
        a.metrics = vec![
            stat(e, "Errors"),
            stat(i, "Invocations"),
            MetricQuery {
                id: "rate".into(),
                expression: Some(expression),
                label: Some("Error rate (%)".into()),
                return_data: Some(true),
                period_seconds: None,
                metric_stat: None,
            },
        ];
        self.snapshot.cloudwatch.metric_alarms.push(a);
    }

    fn secret(&mut self, region: &str, name: &str, owning_service: Option<&str>, tags: &Tags, key: &str) -> String {
        let arn = format!("arn:aws:secretsmanager:{region}:{ACCOUNT}:secret:{name}-{}", self.rng.hex(6));
        let rng = &mut self.rng;
        let managed = owning_service == Some("rds");
        let rotating = managed || rng.chance(60);
        let days = if managed { 7 } else { *rng.pick(&[7, 30, 30, 90]) };
        let failing = rotating && rng.chance(5);
        let last = if failing { "2026-09-01T00:00:00Z" } else { "2026-11-20T00:00:00Z" };
        let mut tags = tags.clone();
        if managed {
            tags.insert("aws:secretsmanager:owningService".into(), "rds".into());
        }
        self.snapshot.secretsmanager.secrets.push(Secret {
            arn: arn.clone(),
            name: name.into(),
            region: region.into(),
            description: Some(format!("{name} credentials")),
            kms_key_id: rng.chance(50).then(|| key.to_string()),
            rotation_enabled: rotating,
            rotation_lambda_arn: (rotating && !managed)
                .then(|| format!("arn:aws:lambda:{region}:{ACCOUNT}:function:SecretsManagerRotation")),
            rotation_every_days: rotating.then_some(days),
            rotation_schedule_expression: rotating.then(|| format!("rate({days} days)")),
            last_rotated_at: rotating.then(|| last.to_string()),
            next_rotation_at: rotating.then(|| "2026-11-27T00:00:00Z".to_string()),
            last_changed_at: Some("2026-11-20T00:00:00Z".into()),
            created_at: Some("2026-06-01T00:00:00Z".into()),
            owning_service: owning_service.map(str::to_string),
            tags,
        });
        arn
    }

    fn database(&mut self, region: &str, app: &str, app_tags: &Tags, key: &str, topic: &str) {
        let id = format!("{app}-db");
        let arn = format!("arn:aws:rds:{region}:{ACCOUNT}:db:{id}");
        let managed = self.rng.chance(60);
        let secret = managed.then(|| {
            let name = format!("rds!db-{}", self.rng.uuid());
            self.secret(region, &name, Some("rds"), &tags(&[("aws:rds:primaryDBInstanceArn", &arn)]), key)
        });
        let rng = &mut self.rng;
        let group = if rng.chance(70) { format!("{app}-pg16") } else { "default.postgres16".into() };
        if !group.starts_with("default.") {
            let ssl = if rng.chance(85) { "1" } else { "0" };
            self.snapshot.rds.parameter_groups.push(DbParameterGroup {
                name: group.clone(),
                region: region.into(),
                cluster: false,
                parameters: BTreeMap::from([("rds.force_ssl".to_string(), ssl.to_string())]),
            });
        }
        let mut db_tags = app_tags.clone();
        if rng.chance(10) {
            db_tags.remove("data-class");
        }
        let pi = rng.chance(80);
        let instance = DbInstance {
            arn: arn.clone(),
            identifier: id.clone(),
            region: region.into(),
            engine: "postgres".into(),
            engine_version: Some("16.3".into()),
            instance_class: Some("db.r6g.large".into()),
            cluster_identifier: None,
            storage_encrypted: rng.chance(95),
            kms_key_id: Some(key.into()),
            performance_insights_enabled: pi,
            performance_insights_retention_days: pi.then_some(*rng.pick(&[7, 7, 731])),
            backup_retention_days: *rng.pick(&[0, 7, 7, 14, 35]),
            deletion_protection: rng.chance(85),
            multi_az: rng.chance(70),
            publicly_accessible: rng.chance(3),
            iam_auth_enabled: rng.chance(30),
            master_user_secret_arn: secret,
            cloudwatch_logs_exports: if rng.chance(70) { vec!["postgresql".into()] } else { Vec::new() },
            parameter_groups: vec![group],
            read_replica_source: None,
            tags: db_tags,
        };
        self.snapshot.rds.instances.push(instance);
        self.log_group(region, &format!("/aws/rds/instance/{id}/postgresql"), app_tags.clone(), key);
        for metric in ["CPUUtilization", "FreeStorageSpace", "DatabaseConnections"] {
            if self.rng.chance(80) {
                let a = self.plain_alarm(
                    region,
                    &format!("{id}-{}", metric.to_lowercase()),
                    "AWS/RDS",
                    metric,
                    "DBInstanceIdentifier",
                    &id,
                    topic,
                );
                self.snapshot.cloudwatch.metric_alarms.push(MetricAlarm { statistic: Some("Average".into()), ..a });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_valid_and_at_least_the_size_asked() {
        let a = generate(1000, 7);
        let b = generate(1000, 7);
        assert_eq!(a, b);
        assert!(resource_count(&a) >= 1000);
        assert!(resource_count(&a) < 1100, "{}", resource_count(&a));
        assert_ne!(generate(1000, 8), a);
        // Valid against the model: the JSON form reads back as the same snapshot.
        let text = to_json(&a);
        assert_eq!(parse(&text).unwrap(), a);
        // A realistic mix: every section has something.
        assert!(a.lambda.functions.len() > 50);
        assert!(a.logs.log_groups.len() > a.lambda.functions.len());
        assert!(!a.rds.instances.is_empty() && !a.secretsmanager.secrets.is_empty());
        assert!(!a.sns.subscriptions.is_empty() && a.xray.sampling_rules.len() > 3);
        assert!(a.cloudwatch.metric_alarms.iter().any(|m| !m.metrics.is_empty()));
        assert!(a.cloudwatch.metric_alarms.iter().any(|m| m.extended_statistic.is_some()));
    }
}
