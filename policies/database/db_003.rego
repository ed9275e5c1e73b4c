# METADATA
# title: Databases are not publicly accessible
# description: >-
#   No in-scope RDS instance (cluster members included: public access is set per
#   instance) is publicly accessible.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html
# custom:
#   id: DB-003
#   phase: 0
#   severity: critical
#   evidence: [rds, tagging]
#   resource_type: DB instance
#   gdpr: ["25(2)", "32"]
#   remediation: >-
#     Make the instance private.
#   fix:
#     - kind: rds:db
#       commands:
#         - aws rds modify-db-instance --region {region} --db-instance-identifier {name} --no-publicly-accessible --apply-immediately
#   iac:
#     - type: AWS::RDS::DBInstance
#       properties: |
#         PubliclyAccessible: false
#   attestation: false
package jalon.controls.db_003

import rego.v1

in_scope := data.jalon.lib.db_instance_arns

deny contains {"resource": i.arn, "message": "the instance is publicly accessible"} if {
	some i in data.jalon.lib.db_instances
	i.publicly_accessible == true
}
