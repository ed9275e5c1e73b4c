# METADATA
# title: Alarms notify through an existing SNS topic, with actions enabled
# description: >-
#   Every in-scope metric and composite alarm has actions enabled and at least one alarm
#   action, and every SNS topic its alarm actions target exists in the snapshot. An alarm
#   with no alarm action, or whose actions are not SNS topics, notifies nobody and fails.
#   Pure scaling triggers (every action an Auto Scaling policy, e.g. target-tracking
#   alarms) notify nobody by design and are not in scope.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
# custom:
#   id: ALM-003
#   phase: 0
#   severity: critical
#   evidence: [cloudwatch, sns, tagging]
#   resource_type: alarm
#   gdpr: ["33"]
#   remediation: >-
#     Turn the alarm's actions on and point them at an SNS topic that exists. put-metric-alarm
#     replaces the whole alarm, so a missing topic is fixed where the alarm is defined (the
#     stack), not by a command here.
#   fix:
#     - kind: cloudwatch:alarm
#       commands:
#         - aws cloudwatch enable-alarm-actions --region {region} --alarm-names {name}
#       note: >-
#         This turns the actions on; an action that names a topic that does not exist is
#         changed in the alarm's definition (AlarmActions), with all its other properties.
#   iac:
#     - type: AWS::CloudWatch::Alarm
#       properties: |
#         ActionsEnabled: true
#         AlarmActions: [!Ref OnCallTopic]
#   attestation: false
package jalon.controls.alm_003

import rego.v1

in_scope := data.jalon.lib.alarms.notifying_arns

deny contains {"resource": a.arn, "message": "it has no alarm action: nobody is notified"} if {
	some a in data.jalon.lib.alarms.notifying_alarms
	a.alarm_actions == []
}

deny contains {"resource": a.arn, "message": "its actions are disabled"} if {
	some a in data.jalon.lib.alarms.notifying_alarms
	a.actions_enabled != true
}

deny contains {"resource": a.arn, "message": msg} if {
	missing := data.jalon.lib.alarms.missing_topic_arns
	some a in data.jalon.lib.alarms.notifying_alarms
	some t in a.alarm_actions
	t in missing
	msg := sprintf("its alarm actions target SNS topics not found in the snapshot: %s", [concat(", ", sort([x | some x in a.alarm_actions; x in missing]))])
}

deny contains {"resource": a.arn, "message": "none of its alarm actions is an SNS topic: nobody is notified"} if {
	data.jalon.lib.alarms.non_sns_actions != set()
	some a in data.jalon.lib.alarms.alarms_without_sns_action
}
