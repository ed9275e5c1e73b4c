package jalon.controls.db_008_test

import rego.v1

import data.jalon.controls.db_008 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(dbs, clusters) := t.snapshot({"rds": {"instances": dbs, "clusters": clusters}})

test_managed_password_passes if {
	i := t.db_instance("orders", {})
	r := run(snap([i], []))
	t.passes(r, i.arn)
	count(r.deny) == 0
}

test_iam_auth_passes if {
	cl := t.db_cluster("aurora", {"iam_auth_enabled": true, "master_user_secret_arn": null})
	t.passes(run(snap([], [cl])), cl.arn)
}

test_neither_fails if {
	i := t.db_instance("orders", {"iam_auth_enabled": false, "master_user_secret_arn": null})
	r := run(snap([i], []))
	t.fails_with(r, i.arn, "neither IAM database authentication")
	t.deny_within_scope(r)
}
