package jalon.controls.db_003_test

import rego.v1

import data.jalon.controls.db_003 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(dbs) := t.snapshot({"rds": {"instances": dbs}})

test_private_passes if {
	i := t.db_instance("orders", {})
	r := run(snap([i]))
	t.passes(r, i.arn)
	count(r.deny) == 0
}

test_public_fails if {
	i := t.db_instance("orders", {"publicly_accessible": true})
	r := run(snap([i]))
	t.fails_with(r, i.arn, "publicly accessible")
	t.deny_within_scope(r)
}

test_cluster_member_checked if {
	i := t.db_instance("aurora-1", {"cluster_identifier": "aurora", "publicly_accessible": true})
	t.fails(run(snap([i])), i.arn)
}

test_scope_tags if {
	i := t.db_instance("orders", {"publicly_accessible": true, "tags": {"env": "dev"}})
	cfg := t.config_with({"scope": {"require_tags": {"env": "prod"}}})
	r := run_cfg(snap([i]), cfg)
	count(r.in_scope) == 0
}
