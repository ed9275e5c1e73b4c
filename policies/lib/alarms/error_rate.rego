# Alarm helpers (jalon.lib.alarms, see actions.rego): error-rate alarms (ALM-001).
package jalon.lib.alarms

import rego.v1

# error_rate_queries: one [alarm, errors query, invocations query] per alarm doing metric
# math over a function's AWS/Lambda Errors and Invocations with the same dimensions
# (FunctionName, optionally Resource = name:alias). Flat arrays, and no function call:
# this pass runs over every metric-math alarm, and regorus spends more on a call, or on
# building an object, than on all of the checks together.
error_rate_queries := [[a, e, i] |
	some a in math_alarms
	some e in a.metrics
	e.metric_stat.metric_name == "Errors"
	e.metric_stat.namespace == "AWS/Lambda"
	some i in a.metrics
	i.metric_stat.metric_name == "Invocations"
	i.metric_stat.namespace == "AWS/Lambda"
	e.metric_stat.dimensions == i.metric_stat.dimensions
]

# The [errors id, invocations id] pairs these alarms use (a handful in an account).
error_rate_id_pairs := {[q[1].id, q[2].id] | some q in error_rate_queries}

# error_rate_candidates: one [region, function, alarm, errors query, invocations query,
# shapes] per error-rate query triple; shapes holds the returned expression's shape when
# it is one of the usual forms (canonical_shapes), else nothing.
error_rate_candidates := [[a.region, fname, a, e, i, fast] |
	canon := canonical_shapes
	some q in error_rate_queries
	[a, e, i] := q
	fname := e.metric_stat.dimensions.FunctionName
	fast := [shape | some r in a.metrics; r.return_data == true; r.expression != null; shape := canon[[e.id, i.id, replace(r.expression, " ", "")]]]
]

# [region, function, alarm, errors query, invocations query, shape]: the shape looked up
# above, else worked out with regular expressions (analysed_shape, rare).
error_rate_shaped := array.concat(
	[[c[0], c[1], c[2], c[3], c[4], c[5][0]] | some c in error_rate_candidates; c[5] != []],
	[[c[0], c[1], c[2], c[3], c[4], analysed_shape(c[2], c[3], c[4])] | some c in error_rate_candidates; c[5] == []],
)

# [region, function] of every function with at least one qualifying error-rate alarm.
error_rate_ok_keys contains [c[0], c[1]] if {
	ops := greater_ops
	max_percent := data.jalon.lib.config.thresholds.error_rate_percent
	max_window := data.jalon.lib.config.thresholds.error_rate_window_seconds
	some c in error_rate_shaped
	shape := c[5]
	shape.ratio == true
	shape.fill == true
	a := c[2]
	a.treat_missing_data != "breaching"
	a.comparison_operator in ops
	a.threshold != null
	a.threshold <= max_percent / shape.scale
	n := a.evaluation_periods
	n != null
	e_period := c[3].metric_stat.period_seconds
	e_period != null
	e_period * n <= max_window
	i_period := c[4].metric_stat.period_seconds
	i_period != null
	i_period * n <= max_window
}

# Error-rate alarms that mishandle missing data (no FILL on Errors, or missing data
# treated as breaching): flagged even when another alarm of the function qualifies.
error_rate_defect_keys contains [c[0], c[1]] if {
	some c in error_rate_shaped
	c[5].fill == false
}

error_rate_defect_keys contains [c[0], c[1]] if {
	some c in error_rate_shaped
	c[2].treat_missing_data == "breaching"
}

# The candidates of the functions ALM-001 reports (no qualifying alarm, or a defect),
# by [region, function]: only these are explained.
error_rate_reported[k] contains c if {
	ok := error_rate_ok_keys
	some c in error_rate_shaped
	k := [c[0], c[1]]
	not k in ok
}

error_rate_reported[k] contains c if {
	defects := error_rate_defect_keys
	some c in error_rate_shaped
	k := [c[0], c[1]]
	k in defects
}

fill_message := "it does not FILL the Errors metric (Lambda publishes Errors only when non-zero): use IF(inv > 0, 100 * FILL(err, 0) / inv, 0)"

breaching_message := "it treats missing data as breaching, so it fires whenever there are no errors: use notBreaching"

missing_data_problems := {fill_message, breaching_message}

error_rate_problems(a, e, i, shape) := [p |
	some p in [
		ratio_problem(shape, e, i),
		threshold_problem(a, shape),
		comparison_problem(a),
		window_problem(a, e, i),
		fill_problem(shape),
		missing_data_problem(a),
	]
	p != null
]

