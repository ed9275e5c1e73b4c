package jalon.controls.sec_004_test

import rego.v1

import data.jalon.controls.sec_004 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(secrets) := t.snapshot({"secretsmanager": {"secrets": secrets}})

test_customer_key_passes if {
	s := t.secret("api/key", {})
	r := run(snap([s]))
	t.passes(r, s.arn)
	count(r.deny) == 0
}

test_default_key_fails if {
	s := t.secret("api/key", {"kms_key_id": null})
	r := run(snap([s]))
	t.fails_with(r, s.arn, "AWS-managed key")
	t.deny_within_scope(r)
}

test_aws_managed_alias_fails if {
	s := t.secret("api/key", {"kms_key_id": "alias/aws/secretsmanager"})
	t.fails(run(snap([s])), s.arn)
}
