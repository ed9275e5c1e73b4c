# The inventory of personal data: where it is stored, how long it may stay there, how
# it is encrypted. One source of truth: GDP-002, GDP-003 and LOG-003 judge these stores,
# and the GDPR appendix (`jalon gdpr`) documents them, read from the engine, never
# decided again in Rust.
package jalon.lib.inventory

import rego.v1

import data.jalon.lib
import data.jalon.lib.logs

# One entry per in-scope store that holds personal data:
#   kind                    "DB instance", "DB cluster", "log group", "SQS queue",
#                           "DynamoDB table", "ElastiCache ..." or "S3 bucket" (as
#                           data_classes)
#   arn, region
#   data_class              what makes it personal: its own data-classification tag; for a
#                           read replica without one, its source's; for a log group without
#                           one, that of the Lambda functions writing to it
#   retention_ceiling_days  how long its data may be kept: the log retention ceiling of its
#                           class (LOG-002; a queue's too) or the backup retention ceiling
#                           (DB-004); null for a table, a cache and a bucket (GDP-005
#                           judges their TTL, snapshots and lifecycle)
#   encrypted               encrypted at rest as GDP-003 requires: storage encryption for a
#                           database, a KMS key for a log group, SSE-SQS or a KMS key for a
#                           queue; at-rest encryption for a replication group; always for
#                           a table, a serverless cache and a bucket
#   replica_of              databases only: the source of a read replica, or null
#   replica_regions         DynamoDB tables only: the regions of its global-table replicas
# GDP-002, GDP-003 and LOG-003 read it on every `jalon check`, and each field of an entry
# costs regorus as much as a few checks (docs/benchmarks.md), for up to tens of thousands
# of log groups: nothing here that a control or the appendix's judgement does not need;
# names and keys are in the snapshot.
personal_data_stores := array.concat(
	array.concat(array.concat(database_stores, log_group_stores), queue_stores),
	array.concat(array.concat(table_stores, cache_stores), bucket_stores),
)

# Their ids, for in_scope (an array: see lib.function_arns), from the lists the entries
# are built from, not from the entries: a store whose entry could not be built would
# still be judged (GDP-003 fails it), and the appendix's stores are checked against it.
personal_data_store_arns := array.concat(
	array.concat([r.arn | some r in data.jalon.lib.rds.personal_stores], log_group_store_arns),
	array.concat(
		array.concat([q.arn | some q in personal_queues], [x.arn | some x in personal_tables]),
		array.concat(
			[c.arn | some c in array.concat(personal_replication_groups, personal_serverless_caches)],
			[b.arn | some b in personal_buckets],
		),
	),
)

database_stores := [store |
	ceiling := data.jalon.lib.config.thresholds.backup_retention_max_days
	some r in data.jalon.lib.rds.personal_stores
	store := {
		"kind": database_kind(r),
		"arn": r.arn,
		"region": r.region,
		"data_class": database_class(r),
		"retention_ceiling_days": ceiling,
		"encrypted": object.get(r, "storage_encrypted", false) == true,
		"replica_of": object.get(r, "read_replica_source", null),
	}
]

# Clusters list their members; instances do not.
database_kind(r) := "DB cluster" if is_array(r.members) else := "DB instance"

# A database's own class when it is personal; for a replica, its source's. Never
# undefined: an entry with an undefined field would drop the store from the inventory.
database_class(r) := c if {
	c := lib.data_class(r)
	lib.is_personal_class(c)
} else := c if {
	c := source_classes[r.read_replica_source]
} else := c if {
	c := source_classes[[r.region, r.read_replica_source]]
} else := null

# The classes of personal standalone instances, by the references a replica uses for
# its source: the ARN (cross-region) or [region, identifier] (same region).
source_classes := {ref: c |
	tag := data.jalon.lib.config.scope.data_class_tag
	some i in data.jalon.lib.rds.personal_standalone
	c := i.tags[tag]
	some ref in [i.arn, [i.region, i.identifier]]
}

# Built in plain passes, no function call per group on the common paths (the groups
# with a class of their own; every group when no class has a ceiling of its own): this
# is on every `jalon check`'s path. Every field is defined for every store: the snapshot
# reader refuses a snapshot that leaves a field out (src/snapshot/model.rs, Nullable),
# and an undefined field would drop the entry.
log_group_stores := array.concat(tagged_log_group_stores, inheriting_log_group_stores)

# For in_scope (arrays, as lib.function_arns), from the lists the entries are built from.
log_group_store_arns := array.concat(
	[g.arn | some g in data.jalon.lib.logs.personal_tagged_log_groups],
	[g.arn | some g in data.jalon.lib.logs.personal_inheriting_log_groups],
)

tagged_log_group_stores := [store |
	tag := data.jalon.lib.config.scope.data_class_tag
	ceilings := data.jalon.lib.logs.personal_class_ceilings
	unencrypted := {null, ""}
	some g in data.jalon.lib.logs.personal_tagged_log_groups
	c := g.tags[tag]
	store := {
		"kind": "log group",
		"arn": g.arn,
		"region": g.region,
		"data_class": c,
		"retention_ceiling_days": ceilings[c],
		"encrypted": (g.kms_key_id in unencrypted) == false,
	}
]

# Log groups with no class of their own: that of the functions writing to them
# (logs.inherited_classes, bound here without a call), the lowest personal one.
inheriting_log_group_stores := [store |
	unencrypted := {null, ""}
	relevant := data.jalon.lib.logs.relevant_classes
	inh := data.jalon.lib.logs.inherited
	no_class_ceilings := data.jalon.lib.logs.ceilings_by_class == {}
	default_ceiling := data.jalon.lib.config.thresholds.log_retention_ceiling_days
	some g in data.jalon.lib.logs.personal_inheriting_log_groups
	classes := {c | some c in relevant; [g.region, g.name, c] in inh}
	store := {
		"kind": "log group",
		"arn": g.arn,
		"region": g.region,
		"data_class": personal_class(classes),
		"retention_ceiling_days": inheriting_ceiling(no_class_ceilings, default_ceiling, classes),
		"encrypted": (g.kms_key_id in unencrypted) == false,
	}
]

