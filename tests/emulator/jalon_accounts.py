"""Several AWS accounts for jalon's multi-account collection (issue 22).

WHY: moto serves any number of accounts (an assumed role's `ASIA...` key is
mapped to the role's account), but it never refuses an AssumeRole (no role,
trust policy or ExternalId check), cannot throttle, creates Organization
accounts with random ids, answers ListAccounts from a delegated administrator
with `[]` (AWS: the organization's accounts) and from an account outside any
organization with `[]` (AWS: AWSOrganizationsNotInUseException), and has no
Account Management ListRegions (HTTP 404). jalon's `collect --org` /
`--accounts` needs each of these to be tested.

This module holds:
  * `Accounts`: the state of `POST /_jalon/accounts` (AssumeRole refusals per
    target account, throttling per caller account), used by the middleware in
    jalon_moto.py, which writes the answers in each protocol;
  * `set_organization`: `POST /_jalon/organization`, an Organization with the
    account ids, names and states given, built on moto's own backend;
  * the ListAccounts patch (management, delegated administrator, member,
    outsider; MaxResults 1..20);
  * Account Management ListRegions and GetRegionOptStatus on moto's
    AccountResponse, with opt-in states set by `POST /_jalon/regions`.

See README.md, section "Several accounts".
"""

from __future__ import annotations

import datetime
import json
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


# ====================================================================== Organization

ACCOUNT_STATES = ("PENDING_ACTIVATION", "ACTIVE", "SUSPENDED", "PENDING_CLOSURE", "CLOSED")
# Account.Status is the retiring field; its enum is ACTIVE|SUSPENDED|PENDING_CLOSURE.
STATUS_OF_STATE = {
    "PENDING_ACTIVATION": "ACTIVE",
    "ACTIVE": "ACTIVE",
    "SUSPENDED": "SUSPENDED",
    "PENDING_CLOSURE": "PENDING_CLOSURE",
    "CLOSED": "SUSPENDED",
}

# Organizations' account list: JoinedTimestamp of the n-th account given is this + n s,
# so the listing order (by JoinedTimestamp, as moto sorts) is the order given.
JOINED_BASE = datetime.datetime(2024, 1, 1)
ORG_PAGE_MAX = 20  # ListAccounts MaxResults: 1..20 in the model

_org_lock = threading.Lock()
_org_management: str | None = None  # the management account the control set up


def _clear_organizations() -> None:
    """Every Organization moto holds, and the member -> management map, which
    moto's reset forgets (a member of a reset organization then fails
    DescribeOrganization with an AttributeError)."""
    from moto.organizations.models import organizations_backends

    global _org_management
    for by_partition in list(organizations_backends.values()):
        for backend in list(by_partition.values()):
            if backend.org is not None:
                backend._reset()
    organizations_backends.master_accounts.clear()
    _org_management = None


def _account_entry(entry, index: int) -> dict:
    if not isinstance(entry, dict) or not _is_account(entry.get("id")):
        raise ValueError(f'"accounts"[{index}]: expected {{"id": "12 digits", "name"?, "email"?, "state"?}}')
    unknown = set(entry) - {"id", "name", "email", "state", "status"}
    if unknown:
        raise ValueError(f'"accounts"[{index}]: unknown keys {sorted(unknown)}')
    state = entry.get("state", "ACTIVE")
    if state not in ACCOUNT_STATES:
        raise ValueError(f'"accounts"[{index}]."state" must be one of {", ".join(ACCOUNT_STATES)}')
    status = entry.get("status", STATUS_OF_STATE[state])
    if status not in ("ACTIVE", "SUSPENDED", "PENDING_CLOSURE"):
        raise ValueError(f'"accounts"[{index}]."status" must be ACTIVE, SUSPENDED or PENDING_CLOSURE')
    account_id = entry["id"]
    return {
        "id": account_id,
        "name": entry.get("name") or f"account-{account_id}",
        "email": entry.get("email") or f"aws+{account_id}@example.com",
        "state": state,
        "status": status,
    }


def _trust_management(management: str) -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{management}:root"}, "Action": "sts:AssumeRole"}
            ],
        }
    )


