# METADATA
# title: Saturation alarms exist for functions and databases
# description: >-
#   Every in-scope Lambda function has an alarm on its AWS/Lambda Throttles metric
#   (FunctionName dimension), and every in-scope RDS instance has alarms on
#   CPUUtilization, FreeStorageSpace and DatabaseConnections (AWS/RDS,
#   DBInstanceIdentifier dimension). Aurora storage grows by itself, so Aurora instances
#   need CPUUtilization and DatabaseConnections only, and an alarm on their cluster
#   (DBClusterIdentifier) counts. Any threshold counts: the control checks the alarm exists.
# related_resources:
#   - https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
#   - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html
# custom:
#   id: ALM-005
#   phase: 7
#   severity: medium
#   evidence: [lambda, rds, cloudwatch, tagging]
#   resource_type: resource
#   gdpr: ["32(1)(b)"]
#   remediation: >-
#     aws cloudwatch put-metric-alarm --alarm-name {name}-<metric> --namespace <AWS/Lambda|AWS/RDS>
#     --metric-name <Throttles|CPUUtilization|FreeStorageSpace|DatabaseConnections>
#     --dimensions Name=<FunctionName|DBInstanceIdentifier>,Value={name} --statistic Maximum
#     --period 300 --evaluation-periods 1 --threshold <limit> --comparison-operator <operator>
#     --alarm-actions <sns-topic-arn>
#   attestation: false
package jalon.controls.alm_005

import rego.v1

import data.jalon.lib.rds

in_scope := array.concat(data.jalon.lib.function_arns, data.jalon.lib.db_instance_arns)

deny contains {"resource": f.arn, "message": msg} if {
	watched := data.jalon.lib.alarms.watched_keys
	some f in data.jalon.lib.functions
	not [f.region, "Throttles", "FunctionName", f.name] in watched
	msg := sprintf("no Throttles alarm (AWS/Lambda, FunctionName=%s)", [f.name])
}

deny contains {"resource": i.arn, "message": msg} if {
	watched := data.jalon.lib.alarms.watched_keys
	some i in data.jalon.lib.db_instances
	missing := [m | some m in rds_metrics(i); not watched_db(watched, i, m)]
	count(missing) > 0
	msg := sprintf("no saturation alarm on %s (AWS/RDS, DBInstanceIdentifier=%s)", [concat(", ", missing), i.identifier])
}

rds_metrics(i) := ["CPUUtilization", "DatabaseConnections"] if {
	rds.is_aurora(i)
} else := ["CPUUtilization", "FreeStorageSpace", "DatabaseConnections"]

watched_db(watched, i, metric) if [i.region, metric, "DBInstanceIdentifier", i.identifier] in watched

watched_db(watched, i, metric) if {
	rds.is_cluster_member(i)
	[i.region, metric, "DBClusterIdentifier", i.cluster_identifier] in watched
}
