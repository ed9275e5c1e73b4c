# Time helpers. "Now" is data.jalon.as_of (the evaluation date), never time.now_ns():
# the same snapshot evaluated as of the same date always gives the same verdicts.
package jalon.lib

import rego.v1

ns_per_second := 1000000000

ns_per_hour := 3600000000000

ns_per_day := 86400000000000

# Evaluation time in nanoseconds since the epoch.
now_ns := data.jalon.as_of_ns if {
	is_number(data.jalon.as_of_ns)
} else := time.parse_rfc3339_ns(data.jalon.as_of)

# An RFC 3339 timestamp in nanoseconds; undefined for null. The snapshot's timestamps
# are checked when it is read (a malformed one is an input error), so no guard here: a
# regex.match per call was a visible share of the whole evaluation. A malformed string from
# elsewhere fails the evaluation, which makes the control UNKNOWN, never PASS.
ts_ns(s) := time.parse_rfc3339_ns(s) if is_string(s)

# Whole hours / days elapsed from a timestamp (ns) to now, rounded down.
hours_since(ns) := floor((now_ns - ns) / ns_per_hour)

days_since(ns) := floor((now_ns - ns) / ns_per_day)

# The date part (YYYY-MM-DD) of an RFC 3339 timestamp, for messages.
date_of(s) := substring(s, 0, 10) if {
	is_string(s)
	count(s) >= 10
} else := "unknown date"
