package jalon.controls.log_001_test

import rego.v1

import data.jalon.controls.log_001 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(groups) := t.snapshot({"logs": {"log_groups": groups}})

test_retention_above_floor_passes if {
	g := t.log_group("/aws/lambda/orders", {"retention_days": 90})
	r := run(snap([g]))
	t.passes(r, g.arn)
	count(r.deny) == 0
}

test_retention_at_floor_passes if {
	g := t.log_group("/aws/lambda/orders", {"retention_days": 30})
	t.passes(run(snap([g])), g.arn)
}

test_retention_below_floor_fails if {
	g := t.log_group("/aws/lambda/orders", {"retention_days": 14})
	r := run(snap([g]))
	t.fails_with(r, g.arn, "retention is 14 days, below the floor of 30 days")
	t.deny_within_scope(r)
}

test_never_expire_fails if {
	g := t.log_group("/aws/lambda/orders", {"retention_days": null})
	t.fails_with(run(snap([g])), g.arn, "retention is never-expire")
}

test_floor_from_config if {
	g := t.log_group("/aws/lambda/orders", {"retention_days": 60})
	cfg := t.config_with({"thresholds": {"log_retention_floor_days": 90}})
	t.fails_with(run_cfg(snap([g]), cfg), g.arn, "below the floor of 90 days")
}

test_require_tags_scope if {
	prod := t.log_group("/app/prod", {"retention_days": 1, "tags": {"env": "prod"}})
	dev := t.log_group("/app/dev", {"retention_days": 1, "tags": {"env": "dev"}})
	cfg := t.config_with({"scope": {"require_tags": {"env": "prod"}}})
	r := run_cfg(snap([prod, dev]), cfg)
	t.fails(r, prod.arn)
	not dev.arn in r.in_scope
	not t.denied(r, dev.arn)
}

test_exclude_names_glob_matches_slashes if {
	g := t.log_group("/aws/lambda/orders-sandbox", {"retention_days": 1})
	cfg := t.config_with({"scope": {"exclude_names": ["*-sandbox"]}})
	r := run_cfg(snap([g]), cfg)
	count(r.in_scope) == 0
}

test_no_log_groups_not_applicable if {
	r := run(snap([]))
	count(r.in_scope) == 0
	count(r.deny) == 0
}
