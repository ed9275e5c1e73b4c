# METADATA
# title: DynamoDB tables have point-in-time recovery on
# description: >-
#   Every in-scope DynamoDB table has point-in-time recovery (continuous backups) on, so
#   a table can be restored to any second of its recovery period (35 days by default)
#   after a faulty deployment or an accidental write or delete. Without it only the
#   on-demand backups someone remembered to take can bring the data back.
# related_resources:
#   - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Point-in-time-recovery.html
# custom:
#   id: DDB-001
#   phase: 0
#   severity: high
#   evidence: [dynamodb, tagging]
#   resource_type: table
#   gdpr: ["32(1)(c)"]
#   remediation: >-
#     Turn point-in-time recovery on.
#   fix:
#     - kind: dynamodb:table
#       commands:
#         - >-
#           aws dynamodb update-continuous-backups --region {region} --table-name {name}
#           --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true
#   iac:
#     - type: AWS::DynamoDB::Table
#       properties: |
#         PointInTimeRecoverySpecification:
#           PointInTimeRecoveryEnabled: true
#   attestation: false
package jalon.controls.ddb_001

import rego.v1

in_scope := [x.arn | some x in data.jalon.lib.dynamodb_tables]

deny contains {"resource": x.arn, "message": msg} if {
	some x in data.jalon.lib.dynamodb_tables
	x.point_in_time_recovery != true
	msg := "point-in-time recovery is off: a faulty write or delete can be undone only from an on-demand backup, if one was taken"
}
