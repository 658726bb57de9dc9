"""The calculator's basic data: how an axis goes through a window, the receptive field, a layer's parameter and
connection terms (connections as the 1998 paper counts them, see :mod:`~lenet_explain.calculator.arithmetic`), and
what one call of a layer gives. Imports nothing of the package: every other calculator module reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import prod
from typing import TypeAlias

Shape: TypeAlias = tuple[int, ...]  # without the batch axis, e.g. (28, 28, 6)
Pair: TypeAlias = tuple[int, int]
Padding: TypeAlias = str | int  # 'valid', 'same', 'causal' (1-D), or zero pixels on every side


@dataclass(frozen=True)
class AxisSize:
    """How one spatial axis goes through a convolution or a pooling window."""

    input: int
    kernel: int
    stride: int
    dilation: int
    effective_kernel: int
    mode: str  # 'valid', 'same', 'explicit' or 'causal'
    pad_before: int
    pad_after: int
    op: str
    ceil_mode: bool
    numerator: int  # input − effective kernel + total padding
    output: int
    dropped_last: bool  # ceil mode: a last window that would start past the input was dropped

    @property
    def pad(self) -> int:
        """Total padding of the axis (both sides)."""
        return self.pad_before + self.pad_after

    @property
    def exact(self) -> bool:
        """True when the stride divides the numerator, so no floor or ceil is needed."""
        return self.numerator % self.stride == 0


@dataclass(frozen=True)
class Field:
    """What flows from one layer to the next: the receptive field size and jump per spatial axis (a jump is a
    fraction after upsampling)."""

    size: tuple[int, ...] | None
    jump: tuple[int | Fraction, ...] | None


EVERYTHING = Field(None, None)  # every input pixel (after Flatten, global pooling, a dense layer on a vector)


def grow_field(field: Field, sizes: tuple[AxisSize, ...] | tuple[tuple[int, int], ...]) -> Field:
    """Receptive field after windows, given (effective kernel, stride) per axis: r += (ke − 1)·j, j *= stride
    (a size is rounded up once a jump is a fraction)."""
    if field.size is None or field.jump is None:
        return field
    pairs = [(a.effective_kernel, a.stride) if isinstance(a, AxisSize) else a for a in sizes]
    if len(pairs) != len(field.size):
        return EVERYTHING
    size = tuple(-(-(r + (ke - 1) * j) // 1) for r, j, (ke, _) in zip(field.size, field.jump, pairs, strict=True))
    jump = tuple(j * s for j, (_, s) in zip(field.jump, pairs, strict=True))
    return Field(tuple(int(v) for v in size), jump)


def shrink_jump(field: Field, factors: tuple[int | Fraction, ...]) -> Field:
    """Divide the jump by an upsampling factor per axis (fractions stay exact)."""
    if field.size is None or field.jump is None or len(factors) != len(field.jump):
        return EVERYTHING if field.size is not None and len(factors) != len(field.size) else field
    return Field(field.size, tuple(Fraction(j) / f for j, f in zip(field.jump, factors, strict=True)))


def merge_fields(fields: list[Field]) -> Field:
    """The largest receptive field of several inputs (the jump of the largest); "all" when any is."""
    if any(f.size is None or f.jump is None for f in fields) or len({len(f.size or ()) for f in fields}) != 1:
        return EVERYTHING
    best = max(fields, key=lambda f: prod(f.size or ()))
    size = tuple(max(values) for values in zip(*(f.size or () for f in fields), strict=True))
    return Field(size, best.jump)


@dataclass(frozen=True)
class ParamTerms:
    """The numbers of a layer's parameter formula; :func:`~lenet_explain.calculator.formatting.format_param_formula`
    writes them out by ``kind``:

    - 'none': ``0``; 'conv': ``inputs×(kernel)×outputs + bias`` (every convolution; depthwise: outputs is the
      depth multiplier), 'separable': the same ``+ pointwise[0]×pointwise[1]``; 'dense': ``inputs×outputs + bias``;
    - 'product': ``factors`` multiplied; 'statistics': ``2×inputs + 1`` (mean, variance, count); 'model': a nested
      model's ``outputs`` layers;
    - 'batchnorm': ``per_channel×inputs``; 'sparse_conv': ``(kernel)×(filters×maps + …) + bias`` over ``groups``;
      'subsampling': ``outputs + bias``; 'rbf': ``outputs×inputs`` (fixed).
    """

    kind: str
    inputs: int = 0  # input channels (conv), input units (dense), channels (batchnorm), features (statistics)
    kernel: tuple[int, ...] | None = None
    outputs: int = 0  # filters, units, depth multiplier, or a nested model's layers
    bias: int = 0  # bias parameters (0 without bias)
    per_channel: int = 0  # batchnorm: parameters per channel
    trainable_per_channel: int = 0
    groups: tuple[tuple[int, int], ...] = ()  # sparse conv: (filters, input maps each reads), in table order
    pointwise: tuple[int, int] = (0, 0)  # separable: (depthwise maps, filters)
    factors: tuple[int, ...] = ()  # kind 'product'


NO_PARAMS = ParamTerms("none")


@dataclass(frozen=True)
class ConnectionTerms:
    """How a layer's connections add up: ``Π positions × Σ units × (inputs + bias)`` over ``groups``."""

    positions: tuple[int, ...] = ()  # output positions that share the weights, e.g. (28, 28); () for one
    groups: tuple[tuple[int, int, int], ...] = ()  # (units at one position, inputs per unit, bias per unit)
    extra_links: int = 0  # links outside the product: a transposed convolution's biases, a shared layer's other calls

    @property
    def per_position(self) -> int:
        """Connections of the units at one position."""
        return sum(units * (inputs + bias) for units, inputs, bias in self.groups)

    @property
    def total(self) -> int:
        """Connections of the whole layer."""
        return prod(self.positions) * self.per_position + self.extra_links


NO_CONNECTIONS = ConnectionTerms()


@dataclass(frozen=True)
class Computed:
    """What one call of a layer gives: shape, weights, work, links, window sizes and the receptive field."""

    out: Shape
    field: Field
    trainable: int = 0
    fixed: int = 0
    macs: int = 0
    terms: ParamTerms = NO_PARAMS
    sizes: tuple[AxisSize, ...] | None = None  # per spatial axis, for windowed layers
    connections: ConnectionTerms = NO_CONNECTIONS
