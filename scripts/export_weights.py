"""Export the visualizer's networks' weights (and a few MNIST test digits) for the visualizer page.

Writes docs/visualizer/lenet5_weights.bin (float32, little-endian), lenet5_manifest.json (layers,
shapes, offsets, sha256) from the lecture's reference model, lenet1998_weights.bin and lenet1998_manifest.json
from the trained 1998 network (its layers' counts from the description), and examples.json (the first MNIST
test digit of each class). The outputs are committed; tests/test_visualizer.py fails when they are stale versus
the committed models.
Usage: .venv/bin/python scripts/export_weights.py [--model PATH --name NAME] [--out DIR] [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "visualizer"


def main(argv: list[str] | None = None) -> int:
    """Export (or with --check, compare) the visualizer's weights, manifest and examples."""
    from lenet_explain.errors import LenetError
    from lenet_explain.walkthrough.digit_models import LENET1998_MODEL
    from lenet_explain.walkthrough.predict import REFERENCE_MODEL

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--model", type=Path, default=None, help="one .keras model to export (default: both)")
    parser.add_argument("--name", default="lenet5", help="with --model: the files' prefix (lenet5, lenet1998)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write into")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the files are stale")
    parser.add_argument("--no-examples", action="store_true", help="skip examples.json (needs no MNIST)")
    args = parser.parse_args(argv)
    try:
        from lenet_explain.site import weights_export

        models = {"lenet5": REFERENCE_MODEL, weights_export.LENET1998_NAME: LENET1998_MODEL}
        if args.model is not None:
            models = {args.name: args.model}
        files = {}
        for name, path in models.items():
            files.update(weights_export.export_files(path, ROOT, name))
        if not args.no_examples:
            from lenet_explain.walkthrough import mnist

            _, (x_test, y_test) = mnist.load_data()
            files.update(weights_export.examples_file(x_test, y_test))
    except LenetError as exc:
        print(f"export_weights: error: {exc}", file=sys.stderr)
        return 2
    return weights_export.check_or_write("export_weights", files, args.out, args.check)


if __name__ == "__main__":
    raise SystemExit(main())
