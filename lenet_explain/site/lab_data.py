"""What the invariance lab (docs/lab/) reads: test accuracy against shift and rotation, each unit's favourite digits.

Computed by ``scripts/export_lab_data.py`` with the reference Keras models (the lecture's and the 1998 network) on the
verified MNIST test set, and committed, so that building the site needs no MNIST and no TensorFlow:

- ``lab_data.json``: the sha256 of what it was computed from (both ``.keras`` files, MNIST's test arrays), the lab's
  conventions (:mod:`lenet_explain.walkthrough.transforms`), each model's number of test digits read right at every
  shift and rotation, and for every unit of C1, C3, C5 and F6 its :data:`TOP_K` most active test digits (a feature
  map's activity is its largest value over positions; the activations being increasing functions, digits are ranked
  by the weighted sum before the activation, which orders them the same and still tells apart two digits that both
  saturate it), each with the position of that largest value and the receptive field of the layer;
- ``lab_digits.bin``: only the test digits those lists name, ``labels (N bytes) + images (N×28×28 bytes)``, raw
  DEFLATE, with its sha256 in the JSON.

Keras is imported by the callers (the models come in loaded); this module needs numpy and the calculator.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from lenet_explain.calculator.stacks import BUILTIN_STACKS
from lenet_explain.errors import LenetError
from lenet_explain.site.receptive import field_layers
from lenet_explain.site.train_data import deflate_raw, raw_data
from lenet_explain.site.weights_export import sha256_bytes
from lenet_explain.walkthrough import transforms

FORMAT = "lenet-explain-lab/1"
DATA_FILE = "lab_data.json"
DIGITS_FILE = "lab_digits.bin"
MODELS = ("lecture", "lenet1998")
UNIT_LAYERS = ("C1", "C3", "C5", "F6")
TOP_K = 9
BATCH = 1000
PAPER_PAD = 2  # the 1998 network's 32×32 input has the 28×28 digit 2 pixels in


@dataclass(frozen=True)
class UnitActivity:
    """One layer's units over a set of digits: the largest weighted sum and activation of each, and where."""

    sums: np.ndarray  # (N, units): the largest weighted sum before the activation, over positions
    values: np.ndarray  # (N, units): the largest activation over positions
    positions: np.ndarray  # (N, units, 2): the (row, col) of that largest value


def unit_activity(model: Any, inputs: np.ndarray, layers: tuple[str, ...] = UNIT_LAYERS) -> dict[str, UnitActivity]:
    """Return each named layer's activity on ``inputs`` (the model's own input), computed layer by layer in batches."""
    parts: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {name: [] for name in layers}
    for start in range(0, len(inputs), BATCH):
        h = inputs[start:start + BATCH]
        for layer in model.layers:
            if layer.name in parts:
                activation = layer.activation
                try:
                    layer.activation = linear
                    sums = np.asarray(layer(h), np.float32)
                finally:
                    layer.activation = activation
                h = activation(sums)
                parts[layer.name].append(_largest(sums, np.asarray(h, np.float32)))
            else:
                h = layer(h)
    return {name: UnitActivity(*(np.concatenate(p) for p in zip(*chunks, strict=True)))
            for name, chunks in parts.items()}


def linear(x: Any) -> Any:
    """The identity, put in a layer's place of its activation to read its weighted sums."""
    return x


