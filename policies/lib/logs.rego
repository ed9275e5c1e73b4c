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

# The ceiling of each personal class (as written, lower, UPPER, Title case): a personal
# log group with its own tag needs one lookup, no call.
personal_class_ceilings := {c: ceiling_of({c}) | some c in data.jalon.lib.personal_classes}

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
} else := inherited_classes(g)

# The relevant classes of the functions writing to a log group. (The rules are bound to
# locals first: a rule read, or indexed, inside a loop is dear in regorus; see
# lib/scope.rego.)
inherited_classes(g) := {c |
	relevant := relevant_classes
	inh := inherited
	some c in relevant
	[g.region, g.name, c] in inh
}

# In-scope log groups holding personal data (lib.inventory makes them stores): own tag
# personal, or no own tag and a personal-data function writing to them. Plain passes,
# no function call per group.
personal_tagged_log_groups := [g |
	tag := data.jalon.lib.config.scope.data_class_tag
	pcs := data.jalon.lib.personal_classes
	some g in data.jalon.lib.log_groups
	g.tags[tag] in pcs
]

personal_inheriting_log_groups := [g |
	tag := data.jalon.lib.config.scope.data_class_tag
	inh := personal_inherited
	names := personal_inherited_names
	some g in data.jalon.lib.log_groups
	g.name in names
	[g.region, g.name] in inh
	# No class of its own: lib.data_class's test, inline (a call per group costs more).
	trim_space(object.get(g.tags, tag, "")) == ""
]

# The names in personal_inherited: a string lookup rules most groups out before a
# [region, name] key is built for the rest.
personal_inherited_names := {p[1] | some p in personal_inherited}

# The retention ceiling that applies: the lowest class-specific ceiling, else the default.
ceiling_days(g) := ceiling_of(classes(g))

# The ceiling for a set of classes: the lowest of their own ceilings, else the default.
ceiling_of(classes) := min(specific) if {
	by_class := ceilings_by_class
	specific := {by_class[lower(c)] | some c in classes}
	count(specific) > 0
} else := data.jalon.lib.config.thresholds.log_retention_ceiling_days

# For messages: " for data class 'personal'", or "" when the default ceiling applies.
ceiling_reason(g) := sprintf(" for data class '%s'", [concat("', '", sort(cs))]) if {
	by_class := ceilings_by_class
	cs := [c | some c in classes(g); by_class[lower(c)]]
	count(cs) > 0
} else := ""
