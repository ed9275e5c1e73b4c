# METADATA
# title: Encryption in transit is enforced on databases, caches and buckets
# description: >-
#   Every in-scope RDS PostgreSQL database rejects unencrypted connections: the parameter
#   group it uses (for a standalone instance, its DB parameter group; for a cluster, its
#   cluster parameter group) sets rds.force_ssl = 1. A database on a default parameter
#   group (default.*) passes for RDS for PostgreSQL 15 and later, where rds.force_ssl
#   defaults to 1, and fails for older versions and for Aurora PostgreSQL (default 0). A
#   custom group missing from the snapshot fails: its setting cannot be shown. Cluster
#   members are covered by their cluster. Every in-scope Redis OSS or Valkey replication
#   group has transit encryption on in mode required (preferred still accepts plain
#   text); serverless caches always require TLS. Every in-scope S3 bucket's policy denies
#   requests made without TLS (aws:SecureTransport false).
# related_resources:
#   - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html
#   - https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.Security.html
# custom:
#   id: GDP-004
#   phase: 0
#   severity: high
#   evidence: [rds, elasticache, s3, tagging]
#   resource_type: data store
#   gdpr: ["32(1)(a)"]
#   remediation: >-
#     Refuse connections without TLS: rds.force_ssl = 1 in the database's custom parameter
#     group; transit encryption required on a cache (after preferred, once every client uses
#     TLS); a bucket policy statement denying aws:SecureTransport false.
#   fix:
#     - kind: rds
#       commands:
#         - >-
#           aws rds modify-db-parameter-group --region {region} --db-parameter-group-name {DB_PARAMETER_GROUP}
#           --parameters '[{"ParameterName":"rds.force_ssl","ParameterValue":"1","ApplyMethod":"immediate"}]'
#     - kind: rds:cluster
#       commands:
#         - >-
#           aws rds modify-db-cluster-parameter-group --region {region}
#           --db-cluster-parameter-group-name {DB_PARAMETER_GROUP}
#           --parameters '[{"ParameterName":"rds.force_ssl","ParameterValue":"1","ApplyMethod":"immediate"}]'
#     - kind: elasticache:replicationgroup
#       commands:
#         - >-
#           aws elasticache modify-replication-group --region {region} --replication-group-id {name}
#           --transit-encryption-enabled --transit-encryption-mode required --apply-immediately
#       note: only once every client connects with TLS (mode preferred first)
#     - kind: s3
#       commands: []
#       note: >-
#         by hand: aws s3api put-bucket-policy replaces the bucket's policy; add to it the statement
#         {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::BUCKET","arn:aws:s3:::BUCKET/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}
#   inputs:
#     DB_PARAMETER_GROUP:
#       per: resource
#       description: the database's custom parameter group, a cluster parameter group for a cluster (a default group cannot be changed)
#   iac:
#     - type: AWS::S3::BucketPolicy
#       properties: |
#         PolicyDocument:
#           Statement:
#             - Effect: Deny
#               Principal: "*"
#               Action: "s3:*"
#               Resource: [!Sub "${Bucket.Arn}", !Sub "${Bucket.Arn}/*"]
#               Condition:
#                 Bool:
#                   aws:SecureTransport: "false"
#   attestation: false
package jalon.controls.gdp_004

import rego.v1

import data.jalon.lib
import data.jalon.lib.rds

in_scope := array.concat(
	array.concat([r.arn | some r in data.jalon.lib.rds.postgres_stores], [g.arn | some g in keyed_groups]),
	[b.arn | some b in data.jalon.lib.buckets],
)

deny contains {"resource": b.arn, "message": "its policy does not deny requests made without TLS (aws:SecureTransport false)"} if {
	some b in data.jalon.lib.buckets
	b.tls_only != true
}

keyed_groups := data.jalon.lib.redis_replication_groups

deny contains {"resource": g.arn, "message": "transit encryption is off: clients connect in plain text"} if {
	some g in keyed_groups
	g.transit_encryption != true
}

deny contains {"resource": g.arn, "message": "transit encryption mode is preferred: plain-text clients are still accepted"} if {
	some g in keyed_groups
	g.transit_encryption == true
	g.transit_encryption_mode == "preferred"
}

deny contains {"resource": r.arn, "message": concat("; ", problems)} if {
	some r in data.jalon.lib.rds.postgres_stores
	names := rds.parameter_group_names(r)
	problems := array.concat(
		[sprintf("parameter group '%s': %s", [n, p]) | some n in names; p := group_problem(r, n)],
		no_group(names),
	)
	count(problems) > 0
}

no_group(names) := ["no parameter group is reported, so rds.force_ssl cannot be shown"] if {
	count(names) == 0
} else := []

# Default groups: RDS for PostgreSQL 15+ forces SSL by default; older and Aurora do not.
group_problem(r, name) := sprintf("default group, and rds.force_ssl defaults to 0 for %s %s: use a custom group with rds.force_ssl = 1", [r.engine, version(r)]) if {
	rds.is_default_group(name)
	not default_forces_ssl(r)
}

group_problem(r, name) := "not found in the snapshot, so rds.force_ssl cannot be shown" if {
	not rds.is_default_group(name)
	not data.jalon.lib.rds.parameter_groups[lib.key(r.region, name)]
}

group_problem(r, name) := sprintf("rds.force_ssl is %s, not 1", [value]) if {
	not rds.is_default_group(name)
	group := data.jalon.lib.rds.parameter_groups[lib.key(r.region, name)]
	value := object.get(group.parameters, "rds.force_ssl", "unset (0)")
	value != "1"
}

default_forces_ssl(r) if {
	r.engine == "postgres"
	rds.major_version(r) >= 15
}

version(r) := r.engine_version if {
	is_string(r.engine_version)
} else := "(version unknown)"
