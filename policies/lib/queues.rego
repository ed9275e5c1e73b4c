# SQS queue helpers: which collected queues in-scope functions consume (SQS-001,
# SQS-002) and where failed work lands (SQS-003). Queues are scoped through their
# consumers and senders: a queue matters when an in-scope function reads it or sends
# its failures there.
#
# Every rule here is one pass over its inputs: a control that needs a queue's consumers
# denies per [queue, consumer] pair (the engine groups messages by resource), never by
# scanning the pairs once per queue (quadratic at 100k resources).
package jalon.lib.queues

import rego.v1

queues := object.get(input, ["sqs", "queues"], [])

by_arn := {q.arn: q | some q in queues}

# [queue, function] for every mapping that is not disabled, from a collected queue to an
# in-scope function. A queue of another account or region is not in the snapshot: it is
# not judged here.
consumptions := [[q, f] |
	known := by_arn
	some [m, f] in data.jalon.lib.lambda.function_mappings
	m.state != "Disabled"
	is_string(m.event_source_arn)
	contains(m.event_source_arn, ":sqs:")
	q := known[m.event_source_arn]
]

# The consumed queues, each once, by ARN.
consumed := {c[0].arn: c[0] | some c in consumptions}

consumed_arns := [c[0].arn | some c in consumptions]

# ---------------------------------------------------------------- dead letters (SQS-003)

# Where failed messages and events land, as [queue ARN, what sends there]: the redrive
# targets of in-scope and consumed queues, and the dead-letter queues and on-failure
# destinations of in-scope functions and of their mappings. Only collected queues count
# (`dead_letters`): a target in another account or region is not judged here.
redrive_sources := [[q.redrive.dead_letter_target_arn, sprintf("dead-letter queue of %s", [q.name])] |
	some q in array.concat(data.jalon.lib.sqs_queues, [x | some _, x in consumed])
	q.redrive != null
]

function_sources := [[f.dead_letter_target_arn, sprintf("dead-letter queue of %s", [f.name])] |
	some f in data.jalon.lib.functions
	is_string(f.dead_letter_target_arn)
	contains(f.dead_letter_target_arn, ":sqs:")
]

destination_sources := [[c.on_failure_destination, sprintf("on-failure destination of %s", [f.name])] |
	some f in data.jalon.lib.functions
	some c in f.event_invoke_configs
	is_string(c.on_failure_destination)
	contains(c.on_failure_destination, ":sqs:")
]

mapping_sources := [[m.on_failure_destination, sprintf("on-failure destination of %s", [f.name])] |
	some [m, f] in data.jalon.lib.lambda.function_mappings
	is_string(m.on_failure_destination)
	contains(m.on_failure_destination, ":sqs:")
]

# [queue, what sends there] for every collected queue where failures land.
dead_letters := [[q, s[1]] |
	known := by_arn
	some s in array.concat(array.concat(redrive_sources, function_sources), array.concat(destination_sources, mapping_sources))
	q := known[s[0]]
]

dead_letter_arns := [d[0].arn | some d in dead_letters]

# [region, queue name] of every queue a notifying alarm watches for a visible message:
# ApproximateNumberOfMessagesVisible in AWS/SQS, with a threshold one message crosses.
alarmed_queue_keys := {[a.region, a.dimensions.QueueName] |
	some a in data.jalon.lib.alarms.paging_alarms
	a.actions_enabled == true
	a.namespace == "AWS/SQS"
	a.metric_name == "ApproximateNumberOfMessagesVisible"
	is_string(a.dimensions.QueueName)
	fires_on_one_message(a)
}

fires_on_one_message(a) if {
	a.comparison_operator == "GreaterThanThreshold"
	a.threshold < 1
}

fires_on_one_message(a) if {
	a.comparison_operator == "GreaterThanOrEqualToThreshold"
	a.threshold <= 1
}

# A queue's retention, as a person reads it: "14 days", "6 hours", "90 s".
duration(seconds) := sprintf("%d days", [seconds / 86400]) if {
	seconds % 86400 == 0
} else := sprintf("%d hours", [round(seconds / 3600)]) if {
	seconds >= 3600
} else := sprintf("%d s", [seconds])