# The lowest personal class of a set; null when none (never undefined).
personal_class(classes) := c if {
	pcs := data.jalon.lib.personal_classes
	c := min({x | some x in classes; x in pcs})
} else := null

inheriting_ceiling(true, default_ceiling, _) := default_ceiling

inheriting_ceiling(false, _, classes) := logs.ceiling_of(classes)

# In-scope queues tagged with a personal class: messages are personal data too, for as
# long as the queue keeps them.
personal_queues := [q |
	some q in data.jalon.lib.sqs_queues
	lib.is_personal(q)
]

queue_stores := [store |
	tag := data.jalon.lib.config.scope.data_class_tag
	ceilings := data.jalon.lib.logs.personal_class_ceilings
	some q in personal_queues
	c := q.tags[tag]
	store := {
		"kind": "SQS queue",
		"arn": q.arn,
		"region": q.region,
		"data_class": c,
		"retention_ceiling_days": ceilings[c],
		"encrypted": queue_encrypted(q),
	}
]

# SSE-SQS or SSE-KMS: either encrypts messages at rest.
queue_encrypted(q) := true if {
	q.sqs_managed_sse == true
} else := true if {
	not q.kms_master_key_id in {null, ""}
} else := false

# In-scope DynamoDB tables tagged with a personal class. DynamoDB encrypts every table at
# rest (an AWS owned key unless a KMS key is set); its replicas hold the same items.
personal_tables := [x |
	some x in data.jalon.lib.dynamodb_tables
	lib.is_personal(x)
]

table_stores := [store |
	tag := data.jalon.lib.config.scope.data_class_tag
	some x in personal_tables
	store := {
		"kind": "DynamoDB table",
		"arn": x.arn,
		"region": x.region,
		"data_class": x.tags[tag],
		"retention_ceiling_days": null,
		"encrypted": true,
		"replica_regions": x.replica_regions,
	}
]

# In-scope ElastiCache replication groups and serverless caches tagged with a personal
# class. A serverless cache is always encrypted at rest; a replication group only when
# created so.
personal_replication_groups := [g |
	some g in data.jalon.lib.replication_groups
	lib.is_personal(g)
]

personal_serverless_caches := [c |
	some c in data.jalon.lib.serverless_caches
	lib.is_personal(c)
]

cache_stores := array.concat(
	[store |
		tag := data.jalon.lib.config.scope.data_class_tag
		some g in personal_replication_groups
		store := {
			"kind": "ElastiCache replication group",
			"arn": g.arn,
			"region": g.region,
			"data_class": g.tags[tag],
			"retention_ceiling_days": null,
			"encrypted": g.at_rest_encryption == true,
		}
	],
	[store |
		tag := data.jalon.lib.config.scope.data_class_tag
		some c in personal_serverless_caches
		store := {
			"kind": "ElastiCache serverless cache",
			"arn": c.arn,
			"region": c.region,
			"data_class": c.tags[tag],
			"retention_ceiling_days": null,
			"encrypted": true,
		}
	],
)

# In-scope S3 buckets tagged with a personal class. S3 encrypts every new object at rest
# (SSE-S3 at least, since January 2023).
personal_buckets := [b |
	some b in data.jalon.lib.buckets
	lib.is_personal(b)
]

bucket_stores := [store |
	tag := data.jalon.lib.config.scope.data_class_tag
	some b in personal_buckets
	store := {
		"kind": "S3 bucket",
		"arn": b.arn,
		"region": b.region,
		"data_class": b.tags[tag],
		"retention_ceiling_days": null,
		"encrypted": true,
	}
]

# ---------------------------------------------------------------- for the appendix only
#
# Not read by any control: evaluated by `jalon gdpr`, never by `jalon check`.

# Every resource that can carry a data-classification tag, in scope or not: its kind, its
# own class (null when untagged) and whether the class is personal.
data_classes := [entry |
	tag := data.jalon.lib.config.scope.data_class_tag
	some [kind, path] in [
		["DB instance", ["rds", "instances"]],
		["DB cluster", ["rds", "clusters"]],
		["log group", ["logs", "log_groups"]],
		["Lambda function", ["lambda", "functions"]],
		["secret", ["secretsmanager", "secrets"]],
		["SQS queue", ["sqs", "queues"]],
		["DynamoDB table", ["dynamodb", "tables"]],
		["ElastiCache replication group", ["elasticache", "replication_groups"]],
		["ElastiCache serverless cache", ["elasticache", "serverless_caches"]],
		["S3 bucket", ["s3", "buckets"]],
	]
	some r in object.get(input, path, [])
	c := class_or_null(r)
	entry := {"kind": kind, "arn": r.arn, "data_class": c, "personal": is_personal_or_false(c)}
]

class_or_null(r) := c if {
	c := lib.data_class(r)
} else := null

is_personal_or_false(c) := true if {
	lib.is_personal_class(c)
} else := false

# Every log group, in scope or not: the class its retention ceiling follows (its own, else
# the functions'), null when none applies, and that ceiling (LOG-002's).
log_group_retention := [{
	"arn": g.arn,
	"data_class": retention_class(g),
	"retention_ceiling_days": logs.ceiling_days(g),
} |
	some g in object.get(input, ["logs", "log_groups"], [])
]

retention_class(g) := min(cs) if {
	cs := logs.classes(g)
	count(cs) > 0
} else := null
