package jalon.controls.alm_003_test

import rego.v1

import data.jalon.controls.alm_003 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

topics := [t.topic("alerts")]

with_alarms(metric, composite) := t.snapshot({
	"cloudwatch": {"metric_alarms": metric, "composite_alarms": composite},
	"sns": {"topics": topics, "subscriptions": [t.subscription("alerts", true)]},
})

test_alarm_with_existing_topic_passes if {
	a := t.metric_alarm("cpu", {})
	r := run(with_alarms([a], []))
	t.passes(r, a.arn)
	count(r.deny) == 0
}

test_composite_alarm_in_scope if {
	ca := t.composite_alarm("service-down", {})
	r := run(with_alarms([], [ca]))
	t.passes(r, ca.arn)
}

test_no_actions_fails if {
	a := t.metric_alarm("cpu", {"alarm_actions": []})
	r := run(with_alarms([a], []))
	t.fails_with(r, a.arn, "no alarm action")
	t.deny_within_scope(r)
}

test_actions_disabled_fails if {
	a := t.metric_alarm("cpu", {"actions_enabled": false})
	t.fails_with(run(with_alarms([a], [])), a.arn, "actions are disabled")
	ca := t.composite_alarm("down", {"actions_enabled": false})
	t.fails_with(run(with_alarms([], [ca])), ca.arn, "actions are disabled")
}

test_missing_topic_fails if {
	a := t.metric_alarm("cpu", {"alarm_actions": [t.topic_arn("alerts"), t.topic_arn("deleted")]})
	t.fails_with(run(with_alarms([a], [])), a.arn, sprintf("not found in the snapshot: %s", [t.topic_arn("deleted")]))
}

test_non_sns_action_only_fails if {
	a := t.metric_alarm("cpu", {"alarm_actions": ["arn:aws:lambda:eu-west-1:123456789012:function:pager"]})
	t.fails_with(run(with_alarms([a], [])), a.arn, "none of its alarm actions is an SNS topic")
}

# Only the first action is looked at first: a topic after a Lambda action still notifies.
test_sns_action_after_a_non_sns_one_passes if {
	pager := "arn:aws:lambda:eu-west-1:123456789012:function:pager"
	a := t.metric_alarm("cpu", {"alarm_actions": [pager, t.topic_arn("alerts")]})
	b := t.metric_alarm("mem", {"alarm_actions": [pager, pager]})
	r := run(with_alarms([a, b], []))
	t.passes(r, a.arn)
	t.fails_with(r, b.arn, "none of its alarm actions is an SNS topic")
}

test_scaling_trigger_not_in_scope if {
	policy := "arn:aws:autoscaling:eu-west-1:123456789012:scalingPolicy:abc:resource/dynamodb/table/orders:policyName/tt"
	a := t.metric_alarm("TargetTracking-table-AlarmHigh", {"alarm_actions": [policy], "description": null})
	r := run(with_alarms([a], []))
	not a.arn in r.in_scope
	count(r.deny) == 0
}

test_alarm_tagged_other_env_excluded if {
	cfg := t.config_with({"scope": {"require_tags": {"env": "prod"}}})
	staging := t.metric_alarm("staging-cpu", {"tags": {"env": "staging"}, "alarm_actions": []})
	untagged := t.metric_alarm("cpu", {"alarm_actions": []})
	r := run_cfg(with_alarms([staging, untagged], []), cfg)
	not staging.arn in r.in_scope
	t.fails(r, untagged.arn)
}
