# METADATA
# title: Secret rotation succeeds
# description: >-
#   Every in-scope secret with rotation on was last rotated (or, if never rotated, created)
#   within its rotation interval + 1 day of the evaluation date, and its next scheduled
#   rotation is not more than 1 day overdue. A failing rotation function leaves the
#   secret unrotated while rotation still reads "enabled". For cron() schedules, whose
#   interval is not reported, secret_rotation_max_days is used.
# related_resources:
#   - https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot_rotation.html
# custom:
#   id: SEC-002
#   phase: 30
#   severity: high
#   evidence: [secretsmanager, tagging]
#   resource_type: secret
#   gdpr: ["32(1)(b)"]
#   remediation: >-
#     Make rotation succeed: start a rotation and read why it fails (the rotation function's
#     logs; for an RDS-managed secret, the database's events).
#   fix:
#     - kind: secretsmanager:secret
#       commands:
#         - aws secretsmanager rotate-secret --region {region} --secret-id {arn}
#       note: then read the rotation function's log group for the error
#     - kind: secretsmanager:secret:rds
#       commands:
#         - aws secretsmanager rotate-secret --region {region} --secret-id {arn}
#       note: RDS rotates it (managed rotation); its errors are in the database's events (aws rds describe-events)
#   attestation: false
package jalon.controls.sec_002

import rego.v1

import data.jalon.lib
import data.jalon.lib.secretsmanager as secrets

in_scope := data.jalon.lib.secretsmanager.rotation_secret_arns

interval(s) := d if {
	d := secrets.interval_days(s)
} else := data.jalon.lib.config.thresholds.secret_rotation_max_days

# The last rotation, else the creation date: a new secret is rotated on creation.
reference(s) := {"field": "last rotated", "at": s.last_rotated_at, "ns": ns} if {
	ns := lib.ts_ns(s.last_rotated_at)
} else := {"field": "never rotated; created", "at": s.created_at, "ns": ns} if {
	ns := lib.ts_ns(s.created_at)
}

deny contains {"resource": s.arn, "message": "never rotated, and no creation date is reported"} if {
	some s in data.jalon.lib.secretsmanager.rotation_secrets
	not reference(s)
}

deny contains {"resource": s.arn, "message": msg} if {
	now := data.jalon.lib.now_ns
	day := data.jalon.lib.ns_per_day
	some s in data.jalon.lib.secretsmanager.rotation_secrets
	ref := reference(s)
	days := interval(s)
	now - ref.ns > (days + 1) * day
	msg := sprintf("%s %v days ago (%s), more than the %v-day interval + 1 day: rotation is failing", [
		ref.field,
		lib.days_since(ref.ns),
		lib.date_of(ref.at),
		days,
	])
}

deny contains {"resource": s.arn, "message": msg} if {
	now := data.jalon.lib.now_ns
	day := data.jalon.lib.ns_per_day
	some s in data.jalon.lib.secretsmanager.rotation_secrets
	s.next_rotation_at != null
	next := lib.ts_ns(s.next_rotation_at)
	now - next > day
	ref := reference(s)
	now - ref.ns <= (interval(s) + 1) * day
	msg := sprintf("the next rotation was due on %s, more than 1 day ago: rotation is failing", [lib.date_of(s.next_rotation_at)])
}
