package jalon.controls.ech_002_test

import rego.v1

import data.jalon.controls.ech_002 as c
import data.jalon.lib.testing as t

run(inp) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as t.config
	d := c.deny with input as inp with data.jalon.config as t.config
}

snap(groups) := t.snapshot({"elasticache": {"replication_groups": groups, "serverless_caches": [t.serverless_cache("c", {})]}})

test_a_group_that_fails_over_across_azs_passes if {
	g := t.replication_group("sessions", {})
	r := run(snap([g]))
	t.passes(r, g.arn)
	r.in_scope == [g.arn]
}

test_a_single_az_group_without_failover_fails_naming_both if {
	g := t.replication_group("sessions", {"automatic_failover": "disabled", "multi_az": "disabled"})
	r := run(snap([g]))
	t.fails_with(r, g.arn, "automatic failover and Multi-AZ off")
	t.deny_within_scope(r)
}

test_failover_within_one_az_fails if {
	g := t.replication_group("sessions", {"multi_az": "disabled"})
	t.fails_with(run(snap([g])), g.arn, "Multi-AZ off")
}
