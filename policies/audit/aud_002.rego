# METADATA
# title: Audit logs are kept between 180 and 365 days
# description: >-
#   Every CloudTrail trail's logs are kept at least audit_log_retention_min_days (default
#   180: long enough to investigate an incident found late) and at most
#   audit_log_retention_max_days (default 365: they hold personal data such as caller
#   identities and source addresses, Art. 5(1)(e)); longer only with a reason, given as
#   a waiver. Where they are kept: in the trail's S3 bucket, by an enabled lifecycle
#   rule on every object or on the AWSLogs/ prefix; in its CloudWatch Logs log group, by
#   the group's retention. A bucket or log group that was not collected (another account
#   or region) cannot show its retention and fails until it is collected or waived.
# related_resources:
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-find-log-files.html
#   - https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html
# custom:
#   id: AUD-002
#   phase: 30
#   severity: medium
#   evidence: [cloudtrail, s3, logs]
#   resource_type: trail
#   gdpr: ["5(1)(e)", "32"]
#   remediation: >-
#     Expire the trail's logs between 180 and 365 days: a lifecycle rule on its bucket, and a
#     retention on its CloudWatch Logs group if it has one.
#   fix:
#     - kind: cloudtrail:trail
#       commands:
#         - >-
#           aws s3api put-bucket-lifecycle-configuration --bucket {TRAIL_BUCKET}
#           --lifecycle-configuration '{"Rules":[{"ID":"audit-logs","Status":"Enabled","Filter":{"Prefix":"AWSLogs/"},"Expiration":{"Days":365},"NoncurrentVersionExpiration":{"NoncurrentDays":365}}]}'
#       note: >-
#         put-bucket-lifecycle-configuration replaces the bucket's rules: add the others it has.
#         A CloudWatch Logs group of the trail: aws logs put-retention-policy --retention-in-days 365.
#   inputs:
#     TRAIL_BUCKET:
#       per: resource
#       description: the S3 bucket the trail writes to
#   iac:
#     - type: AWS::S3::Bucket
#       properties: |
#         LifecycleConfiguration:
#           Rules:
#             - Id: audit-logs
#               Status: Enabled
#               Prefix: AWSLogs/
#               ExpirationInDays: 365
#   attestation: false
package jalon.controls.aud_002

import rego.v1

trails := object.get(input, ["cloudtrail", "trails"], [])

in_scope := [t.arn | some t in trails]

# Only the trails' destinations are looked up: a membership test per bucket and log
# group costs less than indexing every one of them (tens of thousands of log groups).
wanted_buckets := {t.s3_bucket_name | some t in trails; is_string(t.s3_bucket_name)}

wanted_groups := {trim_suffix(t.cloud_watch_logs_log_group_arn, ":*") | some t in trails; is_string(t.cloud_watch_logs_log_group_arn)}

buckets := {b.name: b | wanted := wanted_buckets; some b in object.get(input, ["s3", "buckets"], []); b.name in wanted}

log_groups := {g.arn: g | wanted := wanted_groups; some g in object.get(input, ["logs", "log_groups"], []); g.arn in wanted}

low := data.jalon.lib.config.thresholds.audit_log_retention_min_days

high := data.jalon.lib.config.thresholds.audit_log_retention_max_days

deny contains {"resource": t.arn, "message": msg} if {
	some t in trails
	name := t.s3_bucket_name
	is_string(name)
	msg := bucket_problem(name, buckets[name])
}

deny contains {"resource": t.arn, "message": msg} if {
	some t in trails
	name := t.s3_bucket_name
	is_string(name)
	not buckets[name]
	msg := sprintf("its bucket %s was not collected (another account, or a region not collected): how long it keeps the logs cannot be shown", [name])
}

deny contains {"resource": t.arn, "message": msg} if {
	some t in trails
	arn := t.cloud_watch_logs_log_group_arn
	is_string(arn)
	msg := group_problem(arn, log_groups[trim_suffix(arn, ":*")])
}

deny contains {"resource": t.arn, "message": msg} if {
	some t in trails
	arn := t.cloud_watch_logs_log_group_arn
	is_string(arn)
	not log_groups[trim_suffix(arn, ":*")]
	msg := sprintf("its log group %s was not collected: how long it keeps the logs cannot be shown", [arn])
}

# The shortest expiry of the rules that reach the logs: every object, or AWSLogs/.
bucket_days(b) := min(days) if {
	days := {r.expiration_days |
		some r in b.lifecycle_rules
		r.enabled == true
		reaches_logs(r.applies_to)
		r.expiration_days != null
	}
	count(days) > 0
}

reaches_logs(scope) if scope == ""

reaches_logs(scope) if startswith(scope, "prefix AWSLogs")

bucket_problem(name, b) := sprintf("its bucket %s keeps the logs for ever: no enabled lifecycle rule expires them", [name]) if {
	not bucket_days(b)
} else := kept_problem(sprintf("its bucket %s", [name]), bucket_days(b))

group_problem(_, g) := sprintf("its log group %s keeps the logs for ever (never expire)", [g.name]) if {
	g.retention_days == null
} else := kept_problem(sprintf("its log group %s", [g.name]), g.retention_days)

kept_problem(where, d) := sprintf("%s keeps the logs %d days, under the %d-day minimum: an incident found late cannot be traced", [where, d, low]) if {
	d < low
} else := sprintf("%s keeps the logs %d days, above the %d-day maximum: longer only with a reason (a waiver that gives it)", [where, d, high]) if {
	d > high
}
