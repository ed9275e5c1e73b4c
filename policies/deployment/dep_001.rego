# METADATA
# title: Production traffic goes through a version alias
# description: >-
#   Every in-scope Lambda function has at least one alias, no alias points to $LATEST,
#   and no event source mapping invokes the unqualified function ($LATEST): production
#   traffic goes through a published version behind an alias, so a deployment can be
#   rolled back by moving the alias.
# related_resources:
#   - https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html
# custom:
#   id: DEP-001
#   phase: 0
#   severity: high
#   evidence: [lambda, tagging]
#   resource_type: function
#   gdpr: []
#   remediation: >-
#     Publish a version and send production traffic through an alias to it (point the event
#     sources and integrations at the alias).
#   fix:
#     - kind: lambda:function
#       commands:
#         - aws lambda create-alias --region {region} --function-name {name} --name live --function-version {FUNCTION_VERSION}
#       note: then point the function's triggers at the alias (its ARN ends in :live)
#   inputs:
#     FUNCTION_VERSION:
#       per: resource
#       description: the published version to serve production (aws lambda publish-version prints it)
#   iac:
#     - type: AWS::Serverless::Function
#       properties: |
#         AutoPublishAlias: live
#   attestation: false
package jalon.controls.dep_001

import rego.v1

# Event source mappings that target a function without a qualifier (7 ARN fields).
unqualified_esm_targets := {m.function_arn |
	some m in object.get(input, ["lambda", "event_source_mappings"], [])
	count(split(m.function_arn, ":")) == 7
}

in_scope := data.jalon.lib.function_arns

deny contains {"resource": f.arn, "message": "no alias: traffic goes to $LATEST"} if {
	some f in data.jalon.lib.functions
	f.aliases == []
}

deny contains {"resource": f.arn, "message": msg} if {
	some f in data.jalon.lib.functions
	some a in f.aliases
	a.function_version == "$LATEST"
	names := sort([sprintf("'%s'", [x.name]) | some x in f.aliases; x.function_version == "$LATEST"])
	msg := sprintf("alias %s points to $LATEST", [concat(", ", names)])
}

deny contains {"resource": f.arn, "message": "an event source mapping invokes the unqualified function ($LATEST)"} if {
	targets := unqualified_esm_targets
	some f in data.jalon.lib.functions
	f.arn in targets
}
