# METADATA
# title: Deletion protection is on
# description: >-
#   Every in-scope RDS cluster and standalone instance has deletion protection on.
#   Cluster members are protected through their cluster (the cluster is checked).
# related_resources:
#   - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DeleteInstance.html#USER_DeletionProtection
# custom:
#   id: DB-005
#   phase: 0
#   severity: high
#   evidence: [rds, tagging]
#   resource_type: database
#   gdpr: ["32(1)(c)"]
#   remediation: >-
#     Turn deletion protection on (on the cluster for an Aurora or Multi-AZ DB cluster).
#   fix:
#     - kind: rds:db
#       commands:
#         - aws rds modify-db-instance --region {region} --db-instance-identifier {name} --deletion-protection --apply-immediately
#     - kind: rds:cluster
#       commands:
#         - aws rds modify-db-cluster --region {region} --db-cluster-identifier {name} --deletion-protection --apply-immediately
#   iac:
#     - type: AWS::RDS::DBInstance
#       properties: |
#         DeletionProtection: true
#     - type: AWS::RDS::DBCluster
#       properties: |
#         DeletionProtection: true
#   attestation: false
package jalon.controls.db_005

import rego.v1

in_scope := data.jalon.lib.rds.store_arns

deny contains {"resource": r.arn, "message": "deletion protection is off"} if {
	some r in data.jalon.lib.rds.stores
	r.deletion_protection != true
}
