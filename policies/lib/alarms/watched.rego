# Alarm helpers (jalon.lib.alarms, see actions.rego): what metrics the alarms watch
# (ALM-005's saturation alarms), and the metric-math alarms the other files read.
package jalon.lib.alarms

import rego.v1

# Metric-math alarms (a third of the alarms in a typical account), filtered once for
# the three passes that read their queries.
math_alarms := [a | some a in data.jalon.lib.metric_alarms; a.metrics != []]

# [region, metric name, dimension, value] of every dimension of every saturation metric
# an alarm reads, as a single metric or in a metric-math query. (Metric name and dimension name
# together identify the namespace for the metrics the controls ask about.)
watched_keys := {[a.region, a.metric_name, dk, dv] |
	wanted := saturation_metrics
	some a in data.jalon.lib.metric_alarms
	a.metric_name in wanted
	some dk, dv in a.dimensions
} | {[a.region, ms.metric_name, dk, dv] |
	wanted := saturation_metrics
	some a in math_alarms
	some q in a.metrics
	ms := q.metric_stat
	ms.metric_name in wanted
	some dk, dv in ms.dimensions
}

# The metrics watched_keys records (extend it for new saturation checks).
saturation_metrics := {"Throttles", "CPUUtilization", "FreeStorageSpace", "DatabaseConnections"}
