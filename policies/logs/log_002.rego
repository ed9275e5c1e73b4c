# METADATA
# title: Log groups keep logs no longer than the ceiling for their data class
# description: >-
#   No in-scope log group keeps data longer than its retention ceiling:
#   log_retention_ceiling_by_class[class] for the group's data class, else
#   log_retention_ceiling_days (default 365). The class is the group's own
#   scope.data_class_tag tag, else the class of the Lambda functions writing to it.
#   "Never expire" always fails: under GDPR storage limitation it is not compliant,
#   whatever other scanners say.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention
#   - https://eur-lex.europa.eu/eli/reg/2016/679/oj
# custom:
#   id: LOG-002
#   phase: 0
#   severity: high
#   evidence: [logs, lambda, tagging]
#   resource_type: log group
#   gdpr: ["5(1)(e)"]
#   remediation: >-
#     Set a retention no longer than the ceiling of the group's data class (365 days by
#     default; the config's log_retention_ceiling_days and log_retention_ceiling_by_class).
#   fix:
#     - kind: logs:log-group
#       commands:
#         - aws logs put-retention-policy --region {region} --log-group-name {name} --retention-in-days 365
#       note: 365 days is the default ceiling; a data class with a lower ceiling in jalon.toml needs fewer days
#   iac:
#     - type: AWS::Logs::LogGroup
#       properties: |
#         RetentionInDays: 365
#   attestation: false
package jalon.controls.log_002

import rego.v1

import data.jalon.lib.logs

in_scope := data.jalon.lib.log_group_arns

# No class-specific ceiling configured (the default): every group has the default ceiling.
deny contains {"resource": g.arn, "message": msg} if {
	data.jalon.lib.logs.ceilings_by_class == {}
	ceiling := data.jalon.lib.config.thresholds.log_retention_ceiling_days
	msg := sprintf("retention is never-expire, above the ceiling of %v days", [ceiling])
	some g in data.jalon.lib.log_groups
	g.retention_days == null
}

deny contains {"resource": g.arn, "message": msg} if {
	data.jalon.lib.logs.ceilings_by_class == {}
	ceiling := data.jalon.lib.config.thresholds.log_retention_ceiling_days
	some g in data.jalon.lib.log_groups
	g.retention_days != null
	g.retention_days > ceiling
	msg := sprintf("retention is %v days, above the ceiling of %v days", [g.retention_days, ceiling])
}

# Class-specific ceilings: look the group's classes up (own tag, else its functions').
deny contains {"resource": g.arn, "message": msg} if {
	data.jalon.lib.logs.ceilings_by_class != {}
	some g in data.jalon.lib.log_groups
	g.retention_days == null
	ceiling := logs.ceiling_days(g)
	msg := sprintf("retention is never-expire, above the ceiling of %v days%s", [ceiling, logs.ceiling_reason(g)])
}

# Only groups above the lowest ceiling any class has need their own ceiling looked up.
deny contains {"resource": g.arn, "message": msg} if {
	data.jalon.lib.logs.ceilings_by_class != {}
	lowest := data.jalon.lib.logs.lowest_ceiling
	some g in data.jalon.lib.log_groups
	g.retention_days != null
	g.retention_days > lowest
	ceiling := logs.ceiling_days(g)
	g.retention_days > ceiling
	msg := sprintf("retention is %v days, above the ceiling of %v days%s", [g.retention_days, ceiling, logs.ceiling_reason(g)])
}
