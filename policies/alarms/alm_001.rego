# METADATA
# title: Every production Lambda function has an error-rate alarm
# description: >-
#   Each in-scope Lambda function has a CloudWatch metric-math alarm on its error rate:
#   a metric_stat on AWS/Lambda Errors and one on AWS/Lambda Invocations with the same
#   dimensions (FunctionName, optionally Resource = name:alias), a returned expression
#   dividing errors by invocations (100 * errors / invocations in any sound form, e.g.
#   IF(inv > 0, 100 * FILL(err, 0) / inv, 0); a plain fraction errors / invocations has its
#   threshold read as a fraction), a threshold of at most error_rate_percent (default 2 %),
#   a GreaterThan(OrEqualTo)Threshold comparison and period x evaluation periods of at most
#   error_rate_window_seconds (default 300 s; the period is that of the metric_stat
#   queries). A plain Errors > 0 alarm is not an error-rate alarm. Because Lambda publishes
#   Errors only when it is non-zero, an error-rate alarm that does not FILL the Errors
#   metric, or treats missing data as breaching, is flagged even when another alarm
#   qualifies.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create-alarm-on-metric-math-expression.html
#   - https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
# custom:
#   id: ALM-001
#   phase: 0
#   severity: critical
#   evidence: [lambda, cloudwatch, tagging]
#   resource_type: function
#   gdpr: ["32(1)(b)"]
#   remediation: >-
#     Create a metric-math alarm on the function's error rate: 100 x Errors / Invocations
#     over 1-minute periods, guarded against no invocations and filling missing Errors with 0,
#     above 2 % for 5 periods, missing data not breaching, notifying the on-call topic.
#   fix:
#     - kind: lambda:function
#       commands:
#         - >-
#           aws cloudwatch put-metric-alarm --region {region} --alarm-name '{name}-error-rate'
#           --alarm-description 'Error rate above {error_rate_percent} % for 5 minutes'
#           --metrics '[{"Id":"err","MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"Errors","Dimensions":[{"Name":"FunctionName","Value":"{name}"}]},"Period":60,"Stat":"Sum"},"ReturnData":false},{"Id":"inv","MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"Invocations","Dimensions":[{"Name":"FunctionName","Value":"{name}"}]},"Period":60,"Stat":"Sum"},"ReturnData":false},{"Id":"rate","Expression":"IF(inv > 0, 100 * FILL(err, 0) / inv, 0)","Label":"Error rate (%)","ReturnData":true}]'
#           --threshold {error_rate_percent} --comparison-operator GreaterThanThreshold --evaluation-periods 5
#           --treat-missing-data notBreaching --alarm-actions {SNS_TOPIC_ARN}
#   inputs:
#     SNS_TOPIC_ARN:
#       per: region
#       description: the ARN of the SNS topic that pages the on-call
#   iac:
#     - type: AWS::CloudWatch::Alarm
#       properties: |
#         AlarmName: !Sub "${Function}-error-rate"
#         ComparisonOperator: GreaterThanThreshold
#         Threshold: 2
#         EvaluationPeriods: 5
#         TreatMissingData: notBreaching
#         AlarmActions: [!Ref OnCallTopic]
#         Metrics:
#           - Id: err
#             ReturnData: false
#             MetricStat:
#               Metric:
#                 Namespace: AWS/Lambda
#                 MetricName: Errors
#                 Dimensions: [{Name: FunctionName, Value: !Ref Function}]
#               Period: 60
#               Stat: Sum
#           - Id: inv
#             ReturnData: false
#             MetricStat:
#               Metric:
#                 Namespace: AWS/Lambda
#                 MetricName: Invocations
#                 Dimensions: [{Name: FunctionName, Value: !Ref Function}]
#               Period: 60
#               Stat: Sum
#           - Id: rate
#             Expression: "IF(inv > 0, 100 * FILL(err, 0) / inv, 0)"
#             Label: Error rate (%)
#             ReturnData: true
#   attestation: false
package jalon.controls.alm_001

import rego.v1

import data.jalon.lib.alarms as alm

in_scope := data.jalon.lib.function_arns

# No qualifying error-rate alarm: say why the nearest candidate does not count.
deny contains {"resource": f.arn, "message": alm.error_rate_message(f.region, f.name)} if {
	ok := data.jalon.lib.alarms.error_rate_ok_keys
	some f in data.jalon.lib.functions
	not [f.region, f.name] in ok
}

# A qualifying alarm exists, but one of the function's error-rate alarms mishandles
# missing data (it stays in INSUFFICIENT_DATA, or fires, whenever there are no errors).
deny contains {"resource": f.arn, "message": alm.error_rate_defect_message(f.region, f.name)} if {
	defects := data.jalon.lib.alarms.error_rate_defect_keys
	ok := data.jalon.lib.alarms.error_rate_ok_keys
	some f in data.jalon.lib.functions
	[f.region, f.name] in defects
	[f.region, f.name] in ok
}
