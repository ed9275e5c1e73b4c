# METADATA
# title: The mock code path is removed
# description: >-
#   No in-scope Lambda function still deployed is part of the mock code path used before
#   cutover: its name matches none of scope.mock_name_patterns (globs, default *mock*)
#   and it carries none of the scope.mock_tags tags (default path=mock). Every in-scope
#   function is checked, so the control passes (not "not applicable") once the mocks are
#   gone. A flag still routing to the mock path cannot be seen in the account state.
# related_resources:
#   - https://docs.aws.amazon.com/lambda/latest/dg/configuration-aliases.html
# custom:
#   id: OPS-005
#   phase: 30
#   severity: medium
#   evidence: [lambda, tagging]
#   resource_type: function
#   gdpr: []
#   remediation: >-
#     Remove the mock code path: delete the function once nothing calls it (its triggers and
#     the integrations that name it), or deploy the code without the mock.
#   fix:
#     - kind: lambda:function
#       commands: []
#       note: >-
#         by hand, after checking nothing invokes it: aws lambda delete-function (deleting is not
#         undone, so no script does it)
#   attestation: false
package jalon.controls.ops_005

import rego.v1

import data.jalon.lib

in_scope := data.jalon.lib.function_arns

# `*text*` patterns (the default `*mock*`) are a substring test, cheaper than a glob.
substring_patterns := {p: inner |
	some p in data.jalon.lib.config.scope.mock_name_patterns
	startswith(p, "*")
	endswith(p, "*")
	count(p) > 2
	inner := substring(p, 1, count(p) - 2)
	not regex.match(`[*?\[\]{}\\!]`, inner)
}

glob_patterns := [p | some p in data.jalon.lib.config.scope.mock_name_patterns; not substring_patterns[p]]

deny contains {"resource": f.arn, "message": msg} if {
	subs := substring_patterns
	some f in data.jalon.lib.functions
	some _, inner in subs
	contains(f.name, inner)
	msg := message(f)
}

deny contains {"resource": f.arn, "message": msg} if {
	patterns := glob_patterns
	patterns != []
	some f in data.jalon.lib.functions
	some p in patterns
	glob.match(p, null, f.name)
	msg := message(f)
}

deny contains {"resource": f.arn, "message": msg} if {
	tags := data.jalon.lib.config.scope.mock_tags
	some f in data.jalon.lib.functions
	some k, v in tags
	f.tags[k] == v
	msg := message(f)
}

message(f) := sprintf("still deployed and marked as the mock path: %s", [concat("; ", array.concat(name_marks(f), tag_marks(f)))])

name_marks(f) := [sprintf("name matches '%s'", [p]) |
	some p in data.jalon.lib.config.scope.mock_name_patterns
	glob.match(p, null, f.name)
]

tag_marks(f) := [sprintf("tagged %s=%s", [k, v]) |
	some k, v in data.jalon.lib.config.scope.mock_tags
	lib.tags_of(f)[k] == v
]
