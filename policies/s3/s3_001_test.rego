package jalon.controls.s3_001_test

import rego.v1

import data.jalon.controls.s3_001 as c
import data.jalon.lib.testing as t

run(inp) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as t.config
	d := c.deny with input as inp with data.jalon.config as t.config
}

account := sprintf("s3-block-public-access:%s", [t.account])

snap(account_block, buckets) := t.snapshot({"s3": {"account_public_access_block": account_block, "buckets": buckets}})

test_the_account_blocking_everything_covers_every_bucket if {
	open := t.bucket("exports", {"public_access_block": t.none_blocked})
	r := run(snap(t.all_blocked, [open]))
	t.passes(r, account)
	t.passes(r, open.arn)
}

test_an_account_without_it_fails_and_so_does_an_open_bucket if {
	open := t.bucket("exports", {"public_access_block": object.union(t.all_blocked, {"restrict_public_buckets": false})})
	closed := t.bucket("orders", {})
	r := run(snap(t.none_blocked, [open, closed]))
	t.fails_with(r, account, "leaves block_public_acls, ignore_public_acls, block_public_policy, restrict_public_buckets off")
	t.fails_with(r, open.arn, "neither the account nor the bucket blocks public access (restrict_public_buckets off)")
	t.passes(r, closed.arn)
	t.deny_within_scope(r)
}

test_an_account_setting_not_read_fails if {
	r := run(snap(null, []))
	t.fails_with(r, account, "was not read")
}
