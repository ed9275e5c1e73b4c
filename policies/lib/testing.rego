# Test helpers: the default configuration (src/config.rs defaults, injected by the test
# runner), the evaluation date, and builders that return complete snapshot resources
# (every field of src/snapshot/model.rs present, Options as null) with overrides merged in.
#
#   f := t.function("api", {"tracing_mode": "Active"})
#   r := t.result(c.in_scope, c.deny)   # see any *_test.rego for the `run` pattern
package jalon.lib.testing

import rego.v1

# The account, region and time of every builder, injected by the test runner with the
# configuration below (src/engine/policy_tests.rs: one copy).
account := data.jalon.testing.account

region := data.jalon.testing.region

as_of := data.jalon.testing.as_of

as_of_ns := time.parse_rfc3339_ns(as_of)

# src/config.rs Config::default(), as the engine hands it to the policies: injected by the
# test runner (`jalon policies test`), so it is always the Rust defaults.
config := data.jalon.testing.config

# The default config with some values replaced (deep merge: objects merge, lists replace).
config_with(overrides) := object.union(config, overrides)

# A builder's resource: its complete base with the overrides merged in. An override
# naming a field the resource does not have makes the builder undefined, and the test
# fails, printing the field: a misspelt field would otherwise sit beside the real one,
# which keeps its default, and the test would prove nothing.
merged(base, overrides) := object.union(base, overrides) if {
	count(unknown_fields(base, overrides)) == 0
} else := null if {
	print("testing builder: no such field", unknown_fields(base, overrides), "in", object.keys(base))
	false
}

unknown_fields(base, overrides) := {k |
	fields := {f | some f, _ in base}
	some k, _ in overrides
	not k in fields
}

# A snapshot with every section present and empty, merged with `sections`.
snapshot(sections) := object.union(empty_snapshot, sections)

# Every section present and empty (src/snapshot/model.rs, as serialized), with this
# file's account, region and time: injected by the test runner like `config`.
empty_snapshot := data.jalon.testing.empty_snapshot

# The region of a builder's overrides, else the default region.
region_of(overrides) := object.get(overrides, "region", region)

# ---------------------------------------------------------------- Lambda

function_arn(name, r) := sprintf("arn:aws:lambda:%s:%s:function:%s", [r, account, name])

# A compliant-by-default production function: JSON logs at INFO, active tracing, an alias
# on a published version, customer KMS key, current runtime.
function(name, overrides) := merged(
	{
		"arn": function_arn(name, region_of(overrides)),
		"name": name,
		"region": region_of(overrides),
		"runtime": "python3.12",
		"package_type": "Zip",
		"timeout_seconds": 30,
		"memory_mb": 512,
		"tracing_mode": "Active",
		"kms_key_arn": sprintf("arn:aws:kms:%s:%s:key/1111-2222", [region_of(overrides), account]),
		"environment_variable_names": ["LOG_LEVEL"],
		"dead_letter_target_arn": null,
		"logging": {
			"log_format": "JSON",
			"application_log_level": "INFO",
			"system_log_level": "INFO",
			"log_group": null,
		},
		"last_modified": "2026-11-01T08:00:00Z",
		"tags": {},
		"event_invoke_configs": [],
		"aliases": [alias(name, "live", "3", region_of(overrides))],
		"reserved_concurrency": null,
		"invoke_permissions": [],
	},
	overrides,
)

alias(function_name, alias_name, version, r) := {
	"arn": sprintf("%s:%s", [function_arn(function_name, r), alias_name]),
	"name": alias_name,
	"function_version": version,
	"additional_version_weights": {},
}

permission(principal) := {
	"sid": sprintf("allow-%s", [principal]),
	"principal": principal,
	"action": "lambda:InvokeFunction",
	"source_arn": null,
}

event_invoke_config(function_name, qualifier, on_failure) := {
	"function_arn": sprintf("%s:%s", [function_arn(function_name, region), qualifier]),
	"on_failure_destination": on_failure,
	"on_success_destination": null,
	"maximum_retry_attempts": 2,
	"maximum_event_age_seconds": 3600,
}

