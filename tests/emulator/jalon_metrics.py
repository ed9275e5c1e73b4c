"""CloudWatch metric data and alarm history for moto 5.2.5, applied by jalon_patches.py.

WHY:
  * moto keeps every PutMetricData value as a Python object in one list and, for
    GetMetricData, scans that whole list once per period of every query: quadratic,
    unusable for a month of 5-minute data. It also ignores MaxDatapoints and
    NextToken (never pages), has no percentiles (a `p95` query fails the whole
    call: its value is None), and does not check Period, query Ids or the
    500-query limit.
  * moto keeps `alarm.history` tuples but has no DescribeAlarmHistory at all
    (NotImplementedError).
  * AWS refuses PutMetricData older than two weeks and cannot backdate alarm state
    changes, yet the tests need a month of traffic and a week-old alarm history:
    `seed_metric_data` and `add_alarm_history` write them directly (served by
    jalon_moto.py as POST /_jalon/metric-data and POST /_jalon/alarm-history).

The store: per CloudWatch backend (account and region, so `/moto-api/reset`
empties it), one `Series` per (namespace, metric name, set of dimensions): the
samples as parallel arrays (minute, value, count), at CloudWatch's 1-minute
resolution, plus the statistic sets. A query finds its series by key, bisects to
its time window and walks the periods that hold data: never the whole store.

Percentiles are nearest-rank over the samples with their counts (`nearest_rank`).
A period whose only data are statistic sets has no percentile (as on AWS).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time
from array import array
from bisect import bisect_left
from datetime import datetime, timezone
from fractions import Fraction
from itertools import accumulate, compress
from operator import mul, ne

from moto.cloudwatch.exceptions import InvalidParameterCombination, InvalidParameterValue, ValidationError
from moto.core import DEFAULT_ACCOUNT_ID
from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult

from jalon_patches import _paginate

MAX_QUERIES = 500
MAX_DATAPOINTS = 100_800
QUERY_ID = re.compile(r"[a-z][a-zA-Z0-9_]*\Z")
PERCENTILE = re.compile(r"p(\d+(?:\.\d+)?)\Z")
SIMPLE_STATISTICS = ("Sum", "Average", "Minimum", "Maximum", "SampleCount")
DAY = 86400

# One lock for all stores: writes append to parallel arrays that reads sort lazily.
_lock = threading.Lock()


class InvalidNextToken(ServiceException):
    code = "InvalidNextToken"


# ====================================================================== the store


class Series:
    """One metric of one account and region. `minutes`, `values`, `counts` are
    parallel (sorted by minute once `dirty` is cleared); `sets` holds statistic
    sets as (minute, sum, minimum, maximum, sample count): they have no values to
    rank. `unit` is the last unit written (CloudWatch keeps one per datum; one per
    series is enough for jalon)."""

    __slots__ = ("minutes", "values", "counts", "sets", "unit", "dirty")

    def __init__(self):
        self.minutes = array("q")
        self.values = array("d")
        self.counts = array("d")
        self.sets = []
        self.unit = None
        self.dirty = False

    def add(self, points) -> int:
        """points: [[epoch seconds, [values], [counts]?]], each value seen `count`
        times (default 1) in the minute of its timestamp. Answers how many
        (value, count) samples were stored. Caller holds the lock."""
        minutes, values, counts = [], [], []
        for point in points:  # per point, not per sample: a month is millions of samples
            n = len(point[1])
            minutes += [int(point[0]) // 60 * 60] * n  # CloudWatch keeps 1-minute resolution
            values += point[1]
            if len(point) > 2 and len(point[2]) != n:
                raise ValueError(f"point {point[0]}: values and counts differ in length")
            counts += point[2] if len(point) > 2 else [1] * n
        if counts and min(counts) <= 0:  # a count of zero carries nothing
            keep = [k for k, count in enumerate(counts) if count > 0]
            minutes, values, counts = ([column[k] for k in keep] for column in (minutes, values, counts))
        out_of_order = minutes != sorted(minutes) or (minutes and self.minutes and minutes[0] < self.minutes[-1])
        values, counts = array("d", values), array("d", counts)  # may raise: before any change
        self.dirty = self.dirty or bool(out_of_order)
        self.minutes += array("q", minutes)
        self.values += values
        self.counts += counts
        return len(values)

    def ready(self):
        """Sort the samples by minute if a write came out of order."""
        if self.dirty:
            order = sorted(range(len(self.minutes)), key=self.minutes.__getitem__)
            self.minutes = array("q", (self.minutes[i] for i in order))
            self.values = array("d", (self.values[i] for i in order))
            self.counts = array("d", (self.counts[i] for i in order))
            self.dirty = False
        self.sets.sort()

    def has_data(self, start, end, raw_only):
        i = bisect_left(self.minutes, start)
        if i < len(self.minutes) and self.minutes[i] < end:
            return True
        return not raw_only and any(start <= s[0] < end for s in self.sets)

    def periods(self, start, end, period, raw_only):
        """The periods of [start, end) holding data, oldest first, as
        ([(period start, i, j)], {period start: [statistic sets]}): samples i..j-1
        and those sets fall in it. With raw_only (percentiles), periods holding only
        statistic sets are left out."""
        minutes = self.minutes
        lo, hi = bisect_left(minutes, start), bisect_left(minutes, end)
        if (end - start) // period * 8 < hi - lo:
            # Long periods (a month's total): a bisect per period.
            found, i = [], lo
            while i < hi:
                at = minutes[i] - (minutes[i] - start) % period
                j = bisect_left(minutes, at + period, i, hi)
                found.append((at, i, j))
                i = j
        else:
            # Short periods (a month of 5-minute ones): where the period changes,
            # found at C speed rather than by 8,640 bisects.
            starts = [m - (m - start) % period for m in minutes[lo:hi]]
            cuts = list(compress(range(1, len(starts)), map(ne, starts[1:], starts)))
            bounds = [0, *cuts, len(starts)]
            found = [(starts[a], lo + a, lo + b) for a, b in zip(bounds, bounds[1:])] if starts else []
        sets = {}
        for s in [] if raw_only else self.sets:
            if start <= s[0] < end:
                sets.setdefault(s[0] - (s[0] - start) % period, []).append(s)
        if sets:
            with_samples = {at for at, _, _ in found}
            found = sorted(found + [(at, lo, lo) for at in sets if at not in with_samples])
        return found, sets

    def statistics(self, stat, periods, sets) -> list:
        """`stat` ("Sum", ... or a Fraction percentile) for each (period start, i, j)
        of `periods`, over its samples and its statistic sets in `sets`."""
        values, counts = self.values, self.counts
        if isinstance(stat, Fraction):
            return [
                values[i] if j - i == 1 else nearest_rank(zip(values[i:j], counts[i:j]), stat)
                for _, i, j in periods
            ]
        plain = _PLAIN[stat]
        return [
            _with_sets(stat, values[i:j], counts[i:j], sets[at]) if at in sets else plain(values[i:j], counts[i:j])
            for at, i, j in periods
        ]


# Statistics over samples only (values, counts): the common case, kept lean.
_PLAIN = {
    "Sum": lambda values, counts: sum(map(mul, values, counts)),
    "SampleCount": lambda values, counts: sum(counts),
    "Average": lambda values, counts: sum(map(mul, values, counts)) / sum(counts),
    "Minimum": lambda values, counts: min(values),
    "Maximum": lambda values, counts: max(values),
}


def _with_sets(stat, values, counts, sets):
    """A statistic over samples and statistic sets (sum, minimum, maximum, count)."""
    total = sum(map(mul, values, counts)) + sum(s[1] for s in sets)
    n = sum(counts) + sum(s[4] for s in sets)
    return {
        "Sum": total,
        "SampleCount": n,
        "Average": total / n,
        "Minimum": min([*values, *(s[2] for s in sets)]),
        "Maximum": max([*values, *(s[3] for s in sets)]),
    }[stat]


def nearest_rank(samples, percentile) -> float:
    """Nearest-rank percentile of (value, count) pairs: the smallest value whose
    cumulative count reaches ceil(percentile / 100 * total count), at least rank 1.
    In exact arithmetic: p95 of 20 samples is the 19th (0.95 * 20 is 19.000000000000004)."""
    by_value = {}  # few distinct values in a month of latencies: sort those, not every sample
    for value, count in samples:
        by_value[value] = by_value.get(value, 0) + count
    total = sum(by_value.values())
    total = int(total) if total == int(total) else Fraction(total)
    p = percentile if isinstance(percentile, Fraction) else Fraction(percentile)
    rank = max(1, -(-p.numerator * total // (100 * p.denominator)))
    ordered = sorted(by_value)
    for value, seen in zip(ordered, accumulate(map(by_value.__getitem__, ordered))):
        if seen >= rank:
            return value
    return ordered[-1]


def _store(backend) -> dict:
    """The series of one CloudWatch backend; lives and dies with the backend."""
    store = backend.__dict__.get("jalon_series")
    if store is None:
        store = backend.jalon_series = {}
    return store


def _series(backend, namespace, name, dimensions: dict, unit=None) -> Series:
    """The series of that metric, created on first write. Caller holds the lock."""
    store = _store(backend)
    key = _key(namespace, name, dimensions)
    series = store.get(key) or store.setdefault(key, Series())
    series.unit = unit or series.unit
    return series


def _key(namespace, name, dimensions: dict):
    return (namespace, name, frozenset(dimensions.items()))


def _epoch(value) -> float:
    """A parsed request timestamp (moto gives naive UTC datetimes) as epoch seconds."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.timestamp()


