"""Several AWS accounts for jalon's multi-account collection (issue 22).

WHY: moto serves any number of accounts (an assumed role's `ASIA...` key is
mapped to the role's account), but it never refuses an AssumeRole (no role,
trust policy or ExternalId check) and cannot throttle. jalon's `collect --org` /
`--accounts` must be tested with accounts it cannot enter and accounts AWS
throttles.

This module holds:
  * `Accounts`: the state of `POST /_jalon/accounts` (AssumeRole refusals per
    target account, throttling per caller account), used by the middleware in
    jalon_moto.py, which writes the answers in each protocol.

See README.md, section "Several accounts".
"""

from __future__ import annotations

import re
import threading
from collections import Counter

ACCOUNT_RE = re.compile(r"^\d{12}$")
ROLE_ARN_RE = re.compile(r"^arn:(aws[a-z-]*):iam::(\d{12}):role/.+$")


def _is_account(value) -> bool:
    return isinstance(value, str) and bool(ACCOUNT_RE.match(value))


def _accounts_list(value, field: str) -> list:
    if not isinstance(value, list) or not all(_is_account(a) for a in value):
        raise ValueError(f'"{field}" must be a list of 12-digit account ids')
    return value


def caller_arn(account: str, access_key: str, region: str) -> str:
    """The caller as its own GetCallerIdentity names it (an assumed role's
    `arn:aws:sts::<account>:assumed-role/<role>/<session>`, moto's
    `arn:aws:sts::<account>:user/moto` for keys it does not know)."""
    from moto.sts.models import sts_backends

    return sts_backends[account]["aws"].get_caller_identity(access_key, region)[1]


# ====================================================================== /_jalon/accounts


class Accounts:
    """AssumeRole refusals and throttling, per account. Each `configure` replaces
    everything (and zeroes the counts of refusals and throttled answers)."""

    KEYS = {"assume_role_denied", "require_role", "external_ids", "throttled"}

    def __init__(self, normalise_service):
        self.normalise_service = normalise_service
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        self.denied: set[str] = set()
        self.require_role = False
        self.external_ids: dict[str, str] = {}
        self.throttled: dict[str, dict] = {}  # account -> {"services", "times", "remaining", "match"}
        self.throttled_answers: Counter = Counter()
        self.assume_role_refused: Counter = Counter()

    def configure(self, doc: dict) -> dict:
        unknown = set(doc) - self.KEYS
        if unknown:
            raise ValueError(f"unknown keys {sorted(unknown)}; expected {sorted(self.KEYS)}")
        denied = _accounts_list(doc.get("assume_role_denied", []), "assume_role_denied")
        require_role = doc.get("require_role", False)
        if not isinstance(require_role, bool):
            raise ValueError('"require_role" must be true or false')
        external_ids = doc.get("external_ids", {})
        if not isinstance(external_ids, dict) or not all(
            _is_account(k) and isinstance(v, str) for k, v in external_ids.items()
        ):
            raise ValueError('"external_ids" must map 12-digit account ids to strings')
        throttled = {}
        for account, spec in (doc.get("throttled") or {}).items():
            if not _is_account(account) or not isinstance(spec, dict) or set(spec) - {"services", "times"}:
                raise ValueError('"throttled" must map 12-digit account ids to {"services": [...], "times": N | null}')
            services = spec.get("services", ["*"])
            times = spec.get("times")
            if not isinstance(services, list) or not services or not all(isinstance(s, str) and s for s in services):
                raise ValueError(f'"throttled"."{account}"."services": a non-empty list of "*", services or "service:Operation"')
            if times is not None and (not isinstance(times, int) or isinstance(times, bool) or times < 0):
                raise ValueError(f'"throttled"."{account}"."times": a count >= 0, or null for always')
            match = set()
            for name in services:
                service, colon, operation = name.partition(":")
                match.add(f"{self.normalise_service(service)}:{operation}" if colon else self.normalise_service(name))
            throttled[account] = {"services": services, "times": times, "remaining": times, "match": match}
        with self.lock:
            self.clear()
            self.denied = set(denied)
            self.require_role = require_role
            self.external_ids = dict(external_ids)
            self.throttled = throttled
        return self.describe()

    def describe(self) -> dict:
        with self.lock:
            return {
                "assume_role_denied": sorted(self.denied),
                "require_role": self.require_role,
                "external_ids": dict(sorted(self.external_ids.items())),
                "throttled": {
                    account: {"services": spec["services"], "times": spec["times"], "remaining": spec["remaining"]}
                    for account, spec in sorted(self.throttled.items())
                },
                "throttled_answers": dict(sorted(self.throttled_answers.items())),
                "assume_role_refused": dict(sorted(self.assume_role_refused.items())),
            }

    def throttles(self, account: str, service: str, key: str) -> bool:
        """Whether this request of `account` (to `service`, `service:Operation` =
        key) is answered with a throttling error; counts it if so."""
        with self.lock:
            spec = self.throttled.get(account)
            if spec is None or not ({"*", service, key} & spec["match"]):
                return False
            if spec["remaining"] is not None:
                if spec["remaining"] <= 0:
                    return False
                spec["remaining"] -= 1
            self.throttled_answers[account] += 1
            return True

    def refuses_assume_role(self, role_arn: str, external_id: str | None) -> bool:
        """Whether AssumeRole of role_arn must be AccessDenied; counts it if so.
        A malformed ARN is left to moto."""
        match = ROLE_ARN_RE.match(role_arn or "")
        if not match:
            return False
        partition, account = match.groups()
        with self.lock:
            refused = account in self.denied
            expected = self.external_ids.get(account)
            refused = refused or (expected is not None and external_id != expected)
            require_role = self.require_role
        if not refused and require_role:
            from moto.iam.models import iam_backends

            try:
                iam_backends[account][partition].get_role_by_arn(role_arn)
            except Exception:  # NotFoundException
                refused = True
        if refused:
            with self.lock:
                self.assume_role_refused[account] += 1
        return refused
