package jalon.controls.gdp_002_test

import rego.v1

import data.jalon.controls.gdp_002 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(dbs, clusters) := t.snapshot({"rds": {"instances": dbs, "clusters": clusters}})

logs_snap(groups, fns) := t.snapshot({"logs": {"log_groups": groups}, "lambda": {"functions": fns}})

personal := {"tags": {"data-class": "personal"}}

test_personal_in_eu_passes if {
	i := t.db_instance("users", personal)
	r := run(snap([i], []))
	t.passes(r, i.arn)
	count(r.deny) == 0
}

test_personal_outside_allowed_fails if {
	i := t.db_instance("users", object.union(personal, {"region": "us-east-1"}))
	r := run(snap([i], []))
	t.fails_with(r, i.arn, "personal data stored in us-east-1, outside the allowed regions")
	t.deny_within_scope(r)
}

test_cross_region_replica_of_personal_fails if {
	src := t.db_instance("users", personal)
	replica := t.db_instance("users-dr", {"region": "us-east-1", "read_replica_source": src.arn})
	r := run(snap([src, replica], []))
	t.passes(r, src.arn)
	t.fails_with(r, replica.arn, "read replica of a personal-data store")
}

test_same_region_replica_by_identifier_in_scope if {
	src := t.db_instance("users", personal)
	replica := t.db_instance("users-ro", {"read_replica_source": "users"})
	r := run(snap([src, replica], []))
	t.passes(r, replica.arn)
}

test_personal_cluster_outside_fails if {
	cl := t.db_cluster("users", object.union(personal, {"region": "ap-southeast-1"}))
	t.fails(run(snap([], [cl])), cl.arn)
}

test_allowed_regions_from_config if {
	i := t.db_instance("users", object.union(personal, {"region": "us-east-1"}))
	cfg := t.config_with({"allowed_regions": ["us-east-1"]})
	t.passes(run_cfg(snap([i], []), cfg), i.arn)
}

test_non_personal_not_in_scope if {
	i := t.db_instance("metrics", {"region": "us-east-1", "tags": {"data-class": "internal"}})
	replica := t.db_instance("metrics-dr", {"region": "us-east-1", "read_replica_source": i.arn})
	r := run(snap([i, replica], []))
	count(r.in_scope) == 0
}

test_personal_log_group_outside_allowed_fails if {
	g := t.log_group("/app/users", object.union(personal, {"region": "us-east-1"}))
	r := run(logs_snap([g], []))
	t.fails_with(r, g.arn, "personal data stored in us-east-1, outside the allowed regions")
	t.deny_within_scope(r)
}

test_log_group_of_personal_function_outside_allowed_fails if {
	f := t.function("users", object.union(personal, {"region": "us-east-1"}))
	g := t.log_group("/aws/lambda/users", {"region": "us-east-1"})
	t.fails(run(logs_snap([g], [f])), g.arn)
}

test_personal_log_group_in_allowed_region_passes if {
	g := t.log_group("/app/users", personal)
	t.passes(run(logs_snap([g], [])), g.arn)
}

test_a_global_table_replicating_personal_data_outside_fails if {
	eu := t.table("orders", object.union(personal, {"replica_regions": ["eu-central-1"]}))
	us := t.table("carts", object.union(personal, {"replica_regions": ["eu-central-1", "us-east-1"]}))
	internal := t.table("flags", {"tags": {"data-class": "internal"}, "replica_regions": ["us-east-1"]})
	r := run(t.snapshot({"dynamodb": {"tables": [eu, us, internal]}}))
	t.passes(r, eu.arn)
	t.fails_with(r, us.arn, "global table replicates personal data to us-east-1, outside the allowed regions")
	not internal.arn in r.in_scope
	t.deny_within_scope(r)
}

test_a_personal_bucket_outside_the_allowed_regions_fails if {
	b := t.bucket("exports", object.union(personal, {"region": "us-east-1"}))
	t.fails_with(run(t.snapshot({"s3": {"buckets": [b]}})), b.arn, "personal data stored in us-east-1")
}
