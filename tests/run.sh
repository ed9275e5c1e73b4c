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

echo "== emulator extension tests (pytest)"
"$venv/bin/python" -m pytest -q tests/emulator

echo "== jalon tests (cargo test)"
cargo test --locked "$@"
