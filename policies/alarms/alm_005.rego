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
#     Add saturation alarms: Throttles for a function; CPUUtilization, DatabaseConnections and
#     (outside Aurora) FreeStorageSpace for a database instance.
#   fix:
#     - kind: lambda:function
#       commands:
#         - >-
#           aws cloudwatch put-metric-alarm --region {region} --alarm-name '{name}-throttles'
#           --namespace AWS/Lambda --metric-name Throttles
#           --dimensions '[{"Name":"FunctionName","Value":"{name}"}]' --statistic Sum
#           --period 300 --evaluation-periods 1 --threshold 0 --comparison-operator GreaterThanThreshold
#           --treat-missing-data notBreaching --alarm-actions {SNS_TOPIC_ARN}
#     - kind: rds:db
#       commands:
#         - >-
#           aws cloudwatch put-metric-alarm --region {region} --alarm-name '{name}-cpu'
#           --namespace AWS/RDS --metric-name CPUUtilization
#           --dimensions '[{"Name":"DBInstanceIdentifier","Value":"{name}"}]' --statistic Average
#           --period 300 --evaluation-periods 3 --threshold 80 --comparison-operator GreaterThanThreshold
#           --alarm-actions {SNS_TOPIC_ARN}
#         - >-
#           aws cloudwatch put-metric-alarm --region {region} --alarm-name '{name}-connections'
#           --namespace AWS/RDS --metric-name DatabaseConnections
#           --dimensions '[{"Name":"DBInstanceIdentifier","Value":"{name}"}]' --statistic Maximum
#           --period 300 --evaluation-periods 1 --threshold {MAX_CONNECTIONS_ALARM}
#           --comparison-operator GreaterThanThreshold --alarm-actions {SNS_TOPIC_ARN}
#         - >-
#           aws cloudwatch put-metric-alarm --region {region} --alarm-name '{name}-free-storage'
#           --namespace AWS/RDS --metric-name FreeStorageSpace
#           --dimensions '[{"Name":"DBInstanceIdentifier","Value":"{name}"}]' --statistic Minimum
#           --period 300 --evaluation-periods 1 --threshold {FREE_STORAGE_BYTES}
#           --comparison-operator LessThanThreshold --alarm-actions {SNS_TOPIC_ARN}
#       note: an alarm the instance already has is replaced with the same name only; skip those
#     - kind: rds:db:aurora
#       commands:
#         - >-
#           aws cloudwatch put-metric-alarm --region {region} --alarm-name '{name}-cpu'
#           --namespace AWS/RDS --metric-name CPUUtilization
#           --dimensions '[{"Name":"DBInstanceIdentifier","Value":"{name}"}]' --statistic Average
#           --period 300 --evaluation-periods 3 --threshold 80 --comparison-operator GreaterThanThreshold
#           --alarm-actions {SNS_TOPIC_ARN}
#         - >-
#           aws cloudwatch put-metric-alarm --region {region} --alarm-name '{name}-connections'
#           --namespace AWS/RDS --metric-name DatabaseConnections
#           --dimensions '[{"Name":"DBInstanceIdentifier","Value":"{name}"}]' --statistic Maximum
#           --period 300 --evaluation-periods 1 --threshold {MAX_CONNECTIONS_ALARM}
#           --comparison-operator GreaterThanThreshold --alarm-actions {SNS_TOPIC_ARN}
#       note: Aurora storage grows on its own, so no FreeStorageSpace alarm
#   inputs:
#     SNS_TOPIC_ARN:
#       per: region
#       description: the ARN of the SNS topic that pages the on-call
#     MAX_CONNECTIONS_ALARM:
#       per: resource
#       description: the connection count to alarm above, about 80 % of the instance's max_connections
#     FREE_STORAGE_BYTES:
#       per: resource
#       description: the free storage, in bytes, to alarm below (about 10 % of the allocated storage)
#   iac:
#     - type: AWS::CloudWatch::Alarm
#       properties: |
#         Namespace: AWS/Lambda
#         MetricName: Throttles
#         Dimensions: [{Name: FunctionName, Value: !Ref Function}]
#         Statistic: Sum
#         Period: 300
#         EvaluationPeriods: 1
#         Threshold: 0
#         ComparisonOperator: GreaterThanThreshold
#         AlarmActions: [!Ref OnCallTopic]
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
