package jalon.controls.dep_001_test

import rego.v1

import data.jalon.controls.dep_001 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(fns, esms) := t.snapshot({"lambda": {"functions": fns, "event_source_mappings": esms}})

test_alias_on_version_passes if {
	f := t.function("orders", {})
	r := run(snap([f], []))
	t.passes(r, f.arn)
	count(r.deny) == 0
}

test_no_alias_fails if {
	f := t.function("orders", {"aliases": []})
	r := run(snap([f], []))
	t.fails_with(r, f.arn, "no alias")
	t.deny_within_scope(r)
}

test_alias_on_latest_fails if {
	f := t.function("orders", {"aliases": [t.alias("orders", "live", "$LATEST", t.region)]})
	t.fails_with(run(snap([f], [])), f.arn, "alias 'live' points to $LATEST")
}

test_unqualified_event_source_mapping_fails if {
	f := t.function("orders", {})
	r := run(snap([f], [t.event_source_mapping("1", f.arn)]))
	t.fails_with(r, f.arn, "event source mapping invokes the unqualified function")
	ok := run(snap([f], [t.event_source_mapping("1", sprintf("%s:live", [f.arn]))]))
	t.passes(ok, f.arn)
}
