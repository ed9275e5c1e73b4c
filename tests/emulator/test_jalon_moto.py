"""Proves each jalon-moto patch with real clients (boto3 / botocore).

    python -m pytest tests/emulator -q

One server is shared by the module; every test starts from a reset emulator
(`/moto-api/reset`), no denied service and zeroed request counts.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile

import boto3
import botocore.model
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from jalon_cbor import decode_any  # noqa: E402

REGION = "eu-west-3"
ACCOUNT = "123456789012"
CW_CBOR_PREFIX = "/service/GraniteServiceVersion20100801/operation/"


# ====================================================================== server fixtures


class Emulator:
    def __init__(self, env=None):
        self.stderr = tempfile.TemporaryFile()  # a file: a pipe nobody drains could fill up
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "jalon_moto.py"), "--host", "127.0.0.1", "--port", "0"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            env={**os.environ, **(env or {})},
            text=True,
        )
        line = self.proc.stdout.readline()
        if not line.startswith("jalon-moto ready on http://127.0.0.1:"):
            self.stderr.seek(0)
            raise AssertionError(line + self.stderr.read().decode(errors="replace"))
        self.endpoint = line.split(" on ", 1)[1].strip()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    # -------------------------------------------------------- HTTP helpers

    def request(self, method, path, doc=None, headers=None, body=None):
        data = body if body is not None else (json.dumps(doc).encode() if doc is not None else None)
        req = urllib.request.Request(self.endpoint + path, data=data, method=method)
        for key, value in (headers or {}).items():
            req.add_header(key, value)
        try:
            with urllib.request.urlopen(req) as resp:
                return resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read()

    def control(self, method, path, doc=None):
        status, _, body = self.request(method, path, doc, {"Content-Type": "application/json"})
        assert status == 200, body
        return json.loads(body)

    def deny(self, services):
        return self.control("POST", "/_jalon/deny", {"services": services})

    def counts(self):
        return self.control("GET", "/_jalon/requests")

    def reset(self):
        self.request("POST", "/moto-api/reset", body=b"")
        self.deny([])
        self.control("POST", "/_jalon/requests/reset")

    # -------------------------------------------------------- clients

    def client(self, service, cbor=False):
        session = boto3.session.Session(
            aws_access_key_id="AKIAJALONTEST0000001", aws_secret_access_key="x", region_name=REGION
        )
        config = Config(retries={"max_attempts": 1})
        if not cbor:
            return session.client(service, endpoint_url=self.endpoint, config=config)
        # botocore 1.44 prefers awsJson for CloudWatch and Tagging; put CBOR first
        # while this client is built so it talks smithy-rpc-v2-cbor.
        original = botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS
        botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = ("smithy-rpc-v2-cbor",) + tuple(
            p for p in original if p != "smithy-rpc-v2-cbor"
        )
        try:
            client = session.client(service, endpoint_url=self.endpoint, config=config)
        finally:
            botocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = original
        assert client.meta.service_model.resolved_protocol == "smithy-rpc-v2-cbor"
        return client


@pytest.fixture(scope="module")
def server():
    emulator = Emulator()
    yield emulator
    emulator.stop()


@pytest.fixture
def emu(server):
    server.reset()
    return server


def wire_log(client):
    """Record the URL, request headers and response headers of every call."""
    seen = []

    def before(request, **_):
        seen.append({"url": request.url, "headers": dict(request.headers)})

    def after(response_dict, **_):
        if response_dict is not None:
            seen[-1]["status"] = response_dict["status_code"]
            seen[-1]["response_headers"] = {k.lower(): v for k, v in response_dict["headers"].items()}

    client.meta.events.register("before-send", before)
    client.meta.events.register("response-received", after)
    return seen


def lambda_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("index.py", "def handler(e, c):\n    return 1\n")
    return buf.getvalue()


def make_function(lam, name, **extra):
    iam_role = f"arn:aws:iam::{ACCOUNT}:role/jalon-test"
    args = {
        "FunctionName": name,
        "Runtime": "python3.12",
        "Role": iam_role,
        "Handler": "index.handler",
        "Code": {"ZipFile": lambda_zip()},
    }
    args.update(extra)
    return lam.create_function(**args)


@pytest.fixture
def role(emu):
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
    return emu.client("iam").create_role(RoleName="jalon-test", AssumeRolePolicyDocument=json.dumps(trust))


# ====================================================================== process lifetime


def test_ready_line_then_exit_when_stdin_closes():
    emulator = Emulator()
    status, _, body = emulator.request("GET", "/_jalon/health")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    emulator.proc.stdin.close()
    assert emulator.proc.wait(timeout=10) == 0


def test_exit_on_sigterm():
    emulator = Emulator()
    emulator.proc.send_signal(signal.SIGTERM)
    assert emulator.proc.wait(timeout=10) == 0
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", int(emulator.endpoint.rsplit(":", 1)[1])), timeout=1)


# ====================================================================== (a) CBOR bridge


def error_rate_metrics(function):
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

    return [
        stat("err", "Errors"),
        stat("inv", "Invocations"),
        {"Id": "rate", "Expression": "IF(inv > 0, 100 * FILL(err, 0) / inv, 0)", "ReturnData": True},
    ]


def test_cbor_cloudwatch_roundtrip_and_pagination(emu):
    cw = emu.client("cloudwatch", cbor=True)
    log = wire_log(cw)
    cw.put_metric_alarm(
        AlarmName="api-error-rate",
        Metrics=error_rate_metrics("api"),
        Threshold=2.0,
        ComparisonOperator="GreaterThanThreshold",
        EvaluationPeriods=5,
        TreatMissingData="notBreaching",
        AlarmActions=[f"arn:aws:sns:{REGION}:{ACCOUNT}:alerts"],
        Tags=[{"Key": "env", "Value": "prod"}],
    )
    cw.put_metric_alarm(
        AlarmName="api-p95",
        Namespace="AWS/Lambda",
        MetricName="Duration",
        Dimensions=[{"Name": "FunctionName", "Value": "api"}],
        ExtendedStatistic="p95",
        Period=60,
        EvaluationPeriods=5,
        Threshold=500,
        ComparisonOperator="GreaterThanThreshold",
    )
    for i in range(5):
        cw.put_metric_alarm(
            AlarmName=f"errors-{i}",
            Namespace="AWS/Lambda",
            MetricName="Errors",
            Statistic="Sum",
            Period=60,
            EvaluationPeriods=1,
            Threshold=0,
            ComparisonOperator="GreaterThanThreshold",
        )
    cw.put_composite_alarm(AlarmName="api-health", AlarmRule='ALARM("api-error-rate") OR ALARM("api-p95")')

    # Every call went out as rpc-v2-cbor and came back as CBOR.
    assert len(log) == 8 and all(CW_CBOR_PREFIX in call["url"] for call in log)
    assert all(call["headers"]["smithy-protocol"] == b"rpc-v2-cbor" for call in log)

    names, token, pages = [], None, 0
    while True:
        args = {"MaxRecords": 3, "AlarmTypes": ["MetricAlarm", "CompositeAlarm"]}
        if token:
            args["NextToken"] = token
        page = cw.describe_alarms(**args)
        pages += 1
        names += [a["AlarmName"] for a in page["MetricAlarms"] + page["CompositeAlarms"]]
        token = page.get("NextToken")
        if not token:
            break
    assert pages == 3
    assert sorted(names) == sorted(["api-error-rate", "api-p95", "api-health"] + [f"errors-{i}" for i in range(5)])
    assert log[-1]["response_headers"]["content-type"] == "application/cbor"
    assert log[-1]["response_headers"]["smithy-protocol"] == "rpc-v2-cbor"

    full = cw.describe_alarms(AlarmNames=["api-error-rate", "api-health"], AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    alarm = full["MetricAlarms"][0]
    assert alarm["Threshold"] == 2.0 and alarm["EvaluationPeriods"] == 5
    assert [m["Id"] for m in alarm["Metrics"]] == ["err", "inv", "rate"]
    assert alarm["Metrics"][2]["Expression"] == "IF(inv > 0, 100 * FILL(err, 0) / inv, 0)"
    assert alarm["Metrics"][0]["MetricStat"]["Metric"]["Dimensions"] == [{"Name": "FunctionName", "Value": "api"}]
    assert isinstance(alarm["StateUpdatedTimestamp"], datetime.datetime)
    assert full["CompositeAlarms"][0]["AlarmRule"] == 'ALARM("api-error-rate") OR ALARM("api-p95")'

    # Without AlarmTypes, AWS returns metric alarms only.
    default = cw.describe_alarms()
    assert default["CompositeAlarms"] == [] and len(default["MetricAlarms"]) == 7

    assert cw.list_tags_for_resource(ResourceARN=alarm["AlarmArn"])["Tags"] == [{"Key": "env", "Value": "prod"}]
    cw.tag_resource(ResourceARN=alarm["AlarmArn"], Tags=[{"Key": "team", "Value": "orders"}])
    tags = cw.list_tags_for_resource(ResourceARN=alarm["AlarmArn"])["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"env": "prod", "team": "orders"}

    cw.set_alarm_state(AlarmName="api-p95", StateValue="ALARM", StateReason="test")
    assert cw.describe_alarms(AlarmNames=["api-p95"])["MetricAlarms"][0]["StateValue"] == "ALARM"
    cw.delete_alarms(AlarmNames=["errors-0", "errors-1"])
    assert len(cw.describe_alarms(MaxRecords=100)["MetricAlarms"]) == 5


def cbor_head(major, n):
    if n < 24:
        return bytes([major << 5 | n])
    if n < 256:
        return bytes([major << 5 | 24, n])
    return bytes([major << 5 | 25]) + n.to_bytes(2, "big")


def cbor_text(text):
    raw = text.encode()
    return cbor_head(3, len(raw)) + raw


def raw_cbor_call(emu, operation, body, service="monitoring", prefix=CW_CBOR_PREFIX):
    headers = {
        "Content-Type": "application/cbor",
        "Accept": "application/cbor",
        "smithy-protocol": "rpc-v2-cbor",
        "x-amzn-query-mode": "true",
        "Authorization": f"AWS4-HMAC-SHA256 Credential=AKIAJALONTEST0000001/20260101/{REGION}/{service}/aws4_request, SignedHeaders=host, Signature=0",
    }
    return emu.request("POST", prefix + operation, headers=headers, body=body)


def test_cbor_wire_format_matches_what_the_rust_decoder_needs(emu):
    """A request shaped like aws-smithy-cbor's (indefinite-length map and
    array), and a response whose item types the Rust decoder accepts: doubles
    as CBOR floats, integers as integers, timestamps as tag 1."""
    emu.client("cloudwatch").put_metric_alarm(
        AlarmName="p95",
        Namespace="AWS/Lambda",
        MetricName="Duration",
        ExtendedStatistic="p95",
        Period=60,
        EvaluationPeriods=5,
        Threshold=500,  # an integral double: must still be a CBOR float
        ComparisonOperator="GreaterThanThreshold",
    )
    body = (
        b"\xbf"
        + cbor_text("AlarmTypes")
        + b"\x9f"
        + cbor_text("MetricAlarm")
        + cbor_text("CompositeAlarm")
        + b"\xff"
        + cbor_text("MaxRecords")
        + cbor_head(0, 100)
        + b"\xff"
    )
    status, headers, payload = raw_cbor_call(emu, "DescribeAlarms", body)
    assert status == 200
    assert headers["Content-Type"] == "application/cbor"
    assert headers["smithy-protocol"] == "rpc-v2-cbor"
    doc = decode_any(payload)
    alarm = doc["MetricAlarms"][0]
    assert type(alarm["Threshold"]) is float and alarm["Threshold"] == 500.0
    assert type(alarm["EvaluationPeriods"]) is int and type(alarm["Period"]) is int
    assert type(alarm["ActionsEnabled"]) is bool
    assert isinstance(alarm["StateUpdatedTimestamp"], datetime.datetime)  # decoded from tag 1
    assert b"\xc1\xfb" in payload  # tag 1 followed by a float64: epoch seconds with milliseconds
    assert b"\xfb\x40\x7f\x40\x00\x00\x00\x00\x00" in payload  # 500.0 as float64
    assert doc["CompositeAlarms"] == []


def test_cbor_errors_carry_type_and_query_error(emu):
    status, headers, payload = raw_cbor_call(emu, "DescribeAlarms", b"\xa1" + cbor_text("NextToken") + cbor_text("bogus"))
    assert status == 400
    error = decode_any(payload)
    # moto namespaces the code ("GraniteServiceVersion20100801#InvalidNextToken");
    # the Rust client keeps what follows '#', and the query code wins if sent.
    assert error["__type"].split("#")[-1] == "InvalidNextToken"
    assert headers.get("x-amzn-query-error", "InvalidNextToken;Sender").split(";")[0] == "InvalidNextToken"
    assert headers["Content-Type"] == "application/cbor"

    cw = emu.client("cloudwatch", cbor=True)
    with pytest.raises(ClientError) as err:
        cw.describe_alarms(MaxRecords=101)
    assert err.value.response["Error"]["Code"] == "InvalidParameterValue"
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400

    status, _, payload = raw_cbor_call(emu, "NoSuchOperation", b"\xa0")
    assert status == 400 and decode_any(payload)["__type"] == "SerializationException"


def test_cbor_tagging_get_resources(emu):
    cw = emu.client("cloudwatch")
    for i in range(5):
        cw.put_metric_alarm(
            AlarmName=f"tagged-{i}",
            Namespace="AWS/Lambda",
            MetricName="Errors",
            Statistic="Sum",
            Period=60,
            EvaluationPeriods=1,
            Threshold=0,
            ComparisonOperator="GreaterThanThreshold",
            Tags=[{"Key": "env", "Value": "prod"}],
        )
    emu.client("sns").create_topic(Name="tagged-topic", Tags=[{"Key": "env", "Value": "prod"}])

    tagging = emu.client("resourcegroupstaggingapi", cbor=True)
    log = wire_log(tagging)
    arns, token = [], ""
    while True:
        page = tagging.get_resources(ResourcesPerPage=2, ResourceTypeFilters=["cloudwatch:alarm"], PaginationToken=token)
        arns += [r["ResourceARN"] for r in page["ResourceTagMappingList"]]
        token = page.get("PaginationToken", "")
        if not token:
            break
    assert sorted(arns) == [f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:tagged-{i}" for i in range(5)]
    assert "/service/ResourceGroupsTaggingAPI_20170126/operation/GetResources" in log[0]["url"]
    assert log[0]["response_headers"]["content-type"] == "application/cbor"
    everything = tagging.get_resources(ResourcesPerPage=100)["ResourceTagMappingList"]
    assert any(r["ResourceARN"].endswith(":tagged-topic") for r in everything)
    assert emu.counts()["tagging:GetResources"] == 4

    emu.deny(["tagging"])
    with pytest.raises(ClientError) as err:
        tagging.get_resources()
    assert err.value.response["Error"]["Code"] == "AccessDeniedException"
    assert log[-1]["response_headers"]["content-type"] == "application/cbor"


# ====================================================================== (b) Lambda


def test_lambda_create_returns_dlq_tracing_kms_logging(emu, role):
    lam = emu.client("lambda")
    dlq = f"arn:aws:sqs:{REGION}:{ACCOUNT}:dlq"
    key = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/11111111-2222-3333-4444-555555555555"
    make_function(
        lam,
        "f1",
        DeadLetterConfig={"TargetArn": dlq},
        TracingConfig={"Mode": "Active"},
        KMSKeyArn=key,
        LoggingConfig={"LogFormat": "JSON", "ApplicationLogLevel": "WARN"},
    )
    expected_logging = {"LogFormat": "JSON", "ApplicationLogLevel": "WARN", "SystemLogLevel": "INFO", "LogGroup": "/aws/lambda/f1"}
    for config in (
        lam.get_function(FunctionName="f1")["Configuration"],
        lam.get_function_configuration(FunctionName="f1"),
        lam.list_functions()["Functions"][0],
    ):
        assert config["DeadLetterConfig"] == {"TargetArn": dlq}
        assert config["TracingConfig"] == {"Mode": "Active"}
        assert config["KMSKeyArn"] == key
        assert config["LoggingConfig"] == expected_logging

    make_function(lam, "plain")
    plain = lam.get_function_configuration(FunctionName="plain")
    assert "DeadLetterConfig" not in plain and "KMSKeyArn" not in plain
    assert plain["TracingConfig"] == {"Mode": "PassThrough"}
    assert plain["LoggingConfig"] == {"LogFormat": "Text", "LogGroup": "/aws/lambda/plain"}


def test_lambda_update_configuration_keeps_tracing_kms_dlq_logging(emu, role):
    lam = emu.client("lambda")
    make_function(lam, "f2")
    dlq = f"arn:aws:sns:{REGION}:{ACCOUNT}:failures"
    key = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k2"
    updated = lam.update_function_configuration(
        FunctionName="f2",
        TracingConfig={"Mode": "Active"},
        KMSKeyArn=key,
        DeadLetterConfig={"TargetArn": dlq},
        LoggingConfig={"LogFormat": "JSON", "LogGroup": "/custom/f2"},
    )
    assert updated["TracingConfig"] == {"Mode": "Active"}
    config = lam.get_function_configuration(FunctionName="f2")
    assert config["TracingConfig"] == {"Mode": "Active"}
    assert config["KMSKeyArn"] == key
    assert config["DeadLetterConfig"] == {"TargetArn": dlq}
    assert config["LoggingConfig"] == {
        "LogFormat": "JSON",
        "LogGroup": "/custom/f2",
        "ApplicationLogLevel": "INFO",
        "SystemLogLevel": "INFO",
    }
    # Empty values revert to the defaults, as on AWS.
    lam.update_function_configuration(FunctionName="f2", KMSKeyArn="", DeadLetterConfig={"TargetArn": ""})
    config = lam.get_function_configuration(FunctionName="f2")
    assert "KMSKeyArn" not in config and "DeadLetterConfig" not in config
    # A published version keeps the settings of $LATEST at publish time.
    version = lam.publish_version(FunctionName="f2")["Version"]
    assert lam.get_function_configuration(FunctionName="f2", Qualifier=version)["TracingConfig"] == {"Mode": "Active"}


def test_lambda_list_functions_pages_by_50(emu, role):
    lam = emu.client("lambda")
    for i in range(55):
        make_function(lam, f"fn-{i:02d}")
    first = lam.list_functions()
    assert len(first["Functions"]) == 50 and first["NextMarker"]
    second = lam.list_functions(Marker=first["NextMarker"])
    assert len(second["Functions"]) == 5 and "NextMarker" not in second
    assert len(lam.list_functions(MaxItems=500)["Functions"]) == 50  # AWS caps a page at 50
    names = [f["FunctionName"] for f in first["Functions"] + second["Functions"]]
    assert sorted(names) == [f"fn-{i:02d}" for i in range(55)]
    assert emu.counts()["lambda:ListFunctions"] == 3


def test_lambda_event_invoke_config_per_qualifier(emu, role):
    lam = emu.client("lambda")
    make_function(lam, "async")
    failures = f"arn:aws:sqs:{REGION}:{ACCOUNT}:failures"
    put = lam.put_function_event_invoke_config(
        FunctionName="async", MaximumRetryAttempts=1, DestinationConfig={"OnFailure": {"Destination": failures}}
    )
    assert put["FunctionArn"] == f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:async:$LATEST"
    lam.publish_version(FunctionName="async")
    lam.put_function_event_invoke_config(FunctionName="async", Qualifier="1", MaximumEventAgeInSeconds=600)
    lam.update_function_event_invoke_config(FunctionName="async", MaximumEventAgeInSeconds=3600)
    configs = lam.list_function_event_invoke_configs(FunctionName="async")["FunctionEventInvokeConfigs"]
    by_arn = {c["FunctionArn"].rsplit(":", 1)[1]: c for c in configs}
    assert set(by_arn) == {"$LATEST", "1"}
    assert by_arn["$LATEST"]["MaximumRetryAttempts"] == 1
    assert by_arn["$LATEST"]["MaximumEventAgeInSeconds"] == 3600
    assert by_arn["$LATEST"]["DestinationConfig"]["OnFailure"]["Destination"] == failures
    assert by_arn["1"]["MaximumEventAgeInSeconds"] == 600 and "MaximumRetryAttempts" not in by_arn["1"]
    # Put replaces: settings left out are removed.
    lam.put_function_event_invoke_config(FunctionName="async", MaximumRetryAttempts=0)
    latest = lam.get_function_event_invoke_config(FunctionName="async")
    assert latest["MaximumRetryAttempts"] == 0 and "DestinationConfig" not in latest


def test_lambda_reserved_concurrency_zero_is_reported(emu, role):
    lam = emu.client("lambda")
    make_function(lam, "kill-switch")
    lam.put_function_concurrency(FunctionName="kill-switch", ReservedConcurrentExecutions=0)
    assert lam.get_function(FunctionName="kill-switch")["Concurrency"] == {"ReservedConcurrentExecutions": 0}


# ====================================================================== (c) RDS


def test_rds_instance_keeps_performance_insights_and_security_settings(emu):
    rds = emu.client("rds")
    key = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/data"
    rds.create_db_parameter_group(DBParameterGroupName="hardened", DBParameterGroupFamily="postgres16", Description="x")
    rds.modify_db_parameter_group(
        DBParameterGroupName="hardened",
        Parameters=[{"ParameterName": "rds.force_ssl", "ParameterValue": "1", "ApplyMethod": "immediate"}],
    )
    rds.create_db_instance(
        DBInstanceIdentifier="hard",
        Engine="postgres",
        EngineVersion="16.3",
        DBInstanceClass="db.t4g.medium",
        AllocatedStorage=20,
        MasterUsername="admin_user",
        ManageMasterUserPassword=True,
        StorageEncrypted=True,
        KmsKeyId=key,
        EnablePerformanceInsights=True,
        PerformanceInsightsRetentionPeriod=7,
        BackupRetentionPeriod=7,
        DeletionProtection=True,
        MultiAZ=True,
        PubliclyAccessible=False,
        EnableIAMDatabaseAuthentication=True,
        EnableCloudwatchLogsExports=["postgresql"],
        DBParameterGroupName="hardened",
    )
    rds.create_db_instance(
        DBInstanceIdentifier="weak",
        Engine="postgres",
        EngineVersion="16.3",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        MasterUsername="admin_user",
        MasterUserPassword="password-123",
        StorageEncrypted=True,  # no key: the aws/rds key
    )
    hard, weak = sorted(rds.describe_db_instances()["DBInstances"], key=lambda d: d["DBInstanceIdentifier"])
    assert hard["PerformanceInsightsEnabled"] is True
    assert hard["PerformanceInsightsRetentionPeriod"] == 7
    assert hard["PerformanceInsightsKMSKeyId"].startswith(f"arn:aws:kms:{REGION}:{ACCOUNT}:key/")
    assert (hard["StorageEncrypted"], hard["KmsKeyId"]) == (True, key)
    assert (hard["BackupRetentionPeriod"], hard["DeletionProtection"], hard["MultiAZ"]) == (7, True, True)
    assert (hard["PubliclyAccessible"], hard["IAMDatabaseAuthenticationEnabled"]) == (False, True)
    assert hard["EnabledCloudwatchLogsExports"] == ["postgresql"]
    assert hard["MasterUserSecret"]["SecretArn"].startswith(f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:rds!db-")
    assert [g["DBParameterGroupName"] for g in hard["DBParameterGroups"]] == ["hardened"]
    params = rds.describe_db_parameters(DBParameterGroupName="hardened")["Parameters"]
    assert {p["ParameterName"]: p["ParameterValue"] for p in params}["rds.force_ssl"] == "1"

    assert weak["PerformanceInsightsEnabled"] is False and "PerformanceInsightsRetentionPeriod" not in weak
    assert weak["KmsKeyId"].startswith(f"arn:aws:kms:{REGION}:{ACCOUNT}:key/")  # not "default_kms_key_id"
    assert weak["PubliclyAccessible"] is True  # default VPC, no subnet group
    assert "MasterUserSecret" not in weak

    rds.modify_db_instance(
        DBInstanceIdentifier="weak",
        EnablePerformanceInsights=True,
        PerformanceInsightsRetentionPeriod=731,
        ApplyImmediately=True,
    )
    weak = rds.describe_db_instances(DBInstanceIdentifier="weak")["DBInstances"][0]
    assert (weak["PerformanceInsightsEnabled"], weak["PerformanceInsightsRetentionPeriod"]) == (True, 731)
    rds.modify_db_instance(DBInstanceIdentifier="weak", EnablePerformanceInsights=False, ApplyImmediately=True)
    weak = rds.describe_db_instances(DBInstanceIdentifier="weak")["DBInstances"][0]
    assert weak["PerformanceInsightsEnabled"] is False and "PerformanceInsightsRetentionPeriod" not in weak


def test_rds_cluster_fields(emu):
    rds = emu.client("rds")
    rds.create_db_cluster(
        DBClusterIdentifier="ledger",
        Engine="aurora-postgresql",
        EngineVersion="16.2",
        MasterUsername="admin_user",
        ManageMasterUserPassword=True,
        StorageEncrypted=True,
        EnablePerformanceInsights=True,
        BackupRetentionPeriod=7,
        DeletionProtection=True,
    )
    rds.modify_db_cluster(
        DBClusterIdentifier="ledger",
        EnableIAMDatabaseAuthentication=True,
        CloudwatchLogsExportConfiguration={"EnableLogTypes": ["postgresql"]},
        ApplyImmediately=True,
    )
    cluster = rds.describe_db_clusters(DBClusterIdentifier="ledger")["DBClusters"][0]
    assert cluster["PerformanceInsightsEnabled"] is True and cluster["PerformanceInsightsRetentionPeriod"] == 7
    assert cluster["KmsKeyId"].startswith(f"arn:aws:kms:{REGION}:{ACCOUNT}:key/")
    assert cluster["DBClusterParameterGroup"] == "default.aurora-postgresql16"
    assert cluster["IAMDatabaseAuthenticationEnabled"] is True
    assert cluster["EnabledCloudwatchLogsExports"] == ["postgresql"]
    assert cluster["MasterUserSecret"]["SecretArn"].startswith(f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:rds!cluster-")


# ====================================================================== (d) X-Ray


def sampling_rule(name, priority, rate, service="*"):
    return {
        "RuleName": name,
        "ResourceARN": "*",
        "Priority": priority,
        "FixedRate": rate,
        "ReservoirSize": 1,
        "ServiceName": service,
        "ServiceType": "*",
        "Host": "*",
        "HTTPMethod": "*",
        "URLPath": "*",
        "Version": 1,
    }


def test_xray_sampling_rules(emu):
    xray = emu.client("xray")
    (default,) = xray.get_sampling_rules()["SamplingRuleRecords"]
    rule = default["SamplingRule"]
    assert (rule["RuleName"], rule["Priority"], rule["FixedRate"], rule["ReservoirSize"]) == ("Default", 10000, 0.05, 1)
    assert rule["RuleARN"] == f"arn:aws:xray:{REGION}:{ACCOUNT}:sampling-rule/Default"
    assert all(rule[k] == "*" for k in ("ServiceName", "ServiceType", "Host", "HTTPMethod", "URLPath", "ResourceARN"))

    created = xray.create_sampling_rule(SamplingRule=sampling_rule("api", 100, 0.05, "orders-api"))
    assert created["SamplingRuleRecord"]["SamplingRule"]["RuleARN"].endswith(":sampling-rule/api")
    xray.create_sampling_rule(SamplingRule=sampling_rule("debug", 200, 0.5))
    with pytest.raises(ClientError) as err:
        xray.create_sampling_rule(SamplingRule=sampling_rule("api", 300, 0.1))
    assert err.value.response["Error"]["Code"] == "InvalidRequestException"

    xray.update_sampling_rule(SamplingRuleUpdate={"RuleName": "debug", "FixedRate": 0.25})
    xray.update_sampling_rule(SamplingRuleUpdate={"RuleName": "Default", "FixedRate": 0.1})
    rules = {r["SamplingRule"]["RuleName"]: r["SamplingRule"] for r in xray.get_sampling_rules()["SamplingRuleRecords"]}
    assert rules["debug"]["FixedRate"] == 0.25 and rules["Default"]["FixedRate"] == 0.1
    assert rules["api"]["ServiceName"] == "orders-api"

    xray.delete_sampling_rule(RuleName="debug")
    with pytest.raises(ClientError):
        xray.delete_sampling_rule(RuleName="Default")
    assert sorted(r["SamplingRule"]["RuleName"] for r in xray.get_sampling_rules()["SamplingRuleRecords"]) == ["Default", "api"]
    assert emu.counts()["xray:GetSamplingRules"] == 3


def test_xray_pagination_with_small_pages():
    emulator = Emulator(env={"JALON_XRAY_PAGE_SIZE": "2"})
    try:
        xray = emulator.client("xray")
        for i in range(4):
            xray.create_sampling_rule(SamplingRule=sampling_rule(f"r{i}", 100 + i, 0.05))
        first = xray.get_sampling_rules()
        assert len(first["SamplingRuleRecords"]) == 2 and first["NextToken"]
        pages = list(xray.get_paginator("get_sampling_rules").paginate())
        assert len(pages) == 3
        names = [r["SamplingRule"]["RuleName"] for p in pages for r in p["SamplingRuleRecords"]]
        assert sorted(names) == ["Default", "r0", "r1", "r2", "r3"]
        for i in range(3):
            xray.create_group(GroupName=f"g{i}")
        assert len(list(xray.get_paginator("get_groups").paginate())) == 2  # Default + 3 groups
    finally:
        emulator.stop()


def test_xray_encryption_config_groups_and_tags(emu):
    xray = emu.client("xray")
    assert xray.get_encryption_config()["EncryptionConfig"] == {"Status": "ACTIVE", "Type": "NONE"}
    kms = emu.client("kms")
    key = kms.create_key()["KeyMetadata"]
    kms.create_alias(AliasName="alias/xray-data", TargetKeyId=key["KeyId"])
    put = xray.put_encryption_config(Type="KMS", KeyId="alias/xray-data")
    assert put["EncryptionConfig"]["Status"] == "UPDATING"
    assert xray.get_encryption_config()["EncryptionConfig"] == {"KeyId": key["Arn"], "Status": "ACTIVE", "Type": "KMS"}

    group = xray.create_group(
        GroupName="faults",
        FilterExpression='service("api") { fault }',
        InsightsConfiguration={"InsightsEnabled": True},
        Tags=[{"Key": "env", "Value": "prod"}],
    )["Group"]
    assert group["GroupARN"].startswith(f"arn:aws:xray:{REGION}:{ACCOUNT}:group/faults/")
    groups = {g["GroupName"]: g for g in xray.get_groups()["Groups"]}
    assert set(groups) == {"Default", "faults"}
    assert groups["faults"]["InsightsConfiguration"] == {"InsightsEnabled": True, "NotificationsEnabled": False}
    assert "FilterExpression" not in groups["Default"]
    assert xray.get_group(GroupName="faults")["Group"]["FilterExpression"] == 'service("api") { fault }'
    assert xray.list_tags_for_resource(ResourceARN=group["GroupARN"])["Tags"] == [{"Key": "env", "Value": "prod"}]
    xray.delete_group(GroupName="faults")
    assert [g["GroupName"] for g in xray.get_groups()["Groups"]] == ["Default"]


# ====================================================================== (e) Secrets Manager


def test_secrets_rotation_schedule_expression_and_dates(emu, role):
    lam = emu.client("lambda")
    rotator = make_function(lam, "rotator")["FunctionArn"]
    sm = emu.client("secretsmanager")
    sm.create_secret(Name="days", SecretString="a")
    sm.create_secret(Name="schedule", SecretString="b", KmsKeyId=f"arn:aws:kms:{REGION}:{ACCOUNT}:key/cust")
    sm.create_secret(Name="never", SecretString="c")
    sm.rotate_secret(SecretId="days", RotationLambdaARN=rotator, RotationRules={"AutomaticallyAfterDays": 30})
    sm.rotate_secret(
        SecretId="schedule",
        RotationLambdaARN=rotator,
        RotationRules={"ScheduleExpression": "rate(10 days)", "Duration": "3h"},
        RotateImmediately=False,
    )
    for listed in (True, False):
        if listed:
            secrets = {s["Name"]: s for s in sm.list_secrets()["SecretList"]}
        else:
            secrets = {n: sm.describe_secret(SecretId=n) for n in ("days", "schedule", "never")}
        days, schedule, never = secrets["days"], secrets["schedule"], secrets["never"]
        assert days["RotationEnabled"] is True
        assert days["RotationRules"] == {"AutomaticallyAfterDays": 30}
        assert isinstance(days["LastRotatedDate"], datetime.datetime)
        assert isinstance(days["NextRotationDate"], datetime.datetime)
        assert schedule["RotationEnabled"] is True
        assert schedule["RotationRules"] == {"ScheduleExpression": "rate(10 days)", "Duration": "3h", "AutomaticallyAfterDays": 10}
        assert "LastRotatedDate" not in schedule  # RotateImmediately=False: nothing rotated yet
        assert isinstance(schedule["NextRotationDate"], datetime.datetime)
        assert schedule["KmsKeyId"] == f"arn:aws:kms:{REGION}:{ACCOUNT}:key/cust"
        assert schedule["RotationLambdaARN"] == rotator
        assert "RotationRules" not in never and not never.get("RotationEnabled")


def test_secrets_rds_managed_master_secret(emu):
    rds = emu.client("rds")
    rds.create_db_instance(
        DBInstanceIdentifier="managed",
        Engine="postgres",
        DBInstanceClass="db.t4g.micro",
        AllocatedStorage=20,
        MasterUsername="admin_user",
        ManageMasterUserPassword=True,
    )
    arn = rds.describe_db_instances()["DBInstances"][0]["MasterUserSecret"]["SecretArn"]
    (secret,) = emu.client("secretsmanager").list_secrets()["SecretList"]
    assert secret["ARN"] == arn
    assert secret["OwningService"] == "rds"
    assert secret["RotationEnabled"] is True
    assert secret["RotationRules"]["AutomaticallyAfterDays"] == 7
    assert "RotationLambdaARN" not in secret


# ====================================================================== (f) SNS


def test_sns_email_subscriptions_stay_pending_until_confirmed(emu):
    sns = emu.client("sns")
    topic = sns.create_topic(Name="alerts")["TopicArn"]
    assert sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="a@example.com")["SubscriptionArn"] == "pending confirmation"
    pending_arn = sns.subscribe(
        TopicArn=topic, Protocol="https", Endpoint="https://hooks.example.com/x", ReturnSubscriptionArn=True
    )["SubscriptionArn"]
    sqs_arn = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=f"arn:aws:sqs:{REGION}:{ACCOUNT}:q")["SubscriptionArn"]
    assert sqs_arn.startswith(topic + ":")
    assert sns.get_subscription_attributes(SubscriptionArn=pending_arn)["Attributes"]["PendingConfirmation"] == "true"

    subs = {s["Endpoint"]: s["SubscriptionArn"] for s in sns.list_subscriptions()["Subscriptions"]}
    assert subs["a@example.com"] == "PendingConfirmation"
    assert subs["https://hooks.example.com/x"] == "PendingConfirmation"
    assert subs[f"arn:aws:sqs:{REGION}:{ACCOUNT}:q"] == sqs_arn
    attributes = sns.get_topic_attributes(TopicArn=topic)["Attributes"]
    assert (attributes["SubscriptionsConfirmed"], attributes["SubscriptionsPending"]) == ("1", "2")

    confirmed = sns.confirm_subscription(TopicArn=topic, Token="a@example.com")["SubscriptionArn"]
    assert confirmed.startswith(topic + ":")
    subs = {s["Endpoint"]: s["SubscriptionArn"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]}
    assert subs["a@example.com"] == confirmed
    assert subs["https://hooks.example.com/x"] == "PendingConfirmation"
    sns.confirm_subscription(TopicArn=topic, Token="anything")  # the oldest pending one
    with pytest.raises(ClientError) as err:
        sns.confirm_subscription(TopicArn=topic, Token="anything")
    assert err.value.response["Error"]["Code"] == "InvalidParameter"
    assert sns.get_topic_attributes(TopicArn=topic)["Attributes"]["SubscriptionsPending"] == "0"


# ====================================================================== SQS


def test_sqs_kms_and_sqs_managed_encryption_exclude_each_other(emu):
    sqs = emu.client("sqs")
    names = ["SqsManagedSseEnabled", "KmsMasterKeyId"]

    def encryption(url):
        return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=names)["Attributes"]

    plain = sqs.create_queue(QueueName="plain")["QueueUrl"]
    assert encryption(plain) == {"SqsManagedSseEnabled": "true"}
    keyed = sqs.create_queue(QueueName="keyed", Attributes={"KmsMasterKeyId": "alias/orders"})["QueueUrl"]
    assert encryption(keyed)["SqsManagedSseEnabled"] == "false"
    assert encryption(keyed)["KmsMasterKeyId"] == "alias/orders"
    # A key set later turns SSE-SQS off; SSE-SQS turned on again removes the key.
    sqs.set_queue_attributes(QueueUrl=plain, Attributes={"KmsMasterKeyId": "alias/later"})
    assert encryption(plain) == {"SqsManagedSseEnabled": "false", "KmsMasterKeyId": "alias/later"}
    sqs.set_queue_attributes(QueueUrl=plain, Attributes={"SqsManagedSseEnabled": "true"})
    assert encryption(plain) == {"SqsManagedSseEnabled": "true"}
    off = sqs.create_queue(QueueName="off", Attributes={"SqsManagedSseEnabled": "false"})["QueueUrl"]
    assert encryption(off) == {"SqsManagedSseEnabled": "false"}


def test_kms_keys_aws_creates_are_managed_and_rotated_by_aws(emu):
    kms = emu.client("kms")
    managed = kms.describe_key(KeyId="alias/aws/rds")["KeyMetadata"]
    assert managed["KeyManager"] == "AWS"
    assert kms.get_key_rotation_status(KeyId=managed["KeyId"])["KeyRotationEnabled"] is True
    own = kms.create_key(Description="orders")["KeyMetadata"]
    assert own["KeyManager"] == "CUSTOMER"
    assert kms.get_key_rotation_status(KeyId=own["KeyId"])["KeyRotationEnabled"] is False


# ====================================================================== DynamoDB


def test_dynamodb_replicas_added_by_update_table_are_described(emu):
    ddb = emu.client("dynamodb")
    ddb.create_table(
        TableName="carts",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    assert "Replicas" not in ddb.describe_table(TableName="carts")["Table"]
    ddb.update_table(TableName="carts", ReplicaUpdates=[{"Create": {"RegionName": "us-east-1"}}])
    ddb.update_table(TableName="carts", ReplicaUpdates=[{"Create": {"RegionName": "eu-central-1"}}])
    table = ddb.describe_table(TableName="carts")["Table"]
    assert table["GlobalTableVersion"] == "2019.11.21"
    assert [r["RegionName"] for r in table["Replicas"]] == ["us-east-1", "eu-central-1"]
    ddb.update_table(TableName="carts", ReplicaUpdates=[{"Delete": {"RegionName": "us-east-1"}}])
    assert [r["RegionName"] for r in ddb.describe_table(TableName="carts")["Table"]["Replicas"]] == ["eu-central-1"]


def test_dynamodb_default_encryption_key_is_managed_and_rotated_by_aws(emu):
    ddb = emu.client("dynamodb")
    ddb.create_table(
        TableName="flags",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        SSESpecification={"Enabled": True},
    )
    sse = ddb.describe_table(TableName="flags")["Table"]["SSEDescription"]
    kms = emu.client("kms")
    key = kms.describe_key(KeyId=sse["KMSMasterKeyArn"])["KeyMetadata"]
    assert kms.list_aliases(KeyId=key["KeyId"])["Aliases"][0]["AliasName"] == "alias/aws/dynamodb"
    assert key["KeyManager"] == "AWS"
    assert kms.get_key_rotation_status(KeyId=key["KeyId"])["KeyRotationEnabled"] is True
    # A customer key named by its id or alias is described by its ARN.
    own = kms.create_key(Description="orders")["KeyMetadata"]
    kms.create_alias(AliasName="alias/orders", TargetKeyId=own["KeyId"])
    for name, key_ref in [("by-id", own["KeyId"]), ("by-alias", "alias/orders")]:
        ddb.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
            SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key_ref},
        )
        assert ddb.describe_table(TableName=name)["Table"]["SSEDescription"]["KMSMasterKeyArn"] == own["Arn"]


# ====================================================================== ElastiCache


def test_elasticache_serverless_caches_are_created_described_and_paged(emu):
    ec = emu.client("elasticache")
    for i in range(3):
        ec.create_serverless_cache(ServerlessCacheName=f"cache-{i}", Engine="valkey", Tags=[{"Key": "env", "Value": "prod"}])
    ec.create_serverless_cache(
        ServerlessCacheName="keyed", Engine="redis", KmsKeyId="k1", UserGroupId="app-users", SnapshotRetentionLimit=7
    )
    first = ec.describe_serverless_caches(MaxResults=2)
    assert [c["ServerlessCacheName"] for c in first["ServerlessCaches"]] == ["cache-0", "cache-1"]
    rest = ec.describe_serverless_caches(MaxResults=2, NextToken=first["NextToken"])
    assert [c["ServerlessCacheName"] for c in rest["ServerlessCaches"]] == ["cache-2", "keyed"]
    assert "NextToken" not in rest
    keyed = ec.describe_serverless_caches(ServerlessCacheName="keyed")["ServerlessCaches"][0]
    assert keyed["ARN"] == f"arn:aws:elasticache:{REGION}:123456789012:serverlesscache:keyed"
    assert (keyed["Status"], keyed["KmsKeyId"], keyed["UserGroupId"], keyed["SnapshotRetentionLimit"]) == (
        "available",
        "k1",
        "app-users",
        7,
    )
    plain = ec.describe_serverless_caches(ServerlessCacheName="cache-0")["ServerlessCaches"][0]
    assert "UserGroupId" not in plain and "KmsKeyId" not in plain and plain["SnapshotRetentionLimit"] == 0
    with pytest.raises(ClientError) as err:
        ec.describe_serverless_caches(ServerlessCacheName="gone")
    assert err.value.response["Error"]["Code"] == "ServerlessCacheNotFoundFault"


def test_elasticache_tagging_types_are_aws_names_and_tagged_only(emu):
    ec = emu.client("elasticache")
    ec.create_replication_group(
        ReplicationGroupId="tagged", ReplicationGroupDescription="t", Tags=[{"Key": "env", "Value": "prod"}]
    )
    ec.create_replication_group(ReplicationGroupId="untagged", ReplicationGroupDescription="u")
    ec.create_serverless_cache(ServerlessCacheName="carts", Engine="valkey", Tags=[{"Key": "env", "Value": "prod"}])
    tagging = emu.client("resourcegroupstaggingapi")
    found = tagging.get_resources(ResourceTypeFilters=["elasticache:replicationgroup", "elasticache:serverlesscache"])
    arns = sorted(r["ResourceARN"] for r in found["ResourceTagMappingList"])
    assert arns == [
        f"arn:aws:elasticache:{REGION}:123456789012:replicationgroup:tagged",
        f"arn:aws:elasticache:{REGION}:123456789012:serverlesscache:carts",
    ]


# ====================================================================== S3


def test_s3_list_buckets_pages_sorted_with_each_bucket_region(emu):
    s3 = emu.client("s3")
    for name in ["zeta", "alpha", "mid"]:
        s3.create_bucket(Bucket=f"jalon-{name}", CreateBucketConfiguration={"LocationConstraint": REGION})
    ireland = boto3.client(
        "s3", endpoint_url=emu.endpoint, region_name="eu-west-1", aws_access_key_id="AKIAJALONTEST0000001", aws_secret_access_key="x"
    )
    ireland.create_bucket(Bucket="jalon-elsewhere", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    first = s3.list_buckets(MaxBuckets=2, BucketRegion=REGION)
    assert [b["Name"] for b in first["Buckets"]] == ["jalon-alpha", "jalon-mid"]
    assert {b["BucketRegion"] for b in first["Buckets"]} == {REGION}
    rest = s3.list_buckets(MaxBuckets=2, BucketRegion=REGION, ContinuationToken=first["ContinuationToken"])
    assert [b["Name"] for b in rest["Buckets"]] == ["jalon-zeta"]
    assert "ContinuationToken" not in rest
    # GetBucketVersioning's document is a VersioningConfiguration, set or not.
    for bucket, status in [("jalon-alpha", None), ("jalon-mid", "Enabled")]:
        if status:
            s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": status})
        raw = urllib.request.urlopen(
            urllib.request.Request(
                f"{emu.endpoint}/{bucket}?versioning",
                headers={"Authorization": "AWS4-HMAC-SHA256 Credential=AKIAJALONTEST0000001/20261206/eu-west-3/s3/aws4_request"},
            )
        ).read().decode()
        assert "<VersioningConfiguration " in raw and (f"<Status>{status}</Status>" in raw) == bool(status), raw
    everywhere = s3.list_buckets()["Buckets"]
    assert [(b["Name"], b["BucketRegion"]) for b in everywhere][:2] == [("jalon-alpha", REGION), ("jalon-elsewhere", "eu-west-1")]


# ====================================================================== API Gateway


def test_apigateway_rest_integrations_and_stages_say_their_defaults(emu):
    ag = emu.client("apigateway")
    api = ag.create_rest_api(name="orders")["id"]
    root = ag.get_resources(restApiId=api)["items"][0]["id"]
    ag.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    uri = f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:{REGION}:123456789012:function:f/invocations"
    ag.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="AWS_PROXY", integrationHttpMethod="POST", uri=uri)
    assert ag.get_integration(restApiId=api, resourceId=root, httpMethod="GET")["timeoutInMillis"] == 29000
    deployment = ag.create_deployment(restApiId=api)["id"]
    ag.create_stage(restApiId=api, stageName="prod", deploymentId=deployment)
    assert ag.get_stages(restApiId=api)["item"][0]["tracingEnabled"] is False


# ====================================================================== CodeDeploy


def test_codedeploy_deployment_groups_keep_their_alarms_and_are_read_in_batches(emu):
    cd = emu.client("codedeploy")
    cd.create_application(applicationName="orders", computePlatform="Lambda")
    role = "arn:aws:iam::123456789012:role/codedeploy"
    cd.create_deployment_group(
        applicationName="orders",
        deploymentGroupName="orders-api",
        serviceRoleArn=role,
        deploymentStyle={"deploymentType": "BLUE_GREEN", "deploymentOption": "WITH_TRAFFIC_CONTROL"},
        alarmConfiguration={"enabled": True, "alarms": [{"name": "orders-api-error-rate"}]},
        autoRollbackConfiguration={"enabled": True, "events": ["DEPLOYMENT_STOP_ON_ALARM"]},
    )
    cd.create_deployment_group(applicationName="orders", deploymentGroupName="bare", serviceRoleArn=role)
    read = cd.batch_get_deployment_groups(applicationName="orders", deploymentGroupNames=["orders-api", "bare", "gone"])
    groups = {g["deploymentGroupName"]: g for g in read["deploymentGroupsInfo"]}
    assert groups["orders-api"]["alarmConfiguration"] == {
        "enabled": True,
        "ignorePollAlarmFailure": False,
        "alarms": [{"name": "orders-api-error-rate"}],
    }
    assert groups["bare"]["alarmConfiguration"] == {"enabled": False, "ignorePollAlarmFailure": False, "alarms": []}
    assert "gone" in read["errorMessage"]


# ====================================================================== AppConfig


def test_appconfig_applications_and_environments_with_their_monitors(emu):
    ac = emu.client("appconfig")
    apps = [ac.create_application(Name=f"flags-{i}")["Id"] for i in range(3)]
    first = ac.list_applications(MaxResults=2)
    rest = ac.list_applications(MaxResults=2, NextToken=first["NextToken"])
    assert sorted(a["Id"] for a in first["Items"] + rest["Items"]) == sorted(apps)
    assert "NextToken" not in rest
    alarm = f"arn:aws:cloudwatch:{REGION}:123456789012:alarm:orders-api-error-rate"
    role = "arn:aws:iam::123456789012:role/appconfig-monitor"
    env = ac.create_environment(ApplicationId=apps[0], Name="prod", Monitors=[{"AlarmArn": alarm, "AlarmRoleArn": role}])
    ac.create_environment(ApplicationId=apps[0], Name="dev")
    listed = ac.list_environments(ApplicationId=apps[0])["Items"]
    assert sorted(e["Name"] for e in listed) == ["dev", "prod"]
    got = ac.get_environment(ApplicationId=apps[0], EnvironmentId=env["Id"])
    assert got["Monitors"] == [{"AlarmArn": alarm, "AlarmRoleArn": role}] and got["State"] == "ReadyForDeployment"
    assert ac.list_environments(ApplicationId=apps[1])["Items"] == []
    with pytest.raises(ClientError) as err:
        ac.list_environments(ApplicationId="nope000")
    assert err.value.response["Error"]["Code"] == "ResourceNotFoundException"


# ====================================================================== CloudWatch (JSON) and Logs


def test_cloudwatch_json_alarms_start_insufficient_and_composites_exist(emu):
    cw = emu.client("cloudwatch")  # botocore's default: awsJson 1.0
    cw.put_metric_alarm(
        AlarmName="a",
        Namespace="AWS/Lambda",
        MetricName="Errors",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=0,
        ComparisonOperator="GreaterThanThreshold",
    )
    cw.put_composite_alarm(AlarmName="c", AlarmRule='ALARM("a")', ActionsEnabled=False)
    both = cw.describe_alarms(AlarmTypes=["MetricAlarm", "CompositeAlarm"])
    assert both["MetricAlarms"][0]["StateValue"] == "INSUFFICIENT_DATA"
    composite = both["CompositeAlarms"][0]
    assert (composite["AlarmName"], composite["AlarmRule"], composite["ActionsEnabled"]) == ("c", 'ALARM("a")', False)
    assert cw.describe_alarms()["CompositeAlarms"] == []


def test_logs_group_class_and_pagination(emu):
    logs = emu.client("logs")
    for i in range(120):
        args = {"logGroupName": f"/g/{i:03d}"}
        if i == 7:
            args["logGroupClass"] = "INFREQUENT_ACCESS"
        logs.create_log_group(**args)
    pages = list(logs.get_paginator("describe_log_groups").paginate())
    assert [len(p["logGroups"]) for p in pages] == [50, 50, 20]
    groups = {g["logGroupName"]: g for p in pages for g in p["logGroups"]}
    assert groups["/g/007"]["logGroupClass"] == "INFREQUENT_ACCESS"
    assert groups["/g/008"]["logGroupClass"] == "STANDARD"


def test_log_groups_are_tagged_resources_of_type_log_group(emu):
    logs = emu.client("logs")
    logs.create_log_group(logGroupName="/g/tagged", tags={"env": "prod"})
    logs.create_log_group(logGroupName="/g/untagged")
    tagging = emu.client("resourcegroupstaggingapi")
    found = tagging.get_resources(ResourceTypeFilters=["logs:log-group"])["ResourceTagMappingList"]
    assert [(r["ResourceARN"].rsplit(":", 1)[-1], r["Tags"]) for r in found] == [
        ("/g/tagged", [{"Key": "env", "Value": "prod"}])
    ]


# ====================================================================== (g) control endpoints


def test_deny_answers_access_denied_in_each_protocol_for_denied_services_only(emu):
    emu.client("rds").describe_db_instances()  # works before
    assert emu.deny(["rds", "logs", "lambda", "xray", "cloudwatch", "sns", "secretsmanager", "sts"]) == {
        "denied": ["cloudwatch", "lambda", "logs", "rds", "secretsmanager", "sns", "sts", "xray"]
    }

    def denied(service, operation, **kwargs):
        with pytest.raises(ClientError) as err:
            getattr(emu.client(service), operation)(**kwargs)
        return err.value.response

    # awsQuery: HTTP 403, XML ErrorResponse, code AccessDenied
    for service, operation in (("rds", "describe_db_instances"), ("sns", "list_topics"), ("sts", "get_caller_identity")):
        response = denied(service, operation)
        assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == ("AccessDenied", 403)
    # awsJson: HTTP 400, __type AccessDeniedException
    for service, operation in (("logs", "describe_log_groups"), ("secretsmanager", "list_secrets")):
        response = denied(service, operation)
        assert (response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]) == ("AccessDeniedException", 400)
    # restJson: HTTP 403, x-amzn-ErrorType
    for service, operation in (("lambda", "list_functions"), ("xray", "get_sampling_rules")):
        response = denied(service, operation)
        assert response["Error"]["Code"] == "AccessDeniedException"
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 403
        assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"] == "AccessDeniedException"
    # CloudWatch over awsJson with query mode: the query code wins.
    response = denied("cloudwatch", "describe_alarms")
    assert response["Error"]["Code"] == "AccessDenied"
    assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-query-error"] == "AccessDenied;Sender"
    # CloudWatch over rpc-v2-cbor: a CBOR map with __type.
    status, headers, payload = raw_cbor_call(emu, "DescribeAlarms", b"\xa0")
    assert status == 400 and headers["smithy-protocol"] == "rpc-v2-cbor"
    assert decode_any(payload)["__type"] == "AccessDeniedException"
    assert headers["x-amzn-query-error"] == "AccessDenied;Sender"

    # Services not denied still answer.
    assert emu.client("resourcegroupstaggingapi").get_resources()["ResourceTagMappingList"] == []
    assert emu.client("kms").list_keys()["Keys"] == []

    emu.deny([])
    assert emu.client("rds").describe_db_instances()["DBInstances"] == []
    assert emu.client("lambda").list_functions()["Functions"] == []


def test_deny_s3_and_s3_control_answer_the_error_documents_their_clients_read(emu):
    assert emu.deny(["s3", "s3control"]) == {"denied": ["s3", "s3control"]}
    with pytest.raises(ClientError) as err:
        emu.client("s3").list_buckets()
    assert (err.value.response["Error"]["Code"], err.value.response["ResponseMetadata"]["HTTPStatusCode"]) == ("AccessDenied", 403)
    # S3 Control signs as s3; its errors are wrapped in ErrorResponse (aws-sdk-s3control's
    # rest_xml_wrapped_errors reads ErrorResponse/Error/Code; a bare <Error> gives no code).
    auth = f"AWS4-HMAC-SHA256 Credential=AKIAJALONTEST0000001/20260101/{REGION}/s3/aws4_request, SignedHeaders=host, Signature=0"
    status, _, body = emu.request("GET", "/v20180820/configuration/publicAccessBlock", headers={"Authorization": auth})
    assert status == 403
    assert b"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>" in body


def test_request_counts_per_service_operation(emu, role):
    emu.control("POST", "/_jalon/requests/reset")
    lam = emu.client("lambda")
    make_function(lam, "counted")
    lam.list_functions()
    lam.list_functions()
    lam.get_function(FunctionName="counted")
    lam.list_function_event_invoke_configs(FunctionName="counted")
    lam.list_aliases(FunctionName="counted")
    emu.client("logs").describe_log_groups()
    emu.client("rds").describe_db_instances()
    emu.client("cloudwatch", cbor=True).describe_alarms()
    emu.client("cloudwatch").describe_alarms()
    emu.client("xray").get_encryption_config()
    emu.client("xray").get_groups()
    counts = emu.counts()
    assert counts == {
        "lambda:CreateFunction": 1,
        "lambda:ListFunctions": 2,
        "lambda:GetFunction": 1,
        "lambda:ListFunctionEventInvokeConfigs": 1,
        "lambda:ListAliases": 1,
        "logs:DescribeLogGroups": 1,
        "rds:DescribeDBInstances": 1,
        "cloudwatch:DescribeAlarms": 2,
        "xray:GetEncryptionConfig": 1,
        "xray:GetGroups": 1,
    }
    emu.control("POST", "/_jalon/requests/reset")
    assert emu.counts() == {}


def test_control_endpoint_errors(emu):
    status, _, _ = emu.request("POST", "/_jalon/deny", {"services": "rds"}, {"Content-Type": "application/json"})
    assert status == 400
    status, _, _ = emu.request("GET", "/_jalon/nope")
    assert status == 404


# ====================================================================== seed.py


def run_seed(emu, scenario, tmp_path, *extra):
    manifest = tmp_path / f"{scenario}.json"
    subprocess.run(
        [
            sys.executable,
            os.path.join(HERE, "seed.py"),
            "--endpoint",
            emu.endpoint,
            "--region",
            REGION,
            "--scenario",
            scenario,
            "--manifest",
            str(manifest),
            *extra,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(manifest.read_text())


def by_name(items, key="name"):
    return {item[key]: item for item in items}


def test_seed_varied_manifest_matches_the_emulator(emu, tmp_path):
    canary = "CANARY-7f3a"
    manifest = run_seed(emu, "varied", tmp_path, "--canary", canary)
    assert (manifest["scenario"], manifest["account_id"], manifest["region"]) == ("varied", ACCOUNT, REGION)

    logs = manifest["logs"]["log_groups"]
    assert len(logs) == 260
    assert {g["retention_days"] for g in logs} == {None, 7, 30, 365, 3653}
    assert any(g["kms_key_id"] for g in logs) and any(g["tags"].get("data-class") == "personal" for g in logs)

    functions = by_name(manifest["lambda"]["functions"])
    assert len(functions) >= 8
    assert {f["runtime"] for f in functions.values()} >= {"python3.12", "nodejs20.x", "python3.8"}
    assert functions["orders-worker"]["dead_letter_target_arn"].endswith(":orders-worker-dlq")
    assert functions["billing-events"]["event_invoke_configs"][0]["on_failure_destination"].endswith(":billing-events-failures")
    assert "DB_PASSWORD" in functions["orders-worker"]["environment_variable_names"]
    assert {f["tracing_mode"] for f in functions.values()} == {"Active", "PassThrough"}
    checkout_live = functions["checkout-api"]["aliases"][0]
    assert (checkout_live["name"], checkout_live["function_version"], checkout_live["additional_version_weights"]) == (
        "live",
        "1",
        {"2": 0.5},
    )
    principals = {p["principal"] for f in functions.values() for p in f["invoke_permissions"]}
    assert principals >= {"sns.amazonaws.com", "s3.amazonaws.com", "events.amazonaws.com", "apigateway.amazonaws.com"}
    assert len(manifest["lambda"]["event_source_mappings"]) == 2
    queues = by_name(manifest["sqs"]["queues"])
    assert queues["orders-queue"]["redrive"]["dead_letter_target_arn"] == queues["orders-queue-dlq"]["arn"]
    assert queues["orders-worker-dlq"]["kms_master_key_id"] and not queues["orders-worker-dlq"]["sqs_managed_sse"]
    assert queues["payments-queue"]["redrive"] is None

    rds = manifest["rds"]
    assert len([i for i in rds["instances"] if i["engine"] == "postgres"]) == 3 and len(rds["clusters"]) == 1
    secrets = by_name(manifest["secretsmanager"]["secrets"])
    assert secrets["prod/orders-db/app-user"]["rotation_every_days"] == 30
    assert secrets["prod/billing/stripe-api-key"]["rotation_schedule_expression"] == "rate(10 days)"
    alarms = by_name(manifest["cloudwatch"]["metric_alarms"])
    assert alarms["orders-api-error-rate"]["metrics"][2]["expression"] == "IF(inv > 0, 100 * FILL(err, 0) / inv, 0)"
    assert alarms["orders-api-p95-latency"]["extended_statistic"] == "p95"
    assert alarms["billing-events-errors-muted"]["actions_enabled"] is False
    subs = manifest["sns"]["subscriptions"]
    assert sorted(s["confirmed"] for s in subs if s["protocol"] == "email") == [False, True]
    assert [r["fixed_rate"] for r in by_name(manifest["xray"]["sampling_rules"]).values()] == [0.05, 0.5, 0.05]

    compare_with_emulator(emu, manifest)
    assert_canary_everywhere(emu, canary)


def test_seed_demo_manifest_matches_the_emulator(emu, tmp_path):
    manifest = run_seed(emu, "demo", tmp_path)
    functions = by_name(manifest["lambda"]["functions"])
    assert set(functions) == {"orders-api", "orders-read-mock", "orders-notifier"}
    assert functions["orders-read-mock"]["tags"]["path"] == "mock"
    assert functions["orders-api"]["aliases"][0]["name"] == "live"
    assert 18 <= len(manifest["logs"]["log_groups"]) <= 22
    (db,) = manifest["rds"]["instances"]
    assert db["identifier"] == "orders-db" and db["master_user_secret_arn"]
    assert by_name(manifest["secretsmanager"]["secrets"])  # the RDS-managed secret is listed
    assert any(s["owning_service"] == "rds" for s in manifest["secretsmanager"]["secrets"])
    assert [s["confirmed"] for s in manifest["sns"]["subscriptions"] if s["protocol"] == "email"] == [True]
    compare_with_emulator(emu, manifest)


def test_seed_scale_is_small_when_asked(emu, tmp_path):
    manifest = run_seed(emu, "scale", tmp_path, "--log-groups", "120", "--functions", "7")
    assert len(manifest["logs"]["log_groups"]) == 120
    assert len(manifest["lambda"]["functions"]) == 7
    assert len(manifest["cloudwatch"]["metric_alarms"]) == 7
    compare_with_emulator(emu, manifest)


# ====================================================================== read-back: the emulator vs the manifest


def paginate(client, operation, key, **kwargs):
    return [item for page in client.get_paginator(operation).paginate(**kwargs) for item in page[key]]


def tags_of(tag_list, key="Key", value="Value"):
    return {t[key]: t[value] for t in tag_list or []}


def collect(emu):
    """A small Python collector: the emulator's answers, in snapshot field names."""
    out = {}
    # The account whose ARNs the collector builds (CodeDeploy, AppConfig), as jalon's own.
    account = emu.client("sts").get_caller_identity()["Account"]
    lam = emu.client("lambda")
    functions = {}
    for fn in paginate(lam, "list_functions", "Functions"):
        name = fn["FunctionName"]
        full = lam.get_function(FunctionName=name)
        logging = fn.get("LoggingConfig") or {}
        policy = []
        try:
            policy = json.loads(lam.get_policy(FunctionName=name)["Policy"])["Statement"]
        except ClientError:
            pass
        functions[name] = {
            "arn": fn["FunctionArn"],
            "name": name,
            "region": REGION,
            "runtime": fn.get("Runtime"),
            "package_type": fn.get("PackageType"),
            "timeout_seconds": fn.get("Timeout"),
            "memory_mb": fn.get("MemorySize"),
            "tracing_mode": (fn.get("TracingConfig") or {}).get("Mode"),
            "kms_key_arn": fn.get("KMSKeyArn"),
            "environment_variable_names": sorted((fn.get("Environment") or {}).get("Variables", {})),
            "dead_letter_target_arn": (fn.get("DeadLetterConfig") or {}).get("TargetArn"),
            "logging": {
                "log_format": logging.get("LogFormat"),
                "application_log_level": logging.get("ApplicationLogLevel"),
                "system_log_level": logging.get("SystemLogLevel"),
                "log_group": logging.get("LogGroup"),
            },
            "tags": full.get("Tags", {}),
            "event_invoke_configs": [
                {
                    "function_arn": c["FunctionArn"],
                    "on_failure_destination": c.get("DestinationConfig", {}).get("OnFailure", {}).get("Destination"),
                    "on_success_destination": c.get("DestinationConfig", {}).get("OnSuccess", {}).get("Destination"),
                    "maximum_retry_attempts": c.get("MaximumRetryAttempts"),
                    "maximum_event_age_seconds": c.get("MaximumEventAgeInSeconds"),
                }
                for c in lam.list_function_event_invoke_configs(FunctionName=name)["FunctionEventInvokeConfigs"]
            ],
            "aliases": [
                {
                    "arn": a["AliasArn"],
                    "name": a["Name"],
                    "function_version": a["FunctionVersion"],
                    "additional_version_weights": (a.get("RoutingConfig") or {}).get("AdditionalVersionWeights", {}),
                }
                for a in lam.list_aliases(FunctionName=name)["Aliases"]
            ],
            "reserved_concurrency": (full.get("Concurrency") or {}).get("ReservedConcurrentExecutions"),
            "invoke_permissions": [
                {
                    "sid": s["Sid"],
                    "principal": s["Principal"].get("Service") or s["Principal"].get("AWS"),
                    "action": s["Action"],
                    "source_arn": s.get("Condition", {}).get("ArnLike", {}).get("AWS:SourceArn"),
                }
                for s in policy
            ],
        }
    out["functions"] = functions
    out["event_source_mappings"] = {
        m["UUID"]: {
            "uuid": m["UUID"],
            "region": REGION,
            "function_arn": m["FunctionArn"],
            "event_source_arn": m.get("EventSourceArn"),
            "state": m.get("State"),
            "on_failure_destination": (m.get("DestinationConfig") or {}).get("OnFailure", {}).get("Destination"),
            "batch_size": m.get("BatchSize"),
            "maximum_retry_attempts": m.get("MaximumRetryAttempts"),
            "maximum_record_age_seconds": m.get("MaximumRecordAgeInSeconds"),
            "bisect_batch_on_function_error": m.get("BisectBatchOnFunctionError"),
            "function_response_types": m.get("FunctionResponseTypes") or [],
        }
        for m in paginate(lam, "list_event_source_mappings", "EventSourceMappings")
    }

    logs = emu.client("logs")
    out["log_groups"] = {
        g["logGroupName"]: {
            "arn": g["logGroupArn"],
            "name": g["logGroupName"],
            "region": REGION,
            "retention_days": g.get("retentionInDays"),
            "kms_key_id": g.get("kmsKeyId"),
            "data_protection_status": g.get("dataProtectionStatus"),
            "log_group_class": g.get("logGroupClass"),
            "stored_bytes": g.get("storedBytes"),
            "tags": logs.list_tags_for_resource(resourceArn=g["logGroupArn"])["tags"],
        }
        for g in paginate(logs, "describe_log_groups", "logGroups")
    }

    rds = emu.client("rds")
    out["instances"] = {
        d["DBInstanceIdentifier"]: {
            "arn": d["DBInstanceArn"],
            "identifier": d["DBInstanceIdentifier"],
            "region": REGION,
            "engine": d["Engine"],
            "engine_version": d.get("EngineVersion"),
            "instance_class": d.get("DBInstanceClass"),
            "cluster_identifier": d.get("DBClusterIdentifier"),
            "storage_encrypted": d.get("StorageEncrypted", False),
            "kms_key_id": d.get("KmsKeyId"),
            "performance_insights_enabled": d.get("PerformanceInsightsEnabled", False),
            "performance_insights_retention_days": d.get("PerformanceInsightsRetentionPeriod"),
            "backup_retention_days": d.get("BackupRetentionPeriod"),
            "deletion_protection": d.get("DeletionProtection", False),
            "multi_az": d.get("MultiAZ", False),
            "publicly_accessible": d.get("PubliclyAccessible", False),
            "iam_auth_enabled": d.get("IAMDatabaseAuthenticationEnabled", False),
            "master_user_secret_arn": (d.get("MasterUserSecret") or {}).get("SecretArn"),
            "cloudwatch_logs_exports": d.get("EnabledCloudwatchLogsExports", []),
            "parameter_groups": [g["DBParameterGroupName"] for g in d.get("DBParameterGroups", [])],
            "read_replica_source": d.get("ReadReplicaSourceDBInstanceIdentifier"),
            "tags": tags_of(d.get("TagList")),
        }
        for d in paginate(rds, "describe_db_instances", "DBInstances")
    }
    out["clusters"] = {
        c["DBClusterIdentifier"]: {
            "arn": c["DBClusterArn"],
            "identifier": c["DBClusterIdentifier"],
            "region": REGION,
            "engine": c["Engine"],
            "engine_version": c.get("EngineVersion"),
            "storage_encrypted": c.get("StorageEncrypted", False),
            "kms_key_id": c.get("KmsKeyId"),
            "performance_insights_enabled": c.get("PerformanceInsightsEnabled", False),
            "performance_insights_retention_days": c.get("PerformanceInsightsRetentionPeriod"),
            "backup_retention_days": c.get("BackupRetentionPeriod"),
            "deletion_protection": c.get("DeletionProtection", False),
            "iam_auth_enabled": c.get("IAMDatabaseAuthenticationEnabled", False),
            "master_user_secret_arn": (c.get("MasterUserSecret") or {}).get("SecretArn"),
            "cloudwatch_logs_exports": c.get("EnabledCloudwatchLogsExports", []),
            "parameter_group": c.get("DBClusterParameterGroup"),
            "members": sorted(m["DBInstanceIdentifier"] for m in c.get("DBClusterMembers", [])),
            "tags": tags_of(c.get("TagList")),
        }
        for c in paginate(rds, "describe_db_clusters", "DBClusters")
    }

    sm = emu.client("secretsmanager")
    out["secrets"] = {}
    for s in paginate(sm, "list_secrets", "SecretList"):
        rules = s.get("RotationRules") or {}
        out["secrets"][s["Name"]] = {
            "arn": s["ARN"],
            "name": s["Name"],
            "region": REGION,
            "description": s.get("Description"),
            "kms_key_id": s.get("KmsKeyId"),
            "rotation_enabled": bool(s.get("RotationEnabled")),
            "rotation_lambda_arn": s.get("RotationLambdaARN"),
            "rotation_every_days": rules.get("AutomaticallyAfterDays"),
            "rotation_schedule_expression": rules.get("ScheduleExpression"),
            "last_rotated_at": s.get("LastRotatedDate"),
            "owning_service": s.get("OwningService"),
            "tags": tags_of(s.get("Tags")),
        }

    cw = emu.client("cloudwatch", cbor=True)  # the Rust SDK's protocol
    metric, composite = [], []
    for page in cw.get_paginator("describe_alarms").paginate(AlarmTypes=["MetricAlarm", "CompositeAlarm"]):
        metric += page["MetricAlarms"]
        composite += page["CompositeAlarms"]

    def query(q):
        stat = q.get("MetricStat")
        return {
            "id": q["Id"],
            "expression": q.get("Expression"),
            "label": q.get("Label"),
            "return_data": q.get("ReturnData"),
            "period_seconds": q.get("Period"),
            "metric_stat": None
            if not stat
            else {
                "namespace": stat["Metric"].get("Namespace"),
                "metric_name": stat["Metric"].get("MetricName"),
                "dimensions": tags_of(stat["Metric"].get("Dimensions"), "Name", "Value"),
                "period_seconds": stat.get("Period"),
                "stat": stat.get("Stat"),
                "unit": stat.get("Unit"),
            },
        }

    out["metric_alarms"] = {
        a["AlarmName"]: {
            "arn": a["AlarmArn"],
            "name": a["AlarmName"],
            "region": REGION,
            "description": a.get("AlarmDescription"),
            "namespace": a.get("Namespace"),
            "metric_name": a.get("MetricName"),
            "dimensions": tags_of(a.get("Dimensions"), "Name", "Value"),
            "statistic": a.get("Statistic"),
            "extended_statistic": a.get("ExtendedStatistic"),
            "metrics": [query(q) for q in a.get("Metrics", [])],
            "threshold": a.get("Threshold"),
            "threshold_metric_id": a.get("ThresholdMetricId"),
            "comparison_operator": a.get("ComparisonOperator"),
            "period_seconds": a.get("Period"),
            "evaluation_periods": a.get("EvaluationPeriods"),
            "datapoints_to_alarm": a.get("DatapointsToAlarm"),
            "treat_missing_data": a.get("TreatMissingData"),
            "actions_enabled": a.get("ActionsEnabled"),
            "alarm_actions": a.get("AlarmActions", []),
            "ok_actions": a.get("OKActions", []),
            "insufficient_data_actions": a.get("InsufficientDataActions", []),
            "state_value": a.get("StateValue"),
            "tags": tags_of(cw.list_tags_for_resource(ResourceARN=a["AlarmArn"])["Tags"]),
        }
        for a in metric
    }
    out["composite_alarms"] = {
        a["AlarmName"]: {
            "arn": a["AlarmArn"],
            "name": a["AlarmName"],
            "region": REGION,
            "description": a.get("AlarmDescription"),
            "rule": a.get("AlarmRule"),
            "actions_enabled": a.get("ActionsEnabled"),
            "alarm_actions": a.get("AlarmActions", []),
            "state_value": a.get("StateValue"),
        }
        for a in composite
    }

    sns = emu.client("sns")
    out["topics"] = {
        t["TopicArn"].rsplit(":", 1)[1]: {"arn": t["TopicArn"], "name": t["TopicArn"].rsplit(":", 1)[1], "region": REGION}
        for t in paginate(sns, "list_topics", "Topics")
    }
    out["subscriptions"] = {
        f"{s['TopicArn'].rsplit(':', 1)[1]}/{s['Protocol']}/{s['Endpoint']}": {
            "arn": None if s["SubscriptionArn"] == "PendingConfirmation" else s["SubscriptionArn"],
            "topic_arn": s["TopicArn"],
            "region": REGION,
            "protocol": s["Protocol"],
            "confirmed": s["SubscriptionArn"] != "PendingConfirmation",
        }
        for s in paginate(sns, "list_subscriptions", "Subscriptions")
    }

    xray = emu.client("xray")
    out["sampling_rules"] = {}
    for record in paginate(xray, "get_sampling_rules", "SamplingRuleRecords"):
        r = record["SamplingRule"]
        out["sampling_rules"][r["RuleName"]] = {
            "arn": r["RuleARN"],
            "name": r["RuleName"],
            "region": REGION,
            "priority": r["Priority"],
            "fixed_rate": r["FixedRate"],
            "reservoir_size": r["ReservoirSize"],
            "service_name": r["ServiceName"],
            "service_type": r["ServiceType"],
            "host": r["Host"],
            "http_method": r["HTTPMethod"],
            "url_path": r["URLPath"],
            "resource_arn": r["ResourceARN"],
        }
    enc = xray.get_encryption_config()["EncryptionConfig"]
    out["encryption_configs"] = {
        REGION: {"region": REGION, "encryption_type": enc["Type"], "key_id": enc.get("KeyId"), "status": enc.get("Status")}
    }
    out["groups"] = {
        g["GroupName"]: {
            "arn": g["GroupARN"],
            "name": g["GroupName"],
            "region": REGION,
            "filter_expression": g.get("FilterExpression"),
            "insights_enabled": (g.get("InsightsConfiguration") or {}).get("InsightsEnabled", False),
        }
        for g in paginate(xray, "get_groups", "Groups")
    }

    sqs = emu.client("sqs")
    out["queues"] = {}
    for url in paginate(sqs, "list_queues", "QueueUrls", MaxResults=1000):
        a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        redrive = json.loads(a["RedrivePolicy"]) if a.get("RedrivePolicy") else None
        name = a["QueueArn"].rsplit(":", 1)[1]
        out["queues"][name] = {
            "arn": a["QueueArn"],
            "name": name,
            "region": REGION,
            "fifo": a.get("FifoQueue") == "true",
            "visibility_timeout_seconds": int(a["VisibilityTimeout"]),
            "message_retention_seconds": int(a["MessageRetentionPeriod"]),
            "kms_master_key_id": a.get("KmsMasterKeyId"),
            "sqs_managed_sse": a.get("SqsManagedSseEnabled") == "true",
            "redrive": (
                {"dead_letter_target_arn": redrive["deadLetterTargetArn"], "max_receive_count": int(redrive["maxReceiveCount"])}
                if redrive
                else None
            ),
            "tags": sqs.list_queue_tags(QueueUrl=url).get("Tags", {}),
        }

    cloudtrail = emu.client("cloudtrail")
    out["trails"] = {}
    for trail in cloudtrail.describe_trails(includeShadowTrails=False)["trailList"]:
        status = cloudtrail.get_trail_status(Name=trail["TrailARN"])
        out["trails"][trail["Name"]] = {
            "arn": trail["TrailARN"],
            "name": trail["Name"],
            "region": REGION,
            "home_region": trail["HomeRegion"],
            "multi_region": trail["IsMultiRegionTrail"],
            "organization_trail": trail.get("IsOrganizationTrail", False),
            "log_file_validation": trail["LogFileValidationEnabled"],
            "kms_key_id": trail.get("KmsKeyId"),
            "s3_bucket_name": trail.get("S3BucketName"),
            "cloud_watch_logs_log_group_arn": trail.get("CloudWatchLogsLogGroupArn"),
            "logging": status["IsLogging"],
            "latest_delivery_error": status.get("LatestDeliveryError") or None,
        }

    ddb = emu.client("dynamodb")
    out["tables"] = {}
    for name in paginate(ddb, "list_tables", "TableNames"):
        table = ddb.describe_table(TableName=name)["Table"]
        backups = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
        ttl = ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"]
        out["tables"][name] = {
            "arn": table["TableArn"],
            "name": name,
            "region": REGION,
            "status": table["TableStatus"],
            "kms_key_arn": (table.get("SSEDescription") or {}).get("KMSMasterKeyArn"),
            "point_in_time_recovery": backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED",
            "deletion_protection": table["DeletionProtectionEnabled"],
            "ttl_attribute": ttl.get("AttributeName") if ttl["TimeToLiveStatus"] == "ENABLED" else None,
            "replica_regions": sorted(r["RegionName"] for r in table.get("Replicas", [])),
            "tags": {t["Key"]: t["Value"] for t in ddb.list_tags_of_resource(ResourceArn=table["TableArn"])["Tags"]},
        }

    ec = emu.client("elasticache")
    tagged = emu.client("resourcegroupstaggingapi").get_resources(
        ResourceTypeFilters=["elasticache:replicationgroup", "elasticache:serverlesscache"]
    )["ResourceTagMappingList"]
    cache_tags = {r["ResourceARN"]: tags_of(r["Tags"]) for r in tagged}
    out["replication_groups"] = {
        g["ReplicationGroupId"]: {
            "arn": g["ARN"],
            "name": g["ReplicationGroupId"],
            "region": REGION,
            "engine": g["Engine"],
            "status": g["Status"],
            "at_rest_encryption": g["AtRestEncryptionEnabled"],
            "kms_key_id": g.get("KmsKeyId"),
            "transit_encryption": g["TransitEncryptionEnabled"],
            "transit_encryption_mode": g.get("TransitEncryptionMode"),
            "auth_token_enabled": g["AuthTokenEnabled"],
            "user_group_ids": sorted(g.get("UserGroupIds", [])),
            "automatic_failover": g["AutomaticFailover"],
            "multi_az": g["MultiAZ"],
            "snapshot_retention_days": g["SnapshotRetentionLimit"],
            "tags": cache_tags.get(g["ARN"], {}),
        }
        for g in paginate(ec, "describe_replication_groups", "ReplicationGroups")
    }
    out["serverless_caches"] = {
        c["ServerlessCacheName"]: {
            "arn": c["ARN"],
            "name": c["ServerlessCacheName"],
            "region": REGION,
            "engine": c["Engine"],
            "status": c["Status"],
            "kms_key_id": c.get("KmsKeyId"),
            "user_group_id": c.get("UserGroupId"),
            "snapshot_retention_days": c["SnapshotRetentionLimit"],
            "tags": cache_tags.get(c["ARN"], {}),
        }
        for c in paginate(ec, "describe_serverless_caches", "ServerlessCaches")
    }

    s3 = emu.client("s3")
    out["buckets"] = {}

    def absent(call, code, default):
        try:
            return call()
        except ClientError as err:
            if err.response["Error"]["Code"] != code:
                raise
            return default

    for b in s3.list_buckets(BucketRegion=REGION)["Buckets"]:
        name = b["Name"]
        block = absent(lambda: s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"], "NoSuchPublicAccessBlockConfiguration", {})
        encryption = absent(lambda: s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"], "ServerSideEncryptionConfigurationNotFoundError", {})
        policy = absent(lambda: json.loads(s3.get_bucket_policy(Bucket=name)["Policy"]), "NoSuchBucketPolicy", {})
        rules = absent(lambda: s3.get_bucket_lifecycle_configuration(Bucket=name)["Rules"], "NoSuchLifecycleConfiguration", [])
        lock = absent(lambda: s3.get_object_lock_configuration(Bucket=name)["ObjectLockConfiguration"], "ObjectLockConfigurationNotFoundError", {})
        tags = absent(lambda: s3.get_bucket_tagging(Bucket=name)["TagSet"], "NoSuchTagSet", [])
        out["buckets"][name] = {
            "arn": f"arn:aws:s3:::{name}",
            "name": name,
            "region": b["BucketRegion"],
            "public_access_block": {
                "block_public_acls": block.get("BlockPublicAcls", False),
                "ignore_public_acls": block.get("IgnorePublicAcls", False),
                "block_public_policy": block.get("BlockPublicPolicy", False),
                "restrict_public_buckets": block.get("RestrictPublicBuckets", False),
            },
            "encryption": encryption.get("SSEAlgorithm", "AES256"),
            "kms_key_id": encryption.get("KMSMasterKeyID"),
            "tls_only": any(
                st["Effect"] == "Deny" and st.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport") == "false"
                for st in policy.get("Statement", [])
            ),
            "versioning": s3.get_bucket_versioning(Bucket=name).get("Status", "Disabled"),
            "object_lock": lock.get("ObjectLockEnabled") == "Enabled",
            "object_lock_days": (lock.get("Rule", {}).get("DefaultRetention", {}).get("Days")) or None,
            "lifecycle_rules": [
                {
                    "id": r["ID"],
                    "enabled": r["Status"] == "Enabled",
                    "applies_to": f"prefix {r['Filter']['Prefix']}" if r.get("Filter", {}).get("Prefix") else "",
                    "expiration_days": r.get("Expiration", {}).get("Days"),
                    "expiration_date": None,
                    "noncurrent_expiration_days": r.get("NoncurrentVersionExpiration", {}).get("NoncurrentDays"),
                }
                for r in rules
            ],
            "tags": tags_of(tags),
        }

    ag, v2 = emu.client("apigateway"), emu.client("apigatewayv2")
    out["api_stages"], out["api_integrations"] = {}, {}
    for api in paginate(ag, "get_rest_apis", "items"):
        api_arn = f"arn:aws:apigateway:{REGION}::/restapis/{api['id']}"
        for st in ag.get_stages(restApiId=api["id"])["item"]:
            everything = st.get("methodSettings", {}).get("*/*", {})
            out["api_stages"][f"{api['name']}/{st['stageName']}"] = {
                "arn": f"{api_arn}/stages/{st['stageName']}",
                "name": f"{api['name']}/{st['stageName']}",
                "region": REGION,
                "api_id": api["id"],
                "api_type": "REST",
                "access_log_destination": (st.get("accessLogSettings") or {}).get("destinationArn"),
                "tracing": st.get("tracingEnabled", False),
                "throttling_rate_limit": everything.get("throttlingRateLimit"),
                "throttling_burst_limit": everything.get("throttlingBurstLimit"),
                "tags": {**api.get("tags", {}), **st.get("tags", {})},
            }
        for resource in ag.get_resources(restApiId=api["id"], embed=["methods"])["items"]:
            for verb, method in (resource.get("resourceMethods") or {}).items():
                integration = method.get("methodIntegration") or {}
                uri = integration.get("uri", "")
                if "/functions/" not in uri:
                    continue
                arn = f"{api_arn}/resources/{resource['id']}/methods/{verb}"
                out["api_integrations"][arn] = {
                    "arn": arn,
                    "region": REGION,
                    "api_id": api["id"],
                    "api_name": api["name"],
                    "api_type": "REST",
                    "function_arn": uri.split("/functions/")[1].removesuffix("/invocations"),
                    "qualifier": None,
                    "timeout_ms": integration["timeoutInMillis"],
                }
    for api in v2.get_apis()["Items"]:
        api_arn = f"arn:aws:apigateway:{REGION}::/apis/{api['ApiId']}"
        for st in v2.get_stages(ApiId=api["ApiId"])["Items"]:
            defaults = st.get("DefaultRouteSettings", {})
            out["api_stages"][f"{api['Name']}/{st['StageName']}"] = {
                "arn": f"{api_arn}/stages/{st['StageName']}",
                "name": f"{api['Name']}/{st['StageName']}",
                "region": REGION,
                "api_id": api["ApiId"],
                "api_type": api["ProtocolType"],
                "access_log_destination": (st.get("AccessLogSettings") or {}).get("DestinationArn"),
                "tracing": False,
                "throttling_rate_limit": defaults.get("ThrottlingRateLimit"),
                "throttling_burst_limit": defaults.get("ThrottlingBurstLimit"),
                "tags": {**api.get("Tags", {}), **st.get("Tags", {})},
            }
        for integration in v2.get_integrations(ApiId=api["ApiId"])["Items"]:
            arn = f"{api_arn}/integrations/{integration['IntegrationId']}"
            out["api_integrations"][arn] = {
                "arn": arn,
                "region": REGION,
                "api_id": api["ApiId"],
                "api_name": api["Name"],
                "api_type": api["ProtocolType"],
                "function_arn": integration["IntegrationUri"],
                "qualifier": None,
                "timeout_ms": integration["TimeoutInMillis"],
            }

    cd = emu.client("codedeploy")
    out["deployment_groups"] = {}
    apps = paginate(cd, "list_applications", "applications")
    for app in cd.batch_get_applications(applicationNames=apps)["applicationsInfo"] if apps else []:
        if app["computePlatform"] != "Lambda":
            continue
        name = app["applicationName"]
        groups = cd.list_deployment_groups(applicationName=name)["deploymentGroups"]
        for g in cd.batch_get_deployment_groups(applicationName=name, deploymentGroupNames=groups)["deploymentGroupsInfo"]:
            arn = f"arn:aws:codedeploy:{REGION}:{account}:deploymentgroup:{name}/{g['deploymentGroupName']}"
            alarms, rollback = g["alarmConfiguration"], g["autoRollbackConfiguration"]
            out["deployment_groups"][f"{name}/{g['deploymentGroupName']}"] = {
                "arn": arn,
                "name": f"{name}/{g['deploymentGroupName']}",
                "region": REGION,
                "application": name,
                "deployment_config": g["deploymentConfigName"],
                "alarms_enabled": alarms["enabled"],
                "ignore_poll_alarm_failure": alarms["ignorePollAlarmFailure"],
                "alarm_names": sorted(a["name"] for a in alarms["alarms"]),
                "auto_rollback_enabled": rollback.get("enabled", False),
                "auto_rollback_events": sorted(rollback.get("events", [])),
                "tags": tags_of(cd.list_tags_for_resource(ResourceArn=arn)["Tags"]),
            }

    ac = emu.client("appconfig")
    out["appconfig_environments"] = {}
    for app in paginate(ac, "list_applications", "Items"):
        for e in paginate(ac, "list_environments", "Items", ApplicationId=app["Id"]):
            out["appconfig_environments"][f"{app['Name']}/{e['Name']}"] = {
                "arn": f"arn:aws:appconfig:{REGION}:{account}:application/{app['Id']}/environment/{e['Id']}",
                "name": f"{app['Name']}/{e['Name']}",
                "region": REGION,
                "application": app["Name"],
                "state": e["State"],
                "monitor_alarm_arns": sorted(m["AlarmArn"] for m in e.get("Monitors", [])),
            }
    return out


MANIFEST_KEYS = {
    ("lambda", "functions"): ("functions", "name"),
    ("lambda", "event_source_mappings"): ("event_source_mappings", "uuid"),
    ("logs", "log_groups"): ("log_groups", "name"),
    ("rds", "instances"): ("instances", "identifier"),
    ("rds", "clusters"): ("clusters", "identifier"),
    ("secretsmanager", "secrets"): ("secrets", "name"),
    ("cloudwatch", "metric_alarms"): ("metric_alarms", "name"),
    ("cloudwatch", "composite_alarms"): ("composite_alarms", "name"),
    ("sns", "topics"): ("topics", "name"),
    ("sns", "subscriptions"): ("subscriptions", "_key"),
    ("xray", "sampling_rules"): ("sampling_rules", "name"),
    ("xray", "encryption_configs"): ("encryption_configs", "region"),
    ("xray", "groups"): ("groups", "name"),
    ("sqs", "queues"): ("queues", "name"),
    ("cloudtrail", "trails"): ("trails", "name"),
    ("dynamodb", "tables"): ("tables", "name"),
    ("elasticache", "replication_groups"): ("replication_groups", "name"),
    ("elasticache", "serverless_caches"): ("serverless_caches", "name"),
    ("s3", "buckets"): ("buckets", "name"),
    ("apigateway", "stages"): ("api_stages", "name"),
    ("apigateway", "integrations"): ("api_integrations", "arn"),
    ("codedeploy", "deployment_groups"): ("deployment_groups", "name"),
    ("appconfig", "environments"): ("appconfig_environments", "name"),
}

UNORDERED_LISTS = {"event_invoke_configs", "aliases", "invoke_permissions", "cloudwatch_logs_exports"}


def normalise(key, value):
    if key in UNORDERED_LISTS and isinstance(value, list):
        return sorted(value, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def compare_with_emulator(emu, manifest):
    collected = collect(emu)
    problems = []
    for (section, field), (bucket, key) in MANIFEST_KEYS.items():
        for entry in manifest[section][field]:
            actual = collected[bucket].get(entry[key])
            if actual is None:
                problems.append(f"{section}.{field}: {entry[key]} not found in the emulator")
                continue
            for name, expected in entry.items():
                if name.startswith("_"):
                    continue
                if normalise(name, actual.get(name)) != normalise(name, expected):
                    problems.append(
                        f"{section}.{field}[{entry[key]}].{name}: manifest {expected!r} != emulator {actual.get(name)!r}"
                    )
        assert len(manifest[section][field]) == len(collected[bucket]), (
            f"{section}.{field}: manifest lists {len(manifest[section][field])}, emulator has {len(collected[bucket])}"
        )
    assert not problems, "\n".join(problems)


def assert_canary_everywhere(emu, canary):
    sm = emu.client("secretsmanager")
    checked = 0
    for secret in paginate(sm, "list_secrets", "SecretList"):
        if secret.get("OwningService") == "rds":
            continue  # generated by RDS, not by the seeder
        # After an immediate rotation AWSCURRENT is the (empty) version the
        # rotation Lambda should have filled; the seeded value is AWSPREVIOUS.
        texts = []
        for stage in ("AWSCURRENT", "AWSPREVIOUS"):
            try:
                texts.append(sm.get_secret_value(SecretId=secret["ARN"], VersionStage=stage).get("SecretString"))
            except ClientError:
                pass
        assert any(text and canary in text for text in texts), secret["Name"]
        checked += 1
    assert checked >= 4
    lam = emu.client("lambda")
    values = [
        v
        for fn in paginate(lam, "list_functions", "Functions")
        for v in (fn.get("Environment") or {}).get("Variables", {}).values()
    ]
    assert values and all(canary in v for v in values)
