# METADATA
# title: Redis and Valkey caches are encrypted and require authentication
# description: >-
#   Every in-scope Redis OSS or Valkey replication group encrypts its data at rest and
#   its connections in transit (mode required: a group in mode preferred still accepts
#   plain-text clients), and requires an AUTH token or an RBAC user group, so that
#   reaching the endpoint is not enough to read the cache. Serverless caches always
#   encrypt at rest and in transit; they must have an RBAC user group, or the default
#   user connects without a password. Memcached is not judged.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/encryption.html
#   - https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
# custom:
#   id: ECH-001
#   phase: 0
#   severity: high
#   evidence: [elasticache, tagging]
#   resource_type: cache
#   gdpr: ["32(1)(a)"]
#   remediation: >-
#     Encrypt in transit (preferred mode first, required once every client uses TLS) and
#     require authentication (an RBAC user group). Encryption at rest cannot be turned on in
#     place: a new replication group restored from a snapshot with --at-rest-encryption-enabled.
#   fix:
#     - kind: elasticache:replicationgroup
#       commands:
#         - >-
#           aws elasticache modify-replication-group --region {region} --replication-group-id {name}
#           --transit-encryption-enabled --transit-encryption-mode preferred --apply-immediately
#         - >-
#           aws elasticache modify-replication-group --region {region} --replication-group-id {name}
#           --user-group-ids-to-add {CACHE_USER_GROUP_ID} --apply-immediately
#       note: a group not encrypted at rest is replaced by a new one restored from its snapshot
#     - kind: elasticache:serverlesscache
#       commands:
#         - aws elasticache modify-serverless-cache --region {region} --serverless-cache-name {name} --user-group-id {CACHE_USER_GROUP_ID}
#   inputs:
#     CACHE_USER_GROUP_ID:
#       per: region
#       description: the ElastiCache RBAC user group the clients authenticate with
#   iac:
#     - type: AWS::ElastiCache::ReplicationGroup
#       properties: |
#         AtRestEncryptionEnabled: true
#         TransitEncryptionEnabled: true
#         TransitEncryptionMode: required
#         UserGroupIds: [!Ref CacheUserGroup]
#   attestation: false
package jalon.controls.ech_001

import rego.v1

groups := data.jalon.lib.redis_replication_groups

serverless := [c |
	engines := data.jalon.lib.redis_engines
	some c in data.jalon.lib.serverless_caches
	c.engine in engines
]

in_scope := array.concat([g.arn | some g in groups], [c.arn | some c in serverless])

deny contains {"resource": g.arn, "message": concat("; ", problems)} if {
	some g in groups
	problems := [p | some p in [at_rest(g), in_transit(g), access(g)]; p != ""]
	count(problems) > 0
}

# Each check says what is wrong, "" when nothing is.
at_rest(g) := "not encrypted at rest" if {
	g.at_rest_encryption != true
} else := ""

in_transit(g) := "not encrypted in transit: clients connect in plain text" if {
	g.transit_encryption != true
} else := "transit encryption mode is preferred: plain-text clients are still accepted" if {
	g.transit_encryption_mode == "preferred"
} else := ""

access(g) := "neither an AUTH token nor an RBAC user group: reaching the endpoint is enough to read and write" if {
	g.auth_token_enabled != true
	count(g.user_group_ids) == 0
} else := ""

deny contains {"resource": c.arn, "message": msg} if {
	some c in serverless
	c.user_group_id == null
	msg := "no RBAC user group: the default user connects without a password"
}
