# Metric data (the `metrics` section): the 5-minute windows judged, their error rates
# and p95 latencies, shared by OPS-003 and the alarm-history controls.
package jalon.lib.metrics

import rego.v1

# Each region's window, by region.
windows := {w.region: w | some w in object.get(input, ["metrics", "windows"], [])}

# The cutover (midnight UTC) in nanoseconds; undefined without one.
cutover_ns := time.parse_rfc3339_ns(sprintf("%sT00:00:00Z", [data.jalon.config.cutover])) if is_string(data.jalon.config.cutover)

start_ns(region) := time.parse_rfc3339_ns(windows[region].start)

period_ns(region) := windows[region].period_seconds * data.jalon.lib.ns_per_second

# The first window index judged in a region: the first at or after the cutover (every
# window without one). A cutover still ahead gives an index past every window.
first_judged(region) := 0 if {
	not cutover_ns
} else := max([0, ceil((cutover_ns - start_ns(region)) / period_ns(region))])

# When a window starts, RFC 3339, for messages.
window_time(region, at) := time.format(start_ns(region) + (at * period_ns(region)))

# The positions (in the series' arrays) of the windows judged: after the cutover, with
# requests.
judged(m) := [i |
	first := first_judged(m.region)
	some i, at in m.series.at
	at >= first
	m.series.requests[i] > 0
]

requests_judged(m, positions) := sum([m.series.requests[i] | some i in positions])

# Whether the window totals (`current`) cover only time after the cutover: the p95 of
# the whole window can then be compared with the baseline's.
totals_after_cutover(region) if {
	not cutover_ns
	windows[region].baseline_start != null
}

totals_after_cutover(region) if {
	windows[region].baseline_start != null
	start_ns(region) >= cutover_ns
}

# Percent with one decimal, for messages.
percent(part, whole) := round((1000 * part) / whole) / 10

# The `n` largest [value, position] pairs, largest first.
largest(pairs, n) := [sorted[k] |
	sorted := sort(pairs)
	some j in numbers.range(1, min([n, count(pairs)]))
	k := count(sorted) - j
] if {
	count(pairs) > 0
} else := []

# Alarm state changes by "region|alarm name", oldest first.
history := {k: changes |
	some c in object.get(input, ["metrics", "alarm_history"], [])
	k := concat("|", [c.region, c.alarm_name])
	changes := [x |
		some x in input.metrics.alarm_history
		x.region == c.region
		x.alarm_name == c.alarm_name
	]
}

# [entered, left] (ns) of each stretch an alarm spent in `state`, as its history shows
# (in time order, as the snapshot keeps it): left is null while it is still there.
stretches(alarm, state) := [[entered, left] |
	changes := history[concat("|", [alarm.region, alarm.name])]
	some i, c in changes
	c.to == state
	entered := time.parse_rfc3339_ns(c.at)
	exits := [time.parse_rfc3339_ns(x.at) | some k, x in changes; k > i; x.from == state]
	left := first_or_null(exits)
]

first_or_null(list) := list[0] if count(list) > 0

first_or_null(list) := null if count(list) == 0

# Whether the history of a region reaches back to the cutover.
history_covers_cutover(region) if start_ns(region) <= cutover_ns

# "2 h 5 min", for messages.
duration_text(ns) := sprintf("%d h %d min", [floor(minutes / 60), minutes % 60]) if {
	minutes := floor(ns / (60 * data.jalon.lib.ns_per_second))
	minutes >= 60
} else := sprintf("%d min", [floor(ns / (60 * data.jalon.lib.ns_per_second))])
