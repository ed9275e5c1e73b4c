package jalon.controls.db_006_test

import rego.v1

import data.jalon.controls.db_006 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(dbs, clusters) := t.snapshot({"rds": {"instances": dbs, "clusters": clusters}})

test_multi_az_passes if {
	i := t.db_instance("orders", {})
	r := run(snap([i], []))
	t.passes(r, i.arn)
	count(r.deny) == 0
}

test_single_az_fails if {
	i := t.db_instance("orders", {"multi_az": false})
	cl := t.db_cluster("aurora", {"multi_az": false})
	r := run(snap([i], [cl]))
	t.fails_with(r, i.arn, "single Availability Zone")
	t.fails(r, cl.arn)
	t.deny_within_scope(r)
}

test_replicas_and_members_not_in_scope if {
	replica := t.db_instance("orders-replica", {"multi_az": false, "read_replica_source": "orders"})
	member := t.db_instance("aurora-1", {"multi_az": false, "cluster_identifier": "aurora"})
	r := run(snap([replica, member], []))
	count(r.in_scope) == 0
}
