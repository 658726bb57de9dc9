"""One description of a layer stack: frozen dataclasses named and shaped like Keras layers.

The calculator, the Keras builder, the tables and the figures all read these. Field names follow
Keras' constructor arguments, so a saved model's config maps onto them directly. Two additions
that Keras lacks are explicit integer padding (zero pixels per side, as in PyTorch) and pooling
``ceil_mode`` (PyTorch's rule).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TypeAlias

from lenet_explain.errors import LenetError

Pair: TypeAlias = tuple[int, int]
Padding: TypeAlias = str | int  # 'valid', 'same', or zero pixels on every side

ACTIVATIONS = frozenset(
    {
        "linear", "relu", "sigmoid", "tanh", "softmax", "log_softmax", "elu", "selu", "gelu",
        "softplus", "softsign", "swish", "silu", "exponential", "hard_sigmoid", "hard_silu",
        "hard_swish", "leaky_relu", "relu6", "mish", "celu", "glu", "sparse_plus", "squareplus",
        "tanh_shrink", "hard_tanh", "soft_shrink", "hard_shrink", "threshold", "sparsemax",
    }
)


def to_pair(value: int | tuple[int, ...] | list[int], what: str) -> Pair:
    """Return ``(height, width)`` from an int or a two-item sequence, rejecting anything else."""
    if isinstance(value, bool):
        raise LenetError(f"{what} must be an integer or two integers, got {value!r}")
    if isinstance(value, int):
        return (value, value)
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(
        isinstance(v, int) and not isinstance(v, bool) for v in value
    ):
        return (value[0], value[1])
    raise LenetError(f"{what} must be an integer or two integers, got {value!r}")


def check_activation(activation: object) -> None:
    """Reject an activation name that Keras does not know."""
    if activation is not None and activation not in ACTIVATIONS:
        raise LenetError(f"unknown activation {activation!r}")


def _positive(value: object) -> bool:
    """True for an int ≥ 1 (bool excluded)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _check_int(layer: Layer, what: str, value: object) -> None:
    """Reject a value that is not a positive integer."""
    if not _positive(value):
        raise LenetError(f"{layer.type}: {what} must be a positive integer, got {value!r}")


def _set_pair(layer: Layer, attr: str) -> None:
    """Normalise ``layer.attr`` to a (height, width) pair of positive integers."""
    pair = to_pair(getattr(layer, attr), f"{layer.type}: {attr}")
    if not all(_positive(v) for v in pair):
        raise LenetError(f"{layer.type}: {attr} must be positive, got {getattr(layer, attr)!r}")
    object.__setattr__(layer, attr, pair)


def _check_layer_padding(layer: Layer, padding: object) -> None:
    """Reject a padding that is not 'valid', 'same' or an integer ≥ 0."""
    if padding in ("valid", "same"):
        return
    if isinstance(padding, int) and not isinstance(padding, bool) and padding >= 0:
        return
    raise LenetError(f"{layer.type}: padding must be 'valid', 'same' or a number of pixels >= 0, got {padding!r}")


def _check_bool(layer: Layer, what: str, value: object) -> None:
    """Reject a flag that is not a bool."""
    if not isinstance(value, bool):
        raise LenetError(f"{layer.type}: {what} must be true or false, got {value!r}")


# Layers are frozen dataclasses whose __repr__, __eq__ and __hash__ are written once here rather than
# generated for every class: that keeps `import lenet_explain` (and so the CLI's cold start) quick.
@dataclass(frozen=True, repr=False, eq=False)
class Layer:
    """Base of every layer description; ``name`` is filled in by :class:`Stack` when left empty."""

    name: str = field(default="", kw_only=True)

    def _key(self) -> tuple[object, ...]:
        """Every field's value, name included, in declaration order."""
        return tuple(getattr(self, f.name) for f in fields(self))

    def __repr__(self) -> str:
        args = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self))
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash((type(self), self._key()))

    @property
    def type(self) -> str:
        """The Keras class name, e.g. ``"Conv2D"``."""
        return type(self).__name__


