package jalon.lib.scope_test

import rego.v1

import data.jalon.lib
import data.jalon.lib.testing as t

coverage(inp, scope) := v if {
	cfg := t.config_with({"scope": object.union(t.config.scope, scope)})
	v := lib.scope_coverage with input as inp with data.jalon.config as cfg
}

prod := {"tags": {"env": "prod"}}

inp := t.snapshot({
	"lambda": {"functions": [t.function("api", prod), t.function("worker", {})]},
	"logs": {"log_groups": [t.log_group("/aws/lambda/api", {})]},
})

test_the_coverage_counts_what_was_collected_and_what_the_scope_keeps if {
	c := coverage(inp, {"require_tags": {"env": "prod"}})
	t.eq(c["Lambda functions"], [2, 1])
	t.eq(c["log groups"], [1, 0])
	t.eq(c["DB instances"], [0, 0])
}

test_an_excluding_pattern_counts_too if {
	c := coverage(inp, {"exclude_names": ["*"]})
	t.eq(c["Lambda functions"], [2, 0])
}

test_queues_and_tables_are_counted_too if {
	stores := t.snapshot({
		"sqs": {"queues": [t.queue("jobs", prod), t.queue("jobs-dlq", {})]},
		"dynamodb": {"tables": [t.table("carts", {})]},
	})
	c := coverage(stores, {"require_tags": {"env": "prod"}})
	t.eq(c["SQS queues"], [2, 1])
	t.eq(c["DynamoDB tables"], [1, 0])
}
