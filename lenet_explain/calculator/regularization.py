"""Regularisation layers: dropout of every kind, Gaussian noise and ConvNeXt's stochastic depth. They act only
while training; shape and receptive field kept, no weights."""

from __future__ import annotations

from dataclasses import dataclass

from lenet_explain.calculator.base import SameShape


@dataclass(frozen=True, repr=False, eq=False)
class _Rate(SameShape):
    """A layer that drops a fraction ``rate`` while training."""

    _checks = (("rate", "rate"),)
    rate: float = 0.5


class Dropout(_Rate):
    """Drops a fraction ``rate`` of the units while training; no parameters."""


class SpatialDropout1D(_Rate):
    """Drops whole channels while training."""


class SpatialDropout2D(_Rate):
    """Drops whole feature maps while training."""


class SpatialDropout3D(_Rate):
    """Drops whole feature volumes while training."""


@dataclass(frozen=True, repr=False, eq=False)
class GaussianNoise(SameShape):
    """Adds Gaussian noise while training."""

    _checks = (("stddev", "number"),)
    stddev: float


@dataclass(frozen=True, repr=False, eq=False)
class _GivenRate(SameShape):
    """A dropout whose ``rate`` must be given."""

    _checks = (("rate", "rate"),)
    rate: float


class GaussianDropout(_GivenRate):
    """Multiplies by Gaussian noise around 1 while training."""


class AlphaDropout(_GivenRate):
    """Dropout that keeps SELU's mean and variance."""


@dataclass(frozen=True, repr=False, eq=False)
class StochasticDepth(SameShape):
    """ConvNeXt's residual branch dropped at random while training (``keras.applications.convnext``)."""

    _checks = (("drop_path_rate", "rate"),)
    drop_path_rate: float