event_source_mapping(uuid, target_arn) := {
	"uuid": uuid,
	"region": region,
	"function_arn": target_arn,
	"event_source_arn": sprintf("arn:aws:sqs:%s:%s:queue", [region, account]),
	"state": "Enabled",
	"on_failure_destination": null,
	"batch_size": 10,
	"maximum_retry_attempts": null,
	"maximum_record_age_seconds": null,
	"bisect_batch_on_function_error": null,
	"function_response_types": ["ReportBatchItemFailures"],
}

event_source_mapping_arn(uuid) := sprintf("arn:aws:lambda:%s:%s:event-source-mapping:%s", [region, account, uuid])

kinesis_stream_arn(name) := sprintf("arn:aws:kinesis:%s:%s:stream/%s", [region, account, name])

# ---------------------------------------------------------------- SQS

queue_arn(name) := sprintf("arn:aws:sqs:%s:%s:%s", [region, account, name])

# A queue with SSE-SQS, 30 s visibility and 4 days of retention, without redrive.
queue(name, overrides) := merged(
	{
		"arn": queue_arn(name),
		"name": name,
		"region": region,
		"fifo": false,
		"visibility_timeout_seconds": 30,
		"message_retention_seconds": 345600,
		"kms_master_key_id": null,
		"sqs_managed_sse": true,
		"redrive": null,
		"tags": {},
	},
	overrides,
)

redrive(dlq_name, max_receive) := {"dead_letter_target_arn": queue_arn(dlq_name), "max_receive_count": max_receive}

# ---------------------------------------------------------------- DynamoDB

table_arn(name, r) := sprintf("arn:aws:dynamodb:%s:%s:table/%s", [r, account, name])

table(name, overrides) := merged(
	{
		"arn": table_arn(name, region_of(overrides)),
		"name": name,
		"region": region_of(overrides),
		"status": "ACTIVE",
		"kms_key_arn": null,
		"point_in_time_recovery": true,
		"deletion_protection": true,
		"ttl_attribute": null,
		"replica_regions": [],
		"tags": {},
	},
	overrides,
)

# ---------------------------------------------------------------- ElastiCache

replication_group(name, overrides) := merged(
	{
		"arn": sprintf("arn:aws:elasticache:%s:%s:replicationgroup:%s", [region_of(overrides), account, name]),
		"name": name,
		"region": region_of(overrides),
		"engine": "valkey",
		"status": "available",
		"at_rest_encryption": true,
		"kms_key_id": null,
		"transit_encryption": true,
		"transit_encryption_mode": "required",
		"auth_token_enabled": false,
		"user_group_ids": ["app-users"],
		"automatic_failover": "enabled",
		"multi_az": "enabled",
		"snapshot_retention_days": 7,
		"tags": {},
	},
	overrides,
)

serverless_cache(name, overrides) := merged(
	{
		"arn": sprintf("arn:aws:elasticache:%s:%s:serverlesscache:%s", [region_of(overrides), account, name]),
		"name": name,
		"region": region_of(overrides),
		"engine": "valkey",
		"status": "available",
		"kms_key_id": null,
		"user_group_id": "app-users",
		"snapshot_retention_days": 1,
		"tags": {},
	},
	overrides,
)

# ---------------------------------------------------------------- S3

all_blocked := {"block_public_acls": true, "ignore_public_acls": true, "block_public_policy": true, "restrict_public_buckets": true}

none_blocked := {"block_public_acls": false, "ignore_public_acls": false, "block_public_policy": false, "restrict_public_buckets": false}

bucket(name, overrides) := merged(
	{
		"arn": sprintf("arn:aws:s3:::%s", [name]),
		"name": name,
		"region": region_of(overrides),
		"public_access_block": all_blocked,
		"encryption": "AES256",
		"kms_key_id": null,
		"tls_only": true,
		"versioning": "Disabled",
		"object_lock": false,
		"object_lock_days": null,
		"lifecycle_rules": [],
		"tags": {},
	},
	overrides,
)

