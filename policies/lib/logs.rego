# Log group helpers: data classification (own tag, or inherited from the Lambda
# functions that write to the group) and the retention ceiling that follows from it.
package jalon.lib.logs

import rego.v1

import data.jalon.lib
import data.jalon.lib.lambda

# [region, log group name, class] for every classified function's log group (its logging
# config's group, else /aws/lambda/<name>), built once. A flat set with array keys:
# membership tests are the cheapest lookup in regorus. Classes as written (see
# lib.personal_classes for case).
inherited := {[f.region, group, c] |
	tag := data.jalon.lib.config.scope.data_class_tag
	some f in object.get(input, ["lambda", "functions"], [])
	c := f.tags[tag]
	c != ""
	f.logging.log_group == null
	group := concat("", ["/aws/lambda/", f.name])
} | {[f.region, f.logging.log_group, c] |
	tag := data.jalon.lib.config.scope.data_class_tag
	some f in object.get(input, ["lambda", "functions"], [])
	c := f.tags[tag]
	c != ""
	f.logging.log_group != null
} | {[f.region, group, c] |
	tag := data.jalon.lib.config.scope.data_class_tag
	some f in object.get(input, ["lambda", "functions"], [])
	c := f.tags[tag]
	c != ""
	f.logging == null
	group := concat("", ["/aws/lambda/", f.name])
}

# [region, log group name] of every log group written to by a personal-data function.
personal_inherited := {[r, g] |
	pcs := data.jalon.lib.personal_classes
	some [r, g, c] in inherited
	c in pcs
}

# Lowercased keys of thresholds.log_retention_ceiling_by_class.
ceilings_by_class := {lower(k): v | some k, v in data.jalon.lib.config.thresholds.log_retention_ceiling_by_class}

# The lowest ceiling any log group can have: groups at or below it need no lookup.
lowest_ceiling := min({v | some _, v in ceilings_by_class} | {data.jalon.lib.config.thresholds.log_retention_ceiling_days})

# The classes worth probing for: personal ones and those with their own ceiling (keys as
# written and lowercased).
relevant_classes := {v |
	some k, _ in data.jalon.lib.config.thresholds.log_retention_ceiling_by_class
	some v in [k, lower(k)]
} | data.jalon.lib.personal_classes

# A log group's data classes: its own tag when set, else the (relevant) classes of the
# functions writing to it. For messages and ceilings: not on the passing path.
classes(g) := {c} if {
	c := lib.data_class(g)
} else := {c |
	some c in relevant_classes
	[g.region, g.name, c] in inherited
}

is_personal(g) if {
	some c in classes(g)
	lib.is_personal_class(c)
}

# In-scope log groups holding personal data: own tag personal, or no own tag and a
# personal-data function writing to them. Two plain passes, no function call per group.
personal_log_groups := array.concat(
	[g |
		tag := data.jalon.lib.config.scope.data_class_tag
		pcs := data.jalon.lib.personal_classes
		some g in data.jalon.lib.log_groups
		g.tags[tag] in pcs
	],
	[g |
		tag := data.jalon.lib.config.scope.data_class_tag
		inh := personal_inherited
		names := personal_inherited_names
		some g in data.jalon.lib.log_groups
		g.name in names
		not g.tags[tag]
		[g.region, g.name] in inh
	],
)

# The names in personal_inherited: a string lookup rules most groups out before a
# [region, name] key is built for the rest.
personal_inherited_names := {p[1] | some p in personal_inherited}

# For in_scope (an array, as lib.log_group_arns).
personal_log_group_arns := [g.arn | some g in personal_log_groups]

# Personal-data log groups with no KMS key (LOG-003, GDP-003).
unencrypted_personal_log_groups := [g |
	unencrypted := {null, ""}
	some g in personal_log_groups
	g.kms_key_id in unencrypted
]

# The retention ceiling that applies: the lowest class-specific ceiling, else the default.
ceiling_days(g) := min(specific) if {
	specific := {ceilings_by_class[lower(c)] | some c in classes(g)}
	count(specific) > 0
} else := data.jalon.lib.config.thresholds.log_retention_ceiling_days

# For messages: " for data class 'personal'", or "" when the default ceiling applies.
ceiling_reason(g) := sprintf(" for data class '%s'", [concat("', '", sort(cs))]) if {
	cs := [c | some c in classes(g); ceilings_by_class[lower(c)]]
	count(cs) > 0
} else := ""
