# METADATA
# title: Asynchronously invoked functions have a DLQ or an on-failure destination
# description: >-
#   Every in-scope Lambda function invoked asynchronously has a dead-letter queue or an
#   on-failure destination (in any of its event invoke configs), so a failed event is kept
#   rather than dropped after retries. A function is invoked asynchronously when its
#   resource policy lets an asynchronous service invoke it (SNS, S3, EventBridge, CloudWatch
#   Logs, SES, IoT, CloudWatch alarms, CodeCommit, Config) or when it has an event invoke
#   config. Functions invoked only synchronously (API Gateway, load balancers) or through
#   event source mappings (SQS, Kinesis, DynamoDB) are not in scope: DLQs serve
#   asynchronous invocations only.
# related_resources:
#   - https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
# custom:
#   id: LMB-001
#   phase: 0
#   severity: medium
#   evidence: [lambda, tagging]
#   resource_type: function
#   gdpr: []
#   remediation: >-
#     Give the asynchronously invoked function an on-failure destination (or a dead-letter
#     queue).
#   fix:
#     - kind: lambda:function
#       commands:
#         - >-
#           aws lambda put-function-event-invoke-config --region {region} --function-name {name}
#           --destination-config '{"OnFailure":{"Destination":"{FAILURE_DESTINATION_ARN}"}}'
#       note: the function's role must be allowed to send to the destination
#   inputs:
#     FAILURE_DESTINATION_ARN:
#       per: region
#       description: the ARN of the SQS queue or SNS topic that receives failed events
#   iac:
#     - type: AWS::Serverless::Function
#       properties: |
#         EventInvokeConfig:
#           DestinationConfig:
#             OnFailure:
#               Type: SQS
#               Destination: !GetAtt FailedEventsQueue.Arn
#   attestation: false
package jalon.controls.lmb_001

import rego.v1

import data.jalon.lib.lambda

async_functions := [f |
	arns := data.jalon.lib.lambda.async_function_arns
	some f in data.jalon.lib.functions
	f.arn in arns
]

in_scope := [f.arn | some f in async_functions]

deny contains {"resource": f.arn, "message": msg} if {
	some f in async_functions
	f.dead_letter_target_arn in {null, ""}
	not has_on_failure_destination(f)
	msg := sprintf("invoked asynchronously (%s) without a dead-letter queue or an on-failure destination: failed events are dropped", [how(f)])
}

has_on_failure_destination(f) if {
	some c in f.event_invoke_configs
	not c.on_failure_destination in {null, ""}
}

how(f) := concat(", ", sort(principals)) if {
	principals := lambda.async_principals(f)
	count(principals) > 0
} else := "event invoke config"
