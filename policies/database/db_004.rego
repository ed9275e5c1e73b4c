# METADATA
# title: Automated backups are kept long enough, and not too long
# description: >-
#   Every in-scope RDS cluster and standalone instance keeps automated backups for at
#   least backup_retention_min_days (default 7) and at most backup_retention_max_days
#   (default 35) days: long enough to recover, short enough to honour storage limitation.
#   Cluster members inherit the cluster's setting (the cluster is checked); read replicas
#   are not in scope (their source is backed up).
# related_resources:
#   - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.html
# custom:
#   id: DB-004
#   phase: 0
#   severity: high
#   evidence: [rds, tagging]
#   resource_type: database
#   gdpr: ["32(1)(c)", "5(1)(e)"]
#   remediation: >-
#     Keep automated backups 7 to 35 days. An Aurora or Multi-AZ DB cluster holds the setting,
#     not its instances.
#   fix:
#     - kind: rds:db
#       commands:
#         - aws rds modify-db-instance --region {region} --db-instance-identifier {name} --backup-retention-period {backup_retention_min_days} --apply-immediately
#     - kind: rds:cluster
#       commands:
#         - aws rds modify-db-cluster --region {region} --db-cluster-identifier {name} --backup-retention-period {backup_retention_min_days} --apply-immediately
#   iac:
#     - type: AWS::RDS::DBInstance
#       properties: |
#         BackupRetentionPeriod: 7
#     - type: AWS::RDS::DBCluster
#       properties: |
#         BackupRetentionPeriod: 7
#   attestation: false
package jalon.controls.db_004

import rego.v1

in_scope := {r.arn | some r in data.jalon.lib.rds.primary_stores}

deny contains {"resource": r.arn, "message": msg} if {
	min_days := data.jalon.lib.config.thresholds.backup_retention_min_days
	some r in data.jalon.lib.rds.primary_stores
	r.backup_retention_days == 0
	msg := sprintf("automated backups are off (retention 0 days, at least %v required)", [min_days])
}

deny contains {"resource": r.arn, "message": msg} if {
	min_days := data.jalon.lib.config.thresholds.backup_retention_min_days
	some r in data.jalon.lib.rds.primary_stores
	r.backup_retention_days > 0
	r.backup_retention_days < min_days
	msg := sprintf("backup retention is %v days, below %v days", [r.backup_retention_days, min_days])
}

deny contains {"resource": r.arn, "message": msg} if {
	max_days := data.jalon.lib.config.thresholds.backup_retention_max_days
	some r in data.jalon.lib.rds.primary_stores
	r.backup_retention_days > max_days
	msg := sprintf("backup retention is %v days, above the ceiling of %v days", [r.backup_retention_days, max_days])
}
