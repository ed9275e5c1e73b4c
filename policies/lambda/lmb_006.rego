# METADATA
# title: Functions behind API Gateway time out before the integration does
# description: >-
#   Every in-scope Lambda function that an API Gateway integration calls has a timeout
#   below that integration's timeout (29 s by default for REST APIs, 30 s for HTTP
#   APIs). Otherwise API Gateway answers 504 to the client while the function runs on,
#   and a client that retries doubles the work (and the writes) of a slow request.
# related_resources:
#   - https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
#   - https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html
# custom:
#   id: LMB-006
#   phase: 7
#   severity: medium
#   evidence: [lambda, apigateway, tagging]
#   resource_type: function
#   gdpr: []
#   remediation: >-
#     Make the function time out before the API Gateway integration does (29 s by default), or
#     raise the integration's timeout.
#   fix:
#     - kind: lambda:function
#       commands:
#         - aws lambda update-function-configuration --region {region} --function-name {name} --timeout {FUNCTION_TIMEOUT_SECONDS}
#   inputs:
#     FUNCTION_TIMEOUT_SECONDS:
#       per: resource
#       description: a timeout, in seconds, below the integration's timeout
#   iac:
#     - type: AWS::Lambda::Function
#       properties: |
#         Timeout: 25
#   attestation: false
package jalon.controls.lmb_006

import rego.v1

integrations := object.get(input, ["apigateway", "integrations"], [])

# In-scope functions some integration calls, with those integrations.
called := {f.arn: f | some f in data.jalon.lib.functions; f.arn in targets}

targets := {i.function_arn | some i in integrations}

in_scope := [arn | some arn, _ in called]

deny contains {"resource": f.arn, "message": msg} if {
	some i in integrations
	f := called[i.function_arn]
	seconds := timeout_of(f)
	seconds * 1000 >= i.timeout_ms
	msg := sprintf("timeout %d s is not below the %d s integration timeout of %s API %s: API Gateway answers 504 while the function runs on", [seconds, i.timeout_ms / 1000, i.api_type, i.api_name])
}

# Lambda's default when none is reported: 3 s.
timeout_of(f) := f.timeout_seconds if is_number(f.timeout_seconds) else := 3
