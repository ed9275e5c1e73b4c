package jalon.controls.db_002_test

import rego.v1

import data.jalon.controls.db_002 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(dbs, clusters) := t.snapshot({"rds": {"instances": dbs, "clusters": clusters}})

test_encrypted_passes if {
	i := t.db_instance("orders", {})
	cl := t.db_cluster("aurora", {})
	r := run(snap([i], [cl]))
	t.passes(r, i.arn)
	t.passes(r, cl.arn)
	count(r.deny) == 0
}

test_unencrypted_instance_fails if {
	i := t.db_instance("orders", {"storage_encrypted": false})
	r := run(snap([i], []))
	t.fails_with(r, i.arn, "not encrypted")
	t.deny_within_scope(r)
}

test_unencrypted_cluster_fails if {
	cl := t.db_cluster("aurora", {"storage_encrypted": false})
	t.fails(run(snap([], [cl])), cl.arn)
}

# Aurora members inherit encryption: the cluster is checked, not the member.
test_cluster_member_not_in_scope if {
	member := t.db_instance("aurora-1", {"engine": "aurora-postgresql", "cluster_identifier": "aurora", "storage_encrypted": false})
	cl := t.db_cluster("aurora", {})
	r := run(snap([member], [cl]))
	not member.arn in r.in_scope
	t.passes(r, cl.arn)
}
