# METADATA
# title: SLO review at J+7
# description: >-
#   At J+7 the team reviews the first week against the SLOs: error rate at most 2 % in
#   every 5-minute window, p95 latency within +/-15 % of the pre-cutover baseline. Metric
#   data is not in the snapshot: evidenced by an attestation linking the review
#   (dashboard export or notes).
# related_resources:
#   - https://sre.google/workbook/implementing-slos/
# custom:
#   id: OPS-003
#   phase: 7
#   severity: high
#   evidence: []
#   resource_type: attestation
#   gdpr: []
#   remediation: Add an OPS-003 entry to the attestations file linking the J+7 SLO review
#   attestation: true
package jalon.controls.ops_003

import rego.v1
