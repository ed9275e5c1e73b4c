package jalon.controls.db_007_test

import rego.v1

import data.jalon.controls.db_007 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(dbs, clusters) := t.snapshot({"rds": {"instances": dbs, "clusters": clusters}})

test_exported_passes if {
	i := t.db_instance("orders", {})
	cl := t.db_cluster("aurora", {})
	r := run(snap([i], [cl]))
	t.passes(r, i.arn)
	t.passes(r, cl.arn)
	count(r.deny) == 0
}

test_not_exported_fails if {
	i := t.db_instance("orders", {"cloudwatch_logs_exports": ["upgrade"]})
	r := run(snap([i], []))
	t.fails_with(r, i.arn, "(exports: upgrade)")
	t.deny_within_scope(r)
	cl := t.db_cluster("aurora", {"cloudwatch_logs_exports": []})
	t.fails_with(run(snap([], [cl])), cl.arn, "(exports: none)")
}

test_other_engines_not_in_scope if {
	i := t.db_instance("shop", {"engine": "mysql", "cloudwatch_logs_exports": []})
	r := run(snap([i], []))
	count(r.in_scope) == 0
}
