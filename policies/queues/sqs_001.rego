# METADATA
# title: Consumed queues redrive to a dead-letter queue
# description: >-
#   Every SQS queue that an in-scope Lambda function consumes through an event source
#   mapping has a redrive policy to a dead-letter queue that exists, with a maximum
#   receive count of at most 10. Without one, a message that keeps failing is received
#   again and again until its retention expires and is then lost; with a high count, a
#   poison message blocks its batch for that many attempts.
# related_resources:
#   - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
#   - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
# custom:
#   id: SQS-001
#   phase: 0
#   severity: high
#   evidence: [sqs, lambda, tagging]
#   resource_type: queue
#   gdpr: []
#   remediation: >-
#     Redrive the queue to a dead-letter queue after a few receives.
#   fix:
#     - kind: sqs
#       commands:
#         - >-
#           aws sqs set-queue-attributes --region {region} --queue-url {queue_url}
#           --attributes '{"RedrivePolicy":"{\"deadLetterTargetArn\":\"{DEAD_LETTER_QUEUE_ARN}\",\"maxReceiveCount\":\"5\"}"}'
#   inputs:
#     DEAD_LETTER_QUEUE_ARN:
#       per: region
#       description: the ARN of the dead-letter queue
#   iac:
#     - type: AWS::SQS::Queue
#       properties: |
#         RedrivePolicy:
#           deadLetterTargetArn: !GetAtt DeadLetterQueue.Arn
#           maxReceiveCount: 5
#   attestation: false
package jalon.controls.sqs_001

import rego.v1

import data.jalon.lib.queues

max_receive_ceiling := 10

in_scope := data.jalon.lib.queues.consumed_arns

# Without a redrive policy: once per consumer, naming it.
deny contains {"resource": q.arn, "message": msg} if {
	some [q, f] in data.jalon.lib.queues.consumptions
	q.redrive == null
	msg := sprintf("consumed by %s without a redrive policy: a message that keeps failing is retried until it expires after %s, then lost", [f.name, queues.duration(q.message_retention_seconds)])
}

deny contains {"resource": q.arn, "message": msg} if {
	known := data.jalon.lib.queues.by_arn
	some q in data.jalon.lib.queues.consumed
	q.redrive != null
	msg := redrive_problem(q, known)
}

redrive_problem(q, known) := sprintf("its redrive policy has no maximum receive count (at most %d)", [max_receive_ceiling]) if {
	q.redrive.max_receive_count == null
} else := sprintf("its maximum receive count is %d, above %d: a poison message holds its batch for every attempt", [q.redrive.max_receive_count, max_receive_ceiling]) if {
	q.redrive.max_receive_count > max_receive_ceiling
} else := sprintf("its dead-letter queue %s does not exist in the account and region", [q.redrive.dead_letter_target_arn]) if {
	same_place(q.redrive.dead_letter_target_arn, q.arn)
	not known[q.redrive.dead_letter_target_arn]
}

# A dead-letter queue must be in its source queue's account and region.
same_place(a, b) if array.slice(split(a, ":"), 3, 5) == array.slice(split(b, ":"), 3, 5)
