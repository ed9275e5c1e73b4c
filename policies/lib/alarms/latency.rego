# Alarm helpers (jalon.lib.alarms, see actions.rego): p95 latency alarms (ALM-002).
package jalon.lib.alarms

import rego.v1

greater_ops := {"GreaterThanThreshold", "GreaterThanOrEqualToThreshold"}

# p95 or a higher percentile: if p99 stays under the threshold, p95 does too.
p95_stats := {"p95", "p95.0", "p96", "p97", "p98", "p99", "p99.0", "p99.5", "p99.9", "p99.99", "p100"}

# The alarms that read p95 or a higher percentile, as their single metric or in a
# metric-math query: one pass over all alarms each, so that the latency rules below
# (six passes) read these few only. (An alarm with two such queries is listed twice:
# the rules below build sets and objects, where that changes nothing.)
p95_single_alarms := [a |
	stats := p95_stats
	some a in data.jalon.lib.metric_alarms
	a.extended_statistic in stats
]

p95_math_alarms := [a |
	stats := p95_stats
	some a in math_alarms
	some q in a.metrics
	q.metric_stat.stat in stats
]

# [region, function] of every function with a qualifying p95 Duration alarm: its single
# metric, or a returned metric_stat query.
latency_ok_function_keys := {[a.region, fname] |
	limit := data.jalon.lib.config.thresholds.latency_p95_ms
	stats := p95_stats
	ops := greater_ops
	some a in p95_single_alarms
	a.metric_name == "Duration"
	a.namespace == "AWS/Lambda"
	a.extended_statistic in stats
	a.comparison_operator in ops
	a.threshold != null
	a.threshold <= limit
	fname := a.dimensions.FunctionName
} | {[a.region, fname] |
	limit := data.jalon.lib.config.thresholds.latency_p95_ms
	stats := p95_stats
	ops := greater_ops
	some a in p95_math_alarms
	a.comparison_operator in ops
	a.threshold != null
	a.threshold <= limit
	some q in a.metrics
	q.return_data != false
	ms := q.metric_stat
	ms.metric_name == "Duration"
	ms.namespace == "AWS/Lambda"
	ms.stat in stats
	fname := ms.dimensions.FunctionName
}

# Regions with a qualifying p95 API Gateway Latency alarm (any API).
latency_ok_api_regions := {a.region |
	limit := data.jalon.lib.config.thresholds.latency_p95_ms
	stats := p95_stats
	ops := greater_ops
	some a in p95_single_alarms
	a.metric_name == "Latency"
	a.namespace == "AWS/ApiGateway"
	a.extended_statistic in stats
	a.comparison_operator in ops
	a.threshold != null
	a.threshold <= limit
} | {a.region |
	limit := data.jalon.lib.config.thresholds.latency_p95_ms
	stats := p95_stats
	ops := greater_ops
	some a in p95_math_alarms
	a.comparison_operator in ops
	a.threshold != null
	a.threshold <= limit
	some q in a.metrics
	q.return_data != false
	ms := q.metric_stat
	ms.metric_name == "Latency"
	ms.namespace == "AWS/ApiGateway"
	ms.stat in stats
}

# p95 Duration alarms per function, whatever their threshold, for messages (built only
# when a function fails).
latency_alarms[a.region][fname][a.arn] := a if {
	stats := p95_stats
	some a in p95_single_alarms
	a.metric_name == "Duration"
	a.namespace == "AWS/Lambda"
	a.extended_statistic in stats
	fname := a.dimensions.FunctionName
}

latency_alarms[a.region][fname][a.arn] := a if {
	stats := p95_stats
	some a in p95_math_alarms
	some q in a.metrics
	q.return_data != false
	ms := q.metric_stat
	ms.metric_name == "Duration"
	ms.namespace == "AWS/Lambda"
	ms.stat in stats
	fname := ms.dimensions.FunctionName
}

latency_alarm_keys := {[region, fname] | some region, by_function in latency_alarms; some fname, _ in by_function}

latency_reason(a) := "has no static threshold" if {
	not is_number(a.threshold)
} else := sprintf("compares with %v, not GreaterThan(OrEqualTo)Threshold", [a.comparison_operator]) if {
	not a.comparison_operator in greater_ops
} else := sprintf("has a threshold of %v ms, above %v ms", [a.threshold, data.jalon.lib.config.thresholds.latency_p95_ms])
