package jalon.controls.sec_001_test

import rego.v1

import data.jalon.controls.sec_001 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(secrets) := t.snapshot({"secretsmanager": {"secrets": secrets}})

test_db_secret_rotating_passes if {
	s := t.secret("prod/orders-db/app", {"rotation_every_days": 30})
	r := run(snap([s]))
	t.passes(r, s.arn)
	count(r.deny) == 0
}

test_rotation_off_fails if {
	s := t.secret("prod/orders-db/app", {"rotation_enabled": false, "rotation_every_days": null})
	r := run(snap([s]))
	t.fails_with(r, s.arn, "automatic rotation is off")
	t.deny_within_scope(r)
}

test_interval_above_ceiling_fails if {
	s := t.secret("prod/orders-db/app", {"rotation_every_days": 31})
	t.fails_with(run(snap([s])), s.arn, "rotates every 31 days, above the 30-day ceiling")
}

test_rate_expression if {
	ok := t.secret("orders-db", {"rotation_every_days": null, "rotation_schedule_expression": "rate(10 days)"})
	t.passes(run(snap([ok])), ok.arn)
	bad := t.secret("orders-db", {"rotation_every_days": null, "rotation_schedule_expression": "rate(45 days)"})
	t.fails_with(run(snap([bad])), bad.arn, "rotates every 45 days")
	hours := t.secret("orders-db", {"rotation_every_days": null, "rotation_schedule_expression": "rate(4 hours)"})
	t.passes(run(snap([hours])), hours.arn)
}

test_cron_accepted if {
	s := t.secret("orders-db", {"rotation_every_days": null, "rotation_schedule_expression": "cron(0 4 ? * SUN *)"})
	t.passes(run(snap([s])), s.arn)
}

test_no_interval_fails if {
	s := t.secret("orders-db", {"rotation_every_days": null, "rotation_schedule_expression": null})
	t.fails_with(run(snap([s])), s.arn, "no interval or schedule")
}

test_rds_managed_longer_than_7_days_fails if {
	s := t.secret("rds!db-1234", {"owning_service": "rds", "rotation_every_days": 14})
	t.fails_with(run(snap([s])), s.arn, "weakens them")
	ok := t.secret("rds!db-1234", {"owning_service": "rds", "rotation_every_days": 7})
	t.passes(run(snap([ok])), ok.arn)
}

test_db_secret_detection if {
	named := [t.secret(n, {"rotation_enabled": false}) | some n in ["prod/orders-db/app", "db-password", "postgres/main", "orders_rds_creds", "Aurora-master"]]
	r := run(snap(named))
	every s in named {
		t.fails(r, s.arn)
	}
	tagged := t.secret("orders/creds", {"rotation_enabled": false, "tags": {"aws:rds:primaryDBInstanceArn": "arn:aws:rds:eu-west-1:123456789012:db:orders"}})
	t.fails(run(snap([tagged])), tagged.arn)
	rotated := t.secret("orders/creds", {"rotation_enabled": false, "rotation_lambda_arn": "arn:aws:lambda:eu-west-1:123456789012:function:SecretsManagerRDSPostgreSQLRotationSingleUser"})
	t.fails(run(snap([rotated])), rotated.arn)
	engine := t.secret("orders/creds", {"rotation_enabled": false, "tags": {"Engine": "postgres"}})
	t.fails(run(snap([engine])), engine.arn)
}

test_non_db_secrets_not_in_scope if {
	others := array.concat(
		[t.secret(n, {"rotation_enabled": false}) | some n in ["feedback/api-key", "stripe/token", "dbx-not-a-token"]],
		[t.secret("orders/creds", {"rotation_enabled": false, "tags": {"environment": "prod", "rds-team": "x"}})],
	)
	r := run(snap(others))
	count(r.in_scope) == 0
}

test_rds_managed_secret_follows_its_database_scope if {
	db := t.db_instance("orders-db", {"tags": {"env": "prod"}})
	managed := t.secret("rds!db-1234", {
		"owning_service": "rds",
		"rotation_every_days": 7,
		"tags": {"aws:rds:primaryDBInstanceArn": db.arn},
	})
	other := t.secret("rds!db-9999", {
		"owning_service": "rds",
		"rotation_every_days": 7,
		"tags": {"aws:rds:primaryDBInstanceArn": "arn:aws:rds:eu-west-3:123456789012:db:staging-db"},
	})
	cfg := t.config_with({"scope": object.union(t.config.scope, {"require_tags": {"env": "prod"}})})
	r := run_cfg(t.snapshot({"rds": {"instances": [db], "clusters": [], "parameter_groups": []}, "secretsmanager": {"secrets": [managed, other]}}), cfg)
	t.passes(r, managed.arn)
	not other.arn in r.in_scope
}
