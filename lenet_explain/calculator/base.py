"""The base of every layer description: a frozen dataclass named and shaped like a Keras layer, its fields checked
by kind, and the activations Keras knows.

Field names follow Keras' constructor arguments, so a saved model's config maps onto them directly. A class states
its checks once in ``_checks`` (field → kind); the common ``__post_init__`` normalises and checks them, so a bad value
is a one-line error naming the layer. Each layer family (``convolutional``, ``pooling``, …) adds its arithmetic as
:meth:`Layer.compute`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from lenet_explain.calculator.basics import Computed, Field, Pair, Shape
from lenet_explain.errors import LenetError

# Keras' activations, in the order the calculator page lists them.
KERAS_ACTIVATIONS = (
    "linear", "relu", "sigmoid", "tanh", "softmax", "log_softmax", "elu", "selu", "gelu",
    "softplus", "softsign", "swish", "silu", "exponential", "hard_sigmoid", "hard_silu",
    "hard_swish", "leaky_relu", "relu6", "mish", "celu", "glu", "sparse_plus", "squareplus",
    "tanh_shrink", "hard_tanh", "soft_shrink", "hard_shrink", "threshold", "sparsemax",
)
ACTIVATIONS = frozenset(KERAS_ACTIVATIONS)

# The LeNet-5 of 1998 (LeCun, Bottou, Bengio and Haffner, section II.B and appendix A) adds one activation, the
# scaled tanh f(a) = A·tanh(S·a); its Keras twin lives in lenet_explain.models.lenet1998_layers.
SCALED_TANH = "scaled_tanh"
SCALED_TANH_A = 1.7159  # chosen in the paper so that f(1) = 1 and f(−1) = −1
SCALED_TANH_S = 2 / 3
ACTIVATIONS = ACTIVATIONS | {SCALED_TANH}


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
    if activation is not None and not (isinstance(activation, str) and activation in ACTIVATIONS):
        raise LenetError(f"unknown activation {activation!r}")


def is_int(value: object) -> bool:
    """True for an int that is not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_positive(value: object) -> bool:
    """True for an int ≥ 1 (bool excluded)."""
    return is_int(value) and value >= 1  # type: ignore[operator]


def is_number(value: object) -> bool:
    """True for an int or a float that is not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# Layers are frozen dataclasses whose __repr__, __eq__ and __hash__ are written once here rather than
# generated for every class: that keeps `import lenet_explain` (and so the CLI's cold start) quick. For the same
# reason a layer that adds no field (Conv1D over _Conv) is a plain subclass, not a dataclass of its own.
@dataclass(frozen=True, repr=False, eq=False)
class Layer:
    """Base of every layer description; ``name`` is filled in by :class:`Stack` when left empty."""

    rank: ClassVar[int] = 2  # spatial axes of the input it reads (1: steps, 2: an image, 3: a volume)
    _checks: ClassVar[tuple[tuple[str, str], ...]] = ()  # (field, kind) checked in order, see check_field
    name: str = field(default="", kw_only=True)

    def __post_init__(self) -> None:
        for attr, kind in self._checks:
            check_field(self, attr, kind)

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

    def compute(self, shape: Shape, field: Field) -> Computed:
        """Return one call of the layer on an input of ``shape`` with the receptive field so far."""
        raise LenetError(f"{self.name}: unsupported layer type {self.type}")

    def compute_call(self, shapes: list[Shape], fields: list[Field]) -> Computed:
        """Return one call on its inputs (a merge reads several; any other layer one)."""
        if len(shapes) != 1:
            raise LenetError(f"{self.name}: {self.type} reads one input, got {len(shapes)}")
        return self.compute(shapes[0], fields[0])


class SameShape(Layer):
    """A layer that keeps its input's shape and receptive field and has no weights (activations, dropout, noise,
    random augmentations)."""

    def compute(self, shape: Shape, field: Field) -> Computed:
        """The input's shape and field."""
        return Computed(out=shape, field=field)


def _ints(layer: Layer, attr: str, value: object, rank: int, least: int) -> tuple[int, ...]:
    """Return ``value`` (an int, or ``rank`` ints) as ``rank`` ints ≥ ``least``."""
    items = (value,) * rank if is_int(value) else value
    if not isinstance(items, (tuple, list)) or len(items) != rank or not all(
            is_int(v) and v >= least for v in items):
        what = "positive" if least else ">= 0"
        raise LenetError(f"{layer.type}: {attr} must be an integer or {rank} integers, {what}, got {value!r}")
    return tuple(items)


def _pair(layer: Layer, attr: str, value: object) -> Pair:
    """Return a (height, width) pair of positive integers (the lecture's layers' own message)."""
    pair = to_pair(value, f"{layer.type}: {attr}")  # type: ignore[arg-type]
    if not all(is_positive(v) for v in pair):
        raise LenetError(f"{layer.type}: {attr} must be positive, got {value!r}")
    return pair


