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
#     Tag the data store with its data class (the config's data_class_tag, `data-class` by
#     default).
#   fix:
#     - kind: rds
#       commands:
#         - aws rds add-tags-to-resource --region {region} --resource-name {arn} --tags 'Key=data-class,Value={DATA_CLASS}'
#     - kind: sqs
#       commands:
#         - aws sqs tag-queue --region {region} --queue-url {queue_url} --tags 'data-class={DATA_CLASS}'
#     - kind: dynamodb:table
#       commands:
#         - aws dynamodb tag-resource --region {region} --resource-arn {arn} --tags 'Key=data-class,Value={DATA_CLASS}'
#     - kind: elasticache
#       commands:
#         - aws elasticache add-tags-to-resource --region {region} --resource-name {arn} --tags 'Key=data-class,Value={DATA_CLASS}'
#     - kind: s3
#       commands: []
#       note: >-
#         by hand: aws s3api put-bucket-tagging replaces every tag of the bucket, so read them
#         first (aws s3api get-bucket-tagging) and put them back with data-class added
#   inputs:
#     DATA_CLASS:
#       per: resource
#       description: the data class of the store's data (personal, internal, public...)
#   iac:
#     - type: AWS::DynamoDB::Table
#       properties: |
#         Tags:
#           - Key: data-class
#             Value: personal
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
