# RDS helpers: which resource carries which setting (Aurora members inherit storage,
# backup and protection settings from their cluster), personal-data stores, parameter
# groups.
package jalon.lib.rds

import rego.v1

import data.jalon.lib

# Instances that are not members of a cluster: they carry their own encryption, backup,
# deletion protection, Multi-AZ, log exports and authentication settings.
standalone_instances := [i | some i in data.jalon.lib.db_instances; i.cluster_identifier in {null, ""}]

is_cluster_member(i) if {
	c := i.cluster_identifier
	is_string(c)
	c != ""
}

is_read_replica(i) if {
	s := i.read_replica_source
	is_string(s)
	s != ""
}

# The resources that hold cluster-level settings: standalone instances and clusters.
stores := array.concat(standalone_instances, data.jalon.lib.db_clusters)

store_arns := {r.arn | some r in stores}

# Stores that are not read replicas (backups and Multi-AZ are the source's concern).
primary_stores := [r | some r in stores; not is_read_replica(r)]

is_aurora(r) if startswith(r.engine, "aurora")

is_postgres(r) if r.engine in postgres_engines

postgres_engines := {"postgres", "aurora-postgresql"}

postgres_stores := [r | engines := postgres_engines; some r in stores; r.engine in engines]

# ---------------------------------------------------------------- personal-data stores

# The in-scope standalone instances and clusters classified personal.
personal_standalone := [i |
	tag := data.jalon.lib.config.scope.data_class_tag
	pcs := data.jalon.lib.personal_classes
	some i in standalone_instances
	i.tags[tag] in pcs
]

personal_clusters := [c |
	tag := data.jalon.lib.config.scope.data_class_tag
	pcs := data.jalon.lib.personal_classes
	some c in data.jalon.lib.db_clusters
	c.tags[tag] in pcs
]

# References to personal standalone instances, as a read replica names its source: the
# ARN (cross-region) or [region, identifier] (same region).
personal_instance_refs := {ref |
	some i in personal_standalone
	some ref in [i.arn, [i.region, i.identifier]]
}

replica_of_personal(i) if i.read_replica_source in personal_instance_refs

replica_of_personal(i) if [i.region, i.read_replica_source] in personal_instance_refs

# Read replicas of personal instances, whatever their own tags (the data follows its
# source), unless their name is excluded.
personal_replicas := [i |
	some i in object.get(input, ["rds", "instances"], [])
	i.read_replica_source != null
	replica_of_personal(i)
	not lib.excluded(i)
]

personal_instance_arns := {i.arn | some i in personal_standalone} | {i.arn | some i in personal_replicas}

# Personal-data instances (each once) and clusters.
personal_instances := [i |
	arns := personal_instance_arns
	some i in object.get(input, ["rds", "instances"], [])
	i.arn in arns
]

personal_stores := array.concat(personal_instances, personal_clusters)

# ---------------------------------------------------------------- parameter groups

parameter_groups := {lib.key(g.region, g.name): g | some g in object.get(input, ["rds", "parameter_groups"], [])}

# The parameter group names a store uses: an instance's list, a cluster's one group.
parameter_group_names(r) := r.parameter_groups if {
	is_array(r.parameter_groups)
} else := [r.parameter_group] if {
	is_string(r.parameter_group)
} else := []

is_default_group(name) if startswith(name, "default.")

# The major engine version as a number, undefined when unknown.
major_version(r) := to_number(m) if {
	is_string(r.engine_version)
	m := split(r.engine_version, ".")[0]
	regex.match(`^[0-9]+$`, m)
}
