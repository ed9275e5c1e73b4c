# METADATA
# title: SLOs are declared and alarm thresholds match them
# description: >-
#   The service's SLOs (availability, error rate, p95 latency) are declared, and the
#   alarm thresholds (ALM-001, ALM-002) are derived from them. Evidenced by an
#   attestation linking the SLO document.
# related_resources:
#   - https://sre.google/sre-book/service-level-objectives/
# custom:
#   id: OPS-002
#   phase: 0
#   severity: medium
#   evidence: []
#   resource_type: attestation
#   gdpr: []
#   remediation: Add an OPS-002 entry to the attestations file linking the SLO document
#   attestation: true
package jalon.controls.ops_002

import rego.v1
