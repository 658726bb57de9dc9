"""Merging layers and their arithmetic: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot, and
element-wise operations written on tensors (``x + 3.0``). A merge reads several inputs; its receptive field is the
largest of theirs. No weights; only Dot counts MACs (the products it sums)."""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import ClassVar

from lenet_explain.calculator.base import Layer, is_number
from lenet_explain.calculator.basics import EVERYTHING, Computed, Field, Shape, merge_fields
from lenet_explain.calculator.windows import axis_index
from lenet_explain.errors import LenetError


def broadcast_shapes(layer: Layer, shapes: list[Shape]) -> Shape:
    """Return the element-wise result shape of ``shapes`` (a size 1 stretches), or explain the clash."""
    rank = max(len(s) for s in shapes)
    out = []
    for i in range(rank):
        sizes = {s[i - rank + len(s)] for s in shapes if i - rank + len(s) >= 0} - {1}
        if len(sizes) > 1:
            raise LenetError(f"{layer.name}: {layer.type} cannot combine shapes {', '.join(map(str, shapes))}")
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)


@dataclass(frozen=True, repr=False, eq=False)
class _Merge(Layer):
    """A layer that combines at least two inputs (``exactly_two``: two) element-wise."""

    exactly_two: ClassVar[bool] = False

    def compute_call(self, shapes: list[Shape], fields: list[Field]) -> Computed:
        """Check the number of inputs, then merge them."""
        if len(shapes) < 2 or (self.exactly_two and len(shapes) != 2):
            needed = "exactly 2" if self.exactly_two else "at least 2"
            raise LenetError(f"{self.name}: {self.type} needs {needed} inputs, got {len(shapes)}")
        return self.merge(shapes, merge_fields(fields))

    def merge(self, shapes: list[Shape], field: Field) -> Computed:
        """The broadcast shape of the inputs."""
        return Computed(out=broadcast_shapes(self, shapes), field=field)


class Add(_Merge):
    """Element-wise sum of its inputs (shapes broadcast)."""


class Subtract(_Merge):
    """The first input minus the second."""

    exactly_two = True


class Multiply(_Merge):
    """Element-wise product of its inputs (squeeze-and-excitation's gate)."""


class Average(_Merge):
    """Element-wise mean of its inputs."""


class Maximum(_Merge):
    """Element-wise maximum of its inputs."""


class Minimum(_Merge):
    """Element-wise minimum of its inputs."""


@dataclass(frozen=True, repr=False, eq=False)
class Concatenate(_Merge):
    """Joins its inputs along ``axis`` (the channels by default)."""

    _checks = (("axis", "int_axis"),)
    axis: int = -1

    def merge(self, shapes: list[Shape], field: Field) -> Computed:
        """The inputs' sizes on ``axis`` added; every other axis must agree."""
        axis = axis_index(self, self.axis, shapes[0])
        rest = {s[:axis] + s[axis + 1:] for s in shapes}
        if len({len(s) for s in shapes}) != 1 or len(rest) != 1:
            raise LenetError(f"{self.name}: Concatenate needs shapes equal but on axis {self.axis}, got "
                             f"{', '.join(map(str, shapes))}")
        out = list(shapes[0])
        out[axis] = sum(s[axis] for s in shapes)
        return Computed(out=tuple(out), field=field)


@dataclass(frozen=True, repr=False, eq=False)
class Dot(_Merge):
    """Dot products of two inputs along ``axes`` (cosine similarity with ``normalize``)."""

    exactly_two = True
    _checks = (("axes", "axis"), ("normalize", "bool"))
    axes: tuple[int, ...]
    normalize: bool = False

    def merge(self, shapes: list[Shape], field: Field) -> Computed:
        """Contract one axis of each input; MACs are the products summed."""
        axes = self.axes if len(self.axes) == 2 else self.axes * 2
        first, second = shapes
        i, j = axis_index(self, axes[0], first), axis_index(self, axes[1], second)
        if first[i] != second[j] or len(first) != len(second) or len(first) > 2:
            raise LenetError(f"{self.name}: Dot cannot contract {first} (axis {axes[0]}) with {second} "
                             f"(axis {axes[1]})")
        out = tuple(n for k, n in enumerate(first) if k != i) + tuple(n for k, n in enumerate(second) if k != j)
        out = out or (1,)
        return Computed(out=out, field=EVERYTHING, macs=prod(out) * first[i])


# Element-wise operations written on tensors (``x + 3.0``, ``x * y``): Keras saves them as operations of
# ``keras.src.ops.numpy``; the keys are their class names, the values the ``keras.ops`` functions.
TENSOR_OPS = {
    "Add": "add", "Subtract": "subtract", "Multiply": "multiply", "Divide": "divide", "TrueDivide": "true_divide",
    "Maximum": "maximum", "Minimum": "minimum", "Power": "power", "Negative": "negative", "Absolute": "absolute",
    "Abs": "abs", "Square": "square", "Sqrt": "sqrt", "Exp": "exp", "Log": "log", "Tanh": "tanh",
}


@dataclass(frozen=True, repr=False, eq=False)
class TensorOp(Layer):
    """An element-wise operation on tensors (``op``, a TENSOR_OPS key); ``operands`` holds its constants in
    order, None where a tensor goes. No weights."""

    op: str
    operands: tuple[float | None, ...] = (None, None)

    def __post_init__(self) -> None:
        if not (isinstance(self.op, str) and self.op in TENSOR_OPS):
            raise LenetError(f"TensorOp: op must be one of {', '.join(TENSOR_OPS)}, got {self.op!r}")
        operands = self.operands
        if not isinstance(operands, (tuple, list)) or not operands or not all(
                v is None or is_number(v) for v in operands):
            raise LenetError(f"TensorOp: operands must be numbers or null (a tensor), got {operands!r}")
        object.__setattr__(self, "operands", tuple(operands))

    @property
    def type(self) -> str:
        """Keras names the operation by its class, e.g. ``Add``."""
        return self.op

    def compute_call(self, shapes: list[Shape], fields: list[Field]) -> Computed:
        """One tensor per None operand; the result broadcasts them."""
        wanted = sum(1 for v in self.operands if v is None)
        if len(shapes) != wanted:
            raise LenetError(f"{self.name}: {self.type} takes {wanted} tensors, got {len(shapes)}")
        return Computed(out=broadcast_shapes(self, shapes), field=merge_fields(fields))

