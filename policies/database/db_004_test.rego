package jalon.controls.db_004_test

import rego.v1

import data.jalon.controls.db_004 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(dbs, clusters) := t.snapshot({"rds": {"instances": dbs, "clusters": clusters}})

test_within_bounds_passes if {
	i := t.db_instance("orders", {"backup_retention_days": 14})
	r := run(snap([i], []))
	t.passes(r, i.arn)
	count(r.deny) == 0
}

test_bounds_inclusive if {
	t.passes(run(snap([t.db_instance("a", {"backup_retention_days": 7})], [])), t.db_instance("a", {}).arn)
	t.passes(run(snap([t.db_instance("a", {"backup_retention_days": 35})], [])), t.db_instance("a", {}).arn)
}

test_backups_off_fails if {
	i := t.db_instance("orders", {"backup_retention_days": 0})
	r := run(snap([i], []))
	t.fails_with(r, i.arn, "automated backups are off")
	t.deny_within_scope(r)
}

test_too_short_fails if {
	i := t.db_instance("orders", {"backup_retention_days": 3})
	t.fails_with(run(snap([i], [])), i.arn, "backup retention is 3 days, below 7 days")
}

test_too_long_fails if {
	cl := t.db_cluster("aurora", {"backup_retention_days": 36})
	t.fails_with(run(snap([], [cl])), cl.arn, "above the ceiling of 35 days")
}

test_bounds_from_config if {
	i := t.db_instance("orders", {"backup_retention_days": 14})
	cfg := t.config_with({"thresholds": {"backup_retention_min_days": 30, "backup_retention_max_days": 35}})
	t.fails(run_cfg(snap([i], []), cfg), i.arn)
}

test_read_replica_not_in_scope if {
	replica := t.db_instance("orders-replica", {"backup_retention_days": 0, "read_replica_source": "orders"})
	r := run(snap([replica], []))
	count(r.in_scope) == 0
}
