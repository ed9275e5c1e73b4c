# METADATA
# title: Personal-data stores and their replicas stay in allowed regions
# description: >-
#   Every personal-data store is in one of allowed_regions (default: the EU regions), and
#   so is every read replica of one, whatever the replica's own tags (the data follows its
#   source). Personal-data stores are, for now, in-scope RDS clusters and standalone
#   instances whose scope.data_class_tag is one of scope.personal_data_classes.
# related_resources:
#   - https://eur-lex.europa.eu/eli/reg/2016/679/oj
#   - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.XRgn.html
# custom:
#   id: GDP-002
#   phase: 0
#   severity: high
#   evidence: [rds, tagging]
#   resource_type: personal-data store
#   gdpr: ["44", "45", "46", "47", "48", "49"]
#   remediation: aws rds create-db-instance-read-replica --db-instance-identifier {name}-eu --source-db-instance-identifier {arn} --region <allowed region> (promote it, then delete the out-of-region copy)
#   attestation: false
package jalon.controls.gdp_002

import rego.v1

import data.jalon.lib.rds

allowed := {r | some r in data.jalon.lib.config.allowed_regions}

in_scope := data.jalon.lib.rds.personal_store_arns

deny contains {"resource": r.arn, "message": msg} if {
	ok := allowed
	some r in data.jalon.lib.rds.personal_stores
	not r.region in ok
	msg := sprintf("%s in %s, outside the allowed regions (%s)", [what(r), r.region, concat(", ", sort(ok))])
}

what(r) := sprintf("read replica of a personal-data store (%s) stored", [r.read_replica_source]) if {
	rds.is_read_replica(r)
} else := "personal data stored"