# An enabled rule expiring every object after `days` (noncurrent versions too).
expiry_rule(days) := {
	"id": "expire",
	"enabled": true,
	"applies_to": "",
	"expiration_days": days,
	"expiration_date": null,
	"noncurrent_expiration_days": days,
}

# ---------------------------------------------------------------- API Gateway

# A REST API stage, logged, traced and throttled.
api_stage(api, stage, overrides) := merged(
	{
		"arn": sprintf("arn:aws:apigateway:%s::/restapis/%s/stages/%s", [region_of(overrides), api, stage]),
		"name": sprintf("%s/%s", [api, stage]),
		"region": region_of(overrides),
		"api_id": api,
		"api_type": "REST",
		"access_log_destination": sprintf("arn:aws:logs:%s:%s:log-group:/aws/apigateway/%s", [region_of(overrides), account, api]),
		"tracing": true,
		"throttling_rate_limit": 100,
		"throttling_burst_limit": 200,
		"tags": {},
	},
	overrides,
)

# A Lambda proxy integration of the named function, REST by default (29 s).
api_integration(api, function_name, overrides) := merged(
	{
		"arn": sprintf("arn:aws:apigateway:%s::/restapis/%s/resources/r1/methods/GET", [region, api]),
		"region": region,
		"api_id": api,
		"api_name": api,
		"api_type": "REST",
		"function_arn": function_arn(function_name, region),
		"qualifier": null,
		"timeout_ms": 29000,
	},
	overrides,
)

# ---------------------------------------------------------------- CodeDeploy

# A Lambda deployment group that stops on its function's error-rate alarm and rolls back.
deployment_group(app, group, overrides) := merged(
	{
		"arn": sprintf("arn:aws:codedeploy:%s:%s:deploymentgroup:%s/%s", [region, account, app, group]),
		"name": sprintf("%s/%s", [app, group]),
		"region": region,
		"application": app,
		"deployment_config": "CodeDeployDefault.LambdaCanary10Percent5Minutes",
		"alarms_enabled": true,
		"ignore_poll_alarm_failure": false,
		"alarm_names": [sprintf("%s-error-rate", [group])],
		"auto_rollback_enabled": true,
		"auto_rollback_events": ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"],
		"tags": {},
	},
	overrides,
)

# A mapping from the named queue to the named function.
consumes(uuid, function_name, queue_name) := object.union(
	event_source_mapping(uuid, function_arn(function_name, region)),
	{"event_source_arn": queue_arn(queue_name)},
)

# ---------------------------------------------------------------- CloudTrail

# A multi-region trail, logging, validated, encrypted, homed in the default region.
trail(name, overrides) := merged(
	{
		"arn": sprintf("arn:aws:cloudtrail:%s:%s:trail/%s", [region, account, name]),
		"name": name,
		"region": region,
		"home_region": region,
		"multi_region": true,
		"organization_trail": false,
		"log_file_validation": true,
		"kms_key_id": sprintf("arn:aws:kms:%s:%s:key/3333-4444", [region, account]),
		"s3_bucket_name": sprintf("%s-cloudtrail", [account]),
		"cloud_watch_logs_log_group_arn": null,
		"logging": true,
		"latest_delivery_error": null,
	},
	overrides,
)

# ---------------------------------------------------------------- KMS

# A customer-managed symmetric key, enabled, rotating.
kms_key(key_id, overrides) := merged(
	{
		"arn": sprintf("arn:aws:kms:%s:%s:key/%s", [region, account, key_id]),
		"key_id": key_id,
		"region": region,
		"key_manager": "CUSTOMER",
		"key_state": "Enabled",
		"key_spec": "SYMMETRIC_DEFAULT",
		"origin": "AWS_KMS",
		"rotation_enabled": true,
		"aliases": [],
	},
	overrides,
)

# ---------------------------------------------------------------- Logs

