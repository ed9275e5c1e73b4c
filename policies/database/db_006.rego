# METADATA
# title: Databases are Multi-AZ
# description: >-
#   Every in-scope RDS cluster and standalone instance is Multi-AZ (for Aurora: instances
#   in more than one Availability Zone). Read replicas are not in scope. A database that
#   is single-AZ on purpose needs a waiver (owner, reason, expiry), handled by the engine.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html
# custom:
#   id: DB-006
#   phase: 7
#   severity: high
#   evidence: [rds, tagging]
#   resource_type: database
#   gdpr: ["32(1)(b)"]
#   remediation: aws rds modify-db-instance --db-instance-identifier {name} --multi-az --apply-immediately (Aurora - aws rds create-db-instance --db-cluster-identifier {name} in another Availability Zone)
#   attestation: false
package jalon.controls.db_006

import rego.v1

in_scope := {r.arn | some r in data.jalon.lib.rds.primary_stores}

deny contains {"resource": r.arn, "message": "the database runs in a single Availability Zone"} if {
	some r in data.jalon.lib.rds.primary_stores
	r.multi_az != true
}
