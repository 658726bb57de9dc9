"""Reshaping layers and their arithmetic: zero padding, cropping, upsampling, Flatten, Reshape, Permute and
RepeatVector. No weights, no MACs; upsampling divides the receptive field's jump, and a layer that mixes the
positions (Flatten, a reshape that changes the shape) makes the field the whole input."""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import ClassVar

from lenet_explain.calculator.base import Layer, is_int
from lenet_explain.calculator.basics import EVERYTHING, Computed, Field, Pair, Shape, shrink_jump
from lenet_explain.calculator.windows import split_channels
from lenet_explain.errors import LenetError


def _crop_or_pad(layer: ZeroPadding2D | _ZeroPadding | _Cropping, shape: Shape, field: Field) -> Computed:
    """Cropping1D/2D/3D and ZeroPadding1D/2D/3D: (before, after) taken off or added on every axis."""
    spatial, channels = split_channels(layer, shape, layer.rank)
    cropping = isinstance(layer, _Cropping)
    sides = layer.cropping if isinstance(layer, _Cropping) else layer.padding
    sign = -1 if cropping else 1
    out = tuple(n + sign * (a + b) for n, (a, b) in zip(spatial, sides, strict=True))
    if min(out) < 1:
        raise LenetError(f"{layer.name}: cropping {sides} leaves nothing of an input of {spatial}")
    return Computed(out=(*out, channels), field=field)


@dataclass(frozen=True, repr=False, eq=False)
class ZeroPadding2D(Layer):
    """Zero rows and columns added around the image: ``((top, bottom), (left, right))``."""

    padding: tuple[Pair, Pair] = ((1, 1), (1, 1))

    def __post_init__(self) -> None:
        value: object = self.padding
        if is_int(value):
            value = ((value, value), (value, value))
        elif isinstance(value, (tuple, list)) and len(value) == 2 and all(isinstance(v, int) for v in value):
            value = ((value[0], value[0]), (value[1], value[1]))
        sides: list[object] = []
        if isinstance(value, (tuple, list)) and len(value) == 2:
            for pair in value:
                if isinstance(pair, (tuple, list)) and len(pair) == 2:
                    sides += list(pair)
        if len(sides) != 4 or not all(is_int(v) and v >= 0 for v in sides):  # type: ignore[operator]
            raise LenetError(
                f"ZeroPadding2D: padding must be P, (H, W) or ((top, bottom), (left, right)) of integers >= 0, "
                f"got {self.padding!r}"
            )
        top, bottom, left, right = (int(v) for v in sides)  # type: ignore[call-overload]
        object.__setattr__(self, "padding", ((top, bottom), (left, right)))

    compute = _crop_or_pad


@dataclass(frozen=True, repr=False, eq=False)
class _Cropping(Layer):
    """Cropping's field: (before, after) taken off each spatial axis."""

    _checks = (("cropping", "sides"),)
    cropping: tuple[tuple[int, int], ...] = ((0, 0), (0, 0))

    compute = _crop_or_pad


class Cropping2D(_Cropping):
    """Drops rows and columns at the edges: ``((top, bottom), (left, right))``."""


@dataclass(frozen=True, repr=False, eq=False)
class Cropping1D(_Cropping):
    """Drops steps at the start and the end: ``(before, after)``."""

    rank: ClassVar[int] = 1
    cropping: tuple[tuple[int, int], ...] = ((1, 1),)


@dataclass(frozen=True, repr=False, eq=False)
class Cropping3D(_Cropping):
    """Drops planes at the edges of a volume, per axis (before, after)."""

    rank: ClassVar[int] = 3
    cropping: tuple[tuple[int, int], ...] = ((1, 1), (1, 1), (1, 1))


@dataclass(frozen=True, repr=False, eq=False)
class _ZeroPadding(Layer):
    """Zero padding's field for 1 and 3 axes: (before, after) added on each spatial axis."""

    _checks = (("padding", "sides"),)
    padding: tuple[tuple[int, int], ...] = ((1, 1),)

    compute = _crop_or_pad


class ZeroPadding1D(_ZeroPadding):
    """Zero steps added at the start and the end: ``(before, after)``."""

    rank: ClassVar[int] = 1


@dataclass(frozen=True, repr=False, eq=False)
class ZeroPadding3D(_ZeroPadding):
    """Zero planes added around a volume, per axis (before, after)."""

    rank: ClassVar[int] = 3
    padding: tuple[tuple[int, int], ...] = ((1, 1), (1, 1), (1, 1))


