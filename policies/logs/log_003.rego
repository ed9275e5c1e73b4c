# METADATA
# title: Log groups holding personal data are encrypted with a KMS key
# description: >-
#   Every in-scope log group holding personal data is encrypted with a customer KMS key
#   (kms_key_id set). A log group holds personal data when its scope.data_class_tag tag,
#   or that of a Lambda function writing to it, is one of scope.personal_data_classes.
#   Unclassified log groups are not in scope (GDP-001 covers classification).
# related_resources:
#   - https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
# custom:
#   id: LOG-003
#   phase: 0
#   severity: medium
#   evidence: [logs, lambda, tagging]
#   resource_type: log group
#   gdpr: ["32(1)(a)"]
#   remediation: >-
#     Encrypt the log group with a customer managed KMS key.
#   fix:
#     - kind: logs:log-group
#       commands:
#         - aws logs associate-kms-key --region {region} --log-group-name {name} --kms-key-id {LOGS_KMS_KEY_ARN}
#       note: the key's policy must let the CloudWatch Logs service of the region use it
#   inputs:
#     LOGS_KMS_KEY_ARN:
#       per: region
#       description: the ARN of the KMS key for log groups
#   iac:
#     - type: AWS::Logs::LogGroup
#       properties: |
#         KmsKeyId: !GetAtt LogsKey.Arn
#   attestation: false
package jalon.controls.log_003

import rego.v1

in_scope := data.jalon.lib.inventory.log_group_store_arns

# Two rules, not a message function: a call per group costs more than the checks.
deny contains {"resource": s.arn, "message": msg} if {
	tag := data.jalon.lib.config.scope.data_class_tag
	some s in data.jalon.lib.inventory.tagged_log_group_stores
	s.encrypted == false
	msg := sprintf("holds personal data (tagged %s=%s) but is not encrypted with a KMS key", [tag, s.data_class])
}

deny contains {"resource": s.arn, "message": "holds personal data (written to by a personal-data Lambda function) but is not encrypted with a KMS key"} if {
	some s in data.jalon.lib.inventory.inheriting_log_group_stores
	s.encrypted == false
}
