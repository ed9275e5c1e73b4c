# METADATA
# title: A kill switch exists and its rollback is tied to the error-rate alarm
# description: >-
#   A feature flag can turn the new code path off without a deployment, and its rollback
#   is wired to the error-rate alarm (ALM-001). jalon sees it in AppConfig: an
#   environment whose alarm monitors include an error-rate alarm (metric math over a
#   function's Errors and Invocations) rolls a bad flag change back by itself. A kill
#   switch jalon cannot see (another flag service) is attested instead (who, when, a
#   link to the flag and to the alarm wiring, expiry): with AppConfig environments none
#   of which is monitored so, the control fails unless attested; with none at all it
#   needs the attestation.
# related_resources:
#   - https://docs.aws.amazon.com/appconfig/latest/userguide/appconfig-creating-environment.html
# custom:
#   id: DEP-003
#   phase: 0
#   severity: high
#   evidence: [appconfig, cloudwatch]
#   resource_type: kill switch
#   gdpr: []
#   remediation: >-
#     Tie the kill switch's rollback to the error-rate alarm: an AppConfig environment monitor
#     on the alarm (aws appconfig update-environment --monitors), or, for a flag service jalon
#     cannot see, a DEP-003 entry in the attestations file linking the flag and the alarm wiring.
#   attestation: true
package jalon.controls.dep_003

import rego.v1

environments := object.get(input, ["appconfig", "environments"], [])

account := sprintf("kill-switch:%s", [input.account.id])

# Judged once AppConfig holds an environment; with none, only an attestation can tell.
in_scope := [account | count(environments) > 0]

error_rate_alarm_arns := {q[0].arn | some q in data.jalon.lib.alarms.error_rate_queries}

monitored := [e |
	rates := error_rate_alarm_arns
	some e in environments
	some arn in e.monitor_alarm_arns
	arn in rates
]

deny contains {"resource": account, "message": msg} if {
	count(environments) > 0
	count(monitored) == 0
	names := sort([e.name | some e in environments])
	msg := sprintf("no AppConfig environment rolls back on an error-rate alarm (%s): a bad flag change stays until someone reverts it", [concat(", ", names)])
}
