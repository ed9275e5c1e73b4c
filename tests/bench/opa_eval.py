#!/usr/bin/env python3
"""Evaluates jalon's policies with OPA's Go engine, for `jalon-bench eval --opa`.

Uses the PyPI package `opa-golib-python-bindings` (OPA's Go engine as a c-shared
library). The snapshot's JSON text is handed to the Go side as is (no Python
json.dumps), and the time measured is the native call only: OPA parses the input,
converts it to its AST values, evaluates `data.jalon.controls` and serialises the
result. The input conversion alone is measured with a trivial rule on the same
input (`data.jalon_bench.trivial := true`) and reported separately, so the caller
can subtract it.

Usage: opa_eval.py --policies DIR --data FILE --input FILE --runs N --outcomes FILE
Prints one JSON object on stdout: medians in seconds and the per-run times.
"""

import argparse
import ctypes
import json
import os
import statistics
import sys
import time

from opa_bindings import OpaEngine

TRIVIAL = "package jalon_bench\n\ntrivial := true\n"


def native_eval(engine, path, raw_input):
    """One OpaEvalDocument call; returns (seconds, decoded envelope)."""
    lib = engine._lib
    start = time.perf_counter()
    ptr = lib.OpaEvalDocument(engine._handle, path.encode(), raw_input, 0, 0)
    elapsed = time.perf_counter() - start
    if not ptr:
        raise RuntimeError("OpaEvalDocument returned NULL")
    try:
        raw = ctypes.string_at(ptr)
    finally:
        lib.OpaFreeString(ptr)
    envelope = json.loads(raw)
    if envelope.get("error"):
        raise RuntimeError(f"OPA error: {envelope['error']}")
    return elapsed, envelope


def value_of(envelope):
    rs = envelope.get("result") or []
    if not rs or not rs[0].get("expressions"):
        return None
    return rs[0]["expressions"][0]["value"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--policies", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--input", required=True)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--outcomes", required=True)
    args = parser.parse_args()

    engine = OpaEngine()
    start = time.perf_counter()
    count = 0
    for root, _, files in sorted(os.walk(args.policies)):
        for name in sorted(files):
            if name.endswith(".rego") and not name.endswith("_test.rego"):
                path = os.path.join(root, name)
                with open(path, encoding="utf-8") as f:
                    engine.add_policy(os.path.relpath(path, args.policies), f.read())
                count += 1
    engine.add_policy("jalon_bench_trivial.rego", TRIVIAL)
    with open(args.data, encoding="utf-8") as f:
        engine.add_data(json.load(f))
    with open(args.input, "rb") as f:
        raw_input = f.read()
    load_s = time.perf_counter() - start

    # The first call of each query compiles and prepares it: warm both up.
    first_s, envelope = native_eval(engine, "jalon.controls", raw_input)
    native_eval(engine, "jalon_bench.trivial", raw_input)

    evals, trivials = [], []
    for _ in range(args.runs):
        t, _ = native_eval(engine, "jalon_bench.trivial", raw_input)
        trivials.append(t)
        t, envelope = native_eval(engine, "jalon.controls", raw_input)
        evals.append(t)

    with open(args.outcomes, "w", encoding="utf-8") as out:
        json.dump(value_of(envelope) or {}, out)

    eval_s = statistics.median(evals)
    trivial_s = statistics.median(trivials)
    json.dump(
        {
            "policies": count,
            "load_s": load_s,
            "first_eval_s": first_s,
            "eval_s": eval_s,
            "input_conversion_s": trivial_s,
            "net_eval_s": max(eval_s - trivial_s, 0.0),
            "evals": evals,
            "trivials": trivials,
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
