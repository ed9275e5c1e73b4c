package jalon.controls.db_005_test

import rego.v1

import data.jalon.controls.db_005 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(dbs, clusters) := t.snapshot({"rds": {"instances": dbs, "clusters": clusters}})

test_protected_passes if {
	i := t.db_instance("orders", {})
	r := run(snap([i], []))
	t.passes(r, i.arn)
	count(r.deny) == 0
}

test_unprotected_fails if {
	i := t.db_instance("orders", {"deletion_protection": false})
	cl := t.db_cluster("aurora", {"deletion_protection": false})
	r := run(snap([i], [cl]))
	t.fails_with(r, i.arn, "deletion protection is off")
	t.fails(r, cl.arn)
	t.deny_within_scope(r)
}

test_member_inherits_from_cluster if {
	member := t.db_instance("aurora-1", {"cluster_identifier": "aurora", "deletion_protection": false})
	cl := t.db_cluster("aurora", {})
	r := run(snap([member], [cl]))
	not member.arn in r.in_scope
	t.passes(r, cl.arn)
}
