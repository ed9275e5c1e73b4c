# METADATA
# title: Personal-data stores and their replicas stay in allowed regions
# description: >-
#   Every personal-data store is in one of allowed_regions (default: the EU regions), and
#   so is every read replica of one, whatever the replica's own tags (the data follows its
#   source). The stores are those of the personal-data inventory (lib/inventory.rego):
#   in-scope RDS clusters, standalone instances and their replicas, log groups, SQS
#   queues, DynamoDB tables (with the regions of their global-table replicas) and
#   ElastiCache caches and S3 buckets, whose
#   data class (scope.data_class_tag, a log group's own or that of the Lambda functions
#   writing to it) is one of scope.personal_data_classes.
# related_resources:
#   - https://eur-lex.europa.eu/eli/reg/2016/679/oj
#   - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.XRgn.html
# custom:
#   id: GDP-002
#   phase: 0
#   severity: high
#   evidence: [rds, logs, lambda, sqs, dynamodb, elasticache, s3, tagging]
#   resource_type: personal-data store
#   gdpr: ["44", "45", "46", "47", "48", "49"]
#   remediation: >-
#     Move personal data into an allowed region: a database through a read replica in an
#     allowed region (promoted, then the old one deleted), a log group by sending the logs to a
#     group in an allowed region, a global table by deleting its replica in the region that is
#     not allowed (aws dynamodb update-table --replica-updates). Every move is a migration:
#     no command here.
#   attestation: false
package jalon.controls.gdp_002

import rego.v1

allowed := {r | some r in data.jalon.lib.config.allowed_regions}

in_scope := data.jalon.lib.inventory.personal_data_store_arns

deny contains {"resource": s.arn, "message": msg} if {
	ok := allowed
	some s in data.jalon.lib.inventory.personal_data_stores
	not s.region in ok
	msg := sprintf("%s in %s, outside the allowed regions (%s)", [what(s), s.region, concat(", ", sort(ok))])
}

# A global table copies every item to each replica region.
deny contains {"resource": s.arn, "message": msg} if {
	ok := allowed
	some s in data.jalon.lib.inventory.table_stores
	outside := [r | some r in s.replica_regions; not r in ok]
	count(outside) > 0
	msg := sprintf("global table replicates personal data to %s, outside the allowed regions (%s)", [concat(", ", outside), concat(", ", sort(ok))])
}

what(s) := sprintf("read replica of a personal-data store (%s) stored", [s.replica_of]) if {
	is_string(s.replica_of)
	s.replica_of != ""
} else := "personal data stored"
