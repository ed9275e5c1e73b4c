# METADATA
# title: Event source mappings handle failed records
# description: >-
#   Every event source mapping of an in-scope function that is not disabled handles a
#   record or message that fails. SQS mappings that read batches of more than one
#   report item failures (ReportBatchItemFailures), else one failed message returns the
#   whole batch to the queue and the others are processed again (the queue's own
#   redrive is SQS-001). Stream mappings (Kinesis, DynamoDB Streams) and Kafka mappings
#   send failed batches to an on-failure destination, and stream mappings bound their
#   retries (maximum retry attempts or record age other than -1), else one poison
#   record blocks its shard until the stream drops it.
# related_resources:
#   - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
#   - https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-errors.html
# custom:
#   id: LMB-005
#   phase: 7
#   severity: medium
#   evidence: [lambda, tagging]
#   resource_type: mapping
#   gdpr: []
#   remediation: >-
#     Handle failed records: for an SQS source, report batch item failures (and return
#     batchItemFailures from the handler); for a stream or Kafka source, an on-failure
#     destination, bounded retries and bisecting a failing batch.
#   fix:
#     - kind: lambda:event-source-mapping
#       commands: []
#       note: >-
#         by hand, by source: SQS, aws lambda update-event-source-mapping --uuid (the mapping)
#         --function-response-types ReportBatchItemFailures; a stream, --destination-config with an
#         on-failure queue or topic, --maximum-retry-attempts 5 and --bisect-batch-on-function-error
#   iac:
#     - type: AWS::Lambda::EventSourceMapping
#       properties: |
#         FunctionResponseTypes: [ReportBatchItemFailures]
#   attestation: false
package jalon.controls.lmb_005

import rego.v1

# [mapping ARN, mapping, function] for the mappings of in-scope functions.
mappings := [[arn, m, f] |
	some [m, f] in data.jalon.lib.lambda.function_mappings
	m.state != "Disabled"
	arn := sprintf("arn:aws:lambda:%s:%s:event-source-mapping:%s", [m.region, split(f.arn, ":")[4], m.uuid])
]

in_scope := [x[0] | some x in mappings]

deny contains {"resource": arn, "message": msg} if {
	some [arn, m, f] in mappings
	kind := source_kind(m.event_source_arn)
	kind == "SQS"
	batch := m.batch_size
	batch_of_many(batch)
	not "ReportBatchItemFailures" in m.function_response_types
	msg := sprintf("%s reads %s in batches of %s without ReportBatchItemFailures: one failed message returns the whole batch to the queue, and the others are processed again", [f.name, source_name(m.event_source_arn), batch_text(batch)])
}

deny contains {"resource": arn, "message": msg} if {
	some [arn, m, f] in mappings
	kind := source_kind(m.event_source_arn)
	kind in {"Kinesis", "DynamoDB Streams", "Kafka"}
	m.on_failure_destination in {null, ""}
	msg := sprintf("%s reads %s (%s) without an on-failure destination: a batch that keeps failing is dropped with no record of it", [f.name, source_name(m.event_source_arn), kind])
}

deny contains {"resource": arn, "message": msg} if {
	some [arn, m, f] in mappings
	kind := source_kind(m.event_source_arn)
	kind in {"Kinesis", "DynamoDB Streams"}
	unbounded(m.maximum_retry_attempts)
	unbounded(m.maximum_record_age_seconds)
	msg := sprintf("%s reads %s (%s) with unbounded retries (maximum retry attempts and record age -1): one poison record blocks its shard until the stream drops it", [f.name, source_name(m.event_source_arn), kind])
}

source_kind(arn) := "SQS" if {
	is_string(arn)
	contains(arn, ":sqs:")
} else := "Kinesis" if {
	is_string(arn)
	contains(arn, ":kinesis:")
} else := "DynamoDB Streams" if {
	is_string(arn)
	contains(arn, ":dynamodb:")
	contains(arn, "/stream/")
} else := "Kafka" if {
	is_string(arn)
	contains(arn, ":kafka:")
} else := "other"

# The ARN's resource part: a queue's name, `stream/orders`, `table/t/stream/...`.
source_name(arn) := concat(":", array.slice(parts, 5, count(parts))) if {
	is_string(arn)
	parts := split(arn, ":")
	count(parts) > 5
} else := "a self-managed source"

# AWS's default SQS batch is 10.
batch_of_many(n) if n == null

batch_of_many(n) if {
	n != null
	n > 1
}

batch_text(n) := "10 (the default)" if n == null

batch_text(n) := sprintf("%d", [n]) if n != null

# Not in the snapshot, or -1: AWS's stream default is -1.
unbounded(n) if n == null

unbounded(n) if n == -1
