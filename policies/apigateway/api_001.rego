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
#     aws apigateway update-stage --rest-api-id <api-id> --stage-name <stage> --patch-operations
#     op=replace,path=/accessLogSettings/destinationArn,value=<log-group-arn>
#     op=replace,path=/accessLogSettings/format,value='$context.requestId $context.status'
#     op=replace,path=/tracingEnabled,value=true op=replace,path=/*/*/throttling/rateLimit,value=<rps>
#     op=replace,path=/*/*/throttling/burstLimit,value=<burst> (HTTP APIs: aws apigatewayv2
#     update-stage --access-log-settings and --default-route-settings)
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
