# METADATA
# title: No error-rate alarm left firing in the first hours after the cutover
# description: >-
#   In the first alarm_watch_hours (default 24 h) after the cutover, every in-scope
#   error-rate alarm (ALM-001's) that went to ALARM came back out of it within
#   alarm_answer_max_minutes (default 60 min): someone answered it, rolled back or fixed
#   forward. Read from the alarm history (collect --metrics, on by default with a
#   cutover date; CloudWatch keeps 30 days of it). Judged once the cutover has come,
#   for the regions whose collected history reaches back to it.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarmHistory.html
#   - https://sre.google/sre-book/being-on-call/
# custom:
#   id: ALM-007
#   phase: 0
#   severity: high
#   evidence: [cloudwatch, metrics, tagging]
#   resource_type: alarm
#   gdpr: []
#   remediation: >-
#     Read the alarm's history, write down who answered it and why it stayed in ALARM, and route
#     the alarm to a pager.
#   fix:
#     - kind: cloudwatch:alarm
#       commands:
#         - aws cloudwatch describe-alarm-history --region {region} --alarm-name {name} --history-item-type StateUpdate
#       note: read-only; the fix is the incident follow-up, not a setting
#   attestation: false
package jalon.controls.alm_007

import rego.v1

# The error-rate alarms, once each, by ARN.
error_rate_alarms := {a.arn: a | some q in data.jalon.lib.alarms.error_rate_queries; a := q[0]}

watch_end_ns := data.jalon.lib.metrics.cutover_ns + (data.jalon.lib.config.thresholds.alarm_watch_hours * data.jalon.lib.ns_per_hour)

in_scope := [arn |
	data.jalon.lib.metrics.cutover_ns <= data.jalon.lib.now_ns
	some arn, a in error_rate_alarms
	data.jalon.lib.metrics.history_covers_cutover(a.region)
]

# The in-scope error-rate alarms by "region|name".
watched_by_key := {concat("|", [a.region, a.name]): arn | some arn in in_scope; a := error_rate_alarms[arn]}

deny contains {"resource": arn, "message": msg} if {
	data.jalon.lib.metrics.cutover_ns <= data.jalon.lib.now_ns
	limit_ns := (data.jalon.lib.config.thresholds.alarm_answer_max_minutes * 60) * data.jalon.lib.ns_per_second
	some [key, entered, left] in data.jalon.lib.metrics.alarm_stretches
	entered >= data.jalon.lib.metrics.cutover_ns
	entered < watch_end_ns
	arn := watched_by_key[key]
	msg := unanswered(entered, left, limit_ns)
}

unanswered(entered, null, limit_ns) := sprintf("went to ALARM at %s, %d h after the cutover, and is still in ALARM (%s, more than %d min)", [
	time.format(entered),
	floor((entered - data.jalon.lib.metrics.cutover_ns) / data.jalon.lib.ns_per_hour),
	data.jalon.lib.metrics.duration_text(data.jalon.lib.now_ns - entered),
	data.jalon.lib.config.thresholds.alarm_answer_max_minutes,
]) if data.jalon.lib.now_ns - entered > limit_ns

unanswered(entered, left, limit_ns) := sprintf("went to ALARM at %s, %d h after the cutover, and stayed %s (more than %d min)", [
	time.format(entered),
	floor((entered - data.jalon.lib.metrics.cutover_ns) / data.jalon.lib.ns_per_hour),
	data.jalon.lib.metrics.duration_text(left - entered),
	data.jalon.lib.config.thresholds.alarm_answer_max_minutes,
]) if {
	left != null
	left - entered > limit_ns
}
