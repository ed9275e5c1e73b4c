package jalon.controls.alm_001_test

import rego.v1

import data.jalon.controls.alm_001 as c
import data.jalon.lib.alarms as alm
import data.jalon.lib.testing as t

run(inp) := run_cfg(inp, t.config)

run_cfg(inp, cfg) := {"in_scope": s, "deny": d} if {
	s := c.in_scope with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
	d := c.deny with input as inp with data.jalon.config as cfg with data.jalon.as_of as t.as_of with data.jalon.as_of_ns as t.as_of_ns
}

fn := t.function("orders", {})

with_alarms(alarms) := t.snapshot({
	"lambda": {"functions": [fn]},
	"cloudwatch": {"metric_alarms": alarms},
})

# Replaces the metrics of the sound alarm.
rate_alarm(metrics, overrides) := object.union(t.error_rate_alarm("orders", overrides), {"metrics": metrics})

err_q := t.metric_stat_query("err", "AWS/Lambda", "Errors", {"FunctionName": "orders"}, "Sum")

inv_q := t.metric_stat_query("inv", "AWS/Lambda", "Invocations", {"FunctionName": "orders"}, "Sum")

test_sound_alarm_passes if {
	r := run(with_alarms([t.error_rate_alarm("orders", {})]))
	t.passes(r, fn.arn)
	count(r.deny) == 0
}

test_no_alarm_fails if {
	r := run(with_alarms([]))
	t.fails_with(r, fn.arn, "no error-rate alarm")
	t.deny_within_scope(r)
}

test_plain_errors_alarm_does_not_count if {
	plain := t.metric_alarm_on("orders-errors", "AWS/Lambda", "Errors", {"FunctionName": "orders"}, {"threshold": 0})
	r := run(with_alarms([plain]))
	t.fails_with(r, fn.arn, "only a plain Errors alarm exists ('orders-errors')")
}

test_threshold_at_limit_passes if {
	r := run(with_alarms([t.error_rate_alarm("orders", {"threshold": 2})]))
	t.passes(r, fn.arn)
}

test_threshold_above_limit_fails if {
	r := run(with_alarms([t.error_rate_alarm("orders", {"threshold": 5})]))
	t.fails_with(r, fn.arn, "threshold is 5 % of invocations, above 2 %")
}

test_threshold_follows_config if {
	cfg := t.config_with({"thresholds": {"error_rate_percent": 5}})
	r := run_cfg(with_alarms([t.error_rate_alarm("orders", {"threshold": 5})]), cfg)
	t.passes(r, fn.arn)
}

test_fraction_expression_threshold_scaled if {
	m := [
		t.metric_stat_query("e", "AWS/Lambda", "Errors", {"FunctionName": "orders"}, "Sum"),
		t.metric_stat_query("i", "AWS/Lambda", "Invocations", {"FunctionName": "orders"}, "Sum"),
		t.expression_query("filled", "FILL(e, 0)", false),
		t.expression_query("ratio", "filled / i", true),
	]
	ok := run(with_alarms([rate_alarm(m, {"threshold": 0.02})]))
	t.passes(ok, fn.arn)
	bad := run(with_alarms([rate_alarm(m, {"threshold": 0.05})]))
	t.fails_with(bad, fn.arn, "threshold is 5 % of invocations")
}

test_other_sound_forms_pass if {
	forms := ["100 * FILL(err, 0) / inv", "(FILL(err,0)/inv)*100", "FILL(err, 0) * 100 / inv"]
	every form in forms {
		r := run(with_alarms([rate_alarm([err_q, inv_q, t.expression_query("rate", form, true)], {})]))
		t.passes(r, fn.arn)
	}
}

test_inverted_ratio_fails if {
	r := run(with_alarms([rate_alarm([err_q, inv_q, t.expression_query("rate", "100 * inv / FILL(err, 0)", true)], {})]))
	t.fails_with(r, fn.arn, "does not compute 100 * err / inv")
}

test_missing_fill_fails if {
	r := run(with_alarms([rate_alarm([err_q, inv_q, t.expression_query("rate", "100 * err / inv", true)], {})]))
	t.fails_with(r, fn.arn, "does not FILL the Errors metric")
}

test_breaching_fails if {
	r := run(with_alarms([t.error_rate_alarm("orders", {"treat_missing_data": "breaching"})]))
	t.fails_with(r, fn.arn, "treats missing data as breaching")
}

test_defect_flagged_even_when_another_alarm_qualifies if {
	good := t.error_rate_alarm("orders", {})
	bad := t.error_rate_alarm("orders", {"name": "orders-error-rate-2", "arn": t.alarm_arn("orders-error-rate-2", t.region), "treat_missing_data": "breaching"})
	r := run(with_alarms([good, bad]))
	t.fails_with(r, fn.arn, "error-rate alarm 'orders-error-rate-2': it treats missing data as breaching")
	count(r.deny) == 1
}

test_window_boundary if {
	# 60 s x 5 = 300 s: at the limit.
	ok := run(with_alarms([t.error_rate_alarm("orders", {"evaluation_periods": 5})]))
	t.passes(ok, fn.arn)
	bad := run(with_alarms([t.error_rate_alarm("orders", {"evaluation_periods": 6})]))
	t.fails_with(bad, fn.arn, "window is 360 s (60 s x 6 periods), above 300 s")
}

