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
#   remediation: aws secretsmanager update-secret --secret-id {arn} --kms-key-id <customer-key-arn>
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
