"""Export a Keras LeNet-5 into what the in-browser visualizer reads: float32 weights plus a JSON manifest.

The weights file is every tensor's float32 values, little-endian, one after the other. The manifest
names each layer with its configuration (kernel size, strides, padding as computed by
:mod:`lenet_explain.calculator.arithmetic`, activation), the output shape Keras reports, and where each tensor
sits in the weights file (byte offset, shape, count), with the sha256 of the weights file (the page
checks it before use) and of the ``.keras`` file it came from (a test checks the export is not stale).
It also carries colour-blind safe colour tables taken from matplotlib and a few MNIST test digits.

The 1998 network exports the same way into ``lenet1998_weights.bin`` and ``lenet1998_manifest.json``: its layers
carry their connection table, subsampling window or RBF prototypes, every layer its parameters and connections as
the calculator counts them from the description, and the manifest the paper's input scaling and the scaled tanh's
constants, so the page computes nothing from numbers of its own.

Importing this module costs only numpy; Keras is imported inside :func:`load_keras_model`.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lenet_explain.calculator.arithmetic import output_size, summarize
from lenet_explain.calculator.stackfile import activation_name, read_keras_archive
from lenet_explain.errors import LenetError
from lenet_explain.safe_files import write_bytes_atomically

FORMAT = "lenet-explain-weights/1"
WEIGHTS_FILE = "lenet5_weights.bin"
MANIFEST_FILE = "lenet5_manifest.json"
EXAMPLES_FILE = "examples.json"
ACTIVATIONS = ("sigmoid", "softmax", "relu", "tanh", "linear", "scaled_tanh")
LENET1998_NAME = "lenet1998"  # the 1998 network's files: lenet1998_weights.bin, lenet1998_manifest.json
# Colour tables for the page: viridis for activations in [0, 1] and PuOr for signed weights; both are
# readable with the common colour-vision deficiencies (matplotlib's viridis; ColorBrewer's PuOr).
COLORMAPS = {"activation": "viridis", "weight": "PuOr_r"}
COLORMAP_STEPS = 256


# The 1998 network's layers: the configuration keys the page needs (their tensors follow as for any layer).
LENET1998_LAYERS = {
    "SparseConv2D": ("filters", "kernel_size", "connections", "activation"),
    "Subsampling2D": ("pool_size", "strides", "activation"),
    "EuclideanRBF": (),
}


@dataclass(frozen=True)
class Export:
    """The exported weights (bytes) and the manifest describing them (a JSON-ready dict)."""

    weights: bytes
    manifest: dict[str, Any]


def sha256_bytes(data: bytes) -> str:
    """Return the hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    return sha256_bytes(Path(path).read_bytes())


def load_keras_model(path: Path) -> Any:
    """Load a ``.keras`` model with Keras' safe mode on (imports Keras)."""
    from lenet_explain.models import lenet1998_layers  # noqa: F401  (registers the 1998 network's layers)
    from lenet_explain.models.keras_import import keras

    if not Path(path).is_file():
        raise LenetError(f"no model file at {path}")
    return keras.saving.load_model(path, safe_mode=True)


def _pair(value: Any) -> list[int]:
    """Return a Keras size argument (int or tuple) as a two-item list."""
    return [int(value), int(value)] if isinstance(value, int) else [int(v) for v in value]


def _padding(config: dict[str, Any], in_shape: tuple[int, ...], op: str) -> list[int]:
    """Return [top, left] padding for a windowed layer, from the calculator's Keras rules."""
    kernel = _pair(config.get("kernel_size", config.get("pool_size")))
    strides = _pair(config["strides"])
    return [
        output_size(in_shape[axis], kernel[axis], strides[axis], config["padding"], op=op).pad_before
        for axis in (0, 1)
    ]


