# METADATA
# title: Alarm topics have a confirmed subscription
# description: >-
#   Every SNS topic targeted by an in-scope alarm's alarm actions has at least one
#   confirmed subscription (subscriptions pending confirmation deliver nothing). E-mail
#   and SMS endpoints are masked in the snapshot. A targeted topic missing from the
#   snapshot fails here too (ALM-003 names the alarm).
# related_resources:
#   - https://docs.aws.amazon.com/sns/latest/dg/sns-create-subscribe-endpoint-to-topic.html
# custom:
#   id: ALM-004
#   phase: 0
#   severity: high
#   evidence: [cloudwatch, sns, tagging]
#   resource_type: SNS topic
#   gdpr: ["33"]
#   remediation: >-
#     Subscribe the on-call address to the topic, and have the subscription confirmed (the
#     address receives a confirmation link).
#   fix:
#     - kind: sns
#       commands:
#         - >-
#           aws sns subscribe --region {region} --topic-arn {arn} --protocol email
#           --notification-endpoint {ONCALL_EMAIL}
#       note: the subscription stays pending until someone follows the link sent to the address
#   inputs:
#     ONCALL_EMAIL:
#       description: the on-call e-mail address that receives the alarms
#   iac:
#     - type: AWS::SNS::Topic
#       properties: |
#         Subscription:
#           - Protocol: email
#             Endpoint: oncall@example.com
#   attestation: false
package jalon.controls.alm_004

import rego.v1

in_scope := data.jalon.lib.alarms.alarm_topic_arns

deny contains {"resource": t, "message": reason(t)} if {
	confirmed := data.jalon.lib.confirmed_topic_arns
	some t in data.jalon.lib.alarms.alarm_topic_arns
	not t in confirmed
}

reason(t) := "the topic does not exist in the snapshot (see ALM-003)" if {
	not t in data.jalon.lib.topic_arns
} else := "its only subscriptions are pending confirmation: nobody receives the alarms" if {
	t in data.jalon.lib.pending_topic_arns
} else := "it has no subscription: nobody receives the alarms"
