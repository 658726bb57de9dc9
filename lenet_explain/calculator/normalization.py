"""Normalisation layers and their arithmetic: BatchNormalization, LayerNormalization, GroupNormalization,
UnitNormalization and Normalization.

Their scales and shifts are element-wise, so they count no MACs (the convention of the MobileNet papers, which fold
batch normalisation); each value's scale is one connection and its shift one more (the 1998 paper's count).
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import Any

from lenet_explain.calculator.base import Layer
from lenet_explain.calculator.basics import Computed, ConnectionTerms, Field, ParamTerms, Shape
from lenet_explain.calculator.windows import axis_index
from lenet_explain.errors import LenetError


@dataclass(frozen=True, repr=False, eq=False)
class BatchNormalization(Layer):
    """Normalises one axis, the last (channels) unless ``axis`` says another: gamma and beta trainable, moving mean
    and variance not."""

    _checks = (("center", "bool"), ("scale", "bool"), ("axis", "int_axis"))
    center: bool = True
    scale: bool = True
    axis: int = -1

    def compute(self, shape: Shape, field: Field) -> Computed:
        """Per channel of ``axis``: gamma and beta (when used) trainable, the moving mean and variance fixed."""
        index = axis_index(self, self.axis, shape)
        channels = shape[index]
        learned = int(self.center) + int(self.scale)
        positions = tuple(n for i, n in enumerate(shape) if i != index)
        return Computed(out=shape, field=field, trainable=learned * channels, fixed=2 * channels,
                        terms=ParamTerms("batchnorm", channels, per_channel=learned + 2, trainable_per_channel=learned),
                        connections=ConnectionTerms(positions, ((channels, 1, int(self.center)),)))


def _features(layer: Layer, axes: tuple[int, ...], shape: Shape) -> tuple[int, ConnectionTerms]:
    """Return the number of normalised features and how one weight per feature and position links up."""
    indexes = sorted({axis_index(layer, axis, shape) for axis in axes})
    features = prod(shape[i] for i in indexes)
    last = indexes == [len(shape) - 1]
    positions = tuple(n for i, n in enumerate(shape) if i not in indexes) if last else ()
    units = shape[-1] if last else prod(shape)
    return features, ConnectionTerms(positions, ((units, 1, 1),))


def _scale_and_shift(layer: LayerNormalization | GroupNormalization, shape: Shape, field: Field) -> Computed:
    """Gamma (scale) and beta (shift) per normalised feature, when used."""
    axes = layer.axis if isinstance(layer.axis, tuple) else (layer.axis,)
    features, links = _features(layer, axes, shape)
    if isinstance(layer, GroupNormalization):
        channels = shape[axis_index(layer, layer.axis, shape)]
        if channels % layer.groups:
            raise LenetError(f"{layer.name}: groups={layer.groups} must divide the {channels} channels")
    rms = isinstance(layer, LayerNormalization) and layer.rms_scaling
    scale = int(layer.scale or rms)
    center = int(layer.center and not rms)
    learned = scale + center
    if not learned:
        return Computed(out=shape, field=field)
    units = links.groups[0][0]
    return Computed(out=shape, field=field, trainable=learned * features,
                    terms=ParamTerms("product", factors=(learned, features)),
                    connections=ConnectionTerms(links.positions, ((units, scale, center),)))


@dataclass(frozen=True, repr=False, eq=False)
class LayerNormalization(Layer):
    """Normalises each sample over ``axis``: gamma (scale) and beta (shift) trainable."""

    _checks = (("axis", "axis"), ("center", "bool"), ("scale", "bool"), ("rms_scaling", "bool"))
    axis: tuple[int, ...] = (-1,)
    center: bool = True
    scale: bool = True
    rms_scaling: bool = False

    compute = _scale_and_shift


@dataclass(frozen=True, repr=False, eq=False)
class GroupNormalization(Layer):
    """Normalises groups of channels: gamma and beta per channel, trainable."""

    _checks = (("groups", "positive"), ("axis", "int_axis"), ("center", "bool"), ("scale", "bool"))
    groups: int = 32
    axis: int = -1
    center: bool = True
    scale: bool = True

    compute = _scale_and_shift


@dataclass(frozen=True, repr=False, eq=False)
class UnitNormalization(Layer):
    """Scales each sample to unit L2 norm over ``axis``; no parameters."""

    _checks = (("axis", "axis"),)
    axis: tuple[int, ...] = (-1,)

    def compute(self, shape: Shape, field: Field) -> Computed:
        """Shape kept; the axes must exist."""
        for axis in self.axis:
            axis_index(self, axis, shape)
        return Computed(out=shape, field=field)


@dataclass(frozen=True, repr=False, eq=False)
class Normalization(Layer):
    """(x − mean)/√variance per feature; without a given mean and variance, both (and a count) are weights."""

    _checks = (("axis", "axis"), ("mean", "numbers_or_none"), ("variance", "numbers_or_none"), ("invert", "bool"))
    axis: tuple[int, ...] = (-1,)
    mean: Any = None
    variance: Any = None
    invert: bool = False

    def compute(self, shape: Shape, field: Field) -> Computed:
        """Mean and variance per feature plus a count, fixed weights (none when given as constants)."""
        features, links = _features(self, self.axis, shape)
        if self.mean is not None and self.variance is not None:
            return Computed(out=shape, field=field)  # given constants, not weights
        return Computed(out=shape, field=field, fixed=2 * features + 1, terms=ParamTerms("statistics", features),
                        connections=links)