def describe_layer(layer: Any, in_shape: tuple[int, ...]) -> dict[str, Any]:
    """Return the manifest entry (without tensors) for one Keras layer, given its input shape."""
    kind = type(layer).__name__
    config = layer.get_config()
    if isinstance(config.get("activation"), dict):  # a registered function: the scaled tanh
        config["activation"] = activation_name(config["activation"])
    entry: dict[str, Any] = {"name": layer.name, "type": kind}
    if kind in LENET1998_LAYERS:  # the table goes in "connection_table": "connections" is the layer's count
        entry.update({"connection_table" if key == "connections" else key: config[key]
                      for key in LENET1998_LAYERS[kind]})
    elif kind == "Conv2D":
        if _pair(config["dilation_rate"]) != [1, 1] or config.get("groups", 1) != 1:
            raise LenetError(f"{layer.name}: the visualizer supports plain convolutions only")
        entry.update(
            filters=int(config["filters"]), kernel_size=_pair(config["kernel_size"]),
            strides=_pair(config["strides"]), padding=config["padding"],
            pad=_padding(config, in_shape, "conv"), activation=config["activation"],
        )
    elif kind in ("AveragePooling2D", "MaxPooling2D"):
        if config["padding"] != "valid":
            raise LenetError(f"{layer.name}: the visualizer supports 'valid' pooling only")
        entry.update(
            pool_size=_pair(config["pool_size"]), strides=_pair(config["strides"]), padding="valid", pad=[0, 0]
        )
    elif kind == "Dense":
        entry.update(units=int(config["units"]), activation=config["activation"])
    elif kind != "Flatten":
        raise LenetError(f"{layer.name}: the visualizer has no {kind} layer")
    if entry.get("activation", "linear") not in ACTIVATIONS:
        raise LenetError(f"{layer.name}: the visualizer has no {entry['activation']!r} activation")
    if "activation" in entry and kind in ("Conv2D", "Dense") and not config.get("use_bias", True):
        raise LenetError(f"{layer.name}: the visualizer expects a bias")
    return entry


def export_model(model: Any, model_sha256: str, model_file: str) -> Export:
    """Return the float32 weights and the manifest of a built Keras Sequential model."""
    in_shape = tuple(int(d) for d in model.inputs[0].shape[1:])  # (28, 28, 1)
    chunks: list[bytes] = []
    offset = 0
    layers = []
    shape = in_shape
    for layer in model.layers:
        entry = describe_layer(layer, shape)
        tensors = []
        for variable, array in zip(layer.weights, layer.get_weights(), strict=True):
            data = np.ascontiguousarray(array, dtype="<f4")
            name = variable.path.rsplit("/", 1)[-1]  # 'kernel' or 'bias'
            tensors.append({"name": name, "shape": list(data.shape), "offset": offset, "count": int(data.size)})
            chunks.append(data.tobytes())
            offset += data.nbytes
        entry["tensors"] = tensors
        shape = tuple(int(d) for d in layer.output.shape[1:])
        entry["output_shape"] = list(shape)
        layers.append(entry)
    weights = b"".join(chunks)
    manifest = {
        "format": FORMAT,
        "model": {"file": model_file, "sha256": model_sha256, "name": model.name},
        "weights": {
            "file": WEIGHTS_FILE, "dtype": "float32", "byte_order": "little",
            "bytes": len(weights), "sha256": sha256_bytes(weights),
        },
        "parameters": offset // 4,
        "input_shape": list(in_shape),
        "layers": layers,
        "colormaps": {role: colormap_table(name) for role, name in COLORMAPS.items()},
        "preprocessing": preprocessing_constants(),
    }
    return Export(weights=weights, manifest=manifest)


def preprocessing_constants() -> dict[str, Any]:
    """Return the constants of :mod:`lenet_explain.walkthrough.images` that the page's preprocessing mirrors."""
    from lenet_explain.walkthrough import images

    return {
        "field": images.FIELD,
        "box": images.BOX,
        "centre": images.CENTRE,
        "luma": [float(v) for v in images.LUMA],
        "min_contrast": images.MIN_CONTRAST,
        "ink_level": images.INK_LEVEL,
        "min_ink_mass": images.MIN_INK_MASS,
        "border_fraction": images.BORDER_FRACTION,
        "noise_percentile": images.NOISE_PERCENTILE,
        "max_noise_floor": images.MAX_NOISE_FLOOR,
        "speck_filter_min_side": images.SPECK_FILTER_MIN_SIDE,
        "max_thicken_passes": images.MAX_THICKEN_PASSES,
    }


def colormap_table(name: str, steps: int = COLORMAP_STEPS) -> dict[str, Any]:
    """Return a matplotlib colour map sampled at ``steps`` points as one hex RGB string."""
    from matplotlib import colormaps

    rgba = colormaps[name](np.linspace(0.0, 1.0, steps))  # (steps, 4) floats in [0, 1]
    rgb = np.round(rgba[:, :3] * 255).astype(np.uint8)  # (steps, 3)
    return {"name": name, "steps": steps, "rgb": rgb.tobytes().hex()}


