# METADATA
# title: An erasure procedure exists and was tested
# description: >-
#   A documented procedure erases a data subject's personal data from the database, the
#   backups (or lets them expire within a stated time), the logs and the caches, and it
#   has been tested. Evidenced by an attestation linking the procedure and the test
#   record.
# related_resources:
#   - https://eur-lex.europa.eu/eli/reg/2016/679/oj
# custom:
#   id: GDP-006
#   phase: 30
#   severity: high
#   evidence: []
#   resource_type: attestation
#   gdpr: ["17"]
#   remediation: Add a GDP-006 entry to the attestations file linking the erasure procedure and its test record
#   attestation: true
package jalon.controls.gdp_006

import rego.v1
