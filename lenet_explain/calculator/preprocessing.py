"""Preprocessing layers and their arithmetic: rescaling, resizing and cropping images, and the random
augmentations (which act only while training). No weights."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from lenet_explain.calculator.base import Layer, SameShape
from lenet_explain.calculator.basics import Computed, Field, Shape, shrink_jump
from lenet_explain.calculator.windows import split_channels


@dataclass(frozen=True, repr=False, eq=False)
class Rescaling(SameShape):
    """x·scale + offset (e.g. pixels 0–255 to 0–1)."""

    _checks = (("scale", "number"), ("offset", "number"))
    scale: float
    offset: float = 0.0


@dataclass(frozen=True, repr=False, eq=False)
class _ToSize(Layer):
    """A layer that gives images ``height``×``width``."""

    _checks: ClassVar[tuple[tuple[str, str], ...]] = (("height", "positive"), ("width", "positive"))
    height: int
    width: int

    def compute(self, shape: Shape, field: Field) -> Computed:
        """Images of ``height``×``width``; resizing (or a centre crop larger than the image) shrinks the jump."""
        (height, width), channels = split_channels(self, shape, 2)
        if isinstance(self, Resizing) or (isinstance(self, CenterCrop) and (height < self.height
                                                                            or width < self.width)):
            field = shrink_jump(field, (Fraction(self.height, height), Fraction(self.width, width)))
        return Computed(out=(self.height, self.width, channels), field=field)


@dataclass(frozen=True, repr=False, eq=False)
class Resizing(_ToSize):
    """Resizes images to ``height``×``width``."""

    _checks = (("height", "positive"), ("width", "positive"), ("interpolation", "text"))
    interpolation: str = "bilinear"


class CenterCrop(_ToSize):
    """Crops the centre ``height``×``width`` of an image (resizing when it is smaller)."""


class RandomCrop(_ToSize):
    """Crops a random ``height``×``width`` window while training (the centre at inference)."""


@dataclass(frozen=True, repr=False, eq=False)
class RandomFlip(SameShape):
    """Flips images at random while training."""

    _checks = (("mode", "text"),)
    mode: str = "horizontal_and_vertical"


@dataclass(frozen=True, repr=False, eq=False)
class _Factor(SameShape):
    """A random augmentation by up to ``factor``."""

    _checks = (("factor", "factor"),)
    factor: Any


class RandomRotation(_Factor):
    """Rotates images by a random fraction of a turn while training."""


@dataclass(frozen=True, repr=False, eq=False)
class RandomZoom(SameShape):
    """Zooms images at random while training."""

    _checks = (("height_factor", "factor"),)
    height_factor: Any
    width_factor: Any = None


@dataclass(frozen=True, repr=False, eq=False)
class RandomTranslation(SameShape):
    """Shifts images at random while training."""

    _checks = (("height_factor", "factor"), ("width_factor", "factor"))
    height_factor: Any
    width_factor: Any


class RandomContrast(_Factor):
    """Changes the contrast at random while training."""


class RandomBrightness(_Factor):
    """Changes the brightness at random while training."""
