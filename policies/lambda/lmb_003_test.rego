package jalon.controls.lmb_003_test

import rego.v1

import data.jalon.controls.lmb_003 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(fns) := t.snapshot({"lambda": {"functions": fns}})

test_capped_db_function_passes if {
	f := t.function("orders", {"environment_variable_names": ["DB_HOST", "DB_NAME"], "reserved_concurrency": 20})
	r := run(snap([f]))
	t.passes(r, f.arn)
	count(r.deny) == 0
}

test_uncapped_db_function_fails if {
	f := t.function("orders", {"environment_variable_names": ["DATABASE_URL", "LOG_LEVEL"]})
	r := run(snap([f]))
	t.fails_with(r, f.arn, "opens database connections (DATABASE_URL)")
	t.deny_within_scope(r)
}

test_db_variable_names if {
	names := ["PGHOST", "ORDERS_DB_HOST", "RDS_HOSTNAME", "MYSQL_USER", "POSTGRES_URL", "JDBC_URL", "db_endpoint", "AURORA_CLUSTER_ARN"]
	every n in names {
		f := t.function("orders", {"environment_variable_names": [n]})
		t.fails(run(snap([f])), f.arn)
	}
}

test_non_db_variables_not_in_scope if {
	f := t.function("orders", {"environment_variable_names": ["DYNAMODB_TABLE", "FEEDBACK_URL", "LOG_LEVEL"]})
	r := run(snap([f]))
	count(r.in_scope) == 0
}

test_db_access_tag if {
	f := t.function("orders", {"environment_variable_names": [], "tags": {"db-access": "true"}})
	t.fails_with(run(snap([f])), f.arn, "tagged db-access")
	off := t.function("orders", {"environment_variable_names": [], "tags": {"db-access": "false"}})
	count(run(snap([off])).in_scope) == 0
}
