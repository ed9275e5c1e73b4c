package jalon.controls.aud_002_test

import rego.v1

import data.jalon.controls.aud_002 as c
import data.jalon.lib.testing as t

run(inp) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as t.config
	d := c.deny with input as inp with data.jalon.config as t.config
}

trail := t.trail("audit", {"s3_bucket_name": "audit-logs"})

snap(trails, buckets, groups) := t.snapshot({"cloudtrail": {"trails": trails}, "s3": {"buckets": buckets}, "logs": {"log_groups": groups}})

bucket_keeping(days, scope) := t.bucket("audit-logs", {"lifecycle_rules": [object.union(t.expiry_rule(days), {"applies_to": scope})]})

test_a_bucket_keeping_the_logs_a_year_passes if {
	r := run(snap([trail], [bucket_keeping(365, "")], []))
	t.passes(r, trail.arn)
	r.in_scope == [trail.arn]
}

test_a_rule_on_the_awslogs_prefix_counts if {
	t.passes(run(snap([trail], [bucket_keeping(200, "prefix AWSLogs/")], [])), trail.arn)
}

test_a_rule_on_another_prefix_does_not if {
	r := run(snap([trail], [bucket_keeping(200, "prefix tmp/")], []))
	t.fails_with(r, trail.arn, "its bucket audit-logs keeps the logs for ever")
}

test_too_short_and_too_long_fail if {
	t.fails_with(run(snap([trail], [bucket_keeping(90, "")], [])), trail.arn, "keeps the logs 90 days, under the 180-day minimum")
	t.fails_with(run(snap([trail], [bucket_keeping(400, "")], [])), trail.arn, "keeps the logs 400 days, above the 365-day maximum")
}

test_a_bucket_not_collected_fails_saying_so if {
	r := run(snap([trail], [], []))
	t.fails_with(r, trail.arn, "its bucket audit-logs was not collected")
	t.deny_within_scope(r)
}

test_the_log_group_is_judged_too if {
	group := t.log_group("cloudtrail/audit", {"retention_days": null})
	with_group := object.union(trail, {"cloud_watch_logs_log_group_arn": sprintf("%s:*", [group.arn])})
	r := run(snap([with_group], [bucket_keeping(365, "")], [group]))
	t.fails_with(r, trail.arn, "its log group cloudtrail/audit keeps the logs for ever")
}

test_no_trail_nothing_to_judge if {
	count(run(snap([], [], [])).in_scope) == 0
}
