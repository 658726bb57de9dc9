"""Export the in-browser trainer's data and manifest into docs/train/.

Writes mnist-train-30000.bin and mnist-test-2000.bin (real MNIST digits from the verified arrays, raw
DEFLATE) and train_manifest.json (both models from lenet_explain.calculator.stacks, Keras' initializers
and Adam, the lecture's recipe and printed history, the data files' sha256). The outputs are committed;
tests/test_train.py fails when they are stale. Code: lenet_explain/site/train_data.py.
Usage: .venv/bin/python scripts/export_train_data.py [--out DIR] [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "train"


def main(argv: list[str] | None = None) -> int:
    """Export (or with --check, compare) the trainer's data files and manifest."""
    from lenet_explain.errors import LenetError
    from lenet_explain.site import train_data
    from lenet_explain.site.weights_export import check_or_write
    from lenet_explain.walkthrough import mnist

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write into")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the files are stale")
    args = parser.parse_args(argv)
    try:
        files = train_data.export_files(mnist.load_data(), args.out)
    except LenetError as exc:
        print(f"export_train_data: error: {exc}", file=sys.stderr)
        return 2
    return check_or_write("export_train_data", files, args.out, args.check)


if __name__ == "__main__":
    raise SystemExit(main())
