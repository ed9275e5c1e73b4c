package jalon.controls.ddb_002_test

import rego.v1

import data.jalon.controls.ddb_002 as c
import data.jalon.lib.testing as t

run(inp) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as t.config
	d := c.deny with input as inp with data.jalon.config as t.config
}

test_a_protected_table_passes if {
	x := t.table("orders", {})
	r := run(t.snapshot({"dynamodb": {"tables": [x]}}))
	t.passes(r, x.arn)
}

test_an_unprotected_table_fails if {
	x := t.table("orders", {"deletion_protection": false})
	r := run(t.snapshot({"dynamodb": {"tables": [x]}}))
	t.fails_with(r, x.arn, "deletion protection is off")
	t.deny_within_scope(r)
}
