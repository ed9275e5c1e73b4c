package jalon.controls.api_001_test

import rego.v1

import data.jalon.controls.api_001 as c
import data.jalon.lib.testing as t

run(inp) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as t.config
	d := c.deny with input as inp with data.jalon.config as t.config
}

snap(stages) := t.snapshot({"apigateway": {"stages": stages, "integrations": []}})

test_a_logged_traced_throttled_stage_passes if {
	s := t.api_stage("orders", "prod", {})
	r := run(snap([s]))
	t.passes(r, s.arn)
	r.in_scope == [s.arn]
}

test_a_bare_rest_stage_fails_naming_all_three if {
	s := t.api_stage("legacy", "prod", {"access_log_destination": null, "tracing": false, "throttling_rate_limit": null})
	r := run(snap([s]))
	t.fails_with(r, s.arn, "legacy/prod has no access logging, no X-Ray tracing, no stage-wide throttling")
	t.deny_within_scope(r)
}

test_an_http_api_is_not_asked_to_trace if {
	s := t.api_stage("payments", "$default", {"api_type": "HTTP", "tracing": false})
	t.passes(run(snap([s])), s.arn)
}

test_a_burst_without_a_rate_is_not_throttling if {
	s := t.api_stage("orders", "prod", {"throttling_rate_limit": null})
	t.fails_with(run(snap([s])), s.arn, "no stage-wide throttling")
}
