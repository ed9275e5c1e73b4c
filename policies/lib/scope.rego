# Shared helpers for every control: configuration, scoping, data classification,
# scoped resource collections and keyed lookups.
#
# Performance (regorus is a tree-walking interpreter; the measured costs are in
# docs/benchmarks.md, "What regorus charges"): a function call costs many comprehension
# steps, and a rule read inside a loop or a function more than a local: bind it before
# the loop (`ok := data.jalon.lib.x`), above all a rule indexed with a variable key
# (`data.jalon.lib.x[k]`). So per resource, the passing path should only read fields,
# compare and test membership in sets built once here (complete rules are evaluated
# once per evaluation and cached). Messages, which only failing resources need, may
# call functions, but on a large account thousands of resources fail: keep them lean
# too. (`jalon-bench rules` times a rule or a variant of it.)
package jalon.lib

import rego.v1

# ---------------------------------------------------------------- configuration

config := data.jalon.config

thresholds := data.jalon.lib.config.thresholds

# ---------------------------------------------------------------- resource accessors

# The resource's tags, {} when it has none (composite alarms carry no tags).
tags_of(r) := t if {
	t := r.tags
	is_object(t)
} else := {}

# The resource's name: `name`, or `identifier` for RDS instances and clusters.
name_of(r) := r.name if {
	is_string(r.name)
} else := r.identifier if {
	is_string(r.identifier)
} else := ""

# A string field, "" when absent or null: safe to pass to regex.match and friends.
str(r, field) := s if {
	s := r[field]
	is_string(s)
} else := ""

# "region|name": a string key for joins on names, which are unique per region only.
# (In hot paths, prefer an array key [region, name]: no builtin call.)
key(region, name) := concat("|", [region, name])

# ---------------------------------------------------------------- scoping

# A resource is in scope when it carries every `scope.require_tags` tag with that value
# and its name matches none of the `scope.exclude_names` globs.
in_scope(r) if {
	tags := tags_of(r)
	every k, v in data.jalon.lib.config.scope.require_tags {
		tags[k] == v
	}
	not excluded(r)
}

# Globs are matched with no delimiter (null), like the Rust globset defaults: `*`
# matches any character, including `/` and `.`. (With `[]`, glob.match would treat `.`
# as a delimiter.)
excluded(r) if {
	some pattern in data.jalon.lib.config.scope.exclude_names
	glob.match(pattern, null, name_of(r))
}

# Alarms are rarely tagged and composite alarms carry no tags in the snapshot, so an
# alarm is in scope unless its name is excluded or it is tagged with one of the
# `require_tags` keys set to another value (e.g. env=staging when env=prod is required).
alarm_in_scope(a) if {
	tags := tags_of(a)
	every k, v in data.jalon.lib.config.scope.require_tags {
		object.get(tags, k, v) == v
	}
	not excluded(a)
}

# ---------------------------------------------------------------- data classification

# The value of the data-classification tag, undefined when the tag is absent or empty.
data_class(r) := c if {
	c := tags_of(r)[data.jalon.lib.config.scope.data_class_tag]
	is_string(c)
	trim_space(c) != ""
}

has_data_class(r) if {
	_ = data_class(r)
}

# `scope.personal_data_classes`, as written and in lower, UPPER and Title case: tag values
# are matched by membership (no builtin call per resource), tolerant of case.
personal_classes := {v |
	some c in data.jalon.lib.config.scope.personal_data_classes
	some v in [c, lower(c), upper(c), concat("", [upper(substring(c, 0, 1)), lower(substring(c, 1, -1))])]
}

is_personal_class(c) if c in personal_classes

is_personal(r) if is_personal_class(data_class(r))

# ---------------------------------------------------------------- scoped collections
#
# Built once per evaluation. With no scope filters (the default) a collection is the
# snapshot's list itself; otherwise the checks are inlined (no function call per
# resource, except the glob match when exclude_names is set).

no_scope_filters if {
	count(data.jalon.lib.config.scope.require_tags) == 0
	count(data.jalon.lib.config.scope.exclude_names) == 0
}

scoped(resources) := resources if {
	no_scope_filters
} else := [r |
	req := data.jalon.lib.config.scope.require_tags
	some r in resources
	every k, v in req {
		r.tags[k] == v
	}
	not excluded(r)
]

# Alarms: see alarm_in_scope.
scoped_alarms(alarms) := alarms if {
	no_scope_filters
} else := [a |
	req := data.jalon.lib.config.scope.require_tags
	some a in alarms
	every k, v in req {
		object.get(tags_of(a), k, v) == v
	}
	not excluded(a)
]

functions := scoped(object.get(input, ["lambda", "functions"], []))

log_groups := scoped(object.get(input, ["logs", "log_groups"], []))

