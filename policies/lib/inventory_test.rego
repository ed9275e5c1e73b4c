package jalon.lib.inventory_test

import rego.v1

import data.jalon.lib.inventory
import data.jalon.lib.testing as t

stores(inp) := stores_cfg(inp, t.config)

stores_cfg(inp, cfg) := v if {
	v := inventory.personal_data_stores with input as inp with data.jalon.config as cfg
}

data_classes(inp) := v if {
	v := inventory.data_classes with input as inp with data.jalon.config as t.config
}

log_group_retention(inp, cfg) := v if {
	v := inventory.log_group_retention with input as inp with data.jalon.config as cfg
}

snap(dbs, clusters, groups, fns) := t.snapshot({
	"rds": {"instances": dbs, "clusters": clusters},
	"logs": {"log_groups": groups},
	"lambda": {"functions": fns},
})

personal := {"tags": {"data-class": "personal"}}

test_a_personal_database_is_a_store_with_its_encryption if {
	i := t.db_instance("users", object.union(personal, {"storage_encrypted": false, "kms_key_id": null}))
	t.eq(stores(snap([i], [], [], [])), [{
		"kind": "DB instance", "arn": i.arn, "region": t.region, "data_class": "personal",
		"retention_ceiling_days": 35, "encrypted": false, "replica_of": null,
	}])
}

test_a_personal_cluster_is_a_store if {
	c := t.db_cluster("people", personal)
	s := stores(snap([], [c], [], []))
	t.eq([[x.kind, x.encrypted] | some x in s], [["DB cluster", true]])
}

test_a_replica_carries_its_sources_class if {
	source := t.db_instance("users", personal)
	replica := t.db_instance("users-copy", {"read_replica_source": "users", "tags": {"data-class": "internal"}})
	s := stores(snap([source, replica], [], [], []))
	t.eq({[x.arn, x.data_class, x.replica_of] | some x in s}, {[source.arn, "personal", null], [replica.arn, "personal", "users"]})
}

test_a_log_group_of_a_personal_function_inherits_its_class_and_ceiling if {
	f := t.function("users", {"tags": {"data-class": "Personal"}})
	g := t.log_group("/aws/lambda/users", {"retention_days": 90, "kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/l"})
	cfg := t.config_with({"thresholds": {"log_retention_ceiling_by_class": {"personal": 60}}})
	t.eq(stores_cfg(snap([], [], [g], [f]), cfg), [{
		"kind": "log group", "arn": g.arn, "region": t.region, "data_class": "Personal",
		"retention_ceiling_days": 60, "encrypted": true,
	}])
}

test_an_unencrypted_personal_log_group_is_not_encrypted if {
	g := t.log_group("/app/users", object.union(personal, {"kms_key_id": ""}))
	t.eq([x.encrypted | some x in stores(snap([], [], [g], []))], [false])
}

test_what_is_not_personal_or_not_in_scope_is_not_a_store if {
	internal := t.db_instance("metrics", {"tags": {"data-class": "internal"}})
	untagged := t.log_group("/app/metrics", {})
	sandbox := t.db_instance("users-sandbox", personal)
	cfg := t.config_with({"scope": {"exclude_names": ["*-sandbox"]}})
	t.eq(stores_cfg(snap([internal, sandbox], [], [untagged], []), cfg), [])
}

test_every_classified_resource_is_listed_with_its_class if {
	f := t.function("users", personal)
	g := t.log_group("/app/metrics", {"tags": {"data-class": "internal"}})
	u := t.log_group("/app/untagged", {})
	classes := data_classes(snap([], [], [g, u], [f]))
	t.eq(classes, [
		{"kind": "log group", "arn": g.arn, "data_class": "internal", "personal": false},
		{"kind": "log group", "arn": u.arn, "data_class": null, "personal": false},
		{"kind": "Lambda function", "arn": f.arn, "data_class": "personal", "personal": true},
	])
}

test_every_log_group_has_the_ceiling_log_002_applies if {
	f := t.function("users", personal)
	inherited := t.log_group("/aws/lambda/users", {})
	plain := t.log_group("/app/metrics", {})
	cfg := t.config_with({"thresholds": {"log_retention_ceiling_by_class": {"personal": 60}}})
	retention := log_group_retention(snap([], [], [inherited, plain], [f]), cfg)
	t.eq(retention, [
		{"arn": inherited.arn, "data_class": "personal", "retention_ceiling_days": 60},
		{"arn": plain.arn, "data_class": null, "retention_ceiling_days": 365},
	])
}

test_a_store_has_the_ceiling_log_002_gives_it if {
	# Written to by a personal-data function and by an audit one: LOG-002's ceiling is the
	# lowest class-specific one (ceiling_days), so is the inventory's.
	users := t.function("users", {"tags": {"data-class": "personal"}, "logging": {"log_group": "/shared/app"}})
	audit := t.function("audit", {"tags": {"data-class": "audit"}, "logging": {"log_group": "/shared/app"}})
	g := t.log_group("/shared/app", {})
	snapshot := snap([], [], [g], [users, audit])
	t.eq([x.retention_ceiling_days | some x in stores(snapshot)], [365])
	by_class := t.config_with({"thresholds": {"log_retention_ceiling_by_class": {"audit": 400}}})
	t.eq([x.retention_ceiling_days | some x in stores_cfg(snapshot, by_class)], [400])
	ceiling := data.jalon.lib.logs.ceiling_days(g) with input as snapshot with data.jalon.config as by_class
	t.eq(ceiling, 400)
}

test_every_store_in_scope_has_an_entry if {
	f := t.function("users", personal)
	tagged := t.log_group("/app/users", personal)
	inheriting := t.log_group("/aws/lambda/users", {"kms_key_id": null})
	blank := t.log_group("/shared/blank", {"tags": {"data-class": ""}})
	writer := t.function("blank", {"tags": {"data-class": "personal"}, "logging": {"log_group": "/shared/blank"}})
	db := t.db_instance("users", personal)
	inp := snap([db], [], [tagged, inheriting, blank], [f, writer])
	arns := inventory.personal_data_store_arns with input as inp with data.jalon.config as t.config
	t.eq(count(arns), 4)
	t.eq({s.arn | some s in stores(inp)}, {a | some a in arns})
	# A blank class is no class: the group takes its writers' (LOG-002 reads it so too).
	t.eq([s.data_class | some s in stores(inp); s.arn == blank.arn], ["personal"])
}

test_a_personal_queue_is_a_store_encrypted_by_sqs_or_a_key if {
	sse := t.queue("orders", personal)
	keyed := t.queue("payments", object.union(personal, {"sqs_managed_sse": false, "kms_master_key_id": "alias/orders"}))
	plain := t.queue("audit", object.union(personal, {"sqs_managed_sse": false}))
	other := t.queue("thumbnails", {"tags": {"data-class": "public"}})
	s := stores(t.snapshot({"sqs": {"queues": [sse, keyed, plain, other]}}))
	t.eq({[x.kind, x.arn, x.data_class, x.encrypted, x.retention_ceiling_days] | some x in s}, {
		["SQS queue", sse.arn, "personal", true, 365],
		["SQS queue", keyed.arn, "personal", true, 365],
		["SQS queue", plain.arn, "personal", false, 365],
	})
}

