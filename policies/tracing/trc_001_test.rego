package jalon.controls.trc_001_test

import rego.v1

import data.jalon.controls.trc_001 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(fns) := t.snapshot({"lambda": {"functions": fns}})

test_active_passes if {
	f := t.function("orders", {"tracing_mode": "Active"})
	r := run(snap([f]))
	t.passes(r, f.arn)
	count(r.deny) == 0
}

test_pass_through_fails if {
	f := t.function("orders", {"tracing_mode": "PassThrough"})
	r := run(snap([f]))
	t.fails_with(r, f.arn, "tracing mode is PassThrough, not Active")
	t.deny_within_scope(r)
}

test_unset_fails if {
	f := t.function("orders", {"tracing_mode": null})
	t.fails_with(run(snap([f])), f.arn, "not set")
}

test_scope if {
	f := t.function("orders-sandbox", {"tracing_mode": null})
	cfg := t.config_with({"scope": {"exclude_names": ["*-sandbox"]}})
	r := run_cfg(snap([f]), cfg)
	count(r.in_scope) == 0
	count(r.deny) == 0
}
