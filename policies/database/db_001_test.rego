package jalon.controls.db_001_test

import rego.v1

import data.jalon.controls.db_001 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(dbs) := t.snapshot({"rds": {"instances": dbs}})

test_enabled_with_retention_passes if {
	i := t.db_instance("orders", {})
	r := run(snap([i]))
	t.passes(r, i.arn)
	count(r.deny) == 0
}

test_disabled_fails if {
	i := t.db_instance("orders", {"performance_insights_enabled": false, "performance_insights_retention_days": null})
	r := run(snap([i]))
	t.fails_with(r, i.arn, "Performance Insights is off")
	t.deny_within_scope(r)
}

test_short_retention_fails_and_boundary if {
	i := t.db_instance("orders", {"performance_insights_retention_days": 3})
	t.fails_with(run(snap([i])), i.arn, "retention is 3 days, below 7 days")
	cfg := t.config_with({"thresholds": {"performance_insights_min_days": 3}})
	t.passes(run_cfg(snap([i]), cfg), i.arn)
}

test_unreported_retention_fails if {
	i := t.db_instance("orders", {"performance_insights_retention_days": null})
	t.fails_with(run(snap([i])), i.arn, "not reported")
}

test_aurora_members_checked_per_instance if {
	i := t.db_instance("aurora-1", {"engine": "aurora-postgresql", "cluster_identifier": "aurora", "performance_insights_enabled": false})
	t.fails(run(snap([i])), i.arn)
}
