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

venv_install() { # venv requirements [pip options]
    local venv=$1 requirements=$2; shift 2
    local stamp="$venv/.requirements.sha256" want
    want=$(sha256sum "$requirements" | cut -d' ' -f1)
    if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "installing $requirements into $venv" >&2
        rm -rf "$venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check "$@" -r "$requirements"
        echo "$want" > "$stamp"
    fi
}

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

cargo build --release --locked --bin jalon --bin jalon-bench
exec target/release/jalon-bench "$mode" "${args[@]}"
