"""What the in-browser trainer (docs/train/) reads: the two models, the recipe, the lecture's history and MNIST.

``train_manifest.json`` describes each model layer by layer, computed from the one description of the
network (:data:`lenet_explain.calculator.stacks.LECTURE` and ``MODERN``, shapes and padding by the
calculator), Keras' defaults for the initial weights and for Adam, the lecture's recipe and its printed
history (:mod:`lenet_explain.walkthrough.lecture_history`), and the data files with their sha256.

The data files are a subset of the verified MNIST arrays (:func:`lenet_explain.walkthrough.mnist.load_data`):
the first :data:`TRAIN_SIZE` training digits and the first :data:`TEST_SIZE` digits of the official test set.
Each file is ``labels (N bytes) + images (N×28×28 bytes, row by row)``, compressed with raw DEFLATE
(RFC 1951), which browsers undo with ``DecompressionStream("deflate-raw")``. The files end in ``.bin``
so that any static host serves them as opaque bytes (a ``.gz`` name can make a host add
``Content-Encoding: gzip``, and the browser would then inflate them before the page sees them).

Importing this module costs only numpy and the calculator; it never imports TensorFlow.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import numpy as np

from lenet_explain.calculator import arithmetic
from lenet_explain.calculator.layers import AveragePooling2D, Conv2D, Dense, Flatten, MaxPooling2D, Stack
from lenet_explain.calculator.stacks import LECTURE, MODERN
from lenet_explain.errors import LenetError
from lenet_explain.site.weights_export import sha256_bytes
from lenet_explain.walkthrough import training
from lenet_explain.walkthrough.lecture_history import lecture_history

FORMAT = "lenet-explain-train/1"
MANIFEST_FILE = "train_manifest.json"
TRAIN_SIZE = 30000  # training digits shipped (the first ones of MNIST's 60,000)
TEST_SIZE = 2000  # the first digits of MNIST's official test set
DATA_FILES = {"train": f"mnist-train-{TRAIN_SIZE}.bin", "test": f"mnist-test-{TEST_SIZE}.bin"}
MAX_DATA_BYTES = 6 * 1024 * 1024  # every data file together
COMPRESSION = "deflate-raw"
TRAINED_STACKS = (LECTURE, MODERN)
# Keras' defaults for a Conv2D or Dense layer's weights and for compile(optimizer="adam");
# tests/test_train.py checks them against Keras itself.
INITIALIZERS = {"kernel": "glorot_uniform", "bias": "zeros"}
ADAM = {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07}
DEFAULT_SEED = 1  # the seed the page starts with
EVALUATE_EVERY = 5000  # training digits between two test-set evaluations on the page
ACTIVATIONS = ("sigmoid", "relu", "linear", "softmax")
# How close the page's training must be to TensorFlow's (tests/test_train.py): each weight tensor's gradient
# within GRADIENT_TOLERANCE of that tensor's largest gradient, the weights after Adam steps within ADAM_TOLERANCE.
GRADIENT_TOLERANCE = 1e-4
ADAM_TOLERANCE = 1e-5
LOSS_TOLERANCE = 1e-5  # the "how it learns" page's loss of one digit against Keras'
# The benchmark's note on each implementation (scripts/bench_training.py writes them into docs/train/benchmark.json,
# filled with the libraries' versions; the train page says them in its language from these templates).
BENCHMARK_NOTES = {
    "TensorFlow": "TensorFlow {tf}, model.fit in Python on the same processor (not in a browser)",
    "this page": "matrix products in WebAssembly; one or two Web Workers, whichever its timing finds quicker",
    "this page, two workers":
        "matrix products in WebAssembly; always two Web Workers, each computes half of every batch",
    "this page, one worker": "matrix products in WebAssembly; one Web Worker",
    "this page, plain JS": "matrix products in plain JavaScript (the readable reference); workers chosen by timing",
    "this page, plain JS, two workers": "matrix products in plain JavaScript; always two Web Workers",
    "this page, plain JS, one worker": "matrix products in plain JavaScript; one Web Worker",
    "tf.js cpu": "TensorFlow.js {tfjs}, cpu backend, model.trainOnBatch",
    "tf.js webgl": "TensorFlow.js {tfjs}, webgl backend (software WebGL: no GPU)",
    "tf.js wasm": "TensorFlow.js {tfjs}, wasm backend",
    "ConvNetJS": "ConvNetJS {convnetjs}, Adam; max pooling in both models (it has no average pooling)",
}
CANNOT_TRAIN = ": cannot train ({error})"  # added to a note when the library failed to train (its own message)


def layer_spec(layer: Any, row: arithmetic.LayerRow) -> dict[str, Any]:
    """Return one layer as the trainer's engine reads it: kind, sizes, padding, activation, tensor shapes."""
    spec: dict[str, Any] = {
        "name": row.name, "type": row.type,
        "input_shape": list(row.input_shape), "output_shape": list(row.output_shape),
    }
    if isinstance(layer, Conv2D):
        if layer.dilation_rate != (1, 1) or not layer.use_bias:
            raise LenetError(f"{row.name}: the trainer supports plain convolutions with a bias only")
        assert row.sizes is not None
        spec.update(
            filters=layer.filters, kernel_size=list(layer.kernel_size), strides=list(layer.strides),
            padding=layer.padding, pad=[row.sizes[0].pad_before, row.sizes[1].pad_before],
            activation=layer.activation or "linear",
            tensors=[{"name": "kernel", "shape": [*layer.kernel_size, row.input_shape[2], layer.filters]},
                     {"name": "bias", "shape": [layer.filters]}],
        )
    elif isinstance(layer, (AveragePooling2D, MaxPooling2D)):
        if layer.padding != "valid" or layer.ceil_mode or layer.dilation_rate != (1, 1):
            raise LenetError(f"{row.name}: the trainer supports 'valid' pooling only")
        spec.update(pool_size=list(layer.pool_size), strides=list(layer.strides), tensors=[])
    elif isinstance(layer, Dense):
        if not layer.use_bias:
            raise LenetError(f"{row.name}: the trainer expects a bias")
        spec.update(
            units=layer.units, activation=layer.activation or "linear",
            tensors=[{"name": "kernel", "shape": [row.input_shape[0], layer.units]},
                     {"name": "bias", "shape": [layer.units]}],
        )
    elif isinstance(layer, Flatten):
        spec["tensors"] = []
    else:
        raise LenetError(f"{row.name}: the trainer has no {row.type} layer")
    if spec.get("activation", "linear") not in ACTIVATIONS:
        raise LenetError(f"{row.name}: the trainer has no {spec['activation']!r} activation")
    return spec


