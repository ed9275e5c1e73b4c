# METADATA
# title: Personal data expires where its store can expire it
# description: >-
#   Every personal-data store whose service deletes data on a schedule is set to: a
#   DynamoDB table classified personal has TTL on (an item is deleted after the time in
#   its TTL attribute), and an SQS queue classified personal keeps a message no longer
#   than the retention ceiling of its class (LOG-002's, per data class). Log groups
#   (LOG-002) and database backups (DB-004) are judged by their own controls; rows in a
#   database are deleted by the application, which the erasure procedure covers
#   (GDP-006). An ElastiCache cache classified personal keeps its automatic snapshots no
#   longer than the backup retention ceiling (DB-004's). An S3 bucket classified personal
#   has an enabled lifecycle rule expiring every object (not only a prefix or a tag) and,
#   once versioning was on, its noncurrent versions too (a deleted object otherwise stays
#   as a noncurrent version).
# related_resources:
#   - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
#   - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-configure-queue-parameters.html
#   - https://eur-lex.europa.eu/eli/reg/2016/679/oj
# custom:
#   id: GDP-005
#   phase: 30
#   severity: medium
#   evidence: [dynamodb, sqs, elasticache, s3, tagging]
#   resource_type: personal-data store
#   gdpr: ["5(1)(e)", "17"]
#   remediation: >-
#     Let personal data expire where the store can expire it: a TTL attribute on a table
#     (written by the application on every item), a message retention within the ceiling on a
#     queue, a lifecycle expiration on a bucket.
#   fix:
#     - kind: dynamodb:table
#       commands:
#         - >-
#           aws dynamodb update-time-to-live --region {region} --table-name {name}
#           --time-to-live-specification 'Enabled=true,AttributeName={TTL_ATTRIBUTE}'
#       note: the application must write that attribute (epoch seconds) on every item
#     - kind: sqs
#       commands:
#         - >-
#           aws sqs set-queue-attributes --region {region} --queue-url {queue_url}
#           --attributes 'MessageRetentionPeriod={MESSAGE_RETENTION_SECONDS}'
#     - kind: s3
#       commands: []
#       note: >-
#         by hand: aws s3api put-bucket-lifecycle-configuration replaces the bucket's rules; add an
#         Expiration (and NoncurrentVersionExpiration) rule to the ones it has
#   inputs:
#     TTL_ATTRIBUTE:
#       per: resource
#       description: the item attribute that holds the expiry time, in epoch seconds
#     MESSAGE_RETENTION_SECONDS:
#       per: resource
#       description: how long the queue keeps a message, in seconds, within the data class's ceiling
#   iac:
#     - type: AWS::DynamoDB::Table
#       properties: |
#         TimeToLiveSpecification:
#           AttributeName: expires_at
#           Enabled: true
#   attestation: false
package jalon.controls.gdp_005

import rego.v1

in_scope := array.concat(
	array.concat(
		[x.arn | some x in data.jalon.lib.inventory.personal_tables],
		[q.arn | some q in data.jalon.lib.inventory.personal_queues],
	),
	array.concat([c.arn | some c in personal_caches], [b.arn | some b in data.jalon.lib.inventory.personal_buckets]),
)

deny contains {"resource": b.arn, "message": msg} if {
	some b in data.jalon.lib.inventory.personal_buckets
	not expires_every_object(b)
	msg := sprintf("holds personal data but no enabled lifecycle rule expires every object%s: objects stay until deleted", [partial_rules(b)])
}

deny contains {"resource": b.arn, "message": msg} if {
	some b in data.jalon.lib.inventory.personal_buckets
	b.versioning != "Disabled"
	not expires_noncurrent_versions(b)
	msg := sprintf("versioning is %s but no enabled rule expires noncurrent versions: a deleted object stays as a noncurrent version", [lower(b.versioning)])
}

expires_every_object(b) if {
	some r in b.lifecycle_rules
	r.enabled == true
	r.applies_to == ""
	expires(r)
}

expires(r) if r.expiration_days != null

expires(r) if r.expiration_date != null

expires_noncurrent_versions(b) if {
	some r in b.lifecycle_rules
	r.enabled == true
	r.applies_to == ""
	r.noncurrent_expiration_days != null
}

# The rules that expire some objects only, named.
partial_rules(b) := sprintf(" (only %s)", [concat("; ", parts)]) if {
	parts := [sprintf("%s: %s", [r.id, r.applies_to]) | some r in b.lifecycle_rules; r.enabled == true; r.applies_to != ""; expires(r)]
	count(parts) > 0
} else := ""

personal_caches := array.concat(data.jalon.lib.inventory.personal_replication_groups, data.jalon.lib.inventory.personal_serverless_caches)

deny contains {"resource": c.arn, "message": msg} if {
	ceiling := data.jalon.lib.config.thresholds.backup_retention_max_days
	some c in personal_caches
	c.snapshot_retention_days > ceiling
	msg := sprintf("keeps automatic snapshots %d days, above the %d-day backup retention ceiling", [c.snapshot_retention_days, ceiling])
}

deny contains {"resource": x.arn, "message": msg} if {
	some x in data.jalon.lib.inventory.personal_tables
	x.ttl_attribute == null
	msg := "holds personal data but TTL is off: its items stay until the application deletes them"
}

deny contains {"resource": s.arn, "message": msg} if {
	retention := {q.arn: q.message_retention_seconds | some q in data.jalon.lib.inventory.personal_queues}
	some s in data.jalon.lib.inventory.queue_stores
	kept := retention[s.arn]
	kept > s.retention_ceiling_days * 86400
	msg := sprintf("keeps messages %s, above the %d-day ceiling of data class %s", [data.jalon.lib.queues.duration(kept), s.retention_ceiling_days, s.data_class])
}

