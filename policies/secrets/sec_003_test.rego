package jalon.controls.sec_003_test

import rego.v1

import data.jalon.controls.sec_003 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(fns) := t.snapshot({"lambda": {"functions": fns}})

test_clean_names_pass if {
	f := t.function("orders", {"environment_variable_names": ["LOG_LEVEL", "TABLE_NAME"]})
	r := run(snap([f]))
	t.passes(r, f.arn)
	count(r.deny) == 0
}

test_credential_names_fail if {
	f := t.function("orders", {"environment_variable_names": ["DB_PASSWORD", "LOG_LEVEL", "STRIPE_API_KEY", "github_token"]})
	r := run(snap([f]))
	t.fails_with(r, f.arn, "environment variables look like credentials: DB_PASSWORD, STRIPE_API_KEY, github_token")
	t.deny_within_scope(r)
}

test_references_to_secrets_are_exempt if {
	f := t.function("orders", {"environment_variable_names": ["DB_SECRET_ARN", "API_KEY_PARAMETER_NAME", "TOKEN_SECRET_ID"]})
	t.passes(run(snap([f])), f.arn)
}

test_pattern_from_config if {
	f := t.function("orders", {"environment_variable_names": ["MAGIC_WORD"]})
	cfg := t.config_with({"thresholds": {"credential_name_pattern": "MAGIC"}})
	t.fails(run_cfg(snap([f]), cfg), f.arn)
	t.passes(run(snap([f])), f.arn)
}

# The default pattern starts with (?i): it must work with regorus's regex build.
test_default_pattern_case_insensitive if {
	f := t.function("orders", {"environment_variable_names": ["Db_PassWord"]})
	t.fails(run(snap([f])), f.arn)
}

test_shared_names_across_functions if {
	fns := [t.function(sprintf("fn-%d", [n]), {"environment_variable_names": ["SERVICE_TOKEN"]}) | some n in numbers.range(1, 50)]
	r := run(snap(fns))
	count(r.deny) == 50
}
