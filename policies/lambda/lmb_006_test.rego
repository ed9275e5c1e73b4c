package jalon.controls.lmb_006_test

import rego.v1

import data.jalon.controls.lmb_006 as c
import data.jalon.lib.testing as t

run(inp) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as t.config
	d := c.deny with input as inp with data.jalon.config as t.config
}

snap(functions, integrations) := t.snapshot({
	"lambda": {"functions": functions},
	"apigateway": {"stages": [], "integrations": integrations},
})

test_a_function_that_times_out_first_passes if {
	f := t.function("orders-api", {"timeout_seconds": 10})
	r := run(snap([f], [t.api_integration("orders", "orders-api", {})]))
	t.passes(r, f.arn)
	r.in_scope == [f.arn]
}

test_a_function_as_slow_as_the_integration_fails if {
	f := t.function("orders-worker", {"timeout_seconds": 29})
	r := run(snap([f], [t.api_integration("legacy", "orders-worker", {})]))
	t.fails_with(r, f.arn, "timeout 29 s is not below the 29 s integration timeout of REST API legacy")
	t.deny_within_scope(r)
}

test_an_http_integration_with_a_short_timeout_fails if {
	f := t.function("payments", {"timeout_seconds": 10})
	i := t.api_integration("pay", "payments", {"api_type": "HTTP", "timeout_ms": 5000})
	t.fails_with(run(snap([f], [i])), f.arn, "timeout 10 s is not below the 5 s integration timeout of HTTP API pay")
}

test_a_function_no_api_calls_is_not_judged if {
	f := t.function("worker", {"timeout_seconds": 900})
	count(run(snap([f], [])).in_scope) == 0
}
