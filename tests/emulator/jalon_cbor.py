"""Smithy RPC v2 CBOR <-> awsJson bridge for moto.

WHY: recent AWS SDKs (the Rust `aws-sdk-cloudwatch`, and botocore when told to)
talk `smithy-rpc-v2-cbor` to CloudWatch and the Resource Groups Tagging API:

    POST /service/GraniteServiceVersion20100801/operation/DescribeAlarms
    smithy-protocol: rpc-v2-cbor
    Content-Type: application/cbor

moto 5.2.5 has no CBOR support at all: such a request falls through to a 404.
Both services also speak awsJson, which moto does understand, so this module
translates one request at a time:

  1. decode the CBOR body against the operation's *input* shape (botocore's own
     RpcV2CBORParser, so timestamps/blobs come out as datetime/bytes),
  2. re-serialise it with botocore's JSONSerializer (X-Amz-Target + JSON body),
  3. let moto answer in awsJson,
  4. encode moto's JSON document as CBOR, typed by the operation's *output*
     shape, with the same encodings as botocore's CBOR serializer: timestamps
     become CBOR tag 1 + epoch seconds (float64, millisecond precision), doubles
     are always CBOR floats (the Rust decoder, minicbor, refuses an integer where
     it expects f64), blobs are byte strings, None members are omitted. This is
     `encode_value`, not botocore's JSONParser + serializer: those take 1.3 s for
     a GetMetricData page of 100,800 points, this 0.07 s.

Errors come back the rpc-v2-cbor way: a CBOR map with `__type` and `message`,
the HTTP status moto chose (400 for client errors), and moto's
`x-amzn-query-error` header passed through for awsQuery-compatible services.

What the Rust client checks (aws-smithy-cbor 0.64 + the generated
deserializers in aws-sdk-cloudwatch 1.140): it does not validate the
`smithy-protocol` response header (we send it anyway, the spec requires it);
it reads the error code from `__type` (text after `#` kept, text after `:`
dropped) and lets `x-amzn-query-error: Code;Type` override it; it reads
timestamps only as tag 1 followed by an int or a float; it requires the body
to be exactly one CBOR item; it ignores the body of operations with no output.
"""

from __future__ import annotations

import base64
import calendar
import datetime
import io
import json
import math
import struct

import botocore.session
from botocore.parsers import RpcV2CBORParser
from botocore.serialize import JSONSerializer
from botocore.utils import parse_timestamp

CBOR_CONTENT_TYPE = "application/cbor"

# Smithy service shape name (the path segment after /service/) -> botocore
# service name. For these services botocore's `targetPrefix` is the same string,
# which is how unknown names are resolved (see `_find_service_by_prefix`).
KNOWN_SERVICES = {
    "GraniteServiceVersion20100801": "cloudwatch",
    "ResourceGroupsTaggingAPI_20170126": "resourcegroupstaggingapi",
}


def _utc_timestamp(value):
    """botocore's default parser returns local-time datetimes; keep UTC."""
    parsed = parse_timestamp(value)
    return parsed.astimezone(datetime.timezone.utc)


def is_cbor_request(environ) -> bool:
    path = environ.get("PATH_INFO", "")
    if not (path.startswith("/service/") and "/operation/" in path):
        return False
    return (
        environ.get("HTTP_SMITHY_PROTOCOL", "").lower() == "rpc-v2-cbor"
        or environ.get("CONTENT_TYPE", "").startswith(CBOR_CONTENT_TYPE)
    )


def operation_from_path(path: str) -> tuple[str, str]:
    """'/service/Svc/operation/Op' -> ('Svc', 'Op')."""
    parts = path.strip("/").split("/")
    if len(parts) != 4 or parts[0] != "service" or parts[2] != "operation":
        raise ValueError(f"not an rpc-v2 path: {path}")
    return parts[1], parts[3]


def encode_error(code: str, message: str) -> bytes:
    """A CBOR map {"__type": code, "message": message}."""
    out = bytearray(b"\xa2")  # map of 2 pairs
    for text in ("__type", code, "message", message):
        _text(out, text)
    return bytes(out)