def _datetime(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, timezone.utc)


# ====================================================================== PutMetricData


def put_metric_data(self, namespace, metric_data):
    """CloudWatchBackend.put_metric_data, into the store (moto's own validation kept,
    plus AWS's two-weeks-back / two-hours-ahead limit on timestamps)."""
    now = time.time()
    for n, metric in enumerate(metric_data, 1):
        self._validate_parameters_put_metric_data(metric, n)
        at = metric.get("Timestamp")
        if at is not None and not now - 14 * DAY <= _epoch(at) <= now + 2 * 3600:
            raise InvalidParameterValue(
                f"The parameter MetricData.member.{n}.Timestamp must specify a time within the past two weeks."
            )
    with _lock:
        for metric in metric_data:
            at = _epoch(metric["Timestamp"]) if metric.get("Timestamp") else now
            dimensions = {d["Name"]: d["Value"] for d in metric.get("Dimensions") or []}
            series = _series(self, namespace, metric["MetricName"], dimensions, metric.get("Unit"))
            stats = metric.get("StatisticValues")
            if stats:
                minute = int(at) // 60 * 60
                fields = ("Sum", "Minimum", "Maximum", "SampleCount")
                series.sets.append((minute, *(float(stats[f]) for f in fields)))
            else:
                values = metric.get("Values") or [metric.get("Value", 0)]
                series.add([[at, values, metric.get("Counts") or [1] * len(values)]])


