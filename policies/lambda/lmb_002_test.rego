package jalon.controls.lmb_002_test

import rego.v1

import data.jalon.controls.lmb_002 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(fns) := t.snapshot({"lambda": {"functions": fns}})

test_customer_key_passes if {
	f := t.function("orders", {})
	r := run(snap([f]))
	t.passes(r, f.arn)
	count(r.deny) == 0
}

test_default_key_fails if {
	f := t.function("orders", {"kms_key_arn": null, "environment_variable_names": ["A", "B"]})
	r := run(snap([f]))
	t.fails_with(r, f.arn, "2 environment variables encrypted with the AWS-managed key")
	t.deny_within_scope(r)
}

test_no_environment_not_in_scope if {
	f := t.function("orders", {"kms_key_arn": null, "environment_variable_names": []})
	r := run(snap([f]))
	count(r.in_scope) == 0
}
