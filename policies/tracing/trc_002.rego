# METADATA
# title: X-Ray sampling is bounded by a service rule
# description: >-
#   In every region with X-Ray sampling rules or in-scope Lambda functions (resource
#   xray-sampling:<region>), a sampling rule other than Default exists, and no rule
#   (Default included) samples more than sampling_rate_max (default 0.10, i.e. 10 %) of
#   requests beyond its reservoir. A region with functions but no sampling rule at all
#   fails: a missing rule is not "not applicable". Sampling is decided at the entry point
#   (API Gateway), not by Lambda.
# related_resources:
#   - https://docs.aws.amazon.com/xray/latest/devguide/xray-console-sampling.html
# custom:
#   id: TRC-002
#   phase: 7
#   severity: low
#   evidence: [xray, lambda, tagging]
#   resource_type: region
#   gdpr: ["5(1)(c)"]
#   remediation: >-
#     Bound X-Ray sampling with a service rule (5 % above a reservoir of 1 a second).
#   fix:
#     - kind: xray-sampling
#       commands:
#         - >-
#           aws xray create-sampling-rule --region {region}
#           --sampling-rule '{"RuleName":"service","Priority":100,"FixedRate":0.05,"ReservoirSize":1,"ServiceName":"*","ServiceType":"*","Host":"*","HTTPMethod":"*","URLPath":"*","ResourceARN":"*","Version":1}'
#   iac:
#     - type: AWS::XRay::SamplingRule
#       properties: |
#         SamplingRule:
#           RuleName: service
#           Priority: 100
#           FixedRate: 0.05
#           ReservoirSize: 1
#           ServiceName: "*"
#           ServiceType: "*"
#           Host: "*"
#           HTTPMethod: "*"
#           URLPath: "*"
#           ResourceARN: "*"
#           Version: 1
#   attestation: false
package jalon.controls.trc_002

import rego.v1

rules := object.get(input, ["xray", "sampling_rules"], [])

rule_regions := {r.region | some r in rules}

custom_rule_regions := {r.region | some r in rules; r.name != "Default"}

regions := rule_regions | data.jalon.lib.function_regions

max_rate := data.jalon.lib.config.thresholds.sampling_rate_max

resource(region) := sprintf("xray-sampling:%s", [region])

in_scope contains resource(region) if {
	some region in regions
}

deny contains {"resource": resource(region), "message": "no X-Ray sampling rule at all, although the region runs Lambda functions"} if {
	some region in regions
	not region in rule_regions
}

deny contains {"resource": resource(region), "message": msg} if {
	some region in rule_regions
	problems := [p | some p in [default_only(region), too_wide(region)]; p != null]
	count(problems) > 0
	msg := concat("; ", problems)
}

default_only(region) := "only the Default rule exists: add a rule for the service" if {
	not region in custom_rule_regions
} else := null

# Regions are few: scanning the rules per region stays small.
too_wide(region) := sprintf("rules sample above %v %%: %s", [percent(max_rate), concat(", ", sort(wide))]) if {
	wide := [sprintf("'%s' at %v %%", [r.name, percent(r.fixed_rate)]) |
		some r in rules
		r.region == region
		r.fixed_rate > max_rate
	]
	count(wide) > 0
} else := null

percent(rate) := round(rate * 10000) / 100
