"""Train the LeNet-5 of 1998 on MNIST and write the committed model and its metrics.

The recipe lives in lenet_explain/walkthrough/training1998.py (the paper's input scaling, initialisation and MAP
criterion; Adam with a learning rate falling every pass). Writes lenet_explain/data/lenet1998_mnist.keras and
lenet_explain/data/lenet1998_mnist_metrics.json (test accuracy, per-pass history, seed, recipe, versions, time).
With --validate it trains on all but the last 5,000 training digits, scores on those and records the run in
lenet_explain/data/lenet1998_validation.json: that is how the recipe (the constant j of the MAP criterion) was
chosen, without looking at the test set.
Usage: .venv/bin/python scripts/train_lenet1998.py [--seed N] [--epochs N] [--map-j J] [--validate]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lenet_explain.walkthrough import mnist, training, training1998
from lenet_explain.walkthrough.digit_models import LENET1998_METRICS, LENET1998_MODEL, LENET1998_VALIDATION


def main(argv: list[str] | None = None) -> int:
    """Train once; check the accuracy target and write the model and metrics (or, with --validate, only report)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seed", type=int, default=training1998.SEED)
    parser.add_argument("--epochs", type=int, default=training1998.EPOCHS)
    parser.add_argument("--batch-size", type=int, default=training1998.BATCH_SIZE)
    parser.add_argument("--map-j", type=float, default=None, help="the MAP criterion's constant j")
    parser.add_argument("--validate", action="store_true", help="score on a validation split and record it")
    parser.add_argument("--min-accuracy", type=float, default=0.99)
    parser.add_argument("--model", type=Path, default=LENET1998_MODEL)
    parser.add_argument("--metrics", type=Path, default=LENET1998_METRICS)
    args = parser.parse_args(argv)
    data = mnist.load_data()
    if args.validate:
        data = training1998.validation_split(data)
    result = training1998.train_lenet1998(data, epochs=args.epochs, batch_size=args.batch_size, seed=args.seed,
                                          j=args.map_j)
    where = "validation" if args.validate else "test"
    print(f"seed {args.seed}: {where} accuracy {result.test_accuracy:.4f}, loss {result.test_loss:.4f} "
          f"in {result.seconds:.0f} s")
    if args.validate:
        training1998.record_validation(training1998.validation_entry(result), LENET1998_VALIDATION)
        print(f"recorded in {LENET1998_VALIDATION}")
        return 0
    if result.test_accuracy < args.min_accuracy:
        print(f"below the target {args.min_accuracy}; nothing written", file=sys.stderr)
        return 1
    training.save_model(result.model, args.model)
    training.save_json(training1998.result_metrics_1998(result), args.metrics)
    print(f"wrote {args.model} and {args.metrics}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
