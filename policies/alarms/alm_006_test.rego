package jalon.controls.alm_006_test

import rego.v1

import data.jalon.controls.alm_006 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(alarms) := t.snapshot({"cloudwatch": {"metric_alarms": alarms}})

insufficient(name, since) := t.metric_alarm(name, {"state_value": "INSUFFICIENT_DATA", "state_updated_at": since})

test_ok_alarm_passes if {
	a := t.metric_alarm("cpu", {})
	r := run(snap([a]))
	t.passes(r, a.arn)
	count(r.deny) == 0
}

test_stuck_alarm_fails if {
	a := insufficient("cpu", "2026-11-20T10:00:00Z")
	r := run(snap([a]))
	t.fails_with(r, a.arn, "in INSUFFICIENT_DATA for 48 h")
	t.deny_within_scope(r)
}

test_recent_insufficient_data_passes if {
	a := insufficient("cpu", "2026-11-22T00:00:00Z")
	t.passes(run(snap([a])), a.arn)
}

test_boundary_24h if {
	# as_of is 2026-11-22T10:00:00Z: exactly 24 h is not "more than 24 h".
	t.passes(run(snap([insufficient("cpu", "2026-11-21T10:00:00Z")])), t.alarm_arn("cpu", t.region))
	t.fails(run(snap([insufficient("cpu", "2026-11-21T09:59:59Z")])), t.alarm_arn("cpu", t.region))
}

test_threshold_from_config if {
	cfg := t.config_with({"thresholds": {"insufficient_data_max_hours": 72}})
	t.passes(run_cfg(snap([insufficient("cpu", "2026-11-20T10:00:00Z")]), cfg), t.alarm_arn("cpu", t.region))
}

test_unknown_since_fails if {
	a := insufficient("cpu", null)
	t.fails_with(run(snap([a])), a.arn, "unknown time")
}

test_as_of_is_used_not_the_clock if {
	a := insufficient("cpu", "2026-11-20T10:00:00Z")
	r := {"in_scope": c.in_scope, "deny": c.deny} with input as snap([a])
		with data.jalon.config as t.config
		with data.jalon.as_of as "2026-11-20T12:00:00Z"
		with data.jalon.as_of_ns as time.parse_rfc3339_ns("2026-11-20T12:00:00Z")
	t.passes(r, a.arn)
}

with_history(alarm, history) := t.snapshot({
	"cloudwatch": {"metric_alarms": [alarm]},
	"metrics": {"windows": [t.metric_window("2026-11-15T00:00:00Z", {})], "alarm_history": history},
})

test_a_long_blind_stretch_in_the_history_fails_even_when_over if {
	a := t.metric_alarm("cpu", {})
	h := [
		t.transition("cpu", "2026-11-16T08:00:00Z", "OK", "INSUFFICIENT_DATA"),
		t.transition("cpu", "2026-11-17T12:30:00Z", "INSUFFICIENT_DATA", "OK"),
	]
	r := run(with_history(a, h))
	t.fails_with(r, a.arn, "was in INSUFFICIENT_DATA for 28 h 30 min (2026-11-16T08:00:00Z to 2026-11-17T12:30:00Z), more than 24 h")
	t.deny_within_scope(r)
}

test_a_short_blind_stretch_passes if {
	a := t.metric_alarm("cpu", {})
	h := [
		t.transition("cpu", "2026-11-16T08:00:00Z", "OK", "INSUFFICIENT_DATA"),
		t.transition("cpu", "2026-11-16T20:00:00Z", "INSUFFICIENT_DATA", "ALARM"),
		t.transition("cpu", "2026-11-16T20:10:00Z", "ALARM", "OK"),
	]
	t.passes(run(with_history(a, h)), a.arn)
}