def model_spec(stack: Stack) -> dict[str, Any]:
    """Return a whole stack for the trainer: every layer's spec, in order, with the parameter count."""
    summary = arithmetic.summarize(stack)
    layers = [layer_spec(layer, row) for layer, row in zip(stack.layers, summary.rows, strict=True)]
    if layers[-1].get("activation") != "softmax" or any(
        layer.get("activation") == "softmax" for layer in layers[:-1]
    ):
        raise LenetError(f"{stack.name}: the trainer needs a softmax on the last layer only")
    return {
        "name": stack.name, "input_shape": list(stack.input.shape), "layers": layers,
        "parameters": summary.total_params, "macs": summary.total_macs,
    }


def deflate_raw(data: bytes) -> bytes:
    """Return ``data`` compressed as raw DEFLATE (no zlib or gzip header), the best zlib can."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    return compressor.compress(data) + compressor.flush()


def inflate_raw(data: bytes) -> bytes:
    """Return the bytes of a raw DEFLATE stream."""
    return zlib.decompress(data, -15)


def raw_data(images: np.ndarray, labels: np.ndarray) -> bytes:
    """Return labels then images as bytes: (N,) uint8 then (N, 28, 28) uint8, row by row."""
    if images.dtype != np.uint8 or labels.dtype != np.uint8 or images.shape[1:] != (28, 28):
        raise LenetError("expected uint8 images (N, 28, 28) and uint8 labels (N,)")
    return labels.tobytes() + np.ascontiguousarray(images).tobytes()


def raw_subsets(data: training.Data) -> dict[str, bytes]:
    """Return {"train": bytes, "test": bytes} of the shipped subsets of MNIST (uncompressed)."""
    (x_train, y_train), (x_test, y_test) = training.take_subset(data, TRAIN_SIZE, TEST_SIZE)
    return {"train": raw_data(x_train, y_train), "test": raw_data(x_test, y_test)}


def data_entry(split: str, compressed: bytes, raw: bytes) -> dict[str, Any]:
    """Return the manifest entry of one data file."""
    count = TRAIN_SIZE if split == "train" else TEST_SIZE
    source = (f"the first {count:,} digits of MNIST's training set" if split == "train"
              else f"the first {count:,} digits of MNIST's official test set")
    return {
        "file": DATA_FILES[split], "compression": COMPRESSION, "count": count, "image_shape": [28, 28],
        "layout": "labels (count bytes), then images (count × 28 × 28 bytes, row by row), uint8",
        "bytes": len(compressed), "sha256": sha256_bytes(compressed),
        "raw_bytes": len(raw), "raw_sha256": sha256_bytes(raw),
        "source": source + ", as keras.datasets.mnist.load_data() returns them (checked by sha256)",
    }


def build_manifest(compressed: dict[str, bytes], raw: dict[str, bytes]) -> dict[str, Any]:
    """Return the trainer's manifest for these data files (compressed and raw bytes by split)."""
    total = sum(len(data) for data in compressed.values())
    if total > MAX_DATA_BYTES:
        raise LenetError(f"the data files take {total:,} bytes, more than {MAX_DATA_BYTES:,}")
    return {
        "format": FORMAT,
        "models": {stack.name: model_spec(stack) for stack in TRAINED_STACKS},
        "initializers": INITIALIZERS,
        "optimizer": {"name": "adam", **ADAM},
        "loss": "categorical_crossentropy",
        "recipe": {"epochs": training.EPOCHS, "batch_size": training.BATCH_SIZE, "seed": DEFAULT_SEED,
                   "evaluate_every": EVALUATE_EVERY},
        "lecture_history": lecture_history().as_dict(),
        "data": {split: data_entry(split, compressed[split], raw[split]) for split in ("train", "test")},
        "data_bytes": total,
    }


def manifest_text(manifest: dict[str, Any]) -> str:
    """Return the manifest as stable, diff-friendly JSON text."""
    return json.dumps(manifest, indent=1, sort_keys=True) + "\n"


def committed_compressed(out_dir: Path, raw: dict[str, bytes]) -> dict[str, bytes]:
    """Return each split's committed file when it inflates to ``raw`` (zlib versions may compress differently)."""
    kept = {}
    for split, data in raw.items():
        path = out_dir / DATA_FILES[split]
        if path.is_file():
            try:
                if inflate_raw(path.read_bytes()) == data:
                    kept[split] = path.read_bytes()
            except zlib.error:
                pass
    return kept


def export_files(data: training.Data, out_dir: Path) -> dict[str, bytes]:
    """Return {file name: bytes} of the manifest and data files, reusing committed data files that are current."""
    raw = raw_subsets(data)
    compressed = committed_compressed(out_dir, raw)
    for split in raw:
        if split not in compressed:  # deflating is seconds of work: only for a file that is missing or stale
            compressed[split] = deflate_raw(raw[split])
    files = {DATA_FILES[split]: compressed[split] for split in raw}
    files[MANIFEST_FILE] = manifest_text(build_manifest(compressed, raw)).encode()
    return files
