package jalon.controls.gdp_003_test

import rego.v1

import data.jalon.controls.gdp_003 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(dbs, clusters, groups, fns) := t.snapshot({
	"rds": {"instances": dbs, "clusters": clusters},
	"logs": {"log_groups": groups},
	"lambda": {"functions": fns},
})

personal := {"tags": {"data-class": "personal"}}

test_encrypted_personal_stores_pass if {
	i := t.db_instance("users", personal)
	g := t.log_group("/app/users", object.union(personal, {"kms_key_id": "arn:aws:kms:eu-west-1:123456789012:key/l"}))
	r := run(snap([i], [], [g], []))
	t.passes(r, i.arn)
	t.passes(r, g.arn)
	count(r.deny) == 0
}

test_unencrypted_personal_db_fails if {
	i := t.db_instance("users", object.union(personal, {"storage_encrypted": false}))
	cl := t.db_cluster("people", object.union(personal, {"storage_encrypted": false}))
	r := run(snap([i], [cl], [], []))
	t.fails_with(r, i.arn, "storage is not encrypted")
	t.fails(r, cl.arn)
	t.deny_within_scope(r)
}

test_unencrypted_personal_log_group_fails if {
	f := t.function("users", personal)
	g := t.log_group("/aws/lambda/users", {})
	t.fails_with(run(snap([], [], [g], [f])), g.arn, "log group holds personal data")
}

test_non_personal_not_in_scope if {
	i := t.db_instance("metrics", {"storage_encrypted": false, "tags": {"data-class": "internal"}})
	g := t.log_group("/app/metrics", {})
	r := run(snap([i], [], [g], []))
	count(r.in_scope) == 0
}

test_an_unencrypted_personal_queue_fails if {
	q := t.queue("payments", object.union(personal, {"sqs_managed_sse": false, "kms_master_key_id": null}))
	ok := t.queue("orders", personal)
	r := run(t.snapshot({"sqs": {"queues": [q, ok]}}))
	t.fails_with(r, q.arn, "queue holds personal data but its messages are not encrypted at rest")
	t.passes(r, ok.arn)
	t.deny_within_scope(r)
}


test_a_personal_table_is_judged_and_encrypted_whatever_its_key if {
	owned := t.table("orders", personal)
	keyed := t.table("carts", object.union(personal, {"kms_key_arn": "arn:aws:kms:eu-west-3:123456789012:key/k1"}))
	r := run(t.snapshot({"dynamodb": {"tables": [owned, keyed]}}))
	t.passes(r, owned.arn)
	t.passes(r, keyed.arn)
}

test_a_personal_cache_must_be_encrypted_at_rest if {
	plain := t.replication_group("sessions", object.union(personal, {"at_rest_encryption": false}))
	serverless := t.serverless_cache("carts", personal)
	r := run(t.snapshot({"elasticache": {"replication_groups": [plain], "serverless_caches": [serverless]}}))
	t.fails_with(r, plain.arn, "cache holds personal data but is not encrypted at rest")
	t.passes(r, serverless.arn)
	t.deny_within_scope(r)
}
