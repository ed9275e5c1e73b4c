#!/usr/bin/env python3
"""moto in server mode, with jalon's fidelity patches and test controls.

    python tests/emulator/jalon_moto.py --host 127.0.0.1 --port PORT

Prints `jalon-moto ready on http://HOST:PORT` (flushed) once the socket
accepts connections (`--port 0` picks a free port; the line tells which).
Exits when stdin is closed (the parent died or closed the pipe), on SIGTERM
and on SIGINT, with os._exit so no worker thread keeps the process alive.

What is patched and why: README.md, jalon_patches.py, jalon_xray.py, jalon_elasticache.py,
jalon_cbor.py. The WSGI middleware below adds, in front of moto:

  * the Smithy RPC v2 CBOR bridge (CloudWatch, Resource Groups Tagging API);
  * POST /_jalon/deny {"services": [...], "operations": ["service:Operation"]}:
    answer AccessDenied, in each service's own protocol, for every later request
    signed for those services, or for those operations only;
  * GET /_jalon/requests, POST /_jalon/requests/reset: request counts per
    `service:Operation`;
  * POST /_jalon/metric-data, POST /_jalon/alarm-history: CloudWatch data AWS
    cannot take through its API (old points, past alarm transitions), see
    jalon_metrics.py;
  * several accounts (jalon_accounts.py): POST /_jalon/accounts (AssumeRole
    refused per target account, throttling per caller account), POST
    /_jalon/organization (an Organization with known account ids), POST
    /_jalon/regions (opt-in regions per account), GET /_jalon/requests/accounts
    (request counts per account).
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import logging
import os
import re
import signal
import sys
import threading
import uuid
from collections import Counter, defaultdict
from urllib.parse import parse_qs

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # keep tests/emulator free of __pycache__

import botocore.session  # noqa: E402

import jalon_accounts  # noqa: E402
from jalon_cbor import CborBridge, encode_error, is_cbor_request, operation_from_path  # noqa: E402

# SigV4 signing name -> the service name jalon uses (snapshot, policies, counts).
JALON_SERVICE_NAMES = {"monitoring": "cloudwatch", "resourcegroupstaggingapi": "tagging"}

# SigV4 signing name -> botocore service name (for models: protocol, routes).
BOTOCORE_NAMES = {"monitoring": "cloudwatch", "tagging": "resourcegroupstaggingapi"}

# Signing name -> IAM action prefix, for the access-denied message.
IAM_PREFIXES = {"monitoring": "cloudwatch", "tagging": "tag"}

# Modelled throttling errors, preferred in this order; awsJson and restJson services
# without one get ThrottlingException / TooManyRequestsException. All are in the
# Rust SDK's THROTTLING_ERRORS (aws-runtime retries/classifiers.rs), as botocore's.
THROTTLING_SHAPES = ("ThrottlingException", "TooManyRequestsException", "ThrottledException")

CREDENTIAL_RE = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request")

log = logging.getLogger("jalon-moto")


def jalon_service_name(name: str) -> str:
    name = name.strip().lower()
    return JALON_SERVICE_NAMES.get(name, name)


def read_body(environ) -> bytes:
    length = environ.get("CONTENT_LENGTH")
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    if length:
        return stream.read(int(length))
    if environ.get("wsgi.input_terminated"):
        return stream.read()
    return b""


def request_account(environ, access_key: str) -> str:
    """The account moto serves this request from, in moto's order
    (BaseResponse.get_current_account): MOTO_ACCOUNT_ID, the x-moto-account-id
    header, the account owning the access key (an assumed role's ASIA key is its
    role's account), else 123456789012."""
    from moto.iam.models import get_account_id_from

    return (
        os.environ.get("MOTO_ACCOUNT_ID")
        or environ.get("HTTP_X_MOTO_ACCOUNT_ID")
        or get_account_id_from(access_key)
    )


def request_protocol(environ) -> str:
    """Which wire protocol the client used for this request."""
    if is_cbor_request(environ):
        return "smithy-rpc-v2-cbor"
    if environ.get("HTTP_X_AMZ_TARGET"):
        return "json"
    content_type = environ.get("CONTENT_TYPE", "")
    if content_type.startswith("application/x-www-form-urlencoded") or "Action=" in environ.get(
        "QUERY_STRING", ""
    ):
        return "query"
    return "rest-json"


class JalonMiddleware:
    def __init__(self, app):
        self.app = app
        self.bridge = CborBridge()
        self.session = botocore.session.get_session()
        self.lock = threading.Lock()
        self.denied: set[str] = set()  # services
        self.denied_operations: set[str] = set()  # "service:Operation"
        self.counts: Counter = Counter()
        self.account_counts: defaultdict = defaultdict(Counter)  # account -> "service:Operation" -> n
        self.accounts = jalon_accounts.Accounts(jalon_service_name)
        self._models = {}
        self._routes = {}
        # Load the models used on hot paths now, not inside concurrent requests.
        for smithy_name in ("GraniteServiceVersion20100801", "ResourceGroupsTaggingAPI_20170126"):
            self.bridge.service_model(smithy_name)
        for signing_name in ("lambda", "xray"):
            self.rest_routes(signing_name)

    # ------------------------------------------------------------ WSGI entry

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_jalon/"):
            return self.control(environ, start_response)
        if path.rstrip("/") == "/moto-api/reset":
            # moto's reset empties the backends, not what jalon keeps beside them.
            self.accounts.clear()
            jalon_accounts.reset()

        body = read_body(environ)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)

        match = CREDENTIAL_RE.search(environ.get("HTTP_AUTHORIZATION", ""))
        if match:
            access_key, _, _, signing_name = match.groups()
            if signing_name == "s3" and path.startswith("/v20180820/"):
                # S3 Control signs as s3; its paths are its own.
                signing_name = "s3control"
            elif signing_name == "apigateway" and path.startswith("/v2/"):
                # So does API Gateway v2 (HTTP and WebSocket APIs) as apigateway.
                signing_name = "apigatewayv2"
            service = jalon_service_name(signing_name)
            protocol = request_protocol(environ)
            operation = self.operation_name(signing_name, protocol, environ, body)
            key = f"{service}:{operation}"
            account = request_account(environ, access_key)
            with self.lock:
                self.counts[key] += 1
                self.account_counts[account][key] += 1
                denied = service in self.denied or key in self.denied_operations
            # Throttling before authorisation, as AWS's front end does.
            if self.accounts.throttles(account, service, key):
                message = "Please reduce your request rate." if signing_name == "s3" else "Rate exceeded"
                return self.aws_error("throttled", signing_name, protocol, environ, start_response, message)
            if denied:
                return self.access_denied(
                    signing_name, protocol, operation, access_key, environ, start_response
                )
            if key == "sts:AssumeRole":
                refused = self.assume_role_refused(environ, body, access_key, account, match.group(3))
                if refused:
                    return self.aws_error("denied", signing_name, protocol, environ, start_response, refused)

        if is_cbor_request(environ):
            return self.cbor(environ, body, start_response)
        return self.app(environ, start_response)

    # ------------------------------------------------------------ models

    def service_model(self, signing_name: str):
        name = BOTOCORE_NAMES.get(signing_name, signing_name)
        if name not in self._models:
            try:
                self._models[name] = self.session.get_service_model(name)
            except Exception:
                self._models[name] = None
        return self._models[name]

    def rest_routes(self, signing_name: str):
        """[(method, compiled regex, required query keys, operation, specificity)] from
        botocore's model. S3 tells operations on one path apart by a query key
        (`GET /{Bucket}?policy`), so the keys a route names must be in the request."""
        if signing_name not in self._routes:
            routes = []
            model = self.service_model(signing_name)
            for op_name in model.operation_names if model else []:
                op_model = model.operation_model(op_name)
                http = op_model.http
                uri, _, query = http.get("requestUri", "/").partition("?")
                keys = frozenset(k.split("=")[0] for k in query.split("&") if k)
                pattern, literal = "", 0
                for part in re.split(r"(\{[^}]+\})", uri):
                    if part.startswith("{"):
                        pattern += ".+" if part.endswith("+}") else "[^/]+"
                    else:
                        pattern += re.escape(part)
                        literal += len(part)
                specificity = literal + 1000 * len(keys)
                if op_name == "ListDirectoryBuckets":
                    # S3 Express, on another endpoint: the same `GET /` as ListBuckets.
                    specificity -= 1
                routes.append((http.get("method", "POST"), re.compile(f"^{pattern}/?$"), keys, op_name, specificity))
            self._routes[signing_name] = routes
        return self._routes[signing_name]

    def operation_name(self, signing_name: str, protocol: str, environ, body: bytes) -> str:
        if protocol == "smithy-rpc-v2-cbor":
            try:
                return operation_from_path(environ["PATH_INFO"])[1]
            except ValueError:
                return environ["PATH_INFO"].rsplit("/", 1)[-1]
        if protocol == "json":
            return environ["HTTP_X_AMZ_TARGET"].split(".")[-1]
        if protocol == "query":
            params = parse_qs(environ.get("QUERY_STRING", ""))
            params.update(parse_qs(body.decode("utf-8", "replace")))
            return params.get("Action", ["Unknown"])[0]
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        query = set(parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        candidates = [
            (specificity, op)
            for m, regex, keys, op, specificity in self.rest_routes(signing_name)
            if m == method and regex.match(path) and keys <= query
        ]
        return max(candidates)[1] if candidates else f"{method} {path}"

    # ------------------------------------------------------------ CBOR bridge

    def call_app(self, environ):
        captured = {}
        chunks = []

        def start_response(status, headers, exc_info=None):
            captured["status"] = status
            captured["headers"] = headers
            return chunks.append

        result = self.app(environ, start_response)
        try:
            chunks.extend(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        status = int(captured["status"].split()[0])
        return status, dict(captured["headers"]), b"".join(chunks)

    def cbor(self, environ, body: bytes, start_response):
        try:
            moto_environ, op_model = self.bridge.to_json_request(environ, body)
        except Exception as exc:  # unknown service/operation or undecodable body
            payload = encode_error("SerializationException", f"jalon CBOR bridge: {exc}")
            return self.respond(
                start_response,
                400,
                {"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"},
                payload,
            )
        status, headers, moto_body = self.call_app(moto_environ)
        status, out_headers, out_body = self.bridge.to_cbor_response(
            op_model, status, headers, moto_body
        )
        return self.respond(start_response, status, out_headers, out_body)

    # ------------------------------------------------------------ access denied, throttling

    def access_denied(self, signing_name, protocol, operation, access_key, environ, start_response):
        from moto.iam.models import get_account_id_from

        account = get_account_id_from(access_key)
        action = f"{IAM_PREFIXES.get(signing_name, signing_name)}:{operation}"
        message = (
            f"User: arn:aws:iam::{account}:user/jalon-test is not authorized to perform: "
            f"{action} because no identity-based policy allows the {action} action"
        )
        return self.aws_error("denied", signing_name, protocol, environ, start_response, message)

    def assume_role_refused(self, environ, body: bytes, access_key: str, account: str, region: str):
        """AWS's AccessDenied message when /_jalon/accounts refuses this AssumeRole, else None."""
        params = parse_qs(environ.get("QUERY_STRING", ""))
        params.update(parse_qs(body.decode("utf-8", "replace")))
        role_arn = params.get("RoleArn", [""])[0]
        external_id = params.get("ExternalId", [None])[0]
        if not self.accounts.refuses_assume_role(role_arn, external_id):
            return None
        caller = jalon_accounts.caller_arn(account, access_key, region)
        return f"User: {caller} is not authorized to perform: sts:AssumeRole on resource: {role_arn}"

    def wire_protocol(self, signing_name: str, protocol: str) -> str:
        """query, json, smithy-rpc-v2-cbor, rest-json or rest-xml."""
        if protocol == "rest-json":
            model = self.service_model(signing_name)
            if model is not None and model.metadata.get("protocol") == "rest-xml":
                return "rest-xml"
        return protocol

    def error_code(self, kind: str, signing_name: str, wire: str) -> tuple[int, str]:
        """(HTTP status, error code) of an access denied or throttling answer."""
        if kind == "denied":
            return {
                "query": (403, "AccessDenied"),
                "rest-xml": (403, "AccessDenied"),
                "rest-json": (403, "AccessDeniedException"),
            }.get(wire, (400, "AccessDeniedException"))
        if wire == "query":
            return 400, "Throttling"
        if wire == "rest-xml":
            return 503, "SlowDown"  # S3's; S3 Control shares its front end
        model = self.service_model(signing_name)
        shapes = set(model.shape_names) if model is not None else set()
        modelled = [name for name in THROTTLING_SHAPES if name in shapes]
        if wire == "rest-json":
            return 429, (modelled or ["TooManyRequestsException"])[0]
        return 400, (modelled or ["ThrottlingException"])[0]

    def aws_error(self, kind, signing_name, protocol, environ, start_response, message):
        """An access denied (kind "denied") or throttling ("throttled") answer in the
        request's own protocol (README, "Control endpoints")."""
        wire = self.wire_protocol(signing_name, protocol)
        status, code = self.error_code(kind, signing_name, wire)
        query_code = "AccessDenied" if kind == "denied" else "Throttling"
        request_id = str(uuid.uuid4())
        query_mode = environ.get("HTTP_X_AMZN_QUERY_MODE", "").lower() == "true"
        headers = {"x-amzn-RequestId": request_id}

        if wire == "query":
            model = self.service_model(signing_name)
            namespace = (model.metadata.get("xmlNamespace") if model else None) or ""
            xmlns = f' xmlns="{namespace}"' if namespace else ""
            body = (
                f"<ErrorResponse{xmlns}><Error><Type>Sender</Type><Code>{code}</Code>"
                f"<Message>{message}</Message></Error><RequestId>{request_id}</RequestId>"
                f"</ErrorResponse>"
            ).encode()
            headers["Content-Type"] = "text/xml"
            return self.respond(start_response, status, headers, body)

        if query_mode:
            # awsQuery-compatible services (CloudWatch) give the query error code too.
            headers["x-amzn-query-error"] = f"{query_code};Sender"

        if wire == "json":
            model = self.service_model(signing_name)
            version = (model.metadata.get("jsonVersion") if model else None) or "1.1"
            headers["Content-Type"] = f"application/x-amz-json-{version}"
            body = json.dumps({"__type": code, "message": message}).encode()
            return self.respond(start_response, status, headers, body)

        if wire == "smithy-rpc-v2-cbor":
            headers["Content-Type"] = "application/cbor"
            headers["smithy-protocol"] = "rpc-v2-cbor"
            return self.respond(start_response, status, headers, encode_error(code, message))

        if wire == "rest-xml":
            error = f"<Code>{code}</Code><Message>{message}</Message>"
            if signing_name == "s3":
                # S3: a bare <Error> document.
                body = f"<Error>{error}<RequestId>{request_id}</RequestId></Error>"
            else:
                # S3 Control wraps it (the Rust client reads ErrorResponse/Error/Code).
                body = f"<ErrorResponse><Error><Type>Sender</Type>{error}</Error><RequestId>{request_id}</RequestId></ErrorResponse>"
            headers["Content-Type"] = "application/xml"
            return self.respond(start_response, status, headers, f'<?xml version="1.0" encoding="UTF-8"?>{body}'.encode())

        headers["Content-Type"] = "application/json"
        headers["x-amzn-ErrorType"] = code
        body = json.dumps({"Message": message}).encode()
        return self.respond(start_response, status, headers, body)

    # ------------------------------------------------------------ control endpoints

    def control(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "").rstrip("/")
        try:
            payload = json.loads(read_body(environ) or b"{}")
        except ValueError:
            return self.json_reply(start_response, 400, {"error": "body is not JSON"})

        if path == "/_jalon/deny" and method == "POST":
            # Replaces both lists: {"services": []} alone clears everything.
            services = payload.get("services", [])
            operations = payload.get("operations", [])
            if (
                not ({"services", "operations"} & payload.keys())
                or not isinstance(services, list)
                or not isinstance(operations, list)
                or not all(isinstance(op, str) and ":" in op for op in operations)
            ):
                error = 'expected {"services": [...]} and/or {"operations": ["service:Operation", ...]}'
                return self.json_reply(start_response, 400, {"error": error})
            with self.lock:
                self.denied = {jalon_service_name(s) for s in services}
                self.denied_operations = {
                    f"{jalon_service_name(service)}:{name}"
                    for service, _, name in (op.partition(":") for op in operations)
                }
                denied = sorted(self.denied | self.denied_operations)
            return self.json_reply(start_response, 200, {"denied": denied})
        if path == "/_jalon/deny" and method == "GET":
            with self.lock:
                denied = sorted(self.denied | self.denied_operations)
            return self.json_reply(start_response, 200, {"denied": denied})
        if path in ("/_jalon/metric-data", "/_jalon/alarm-history") and method == "POST":
            import jalon_metrics

            write = jalon_metrics.seed_metric_data if path.endswith("metric-data") else jalon_metrics.add_alarm_history
            try:
                return self.json_reply(start_response, 200, write(payload))
            except (ValueError, TypeError, KeyError, IndexError) as exc:
                return self.json_reply(start_response, 400, {"error": f"{type(exc).__name__}: {exc}"})
        if path == "/_jalon/requests" and method == "GET":
            with self.lock:
                counts = dict(sorted(self.counts.items()))
            return self.json_reply(start_response, 200, counts)
        if path == "/_jalon/requests/reset" and method == "POST":
            with self.lock:
                self.counts.clear()
                self.account_counts.clear()
            return self.json_reply(start_response, 200, {})
        if path == "/_jalon/requests/accounts" and method == "GET":
            with self.lock:
                counts = {a: dict(sorted(c.items())) for a, c in sorted(self.account_counts.items())}
            return self.json_reply(start_response, 200, counts)
        if path in ("/_jalon/accounts", "/_jalon/organization", "/_jalon/regions"):
            if not isinstance(payload, dict):
                return self.json_reply(start_response, 400, {"error": "expected a JSON object"})
            write, read = {
                "/_jalon/accounts": (self.accounts.configure, self.accounts.describe),
                "/_jalon/organization": (jalon_accounts.set_organization, jalon_accounts.describe_organization),
                "/_jalon/regions": (jalon_accounts.set_regions, jalon_accounts.describe_regions),
            }[path]
            if method == "GET":
                return self.json_reply(start_response, 200, read())
            if method == "POST":
                try:
                    return self.json_reply(start_response, 200, write(payload))
                except (ValueError, TypeError, KeyError) as exc:
                    return self.json_reply(start_response, 400, {"error": str(exc)})
        if path == "/_jalon/health":
            return self.json_reply(start_response, 200, {"status": "ok"})
        return self.json_reply(start_response, 404, {"error": f"no control endpoint {method} {path}"})

    @staticmethod
    def respond(start_response, status: int, headers: dict, body: bytes):
        reasons = {
            200: "OK", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
            429: "Too Many Requests", 503: "Service Unavailable",
        }
        headers = dict(headers)
        headers["Content-Length"] = str(len(body))
        start_response(f"{status} {reasons.get(status, 'Status')}", list(headers.items()))
        return [body]

    def json_reply(self, start_response, status: int, doc):
        body = json.dumps(doc).encode()
        return self.respond(start_response, status, {"Content-Type": "application/json"}, body)


# ------------------------------------------------------------ process lifetime


def exit_now(*_args):
    # os._exit: no atexit, no joining of werkzeug's request threads.
    os._exit(0)


def stdin_is_devnull() -> bool:
    try:
        return os.path.samestat(os.fstat(0), os.stat(os.devnull))
    except OSError:
        return True  # no stdin at all


def watch_stdin():
    """Exit once stdin reaches EOF: the harness closed it or died."""
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except Exception:
        pass
    exit_now()


def build_app():
    """moto's WSGI app with jalon's patches, wrapped by the middleware."""
    from moto.core.config import default_user_config

    # No Docker here: Lambda invocations (e.g. Secrets Manager rotation steps)
    # use moto's "simple" Lambda backend, which always succeeds.
    default_user_config["lambda"]["use_docker"] = False

    import jalon_patches
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    jalon_patches.apply_all()
    app = JalonMiddleware(DomainDispatcherApplication(create_backend_app))
    # Speed, not fidelity: moto's and botocore's ~300,000 objects live as long as the
    # process; frozen, they are not rescanned by every full garbage collection (a
    # 1 MB /_jalon/metric-data body decoded in 0.15 s instead of 0.02 s).
    gc.freeze()
    return app


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000, help="0 picks a free port")
    parser.add_argument(
        "--no-stdin-watch",
        action="store_true",
        help="do not exit when stdin closes (for running it by hand in the background)",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING)
    # Quiet by default: a harness that pipes stderr without draining it must
    # never block the server.
    logging.getLogger("werkzeug").setLevel(logging.INFO if args.verbose else logging.ERROR)

    signal.signal(signal.SIGTERM, exit_now)
    signal.signal(signal.SIGINT, exit_now)

    from moto.moto_server.werkzeug_app import MotoRequestHandler
    from werkzeug.serving import make_server

    class KeepAliveHandler(MotoRequestHandler):
        # HTTP/1.1 keep-alive: SDK clients reuse connections, as with real AWS,
        # instead of one TCP connection (and one thread) per request.
        protocol_version = "HTTP/1.1"

    app = build_app()
    server = make_server(args.host, args.port, app, threaded=True, request_handler=KeepAliveHandler)
    port = server.server_port
    os.environ["MOTO_PORT"] = str(port)  # moto builds some URLs (SQS queues) from it
    if args.no_stdin_watch:
        pass
    elif stdin_is_devnull():
        # /dev/null would read EOF at once: there is no parent pipe to watch.
        print("jalon-moto: stdin is /dev/null, not watching it (stop me with SIGTERM)", file=sys.stderr)
    else:
        threading.Thread(target=watch_stdin, name="stdin-watch", daemon=True).start()
    print(f"jalon-moto ready on http://{args.host}:{port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