@dataclass(frozen=True, repr=False, eq=False)
class Input(Layer):
    """The input: ``(height, width, channels)`` for images, ``(steps, channels)`` for sequences,
    ``(depth, height, width, channels)`` for volumes, ``(features,)`` for vectors."""

    shape: tuple[int, ...]

    def __post_init__(self) -> None:
        shape = self.shape
        if not isinstance(shape, (tuple, list)) or not 1 <= len(shape) <= 4 or not all(_positive(v) for v in shape):
            raise LenetError(
                f"Input: shape must be (height, width, channels), (steps, channels), (depth, height, width, "
                f"channels) or (features,) of positive integers, got {shape!r}"
            )
        object.__setattr__(self, "shape", tuple(shape))


@dataclass(frozen=True, repr=False, eq=False)
class Conv2D(Layer):
    """A 2-D convolution; ``padding`` is 'valid', 'same' (Keras' rule) or zero pixels per side."""

    filters: int
    kernel_size: Pair
    strides: Pair = (1, 1)
    padding: Padding = "valid"
    dilation_rate: Pair = (1, 1)
    activation: str | None = None
    use_bias: bool = True
    groups: int = 1  # grouped convolution: each filter reads channels/groups input maps

    def __post_init__(self) -> None:
        _check_int(self, "filters", self.filters)
        _check_int(self, "groups", self.groups)
        for attr in ("kernel_size", "strides", "dilation_rate"):
            _set_pair(self, attr)
        _check_layer_padding(self, self.padding)
        check_activation(self.activation)
        _check_bool(self, "use_bias", self.use_bias)


@dataclass(frozen=True, repr=False, eq=False)
class _Pooling2D(Layer):
    """Shared fields of the two 2-D pooling layers; ``strides`` defaults to ``pool_size``."""

    pool_size: Pair = (2, 2)
    strides: Pair = None  # type: ignore[assignment]  # None becomes pool_size
    padding: Padding = "valid"
    ceil_mode: bool = False
    dilation_rate: Pair = (1, 1)

    def __post_init__(self) -> None:
        _set_pair(self, "pool_size")
        if self.strides is None:
            object.__setattr__(self, "strides", self.pool_size)  # Keras' default: windows side by side
        _set_pair(self, "strides")
        _set_pair(self, "dilation_rate")
        _check_layer_padding(self, self.padding)
        _check_bool(self, "ceil_mode", self.ceil_mode)


@dataclass(frozen=True, repr=False, eq=False)
class MaxPooling2D(_Pooling2D):
    """2-D max pooling."""


@dataclass(frozen=True, repr=False, eq=False)
class AveragePooling2D(_Pooling2D):
    """2-D average pooling (LeNet's subsampling)."""


@dataclass(frozen=True, repr=False, eq=False)
class ZeroPadding2D(Layer):
    """Zero rows and columns added around the image: ``((top, bottom), (left, right))``."""

    padding: tuple[Pair, Pair] = ((1, 1), (1, 1))

    def __post_init__(self) -> None:
        value: object = self.padding
        if isinstance(value, int) and not isinstance(value, bool):
            value = ((value, value), (value, value))
        elif isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(v, int) for v in value):
            value = ((value[0], value[0]), (value[1], value[1]))
        sides: list[object] = []
        if isinstance(value, (tuple, list)) and len(value) == 2:
            for pair in value:
                if isinstance(pair, (tuple, list)) and len(pair) == 2:
                    sides += list(pair)
        if len(sides) != 4 or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in sides):
            raise LenetError(
                f"ZeroPadding2D: padding must be P, (H, W) or ((top, bottom), (left, right)) of integers >= 0, "
                f"got {self.padding!r}"
            )
        top, bottom, left, right = (int(v) for v in sides)  # type: ignore[call-overload]
        object.__setattr__(self, "padding", ((top, bottom), (left, right)))


@dataclass(frozen=True, repr=False, eq=False)
class Flatten(Layer):
    """Flattens everything but the batch axis into one vector."""


@dataclass(frozen=True, repr=False, eq=False)
class Dense(Layer):
    """A fully connected layer on the last axis."""

    units: int
    activation: str | None = None
    use_bias: bool = True

    def __post_init__(self) -> None:
        _check_int(self, "units", self.units)
        check_activation(self.activation)
        _check_bool(self, "use_bias", self.use_bias)


