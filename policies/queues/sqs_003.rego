# METADATA
# title: Dead-letter queues alarm when a message lands
# description: >-
#   Every SQS queue where failed work lands (the redrive target of a queue, the
#   dead-letter queue or on-failure destination of an in-scope function or of its
#   event source mappings) has a CloudWatch alarm on ApproximateNumberOfMessagesVisible
#   that fires on one message and notifies (an alarm action, actions enabled).
#   Without it, failed orders, payments or notifications pile up unseen until their
#   retention expires.
# related_resources:
#   - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
#   - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
# custom:
#   id: SQS-003
#   phase: 7
#   severity: medium
#   evidence: [sqs, lambda, cloudwatch, tagging]
#   resource_type: queue
#   gdpr: [32(1)(b)]
#   remediation: >-
#     Alarm as soon as a message lands in the dead-letter queue.
#   fix:
#     - kind: sqs
#       commands:
#         - >-
#           aws cloudwatch put-metric-alarm --region {region} --alarm-name '{name}-messages-visible'
#           --namespace AWS/SQS --metric-name ApproximateNumberOfMessagesVisible
#           --dimensions '[{"Name":"QueueName","Value":"{name}"}]' --statistic Maximum
#           --period 300 --evaluation-periods 1 --threshold 0 --comparison-operator GreaterThanThreshold
#           --treat-missing-data notBreaching --alarm-actions {SNS_TOPIC_ARN}
#   inputs:
#     SNS_TOPIC_ARN:
#       per: region
#       description: the ARN of the SNS topic that pages the on-call
#   iac:
#     - type: AWS::CloudWatch::Alarm
#       properties: |
#         Namespace: AWS/SQS
#         MetricName: ApproximateNumberOfMessagesVisible
#         Dimensions: [{Name: QueueName, Value: !GetAtt DeadLetterQueue.QueueName}]
#         Statistic: Maximum
#         Period: 300
#         EvaluationPeriods: 1
#         Threshold: 0
#         ComparisonOperator: GreaterThanThreshold
#         TreatMissingData: notBreaching
#         AlarmActions: [!Ref OnCallTopic]
#   attestation: false
package jalon.controls.sqs_003

import rego.v1

in_scope := data.jalon.lib.queues.dead_letter_arns

# Once per sender (a queue's redrive, a function's dead-letter queue or destination).
deny contains {"resource": q.arn, "message": msg} if {
	alarmed := data.jalon.lib.queues.alarmed_queue_keys
	some [q, why] in data.jalon.lib.queues.dead_letters
	not [q.region, q.name] in alarmed
	msg := sprintf("%s, and no alarm notifies when a message lands in it (AWS/SQS ApproximateNumberOfMessagesVisible > 0 with an alarm action): failures pile up unseen for up to %d days", [why, q.message_retention_seconds / 86400])
}
