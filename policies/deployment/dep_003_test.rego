package jalon.controls.dep_003_test

import rego.v1

import data.jalon.controls.dep_003 as c
import data.jalon.lib.testing as t

run(inp) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as t.config
	d := c.deny with input as inp with data.jalon.config as t.config
}

account := sprintf("kill-switch:%s", [t.account])

alarm := t.error_rate_alarm("orders-api", {})

environment(name, monitors) := {
	"arn": sprintf("arn:aws:appconfig:%s:%s:application/a1/environment/%s", [t.region, t.account, name]),
	"name": sprintf("flags/%s", [name]),
	"region": t.region,
	"application": "flags",
	"state": "ReadyForDeployment",
	"monitor_alarm_arns": monitors,
}

snap(envs) := t.snapshot({
	"appconfig": {"environments": envs},
	"cloudwatch": {"metric_alarms": [alarm], "composite_alarms": []},
})

test_an_environment_monitored_by_the_error_rate_alarm_passes if {
	r := run(snap([environment("prod", [alarm.arn]), environment("dev", [])]))
	t.passes(r, account)
}

test_environments_without_it_fail_naming_them if {
	other := t.metric_alarm("orders-api-throttles", {})
	r := run(snap([environment("prod", [other.arn])]))
	t.fails_with(r, account, "no AppConfig environment rolls back on an error-rate alarm (flags/prod)")
	t.deny_within_scope(r)
}

test_no_environment_leaves_it_to_an_attestation if {
	r := run(snap([]))
	count(r.in_scope) == 0
}