@dataclass(frozen=True, repr=False, eq=False)
class Dropout(Layer):
    """Drops a fraction ``rate`` of the units while training; no parameters."""

    rate: float = 0.5

    def __post_init__(self) -> None:
        rate = self.rate
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
            raise LenetError(f"Dropout: rate must be a number from 0 up to (not including) 1, got {rate!r}")


@dataclass(frozen=True, repr=False, eq=False)
class Activation(Layer):
    """Applies an activation function on its own."""

    activation: str = "relu"

    def __post_init__(self) -> None:
        if self.activation is None:
            raise LenetError("Activation: activation must be named")
        check_activation(self.activation)


@dataclass(frozen=True, repr=False, eq=False)
class BatchNormalization(Layer):
    """Normalises the last axis: gamma and beta trainable, moving mean and variance not."""

    center: bool = True
    scale: bool = True

    def __post_init__(self) -> None:
        _check_bool(self, "center", self.center)
        _check_bool(self, "scale", self.scale)


@dataclass(frozen=True, repr=False, eq=False)
class GlobalAveragePooling2D(Layer):
    """Mean over the whole image, one value per channel (a 1×1 image with ``keepdims``)."""

    keepdims: bool = False

    def __post_init__(self) -> None:
        _check_bool(self, "keepdims", self.keepdims)


@dataclass(frozen=True, repr=False, eq=False)
class GlobalMaxPooling2D(Layer):
    """Maximum over the whole image, one value per channel (a 1×1 image with ``keepdims``)."""

    keepdims: bool = False

    def __post_init__(self) -> None:
        _check_bool(self, "keepdims", self.keepdims)


LAYER_TYPES: dict[str, type[Layer]] = {
    cls.__name__: cls
    for cls in (
        Input, Conv2D, MaxPooling2D, AveragePooling2D, ZeroPadding2D, Flatten, Dense, Dropout,
        Activation, BatchNormalization, GlobalAveragePooling2D, GlobalMaxPooling2D,
    )
}

_KERAS_BASE_NAMES = {
    "Conv2D": "conv2d",
    "MaxPooling2D": "max_pooling2d",
    "AveragePooling2D": "average_pooling2d",
    "ZeroPadding2D": "zero_padding2d",
    "Flatten": "flatten",
    "Dense": "dense",
    "Dropout": "dropout",
    "Activation": "activation",
    "BatchNormalization": "batch_normalization",
    "GlobalAveragePooling2D": "global_average_pooling2d",
    "GlobalMaxPooling2D": "global_max_pooling2d",
}


# The LeNet-5 of 1998 (LeCun, Bottou, Bengio and Haffner, section II.B and appendix A) needs three layers Keras
# lacks and one activation: a convolution with a connection table, trainable subsampling, Euclidean RBF units,
# and the scaled tanh f(a) = A·tanh(S·a). Their Keras twins live in lenet_explain.models.lenet1998_layers.
SCALED_TANH = "scaled_tanh"
SCALED_TANH_A = 1.7159  # chosen in the paper so that f(1) = 1 and f(−1) = −1
SCALED_TANH_S = 2 / 3
ACTIVATIONS = ACTIVATIONS | {SCALED_TANH}


def _check_table(layer: SparseConv2D) -> None:
    """Normalise the connection table to sorted tuples; reject empty rows, repeats and negative maps."""
    table = layer.connections
    if not isinstance(table, (tuple, list)) or len(table) != layer.filters:
        raise LenetError(f"{layer.type}: connections must list the input maps of each of the {layer.filters} "
                         f"filters, got {table!r}")
    rows = []
    for number, row in enumerate(table):
        maps = row if isinstance(row, (tuple, list)) else ()
        if not maps or not all(isinstance(m, int) and not isinstance(m, bool) and m >= 0 for m in maps):
            raise LenetError(f"{layer.type}: connections[{number}] must be input map numbers >= 0, got {row!r}")
        if len(set(maps)) != len(maps):
            raise LenetError(f"{layer.type}: connections[{number}] names a map twice: {row!r}")
        rows.append(tuple(sorted(maps)))
    object.__setattr__(layer, "connections", tuple(rows))


