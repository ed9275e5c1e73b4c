# METADATA
# title: API Gateway stages log access, trace and throttle
# description: >-
#   Every in-scope API Gateway stage writes access logs (who called what, when, with
#   which status: the record of processing and the first thing an incident review
#   reads), has X-Ray tracing on (REST APIs; HTTP APIs cannot trace), and sets a
#   stage-wide throttling rate and burst, so one client or a retry storm cannot spend
#   the account's limit and the functions' concurrency behind it.
# related_resources:
#   - https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html
#   - https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html
# custom:
#   id: API-001
#   phase: 0
#   severity: medium
#   evidence: [apigateway]
#   resource_type: stage
#   gdpr: [30, 32]
#   remediation: >-
#     Turn on access logging (to a log group), X-Ray tracing (REST APIs) and a default
#     throttling limit on the stage.
#   fix:
#     - kind: apigateway:restapis
#       commands:
#         - >-
#           aws apigateway update-stage --region {region} --rest-api-id {api_id} --stage-name {stage}
#           --patch-operations '[{"op":"replace","path":"/accessLogSettings/destinationArn","value":"{ACCESS_LOG_GROUP_ARN}"},{"op":"replace","path":"/accessLogSettings/format","value":"$context.requestId $context.identity.sourceIp $context.httpMethod $context.resourcePath $context.status $context.responseLatency"},{"op":"replace","path":"/tracingEnabled","value":"true"},{"op":"replace","path":"/*/*/throttling/rateLimit","value":"{THROTTLE_RATE_LIMIT}"},{"op":"replace","path":"/*/*/throttling/burstLimit","value":"{THROTTLE_BURST_LIMIT}"}]'
#     - kind: apigateway:apis
#       commands:
#         - >-
#           aws apigatewayv2 update-stage --region {region} --api-id {api_id} --stage-name {stage}
#           --access-log-settings '{"DestinationArn":"{ACCESS_LOG_GROUP_ARN}","Format":"$context.requestId $context.identity.sourceIp $context.routeKey $context.status $context.responseLatency"}'
#           --default-route-settings 'ThrottlingRateLimit={THROTTLE_RATE_LIMIT},ThrottlingBurstLimit={THROTTLE_BURST_LIMIT}'
#       note: HTTP APIs have no X-Ray tracing of their own
#   inputs:
#     ACCESS_LOG_GROUP_ARN:
#       per: region
#       description: the ARN of the log group that receives the access logs
#     THROTTLE_RATE_LIMIT:
#       description: the steady requests per second a stage accepts (from the load test)
#     THROTTLE_BURST_LIMIT:
#       description: the burst of requests a stage accepts (from the load test)
#   iac:
#     - type: AWS::ApiGateway::Stage
#       properties: |
#         TracingEnabled: true
#         AccessLogSetting:
#           DestinationArn: !GetAtt AccessLogGroup.Arn
#           Format: "$context.requestId $context.status $context.responseLatency"
#         MethodSettings:
#           - ResourcePath: "/*"
#             HttpMethod: "*"
#             ThrottlingRateLimit: 100
#             ThrottlingBurstLimit: 200
#   attestation: false
package jalon.controls.api_001

import rego.v1

stages := data.jalon.lib.api_stages

in_scope := [s.arn | some s in stages]

deny contains {"resource": s.arn, "message": msg} if {
	some s in stages
	missing := [m | some m in [logging(s), tracing(s), throttling(s)]; m != ""]
	count(missing) > 0
	msg := sprintf("%s has %s", [s.name, concat(", ", missing)])
}

logging(s) := "no access logging" if s.access_log_destination == null else := ""

# HTTP and WebSocket APIs cannot trace with X-Ray.
tracing(s) := "no X-Ray tracing" if {
	s.api_type == "REST"
	s.tracing != true
} else := ""

throttling(s) := "no stage-wide throttling (the account's limit only)" if {
	some limit in [s.throttling_rate_limit, s.throttling_burst_limit]
	limit == null
} else := ""
