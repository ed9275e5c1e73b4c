"""Several accounts: the /_jalon/accounts, /_jalon/organization and /_jalon/regions
controls, Organizations ListAccounts, Account Management ListRegions, and the
seeder's --account (README.md, "Several accounts").

    python -m pytest tests/emulator -q
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import boto3
import botocore.model
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.retries.standard import ExponentialBackoff

from jalon_cbor import decode_any
from test_jalon_moto import (  # noqa: F401 (fixtures)
    ACCOUNT,
    HERE,
    REGION,
    compare_with_emulator,
    emu,
    raw_cbor_call,
    server,
)

# aws-runtime 1.10.2 src/retries/classifiers.rs THROTTLING_ERRORS: the codes the
# Rust SDK retries as throttling (botocore's standard mode has the same list).
RUST_THROTTLING_ERRORS = {
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException",
    "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
    "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
    "EC2ThrottledException",
}  # fmt: skip

NO_RETRY = Config(retries={"total_max_attempts": 1})
PROD, STAGING, TESTING = "111111111111", "222222222222", "333333333333"


def role_arn(account, name="jalon-audit"):
    return f"arn:aws:iam::{account}:role/{name}"


def session(access_key="AKIAJALONTEST0000001", secret="x", token=None):
    return boto3.session.Session(
        aws_access_key_id=access_key, aws_secret_access_key=secret, aws_session_token=token, region_name=REGION
    )


def client(emu, service, account=None, config=NO_RETRY, cbor=False, credentials=None, sess=None):
    """A client signing with the tests' static key (account 123456789012), with
    `credentials` from an AssumeRole, or with moto's x-moto-account-id header
    naming `account`."""
    if sess is None and credentials:
        sess = session(credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"])
    elif sess is None:
        sess = session()
    original = botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS
    if cbor:  # as test_jalon_moto's Emulator.client: the Rust SDK's CloudWatch protocol
        botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = ("smithy-rpc-v2-cbor",) + tuple(
            p for p in original if p != "smithy-rpc-v2-cbor"
        )
    try:
        c = sess.client(service, endpoint_url=emu.endpoint, config=config)
    finally:
        botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = original
    if account:
        c.meta.events.register("before-sign", lambda request, **_: request.headers.__setitem__("x-moto-account-id", account))
    return c


def assume(emu, account, name="jalon-audit", **extra):
    return client(emu, "sts").assume_role(RoleArn=role_arn(account, name), RoleSessionName="jalon", **extra)["Credentials"]


def error_of(call, *args, **kwargs):
    with pytest.raises(ClientError) as err:
        call(*args, **kwargs)
    response = err.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"], response


def create_role(emu, account, name="jalon-audit"):
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "sts:AssumeRole"}]}
    client(emu, "iam", account).create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust))


def post(emu, path, doc):
    return emu.control("POST", path, doc)


def post_error(emu, path, doc):
    status, _, body = emu.request("POST", path, doc, {"Content-Type": "application/json"})
    return status, json.loads(body)


# ====================================================================== defaults


def test_every_control_is_off_by_default(emu):
    assert emu.control("GET", "/_jalon/accounts") == {
        "assume_role_denied": [],
        "require_role": False,
        "external_ids": {},
        "throttled": {},
        "throttled_answers": {},
        "assume_role_refused": {},
    }
    assert emu.control("GET", "/_jalon/organization") == {}
    assert emu.control("GET", "/_jalon/regions") == {}
    # moto's own behaviour: any role in any account, no role needed, no external id checked.
    for account in (PROD, STAGING):
        credentials = assume(emu, account, ExternalId="anything")
        identity = client(emu, "sts", credentials=credentials).get_caller_identity()
        assert identity["Account"] == account
        assert identity["Arn"] == f"arn:aws:sts::{account}:assumed-role/jalon-audit/jalon"
        assert client(emu, "logs", credentials=credentials).describe_log_groups()["logGroups"] == []
    assert error_of(client(emu, "organizations").list_accounts)[0] == "AWSOrganizationsNotInUseException"


# ====================================================================== AssumeRole


def test_assume_role_is_denied_per_target_account_in_aws_words(emu):
    assert post(emu, "/_jalon/accounts", {"assume_role_denied": [STAGING]})["assume_role_denied"] == [STAGING]
    sts = client(emu, "sts")
    code, status, response = error_of(sts.assume_role, RoleArn=role_arn(STAGING), RoleSessionName="jalon")
    assert (code, status) == ("AccessDenied", 403)
    caller = sts.get_caller_identity()["Arn"]
    assert response["Error"]["Message"] == (
        f"User: {caller} is not authorized to perform: sts:AssumeRole on resource: {role_arn(STAGING)}"
    )
    assert response["Error"]["Type"] == "Sender"
    assert response["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "text/xml"

    # Other accounts still answer; the message names an assumed-role caller too.
    prod = assume(emu, PROD)
    assert client(emu, "sts", credentials=prod).get_caller_identity()["Account"] == PROD
    chained = client(emu, "sts", credentials=prod)
    message = error_of(chained.assume_role, RoleArn=role_arn(STAGING, "x"), RoleSessionName="hop")[2]["Error"]["Message"]
    assert message.startswith(f"User: arn:aws:sts::{PROD}:assumed-role/jalon-audit/jalon is not authorized")

    state = emu.control("GET", "/_jalon/accounts")
    assert state["assume_role_refused"] == {STAGING: 2}
    assert emu.counts()["sts:AssumeRole"] == 3  # refused ones are counted

    post(emu, "/_jalon/accounts", {})
    assert assume(emu, STAGING)["AccessKeyId"].startswith("ASIA")


def test_require_role_needs_the_role_in_the_target_account(emu):
    post(emu, "/_jalon/accounts", {"require_role": True})
    sts = client(emu, "sts")
    assert error_of(sts.assume_role, RoleArn=role_arn(PROD), RoleSessionName="jalon")[:2] == ("AccessDenied", 403)
    create_role(emu, PROD)
    assert client(emu, "sts", credentials=assume(emu, PROD)).get_caller_identity()["Account"] == PROD
    # The same name in another account does not count, nor another name in this one.
    assert error_of(sts.assume_role, RoleArn=role_arn(STAGING), RoleSessionName="jalon")[0] == "AccessDenied"
    assert error_of(sts.assume_role, RoleArn=role_arn(PROD, "other"), RoleSessionName="jalon")[0] == "AccessDenied"
    assert emu.control("GET", "/_jalon/accounts")["assume_role_refused"] == {PROD: 2, STAGING: 1}

    post(emu, "/_jalon/accounts", {"require_role": False})
    assert assume(emu, STAGING)["AccessKeyId"].startswith("ASIA")


def test_external_id_must_match_for_its_account_only(emu):
    post(emu, "/_jalon/accounts", {"external_ids": {TESTING: "expected-id"}})
    sts = client(emu, "sts")
    for extra in ({}, {"ExternalId": "wrong-id"}):
        code, status, _ = error_of(sts.assume_role, RoleArn=role_arn(TESTING), RoleSessionName="jalon", **extra)
        assert (code, status) == ("AccessDenied", 403)
    assert assume(emu, TESTING, ExternalId="expected-id")["AccessKeyId"].startswith("ASIA")
    assert assume(emu, PROD)["AccessKeyId"].startswith("ASIA")  # no external id set for it
    assert emu.control("GET", "/_jalon/accounts")["assume_role_refused"] == {TESTING: 2}


def test_accounts_control_rejects_bad_bodies_and_is_cleared_by_reset(emu):
    for doc in (
        {"assume_role_denied": ["2222"]},
        {"require_role": "yes"},
        {"external_ids": {PROD: 7}},
        {"throttled": {PROD: {"services": []}}},
        {"throttled": {PROD: {"services": ["*"], "times": -1}}},
        {"throttled": {PROD: {"services": ["*"], "later": 1}}},
        {"deny": [PROD]},
    ):
        status, body = post_error(emu, "/_jalon/accounts", doc)
        assert status == 400 and body["error"], doc
    post(emu, "/_jalon/accounts", {"assume_role_denied": [PROD], "throttled": {PROD: {"services": ["*"]}}})
    emu.request("POST", "/moto-api/reset", body=b"")
    assert emu.control("GET", "/_jalon/accounts")["throttled"] == {}
    assert assume(emu, PROD)["AccessKeyId"].startswith("ASIA")


# ====================================================================== throttling


def throttled(call, *args, **kwargs):
    code, status, response = error_of(call, *args, **kwargs)
    assert code in RUST_THROTTLING_ERRORS, code
    return code, status, response


def test_throttling_answers_in_each_protocol_for_the_throttled_account_only(emu):
    post(emu, "/_jalon/accounts", {"throttled": {PROD: {"services": ["*"], "times": None}}})
    creds = assume(emu, PROD)  # the caller's account (123456789012) is not throttled

    def c(service, **kw):
        return client(emu, service, credentials=creds, **kw)

    # awsQuery: 400 Throttling, the XML AWS uses
    for service, operation in (("sts", "get_caller_identity"), ("rds", "describe_db_instances"), ("sns", "list_topics")):
        code, status, response = throttled(getattr(c(service), operation))
        assert (code, status, response["Error"]["Type"]) == ("Throttling", 400, "Sender")
        assert response["Error"]["Message"] == "Rate exceeded"
    # awsJson: 400 and the service's modelled throttling error
    assert throttled(c("logs").describe_log_groups)[:2] == ("ThrottlingException", 400)
    assert throttled(c("secretsmanager").list_secrets)[:2] == ("ThrottlingException", 400)
    assert throttled(c("organizations").list_accounts)[:2] == ("TooManyRequestsException", 400)
    # awsJson in query mode (CloudWatch): the query code, from x-amzn-query-error
    code, status, response = throttled(c("cloudwatch").describe_alarms)
    assert (code, status) == ("Throttling", 400)
    assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-query-error"] == "Throttling;Sender"
    # Smithy RPC v2 CBOR (the Rust SDK's CloudWatch)
    assert throttled(c("cloudwatch", cbor=True).describe_alarms)[:2] == ("Throttling", 400)
    # restJson: 429 and x-amzn-ErrorType
    for service, operation, expected in (
        ("lambda", "list_functions", "TooManyRequestsException"),
        ("xray", "get_sampling_rules", "ThrottledException"),
        ("account", "list_regions", "TooManyRequestsException"),
    ):
        code, status, response = throttled(getattr(c(service), operation))
        assert (code, status) == (expected, 429)
        assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"] == expected
    # restXml (S3): 503 SlowDown
    assert throttled(c("s3").list_buckets)[:2] == ("SlowDown", 503)

    # The caller's own account, and other accounts, are not throttled.
    assert client(emu, "lambda").list_functions()["Functions"] == []
    assert client(emu, "logs", STAGING).describe_log_groups()["logGroups"] == []
    answers = emu.control("GET", "/_jalon/accounts")["throttled_answers"]
    assert answers == {PROD: 12}


def test_throttling_cbor_wire_answer(emu):
    """The bytes the Rust CloudWatch client gets: a CBOR map with __type, and the
    query code in x-amzn-query-error (which the Rust client prefers)."""
    post(emu, "/_jalon/accounts", {"throttled": {ACCOUNT: {"services": ["cloudwatch"], "times": None}}})
    status, headers, payload = raw_cbor_call(emu, "DescribeAlarms", b"\xa0")
    assert (status, headers["Content-Type"], headers["smithy-protocol"]) == (400, "application/cbor", "rpc-v2-cbor")
    assert decode_any(payload) == {"__type": "ThrottlingException", "message": "Rate exceeded"}
    assert headers["x-amzn-query-error"] == "Throttling;Sender"
    # The signing name selects too (monitoring = cloudwatch); other services answer.
    assert client(emu, "logs").describe_log_groups()["logGroups"] == []


def test_s3_control_throttling_is_wrapped_as_its_clients_read_it(emu):
    post(emu, "/_jalon/accounts", {"throttled": {ACCOUNT: {"services": ["s3control"], "times": None}}})
    headers = {"Authorization": f"AWS4-HMAC-SHA256 Credential=AKIAJALONTEST0000001/20260101/{REGION}/s3/aws4_request, SignedHeaders=host, Signature=0"}
    status, _, body = emu.request("GET", "/v20180820/configuration/publicAccessBlock", headers=headers)
    assert status == 503
    assert b"<ErrorResponse><Error><Type>Sender</Type><Code>SlowDown</Code>" in body
    # S3 itself is not in the list: a bare <Error> would be its shape.
    assert client(emu, "s3").list_buckets()["Buckets"] == []


def test_times_throttles_the_first_matches_then_retries_recover(emu, monkeypatch):
    # The SDK's backoff is not under test: no sleeping between retries.
    monkeypatch.setattr(ExponentialBackoff, "delay_amount", lambda self, context: 0)
    post(emu, "/_jalon/accounts", {"throttled": {STAGING: {"services": ["lambda:ListFunctions", "logs"], "times": 2}}})
    retrying = Config(retries={"mode": "standard", "total_max_attempts": 3})
    lam = client(emu, "lambda", STAGING, config=retrying)
    assert lam.list_functions()["ResponseMetadata"]["RetryAttempts"] == 2
    state = emu.control("GET", "/_jalon/accounts")
    assert state["throttled_answers"] == {STAGING: 2}
    assert state["throttled"][STAGING] == {"services": ["lambda:ListFunctions", "logs"], "times": 2, "remaining": 0}
    # Used up: nothing else is throttled, whether it matched or not.
    assert client(emu, "logs", STAGING).describe_log_groups()["logGroups"] == []
    assert lam.list_functions()["ResponseMetadata"]["RetryAttempts"] == 0
    assert emu.counts()["lambda:ListFunctions"] == 4  # throttled answers are counted

    # An operation not listed is never throttled; a listed service is, whatever the operation.
    post(emu, "/_jalon/accounts", {"throttled": {STAGING: {"services": ["lambda:ListFunctions", "logs"], "times": 1}}})
    assert client(emu, "lambda", STAGING).list_layers()["Layers"] == []
    assert throttled(client(emu, "logs", STAGING).describe_metric_filters)[0] == "ThrottlingException"
    assert client(emu, "logs", STAGING).describe_log_groups()["logGroups"] == []


def test_request_counts_per_account(emu):
    emu.control("POST", "/_jalon/requests/reset")
    prod = assume(emu, PROD)
    for _ in range(3):
        client(emu, "lambda", credentials=prod).list_functions()
    client(emu, "logs", STAGING).describe_log_groups()
    client(emu, "logs").describe_log_groups()
    assert emu.control("GET", "/_jalon/requests/accounts") == {
        ACCOUNT: {"logs:DescribeLogGroups": 1, "sts:AssumeRole": 1},
        PROD: {"lambda:ListFunctions": 3},
        STAGING: {"logs:DescribeLogGroups": 1},
    }
    assert emu.counts() == {"lambda:ListFunctions": 3, "logs:DescribeLogGroups": 2, "sts:AssumeRole": 1}
    emu.control("POST", "/_jalon/requests/reset")
    assert emu.control("GET", "/_jalon/requests/accounts") == {}


# ====================================================================== Organization


def organization(emu, members=25, **extra):
    accounts = [{"id": f"{100000000001 + i:012d}", "name": f"member-{i:02d}"} for i in range(members)]
    accounts.append({"id": "555555555555", "name": "old", "state": "SUSPENDED"})
    doc = {"management": ACCOUNT, "accounts": accounts, **extra}
    return post(emu, "/_jalon/organization", doc), accounts


def all_accounts(org, **kwargs):
    pages, token = [], None
    while True:
        page = org.list_accounts(**kwargs, **({"NextToken": token} if token else {}))
        pages.append(page["Accounts"])
        token = page.get("NextToken")
        if not token:
            return pages


def test_organization_lists_exactly_the_accounts_given_in_pages_of_at_most_20(emu):
    state, accounts = organization(emu, members=25)
    assert state["management"] == ACCOUNT and state["organization_id"].startswith("o-")
    org = client(emu, "organizations")
    pages = all_accounts(org, MaxResults=20)
    assert [len(p) for p in pages] == [20, 7]
    listed = [a for page in pages for a in page]
    assert [a["Id"] for a in listed] == [ACCOUNT] + [a["id"] for a in accounts]  # the order given
    by_id = {a["Id"]: a for a in listed}
    assert (by_id["555555555555"]["State"], by_id["555555555555"]["Status"]) == ("SUSPENDED", "SUSPENDED")
    assert (by_id["100000000001"]["State"], by_id["100000000001"]["Status"], by_id["100000000001"]["Name"]) == (
        "ACTIVE", "ACTIVE", "member-00",
    )
    assert by_id[ACCOUNT]["Name"] == "management"
    assert by_id["100000000001"]["Arn"] == f"arn:aws:organizations::{ACCOUNT}:account/{state['organization_id']}/100000000001"
    # Without MaxResults: pages of 20 too. Above 20: refused, as AWS's model says.
    assert [len(p) for p in all_accounts(org)] == [20, 7]
    assert [len(p) for p in all_accounts(org, MaxResults=7)] == [7, 7, 7, 6]
    assert error_of(org.list_accounts, MaxResults=21)[0] == "InvalidInputException"
    assert error_of(org.list_accounts, NextToken="nope")[0] == "InvalidInputException"
    # boto3's paginator agrees
    assert len([a for p in org.get_paginator("list_accounts").paginate() for a in p["Accounts"]]) == 27


def test_organization_from_delegated_admin_member_and_outsider(emu):
    admin, member = "100000000002", "100000000003"
    organization(emu, members=4, delegated_admins=[admin])
    from_admin = [a["Id"] for page in all_accounts(client(emu, "organizations", admin)) for a in page]
    from_management = [a["Id"] for page in all_accounts(client(emu, "organizations")) for a in page]
    assert from_admin == from_management and len(from_admin) == 6
    code, _, response = error_of(client(emu, "organizations", member).list_accounts)
    assert code == "AccessDeniedException"
    assert error_of(client(emu, "organizations", "999999999999").list_accounts)[0] == "AWSOrganizationsNotInUseException"
    # Members see the organization; moto's delegated-administrator API lists the admin.
    assert client(emu, "organizations", member).describe_organization()["Organization"]["MasterAccountId"] == ACCOUNT
    admins = client(emu, "organizations").list_delegated_administrators()["DelegatedAdministrators"]
    assert [a["Id"] for a in admins] == [admin]
    # An assumed role in the admin account is the admin account.
    admin_creds = assume(emu, admin, "OrganizationAccountAccessRole")
    assert len(all_accounts(client(emu, "organizations", credentials=admin_creds))[0]) == 6


def test_organization_roles_for_require_role(emu):
    organization(emu, members=2, roles=["jalon-audit"])
    iam = client(emu, "iam", "100000000001")
    trust = iam.get_role(RoleName="jalon-audit")["Role"]["AssumeRolePolicyDocument"]
    assert trust["Statement"][0]["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    assert error_of(iam.get_role, RoleName="OrganizationAccountAccessRole")[0] == "NoSuchEntity"  # roles replaced the default
    # Not in suspended members, nor in the management account.
    assert error_of(client(emu, "iam", "555555555555").get_role, RoleName="jalon-audit")[0] == "NoSuchEntity"
    assert error_of(client(emu, "iam").get_role, RoleName="jalon-audit")[0] == "NoSuchEntity"

    post(emu, "/_jalon/accounts", {"require_role": True})
    assert assume(emu, "100000000002")["AccessKeyId"].startswith("ASIA")
    for account in ("555555555555", ACCOUNT):
        assert error_of(client(emu, "sts").assume_role, RoleArn=role_arn(account), RoleSessionName="jalon")[0] == "AccessDenied"

    # By default each active member gets OrganizationAccountAccessRole, as CreateAccount gives.
    organization(emu, members=1)
    assert client(emu, "iam", "100000000001").get_role(RoleName="OrganizationAccountAccessRole")["Role"]["Arn"] == (
        role_arn("100000000001", "OrganizationAccountAccessRole")
    )


def test_organization_is_replaced_by_each_post_and_cleared(emu):
    organization(emu, members=3)
    # Another management, fewer members: the old organization is gone.
    post(emu, "/_jalon/organization", {"management": "900000000000", "accounts": [{"id": "100000000001", "name": "prod"}]})
    assert error_of(client(emu, "organizations").list_accounts)[0] == "AWSOrganizationsNotInUseException"
    listed = client(emu, "organizations", "900000000000").list_accounts()["Accounts"]
    assert [(a["Id"], a["Name"]) for a in listed] == [("900000000000", "management"), ("100000000001", "prod")]
    assert error_of(client(emu, "organizations", "100000000003").describe_organization)[0] == "AWSOrganizationsNotInUseException"
    assert emu.control("GET", "/_jalon/organization")["accounts"][1]["id"] == "100000000001"

    assert post(emu, "/_jalon/organization", {}) == {}
    assert error_of(client(emu, "organizations", "900000000000").list_accounts)[0] == "AWSOrganizationsNotInUseException"

    organization(emu, members=2)
    emu.request("POST", "/moto-api/reset", body=b"")
    assert emu.control("GET", "/_jalon/organization") == {}
    # moto's reset forgot the organization but kept members mapped to it: now cleared too.
    assert error_of(client(emu, "organizations", "100000000001").describe_organization)[0] == "AWSOrganizationsNotInUseException"


def test_organization_control_rejects_bad_bodies(emu):
    for doc in (
        {"management": "123"},
        {"management": ACCOUNT, "accounts": [{"id": "1"}]},
        {"management": ACCOUNT, "accounts": [{"id": PROD, "state": "GONE"}]},
        {"management": ACCOUNT, "accounts": [{"id": PROD}, {"id": PROD}]},
        {"management": ACCOUNT, "accounts": [{"id": PROD}], "delegated_admins": [STAGING]},
        {"management": ACCOUNT, "accounts": [{"id": ACCOUNT, "state": "SUSPENDED"}]},
        {"management": ACCOUNT, "members": []},
    ):
        status, body = post_error(emu, "/_jalon/organization", doc)
        assert status == 400 and body["error"], doc


# ====================================================================== ListRegions


def regions(acct, **kwargs):
    found, token = [], None
    while True:
        page = acct.list_regions(**kwargs, **({"NextToken": token} if token else {}))
        found.extend((r["RegionName"], r["RegionOptStatus"]) for r in page["Regions"])
        token = page.get("NextToken")
        if not token:
            return found


def test_list_regions_defaults_filters_and_pages(emu):
    acct = client(emu, "account")
    first = acct.list_regions()
    assert len(first["Regions"]) == 20 and first["NextToken"]  # a page below the list: NextToken matters
    every = regions(acct)
    assert len(every) == 34 and [r for r, _ in every] == sorted(r for r, _ in every)
    by_default = {r for r, s in every if s == "ENABLED_BY_DEFAULT"}
    assert len(by_default) == 17 and {"eu-west-3", "us-east-1", "ap-northeast-3", "eu-north-1"} <= by_default
    assert {s for r, s in every if r not in by_default} == {"DISABLED"}
    assert {"eu-south-1", "af-south-1", "me-central-1", "ap-east-1"} <= {r for r, s in every if s == "DISABLED"}
    assert not any(r.startswith(("cn-", "us-gov-", "us-iso")) for r, _ in every)  # the commercial partition only
    assert regions(acct, MaxResults=7) == every
    assert regions(acct, RegionOptStatusContains=["ENABLED_BY_DEFAULT"], MaxResults=50) == [
        (r, "ENABLED_BY_DEFAULT") for r in sorted(by_default)
    ]
    assert emu.counts()["account:ListRegions"] > 5

    for kwargs in ({"MaxResults": 51}, {"NextToken": "x"}, {"RegionOptStatusContains": ["ON"]}):
        code, status, _ = error_of(acct.list_regions, **kwargs)
        assert (code, status) == ("ValidationException", 400), kwargs


def test_list_regions_per_account_opt_in_states(emu):
    assert post(emu, "/_jalon/regions", {PROD: {"eu-south-1": "ENABLED", "me-central-1": "ENABLING"}, "*": {"af-south-1": "ENABLED"}}) == {
        "*": {"af-south-1": "ENABLED"},
        PROD: {"eu-south-1": "ENABLED", "me-central-1": "ENABLING"},
    }
    enabled = ["ENABLED", "ENABLED_BY_DEFAULT"]
    # The caller's own account, from its credentials (an assumed role's key) or the header.
    prod = client(emu, "account", credentials=assume(emu, PROD))
    prod_enabled = {r for r, _ in regions(prod, RegionOptStatusContains=enabled)}
    staging_enabled = {r for r, _ in regions(client(emu, "account", STAGING), RegionOptStatusContains=enabled)}
    assert prod_enabled - staging_enabled == {"eu-south-1"}
    assert staging_enabled - prod_enabled == set() and "af-south-1" in staging_enabled and len(staging_enabled) == 18
    assert regions(prod, RegionOptStatusContains=["ENABLING", "DISABLING"]) == [("me-central-1", "ENABLING")]
    assert prod.get_region_opt_status(RegionName="eu-south-1")["RegionOptStatus"] == "ENABLED"
    assert prod.get_region_opt_status(RegionName="eu-west-3")["RegionOptStatus"] == "ENABLED_BY_DEFAULT"
    assert error_of(prod.get_region_opt_status, RegionName="mars-1")[0] == "ValidationException"

    # Each POST replaces the whole setting.
    post(emu, "/_jalon/regions", {STAGING: {"eu-south-2": "ENABLED"}})
    assert ("eu-south-1", "DISABLED") in regions(prod)
    for doc in ({PROD: {"eu-west-3": "DISABLED"}}, {PROD: {"eu-south-1": "ENABLED_BY_DEFAULT"}}, {PROD: {"mars-1": "ENABLED"}}, {"prod": {}}):
        status, body = post_error(emu, "/_jalon/regions", doc)
        assert status == 400 and body["error"], doc
    emu.request("POST", "/moto-api/reset", body=b"")
    assert emu.control("GET", "/_jalon/regions") == {}


def test_list_regions_of_another_account_needs_the_organization(emu):
    post(emu, "/_jalon/regions", {"100000000001": {"eu-south-1": "ENABLED"}})
    organization(emu, members=3, delegated_admins=["100000000002"])
    wanted = {"AccountId": "100000000001", "RegionOptStatusContains": ["ENABLED"]}
    assert regions(client(emu, "account"), **wanted) == [("eu-south-1", "ENABLED")]
    assert regions(client(emu, "account", "100000000002"), **wanted) == [("eu-south-1", "ENABLED")]
    code, status, response = error_of(client(emu, "account", "100000000003").list_regions, **wanted)
    assert (code, status) == ("AccessDeniedException", 403)
    assert "is not authorized to perform: account:ListRegions" in response["Error"]["Message"]
    assert error_of(client(emu, "account", "999999999999").list_regions, **wanted)[0] == "AccessDeniedException"


# ====================================================================== seed.py --account


class AccountView:
    """The emulator as seen with credentials assumed into one account, for
    test_jalon_moto's collect()."""

    def __init__(self, emu, account):
        self.emu = emu
        creds = assume(emu, account, "seed-reader")
        self.session = session(creds["AccessKeyId"], creds["SecretAccessKey"], creds["SessionToken"])
        self.clients = {}

    def client(self, service, cbor=False):
        if (service, cbor) not in self.clients:
            config = Config(retries={"max_attempts": 1})
            self.clients[service, cbor] = client(self.emu, service, config=config, cbor=cbor, sess=self.session)
        return self.clients[service, cbor]