test_unreported_window_explained if {
	r := run(with_alarms([t.error_rate_alarm("orders", {"evaluation_periods": null})]))
	t.fails_with(r, fn.arn, "its period or evaluation periods are not reported")
}

test_comparison_must_be_greater if {
	r := run(with_alarms([t.error_rate_alarm("orders", {"comparison_operator": "LessThanThreshold"})]))
	t.fails_with(r, fn.arn, "comparison is LessThanThreshold")
	ok := run(with_alarms([t.error_rate_alarm("orders", {"comparison_operator": "GreaterThanOrEqualToThreshold"})]))
	t.passes(ok, fn.arn)
}

test_mismatched_dimensions_do_not_count if {
	inv_alias := t.metric_stat_query("inv", "AWS/Lambda", "Invocations", {"FunctionName": "orders", "Resource": "orders:live"}, "Sum")
	r := run(with_alarms([rate_alarm([err_q, inv_alias, t.expression_query("rate", "100 * FILL(err, 0) / inv", true)], {})]))
	t.fails_with(r, fn.arn, "no error-rate alarm")
}

test_alias_level_alarm_counts if {
	dims := {"FunctionName": "orders", "Resource": "orders:live"}
	m := [
		t.metric_stat_query("err", "AWS/Lambda", "Errors", dims, "Sum"),
		t.metric_stat_query("inv", "AWS/Lambda", "Invocations", dims, "Sum"),
		t.expression_query("rate", "IF(inv > 0, 100 * FILL(err, 0) / inv, 0)", true),
	]
	r := run(with_alarms([rate_alarm(m, {})]))
	t.passes(r, fn.arn)
}

test_other_region_alarm_does_not_count if {
	r := run(with_alarms([t.error_rate_alarm("orders", {"region": "us-east-1", "arn": t.alarm_arn("orders-error-rate", "us-east-1")})]))
	t.fails(r, fn.arn)
}

test_nearest_alarm_named if {
	a := t.error_rate_alarm("orders", {"threshold": 10, "evaluation_periods": 10})
	r := run(with_alarms([a]))
	t.fails_with(r, fn.arn, "nearest error-rate alarm 'orders-error-rate' does not qualify")
	t.fails_with(r, fn.arn, "window is 600 s")
}

test_scope_tags_exclude_function if {
	cfg := t.config_with({"scope": {"require_tags": {"env": "prod"}}})
	prod := t.function("checkout", {"tags": {"env": "prod"}})
	inp := t.snapshot({"lambda": {"functions": [fn, prod]}})
	r := run_cfg(inp, cfg)
	not fn.arn in r.in_scope
	t.fails(r, prod.arn)
}

test_exclude_names if {
	cfg := t.config_with({"scope": {"exclude_names": ["orders*"]}})
	r := run_cfg(with_alarms([]), cfg)
	count(r.in_scope) == 0
	count(r.deny) == 0
}

# Many functions, each with its own alarm, plus noise: every function joins its own alarm
# through the keyed index, not a scan.
test_many_functions_join if {
	names := [sprintf("fn-%d", [n]) | some n in numbers.range(1, 200)]
	fns := [t.function(n, {}) | some n in names]
	alarms := [t.error_rate_alarm(n, {}) | some n in names]
	inp := t.snapshot({"lambda": {"functions": array.concat(fns, [fn])}, "cloudwatch": {"metric_alarms": alarms}})
	r := run(inp)
	count(r.in_scope) == 201
	count(r.deny) == 1
	t.fails(r, fn.arn)
}

# The usual forms are looked up (canonical_shapes) for whatever query ids the alarms
# use; the lookup must give the shape the regular-expression analysis gives.
test_canonical_forms_agree_with_the_analysis if {
	ids := ["fn_errors", "fn_calls"]
	e := t.metric_stat_query(ids[0], "AWS/Lambda", "Errors", {"FunctionName": "orders"}, "Sum")
	i := t.metric_stat_query(ids[1], "AWS/Lambda", "Invocations", {"FunctionName": "orders"}, "Sum")
	count(alm.canonical_forms) > 10
	every form in alm.canonical_forms {
		expr := concat("", [token | some tok in form.tokens; token := alm.substitute(tok, ids)])
		a := rate_alarm([e, i, t.expression_query("rate", expr, true)], {})
		fast := data.jalon.lib.alarms.canonical_shapes[[ids[0], ids[1], expr]] with input as with_alarms([a])
		fast == alm.analysed_shape(a, e, i)
	}
}

test_custom_query_ids_judged_like_the_usual_ones if {
	e := t.metric_stat_query("fn_errors", "AWS/Lambda", "Errors", {"FunctionName": "orders"}, "Sum")
	i := t.metric_stat_query("fn_calls", "AWS/Lambda", "Invocations", {"FunctionName": "orders"}, "Sum")
	ok := run(with_alarms([rate_alarm([e, i, t.expression_query("rate", "IF(fn_calls > 0, 100*FILL(fn_errors,0)/fn_calls, 0)", true)], {})]))
	t.passes(ok, fn.arn)
	bad := run(with_alarms([rate_alarm([e, i, t.expression_query("rate", "100 * fn_errors / fn_calls", true)], {})]))
	t.fails_with(bad, fn.arn, "does not FILL the Errors metric")
	inverted := run(with_alarms([rate_alarm([e, i, t.expression_query("rate", "100 * fn_calls / FILL(fn_errors, 0)", true)], {})]))
	t.fails_with(inverted, fn.arn, "does not compute 100 * fn_errors / fn_calls")
}
