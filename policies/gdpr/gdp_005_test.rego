package jalon.controls.gdp_005_test

import rego.v1

import data.jalon.controls.gdp_005 as c
import data.jalon.lib.testing as t

run(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg
	d := c.deny with input as inp with data.jalon.config as cfg
}

personal := {"tags": {"data-class": "personal"}}

test_a_personal_table_with_ttl_passes if {
	x := t.table("sessions", object.union(personal, {"ttl_attribute": "expires_at"}))
	r := run(t.snapshot({"dynamodb": {"tables": [x]}}), t.config)
	t.passes(r, x.arn)
	r.in_scope == [x.arn]
}

test_a_personal_table_without_ttl_fails if {
	x := t.table("sessions", personal)
	r := run(t.snapshot({"dynamodb": {"tables": [x]}}), t.config)
	t.fails_with(r, x.arn, "TTL is off")
	t.deny_within_scope(r)
}

test_tables_and_queues_not_classified_personal_are_not_judged if {
	x := t.table("flags", {"tags": {"data-class": "internal"}})
	q := t.queue("jobs", {})
	r := run(t.snapshot({"dynamodb": {"tables": [x]}, "sqs": {"queues": [q]}}), t.config)
	count(r.in_scope) == 0
	count(r.deny) == 0
}

test_a_queue_kept_longer_than_its_class_allows_fails if {
	cfg := t.config_with({"thresholds": object.union(t.config.thresholds, {"log_retention_ceiling_by_class": {"personal": 7}})})
	long := t.queue("signups", object.union(personal, {"message_retention_seconds": 1209600}))
	short := t.queue("receipts", object.union(personal, {"message_retention_seconds": 345600}))
	r := run(t.snapshot({"sqs": {"queues": [long, short]}}), cfg)
	t.fails_with(r, long.arn, "keeps messages 14 days, above the 7-day ceiling of data class personal")
	t.passes(r, short.arn)
	t.deny_within_scope(r)
}

test_a_queue_within_the_default_ceiling_passes if {
	q := t.queue("signups", object.union(personal, {"message_retention_seconds": 1209600}))
	t.passes(run(t.snapshot({"sqs": {"queues": [q]}}), t.config), q.arn)
}

test_a_personal_cache_keeping_snapshots_too_long_fails if {
	cfg := t.config_with({"thresholds": object.union(t.config.thresholds, {"backup_retention_max_days": 7})})
	long := t.replication_group("sessions", object.union(personal, {"snapshot_retention_days": 14}))
	short := t.serverless_cache("carts", personal)
	r := run(t.snapshot({"elasticache": {"replication_groups": [long], "serverless_caches": [short]}}), cfg)
	t.fails_with(r, long.arn, "keeps automatic snapshots 14 days, above the 7-day backup retention ceiling")
	t.passes(r, short.arn)
	t.deny_within_scope(r)
}

test_a_personal_bucket_expiring_every_object_passes if {
	b := t.bucket("exports", object.union(personal, {"versioning": "Enabled", "lifecycle_rules": [t.expiry_rule(30)]}))
	t.passes(run(t.snapshot({"s3": {"buckets": [b]}}), t.config), b.arn)
}

test_a_personal_bucket_expiring_a_prefix_only_fails_naming_the_rule if {
	rule := object.union(t.expiry_rule(30), {"id": "tmp", "applies_to": "prefix tmp/"})
	b := t.bucket("exports", object.union(personal, {"lifecycle_rules": [rule]}))
	r := run(t.snapshot({"s3": {"buckets": [b]}}), t.config)
	t.fails_with(r, b.arn, "no enabled lifecycle rule expires every object (only tmp: prefix tmp/)")
	t.deny_within_scope(r)
}

test_a_versioned_bucket_must_expire_noncurrent_versions if {
	rule := object.union(t.expiry_rule(30), {"noncurrent_expiration_days": null})
	b := t.bucket("exports", object.union(personal, {"versioning": "Suspended", "lifecycle_rules": [rule]}))
	t.fails_with(run(t.snapshot({"s3": {"buckets": [b]}}), t.config), b.arn, "versioning is suspended but no enabled rule expires noncurrent versions")
}

test_a_disabled_rule_does_not_count if {
	rule := object.union(t.expiry_rule(30), {"enabled": false})
	b := t.bucket("exports", object.union(personal, {"lifecycle_rules": [rule]}))
	t.fails_with(run(t.snapshot({"s3": {"buckets": [b]}}), t.config), b.arn, "no enabled lifecycle rule expires every object: objects stay")
}