@dataclass(frozen=True, repr=False, eq=False)
class SparseConv2D(Layer):
    """A 'valid', stride-1 convolution whose filter ``i`` reads only the input maps in ``connections[i]``."""

    filters: int
    kernel_size: Pair
    connections: tuple[tuple[int, ...], ...]
    activation: str | None = None
    use_bias: bool = True

    def __post_init__(self) -> None:
        _check_int(self, "filters", self.filters)
        _set_pair(self, "kernel_size")
        _check_table(self)
        check_activation(self.activation)
        _check_bool(self, "use_bias", self.use_bias)


@dataclass(frozen=True, repr=False, eq=False)
class Subsampling2D(Layer):
    """LeNet's trainable subsampling: a window's sum times one coefficient per map, plus one bias per map."""

    pool_size: Pair = (2, 2)
    strides: Pair = None  # type: ignore[assignment]  # None becomes pool_size
    activation: str | None = None

    def __post_init__(self) -> None:
        _set_pair(self, "pool_size")
        if self.strides is None:
            object.__setattr__(self, "strides", self.pool_size)
        _set_pair(self, "strides")
        check_activation(self.activation)


def _check_prototypes(layer: EuclideanRBF) -> None:
    """Reject prototypes that are not bitmaps of one size drawn with ``#`` (ink) and ``.`` (paper)."""
    from lenet_explain.calculator.bitmaps import INK, PAPER

    value = layer.prototypes
    bitmaps = value if isinstance(value, (tuple, list)) else ()
    sizes: set[tuple[int, ...] | None] = set()
    for bitmap in bitmaps:
        rows = bitmap if isinstance(bitmap, (tuple, list)) else ()
        if not rows or not all(isinstance(r, str) and r and set(r) <= {INK, PAPER} for r in rows):
            sizes.add(None)
        else:
            sizes.add((len(rows), *(len(r) for r in rows)))
    shape = next(iter(sizes)) if len(sizes) == 1 else None
    if not bitmaps or shape is None or len(set(shape[1:])) != 1:
        raise LenetError(f"{layer.type}: prototypes must be bitmaps of one size, each a list of equally long rows "
                         f"of '{INK}' (ink, +1) and '{PAPER}' (paper, −1)")
    object.__setattr__(layer, "prototypes", tuple(tuple(rows) for rows in bitmaps))


def _digit_bitmaps() -> tuple[tuple[str, ...], ...]:
    """The ten 7×12 digit bitmaps (the default prototypes)."""
    from lenet_explain.calculator.bitmaps import DIGIT_BITMAPS

    return DIGIT_BITMAPS


@dataclass(frozen=True, repr=False, eq=False)
class EuclideanRBF(Layer):
    """Euclidean RBF units, y_i = Σ_j (x_j − w_ij)², one per prototype bitmap; the weights w are fixed ±1."""

    prototypes: tuple[tuple[str, ...], ...] = field(default_factory=_digit_bitmaps)

    def __post_init__(self) -> None:
        _check_prototypes(self)

    @property
    def units(self) -> int:
        """One unit per prototype."""
        return len(self.prototypes)

    @property
    def inputs(self) -> int:
        """The number of pixels of each prototype, which must be the number of inputs."""
        return sum(len(row) for row in self.prototypes[0])


LAYER_TYPES.update({cls.__name__: cls for cls in (SparseConv2D, Subsampling2D, EuclideanRBF)})
_KERAS_BASE_NAMES.update(
    {"SparseConv2D": "sparse_conv2d", "Subsampling2D": "subsampling2d", "EuclideanRBF": "euclidean_rbf"}
)


def keras_base_name(layer_type: str) -> str:
    """Return the name Keras gives the first unnamed layer of a class: ``Conv2DTranspose`` → ``conv2d_transpose``."""
    if layer_type in _KERAS_BASE_NAMES:
        return _KERAS_BASE_NAMES[layer_type]
    import re

    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", layer_type)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def layer_fields(layer: Layer) -> dict[str, object]:
    """Return a layer's arguments as a dict (without ``name``), in declaration order."""
    return {f.name: getattr(layer, f.name) for f in fields(layer) if f.name != "name"}


Call: TypeAlias = tuple[str, ...]  # the names one call of a layer reads: layers, or the input ("name#k": k-th call)


