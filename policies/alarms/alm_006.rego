# METADATA
# title: No alarm stuck in INSUFFICIENT_DATA
# description: >-
#   No in-scope alarm (metric or composite, scaling triggers aside) has been in the
#   INSUFFICIENT_DATA state for more than insufficient_data_max_hours (default 24 h) before
#   the evaluation date. An alarm stuck there usually watches a metric that does not
#   exist (a wrong dimension value or metric name) and would never fire. An alarm in
#   INSUFFICIENT_DATA with no state timestamp fails: its age cannot be shown. When the
#   snapshot holds the alarm history (collect --metrics), an alarm that spent longer
#   than that in INSUFFICIENT_DATA within the metric window fails too, even if it has
#   left it since: it went blind once and can again.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-missing-data
# custom:
#   id: ALM-006
#   phase: 7
#   severity: medium
#   evidence: [cloudwatch, tagging]
#   resource_type: alarm
#   gdpr: []
#   remediation: >-
#     Look at the alarm's metric: an alarm stuck in INSUFFICIENT_DATA watches a metric name or
#     dimensions that publish nothing. Correct them where the alarm is defined.
#   fix:
#     - kind: cloudwatch:alarm
#       commands:
#         - aws cloudwatch describe-alarms --region {region} --alarm-names {name}
#       note: read-only; compare its namespace, metric name and dimensions with what the resource publishes
#   attestation: false
package jalon.controls.alm_006

import rego.v1

import data.jalon.lib

in_scope := data.jalon.lib.alarms.notifying_arns

# The few alarms in INSUFFICIENT_DATA, found in one pass: both rules below read them.
insufficient_data_alarms := [a | some a in data.jalon.lib.alarms.notifying_alarms; a.state_value == "INSUFFICIENT_DATA"]

deny contains {"resource": a.arn, "message": msg} if {
	now := data.jalon.lib.now_ns
	limit := data.jalon.lib.config.thresholds.insufficient_data_max_hours
	limit_ns := limit * data.jalon.lib.ns_per_hour
	some a in insufficient_data_alarms
	since := lib.ts_ns(a.state_updated_at)
	now - since > limit_ns
	msg := sprintf("in INSUFFICIENT_DATA for %v h (since %s), more than %v h: check its metric name and dimensions", [
		lib.hours_since(since),
		a.state_updated_at,
		limit,
	])
}

deny contains {"resource": a.arn, "message": "in INSUFFICIENT_DATA since an unknown time (no state timestamp)"} if {
	some a in insufficient_data_alarms
	not lib.ts_ns(a.state_updated_at)
}

# Notifying alarms by "region|name", for the few history stretches that are too long.
notifying_by_key := {concat("|", [a.region, a.name]): a.arn | some a in data.jalon.lib.alarms.notifying_alarms}

deny contains {"resource": arn, "message": msg} if {
	limit := data.jalon.lib.config.thresholds.insufficient_data_max_hours
	some [key, entered, left] in data.jalon.lib.metrics.insufficient_data_stretches
	left != null
	left - entered > limit * data.jalon.lib.ns_per_hour
	arn := notifying_by_key[key]
	msg := sprintf("was in INSUFFICIENT_DATA for %s (%s to %s), more than %v h: check its metric name and dimensions", [
		data.jalon.lib.metrics.duration_text(left - entered),
		time.format(entered),
		time.format(left),
		limit,
	])
}
