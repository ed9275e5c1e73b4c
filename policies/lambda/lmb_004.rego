# METADATA
# title: Lambda runtimes are still supported
# description: >-
#   No in-scope Lambda function runs on a runtime listed in deprecated_runtimes (runtimes
#   past end of support receive no security patches). Container-image functions have no
#   managed runtime and are not in scope.
# related_resources:
#   - https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
# custom:
#   id: LMB-004
#   phase: 30
#   severity: medium
#   evidence: [lambda, tagging]
#   resource_type: function
#   gdpr: ["32(1)(d)"]
#   remediation: >-
#     Move the function to a supported runtime (test it on the new one first).
#   fix:
#     - kind: lambda:function
#       commands:
#         - aws lambda update-function-configuration --region {region} --function-name {name} --runtime {LAMBDA_RUNTIME}
#   inputs:
#     LAMBDA_RUNTIME:
#       per: resource
#       description: the supported runtime the function's code was tested on (python3.13, nodejs22.x...)
#   iac:
#     - type: AWS::Lambda::Function
#       properties: |
#         Runtime: python3.13
#   attestation: false
package jalon.controls.lmb_004

import rego.v1

deprecated := {r | some r in data.jalon.lib.config.thresholds.deprecated_runtimes}

zip_functions := [f | some f in data.jalon.lib.functions; f.runtime != null]

in_scope := [f.arn | some f in zip_functions]

deny contains {"resource": f.arn, "message": msg} if {
	dep := deprecated
	some f in zip_functions
	f.runtime in dep
	msg := sprintf("runtime %s is past end of support", [f.runtime])
}
