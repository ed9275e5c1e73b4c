package jalon.controls.ops_005_test

import rego.v1

import data.jalon.controls.ops_005 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(fns) := t.snapshot({"lambda": {"functions": fns}})

test_no_mock_passes_not_not_applicable if {
	f := t.function("orders", {})
	r := run(snap([f]))
	t.passes(r, f.arn)
	count(r.in_scope) == 1
	count(r.deny) == 0
}

test_mock_name_fails if {
	f := t.function("orders-mock-handler", {})
	r := run(snap([f]))
	t.fails_with(r, f.arn, "name matches '*mock*'")
	t.deny_within_scope(r)
}

test_mock_tag_fails if {
	f := t.function("orders-stub", {"tags": {"path": "mock"}})
	t.fails_with(run(snap([f])), f.arn, "tagged path=mock")
}

test_glob_patterns_from_config if {
	cfg := t.config_with({"scope": {"mock_name_patterns": ["fake-?-*", "*-stub"], "mock_tags": {}}})
	fake := t.function("fake-1-orders", {})
	stub := t.function("orders-stub", {})
	ok := t.function("orders-mock", {})
	r := run_cfg(snap([fake, stub, ok]), cfg)
	t.fails(r, fake.arn)
	t.fails(r, stub.arn)
	t.passes(r, ok.arn)
}

test_name_and_tag_one_message if {
	f := t.function("mock-orders", {"tags": {"path": "mock"}})
	r := run(snap([f]))
	t.fails_with(r, f.arn, "name matches '*mock*'; tagged path=mock")
	count(r.deny) == 1
}
