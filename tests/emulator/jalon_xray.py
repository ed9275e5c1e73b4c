"""X-Ray sampling rules, encryption config, groups and tags for moto.

WHY: moto 5.2.5 only implements the trace APIs of X-Ray (PutTraceSegments,
GetTraceSummaries, ...). GetSamplingRules, GetEncryptionConfig, GetGroups and
the rest answer 404 "Not yet implemented", so a collector cannot be tested.

This module adds the operations as methods of moto's own XRayResponse and
registers their REST-JSON routes (`POST /GetSamplingRules`,
`POST /EncryptionConfig`, `POST /Groups`, ... as in the botocore / Rust model).
State lives on moto's per-account, per-region XRayBackend object, so it is
isolated like every other moto service and cleared by `/moto-api/reset`.

Real-AWS behaviour reproduced:
  * every region has a `Default` sampling rule: priority 10000, fixed rate 0.05,
    reservoir 1, every matcher `*`; it can be updated (rate and reservoir
    only) but not deleted;
  * GetEncryptionConfig defaults to Type NONE, Status ACTIVE;
    PutEncryptionConfig answers Status UPDATING, later reads show ACTIVE;
    a KMS key given by id or alias is reported as its key ARN when moto's KMS
    knows it;
  * GetGroups lists the `Default` group (ARN `.../group/Default`, no filter);
  * GetSamplingRules and GetGroups page with NextToken; the page size is 100,
    overridable with the JALON_XRAY_PAGE_SIZE environment variable so tests
    can force several pages.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time

DEFAULT_RULE_NAME = "Default"


def _page_size() -> int:
    return int(os.environ.get("JALON_XRAY_PAGE_SIZE", "100"))


def _error(code: str, message: str, status: int = 400):
    headers = {"status": status, "x-amzn-ErrorType": code, "Content-Type": "application/json"}
    return status, headers, json.dumps({"Message": message})


def _ok(body: dict):
    return 200, {"status": 200, "Content-Type": "application/json"}, json.dumps(body)


def _state(backend):
    """Lazily attach jalon's X-Ray state to moto's XRayBackend."""
    if not hasattr(backend, "jalon_rules"):
        now = time.time()
        backend.jalon_rules = {
            DEFAULT_RULE_NAME: {
                "SamplingRule": {
                    "RuleName": DEFAULT_RULE_NAME,
                    "RuleARN": _rule_arn(backend, DEFAULT_RULE_NAME),
                    "ResourceARN": "*",
                    "Priority": 10000,
                    "FixedRate": 0.05,
                    "ReservoirSize": 1,
                    "ServiceName": "*",
                    "ServiceType": "*",
                    "Host": "*",
                    "HTTPMethod": "*",
                    "URLPath": "*",
                    "Version": 1,
                    "Attributes": {},
                },
                "CreatedAt": 0.0,
                "ModifiedAt": now,
            }
        }
        backend.jalon_groups = {
            "Default": {
                "GroupName": "Default",
                "GroupARN": f"arn:aws:xray:{backend.region_name}:{backend.account_id}:group/Default",
                "InsightsConfiguration": {"InsightsEnabled": False, "NotificationsEnabled": False},
            }
        }
        backend.jalon_encryption = {"Status": "ACTIVE", "Type": "NONE"}
        backend.jalon_tags = {}
    return backend


def _rule_arn(backend, name: str) -> str:
    return f"arn:aws:xray:{backend.region_name}:{backend.account_id}:sampling-rule/{name}"


def _group_arn(backend, name: str) -> str:
    # AWS appends a 52-character id; derive it from the name so seeding is deterministic.
    digest = hashlib.sha256(f"{backend.account_id}/{backend.region_name}/{name}".encode()).digest()
    suffix = base64.b32encode(digest).decode().rstrip("=")[:52]
    return f"arn:aws:xray:{backend.region_name}:{backend.account_id}:group/{name}/{suffix}"


def _paginate(items: list, token: str | None):
    start = int(token) if token and token.isdigit() else 0
    size = _page_size()
    page = items[start : start + size]
    return page, (str(start + size) if start + size < len(items) else None)


def _find_rule(state, name: str | None, arn: str | None):
    for rule_name, record in state.jalon_rules.items():
        if rule_name == name or record["SamplingRule"]["RuleARN"] == arn:
            return rule_name, record
    return None, None


def _find_group(state, name: str | None, arn: str | None):
    for group_name, group in state.jalon_groups.items():
        if group_name == name or group["GroupARN"] == arn:
            return group_name, group
    return None, None


def _tag_list(tags: dict) -> list:
    return [{"Key": k, "Value": v} for k, v in sorted(tags.items())]


# ------------------------------------------------------------ sampling rules

REQUIRED_RULE_FIELDS = (
    "ResourceARN",
    "Priority",
    "FixedRate",
    "ReservoirSize",
    "ServiceName",
    "ServiceType",
    "Host",
    "HTTPMethod",
    "URLPath",
    "Version",
)


def create_sampling_rule(self):
    state = _state(self.xray_backend)
    rule = dict(self._get_param("SamplingRule") or {})
    name = rule.get("RuleName")
    missing = [f for f in REQUIRED_RULE_FIELDS if f not in rule]
    if not name or missing:
        return _error("InvalidRequestException", f"Missing required fields: {missing or ['RuleName']}")
    if not 1 <= len(name) <= 32:
        return _error("InvalidRequestException", "RuleName must be 1 to 32 characters")
    if name in state.jalon_rules:
        return _error("InvalidRequestException", f"Sampling rule {name} already exists")
    if rule["Version"] != 1:
        return _error("InvalidRequestException", "Version must be 1")
    if not 0 <= float(rule["FixedRate"]) <= 1:
        return _error("InvalidRequestException", "FixedRate must be between 0 and 1")
    if not 1 <= int(rule["Priority"]) <= 9999:
        return _error("InvalidRequestException", "Priority must be between 1 and 9999")
    rule["RuleARN"] = _rule_arn(state, name)
    rule["FixedRate"] = float(rule["FixedRate"])
    rule.setdefault("Attributes", {})
    now = time.time()
    record = {"SamplingRule": rule, "CreatedAt": now, "ModifiedAt": now}
    state.jalon_rules[name] = record
    tags = {t["Key"]: t["Value"] for t in self._get_param("Tags") or []}
    if tags:
        state.jalon_tags[rule["RuleARN"]] = tags
    return _ok({"SamplingRuleRecord": record})


def get_sampling_rules(self):
    state = _state(self.xray_backend)
    records = list(state.jalon_rules.values())
    page, token = _paginate(records, self._get_param("NextToken"))
    body = {"SamplingRuleRecords": page}
    if token:
        body["NextToken"] = token
    return _ok(body)


def update_sampling_rule(self):
    state = _state(self.xray_backend)
    update = self._get_param("SamplingRuleUpdate") or {}
    name, record = _find_rule(state, update.get("RuleName"), update.get("RuleARN"))
    if record is None:
        return _error("InvalidRequestException", "Sampling rule does not exist")
    changes = {k: v for k, v in update.items() if k not in ("RuleName", "RuleARN") and v is not None}
    if name == DEFAULT_RULE_NAME and set(changes) - {"FixedRate", "ReservoirSize"}:
        return _error(
            "InvalidRequestException", "Only FixedRate and ReservoirSize of the Default rule can change"
        )
    if "FixedRate" in changes:
        changes["FixedRate"] = float(changes["FixedRate"])
    record["SamplingRule"].update(changes)
    record["ModifiedAt"] = time.time()
    return _ok({"SamplingRuleRecord": record})


def delete_sampling_rule(self):
    state = _state(self.xray_backend)
    name, record = _find_rule(state, self._get_param("RuleName"), self._get_param("RuleARN"))
    if record is None:
        return _error("InvalidRequestException", "Sampling rule does not exist")
    if name == DEFAULT_RULE_NAME:
        return _error("InvalidRequestException", "The Default rule cannot be deleted")
    del state.jalon_rules[name]
    state.jalon_tags.pop(record["SamplingRule"]["RuleARN"], None)
    return _ok({"SamplingRuleRecord": record})


# ------------------------------------------------------------ encryption


def _resolve_key_arn(account_id: str, region: str, key_id: str) -> str:
    from moto.kms.models import kms_backends

    try:
        return kms_backends[account_id][region].describe_key(key_id).arn
    except Exception:
        return key_id


def put_encryption_config(self):
    state = _state(self.xray_backend)
    enc_type = self._get_param("Type")
    key_id = self._get_param("KeyId")
    if enc_type not in ("NONE", "KMS"):
        return _error("InvalidRequestException", "Type must be NONE or KMS")
    if enc_type == "KMS" and not key_id:
        return _error("InvalidRequestException", "KeyId is required when Type is KMS")
    config = {"Status": "ACTIVE", "Type": enc_type}
    if enc_type == "KMS":
        config["KeyId"] = _resolve_key_arn(self.current_account, self.region, key_id)
    state.jalon_encryption = config
    return _ok({"EncryptionConfig": dict(config, Status="UPDATING")})


def encryption_config(self):  # GetEncryptionConfig: POST /EncryptionConfig
    state = _state(self.xray_backend)
    return _ok({"EncryptionConfig": dict(state.jalon_encryption)})


# ------------------------------------------------------------ groups


def _insights(requested: dict | None, current: dict | None = None) -> dict:
    config = dict(current or {"InsightsEnabled": False, "NotificationsEnabled": False})
    for key, value in (requested or {}).items():
        if value is not None:
            config[key] = value
    return config


def create_group(self):
    state = _state(self.xray_backend)
    name = self._get_param("GroupName")
    if not name or not 1 <= len(name) <= 32:
        return _error("InvalidRequestException", "GroupName must be 1 to 32 characters")
    if name in state.jalon_groups:
        return _error("InvalidRequestException", f"Group {name} already exists")
    group = {"GroupName": name, "GroupARN": _group_arn(state, name)}
    if self._get_param("FilterExpression") is not None:
        group["FilterExpression"] = self._get_param("FilterExpression")
    group["InsightsConfiguration"] = _insights(self._get_param("InsightsConfiguration"))
    state.jalon_groups[name] = group
    tags = {t["Key"]: t["Value"] for t in self._get_param("Tags") or []}
    if tags:
        state.jalon_tags[group["GroupARN"]] = tags
    return _ok({"Group": group})


def groups(self):  # GetGroups: POST /Groups
    state = _state(self.xray_backend)
    page, token = _paginate(list(state.jalon_groups.values()), self._get_param("NextToken"))
    body = {"Groups": page}
    if token:
        body["NextToken"] = token
    return _ok(body)


def get_group(self):
    state = _state(self.xray_backend)
    _, group = _find_group(state, self._get_param("GroupName"), self._get_param("GroupARN"))
    if group is None:
        return _error("InvalidRequestException", "Group not found")
    return _ok({"Group": group})


def update_group(self):
    state = _state(self.xray_backend)
    _, group = _find_group(state, self._get_param("GroupName"), self._get_param("GroupARN"))
    if group is None:
        return _error("InvalidRequestException", "Group not found")
    if self._get_param("FilterExpression") is not None:
        group["FilterExpression"] = self._get_param("FilterExpression")
    if self._get_param("InsightsConfiguration") is not None:
        group["InsightsConfiguration"] = _insights(
            self._get_param("InsightsConfiguration"), group.get("InsightsConfiguration")
        )
    return _ok({"Group": group})


def delete_group(self):
    state = _state(self.xray_backend)
    name, group = _find_group(state, self._get_param("GroupName"), self._get_param("GroupARN"))
    if group is None:
        return _error("InvalidRequestException", "Group not found")
    if name == "Default":
        return _error("InvalidRequestException", "The Default group cannot be deleted")
    del state.jalon_groups[name]
    state.jalon_tags.pop(group["GroupARN"], None)
    return _ok({})


# ------------------------------------------------------------ tags


def _known_arn(state, arn: str) -> bool:
    return any(r["SamplingRule"]["RuleARN"] == arn for r in state.jalon_rules.values()) or any(
        g["GroupARN"] == arn for g in state.jalon_groups.values()
    )


def tag_resource(self):
    state = _state(self.xray_backend)
    arn = self._get_param("ResourceARN")
    if not _known_arn(state, arn):
        return _error("ResourceNotFoundException", f"Resource {arn} not found", 404)
    tags = state.jalon_tags.setdefault(arn, {})
    tags.update({t["Key"]: t["Value"] for t in self._get_param("Tags") or []})
    return _ok({})


def untag_resource(self):
    state = _state(self.xray_backend)
    arn = self._get_param("ResourceARN")
    if not _known_arn(state, arn):
        return _error("ResourceNotFoundException", f"Resource {arn} not found", 404)
    for key in self._get_param("TagKeys") or []:
        state.jalon_tags.get(arn, {}).pop(key, None)
    return _ok({})


def list_tags_for_resource(self):
    state = _state(self.xray_backend)
    arn = self._get_param("ResourceARN")
    if not _known_arn(state, arn):
        return _error("ResourceNotFoundException", f"Resource {arn} not found", 404)
    return _ok({"Tags": _tag_list(state.jalon_tags.get(arn, {}))})


# ------------------------------------------------------------ install

# REST path (as in the botocore / Rust model) -> handler. The handler name is
# what moto derives from the path ("EncryptionConfig" -> encryption_config).
ROUTES = {
    "CreateSamplingRule": create_sampling_rule,
    "GetSamplingRules": get_sampling_rules,
    "UpdateSamplingRule": update_sampling_rule,
    "DeleteSamplingRule": delete_sampling_rule,
    "PutEncryptionConfig": put_encryption_config,
    "EncryptionConfig": encryption_config,
    "CreateGroup": create_group,
    "Groups": groups,
    "GetGroup": get_group,
    "UpdateGroup": update_group,
    "DeleteGroup": delete_group,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
    "ListTagsForResource": list_tags_for_resource,
}


def install() -> None:
    from moto.xray import urls
    from moto.xray.responses import XRayResponse

    for path, handler in ROUTES.items():
        setattr(XRayResponse, handler.__name__, handler)
        urls.url_paths["{0}/" + path + "$"] = XRayResponse.dispatch
