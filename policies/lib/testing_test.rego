package jalon.lib.testing_test

import rego.v1

import data.jalon.lib.testing as t

test_a_known_field_is_overridden if {
	t.table("carts", {"point_in_time_recovery": false}).point_in_time_recovery == false
}

# The LMB-006 tests once set `timeout` on functions, whose field is timeout_seconds:
# the default stayed, and the tests passed without judging anything.
test_a_misspelt_field_leaves_the_builder_undefined if {
	not t.function("api", {"timeout": 3})
	not t.table("carts", {"ttl": "expires_at"})
}