def _largest(sums: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return the largest sum of each map (or unit), the activation there, and its (row, col)."""
    n = len(sums)
    if sums.ndim == 2:  # a vector of units
        return sums, values, np.zeros((n, sums.shape[1], 2), np.int32)
    _, h, w, c = sums.shape
    flat = sums.reshape(n, h * w, c)
    where = flat.argmax(axis=1)  # (n, c): the first largest in reading order
    best = np.take_along_axis(flat, where[:, None, :], axis=1)[:, 0, :]
    at = np.take_along_axis(values.reshape(n, h * w, c), where[:, None, :], axis=1)[:, 0, :]
    return best, at, np.stack([where // w, where % w], axis=-1).astype(np.int32)


def top_digits(activity: UnitActivity, k: int = TOP_K) -> list[list[int]]:
    """Return, for each unit, the ``k`` digits with the largest weighted sum, largest first (ties: lower index)."""
    order = np.argsort(-activity.sums, axis=0, kind="stable")  # (N, units)
    return [order[:k, unit].tolist() for unit in range(activity.sums.shape[1])]


def fields(model_name: str) -> dict[str, dict[str, list[int]]]:
    """Return each unit layer's receptive field on the 28×28 digit: first unit's start, jump and size (rows, cols)."""
    pad = PAPER_PAD if model_name == "lenet1998" else 0
    out = {}
    for field in field_layers(BUILTIN_STACKS[model_name]):
        if field.name in UNIT_LAYERS:
            out[field.name] = {"first": [field.first[0] - pad, field.first[1] - pad], "jump": list(field.jump),
                               "size": list(field.size)}
    for name in UNIT_LAYERS:  # a fully connected layer sees the whole input: C5's field and more
        out.setdefault(name, {"first": [-pad, -pad] if pad else [0, 0], "jump": [0, 0],
                              "size": [transforms.SIDE + 2 * pad] * 2})
    return out


def unit_entries(activity: dict[str, UnitActivity], k: int = TOP_K) -> dict[str, list[list[list[float]]]]:
    """Return, per layer and unit, its top digits as [index, row, col, activation]."""
    out = {}
    for name, act in activity.items():
        out[name] = [[[i, int(act.positions[i, u, 0]), int(act.positions[i, u, 1]), round(float(act.values[i, u]), 4)]
                      for i in unit] for u, unit in enumerate(top_digits(act, k))]
    return out


def correct_counts(guess: Callable[[np.ndarray], np.ndarray], images: np.ndarray, labels: np.ndarray
                   ) -> dict[str, list[int]]:
    """Return how many digits ``guess`` reads right at each shift (along x and along y) and rotation."""
    def right(batch: np.ndarray) -> int:
        return int(np.sum(guess(batch) == labels))

    values = images.astype(np.float32) / 255
    return {
        "shift_x": [right(transforms.shift(values, d, 0)) for d in transforms.TEST_SHIFTS],
        "shift_y": [right(transforms.shift(values, 0, d)) for d in transforms.TEST_SHIFTS],
        "rotate": [right(transforms.rotate(values, a)) for a in transforms.TEST_ROTATIONS],
    }


def digits_entry(indices: list[int], compressed: bytes, raw: bytes) -> dict[str, Any]:
    """Return the JSON entry of the shipped digits file."""
    return {"file": DIGITS_FILE, "compression": "deflate-raw", "count": len(indices), "indices": indices,
            "layout": "labels (count bytes), then images (count × 28 × 28 bytes, row by row), uint8",
            "bytes": len(compressed), "sha256": sha256_bytes(compressed), "raw_bytes": len(raw),
            "raw_sha256": sha256_bytes(raw)}


def build_files(sources: dict[str, Any], counts: dict[str, dict[str, list[int]]],
                units: dict[str, dict[str, list[list[list[float]]]]], images: np.ndarray, labels: np.ndarray,
                committed: bytes | None = None) -> dict[str, bytes]:
    """Return {file name: bytes}: the JSON and the digits file (the committed one kept if it holds the same digits)."""
    indices = sorted({int(entry[0]) for model in units.values() for layer in model.values() for unit in layer
                      for entry in unit})
    raw = raw_data(images[indices], labels[indices])
    compressed = committed if committed is not None and _inflates_to(committed, raw) else deflate_raw(raw)
    data = {
        "format": FORMAT, "sources": sources, "conventions": transforms.conventions(),
        "test": {"count": len(labels), "shifts": list(transforms.TEST_SHIFTS),
                 "rotations": list(transforms.TEST_ROTATIONS), "correct": counts},
        "units": {"layers": list(UNIT_LAYERS), "k": TOP_K, "fields": {m: fields(m) for m in units},
                  "top": units, "entry": ["index", "row", "col", "activation"]},
        "digits": digits_entry(indices, compressed, raw),
    }
    return {DATA_FILE: (json.dumps(data, indent=None, sort_keys=True, separators=(",", ":")) + "\n").encode(),
            DIGITS_FILE: compressed}


def _inflates_to(compressed: bytes, raw: bytes) -> bool:
    """Return whether ``compressed`` is raw DEFLATE of ``raw`` (zlib versions may compress differently)."""
    from lenet_explain.site.train_data import inflate_raw

    try:
        return inflate_raw(compressed) == raw
    except Exception:
        return False


def accuracy(data: dict[str, Any], model: str, kind: str) -> list[float]:
    """Return a model's test accuracy at each shift or rotation of the committed data (shift_x, shift_y, rotate)."""
    if model not in data["test"]["correct"]:
        raise LenetError(f"no test-set curves for {model!r}: run scripts/export_lab_data.py")
    return [c / data["test"]["count"] for c in data["test"]["correct"][model][kind]]
