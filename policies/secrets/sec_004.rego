# METADATA
# title: Secrets are encrypted with a customer KMS key
# description: >-
#   Every in-scope secret is encrypted with a customer-managed KMS key, not the AWS-managed
#   aws/secretsmanager key (kms_key_id unset, or alias/aws/secretsmanager), so access to the
#   key can be controlled and audited separately. RDS-managed master secrets use the
#   AWS-managed key unless one is given.
# related_resources:
#   - https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
# custom:
#   id: SEC-004
#   phase: 30
#   severity: low
#   evidence: [secretsmanager, tagging]
#   resource_type: secret
#   gdpr: ["32(1)(a)"]
#   remediation: >-
#     Encrypt the secret with a customer managed KMS key.
#   fix:
#     - kind: secretsmanager:secret
#       commands:
#         - aws secretsmanager update-secret --region {region} --secret-id {arn} --kms-key-id {SECRETS_KMS_KEY_ARN}
#     - kind: secretsmanager:secret:rds
#       commands: []
#       note: >-
#         RDS does not change the key of a secret it already manages: turn management off
#         (aws rds modify-db-instance --no-manage-master-user-password with a new password) and on
#         again with --manage-master-user-password --master-user-secret-kms-key-id (the key)
#   inputs:
#     SECRETS_KMS_KEY_ARN:
#       per: region
#       description: the ARN of the customer managed KMS key for secrets
#   iac:
#     - type: AWS::SecretsManager::Secret
#       properties: |
#         KmsKeyId: !Ref SecretsKey
#   attestation: false
package jalon.controls.sec_004

import rego.v1

in_scope := data.jalon.lib.secret_arns

deny contains {"resource": s.arn, "message": message} if {
	some s in data.jalon.lib.secrets
	s.kms_key_id in {null, ""}
}

deny contains {"resource": s.arn, "message": message} if {
	some s in data.jalon.lib.secrets
	s.kms_key_id != null
	endswith(s.kms_key_id, "alias/aws/secretsmanager")
}

message := "encrypted with the AWS-managed key aws/secretsmanager, not a customer KMS key"
