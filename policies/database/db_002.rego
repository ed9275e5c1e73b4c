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
#     IaC property StorageEncrypted: true (with KmsKeyId) on {name}; an existing database is moved
#     through an encrypted snapshot copy (aws rds copy-db-snapshot --kms-key-id <key>) and a restore
#   attestation: false
package jalon.controls.db_002

import rego.v1

in_scope := data.jalon.lib.rds.store_arns

deny contains {"resource": r.arn, "message": "storage is not encrypted"} if {
	some r in data.jalon.lib.rds.stores
	r.storage_encrypted != true
}
