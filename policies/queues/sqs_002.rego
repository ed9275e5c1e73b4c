# METADATA
# title: A consumed queue's visibility timeout is at least six times its consumer's timeout
# description: >-
#   Every SQS queue that an in-scope Lambda function consumes has a visibility timeout
#   of at least six times the longest timeout of the functions consuming it, as AWS
#   recommends. A shorter one lets a message become visible again while its first
#   invocation is still running (or being retried after throttling), so it is
#   processed twice.
# related_resources:
#   - https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
# custom:
#   id: SQS-002
#   phase: 0
#   severity: high
#   evidence: [sqs, lambda, tagging]
#   resource_type: queue
#   gdpr: []
#   remediation: >-
#     Set the queue's visibility timeout to at least six times its consumer's timeout.
#   fix:
#     - kind: sqs
#       commands:
#         - >-
#           aws sqs set-queue-attributes --region {region} --queue-url {queue_url}
#           --attributes 'VisibilityTimeout={VISIBILITY_TIMEOUT_SECONDS}'
#   inputs:
#     VISIBILITY_TIMEOUT_SECONDS:
#       per: resource
#       description: six times the consuming function's timeout, in seconds (the finding names it)
#   iac:
#     - type: AWS::SQS::Queue
#       properties: |
#         VisibilityTimeout: 180
#   attestation: false
package jalon.controls.sqs_002

import rego.v1

factor := 6

in_scope := data.jalon.lib.queues.consumed_arns

# Once per consumer whose timeout the visibility does not cover, naming it.
deny contains {"resource": q.arn, "message": msg} if {
	some [q, f] in data.jalon.lib.queues.consumptions
	t := timeout(f)
	q.visibility_timeout_seconds < factor * t
	msg := sprintf("visibility timeout %d s is below %d x the timeout of %s (%d s) = %d s: a message still being processed becomes visible again and is processed twice", [q.visibility_timeout_seconds, factor, f.name, t, factor * t])
}

# A timeout the snapshot does not hold is taken at Lambda's maximum: never a false pass.
timeout(f) := f.timeout_seconds if is_number(f.timeout_seconds)

else := 900
