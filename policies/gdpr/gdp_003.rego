# METADATA
# title: Personal-data stores are encrypted at rest
# description: >-
#   Every personal-data store is encrypted at rest: RDS clusters and standalone instances
#   classified personal (and their read replicas) have storage encryption on, and log
#   groups holding personal data (own tag, or that of the Lambda functions writing to
#   them) are encrypted with a KMS key, and SQS queues classified personal encrypt their
#   messages (SSE-SQS or a KMS key). DynamoDB tables classified personal are in scope and
#   pass: DynamoDB encrypts every table (the appendix names the key). ElastiCache
#   replication groups classified personal are encrypted at rest (serverless caches
#   always are). S3 buckets classified personal are in scope and pass: S3 encrypts every
#   new object (SSE-S3 at least) since January 2023.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html
#   - https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
# custom:
#   id: GDP-003
#   phase: 0
#   severity: critical
#   evidence: [rds, logs, lambda, sqs, dynamodb, elasticache, s3, tagging]
#   resource_type: personal-data store
#   gdpr: ["32(1)(a)"]
#   remediation: >-
#     Encrypt the personal-data store at rest: a KMS key on a log group, SSE on a queue; a
#     database or a cache is moved to an encrypted copy (snapshot, encrypted copy, restore).
#   fix:
#     - kind: logs:log-group
#       commands:
#         - aws logs associate-kms-key --region {region} --log-group-name {name} --kms-key-id {LOGS_KMS_KEY_ARN}
#       note: the key's policy must let the CloudWatch Logs service of the region use it
#     - kind: sqs
#       commands:
#         - >-
#           aws sqs set-queue-attributes --region {region} --queue-url {queue_url}
#           --attributes '{"SqsManagedSseEnabled":"true"}'
#     - kind: rds
#       commands: []
#       note: by hand, as DB-002 says (snapshot, encrypted copy, restore)
#     - kind: elasticache
#       commands: []
#       note: by hand, as ECH-001 says (a new replication group restored with --at-rest-encryption-enabled)
#   inputs:
#     LOGS_KMS_KEY_ARN:
#       per: region
#       description: the ARN of the KMS key for log groups
#   iac:
#     - type: AWS::Logs::LogGroup
#       properties: |
#         KmsKeyId: !GetAtt LogsKey.Arn
#     - type: AWS::SQS::Queue
#       properties: |
#         SqsManagedSseEnabled: true
#   attestation: false
package jalon.controls.gdp_003

import rego.v1

in_scope := data.jalon.lib.inventory.personal_data_store_arns

deny contains {"resource": s.arn, "message": "holds personal data but its storage is not encrypted"} if {
	some s in data.jalon.lib.inventory.database_stores
	s.encrypted == false
}

deny contains {"resource": s.arn, "message": "log group holds personal data but is not encrypted with a KMS key"} if {
	some s in data.jalon.lib.inventory.log_group_stores
	s.encrypted == false
}

deny contains {"resource": s.arn, "message": "queue holds personal data but its messages are not encrypted at rest (neither SSE-SQS nor a KMS key)"} if {
	some s in data.jalon.lib.inventory.queue_stores
	s.encrypted == false
}

deny contains {"resource": s.arn, "message": "cache holds personal data but is not encrypted at rest"} if {
	some s in data.jalon.lib.inventory.cache_stores
	s.encrypted == false
}
