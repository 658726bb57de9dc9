"""The arithmetic of the layers in :mod:`lenet_explain.calculator.keras_layers`: output shape, parameters, MACs,
connections and the receptive field, as plain data (pure Python, like :mod:`~lenet_explain.calculator.arithmetic`).

Conventions, the same as for the lecture's layers:

- **MACs** are the multiply-accumulates of a weight kernel or matrix: every kind of convolution (grouped, depthwise,
  separable = depthwise + pointwise, transposed: every input value times the whole kernel), dense layers, and
  ``Dot``. Element-wise scales and shifts (normalisations, ``LayerScale``, ``PReLU``, ``Rescaling``), activations,
  pooling, resampling and merges count 0. This is the convention of the MobileNet papers (Howard et al. 2017,
  569 M for MobileNet at 224×224; Sandler et al. 2018, 300 M for MobileNetV2), which fold batch normalisation.
- **Connections** are links through a weight or from a bias (the 1998 paper's count), per image: a convolution
  unit's kernel values it reads plus its bias, a depthwise unit's kernel, a separable layer's depthwise and
  pointwise links, a normalisation's per-value scale and shift when they are weights, a ``PReLU`` or
  ``LayerScale`` value's one weight. Layers without weights have none.
- **Receptive field**: windows grow it by ``(kernel − 1)·jump`` and multiply the jump by the stride; upsampling
  and transposed convolutions divide the jump (a fraction); a merge takes the largest field of its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import ceil, prod
from typing import Any

from lenet_explain.calculator import keras_layers as K
from lenet_explain.calculator.arithmetic import AxisSize, ConnectionTerms, Field, grow_field, output_size
from lenet_explain.calculator.layers import Layer
from lenet_explain.errors import LenetError

NO_CONNECTIONS = ConnectionTerms()


@dataclass(frozen=True)
class Computed:
    """What one call of a layer gives: shape, weights, work, links, window sizes and the receptive field."""

    out: tuple[int, ...]
    field: Field
    trainable: int = 0
    fixed: int = 0
    macs: int = 0
    formula: str = ""  # the parameter formula without "= total", e.g. "96×(7×7) + 96"
    sizes: tuple[AxisSize, ...] | None = None
    connections: ConnectionTerms = NO_CONNECTIONS


def _spatial(layer: Layer, shape: tuple[int, ...], rank: int) -> tuple[tuple[int, ...], int]:
    """Return (spatial sizes, channels) of an input that must have ``rank`` spatial axes and channels last."""
    if len(shape) != rank + 1:
        want = {1: "(steps, channels)", 2: "(height, width, channels)", 3: "(depth, height, width, channels)"}[rank]
        raise LenetError(f"{layer.name}: {layer.type} needs a {want} input, got {shape}")
    return shape[:-1], shape[-1]


def _axis_index(layer: Layer, axis: int, shape: tuple[int, ...]) -> int:
    """Return the index into ``shape`` (no batch axis) of a Keras axis (which counts the batch as 0)."""
    index = axis - 1 if axis > 0 else len(shape) + axis
    if not 0 <= index < len(shape):
        raise LenetError(f"{layer.name}: axis {axis} is outside an input of shape {shape}")
    return index


def _windows(layer: Any, spatial: tuple[int, ...], kernel: tuple[int, ...], strides: tuple[int, ...],
             dilation: tuple[int, ...], op: str) -> tuple[AxisSize, ...]:
    """Return every spatial axis' size through a window; errors name the layer."""
    try:
        if layer.padding == "causal":
            return tuple(_causal(n, k, s, d) for n, k, s, d in zip(spatial, kernel, strides, dilation, strict=True))
        return tuple(output_size(n, k, s, layer.padding, d, op)
                     for n, k, s, d in zip(spatial, kernel, strides, dilation, strict=True))
    except LenetError as error:
        raise LenetError(f"{layer.name}: {error}") from None


