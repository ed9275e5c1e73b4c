# METADATA
# title: Cost reviewed against forecast at J+7
# description: >-
#   At J+7 the team compares the actual cost of the first week with the forecast and
#   records the outcome. Evidenced by an attestation linking the review.
# related_resources:
#   - https://docs.aws.amazon.com/cost-management/latest/userguide/ce-forecast.html
# custom:
#   id: OPS-004
#   phase: 7
#   severity: medium
#   evidence: []
#   resource_type: attestation
#   gdpr: []
#   remediation: Add an OPS-004 entry to the attestations file linking the cost review
#   attestation: true
package jalon.controls.ops_004

import rego.v1
