"""Convolution layers and their arithmetic: Conv1D/2D/3D (grouped too), transposed, depthwise and separable.

- **Parameters**: ``inputs read × (kernel) × filters + bias``, one formula for every kind (a depthwise layer's
  "filters" are its depth multiplier; a separable one adds its pointwise ``maps × filters``).
- **MACs** are every output value's kernel multiply-accumulates (transposed: every input value times the whole
  kernel); **connections** a unit's kernel values plus its bias (the 1998 paper's count).
- **Receptive field**: a window grows it by ``(kernel − 1)·jump`` and multiplies the jump by the stride; a
  transposed convolution divides the jump.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil, prod
from typing import ClassVar

from lenet_explain.calculator.base import Layer
from lenet_explain.calculator.basics import (
    AxisSize,
    Computed,
    ConnectionTerms,
    Field,
    Padding,
    Pair,
    ParamTerms,
    Shape,
    grow_field,
    shrink_jump,
)
from lenet_explain.calculator.windows import split_channels, window_sizes
from lenet_explain.errors import LenetError


def _convolve(layer: Conv2D | _Conv, shape: Shape, field: Field) -> Computed:
    """Conv1D/2D/3D: each filter reads ``channels/groups`` input maps through its kernel."""
    spatial, channels = split_channels(layer, shape, layer.rank)
    sizes = window_sizes(layer, spatial, layer.kernel_size, layer.strides, layer.padding, layer.dilation_rate, "conv")
    groups = layer.groups
    if channels % groups or layer.filters % groups:
        raise LenetError(f"{layer.name}: groups={groups} must divide the {channels} input channels and the "
                         f"{layer.filters} filters")
    reads = channels // groups  # each filter reads one group of the input maps
    window = prod(layer.kernel_size)
    bias = layer.filters if layer.use_bias else 0
    out_spatial = tuple(a.output for a in sizes)
    return Computed(
        out=(*out_spatial, layer.filters), field=grow_field(field, sizes),
        trainable=window * reads * layer.filters + bias, macs=prod(out_spatial) * layer.filters * window * reads,
        terms=ParamTerms("conv", reads, layer.kernel_size, layer.filters, bias), sizes=sizes,
        connections=ConnectionTerms(out_spatial, ((layer.filters, window * reads, int(layer.use_bias)),)),
    )


@dataclass(frozen=True, repr=False, eq=False)
class Conv2D(Layer):
    """A 2-D convolution; ``padding`` is 'valid', 'same' (Keras' rule) or zero pixels per side."""

    _checks = (("filters", "positive"), ("groups", "positive"), ("kernel_size", "pair"), ("strides", "pair"),
               ("dilation_rate", "pair"), ("padding", "pixels"), ("activation", "activation"), ("use_bias", "bool"))
    filters: int
    kernel_size: Pair
    strides: Pair = (1, 1)
    padding: Padding = "valid"
    dilation_rate: Pair = (1, 1)
    activation: str | None = None
    use_bias: bool = True
    groups: int = 1  # grouped convolution: each filter reads channels/groups input maps

    compute = _convolve


@dataclass(frozen=True, repr=False, eq=False)
class _Conv(Layer):
    """Fields of the 1-D and 3-D convolutions (strides and dilation default to ones)."""

    _checks = (("filters", "positive"), ("kernel_size", "window"), ("strides", "ones"), ("padding", "padding"),
               ("dilation_rate", "ones"), ("groups", "positive"), ("activation", "activation"), ("use_bias", "bool"))
    filters: int
    kernel_size: tuple[int, ...]
    strides: tuple[int, ...] = None  # type: ignore[assignment]  # None: ones
    padding: str = "valid"
    dilation_rate: tuple[int, ...] = None  # type: ignore[assignment]
    groups: int = 1
    activation: str | None = None
    use_bias: bool = True

    compute = _convolve


class Conv1D(_Conv):
    """A 1-D convolution over (steps, channels); 'causal' pads only the start."""

    rank: ClassVar[int] = 1


class Conv3D(_Conv):
    """A 3-D convolution over (depth, height, width, channels)."""

    rank: ClassVar[int] = 3


def transposed_length(size: int, kernel: int, stride: int, padding: str, output_padding: int | None,
                      dilation: int) -> int:
    """Keras' length of a transposed convolution's output along one axis."""
    effective = kernel + (kernel - 1) * (dilation - 1)
    if output_padding is None:
        return size * stride + max(effective - stride, 0) if padding == "valid" else size * stride
    pad = effective // 2 if padding == "same" else 0
    return (size - 1) * stride + effective - 2 * pad + output_padding


@dataclass(frozen=True, repr=False, eq=False)
class _ConvTranspose(Layer):
    """Fields of the transposed convolutions: every input value times the whole kernel, summed where copies
    overlap."""

    _checks = (("filters", "positive"), ("kernel_size", "window"), ("strides", "ones"), ("padding", "padding"),
               ("output_padding", "pad_or_none"), ("dilation_rate", "ones"), ("activation", "activation"),
               ("use_bias", "bool"))
    filters: int
    kernel_size: tuple[int, ...]
    strides: tuple[int, ...] = None  # type: ignore[assignment]
    padding: str = "valid"
    output_padding: tuple[int, ...] | None = None
    dilation_rate: tuple[int, ...] = None  # type: ignore[assignment]
    activation: str | None = None
    use_bias: bool = True

    def compute(self, shape: Shape, field: Field) -> Computed:
        """Output lengths by Keras' rule; the field reads ⌈kernel/stride⌉ inputs and the jump shrinks."""
        spatial, channels = split_channels(self, shape, self.rank)
        paddings = self.output_padding or (None,) * self.rank
        for p, s in zip(paddings, self.strides, strict=True):
            if p is not None and p >= s:
                raise LenetError(f"{self.name}: output_padding {p} must be smaller than the stride {s}")
        out_spatial = tuple(transposed_length(n, k, s, self.padding, p, d) for n, k, s, p, d in zip(
            spatial, self.kernel_size, self.strides, paddings, self.dilation_rate, strict=True))
        if min(out_spatial) < 1:
            raise LenetError(f"{self.name}: the output would be empty ({out_spatial})")
        window = prod(self.kernel_size)
        bias = self.filters if self.use_bias else 0
        effective = [d * (k - 1) + 1 for k, d in zip(self.kernel_size, self.dilation_rate, strict=True)]
        reads = tuple((ceil(ke / s), 1) for ke, s in zip(effective, self.strides, strict=True))
        return Computed(
            out=(*out_spatial, self.filters), field=shrink_jump(grow_field(field, reads), tuple(self.strides)),
            trainable=window * channels * self.filters + bias, macs=prod(spatial) * channels * window * self.filters,
            terms=ParamTerms("conv", channels, self.kernel_size, self.filters, bias),
            connections=ConnectionTerms(spatial, ((channels, window * self.filters, 0),),
                                        extra_links=prod(out_spatial) * bias),
        )


class Conv1DTranspose(_ConvTranspose):
    """A transposed 1-D convolution (each input step spreads a kernel over the output)."""

    rank: ClassVar[int] = 1


class Conv2DTranspose(_ConvTranspose):
    """A transposed 2-D convolution (the decoder's upsampling convolution)."""


class Conv3DTranspose(_ConvTranspose):
    """A transposed 3-D convolution."""

    rank: ClassVar[int] = 3


def _depthwise_stage(layer: _Depthwise | _Separable, shape: Shape) -> tuple[tuple[AxisSize, ...], int, int, int]:
    """Return a depthwise convolution's (axis sizes, input channels, maps, kernel values per map)."""
    spatial, channels = split_channels(layer, shape, layer.rank)
    sizes = window_sizes(layer, spatial, layer.kernel_size, layer.strides, layer.padding, layer.dilation_rate, "conv")
    return sizes, channels, channels * layer.depth_multiplier, prod(layer.kernel_size)


@dataclass(frozen=True, repr=False, eq=False)
class _Depthwise(Layer):
    """Fields of the depthwise convolutions: each channel convolved on its own, ``depth_multiplier`` times."""

    _checks = (("kernel_size", "window"), ("strides", "ones"), ("padding", "padding"), ("dilation_rate", "ones"),
               ("depth_multiplier", "positive"), ("activation", "activation"), ("use_bias", "bool"))
    kernel_size: tuple[int, ...]
    strides: tuple[int, ...] = None  # type: ignore[assignment]
    padding: str = "valid"
    dilation_rate: tuple[int, ...] = None  # type: ignore[assignment]
    depth_multiplier: int = 1
    activation: str | None = None
    use_bias: bool = True

    def compute(self, shape: Shape, field: Field) -> Computed:
        """``channels × depth_multiplier`` maps, each from one input channel."""
        sizes, channels, maps, window = _depthwise_stage(self, shape)
        bias = maps if self.use_bias else 0
        out_spatial = tuple(a.output for a in sizes)
        return Computed(
            out=(*out_spatial, maps), field=grow_field(field, sizes), trainable=window * maps + bias,
            macs=prod(out_spatial) * maps * window,
            terms=ParamTerms("conv", channels, self.kernel_size, self.depth_multiplier, bias),
            sizes=sizes, connections=ConnectionTerms(out_spatial, ((maps, window, int(self.use_bias)),)),
        )


class DepthwiseConv1D(_Depthwise):
    """A 1-D convolution of each channel on its own (``depth_multiplier`` filters per channel)."""

    rank: ClassVar[int] = 1


class DepthwiseConv2D(_Depthwise):
    """A 2-D convolution of each channel on its own (MobileNet, EfficientNet)."""


@dataclass(frozen=True, repr=False, eq=False)
class _Separable(Layer):
    """Fields of the separable convolutions: depthwise, then pointwise."""

    _checks = (("filters", "positive"), ("kernel_size", "window"), ("strides", "ones"), ("padding", "padding"),
               ("dilation_rate", "ones"), ("depth_multiplier", "positive"), ("activation", "activation"),
               ("use_bias", "bool"))
    filters: int
    kernel_size: tuple[int, ...]
    strides: tuple[int, ...] = None  # type: ignore[assignment]
    padding: str = "valid"
    dilation_rate: tuple[int, ...] = None  # type: ignore[assignment]
    depth_multiplier: int = 1
    activation: str | None = None
    use_bias: bool = True

    def compute(self, shape: Shape, field: Field) -> Computed:
        """The depthwise maps' kernels, then ``maps × filters`` pointwise weights."""
        sizes, channels, maps, window = _depthwise_stage(self, shape)
        bias = self.filters if self.use_bias else 0
        out_spatial = tuple(a.output for a in sizes)
        return Computed(
            out=(*out_spatial, self.filters), field=grow_field(field, sizes),
            trainable=window * maps + maps * self.filters + bias,
            macs=prod(out_spatial) * (maps * window + maps * self.filters),
            terms=ParamTerms("separable", channels, self.kernel_size, self.depth_multiplier, bias,
                             pointwise=(maps, self.filters)),
            sizes=sizes,
            connections=ConnectionTerms(out_spatial, ((maps, window, 0), (self.filters, maps, int(self.use_bias)))),
        )


class SeparableConv1D(_Separable):
    """A depthwise 1-D convolution followed by a pointwise (1-wide) one."""

    rank: ClassVar[int] = 1


class SeparableConv2D(_Separable):
    """A depthwise 2-D convolution followed by a pointwise (1×1) one (Xception, NASNet)."""