# ------------------------------------------------------------ CBOR encoding

_DOUBLE = struct.Struct(">Bd").pack  # 0xfb + float64
_TIMESTAMP = struct.Struct(">BBd").pack  # tag 1 (0xc1) + 0xfb + float64
# Half-precision encodings of the special values, as botocore writes them.
_SPECIAL = {math.inf: b"\xf9\x7c\x00", -math.inf: b"\xf9\xfc\x00"}


def _head(out: bytearray, major: int, n: int) -> None:
    if n < 24:
        out.append(major << 5 | n)
    elif n < 0x100:
        out += bytes((major << 5 | 24, n))
    elif n < 0x10000:
        out += bytes((major << 5 | 25,)) + n.to_bytes(2, "big")
    elif n < 0x100000000:
        out += bytes((major << 5 | 26,)) + n.to_bytes(4, "big")
    else:
        out += bytes((major << 5 | 27,)) + n.to_bytes(8, "big")


def _text(out: bytearray, text: str) -> None:
    raw = text.encode("utf-8")
    _head(out, 3, len(raw))
    out += raw


def _double(value) -> bytes:
    value = float(value)  # awsJson may write "NaN", "Infinity", "-Infinity"
    if math.isnan(value):
        return b"\xf9\x7e\x00"
    return _SPECIAL.get(value) or _DOUBLE(0xFB, value)


def _epoch_millis(value) -> float:
    """An awsJson timestamp (epoch number or ISO string) as epoch seconds, truncated
    to the millisecond like botocore's serializer."""
    if isinstance(value, (int, float)):
        micros = round(value * 1_000_000)
        return micros // 1000 / 1000
    parsed = parse_timestamp(value)
    return calendar.timegm(parsed.utctimetuple()) + parsed.microsecond // 1000 / 1000


def encode_value(out: bytearray, value, shape) -> None:
    """Append `value`, as decoded from awsJson, in CBOR typed by `shape`."""
    kind = shape.type_name
    if kind == "structure":
        members = [(k, v) for k, v in value.items() if v is not None and k in shape.members]
        _head(out, 5, len(members))
        for name, item in members:
            _text(out, shape.members[name].serialization.get("name", name))
            encode_value(out, item, shape.members[name])
    elif kind == "list":
        _head(out, 4, len(value))
        member = shape.member
        # The big lists (GetMetricData values and timestamps) in one go.
        if member.type_name == "double":
            out += b"".join(map(_double, value))
        elif member.type_name == "timestamp":
            out += b"".join(_TIMESTAMP(0xC1, 0xFB, _epoch_millis(v)) for v in value)
        else:
            for item in value:
                encode_value(out, item, member)
    elif kind == "map":
        _head(out, 5, len(value))
        for key, item in value.items():
            _text(out, key)
            encode_value(out, item, shape.value)
    elif kind == "string":
        _text(out, value)
    elif kind == "boolean":
        out.append(0xF5 if value else 0xF4)
    elif kind in ("integer", "long"):
        value = int(value)
        if value >= 0:
            _head(out, 0, value)
        else:
            _head(out, 1, -1 - value)
    elif kind == "double":
        out += _double(value)
    elif kind == "float":
        value = float(value)
        out += b"\xfa" + struct.pack(">f", value) if math.isfinite(value) else _double(value)
    elif kind == "timestamp":
        out += _TIMESTAMP(0xC1, 0xFB, _epoch_millis(value))
    elif kind == "blob":
        raw = base64.b64decode(value)
        _head(out, 2, len(raw))
        out += raw
    else:
        raise TypeError(f"no CBOR encoding for shape type {kind}")


def decode_any(body: bytes):
    """Decode a CBOR document without a shape (tests and error bodies)."""
    parser = RpcV2CBORParser(timestamp_parser=_utc_timestamp)
    return parser.parse_data_item(parser.get_peekable_stream_from_bytes(body))


