package jalon.controls.ops_001_test

import rego.v1

import data.jalon.controls.ops_001 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(alarms, composites) := t.snapshot({"cloudwatch": {"metric_alarms": alarms, "composite_alarms": composites}})

test_runbook_link_passes if {
	a := t.metric_alarm("cpu", {"description": "CPU high. Runbook: https://wiki.example.com/runbooks/cpu"})
	r := run(snap([a], []))
	t.passes(r, a.arn)
	count(r.deny) == 0
}

test_http_link_passes if {
	a := t.metric_alarm("cpu", {"description": "see http://intranet/runbook"})
	t.passes(run(snap([a], [])), a.arn)
}

test_no_link_fails if {
	a := t.metric_alarm("cpu", {"description": "CPU is high, check the dashboard"})
	r := run(snap([a], []))
	t.fails_with(r, a.arn, "no runbook link")
	t.deny_within_scope(r)
}

test_no_description_fails if {
	a := t.metric_alarm("cpu", {"description": null})
	ca := t.composite_alarm("down", {"description": ""})
	r := run(snap([a], [ca]))
	t.fails_with(r, a.arn, "no description")
	t.fails(r, ca.arn)
}

test_non_paging_alarm_not_in_scope if {
	a := t.metric_alarm("cpu", {"description": null, "alarm_actions": []})
	r := run(snap([a], []))
	count(r.in_scope) == 0
}
