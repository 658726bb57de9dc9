"""Activation layers and their arithmetic: Activation, ReLU, LeakyReLU, ELU, Softmax and PReLU. Shape kept;
only PReLU has weights (a learned slope per value, shared along ``shared_axes``)."""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from lenet_explain.calculator.base import Layer, SameShape
from lenet_explain.calculator.basics import Computed, ConnectionTerms, Field, ParamTerms, Shape
from lenet_explain.calculator.windows import axis_index


@dataclass(frozen=True, repr=False, eq=False)
class Activation(SameShape):
    """Applies an activation function on its own."""

    _checks = (("activation", "named_activation"),)
    activation: str = "relu"


@dataclass(frozen=True, repr=False, eq=False)
class ReLU(SameShape):
    """The rectifier as a layer: max(x, 0), optionally capped (``max_value``) and leaky."""

    _checks = (("max_value", "number_or_none"), ("negative_slope", "number"), ("threshold", "number"))
    max_value: float | None = None
    negative_slope: float = 0.0
    threshold: float = 0.0


@dataclass(frozen=True, repr=False, eq=False)
class LeakyReLU(SameShape):
    """x for x > 0, else ``negative_slope``·x."""

    _checks = (("negative_slope", "number"),)
    negative_slope: float = 0.3


@dataclass(frozen=True, repr=False, eq=False)
class ELU(SameShape):
    """x for x > 0, else ``alpha``·(eˣ − 1)."""

    _checks = (("alpha", "number"),)
    alpha: float = 1.0


@dataclass(frozen=True, repr=False, eq=False)
class Softmax(SameShape):
    """Softmax along ``axis``."""

    _checks = (("axis", "int_axis"),)
    axis: int = -1

    def compute(self, shape: Shape, field: Field) -> Computed:
        """Shape kept; the axis must exist."""
        axis_index(self, self.axis, shape)
        return Computed(out=shape, field=field)


@dataclass(frozen=True, repr=False, eq=False)
class PReLU(Layer):
    """A leaky rectifier whose slope is learned, one per value unless ``shared_axes`` share it."""

    _checks = (("shared_axes", "axes_or_none"),)
    shared_axes: tuple[int, ...] | None = None

    def compute(self, shape: Shape, field: Field) -> Computed:
        """One slope per value, size 1 along the shared axes."""
        shared = {axis_index(self, axis, shape) for axis in self.shared_axes or ()}
        alpha = tuple(1 if i in shared else n for i, n in enumerate(shape))
        return Computed(out=shape, field=field, trainable=prod(alpha), terms=ParamTerms("product", factors=alpha),
                        connections=ConnectionTerms((), ((prod(shape), 1, 0),)))
