"""Fidelity patches for moto 5.2.5, applied in-process by jalon_moto.py.

Each patch closes one gap between moto and real AWS that matters to jalon's
collectors (see README.md). They wrap moto's own classes and keep moto's state
(so `/moto-api/reset` still resets everything). Call `apply_all()` once, before
the server handles its first request.
"""

from __future__ import annotations

import json
import re
import time
from urllib.parse import unquote

from moto.core.responses import ActionResult, EmptyResult

# Key id moto uses for the AWS-managed `alias/aws/rds` key.
from moto.kms.utils import RESERVED_ALIASE_TARGET_KEY_IDS

_applied = False


def apply_all() -> None:
    global _applied
    if _applied:
        return
    patch_server_speed()
    patch_lambda()
    patch_rds()
    patch_secretsmanager()
    patch_sns()
    patch_cloudwatch()
    patch_logs()
    patch_logs_tagging()
    patch_sqs()
    patch_kms()
    patch_dynamodb()
    patch_s3()
    patch_apigateway()
    patch_codedeploy()
    import jalon_accounts
    import jalon_appconfig
    import jalon_elasticache
    import jalon_metrics
    import jalon_xray

    jalon_accounts.install()
    jalon_appconfig.install()
    jalon_elasticache.install()
    jalon_metrics.install()
    jalon_xray.install()
    _applied = True


def _aws_managed_key_arn(alias: str, region: str, account_id: str) -> str:
    key_id = RESERVED_ALIASE_TARGET_KEY_IDS[alias]
    return f"arn:aws:kms:{region}:{account_id}:key/{key_id}"


def _paginate(items: list, marker: str | None, page_size: int) -> tuple[list, str | None]:
    """Offset pagination with an opaque-looking string token."""
    start = int(marker) if marker and marker.isdigit() else 0
    page = items[start : start + page_size]
    more = start + page_size < len(items)
    return page, (str(start + page_size) if more else None)


# ====================================================================== server


def patch_server_speed() -> None:
    """Not a fidelity fix: moto's DomainDispatcherApplication calls
    `list_of_moto_modules()` twice per request, and that lists moto's package
    directory and stat()s ~180 entries each time: about a third of the time of
    a simple request. The list never changes while the server runs."""
    import moto.backends

    modules = tuple(moto.backends.list_of_moto_modules())
    moto.backends.list_of_moto_modules = lambda: modules


# ====================================================================== Lambda