def _causal(size: int, kernel: int, stride: int, dilation: int) -> AxisSize:
    """One axis of a 'causal' 1-D convolution: ``dilation·(kernel − 1)`` zeros before the start, none after."""
    effective = dilation * (kernel - 1) + 1
    numerator = size - 1
    return AxisSize(size, kernel, stride, dilation, effective, "causal", effective - 1, 0, "conv", False,
                    numerator, numerator // stride + 1, False)


def _shrink_jump(field: Field, factors: tuple[int | Fraction, ...]) -> Field:
    """Divide the jump by an upsampling factor per axis (fractions stay exact)."""
    if field.size is None or field.jump is None or len(factors) != len(field.jump):
        return Field(None, None) if field.size is not None and len(factors) != len(field.size) else field
    return Field(field.size, tuple(Fraction(j) / f for j, f in zip(field.jump, factors, strict=True)))


def _kernel_text(kernel: tuple[int, ...]) -> str:
    """``(3×3)``."""
    return "(" + "×".join(str(k) for k in kernel) + ")"


def _plus_bias(text: str, bias: int) -> str:
    """Append ``+ bias`` when there is one."""
    return f"{text} + {bias}" if bias else text


def compute_keras_layer(layer: Layer, shape: tuple[int, ...], field: Field) -> Computed:
    """Return one call of a single-input layer of :mod:`keras_layers` on an input of ``shape``."""
    for kinds, function in _SINGLE:
        if isinstance(layer, kinds):
            return function(layer, shape, field)
    raise LenetError(f"{layer.name}: unsupported layer type {layer.type}")


def _conv(layer: Any, shape: tuple[int, ...], field: Field) -> Computed:
    """Conv1D/Conv3D (grouped too)."""
    spatial, channels = _spatial(layer, shape, layer.rank)
    groups = layer.groups
    if channels % groups or layer.filters % groups:
        raise LenetError(f"{layer.name}: groups={groups} must divide the {channels} input channels and the "
                         f"{layer.filters} filters")
    sizes = _windows(layer, spatial, layer.kernel_size, layer.strides, layer.dilation_rate, "conv")
    reads = channels // groups
    window = prod(layer.kernel_size)
    bias = layer.filters if layer.use_bias else 0
    out_spatial = tuple(a.output for a in sizes)
    return Computed(
        out=(*out_spatial, layer.filters), field=grow_field(field, sizes),
        trainable=window * reads * layer.filters + bias, macs=prod(out_spatial) * layer.filters * window * reads,
        formula=_plus_bias(f"{reads}×{_kernel_text(layer.kernel_size)}×{layer.filters}", bias), sizes=sizes,
        connections=ConnectionTerms(out_spatial, ((layer.filters, window * reads, int(layer.use_bias)),)),
    )


def _depthwise(layer: Any, shape: tuple[int, ...], field: Field) -> Computed:
    """DepthwiseConv1D/2D."""
    spatial, channels = _spatial(layer, shape, layer.rank)
    sizes = _windows(layer, spatial, layer.kernel_size, layer.strides, layer.dilation_rate, "conv")
    maps = channels * layer.depth_multiplier
    window = prod(layer.kernel_size)
    bias = maps if layer.use_bias else 0
    out_spatial = tuple(a.output for a in sizes)
    return Computed(
        out=(*out_spatial, maps), field=grow_field(field, sizes), trainable=window * maps + bias,
        macs=prod(out_spatial) * maps * window,
        formula=_plus_bias(f"{channels}×{_kernel_text(layer.kernel_size)}×{layer.depth_multiplier}", bias),
        sizes=sizes, connections=ConnectionTerms(out_spatial, ((maps, window, int(layer.use_bias)),)),
    )


def _separable(layer: Any, shape: tuple[int, ...], field: Field) -> Computed:
    """SeparableConv1D/2D: depthwise, then pointwise."""
    spatial, channels = _spatial(layer, shape, layer.rank)
    sizes = _windows(layer, spatial, layer.kernel_size, layer.strides, layer.dilation_rate, "conv")
    maps = channels * layer.depth_multiplier
    window = prod(layer.kernel_size)
    bias = layer.filters if layer.use_bias else 0
    out_spatial = tuple(a.output for a in sizes)
    depthwise_text = f"{channels}×{_kernel_text(layer.kernel_size)}×{layer.depth_multiplier}"
    return Computed(
        out=(*out_spatial, layer.filters), field=grow_field(field, sizes),
        trainable=window * maps + maps * layer.filters + bias,
        macs=prod(out_spatial) * (maps * window + maps * layer.filters),
        formula=_plus_bias(f"{depthwise_text} + {maps}×{layer.filters}", bias), sizes=sizes,
        connections=ConnectionTerms(out_spatial, ((maps, window, 0), (layer.filters, maps, int(layer.use_bias)))),
    )


def transposed_length(size: int, kernel: int, stride: int, padding: str, output_padding: int | None,
                      dilation: int) -> int:
    """Keras' length of a transposed convolution's output along one axis."""
    effective = kernel + (kernel - 1) * (dilation - 1)
    if output_padding is None:
        return size * stride + max(effective - stride, 0) if padding == "valid" else size * stride
    pad = effective // 2 if padding == "same" else 0
    return (size - 1) * stride + effective - 2 * pad + output_padding


def _transposed(layer: Any, shape: tuple[int, ...], field: Field) -> Computed:
    """Conv1DTranspose/2D/3D: every input value times the whole kernel, summed where the copies overlap."""
    spatial, channels = _spatial(layer, shape, layer.rank)
    paddings = layer.output_padding or (None,) * layer.rank
    for p, s in zip(paddings, layer.strides, strict=True):
        if p is not None and p >= s:
            raise LenetError(f"{layer.name}: output_padding {p} must be smaller than the stride {s}")
    out_spatial = tuple(transposed_length(n, k, s, layer.padding, p, d) for n, k, s, p, d in zip(
        spatial, layer.kernel_size, layer.strides, paddings, layer.dilation_rate, strict=True))
    if min(out_spatial) < 1:
        raise LenetError(f"{layer.name}: the output would be empty ({out_spatial})")
    window = prod(layer.kernel_size)
    bias = layer.filters if layer.use_bias else 0
    effective = [d * (k - 1) + 1 for k, d in zip(layer.kernel_size, layer.dilation_rate, strict=True)]
    reads = tuple((ceil(ke / s), 1) for ke, s in zip(effective, layer.strides, strict=True))
    grown = _shrink_jump(grow_field(field, reads), tuple(layer.strides))
    return Computed(
        out=(*out_spatial, layer.filters), field=grown, trainable=window * channels * layer.filters + bias,
        macs=prod(spatial) * channels * window * layer.filters,
        formula=_plus_bias(f"{channels}×{_kernel_text(layer.kernel_size)}×{layer.filters}", bias),
        connections=ConnectionTerms(spatial, ((channels, window * layer.filters, 0),),
                                    extra_links=prod(out_spatial) * bias),
    )


def _pooling(layer: Any, shape: tuple[int, ...], field: Field) -> Computed:
    """Max/average pooling, 1-D and 3-D."""
    spatial, channels = _spatial(layer, shape, layer.rank)
    op = "maxpool" if "Max" in layer.type else "avgpool"
    strides = layer.strides or layer.pool_size
    sizes = _windows(layer, spatial, layer.pool_size, strides, (1,) * layer.rank, op)
    return Computed(out=(*(a.output for a in sizes), channels), field=grow_field(field, sizes), sizes=sizes)


def _global_pooling(layer: Any, shape: tuple[int, ...], field: Field) -> Computed:
    """Global pooling, 1-D and 3-D."""
    _, channels = _spatial(layer, shape, layer.rank)
    return Computed(out=(*(1,) * layer.rank, channels) if layer.keepdims else (channels,), field=Field(None, None))


def _upsampling(layer: Any, shape: tuple[int, ...], field: Field) -> Computed:
    """UpSampling1D/2D/3D."""
    spatial, channels = _spatial(layer, shape, layer.rank)
    factors = (layer.size,) if isinstance(layer.size, int) else tuple(layer.size)
    return Computed(out=(*(n * f for n, f in zip(spatial, factors, strict=True)), channels),
                    field=_shrink_jump(field, factors))


def _crop_or_pad(layer: Any, shape: tuple[int, ...], field: Field) -> Computed:
    """Cropping1D/2D/3D and ZeroPadding1D/3D."""
    spatial, channels = _spatial(layer, shape, layer.rank)
    cropping = isinstance(layer, (K.Cropping1D, K.Cropping2D, K.Cropping3D))
    sides = layer.cropping if cropping else layer.padding
    sign = -1 if cropping else 1
    out = tuple(n + sign * (a + b) for n, (a, b) in zip(spatial, sides, strict=True))
    if min(out) < 1:
        raise LenetError(f"{layer.name}: cropping {sides} leaves nothing of an input of {spatial}")
    return Computed(out=(*out, channels), field=field)


def _reshape(layer: Any, shape: tuple[int, ...], field: Field) -> Computed:
    """Reshape, Permute and RepeatVector."""
    if isinstance(layer, K.RepeatVector):
        if len(shape) != 1:
            raise LenetError(f"{layer.name}: RepeatVector needs a (features,) input, got {shape}")
        return Computed(out=(layer.n, shape[0]), field=Field(None, None))
    if isinstance(layer, K.Permute):
        if len(layer.dims) != len(shape):
            raise LenetError(f"{layer.name}: dims {layer.dims} do not match an input of shape {shape}")
        kept = layer.dims == tuple(range(1, len(shape) + 1))
        return Computed(out=tuple(shape[d - 1] for d in layer.dims), field=field if kept else Field(None, None))
    target = layer.target_shape
    known = prod(v for v in target if v != -1)
    total = prod(shape)
    if -1 in target and total % known == 0:
        target = tuple(total // known if v == -1 else v for v in target)
    if prod(target) != total:
        raise LenetError(f"{layer.name}: cannot reshape {total:,} values {shape} into {layer.target_shape}")
    return Computed(out=target, field=field if target == shape else Field(None, None))


def _same_shape(layer: Any, shape: tuple[int, ...], field: Field) -> Computed:
    """Activations, dropout, noise, random augmentations, rescaling: shape kept, no weights."""
    if isinstance(layer, K.Softmax):
        _axis_index(layer, layer.axis, shape)
    if isinstance(layer, K.UnitNormalization):
        for axis in layer.axis:
            _axis_index(layer, axis, shape)
    return Computed(out=shape, field=field)


def _normalization(layer: Any, shape: tuple[int, ...], field: Field) -> Computed:
    """LayerNormalization, GroupNormalization and Normalization: weights per normalised feature."""
    axes = layer.axis if isinstance(layer.axis, tuple) else (layer.axis,)
    indexes = sorted({_axis_index(layer, axis, shape) for axis in axes})
    features = prod(shape[i] for i in indexes)
    last = indexes == [len(shape) - 1]
    positions = tuple(n for i, n in enumerate(shape) if i not in indexes) if last else ()
    units = shape[-1] if last else prod(shape)
    if isinstance(layer, K.Normalization):
        if layer.mean is not None and layer.variance is not None:
            return Computed(out=shape, field=field, formula="")  # given constants, not weights
        terms = ConnectionTerms(positions, ((units, 1, 1),))
        return Computed(out=shape, field=field, fixed=2 * features + 1,
                        formula=f"2×{features} + 1 (mean, variance, count)", connections=terms)
    if isinstance(layer, K.GroupNormalization) and shape[indexes[0]] % layer.groups:
        raise LenetError(f"{layer.name}: groups={layer.groups} must divide the {shape[indexes[0]]} channels")
    scale = int(layer.scale or getattr(layer, "rms_scaling", False))
    center = int(layer.center and not getattr(layer, "rms_scaling", False))
    learned = scale + center
    return Computed(out=shape, field=field, trainable=learned * features,
                    formula=f"{learned}×{features}" if learned else "",
                    connections=ConnectionTerms(positions, ((units, scale, center),)) if learned else ConnectionTerms())


def _per_value_weights(layer: Any, shape: tuple[int, ...], field: Field) -> Computed:
    """PReLU (one slope per value, shared along ``shared_axes``) and ConvNeXt's LayerScale (one per channel)."""
    if isinstance(layer, K.LayerScale):
        if shape[-1] != layer.projection_dim:
            raise LenetError(f"{layer.name}: projection_dim {layer.projection_dim} differs from the "
                             f"{shape[-1]} channels")
        return Computed(out=shape, field=field, trainable=layer.projection_dim, formula=f"{layer.projection_dim}",
                        connections=ConnectionTerms(shape[:-1], ((shape[-1], 1, 0),)))
    shared = {_axis_index(layer, axis, shape) for axis in layer.shared_axes or ()}
    alpha = tuple(1 if i in shared else n for i, n in enumerate(shape))
    return Computed(out=shape, field=field, trainable=prod(alpha), formula="×".join(str(v) for v in alpha),
                    connections=ConnectionTerms((), ((prod(shape), 1, 0),)))


def _image_resize(layer: Any, shape: tuple[int, ...], field: Field) -> Computed:
    """Resizing, CenterCrop and RandomCrop: to ``height``×``width``."""
    (height, width), channels = _spatial(layer, shape, 2)
    out = (layer.height, layer.width, channels)
    if isinstance(layer, K.Resizing) or (isinstance(layer, K.CenterCrop) and (height < layer.height
                                                                              or width < layer.width)):
        field = _shrink_jump(field, (Fraction(layer.height, height), Fraction(layer.width, width)))
    return Computed(out=out, field=field)


def _embedding(layer: Any, shape: tuple[int, ...], field: Field) -> Computed:
    """Embedding: one learned vector per token."""
    return Computed(out=(*shape, layer.output_dim), field=Field(None, None),
                    trainable=layer.input_dim * layer.output_dim, formula=f"{layer.input_dim}×{layer.output_dim}")


_SINGLE: tuple[tuple[Any, Any], ...] = (
    ((K.Conv1D, K.Conv3D), _conv),
    ((K.DepthwiseConv1D, K.DepthwiseConv2D), _depthwise),
    ((K.SeparableConv1D, K.SeparableConv2D), _separable),
    ((K.Conv1DTranspose, K.Conv2DTranspose, K.Conv3DTranspose), _transposed),
    ((K.MaxPooling1D, K.AveragePooling1D, K.MaxPooling3D, K.AveragePooling3D), _pooling),
    ((K.GlobalAveragePooling1D, K.GlobalMaxPooling1D, K.GlobalAveragePooling3D, K.GlobalMaxPooling3D),
     _global_pooling),
    ((K.UpSampling1D, K.UpSampling2D, K.UpSampling3D), _upsampling),
    ((K.Cropping1D, K.Cropping2D, K.Cropping3D, K.ZeroPadding1D, K.ZeroPadding3D), _crop_or_pad),
    ((K.Reshape, K.Permute, K.RepeatVector), _reshape),
    ((K.LayerNormalization, K.GroupNormalization, K.Normalization), _normalization),
    ((K.PReLU, K.LayerScale), _per_value_weights),
    ((K.Resizing, K.CenterCrop, K.RandomCrop), _image_resize),
    ((K.Embedding,), _embedding),
    ((K.ReLU, K.LeakyReLU, K.ELU, K.Softmax, K.UnitNormalization, K.Rescaling, K.RandomFlip, K.RandomRotation,
      K.RandomZoom, K.RandomTranslation, K.RandomContrast, K.RandomBrightness, K.SpatialDropout1D,
      K.SpatialDropout2D, K.SpatialDropout3D, K.GaussianNoise, K.GaussianDropout, K.AlphaDropout, K.Identity,
      K.StochasticDepth), _same_shape),
)


def broadcast_shapes(layer: Layer, shapes: list[tuple[int, ...]]) -> tuple[int, ...]:
    """Return the element-wise result shape of ``shapes`` (a size 1 stretches), or explain the clash."""
    rank = max(len(s) for s in shapes)
    out = []
    for i in range(rank):
        sizes = {s[i - rank + len(s)] for s in shapes if i - rank + len(s) >= 0} - {1}
        if len(sizes) > 1:
            raise LenetError(f"{layer.name}: {layer.type} cannot combine shapes {', '.join(map(str, shapes))}")
        out.append(sizes.pop() if sizes else 1)
    return tuple(out)


def merge_fields(fields: list[Field]) -> Field:
    """The largest receptive field of several inputs (the jump of the largest); "all" when any is."""
    if any(f.size is None or f.jump is None for f in fields) or len({len(f.size or ()) for f in fields}) != 1:
        return Field(None, None)
    best = max(fields, key=lambda f: prod(f.size or ()))
    size = tuple(max(values) for values in zip(*(f.size or () for f in fields), strict=True))
    return Field(size, best.jump)


def compute_merge(layer: Layer, shapes: list[tuple[int, ...]], fields: list[Field]) -> Computed:
    """Return one call of a merge layer or a tensor operation on its inputs."""
    field = merge_fields(fields)
    if isinstance(layer, K.TensorOp):
        wanted = sum(1 for v in layer.operands if v is None)
        if len(shapes) != wanted:
            raise LenetError(f"{layer.name}: {layer.type} takes {wanted} tensors, got {len(shapes)}")
        return Computed(out=broadcast_shapes(layer, shapes), field=field)
    if len(shapes) < 2 or (isinstance(layer, (K.Subtract, K.Dot)) and len(shapes) != 2):
        needed = "exactly 2" if isinstance(layer, (K.Subtract, K.Dot)) else "at least 2"
        raise LenetError(f"{layer.name}: {layer.type} needs {needed} inputs, got {len(shapes)}")
    if isinstance(layer, K.Concatenate):
        axis = _axis_index(layer, layer.axis, shapes[0])
        rest = {s[:axis] + s[axis + 1:] for s in shapes}
        if len({len(s) for s in shapes}) != 1 or len(rest) != 1:
            raise LenetError(f"{layer.name}: Concatenate needs shapes equal but on axis {layer.axis}, got "
                             f"{', '.join(map(str, shapes))}")
        out = list(shapes[0])
        out[axis] = sum(s[axis] for s in shapes)
        return Computed(out=tuple(out), field=field)
    if isinstance(layer, K.Dot):
        return _dot(layer, shapes, field)
    return Computed(out=broadcast_shapes(layer, shapes), field=field)


def _dot(layer: K.Dot, shapes: list[tuple[int, ...]], field: Field) -> Computed:
    """Dot: contract one axis of each input; MACs are the products summed."""
    axes = layer.axes if len(layer.axes) == 2 else layer.axes * 2
    first, second = shapes
    i, j = _axis_index(layer, axes[0], first), _axis_index(layer, axes[1], second)
    if first[i] != second[j] or len(first) != len(second) or len(first) > 2:
        raise LenetError(f"{layer.name}: Dot cannot contract {first} (axis {axes[0]}) with {second} (axis {axes[1]})")
    out = tuple(n for k, n in enumerate(first) if k != i) + tuple(n for k, n in enumerate(second) if k != j) or (1,)
    return Computed(out=out, field=Field(None, None), macs=prod(out) * first[i])
