"""Validates files of OCSF events (a JSON list each) against the official OCSF schema.

The schema is the OCSF 1.6.0 export (schema.ocsf.io's /export/schema) that the
ocsf-json-schema package ships; the package turns the event's class, with the profiles
its metadata names, into a JSON Schema (draft 2020-12, additionalProperties false), and
jsonschema validates each event against it. Nothing is downloaded. Then what a JSON
Schema cannot say, from the same export: type_uid is class_uid * 100 + activity_id, the
category is the class's, and every caption (severity, status, activity, compliance
status) is the one its id has. Last, Prowler's py-ocsf-models reads each event as a
ComplianceFinding (pydantic: required fields, types, enums).

Exit 0 when every file is valid, 1 when one is not (each error printed with its JSON
path), 2 when the packaged schema is not the expected one.

Usage: python validate.py FILE...
"""

import json
import sys
from importlib import resources

import jsonschema
from ocsf_json_schema import OcsfJsonSchemaEmbedded, load_ocsf_schema_json
from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding

OCSF_VERSION = "1.6.0"
CLASS_NAME = "compliance_finding"


def captions(attribute):
    return {int(k): v.get("caption") for k, v in attribute.get("enum", {}).items()}


def semantic_errors(event, export):
    """What the JSON Schema does not check, read from the schema export."""
    errors = []
    cls = export["classes"][CLASS_NAME]
    attrs = cls["attributes"]
    if event.get("class_uid") != cls["uid"]:
        errors.append(f"class_uid: {event.get('class_uid')} is not {cls['uid']} ({cls['caption']})")
    category_uid = cls["category_uid"]
    if event.get("category_uid") != category_uid:
        errors.append(f"category_uid: {event.get('category_uid')} is not {category_uid}")
    if event.get("type_uid") != event.get("class_uid", 0) * 100 + event.get("activity_id", -1):
        errors.append(f"type_uid: {event.get('type_uid')} is not class_uid * 100 + activity_id")
    pairs = [
        ("severity_id", "severity", attrs["severity_id"]),
        ("status_id", "status", attrs["status_id"]),
        ("activity_id", "activity_name", attrs["activity_id"]),
        ("type_uid", "type_name", attrs["type_uid"]),
    ]
    for id_key, caption_key, attribute in pairs:
        want = captions(attribute).get(event.get(id_key))
        if caption_key in event and want != event[caption_key]:
            errors.append(f"{caption_key}: {event[caption_key]!r} is not the caption of {id_key} {event.get(id_key)} ({want!r})")
    compliance = event.get("compliance", {})
    status_id = compliance.get("status_id")
    want = captions(export["objects"]["compliance"]["attributes"]["status_id"]).get(status_id)
    if status_id != 99 and "status" in compliance and compliance["status"] != want:
        errors.append(f"compliance/status: {compliance['status']!r} is not the caption of status_id {status_id} ({want!r})")
    if event.get("metadata", {}).get("version") != OCSF_VERSION:
        errors.append(f"metadata/version: {event.get('metadata', {}).get('version')!r} is not {OCSF_VERSION}")
    return errors


def main(paths):
    path = resources.files("ocsf_json_schema").joinpath("ocsf", f"{OCSF_VERSION}.json")
    export = load_ocsf_schema_json(str(path))
    if export.get("version") != OCSF_VERSION:
        print(f"the packaged schema is {export.get('version')!r}, expected {OCSF_VERSION}")
        return 2
    schemas = OcsfJsonSchemaEmbedded(export)
    validators = {}
    invalid = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            events = json.load(f)
        if not isinstance(events, list):
            print(f"{path}: (root): not a JSON list of events")
            invalid += 1
            continue
        errors = []
        for i, event in enumerate(events):
            profiles = tuple(sorted(event.get("metadata", {}).get("profiles", [])))
            if profiles not in validators:
                schema = schemas.get_class_schema(class_name=CLASS_NAME, profiles=list(profiles))
                validators[profiles] = jsonschema.Draft202012Validator(
                    schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
                )
            for error in validators[profiles].iter_errors(event):
                where = "/".join(map(str, error.absolute_path)) or "(event)"
                errors.append(f"{i}/{where}: {error.message}")
            errors.extend(f"{i}/{e}" for e in semantic_errors(event, export))
            try:
                ComplianceFinding.model_validate(event)
            except Exception as e:  # pydantic.ValidationError, printed whole
                errors.append(f"{i}: py-ocsf-models ComplianceFinding: {e}")
        for error in errors:
            print(f"{path}: {error}")
        if errors:
            invalid += 1
        else:
            print(f"{path}: {len(events)} events valid against OCSF {OCSF_VERSION} {CLASS_NAME}")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
