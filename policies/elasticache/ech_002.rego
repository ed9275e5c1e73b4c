# METADATA
# title: Replication groups fail over automatically across AZs
# description: >-
#   Every in-scope Redis OSS or Valkey replication group has automatic failover and
#   Multi-AZ on, so that losing the primary node or its Availability Zone promotes a
#   replica in another AZ within minutes instead of waiting for the node to be replaced.
#   (Both need at least one replica.) Serverless caches span several AZs on their own
#   and are not judged.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html
# custom:
#   id: ECH-002
#   phase: 7
#   severity: medium
#   evidence: [elasticache, tagging]
#   resource_type: replication group
#   gdpr: ["32(1)(b)"]
#   remediation: >-
#     Give the replication group a replica, then automatic failover with Multi-AZ.
#   fix:
#     - kind: elasticache:replicationgroup
#       commands:
#         - >-
#           aws elasticache modify-replication-group --region {region} --replication-group-id {name}
#           --automatic-failover-enabled --multi-az-enabled --apply-immediately
#       note: >-
#         a group without a replica needs one first: aws elasticache increase-replica-count
#         --new-replica-count 1 --apply-immediately on the same group
#   iac:
#     - type: AWS::ElastiCache::ReplicationGroup
#       properties: |
#         NumCacheClusters: 2
#         AutomaticFailoverEnabled: true
#         MultiAZEnabled: true
#   attestation: false
package jalon.controls.ech_002

import rego.v1

in_scope := [g.arn | some g in data.jalon.lib.replication_groups]

deny contains {"resource": g.arn, "message": msg} if {
	some g in data.jalon.lib.replication_groups
	off := [name |
		some [name, value] in [["automatic failover", g.automatic_failover], ["Multi-AZ", g.multi_az]]
		value != "enabled"
	]
	count(off) > 0
	msg := sprintf("%s off: losing the primary node or its AZ leaves the cache down until the node is replaced", [concat(" and ", off)])
}
