package jalon.controls.log_003_test

import rego.v1

import data.jalon.controls.log_003 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(groups, fns) := t.snapshot({"logs": {"log_groups": groups}, "lambda": {"functions": fns}})

kms := "arn:aws:kms:eu-west-1:123456789012:key/logs"

test_encrypted_personal_group_passes if {
	g := t.log_group("/app/users", {"tags": {"data-class": "personal"}, "kms_key_id": kms})
	r := run(snap([g], []))
	t.passes(r, g.arn)
	count(r.deny) == 0
}

test_unencrypted_personal_group_fails if {
	g := t.log_group("/app/users", {"tags": {"data-class": "personal"}})
	r := run(snap([g], []))
	t.fails_with(r, g.arn, "tagged data-class=personal")
	t.deny_within_scope(r)
}

test_sensitive_class_and_case if {
	g := t.log_group("/app/health", {"tags": {"data-class": "Sensitive"}})
	t.fails(run(snap([g], [])), g.arn)
}

test_non_personal_not_in_scope if {
	g := t.log_group("/app/metrics", {"tags": {"data-class": "internal"}})
	u := t.log_group("/app/untagged", {})
	r := run(snap([g, u], []))
	count(r.in_scope) == 0
}

test_personal_function_log_group_in_scope if {
	f := t.function("users", {"tags": {"data-class": "personal"}})
	g := t.log_group("/aws/lambda/users", {})
	other := t.log_group("/aws/lambda/other", {})
	r := run(snap([g, other], [f]))
	t.fails_with(r, g.arn, "written to by a personal-data Lambda function")
	not other.arn in r.in_scope
}

test_function_in_other_region_does_not_classify if {
	f := t.function("users", {"tags": {"data-class": "personal"}, "region": "eu-central-1"})
	g := t.log_group("/aws/lambda/users", {})
	r := run(snap([g], [f]))
	count(r.in_scope) == 0
}

test_personal_classes_from_config if {
	g := t.log_group("/app/users", {"tags": {"classification": "pii"}})
	cfg := t.config_with({"scope": {"data_class_tag": "classification", "personal_data_classes": ["pii"]}})
	t.fails(run_cfg(snap([g], []), cfg), g.arn)
}
