package jalon.controls.gdp_001_test

import rego.v1

import data.jalon.controls.gdp_001 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(dbs, clusters) := t.snapshot({"rds": {"instances": dbs, "clusters": clusters}})

test_classified_passes if {
	i := t.db_instance("orders", {"tags": {"data-class": "personal"}})
	cl := t.db_cluster("aurora", {"tags": {"data-class": "internal"}})
	r := run(snap([i], [cl]))
	t.passes(r, i.arn)
	t.passes(r, cl.arn)
	count(r.deny) == 0
}

test_unclassified_fails if {
	i := t.db_instance("orders", {})
	r := run(snap([i], []))
	t.fails_with(r, i.arn, "no 'data-class' tag")
	t.deny_within_scope(r)
}

test_empty_value_fails if {
	i := t.db_instance("orders", {"tags": {"data-class": " "}})
	t.fails_with(run(snap([i], [])), i.arn, "tag is empty")
}

test_tag_name_from_config if {
	i := t.db_instance("orders", {"tags": {"classification": "personal"}})
	cfg := t.config_with({"scope": {"data_class_tag": "classification"}})
	t.passes(run_cfg(snap([i], []), cfg), i.arn)
}

test_cluster_members_classified_through_cluster if {
	member := t.db_instance("aurora-1", {"cluster_identifier": "aurora"})
	r := run(snap([member], []))
	not member.arn in r.in_scope
}

test_queues_are_data_stores_too if {
	classified := t.queue("orders", {"tags": {"data-class": "personal"}})
	untagged := t.queue("thumbnails", {})
	r := run(t.snapshot({"sqs": {"queues": [classified, untagged]}}))
	t.passes(r, classified.arn)
	t.fails_with(r, untagged.arn, "no 'data-class' tag")
	t.deny_within_scope(r)
}


test_tables_are_data_stores_too if {
	classified := t.table("orders", {"tags": {"data-class": "internal"}})
	untagged := t.table("carts", {})
	r := run(t.snapshot({"dynamodb": {"tables": [classified, untagged]}}))
	t.passes(r, classified.arn)
	t.fails_with(r, untagged.arn, "no 'data-class' tag")
	t.deny_within_scope(r)
}

test_caches_are_data_stores_too if {
	g := t.replication_group("sessions", {"tags": {"data-class": "personal"}})
	c := t.serverless_cache("carts", {})
	r := run(t.snapshot({"elasticache": {"replication_groups": [g], "serverless_caches": [c]}}))
	t.passes(r, g.arn)
	t.fails_with(r, c.arn, "no 'data-class' tag")
}

test_buckets_are_data_stores_too if {
	b := t.bucket("exports", {})
	r := run(t.snapshot({"s3": {"buckets": [b]}}))
	t.fails_with(r, b.arn, "no 'data-class' tag")
}
