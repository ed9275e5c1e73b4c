# SQS queue helpers: which collected queues in-scope functions consume (SQS-001,
# SQS-002). Queues are scoped through their consumers: a queue matters when an
# in-scope function reads it.
package jalon.lib.queues

import rego.v1

queues := object.get(input, ["sqs", "queues"], [])

by_arn := {q.arn: q | some q in queues}

is_sqs_arn(s) if {
	is_string(s)
	startswith(s, "arn:")
	contains(s, ":sqs:")
}

# A mapping names its function with or without a qualifier (`...:function:f:live`).
unqualified(arn) := concat(":", array.slice(split(arn, ":"), 0, 7))

# [queue, function] for every mapping that is not disabled, from a collected queue to an
# in-scope function. A queue of another account or region is not in the snapshot: it is
# not judged here.
consumptions := [[q, f] |
	functions := {f.arn: f | some f in data.jalon.lib.functions}
	known := by_arn
	some m in object.get(input, ["lambda", "event_source_mappings"], [])
	m.state != "Disabled"
	is_sqs_arn(m.event_source_arn)
	f := functions[unqualified(m.function_arn)]
	q := known[m.event_source_arn]
]

# The consumed queues, each once, by ARN.
consumed := {c[0].arn: c[0] | some c in consumptions}

consumed_arns := [arn | some arn, _ in consumed]

# Each consumed queue's consumers, by queue ARN.
consumers := {arn: fs |
	some arn, _ in consumed
	fs := [c[1] | some c in consumptions; c[0].arn == arn]
}

# ---------------------------------------------------------------- dead letters (SQS-003)

# Where failed messages and events land, as [queue, what sends there]: the redrive
# targets of in-scope queues and of consumed ones, and the dead-letter queues and
# on-failure destinations of in-scope functions and their mappings. Only collected
# queues: a target in another account or region is not judged here.
dead_letter_sources := array.concat(
	[[t, sprintf("dead-letter queue of %s", [q.name])] |
		some q in array.concat(data.jalon.lib.scoped(queues), [x | some _, x in consumed])
		q.redrive != null
		t := q.redrive.dead_letter_target_arn
	],
	[pair |
		some f in data.jalon.lib.functions
		some pair in function_targets(f)
	],
)

function_targets(f) := array.concat(
	[[f.dead_letter_target_arn, sprintf("dead-letter queue of %s", [f.name])] | is_sqs_arn(f.dead_letter_target_arn)],
	[[c.on_failure_destination, sprintf("on-failure destination of %s", [f.name])] |
		some c in f.event_invoke_configs
		is_sqs_arn(c.on_failure_destination)
	],
)

mapping_targets := [[m.on_failure_destination, sprintf("on-failure destination of %s", [f.name])] |
	functions := {f.arn: f | some f in data.jalon.lib.functions}
	some m in object.get(input, ["lambda", "event_source_mappings"], [])
	is_sqs_arn(m.on_failure_destination)
	f := functions[unqualified(m.function_arn)]
]

# The dead-letter queues, each once, with every reason it is one.
dead_letters := {t: reasons |
	known := by_arn
	all_sources := array.concat(dead_letter_sources, mapping_targets)
	some source in all_sources
	t := source[0]
	known[t]
	reasons := sort({s[1] | some s in all_sources; s[0] == t})
}

dead_letter_arns := [t | some t, _ in dead_letters]

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
