# METADATA
# title: PostgreSQL logs are exported to CloudWatch Logs
# description: >-
#   Every in-scope PostgreSQL database (RDS for PostgreSQL standalone instances, Aurora
#   PostgreSQL and Multi-AZ PostgreSQL clusters) exports its "postgresql" log to
#   CloudWatch Logs, where retention and access are controlled. Cluster members export
#   through their cluster. Other engines are not in scope.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html
# custom:
#   id: DB-007
#   phase: 7
#   severity: medium
#   evidence: [rds, tagging]
#   resource_type: database
#   gdpr: ["30", "32"]
#   remediation: >-
#     Export the PostgreSQL log to CloudWatch Logs (on the cluster for Aurora).
#   fix:
#     - kind: rds:db
#       commands:
#         - >-
#           aws rds modify-db-instance --region {region} --db-instance-identifier {name}
#           --cloudwatch-logs-export-configuration '{"EnableLogTypes":["postgresql"]}' --apply-immediately
#     - kind: rds:cluster
#       commands:
#         - >-
#           aws rds modify-db-cluster --region {region} --db-cluster-identifier {name}
#           --cloudwatch-logs-export-configuration '{"EnableLogTypes":["postgresql"]}' --apply-immediately
#   iac:
#     - type: AWS::RDS::DBInstance
#       properties: |
#         EnableCloudwatchLogsExports: [postgresql]
#     - type: AWS::RDS::DBCluster
#       properties: |
#         EnableCloudwatchLogsExports: [postgresql]
#   attestation: false
package jalon.controls.db_007

import rego.v1

in_scope := {r.arn | some r in data.jalon.lib.rds.postgres_stores}

deny contains {"resource": r.arn, "message": msg} if {
	some r in data.jalon.lib.rds.postgres_stores
	not "postgresql" in r.cloudwatch_logs_exports
	msg := sprintf("the postgresql log is not exported to CloudWatch Logs (exports: %s)", [exports(r)])
}

exports(r) := concat(", ", r.cloudwatch_logs_exports) if {
	count(r.cloudwatch_logs_exports) > 0
} else := "none"
