package jalon.controls.trc_002_test

import rego.v1

import data.jalon.controls.trc_002 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

region := "eu-west-1"

id := "xray-sampling:eu-west-1"

snap(rules, fns) := t.snapshot({"xray": {"sampling_rules": rules}, "lambda": {"functions": fns}})

test_service_rule_within_rate_passes if {
	r := run(snap([t.sampling_rule("Default", region, 0.05), t.sampling_rule("orders", region, 0.1)], []))
	t.passes(r, id)
	count(r.deny) == 0
}

test_default_only_fails if {
	r := run(snap([t.sampling_rule("Default", region, 0.05)], []))
	t.fails_with(r, id, "only the Default rule exists")
	t.deny_within_scope(r)
}

test_rate_above_max_fails if {
	r := run(snap([t.sampling_rule("Default", region, 0.05), t.sampling_rule("orders", region, 0.5)], []))
	t.fails_with(r, id, "'orders' at 50 %")
}

test_rate_boundary_and_config if {
	t.passes(run(snap([t.sampling_rule("orders", region, 0.1)], [])), id)
	t.fails(run(snap([t.sampling_rule("orders", region, 0.11)], [])), id)
	cfg := t.config_with({"thresholds": {"sampling_rate_max": 0.5}})
	t.passes(run_cfg(snap([t.sampling_rule("orders", region, 0.5)], []), cfg), id)
}

test_default_rule_rate_also_bounded if {
	r := run(snap([t.sampling_rule("Default", region, 1), t.sampling_rule("orders", region, 0.05)], []))
	t.fails_with(r, id, "'Default' at 100 %")
}

test_region_with_functions_but_no_rule_fails if {
	r := run(snap([], [t.function("orders", {})]))
	t.fails_with(r, id, "no X-Ray sampling rule at all")
}

test_regions_are_separate if {
	r := run(snap([t.sampling_rule("orders", "us-east-1", 0.05)], [t.function("orders", {})]))
	t.passes(r, "xray-sampling:us-east-1")
	t.fails(r, id)
}

test_nothing_not_applicable if {
	r := run(snap([], []))
	count(r.in_scope) == 0
}