def set_organization(doc: dict) -> dict:
    """POST /_jalon/organization: replace every Organization by one with exactly
    these accounts. `{}` removes it."""
    unknown = set(doc) - {"management", "accounts", "delegated_admins", "roles"}
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    if not doc:
        with _org_lock:
            _clear_organizations()
        return {}
    management = doc.get("management")
    if not _is_account(management):
        raise ValueError('"management" must be a 12-digit account id')
    if not isinstance(doc.get("accounts", []), list):
        raise ValueError('"accounts" must be a list')
    entries = [_account_entry(e, i) for i, e in enumerate(doc.get("accounts", []))]
    ids = [e["id"] for e in entries]
    if len(set(ids)) != len(ids):
        raise ValueError('"accounts": an id is listed twice')
    given = {e["id"]: e for e in entries}
    manager = given.pop(management, None) or {
        "id": management, "name": "management", "email": f"aws+{management}@example.com", "state": "ACTIVE", "status": "ACTIVE"
    }
    if manager["state"] != "ACTIVE":
        raise ValueError('the management account is "ACTIVE"')
    members = [e for e in entries if e["id"] != management]
    admins = _accounts_list(doc.get("delegated_admins", []), "delegated_admins")
    if not set(admins) <= {m["id"] for m in members}:
        raise ValueError('"delegated_admins" must be member accounts listed in "accounts"')
    # As CreateAccount does on AWS (and in moto); [] for invited accounts without one.
    roles = doc.get("roles", ["OrganizationAccountAccessRole"])
    if not isinstance(roles, list) or not all(isinstance(r, str) and r for r in roles):
        raise ValueError('"roles" must be a list of role names')

    from moto.iam.exceptions import EntityAlreadyExists
    from moto.iam.models import iam_backends
    from moto.organizations import utils
    from moto.organizations.models import FakeAccount, FakeDelegatedAdministrator, organizations_backends

    global _org_management
    with _org_lock:
        _clear_organizations()
        backend = organizations_backends[management]["aws"]
        # CreateOrganization makes the management's FakeAccount, which first creates
        # OrganizationAccountAccessRole in a random account id: drop that account.
        before = set(iam_backends.keys())
        backend.create_organization(region="us-east-1", FeatureSet="ALL")
        for stray in set(iam_backends.keys()) - before - {management}:
            del iam_backends[stray]
        org = backend.org
        head = backend.accounts[0]
        head.name, head.email, head.create_time = manager["name"], manager["email"], JOINED_BASE
        for n, entry in enumerate(members, start=1):
            # Not FakeAccount(): it draws a random id and creates a role in it.
            account = FakeAccount.__new__(FakeAccount)
            account.__dict__.update(
                type="ACCOUNT",
                region=org.region,
                organization_id=org.id,
                master_account_id=management,
                create_account_status_id=utils.make_random_create_account_status_id(),
                id=entry["id"],
                name=entry["name"],
                email=entry["email"],
                create_time=JOINED_BASE + datetime.timedelta(seconds=n),
                status=entry["status"],
                state=entry["state"],
                joined_method="CREATED",
                parent_id=org.root_id,
                attached_policies=[],
                tags={},
            )
            backend.accounts.append(account)
            for policy_id in (utils.DEFAULT_SCP_POLICY_ID, utils.DEFAULT_RCP_POLICY_ID):
                backend.attach_policy(PolicyId=policy_id, TargetId=account.id)
            organizations_backends.master_accounts[account.id] = (management, "aws")
            if entry["state"] == "ACTIVE":
                iam = iam_backends[account.id]["aws"]
                for role in roles:
                    try:
                        iam.create_role(role, _trust_management(management), "/", None, "", [], "3600")
                    except EntityAlreadyExists:
                        pass  # from an earlier POST: IAM is not organization state
        for admin_id in admins:
            admin = FakeDelegatedAdministrator(backend.get_account_by_id(admin_id))
            # Any service's delegated administrator may list the accounts; Account
            # Management's is the one ListRegions(AccountId) needs.
            admin.services["account.amazonaws.com"] = {
                "ServicePrincipal": "account.amazonaws.com",
                "DelegationEnabledDate": (JOINED_BASE - datetime.datetime(1970, 1, 1)).total_seconds(),
            }
            backend.admins.append(admin)
        _org_management = management
    return describe_organization()


def describe_organization() -> dict:
    """GET /_jalon/organization: the organization the control set up, as moto now holds it."""
    from moto.organizations.models import organizations_backends

    with _org_lock:
        management = _org_management
        backend = organizations_backends[management]["aws"] if management else None
        if backend is None or backend.org is None:
            return {}
        return {
            "management": management,
            "organization_id": backend.org.id,
            "accounts": [
                {"id": a.id, "name": a.name, "email": a.email, "state": a.state, "status": a.status}
                for a in sorted(backend.accounts, key=lambda a: a.create_time)
            ],
            "delegated_admins": sorted(admin.account.id for admin in backend.admins),
        }


def _organization_of(account: str):
    """(the backend holding account's organization, is the account its
    management, is it a delegated administrator), or None outside any."""
    from moto.organizations.models import organizations_backends

    own = organizations_backends[account]["aws"]
    if own.org is not None:
        return own, True, False
    if account in organizations_backends.master_accounts:
        management, partition = organizations_backends.master_accounts[account]
        backend = organizations_backends[management][partition]
        if backend.org is not None:
            return backend, False, any(admin.account.id == account for admin in backend.admins)
    return None


