package jalon.controls.alm_007_test

import rego.v1

import data.jalon.controls.alm_007 as c
import data.jalon.lib.testing as t

# The cutover on 2026-11-20: the evaluation (2026-11-22T10:00:00Z) is 58 h later.
cutover := t.config_with({"cutover": "2026-11-20"})

run(inp) := run_cfg(inp, cutover)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

alarm := t.error_rate_alarm("orders", {})

snap(history) := t.snapshot({
	"cloudwatch": {"metric_alarms": [alarm, t.metric_alarm("cpu", {})]},
	"metrics": {
		"windows": [t.metric_window("2026-11-20T00:00:00Z", {})],
		"alarm_history": history,
	},
})

fired(at, back) := [
	t.transition(alarm.name, at, "OK", "ALARM"),
	t.transition(alarm.name, back, "ALARM", "OK"),
]

test_an_alarm_answered_within_the_hour_passes if {
	r := run(snap(fired("2026-11-20T03:00:00Z", "2026-11-20T03:40:00Z")))
	t.passes(r, alarm.arn)
	# Only error-rate alarms are judged.
	t.eq(r.in_scope, [alarm.arn])
}

test_an_alarm_left_firing_fails if {
	r := run(snap(fired("2026-11-20T03:00:00Z", "2026-11-20T05:10:00Z")))
	t.fails_with(r, alarm.arn, "went to ALARM at 2026-11-20T03:00:00Z, 3 h after the cutover, and stayed 2 h 10 min (more than 60 min)")
	t.deny_within_scope(r)
}

test_an_alarm_still_firing_fails if {
	r := run(snap([t.transition(alarm.name, "2026-11-20T22:00:00Z", "OK", "ALARM")]))
	t.fails_with(r, alarm.arn, "is still in ALARM (36 h 0 min, more than 60 min)")
}

test_leaving_alarm_for_insufficient_data_counts_as_leaving if {
	h := [
		t.transition(alarm.name, "2026-11-20T03:00:00Z", "OK", "ALARM"),
		t.transition(alarm.name, "2026-11-20T03:20:00Z", "ALARM", "INSUFFICIENT_DATA"),
	]
	t.passes(run(snap(h)), alarm.arn)
}

test_only_the_first_hours_are_watched if {
	late := fired("2026-11-21T03:00:00Z", "2026-11-21T09:00:00Z")
	t.passes(run(snap(late)), alarm.arn)
	# A longer watch takes it in.
	cfg := t.config_with({"cutover": "2026-11-20", "thresholds": {"alarm_watch_hours": 48}})
	t.fails(run_cfg(snap(late), cfg), alarm.arn)
	# Before the cutover: not watched.
	t.passes(run(snap(fired("2026-11-19T20:00:00Z", "2026-11-19T23:00:00Z"))), alarm.arn)
}

test_the_answer_time_is_the_config_s if {
	h := fired("2026-11-20T03:00:00Z", "2026-11-20T03:40:00Z")
	cfg := t.config_with({"cutover": "2026-11-20", "thresholds": {"alarm_answer_max_minutes": 30}})
	t.fails_with(run_cfg(snap(h), cfg), alarm.arn, "stayed 40 min (more than 30 min)")
}

test_nothing_is_judged_before_the_cutover_or_without_history_back_to_it if {
	t.eq(run_cfg(snap([]), t.config_with({"cutover": "2026-12-01"})).in_scope, [])
	t.eq(run_cfg(snap([]), t.config).in_scope, [])
	late_window := t.snapshot({
		"cloudwatch": {"metric_alarms": [alarm]},
		"metrics": {"windows": [t.metric_window("2026-11-21T00:00:00Z", {})], "alarm_history": []},
	})
	t.eq(run(late_window).in_scope, [])
}
