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
#   remediation: >-
#     Make the database survive the loss of an Availability Zone: Multi-AZ for an instance; for
#     an Aurora cluster, a reader in another Availability Zone than the writer's.
#   fix:
#     - kind: rds:db
#       commands:
#         - aws rds modify-db-instance --region {region} --db-instance-identifier {name} --multi-az --apply-immediately
#     - kind: rds:cluster:aurora
#       commands:
#         - >-
#           aws rds create-db-instance --region {region} --db-cluster-identifier {name}
#           --db-instance-identifier '{name}-reader' --engine {engine} --db-instance-class {instance_class}
#           --availability-zone {READER_AVAILABILITY_ZONE}
#       note: the reader takes the class of an instance of the cluster, so that it can take over as writer
#   inputs:
#     READER_AVAILABILITY_ZONE:
#       per: resource
#       description: an Availability Zone of the cluster's region other than its writer's (aws rds describe-db-instances shows the writer's)
#   iac:
#     - type: AWS::RDS::DBInstance
#       properties: |
#         MultiAZ: true
#   attestation: false
package jalon.controls.db_006

import rego.v1

in_scope := {r.arn | some r in data.jalon.lib.rds.primary_stores}

deny contains {"resource": r.arn, "message": "the database runs in a single Availability Zone"} if {
	some r in data.jalon.lib.rds.primary_stores
	r.multi_az != true
}
