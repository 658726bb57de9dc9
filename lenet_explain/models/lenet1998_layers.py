"""Keras twins of the 1998 network's pieces: scaled tanh, sparse convolution, subsampling, Euclidean RBF, MAP loss.

Each is small, registered with ``keras.saving.register_keras_serializable(package="lenet_explain")`` and saved by
its configuration only (weights go in the weights file), so a trained model loads with Keras' ``safe_mode`` on once
this module is imported. The descriptions they build from are in :mod:`lenet_explain.calculator.layers`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from lenet_explain.calculator.bitmaps import bitmap_values
from lenet_explain.calculator.layers import SCALED_TANH, SCALED_TANH_A, SCALED_TANH_S
from lenet_explain.models.keras_import import keras

ops = keras.ops
PACKAGE = "lenet_explain"
# Eq. 9's constant j, which the paper leaves open: the penalty of a "rubbish class". While every penalty is well
# above j the criterion is eq. 8's mean squared error (pull the right class' penalty down); a wrong class is pushed
# up only once its penalty comes near j and the right one's. Chosen on a validation split (the last 5,000 training
# digits): j = 1 gave 99.1%, j = 16 (half the smallest squared distance between two prototypes) 98.8%.
MAP_J = 1.0
register = keras.saving.register_keras_serializable(package=PACKAGE)


@keras.saving.register_keras_serializable(package=PACKAGE, name=SCALED_TANH)
def scaled_tanh(x: Any) -> Any:
    """The paper's squashing function f(a) = A·tanh(S·a), A = 1.7159, S = 2/3 (appendix A)."""
    return SCALED_TANH_A * ops.tanh(SCALED_TANH_S * x)


def get_activation(name: str | None) -> Any:
    """Return what Keras layers take for an activation name (the scaled tanh as the registered function)."""
    return scaled_tanh if name == SCALED_TANH else name


def table_index(table: list[list[int]] | tuple[tuple[int, ...], ...], channels: int) -> np.ndarray:
    """Return, for each (input map, filter), the column of the packed kernel it uses, or ``links`` for none.

    The packed kernel holds one (kh, kw) slice per link of the table, filter by filter: (kh, kw, links).
    """
    links = sum(len(row) for row in table)
    index = np.full((channels, len(table)), links, dtype="int32")  # (channels, filters)
    column = 0
    for filter_number, row in enumerate(table):
        for channel in sorted(row):
            index[channel, filter_number] = column
            column += 1
    return index


@register
class SparseConv2D(keras.layers.Layer):
    """A 'valid' convolution whose filter ``i`` reads only the input maps in ``connections[i]`` (Table I)."""

    def __init__(self, filters: int, kernel_size: int | tuple[int, int], connections: list[list[int]],
                 activation: str | None = None, use_bias: bool = True, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.filters = int(filters)
        self.kernel_size = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
        self.connections = [sorted(int(m) for m in row) for row in connections]
        self.activation_name = activation
        self.activation = keras.activations.get(get_activation(activation))
        self.use_bias = bool(use_bias)
        if len(self.connections) != self.filters:
            raise ValueError(f"{self.name}: {self.filters} filters but {len(self.connections)} table rows")

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        kh, kw = self.kernel_size
        links = sum(len(row) for row in self.connections)
        self.kernel = self.add_weight(name="kernel", shape=(kh, kw, links), initializer="glorot_uniform")
        self.bias = self.add_weight(name="bias", shape=(self.filters,), initializer="zeros") if self.use_bias else None
        self.index = table_index(self.connections, int(input_shape[-1] or 0))  # (channels, filters)

    def connection_mask(self) -> np.ndarray:
        """Return the table as 0/1: 1 where filter ``f`` (column) reads input map ``c`` (row)."""
        return (self.index < self.kernel.shape[-1]).astype("int32")  # (channels, filters)

    def full_kernel(self) -> Any:
        """Return the kernel as a dense Conv2D kernel, zeros where the table has no link: (kh, kw, in, filters)."""
        kh, kw = self.kernel_size
        padded = ops.concatenate([self.kernel, ops.zeros((kh, kw, 1), dtype=self.kernel.dtype)], axis=-1)
        full = ops.take(padded, self.index.reshape(-1), axis=-1)  # (kh, kw, channels·filters)
        return ops.reshape(full, (kh, kw, *self.index.shape))

    def call(self, inputs: Any) -> Any:
        outputs = ops.conv(inputs, self.full_kernel(), strides=1, padding="valid")  # (batch, h, w, filters)
        if self.bias is not None:
            outputs = outputs + self.bias
        return self.activation(outputs)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        kh, kw = self.kernel_size
        height, width = input_shape[1], input_shape[2]
        return (input_shape[0], None if height is None else height - kh + 1,
                None if width is None else width - kw + 1, self.filters)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "filters": self.filters, "kernel_size": list(self.kernel_size),
                "connections": self.connections, "activation": self.activation_name, "use_bias": self.use_bias}


