package jalon.controls.lmb_004_test

import rego.v1

import data.jalon.controls.lmb_004 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(fns) := t.snapshot({"lambda": {"functions": fns}})

test_supported_runtime_passes if {
	f := t.function("orders", {"runtime": "python3.12"})
	r := run(snap([f]))
	t.passes(r, f.arn)
	count(r.deny) == 0
}

test_deprecated_runtime_fails if {
	f := t.function("orders", {"runtime": "nodejs16.x"})
	r := run(snap([f]))
	t.fails_with(r, f.arn, "runtime nodejs16.x is past end of support")
	t.deny_within_scope(r)
}

test_list_from_config if {
	f := t.function("orders", {"runtime": "python3.9"})
	t.passes(run(snap([f])), f.arn)
	cfg := t.config_with({"thresholds": {"deprecated_runtimes": ["python3.9"]}})
	t.fails(run_cfg(snap([f]), cfg), f.arn)
}

test_container_image_not_in_scope if {
	f := t.function("orders", {"runtime": null, "package_type": "Image"})
	r := run(snap([f]))
	count(r.in_scope) == 0
}