sqs_queues := scoped(object.get(input, ["sqs", "queues"], []))

dynamodb_tables := scoped(object.get(input, ["dynamodb", "tables"], []))

replication_groups := scoped(object.get(input, ["elasticache", "replication_groups"], []))

serverless_caches := scoped(object.get(input, ["elasticache", "serverless_caches"], []))

# The engines that take AUTH, RBAC and TLS settings (Memcached aside).
redis_engines := {"redis", "valkey"}

redis_replication_groups := [g | some g in replication_groups; g.engine in redis_engines]

buckets := scoped(object.get(input, ["s3", "buckets"], []))

api_stages := scoped(object.get(input, ["apigateway", "stages"], []))

deployment_groups := scoped(object.get(input, ["codedeploy", "deployment_groups"], []))

db_instances := scoped(object.get(input, ["rds", "instances"], []))

db_clusters := scoped(object.get(input, ["rds", "clusters"], []))

# RDS-managed master user secrets carry only aws:rds:* tags, never the team's scope
# tags: they follow the database they belong to, or SEC-001 would never see them.
secrets := array.concat(scoped(all_secrets), [s |
	not no_scope_filters
	some s in all_secrets
	not in_scope(s)
	secret_of_scoped_database(s)
])

all_secrets := object.get(input, ["secretsmanager", "secrets"], [])

scoped_database_arns := {d.arn | some d in array.concat(db_instances, db_clusters)}

secret_of_scoped_database(s) if {
	s.owning_service == "rds"
	some owner_tag in ["aws:rds:primaryDBInstanceArn", "aws:rds:primaryDBClusterArn"]
	tags_of(s)[owner_tag] in scoped_database_arns
}

metric_alarms := scoped_alarms(object.get(input, ["cloudwatch", "metric_alarms"], []))

composite_alarms := scoped_alarms(object.get(input, ["cloudwatch", "composite_alarms"], []))

all_alarms := array.concat(metric_alarms, composite_alarms)

# What the scope keeps of each collected list, [collected, in scope]. A scope that
# keeps nothing of a list that has resources leaves its controls nothing to judge:
# they would read NOT_APPLICABLE or PASS, so jalon warns and exits 2. The engine
# evaluates this only when the scope filters something.
scope_coverage := {
	"Lambda functions": [count(object.get(input, ["lambda", "functions"], [])), count(functions)],
	"log groups": [count(object.get(input, ["logs", "log_groups"], [])), count(log_groups)],
	"DB instances": [count(object.get(input, ["rds", "instances"], [])), count(db_instances)],
	"DB clusters": [count(object.get(input, ["rds", "clusters"], [])), count(db_clusters)],
	"secrets": [count(all_secrets), count(secrets)],
	"SQS queues": [count(object.get(input, ["sqs", "queues"], [])), count(sqs_queues)],
	"DynamoDB tables": [count(object.get(input, ["dynamodb", "tables"], [])), count(dynamodb_tables)],
	"ElastiCache replication groups": [count(object.get(input, ["elasticache", "replication_groups"], [])), count(replication_groups)],
	"ElastiCache serverless caches": [count(object.get(input, ["elasticache", "serverless_caches"], [])), count(serverless_caches)],
	"S3 buckets": [count(object.get(input, ["s3", "buckets"], [])), count(buckets)],
	"API Gateway stages": [count(object.get(input, ["apigateway", "stages"], [])), count(api_stages)],
	"CodeDeploy deployment groups": [count(object.get(input, ["codedeploy", "deployment_groups"], [])), count(deployment_groups)],
	"alarms": [
		count(object.get(input, ["cloudwatch", "metric_alarms"], [])) + count(object.get(input, ["cloudwatch", "composite_alarms"], [])),
		count(all_alarms),
	],
}

# The ids of whole collections: controls whose scope is "every in-scope X" use these as
# their in_scope, so the list is built once for all of them when the engine evaluates
# the controls together. Arrays, not sets: a set member costs regorus about twice as
# much (an ordered insert), and the engine sorts in_scope itself. For in_scope only: a
# membership test on an array is a scan.
function_arns := [f.arn | some f in functions]

log_group_arns := [g.arn | some g in log_groups]

db_instance_arns := [i.arn | some i in db_instances]

secret_arns := [s.arn | some s in secrets]

# ---------------------------------------------------------------- keyed lookups

topic_arns := {t.arn | some t in object.get(input, ["sns", "topics"], [])}

confirmed_topic_arns := {s.topic_arn | some s in object.get(input, ["sns", "subscriptions"], []); s.confirmed == true}

pending_topic_arns := {s.topic_arn | some s in object.get(input, ["sns", "subscriptions"], []); s.confirmed != true}

# Regions that have at least one in-scope Lambda function.
function_regions := {f.region | some f in functions}
