#!/usr/bin/env bash
# jalon's benchmarks (not part of the test suite): evaluation time and peak memory on
# synthetic snapshots of 1k, 10k and 100k resources, side by side with OPA's Go engine,
# and collection time and API calls against the emulator at 2k and 10k log groups.
# Installs what it needs under target/ (the emulator venv, a venv with OPA's Python
# bindings), builds in release mode, runs `jalon-bench all`, and prints a markdown
# table (also written to target/bench/results.md).
#
# Usage: bash tests/bench.sh [jalon-bench all options]
#   e.g. bash tests/bench.sh --sizes 1000,10000 --collect-sizes 2000
#        bash tests/bench.sh --no-opa          (skip OPA)
#        bash tests/bench.sh --eval-only       (skip the emulator)
set -euo pipefail
cd "$(dirname "$0")/.."

opa=1
mode=all
args=()
for a in "$@"; do
    case "$a" in
        --no-opa) opa=0 ;;
        --eval-only) mode=eval ;;
        --collect-only) mode=collect ;;
        *) args+=("$a") ;;
    esac
done

source tests/venv.sh

if [ "$mode" != collect ]; then
    if [ "$opa" = 1 ]; then
        # The package says Python >= 3.14 but its Go library works with 3.11.
        venv_install target/bench-venv tests/bench/requirements.txt --ignore-requires-python
        args+=(--opa)
    fi
fi
if [ "$mode" != eval ]; then
    venv_install target/emulator-venv tests/emulator/requirements.txt
fi

cargo build --release --locked --features bench --bin jalon --bin jalon-bench
exec target/release/jalon-bench "$mode" "${args[@]}"
