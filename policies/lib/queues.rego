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
