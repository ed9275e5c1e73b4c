# Secrets Manager helpers: which secrets belong to a database, and their rotation interval.
package jalon.lib.secretsmanager

import rego.v1

import data.jalon.lib

# A database secret is one of:
#   - managed by RDS (owning_service = rds: the master user secret);
#   - tagged with an aws:rds:* tag, or an `engine`, `db-engine` or `database` tag;
#   - named with a database word as a separate token (db, database, rds, postgres,
#     postgresql, mysql, mariadb, aurora: "prod/orders-db/app", not "feedback");
#   - rotated by an AWS-provided RDS rotation function (SecretsManagerRDS...).
# Found in passes of builtins only: a Rego function call per secret and per tag cost
# more than the checks themselves. The name regex (the dearest builtin) runs only for
# the secrets the owner and the tags did not settle.
db_tag_names := {"engine", "db-engine", "database"}

db_marked_arns := {s.arn |
	some s in data.jalon.lib.secrets
	s.owning_service == "rds"
} | {s.arn |
	some s in data.jalon.lib.secrets
	some k, _ in s.tags
	startswith(k, "aws:rds:")
} | {s.arn |
	names := db_tag_names
	some s in data.jalon.lib.secrets
	some k, _ in s.tags
	lower(k) in names
}

db_secret_arns := db_marked_arns | {s.arn |
	marked := db_marked_arns
	some s in data.jalon.lib.secrets
	not s.arn in marked
	is_string(s.name)
	regex.match(`(^|[^a-zA-Z0-9])(?i-u:db|database|rds|postgres|postgresql|mysql|mariadb|aurora)([^a-zA-Z0-9]|$)`, s.name)
} | {s.arn |
	marked := db_marked_arns
	some s in data.jalon.lib.secrets
	not s.arn in marked
	is_string(s.rotation_lambda_arn)
	# Case-insensitive without a regex: no character lowercases to one of these
	# letters but themselves and their capitals.
	contains(lower(s.rotation_lambda_arn), "secretsmanagerrds")
}

db_secrets := [s | ids := db_secret_arns; some s in data.jalon.lib.secrets; s.arn in ids]

rotation_secrets := [s | some s in data.jalon.lib.secrets; s.rotation_enabled == true]

rotation_secret_arns := {s.arn | some s in rotation_secrets}

# RDS-managed master user secrets rotate every 7 days by default.
rds_default_days := 7

# The rotation interval in days: rotation_every_days, else a rate(N days|hours) schedule.
# Undefined for cron() schedules and when nothing is set.
interval_days(s) := s.rotation_every_days if {
	is_number(s.rotation_every_days)
} else := n if {
	[n, _] := rate(s)
}

# rate(N unit) -> [days, "rate"]
rate(s) := [days, "rate"] if {
	expr := trim_space(lib.str(s, "rotation_schedule_expression"))
	regex.match(`^rate\([ ]*[0-9]+[ ]+(day|days|hour|hours)[ ]*\)$`, expr)
	parts := regex.split(`[() ]+`, expr)
	n := to_number(parts[1])
	days := per_unit(n, parts[2])
}

per_unit(n, unit) := n if startswith(unit, "day")

per_unit(n, unit) := n / 24 if startswith(unit, "hour")

is_cron(s) if startswith(trim_space(lib.str(s, "rotation_schedule_expression")), "cron(")
