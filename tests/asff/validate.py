"""Validates files of ASFF findings (a JSON list each, as `aws securityhub
batch-import-findings --findings file://FILE` takes) against Security Hub's API model.

botocore ships the model (securityhub, 2018-10-26). Each file is cut in batches of 100
(BatchImportFindings takes at most 100 findings a call) and each batch goes through
botocore's parameter validator, the one the AWS CLI runs before it sends a request:
required members, types, minimum lengths and sizes. That validator leaves out what the
service checks on its side, so the findings are walked against the same model for it:
each enum, each `pattern` (Smithy patterns are not anchored: re.search), and the
limits the model documents in each member's text ("Maximum length of 256", "Length
Constraints: 12", "Maximum number of 32 items", "up to 50 key-value pairs"), lengths
counted in UTF-16 code units as Security Hub (Java) counts them. Then what the model
only says in words: timestamps in RFC 3339, Resources[].Type one of the model's
ResourceDetails types (or AwsAccount, Security Hub's own account type), ProductArn the
account's default product, Ids unique. Nothing is sent anywhere.

Exit 0 when every file is valid, 1 when one is not (each error printed with its path).

Usage: python validate.py FILE...
"""

import json
import re
import sys

import botocore
import botocore.session
from botocore.validate import ParamValidator

BATCH = 100
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$")
TIMESTAMPS = ("CreatedAt", "UpdatedAt", "FirstObservedAt", "LastObservedAt", "ProcessedAt")


def utf16_len(text):
    return len(text.encode("utf-16-le")) // 2


def documented_limits(doc):
    """The limits a member's documentation states, as (kind, number)."""
    doc = doc or ""
    limits = []
    for pattern, kind in [
        (r"Maximum length of (\d+)", "max_len"),
        (r"Maximum of (\d+) length", "max_len"),
        (r"Length Constraints: (\d+)\.", "exact_len"),
        (r"Maximum number of (\d+) items?", "max_items"),
        (r"up to (\d+) key-value pairs", "max_pairs"),
        (r"the key can contain up to (\d+) characters", "max_key"),
        (r"the value can contain up to (\d+) characters", "max_value"),
    ]:
        limits.extend((kind, int(n)) for n in re.findall(pattern, doc))
    return limits


def walk(value, shape, doc, path, errors):
    """The model's enums, patterns and documented limits, which botocore does not check."""
    limits = documented_limits(doc)
    kind = shape.type_name
    if kind == "string" and isinstance(value, str):
        if shape.enum and value not in shape.enum:
            errors.append(f"{path}: {value!r} is not one of {shape.enum}")
        pattern = shape.metadata.get("pattern")
        if pattern and not re.search(pattern, value):
            errors.append(f"{path}: does not match the pattern {pattern!r}")
        for limit, n in limits:
            if limit == "max_len" and utf16_len(value) > n:
                errors.append(f"{path}: {utf16_len(value)} UTF-16 units, more than the documented {n}")
            if limit == "exact_len" and len(value) != n:
                errors.append(f"{path}: length {len(value)}, the documented length is {n}")
    elif kind == "structure" and isinstance(value, dict):
        for key, member in value.items():
            if key in shape.members:
                sub = shape.members[key]
                walk(member, sub, sub.documentation, f"{path}/{key}", errors)
    elif kind == "list" and isinstance(value, list):
        for limit, n in limits:
            if limit == "max_items" and len(value) > n:
                errors.append(f"{path}: {len(value)} items, more than the documented {n}")
        for i, item in enumerate(value):
            walk(item, shape.member, shape.member.documentation, f"{path}/{i}", errors)
    elif kind == "map" and isinstance(value, dict):
        for limit, n in limits:
            if limit == "max_pairs" and len(value) > n:
                errors.append(f"{path}: {len(value)} pairs, more than the documented {n}")
            for key, item in value.items():
                if limit == "max_key" and utf16_len(key) > n:
                    errors.append(f"{path}/{key}: a key longer than the documented {n}")
                if limit == "max_value" and isinstance(item, str) and utf16_len(item) > n:
                    errors.append(f"{path}/{key}: a value longer than the documented {n}")
        for key, item in value.items():
            walk(item, shape.value, shape.value.documentation, f"{path}/{key}", errors)


def finding_errors(finding, model, resource_types, path):
    errors = []
    shape = model.shape_for("AwsSecurityFinding")
    walk(finding, shape, "", path, errors)
    for field in TIMESTAMPS:
        if field in finding and not TIMESTAMP.match(str(finding[field])):
            errors.append(f"{path}/{field}: {finding[field]!r} is not an RFC 3339 timestamp")
    for i, resource in enumerate(finding.get("Resources", [])):
        if resource.get("Type") not in resource_types:
            errors.append(f"{path}/Resources/{i}/Type: {resource.get('Type')!r} is not a Security Hub resource type")
    account = finding.get("AwsAccountId")
    product = re.fullmatch(r"arn:aws[a-z-]*:securityhub:[a-z0-9-]+:(\d{12}):product/(\d{12})/default", finding.get("ProductArn", ""))
    if not product or product.group(1) != account or product.group(2) != account:
        errors.append(f"{path}/ProductArn: {finding.get('ProductArn')!r} is not the default product of account {account}")
    return errors


def main(paths):
    session = botocore.session.get_session()
    model = session.get_service_model("securityhub")
    operation = model.operation_model("BatchImportFindings")
    resource_types = set(model.shape_for("ResourceDetails").members) | {"Other", "AwsAccount"}
    validator = ParamValidator()
    invalid = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            findings = json.load(f)
        if not isinstance(findings, list) or not findings:
            print(f"{path}: (root): not a non-empty JSON list of findings")
            invalid += 1
            continue
        errors = []
        batches = [findings[i : i + BATCH] for i in range(0, len(findings), BATCH)]
        for b, batch in enumerate(batches):
            report = validator.validate({"Findings": batch}, operation.input_shape)
            if report.has_errors():
                errors.append(f"batch {b}: botocore: {report.generate_report()}")
        for i, finding in enumerate(findings):
            errors.extend(finding_errors(finding, model, resource_types, str(i)))
        ids = [f.get("Id") for f in findings]
        for duplicate in sorted({i for i in ids if ids.count(i) > 1}):
            errors.append(f"Id {duplicate!r} is not unique")
        for error in errors:
            print(f"{path}: {error}")
        if errors:
            invalid += 1
        else:
            print(
                f"{path}: {len(findings)} findings in {len(batches)} batches valid against botocore "
                f"{botocore.__version__} securityhub BatchImportFindings"
            )
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