def run_seed(emu, tmp_path, scenario, *accounts):
    args = [a for account in accounts for a in ("--account", account)]
    proc = subprocess.run(
        [sys.executable, os.path.join(HERE, "seed.py"), "--endpoint", emu.endpoint, "--region", REGION,
         "--scenario", scenario, "--manifest", str(tmp_path / "{account}.json"), *args],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return proc, {a: json.loads((tmp_path / f"{a}.json").read_text()) for a in accounts}


def arns(manifest):
    return {
        entry["arn"]
        for section in manifest.values() if isinstance(section, dict)
        for items in section.values() if isinstance(items, list)
        for entry in items if isinstance(entry, dict) and entry.get("arn")
    }  # fmt: skip


@pytest.mark.parametrize("scenario", ["demo", "small"])
def test_seeding_two_accounts_gives_disjoint_resources(emu, tmp_path, scenario):
    proc, manifests = run_seed(emu, tmp_path, scenario, PROD, STAGING)
    assert proc.stderr.count(f"seeded {scenario} into") == 2
    for account, manifest in manifests.items():
        assert (manifest["scenario"], manifest["account_id"]) == (scenario, account)
        # Every ARN that names an account names this one (S3 and API Gateway ARNs name none).
        assert {arn.split(":")[4] for arn in arns(manifest)} - {""} == {account}
        assert all(b["name"].endswith(f"-{account}") for b in manifest["s3"]["buckets"])
        compare_with_emulator(AccountView(emu, account), manifest)
    assert not arns(manifests[PROD]) & arns(manifests[STAGING])
    assert {f["name"] for f in manifests[PROD]["lambda"]["functions"]} == {f["name"] for f in manifests[STAGING]["lambda"]["functions"]}
    # Nothing landed in the default account.
    assert client(emu, "lambda").list_functions()["Functions"] == []
    assert client(emu, "logs").describe_log_groups()["logGroups"] == []
    assert client(emu, "cloudwatch").describe_alarms()["MetricAlarms"] == []
    assert client(emu, "s3").list_buckets()["Buckets"] == []


def test_small_scenario_gives_every_collector_something(emu, tmp_path):
    _, manifests = run_seed(emu, tmp_path, "small", TESTING)
    manifest = manifests[TESTING]
    for section, field in (
        ("lambda", "functions"), ("logs", "log_groups"), ("rds", "instances"), ("secretsmanager", "secrets"),
        ("cloudwatch", "metric_alarms"), ("sns", "topics"), ("sqs", "queues"), ("dynamodb", "tables"),
        ("elasticache", "serverless_caches"), ("s3", "buckets"), ("apigateway", "stages"),
        ("codedeploy", "deployment_groups"), ("appconfig", "environments"), ("cloudtrail", "trails"),
        ("kms", "keys"), ("xray", "sampling_rules"),
    ):  # fmt: skip
        assert manifest[section][field], f"{section}.{field}"
    # A day of the api function's traffic, in this account's CloudWatch.
    metrics = manifest["metrics"]
    assert metrics["functions"]["api"]["totals"] == {"requests": 28800, "errors": 29, "throttles": 0, "p95_ms": 150}
    stats = client(emu, "cloudwatch", TESTING).get_metric_statistics(
        Namespace="AWS/Lambda", MetricName="Invocations", Dimensions=[{"Name": "FunctionName", "Value": "api"}],
        StartTime=metrics["start"], EndTime=metrics["start"] + metrics["windows"] * 300, Period=86400, Statistics=["Sum"],
    )  # fmt: skip
    assert [p["Sum"] for p in stats["Datapoints"]] == [28800.0]
    assert client(emu, "cloudwatch").list_metrics()["Metrics"] == []  # not in the default account


def test_seed_refuses_several_accounts_into_one_manifest(emu, tmp_path):
    proc = subprocess.run(
        [sys.executable, os.path.join(HERE, "seed.py"), "--endpoint", emu.endpoint, "--scenario", "demo",
         "--manifest", str(tmp_path / "one.json"), "--account", PROD, "--account", STAGING],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 2 and "{account}" in proc.stderr