def pick_examples(images: np.ndarray, labels: np.ndarray, per_class: int = 1) -> dict[str, Any]:
    """Return the first ``per_class`` test digits of each class, as 784 bytes each, ordered by label (index from 0)."""
    digits = []
    for label in range(10):
        for index in np.flatnonzero(labels == label)[:per_class]:
            digits.append(
                {"index": int(index), "label": label, "pixels": images[index].reshape(-1).astype(int).tolist()}
            )
    return {
        "source": "MNIST test set, as keras.datasets.mnist.load_data() returns it",
        "index": "the digit's position in that test set, counted from 0 (the page counts from 1)",
        "shape": list(images.shape[1:]),
        "digits": digits,
    }


def manifest_text(manifest: dict[str, Any]) -> str:
    """Return the manifest as stable, diff-friendly JSON text."""
    return json.dumps(manifest, indent=1, sort_keys=True) + "\n"


def examples_text(examples: dict[str, Any]) -> str:
    """Return the examples as compact JSON text (one digit per line)."""
    head = {key: value for key, value in examples.items() if key != "digits"}
    lines = ",\n".join(json.dumps(digit, separators=(",", ":")) for digit in examples["digits"])
    return json.dumps(head, sort_keys=True)[:-1] + ', "digits": [\n' + lines + "\n]}\n"


def export_files(model_path: Path, repo_root: Path, name: str = "lenet5") -> dict[str, bytes]:
    """Return {file name: bytes} of the weights and manifest exported from ``model_path``, named ``<name>_…``."""
    model = load_keras_model(model_path)
    try:
        model_file = Path(model_path).resolve().relative_to(repo_root.resolve()).as_posix()
    except ValueError:
        model_file = Path(model_path).name
    weights_file, manifest_file = f"{name}_weights.bin", f"{name}_manifest.json"
    export = export_model(model, sha256_file(model_path), model_file)
    manifest = export.manifest
    manifest["weights"]["file"] = weights_file
    if any(layer["type"] in LENET1998_LAYERS for layer in manifest["layers"]) or manifest["input_shape"][0] == 32:
        add_lenet1998_facts(manifest, Path(model_path))
    return {weights_file: export.weights, manifest_file: manifest_text(manifest).encode()}


def add_lenet1998_facts(manifest: dict[str, Any], model_path: Path) -> None:
    """Add the paper's input scaling, the scaled tanh's constants and each layer's counts from the description."""
    from lenet_explain.calculator.layers import SCALED_TANH_A, SCALED_TANH_S, EuclideanRBF
    from lenet_explain.walkthrough.training1998 import BACKGROUND, FULL_INK, PAD

    rows = {row.name: row for row in summarize(read_keras_archive(model_path)).rows}
    for layer in manifest["layers"]:
        row = rows[layer["name"]]
        layer["params"], layer["trainable_params"], layer["connections"] = (
            row.params, row.trainable_params, row.connections)
    manifest["input_scaling"] = {"pad": PAD, "background": BACKGROUND, "full_ink": FULL_INK}
    manifest["scaled_tanh"] = {"A": SCALED_TANH_A, "S": SCALED_TANH_S}
    stack = read_keras_archive(model_path)
    last = stack.layers[-1]
    manifest["output"] = "penalties" if isinstance(last, EuclideanRBF) else "probabilities"
    if isinstance(last, EuclideanRBF):  # F6's units are read as a picture of the bitmaps' size
        manifest["rbf_bitmap_shape"] = [len(last.prototypes[0]), len(last.prototypes[0][0])]


def examples_file(images: np.ndarray, labels: np.ndarray, per_class: int = 1) -> dict[str, bytes]:
    """Return {file name: bytes} of the example digits."""
    return {EXAMPLES_FILE: examples_text(pick_examples(images, labels, per_class)).encode()}


def write_files(files: dict[str, bytes], out_dir: Path) -> list[Path]:
    """Write each file into ``out_dir``; return the paths written."""
    return [write_bytes_atomically(out_dir / name, data) for name, data in files.items()]


def stale_files(files: dict[str, bytes], out_dir: Path) -> list[str]:
    """Return the names of files whose committed bytes differ from ``files`` (missing ones too)."""
    return [name for name, data in files.items() if not (out_dir / name).is_file()
            or (out_dir / name).read_bytes() != data]


def check_or_write(script: str, files: dict[str, bytes], out_dir: Path, check: bool) -> int:
    """An export script's last step: with ``check``, name each stale file and return 1 (0 if none); else write
    every file, say so, and return 0."""
    if check:
        stale = stale_files(files, out_dir)
        for name in stale:
            print(f"stale: {out_dir / name} (run scripts/{script}.py)", file=sys.stderr)
        return 1 if stale else 0
    for path in write_files(files, out_dir):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    return 0
