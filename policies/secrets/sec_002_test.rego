package jalon.controls.sec_002_test

import rego.v1

import data.jalon.controls.sec_002 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

snap(secrets) := t.snapshot({"secretsmanager": {"secrets": secrets}})

test_recent_rotation_passes if {
	s := t.secret("orders-db", {"last_rotated_at": "2026-11-10T00:00:00Z", "rotation_every_days": 30})
	r := run(snap([s]))
	t.passes(r, s.arn)
	count(r.deny) == 0
}

test_overdue_rotation_fails if {
	s := t.secret("orders-db", {"last_rotated_at": "2026-10-01T00:00:00Z", "rotation_every_days": 30, "next_rotation_at": null})
	r := run(snap([s]))
	t.fails_with(r, s.arn, "last rotated 52 days ago (2026-10-01), more than the 30-day interval + 1 day")
	t.deny_within_scope(r)
}

test_interval_plus_one_day_boundary if {
	# as_of 2026-11-22T10:00:00Z; 30 + 1 days before is 2026-10-22T10:00:00Z.
	ok := t.secret("orders-db", {"last_rotated_at": "2026-10-22T10:00:00Z", "next_rotation_at": null})
	t.passes(run(snap([ok])), ok.arn)
	late := t.secret("orders-db", {"last_rotated_at": "2026-10-22T09:59:59Z", "next_rotation_at": null})
	t.fails(run(snap([late])), late.arn)
}

test_never_rotated_uses_creation_date if {
	fresh := t.secret("orders-db", {"last_rotated_at": null, "created_at": "2026-11-20T00:00:00Z", "next_rotation_at": null})
	t.passes(run(snap([fresh])), fresh.arn)
	old := t.secret("orders-db", {"last_rotated_at": null, "created_at": "2026-01-01T00:00:00Z", "next_rotation_at": null})
	t.fails_with(run(snap([old])), old.arn, "never rotated; created")
}

test_no_dates_fails if {
	s := t.secret("orders-db", {"last_rotated_at": null, "created_at": null, "next_rotation_at": null})
	t.fails_with(run(snap([s])), s.arn, "never rotated")
}

test_next_rotation_overdue_fails if {
	s := t.secret("orders-db", {"last_rotated_at": "2026-11-15T00:00:00Z", "rotation_every_days": 30, "next_rotation_at": "2026-11-18T00:00:00Z"})
	t.fails_with(run(snap([s])), s.arn, "next rotation was due on 2026-11-18")
}

test_rotation_disabled_not_in_scope if {
	s := t.secret("orders-db", {"rotation_enabled": false, "last_rotated_at": null})
	r := run(snap([s]))
	count(r.in_scope) == 0
}
