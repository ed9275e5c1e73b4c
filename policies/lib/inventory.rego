# The inventory of personal data: where it is stored, how long it may stay there, how
# it is encrypted. One source of truth: GDP-002, GDP-003 and LOG-003 judge these stores,
# and the GDPR appendix (`jalon gdpr`) documents them, read from the engine, never
# decided again in Rust.
package jalon.lib.inventory

import rego.v1

import data.jalon.lib
import data.jalon.lib.logs

# One entry per in-scope store that holds personal data:
#   kind                    "RDS instance", "RDS cluster" or "log group"
#   arn, name, region
#   data_class              what makes it personal: its own data-classification tag; for a
#                           read replica without one, its source's; for a log group without
#                           one, that of the Lambda functions writing to it
#   retention_ceiling_days  how long its data may be kept: the log retention ceiling of its
#                           class (LOG-002) or the backup retention ceiling (DB-004)
#   encrypted               encrypted at rest as GDP-003 requires: storage encryption for a
#                           database, a KMS key for a log group
#   kms_key                 the KMS key, or null
#   replica_of              the source of a read replica, or null
personal_data_stores := array.concat(database_stores, log_group_stores)

# Their ids, for in_scope (an array: see lib.function_arns).
personal_data_store_arns := [s.arn | some s in personal_data_stores]

database_stores := [store |
	ceiling := data.jalon.lib.config.thresholds.backup_retention_max_days
	some r in data.jalon.lib.rds.personal_stores
	store := {
		"kind": database_kind(r),
		"arn": r.arn,
		"name": r.identifier,
		"region": r.region,
		"data_class": database_class(r),
		"retention_ceiling_days": ceiling,
		"encrypted": object.get(r, "storage_encrypted", false) == true,
		"kms_key": object.get(r, "kms_key_id", null),
		"replica_of": object.get(r, "read_replica_source", null),
	}
]

# Clusters list their members; instances do not.
database_kind(r) := "RDS cluster" if is_array(r.members) else := "RDS instance"

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

log_group_stores := [log_group_store(g, c) |
	tag := data.jalon.lib.config.scope.data_class_tag
	some g in data.jalon.lib.logs.personal_log_groups
	c := object.get(g.tags, tag, null)
]

# With its own class, or (null) the personal classes of the functions writing to it.
log_group_store(g, own) := {
	"kind": "log group",
	"arn": g.arn,
	"name": g.name,
	"region": g.region,
	"data_class": log_group_class(g, own),
	"retention_ceiling_days": logs.ceiling_days(g),
	"encrypted": (object.get(g, "kms_key_id", null) in {null, ""}) == false,
	"kms_key": object.get(g, "kms_key_id", null),
	"replica_of": null,
}

log_group_class(g, own) := own if {
	own != null
} else := c if {
	c := min({x | some x in logs.classes(g); lib.is_personal_class(x)})
} else := null

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