log_group(name, overrides) := merged(
	{
		"arn": sprintf("arn:aws:logs:%s:%s:log-group:%s", [region_of(overrides), account, name]),
		"name": name,
		"region": region_of(overrides),
		"retention_days": 90,
		"kms_key_id": null,
		"data_protection_status": null,
		"log_group_class": "STANDARD",
		"stored_bytes": 1024,
		"creation_time": "2026-10-01T00:00:00Z",
		"tags": {},
	},
	overrides,
)

# ---------------------------------------------------------------- metric data

# The window of `metrics.windows`: from `start` to the evaluation time, its baseline as
# long just before it.
metric_window(start, overrides) := merged(
	{
		"region": region_of(overrides),
		"start": start,
		"end": as_of,
		"baseline_start": time.format(time.parse_rfc3339_ns(start) - (as_of_ns - time.parse_rfc3339_ns(start))),
		"period_seconds": 300,
		"queries": 0,
		"datapoints": 0,
		"calls": 0,
		"minimum_calls": 0,
	},
	overrides,
)

# A series from [at, requests, errors, p95 ms] windows.
series(windows) := {
	"at": [w[0] | some w in windows],
	"requests": [w[1] | some w in windows],
	"errors": [w[2] | some w in windows],
	"throttles": [0 | some _ in windows],
	"p95_ms": [w[3] | some w in windows],
	"worst_error_rate_percent": max(array.concat([0], [rate | some w in windows; rate := (100 * w[2]) / w[1]])),
}

# A function's traffic in `metrics.functions`; the window totals are the windows' sums
# (p95 unknown), no baseline.
function_traffic(name, windows, overrides) := traffic(function_arn(name, region_of(overrides)), name, windows, overrides)

# A stage's traffic in `metrics.api_stages` (api_stage's ARN and name).
stage_traffic(api, stage, windows, overrides) := traffic(
	api_stage(api, stage, {"region": region_of(overrides)}).arn,
	sprintf("%s/%s", [api, stage]),
	windows,
	overrides,
)

traffic(arn, name, windows, overrides) := merged(
	{
		"arn": arn,
		"name": name,
		"region": region_of(overrides),
		"baseline": null,
		"current": {
			"requests": sum([w[1] | some w in windows]),
			"errors": sum([w[2] | some w in windows]),
			"throttles": 0,
			"p95_ms": null,
		},
		"series": series(windows),
	},
	overrides,
)

# An RDS instance's CPU in `metrics.db_instances`: [at, percent] windows.
db_cpu(identifier, windows) := {
	"arn": db_instance(identifier, {}).arn,
	"id": identifier,
	"region": region,
	"at": [w[0] | some w in windows],
	"cpu_percent": [w[1] | some w in windows],
}

# An alarm state change in `metrics.alarm_history`.
transition(alarm_name, at, from, to) := {"alarm_name": alarm_name, "region": region, "at": at, "from": from, "to": to}

# ---------------------------------------------------------------- RDS

# A compliant-by-default standalone PostgreSQL 16 instance.
db_instance(identifier, overrides) := merged(
	{
		"arn": sprintf("arn:aws:rds:%s:%s:db:%s", [region_of(overrides), account, identifier]),
		"identifier": identifier,
		"region": region_of(overrides),
		"engine": "postgres",
		"engine_version": "16.4",
		"instance_class": "db.r6g.large",
		"cluster_identifier": null,
		"storage_encrypted": true,
		"kms_key_id": sprintf("arn:aws:kms:%s:%s:key/db", [region_of(overrides), account]),
		"performance_insights_enabled": true,
		"performance_insights_retention_days": 7,
		"backup_retention_days": 7,
		"deletion_protection": true,
		"multi_az": true,
		"publicly_accessible": false,
		"iam_auth_enabled": false,
		"master_user_secret_arn": sprintf("arn:aws:secretsmanager:%s:%s:secret:rds!db-%s", [region_of(overrides), account, identifier]),
		"cloudwatch_logs_exports": ["postgresql"],
		"parameter_groups": ["default.postgres16"],
		"read_replica_source": null,
		"tags": {},
	},
	overrides,
)

