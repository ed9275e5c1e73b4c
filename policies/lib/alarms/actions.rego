# CloudWatch alarm helpers, package jalon.lib.alarms in four files by concern (actions,
# watched metrics, latency, error rate). Each index is built in one pass over the alarms;
# a control then tests membership per function or instance, with an array key
# [region, name] (names are unique per region only).
#
# This file: which alarms notify and where their actions go (ALM-003, ALM-004, OPS-001).
package jalon.lib.alarms

import rego.v1

is_sns_arn(s) if {
	is_string(s)
	startswith(s, "arn:")
	contains(s, ":sns:")
}

# EC2 Auto Scaling and Application Auto Scaling policies (target-tracking alarms).
is_scaling_action(s) if {
	is_string(s)
	startswith(s, "arn:")
	contains(s, ":autoscaling:")
}

# Scaling triggers: every alarm action is a scaling policy. They notify nobody.
scaling_only_arns := {a.arn |
	topics := data.jalon.lib.topic_arns
	some a in data.jalon.lib.all_alarms
	first := a.alarm_actions[0]
	not first in topics
	is_scaling_action(first)
	every act in a.alarm_actions {
		is_scaling_action(act)
	}
}

# In-scope alarms meant to tell people something: all but pure scaling triggers.
notifying_alarms := data.jalon.lib.all_alarms if {
	count(scaling_only_arns) == 0
} else := [a |
	so := scaling_only_arns
	some a in data.jalon.lib.all_alarms
	not a.arn in so
]

# Ids for in_scope (arrays, as lib.function_arns).
notifying_arns := [a.arn | some a in notifying_alarms]

# Paging alarms: notifying alarms with at least one alarm action.
paging_alarms := [a | some a in notifying_alarms; a.alarm_actions != []]

paging_arns := [a.arn | some a in paging_alarms]

# Every distinct alarm action of the notifying alarms (few: alarms share topics).
alarm_actions := {t | some a in notifying_alarms; some t in a.alarm_actions}

# Every SNS topic ARN that an in-scope alarm's alarm actions target.
alarm_topic_arns := {t | some t in alarm_actions; is_sns_arn(t)}

# Targeted topics that are not in the snapshot.
missing_topic_arns := {t | some t in alarm_topic_arns; not t in data.jalon.lib.topic_arns}

# Distinct alarm actions that are not SNS topics (Lambda, SSM, EC2 actions...).
non_sns_actions := alarm_actions - alarm_topic_arns

# Notifying alarms with actions, none of them an SNS topic (only needed when
# non_sns_actions is not empty: otherwise every alarm with an action has an SNS action).
# The first action filters: an alarm whose first action is a topic is done with one
# lookup, so the full check runs for the few others only.
alarms_without_sns_action := [a |
	non_sns := non_sns_actions
	some a in notifying_alarms
	a.alarm_actions[0] in non_sns
	every t in a.alarm_actions {
		t in non_sns
	}
]
