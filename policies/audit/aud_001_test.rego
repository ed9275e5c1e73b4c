package jalon.controls.aud_001_test

import rego.v1

import data.jalon.controls.aud_001 as c
import data.jalon.lib.testing as t

run(inp) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as t.config with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as t.config with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

account := sprintf("audit-trail:%s", [t.account])

snap(trails) := t.snapshot({"cloudtrail": {"trails": trails}})

test_a_complete_trail_passes if {
	r := run(snap([t.trail("org-audit", {})]))
	t.passes(r, account)
	r.in_scope == [account]
}

test_no_trail_fails if {
	r := run(snap([]))
	t.fails_with(r, account, "no CloudTrail trail seen from")
	t.deny_within_scope(r)
}

test_each_gap_is_named if {
	trail := t.trail("audit", {"multi_region": false, "logging": false, "log_file_validation": false, "kms_key_id": null})
	r := run(snap([trail]))
	t.fails_with(r, account, "audit records one region only, is not logging, has log-file validation off, is not encrypted with a KMS key")
}

test_one_complete_trail_among_others_passes if {
	r := run(snap([t.trail("regional", {"multi_region": false}), t.trail("org-audit", {})]))
	t.passes(r, account)
}

test_two_incomplete_trails_fail_naming_both if {
	r := run(snap([t.trail("a", {"logging": false}), t.trail("b", {"log_file_validation": false})]))
	t.fails_with(r, account, "a is not logging; b has log-file validation off")
}
