# Lambda helpers: how a function is invoked, whether it opens database connections,
# where it logs. Regular expressions run once per distinct name or principal, never
# once per function.
package jalon.lib.lambda

import rego.v1

import data.jalon.lib

# ---------------------------------------------------------------- asynchronous invocation

# Service principals that invoke a function asynchronously (the event is queued by
# Lambda, so failures only surface through a DLQ or an on-failure destination).
# API Gateway and load balancers invoke synchronously and are not listed.
async_principal_pattern := `^(sns|s3|events|ses|iot|codecommit|config|cloudwatch|lambda\.alarms\.cloudwatch|logs(\.[a-z0-9-]+)?)\.amazonaws\.com$`

principals := {p.principal |
	some f in data.jalon.lib.functions
	some p in f.invoke_permissions
	is_string(p.principal)
}

async_principals_set := {p | some p in principals; regex.match(async_principal_pattern, p)}

# A function is invoked asynchronously when an async service principal may invoke it,
# or when it has an event invoke config (someone configured async invocation).
async_function_arns := {f.arn |
	s := async_principals_set
	some f in data.jalon.lib.functions
	some p in f.invoke_permissions
	p.principal in s
} | {f.arn |
	some f in data.jalon.lib.functions
	f.event_invoke_configs != []
}

async_principals(f) := {p.principal | some p in f.invoke_permissions; p.principal in async_principals_set}

is_async(f) if f.arn in async_function_arns

behind_api_gateway(f) if {
	some p in f.invoke_permissions
	p.principal == "apigateway.amazonaws.com"
}

# ---------------------------------------------------------------- database connections

# Environment variable names that mean the function opens database connections:
# PGHOST and friends, <PREFIX_>DB_HOST / DATABASE_URL / RDS_ENDPOINT / MYSQL_USER ...
# (ASCII case folding: regorus is built without Unicode regex tables, see README.)
db_env_pattern := `(?i-u)^(PG(HOST|HOSTADDR|DATABASE|USER|PORT|SERVICE)|([A-Z0-9]+_)*(DB|DATABASE|RDS|MYSQL|MARIADB|POSTGRES|POSTGRESQL|PG|AURORA)_(HOST|HOSTNAME|ENDPOINT|URL|URI|DSN|NAME|PORT|USER|USERNAME|SECRET|SECRET_ARN|CLUSTER_ARN|PROXY|PROXY_ENDPOINT|CONNECTION|CONNECTION_STRING)|([A-Z0-9]+_)*(DATABASE_URL|DATABASE_URI|JDBC_URL|SQLALCHEMY_DATABASE_URI|CONNECTION_STRING))$`

# Every distinct environment variable name of the in-scope functions.
env_names := {n | some f in data.jalon.lib.functions; some n in f.environment_variable_names}

db_env_name_set := {n | some n in env_names; regex.match(db_env_pattern, n)}

# The `db-access` tag marks a function that opens database connections, whatever its
# environment says (any value but false / no / none / 0).
db_access_tagged(f) if {
	v := f.tags["db-access"]
	not lower(v) in {"false", "no", "none", "0", ""}
}

db_function_arns := {f.arn |
	s := db_env_name_set
	some f in data.jalon.lib.functions
	some n in f.environment_variable_names
	n in s
} | {f.arn |
	some f in data.jalon.lib.functions
	f.tags["db-access"]
	db_access_tagged(f)
}

db_env_names(f) := [n | some n in f.environment_variable_names; n in db_env_name_set]

opens_db_connections(f) if f.arn in db_function_arns

# ---------------------------------------------------------------- logging

# The log group a function writes to: its logging config, else /aws/lambda/<name>.
log_group_name(f) := g if {
	g := f.logging.log_group
	is_string(g)
	g != ""
} else := concat("", ["/aws/lambda/", f.name])

# ---------------------------------------------------------------- event source mappings

# A mapping names its function with or without a qualifier (`...:function:f:live`).
unqualified(arn) := concat(":", array.slice(split(arn, ":"), 0, 7))

# [mapping, function] for every mapping of an in-scope function, disabled ones included,
# joined once for the controls that read mappings (SQS-001..003, LMB-005).
function_mappings := [[m, f] |
	functions := {f.arn: f | some f in data.jalon.lib.functions}
	some m in object.get(input, ["lambda", "event_source_mappings"], [])
	f := functions[unqualified(m.function_arn)]
]
