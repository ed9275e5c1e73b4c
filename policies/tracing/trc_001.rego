# METADATA
# title: Lambda active tracing is on
# description: >-
#   Every in-scope Lambda function has X-Ray active tracing (tracing_mode = Active), so a
#   request can be followed across services during an incident. Sampling itself is
#   decided at the entry point (TRC-002).
# related_resources:
#   - https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html
# custom:
#   id: TRC-001
#   phase: 0
#   severity: medium
#   evidence: [lambda, tagging]
#   resource_type: function
#   gdpr: []
#   remediation: >-
#     Turn active tracing on.
#   fix:
#     - kind: lambda:function
#       commands:
#         - aws lambda update-function-configuration --region {region} --function-name {name} --tracing-config Mode=Active
#   iac:
#     - type: AWS::Serverless::Function
#       properties: |
#         Tracing: Active
#   attestation: false
package jalon.controls.trc_001

import rego.v1

in_scope := data.jalon.lib.function_arns

deny contains {"resource": f.arn, "message": msg} if {
	some f in data.jalon.lib.functions
	f.tracing_mode != "Active"
	msg := sprintf("tracing mode is %s, not Active", [mode(f)])
}

mode(f) := f.tracing_mode if {
	is_string(f.tracing_mode)
} else := "PassThrough (not set)"
