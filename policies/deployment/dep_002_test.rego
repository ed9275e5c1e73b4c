package jalon.controls.dep_002_test

import rego.v1

import data.jalon.controls.dep_002 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(fns) := t.snapshot({"lambda": {"functions": fns}})

test_plain_alias_passes if {
	f := t.function("orders", {})
	r := run(snap([f]))
	t.passes(r, f.aliases[0].arn)
	count(r.deny) == 0
}

test_weighted_alias_fails if {
	a := object.union(t.alias("orders", "live", "3", t.region), {"additional_version_weights": {"4": 0.1}})
	f := t.function("orders", {"aliases": [a]})
	r := run(snap([f]))
	t.fails_with(r, a.arn, "alias 'live' serves version 3 and sends 10 % to version 4")
	t.deny_within_scope(r)
}

test_function_without_alias_not_applicable if {
	f := t.function("orders", {"aliases": []})
	r := run(snap([f]))
	count(r.in_scope) == 0
}