class CborBridge:
    def __init__(self):
        self._session = botocore.session.get_session()
        self._models = {}  # smithy service name -> botocore ServiceModel

    # ------------------------------------------------------------ models

    def service_model(self, smithy_name: str):
        if smithy_name not in self._models:
            botocore_name = KNOWN_SERVICES.get(smithy_name) or self._find_service_by_prefix(
                smithy_name
            )
            if botocore_name is None:
                raise KeyError(smithy_name)
            self._models[smithy_name] = self._session.get_service_model(botocore_name)
        return self._models[smithy_name]

    def _find_service_by_prefix(self, smithy_name: str):
        # Slow path (loads every model once): only for services not listed above.
        loader = self._session.get_component("data_loader")
        for name in loader.list_available_services("service-2"):
            model = self._session.get_service_model(name)
            if model.metadata.get("targetPrefix") == smithy_name and (
                "smithy-rpc-v2-cbor" in (model.metadata.get("protocols") or [])
            ):
                return name
        return None

    # ------------------------------------------------------------ request

    def to_json_request(self, environ, body: bytes):
        """Return (new_environ, operation_model) for moto, from a CBOR request."""
        smithy_name, op_name = operation_from_path(environ["PATH_INFO"])
        op_model = self.service_model(smithy_name).operation_model(op_name)

        params = {}
        if op_model.input_shape is not None and body:
            parser = RpcV2CBORParser(timestamp_parser=_utc_timestamp)
            params = parser.parse(
                {"status_code": 200, "headers": {}, "body": body}, op_model.input_shape
            )
            params.pop("ResponseMetadata", None)

        serialized = JSONSerializer().serialize_to_request(params, op_model)
        json_body = serialized["body"]
        if isinstance(json_body, str):
            json_body = json_body.encode("utf-8")

        new_environ = dict(environ)
        new_environ["PATH_INFO"] = "/"
        new_environ["RAW_URI"] = "/"
        new_environ["REQUEST_URI"] = "/"
        new_environ["QUERY_STRING"] = ""
        new_environ["CONTENT_TYPE"] = serialized["headers"]["Content-Type"]
        new_environ["HTTP_X_AMZ_TARGET"] = serialized["headers"]["X-Amz-Target"]
        new_environ["CONTENT_LENGTH"] = str(len(json_body))
        new_environ["wsgi.input"] = io.BytesIO(json_body)
        for key in ("HTTP_SMITHY_PROTOCOL", "HTTP_ACCEPT"):
            new_environ.pop(key, None)
        return new_environ, op_model

    # ------------------------------------------------------------ response

    def to_cbor_response(self, op_model, status: int, headers: dict, body: bytes):
        """moto's awsJson answer -> (status, headers, CBOR body)."""
        lower = {k.lower(): v for k, v in headers.items()}
        out_headers = {
            "Content-Type": CBOR_CONTENT_TYPE,
            "smithy-protocol": "rpc-v2-cbor",
        }
        if "x-amzn-requestid" in lower:
            out_headers["x-amzn-RequestId"] = lower["x-amzn-requestid"]

        if status >= 300:
            code, message = self._error_code_and_message(status, lower, body)
            if "x-amzn-query-error" in lower:
                out_headers["x-amzn-query-error"] = lower["x-amzn-query-error"]
            return status, out_headers, encode_error(code, message)

        output_shape = op_model.output_shape
        if output_shape is None:
            return status, out_headers, b""
        out = bytearray()
        encode_value(out, json.loads(body or b"{}"), output_shape)
        return status, out_headers, bytes(out)

    @staticmethod
    def _error_code_and_message(status: int, lower_headers: dict, body: bytes):
        code, message = None, ""
        try:
            doc = json.loads(body or b"{}")
            code = doc.get("__type") or doc.get("code")
            message = doc.get("message") or doc.get("Message") or ""
        except ValueError:
            # Some moto code paths still answer in XML; pick the code out of it.
            text = body.decode("utf-8", "replace")
            if "<Code>" in text:
                code = text.split("<Code>", 1)[1].split("</Code>", 1)[0]
            if "<Message>" in text:
                message = text.split("<Message>", 1)[1].split("</Message>", 1)[0]
        if not code:
            code = lower_headers.get("x-amzn-errortype", "").split(":")[0] or (
                "InternalFailure" if status >= 500 else "ValidationException"
            )
        return code, message