def patch_lambda() -> None:
    """moto accepts DeadLetterConfig and LoggingConfig but never stores or returns
    them, and UpdateFunctionConfiguration silently drops TracingConfig, KMSKeyArn,
    DeadLetterConfig and LoggingConfig. ListFunctions and ListEventSourceMappings
    ignore MaxItems/Marker and return everything in one page (real AWS: at most
    50 functions per page), which would hide pagination bugs and falsify call
    counts. GetFunction drops `Concurrency` when the reserved concurrency is 0
    (a common kill switch)."""
    from moto.awslambda.models import LambdaFunction
    from moto.awslambda.responses import LambdaResponse

    def normalise_logging(name, requested, current=None):
        cfg = dict(current or {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"})
        for key, value in (requested or {}).items():
            if value is not None:
                cfg[key] = value
        if cfg.get("LogFormat") == "JSON":
            # AWS defaults both levels to INFO for JSON logs.
            cfg.setdefault("ApplicationLogLevel", "INFO")
            cfg.setdefault("SystemLogLevel", "INFO")
        else:
            cfg.pop("ApplicationLogLevel", None)
            cfg.pop("SystemLogLevel", None)
        return cfg

    def dead_letter(requested):
        target = (requested or {}).get("TargetArn")
        return {"TargetArn": target} if target else None

    original_init = LambdaFunction.__init__

    def __init__(self, account_id, spec, region, version=1):
        original_init(self, account_id, spec, region, version)
        self.dead_letter_config = dead_letter(spec.get("DeadLetterConfig"))
        self.logging_config = normalise_logging(self.function_name, spec.get("LoggingConfig"))

    original_get_configuration = LambdaFunction.get_configuration

    def get_configuration(self, on_create=False):
        config = original_get_configuration(self, on_create)
        if getattr(self, "dead_letter_config", None):
            config["DeadLetterConfig"] = dict(self.dead_letter_config)
        if getattr(self, "logging_config", None):
            config["LoggingConfig"] = dict(self.logging_config)
        if not config.get("KMSKeyArn"):
            config.pop("KMSKeyArn", None)  # AWS omits it for the AWS-managed key
        return config

    original_update = LambdaFunction.update_configuration

    def update_configuration(self, config_updates):
        if "TracingConfig" in config_updates:
            mode = (config_updates["TracingConfig"] or {}).get("Mode") or "PassThrough"
            self.tracing_config = {"Mode": mode}
        if "KMSKeyArn" in config_updates:
            # An empty string reverts to the AWS-managed key.
            self.kms_key_arn = config_updates["KMSKeyArn"] or None
        if "DeadLetterConfig" in config_updates:
            self.dead_letter_config = dead_letter(config_updates["DeadLetterConfig"])
        if "LoggingConfig" in config_updates:
            self.logging_config = normalise_logging(
                self.function_name, config_updates["LoggingConfig"], self.logging_config
            )
        return original_update(self, config_updates)

    original_get_code = LambdaFunction.get_code

    def get_code(self):
        resp = original_get_code(self)
        if self.reserved_concurrency == 0:
            resp["Concurrency"] = {"ReservedConcurrentExecutions": 0}
        return resp

    def list_functions(self):
        qs = self.querystring
        func_version = qs.get("FunctionVersion", [None])[0]
        max_items = min(int(qs.get("MaxItems", ["50"])[0]), 50)
        marker = qs.get("Marker", [None])[0]
        functions = list(self.backend.list_functions(func_version))
        page, next_marker = _paginate(functions, marker, max_items)
        result = {"Functions": [fn.get_configuration() for fn in page]}
        if next_marker:
            result["NextMarker"] = next_marker
        return json.dumps(result)

    def list_event_source_mappings(self):
        qs = self.querystring
        event_source_arn = qs.get("EventSourceArn", [None])[0]
        function_name = qs.get("FunctionName", [None])[0]
        max_items = min(int(qs.get("MaxItems", ["100"])[0]), 10000)
        marker = qs.get("Marker", [None])[0]
        esms = list(self.backend.list_event_source_mappings(event_source_arn, function_name))
        page, next_marker = _paginate(esms, marker, max_items)
        result = {"EventSourceMappings": [esm.get_configuration() for esm in page]}
        if next_marker:
            result["NextMarker"] = next_marker
        return json.dumps(result)

    LambdaFunction.__init__ = __init__
    LambdaFunction.get_configuration = get_configuration
    LambdaFunction.update_configuration = update_configuration
    LambdaFunction.get_code = get_code
    LambdaResponse.list_functions = list_functions
    LambdaResponse.list_event_source_mappings = list_event_source_mappings
    patch_lambda_event_invoke_configs()


def patch_lambda_event_invoke_configs() -> None:
    """moto keeps one async-invocation config per function whatever the
    Qualifier, appends instead of replacing on Put (so a second Put is never
    seen), treats Update as Put, and reports the unqualified function ARN.
    AWS keeps one config per qualifier (version, alias or $LATEST), Put
    replaces it, Update merges into it, and FunctionArn carries the qualifier
    (`...:function:NAME:$LATEST` when none was given)."""
    from moto.awslambda.exceptions import UnknownEventConfig
    from moto.awslambda.models import EventInvokeConfig
    from moto.awslambda.responses import LambdaResponse

    fields = ("MaximumRetryAttempts", "MaximumEventAgeInSeconds", "DestinationConfig")

    def target(self, segments_from_end):
        name = unquote(self.path.rsplit("/", segments_from_end)[1])
        qualifier = self.querystring.get("Qualifier", [None])[0]
        if qualifier is None and ":" in name and not name.startswith("arn:"):
            name, qualifier = name.split(":", 1)
        fn = self.backend.get_function(name)
        if not hasattr(fn, "jalon_event_invoke_configs"):
            fn.jalon_event_invoke_configs = {}
        return fn, qualifier or "$LATEST"

    def view(fn, qualifier):
        config = fn.jalon_event_invoke_configs[qualifier]
        base_arn = fn.function_arn.split(":function:")[0] + ":function:" + fn.function_name
        out = {"FunctionArn": f"{base_arn}:{qualifier}", "LastModified": config["LastModified"]}
        out.update({k: config[k] for k in fields if k in config})
        return out

    def store(fn, qualifier, body, merge):
        config = dict(fn.jalon_event_invoke_configs.get(qualifier, {})) if merge else {}
        config.update({k: body[k] for k in fields if body.get(k) is not None})
        EventInvokeConfig(fn.function_arn, "", config)  # moto's validation
        config["LastModified"] = time.time()
        fn.jalon_event_invoke_configs[qualifier] = config

    def put_config(self):
        fn, qualifier = target(self, 2)
        store(fn, qualifier, self.json_body, merge=False)
        return 200, {}, json.dumps(view(fn, qualifier))

    def update_config(self):
        fn, qualifier = target(self, 2)
        store(fn, qualifier, self.json_body, merge=True)
        return 200, {}, json.dumps(view(fn, qualifier))

    def get_config(self):
        fn, qualifier = target(self, 2)
        if qualifier not in fn.jalon_event_invoke_configs:
            raise UnknownEventConfig(f"{fn.function_arn}:{qualifier}")
        return 200, {}, json.dumps(view(fn, qualifier))

    def delete_config(self):
        fn, qualifier = target(self, 2)
        if qualifier not in fn.jalon_event_invoke_configs:
            raise UnknownEventConfig(f"{fn.function_arn}:{qualifier}")
        del fn.jalon_event_invoke_configs[qualifier]
        return 204, {"status": 204}, ""

    def list_configs(self):
        fn, _ = target(self, 3)
        max_items = min(int(self.querystring.get("MaxItems", ["50"])[0]), 50)
        marker = self.querystring.get("Marker", [None])[0]
        views = [view(fn, q) for q in sorted(fn.jalon_event_invoke_configs)]
        page, next_marker = _paginate(views, marker, max_items)
        result = {"FunctionEventInvokeConfigs": page}
        if next_marker:
            result["NextMarker"] = next_marker
        return 200, {}, json.dumps(result)

    LambdaResponse.put_function_event_invoke_config = put_config
    LambdaResponse.update_function_event_invoke_config = update_config
    LambdaResponse.get_function_event_invoke_config = get_config
    LambdaResponse.delete_function_event_invoke_config = delete_config
    LambdaResponse.list_function_event_invoke_configs = list_configs


# ====================================================================== RDS


def patch_rds() -> None:
    """moto ignores EnablePerformanceInsights / PerformanceInsightsKMSKeyId on
    create and never returns PerformanceInsightsEnabled; it reports KmsKeyId as
    the placeholder "default_kms_key_id" for encrypted storage without a key;
    PubliclyAccessible is missing when not given; clusters get the MySQL
    default parameter group "default.aurora8.0" whatever the engine; and
    ModifyDBCluster drops EnableIAMDatabaseAuthentication and
    CloudwatchLogsExportConfiguration."""
    from moto.rds.models import DBCluster, DBInstance, RDSBackend

    def normalise_pi(resource):
        enabled = bool(getattr(resource, "enable_performance_insights", False))
        resource.performance_insights_enabled = enabled
        if enabled:
            if not getattr(resource, "performance_insights_retention_period", None):
                resource.performance_insights_retention_period = 7  # AWS default
            if not getattr(resource, "performance_insights_kms_key_id", None):
                resource.performance_insights_kms_key_id = _aws_managed_key_arn(
                    "alias/aws/rds", resource.region, resource.account_id
                )
        else:
            resource.performance_insights_retention_period = None
            resource.performance_insights_kms_key_id = None

    def fix_storage_key(resource):
        if getattr(resource, "kms_key_id", None) == "default_kms_key_id":
            resource.kms_key_id = _aws_managed_key_arn(
                "alias/aws/rds", resource.region, resource.account_id
            )

    original_instance_init = DBInstance.__init__

    def instance_init(self, backend, **kwargs):
        original_instance_init(self, backend, **kwargs)
        self.enable_performance_insights = kwargs.get("enable_performance_insights", False)
        self.performance_insights_retention_period = kwargs.get(
            "performance_insights_retention_period"
        )
        self.performance_insights_kms_key_id = kwargs.get("performance_insights_kms_key_id")
        normalise_pi(self)
        if self.db_cluster_identifier is None:
            fix_storage_key(self)
        if self.publicly_accessible is None:
            # AWS: with no DBSubnetGroupName the instance lands in the default VPC,
            # which has an internet gateway, so it is public.
            self.publicly_accessible = kwargs.get("db_subnet_group_name") is None

    original_instance_update = DBInstance.update

    def instance_update(self, *args, **kwargs):
        original_instance_update(self, *args, **kwargs)
        normalise_pi(self)

    original_cluster_init = DBCluster.__init__

    def cluster_init(self, backend, **kwargs):
        original_cluster_init(self, backend, **kwargs)
        self.enable_performance_insights = kwargs.get("enable_performance_insights", False)
        self.performance_insights_retention_period = kwargs.get(
            "performance_insights_retention_period"
        )
        self.performance_insights_kms_key_id = kwargs.get("performance_insights_kms_key_id")
        normalise_pi(self)
        if self.storage_encrypted:
            fix_storage_key(self)
        else:
            self.kms_key_id = None
        if not kwargs.get("db_cluster_parameter_group_name"):
            version = self.engine_version
            if self.engine == "aurora-postgresql":
                self.parameter_group = f"default.aurora-postgresql{version.split('.')[0]}"
            elif self.engine == "aurora-mysql":  # 8.0.mysql_aurora.3.x -> aurora-mysql8.0
                self.parameter_group = "default.aurora-mysql" + ".".join(version.split(".")[:2])

    original_modify_cluster = RDSBackend.modify_db_cluster

    def modify_db_cluster(self, kwargs):
        iam = kwargs.pop("enable_iam_database_authentication", None)
        exports = kwargs.pop("cloudwatch_logs_export_configuration", None)
        cluster_id = kwargs["db_cluster_identifier"]
        result = original_modify_cluster(self, kwargs)
        cluster = self.clusters.get(kwargs.get("new_db_cluster_identifier") or cluster_id)
        # moto answers with a copy of the cluster: change both.
        for target in (result, cluster):
            if target is None:
                continue
            if iam is not None:
                target.iam_auth = iam
            if exports:
                current = [e for e in target.enabled_cloudwatch_logs_exports]
                for log_type in exports.get("DisableLogTypes", []):
                    if log_type in current:
                        current.remove(log_type)
                for log_type in exports.get("EnableLogTypes", []):
                    if log_type not in current:
                        current.append(log_type)
                target.enabled_cloudwatch_logs_exports = current
            normalise_pi(target)
        return result

    DBInstance.__init__ = instance_init
    DBInstance.update = instance_update
    DBCluster.__init__ = cluster_init
    RDSBackend.modify_db_cluster = modify_db_cluster


# ====================================================================== Secrets Manager


def patch_secretsmanager() -> None:
    """moto's RotateSecret only understands RotationRules.AutomaticallyAfterDays:
    a ScheduleExpression (and Duration) is silently dropped, the secret stays
    "RotationEnabled: false" and DescribeSecret/ListSecrets report
    AutomaticallyAfterDays 0. It also stamps LastRotatedDate even when
    RotateImmediately=false (nothing rotated), returns RotationLambdaARN "" when
    there is none, and RDS-managed master user secrets show no rotation at all
    although RDS rotates them every 7 days by default."""
    from moto.secretsmanager.models import FakeSecret, SecretsManagerBackend

    def days_from_expression(expression):
        # AWS computes AutomaticallyAfterDays from a rate() schedule.
        match = re.fullmatch(r"rate\((\d+) days?\)", expression or "")
        return int(match.group(1)) if match else None

    def seconds_from_expression(expression):
        match = re.fullmatch(r"rate\((\d+) (hour|hours|day|days)\)", expression or "")
        if not match:
            return None
        unit = 3600 if match.group(2).startswith("hour") else 86400
        return int(match.group(1)) * unit

    original_rotate = SecretsManagerBackend.rotate_secret

    def rotate_secret(
        self,
        secret_id,
        client_request_token=None,
        rotation_lambda_arn=None,
        rotation_rules=None,
        rotate_immediately=True,
    ):
        secret = self.secrets[secret_id] if self._is_valid_identifier(secret_id) else None
        previous_last_rotated = getattr(secret, "last_rotation_date", None)
        days_only = None
        if rotation_rules and "AutomaticallyAfterDays" in rotation_rules:
            days_only = {"AutomaticallyAfterDays": rotation_rules["AutomaticallyAfterDays"]}
        result = original_rotate(
            self,
            secret_id,
            client_request_token=client_request_token,
            rotation_lambda_arn=rotation_lambda_arn,
            rotation_rules=days_only,
            rotate_immediately=rotate_immediately,
        )
        secret = self.secrets[secret_id]
        if rotation_rules:
            rules = {k: v for k, v in rotation_rules.items() if v is not None}
            expression = rules.get("ScheduleExpression")
            if expression and days_from_expression(expression):
                rules.setdefault("AutomaticallyAfterDays", days_from_expression(expression))
            secret.jalon_rotation_rules = rules
            secret.auto_rotate_after_days = rules.get("AutomaticallyAfterDays", 0)
            secret.rotation_enabled = bool(secret.auto_rotate_after_days or expression)
            if expression:
                step = seconds_from_expression(expression)
                secret.next_rotation_date = int(time.time()) + step if step else None
        if not rotate_immediately:
            secret.last_rotation_date = previous_last_rotated
        return result

    original_to_dict = FakeSecret.to_dict

    def to_dict(self):
        dct = original_to_dict(self)
        if self.rotation_requested:
            rules = getattr(self, "jalon_rotation_rules", None)
            if rules is not None:
                dct["RotationRules"] = dict(rules)
            if not dct.get("RotationLambdaARN"):
                dct.pop("RotationLambdaARN", None)
            if dct.get("LastRotatedDate") is None:
                dct.pop("LastRotatedDate", None)
        return dct

    original_create_managed = SecretsManagerBackend.create_managed_secret

    def create_managed_secret(self, service_name, secret_id, *args, **kwargs):
        secret = original_create_managed(self, service_name, secret_id, *args, **kwargs)
        if service_name == "rds":
            # RDS turns on managed rotation, every 7 days, for the master secret.
            secret.rotation_requested = True
            secret.rotation_enabled = True
            secret.auto_rotate_after_days = 7
            secret.jalon_rotation_rules = {
                "AutomaticallyAfterDays": 7,
                "ScheduleExpression": "rate(7 days)",
            }
            secret.next_rotation_date = int(secret.created_date or time.time()) + 7 * 86400
        return secret

    SecretsManagerBackend.rotate_secret = rotate_secret
    SecretsManagerBackend.create_managed_secret = create_managed_secret
    FakeSecret.to_dict = to_dict


# ====================================================================== SNS

PENDING_PROTOCOLS = ("email", "email-json", "http", "https")


def patch_sns() -> None:
    """moto confirms every subscription at once. Real AWS keeps e-mail,
    e-mail-json and HTTP(S) subscriptions pending until the endpoint confirms:
    Subscribe answers "pending confirmation", ListSubscriptions(ByTopic) shows
    SubscriptionArn "PendingConfirmation", GetSubscriptionAttributes shows
    PendingConfirmation "true", and the topic counts them in
    SubscriptionsPending. moto's ConfirmSubscription ignores its token and
    returns a made-up ARN.

    Here, ConfirmSubscription(TopicArn, Token) confirms the pending subscription
    of that topic whose endpoint (e-mail address or URL) or ARN equals Token,
    else the oldest pending one; it fails with InvalidParameter if none is
    pending, like AWS does for a bad token."""
    from moto.sns.exceptions import SNSInvalidParameter, SNSNotFoundError
    from moto.sns.models import SNSBackend
    from moto.sns.responses import SNSResponse

    original_subscribe = SNSBackend.subscribe

    def subscribe(self, topic_arn, endpoint, protocol):
        existing = self._find_subscription(topic_arn, endpoint, protocol)
        subscription = original_subscribe(self, topic_arn, endpoint, protocol)
        if existing is None:
            subscription.confirmed = protocol not in PENDING_PROTOCOLS
            subscription.attributes["PendingConfirmation"] = (
                "false" if subscription.confirmed else "true"
            )
            subscription.attributes["ConfirmationWasAuthenticated"] = (
                "true" if subscription.confirmed else "false"
            )
        return subscription

    def subscription_summary(sub):
        return {
            "SubscriptionArn": sub.arn if sub.confirmed else "PendingConfirmation",
            "Owner": sub.owner,
            "Protocol": sub.protocol,
            "Endpoint": sub.endpoint,
            "TopicArn": sub.topic_arn,
        }

    def subscribe_response(self):
        topic_arn = self._get_param("TopicArn")
        endpoint = self._get_param("Endpoint")
        protocol = self._get_param("Protocol")
        return_arn = str(self._get_param("ReturnSubscriptionArn", "false")).lower() == "true"
        attributes = self._get_attributes()
        subscription = self.backend.subscribe(topic_arn, endpoint, protocol)
        if attributes is not None:
            if "FilterPolicyScope" in attributes:
                self.backend.set_subscription_attributes(
                    subscription.arn, "FilterPolicyScope", attributes.pop("FilterPolicyScope")
                )
            for name, value in attributes.items():
                self.backend.set_subscription_attributes(subscription.arn, name, value)
        arn = subscription.arn
        if not subscription.confirmed and not return_arn:
            arn = "pending confirmation"
        return ActionResult({"SubscriptionArn": arn})

    def list_subscriptions(self):
        subs, next_token = self.backend.list_subscriptions(next_token=self._get_param("NextToken"))
        return ActionResult(
            {"Subscriptions": [subscription_summary(s) for s in subs], "NextToken": next_token}
        )

    def list_subscriptions_by_topic(self):
        subs, next_token = self.backend.list_subscriptions_by_topic(
            self._get_param("TopicArn"), next_token=self._get_param("NextToken")
        )
        return ActionResult(
            {"Subscriptions": [subscription_summary(s) for s in subs], "NextToken": next_token}
        )

    def confirm_subscription(self):
        topic_arn = self._get_param("TopicArn")
        token = self._get_param("Token")
        if topic_arn not in self.backend.topics:
            raise SNSNotFoundError("Topic does not exist")
        pending = [
            s
            for s in self.backend.subscriptions.values()
            if s.topic_arn == topic_arn and not s.confirmed
        ]
        chosen = next((s for s in pending if token in (s.endpoint, s.arn)), None)
        if chosen is None and pending:
            chosen = pending[0]
        if chosen is None:
            raise SNSInvalidParameter("Invalid token")
        chosen.confirmed = True
        chosen.attributes["PendingConfirmation"] = "false"
        return ActionResult({"SubscriptionArn": chosen.arn})

    original_get_topic_attributes = SNSResponse.get_topic_attributes

    def get_topic_attributes(self):
        result = original_get_topic_attributes(self)
        topic_arn = self._get_param("TopicArn")
        subs = [s for s in self.backend.subscriptions.values() if s.topic_arn == topic_arn]
        attributes = result.result["Attributes"]
        attributes["SubscriptionsConfirmed"] = str(sum(1 for s in subs if s.confirmed))
        attributes["SubscriptionsPending"] = str(sum(1 for s in subs if not s.confirmed))
        return result

    SNSBackend.subscribe = subscribe
    SNSResponse.subscribe = subscribe_response
    SNSResponse.list_subscriptions = list_subscriptions
    SNSResponse.list_subscriptions_by_topic = list_subscriptions_by_topic
    SNSResponse.confirm_subscription = confirm_subscription
    SNSResponse.get_topic_attributes = get_topic_attributes


# ====================================================================== CloudWatch


def patch_cloudwatch() -> None:
    """moto has no PutCompositeAlarm; its DescribeAlarms ignores AlarmTypes (AWS
    returns only metric alarms when AlarmTypes is omitted), MaxRecords and
    NextToken (AWS pages at 50 by default, 100 at most), never serialises a
    composite alarm's AlarmRule, and returns alarms in creation order (AWS:
    by name). New alarms start in OK; AWS starts them in INSUFFICIENT_DATA."""
    from moto.cloudwatch.exceptions import InvalidParameterValue
    from moto.cloudwatch.models import Alarm
    from moto.cloudwatch.responses import CloudWatchResponse
    from moto.core.exceptions import ServiceException

    class InvalidNextToken(ServiceException):
        code = "InvalidNextToken"

    original_alarm_init = Alarm.__init__

    def alarm_init(self, *args, **kwargs):
        original_alarm_init(self, *args, **kwargs)
        self.state_value = "INSUFFICIENT_DATA"

    def put_composite_alarm(self):
        self.cloudwatch_backend.put_metric_alarm(
            name=self._get_param("AlarmName"),
            namespace=None,
            metric_name=None,
            metric_data_queries=None,
            comparison_operator=None,
            evaluation_periods=None,
            datapoints_to_alarm=None,
            period=None,
            threshold=None,
            statistic=None,
            extended_statistic=None,
            description=self._get_param("AlarmDescription"),
            dimensions=[],
            alarm_actions=self._get_param("AlarmActions", []),
            ok_actions=self._get_param("OKActions", []),
            insufficient_data_actions=self._get_param("InsufficientDataActions", []),
            unit=None,
            actions_enabled=self._get_bool_param("ActionsEnabled"),
            treat_missing_data=None,
            evaluate_low_sample_count_percentile=None,
            threshold_metric_id=None,
            rule=self._get_param("AlarmRule"),
            tags=self._get_param("Tags", []),
        )
        return EmptyResult()

    def composite_view(alarm):
        return {
            "ActionsEnabled": alarm.actions_enabled,
            "AlarmActions": alarm.alarm_actions,
            "AlarmArn": alarm.alarm_arn,
            "AlarmConfigurationUpdatedTimestamp": alarm.configuration_updated_timestamp,
            "AlarmDescription": alarm.description,
            "AlarmName": alarm.name,
            "AlarmRule": alarm.rule,
            "InsufficientDataActions": alarm.insufficient_data_actions,
            "OKActions": alarm.ok_actions,
            "StateReason": alarm.state_reason,
            "StateReasonData": alarm.state_reason_data,
            "StateUpdatedTimestamp": alarm.state_updated_timestamp,
            "StateTransitionedTimestamp": alarm.state_updated_timestamp,
            "StateValue": alarm.state_value,
        }

    def describe_alarms(self):
        backend = self.cloudwatch_backend
        names = self._get_param("AlarmNames", [])
        prefix = self._get_param("AlarmNamePrefix")
        action_prefix = self._get_param("ActionPrefix")
        state_value = self._get_param("StateValue")
        alarm_types = self._get_param("AlarmTypes") or ["MetricAlarm"]
        max_records = self._get_param("MaxRecords")
        max_records = 50 if max_records is None else int(max_records)
        next_token = self._get_param("NextToken")
        if not 1 <= max_records <= 100:
            raise InvalidParameterValue(
                f"The value {max_records} for parameter MaxRecords is not valid."
            )

        alarms = sorted(backend.describe_alarms(), key=lambda a: a.name)
        if names:
            alarms = [a for a in alarms if a.name in names]
        if prefix:
            alarms = [a for a in alarms if a.name.startswith(prefix)]
        if action_prefix:
            alarms = [
                a for a in alarms if any(x.startswith(action_prefix) for x in a.alarm_actions)
            ]
        if state_value:
            alarms = [a for a in alarms if a.state_value == state_value]

        wanted = []
        if "MetricAlarm" in alarm_types:
            wanted += [a for a in alarms if a.rule is None]
        if "CompositeAlarm" in alarm_types:
            wanted += [a for a in alarms if a.rule is not None]
        if next_token and not next_token.isdigit():
            raise InvalidNextToken("The service cannot process the NextToken.")
        page, token = _paginate(wanted, next_token, max_records)
        result = {
            "MetricAlarms": [a for a in page if a.rule is None],
            "CompositeAlarms": [composite_view(a) for a in page if a.rule is not None],
        }
        if token:
            result["NextToken"] = token
        return ActionResult(result)

    Alarm.__init__ = alarm_init
    CloudWatchResponse.put_composite_alarm = put_composite_alarm
    CloudWatchResponse.describe_alarms = describe_alarms


# ====================================================================== CloudWatch Logs


def patch_logs() -> None:
    """moto drops CreateLogGroup's logGroupClass and DescribeLogGroups never
    returns it; AWS returns logGroupClass ("STANDARD" by default) for every
    group."""
    from moto.logs.models import LogGroup
    from moto.logs.responses import LogsResponse

    original_init = LogGroup.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self.log_group_class = kwargs.get("logGroupClass") or "STANDARD"

    original_describe = LogGroup.to_describe_dict

    def to_describe_dict(self):
        group = original_describe(self)
        group["logGroupClass"] = getattr(self, "log_group_class", "STANDARD")
        return group

    def create_log_group(self):
        self.logs_backend.create_log_group(
            self._get_param("logGroupName"),
            self._get_param("tags"),
            kmsKeyId=self._get_param("kmsKeyId"),
            logGroupClass=self._get_param("logGroupClass"),
        )
        return ""

    LogGroup.__init__ = init
    LogGroup.to_describe_dict = to_describe_dict
    LogsResponse.create_log_group = create_log_group


def patch_logs_tagging() -> None:
    """moto lists log groups in the Resource Groups Tagging API under the resource
    type "logs:loggroup"; AWS names it "logs:log-group", so a GetResources call
    filtered on the real type finds none of them."""
    from moto.core.resource_tagging import TaggedResource
    from moto.logs.models import LogsBackend

    def iter_tagged_resources(self):
        for group in self.groups.values():
            yield TaggedResource(
                arn=group.arn,
                tags=self.tagger.get_tag_dict_for_resource(group.arn),
                resource_type="logs:log-group",
            )

    LogsBackend.iter_tagged_resources = iter_tagged_resources


def patch_sqs() -> None:
    """SSE-SQS and SSE-KMS are exclusive: AWS reports `SqsManagedSseEnabled: false`
    on a queue encrypted with a KMS key, and turning SSE-SQS on removes the key.
    moto keeps SSE-SQS on by default beside any key, so every queue would read as
    encrypted by SQS whatever its key."""
    from moto.sqs.models import Queue

    original = Queue._set_attributes

    def set_attributes(self, attributes, now=None):
        original(self, attributes, now)
        sse_requested = str(attributes.get("SqsManagedSseEnabled", "")).lower() == "true"
        if attributes.get("KmsMasterKeyId"):
            self.sqs_managed_sse_enabled = False
        elif sse_requested and "KmsMasterKeyId" not in attributes:
            self.kms_master_key_id = None
        self.sqs_managed_sse_enabled = str(self.sqs_managed_sse_enabled).lower() == "true"

    Queue._set_attributes = set_attributes


def patch_kms() -> None:
    """moto creates the AWS-managed key behind a reserved alias (`alias/aws/rds`) on
    first use, but as a customer key (`KeyManager: CUSTOMER`) that does not rotate.
    AWS manages and rotates those keys itself: a checker would blame the account for
    a key it cannot change."""
    from moto.kms.models import KmsBackend

    original = KmsBackend._generate_default_keys

    def generate_default_keys(self, alias_name):
        key_id = original(self, alias_name)
        if key_id is not None:
            self.keys[key_id].key_manager = "AWS"
            self.keys[key_id].key_rotation_status = True
        return key_id

    KmsBackend._generate_default_keys = generate_default_keys


def patch_dynamodb() -> None:
    """Global tables (version 2019.11.21): AWS adds a replica through UpdateTable's
    `ReplicaUpdates` and DescribeTable lists the replicas under `Replicas`. moto
    ignores the update and never lists a replica, so every table would read as
    single-region and a replica outside the allowed regions would go unseen (GDP-002).

    A table encrypted with `SSESpecification: {Enabled: true}` and no key uses the
    AWS-managed key `alias/aws/dynamodb`; moto creates it as a customer key that does
    not rotate (as it did for `alias/aws/rds`, patch_kms), so GDP-007 would blame the
    account for a key AWS manages.

    A customer key given by id or alias comes back as given in `KMSMasterKeyArn`;
    AWS always answers with the key's ARN."""
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoHandler
    from moto.kms import kms_backends

    original_default_key = Table._get_default_encryption_key

    def default_encryption_key(self, account_id, region):
        arn = original_default_key(self, account_id, region)
        key = kms_backends[account_id][region].describe_key("alias/aws/dynamodb")
        key.key_manager = "AWS"
        key.key_rotation_status = True
        return arn

    Table._get_default_encryption_key = default_encryption_key

    original_update = DynamoHandler.update_table
    original_describe = Table.describe

    def update_table(self):
        updates = self.body.get("ReplicaUpdates") or []
        if updates:
            table = self.dynamodb_backend.get_table(self.body["TableName"])
            regions = getattr(table, "jalon_replica_regions", [])
            for update in updates:
                if "Create" in update:
                    regions = [*regions, update["Create"]["RegionName"]]
                if "Delete" in update:
                    regions = [r for r in regions if r != update["Delete"]["RegionName"]]
            table.jalon_replica_regions = regions
        return original_update(self)

    def describe(self, base_key="TableDescription"):
        result = original_describe(self, base_key)
        sse = result[base_key].get("SSEDescription")
        if sse and sse.get("KMSMasterKeyArn") and not sse["KMSMasterKeyArn"].startswith("arn:"):
            kms = kms_backends[self.account_id][self.region_name]
            sse["KMSMasterKeyArn"] = kms.describe_key(sse["KMSMasterKeyArn"]).arn
        regions = getattr(self, "jalon_replica_regions", [])
        if regions:
            result[base_key]["GlobalTableVersion"] = "2019.11.21"
            result[base_key]["Replicas"] = [
                {"RegionName": r, "ReplicaStatus": "ACTIVE"} for r in regions
            ]
        return result

    DynamoHandler.update_table = update_table
    Table.describe = describe


def patch_s3() -> None:
    """ListBuckets: moto cuts the list at `max-buckets` and returns no
    `ContinuationToken`, so a client paging through the buckets silently loses the
    rest; it ignores `continuation-token`, lists buckets in creation order (AWS: by
    name) and leaves out each bucket's `BucketRegion`. Rewritten on moto's own
    backend: sorted, paged (the token is the name to continue from), with the
    region of each bucket and the `bucket-region` and `prefix` filters kept.

    GetBucketVersioning answered an XML root named `GetBucketVersioningResponse`, not
    `VersioningConfiguration`: the Rust SDK fails the call."""
    from moto.s3.responses import S3Response

    def all_buckets(self):
        self.data["Action"] = "ListAllMyBuckets"
        self._authenticate_and_authorize_s3_action()
        prefix = self._get_param("prefix")
        region = self._get_param("bucket-region")
        size = int(self._get_param("max-buckets") or 10000)
        start = self._get_param("continuation-token")
        buckets = sorted(
            (b for b in self.backend.buckets.values()
             if (not prefix or b.name.startswith(prefix)) and (not region or b.region_name == region)),
            key=lambda b: b.name,
        )
        if start:
            buckets = [b for b in buckets if b.name >= start]
        result = {
            "Owner": {"ID": "bcaf1ffd86f41161ca5fb16fd081034f", "DisplayName": "webfile"},
            "Buckets": [
                {"Name": b.name, "CreationDate": b.creation_date_ISO8601, "BucketRegion": b.region_name}
                for b in buckets[:size]
            ],
        }
        if len(buckets) > size:
            result["ContinuationToken"] = buckets[size].name
        if prefix:
            result["Prefix"] = prefix
        self.data["Action"] = "ListBuckets"
        return self.serialized(ActionResult(result))

    S3Response.all_buckets = all_buckets

    def get_bucket_versioning(self):
        # AWS's root is VersioningConfiguration (empty when never enabled); moto's
        # serializer names it GetBucketVersioningResponse, which the Rust SDK rejects.
        status = self.backend.get_bucket_versioning(self.bucket_name)
        inner = f"<Status>{status}</Status>" if status else ""
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">{inner}</VersioningConfiguration>'
        )
        return 200, {"Content-Type": "application/xml"}, body

    S3Response.get_bucket_versioning = get_bucket_versioning


def patch_apigateway() -> None:
    """REST APIs: an integration created without `timeoutInMillis` was described
    without one (AWS: 29000, the default), and a stage without tracing without
    `tracingEnabled` (AWS: false)."""
    from moto.apigateway.models import Integration, Stage

    original_integration = Integration.to_json
    original_stage = Stage.to_json

    def integration_to_json(self):
        described = original_integration(self)
        if described.get("timeoutInMillis") in (None, ""):
            described["timeoutInMillis"] = 29000
        return described

    def stage_to_json(self):
        described = original_stage(self)
        described.setdefault("tracingEnabled", False)
        return described

    Integration.to_json = integration_to_json
    Stage.to_json = stage_to_json


def patch_codedeploy() -> None:
    """Deployment groups: moto described every group with `alarmConfiguration: {}`
    whatever it was created with (a TODO in `_deployment_group_info`), so a group
    watching the error-rate alarm read as watching nothing; and it had no
    BatchGetDeploymentGroups (NotImplementedError), the call that reads groups 25 at
    a time instead of one GetDeploymentGroup each."""
    from moto.codedeploy import responses
    from moto.codedeploy.exceptions import DeploymentGroupDoesNotExistException

    original_info = responses._deployment_group_info

    def deployment_group_info(group):
        info = original_info(group)
        config = group.alarm_configuration or {}
        info["alarmConfiguration"] = {
            "enabled": bool(config.get("enabled", False)),
            "ignorePollAlarmFailure": bool(config.get("ignorePollAlarmFailure", False)),
            "alarms": [{"name": a["name"]} for a in config.get("alarms", [])],
        }
        return info

    def batch_get_deployment_groups(self):
        application = self._get_param("applicationName")
        found, missing = [], []
        for name in self._get_param("deploymentGroupNames") or []:
            try:
                group = self.codedeploy_backend.get_deployment_group(application, name)
            except DeploymentGroupDoesNotExistException:
                missing.append(name)
                continue
            found.append(responses._deployment_group_info(group))
        result = {"deploymentGroupsInfo": found}
        if missing:
            result["errorMessage"] = f"Deployment groups not found: {', '.join(missing)}"
        return ActionResult(result)

    responses._deployment_group_info = deployment_group_info
    responses.CodeDeployResponse.batch_get_deployment_groups = batch_get_deployment_groups
