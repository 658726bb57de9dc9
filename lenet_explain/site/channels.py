"""One unit of C3 worked out with the reference model's own weights: several S2 maps, each through its own kernel.

A unit of the lecture's C3 reads a 5×5 window of *every* S2 map. Each map has its own 5×5 slice of the kernel;
the unit multiplies each window by its slice, adds up the products of every map, adds the bias and applies the
sigmoid. This module computes that with numpy from the weights of ``lenet_explain/data/lenet5_mnist.keras``
for a real MNIST test digit (the visualizer's example of the digit the lecture predicts, a 3). The forward pass
up to S2 is numpy too, so the test can hold it against Keras' own layer outputs.

The unit is chosen by rule, not by hand: the middle position of C3 and, there, the map whose unit is the most
active for this digit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from lenet_explain.calculator.stacks import LECTURE
from lenet_explain.site.model_answers import VISUALIZER_EXAMPLES, reference_model

EXAMPLE_LABEL = 3  # the lecture's own prediction example is a picture of a 3 (3.png)
SOURCE, LAYER = "S2", "C3"


@dataclass(frozen=True)
class ChannelUnit:
    """One C3 unit and everything it is computed from (positions count from 0)."""

    digit_index: int  # in MNIST's test set
    label: int
    image: np.ndarray  # (28, 28) in [0, 1], as the network reads it
    s2: np.ndarray  # (14, 14, 6): S2's output for the digit
    row: int
    col: int
    map: int  # which of C3's maps (its kernel)
    windows: np.ndarray  # (maps, 5, 5): the window of every S2 map
    kernels: np.ndarray  # (maps, 5, 5): the kernel slice each S2 map is multiplied by
    bias: float

    @property
    def products(self) -> np.ndarray:
        """The element-wise products of every window and its kernel slice, (maps, 5, 5)."""
        return self.windows * self.kernels

    @property
    def partial_sums(self) -> np.ndarray:
        """Σ w·x of every S2 map, (maps,)."""
        return self.products.sum(axis=(1, 2))

    @property
    def z(self) -> float:
        """The weighted sum: every map's Σ w·x, plus the bias."""
        return float(self.partial_sums.sum() + self.bias)

    @property
    def value(self) -> float:
        """The unit's output: the sigmoid of z."""
        return float(1 / (1 + np.exp(-self.z)))


def example_digit(label: int = EXAMPLE_LABEL) -> dict[str, Any]:
    """Return the visualizer's example MNIST test digit with ``label`` (index, label, pixels 0–255)."""
    digits = json.loads(VISUALIZER_EXAMPLES.read_text(encoding="utf-8"))["digits"]
    return dict(next(d for d in digits if d["label"] == label))


def layer_weights(model: Any, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Return a layer's kernel and bias as float64 arrays."""
    kernel, bias = (np.asarray(w, dtype=np.float64) for w in model.get_layer(name).get_weights())
    return kernel, bias


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Return 1 / (1 + e^(−z)) element by element."""
    return 1 / (1 + np.exp(-z))


def convolve(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray, pad: int) -> np.ndarray:
    """Return the weighted sums of a stride-1 convolution of ``x`` (h, w, cin) with ``pad`` zeros on every side."""
    kh, kw, _, filters = kernel.shape
    padded = np.pad(x, ((pad, pad), (pad, pad), (0, 0)))  # (h + 2·pad, w + 2·pad, cin)
    rows, cols = padded.shape[0] - kh + 1, padded.shape[1] - kw + 1
    out = np.empty((rows, cols, filters))  # (rows, cols, filters)
    for r in range(rows):
        for c in range(cols):
            out[r, c] = np.tensordot(padded[r : r + kh, c : c + kw], kernel, axes=3) + bias
    return out


def average_pool(x: np.ndarray, size: int) -> np.ndarray:
    """Return ``size``×``size`` average pooling with stride ``size`` of ``x`` (h, w, c)."""
    h, w, c = x.shape
    return x.reshape(h // size, size, w // size, size, c).mean(axis=(1, 3))


def forward_to_s2(model: Any, image: np.ndarray) -> np.ndarray:
    """Return S2's output for a (28, 28) image: C1 ('same', sigmoid) then 2×2 average pooling."""
    c1_layer, s2_layer = LECTURE.layers[0], LECTURE.layers[1]
    kernel, bias = layer_weights(model, c1_layer.name)
    pad = (kernel.shape[0] - 1) // 2 if c1_layer.padding == "same" else 0  # type: ignore[attr-defined]
    c1 = sigmoid(convolve(image[..., None], kernel, bias, pad))  # (28, 28, 6)
    return average_pool(c1, s2_layer.pool_size[0])  # type: ignore[attr-defined]


@cache
def c3_unit() -> ChannelUnit:
    """Return the middle C3 unit that is most active for the example digit, with its inputs and weights."""
    model = reference_model().model  # the Keras model inside the loaded DigitModel
    digit = example_digit()
    image = np.asarray(digit["pixels"], dtype=np.float64).reshape(28, 28) / 255  # (28, 28)
    s2 = forward_to_s2(model, image)  # (14, 14, 6)
    kernel, bias = layer_weights(model, LAYER)  # (5, 5, 6, 16), (16,)
    kh, kw = kernel.shape[:2]
    rows, cols = s2.shape[0] - kh + 1, s2.shape[1] - kw + 1
    row, col = (rows - 1) // 2, (cols - 1) // 2
    window = s2[row : row + kh, col : col + kw]  # (5, 5, 6)
    z = np.tensordot(window, kernel, axes=3) + bias  # (16,)
    unit = int(np.argmax(z))
    return ChannelUnit(int(digit["index"]), int(digit["label"]), image, s2, row, col, unit,
                       np.moveaxis(window, -1, 0), np.moveaxis(kernel[..., unit], -1, 0), float(bias[unit]))


def keras_value(unit: ChannelUnit) -> float:
    """Return what Keras itself computes for the unit: the model's layers up to C3 on the same digit."""
    model = reference_model().model  # the Keras model inside the loaded DigitModel
    h = unit.image[None, :, :, None].astype(np.float32)  # (1, 28, 28, 1)
    for layer in model.layers:
        h = layer(h)
        if layer.name == LAYER:
            return float(np.asarray(h)[0, unit.row, unit.col, unit.map])
    raise LookupError(f"the reference model has no layer {LAYER}")
