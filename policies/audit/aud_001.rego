# METADATA
# title: A multi-region CloudTrail trail is logging, validated and encrypted
# description: >-
#   The account has at least one CloudTrail trail that records every region
#   (multi-region), is logging now, has log-file validation on (tampering with a
#   delivered log file shows) and encrypts its log files with a KMS key. It is the
#   audit trail of API activity: who changed what, when, from where. A trail is read
#   once: in its home region when that region is collected, else in the first collected
#   region that sees it.
# related_resources:
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-create-and-update-a-trail.html
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html
# custom:
#   id: AUD-001
#   phase: 0
#   severity: high
#   evidence: [cloudtrail]
#   resource_type: account
#   gdpr: [25, 30, 32]
#   remediation: >-
#     Have one multi-region trail, logging, with log file validation and a KMS key.
#   fix:
#     - kind: audit-trail
#       commands:
#         - >-
#           aws cloudtrail update-trail --region {TRAIL_HOME_REGION} --name {TRAIL_NAME} --is-multi-region-trail
#           --enable-log-file-validation --kms-key-id {TRAIL_KMS_KEY_ARN}
#         - aws cloudtrail start-logging --region {TRAIL_HOME_REGION} --name {TRAIL_NAME}
#       note: without a trail, create one first (aws cloudtrail create-trail --name ... --s3-bucket-name ...)
#   inputs:
#     TRAIL_NAME:
#       description: the name of the trail to keep as the account's multi-region trail
#     TRAIL_HOME_REGION:
#       description: the region the trail was created in (its home region)
#     TRAIL_KMS_KEY_ARN:
#       description: the ARN of the KMS key that encrypts the trail's log files
#   iac:
#     - type: AWS::CloudTrail::Trail
#       properties: |
#         IsLogging: true
#         IsMultiRegionTrail: true
#         EnableLogFileValidation: true
#         KMSKeyId: !Ref TrailKey
#   attestation: false
package jalon.controls.aud_001

import rego.v1

trails := object.get(input, ["cloudtrail", "trails"], [])

account := sprintf("audit-trail:%s", [input.account.id])

in_scope := [account]

deny contains {"resource": account, "message": msg} if {
	count(trails) == 0
	msg := sprintf("no CloudTrail trail seen from %s: API activity in the account is not recorded", [concat(", ", input.regions)])
}

deny contains {"resource": account, "message": msg} if {
	count(trails) > 0
	not some_trail_complete
	msg := sprintf("no trail is multi-region, logging, validated and encrypted: %s", [concat("; ", sort([sprintf("%s %s", [t.name, concat(", ", gaps(t))]) | some t in trails]))])
}

some_trail_complete if {
	some t in trails
	count(gaps(t)) == 0
}

gaps(t) := [g |
	some check in [
		[t.multi_region, "records one region only"],
		[t.logging, "is not logging"],
		[t.log_file_validation, "has log-file validation off"],
		[encrypted(t), "is not encrypted with a KMS key"],
	]
	check[0] == false
	g := check[1]
]

encrypted(t) := false if {
	t.kms_key_id in {null, ""}
} else := true
