# METADATA
# title: Lambda environment variables are encrypted with a customer KMS key
# description: >-
#   Every in-scope Lambda function that has environment variables encrypts them with a
#   customer-managed KMS key (kms_key_arn set) rather than the AWS-managed key. Functions
#   without environment variables are not in scope.
# related_resources:
#   - https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html
# custom:
#   id: LMB-002
#   phase: 30
#   severity: low
#   evidence: [lambda, tagging]
#   resource_type: function
#   gdpr: ["32(1)(a)"]
#   remediation: >-
#     Encrypt the function's environment variables with a customer managed KMS key.
#   fix:
#     - kind: lambda:function
#       commands:
#         - aws lambda update-function-configuration --region {region} --function-name {name} --kms-key-arn {LAMBDA_KMS_KEY_ARN}
#   inputs:
#     LAMBDA_KMS_KEY_ARN:
#       per: region
#       description: the ARN of the customer managed KMS key for function environments
#   iac:
#     - type: AWS::Lambda::Function
#       properties: |
#         KmsKeyArn: !GetAtt FunctionKey.Arn
#   attestation: false
package jalon.controls.lmb_002

import rego.v1

with_env := [f | some f in data.jalon.lib.functions; f.environment_variable_names != []]

in_scope := [f.arn | some f in with_env]

deny contains {"resource": f.arn, "message": msg} if {
	some f in with_env
	f.kms_key_arn in {null, ""}
	msg := sprintf("%v environment variables encrypted with the AWS-managed key, not a customer KMS key", [count(f.environment_variable_names)])
}