ratio_problem(shape, e, i) := null if {
	shape.ratio
} else := sprintf("its returned expression does not compute 100 * %s / %s", [e.id, i.id])

threshold_problem(a, shape) := "it has no static threshold" if {
	not is_number(a.threshold)
} else := sprintf("its threshold is %v %% of invocations, above %v %%", [pct, limit]) if {
	shape.ratio
	limit := data.jalon.lib.config.thresholds.error_rate_percent
	a.threshold > limit / shape.scale
	pct := threshold_percent(a.threshold, shape)
} else := null

# A fraction (errors / invocations, no 100) has its threshold read as a fraction.
threshold_percent(threshold, shape) := threshold if {
	shape.percent
} else := round(threshold * 10000) / 100

comparison_problem(a) := null if {
	a.comparison_operator in greater_ops
} else := sprintf("its comparison is %v, not GreaterThan(OrEqualTo)Threshold", [a.comparison_operator])

# The period of a metric-math alarm is that of its metric_stat queries. (Inline, no
# helper function: on a large account a thousand alarms or so are explained.)
window_problem(a, e, i) := "its period or evaluation periods are not reported" if {
	null in [e.metric_stat.period_seconds, i.metric_stat.period_seconds, a.evaluation_periods]
} else := sprintf("its window is %v s (%v s x %v periods), above %v s", [window, period, n, limit]) if {
	periods := [e.metric_stat.period_seconds, i.metric_stat.period_seconds]
	n := a.evaluation_periods
	every x in array.concat(periods, [n]) {
		is_number(x)
	}
	period := max(periods)
	window := period * n
	limit := data.jalon.lib.config.thresholds.error_rate_window_seconds
	window > limit
} else := null

fill_problem(shape) := null if {
	shape.fill
} else := fill_message

missing_data_problem(a) := breaching_message if {
	a.treat_missing_data == "breaching"
} else := null

# ---- the returned expression: does it divide errors by invocations, in percent, with FILL?

# Fast path: the usual forms, spaces removed, for the query ids the alarms use:
# [errors id, invocations id, expression] -> shape. Anything else is analysed below (the
# same shapes: test_canonical_forms_agree_with_the_analysis).
canonical_shapes[k] := {"ratio": true, "percent": form.percent, "scale": scale(form.percent), "fill": form.fill} if {
	some ids in error_rate_id_pairs
	valid_id(ids[0])
	valid_id(ids[1])
	ids[0] != ids[1]
	some form in canonical_forms
	expr := concat("", [token | some t in form.tokens; token := substitute(t, ids)])
	k := [ids[0], ids[1], expr]
}

substitute("E", ids) := ids[0]

substitute("I", ids) := ids[1]

substitute(t, _) := t if not t in {"E", "I"}

canonical_forms := [
	{"percent": true, "fill": true, "tokens": ["IF(", "I", ">0,100*FILL(", "E", ",0)/", "I", ",0)"]},
	{"percent": true, "fill": true, "tokens": ["IF(", "I", ">0,FILL(", "E", ",0)*100/", "I", ",0)"]},
	{"percent": true, "fill": true, "tokens": ["IF(", "I", ">0,(FILL(", "E", ",0)/", "I", ")*100,0)"]},
	{"percent": true, "fill": true, "tokens": ["IF(", "I", ">0,FILL(", "E", ",0)/", "I", "*100,0)"]},
	{"percent": true, "fill": true, "tokens": ["100*FILL(", "E", ",0)/", "I"]},
	{"percent": true, "fill": true, "tokens": ["FILL(", "E", ",0)*100/", "I"]},
	{"percent": true, "fill": true, "tokens": ["(FILL(", "E", ",0)/", "I", ")*100"]},
	{"percent": true, "fill": true, "tokens": ["FILL(", "E", ",0)/", "I", "*100"]},
	{"percent": true, "fill": true, "tokens": ["100*(FILL(", "E", ",0)/", "I", ")"]},
	{"percent": true, "fill": false, "tokens": ["100*", "E", "/", "I"]},
	{"percent": true, "fill": false, "tokens": ["(", "E", "/", "I", ")*100"]},
	{"percent": true, "fill": false, "tokens": ["E", "/", "I", "*100"]},
	{"percent": true, "fill": false, "tokens": ["E", "*100/", "I"]},
	{"percent": true, "fill": false, "tokens": ["IF(", "I", ">0,100*", "E", "/", "I", ",0)"]},
	{"percent": false, "fill": true, "tokens": ["FILL(", "E", ",0)/", "I"]},
	{"percent": false, "fill": true, "tokens": ["IF(", "I", ">0,FILL(", "E", ",0)/", "I", ",0)"]},
	{"percent": false, "fill": false, "tokens": ["E", "/", "I"]},
]