def get_all_metrics(self):
    """What ListMetrics lists: one marker per stored series, plus the metrics moto's
    other services compute (S3 bucket sizes)."""
    from moto.cloudwatch.models import MetricDatum

    with _lock:
        keys = list(_store(self))
    markers = [
        MetricDatum(namespace, name, 0.0, [{"Name": k, "Value": v} for k, v in sorted(dims)], None)
        for namespace, name, dims in keys
    ]
    return markers + self.aws_metric_data


def _computed_series(backend) -> dict:
    """Series for the metrics moto's other services compute on the fly (S3 bucket
    sizes), by key: built once per request that asks for a metric not stored."""
    computed = {}
    for datum in backend.aws_metric_data:
        dims = {d.name: d.value for d in datum.dimensions}
        series = computed.setdefault(_key(datum.namespace, datum.name, dims), Series())
        series.unit = datum.unit
        series.add([[_epoch(datum.timestamp), [datum.value]]])
    return computed


# ====================================================================== GetMetricData


def _parse_stat(text):
    """"Sum" etc. as is, "p99.9" as Fraction("99.9"), anything else None."""
    if text in SIMPLE_STATISTICS:
        return text
    match = PERCENTILE.match(text or "")
    if match and Fraction(match.group(1)) <= 100:
        return Fraction(match.group(1))
    return None


