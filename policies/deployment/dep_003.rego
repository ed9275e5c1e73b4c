# METADATA
# title: A kill switch exists and its rollback is tied to the error-rate alarm
# description: >-
#   A feature flag can turn the new code path off without a deployment, and its rollback
#   is wired to the error-rate alarm (ALM-001), e.g. an AppConfig deployment that monitors
#   the alarm. The account state cannot show this: the team attests it (who, when, a link
#   to the flag and to the alarm wiring, expiry) in the attestations file.
# related_resources:
#   - https://docs.aws.amazon.com/appconfig/latest/userguide/what-is-appconfig.html
# custom:
#   id: DEP-003
#   phase: 0
#   severity: high
#   evidence: []
#   resource_type: attestation
#   gdpr: []
#   remediation: Add a DEP-003 entry to the attestations file linking the flag and the alarm-driven rollback
#   attestation: true
package jalon.controls.dep_003

import rego.v1
