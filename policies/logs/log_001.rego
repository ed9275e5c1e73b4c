# METADATA
# title: Log groups keep logs at least the retention floor
# description: >-
#   Every in-scope CloudWatch Logs log group has a retention policy of at least
#   log_retention_floor_days (default 30 days), so incidents can be investigated. A log
#   group without retention ("never expire") fails here and in LOG-002: it has no retention
#   set at all.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention
# custom:
#   id: LOG-001
#   phase: 0
#   severity: high
#   evidence: [logs, tagging]
#   resource_type: log group
#   gdpr: ["30(1)(f)"]
#   remediation: >-
#     Set a retention of at least the floor (30 days by default; the config's
#     log_retention_floor_days).
#   fix:
#     - kind: logs:log-group
#       commands:
#         - aws logs put-retention-policy --region {region} --log-group-name {name} --retention-in-days {log_retention_floor_days}
#       note: the floor of jalon.toml, or the next period CloudWatch Logs accepts above it
#   iac:
#     - type: AWS::Logs::LogGroup
#       properties: |
#         RetentionInDays: 30
#   attestation: false
package jalon.controls.log_001

import rego.v1

in_scope := data.jalon.lib.log_group_arns

# The message is the same for every group: built once, before the loop.
deny contains {"resource": g.arn, "message": msg} if {
	floor := data.jalon.lib.config.thresholds.log_retention_floor_days
	msg := sprintf("retention is never-expire: no retention policy is set (the floor is %v days)", [floor])
	some g in data.jalon.lib.log_groups
	g.retention_days == null
}

deny contains {"resource": g.arn, "message": msg} if {
	floor := data.jalon.lib.config.thresholds.log_retention_floor_days
	some g in data.jalon.lib.log_groups
	g.retention_days != null
	g.retention_days < floor
	msg := sprintf("retention is %v days, below the floor of %v days", [g.retention_days, floor])
}
