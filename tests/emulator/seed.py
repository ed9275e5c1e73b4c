#!/usr/bin/env python3
"""Seed a jalon-moto emulator over HTTP with boto3, and write a manifest.

    python tests/emulator/seed.py --endpoint http://127.0.0.1:PORT --region eu-west-3 \
        --scenario varied|demo|scale|small --manifest OUT.json \
        [--account ID ...] [--canary STRING] [--log-groups N] [--functions N] [--reset]

The manifest lists what was seeded with the field names of the snapshot
(src/snapshot/model.rs), per section, one entry per resource, so a test can
compare each field with the same field of the collected snapshot for the
resource with the same name. A field is present only when its expected value
is known exactly: what the seeder asked for, or an identifier the emulator
handed back (ARNs, UUIDs, secret ARNs). Time-dependent fields are left out.
Keys starting with "_" are helpers, not snapshot fields (e.g. `_endpoint`, the
unmasked SNS endpoint: the snapshot holds it masked). See README.md.

Deterministic: fixed names and settings, no randomness. Identifiers the
emulator generates (KMS key ids, ESM UUIDs, RDS secret names) differ between
runs and are taken from its answers.

--canary STRING: every secret value and every Lambda environment variable
value contains STRING (jalon must never write it anywhere).

--account ID (repeatable): seed that account (moto's `x-moto-account-id`
header on every request) instead of the one the credentials map to
(123456789012). S3 bucket names, global on AWS and in moto, then end with
`-ID`. With several accounts, --manifest names one file per account through
`{account}` (e.g. `out/{account}.json`).
"""

from __future__ import annotations

import argparse
import datetime
import functools
import io
import json
import sys
import time
import urllib.request
import zipfile
from concurrent.futures import ThreadPoolExecutor

import boto3
from botocore.config import Config

from jalon_metrics import nearest_rank

ACCESS_KEY = "AKIAJALONSEED0000001"
SECRET_KEY = "jalon-seed-secret"


def lambda_zip() -> bytes:
    """The same bytes every run (fixed timestamps)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("index.py", date_time=(2024, 1, 1, 0, 0, 0))
        zf.writestr(info, "def handler(event, context):\n    return {'ok': True}\n")
    return buf.getvalue()


def tag_list(tags: dict) -> list:
    return [{"Key": k, "Value": v} for k, v in tags.items()]


# jalon reads metric windows that closed at least this long ago (src/collect/metrics.rs).
INGESTION_DELAY_SECONDS = 180


@functools.lru_cache(maxsize=65536)  # a month of windows repeats the same few
def latency_samples(p95: float, n: int) -> tuple[tuple, tuple]:
    """n latency samples as (values, counts) whose nearest-rank p95 is exactly p95:
    with r = ceil(0.95 * n), r - 1 samples at half of p95, one at p95 (the r-th
    smallest) and the other n - r just above it (5 % more), as a real tail sits: a
    few slow windows then move a week's p95 a little, not to their own level."""
    rank = (95 * n + 99) // 100
    pairs = [(value, count) for value, count in ((p95 / 2, rank - 1), (p95, 1), (p95 * 1.05, n - rank)) if count]
    return tuple(v for v, _ in pairs), tuple(c for _, c in pairs)


def epoch_seconds(at) -> int:
    return int(at.timestamp() if isinstance(at, datetime.datetime) else at)


def per_window(value, windows: int) -> list:
    """A number for every window, or a callable of the window index."""
    return [value(i) for i in range(windows)] if callable(value) else [value] * windows


class Clients:
    """boto3 clients, shareable by the Seeders of one run, one account after the
    other: building the ~17 clients takes longer than seeding a small account.
    Requests go to `account` (moto's x-moto-account-id header), None: the account
    the credentials map to."""

    def __init__(self, endpoint: str, region: str):
        self.endpoint = endpoint.rstrip("/")
        self.region = region
        self.account: str | None = None
        self.session = boto3.session.Session(
            aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY, region_name=region
        )
        self.config = Config(retries={"max_attempts": 2, "mode": "standard"}, max_pool_connections=32)
        self._clients = {}

    def get(self, service: str):
        if service not in self._clients:
            client = self.session.client(service, endpoint_url=self.endpoint, config=self.config)
            client.meta.events.register("before-sign", self._to_account)
            self._clients[service] = client
        return self._clients[service]

    def _to_account(self, request, **_):
        if self.account:
            # moto serves a request from the account this header names (before the key's).
            request.headers["x-moto-account-id"] = self.account


