package jalon.controls.alm_004_test

import rego.v1

import data.jalon.controls.alm_004 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

alarm_to(topic_names) := t.metric_alarm("cpu", {"alarm_actions": [t.topic_arn(n) | some n in topic_names]})

snap(alarms, topic_names, subs) := t.snapshot({
	"cloudwatch": {"metric_alarms": alarms},
	"sns": {"topics": [t.topic(n) | some n in topic_names], "subscriptions": subs},
})

test_confirmed_subscription_passes if {
	r := run(snap([alarm_to(["alerts"])], ["alerts"], [t.subscription("alerts", true)]))
	t.passes(r, t.topic_arn("alerts"))
	count(r.deny) == 0
}

test_pending_only_fails if {
	r := run(snap([alarm_to(["alerts"])], ["alerts"], [t.subscription("alerts", false)]))
	t.fails_with(r, t.topic_arn("alerts"), "pending confirmation")
	t.deny_within_scope(r)
}

test_no_subscription_fails if {
	r := run(snap([alarm_to(["alerts"])], ["alerts"], []))
	t.fails_with(r, t.topic_arn("alerts"), "no subscription")
}

test_missing_topic_fails if {
	r := run(snap([alarm_to(["gone"])], [], []))
	t.fails_with(r, t.topic_arn("gone"), "does not exist")
}

test_untargeted_topic_not_in_scope if {
	r := run(snap([alarm_to(["alerts"])], ["alerts", "marketing"], [t.subscription("alerts", true)]))
	not t.topic_arn("marketing") in r.in_scope
}

test_one_confirmed_among_pending_passes if {
	r := run(snap([alarm_to(["alerts"])], ["alerts"], [t.subscription("alerts", false), t.subscription("alerts", true)]))
	t.passes(r, t.topic_arn("alerts"))
}

test_no_alarm_not_applicable if {
	r := run(snap([], ["alerts"], []))
	count(r.in_scope) == 0
}