def list_accounts(self):
    """OrganizationsResponse.list_accounts: moto answered [] to a delegated
    administrator (AWS: the organization's accounts), [] outside any organization
    (AWS: AWSOrganizationsNotInUseException) and the list to any member (AWS:
    AccessDeniedException); it did not check MaxResults (AWS: 1..20)."""
    from moto.organizations.exceptions import (
        AWSOrganizationsNotInUseException,
        InvalidInputException,
        OrganizationsClientError,
    )

    found = _organization_of(self.current_account)
    if found is None:
        raise AWSOrganizationsNotInUseException
    backend, is_management, is_admin = found
    if not (is_management or is_admin):
        raise OrganizationsClientError("AccessDeniedException", "You don't have permissions to access this resource.")
    max_results = self._get_param("MaxResults")
    if max_results is not None and not (isinstance(max_results, int) and 1 <= max_results <= ORG_PAGE_MAX):
        raise InvalidInputException(
            f"1 validation error detected: Value '{max_results}' at 'maxResults' failed to satisfy "
            f"constraint: Member must have value less than or equal to {ORG_PAGE_MAX}"
        )
    token = self._get_param("NextToken")
    accounts = [a.describe() for a in sorted(backend.accounts, key=lambda a: (a.create_time, a.id))]
    if token is not None and not (token.isdigit() and int(token) < len(accounts)):
        raise InvalidInputException("You specified an invalid value for nextToken.")
    start = int(token) if token else 0
    size = max_results or ORG_PAGE_MAX
    result = {"Accounts": accounts[start : start + size]}
    if start + size < len(accounts):
        result["NextToken"] = str(start + size)
    return json.dumps(result)


# ====================================================================== Account Management regions

REGION_STATUSES = ("ENABLED", "ENABLING", "DISABLING", "DISABLED", "ENABLED_BY_DEFAULT")

# Every commercial region launched before 20 March 2019 is enabled by default
# and cannot be disabled; every later one is opt-in (AWS's rule, fixed for good).
DEFAULT_REGIONS = frozenset(
    {
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
        "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1",
        "ap-southeast-2", "ap-south-1",
    }
)

REGIONS_PAGE_DEFAULT = 20  # not documented by AWS; below the 34 regions, so NextToken matters
REGIONS_PAGE_MAX = 50

_regions_lock = threading.Lock()
_region_overrides: dict[str, dict[str, str]] = {}  # account or "*" -> region -> status
_commercial_regions: list[str] = []


def commercial_regions() -> list[str]:
    """The `aws` partition's regions in botocore's endpoints data (34 in botocore 1.44.5)."""
    if not _commercial_regions:
        import botocore.session

        data = botocore.session.get_session().get_data("endpoints")
        (aws,) = [p for p in data["partitions"] if p["partition"] == "aws"]
        _commercial_regions.extend(sorted(aws["regions"]))
    return _commercial_regions


def set_regions(doc: dict) -> dict:
    """POST /_jalon/regions: {"<account>" | "*": {"<region>": "<status>"}}, replacing
    every earlier setting. Default regions can only be ENABLED_BY_DEFAULT."""
    known = set(commercial_regions())
    overrides = {}
    for account, regions in doc.items():
        if not (_is_account(account) or account == "*") or not isinstance(regions, dict):
            raise ValueError('expected {"<12-digit account id>" or "*": {"<region>": "<status>", ...}}')
        for region, status in regions.items():
            if region not in known:
                raise ValueError(f"{region!r} is not a commercial region")
            if status not in REGION_STATUSES:
                raise ValueError(f"{account}/{region}: status must be one of {', '.join(REGION_STATUSES)}")
            if (region in DEFAULT_REGIONS) != (status == "ENABLED_BY_DEFAULT"):
                raise ValueError(
                    f"{account}/{region}: only the regions enabled by default are ENABLED_BY_DEFAULT, and they cannot change"
                )
        overrides[account] = dict(regions)
    with _regions_lock:
        _region_overrides.clear()
        _region_overrides.update(overrides)
    return describe_regions()


def describe_regions() -> dict:
    with _regions_lock:
        return {account: dict(sorted(r.items())) for account, r in sorted(_region_overrides.items())}


def region_statuses(account: str) -> list[tuple[str, str]]:
    with _regions_lock:
        mine = dict(_region_overrides.get("*", {}))
        mine.update(_region_overrides.get(account, {}))
    return [
        (r, mine.get(r) or ("ENABLED_BY_DEFAULT" if r in DEFAULT_REGIONS else "DISABLED"))
        for r in commercial_regions()
    ]