# A compliant-by-default Aurora PostgreSQL cluster.
db_cluster(identifier, overrides) := merged(
	{
		"arn": sprintf("arn:aws:rds:%s:%s:cluster:%s", [region_of(overrides), account, identifier]),
		"identifier": identifier,
		"region": region_of(overrides),
		"engine": "aurora-postgresql",
		"engine_version": "16.4",
		"storage_encrypted": true,
		"kms_key_id": sprintf("arn:aws:kms:%s:%s:key/db", [region_of(overrides), account]),
		"performance_insights_enabled": false,
		"performance_insights_retention_days": null,
		"backup_retention_days": 7,
		"deletion_protection": true,
		"multi_az": true,
		"publicly_accessible": false,
		"iam_auth_enabled": true,
		"master_user_secret_arn": null,
		"cloudwatch_logs_exports": ["postgresql"],
		"parameter_group": "aurora-pg16-ssl",
		"members": [sprintf("%s-1", [identifier]), sprintf("%s-2", [identifier])],
		"tags": {},
	},
	overrides,
)

parameter_group(name, parameters) := {
	"name": name,
	"region": region,
	"family": "postgres16",
	"parameters": parameters,
}

# ---------------------------------------------------------------- Secrets Manager

secret(name, overrides) := merged(
	{
		"arn": sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-AbCdEf", [region_of(overrides), account, name]),
		"name": name,
		"region": region_of(overrides),
		"description": null,
		"kms_key_id": sprintf("arn:aws:kms:%s:%s:key/secrets", [region_of(overrides), account]),
		"rotation_enabled": true,
		"rotation_lambda_arn": null,
		"rotation_every_days": 30,
		"rotation_schedule_expression": null,
		"last_rotated_at": "2026-11-10T00:00:00Z",
		"next_rotation_at": "2026-12-10T00:00:00Z",
		"last_changed_at": "2026-11-10T00:00:00Z",
		"created_at": "2026-01-01T00:00:00Z",
		"owning_service": null,
		"tags": {},
	},
	overrides,
)

# ---------------------------------------------------------------- CloudWatch

alarm_arn(name, r) := sprintf("arn:aws:cloudwatch:%s:%s:alarm:%s", [r, account, name])

topic_arn(name) := sprintf("arn:aws:sns:%s:%s:%s", [region, account, name])

# A plain metric alarm (no metric math) that pages the "alerts" topic.
metric_alarm(name, overrides) := merged(
	{
		"arn": alarm_arn(name, region_of(overrides)),
		"name": name,
		"region": region_of(overrides),
		"description": "Runbook: https://runbooks.example.com/alarms",
		"namespace": null,
		"metric_name": null,
		"dimensions": {},
		"statistic": null,
		"extended_statistic": null,
		"metrics": [],
		"threshold": 1,
		"threshold_metric_id": null,
		"comparison_operator": "GreaterThanThreshold",
		"period_seconds": 60,
		"evaluation_periods": 5,
		"datapoints_to_alarm": null,
		"treat_missing_data": "notBreaching",
		"actions_enabled": true,
		"alarm_actions": [topic_arn("alerts")],
		"ok_actions": [],
		"insufficient_data_actions": [],
		"state_value": "OK",
		"state_updated_at": "2026-11-21T10:00:00Z",
		"tags": {},
	},
	overrides,
)

# A plain alarm on one metric.
metric_alarm_on(name, namespace, metric, dimensions, overrides) := metric_alarm(name, object.union(
	{"namespace": namespace, "metric_name": metric, "dimensions": dimensions, "statistic": "Sum"},
	overrides,
))

metric_stat_query(id, namespace, metric, dimensions, stat) := {
	"id": id,
	"expression": null,
	"label": null,
	"return_data": false,
	"period_seconds": null,
	"metric_stat": {
		"namespace": namespace,
		"metric_name": metric,
		"dimensions": dimensions,
		"period_seconds": 60,
		"stat": stat,
		"unit": null,
	},
}

expression_query(id, expression, return_data) := {
	"id": id,
	"expression": expression,
	"label": null,
	"return_data": return_data,
	"period_seconds": null,
	"metric_stat": null,
}

