# METADATA
# title: SLO met since the cutover (J+7 review)
# description: >-
#   What production did since the cutover, from CloudWatch metric data (collect
#   --metrics, on by default with a cutover date): every in-scope Lambda function and
#   REST or HTTP API stage keeps its error rate at or under error_rate_percent (default
#   2 %) in every 5-minute window with at least slo_window_min_requests (default 1)
#   requests and over all of them together, its p95 latency at or under
#   latency_p95_ms (default 500 ms) in every window, and its p95 over the whole window
#   within slo_latency_band_percent (default 15 %) above the baseline's (the same length
#   just before the cutover; a faster p95 is no failure); every in-scope RDS instance
#   keeps its average CPU at or under db_cpu_max_percent (default 80 %) in every
#   window. A function or stage with fewer than slo_min_requests (default 100) requests
#   since the cutover is not judged: with none judged the control needs evidence (a
#   healthy database alone does not pass it). An
#   attestation overrides a failure only with a reason.
# related_resources:
#   - https://sre.google/workbook/implementing-slos/
#   - https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
# custom:
#   id: OPS-003
#   phase: 7
#   severity: high
#   evidence: [lambda, apigateway, rds, metrics, tagging]
#   resource_type: service
#   gdpr: []
#   remediation: >-
#     Find the cause of each window named (aws cloudwatch get-metric-data over its five
#     minutes, the function's logs, its X-Ray traces), fix it, and collect again; a
#     breach the team accepts goes in the attestations file with a reason
#   attestation: true
package jalon.controls.ops_003

import rego.v1

thresholds := data.jalon.lib.config.thresholds

# Functions and stages in scope with enough requests since the cutover.
traffic := [x |
	scoped := {a | some a in data.jalon.lib.function_arns} | {s.arn | some s in data.jalon.lib.api_stages}
	some x in array.concat(
		object.get(input, ["metrics", "functions"], []),
		object.get(input, ["metrics", "api_stages"], []),
	)
	x.arn in scoped
	data.jalon.lib.metrics.requests_since_cutover(x) >= thresholds.slo_min_requests
]

# RDS instances in scope with windows since the cutover.
databases := [d |
	scoped := {a | some a in data.jalon.lib.db_instance_arns}
	some d in object.get(input, ["metrics", "db_instances"], [])
	d.arn in scoped
	count(d.at) > 0
	d.at[count(d.at) - 1] >= data.jalon.lib.metrics.first_judged(d.region)
]

# The databases pass only beside traffic judged: with every function and stage too
# quiet to judge, a healthy database alone does not make the SLO met (the control then
# needs evidence). A busy one fails all the same.
in_scope := ({x.arn | some x in traffic} | {d.arn | count(traffic) > 0; some d in databases}) | {arn | some arn, _ in busy_databases}

# A series every window of which is judged and within the SLO, as the native maximum
# of its arrays shows: most of them, read without a pass over their windows (a week
# is 2016 windows a series). Its whole is then within the SLO too (a mean is at most
# the worst).
within_slo(x) if {
	data.jalon.lib.metrics.all_judged(x.region)
	x.series.worst_error_rate_percent <= thresholds.error_rate_percent
	p95_within(max(x.series.p95_ms))
}

p95_within(null) := true

p95_within(p95) := true if p95 <= thresholds.latency_p95_ms

# The series read window by window, with the positions of their judged windows.
suspects := [[x, judged] |
	some x in traffic
	not within_slo(x)
	judged := data.jalon.lib.metrics.judged(x)
]

# [error rate, position] of the windows above the error-rate threshold, among those
# with enough requests to be judged alone.
error_windows(x, judged) := [[rate, i] |
	s := x.series
	some i in judged
	s.requests[i] >= thresholds.slo_window_min_requests
	s.errors[i] * 100 > thresholds.error_rate_percent * s.requests[i]
	rate := s.errors[i] / s.requests[i]
]

# [p95, position] of the windows above the latency threshold.
slow_windows(x, judged) := [[p95, i] |
	s := x.series
	some i in judged
	p95 := s.p95_ms[i]
	p95 != null
	p95 > thresholds.latency_p95_ms
]

