# METADATA
# title: Performance Insights is on, with enough retention
# description: >-
#   Every in-scope RDS instance (Aurora members included: Performance Insights is set
#   per instance) has Performance Insights (Database Insights) enabled with a retention of
#   at least performance_insights_min_days (default 7 days), so a slow query can be
#   diagnosed after the fact. An enabled instance whose retention is not reported fails:
#   the retention cannot be shown.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.html
# custom:
#   id: DB-001
#   phase: 0
#   severity: medium
#   evidence: [rds, tagging]
#   resource_type: DB instance
#   gdpr: []
#   remediation: >-
#     Turn Performance Insights on with at least 7 days of retention.
#   fix:
#     - kind: rds:db
#       commands:
#         - >-
#           aws rds modify-db-instance --region {region} --db-instance-identifier {name}
#           --enable-performance-insights --performance-insights-retention-period 7 --apply-immediately
#   iac:
#     - type: AWS::RDS::DBInstance
#       properties: |
#         EnablePerformanceInsights: true
#         PerformanceInsightsRetentionPeriod: 7
#   attestation: false
package jalon.controls.db_001

import rego.v1

in_scope := data.jalon.lib.db_instance_arns

deny contains {"resource": i.arn, "message": "Performance Insights is off"} if {
	some i in data.jalon.lib.db_instances
	i.performance_insights_enabled != true
}

deny contains {"resource": i.arn, "message": msg} if {
	min_days := data.jalon.lib.config.thresholds.performance_insights_min_days
	some i in data.jalon.lib.db_instances
	i.performance_insights_enabled == true
	i.performance_insights_retention_days == null
	msg := sprintf("Performance Insights is on but its retention is not reported (at least %v days required)", [min_days])
}

deny contains {"resource": i.arn, "message": msg} if {
	min_days := data.jalon.lib.config.thresholds.performance_insights_min_days
	some i in data.jalon.lib.db_instances
	i.performance_insights_enabled == true
	i.performance_insights_retention_days != null
	i.performance_insights_retention_days < min_days
	msg := sprintf("Performance Insights retention is %v days, below %v days", [i.performance_insights_retention_days, min_days])
}
