# METADATA
# title: Block Public Access is on for the account and every bucket
# description: >-
#   The account's S3 Block Public Access has all four settings on (block and ignore
#   public ACLs, block and restrict public policies), so no bucket of the account can be
#   made public by an ACL or a policy, whoever writes it. Every in-scope bucket must be
#   covered: by the account's settings, or, while the account's are not all on, by all
#   four of its own. Buckets are read in the collected regions; the account's setting
#   once.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
# custom:
#   id: S3-001
#   phase: 0
#   severity: critical
#   evidence: [s3, tagging]
#   resource_type: bucket
#   gdpr: ["25(2)", "32"]
#   remediation: >-
#     Turn every Block Public Access setting on, for the account and for each bucket.
#   fix:
#     - kind: s3-block-public-access
#       commands:
#         - >-
#           aws s3control put-public-access-block --account-id {account}
#           --public-access-block-configuration '{"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":true,"RestrictPublicBuckets":true}'
#     - kind: s3
#       commands:
#         - >-
#           aws s3api put-public-access-block --bucket {name}
#           --public-access-block-configuration '{"BlockPublicAcls":true,"IgnorePublicAcls":true,"BlockPublicPolicy":true,"RestrictPublicBuckets":true}'
#   iac:
#     - type: AWS::S3::Bucket
#       properties: |
#         PublicAccessBlockConfiguration:
#           BlockPublicAcls: true
#           IgnorePublicAcls: true
#           BlockPublicPolicy: true
#           RestrictPublicBuckets: true
#   attestation: false
package jalon.controls.s3_001

import rego.v1

account := sprintf("s3-block-public-access:%s", [input.account.id])

settings := ["block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"]

account_block := object.get(input, ["s3", "account_public_access_block"], null)

account_blocks_all if {
	every s in settings {
		account_block[s] == true
	}
}

in_scope := array.concat([account], [b.arn | some b in data.jalon.lib.buckets])

deny contains {"resource": account, "message": "the account's Block Public Access setting was not read"} if {
	account_block == null
}

deny contains {"resource": account, "message": msg} if {
	account_block != null
	off := [s | some s in settings; account_block[s] != true]
	count(off) > 0
	msg := sprintf("the account's Block Public Access leaves %s off: a bucket ACL or policy can make data public", [concat(", ", off)])
}

deny contains {"resource": b.arn, "message": msg} if {
	not account_blocks_all
	some b in data.jalon.lib.buckets
	off := [s | some s in settings; b.public_access_block[s] != true]
	count(off) > 0
	msg := sprintf("neither the account nor the bucket blocks public access (%s off)", [concat(", ", off)])
}
