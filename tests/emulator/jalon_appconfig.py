"""AppConfig applications and environments (with their alarm monitors) for moto.

WHY: moto 5.2.5 answers ListApplications with NotImplementedError (HTTP 500 with an
HTML body in server mode) and has no route at all for environments
(`/applications/{id}/environments`: 404 "Not yet implemented"), so an AppConfig
environment rolled back by the error-rate alarm, a kill switch jalon can see
(DEP-003), cannot be seeded or read.

This module adds ListApplications, CreateEnvironment, ListEnvironments and
GetEnvironment as methods of moto's own AppConfigResponse and registers the
environment routes (REST-JSON, as in the botocore / Rust model). Environments live
on moto's per-account, per-region AppConfigBackend, so they are isolated like every
other moto service and cleared by `/moto-api/reset`.

Real-AWS behaviour reproduced:
  * ListApplications and ListEnvironments page with MaxResults (default 50) and
    NextToken, items sorted by id;
  * an environment's ARN is `arn:aws:appconfig:<region>:<account>:application/<app>/environment/<env>`,
    its State `ReadyForDeployment`, its Monitors `[{AlarmArn, AlarmRoleArn}]` as given;
  * an unknown application is ResourceNotFoundException (HTTP 404).
"""

from __future__ import annotations

import json

from moto.moto_api._internal import mock_random

from jalon_patches import _paginate


def _page(items: list, max_results, token) -> dict:
    page, next_token = _paginate(items, token, int(max_results or 50))
    result = {"Items": page}
    if next_token:
        result["NextToken"] = next_token
    return result


def _not_found(what: str):
    body = json.dumps({"Message": f"{what} not found", "ResourceName": what})
    headers = {"status": 404, "x-amzn-ErrorType": "ResourceNotFoundException", "Content-Type": "application/json"}
    return 404, headers, body


def _environments(backend) -> dict:
    if not hasattr(backend, "jalon_environments"):
        backend.jalon_environments = {}
    return backend.jalon_environments


def _app_id(self) -> str:
    # /applications/<app>/environments[/<env>]
    return self.path.split("/applications/", 1)[1].split("/")[0]


def list_applications(self):
    apps = sorted(self.appconfig_backend.applications.values(), key=lambda a: a.id)
    items = [a.to_json() for a in apps]
    return json.dumps(_page(items, self._get_param("max_results"), self._get_param("next_token")))


def create_environment(self):
    backend = self.appconfig_backend
    app_id = _app_id(self)
    if app_id not in backend.applications:
        return _not_found(f"Application {app_id}")
    body = json.loads(self.body or "{}")
    env_id = mock_random.get_random_hex(7)
    env = {
        "ApplicationId": app_id,
        "Id": env_id,
        "Name": body["Name"],
        "Description": body.get("Description", ""),
        "State": "ReadyForDeployment",
        "Monitors": [
            {k: m[k] for k in ("AlarmArn", "AlarmRoleArn") if k in m} for m in body.get("Monitors", [])
        ],
    }
    _environments(backend).setdefault(app_id, {})[env_id] = env
    arn = f"arn:aws:appconfig:{backend.region_name}:{backend.account_id}:application/{app_id}/environment/{env_id}"
    if body.get("Tags"):
        backend.tagger.tag_resource(arn, [{"Key": k, "Value": v} for k, v in body["Tags"].items()])
    return 201, {"status": 201, "Content-Type": "application/json"}, json.dumps(env)


def list_environments(self):
    backend = self.appconfig_backend
    app_id = _app_id(self)
    if app_id not in backend.applications:
        return _not_found(f"Application {app_id}")
    envs = _environments(backend).get(app_id, {})
    items = [envs[k] for k in sorted(envs)]
    return json.dumps(_page(items, self._get_param("max_results"), self._get_param("next_token")))


def get_environment(self):
    backend = self.appconfig_backend
    app_id = _app_id(self)
    env_id = self.path.rstrip("/").rsplit("/", 1)[1]
    env = _environments(backend).get(app_id, {}).get(env_id)
    if env is None:
        return _not_found(f"Environment {env_id}")
    return json.dumps(env)


def install() -> None:
    from moto.appconfig import urls
    from moto.appconfig.responses import AppConfigResponse

    for handler in (list_applications, create_environment, list_environments, get_environment):
        setattr(AppConfigResponse, handler.__name__, handler)
    urls.url_paths["{0}/applications/(?P<app_id>[^/]+)/environments$"] = AppConfigResponse.dispatch
    urls.url_paths["{0}/applications/(?P<app_id>[^/]+)/environments/(?P<env_id>[^/]+)$"] = AppConfigResponse.dispatch