def _rest_error(code: str, status: int, message: str, **extra):
    headers = {"status": status, "x-amzn-ErrorType": code, "Content-Type": "application/json"}
    return status, headers, json.dumps({"message": message, **extra})


def _validation(field: str, message: str):
    return _rest_error(
        "ValidationException",
        400,
        f"1 validation error detected: {message}",
        reason="fieldValidationFailed",
        fieldList=[{"name": field, "message": message}],
    )


def _target_account(self, body: dict):
    """The account ListRegions / GetRegionOptStatus answer for: the caller's own,
    or with AccountId a member of the organization the caller manages or is a
    delegated administrator of (the management account cannot name itself)."""
    caller = self.current_account
    target = body.get("AccountId")
    if target is None:
        return caller, None
    if not _is_account(target):
        return None, _validation("AccountId", f"Value '{target}' at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: \\d{{12}}")
    found = _organization_of(caller)
    if found is not None:
        backend, is_management, is_admin = found
        members = {a.id for a in backend.accounts} - {backend.org.master_account_id}
        if (is_management or is_admin) and target in members:
            return target, None
    message = (
        f"User: {caller_arn(caller, self.get_access_key(), self.region)} is not authorized to perform: "
        f"account:{self._get_action()} on resource: arn:aws:account::{caller}:account/{target}"
    )
    return None, _rest_error("AccessDeniedException", 403, message)


def list_regions(self):
    """Account Management ListRegions (POST /listRegions), on moto's AccountResponse."""
    body = json.loads(self.body or "{}")
    account, error = _target_account(self, body)
    if error:
        return error
    wanted = body.get("RegionOptStatusContains")
    if wanted is not None and (not isinstance(wanted, list) or not all(s in REGION_STATUSES for s in wanted)):
        return _validation(
            "RegionOptStatusContains",
            f"Value '{wanted}' at 'regionOptStatusContains' failed to satisfy constraint: Member must satisfy "
            f"constraint: [Member must satisfy enum value set: [{', '.join(REGION_STATUSES)}]]",
        )
    max_results = body.get("MaxResults")
    if max_results is not None and not (
        isinstance(max_results, int) and not isinstance(max_results, bool) and 1 <= max_results <= REGIONS_PAGE_MAX
    ):
        return _validation(
            "MaxResults",
            f"Value '{max_results}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and {REGIONS_PAGE_MAX}",
        )
    regions = [
        {"RegionName": name, "RegionOptStatus": status}
        for name, status in region_statuses(account)
        if not wanted or status in wanted
    ]
    token = body.get("NextToken")
    if token is not None and not (isinstance(token, str) and token.isdigit() and int(token) < len(regions)):
        return _validation("NextToken", f"Value '{token}' at 'nextToken' is not a valid token")
    start = int(token) if token else 0
    size = max_results or REGIONS_PAGE_DEFAULT
    result = {"Regions": regions[start : start + size]}
    if start + size < len(regions):
        result["NextToken"] = str(start + size)
    return 200, {"status": 200, "Content-Type": "application/json"}, json.dumps(result)


def get_region_opt_status(self):
    """Account Management GetRegionOptStatus (POST /getRegionOptStatus)."""
    body = json.loads(self.body or "{}")
    account, error = _target_account(self, body)
    if error:
        return error
    statuses = dict(region_statuses(account))
    name = body.get("RegionName")
    if name not in statuses:
        return _validation("RegionName", f"Value '{name}' at 'regionName' is not a commercial region")
    return 200, {"status": 200, "Content-Type": "application/json"}, json.dumps(
        {"RegionName": name, "RegionOptStatus": statuses[name]}
    )


# ====================================================================== reset, install


def reset() -> None:
    """After POST /moto-api/reset, which empties moto's backends but not
    organizations_backends.master_accounts, nor what this module keeps."""
    from moto.organizations.models import organizations_backends

    global _org_management
    with _org_lock:
        organizations_backends.master_accounts.clear()
        _org_management = None
    with _regions_lock:
        _region_overrides.clear()


def install() -> None:
    from moto.account import urls as account_urls
    from moto.account.responses import AccountResponse
    from moto.organizations.responses import OrganizationsResponse

    OrganizationsResponse.list_accounts = list_accounts
    AccountResponse.list_regions = list_regions
    AccountResponse.get_region_opt_status = get_region_opt_status
    account_urls.url_paths["{0}/listRegions$"] = AccountResponse.dispatch
    account_urls.url_paths["{0}/getRegionOptStatus$"] = AccountResponse.dispatch
