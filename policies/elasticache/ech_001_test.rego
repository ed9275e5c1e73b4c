package jalon.controls.ech_001_test

import rego.v1

import data.jalon.controls.ech_001 as c
import data.jalon.lib.testing as t

run(inp) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as t.config
	d := c.deny with input as inp with data.jalon.config as t.config
}

snap(groups, caches) := t.snapshot({"elasticache": {"replication_groups": groups, "serverless_caches": caches}})

test_an_encrypted_group_with_rbac_passes if {
	g := t.replication_group("sessions", {})
	r := run(snap([g], []))
	t.passes(r, g.arn)
	r.in_scope == [g.arn]
}

test_an_auth_token_is_enough_for_access if {
	g := t.replication_group("sessions", {"user_group_ids": [], "auth_token_enabled": true})
	t.passes(run(snap([g], [])), g.arn)
}

test_every_problem_of_a_group_is_named_in_one_message if {
	g := t.replication_group("sessions", {"at_rest_encryption": false, "transit_encryption": false, "user_group_ids": []})
	r := run(snap([g], []))
	t.fails_with(r, g.arn, "not encrypted at rest; not encrypted in transit")
	t.fails_with(r, g.arn, "neither an AUTH token nor an RBAC user group")
	count(r.deny) == 1
	t.deny_within_scope(r)
}

test_transit_encryption_in_preferred_mode_fails if {
	g := t.replication_group("sessions", {"transit_encryption_mode": "preferred"})
	t.fails_with(run(snap([g], [])), g.arn, "mode is preferred")
}

test_a_serverless_cache_without_a_user_group_fails if {
	open := t.serverless_cache("carts", {"user_group_id": null})
	closed := t.serverless_cache("flags", {})
	r := run(snap([], [open, closed]))
	t.fails_with(r, open.arn, "default user connects without a password")
	t.passes(r, closed.arn)
	t.deny_within_scope(r)
}

test_memcached_is_not_judged if {
	m := t.serverless_cache("pages", {"engine": "memcached", "user_group_id": null})
	r := run(snap([], [m]))
	count(r.in_scope) == 0
	count(r.deny) == 0
}
