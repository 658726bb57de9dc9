"""Pooling layers and their arithmetic: max and average pooling in 1, 2 and 3 dimensions, and global pooling.

No weights, no MACs, no connections (the window's links carry no parameter). The 2-D layers add two things Keras
lacks, from PyTorch: explicit padding (zero pixels per side, at most half the window) and ``ceil_mode``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from lenet_explain.calculator.base import Layer
from lenet_explain.calculator.basics import EVERYTHING, Computed, Field, Padding, Pair, Shape, grow_field
from lenet_explain.calculator.windows import split_channels, window_sizes


def _pool(layer: _Pooling2D | _Pooling, shape: Shape, field: Field, dilation: Shape, ceil_mode: bool) -> Computed:
    """Every axis through the pooling window; the channels stay."""
    spatial, channels = split_channels(layer, shape, layer.rank)
    op = "maxpool" if "Max" in layer.type else "avgpool"
    sizes = window_sizes(layer, spatial, layer.pool_size, layer.strides or layer.pool_size, layer.padding, dilation,
                         op, ceil_mode)
    return Computed(out=(*(a.output for a in sizes), channels), field=grow_field(field, sizes), sizes=sizes)


@dataclass(frozen=True, repr=False, eq=False)
class _Pooling2D(Layer):
    """Shared fields of the two 2-D pooling layers; ``strides`` defaults to ``pool_size``."""

    _checks = (("pool_size", "pair"), ("strides", "pool_strides"), ("dilation_rate", "pair"), ("padding", "pixels"),
               ("ceil_mode", "bool"))
    pool_size: Pair = (2, 2)
    strides: Pair = None  # type: ignore[assignment]  # None becomes pool_size
    padding: Padding = "valid"
    ceil_mode: bool = False
    dilation_rate: Pair = (1, 1)

    def compute(self, shape: Shape, field: Field) -> Computed:
        """Both axes through the window, with dilation and ceil mode."""
        return _pool(self, shape, field, self.dilation_rate, self.ceil_mode)


class MaxPooling2D(_Pooling2D):
    """2-D max pooling."""


class AveragePooling2D(_Pooling2D):
    """2-D average pooling (LeNet's subsampling)."""


@dataclass(frozen=True, repr=False, eq=False)
class _Pooling(Layer):
    """Fields of the 1-D and 3-D pooling layers (``strides`` defaults to ``pool_size``)."""

    _checks = (("pool_size", "twos"), ("strides", "window_or_none"), ("padding", "padding"))
    pool_size: tuple[int, ...] = None  # type: ignore[assignment]  # None: 2 on every axis
    strides: tuple[int, ...] | None = None
    padding: str = "valid"

    def compute(self, shape: Shape, field: Field) -> Computed:
        """Every axis through the window."""
        return _pool(self, shape, field, (1,) * self.rank, False)


class MaxPooling1D(_Pooling):
    """1-D max pooling."""

    rank: ClassVar[int] = 1


class AveragePooling1D(_Pooling):
    """1-D average pooling."""

    rank: ClassVar[int] = 1


class MaxPooling3D(_Pooling):
    """3-D max pooling."""

    rank: ClassVar[int] = 3


class AveragePooling3D(_Pooling):
    """3-D average pooling."""

    rank: ClassVar[int] = 3


@dataclass(frozen=True, repr=False, eq=False)
class _GlobalPooling(Layer):
    """Pooling over every position, one value per channel (a size-1 position with ``keepdims``)."""

    _checks = (("keepdims", "bool"),)
    keepdims: bool = False

    def compute(self, shape: Shape, field: Field) -> Computed:
        """One value per channel; the field is the whole input."""
        _, channels = split_channels(self, shape, self.rank)
        return Computed(out=(*(1,) * self.rank, channels) if self.keepdims else (channels,), field=EVERYTHING)


class GlobalAveragePooling1D(_GlobalPooling):
    """Mean over all steps."""

    rank: ClassVar[int] = 1


class GlobalMaxPooling1D(_GlobalPooling):
    """Maximum over all steps."""

    rank: ClassVar[int] = 1


class GlobalAveragePooling2D(_GlobalPooling):
    """Mean over the whole image, one value per channel (a 1×1 image with ``keepdims``)."""


class GlobalMaxPooling2D(_GlobalPooling):
    """Maximum over the whole image, one value per channel (a 1×1 image with ``keepdims``)."""


class GlobalAveragePooling3D(_GlobalPooling):
    """Mean over the whole volume."""

    rank: ClassVar[int] = 3


class GlobalMaxPooling3D(_GlobalPooling):
    """Maximum over the whole volume."""

    rank: ClassVar[int] = 3
