# METADATA
# title: Encryption in transit is enforced on PostgreSQL databases
# description: >-
#   Every in-scope RDS PostgreSQL database rejects unencrypted connections: the parameter
#   group it uses (for a standalone instance, its DB parameter group; for a cluster, its
#   cluster parameter group) sets rds.force_ssl = 1. A database on a default parameter
#   group (default.*) passes for RDS for PostgreSQL 15 and later, where rds.force_ssl
#   defaults to 1, and fails for older versions and for Aurora PostgreSQL (default 0). A
#   custom group missing from the snapshot fails: its setting cannot be shown. Cluster
#   members are covered by their cluster. ElastiCache and S3 are not collected yet.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html
#   - https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraPostgreSQL.Security.html
# custom:
#   id: GDP-004
#   phase: 0
#   severity: high
#   evidence: [rds, tagging]
#   resource_type: database
#   gdpr: ["32(1)(a)"]
#   remediation: aws rds modify-db-parameter-group --db-parameter-group-name <custom group of {name}> --parameters ParameterName=rds.force_ssl,ParameterValue=1,ApplyMethod=immediate
#   attestation: false
package jalon.controls.gdp_004

import rego.v1

import data.jalon.lib
import data.jalon.lib.rds

in_scope := [r.arn | some r in data.jalon.lib.rds.postgres_stores]

deny contains {"resource": r.arn, "message": concat("; ", problems)} if {
	some r in data.jalon.lib.rds.postgres_stores
	names := rds.parameter_group_names(r)
	problems := array.concat(
		[sprintf("parameter group '%s': %s", [n, p]) | some n in names; p := group_problem(r, n)],
		no_group(names),
	)
	count(problems) > 0
}

no_group(names) := ["no parameter group is reported, so rds.force_ssl cannot be shown"] if {
	count(names) == 0
} else := []

# Default groups: RDS for PostgreSQL 15+ forces SSL by default; older and Aurora do not.
group_problem(r, name) := sprintf("default group, and rds.force_ssl defaults to 0 for %s %s: use a custom group with rds.force_ssl = 1", [r.engine, version(r)]) if {
	rds.is_default_group(name)
	not default_forces_ssl(r)
}

group_problem(r, name) := "not found in the snapshot, so rds.force_ssl cannot be shown" if {
	not rds.is_default_group(name)
	not data.jalon.lib.rds.parameter_groups[lib.key(r.region, name)]
}

group_problem(r, name) := sprintf("rds.force_ssl is %s, not 1", [value]) if {
	not rds.is_default_group(name)
	group := data.jalon.lib.rds.parameter_groups[lib.key(r.region, name)]
	value := object.get(group.parameters, "rds.force_ssl", "unset (0)")
	value != "1"
}

default_forces_ssl(r) if {
	r.engine == "postgres"
	rds.major_version(r) >= 15
}

version(r) := r.engine_version if {
	is_string(r.engine_version)
} else := "(version unknown)"
