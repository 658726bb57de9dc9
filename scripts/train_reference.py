"""Train the lecture's LeNet-5 with the lecture's recipe and write the committed reference model.

Writes lenet_explain/data/lenet5_mnist.keras and lenet_explain/data/lenet5_mnist_metrics.json
(test accuracy, per-epoch history, seed, TensorFlow/Keras versions, training time).
Usage: .venv/bin/python scripts/train_reference.py [--seed N] [--min-accuracy 0.984]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lenet_explain.walkthrough import mnist, training
from lenet_explain.walkthrough.predict import REFERENCE_METRICS, REFERENCE_MODEL


def main(argv: list[str] | None = None) -> int:
    """Train once, check the accuracy target and write the reference files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=training.SEED)
    parser.add_argument("--min-accuracy", type=float, default=0.984)
    parser.add_argument("--model", type=Path, default=REFERENCE_MODEL)
    parser.add_argument("--metrics", type=Path, default=REFERENCE_METRICS)
    args = parser.parse_args(argv)
    result = training.train_model(mnist.load_data(), seed=args.seed)
    print(f"seed {args.seed}: test accuracy {result.test_accuracy:.4f} in {result.seconds:.0f} s")
    if result.test_accuracy < args.min_accuracy:
        print(f"below the target {args.min_accuracy}; nothing written (try another --seed)", file=sys.stderr)
        return 1
    training.save_model(result.model, args.model)
    training.save_json(training.result_metrics(result), args.metrics)
    print(f"wrote {args.model} and {args.metrics}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