@register
class Subsampling2D(keras.layers.Layer):
    """Trainable subsampling: each unit sums its window, times its map's coefficient, plus its map's bias."""

    def __init__(self, pool_size: int | tuple[int, int] = 2, strides: int | tuple[int, int] | None = None,
                 activation: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pool_size = (pool_size, pool_size) if isinstance(pool_size, int) else tuple(pool_size)
        step = self.pool_size if strides is None else strides
        self.strides = (step, step) if isinstance(step, int) else tuple(step)
        self.activation_name = activation
        self.activation = keras.activations.get(get_activation(activation))

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        channels = int(input_shape[-1] or 0)
        self.coefficient = self.add_weight(name="coefficient", shape=(channels,), initializer="ones")
        self.bias = self.add_weight(name="bias", shape=(channels,), initializer="zeros")

    def call(self, inputs: Any) -> Any:
        window = self.pool_size[0] * self.pool_size[1]
        sums = ops.average_pool(inputs, self.pool_size, self.strides, padding="valid") * window  # (batch, h, w, c)
        return self.activation(sums * self.coefficient + self.bias)

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        sizes = [None if n is None else (n - p) // s + 1
                 for n, p, s in zip(input_shape[1:3], self.pool_size, self.strides, strict=True)]
        return (input_shape[0], sizes[0], sizes[1], input_shape[-1])

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "pool_size": list(self.pool_size), "strides": list(self.strides),
                "activation": self.activation_name}


@register
class EuclideanRBF(keras.layers.Layer):
    """Euclidean RBF units y_i = Σ_j (x_j − w_ij)², w fixed to ±1 from one bitmap per unit (not trainable)."""

    def __init__(self, prototypes: list[list[str]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.prototypes = [list(bitmap) for bitmap in prototypes]
        self.values = np.array([bitmap_values(tuple(b)) for b in self.prototypes], dtype="float32")  # (units, in)

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        if input_shape[-1] != self.values.shape[1]:
            raise ValueError(f"{self.name}: {self.values.shape[1]} prototype pixels but {input_shape[-1]} inputs")
        values = self.values
        self.centres = self.add_weight(name="prototypes", shape=values.shape, trainable=False,
                                       initializer=lambda shape, dtype=None: ops.convert_to_tensor(values, dtype))

    def call(self, inputs: Any) -> Any:
        differences = ops.expand_dims(inputs, 1) - self.centres  # (batch, units, inputs)
        return ops.sum(ops.square(differences), axis=-1)  # (batch, units): penalties, the lowest wins

    def compute_output_shape(self, input_shape: tuple[int | None, ...]) -> tuple[int | None, ...]:
        return (input_shape[0], self.values.shape[0])

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "prototypes": self.prototypes}


def map_criterion(y_true: Any, y_pred: Any, j: float = MAP_J) -> Any:
    """The paper's MAP criterion (eq. 9) per example: y_correct + log(e^−j + Σ_i e^−y_i), with penalties y."""
    correct = ops.sum(y_true * y_pred, axis=-1)  # (batch,)
    rubbish = ops.full_like(y_pred[:, :1], -j)  # (batch, 1): the "rubbish class" of constant penalty j
    return correct + ops.logsumexp(ops.concatenate([rubbish, -y_pred], axis=-1), axis=-1)


@register
class MapCriterion(keras.losses.Loss):
    """:func:`map_criterion` as a Keras loss, its constant j saved with the model."""

    def __init__(self, j: float = MAP_J, name: str = "map_criterion", **kwargs: Any) -> None:
        super().__init__(name=name, **kwargs)
        self.j = float(j)

    def call(self, y_true: Any, y_pred: Any) -> Any:
        return map_criterion(y_true, y_pred, self.j)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "j": self.j}


@keras.saving.register_keras_serializable(package=PACKAGE, name="lowest_penalty_accuracy")
def lowest_penalty_accuracy(y_true: Any, y_pred: Any) -> Any:
    """Accuracy when the lowest penalty wins (one-hot labels)."""
    return ops.cast(ops.equal(ops.argmin(y_pred, axis=-1), ops.argmax(y_true, axis=-1)), "float32")


def penalties_to_probabilities(penalties: np.ndarray) -> np.ndarray:
    """Return a softmax over −penalty, so an RBF model's guesses read like a softmax model's: (N, 10) -> (N, 10)."""
    shifted = -(penalties - penalties.min(axis=-1, keepdims=True))
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)