def _sides(layer: Layer, attr: str, value: object, rank: int) -> tuple[tuple[int, int], ...]:
    """Return cropping or padding as ``rank`` (before, after) pairs of ints ≥ 0 (from P, (P, …) or ((a, b), …))."""
    if is_int(value):
        value = (value,) * rank
    pairs: list[tuple[int, int]] = []
    if isinstance(value, (tuple, list)) and len(value) == rank:
        for item in value:
            pair = (item, item) if is_int(item) else item
            if isinstance(pair, (tuple, list)) and len(pair) == 2 and all(is_int(v) and v >= 0 for v in pair):
                pairs.append((pair[0], pair[1]))
    elif rank == 1 and isinstance(value, (tuple, list)) and len(value) == 2 and all(
            is_int(v) and v >= 0 for v in value):
        pairs.append((value[0], value[1]))
    if len(pairs) != rank:
        raise LenetError(f"{layer.type}: {attr} must be P, {rank} values or {rank} (before, after) pairs of "
                         f"integers >= 0, got {value!r}")
    return tuple(pairs)


def check_field(layer: Layer, attr: str, kind: str) -> None:
    """Check (and normalise) one field of ``layer`` according to ``kind``."""
    value = getattr(layer, attr)
    bad = f"{layer.type}: {attr} must be"
    new: Any = value
    rank = layer.rank
    if kind == "positive":
        if not is_positive(value):
            raise LenetError(f"{bad} a positive integer, got {value!r}")
    elif kind == "pair":
        new = _pair(layer, attr, value)
    elif kind == "pool_strides":  # None: the pool size (Keras' default: windows side by side)
        new = _pair(layer, attr, getattr(layer, "pool_size") if value is None else value)  # noqa: B009
    elif kind == "window":
        new = _ints(layer, attr, value, rank, 1)
    elif kind in ("ones", "twos"):
        new = _ints(layer, attr, (1 if kind == "ones" else 2) if value is None else value, rank, 1)
    elif kind == "window_or_none":
        new = None if value is None else _ints(layer, attr, value, rank, 1)
    elif kind == "pad_or_none":
        new = None if value is None else _ints(layer, attr, value, rank, 0)
    elif kind == "padding":
        allowed = ("valid", "same", "causal") if rank == 1 else ("valid", "same")
        if value not in allowed:
            raise LenetError(f"{bad} one of {', '.join(allowed)}, got {value!r}")
    elif kind == "pixels":  # 'valid', 'same' or zero pixels per side (PyTorch's explicit padding)
        if value not in ("valid", "same") and not (is_int(value) and value >= 0):
            raise LenetError(f"{bad} 'valid', 'same' or a number of pixels >= 0, got {value!r}")
    elif kind == "activation":
        check_activation(value)
    elif kind == "named_activation":
        if value is None:
            raise LenetError(f"{layer.type}: {attr} must be named")
        check_activation(value)
    elif kind == "bool":
        if not isinstance(value, bool):
            raise LenetError(f"{bad} true or false, got {value!r}")
    elif kind == "rate":
        if not is_number(value) or not 0 <= value < 1:
            raise LenetError(f"{bad} a number from 0 up to (not including) 1, got {value!r}")
    elif kind == "number":
        if not is_number(value):
            raise LenetError(f"{bad} a number, got {value!r}")
    elif kind == "number_or_none":
        if value is not None and not is_number(value):
            raise LenetError(f"{bad} a number or null, got {value!r}")
    elif kind == "factor":
        if not (is_number(value) or (isinstance(value, (tuple, list)) and 1 <= len(value) <= 2
                and all(is_number(v) for v in value))):
            raise LenetError(f"{bad} a number or two numbers, got {value!r}")
    elif kind == "numbers_or_none":
        if value is not None and not is_number(value) and not (
                isinstance(value, (tuple, list)) and all(is_number(v) for v in value)):
            raise LenetError(f"{bad} a number, a list of numbers or null, got {value!r}")
    elif kind == "axis":
        if not (is_int(value) or (isinstance(value, (tuple, list)) and value and all(is_int(v) for v in value))):
            raise LenetError(f"{bad} an axis or a list of axes, got {value!r}")
        new = (value,) if is_int(value) else tuple(value)
    elif kind == "axes_or_none":
        if value is not None and not (isinstance(value, (tuple, list)) and value and all(
                is_int(v) and v >= 1 for v in value)):
            raise LenetError(f"{bad} a list of axes (1 or more) or null, got {value!r}")
        new = None if value is None else tuple(value)
    elif kind == "int_axis":
        if not is_int(value) or value == 0:
            raise LenetError(f"{bad} an axis (a non-zero integer), got {value!r}")
    elif kind == "sides":
        new = _sides(layer, attr, value, rank)
    elif kind == "text":
        if not isinstance(value, str):
            raise LenetError(f"{bad} text, got {value!r}")
    else:  # pragma: no cover - a programming error
        raise AssertionError(kind)
    object.__setattr__(layer, attr, new)
