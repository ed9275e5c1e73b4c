# METADATA
# title: No canary left half-way
# description: >-
#   No alias of an in-scope Lambda function has additional version weights: a weighted
#   alias is a canary in flight, and one left in place after a deployment splits
#   production traffic between two versions indefinitely.
# related_resources:
#   - https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html
# custom:
#   id: DEP-002
#   phase: 7
#   severity: medium
#   evidence: [lambda, tagging]
#   resource_type: alias
#   gdpr: []
#   remediation: >-
#     Finish or roll back the canary: clear the alias's additional version weights once the
#     version it points at is the one to keep.
#   fix:
#     - kind: lambda:function
#       commands:
#         - >-
#           aws lambda update-alias --region {region} --function-name {function} --name {alias}
#           --routing-config '{"AdditionalVersionWeights":{}}'
#       note: this keeps the alias's main version; point it at the new version first to finish the canary
#   attestation: false
package jalon.controls.dep_002

import rego.v1

in_scope := [a.arn |
	some f in data.jalon.lib.functions
	some a in f.aliases
]

deny contains {"resource": a.arn, "message": msg} if {
	some f in data.jalon.lib.functions
	some a in f.aliases
	a.additional_version_weights != {}
	weights := [sprintf("%v %% to version %s", [round(w * 10000) / 100, v]) | some v, w in a.additional_version_weights]
	msg := sprintf("alias '%s' serves version %s and sends %s: a canary left half-way", [a.name, a.function_version, concat(", ", sort(weights))])
}