def _window(start_time, end_time):
    """(start, end) epoch seconds. moto's checks and wording; StartTime rounded down
    as AWS documents: to the minute if less than 15 days ago, to 5 minutes up to 63
    days, to the hour beyond."""
    start, end = int(_epoch(start_time)), int(_epoch(end_time))
    if start > end:
        raise ValidationError("The parameter EndTime must be greater than StartTime.")
    if start == end:
        raise ValidationError("The parameter StartTime must not equal parameter EndTime.")
    age = time.time() - start
    step = 60 if age < 15 * DAY else 300 if age < 63 * DAY else 3600
    return start - start % step, end


def _validate_queries(queries):
    """AWS's limits and wording; metric math is refused (jalon sends none)."""
    if len(queries) > MAX_QUERIES:
        raise ValidationError(
            f"The collection MetricDataQueries must not have a size greater than {MAX_QUERIES}."
        )
    errors, seen = [], set()
    for n, query in enumerate(queries, 1):
        query_id = query.get("Id") or ""
        if not QUERY_ID.match(query_id):
            errors.append(
                f"The value {query_id} for parameter MetricDataQueries.member.{n}.Id is not matching "
                "the expected pattern ^[a-z][a-zA-Z0-9_]*$."
            )
        elif query_id in seen:
            errors.append(f"The value {query_id} for parameter MetricDataQueries.member.{n}.Id is not unique.")
        seen.add(query_id)
    if errors:
        raise ValidationError("\n".join(errors))
    for n, query in enumerate(queries, 1):
        if "Expression" in query:
            raise ValidationError(
                f"jalon-moto does not evaluate metric math or Metrics Insights "
                f"(MetricDataQueries.member.{n}.Expression): ask for MetricStat queries only."
            )
        stat = query.get("MetricStat")
        if stat is None:
            raise ValidationError(f"The parameter MetricDataQueries.member.{n}.MetricStat is required.\n")
        if int(stat["Period"]) <= 0 or int(stat["Period"]) % 60:
            # AWS also takes 1, 5, 10, 20, 30 for high-resolution metrics; the store
            # keeps minutes only.
            raise ValidationError(
                f"The parameter MetricDataQueries.member.{n}.MetricStat.Period must be a multiple of 60."
            )
        if _parse_stat(stat["Stat"]) is None:
            raise ValidationError(
                f"The value {stat['Stat']} for parameter MetricDataQueries.member.{n}.MetricStat.Stat "
                "is not supported by jalon-moto (Sum, Average, Minimum, Maximum, SampleCount, pNN.NN)."
            )


