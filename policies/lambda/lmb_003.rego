# METADATA
# title: Functions that open database connections have reserved concurrency
# description: >-
#   Every in-scope Lambda function that opens database connections has reserved
#   concurrency set, so a traffic spike cannot exhaust the database's connections. A
#   function opens database connections when an environment variable name says so
#   (PGHOST, PGDATABASE, DATABASE_URL, JDBC_URL, <PREFIX_>DB_HOST, DB_ENDPOINT, DB_NAME,
#   DB_USER, DB_SECRET_ARN, RDS_HOSTNAME, MYSQL_HOST, POSTGRES_URL, ...) or when it is
#   tagged db-access (any value but false, no, none or 0).
# related_resources:
#   - https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
# custom:
#   id: LMB-003
#   phase: 7
#   severity: medium
#   evidence: [lambda, tagging]
#   resource_type: function
#   gdpr: ["32(1)(b)"]
#   remediation: >-
#     Reserve the function's concurrency so that it cannot open more connections than the
#     database accepts.
#   fix:
#     - kind: lambda:function
#       commands:
#         - aws lambda put-function-concurrency --region {region} --function-name {name} --reserved-concurrent-executions {RESERVED_CONCURRENCY}
#   inputs:
#     RESERVED_CONCURRENCY:
#       per: resource
#       description: the database's max connections divided by the connections one instance of the function opens
#   iac:
#     - type: AWS::Lambda::Function
#       properties: |
#         ReservedConcurrentExecutions: 20
#   attestation: false
package jalon.controls.lmb_003

import rego.v1

import data.jalon.lib.lambda

db_functions := [f |
	arns := data.jalon.lib.lambda.db_function_arns
	some f in data.jalon.lib.functions
	f.arn in arns
]

in_scope := [f.arn | some f in db_functions]

deny contains {"resource": f.arn, "message": msg} if {
	some f in db_functions
	f.reserved_concurrency == null
	msg := sprintf("opens database connections (%s) without reserved concurrency: a spike can exhaust the database's connections", [why(f)])
}

why(f) := concat(", ", sort(names)) if {
	names := lambda.db_env_names(f)
	count(names) > 0
} else := "tagged db-access"
