# METADATA
# title: Database access uses IAM authentication or a managed master password
# description: >-
#   Every in-scope RDS cluster and standalone instance has IAM database authentication
#   enabled, or its master password managed by RDS in Secrets Manager
#   (master_user_secret_arn set), so no long-lived database password lives in code or
#   configuration. Cluster members inherit the cluster's setting.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html
#   - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html
# custom:
#   id: DB-008
#   phase: 30
#   severity: low
#   evidence: [rds, tagging]
#   resource_type: database
#   gdpr: ["32"]
#   remediation: >-
#     Let RDS manage the master password in Secrets Manager (or turn IAM database
#     authentication on).
#   fix:
#     - kind: rds:db
#       commands:
#         - aws rds modify-db-instance --region {region} --db-instance-identifier {name} --manage-master-user-password --apply-immediately
#     - kind: rds:cluster
#       commands:
#         - aws rds modify-db-cluster --region {region} --db-cluster-identifier {name} --manage-master-user-password --apply-immediately
#   iac:
#     - type: AWS::RDS::DBInstance
#       properties: |
#         ManageMasterUserPassword: true
#     - type: AWS::RDS::DBCluster
#       properties: |
#         ManageMasterUserPassword: true
#   attestation: false
package jalon.controls.db_008

import rego.v1

in_scope := data.jalon.lib.rds.store_arns

deny contains {"resource": r.arn, "message": "neither IAM database authentication nor an RDS-managed master password is enabled"} if {
	some r in data.jalon.lib.rds.stores
	r.iam_auth_enabled != true
	r.master_user_secret_arn in {null, ""}
}