def _token(digest, index, offset) -> str:
    raw = json.dumps([digest, index, offset]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _read_token(token, digest):
    """(query index, data points of it already returned) from a NextToken made for
    this same request."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        token_digest, index, offset = json.loads(raw)
        if token_digest == digest and isinstance(index, int) and isinstance(offset, int):
            return index, offset
    except (ValueError, TypeError):
        pass
    raise InvalidNextToken("The service cannot process the NextToken.")


def metric_data_page(backend, queries, start, end, scan_by, budget, resume):
    """One page of GetMetricData: ([MetricDataResult with epoch Timestamps],
    (index, offset) to resume from, or None when every query is complete).

    Queries are filled in order until `budget` data points are out; the query cut
    short is PartialData, the queries after it too (with no points), and the next
    page resumes there. A query with no data at all is Complete, on the first page
    only (`resume` None); a query completed on an earlier page is not repeated."""
    store, computed = _store(backend), None
    results, next_at = [], None
    first = resume or (0, 0)
    for index, query in enumerate(queries):
        if index < first[0]:
            continue
        metric_stat = query["MetricStat"]
        metric = metric_stat["Metric"]
        dimensions = {d["Name"]: d["Value"] for d in metric.get("Dimensions") or []}
        stat = _parse_stat(metric_stat["Stat"])
        raw_only = isinstance(stat, Fraction)
        key = _key(metric["Namespace"], metric["MetricName"], dimensions)
        series = store.get(key)
        if series is None:
            computed = _computed_series(backend) if computed is None else computed
            series = computed.get(key)
        if series is not None and metric_stat.get("Unit") and series.unit != metric_stat["Unit"]:
            series = None  # AWS: a unit that does not match the data gives no data
        if series is not None:
            series.ready()
        result = {
            "Id": query["Id"],
            "Label": query.get("Label") or f"{metric['MetricName']} {metric_stat['Stat']}",
            "Timestamps": [],
            "Values": [],
            "StatusCode": "Complete",
        }
        if series is None or not series.has_data(start, end, raw_only):
            if resume is None:
                results.append(result)
            continue
        if budget == 0:
            result["StatusCode"] = "PartialData"
            results.append(result)
            next_at = next_at or (index, 0)
            continue
        periods, sets = series.periods(start, end, int(metric_stat["Period"]), raw_only)
        if scan_by == "TimestampDescending":
            periods.reverse()
        skip = first[1] if index == first[0] else 0
        taken = periods[skip : skip + budget]
        budget -= len(taken)
        result["Timestamps"] = [at for at, _, _ in taken]
        result["Values"] = series.statistics(stat, taken, sets)
        if skip + len(taken) < len(periods):
            result["StatusCode"] = "PartialData"
            next_at = next_at or (index, skip + len(taken))
        results.append(result)
    return results, next_at


def get_metric_data(self):
    params = self._get_params()
    queries = params.get("MetricDataQueries") or []
    _validate_queries(queries)
    start, end = _window(params["StartTime"], params["EndTime"])
    scan_by = params.get("ScanBy") or "TimestampDescending"
    if scan_by not in ("TimestampDescending", "TimestampAscending"):
        raise ValidationError(f"The value {scan_by} for parameter ScanBy is not valid.")
    max_datapoints = params.get("MaxDatapoints")
    max_datapoints = MAX_DATAPOINTS if max_datapoints is None else min(int(max_datapoints), MAX_DATAPOINTS)
    if max_datapoints < 1:
        raise ValidationError(f"The value {max_datapoints} for parameter MaxDatapoints is not valid.")
    # A token is only good for the request that produced it (MaxDatapoints may change).
    request = json.dumps([queries, start, end, scan_by], sort_keys=True, default=str)
    digest = hashlib.sha256(request.encode()).hexdigest()[:16]
    resume = _read_token(params["NextToken"], digest) if params.get("NextToken") else None
    # ReturnData false: nothing refers to these (no metric math), so nothing to return.
    wanted = [q for q in queries if q.get("ReturnData", True) is not False]

    with _lock:
        results, next_at = metric_data_page(self.cloudwatch_backend, wanted, start, end, scan_by, max_datapoints, resume)
    answer = {"MetricDataResults": results, "Messages": []}
    if next_at:
        answer["NextToken"] = _token(digest, *next_at)

    if self.headers.get("X-Amz-Target"):
        # awsJson (boto3, and the CBOR bridge): written directly, with epoch-second
        # timestamps; moto's generic serialiser takes 0.4 s for 100,800 points.
        headers = {"Content-Type": "application/x-amz-json-1.0"}
        return 200, headers, json.dumps(answer, separators=(",", ":"))
    for result in results:
        result["Timestamps"] = [_datetime(at) for at in result["Timestamps"]]
    return ActionResult(answer)


def get_metric_statistics(self):
    """GetMetricStatistics from the same store (moto's read the list it no longer has)."""
    params = self._get_params()
    statistics = params.get("Statistics") or []
    extended = params.get("ExtendedStatistics") or []
    if not statistics and not extended:
        raise InvalidParameterCombination("Must specify either Statistics or ExtendedStatistics")
    for name in extended:
        if not isinstance(_parse_stat(name), Fraction):
            raise InvalidParameterValue(f"The value {name} for parameter ExtendedStatistics is not supported.")
    period = int(params["Period"])
    if period <= 0 or period % 60:
        raise InvalidParameterValue("The parameter Period must be a multiple of 60.")
    start, end = _window(params["StartTime"], params["EndTime"])
    dimensions = {d["Name"]: d["Value"] for d in params.get("Dimensions") or []}
    key = _key(params["Namespace"], params["MetricName"], dimensions)
    datapoints = []
    with _lock:
        backend = self.cloudwatch_backend
        series = _store(backend).get(key) or _computed_series(backend).get(key)
        if series is not None and params.get("Unit") and series.unit != params["Unit"]:
            series = None
        if series is not None:
            series.ready()
            periods, sets = series.periods(start, end, period, False)
            for at, i, j in periods:
                one = [(at, i, j)]
                point = {"Timestamp": _datetime(at), "Unit": series.unit or "None"}
                point.update((name, series.statistics(name, one, sets)[0]) for name in statistics)
                ranked = {p: series.statistics(_parse_stat(p), one, sets)[0] for p in extended if i < j}
                if ranked:
                    point["ExtendedStatistics"] = ranked
                datapoints.append(point)
    return ActionResult({"Label": params["MetricName"], "Datapoints": datapoints})


# ====================================================================== alarm history


def _history(backend) -> list:
    """History items of one backend, as AWS keeps them: they outlive their alarm."""
    items = backend.__dict__.get("jalon_alarm_history")
    if items is None:
        items = backend.jalon_alarm_history = []
    return items


def _alarm_type(alarm) -> str:
    return "CompositeAlarm" if alarm.rule is not None else "MetricAlarm"


def _alarm_config(alarm) -> dict:
    """A subset of the configuration AWS writes into ConfigurationUpdate items."""
    config = {
        "alarmName": alarm.name,
        "alarmArn": alarm.alarm_arn,
        "alarmDescription": alarm.description,
        "actionsEnabled": alarm.actions_enabled,
        "alarmActions": alarm.alarm_actions,
        "okActions": alarm.ok_actions,
        "insufficientDataActions": alarm.insufficient_data_actions,
        "alarmRule": alarm.rule,
        "namespace": alarm.namespace,
        "metricName": alarm.metric_name,
        "dimensions": [{"name": d.name, "value": d.value} for d in alarm.dimensions],
        "statistic": alarm.statistic,
        "extendedStatistic": alarm.extended_statistic,
        "period": alarm.period,
        "evaluationPeriods": alarm.evaluation_periods,
        "datapointsToAlarm": alarm.datapoints_to_alarm,
        "threshold": alarm.threshold,
        "comparisonOperator": alarm.comparison_operator,
        "treatMissingData": alarm.treat_missing_data,
    }
    return {k: v for k, v in config.items() if v is not None}


def _compact(doc) -> str:
    return json.dumps(doc, separators=(",", ":"))


def _record(backend, alarm, at, item_type, summary, data):
    _history(backend).append(
        {
            "AlarmName": alarm.name,
            "AlarmType": _alarm_type(alarm),
            "Timestamp": at,
            "HistoryItemType": item_type,
            "HistorySummary": summary,
            "HistoryData": _compact(data),
        }
    )


def _state(value, reason, reason_data=None) -> dict:
    state = {"stateValue": value, "stateReason": reason}
    try:
        data = json.loads(reason_data) if reason_data else None
    except ValueError:
        data = None
    if data:
        state["stateReasonData"] = data
    return state


def _record_state_update(backend, alarm, at, old: dict, new: dict):
    _record(
        backend,
        alarm,
        at,
        "StateUpdate",
        f"Alarm updated from {old['stateValue']} to {new['stateValue']}",
        {"version": "1.0", "oldState": old, "newState": new},
    )


def _wrap_put_metric_alarm(original):
    def put_metric_alarm(self, name, *args, **kwargs):
        before = self.alarms.get(name)
        old_config = _alarm_config(before) if before else None
        alarm = original(self, name, *args, **kwargs)
        config = _alarm_config(alarm)
        if old_config is None:
            summary, data = f'Alarm "{name}" created', {"type": "Create", "version": "1.0", "createdAlarm": config}
        else:
            summary = f'Alarm "{name}" updated'
            data = {"type": "Update", "version": "1.0", "originalAlarm": old_config, "updatedAlarm": config}
        at = _epoch(alarm.configuration_updated_timestamp)
        _record(self, alarm, at, "ConfigurationUpdate", summary, data)
        return alarm

    return put_metric_alarm


def _wrap_set_alarm_state(original):
    def set_alarm_state(self, alarm_name, reason, reason_data, state_value):
        alarm = self.alarms.get(alarm_name)
        old = alarm and _state(alarm.state_value, alarm.state_reason, alarm.state_reason_data)
        original(self, alarm_name, reason, reason_data, state_value)  # raises for an unknown alarm
        # A state set to what it already was is not a transition: no history.
        if old["stateValue"] != state_value:
            new = _state(state_value, reason, reason_data)
            _record_state_update(self, alarm, _epoch(alarm.state_updated_timestamp), old, new)

    return set_alarm_state


def _wrap_delete_alarms(original):
    def delete_alarms(self, alarm_names):
        for name in alarm_names:
            alarm = self.alarms.get(name)
            if alarm is not None:
                data = {"type": "Delete", "version": "1.0", "deletedAlarm": _alarm_config(alarm)}
                _record(self, alarm, time.time(), "ConfigurationUpdate", f'Alarm "{name}" deleted', data)
        original(self, alarm_names)

    return delete_alarms


def describe_alarm_history(self):
    params = self._get_params()
    name = params.get("AlarmName")
    types = params.get("AlarmTypes")
    item_type = params.get("HistoryItemType")
    max_records = params.get("MaxRecords")
    max_records = 100 if max_records is None else int(max_records)
    if not 1 <= max_records <= 100:
        bound = "greater than or equal to 1" if max_records < 1 else "less than or equal to 100"
        raise ValidationError(
            f"1 validation error detected: Value '{max_records}' at 'maxRecords' failed to satisfy "
            f"constraint: Member must have value {bound}"
        )
    token = params.get("NextToken")
    if token and not token.isdigit():
        raise InvalidNextToken("The service cannot process the NextToken.")

    items = list(_history(self.cloudwatch_backend))
    if name:
        items = [i for i in items if i["AlarmName"] == name]
    if types or not name:
        # Without a name, AWS returns metric alarms unless AlarmTypes says otherwise.
        items = [i for i in items if i["AlarmType"] in (types or ["MetricAlarm"])]
    if item_type:
        items = [i for i in items if i["HistoryItemType"] == item_type]
    if params.get("StartDate"):
        items = [i for i in items if i["Timestamp"] >= _epoch(params["StartDate"])]
    if params.get("EndDate"):
        items = [i for i in items if i["Timestamp"] <= _epoch(params["EndDate"])]
    items.sort(key=lambda i: i["Timestamp"])
    if (params.get("ScanBy") or "TimestampDescending") == "TimestampDescending":
        items.reverse()

    page, next_token = _paginate(items, token, max_records)
    result = {"AlarmHistoryItems": [{**i, "Timestamp": _datetime(i["Timestamp"])} for i in page]}
    if next_token:
        result["NextToken"] = next_token
    return ActionResult(result)


# ====================================================================== control endpoints


def _backend(doc, defaults):
    from moto.cloudwatch.models import cloudwatch_backends

    region = doc.get("region") or defaults.get("region")
    if not region:
        raise ValueError('"region" is required')
    account = str(doc.get("account") or defaults.get("account") or DEFAULT_ACCOUNT_ID)
    return cloudwatch_backends[account][region]


def seed_metric_data(doc: dict) -> dict:
    """POST /_jalon/metric-data: write points straight into the store, at any age.

    {"region", "account"?, "namespace", "metric", "dimensions"?: {name: value},
     "unit"?, "points": [[epoch seconds, [values], [counts]?], ...]}
    or {"region", "account"?, "series": [{...the same, region/account optional}]}.
    Answers {"series": N, "samples": M} (samples: (value, count) pairs stored). A
    faulty series fails the request after the series before it were written."""
    series_docs = doc["series"] if "series" in doc else [doc]
    if not isinstance(series_docs, list):
        raise ValueError('"series" must be a list')
    for one in series_docs:
        if not isinstance(one.get("dimensions") or {}, dict) or not one.get("namespace") or not one.get("metric"):
            raise ValueError('each series needs "namespace", "metric" and a "dimensions" object')
    backends = [_backend(one, doc) for one in series_docs]
    written = 0
    with _lock:
        for backend, one in zip(backends, series_docs):
            series = _series(backend, one["namespace"], one["metric"], one.get("dimensions") or {}, one.get("unit"))
            written += series.add(one.get("points") or [])
    return {"series": len(series_docs), "samples": written}


def _at(value) -> float:
    """Epoch seconds, or an RFC 3339 string (UTC when it has no offset)."""
    if isinstance(value, (int, float)):
        return float(value)
    return _epoch(datetime.fromisoformat(value.replace("Z", "+00:00")))


def add_alarm_history(doc: dict) -> dict:
    """POST /_jalon/alarm-history: StateUpdate items at any time, for existing alarms.

    {"region", "account"?, "alarm_name", "at": epoch seconds | RFC 3339, "from": "OK",
     "to": "ALARM", "reason"?} or {"region", "account"?, "items": [{...}, ...]}.
    The alarm's current state is not changed (SetAlarmState does that).
    Answers {"items": N}."""
    items = doc["items"] if "items" in doc else [doc]
    planned = []
    for item in items:
        backend = _backend(item, doc)
        name = item.get("alarm_name") or doc.get("alarm_name")
        alarm = backend.alarms.get(name)
        if alarm is None:
            raise ValueError(f"no alarm {name!r} in {backend.account_id}/{backend.region_name}")
        states = ("OK", "ALARM", "INSUFFICIENT_DATA")
        if item.get("from") not in states or item.get("to") not in states:
            raise ValueError(f'"from" and "to" must be one of {", ".join(states)}')
        reason = item.get("reason") or "seeded by jalon"
        planned.append((backend, alarm, _at(item["at"]), _state(item["from"], reason), _state(item["to"], reason)))
    for plan in planned:
        _record_state_update(*plan)
    return {"items": len(planned)}


# ====================================================================== install


def install() -> None:
    from moto.cloudwatch.models import CloudWatchBackend
    from moto.cloudwatch.responses import CloudWatchResponse

    CloudWatchBackend.put_metric_data = put_metric_data
    CloudWatchBackend.get_all_metrics = get_all_metrics
    CloudWatchBackend.put_metric_alarm = _wrap_put_metric_alarm(CloudWatchBackend.put_metric_alarm)
    CloudWatchBackend.set_alarm_state = _wrap_set_alarm_state(CloudWatchBackend.set_alarm_state)
    CloudWatchBackend.delete_alarms = _wrap_delete_alarms(CloudWatchBackend.delete_alarms)
    CloudWatchResponse.get_metric_data = get_metric_data
    CloudWatchResponse.get_metric_statistics = get_metric_statistics
    CloudWatchResponse.describe_alarm_history = describe_alarm_history
