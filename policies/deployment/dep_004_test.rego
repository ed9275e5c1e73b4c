package jalon.controls.dep_004_test

import rego.v1

import data.jalon.controls.dep_004 as c
import data.jalon.lib.testing as t

run(inp) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as t.config
	d := c.deny with input as inp with data.jalon.config as t.config
}

snap(groups) := t.snapshot({
	"codedeploy": {"deployment_groups": groups},
	"cloudwatch": {"metric_alarms": [t.error_rate_alarm("orders-api", {})], "composite_alarms": []},
})

test_a_group_stopping_on_the_error_rate_alarm_and_rolling_back_passes if {
	g := t.deployment_group("orders", "orders-api", {})
	r := run(snap([g]))
	t.passes(r, g.arn)
	r.in_scope == [g.arn]
}

test_a_bare_group_fails_with_every_reason if {
	g := t.deployment_group("orders", "orders-api", {"alarms_enabled": false, "alarm_names": [], "auto_rollback_enabled": false, "auto_rollback_events": []})
	r := run(snap([g]))
	t.fails_with(r, g.arn, "its alarms are disabled")
	t.fails_with(r, g.arn, "it watches no error-rate alarm")
	t.fails_with(r, g.arn, "it does not roll back when an alarm stops it")
	t.deny_within_scope(r)
}

test_an_alarm_that_is_not_an_error_rate_does_not_count if {
	g := t.deployment_group("orders", "orders-api", {"alarm_names": ["orders-api-throttles"]})
	t.fails_with(run(snap([g])), g.arn, "it watches no error-rate alarm")
}

test_rolling_back_on_failure_only_is_not_enough if {
	g := t.deployment_group("orders", "orders-api", {"auto_rollback_events": ["DEPLOYMENT_FAILURE"]})
	t.fails_with(run(snap([g])), g.arn, "does not roll back when an alarm stops it")
}

test_ignoring_alarm_poll_failures_fails if {
	g := t.deployment_group("orders", "orders-api", {"ignore_poll_alarm_failure": true})
	t.fails_with(run(snap([g])), g.arn, "cannot be read")
}
