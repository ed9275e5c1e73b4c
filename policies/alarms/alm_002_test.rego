package jalon.controls.alm_002_test

import rego.v1

import data.jalon.controls.alm_002 as c
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

fn := t.function("orders", {})

api_fn := t.function("api", {"invoke_permissions": [t.permission("apigateway.amazonaws.com")]})

p95(name, fname, threshold) := t.metric_alarm_on(name, "AWS/Lambda", "Duration", {"FunctionName": fname}, {"statistic": null, "extended_statistic": "p95", "threshold": threshold})

api_p95(threshold) := t.metric_alarm_on("api-latency", "AWS/ApiGateway", "Latency", {"ApiName": "shop"}, {"statistic": null, "extended_statistic": "p95", "threshold": threshold})

with_alarms(fns, alarms) := t.snapshot({"lambda": {"functions": fns}, "cloudwatch": {"metric_alarms": alarms}})

test_p95_duration_alarm_passes if {
	r := run(with_alarms([fn], [p95("orders-p95", "orders", 500)]))
	t.passes(r, fn.arn)
	count(r.deny) == 0
}

test_no_alarm_fails if {
	r := run(with_alarms([fn], []))
	t.fails_with(r, fn.arn, "no p95 latency alarm")
	not t.fails_with(r, fn.arn, "behind API Gateway")
	t.deny_within_scope(r)
}

test_threshold_above_limit_fails if {
	r := run(with_alarms([fn], [p95("orders-p95", "orders", 800)]))
	t.fails_with(r, fn.arn, "p95 Duration alarm 'orders-p95' has a threshold of 800 ms, above 500 ms")
}

test_threshold_boundary if {
	t.passes(run(with_alarms([fn], [p95("orders-p95", "orders", 500)])), fn.arn)
	t.fails(run(with_alarms([fn], [p95("orders-p95", "orders", 500.5)])), fn.arn)
	cfg := t.config_with({"thresholds": {"latency_p95_ms": 1000}})
	t.passes(run_cfg(with_alarms([fn], [p95("orders-p95", "orders", 800)]), cfg), fn.arn)
}

test_average_statistic_does_not_count if {
	avg := t.metric_alarm_on("orders-avg", "AWS/Lambda", "Duration", {"FunctionName": "orders"}, {"statistic": "Average", "threshold": 100})
	t.fails(run(with_alarms([fn], [avg])), fn.arn)
}

test_p99_counts if {
	a := p95("orders-p99", "orders", 400)
	t.passes(run(with_alarms([fn], [object.union(a, {"extended_statistic": "p99"})])), fn.arn)
}

test_lower_percentile_does_not_count if {
	a := p95("orders-p90", "orders", 400)
	t.fails(run(with_alarms([fn], [object.union(a, {"extended_statistic": "p90"})])), fn.arn)
}

test_metric_math_p95_counts if {
	q := object.union(t.metric_stat_query("d", "AWS/Lambda", "Duration", {"FunctionName": "orders"}, "p95"), {"return_data": true})
	a := t.metric_alarm("orders-p95-math", {"metrics": [q], "threshold": 450})
	t.passes(run(with_alarms([fn], [a])), fn.arn)
}

test_comparison_must_be_greater if {
	a := object.union(p95("orders-p95", "orders", 500), {"comparison_operator": "LessThanThreshold"})
	t.fails_with(run(with_alarms([fn], [a])), fn.arn, "compares with LessThanThreshold")
}

test_api_gateway_latency_covers_functions_behind_it if {
	r := run(with_alarms([api_fn, fn], [api_p95(300)]))
	t.passes(r, api_fn.arn)
	t.fails(r, fn.arn)
}

test_api_gateway_latency_above_limit if {
	r := run(with_alarms([api_fn], [api_p95(900)]))
	t.fails_with(r, api_fn.arn, "behind API Gateway")
}

test_alarm_in_other_region_does_not_count if {
	a := object.union(p95("orders-p95", "orders", 500), {"region": "us-east-1"})
	t.fails(run(with_alarms([fn], [a])), fn.arn)
}

test_scope_excludes_function if {
	cfg := t.config_with({"scope": {"exclude_names": ["orders"]}})
	r := run_cfg(with_alarms([fn], []), cfg)
	count(r.in_scope) == 0
	count(r.deny) == 0
}
