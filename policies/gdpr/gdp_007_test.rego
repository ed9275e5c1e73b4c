package jalon.controls.gdp_007_test

import rego.v1

import data.jalon.controls.gdp_007 as c
import data.jalon.lib.testing as t

run(inp) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as t.config with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as t.config with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(keys) := t.snapshot({"kms": {"keys": keys}})

test_a_rotating_customer_key_passes if {
	k := t.kms_key("1111", {})
	r := run(snap([k]))
	t.passes(r, k.arn)
	r.in_scope == [k.arn]
}

test_a_customer_key_without_rotation_fails_with_its_alias if {
	k := t.kms_key("1111", {"rotation_enabled": false, "aliases": ["alias/orders-data"]})
	r := run(snap([k]))
	t.fails_with(r, k.arn, "customer key 1111 (alias/orders-data) does not rotate")
	t.deny_within_scope(r)
}

test_an_unknown_rotation_fails if {
	k := t.kms_key("1111", {"rotation_enabled": null})
	t.fails(run(snap([k])), k.arn)
}

test_keys_that_can_not_rotate_are_not_in_scope if {
	keys := [
		t.kms_key("aws", {"key_manager": "AWS", "rotation_enabled": null}),
		t.kms_key("off", {"key_state": "Disabled", "rotation_enabled": null}),
		t.kms_key("rsa", {"key_spec": "RSA_2048", "rotation_enabled": null}),
		t.kms_key("imported", {"origin": "EXTERNAL", "rotation_enabled": null}),
	]
	r := run(snap(keys))
	count(r.in_scope) == 0
	count(r.deny) == 0
}
