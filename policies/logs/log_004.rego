# METADATA
# title: Lambda logs are structured JSON at INFO or above
# description: >-
#   Every in-scope Lambda function logs in JSON (logging.log_format = JSON) with an
#   application log level at or above min_log_level (default INFO; TRACE < DEBUG < INFO <
#   WARN < ERROR < FATAL), so production logs are searchable and carry no debug payloads.
#   With JSON format and no explicit level, Lambda applies INFO.
# related_resources:
#   - https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html
# custom:
#   id: LOG-004
#   phase: 30
#   severity: low
#   evidence: [lambda, tagging]
#   resource_type: function
#   gdpr: ["5(1)(c)"]
#   remediation: >-
#     Log JSON at INFO or above.
#   fix:
#     - kind: lambda:function
#       commands:
#         - >-
#           aws lambda update-function-configuration --region {region} --function-name {name}
#           --logging-config '{"LogFormat":"JSON","ApplicationLogLevel":"INFO","SystemLogLevel":"INFO"}'
#   iac:
#     - type: AWS::Serverless::Function
#       properties: |
#         LoggingConfig:
#           LogFormat: JSON
#           ApplicationLogLevel: INFO
#           SystemLogLevel: INFO
#   attestation: false
package jalon.controls.log_004

import rego.v1

levels := {"TRACE": 0, "DEBUG": 1, "INFO": 2, "WARN": 3, "ERROR": 4, "FATAL": 5}

# Levels below the configured minimum, upper and lower case (no builtin per function).
too_verbose := {name |
	some l, rank in levels
	rank < levels[upper(data.jalon.lib.config.thresholds.min_log_level)]
	some name in [l, lower(l)]
}

in_scope := data.jalon.lib.function_arns

deny contains {"resource": f.arn, "message": "no logging configuration: log format is Text, not JSON"} if {
	some f in data.jalon.lib.functions
	f.logging == null
}

deny contains {"resource": f.arn, "message": msg} if {
	some f in data.jalon.lib.functions
	f.logging != null
	f.logging.log_format != "JSON"
	msg := sprintf("log format is %v, not JSON", [f.logging.log_format])
}

# Lambda applies INFO when the format is JSON and no level is set.
deny contains {"resource": f.arn, "message": msg} if {
	verbose := too_verbose
	min := upper(data.jalon.lib.config.thresholds.min_log_level)
	some f in data.jalon.lib.functions
	f.logging.log_format == "JSON"
	level := f.logging.application_log_level
	level != null
	level in verbose
	msg := sprintf("application log level is %s, below %s", [level, min])
}
