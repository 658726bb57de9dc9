"""Measure the first steps of the train page's run, layer by layer, into docs/learn/plateau.json.

Runs scripts/measure_plateau.mjs in node (the train page's engine, its defaults, two shards a batch, the engine's
plain-JavaScript products) for both models, and writes what it measured with the sha256 of every input: the
engine, the manifest, both data files and the two scripts. The output is committed; tests/test_plateau.py fails
when it is stale and reruns the first steps to compare. Code: lenet_explain/site/learn_data.py.
Usage: .venv/bin/python scripts/measure_plateau.py [--steps N] [--every K] [--check]
"""

from __future__ import annotations

import argparse
import json
import sys
import time


def main(argv: list[str] | None = None) -> int:
    """Measure (or with --check, say whether plateau.json is stale) and write plateau.json."""
    from lenet_explain.errors import LenetError
    from lenet_explain.safe_files import write_text_atomically
    from lenet_explain.site import learn_data

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--steps", type=int, default=learn_data.STEPS, help="steps of training to measure")
    parser.add_argument("--every", type=int, default=learn_data.EVERY, help="measure the layers every K steps")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if plateau.json is stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = learn_data.stale_inputs(json.loads(learn_data.PLATEAU_FILE.read_text()))
        for name in stale:
            print(f"stale: {name} changed (run scripts/measure_plateau.py)", file=sys.stderr)
        return 1 if stale else 0
    start = time.monotonic()
    try:
        data = learn_data.measure_plateau(args.steps, args.every)
        learn_data.check_plateau(data)
    except LenetError as exc:
        print(f"measure_plateau: error: {exc}", file=sys.stderr)
        return 2
    write_text_atomically(learn_data.PLATEAU_FILE, json.dumps(data, indent=None, separators=(",", ":")) + "\n")
    print(f"measure_plateau: {learn_data.PLATEAU_FILE} ({args.steps} steps, {time.monotonic() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
