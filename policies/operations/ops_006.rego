# METADATA
# title: Post-mortem published by J+30
# description: >-
#   By J+30 the cutover post-mortem (what went well, what did not, follow-up actions with
#   owners) is published. Evidenced by an attestation linking it.
# related_resources:
#   - https://sre.google/sre-book/postmortem-culture/
# custom:
#   id: OPS-006
#   phase: 30
#   severity: low
#   evidence: []
#   resource_type: attestation
#   gdpr: []
#   remediation: Add an OPS-006 entry to the attestations file linking the published post-mortem
#   attestation: true
package jalon.controls.ops_006

import rego.v1