# The sound error-rate alarm: IF(inv > 0, 100 * FILL(err, 0) / inv, 0) > 2, 60 s x 5.
error_rate_alarm(function_name, overrides) := metric_alarm(sprintf("%s-error-rate", [function_name]), object.union(
	{
		"metrics": [
			metric_stat_query("err", "AWS/Lambda", "Errors", {"FunctionName": function_name}, "Sum"),
			metric_stat_query("inv", "AWS/Lambda", "Invocations", {"FunctionName": function_name}, "Sum"),
			expression_query("rate", "IF(inv > 0, 100 * FILL(err, 0) / inv, 0)", true),
		],
		"threshold": 2,
		"period_seconds": null,
	},
	overrides,
))

composite_alarm(name, overrides) := merged(
	{
		"arn": alarm_arn(name, region_of(overrides)),
		"name": name,
		"region": region_of(overrides),
		"description": "Runbook: https://runbooks.example.com/composite",
		"rule": "ALARM(a) OR ALARM(b)",
		"actions_enabled": true,
		"alarm_actions": [topic_arn("alerts")],
		"state_value": "OK",
		"state_updated_at": "2026-11-21T10:00:00Z",
	},
	overrides,
)

# ---------------------------------------------------------------- SNS

topic(name) := {"arn": topic_arn(name), "name": name, "region": region}

subscription(topic_name, confirmed) := {
	"arn": sub_arn(topic_name, confirmed),
	"topic_arn": topic_arn(topic_name),
	"region": region,
	"protocol": "email",
	"endpoint": "o***@example.com",
	"confirmed": confirmed,
}

sub_arn(topic_name, confirmed) := sprintf("%s:0000-1111", [topic_arn(topic_name)]) if {
	confirmed == true
} else := null

# ---------------------------------------------------------------- X-Ray

sampling_rule(name, r, fixed_rate) := {
	"arn": sprintf("arn:aws:xray:%s:%s:sampling-rule/%s", [r, account, name]),
	"name": name,
	"region": r,
	"priority": rule_priority(name),
	"fixed_rate": fixed_rate,
	"reservoir_size": 1,
	"service_name": "*",
	"service_type": "*",
	"host": "*",
	"http_method": "*",
	"url_path": "*",
	"resource_arn": "*",
}

rule_priority("Default") := 10000

rule_priority(name) := 100 if name != "Default"

# ---------------------------------------------------------------- assertions

# r is {"in_scope": set, "deny": set} as returned by a test file's run().
denied(r, id) if {
	some d in r.deny
	d.resource == id
}

messages(r, id) := {d.message | some d in r.deny; d.resource == id}

# The assertions print what they found when they do not hold: `jalon policies test` shows
# a failing test's prints under it. Each is true or false, never undefined.

# In scope and not denied.
passes(r, id) := true if {
	id in r.in_scope
	not denied(r, id)
} else := false if {
	print("expected", id, "to pass; in scope:", id in r.in_scope, "; denied with:", messages(r, id))
}

# In scope and denied.
fails(r, id) := true if {
	id in r.in_scope
	denied(r, id)
} else := false if {
	print("expected", id, "to fail; in scope:", id in r.in_scope, "; denied with:", messages(r, id))
}

# In scope and denied with a message containing `text`.
fails_with(r, id, text) := true if {
	id in r.in_scope
	some m in messages(r, id)
	contains(m, text)
} else := false if {
	print("expected", id, "to fail with a message containing:", text)
	print("  in scope:", id in r.in_scope, "; denied with:", messages(r, id))
}

# The contract: every denied resource is in scope.
deny_within_scope(r) := true if {
	every d in r.deny {
		d.resource in r.in_scope
	}
} else := false if {
	print("denied but not in scope:", {d.resource | some d in r.deny; not d.resource in r.in_scope})
}

# `actual == expected`; when they differ, both are printed.
eq(actual, expected) := true if {
	actual == expected
} else := false if {
	print("expected:", expected)
	print("  actual:", actual)
}