class _UpSampling(Layer):
    """Repeats each position ``size`` times along every axis; the jump shrinks by ``size``."""

    def compute(self, shape: Shape, field: Field) -> Computed:
        """Every spatial size times its factor."""
        spatial, channels = split_channels(self, shape, self.rank)
        size: int | tuple[int, ...] = getattr(self, "size")  # noqa: B009 - each subclass declares its own
        factors = (size,) if isinstance(size, int) else tuple(size)
        return Computed(out=(*(n * f for n, f in zip(spatial, factors, strict=True)), channels),
                        field=shrink_jump(field, factors))


@dataclass(frozen=True, repr=False, eq=False)
class UpSampling1D(_UpSampling):
    """Repeats each step ``size`` times."""

    rank: ClassVar[int] = 1
    _checks = (("size", "positive"),)
    size: int = 2


@dataclass(frozen=True, repr=False, eq=False)
class UpSampling2D(_UpSampling):
    """Repeats (or interpolates) rows and columns ``size`` times."""

    _checks = (("size", "window"), ("interpolation", "text"))
    size: tuple[int, ...] = (2, 2)
    interpolation: str = "nearest"


@dataclass(frozen=True, repr=False, eq=False)
class UpSampling3D(_UpSampling):
    """Repeats each axis of a volume ``size`` times."""

    rank: ClassVar[int] = 3
    _checks = (("size", "window"),)
    size: tuple[int, ...] = (2, 2, 2)


class Flatten(Layer):
    """Flattens everything but the batch axis into one vector."""

    def compute(self, shape: Shape, field: Field) -> Computed:
        """One vector of every value; the field is the whole input."""
        return Computed(out=(prod(shape),), field=EVERYTHING)


@dataclass(frozen=True, repr=False, eq=False)
class Reshape(Layer):
    """Gives the values another shape (one ``-1`` stands for what is left)."""

    target_shape: tuple[int, ...]

    def __post_init__(self) -> None:
        shape = self.target_shape
        if not isinstance(shape, (tuple, list)) or not shape or not all(
                is_int(v) and (v >= 1 or v == -1) for v in shape) or list(shape).count(-1) > 1:
            raise LenetError(f"Reshape: target_shape must be positive integers (at most one -1), got {shape!r}")
        object.__setattr__(self, "target_shape", tuple(shape))

    def compute(self, shape: Shape, field: Field) -> Computed:
        """The same values in ``target_shape`` (the field kept only when the shape is)."""
        target = self.target_shape
        known = prod(v for v in target if v != -1)
        total = prod(shape)
        if -1 in target and total % known == 0:
            target = tuple(total // known if v == -1 else v for v in target)
        if prod(target) != total:
            raise LenetError(f"{self.name}: cannot reshape {total:,} values {shape} into {self.target_shape}")
        return Computed(out=target, field=field if target == shape else EVERYTHING)


@dataclass(frozen=True, repr=False, eq=False)
class Permute(Layer):
    """Reorders the axes (numbered from 1, the batch axis excluded)."""

    dims: tuple[int, ...]

    def __post_init__(self) -> None:
        dims = self.dims
        if not isinstance(dims, (tuple, list)) or sorted(dims) != list(range(1, len(dims) + 1)):
            raise LenetError(f"Permute: dims must be a permutation of 1, 2, …, got {dims!r}")
        object.__setattr__(self, "dims", tuple(dims))

    def compute(self, shape: Shape, field: Field) -> Computed:
        """The axes in ``dims`` order (the field kept only when the order is)."""
        if len(self.dims) != len(shape):
            raise LenetError(f"{self.name}: dims {self.dims} do not match an input of shape {shape}")
        kept = self.dims == tuple(range(1, len(shape) + 1))
        return Computed(out=tuple(shape[d - 1] for d in self.dims), field=field if kept else EVERYTHING)


@dataclass(frozen=True, repr=False, eq=False)
class RepeatVector(Layer):
    """Repeats a vector ``n`` times: (features,) → (n, features)."""

    _checks = (("n", "positive"),)
    n: int

    def compute(self, shape: Shape, field: Field) -> Computed:
        """``n`` copies of a vector."""
        if len(shape) != 1:
            raise LenetError(f"{self.name}: RepeatVector needs a (features,) input, got {shape}")
        return Computed(out=(self.n, shape[0]), field=EVERYTHING)
