# METADATA
# title: No credential-looking names in Lambda environment variables
# description: >-
#   No in-scope Lambda function has an environment variable whose name matches
#   credential_name_pattern (password, secret, token, api key, access key, private key,
#   credential...): credentials belong in Secrets Manager, referenced by ARN. Names only
#   are read, never values. Names that reference a secret rather than hold one are
#   exempt: those ending in _ARN, _SECRET_ID, _SECRET_NAME, _PARAM, _PARAM_NAME,
#   _PARAMETER, _PARAMETER_NAME or _SSM_PATH (e.g. DB_SECRET_ARN).
# related_resources:
#   - https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html
# custom:
#   id: SEC-003
#   phase: 0
#   severity: high
#   evidence: [lambda, tagging]
#   resource_type: function
#   gdpr: ["32"]
#   remediation: >-
#     Move the credential out of the environment variable: store it in Secrets Manager, give
#     the function the secret's ARN (and the right to read it), and delete the variable.
#   fix:
#     - kind: lambda:function
#       commands: []
#       note: >-
#         by hand: aws secretsmanager create-secret with the value (never on a command line that a
#         shell history keeps), then aws lambda update-function-configuration --environment without it
#   attestation: false
package jalon.controls.sec_003

import rego.v1

configured := data.jalon.lib.config.thresholds.credential_name_pattern

# regorus is built without Unicode regex tables, where `(?i)` is rejected: an invalid
# pattern is retried with ASCII case folding, `(?i-u)`, which is what variable names need.
pattern := configured if {
	regex.is_valid(configured)
} else := replace(configured, "(?i)", "(?i-u)")

reference_suffix := `(?i-u)_(ARN|SECRET_ID|SECRET_NAME|PARAM|PARAM_NAME|PARAMETER|PARAMETER_NAME|SSM_PATH)$`

# The regular expressions run once per distinct variable name, not per function.
credential_names := {n |
	p := pattern
	some n in data.jalon.lib.lambda.env_names
	regex.match(p, n)
	not regex.match(reference_suffix, n)
}

in_scope := data.jalon.lib.function_arns

deny contains {"resource": f.arn, "message": msg} if {
	creds := credential_names
	some f in data.jalon.lib.functions
	some n in f.environment_variable_names
	n in creds
	msg := sprintf("environment variables look like credentials: %s", [concat(", ", sort([x | some x in f.environment_variable_names; x in creds]))])
}
