# METADATA
# title: Database secrets rotate automatically, often enough
# description: >-
#   Every in-scope database secret has automatic rotation on, with an interval of at most
#   secret_rotation_max_days (default 30): rotation_every_days, or a rate(N days)
#   schedule; a cron(...) schedule is accepted as scheduled. RDS-managed master user
#   secrets (owning_service = rds) rotate every 7 days by default: a longer interval
#   weakens them and fails. A database secret is one managed by RDS, tagged aws:rds:* /
#   engine / db-engine / database, named with a database word as a separate token (db,
#   database, rds, postgres, postgresql, mysql, mariadb, aurora), or rotated by an
#   AWS-provided RDS rotation function.
# related_resources:
#   - https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html
#   - https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html
# custom:
#   id: SEC-001
#   phase: 7
#   severity: high
#   evidence: [secretsmanager, tagging]
#   resource_type: secret
#   gdpr: ["32(1)(b)"]
#   remediation: >-
#     Rotate the database secret automatically, at most every 30 days: through its rotation
#     function, or, for the master secret RDS manages, on RDS's own rotation (every 7 days by
#     default), whose schedule Secrets Manager sets.
#   fix:
#     - kind: secretsmanager:secret
#       commands:
#         - >-
#           aws secretsmanager rotate-secret --region {region} --secret-id {arn}
#           --rotation-lambda-arn {ROTATION_FUNCTION_ARN}
#           --rotation-rules '{"ScheduleExpression":"rate({secret_rotation_max_days} days)"}' --no-rotate-immediately
#     - kind: secretsmanager:secret:rds
#       commands:
#         - >-
#           aws secretsmanager rotate-secret --region {region} --secret-id {arn}
#           --rotation-rules '{"ScheduleExpression":"rate({secret_rotation_max_days} days)"}'
#       note: >-
#         RDS rotates its managed master secret without a rotation function (managed rotation);
#         changing the schedule also starts a rotation, which RDS applies to the master password
#   inputs:
#     ROTATION_FUNCTION_ARN:
#       per: region
#       description: the ARN of the secret's rotation function (a Secrets Manager rotation template)
#   iac:
#     - type: AWS::SecretsManager::RotationSchedule
#       properties: |
#         SecretId: !Ref DatabaseSecret
#         RotationLambdaARN: !GetAtt RotationFunction.Arn
#         RotationRules:
#           ScheduleExpression: rate({secret_rotation_max_days} days)
#   attestation: false
package jalon.controls.sec_001

import rego.v1

import data.jalon.lib.secretsmanager as secrets

max_days := data.jalon.lib.config.thresholds.secret_rotation_max_days

in_scope := data.jalon.lib.secretsmanager.db_secret_arns

deny contains {"resource": s.arn, "message": "automatic rotation is off"} if {
	some s in data.jalon.lib.secretsmanager.db_secrets
	s.rotation_enabled != true
}

deny contains {"resource": s.arn, "message": "rotation is on but no interval or schedule is reported"} if {
	some s in data.jalon.lib.secretsmanager.db_secrets
	s.rotation_enabled == true
	not secrets.interval_days(s)
	not secrets.is_cron(s)
}

deny contains {"resource": s.arn, "message": msg} if {
	some s in data.jalon.lib.secretsmanager.db_secrets
	s.rotation_enabled == true
	days := secrets.interval_days(s)
	days > max_days
	msg := sprintf("rotates every %v days, above the %v-day ceiling", [days, max_days])
}

deny contains {"resource": s.arn, "message": msg} if {
	some s in data.jalon.lib.secretsmanager.db_secrets
	s.rotation_enabled == true
	s.owning_service == "rds"
	days := secrets.interval_days(s)
	days > data.jalon.lib.secretsmanager.rds_default_days
	days <= max_days
	msg := sprintf("rotates every %v days: RDS-managed master secrets rotate every %v days by default, a longer interval weakens them", [days, data.jalon.lib.secretsmanager.rds_default_days])
}
