# METADATA
# title: Database storage is encrypted
# description: >-
#   Every in-scope RDS cluster and standalone instance has storage encryption on. Aurora
#   and Multi-AZ cluster members inherit encryption from their cluster, so the cluster is
#   checked, not the member instance.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html
# custom:
#   id: DB-002
#   phase: 0
#   severity: critical
#   evidence: [rds, tagging]
#   resource_type: database
#   gdpr: ["32(1)(a)"]
#   remediation: >-
#     Storage encryption cannot be turned on in place: snapshot the database, copy the snapshot
#     with a KMS key, restore from the encrypted copy and move the traffic to it.
#   fix:
#     - kind: rds:db
#       commands: []
#       note: >-
#         by hand: aws rds create-db-snapshot, aws rds copy-db-snapshot --kms-key-id (the key),
#         aws rds restore-db-instance-from-db-snapshot, then switch the endpoint
#     - kind: rds:cluster
#       commands: []
#       note: >-
#         by hand: aws rds create-db-cluster-snapshot, aws rds copy-db-cluster-snapshot --kms-key-id
#         (the key), aws rds restore-db-cluster-from-snapshot, then switch the endpoint
#   iac:
#     - type: AWS::RDS::DBInstance
#       properties: |
#         StorageEncrypted: true
#         KmsKeyId: !Ref DatabaseKey
#     - type: AWS::RDS::DBCluster
#       properties: |
#         StorageEncrypted: true
#         KmsKeyId: !Ref DatabaseKey
#   attestation: false
package jalon.controls.db_002

import rego.v1

in_scope := data.jalon.lib.rds.store_arns

deny contains {"resource": r.arn, "message": "storage is not encrypted"} if {
	some r in data.jalon.lib.rds.stores
	r.storage_encrypted != true
}
