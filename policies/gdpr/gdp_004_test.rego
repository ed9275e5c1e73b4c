package jalon.controls.gdp_004_test

import rego.v1

import data.jalon.controls.gdp_004 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(dbs, clusters, groups) := t.snapshot({"rds": {"instances": dbs, "clusters": clusters, "parameter_groups": groups}})

ssl := t.parameter_group("pg-ssl", {"rds.force_ssl": "1"})

no_ssl := t.parameter_group("pg-nossl", {"rds.force_ssl": "0"})

test_custom_group_forcing_ssl_passes if {
	i := t.db_instance("orders", {"parameter_groups": ["pg-ssl"]})
	r := run(snap([i], [], [ssl]))
	t.passes(r, i.arn)
	count(r.deny) == 0
}

test_custom_group_not_forcing_ssl_fails if {
	i := t.db_instance("orders", {"parameter_groups": ["pg-nossl"]})
	r := run(snap([i], [], [no_ssl]))
	t.fails_with(r, i.arn, "parameter group 'pg-nossl': rds.force_ssl is 0, not 1")
	t.deny_within_scope(r)
}

test_parameter_unset_fails if {
	i := t.db_instance("orders", {"parameter_groups": ["pg-empty"]})
	t.fails_with(run(snap([i], [], [t.parameter_group("pg-empty", {})])), i.arn, "rds.force_ssl is unset")
}

test_custom_group_missing_from_snapshot_fails if {
	i := t.db_instance("orders", {"parameter_groups": ["pg-unknown"]})
	t.fails_with(run(snap([i], [], [])), i.arn, "not found in the snapshot")
}

test_default_group_by_version if {
	new := t.db_instance("new", {"engine_version": "15.5", "parameter_groups": ["default.postgres15"]})
	old := t.db_instance("old", {"engine_version": "14.9", "parameter_groups": ["default.postgres14"]})
	r := run(snap([new, old], [], []))
	t.passes(r, new.arn)
	t.fails_with(r, old.arn, "rds.force_ssl defaults to 0 for postgres 14.9")
}

test_aurora_default_cluster_group_fails if {
	cl := t.db_cluster("aurora", {"parameter_group": "default.aurora-postgresql16"})
	t.fails(run(snap([], [cl], [])), cl.arn)
}

test_aurora_custom_cluster_group_passes if {
	cl := t.db_cluster("aurora", {"parameter_group": "pg-ssl"})
	t.passes(run(snap([], [cl], [ssl])), cl.arn)
}

test_group_region_must_match if {
	i := t.db_instance("orders", {"region": "eu-central-1", "parameter_groups": ["pg-ssl"]})
	t.fails_with(run(snap([i], [], [ssl])), i.arn, "not found in the snapshot")
}

test_mysql_not_in_scope if {
	i := t.db_instance("shop", {"engine": "mysql", "parameter_groups": ["default.mysql8.0"]})
	r := run(snap([i], [], []))
	count(r.in_scope) == 0
}

test_redis_caches_must_require_tls if {
	required := t.replication_group("sessions", {})
	preferred := t.replication_group("carts", {"transit_encryption_mode": "preferred"})
	off := t.replication_group("flags", {"transit_encryption": false, "transit_encryption_mode": null})
	r := run(t.snapshot({"elasticache": {"replication_groups": [required, preferred, off], "serverless_caches": []}}))
	t.passes(r, required.arn)
	t.fails_with(r, preferred.arn, "mode is preferred")
	t.fails_with(r, off.arn, "transit encryption is off")
	t.deny_within_scope(r)
}

test_buckets_must_refuse_plain_http if {
	tls := t.bucket("exports", {})
	plain := t.bucket("uploads", {"tls_only": false})
	r := run(t.snapshot({"s3": {"buckets": [tls, plain]}}))
	t.passes(r, tls.arn)
	t.fails_with(r, plain.arn, "does not deny requests made without TLS")
	t.deny_within_scope(r)
}
