package jalon.controls.log_002_test

import rego.v1

import data.jalon.controls.log_002 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(groups, fns) := t.snapshot({"logs": {"log_groups": groups}, "lambda": {"functions": fns}})

test_retention_within_ceiling_passes if {
	g := t.log_group("/aws/lambda/orders", {"retention_days": 365})
	r := run(snap([g], []))
	t.passes(r, g.arn)
	count(r.deny) == 0
}

test_retention_above_ceiling_fails if {
	g := t.log_group("/aws/lambda/orders", {"retention_days": 400})
	r := run(snap([g], []))
	t.fails_with(r, g.arn, "retention is 400 days, above the ceiling of 365 days")
	t.deny_within_scope(r)
}

test_never_expire_fails if {
	g := t.log_group("/aws/lambda/orders", {"retention_days": null})
	t.fails_with(run(snap([g], [])), g.arn, "retention is never-expire, above the ceiling of 365 days")
}

by_class := t.config_with({"thresholds": {"log_retention_ceiling_by_class": {"personal": 90}}})

test_class_ceiling_from_own_tag if {
	g := t.log_group("/app/users", {"retention_days": 180, "tags": {"data-class": "personal"}})
	other := t.log_group("/app/metrics", {"retention_days": 180, "tags": {"data-class": "internal"}})
	r := run_cfg(snap([g, other], []), by_class)
	t.fails_with(r, g.arn, "above the ceiling of 90 days for data class 'personal'")
	t.passes(r, other.arn)
}

test_class_ceiling_boundary if {
	g := t.log_group("/app/users", {"retention_days": 90, "tags": {"data-class": "personal"}})
	t.passes(run_cfg(snap([g], []), by_class), g.arn)
}

test_class_inherited_from_function if {
	f := t.function("users", {"tags": {"data-class": "personal"}})
	g := t.log_group("/aws/lambda/users", {"retention_days": 180})
	r := run_cfg(snap([g], [f]), by_class)
	t.fails_with(r, g.arn, "for data class 'personal'")
}

test_class_inherited_through_custom_log_group if {
	f := t.function("users", {"tags": {"data-class": "personal"}, "logging": {"log_group": "/shared/users"}})
	g := t.log_group("/shared/users", {"retention_days": 180})
	t.fails(run_cfg(snap([g], [f]), by_class), g.arn)
}

test_own_tag_wins_over_function if {
	f := t.function("users", {"tags": {"data-class": "personal"}})
	g := t.log_group("/aws/lambda/users", {"retention_days": 180, "tags": {"data-class": "internal"}})
	t.passes(run_cfg(snap([g], [f]), by_class), g.arn)
}

test_never_expire_with_class_ceiling if {
	g := t.log_group("/app/users", {"retention_days": null, "tags": {"data-class": "personal"}})
	t.fails_with(run_cfg(snap([g], []), by_class), g.arn, "never-expire, above the ceiling of 90 days for data class 'personal'")
}
