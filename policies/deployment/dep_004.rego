# METADATA
# title: Canary deployments stop on the error-rate alarm and roll back
# description: >-
#   Every in-scope CodeDeploy deployment group of a Lambda application (the canary that
#   shifts an alias to a new version) has its alarms enabled, watches at least one
#   error-rate alarm (metric math over the function's Errors and Invocations, as ALM-001
#   reads them) and rolls back automatically when an alarm stops the deployment, so a
#   bad version is taken back in minutes without anyone acting. Ignoring alarm-poll
#   failures lets a deployment go on blind, and fails too.
# related_resources:
#   - https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-groups-configure-advanced-options.html
#   - https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/automating-updates-to-serverless-apps.html
# custom:
#   id: DEP-004
#   phase: 0
#   severity: high
#   evidence: [codedeploy, cloudwatch, tagging]
#   resource_type: deployment group
#   gdpr: []
#   remediation: >-
#     Have the deployment group stop on the error-rate alarm and roll back on failure or alarm.
#   fix:
#     - kind: codedeploy:deploymentgroup
#       commands:
#         - >-
#           aws deploy update-deployment-group --region {region} --application-name {application}
#           --current-deployment-group-name {deployment_group}
#           --alarm-configuration '{"enabled":true,"alarms":[{"name":"{ERROR_RATE_ALARM_NAME}"}]}'
#           --auto-rollback-configuration '{"enabled":true,"events":["DEPLOYMENT_FAILURE","DEPLOYMENT_STOP_ON_ALARM"]}'
#   inputs:
#     ERROR_RATE_ALARM_NAME:
#       per: resource
#       description: the name of the error-rate alarm of the function the group deploys
#   iac:
#     - type: AWS::Serverless::Function
#       properties: |
#         AutoPublishAlias: live
#         DeploymentPreference:
#           Type: Canary10Percent5Minutes
#           Alarms: [!Ref ErrorRateAlarm]
#   attestation: false
package jalon.controls.dep_004

import rego.v1

groups := data.jalon.lib.deployment_groups

in_scope := [g.arn | some g in groups]

# [region, name] of every alarm doing error-rate math, qualifying for ALM-001 or not.
error_rate_alarms := {[q[0].region, q[0].name] | some q in data.jalon.lib.alarms.error_rate_queries}

deny contains {"resource": g.arn, "message": concat("; ", problems)} if {
	some g in groups
	problems := [p | some p in [alarms_problem(g), error_rate_problem(g), rollback_problem(g)]; p != ""]
	count(problems) > 0
}

alarms_problem(g) := "its alarms are disabled: a deployment goes on whatever they say" if {
	g.alarms_enabled != true
} else := "it goes on when its alarms cannot be read (ignorePollAlarmFailure)" if {
	g.ignore_poll_alarm_failure == true
} else := ""

error_rate_problem(g) := "it watches no error-rate alarm" if {
	rates := error_rate_alarms
	not some_error_rate(g, rates)
} else := ""

some_error_rate(g, rates) if {
	some name in g.alarm_names
	[g.region, name] in rates
}

rollback_problem(g) := "it does not roll back when an alarm stops it (auto-rollback on DEPLOYMENT_STOP_ON_ALARM)" if {
	not rolls_back_on_alarm(g)
} else := ""

rolls_back_on_alarm(g) if {
	g.auto_rollback_enabled == true
	"DEPLOYMENT_STOP_ON_ALARM" in g.auto_rollback_events
}
