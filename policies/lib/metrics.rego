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

# The positions (in the series' arrays) of the windows judged: those after the cutover
# (every window of a series has requests).
judged(m) := [i |
	first := first_judged(m.region)
	some i, at in m.series.at
	at >= first
]

# Whether every window of a region is judged (no cutover, or the window starts at it
# or after): then the sums over the judged windows are the native sums of the arrays,
# and a series within the SLO need not be read window by window.
all_judged(region) if first_judged(region) == 0

requests_since_cutover(m) := sum(m.series.requests) if {
	all_judged(m.region)
} else := sum([m.series.requests[i] | some i in judged(m)])

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

# The `n` largest [value, position] pairs, largest first, the earlier of two equal.
largest(pairs, n) := [[sorted[k][0], sorted[k][2]] |
	sorted := sort([[p[0], 0 - p[1], p[1]] | some p in pairs])
	some j in numbers.range(1, min([n, count(pairs)]))
	k := count(sorted) - j
] if {
	count(pairs) > 0
} else := []

# [alarm key, entered, left] of every stretch an alarm spent in a state, in one pass
# over the history: the snapshot keeps it sorted by region, alarm and time (checked
# when it is read), so an alarm's next change is the next entry. `left` is null while
# the alarm is still there. Keys are "region|alarm name".
insufficient_data_stretches := stretches_in("INSUFFICIENT_DATA")

alarm_stretches := stretches_in("ALARM")

stretches_in(state) := [[alarm_key(c), entered, left] |
	changes := object.get(input, ["metrics", "alarm_history"], [])
	some i, c in changes
	c.to == state
	entered := time.parse_rfc3339_ns(c.at)
	left := next_change(changes, i)
]

alarm_key(a) := concat("|", [a.region, a.alarm_name])

next_change(changes, i) := time.parse_rfc3339_ns(changes[i + 1].at) if {
	i + 1 < count(changes)
	changes[i + 1].region == changes[i].region
	changes[i + 1].alarm_name == changes[i].alarm_name
} else := null

# Whether the history of a region reaches back to the cutover.
history_covers_cutover(region) if start_ns(region) <= cutover_ns

# "2 h 5 min", for messages.
duration_text(ns) := sprintf("%d h %d min", [floor(minutes / 60), minutes % 60]) if {
	minutes := floor(ns / (60 * data.jalon.lib.ns_per_second))
	minutes >= 60
} else := sprintf("%d min", [floor(ns / (60 * data.jalon.lib.ns_per_second))])
