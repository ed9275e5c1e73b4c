package jalon.controls.sqs_001_test

import rego.v1

import data.jalon.controls.sqs_001 as c
import data.jalon.lib.testing as t

run(inp) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as t.config with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as t.config with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(queues, mappings) := t.snapshot({
	"lambda": {"functions": [t.function("worker", {})], "event_source_mappings": mappings},
	"sqs": {"queues": queues},
})

dlq := t.queue("jobs-dlq", {})

test_redrive_to_an_existing_dlq_passes if {
	q := t.queue("jobs", {"redrive": t.redrive("jobs-dlq", 5)})
	r := run(snap([q, dlq], [t.consumes("m1", "worker", "jobs")]))
	t.passes(r, q.arn)
	r.in_scope == [q.arn]
}

test_no_redrive_fails_naming_the_consumer if {
	q := t.queue("jobs", {})
	r := run(snap([q], [t.consumes("m1", "worker", "jobs")]))
	t.fails_with(r, q.arn, "consumed by worker without a redrive policy")
	t.fails_with(r, q.arn, "after 4 days")
	t.deny_within_scope(r)
}

test_a_receive_count_above_ten_fails if {
	q := t.queue("jobs", {"redrive": t.redrive("jobs-dlq", 50)})
	t.fails_with(run(snap([q, dlq], [t.consumes("m1", "worker", "jobs")])), q.arn, "maximum receive count is 50, above 10")
}

test_a_missing_receive_count_fails if {
	q := t.queue("jobs", {"redrive": t.redrive("jobs-dlq", null)})
	t.fails_with(run(snap([q, dlq], [t.consumes("m1", "worker", "jobs")])), q.arn, "no maximum receive count")
}

test_a_dead_letter_queue_that_is_gone_fails if {
	q := t.queue("jobs", {"redrive": t.redrive("deleted-dlq", 5)})
	t.fails_with(run(snap([q], [t.consumes("m1", "worker", "jobs")])), q.arn, "does not exist")
}

test_a_queue_nobody_consumes_is_not_in_scope if {
	q := t.queue("jobs", {})
	r := run(snap([q], []))
	count(r.in_scope) == 0
	count(r.deny) == 0
}

test_a_disabled_mapping_does_not_consume if {
	q := t.queue("jobs", {})
	m := object.union(t.consumes("m1", "worker", "jobs"), {"state": "Disabled"})
	count(run(snap([q], [m])).in_scope) == 0
}

test_a_mapping_through_an_alias_consumes if {
	q := t.queue("jobs", {})
	m := object.union(t.consumes("m1", "worker", "jobs"), {"function_arn": sprintf("%s:live", [t.function_arn("worker", t.region)])})
	t.fails(run(snap([q], [m])), q.arn)
}

test_a_function_out_of_scope_does_not_bring_its_queue if {
	q := t.queue("jobs", {})
	inp := t.snapshot({
		"lambda": {"functions": [t.function("worker", {"tags": {"env": "dev"}})], "event_source_mappings": [t.consumes("m1", "worker", "jobs")]},
		"sqs": {"queues": [q]},
	})
	cfg := t.config_with({"scope": {"require_tags": {"env": "prod"}}})
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	count(s) == 0
}