class Seeder:
    def __init__(
        self,
        endpoint: str,
        region: str,
        canary: str | None,
        workers: int = 8,
        account: str | None = None,
        clients: Clients | None = None,
    ):
        self.endpoint = endpoint.rstrip("/")
        self.region = region
        self.canary = canary
        self.workers = workers
        self.account = account  # None: the account the credentials map to
        self.clients = clients or Clients(endpoint, region)
        assert (self.clients.endpoint, self.clients.region) == (self.endpoint, region)
        self.clients.account = account
        self.account_id = self.client("sts").get_caller_identity()["Account"]
        assert account in (None, self.account_id), f"seeding {account}, the emulator answers for {self.account_id}"
        self.code = lambda_zip()
        self._codedeploy_apps = set()
        self._appconfig_apps = {}
        self.manifest = {
            "account_id": self.account_id,
            "region": region,
            "canary": canary,
            "lambda": {"functions": [], "event_source_mappings": []},
            "logs": {"log_groups": []},
            "rds": {"instances": [], "clusters": [], "parameter_groups": []},
            "secretsmanager": {"secrets": []},
            "cloudwatch": {"metric_alarms": [], "composite_alarms": []},
            "sns": {"topics": [], "subscriptions": []},
            "sqs": {"queues": []},
            "dynamodb": {"tables": []},
            "elasticache": {"replication_groups": [], "serverless_caches": []},
            "s3": {"account_public_access_block": None, "buckets": []},
            "apigateway": {"stages": [], "integrations": []},
            "codedeploy": {"deployment_groups": []},
            "appconfig": {"environments": []},
            "cloudtrail": {"trails": []},
            "kms": {"keys": []},
            "xray": {"sampling_rules": [], "encryption_configs": [], "groups": []},
        }
        self._functions = {}  # name -> manifest entry, to add aliases/permissions later
        self.role = None  # the Lambda execution role, created on first use

    # ------------------------------------------------------------ helpers

    def client(self, service: str):
        return self.clients.get(service)

    def bucket_name(self, name: str) -> str:
        """Bucket names are global: seeding a chosen account suffixes its id."""
        if self.account and not name.endswith(f"-{self.account_id}"):
            return f"{name}-{self.account_id}"
        return name

    def arn(self, service: str, resource: str) -> str:
        return f"arn:aws:{service}:{self.region}:{self.account_id}:{resource}"

    def secret_text(self, text: str) -> str:
        return f"{text}-{self.canary}" if self.canary else text

    def parallel(self, fn, items):
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            return list(pool.map(fn, items))

    def record_aws_managed_keys(self):
        """Keys AWS creates on first use (`alias/aws/rds` behind an encrypted database):
        side effects of seeding the other services, read back so the manifest lists
        every key the collector will find."""
        kms = self.client("kms")
        known = {k["key_id"] for k in self.manifest["kms"]["keys"]}
        aliases = {}
        for a in kms.list_aliases()["Aliases"]:
            if a.get("TargetKeyId"):
                aliases.setdefault(a["TargetKeyId"], []).append(a["AliasName"])
        for k in kms.list_keys()["Keys"]:
            if k["KeyId"] in known:
                continue
            meta = kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]
            assert meta["KeyManager"] == "AWS", f"an unseeded customer key: {meta}"
            self.manifest["kms"]["keys"].append(
                {
                    "arn": meta["Arn"],
                    "key_id": meta["KeyId"],
                    "region": self.region,
                    "key_manager": "AWS",
                    "key_state": meta["KeyState"],
                    "key_spec": meta.get("KeySpec", "SYMMETRIC_DEFAULT"),
                    "origin": meta.get("Origin", "AWS_KMS"),
                    "rotation_enabled": None,
                    "aliases": sorted(aliases.get(meta["KeyId"], [])),
                }
            )

    def finish(self) -> dict:
        self.record_aws_managed_keys()
        def sort_key(entry):
            for key in ("name", "identifier", "_key", "uuid", "region"):
                if entry.get(key):
                    return entry[key]
            return ""

        for section in self.manifest.values():
            if isinstance(section, dict):
                for key, items in section.items():
                    if isinstance(items, list) and items and isinstance(items[0], dict):
                        items.sort(key=sort_key)
        return self.manifest

    # ------------------------------------------------------------ KMS, IAM, SQS

    def kms_key(self, alias: str, description: str, rotate: bool = False) -> str:
        kms = self.client("kms")
        key = kms.create_key(Description=description, Tags=[{"TagKey": "env", "TagValue": "prod"}])
        key_id = key["KeyMetadata"]["KeyId"]
        kms.create_alias(AliasName=f"alias/{alias}", TargetKeyId=key_id)
        if rotate:
            kms.enable_key_rotation(KeyId=key_id)
        self.manifest["kms"]["keys"].append(
            {
                "arn": key["KeyMetadata"]["Arn"],
                "key_id": key_id,
                "region": self.region,
                "key_manager": "CUSTOMER",
                "key_state": "Enabled",
                "key_spec": "SYMMETRIC_DEFAULT",
                "origin": "AWS_KMS",
                "rotation_enabled": rotate,
                "aliases": [f"alias/{alias}"],
            }
        )
        return key["KeyMetadata"]["Arn"]

    def lambda_role(self) -> str:
        trust = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        }
        iam = self.client("iam")
        try:
            role = iam.create_role(
                RoleName="jalon-lambda-exec", AssumeRolePolicyDocument=json.dumps(trust)
            )
        except iam.exceptions.EntityAlreadyExistsException:
            # IAM is global: a second region seeded into the same account reuses it.
            role = iam.get_role(RoleName="jalon-lambda-exec")
        self.role = role["Role"]["Arn"]
        return self.role

    def queue(
        self,
        name: str,
        kms_key=None,
        sqs_managed_sse=True,
        visibility=30,
        retention=345600,
        redrive_to=None,
        max_receive=None,
        tags=None,
    ) -> str:
        sqs = self.client("sqs")
        attributes = {
            "VisibilityTimeout": str(visibility),
            "MessageRetentionPeriod": str(retention),
            "SqsManagedSseEnabled": "true" if sqs_managed_sse and not kms_key else "false",
        }
        if kms_key:
            attributes["KmsMasterKeyId"] = kms_key
        if redrive_to:
            policy = {"deadLetterTargetArn": redrive_to}
            if max_receive is not None:
                policy["maxReceiveCount"] = max_receive
            attributes["RedrivePolicy"] = json.dumps(policy)
        args = {"QueueName": name, "Attributes": attributes}
        if tags:
            args["tags"] = tags
        url = sqs.create_queue(**args)["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        self.manifest["sqs"]["queues"].append(
            {
                "arn": arn,
                "name": name,
                "region": self.region,
                "fifo": name.endswith(".fifo"),
                "visibility_timeout_seconds": visibility,
                "message_retention_seconds": retention,
                "kms_master_key_id": kms_key,
                "sqs_managed_sse": bool(sqs_managed_sse and not kms_key),
                "redrive": (
                    {"dead_letter_target_arn": redrive_to, "max_receive_count": max_receive}
                    if redrive_to
                    else None
                ),
                "tags": tags or {},
            }
        )
        return arn

    # ------------------------------------------------------------ DynamoDB

    def table(self, name, kms_key=None, aws_managed_key=False, pitr=True, protected=True, ttl=None, replicas=(), tags=None):
        """A table; `kms_key` a customer key, `aws_managed_key` the aws/dynamodb key,
        neither the AWS owned key (no SSE description)."""
        ddb = self.client("dynamodb")
        args = {
            "TableName": name,
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST",
            "DeletionProtectionEnabled": protected,
        }
        if kms_key or aws_managed_key:
            args["SSESpecification"] = {"Enabled": True, "SSEType": "KMS"}
            if kms_key:
                args["SSESpecification"]["KMSMasterKeyId"] = kms_key
        if replicas:
            # Global tables (2019.11.21) need a stream of new and old images.
            args["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
        if tags:
            args["Tags"] = tag_list(tags)
        created = ddb.create_table(**args)["TableDescription"]
        if pitr:
            ddb.update_continuous_backups(
                TableName=name, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
            )
        if ttl:
            ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl})
        for region in replicas:
            ddb.update_table(TableName=name, ReplicaUpdates=[{"Create": {"RegionName": region}}])
        self.manifest["dynamodb"]["tables"].append(
            {
                "arn": created["TableArn"],
                "name": name,
                "region": self.region,
                "status": "ACTIVE",
                "kms_key_arn": created.get("SSEDescription", {}).get("KMSMasterKeyArn"),
                "point_in_time_recovery": pitr,
                "deletion_protection": protected,
                "ttl_attribute": ttl,
                "replica_regions": sorted(replicas),
                "tags": tags or {},
            }
        )
        return created["TableArn"]

    # ------------------------------------------------------------ ElastiCache

    def replication_group(
        self,
        name,
        engine="valkey",
        at_rest=True,
        transit="required",
        auth_token=None,
        user_groups=(),
        failover=True,
        snapshots=1,
        tags=None,
    ):
        """A replication group; `transit` is the transit encryption mode, None for off."""
        args = {
            "ReplicationGroupId": name,
            "ReplicationGroupDescription": f"{name} cache",
            "Engine": engine,
            "NumCacheClusters": 2 if failover else 1,
            "AutomaticFailoverEnabled": failover,
            "MultiAZEnabled": failover,
            "AtRestEncryptionEnabled": at_rest,
            "TransitEncryptionEnabled": transit is not None,
            "SnapshotRetentionLimit": snapshots,
        }
        if transit:
            args["TransitEncryptionMode"] = transit
        if auth_token:
            args["AuthToken"] = auth_token
        if user_groups:
            args["UserGroupIds"] = list(user_groups)
        if tags:
            args["Tags"] = tag_list(tags)
        group = self.client("elasticache").create_replication_group(**args)["ReplicationGroup"]
        self.manifest["elasticache"]["replication_groups"].append(
            {
                "arn": group["ARN"],
                "name": name,
                "region": self.region,
                "engine": engine,
                "status": "available",
                "at_rest_encryption": at_rest,
                "kms_key_id": None,
                "transit_encryption": transit is not None,
                "transit_encryption_mode": transit,
                "auth_token_enabled": bool(auth_token),
                "user_group_ids": sorted(user_groups),
                "automatic_failover": "enabled" if failover else "disabled",
                "multi_az": "enabled" if failover else "disabled",
                "snapshot_retention_days": snapshots,
                "tags": tags or {},
            }
        )
        return group["ARN"]

    def serverless_cache(self, name, engine="valkey", kms_key=None, user_group=None, snapshots=0, tags=None):
        args = {"ServerlessCacheName": name, "Engine": engine, "SnapshotRetentionLimit": snapshots}
        if kms_key:
            args["KmsKeyId"] = kms_key
        if user_group:
            args["UserGroupId"] = user_group
        if tags:
            args["Tags"] = tag_list(tags)
        cache = self.client("elasticache").create_serverless_cache(**args)["ServerlessCache"]
        self.manifest["elasticache"]["serverless_caches"].append(
            {
                "arn": cache["ARN"],
                "name": name,
                "region": self.region,
                "engine": engine,
                "status": "available",
                "kms_key_id": kms_key,
                "user_group_id": user_group,
                "snapshot_retention_days": snapshots,
                "tags": tags or {},
            }
        )
        return cache["ARN"]

    # ------------------------------------------------------------ S3

    def account_public_access_block(self, on: bool):
        """The account-wide Block Public Access, through S3 Control. botocore puts the
        account id in the host name (`123456789012.127.0.0.1`), which does not resolve:
        the request is sent to the endpoint as given (moto does not check signatures)."""
        control = self.client("s3control")

        def to_endpoint(request, **_):
            request.url = request.url.replace(f"//{self.account_id}.", "//", 1)

        control.meta.events.register("before-send.s3-control.*", to_endpoint)
        settings = {
            "BlockPublicAcls": on,
            "IgnorePublicAcls": on,
            "BlockPublicPolicy": on,
            "RestrictPublicBuckets": on,
        }
        control.put_public_access_block(AccountId=self.account_id, PublicAccessBlockConfiguration=settings)
        self.manifest["s3"]["account_public_access_block"] = {
            "block_public_acls": on,
            "ignore_public_acls": on,
            "block_public_policy": on,
            "restrict_public_buckets": on,
        }

    def bucket(
        self,
        name,
        block=True,
        kms_key=None,
        tls_only=False,
        versioning=None,
        expire_days=None,
        expire_prefix="",
        noncurrent_days=None,
        lock_days=None,
        tags=None,
    ):
        """A bucket in this region; `block` all four Block Public Access settings (else
        none), `expire_days` one lifecycle rule (on `expire_prefix` when given).
        `name` goes through bucket_name()."""
        name = self.bucket_name(name)
        s3 = self.client("s3")
        s3.create_bucket(
            Bucket=name,
            CreateBucketConfiguration={"LocationConstraint": self.region},
            ObjectLockEnabledForBucket=lock_days is not None,
        )
        arn = f"arn:aws:s3:::{name}"
        if block:
            s3.put_public_access_block(
                Bucket=name,
                PublicAccessBlockConfiguration={
                    "BlockPublicAcls": True,
                    "IgnorePublicAcls": True,
                    "BlockPublicPolicy": True,
                    "RestrictPublicBuckets": True,
                },
            )
        if kms_key:
            s3.put_bucket_encryption(
                Bucket=name,
                ServerSideEncryptionConfiguration={
                    "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": kms_key}}]
                },
            )
        statements = [
            {"Sid": "ReadOnlyAudit", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{self.account_id}:root"},
             "Action": "s3:GetObject", "Resource": f"{arn}/*"}
        ]
        if tls_only:
            statements.append(
                {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": [arn, f"{arn}/*"],
                 "Condition": {"Bool": {"aws:SecureTransport": "false"}}}
            )
        s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": statements}))
        if versioning and lock_days is None:
            s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": versioning})
        rules = []
        if expire_days:
            rule = {"ID": "expire", "Status": "Enabled", "Filter": {"Prefix": expire_prefix}, "Expiration": {"Days": expire_days}}
            if noncurrent_days:
                rule["NoncurrentVersionExpiration"] = {"NoncurrentDays": noncurrent_days}
            rules.append(rule)
            s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": rules})
        if lock_days is not None:
            s3.put_object_lock_configuration(
                Bucket=name,
                ObjectLockConfiguration={
                    "ObjectLockEnabled": "Enabled",
                    "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": lock_days}},
                },
            )
        if tags:
            s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": tag_list(tags)})
        all_on = {"block_public_acls": block, "ignore_public_acls": block, "block_public_policy": block, "restrict_public_buckets": block}
        self.manifest["s3"]["buckets"].append(
            {
                "arn": arn,
                "name": name,
                "region": self.region,
                "public_access_block": all_on,
                "encryption": "aws:kms" if kms_key else "AES256",
                "kms_key_id": kms_key,
                "tls_only": tls_only,
                # Object lock turns versioning on.
                "versioning": "Enabled" if lock_days is not None else (versioning or "Disabled"),
                "object_lock": lock_days is not None,
                "object_lock_days": lock_days,
                "lifecycle_rules": [
                    {
                        "id": "expire",
                        "enabled": True,
                        "applies_to": f"prefix {expire_prefix}" if expire_prefix else "",
                        "expiration_days": expire_days,
                        "expiration_date": None,
                        "noncurrent_expiration_days": noncurrent_days,
                    }
                ]
                if expire_days
                else [],
                "tags": tags or {},
            }
        )
        return arn

    # ------------------------------------------------------------ API Gateway

    def rest_api(self, name, routes, stage="prod", access_log=None, tracing=False, throttle=None, tags=None, stage_tags=None):
        """A REST API; `routes` [(path, verb, function name, timeout ms or None)] as
        Lambda proxy integrations; one stage, set up as asked."""
        ag = self.client("apigateway")
        api = ag.create_rest_api(name=name, tags=tags or {})
        api_id = api["id"]
        api_arn = f"arn:aws:apigateway:{self.region}::/restapis/{api_id}"
        root = [r for r in ag.get_resources(restApiId=api_id)["items"] if r["path"] == "/"][0]["id"]
        for path, verb, function, timeout in routes:
            resource = ag.create_resource(restApiId=api_id, parentId=root, pathPart=path)["id"]
            ag.put_method(restApiId=api_id, resourceId=resource, httpMethod=verb, authorizationType="NONE")
            target = self._functions[function]["arn"]
            args = {
                "restApiId": api_id,
                "resourceId": resource,
                "httpMethod": verb,
                "type": "AWS_PROXY",
                "integrationHttpMethod": "POST",
                "uri": f"arn:aws:apigateway:{self.region}:lambda:path/2015-03-31/functions/{target}/invocations",
            }
            if timeout:
                args["timeoutInMillis"] = timeout
            ag.put_integration(**args)
            self.manifest["apigateway"]["integrations"].append(
                {
                    "arn": f"{api_arn}/resources/{resource}/methods/{verb}",
                    "region": self.region,
                    "api_id": api_id,
                    "api_name": name,
                    "api_type": "REST",
                    "function_arn": target,
                    "qualifier": None,
                    "timeout_ms": timeout or 29000,
                }
            )
        deployment = ag.create_deployment(restApiId=api_id)["id"]
        ag.create_stage(restApiId=api_id, stageName=stage, deploymentId=deployment, tags=stage_tags or {})
        patches = []
        if access_log:
            patches += [
                {"op": "replace", "path": "/accessLogSettings/destinationArn", "value": access_log},
                {"op": "replace", "path": "/accessLogSettings/format", "value": "$context.requestId"},
            ]
        if tracing:
            patches.append({"op": "replace", "path": "/tracingEnabled", "value": "true"})
        if throttle:
            patches += [
                {"op": "replace", "path": "/*/*/throttling/rateLimit", "value": str(throttle[0])},
                {"op": "replace", "path": "/*/*/throttling/burstLimit", "value": str(throttle[1])},
            ]
        if patches:
            ag.update_stage(restApiId=api_id, stageName=stage, patchOperations=patches)
        self.manifest["apigateway"]["stages"].append(
            {
                "arn": f"{api_arn}/stages/{stage}",
                "name": f"{name}/{stage}",
                "region": self.region,
                "api_id": api_id,
                "api_type": "REST",
                "access_log_destination": access_log,
                "tracing": tracing,
                "throttling_rate_limit": float(throttle[0]) if throttle else None,
                "throttling_burst_limit": throttle[1] if throttle else None,
                "tags": {**(tags or {}), **(stage_tags or {})},
            }
        )
        return api_id

    def http_api(self, name, routes, access_log=None, throttle=None, tags=None):
        """An HTTP API; `routes` [(route key, function name, timeout ms or None)]; its
        `$default` stage, set up at creation (moto cannot update an HTTP API stage)."""
        v2 = self.client("apigatewayv2")
        api_id = v2.create_api(Name=name, ProtocolType="HTTP", Tags=tags or {})["ApiId"]
        api_arn = f"arn:aws:apigateway:{self.region}::/apis/{api_id}"
        for route, function, timeout in routes:
            target = self._functions[function]["arn"]
            args = {"ApiId": api_id, "IntegrationType": "AWS_PROXY", "IntegrationUri": target, "PayloadFormatVersion": "2.0"}
            if timeout:
                args["TimeoutInMillis"] = timeout
            integration = v2.create_integration(**args)["IntegrationId"]
            v2.create_route(ApiId=api_id, RouteKey=route, Target=f"integrations/{integration}")
            self.manifest["apigateway"]["integrations"].append(
                {
                    "arn": f"{api_arn}/integrations/{integration}",
                    "region": self.region,
                    "api_id": api_id,
                    "api_name": name,
                    "api_type": "HTTP",
                    "function_arn": target,
                    "qualifier": None,
                    "timeout_ms": timeout or 30000,
                }
            )
        stage = {"ApiId": api_id, "StageName": "$default", "AutoDeploy": True}
        if access_log:
            stage["AccessLogSettings"] = {"DestinationArn": access_log, "Format": "$context.requestId"}
        if throttle:
            stage["DefaultRouteSettings"] = {"ThrottlingRateLimit": float(throttle[0]), "ThrottlingBurstLimit": throttle[1]}
        v2.create_stage(**stage)
        self.manifest["apigateway"]["stages"].append(
            {
                "arn": f"{api_arn}/stages/$default",
                "name": f"{name}/$default",
                "region": self.region,
                "api_id": api_id,
                "api_type": "HTTP",
                "access_log_destination": access_log,
                "tracing": False,
                "throttling_rate_limit": float(throttle[0]) if throttle else None,
                "throttling_burst_limit": throttle[1] if throttle else None,
                "tags": tags or {},
            }
        )
        return api_id

    # ------------------------------------------------------------ CodeDeploy

    def deployment_group(self, app, group, alarms=(), alarms_enabled=True, rollback_on_alarm=True, tags=None):
        """A deployment group of a Lambda application (created on first use)."""
        cd = self.client("codedeploy")
        if app not in self._codedeploy_apps:
            cd.create_application(applicationName=app, computePlatform="Lambda")
            self._codedeploy_apps.add(app)
        events = ["DEPLOYMENT_FAILURE"] + (["DEPLOYMENT_STOP_ON_ALARM"] if rollback_on_alarm else [])
        cd.create_deployment_group(
            applicationName=app,
            deploymentGroupName=group,
            serviceRoleArn=f"arn:aws:iam::{self.account_id}:role/codedeploy",
            deploymentConfigName="CodeDeployDefault.LambdaCanary10Percent5Minutes",
            deploymentStyle={"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
            alarmConfiguration={"enabled": alarms_enabled, "alarms": [{"name": a} for a in alarms]},
            autoRollbackConfiguration={"enabled": True, "events": events},
            tags=tag_list(tags or {}),
        )
        self.manifest["codedeploy"]["deployment_groups"].append(
            {
                "arn": f"arn:aws:codedeploy:{self.region}:{self.account_id}:deploymentgroup:{app}/{group}",
                "name": f"{app}/{group}",
                "region": self.region,
                "application": app,
                "deployment_config": "CodeDeployDefault.LambdaCanary10Percent5Minutes",
                "alarms_enabled": alarms_enabled,
                "ignore_poll_alarm_failure": False,
                "alarm_names": sorted(alarms),
                "auto_rollback_enabled": True,
                "auto_rollback_events": sorted(events),
                "tags": tags or {},
            }
        )

    # ------------------------------------------------------------ AppConfig

    def appconfig_environment(self, app, env, alarms=()):
        """An environment of an AppConfig application (created on first use), rolled
        back by `alarms` (alarm names in this region)."""
        ac = self.client("appconfig")
        if app not in self._appconfig_apps:
            self._appconfig_apps[app] = ac.create_application(Name=app)["Id"]
        app_id = self._appconfig_apps[app]
        role = f"arn:aws:iam::{self.account_id}:role/appconfig-monitor"
        arns = [self.arn("cloudwatch", f"alarm:{a}") for a in alarms]
        monitors = [{"AlarmArn": a, "AlarmRoleArn": role} for a in arns]
        env_id = ac.create_environment(ApplicationId=app_id, Name=env, Monitors=monitors)["Id"]
        self.manifest["appconfig"]["environments"].append(
            {
                "arn": f"arn:aws:appconfig:{self.region}:{self.account_id}:application/{app_id}/environment/{env_id}",
                "name": f"{app}/{env}",
                "region": self.region,
                "application": app,
                "state": "ReadyForDeployment",
                "monitor_alarm_arns": sorted(arns),
            }
        )

    # ------------------------------------------------------------ CloudTrail

    def trail(self, name, multi_region=True, validation=True, kms_key=None, logging=True, log_days=None):
        bucket = f"{name}-logs-{self.account_id}"  # unique already: bucket_name() keeps it
        self.bucket(bucket, tls_only=True, expire_days=log_days)
        cloudtrail = self.client("cloudtrail")
        args = {
            "Name": name,
            "S3BucketName": bucket,
            "IsMultiRegionTrail": multi_region,
            "EnableLogFileValidation": validation,
        }
        if kms_key:
            args["KmsKeyId"] = kms_key
        arn = cloudtrail.create_trail(**args)["TrailARN"]
        if logging:
            cloudtrail.start_logging(Name=name)
        self.manifest["cloudtrail"]["trails"].append(
            {
                "arn": arn,
                "name": name,
                "region": self.region,
                "home_region": self.region,
                "multi_region": multi_region,
                "organization_trail": False,
                "log_file_validation": validation,
                "kms_key_id": kms_key,
                "s3_bucket_name": bucket,
                "cloud_watch_logs_log_group_arn": None,
                "logging": logging,
                "latest_delivery_error": None,
            }
        )
        return arn

    # ------------------------------------------------------------ Logs

    def log_group(self, name, retention=None, kms_key=None, tags=None, log_class=None):
        logs = self.client("logs")
        args = {"logGroupName": name}
        if kms_key:
            args["kmsKeyId"] = kms_key
        if tags:
            args["tags"] = tags
        if log_class:
            args["logGroupClass"] = log_class
        logs.create_log_group(**args)
        if retention:
            logs.put_retention_policy(logGroupName=name, retentionInDays=retention)
        entry = {
            "arn": self.arn("logs", f"log-group:{name}"),
            "name": name,
            "region": self.region,
            "retention_days": retention,
            "kms_key_id": kms_key,
            "data_protection_status": None,
            "log_group_class": log_class or "STANDARD",
            "stored_bytes": 0,
            "tags": dict(tags or {}),
        }
        return entry

    def log_groups(self, specs):
        entries = self.parallel(lambda spec: self.log_group(**spec), specs)
        self.manifest["logs"]["log_groups"].extend(entries)

    # ------------------------------------------------------------ Lambda

    def function(
        self,
        name,
        runtime="python3.12",
        role=None,
        memory=128,
        timeout=3,
        env=None,
        tracing="PassThrough",
        kms_key=None,
        dlq=None,
        logging=None,
        tags=None,
        reserved=None,
        description="",
    ):
        lam = self.client("lambda")
        args = {
            "FunctionName": name,
            "Runtime": runtime,
            "Role": role or self.role or self.lambda_role(),
            "Handler": "index.handler",
            "Code": {"ZipFile": self.code},
            "MemorySize": memory,
            "Timeout": timeout,
            "Description": description,
            "TracingConfig": {"Mode": tracing},
            "Tags": dict(tags or {}),
        }
        env_values = {k: self.secret_text(v) for k, v in (env or {}).items()}
        if env_values:
            args["Environment"] = {"Variables": env_values}
        if kms_key:
            args["KMSKeyArn"] = kms_key
        if dlq:
            args["DeadLetterConfig"] = {"TargetArn": dlq}
        if logging:
            args["LoggingConfig"] = logging
        created = lam.create_function(**args)
        if reserved is not None:
            lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=reserved)

        log = {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"}
        log.update(logging or {})
        if log["LogFormat"] == "JSON":
            log.setdefault("ApplicationLogLevel", "INFO")
            log.setdefault("SystemLogLevel", "INFO")
        entry = {
            "arn": created["FunctionArn"],
            "name": name,
            "region": self.region,
            "runtime": runtime,
            "package_type": "Zip",
            "timeout_seconds": timeout,
            "memory_mb": memory,
            "tracing_mode": tracing,
            "kms_key_arn": kms_key,
            "environment_variable_names": sorted(env_values),
            "dead_letter_target_arn": dlq,
            "logging": {
                "log_format": log["LogFormat"],
                "application_log_level": log.get("ApplicationLogLevel"),
                "system_log_level": log.get("SystemLogLevel"),
                "log_group": log["LogGroup"],
            },
            "tags": dict(tags or {}),
            "event_invoke_configs": [],
            "aliases": [],
            "reserved_concurrency": reserved,
            "invoke_permissions": [],
        }
        self._functions[name] = entry
        self.manifest["lambda"]["functions"].append(entry)
        return entry

    def publish(self, name, description):
        """Publish a version; change the description first so each version differs."""
        lam = self.client("lambda")
        lam.update_function_configuration(FunctionName=name, Description=description)
        return lam.publish_version(FunctionName=name, Description=description)["Version"]

    def alias(self, function, alias, version, weights=None):
        args = {"FunctionName": function, "Name": alias, "FunctionVersion": version}
        if weights:
            args["RoutingConfig"] = {"AdditionalVersionWeights": weights}
        created = self.client("lambda").create_alias(**args)
        self._functions[function]["aliases"].append(
            {
                "arn": created["AliasArn"],
                "name": alias,
                "function_version": version,
                "additional_version_weights": dict(weights or {}),
            }
        )

    def permission(self, function, sid, principal, source_arn=None, source_account=None):
        args = {
            "FunctionName": function,
            "StatementId": sid,
            "Action": "lambda:InvokeFunction",
            "Principal": principal,
        }
        if source_arn:
            args["SourceArn"] = source_arn
        if source_account:
            args["SourceAccount"] = source_account
        self.client("lambda").add_permission(**args)
        self._functions[function]["invoke_permissions"].append(
            {
                "sid": sid,
                "principal": principal,
                "action": "lambda:InvokeFunction",
                "source_arn": source_arn,
            }
        )

    def event_invoke_config(self, function, on_failure=None, on_success=None, retries=None, max_age=None):
        args = {"FunctionName": function}
        destinations = {}
        if on_failure:
            destinations["OnFailure"] = {"Destination": on_failure}
        if on_success:
            destinations["OnSuccess"] = {"Destination": on_success}
        if destinations:
            args["DestinationConfig"] = destinations
        if retries is not None:
            args["MaximumRetryAttempts"] = retries
        if max_age is not None:
            args["MaximumEventAgeInSeconds"] = max_age
        created = self.client("lambda").put_function_event_invoke_config(**args)
        self._functions[function]["event_invoke_configs"].append(
            {
                "function_arn": created["FunctionArn"],
                "on_failure_destination": on_failure,
                "on_success_destination": on_success,
                "maximum_retry_attempts": retries,
                "maximum_event_age_seconds": max_age,
            }
        )

    def event_source_mapping(self, function, source_arn, batch_size=10, report_item_failures=False):
        args = {"FunctionName": function, "EventSourceArn": source_arn, "BatchSize": batch_size}
        if report_item_failures:
            args["FunctionResponseTypes"] = ["ReportBatchItemFailures"]
        created = self.client("lambda").create_event_source_mapping(**args)
        self.manifest["lambda"]["event_source_mappings"].append(
            {
                "uuid": created["UUID"],
                "region": self.region,
                "function_arn": created["FunctionArn"],
                "event_source_arn": source_arn,
                "state": created["State"],
                "on_failure_destination": None,
                "batch_size": batch_size,
                "maximum_retry_attempts": None,
                "maximum_record_age_seconds": None,
                "bisect_batch_on_function_error": None,
                "function_response_types": ["ReportBatchItemFailures"] if report_item_failures else [],
            }
        )

    # ------------------------------------------------------------ RDS

    def parameter_group(self, name, family, params):
        rds = self.client("rds")
        rds.create_db_parameter_group(
            DBParameterGroupName=name, DBParameterGroupFamily=family, Description=f"jalon {name}"
        )
        rds.modify_db_parameter_group(
            DBParameterGroupName=name,
            Parameters=[
                {"ParameterName": k, "ParameterValue": v, "ApplyMethod": "immediate"}
                for k, v in params.items()
            ],
        )
        self.manifest["rds"]["parameter_groups"].append(
            {"name": name, "region": self.region, "cluster": False, "parameters": dict(params)}
        )

    def db_instance(
        self,
        identifier,
        engine_version="16.3",
        instance_class="db.t4g.medium",
        encrypted=False,
        kms_key=None,
        pi=False,
        pi_days=None,
        backups=1,
        deletion_protection=False,
        multi_az=False,
        public=False,
        iam_auth=False,
        log_exports=(),
        parameter_group=None,
        managed_password=False,
        tags=None,
    ):
        args = {
            "DBInstanceIdentifier": identifier,
            "Engine": "postgres",
            "EngineVersion": engine_version,
            "DBInstanceClass": instance_class,
            "AllocatedStorage": 50,
            "MasterUsername": "jalon_admin",
            "StorageEncrypted": encrypted,
            "EnablePerformanceInsights": pi,
            "BackupRetentionPeriod": backups,
            "DeletionProtection": deletion_protection,
            "MultiAZ": multi_az,
            "PubliclyAccessible": public,
            "EnableIAMDatabaseAuthentication": iam_auth,
            "EnableCloudwatchLogsExports": list(log_exports),
            "Tags": tag_list(tags or {}),
        }
        if kms_key:
            args["KmsKeyId"] = kms_key
        if pi and pi_days:
            args["PerformanceInsightsRetentionPeriod"] = pi_days
        if parameter_group:
            args["DBParameterGroupName"] = parameter_group
        if managed_password:
            args["ManageMasterUserPassword"] = True
        else:
            args["MasterUserPassword"] = self.secret_text("Str0ngPassw0rd")
        created = self.client("rds").create_db_instance(**args)["DBInstance"]
        entry = {
            "arn": created["DBInstanceArn"],
            "identifier": identifier,
            "region": self.region,
            "engine": "postgres",
            "engine_version": engine_version,
            "instance_class": instance_class,
            "cluster_identifier": None,
            "storage_encrypted": encrypted,
            # Encrypted without a key: AWS uses the account's aws/rds key.
            "kms_key_id": kms_key or (created.get("KmsKeyId") if encrypted else None),
            "performance_insights_enabled": pi,
            "performance_insights_retention_days": (pi_days or 7) if pi else None,
            "backup_retention_days": backups,
            "deletion_protection": deletion_protection,
            "multi_az": multi_az,
            "publicly_accessible": public,
            "iam_auth_enabled": iam_auth,
            "master_user_secret_arn": (created.get("MasterUserSecret") or {}).get("SecretArn"),
            "cloudwatch_logs_exports": list(log_exports),
            "parameter_groups": [g["DBParameterGroupName"] for g in created["DBParameterGroups"]],
            "read_replica_source": None,
            "tags": dict(tags or {}),
        }
        if parameter_group:
            assert entry["parameter_groups"] == [parameter_group], created["DBParameterGroups"]
        self.manifest["rds"]["instances"].append(entry)
        return entry

    def aurora_cluster(self, identifier, instance_ids, kms_key, tags):
        rds = self.client("rds")
        created = rds.create_db_cluster(
            DBClusterIdentifier=identifier,
            Engine="aurora-postgresql",
            EngineVersion="16.2",
            MasterUsername="jalon_admin",
            ManageMasterUserPassword=True,
            StorageEncrypted=True,
            KmsKeyId=kms_key,
            EnablePerformanceInsights=True,
            PerformanceInsightsRetentionPeriod=7,
            BackupRetentionPeriod=7,
            DeletionProtection=True,
            EnableIAMDatabaseAuthentication=True,
            EnableCloudwatchLogsExports=["postgresql"],
            Tags=tag_list(tags),
        )["DBCluster"]
        for instance_id in instance_ids:
            member = rds.create_db_instance(
                DBInstanceIdentifier=instance_id,
                DBClusterIdentifier=identifier,
                Engine="aurora-postgresql",
                DBInstanceClass="db.r6g.large",
                EnablePerformanceInsights=True,
                PerformanceInsightsRetentionPeriod=7,
                PubliclyAccessible=False,
                Tags=tag_list(tags),
            )["DBInstance"]
            self.manifest["rds"]["instances"].append(
                {
                    "arn": member["DBInstanceArn"],
                    "identifier": instance_id,
                    "region": self.region,
                    "engine": "aurora-postgresql",
                    "instance_class": "db.r6g.large",
                    "cluster_identifier": identifier,
                    "storage_encrypted": True,
                    "kms_key_id": kms_key,
                    "performance_insights_enabled": True,
                    "performance_insights_retention_days": 7,
                    "backup_retention_days": 7,
                    "publicly_accessible": False,
                    "read_replica_source": None,
                    "tags": dict(tags),
                }
            )
        self.manifest["rds"]["clusters"].append(
            {
                "arn": created["DBClusterArn"],
                "identifier": identifier,
                "region": self.region,
                "engine": "aurora-postgresql",
                "engine_version": "16.2",
                "storage_encrypted": True,
                "kms_key_id": kms_key,
                "performance_insights_enabled": True,
                "performance_insights_retention_days": 7,
                "backup_retention_days": 7,
                "deletion_protection": True,
                "iam_auth_enabled": True,
                "master_user_secret_arn": created["MasterUserSecret"]["SecretArn"],
                "cloudwatch_logs_exports": ["postgresql"],
                "parameter_group": "default.aurora-postgresql16",
                "members": sorted(instance_ids),
                "tags": dict(tags),
            }
        )
        return created["MasterUserSecret"]["SecretArn"]

    # ------------------------------------------------------------ Secrets Manager

    def secret(self, name, value, description=None, kms_key=None, tags=None):
        args = {"Name": name, "SecretString": self.secret_text(value)}
        if description:
            args["Description"] = description
        if kms_key:
            args["KmsKeyId"] = kms_key
        if tags:
            args["Tags"] = tag_list(tags)
        created = self.client("secretsmanager").create_secret(**args)
        entry = {
            "arn": created["ARN"],
            "name": name,
            "region": self.region,
            "description": description,
            "kms_key_id": kms_key,
            "rotation_enabled": False,
            "rotation_lambda_arn": None,
            "rotation_every_days": None,
            "rotation_schedule_expression": None,
            "last_rotated_at": None,
            "owning_service": None,
            "tags": dict(tags or {}),
        }
        self.manifest["secretsmanager"]["secrets"].append(entry)
        return entry

    def rotate(self, entry, lambda_arn, days=None, schedule=None, duration=None, now=True):
        rules = {}
        if days:
            rules["AutomaticallyAfterDays"] = days
        if schedule:
            rules["ScheduleExpression"] = schedule
        if duration:
            rules["Duration"] = duration
        self.client("secretsmanager").rotate_secret(
            SecretId=entry["arn"],
            RotationLambdaARN=lambda_arn,
            RotationRules=rules,
            RotateImmediately=now,
        )
        entry["rotation_enabled"] = True
        entry["rotation_lambda_arn"] = lambda_arn
        entry["rotation_schedule_expression"] = schedule
        if days:
            entry["rotation_every_days"] = days
        else:
            # AWS derives AutomaticallyAfterDays from a rate(N days) schedule;
            # the emulator does the same, but it is not asserted here.
            entry.pop("rotation_every_days")
        if now:
            entry.pop("last_rotated_at")  # a timestamp: not known in advance

    def rds_managed_secret(self, secret_arn, kind, resource_arn):
        """The master user secret RDS created; its name is generated."""
        described = self.client("secretsmanager").describe_secret(SecretId=secret_arn)
        self.manifest["secretsmanager"]["secrets"].append(
            {
                "arn": secret_arn,
                "name": described["Name"],
                "region": self.region,
                "description": f"The secret associated with the primary RDS DB {kind}: {resource_arn}",
                "rotation_enabled": True,
                "rotation_every_days": 7,
                "rotation_schedule_expression": "rate(7 days)",
                "rotation_lambda_arn": None,
                "kms_key_id": None,
                "last_rotated_at": None,
                "owning_service": "rds",
                "tags": {
                    f"aws:rds:primaryDB{kind.capitalize()}Arn": resource_arn,
                    "aws:secretsmanager:owningService": "rds",
                },
            }
        )

    # ------------------------------------------------------------ CloudWatch

    def metric_alarm(
        self,
        name,
        threshold,
        comparison,
        evaluation_periods,
        namespace=None,
        metric=None,
        dimensions=None,
        statistic=None,
        extended_statistic=None,
        period=None,
        metrics=None,
        datapoints=None,
        treat_missing=None,
        actions_enabled=True,
        alarm_actions=(),
        ok_actions=(),
        description=None,
        tags=None,
        state=None,
    ):
        cw = self.client("cloudwatch")
        args = {
            "AlarmName": name,
            "Threshold": float(threshold),
            "ComparisonOperator": comparison,
            "EvaluationPeriods": evaluation_periods,
            "ActionsEnabled": actions_enabled,
            "AlarmActions": list(alarm_actions),
            "OKActions": list(ok_actions),
        }
        optional = {
            "Namespace": namespace,
            "MetricName": metric,
            "Statistic": statistic,
            "ExtendedStatistic": extended_statistic,
            "Period": period,
            "DatapointsToAlarm": datapoints,
            "TreatMissingData": treat_missing,
            "AlarmDescription": description,
        }
        args.update({k: v for k, v in optional.items() if v is not None})
        if dimensions:
            args["Dimensions"] = [{"Name": k, "Value": v} for k, v in dimensions.items()]
        if metrics:
            args["Metrics"] = metrics
        if tags:
            args["Tags"] = tag_list(tags)
        cw.put_metric_alarm(**args)
        if state:
            cw.set_alarm_state(AlarmName=name, StateValue=state, StateReason="seeded by jalon")

        def query(m):
            stat = m.get("MetricStat")
            return {
                "id": m["Id"],
                "expression": m.get("Expression"),
                "label": m.get("Label"),
                "return_data": m.get("ReturnData"),
                "period_seconds": m.get("Period"),
                "metric_stat": None
                if stat is None
                else {
                    "namespace": stat["Metric"]["Namespace"],
                    "metric_name": stat["Metric"]["MetricName"],
                    "dimensions": {d["Name"]: d["Value"] for d in stat["Metric"].get("Dimensions", [])},
                    "period_seconds": stat["Period"],
                    "stat": stat["Stat"],
                    "unit": stat.get("Unit"),
                },
            }

        self.manifest["cloudwatch"]["metric_alarms"].append(
            {
                "arn": self.arn("cloudwatch", f"alarm:{name}"),
                "name": name,
                "region": self.region,
                "description": description,
                "namespace": namespace,
                "metric_name": metric,
                "dimensions": dict(dimensions or {}),
                "statistic": statistic,
                "extended_statistic": extended_statistic,
                "metrics": [query(m) for m in metrics or []],
                "threshold": float(threshold),
                "threshold_metric_id": None,
                "comparison_operator": comparison,
                "period_seconds": period,
                "evaluation_periods": evaluation_periods,
                "datapoints_to_alarm": datapoints,
                "treat_missing_data": treat_missing,
                "actions_enabled": actions_enabled,
                "alarm_actions": list(alarm_actions),
                "ok_actions": list(ok_actions),
                "insufficient_data_actions": [],
                "state_value": state or "INSUFFICIENT_DATA",
                "tags": dict(tags or {}),
            }
        )

    def error_rate_alarm(self, function, actions, threshold=2, tags=None, state=None, name=None):
        """The sound Lambda error-rate alarm (ALM-001)."""
        dims = [{"Name": "FunctionName", "Value": function}]

        def stat(metric_id, metric):
            return {
                "Id": metric_id,
                "MetricStat": {
                    "Metric": {"Namespace": "AWS/Lambda", "MetricName": metric, "Dimensions": dims},
                    "Period": 60,
                    "Stat": "Sum",
                },
                "ReturnData": False,
            }

        self.metric_alarm(
            name or f"{function}-error-rate",
            threshold=threshold,
            comparison="GreaterThanThreshold",
            evaluation_periods=5,
            datapoints=3,
            treat_missing="notBreaching",
            metrics=[
                stat("err", "Errors"),
                stat("inv", "Invocations"),
                {
                    "Id": "rate",
                    "Expression": "IF(inv > 0, 100 * FILL(err, 0) / inv, 0)",
                    "Label": "Error rate (%)",
                    "ReturnData": True,
                },
            ],
            alarm_actions=actions,
            ok_actions=actions,
            description=f"{function} error rate above {threshold}% over 5 minutes. Runbook: https://runbooks.example.com/{function}",
            tags=tags,
            state=state,
        )

    def composite_alarm(self, name, rule, actions, description=None, actions_enabled=True):
        args = {
            "AlarmName": name,
            "AlarmRule": rule,
            "AlarmActions": list(actions),
            "ActionsEnabled": actions_enabled,
        }
        if description:
            args["AlarmDescription"] = description
        self.client("cloudwatch").put_composite_alarm(**args)
        self.manifest["cloudwatch"]["composite_alarms"].append(
            {
                "arn": self.arn("cloudwatch", f"alarm:{name}"),
                "name": name,
                "region": self.region,
                "description": description,
                "rule": rule,
                "actions_enabled": actions_enabled,
                "alarm_actions": list(actions),
                "state_value": "INSUFFICIENT_DATA",
            }
        )

    # ------------------------------------------------------------ CloudWatch metric data

    def control(self, path: str, doc: dict) -> dict:
        """POST a jalon-moto control endpoint (not an AWS call: not counted, never denied)."""
        req = urllib.request.Request(
            self.endpoint + path,
            data=json.dumps(doc).encode(),
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req) as resp:
            return json.loads(resp.read())

    def metric_series(self, series: list) -> dict:
        """Write [{"namespace", "metric", "dimensions", "points", "unit"?}] in one
        POST /_jalon/metric-data: data points at any age (PutMetricData refuses
        anything older than two weeks)."""
        doc = {"region": self.region, "account": self.account_id, "series": series}
        return self.control("/_jalon/metric-data", doc)

    def _traffic(self, namespace, dimensions, names, start, windows, period, requests, errors, p95_ms, throttles, per_request):
        """Shared by the function and API stage primitives. names: the requests,
        errors, latency and throttles (or None) metrics. A window with requests or
        throttles publishes the sums, zeros included, and `requests` latency samples
        whose p95 is p95_ms. per_request: each request is a sample, of 1 for the
        count and 0 or 1 for errors, as API Gateway publishes; otherwise one value
        per window, as Lambda publishes its sums."""
        start = epoch_seconds(start)
        requests, errors, p95_ms, throttles = (per_window(v, windows) for v in (requests, errors, p95_ms, throttles))
        requests_metric, errors_metric, latency_metric, throttles_metric = names
        points = {name: [] for name in names if name}
        series = {"at": [], "requests": [], "errors": [], "throttles": [], "p95_ms": []}
        latencies = {}  # value -> count over every window, for the totals' p95
        for i in range(windows):
            n, failed, throttled = int(requests[i]), int(errors[i]), int(throttles[i])
            if not n and not throttled:
                continue
            at = start + i * period
            if per_request:
                points[requests_metric].append((at, (1.0,), (n,)))
                points[errors_metric].append((at, (0.0, 1.0), (n - failed, failed)))
            else:
                points[requests_metric].append((at, (n,)))
                points[errors_metric].append((at, (failed,)))
            if throttles_metric:
                points[throttles_metric].append((at, (throttled,)))
            p95 = float(p95_ms[i]) if n else None
            if n:
                values, counts = latency_samples(p95, n)
                points[latency_metric].append((at, values, counts))
                for value, count in zip(values, counts):
                    latencies[value] = latencies.get(value, 0) + count
            series["at"].append(i)
            series["requests"].append(n)
            series["errors"].append(failed)
            series["throttles"].append(throttled)
            series["p95_ms"].append(p95)
        self.metric_series(
            [
                {
                    "namespace": namespace,
                    "metric": name,
                    "dimensions": dimensions,
                    "unit": "Milliseconds" if name == latency_metric else "Count",
                    "points": metric_points,
                }
                for name, metric_points in points.items()
            ]
        )
        totals = {
            "requests": sum(series["requests"]),
            "errors": sum(series["errors"]),
            "throttles": sum(series["throttles"]),
            "p95_ms": nearest_rank(latencies.items(), 95) if latencies else None,
        }
        return {
            "namespace": namespace,
            "dimensions": dimensions,
            "start": start,
            "period": period,
            "series": series,
            "totals": totals,
        }

    def function_traffic(self, name, start, windows, requests, errors, p95_ms, throttles=0, period=300) -> dict:
        """A Lambda function's traffic over `windows` windows of `period` seconds from
        `start` (epoch seconds or datetime): AWS/Lambda Invocations, Errors, Throttles
        (one value per window) and Duration. requests, errors, p95_ms, throttles: a
        number, or a callable of the window index. Returns
        {"namespace", "dimensions", "start", "period",
         "series": {"at": [window index], "requests", "errors", "throttles", "p95_ms"},
         "totals": {"requests", "errors", "throttles", "p95_ms"}}
        for the windows with traffic; totals.p95_ms is the nearest-rank p95 of every
        Duration sample written."""
        names = ("Invocations", "Errors", "Duration", "Throttles")
        return self._traffic(
            "AWS/Lambda", {"FunctionName": name}, names, start, windows, period, requests, errors, p95_ms, throttles, False
        )

    def rest_stage_traffic(self, api_name, stage, start, windows, requests, errors, p95_ms, period=300) -> dict:
        """An API Gateway REST API stage: AWS/ApiGateway Count, 5XXError, Latency by
        ApiName and Stage. Same arguments and answer as function_traffic (throttles 0)."""
        dims = {"ApiName": api_name, "Stage": stage}
        names = ("Count", "5XXError", "Latency", None)
        return self._traffic("AWS/ApiGateway", dims, names, start, windows, period, requests, errors, p95_ms, 0, True)

    def http_stage_traffic(self, api_id, stage, start, windows, requests, errors, p95_ms, period=300) -> dict:
        """An API Gateway HTTP API stage: AWS/ApiGateway Count, 5xx, Latency by ApiId
        and Stage. Same arguments and answer as function_traffic (throttles 0)."""
        dims = {"ApiId": api_id, "Stage": stage}
        names = ("Count", "5xx", "Latency", None)
        return self._traffic("AWS/ApiGateway", dims, names, start, windows, period, requests, errors, p95_ms, 0, True)

    def db_cpu(self, identifier, start, windows, cpu, period=300) -> dict:
        """An RDS instance's AWS/RDS CPUUtilization: one value (percent) per window;
        cpu is a number or a callable of the window index (None: no data point).
        Returns {"namespace", "dimensions", "start", "period", "series": {"at", "cpu"}}."""
        start = epoch_seconds(start)
        series = {"at": [], "cpu": []}
        points = []
        for i, value in enumerate(per_window(cpu, windows)):
            if value is not None:
                points.append((start + i * period, (float(value),)))
                series["at"].append(i)
                series["cpu"].append(float(value))
        dims = {"DBInstanceIdentifier": identifier}
        self.metric_series(
            [{"namespace": "AWS/RDS", "metric": "CPUUtilization", "dimensions": dims, "points": points, "unit": "Percent"}]
        )
        return {"namespace": "AWS/RDS", "dimensions": dims, "start": start, "period": period, "series": series}

    def alarm_history(self, alarm_name, items) -> list:
        """Past state changes of an existing alarm, through POST /_jalon/alarm-history:
        items [{"at": epoch seconds | datetime | RFC 3339, "from": "OK", "to": "ALARM",
        "reason"?}]. The alarm's current state is left as it is. Returns the items
        as written ({"alarm_name", "at" (epoch seconds or the string given), "from",
        "to", "reason"})."""
        written = [
            {
                "alarm_name": alarm_name,
                "at": item["at"].timestamp() if isinstance(item["at"], datetime.datetime) else item["at"],
                "from": item["from"],
                "to": item["to"],
                "reason": item.get("reason") or "seeded by jalon",
            }
            for item in items
        ]
        self.control("/_jalon/alarm-history", {"region": self.region, "account": self.account_id, "items": written})
        return written

    # ------------------------------------------------------------ SNS

    def topic(self, name, tags=None):
        args = {"Name": name}
        if tags:
            args["Tags"] = tag_list(tags)
        arn = self.client("sns").create_topic(**args)["TopicArn"]
        self.manifest["sns"]["topics"].append({"arn": arn, "name": name, "region": self.region})
        return arn

    def subscription(self, topic_arn, protocol, endpoint, confirm=False):
        sns = self.client("sns")
        arn = sns.subscribe(
            TopicArn=topic_arn, Protocol=protocol, Endpoint=endpoint, ReturnSubscriptionArn=True
        )["SubscriptionArn"]
        pending = protocol in ("email", "email-json", "http", "https")
        if pending and confirm:
            # jalon-moto: ConfirmSubscription takes the endpoint as the token.
            arn = sns.confirm_subscription(TopicArn=topic_arn, Token=endpoint)["SubscriptionArn"]
            pending = False
        self.manifest["sns"]["subscriptions"].append(
            {
                "arn": None if pending else arn,
                "topic_arn": topic_arn,
                "region": self.region,
                "protocol": protocol,
                "confirmed": not pending,
                "_endpoint": endpoint,
                # subscriptions have no name: a stable key to sort and match on
                "_key": f"{topic_arn.rsplit(':', 1)[1]}/{protocol}/{endpoint}",
            }
        )

    # ------------------------------------------------------------ X-Ray

    def default_sampling_rule(self):
        self.manifest["xray"]["sampling_rules"].append(self._rule_entry("Default", 10000, 0.05, 1, "*", "*"))

    def _rule_entry(self, name, priority, rate, reservoir, service, url_path, service_type="*"):
        return {
            "arn": self.arn("xray", f"sampling-rule/{name}"),
            "name": name,
            "region": self.region,
            "priority": priority,
            "fixed_rate": rate,
            "reservoir_size": reservoir,
            "service_name": service,
            "service_type": service_type,
            "host": "*",
            "http_method": "*",
            "url_path": url_path,
            "resource_arn": "*",
        }

    def sampling_rule(self, name, priority, rate, reservoir, service, url_path="*", service_type="*"):
        self.client("xray").create_sampling_rule(
            SamplingRule={
                "RuleName": name,
                "ResourceARN": "*",
                "Priority": priority,
                "FixedRate": rate,
                "ReservoirSize": reservoir,
                "ServiceName": service,
                "ServiceType": service_type,
                "Host": "*",
                "HTTPMethod": "*",
                "URLPath": url_path,
                "Version": 1,
            }
        )
        self.manifest["xray"]["sampling_rules"].append(
            self._rule_entry(name, priority, rate, reservoir, service, url_path, service_type)
        )

    def xray_encryption(self, kms_key=None):
        if kms_key:
            self.client("xray").put_encryption_config(Type="KMS", KeyId=kms_key)
        self.manifest["xray"]["encryption_configs"].append(
            {
                "region": self.region,
                "encryption_type": "KMS" if kms_key else "NONE",
                "key_id": kms_key,
                "status": "ACTIVE",
            }
        )

    def xray_groups(self, groups):
        """groups: [(name, filter, insights)]; the Default group always exists."""
        self.manifest["xray"]["groups"].append(
            {
                "arn": self.arn("xray", "group/Default"),
                "name": "Default",
                "region": self.region,
                "filter_expression": None,
                "insights_enabled": False,
            }
        )
        for name, expression, insights in groups:
            created = self.client("xray").create_group(
                GroupName=name,
                FilterExpression=expression,
                InsightsConfiguration={"InsightsEnabled": insights, "NotificationsEnabled": False},
            )["Group"]
            self.manifest["xray"]["groups"].append(
                {
                    "arn": created["GroupARN"],
                    "name": name,
                    "region": self.region,
                    "filter_expression": expression,
                    "insights_enabled": insights,
                }
            )


# ====================================================================== scenarios


def seed_varied(s: Seeder):
    """A varied account for exact assertions."""
    acct, region = s.account_id, s.region
    data_key = s.kms_key("jalon-data", "customer key for personal data", rotate=True)
    secrets_key = s.kms_key("jalon-secrets", "customer key for secrets")
    s.lambda_role()

    # --- SNS
    alerts = s.topic("ops-alerts", tags={"env": "prod"})
    s.subscription(alerts, "email", "oncall@example.com", confirm=True)
    s.subscription(alerts, "email", "backup-oncall@example.com", confirm=False)
    s.topic("unused-notifications")
    orders_events = s.topic("orders-events", tags={"env": "prod"})
    missing_topic = s.arn("sns", "deleted-alerts")  # never created

    # --- the audit trail: one complete, one regional and stopped
    s.trail("org-audit", kms_key=secrets_key, log_days=365)
    s.trail("legacy-regional", multi_region=False, validation=False, logging=False)

    # --- queues used as DLQ / destinations / event source
    worker_dlq = s.queue("orders-worker-dlq", kms_key=data_key, retention=1209600, tags={"env": "prod"})
    billing_failures = s.queue("billing-events-failures", sqs_managed_sse=False)
    orders_dlq = s.queue("orders-queue-dlq", retention=1209600)
    # Consumed by queue-consumer (timeout 3 s): redrive after 5 receives, 6x its timeout.
    orders_queue = s.queue(
        "orders-queue", visibility=18, redrive_to=orders_dlq, max_receive=5, tags={"env": "prod", "app": "orders"}
    )

    # --- DynamoDB: a protected global table in the EU, a careless one replicated to the
    # US, an unclassified one on the AWS-managed key
    personal_prod = {"env": "prod", "data-class": "personal"}
    s.table("orders-store", kms_key=data_key, ttl="expires_at", replicas=["eu-central-1"], tags=personal_prod)
    s.table("sessions", pitr=False, protected=False, replicas=["us-east-1"], tags=personal_prod)
    s.table("feature-flags", aws_managed_key=True, tags={"env": "prod"})

    # --- S3: the account leaves Block Public Access off; a hardened personal bucket, a
    # careless one, and an internal one under object lock
    s.account_public_access_block(False)
    s.bucket(
        "jalon-exports",
        kms_key=data_key,
        tls_only=True,
        versioning="Enabled",
        expire_days=90,
        noncurrent_days=30,
        tags=personal_prod,
    )
    s.bucket("jalon-uploads", block=False, versioning="Suspended", expire_days=7, expire_prefix="tmp/", tags=personal_prod)
    s.bucket("jalon-invoices", lock_days=3650, tls_only=True, tags={"env": "prod", "data-class": "internal"})

    # --- ElastiCache: a hardened group, a legacy one open in every way, serverless
    # caches with and without RBAC, and a Memcached one nobody classified
    s.replication_group("sessions-cache", user_groups=["orders-app"], snapshots=7, tags=personal_prod)
    s.replication_group("legacy-cache", engine="redis", at_rest=False, transit=None, failover=False, snapshots=0, tags=personal_prod)
    s.replication_group("rate-limits", transit="preferred", auth_token=s.secret_text("rate-limits-auth-token"), tags={"env": "prod"})
    s.serverless_cache("carts-cache", kms_key=data_key, user_group="orders-app", snapshots=3, tags=personal_prod)
    s.serverless_cache("flags-cache", tags={"env": "prod", "data-class": "internal"})
    s.serverless_cache("pages-cache", engine="memcached", tags={"env": "prod"})

    # --- Lambda
    prod = {"env": "prod"}
    s.function(
        "orders-api",
        memory=512,
        timeout=10,
        env={"DB_HOST": "orders-db.internal", "LOG_LEVEL": "info"},
        tracing="Active",
        kms_key=data_key,
        logging={"LogFormat": "JSON", "ApplicationLogLevel": "INFO", "SystemLogLevel": "WARN"},
        tags={**prod, "app": "orders", "data-class": "personal"},
        reserved=50,
        description="orders API",
    )
    v1 = s.publish("orders-api", "orders API v1")
    s.alias("orders-api", "live", v1)
    s.permission(
        "orders-api",
        "apigateway-invoke",
        "apigateway.amazonaws.com",
        source_arn=f"arn:aws:execute-api:{region}:{acct}:a1b2c3d4e5/*/*/orders",
    )

    s.function(
        "orders-worker",
        memory=256,
        timeout=30,
        env={"DB_PASSWORD": "hunter2", "QUEUE_URL": "https://sqs.example/orders"},
        tracing="PassThrough",
        dlq=worker_dlq,
        tags={**prod, "app": "orders"},
    )
    s.permission("orders-worker", "sns-invoke", "sns.amazonaws.com", source_arn=orders_events)
    s.subscription(orders_events, "lambda", s._functions["orders-worker"]["arn"])

    s.function(
        "billing-events",
        runtime="nodejs20.x",
        memory=256,
        env={"API_KEY": "sk_live_example", "STAGE": "prod"},
        tracing="Active",
        tags={**prod, "app": "billing"},
    )
    s.permission(
        "billing-events",
        "events-invoke",
        "events.amazonaws.com",
        source_arn=s.arn("events", "rule/billing-nightly"),
    )
    s.event_invoke_config("billing-events", on_failure=billing_failures, retries=1, max_age=3600)

    s.function(
        "image-resizer",
        memory=1024,
        timeout=60,
        logging={"LogFormat": "JSON", "ApplicationLogLevel": "DEBUG"},
        tags=prod,
    )
    s.permission(
        "image-resizer",
        "s3-invoke",
        "s3.amazonaws.com",
        source_arn=f"arn:aws:s3:::{s.bucket_name('jalon-uploads')}",
        source_account=acct,
    )

    s.function(
        "legacy-report",
        runtime="python3.8",
        env={"SECRET_TOKEN": "legacy-token"},
        tags=prod,
        description="deprecated runtime",
    )

    s.function(
        "checkout-api",
        runtime="nodejs20.x",
        memory=512,
        env={"PAYMENT_URL": "https://pay.example"},
        tracing="Active",
        kms_key=data_key,
        tags={**prod, "app": "checkout"},
        reserved=20,
    )
    c1 = s.publish("checkout-api", "checkout v1")
    c2 = s.publish("checkout-api", "checkout v2")
    s.alias("checkout-api", "live", c1, weights={c2: 0.5})  # a canary left half-way
    s.permission(
        "checkout-api",
        "apigateway-invoke",
        "apigateway.amazonaws.com",
        source_arn=f"arn:aws:execute-api:{region}:{acct}:f6g7h8i9j0/*/POST/checkout",
    )

    s.function("queue-consumer", env={"BATCH": "10"}, tags={**prod, "app": "orders"}, reserved=5)
    s.event_source_mapping("queue-consumer", orders_queue, batch_size=10, report_item_failures=True)

    # A consumed queue with neither redrive nor room for its consumer's 30 s timeout.
    payments_queue = s.queue("payments-queue", tags={"env": "prod", "app": "billing"})
    s.function("payments-consumer", timeout=30, tags={**prod, "app": "billing"})
    s.event_source_mapping("payments-consumer", payments_queue, batch_size=10)
    # The orders dead-letter queue pages on its first message; the other two do not.
    s.metric_alarm(
        "orders-queue-dlq-visible",
        threshold=0,
        comparison="GreaterThanThreshold",
        evaluation_periods=1,
        namespace="AWS/SQS",
        metric="ApproximateNumberOfMessagesVisible",
        dimensions={"QueueName": "orders-queue-dlq"},
        statistic="Maximum",
        period=300,
        alarm_actions=[alerts],
        tags=prod,
    )

    s.function("dev-sandbox", tags={"env": "dev"})

    # --- API Gateway: a hardened REST API before orders-api; a legacy one whose stage
    # logs nothing and whose worker outlives the 29 s integration timeout; an HTTP API
    # that gives payments-consumer 5 s though it may run 30
    access_logs = s.arn("logs", "log-group:/aws/apigateway/access")
    s.rest_api(
        "orders-rest",
        [("orders", "GET", "orders-api", None)],
        access_log=access_logs,
        tracing=True,
        throttle=(100, 200),
        tags=prod,
    )
    s.rest_api("legacy-rest", [("jobs", "POST", "orders-worker", None)], tags=prod)
    payments_http = s.http_api(
        "payments-http", [("POST /pay", "payments-consumer", 5000)], access_log=access_logs, throttle=(50, 100), tags=prod
    )

    rotator = s.function(
        "secrets-rotator", env={"SECRETS_ENDPOINT": "https://secretsmanager.internal"}, tags=prod
    )
    s.permission("secrets-rotator", "secretsmanager-invoke", "secretsmanager.amazonaws.com")

    # --- Logs: 260 groups, more than 5 pages of 50
    retentions = [None, 7, 30, 365, 3653]
    function_names = sorted(s._functions)
    specs = []
    for i in range(260):
        name = (
            f"/aws/lambda/{function_names[i]}" if i < len(function_names) else f"/jalon/varied/svc-{i:03d}"
        )
        tags = {}
        if i % 3 == 0:
            tags["env"] = "prod"
        elif i % 10 == 1:
            tags["env"] = "staging"
        if i % 6 == 0:
            tags["data-class"] = "personal"
        specs.append(
            {
                "name": name,
                "retention": retentions[i % 5],
                "kms_key": data_key if i % 4 == 0 else None,
                "tags": tags,
                "log_class": "INFREQUENT_ACCESS" if i % 13 == 5 else None,
            }
        )
    s.log_groups(specs)

    # --- RDS
    s.parameter_group("pg16-hardened", "postgres16", {"rds.force_ssl": "1"})
    s.parameter_group("pg16-legacy", "postgres16", {"rds.force_ssl": "0"})
    s.db_instance(
        "orders-db",
        encrypted=True,
        kms_key=data_key,
        pi=True,
        pi_days=7,
        backups=7,
        deletion_protection=True,
        multi_az=True,
        public=False,
        iam_auth=True,
        log_exports=["postgresql"],
        parameter_group="pg16-hardened",
        tags={**prod, "data-class": "personal"},
    )
    s.db_instance(
        "reporting-db",
        instance_class="db.t4g.micro",
        encrypted=False,
        pi=False,
        backups=1,
        public=True,
        parameter_group="pg16-legacy",
        tags=prod,
    )
    analytics = s.db_instance(
        "analytics-db",
        encrypted=True,  # no key given: the aws/rds key
        pi=True,
        pi_days=731,
        backups=14,
        deletion_protection=True,
        log_exports=["postgresql", "upgrade"],
        managed_password=True,
        tags={**prod, "data-class": "personal"},
    )
    cluster_secret = s.aurora_cluster(
        "ledger-cluster", ["ledger-cluster-1"], data_key, {**prod, "data-class": "personal"}
    )

    # --- Secrets Manager
    app_user = s.secret(
        "prod/orders-db/app-user",
        '{"username":"app","password":"app-password"}',
        description="orders-db application user",
        kms_key=data_key,
        tags=prod,
    )
    s.rotate(app_user, rotator["arn"], days=30)
    stripe = s.secret("prod/billing/stripe-api-key", "stripe-key", tags=prod)
    s.rotate(stripe, rotator["arn"], schedule="rate(10 days)", duration="3h", now=False)
    s.secret("prod/legacy/report-db", '{"password":"legacy"}', description="no rotation", tags=prod)
    s.secret("prod/checkout/jwt-signing-key", "jwt-key", kms_key=secrets_key, tags=prod)
    s.rds_managed_secret(analytics["master_user_secret_arn"], "instance", analytics["arn"])
    s.rds_managed_secret(cluster_secret, "cluster", s.manifest["rds"]["clusters"][0]["arn"])

    # --- CloudWatch alarms
    s.error_rate_alarm("orders-api", [alerts], tags=prod, state="OK")

    # --- CodeDeploy: the canary of orders-api stops on its error-rate alarm and rolls
    # back; orders-worker's watches a throttles alarm only and does not roll back on it.
    # An EC2 application is not read.
    s.deployment_group("orders", "orders-api", alarms=["orders-api-error-rate"], tags=prod)
    s.deployment_group("orders", "orders-worker", alarms=["orders-worker-throttles"], rollback_on_alarm=False, tags=prod)
    s.client("codedeploy").create_application(applicationName="legacy-fleet", computePlatform="Server")

    # --- AppConfig: the orders kill switch rolls back on orders-api's error-rate alarm
    s.appconfig_environment("orders-flags", "prod", alarms=["orders-api-error-rate"])
    s.appconfig_environment("orders-flags", "dev")
    s.metric_alarm(
        "orders-api-p95-latency",
        threshold=500,
        comparison="GreaterThanThreshold",
        evaluation_periods=5,
        namespace="AWS/Lambda",
        metric="Duration",
        dimensions={"FunctionName": "orders-api"},
        extended_statistic="p95",
        period=60,
        treat_missing="notBreaching",
        alarm_actions=[alerts],
        description="orders-api p95 latency above 500 ms",
        tags=prod,
    )
    s.metric_alarm(
        "orders-worker-errors",
        threshold=0,
        comparison="GreaterThanThreshold",
        evaluation_periods=1,
        namespace="AWS/Lambda",
        metric="Errors",
        dimensions={"FunctionName": "orders-worker"},
        statistic="Sum",
        period=60,
        alarm_actions=[alerts],
        state="ALARM",
    )
    s.metric_alarm(
        "billing-events-errors-muted",
        threshold=0,
        comparison="GreaterThanThreshold",
        evaluation_periods=1,
        namespace="AWS/Lambda",
        metric="Errors",
        dimensions={"FunctionName": "billing-events"},
        statistic="Sum",
        period=300,
        actions_enabled=False,
        alarm_actions=[alerts],
    )
    s.metric_alarm(
        "image-resizer-errors-orphaned",
        threshold=1,
        comparison="GreaterThanOrEqualToThreshold",
        evaluation_periods=1,
        namespace="AWS/Lambda",
        metric="Errors",
        dimensions={"FunctionName": "image-resizer"},
        statistic="Sum",
        period=300,
        alarm_actions=[missing_topic],
    )
    s.metric_alarm(
        "orders-api-throttles",
        threshold=0,
        comparison="GreaterThanThreshold",
        evaluation_periods=1,
        namespace="AWS/Lambda",
        metric="Throttles",
        dimensions={"FunctionName": "orders-api"},
        statistic="Sum",
        period=60,
        alarm_actions=[alerts],
    )
    s.metric_alarm(
        "orders-db-cpu-high",
        threshold=80,
        comparison="GreaterThanThreshold",
        evaluation_periods=3,
        namespace="AWS/RDS",
        metric="CPUUtilization",
        dimensions={"DBInstanceIdentifier": "orders-db"},
        statistic="Average",
        period=300,
        alarm_actions=[alerts],
        state="OK",
    )
    s.metric_alarm(
        "orders-db-free-storage-low",
        threshold=2 * 1024**3,
        comparison="LessThanThreshold",
        evaluation_periods=1,
        namespace="AWS/RDS",
        metric="FreeStorageSpace",
        dimensions={"DBInstanceIdentifier": "orders-db"},
        statistic="Minimum",
        period=300,
        alarm_actions=[alerts],
    )
    s.composite_alarm(
        "orders-api-health",
        'ALARM("orders-api-error-rate") OR ALARM("orders-api-p95-latency")',
        [alerts],
        description="orders-api is failing or slow",
    )

    # --- X-Ray
    s.default_sampling_rule()
    s.sampling_rule("orders-api-5pct", 100, 0.05, 1, "orders-api", url_path="/orders/*")
    s.sampling_rule("image-resizer-debug", 200, 0.5, 5, "image-resizer")
    s.xray_encryption(data_key)
    s.xray_groups([("orders-faults", 'service("orders-api") { fault }', True)])

    seed_traffic(s, payments_http)


def seed_traffic(s: Seeder, payments_http: str):
    """A week of production since a cutover at midnight UTC seven days ago, to the last
    whole 5-minute window: orders-api healthy, orders-worker breaching for 15 minutes
    three hours in, billing-events too quiet to judge, the two API stages healthy,
    reporting-db hot for 15 minutes; the week before, a steady baseline (p95 180 and
    250 ms) for the first two. orders-api's error-rate alarm fired three hours in and stayed
    two hours; its latency alarm went blind for 26 hours on day two. The manifest
    keeps every series as the seeder wrote it."""
    period = 300
    # To the last window jalon reads: it leaves the windows that closed less than three
    # minutes ago to CloudWatch's ingestion (src/collect/metrics.rs).
    now = int(datetime.datetime.now(datetime.timezone.utc).timestamp()) - INGESTION_DELAY_SECONDS
    cutover = datetime.datetime.fromtimestamp(now, datetime.timezone.utc).date() - datetime.timedelta(days=7)
    start = int(datetime.datetime(cutover.year, cutover.month, cutover.day, tzinfo=datetime.timezone.utc).timestamp())
    windows = (now - now % period - start) // period
    breach = range(36, 39)  # 03:00 to 03:15 on the cutover day

    def worker_errors(i):
        return 30 if i in breach else 0

    def worker_p95(i):
        return 950 if i in breach else 250

    functions = {
        "orders-api": s.function_traffic(
            "orders-api", start, windows, lambda i: 400 + i % 288, lambda i: 1 if i % 7 == 0 else 0, lambda i: 180 + (i % 5) * 4
        ),
        "orders-worker": s.function_traffic("orders-worker", start, windows, 300, worker_errors, worker_p95),
        "billing-events": s.function_traffic("billing-events", start, windows, lambda i: 3 if i % 288 == 0 else 0, 0, 120),
    }
    # The baseline: eight steady days before the cutover (the collection reads as long
    # before it as the window lasts, a little over seven days).
    baseline_windows = 8 * 288
    for name in ("orders-api", "orders-worker"):
        s.function_traffic(name, start - baseline_windows * period, baseline_windows, 400, 0, 180 if name == "orders-api" else 250)
    stages = {
        "orders-rest/prod": s.rest_stage_traffic("orders-rest", "prod", start, windows, 400, 0, 220),
        "payments-http/$default": s.http_stage_traffic(
            payments_http, "$default", start, windows, 100, lambda i: 1 if i % 50 == 0 else 0, 300
        ),
    }
    databases = {
        "orders-db": s.db_cpu("orders-db", start, windows, 35),
        "reporting-db": s.db_cpu("reporting-db", start, windows, lambda i: 92 if 100 <= i < 103 else 40),
    }
    history = s.alarm_history(
        "orders-api-error-rate",
        [
            {"at": start + 3 * 3600, "from": "OK", "to": "ALARM"},
            {"at": start + 5 * 3600, "from": "ALARM", "to": "OK"},
        ],
    ) + s.alarm_history(
        "orders-api-p95-latency",
        [
            {"at": start + 26 * 3600, "from": "OK", "to": "INSUFFICIENT_DATA"},
            {"at": start + 52 * 3600, "from": "INSUFFICIENT_DATA", "to": "OK"},
        ],
    )
    s.manifest["metrics"] = {
        "cutover": cutover.isoformat(),
        "start": start,
        "windows": windows,
        "functions": functions,
        "stages": stages,
        "databases": databases,
        "history": history,
    }


def seed_demo(s: Seeder):
    """A realistic post-cutover stack for the product demo."""
    acct, region = s.account_id, s.region
    data_key = s.kms_key("orders-data", "orders personal data")
    s.lambda_role()
    prod = {"env": "prod", "app": "orders"}

    alerts = s.topic("orders-alerts", tags={"env": "prod"})
    s.subscription(alerts, "email", "oncall@example.com", confirm=True)
    events = s.topic("orders-events", tags={"env": "prod"})

    # The API function, behind API Gateway through the `live` alias.
    s.function(
        "orders-api",
        memory=1024,
        timeout=10,
        env={"DB_HOST": "orders-db.internal", "DB_NAME": "orders", "READ_PATH": "postgres"},
        tracing="Active",
        kms_key=data_key,
        logging={"LogFormat": "JSON", "ApplicationLogLevel": "INFO", "SystemLogLevel": "INFO"},
        tags={**prod, "data-class": "personal"},
        reserved=100,
        description="orders API (post-cutover)",
    )
    s.publish("orders-api", "orders API 1.0 (mock read path)")
    v2 = s.publish("orders-api", "orders API 2.0 (postgres read path)")
    s.alias("orders-api", "live", v2)
    s.permission(
        "orders-api",
        "apigateway-prod",
        "apigateway.amazonaws.com",
        source_arn=f"arn:aws:execute-api:{region}:{acct}:q1w2e3r4t5/prod/*/orders*",
    )

    # The legacy mock read function: should be gone by J+30.
    s.function(
        "orders-read-mock",
        env={"FIXTURES": "s3://orders-fixtures/mock.json"},
        tags={**prod, "path": "mock"},
        description="mock read path, pre-cutover",
    )

    # Worker invoked by SNS, without a DLQ or destination.
    s.function(
        "orders-notifier",
        memory=256,
        timeout=30,
        env={"SMTP_HOST": "smtp.example.com", "SMTP_PASSWORD": "smtp-secret"},
        tags=prod,
    )
    s.permission("orders-notifier", "sns-orders-events", "sns.amazonaws.com", source_arn=events)
    s.subscription(events, "lambda", s._functions["orders-notifier"]["arn"])

    # Database, with its RDS-managed master secret.
    s.parameter_group("orders-pg16", "postgres16", {"rds.force_ssl": "1"})
    db = s.db_instance(
        "orders-db",
        encrypted=True,
        kms_key=data_key,
        pi=True,
        pi_days=7,
        backups=7,
        deletion_protection=True,
        multi_az=False,
        public=False,
        log_exports=["postgresql"],
        parameter_group="orders-pg16",
        managed_password=True,
        tags={**prod, "data-class": "personal"},
    )
    s.rds_managed_secret(db["master_user_secret_arn"], "instance", db["arn"])
    s.secret(
        "prod/orders/payment-provider",
        '{"api_key":"pk_live_demo"}',
        description="payment provider API key",
        tags=prod,
    )

    # Alarms.
    s.error_rate_alarm("orders-api", [alerts], tags=prod, state="OK")
    s.metric_alarm(
        "orders-api-p95-latency",
        threshold=500,
        comparison="GreaterThanThreshold",
        evaluation_periods=5,
        namespace="AWS/Lambda",
        metric="Duration",
        dimensions={"FunctionName": "orders-api"},
        extended_statistic="p95",
        period=60,
        treat_missing="notBreaching",
        alarm_actions=[alerts],
        description="orders-api p95 latency above 500 ms. Runbook: https://runbooks.example.com/orders-api",
        tags=prod,
        state="OK",
    )
    s.metric_alarm(
        "orders-notifier-errors",
        threshold=0,
        comparison="GreaterThanThreshold",
        evaluation_periods=1,
        namespace="AWS/Lambda",
        metric="Errors",
        dimensions={"FunctionName": "orders-notifier"},
        statistic="Sum",
        period=60,
        alarm_actions=[alerts],
        tags=prod,
    )

    # Tracing.
    s.default_sampling_rule()
    s.sampling_rule("orders-api", 100, 0.05, 1, "orders-api")
    s.xray_encryption(None)
    s.xray_groups([])

    # About 20 log groups, some hardened, some not.
    specs = [
        {"name": "/aws/lambda/orders-api", "retention": 30, "kms_key": data_key, "tags": {**prod, "data-class": "personal"}},
        {"name": "/aws/lambda/orders-read-mock", "tags": prod},
        {"name": "/aws/lambda/orders-notifier", "retention": 14, "tags": prod},
        {"name": "/aws/rds/instance/orders-db/postgresql", "retention": 365, "kms_key": data_key, "tags": {**prod, "data-class": "personal"}},
        {"name": "API-Gateway-Execution-Logs_q1w2e3r4t5/prod", "retention": 7, "tags": prod},
    ]
    retentions = [None, 30, 90, 365, 3653]
    for i in range(15):
        specs.append(
            {
                "name": f"/orders/service-{i:02d}",
                "retention": retentions[i % 5],
                "kms_key": data_key if i % 3 == 0 else None,
                "tags": {"env": "prod"} if i % 2 == 0 else {},
            }
        )
    s.log_groups(specs)


def seed_scale(s: Seeder, log_groups: int, functions: int, traffic_days: int = 0):
    """Many log groups and functions, each function with an error-rate alarm; with
    traffic_days, every function's traffic over that many days to now (5-minute
    windows, a steady 100 requests and one error every tenth window), the manifest
    keeping how many windows each has."""
    s.lambda_role()
    alerts = s.topic("scale-alerts")
    s.subscription(alerts, "email", "oncall@example.com", confirm=True)

    retentions = [None, 7, 30, 365, 3653]
    s.log_groups(
        [
            {
                "name": f"/jalon/scale/lg-{i:05d}",
                "retention": retentions[i % 5],
                "tags": {"env": "prod"} if i % 10 == 0 else None,
            }
            for i in range(log_groups)
        ]
    )

    names = [f"scale-fn-{i:04d}" for i in range(functions)]
    s.parallel(lambda name: s.function(name, env={"STAGE": "prod"}, tags={"env": "prod"}), names)
    s.parallel(lambda name: s.error_rate_alarm(name, [alerts]), names)
    if traffic_days:
        period = 300
        now = int(datetime.datetime.now(datetime.timezone.utc).timestamp()) - INGESTION_DELAY_SECONDS
        start = now - now % period - traffic_days * 86400
        windows = traffic_days * 288
        s.parallel(lambda name: s.function_traffic(name, start, windows, 100, lambda i: 1 if i % 10 == 0 else 0, 150), names)
        s.manifest["metrics"] = {"start": start, "windows": windows, "functions": len(names)}

    s.parameter_group("scale-pg16", "postgres16", {"rds.force_ssl": "1"})
    s.db_instance("scale-db", encrypted=True, backups=7, parameter_group="scale-pg16", tags={"env": "prod"})
    s.secret("scale/app", "scale-secret", tags={"env": "prod"})
    s.default_sampling_rule()
    s.sampling_rule("scale-api", 100, 0.05, 1, "scale-api")
    s.xray_encryption(None)
    s.xray_groups([])


def seed_small(s: Seeder):
    """A little of everything, for runs over many accounts (the multi-account
    benchmark): every collector finds one or two resources, in few API calls."""
    prod = {"env": "prod"}
    key = s.kms_key("app-data", "application data", rotate=True)
    s.lambda_role()
    alerts = s.topic("alerts", tags=prod)
    s.subscription(alerts, "email", "oncall@example.com", confirm=True)
    s.function("api", env={"STAGE": "prod"}, tracing="Active", tags=prod)
    s.function("worker", env={"STAGE": "prod"}, tags=prod)
    s.error_rate_alarm("api", [alerts], tags=prod)
    s.log_groups(
        [
            {"name": "/aws/lambda/api", "retention": 30, "tags": prod},
            {"name": "/aws/lambda/worker"},
            {"name": "/app/audit", "retention": 365, "kms_key": key},
        ]
    )
    s.queue("worker-dlq", retention=1209600)
    s.table("sessions", pitr=False, tags=prod)
    s.serverless_cache("app-cache", tags=prod)
    s.bucket("app-assets", kms_key=key, tags=prod)
    s.trail("audit", kms_key=key)
    s.http_api("app-http", [("GET /items", "api", None)], tags=prod)
    s.deployment_group("app", "api", alarms=["api-error-rate"], tags=prod)
    s.appconfig_environment("app-flags", "prod", alarms=["api-error-rate"])
    s.db_instance("app-db", encrypted=True, kms_key=key, backups=7, tags=prod)
    s.secret("prod/app/api-key", "small-secret", tags=prod)
    s.default_sampling_rule()
    s.xray_encryption(None)
    s.xray_groups([])
    # The last day in 5-minute windows (an error every tenth), for the metrics collector.
    period, windows = 300, 288
    now = int(datetime.datetime.now(datetime.timezone.utc).timestamp()) - INGESTION_DELAY_SECONDS
    start = now - now % period - windows * period
    s.manifest["metrics"] = {
        "start": start,
        "windows": windows,
        "functions": {"api": s.function_traffic("api", start, windows, 100, lambda i: 1 if i % 10 == 0 else 0, 150)},
        "databases": {"app-db": s.db_cpu("app-db", start, windows, 35)},
    }


def seed(args, account: str | None, clients: Clients) -> dict:
    """Seed one account (None: the credentials' own) and write its manifest."""
    seeder = Seeder(args.endpoint, args.region, args.canary, account=account, clients=clients)
    if args.scenario == "varied":
        seed_varied(seeder)
    elif args.scenario == "demo":
        seed_demo(seeder)
    elif args.scenario == "small":
        seed_small(seeder)
    else:
        seed_scale(seeder, args.log_groups, args.functions, args.traffic_days)

    manifest = seeder.finish()
    manifest = {"scenario": args.scenario, **manifest}
    path = args.manifest.replace("{account}", seeder.account_id)
    with open(path, "w") as out:
        json.dump(manifest, out, indent=2, sort_keys=False)
        out.write("\n")
    return manifest


def main(argv=None):
    parser = argparse.ArgumentParser(description="Seed a jalon-moto emulator.")
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--region", default="eu-west-3")
    parser.add_argument("--scenario", required=True, choices=["varied", "demo", "scale", "small"])
    parser.add_argument(
        "--manifest", required=True, help="where to write the manifest (JSON); {account} is replaced by the account id"
    )
    parser.add_argument(
        "--account",
        action="append",
        default=[],
        metavar="ID",
        help="seed this 12-digit account (repeatable); default: the credentials' own, 123456789012",
    )
    parser.add_argument("--canary", default=None)
    parser.add_argument("--log-groups", type=int, default=2000, help="scale scenario only")
    parser.add_argument("--functions", type=int, default=50, help="scale scenario only")
    parser.add_argument("--traffic-days", type=int, default=0, help="scale scenario only: days of metric data per function")
    parser.add_argument("--reset", action="store_true", help="POST /moto-api/reset first")
    args = parser.parse_args(argv)
    for account in args.account:
        if not (len(account) == 12 and account.isdigit()):
            parser.error(f"--account {account}: not a 12-digit account id")
    if len(set(args.account)) > 1 and "{account}" not in args.manifest:
        parser.error("several --account: --manifest must name each file with {account}")

    if args.reset:
        req = urllib.request.Request(args.endpoint.rstrip("/") + "/moto-api/reset", method="POST", data=b"")
        urllib.request.urlopen(req).read()

    clients = Clients(args.endpoint, args.region)
    for account in dict.fromkeys(args.account) or [None]:
        started = time.monotonic()
        manifest = seed(args, account, clients)
        counts = {
            "functions": len(manifest["lambda"]["functions"]),
            "log_groups": len(manifest["logs"]["log_groups"]),
            "alarms": len(manifest["cloudwatch"]["metric_alarms"]),
        }
        where = f"{args.endpoint}" + (f", account {account}" if account else "")
        print(
            f"seeded {args.scenario} into {where}: {counts} in {time.monotonic() - started:.2f} s",
            file=sys.stderr,
        )


if __name__ == "__main__":
    main()