describe(x, i) := sprintf("%s %v %% (%d/%d, p95 %s)", [
	data.jalon.lib.metrics.window_time(x.region, x.series.at[i]),
	data.jalon.lib.metrics.percent(x.series.errors[i], x.series.requests[i]),
	x.series.errors[i],
	x.series.requests[i],
	p95_text(x.series.p95_ms[i]),
])

p95_text(ms) := sprintf("%v ms", [ms]) if ms != null

p95_text(null) := "unknown"

worst(x, pairs) := concat(", ", [describe(x, p[1]) | some p in data.jalon.lib.metrics.largest(pairs, 3)])

deny contains {"resource": x.arn, "message": msg} if {
	some [x, judged] in suspects
	errors := error_windows(x, judged)
	slow := slow_windows(x, judged)
	count(errors) + count(slow) > 0
	out := {p[1] | some p in errors} | {p[1] | some p in slow}
	minutes := (count(out) * data.jalon.lib.metrics.windows[x.region].period_seconds) / 60
	parts := array.concat(
		[sprintf("error rate above %v %% in %d windows, worst %s", [thresholds.error_rate_percent, count(errors), worst(x, errors)]) | count(errors) > 0],
		[sprintf("p95 above %v ms in %d windows, worst %s", [thresholds.latency_p95_ms, count(slow), worst(x, slow)]) | count(slow) > 0],
	)
	msg := sprintf("%d minutes out of SLO in %d windows judged since the cutover: %s", [
		minutes,
		count(judged),
		concat("; ", parts),
	])
}

# The error rate over every window since the cutover: windows too quiet to be judged
# alone still count here.
deny contains {"resource": x.arn, "message": msg} if {
	some [x, judged] in suspects
	requests := sum([x.series.requests[i] | some i in judged])
	errors := sum([x.series.errors[i] | some i in judged])
	errors * 100 > thresholds.error_rate_percent * requests
	msg := sprintf("error rate since the cutover %v %% (%d/%d), above %v %%", [
		data.jalon.lib.metrics.percent(errors, requests),
		errors,
		requests,
		thresholds.error_rate_percent,
	])
}

deny contains {"resource": x.arn, "message": msg} if {
	some x in traffic
	data.jalon.lib.metrics.totals_after_cutover(x.region)
	baseline := x.baseline
	baseline.requests >= thresholds.slo_min_requests
	is_number(baseline.p95_ms)
	is_number(x.current.p95_ms)
	baseline.p95_ms > 0
	x.current.p95_ms > baseline.p95_ms * (1 + (thresholds.slo_latency_band_percent / 100))
	msg := sprintf("p95 since the cutover %v ms is %v %% above the baseline's %v ms (at most %v %%)", [
		x.current.p95_ms,
		data.jalon.lib.metrics.percent(x.current.p95_ms - baseline.p95_ms, baseline.p95_ms),
		baseline.p95_ms,
		thresholds.slo_latency_band_percent,
	])
}

# [judged positions, [cpu, position] of the windows above the ceiling] of the busy
# databases, by ARN (a calm one's native maximum spares the pass over its windows).
busy_databases[d.arn] := [judged, busy] if {
	some d in databases
	max(d.cpu_percent) > thresholds.db_cpu_max_percent
	first := data.jalon.lib.metrics.first_judged(d.region)
	judged := [i | some i, at in d.at; at >= first]
	busy := [[cpu, i] | some i in judged; cpu := d.cpu_percent[i]; cpu > thresholds.db_cpu_max_percent]
	count(busy) > 0
}

deny contains {"resource": d.arn, "message": msg} if {
	some d in databases
	[judged, busy] := busy_databases[d.arn]
	top := data.jalon.lib.metrics.largest(busy, 3)
	msg := sprintf("average CPU above %v %% in %d of %d windows since the cutover, worst %s", [
		thresholds.db_cpu_max_percent,
		count(busy),
		count(judged),
		concat(", ", [sprintf("%s %v %%", [data.jalon.lib.metrics.window_time(d.region, d.at[p[1]]), p[0]]) | some p in top]),
	])
}
