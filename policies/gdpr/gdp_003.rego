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
#   remediation: IaC property StorageEncrypted true on the RDS database {name}, or KmsKeyId on the log group {name} (aws logs associate-kms-key --log-group-name {name} --kms-key-id <key-arn>)
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
