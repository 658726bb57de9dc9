"""Benchmark: cold start of `lenet-explain summary` against a bare `python -c pass`, same machine, same run.

Runs both commands alternately (so machine noise hits both alike) and prints the medians and their ratio.
Usage: .venv/bin/python scripts/bench_cold_start.py [--runs N] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

# As a user runs it: Python caches compiled bytecode (some shells here set PYTHONDONTWRITEBYTECODE,
# which would make every run recompile the package from source).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def time_command(command: list[str]) -> float:
    """Return the wall-clock seconds one run of ``command`` takes (its output discarded)."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - start


def measure(runs: int) -> dict[str, float]:
    """Time the baseline and the calculator alternately ``runs`` times; return medians and ratio."""
    script = shutil.which("lenet-explain", path=str(Path(sys.executable).parent)) or "lenet-explain"
    baseline_cmd = [sys.executable, "-c", "pass"]
    summary_cmd = [script, "summary"]
    for command in (baseline_cmd, summary_cmd):  # warm the file cache and write the bytecode cache once
        time_command(command)
    baseline, summary = [], []
    for _ in range(runs):
        baseline.append(time_command(baseline_cmd))
        summary.append(time_command(summary_cmd))
    base, calc = statistics.median(baseline), statistics.median(summary)
    return {"runs": runs, "python_pass_ms": base * 1000, "summary_ms": calc * 1000, "ratio": calc / base}


def main() -> int:
    """Run the benchmark and print the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.runs)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"python -c pass:          median {result['python_pass_ms']:.1f} ms over {args.runs} runs")
        print(f"lenet-explain summary:   median {result['summary_ms']:.1f} ms")
        print(f"ratio: {result['ratio']:.2f}× (target: within 3×)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
