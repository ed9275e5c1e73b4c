# METADATA
# title: Every paging alarm links the incident runbook
# description: >-
#   Every in-scope paging alarm (a metric or composite alarm with alarm actions, scaling
#   triggers aside) has a runbook link, an http(s) URL, in its description, so whoever is
#   paged knows what to do.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html
# custom:
#   id: OPS-001
#   phase: 7
#   severity: high
#   evidence: [cloudwatch, tagging]
#   resource_type: alarm
#   gdpr: []
#   remediation: >-
#     Put the incident runbook's URL in the alarm's description ("Runbook: https://..."), where
#     the alarm is defined: put-metric-alarm replaces the whole alarm, so no command here.
#   fix:
#     - kind: cloudwatch:alarm
#       commands: []
#       note: by hand, in the alarm's definition (AlarmDescription), with all its other properties
#   iac:
#     - type: AWS::CloudWatch::Alarm
#       properties: |
#         AlarmDescription: "Runbook: https://wiki.example.com/runbooks/orders-api-error-rate"
#   attestation: false
package jalon.controls.ops_001

import rego.v1

in_scope := data.jalon.lib.alarms.paging_arns

deny contains {"resource": a.arn, "message": "the alarm has no description, so no runbook link"} if {
	some a in data.jalon.lib.alarms.paging_alarms
	a.description in {null, ""}
}

# One builtin call per alarm on the passing path (https links), no regex.
deny contains {"resource": a.arn, "message": "its description has no runbook link (http or https URL)"} if {
	some a in data.jalon.lib.alarms.paging_alarms
	d := a.description
	not d in {null, ""}
	not contains(d, "https://")
	not contains(d, "http://")
}
