package jalon.controls.alm_005_test

import rego.v1

import data.jalon.controls.alm_005 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

fn := t.function("orders", {})

db := t.db_instance("orders-db", {})

throttles := t.metric_alarm_on("orders-throttles", "AWS/Lambda", "Throttles", {"FunctionName": "orders"}, {})

rds_alarm(metric, dim, value) := t.metric_alarm_on(sprintf("%s-%s", [value, metric]), "AWS/RDS", metric, {dim: value}, {})

all_db_alarms := [rds_alarm(m, "DBInstanceIdentifier", "orders-db") | some m in ["CPUUtilization", "FreeStorageSpace", "DatabaseConnections"]]

snap(fns, dbs, alarms) := t.snapshot({
	"lambda": {"functions": fns},
	"rds": {"instances": dbs},
	"cloudwatch": {"metric_alarms": alarms},
})

test_all_saturation_alarms_pass if {
	r := run(snap([fn], [db], array.concat([throttles], all_db_alarms)))
	t.passes(r, fn.arn)
	t.passes(r, db.arn)
	count(r.deny) == 0
}

test_missing_throttles_fails if {
	r := run(snap([fn], [], []))
	t.fails_with(r, fn.arn, "no Throttles alarm")
	t.deny_within_scope(r)
}

test_missing_rds_metric_named if {
	r := run(snap([], [db], [all_db_alarms[0]]))
	t.fails_with(r, db.arn, "no saturation alarm on FreeStorageSpace, DatabaseConnections")
}

test_metric_math_throttles_counts if {
	q := object.union(t.metric_stat_query("thr", "AWS/Lambda", "Throttles", {"FunctionName": "orders"}, "Sum"), {"return_data": true})
	a := t.metric_alarm("orders-throttles", {"metrics": [q]})
	t.passes(run(snap([fn], [], [a])), fn.arn)
}

test_aurora_member_covered_by_cluster_alarms if {
	member := t.db_instance("aurora-1", {"engine": "aurora-postgresql", "cluster_identifier": "aurora"})
	alarms := [rds_alarm(m, "DBClusterIdentifier", "aurora") | some m in ["CPUUtilization", "DatabaseConnections"]]
	r := run(snap([], [member], alarms))
	t.passes(r, member.arn)
}

test_alarm_on_other_function_does_not_count if {
	other := t.metric_alarm_on("x-throttles", "AWS/Lambda", "Throttles", {"FunctionName": "other"}, {})
	t.fails(run(snap([fn], [], [other])), fn.arn)
}