@dataclass(frozen=True)
class Stack:
    """A named input plus an ordered tuple of layers; unnamed layers get Keras-style names.

    ``inbound`` makes it a graph: for each layer, its calls, each the names of the layers (or the input) it reads,
    all named before it; a layer called more than once is shared (its weights counted once) and ``name#1`` is the
    output of its second call. Empty, each layer reads the one before it (a plain chain).
    """

    name: str
    input: Input
    layers: tuple[Layer, ...]
    inbound: tuple[tuple[Call, ...], ...] = ()

    def __post_init__(self) -> None:
        counts: dict[str, int] = {}
        named: list[Layer] = []
        for layer in self.layers:
            if isinstance(layer, Input):
                raise LenetError("an Input layer may only come first in a stack")
            if layer.name:
                named.append(layer)
                continue
            base = keras_base_name(layer.type)
            n = counts.get(base, 0)
            counts[base] = n + 1
            named.append(_renamed(layer, base if n == 0 else f"{base}_{n}"))
        seen: set[str] = set()
        for layer in named:
            if layer.name in seen or (self.inbound and layer.name == self.input_name):
                raise LenetError(f"two layers are named {layer.name!r}")
            seen.add(layer.name)
        object.__setattr__(self, "layers", tuple(named))
        if self.inbound:
            object.__setattr__(self, "inbound", _checked_inbound(self))

    @property
    def input_name(self) -> str:
        """The name layers use to read the input."""
        return self.input.name or "input"

    @property
    def is_graph(self) -> bool:
        """True when some layer does not simply read the one before it."""
        return bool(self.inbound)

    def calls(self) -> tuple[tuple[Call, ...], ...]:
        """Return every layer's calls (a plain chain: each reads the one before it)."""
        if self.inbound:
            return self.inbound
        names = [self.input_name, *(layer.name for layer in self.layers)]
        return tuple(((names[i],),) for i in range(len(self.layers)))


def _checked_inbound(stack: Stack) -> tuple[tuple[Call, ...], ...]:
    """Return ``stack.inbound`` as tuples, or explain which layer reads what is not there (yet)."""
    inbound = stack.inbound
    if not isinstance(inbound, (tuple, list)) or len(inbound) != len(stack.layers):
        raise LenetError("inbound must list the calls of every layer")
    outputs = {stack.input_name}
    result = []
    for layer, calls in zip(stack.layers, inbound, strict=True):
        if not isinstance(calls, (tuple, list)) or not calls:
            raise LenetError(f"layer {layer.name!r}: inbound must list what it reads")
        checked = []
        for call in calls:
            if not isinstance(call, (tuple, list)) or not call or not all(isinstance(ref, str) for ref in call):
                raise LenetError(f"layer {layer.name!r}: inbound must be names of layers, got {call!r}")
            for ref in call:
                if ref not in outputs:
                    raise LenetError(f"layer {layer.name!r} reads {ref!r}, which is not the input or a layer "
                                     f"before it")
            checked.append(tuple(call))
        for k in range(len(checked)):
            outputs.add(layer.name if k == 0 else f"{layer.name}#{k}")
        result.append(tuple(checked))
    return tuple(result)


def _renamed(layer: Layer, name: str) -> Layer:
    """Return a copy of ``layer`` with another name."""
    return type(layer)(**layer_fields(layer), name=name)

BASE_LAYER_TYPES = tuple(LAYER_TYPES)  # the lecture's and the 1998 network's, named in a stack file's errors


def all_layer_types() -> dict[str, type[Layer]]:
    """Every layer type the calculator knows: the lecture's and the 1998 network's, then the rest of Keras'
    (:mod:`keras_layers`, imported on first use so that the built-in stacks start quickly)."""
    if "Conv1D" not in LAYER_TYPES:
        from lenet_explain.calculator.keras_layers import KERAS_LAYER_TYPES, TensorOp

        LAYER_TYPES.update({cls.__name__: cls for cls in (*KERAS_LAYER_TYPES, TensorOp)})
    return LAYER_TYPES


def find_layer_type(name: str) -> type[Layer] | None:
    """Return the description class of a Keras layer class name, or None."""
    return LAYER_TYPES.get(name) or all_layer_types().get(name)
