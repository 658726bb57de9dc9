"""Export the invariance lab's data into docs/lab/: test accuracy against shift and rotation, units' top digits.

Computes, with the reference Keras models (the lecture's and the 1998 network) on the verified MNIST test set, each
model's number of test digits read right at every whole-pixel shift (along x, along y) and every rotation, and for
every unit of C1, C3, C5 and F6 its 9 most active test digits; writes lab_data.json and lab_digits.bin (only those
digits), atomically. The outputs are committed; tests/test_lab.py fails when they are stale.
Code: lenet_explain/site/lab_data.py. Usage: .venv/bin/python scripts/export_lab_data.py [--out DIR] [--check]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "lab"


def compute_files(out_dir: Path) -> dict[str, bytes]:
    """Return {file name: bytes} of the lab's data, computed now with Keras and MNIST."""
    import numpy as np

    from lenet_explain.site import lab_data
    from lenet_explain.site.weights_export import sha256_file
    from lenet_explain.walkthrough import mnist
    from lenet_explain.walkthrough.digit_models import NAMED_MODELS, load_digit_model

    _, (x_test, y_test) = mnist.load_data()
    sources = {"models": {name: {"file": NAMED_MODELS[name].relative_to(ROOT).as_posix(),
                                 "sha256": sha256_file(NAMED_MODELS[name])} for name in lab_data.MODELS},
               "mnist_test": {"x_test": mnist.array_sha256(x_test), "y_test": mnist.array_sha256(y_test)}}
    counts, units = {}, {}
    for name in lab_data.MODELS:
        model = load_digit_model(name)

        def guess(images: np.ndarray, model=model) -> np.ndarray:
            outputs = model.raw_outputs(images)
            return outputs.argmin(axis=-1) if model.output == "penalties" else outputs.argmax(axis=-1)

        counts[name] = lab_data.correct_counts(guess, x_test, y_test)
        activity = lab_data.unit_activity(model.model, model.inputs(x_test))
        units[name] = lab_data.unit_entries(activity)
        print(f"{name}: {counts[name]}", file=sys.stderr)
    committed = out_dir / lab_data.DIGITS_FILE
    return lab_data.build_files(sources, counts, units, x_test, y_test,
                                committed.read_bytes() if committed.is_file() else None)


def main(argv: list[str] | None = None) -> int:
    """Export (or with --check, compare) the lab's data files."""
    from lenet_explain.errors import LenetError
    from lenet_explain.site.weights_export import check_or_write

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write into")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the files are stale")
    args = parser.parse_args(argv)
    try:
        files = compute_files(args.out)
    except LenetError as exc:
        print(f"export_lab_data: error: {exc}", file=sys.stderr)
        return 2
    return check_or_write("export_lab_data", files, args.out, args.check)


if __name__ == "__main__":
    raise SystemExit(main())
