package jalon.controls.sqs_002_test

import rego.v1

import data.jalon.controls.sqs_002 as c
import data.jalon.lib.testing as t

run(inp) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as t.config with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as t.config with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(functions, q) := t.snapshot({
	"lambda": {
		"functions": functions,
		"event_source_mappings": [t.consumes(sprintf("m-%s", [f.name]), f.name, q.name) | some f in functions],
	},
	"sqs": {"queues": [q]},
})

test_six_times_the_timeout_passes if {
	q := t.queue("jobs", {"visibility_timeout_seconds": 180})
	r := run(snap([t.function("worker", {"timeout_seconds": 30})], q))
	t.passes(r, q.arn)
}

test_below_six_times_fails_with_the_figures if {
	q := t.queue("jobs", {"visibility_timeout_seconds": 30})
	r := run(snap([t.function("worker", {"timeout_seconds": 30})], q))
	t.fails_with(r, q.arn, "visibility timeout 30 s is below 6 x the timeout of worker (30 s) = 180 s")
	t.deny_within_scope(r)
}

test_the_slowest_consumer_sets_the_bar if {
	q := t.queue("jobs", {"visibility_timeout_seconds": 180})
	fast := t.function("fast", {"timeout_seconds": 10})
	slow := t.function("slow", {"timeout_seconds": 60})
	t.fails_with(run(snap([fast, slow], q)), q.arn, "timeout of slow (60 s) = 360 s")
}

test_an_unknown_timeout_is_taken_at_the_maximum if {
	q := t.queue("jobs", {"visibility_timeout_seconds": 180})
	t.fails_with(run(snap([t.function("worker", {"timeout_seconds": null})], q)), q.arn, "(900 s)")
}

test_an_unconsumed_queue_is_not_in_scope if {
	q := t.queue("jobs", {"visibility_timeout_seconds": 1})
	inp := t.snapshot({"lambda": {"functions": [t.function("worker", {})]}, "sqs": {"queues": [q]}})
	count(run(inp).in_scope) == 0
}
