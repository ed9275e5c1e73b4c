package jalon.controls.lmb_001_test

import rego.v1

import data.jalon.controls.lmb_001 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(fns) := t.snapshot({"lambda": {"functions": fns}})

dlq := "arn:aws:sqs:eu-west-1:123456789012:orders-dlq"

test_async_with_dlq_passes if {
	f := t.function("orders", {"invoke_permissions": [t.permission("sns.amazonaws.com")], "dead_letter_target_arn": dlq})
	r := run(snap([f]))
	t.passes(r, f.arn)
	count(r.deny) == 0
}

test_async_with_on_failure_destination_passes if {
	f := t.function("orders", {"event_invoke_configs": [t.event_invoke_config("orders", "live", dlq)]})
	t.passes(run(snap([f])), f.arn)
}

test_async_without_target_fails if {
	f := t.function("orders", {"invoke_permissions": [t.permission("events.amazonaws.com"), t.permission("s3.amazonaws.com")]})
	r := run(snap([f]))
	t.fails_with(r, f.arn, "invoked asynchronously (events.amazonaws.com, s3.amazonaws.com)")
	t.deny_within_scope(r)
}

test_event_invoke_config_without_destination_fails if {
	f := t.function("orders", {"event_invoke_configs": [t.event_invoke_config("orders", "live", null)]})
	t.fails_with(run(snap([f])), f.arn, "(event invoke config)")
}

test_regional_logs_principal_is_async if {
	f := t.function("orders", {"invoke_permissions": [t.permission("logs.eu-west-1.amazonaws.com")]})
	t.fails(run(snap([f])), f.arn)
}

test_api_gateway_only_not_in_scope if {
	f := t.function("api", {"invoke_permissions": [t.permission("apigateway.amazonaws.com"), t.permission("elasticloadbalancing.amazonaws.com")]})
	r := run(snap([f]))
	count(r.in_scope) == 0
}
