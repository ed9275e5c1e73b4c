package jalon.controls.lmb_005_test

import rego.v1

import data.jalon.controls.lmb_005 as c
import data.jalon.lib.testing as t

run(inp) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as t.config with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as t.config with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

worker := t.function("worker", {})

snap(m) := t.snapshot({"lambda": {"functions": [worker], "event_source_mappings": [m]}})

sqs_mapping(overrides) := object.union(t.event_source_mapping("m1", worker.arn), overrides)

stream_mapping(overrides) := object.union(
	t.event_source_mapping("m1", worker.arn),
	object.union(
		{
			"event_source_arn": t.kinesis_stream_arn("orders"),
			"function_response_types": [],
			"batch_size": 100,
			"on_failure_destination": t.queue_arn("orders-failures"),
			"maximum_retry_attempts": 5,
			"maximum_record_age_seconds": -1,
			"bisect_batch_on_function_error": true,
		},
		overrides,
	),
)

arn := t.event_source_mapping_arn("m1")

test_sqs_batches_reporting_item_failures_pass if {
	r := run(snap(sqs_mapping({})))
	t.passes(r, arn)
	r.in_scope == [arn]
}

test_sqs_batches_without_item_failures_fail if {
	r := run(snap(sqs_mapping({"function_response_types": []})))
	t.fails_with(r, arn, "worker reads queue in batches of 10 without ReportBatchItemFailures")
	t.deny_within_scope(r)
}

test_sqs_batch_size_unknown_is_the_default_ten if {
	t.fails_with(run(snap(sqs_mapping({"function_response_types": [], "batch_size": null}))), arn, "10 (the default)")
}

test_sqs_one_message_at_a_time_needs_no_item_failures if {
	t.passes(run(snap(sqs_mapping({"function_response_types": [], "batch_size": 1}))), arn)
}

test_a_bounded_stream_with_a_destination_passes if {
	t.passes(run(snap(stream_mapping({}))), arn)
}

test_a_stream_without_destination_fails if {
	t.fails_with(run(snap(stream_mapping({"on_failure_destination": null}))), arn, "stream/orders (Kinesis) without an on-failure destination")
}

test_a_stream_retrying_forever_fails if {
	r := run(snap(stream_mapping({"maximum_retry_attempts": -1, "maximum_record_age_seconds": -1})))
	t.fails_with(r, arn, "unbounded retries")
}

test_retries_not_in_the_snapshot_count_as_unbounded if {
	r := run(snap(stream_mapping({"maximum_retry_attempts": null, "maximum_record_age_seconds": null})))
	t.fails_with(r, arn, "unbounded retries")
}

test_a_record_age_bound_is_enough if {
	t.passes(run(snap(stream_mapping({"maximum_retry_attempts": -1, "maximum_record_age_seconds": 3600}))), arn)
}

test_a_dynamodb_stream_is_a_stream if {
	m := stream_mapping({"event_source_arn": "arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-01-01T00:00:00.000", "on_failure_destination": null})
	t.fails_with(run(snap(m)), arn, "(DynamoDB Streams) without an on-failure destination")
}

test_a_disabled_mapping_is_not_in_scope if {
	count(run(snap(sqs_mapping({"state": "Disabled"}))).in_scope) == 0
}

test_a_mapping_of_an_out_of_scope_function_is_not_in_scope if {
	inp := t.snapshot({"lambda": {"functions": [t.function("worker", {"tags": {"env": "dev"}})], "event_source_mappings": [sqs_mapping({})]}})
	cfg := t.config_with({"scope": {"require_tags": {"env": "prod"}}})
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	count(s) == 0
}
