"""ElastiCache serverless caches, and AWS's tagging resource types, for moto.

WHY: moto 5.2.5 answers CreateServerlessCache and DescribeServerlessCaches with
NotImplementedError (HTTP 500), so a collector of serverless caches cannot be
tested; and its Resource Groups Tagging types for ElastiCache are its own
(`elasticache:replication-group`, untagged groups included), so a GetResources
call filtered on AWS's `elasticache:replicationgroup` finds nothing.

This module adds the two serverless operations as methods of moto's own
ElastiCacheResponse (the Query protocol routes by `Action`, so no URL is
registered). State lives on moto's per-account, per-region ElastiCacheBackend, so
it is isolated like every other moto service and cleared by `/moto-api/reset`.

Real-AWS behaviour reproduced:
  * a serverless cache is `available` at once, with its ARN
    `arn:aws:elasticache:<region>:<account>:serverlesscache:<name>`, the engine and
    major version asked, `KmsKeyId` and `UserGroupId` only when given, and
    `SnapshotRetentionLimit` 0 unless set;
  * DescribeServerlessCaches pages with MaxResults (default 100)/NextToken and answers ServerlessCacheNotFoundFault for an
    unknown name; a name already taken is ServerlessCacheAlreadyExistsFault;
  * GetResources lists replication groups as `elasticache:replicationgroup` and
    serverless caches as `elasticache:serverlesscache`, tagged ones only.
"""

from __future__ import annotations

from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.elasticache.exceptions import ElastiCacheException


class ServerlessCacheNotFound(ElastiCacheException):
    code = "ServerlessCacheNotFoundFault"

    def __init__(self, name: str):
        super().__init__(f"Serverless cache {name} not found.")


class ServerlessCacheAlreadyExists(ElastiCacheException):
    code = "ServerlessCacheAlreadyExistsFault"

    def __init__(self, name: str):
        super().__init__(f"Serverless cache {name} already exists.")


def _caches(backend) -> dict:
    if not hasattr(backend, "jalon_serverless_caches"):
        backend.jalon_serverless_caches = {}
    return backend.jalon_serverless_caches


def create_serverless_cache(self):
    params = self._get_params()
    backend = self.elasticache_backend
    name = params["ServerlessCacheName"]
    caches = _caches(backend)
    if name in caches:
        raise ServerlessCacheAlreadyExists(name)
    arn = f"arn:aws:elasticache:{backend.region_name}:{backend.account_id}:serverlesscache:{name}"
    major = params.get("MajorEngineVersion") or "7"
    cache = {
        "ServerlessCacheName": name,
        "Description": params.get("Description", ""),
        "CreateTime": utcnow(),
        "Status": "available",
        "Engine": params["Engine"],
        "MajorEngineVersion": major,
        "FullEngineVersion": f"{major}.1",
        "ARN": arn,
        "SnapshotRetentionLimit": int(params.get("SnapshotRetentionLimit") or 0),
        "DailySnapshotTime": params.get("DailySnapshotTime") or "04:00",
        "Endpoint": {"Address": f"{name}-abc123.serverless.{backend.region_name}.cache.amazonaws.com", "Port": 6379},
    }
    for field in ("KmsKeyId", "UserGroupId"):
        if params.get(field):
            cache[field] = params[field]
    caches[name] = cache
    if params.get("Tags"):
        backend.tagging_service.tag_resource(arn, params["Tags"])
    return ActionResult({"ServerlessCache": cache})


def describe_serverless_caches(self):
    name = self._get_param("ServerlessCacheName")
    caches = _caches(self.elasticache_backend)
    if name:
        if name not in caches:
            raise ServerlessCacheNotFound(name)
        listed = [caches[name]]
    else:
        listed = [caches[k] for k in sorted(caches)]
    # moto's own paginator needs a unique attribute botocore's model does not give:
    # the token is the name to start from.
    size = int(self._get_param("MaxResults") or 100)
    start = self._get_param("NextToken")
    if start:
        listed = [c for c in listed if c["ServerlessCacheName"] >= start]
    result = {"ServerlessCaches": listed[:size]}
    if len(listed) > size:
        result["NextToken"] = listed[size]["ServerlessCacheName"]
    return ActionResult(result)


def iter_tagged_resources(self):
    from moto.core.resource_tagging import TaggedResource

    sources = [("elasticache:replicationgroup", g.arn) for g in self.replication_groups.values()]
    sources += [("elasticache:serverlesscache", c["ARN"]) for c in _caches(self).values()]
    for resource_type, arn in sources:
        tags = self.tagging_service.get_tag_dict_for_resource(arn)
        if tags:
            yield TaggedResource(arn=arn, tags=tags, resource_type=resource_type)


def install() -> None:
    from moto.elasticache.models import ElastiCacheBackend
    from moto.elasticache.responses import ElastiCacheResponse

    ElastiCacheResponse.create_serverless_cache = create_serverless_cache
    ElastiCacheResponse.describe_serverless_caches = describe_serverless_caches
    ElastiCacheBackend.iter_tagged_resources = iter_tagged_resources
