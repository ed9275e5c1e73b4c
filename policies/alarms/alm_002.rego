# METADATA
# title: Every production Lambda function has a p95 latency alarm
# description: >-
#   Each in-scope Lambda function is covered by a p95 latency alarm with a threshold of at
#   most latency_p95_ms (default 500 ms) and a GreaterThan(OrEqualTo)Threshold comparison:
#   either a p95 alarm on its own AWS/Lambda Duration (FunctionName dimension;
#   ExtendedStatistic p95, or a returned metric_stat query with stat p95; p99 and higher
#   percentiles also count, they are stricter), or, for a function behind API Gateway (an
#   invoke permission for apigateway.amazonaws.com), a p95 AWS/ApiGateway Latency alarm in
#   the same region. The snapshot does not map APIs to functions, so any API Gateway p95
#   Latency alarm in the region covers every function behind API Gateway there.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#Percentiles
#   - https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html
# custom:
#   id: ALM-002
#   phase: 0
#   severity: high
#   evidence: [lambda, cloudwatch, tagging]
#   resource_type: function
#   gdpr: []
#   remediation: >-
#     Create an alarm on the function's p95 Duration over 1-minute periods, above the latency
#     objective (500 ms here) for 5 periods, notifying the on-call topic.
#   fix:
#     - kind: lambda:function
#       commands:
#         - >-
#           aws cloudwatch put-metric-alarm --region {region} --alarm-name '{name}-p95-latency'
#           --namespace AWS/Lambda --metric-name Duration
#           --dimensions '[{"Name":"FunctionName","Value":"{name}"}]' --extended-statistic p95
#           --period 60 --evaluation-periods 5 --threshold {latency_p95_ms} --comparison-operator GreaterThanThreshold
#           --treat-missing-data notBreaching --alarm-actions {SNS_TOPIC_ARN}
#   inputs:
#     SNS_TOPIC_ARN:
#       per: region
#       description: the ARN of the SNS topic that pages the on-call
#   iac:
#     - type: AWS::CloudWatch::Alarm
#       properties: |
#         Namespace: AWS/Lambda
#         MetricName: Duration
#         Dimensions: [{Name: FunctionName, Value: !Ref Function}]
#         ExtendedStatistic: p95
#         Period: 60
#         EvaluationPeriods: 5
#         Threshold: 500
#         ComparisonOperator: GreaterThanThreshold
#         TreatMissingData: notBreaching
#         AlarmActions: [!Ref OnCallTopic]
#   attestation: false
package jalon.controls.alm_002

import rego.v1

import data.jalon.lib.alarms as alm

in_scope := data.jalon.lib.function_arns

# Functions without a qualifying p95 Duration alarm of their own: the rules below read
# these few, not every function (one pass, one [region, name] key per function).
uncovered := [f |
	ok := data.jalon.lib.alarms.latency_ok_function_keys
	some f in data.jalon.lib.functions
	not [f.region, f.name] in ok
]

# Uncovered functions with an invoke permission for API Gateway.
api_gateway_function_arns := {f.arn |
	some f in uncovered
	some p in f.invoke_permissions
	p.principal == "apigateway.amazonaws.com"
}

# Not covered and no p95 Duration alarm at all, behind API Gateway without a qualifying
# p95 Latency alarm in the region.
deny contains {"resource": f.arn, "message": msg} if {
	api := api_gateway_function_arns
	api_regions := data.jalon.lib.alarms.latency_ok_api_regions
	limit := data.jalon.lib.config.thresholds.latency_p95_ms
	alarmed := data.jalon.lib.alarms.latency_alarm_keys
	some f in uncovered
	f.arn in api
	not f.region in api_regions
	not [f.region, f.name] in alarmed
	msg := sprintf("no p95 latency alarm: expected a p95 AWS/Lambda Duration alarm with FunctionName=%s and a threshold <= %v ms, or a p95 AWS/ApiGateway Latency alarm in its region (it is behind API Gateway)", [f.name, limit])
}

# Not covered and no p95 Duration alarm at all, not behind API Gateway.
deny contains {"resource": f.arn, "message": msg} if {
	api := api_gateway_function_arns
	limit := data.jalon.lib.config.thresholds.latency_p95_ms
	alarmed := data.jalon.lib.alarms.latency_alarm_keys
	some f in uncovered
	not f.arn in api
	not [f.region, f.name] in alarmed
	msg := sprintf("no p95 latency alarm: expected a p95 AWS/Lambda Duration alarm with FunctionName=%s and a threshold <= %v ms", [f.name, limit])
}

# p95 Duration alarms exist but none qualifies: say why.
deny contains {"resource": f.arn, "message": msg} if {
	api := api_gateway_function_arns
	api_regions := data.jalon.lib.alarms.latency_ok_api_regions
	latency_alarms := data.jalon.lib.alarms.latency_alarms
	some f in uncovered
	misses := latency_alarms[f.region][f.name]
	not covered_by_api(f, api, api_regions)
	msg := concat("; ", sort([sprintf("p95 Duration alarm '%s' %s", [a.name, alm.latency_reason(a)]) | some _, a in misses]))
}

covered_by_api(f, api, api_regions) if {
	f.arn in api
	f.region in api_regions
}
