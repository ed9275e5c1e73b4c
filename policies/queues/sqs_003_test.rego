package jalon.controls.sqs_003_test

import rego.v1

import data.jalon.controls.sqs_003 as c
import data.jalon.lib.testing as t

run(inp) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as t.config with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as t.config with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

visible_alarm(queue_name, overrides) := t.metric_alarm_on(
	sprintf("%s-visible", [queue_name]),
	"AWS/SQS",
	"ApproximateNumberOfMessagesVisible",
	{"QueueName": queue_name},
	object.union({"threshold": 0, "statistic": "Maximum"}, overrides),
)

snap(functions, queues, alarms) := t.snapshot({
	"lambda": {"functions": functions},
	"sqs": {"queues": queues},
	"cloudwatch": {"metric_alarms": alarms},
	"sns": {"topics": [t.topic("alerts")]},
})

dlq := t.queue("jobs-dlq", {"message_retention_seconds": 1209600})

source := t.queue("jobs", {"redrive": t.redrive("jobs-dlq", 5)})

test_a_redrive_target_with_an_alarm_passes if {
	r := run(snap([], [source, dlq], [visible_alarm("jobs-dlq", {})]))
	t.passes(r, dlq.arn)
	r.in_scope == [dlq.arn]
}

test_a_redrive_target_without_an_alarm_fails if {
	r := run(snap([], [source, dlq], []))
	t.fails_with(r, dlq.arn, "dead-letter queue of jobs, and no alarm notifies")
	t.fails_with(r, dlq.arn, "for up to 14 days")
	t.deny_within_scope(r)
}

test_a_function_dead_letter_queue_and_destination_are_in_scope if {
	f := t.function("worker", {
		"dead_letter_target_arn": dlq.arn,
		"event_invoke_configs": [t.event_invoke_config("worker", "live", t.queue_arn("failures"))],
	})
	failures := t.queue("failures", {})
	r := run(snap([f], [dlq, failures], []))
	t.fails_with(r, dlq.arn, "dead-letter queue of worker")
	t.fails_with(r, failures.arn, "on-failure destination of worker")
}

test_an_alarm_without_actions_does_not_count if {
	r := run(snap([], [source, dlq], [visible_alarm("jobs-dlq", {"alarm_actions": []})]))
	t.fails(r, dlq.arn)
}

test_an_alarm_with_actions_disabled_does_not_count if {
	r := run(snap([], [source, dlq], [visible_alarm("jobs-dlq", {"actions_enabled": false})]))
	t.fails(r, dlq.arn)
}

test_an_alarm_that_waits_for_ten_messages_does_not_count if {
	r := run(snap([], [source, dlq], [visible_alarm("jobs-dlq", {"threshold": 10})]))
	t.fails(r, dlq.arn)
}

test_an_alarm_on_another_queue_does_not_count if {
	r := run(snap([], [source, dlq], [visible_alarm("jobs", {})]))
	t.fails(r, dlq.arn)
}

test_greater_or_equal_one_counts if {
	alarm := visible_alarm("jobs-dlq", {"threshold": 1, "comparison_operator": "GreaterThanOrEqualToThreshold"})
	t.passes(run(snap([], [source, dlq], [alarm])), dlq.arn)
}

test_a_queue_nothing_sends_failures_to_is_not_in_scope if {
	r := run(snap([], [t.queue("plain", {})], []))
	count(r.in_scope) == 0
}

test_a_target_outside_the_snapshot_is_not_judged if {
	q := t.queue("jobs", {"redrive": {"dead_letter_target_arn": "arn:aws:sqs:us-east-1:999999999999:elsewhere", "max_receive_count": 5}})
	count(run(snap([], [q], [])).in_scope) == 0
}
