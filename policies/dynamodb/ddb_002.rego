# METADATA
# title: DynamoDB tables have deletion protection on
# description: >-
#   Every in-scope DynamoDB table has deletion protection on, so neither a stray
#   `delete-table` nor a stack update that replaces the table can drop it and its
#   point-in-time recovery history with it: protection must be turned off first, on
#   purpose.
# related_resources:
#   - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithTables.Basics.html#WorkingWithTables.Basics.DeletionProtection
# custom:
#   id: DDB-002
#   phase: 7
#   severity: medium
#   evidence: [dynamodb, tagging]
#   resource_type: table
#   gdpr: ["32(1)(c)"]
#   remediation: >-
#     Turn deletion protection on.
#   fix:
#     - kind: dynamodb:table
#       commands:
#         - aws dynamodb update-table --region {region} --table-name {name} --deletion-protection-enabled
#   iac:
#     - type: AWS::DynamoDB::Table
#       properties: |
#         DeletionProtectionEnabled: true
#   attestation: false
package jalon.controls.ddb_002

import rego.v1

in_scope := [x.arn | some x in data.jalon.lib.dynamodb_tables]

deny contains {"resource": x.arn, "message": msg} if {
	some x in data.jalon.lib.dynamodb_tables
	x.deletion_protection != true
	msg := "deletion protection is off: one delete-table call drops the table and its recovery points"
}
