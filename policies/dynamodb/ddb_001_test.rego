package jalon.controls.ddb_001_test

import rego.v1

import data.jalon.controls.ddb_001 as c
import data.jalon.lib.testing as t

run(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg
	d := c.deny with input as inp with data.jalon.config as cfg
}

test_a_table_with_point_in_time_recovery_passes if {
	x := t.table("orders", {})
	r := run(t.snapshot({"dynamodb": {"tables": [x]}}), t.config)
	t.passes(r, x.arn)
	r.in_scope == [x.arn]
}

test_a_table_without_it_fails if {
	x := t.table("orders", {"point_in_time_recovery": false})
	r := run(t.snapshot({"dynamodb": {"tables": [x]}}), t.config)
	t.fails_with(r, x.arn, "point-in-time recovery is off")
	t.deny_within_scope(r)
}

test_a_table_outside_the_scope_is_not_judged if {
	x := t.table("scratch", {"point_in_time_recovery": false, "tags": {"env": "dev"}})
	cfg := t.config_with({"scope": object.union(t.config.scope, {"require_tags": {"env": "prod"}})})
	r := run(t.snapshot({"dynamodb": {"tables": [x]}}), cfg)
	count(r.in_scope) == 0
	count(r.deny) == 0
}

test_no_table_means_nothing_to_judge if {
	r := run(t.snapshot({}), t.config)
	count(r.in_scope) == 0
}
