package jalon.controls.ops_003_test

import rego.v1

import data.jalon.controls.ops_003 as c
import data.jalon.lib.testing as t

# The cutover a week before the evaluation time (2026-11-22T10:00:00Z).
cutover := t.config_with({"cutover": "2026-11-15"})

run(inp) := run_cfg(inp, cutover)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

window := t.metric_window("2026-11-15T00:00:00Z", {})

# The function, its stage and its database, with their metric data.
snap(traffic) := t.snapshot({
	"lambda": {"functions": [t.function("orders", {})]},
	"metrics": {"windows": [window], "functions": traffic},
})

healthy := [[0, 500, 2, 200], [1, 600, 3, 210], [300, 400, 0, 190]]

test_a_healthy_week_passes if {
	f := t.function_traffic("orders", healthy, {})
	r := run(snap([f]))
	t.passes(r, f.arn)
	t.eq(count(r.in_scope), 1)
}

test_a_window_above_the_error_rate_fails_with_its_time_rate_and_minutes if {
	f := t.function_traffic("orders", array.concat(healthy, [[12, 200, 10, 240], [13, 400, 9, 250]]), {})
	r := run(snap([f]))
	t.fails_with(r, f.arn, "10 minutes out of SLO in 5 windows judged since the cutover")
	t.fails_with(r, f.arn, "error rate above 2 % in 2 windows, worst 2026-11-15T01:00:00Z 5 % (10/200, p95 240 ms), 2026-11-15T01:05:00Z 2.3 % (9/400, p95 250 ms)")
	t.deny_within_scope(r)
}

test_the_threshold_itself_is_within_the_slo if {
	f := t.function_traffic("orders", array.concat(healthy, [[12, 200, 4, 240]]), {})
	t.passes(run(snap([f])), f.arn)
}

test_a_slow_window_fails if {
	f := t.function_traffic("orders", array.concat(healthy, [[20, 300, 0, 900.5]]), {})
	r := run(snap([f]))
	t.fails_with(r, f.arn, "p95 above 500 ms in 1 windows, worst 2026-11-15T01:40:00Z 0 % (0/300, p95 900.5 ms)")
	t.fails_with(r, f.arn, "5 minutes out of SLO")
}

test_windows_before_the_cutover_are_not_judged if {
	f := t.function_traffic("orders", array.concat(healthy, [[12, 200, 50, 240]]), {})
	r := run_cfg(snap([f]), t.config_with({"cutover": "2026-11-16"}))
	t.passes(r, f.arn)
	# Without a cutover every window is judged.
	t.fails(run_cfg(snap([f]), t.config), f.arn)
}

test_too_little_traffic_is_not_judged if {
	f := t.function_traffic("orders", [[0, 40, 30, 200], [1, 50, 0, 200]], {})
	r := run(snap([f]))
	t.eq(r.in_scope, set())
	# The floor is the config's.
	t.fails(run_cfg(snap([f]), t.config_with({"cutover": "2026-11-15", "thresholds": {"slo_min_requests": 50}})), f.arn)
}

test_a_cutover_still_ahead_judges_nothing if {
	f := t.function_traffic("orders", array.concat(healthy, [[12, 200, 50, 240]]), {})
	r := run_cfg(snap([f]), t.config_with({"cutover": "2026-12-01"}))
	t.eq(r.in_scope, set())
}

with_baseline(p95, baseline_p95) := t.function_traffic("orders", healthy, {
	"baseline": {"requests": 5000, "errors": 1, "throttles": 0, "p95_ms": baseline_p95},
	"current": {"requests": 1500, "errors": 5, "throttles": 0, "p95_ms": p95},
})

test_p95_above_the_band_of_the_baseline_fails if {
	f := with_baseline(260, 200)
	t.fails_with(run(snap([f])), f.arn, "p95 since the cutover 260 ms is 30 % above the baseline's 200 ms (at most 15 %)")
	# Within the band, or faster: passes.
	t.passes(run(snap([with_baseline(229, 200)])), f.arn)
	t.passes(run(snap([with_baseline(120, 200)])), f.arn)
}

test_no_band_without_a_baseline_that_starts_at_the_cutover if {
	f := with_baseline(400, 200)
	cut := t.snapshot({
		"lambda": {"functions": [t.function("orders", {})]},
		"metrics": {"windows": [t.metric_window("2026-11-15T00:00:00Z", {"baseline_start": null})], "functions": [f]},
	})
	t.passes(run(cut), f.arn)
}

test_a_stage_is_judged_like_a_function if {
	s := t.stage_traffic("orders-api", "prod", array.concat(healthy, [[40, 100, 30, 300]]), {})
	inp := t.snapshot({
		"apigateway": {"stages": [t.api_stage("orders-api", "prod", {})]},
		"metrics": {"windows": [window], "api_stages": [s]},
	})
	t.fails_with(run(inp), s.arn, "worst 2026-11-15T03:20:00Z 30 % (30/100, p95 300 ms)")
}

test_a_busy_database_fails if {
	db := t.db_cpu("orders-db", [[0, 35.5], [7, 91.2], [8, 40]])
	inp := t.snapshot({
		"lambda": {"functions": [t.function("orders", {})]},
		"rds": {"instances": [t.db_instance("orders-db", {})]},
		"metrics": {"windows": [window], "db_instances": [db], "functions": [t.function_traffic("orders", healthy, {})]},
	})
	t.fails_with(run(inp), db.arn, "average CPU above 80 % in 1 of 3 windows since the cutover, worst 2026-11-15T00:35:00Z 91.2 %")
	calm := object.union(db, {"cpu_percent": [35.5, 60, 40]})
	with_calm := object.union(inp, {"metrics": {"db_instances": [calm]}})
	t.passes(run(with_calm), db.arn)
	# Without traffic judged, a calm database does not pass the SLO alone; a busy one
	# still fails.
	quiet := object.union(with_calm, {"metrics": {"functions": []}})
	t.eq(run(quiet).in_scope, set())
	t.fails(run(object.union(inp, {"metrics": {"functions": []}})), db.arn)
}

test_out_of_scope_functions_are_not_judged if {
	f := t.function_traffic("orders-sandbox", array.concat(healthy, [[12, 200, 50, 240]]), {})
	inp := t.snapshot({
		"lambda": {"functions": [t.function("orders-sandbox", {})]},
		"metrics": {"windows": [window], "functions": [f]},
	})
	cfg := t.config_with({"cutover": "2026-11-15", "scope": {"exclude_names": ["*-sandbox"]}})
	t.eq(run_cfg(inp, cfg).in_scope, set())
	t.fails(run(inp), f.arn)
}

test_quiet_windows_are_judged_together_when_not_alone if {
	# One error in 8 requests is 12.5 %: judged alone by default.
	f := t.function_traffic("orders", array.concat(healthy, [[50, 8, 1, 90]]), {})
	t.fails_with(run(snap([f])), f.arn, "worst 2026-11-15T04:10:00Z 12.5 % (1/8, p95 90 ms)")
	quiet := t.config_with({"cutover": "2026-11-15", "thresholds": {"slo_window_min_requests": 20}})
	t.passes(run_cfg(snap([f]), quiet), f.arn)
	# Quiet windows that fail together still fail the whole.
	g := t.function_traffic("orders", [[i, 10, 1, 90] | some i in numbers.range(0, 19)], {})
	t.fails_with(run_cfg(snap([g]), quiet), g.arn, "error rate since the cutover 10 % (20/200), above 2 %")
}
