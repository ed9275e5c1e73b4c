# METADATA
# title: Data stores carry a data-classification tag
# description: >-
#   Every in-scope data store carries the scope.data_class_tag tag (default data-class)
#   with a non-empty value, so personal data can be located (record of processing,
#   Art. 30). Data stores are, for now, RDS clusters and standalone instances (read
#   replicas included; cluster members are classified through their cluster), SQS
#   queues (their messages are data too), DynamoDB tables, ElastiCache replication
#   groups and serverless caches, and S3 buckets.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Tagging.html
#   - https://eur-lex.europa.eu/eli/reg/2016/679/oj
# custom:
#   id: GDP-001
#   phase: 7
#   severity: high
#   evidence: [rds, sqs, dynamodb, elasticache, s3, tagging]
#   resource_type: data store
#   gdpr: ["30(1)(c)"]
#   remediation: >-
#     aws rds add-tags-to-resource --resource-name {arn} --tags Key=data-class,Value=<class>
#     for a database; aws sqs tag-queue --queue-url "$(aws sqs get-queue-url --queue-name '{name}'
#     --query QueueUrl --output text)" --tags data-class=<class> for a queue; aws dynamodb tag-resource
#     --resource-arn {arn} --tags Key=data-class,Value=<class> for a table; aws elasticache
#     add-tags-to-resource --resource-name {arn} --tags Key=data-class,Value=<class> for a cache;
#     aws s3api put-bucket-tagging --bucket '{name}' --tagging 'TagSet=[{Key=data-class,Value=<class>}]'
#     for a bucket (it replaces the bucket's tags: include the others)
#   attestation: false
package jalon.controls.gdp_001

import rego.v1

stores := array.concat(
	array.concat(data.jalon.lib.rds.stores, data.jalon.lib.sqs_queues),
	array.concat(
		data.jalon.lib.dynamodb_tables,
		array.concat(
			array.concat(data.jalon.lib.replication_groups, data.jalon.lib.serverless_caches),
			data.jalon.lib.buckets,
		),
	),
)

in_scope := [r.arn | some r in stores]

deny contains {"resource": r.arn, "message": msg} if {
	tag := data.jalon.lib.config.scope.data_class_tag
	msg := sprintf("no '%s' tag: its data classification is unknown", [tag])
	some r in stores
	not r.tags[tag]
}

deny contains {"resource": r.arn, "message": msg} if {
	tag := data.jalon.lib.config.scope.data_class_tag
	msg := sprintf("its '%s' tag is empty: its data classification is unknown", [tag])
	some r in stores
	trim_space(r.tags[tag]) == ""
}
