"""Core layers and their arithmetic: the Input, Dense, Embedding, Identity, and ConvNeXt's LayerScale
(``keras.applications.convnext``)."""

from __future__ import annotations

from dataclasses import dataclass
from math import prod

from lenet_explain.calculator.base import Layer, SameShape, is_positive
from lenet_explain.calculator.basics import EVERYTHING, Computed, ConnectionTerms, Field, ParamTerms, Shape
from lenet_explain.errors import LenetError


@dataclass(frozen=True, repr=False, eq=False)
class Input(Layer):
    """The input: ``(height, width, channels)`` for images, ``(steps, channels)`` for sequences,
    ``(depth, height, width, channels)`` for volumes, ``(features,)`` for vectors."""

    shape: tuple[int, ...]

    def __post_init__(self) -> None:
        shape = self.shape
        if not isinstance(shape, (tuple, list)) or not 1 <= len(shape) <= 4 or not all(is_positive(v) for v in shape):
            raise LenetError(
                f"Input: shape must be (height, width, channels), (steps, channels), (depth, height, width, "
                f"channels) or (features,) of positive integers, got {shape!r}"
            )
        object.__setattr__(self, "shape", tuple(shape))


@dataclass(frozen=True, repr=False, eq=False)
class Dense(Layer):
    """A fully connected layer on the last axis."""

    _checks = (("units", "positive"), ("activation", "activation"), ("use_bias", "bool"))
    units: int
    activation: str | None = None
    use_bias: bool = True

    def compute(self, shape: Shape, field: Field) -> Computed:
        """Every unit reads every value of the last axis (on a vector: the whole input)."""
        n_in = shape[-1]
        bias = self.units if self.use_bias else 0
        return Computed(
            out=(*shape[:-1], self.units), field=EVERYTHING if len(shape) == 1 else field,
            trainable=n_in * self.units + bias, macs=prod(shape[:-1]) * n_in * self.units,
            terms=ParamTerms("dense", n_in, None, self.units, bias),
            connections=ConnectionTerms(shape[:-1], ((self.units, n_in, int(self.use_bias)),)),
        )


@dataclass(frozen=True, repr=False, eq=False)
class Embedding(Layer):
    """Looks up a learned vector of ``output_dim`` values for each integer token below ``input_dim``."""

    _checks = (("input_dim", "positive"), ("output_dim", "positive"))
    input_dim: int
    output_dim: int

    def compute(self, shape: Shape, field: Field) -> Computed:
        """One learned vector per token (a lookup: no MACs, no connections)."""
        return Computed(out=(*shape, self.output_dim), field=EVERYTHING, trainable=self.input_dim * self.output_dim,
                        terms=ParamTerms("dense", self.input_dim, None, self.output_dim))


class Identity(SameShape):
    """Passes its input on unchanged."""


@dataclass(frozen=True, repr=False, eq=False)
class Masking(SameShape):
    """Marks the steps whose values all equal ``mask_value``, for later layers to skip; no weights."""

    _checks = (("mask_value", "number"),)
    mask_value: float = 0.0


@dataclass(frozen=True, repr=False, eq=False)
class LayerScale(Layer):
    """ConvNeXt's learned per-channel scale (``keras.applications.convnext``): ``projection_dim`` weights."""

    _checks = (("init_values", "number"), ("projection_dim", "positive"))
    init_values: float
    projection_dim: int

    def compute(self, shape: Shape, field: Field) -> Computed:
        """One weight per channel."""
        if shape[-1] != self.projection_dim:
            raise LenetError(f"{self.name}: projection_dim {self.projection_dim} differs from the "
                             f"{shape[-1]} channels")
        return Computed(out=shape, field=field, trainable=self.projection_dim,
                        terms=ParamTerms("product", factors=(self.projection_dim,)),
                        connections=ConnectionTerms(shape[:-1], ((shape[-1], 1, 0),)))