# Slow path, for other forms and ids: regular expressions over the returned expression,
# with one level of intermediate expressions (e.g. e2 = FILL(err, 0); rate = 100*e2/inv).
analysed_shape(a, e, i) := {"ratio": true, "percent": percent, "scale": scale(percent), "fill": has_fill(a, e)} if {
	text := ratio_text(a, e, i)
	percent := is_percent(text)
} else := {"ratio": false, "percent": true, "scale": 1, "fill": has_fill(a, e)}

# Thresholds are compared with error_rate_percent / scale: 1 for a percentage, 100 for a
# fraction (no float rounding on the threshold).
scale(true) := 1

scale(false) := 100

# Both return true or false (never undefined): they fill object fields.

# CloudWatch query ids start with a letter; anything else is not matched.
valid_id(id) if {
	is_string(id)
	regex.match(`^[a-zA-Z][a-zA-Z0-9_]*$`, id)
}

# Word boundaries are ASCII (regorus is built without Unicode regex tables).
refs(expression, id) if regex.match(sprintf(`(?-u:\b)%s(?-u:\b)`, [id]), expression)

expression_queries(a) := [q | some q in a.metrics; is_string(q.expression); valid_id(q.id)]

# The queries whose value the alarm compares: return_data true, else unset.
returned_queries(a) := qs if {
	qs := [q | some q in expression_queries(a); q.return_data == true]
	count(qs) > 0
} else := [q | some q in expression_queries(a); q.return_data == null]

# Ids that stand for a metric: its query and any expression over it alone (FILL(err, 0)).
aliases(a, id, other) := {id} | {q.id |
	some q in expression_queries(a)
	refs(q.expression, id)
	not refs(q.expression, other)
}

# A returned expression with the expressions it references, one level down.
expanded(a, q) := concat(" ", array.concat([q.expression], [o.expression |
	some o in expression_queries(a)
	o.id != q.id
	refs(q.expression, o.id)
]))

divides(text, errors, invocations) if {
	some en in errors
	some iv in invocations
	regex.match(sprintf(`(?-u:\b)%s(?-u:\b)[^/]*/[ \t\r\n(]*%s(?-u:\b)`, [en, iv]), text)
}

# The expanded text of the returned expression that divides errors by invocations.
ratio_text(a, e, i) := text if {
	valid_id(e.id)
	valid_id(i.id)
	some q in returned_queries(a)
	text := expanded(a, q)
	divides(text, aliases(a, e.id, i.id), aliases(a, i.id, e.id))
}

is_percent(text) := regex.match(`(^|[^0-9.])100(\.0*)?([^0-9.]|$)`, text)

has_fill(a, e) := true if {
	valid_id(e.id)
	some q in expression_queries(a)
	regex.match(sprintf(`(?-u:\b)(?i-u:fill)\([ \t\r\n]*%s(?-u:\b)`, [e.id]), q.expression)
} else := false

# Plain `Errors` alarms (no metric math) per function, for messages.
plain_errors_alarms[a.region][fname][a.arn] := a.name if {
	some a in data.jalon.lib.metric_alarms
	a.metric_name == "Errors"
	a.namespace == "AWS/Lambda"
	a.metrics == []
	fname := a.dimensions.FunctionName
}

# Why a function has no qualifying error-rate alarm.
error_rate_message(region, fname) := msg if {
	candidates := error_rate_reported[[region, fname]]
	scored := {[count(ps), c[2].name, ps] |
		some c in candidates
		ps := error_rate_problems(c[2], c[3], c[4], c[5])
	}
	best := min(scored)
	msg := sprintf("nearest error-rate alarm '%s' does not qualify: %s", [best[1], concat("; ", best[2])])
} else := msg if {
	names := {n | some _, n in plain_errors_alarms[region][fname]}
	count(names) > 0
	msg := sprintf("only a plain Errors alarm exists ('%s'): it counts errors, it does not measure the error rate 100 * Errors / Invocations", [concat("', '", sort(names))])
} else := sprintf("no error-rate alarm: expected metric math 100 * Errors / Invocations on AWS/Lambda with FunctionName=%s", [fname])

# Why a function's qualifying error-rate alarm setup still has a defect.
error_rate_defect_message(region, fname) := concat("; ", sort([sprintf("error-rate alarm '%s': %s", [c[2].name, concat("; ", ps)]) |
	md := missing_data_problems
	some c in error_rate_reported[[region, fname]]
	ps := [p | some p in error_rate_problems(c[2], c[3], c[4], c[5]); p in md]
	ps != []
]))
