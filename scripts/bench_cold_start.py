"""Benchmark: cold start of `lenet-explain summary` against a bare `python -c pass`, same machine, same run.

Runs the commands alternately (so machine noise hits them alike) and prints the medians and their ratios: the
built-in model, and ResNet50's saved .keras file (175 layers of a branching graph, read without TensorFlow; made
once with keras.applications, weights=None, into the git-ignored .cache/bench/).
Usage: .venv/bin/python scripts/bench_cold_start.py [--runs N] [--json] [--no-resnet50]
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


ROOT = Path(__file__).resolve().parent.parent
RESNET50 = ROOT / ".cache" / "bench" / "resnet50.keras"


def make_resnet50() -> Path:
    """Save ResNet50 (weights=None) once for the benchmark; this imports TensorFlow, the timed runs never do."""
    if not RESNET50.exists():
        RESNET50.parent.mkdir(parents=True, exist_ok=True)
        code = ("import sys; from lenet_explain.models.keras_import import keras; "
                "keras.applications.ResNet50(weights=None).save(sys.argv[1])")
        subprocess.run([sys.executable, "-c", code, str(RESNET50)], check=True, env=ENV)
    return RESNET50


def measure(runs: int, resnet50: bool = True) -> dict[str, float]:
    """Time the baseline and the calculator alternately ``runs`` times; return medians and ratios."""
    script = shutil.which("lenet-explain", path=str(Path(sys.executable).parent)) or "lenet-explain"
    commands = {"python_pass": [sys.executable, "-c", "pass"], "summary": [script, "summary"]}
    if resnet50:
        commands["summary_resnet50"] = [script, "summary", "--model", str(make_resnet50())]
    for command in commands.values():  # warm the file cache and write the bytecode cache once
        time_command(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(time_command(command))
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["python_pass"]
    result: dict[str, float] = {"runs": runs, **{f"{name}_ms": value * 1000 for name, value in medians.items()}}
    result["ratio"] = medians["summary"] / base
    if resnet50:
        result["resnet50_ratio"] = medians["summary_resnet50"] / base
    return result


def main() -> int:
    """Run the benchmark and print the result."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-resnet50", action="store_true", help="skip ResNet50's .keras file")
    args = parser.parse_args()
    result = measure(args.runs, not args.no_resnet50)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"python -c pass:          median {result['python_pass_ms']:.1f} ms over {args.runs} runs")
        print(f"lenet-explain summary:   median {result['summary_ms']:.1f} ms")
        print(f"ratio: {result['ratio']:.2f}× (target: within 3×)")
        if "resnet50_ratio" in result:
            print(f"summary of ResNet50.keras: median {result['summary_resnet50_ms']:.1f} ms, "
                  f"ratio {result['resnet50_ratio']:.2f}× (target: well under a second, no TensorFlow)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
