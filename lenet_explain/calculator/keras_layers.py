"""Descriptions of the rest of Keras' vision and sequence layers: 1-D/3-D, transposed, separable and depthwise
convolutions, pooling, resampling, reshaping, activations, normalisations, preprocessing, merges, and the layers
``keras.applications`` registers, plus a nested model and an element-wise tensor operation.

Each is a frozen dataclass whose fields are the Keras constructor arguments that decide its output shape and its
weights (and the ones Keras requires, like ``Rescaling.scale``); the arithmetic is in
:mod:`lenet_explain.calculator.layer_arithmetic`. A class states its checks once in ``_checks`` (field → kind); the
common ``__post_init__`` normalises and checks them, so a bad value is a one-line error naming the layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from lenet_explain.calculator.layers import Layer, _positive, check_activation
from lenet_explain.errors import LenetError

if TYPE_CHECKING:
    from lenet_explain.calculator.layers import Stack


def _is_int(value: object) -> bool:
    """True for an int that is not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    """True for an int or a float that is not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _ints(layer: Layer, attr: str, value: object, rank: int, least: int) -> tuple[int, ...]:
    """Return ``value`` (an int, or ``rank`` ints) as ``rank`` ints ≥ ``least``."""
    items = (value,) * rank if _is_int(value) else value
    if not isinstance(items, (tuple, list)) or len(items) != rank or not all(
            _is_int(v) and v >= least for v in items):
        what = "positive" if least else ">= 0"
        raise LenetError(f"{layer.type}: {attr} must be an integer or {rank} integers, {what}, got {value!r}")
    return tuple(items)


def _sides(layer: Layer, attr: str, value: object, rank: int) -> tuple[tuple[int, int], ...]:
    """Return cropping or padding as ``rank`` (before, after) pairs of ints ≥ 0 (from P, (P, …) or ((a, b), …))."""
    if _is_int(value):
        value = (value,) * rank
    pairs: list[tuple[int, int]] = []
    if isinstance(value, (tuple, list)) and len(value) == rank:
        for item in value:
            pair = (item, item) if _is_int(item) else item
            if isinstance(pair, (tuple, list)) and len(pair) == 2 and all(_is_int(v) and v >= 0 for v in pair):
                pairs.append((pair[0], pair[1]))
    elif rank == 1 and isinstance(value, (tuple, list)) and len(value) == 2 and all(
            _is_int(v) and v >= 0 for v in value):
        pairs.append((value[0], value[1]))
    if len(pairs) != rank:
        raise LenetError(f"{layer.type}: {attr} must be P, {rank} values or {rank} (before, after) pairs of "
                         f"integers >= 0, got {value!r}")
    return tuple(pairs)


def _check(layer: Layer, attr: str, kind: str, rank: int) -> None:
    """Check (and normalise) one field of ``layer`` according to ``kind``."""
    value = getattr(layer, attr)
    bad = f"{layer.type}: {attr} must be"
    new: Any = value
    if kind == "positive":
        if not _positive(value):
            raise LenetError(f"{bad} a positive integer, got {value!r}")
    elif kind == "window":
        new = _ints(layer, attr, value, rank, 1)
    elif kind in ("ones", "twos"):
        new = _ints(layer, attr, (1 if kind == "ones" else 2) if value is None else value, rank, 1)
    elif kind == "window_or_none":
        new = None if value is None else _ints(layer, attr, value, rank, 1)
    elif kind == "pad_or_none":
        new = None if value is None else _ints(layer, attr, value, rank, 0)
    elif kind == "padding":
        allowed = ("valid", "same", "causal") if rank == 1 else ("valid", "same")
        if value not in allowed:
            raise LenetError(f"{bad} one of {', '.join(allowed)}, got {value!r}")
    elif kind == "activation":
        check_activation(value)
    elif kind == "bool":
        if not isinstance(value, bool):
            raise LenetError(f"{bad} true or false, got {value!r}")
    elif kind == "rate":
        if not _is_number(value) or not 0 <= value < 1:
            raise LenetError(f"{bad} a number from 0 up to (not including) 1, got {value!r}")
    elif kind == "number":
        if not _is_number(value):
            raise LenetError(f"{bad} a number, got {value!r}")
    elif kind == "number_or_none":
        if value is not None and not _is_number(value):
            raise LenetError(f"{bad} a number or null, got {value!r}")
    elif kind == "factor":
        if not (_is_number(value) or (isinstance(value, (tuple, list)) and 1 <= len(value) <= 2
                and all(_is_number(v) for v in value))):
            raise LenetError(f"{bad} a number or two numbers, got {value!r}")
    elif kind == "numbers_or_none":
        if value is not None and not _is_number(value) and not (
                isinstance(value, (tuple, list)) and all(_is_number(v) for v in value)):
            raise LenetError(f"{bad} a number, a list of numbers or null, got {value!r}")
    elif kind == "axis":
        if not (_is_int(value) or (isinstance(value, (tuple, list)) and value and all(_is_int(v) for v in value))):
            raise LenetError(f"{bad} an axis or a list of axes, got {value!r}")
        new = (value,) if _is_int(value) else tuple(value)
    elif kind == "axes_or_none":
        if value is not None and not (isinstance(value, (tuple, list)) and value and all(
                _is_int(v) and v >= 1 for v in value)):
            raise LenetError(f"{bad} a list of axes (1 or more) or null, got {value!r}")
        new = None if value is None else tuple(value)
    elif kind == "int_axis":
        if not _is_int(value) or value == 0:
            raise LenetError(f"{bad} an axis (a non-zero integer), got {value!r}")
    elif kind == "sides":
        new = _sides(layer, attr, value, rank)
    elif kind == "text":
        if not isinstance(value, str):
            raise LenetError(f"{bad} text, got {value!r}")
    else:  # pragma: no cover - a programming error
        raise AssertionError(kind)
    object.__setattr__(layer, attr, new)


@dataclass(frozen=True, repr=False, eq=False)
class Checked(Layer):
    """A layer whose fields are checked by kind (``_checks``); ``rank`` is its number of spatial axes."""

    rank: ClassVar[int] = 2
    _checks: ClassVar[tuple[tuple[str, str], ...]] = ()

    def __post_init__(self) -> None:
        for attr, kind in self._checks:
            _check(self, attr, kind, self.rank)


_CONV_CHECKS = (("filters", "positive"), ("kernel_size", "window"), ("strides", "ones"),
                ("padding", "padding"), ("dilation_rate", "ones"), ("groups", "positive"),
                ("activation", "activation"), ("use_bias", "bool"))


@dataclass(frozen=True, repr=False, eq=False)
class _Conv(Checked):
    """Fields of the 1-D and 3-D convolutions (strides and dilation default to ones)."""

    _checks = _CONV_CHECKS
    filters: int
    kernel_size: tuple[int, ...]
    strides: tuple[int, ...] = None  # type: ignore[assignment]  # None: ones
    padding: str = "valid"
    dilation_rate: tuple[int, ...] = None  # type: ignore[assignment]
    groups: int = 1
    activation: str | None = None
    use_bias: bool = True


@dataclass(frozen=True, repr=False, eq=False)
class Conv1D(_Conv):
    """A 1-D convolution over (steps, channels); 'causal' pads only the start."""

    rank: ClassVar[int] = 1


@dataclass(frozen=True, repr=False, eq=False)
class Conv3D(_Conv):
    """A 3-D convolution over (depth, height, width, channels)."""

    rank: ClassVar[int] = 3


@dataclass(frozen=True, repr=False, eq=False)
class _ConvTranspose(Checked):
    """Fields of the transposed convolutions."""

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


@dataclass(frozen=True, repr=False, eq=False)
class Conv1DTranspose(_ConvTranspose):
    """A transposed 1-D convolution (each input step spreads a kernel over the output)."""

    rank: ClassVar[int] = 1


@dataclass(frozen=True, repr=False, eq=False)
class Conv2DTranspose(_ConvTranspose):
    """A transposed 2-D convolution (the decoder's upsampling convolution)."""


@dataclass(frozen=True, repr=False, eq=False)
class Conv3DTranspose(_ConvTranspose):
    """A transposed 3-D convolution."""

    rank: ClassVar[int] = 3


@dataclass(frozen=True, repr=False, eq=False)
class _Separable(Checked):
    """Fields of the separable convolutions."""

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


@dataclass(frozen=True, repr=False, eq=False)
class SeparableConv1D(_Separable):
    """A depthwise 1-D convolution followed by a pointwise (1-wide) one."""

    rank: ClassVar[int] = 1


@dataclass(frozen=True, repr=False, eq=False)
class SeparableConv2D(_Separable):
    """A depthwise 2-D convolution followed by a pointwise (1×1) one (Xception, NASNet)."""


@dataclass(frozen=True, repr=False, eq=False)
class _Depthwise(Checked):
    """Fields of the depthwise convolutions."""

    _checks = (("kernel_size", "window"), ("strides", "ones"), ("padding", "padding"), ("dilation_rate", "ones"),
               ("depth_multiplier", "positive"), ("activation", "activation"), ("use_bias", "bool"))
    kernel_size: tuple[int, ...]
    strides: tuple[int, ...] = None  # type: ignore[assignment]
    padding: str = "valid"
    dilation_rate: tuple[int, ...] = None  # type: ignore[assignment]
    depth_multiplier: int = 1
    activation: str | None = None
    use_bias: bool = True


@dataclass(frozen=True, repr=False, eq=False)
class DepthwiseConv1D(_Depthwise):
    """A 1-D convolution of each channel on its own (``depth_multiplier`` filters per channel)."""

    rank: ClassVar[int] = 1


@dataclass(frozen=True, repr=False, eq=False)
class DepthwiseConv2D(_Depthwise):
    """A 2-D convolution of each channel on its own (MobileNet, EfficientNet)."""


@dataclass(frozen=True, repr=False, eq=False)
class _Pooling(Checked):
    """Fields of the 1-D and 3-D pooling layers (``strides`` defaults to ``pool_size``)."""

    _checks = (("pool_size", "twos"), ("strides", "window_or_none"), ("padding", "padding"))
    pool_size: tuple[int, ...] = None  # type: ignore[assignment]  # None: 2 on every axis
    strides: tuple[int, ...] | None = None
    padding: str = "valid"


@dataclass(frozen=True, repr=False, eq=False)
class MaxPooling1D(_Pooling):
    """1-D max pooling."""

    rank: ClassVar[int] = 1


@dataclass(frozen=True, repr=False, eq=False)
class AveragePooling1D(_Pooling):
    """1-D average pooling."""

    rank: ClassVar[int] = 1


@dataclass(frozen=True, repr=False, eq=False)
class MaxPooling3D(_Pooling):
    """3-D max pooling."""

    rank: ClassVar[int] = 3


@dataclass(frozen=True, repr=False, eq=False)
class AveragePooling3D(_Pooling):
    """3-D average pooling."""

    rank: ClassVar[int] = 3


@dataclass(frozen=True, repr=False, eq=False)
class _GlobalPooling(Checked):
    """Pooling over every position, one value per channel (a size-1 position with ``keepdims``)."""

    _checks = (("keepdims", "bool"),)
    keepdims: bool = False


@dataclass(frozen=True, repr=False, eq=False)
class GlobalAveragePooling1D(_GlobalPooling):
    """Mean over all steps."""

    rank: ClassVar[int] = 1


@dataclass(frozen=True, repr=False, eq=False)
class GlobalMaxPooling1D(_GlobalPooling):
    """Maximum over all steps."""

    rank: ClassVar[int] = 1


@dataclass(frozen=True, repr=False, eq=False)
class GlobalAveragePooling3D(_GlobalPooling):
    """Mean over the whole volume."""

    rank: ClassVar[int] = 3


@dataclass(frozen=True, repr=False, eq=False)
class GlobalMaxPooling3D(_GlobalPooling):
    """Maximum over the whole volume."""

    rank: ClassVar[int] = 3


@dataclass(frozen=True, repr=False, eq=False)
class UpSampling1D(Checked):
    """Repeats each step ``size`` times."""

    rank: ClassVar[int] = 1
    _checks = (("size", "positive"),)
    size: int = 2


@dataclass(frozen=True, repr=False, eq=False)
class UpSampling2D(Checked):
    """Repeats (or interpolates) rows and columns ``size`` times."""

    _checks = (("size", "window"), ("interpolation", "text"))
    size: tuple[int, ...] = (2, 2)
    interpolation: str = "nearest"


@dataclass(frozen=True, repr=False, eq=False)
class UpSampling3D(Checked):
    """Repeats each axis of a volume ``size`` times."""

    rank: ClassVar[int] = 3
    _checks = (("size", "window"),)
    size: tuple[int, ...] = (2, 2, 2)


@dataclass(frozen=True, repr=False, eq=False)
class Cropping1D(Checked):
    """Drops steps at the start and the end: ``(before, after)``."""

    rank: ClassVar[int] = 1
    _checks = (("cropping", "sides"),)
    cropping: tuple[tuple[int, int], ...] = ((1, 1),)


@dataclass(frozen=True, repr=False, eq=False)
class Cropping2D(Checked):
    """Drops rows and columns at the edges: ``((top, bottom), (left, right))``."""

    _checks = (("cropping", "sides"),)
    cropping: tuple[tuple[int, int], ...] = ((0, 0), (0, 0))


@dataclass(frozen=True, repr=False, eq=False)
class Cropping3D(Checked):
    """Drops planes at the edges of a volume, per axis (before, after)."""

    rank: ClassVar[int] = 3
    _checks = (("cropping", "sides"),)
    cropping: tuple[tuple[int, int], ...] = ((1, 1), (1, 1), (1, 1))


@dataclass(frozen=True, repr=False, eq=False)
class ZeroPadding1D(Checked):
    """Zero steps added at the start and the end: ``(before, after)``."""

    rank: ClassVar[int] = 1
    _checks = (("padding", "sides"),)
    padding: tuple[tuple[int, int], ...] = ((1, 1),)


@dataclass(frozen=True, repr=False, eq=False)
class ZeroPadding3D(Checked):
    """Zero planes added around a volume, per axis (before, after)."""

    rank: ClassVar[int] = 3
    _checks = (("padding", "sides"),)
    padding: tuple[tuple[int, int], ...] = ((1, 1), (1, 1), (1, 1))


@dataclass(frozen=True, repr=False, eq=False)
class Reshape(Layer):
    """Gives the values another shape (one ``-1`` stands for what is left)."""

    target_shape: tuple[int, ...]

    def __post_init__(self) -> None:
        shape = self.target_shape
        if not isinstance(shape, (tuple, list)) or not shape or not all(
                _is_int(v) and (v >= 1 or v == -1) for v in shape) or list(shape).count(-1) > 1:
            raise LenetError(f"Reshape: target_shape must be positive integers (at most one -1), got {shape!r}")
        object.__setattr__(self, "target_shape", tuple(shape))


@dataclass(frozen=True, repr=False, eq=False)
class Permute(Layer):
    """Reorders the axes (numbered from 1, the batch axis excluded)."""

    dims: tuple[int, ...]

    def __post_init__(self) -> None:
        dims = self.dims
        if not isinstance(dims, (tuple, list)) or sorted(dims) != list(range(1, len(dims) + 1)):
            raise LenetError(f"Permute: dims must be a permutation of 1, 2, …, got {dims!r}")
        object.__setattr__(self, "dims", tuple(dims))


@dataclass(frozen=True, repr=False, eq=False)
class RepeatVector(Checked):
    """Repeats a vector ``n`` times: (features,) → (n, features)."""

    _checks = (("n", "positive"),)
    n: int


@dataclass(frozen=True, repr=False, eq=False)
class ReLU(Checked):
    """The rectifier as a layer: max(x, 0), optionally capped (``max_value``) and leaky."""

    _checks = (("max_value", "number_or_none"), ("negative_slope", "number"), ("threshold", "number"))
    max_value: float | None = None
    negative_slope: float = 0.0
    threshold: float = 0.0


@dataclass(frozen=True, repr=False, eq=False)
class LeakyReLU(Checked):
    """x for x > 0, else ``negative_slope``·x."""

    _checks = (("negative_slope", "number"),)
    negative_slope: float = 0.3


@dataclass(frozen=True, repr=False, eq=False)
class ELU(Checked):
    """x for x > 0, else ``alpha``·(eˣ − 1)."""

    _checks = (("alpha", "number"),)
    alpha: float = 1.0


@dataclass(frozen=True, repr=False, eq=False)
class Softmax(Checked):
    """Softmax along ``axis``."""

    _checks = (("axis", "int_axis"),)
    axis: int = -1


@dataclass(frozen=True, repr=False, eq=False)
class PReLU(Checked):
    """A leaky rectifier whose slope is learned, one per value unless ``shared_axes`` share it."""

    _checks = (("shared_axes", "axes_or_none"),)
    shared_axes: tuple[int, ...] | None = None


@dataclass(frozen=True, repr=False, eq=False)
class LayerNormalization(Checked):
    """Normalises each sample over ``axis``: gamma (scale) and beta (shift) trainable."""

    _checks = (("axis", "axis"), ("center", "bool"), ("scale", "bool"), ("rms_scaling", "bool"))
    axis: tuple[int, ...] = (-1,)
    center: bool = True
    scale: bool = True
    rms_scaling: bool = False


@dataclass(frozen=True, repr=False, eq=False)
class GroupNormalization(Checked):
    """Normalises groups of channels: gamma and beta per channel, trainable."""

    _checks = (("groups", "positive"), ("axis", "int_axis"), ("center", "bool"), ("scale", "bool"))
    groups: int = 32
    axis: int = -1
    center: bool = True
    scale: bool = True


@dataclass(frozen=True, repr=False, eq=False)
class UnitNormalization(Checked):
    """Scales each sample to unit L2 norm over ``axis``; no parameters."""

    _checks = (("axis", "axis"),)
    axis: tuple[int, ...] = (-1,)


@dataclass(frozen=True, repr=False, eq=False)
class Normalization(Checked):
    """(x − mean)/√variance per feature; without a given mean and variance, both (and a count) are weights."""

    _checks = (("axis", "axis"), ("mean", "numbers_or_none"), ("variance", "numbers_or_none"), ("invert", "bool"))
    axis: tuple[int, ...] = (-1,)
    mean: Any = None
    variance: Any = None
    invert: bool = False


@dataclass(frozen=True, repr=False, eq=False)
class Rescaling(Checked):
    """x·scale + offset (e.g. pixels 0–255 to 0–1)."""

    _checks = (("scale", "number"), ("offset", "number"))
    scale: float
    offset: float = 0.0


@dataclass(frozen=True, repr=False, eq=False)
class Resizing(Checked):
    """Resizes images to ``height``×``width``."""

    _checks = (("height", "positive"), ("width", "positive"), ("interpolation", "text"))
    height: int
    width: int
    interpolation: str = "bilinear"


@dataclass(frozen=True, repr=False, eq=False)
class CenterCrop(Checked):
    """Crops the centre ``height``×``width`` of an image (resizing when it is smaller)."""

    _checks = (("height", "positive"), ("width", "positive"))
    height: int
    width: int


@dataclass(frozen=True, repr=False, eq=False)
class RandomCrop(Checked):
    """Crops a random ``height``×``width`` window while training (the centre at inference)."""

    _checks = (("height", "positive"), ("width", "positive"))
    height: int
    width: int


@dataclass(frozen=True, repr=False, eq=False)
class RandomFlip(Checked):
    """Flips images at random while training."""

    _checks = (("mode", "text"),)
    mode: str = "horizontal_and_vertical"


@dataclass(frozen=True, repr=False, eq=False)
class RandomRotation(Checked):
    """Rotates images by a random fraction of a turn while training."""

    _checks = (("factor", "factor"),)
    factor: Any


@dataclass(frozen=True, repr=False, eq=False)
class RandomZoom(Checked):
    """Zooms images at random while training."""

    _checks = (("height_factor", "factor"),)
    height_factor: Any
    width_factor: Any = None


@dataclass(frozen=True, repr=False, eq=False)
class RandomTranslation(Checked):
    """Shifts images at random while training."""

    _checks = (("height_factor", "factor"), ("width_factor", "factor"))
    height_factor: Any
    width_factor: Any


@dataclass(frozen=True, repr=False, eq=False)
class RandomContrast(Checked):
    """Changes the contrast at random while training."""

    _checks = (("factor", "factor"),)
    factor: Any


@dataclass(frozen=True, repr=False, eq=False)
class RandomBrightness(Checked):
    """Changes the brightness at random while training."""

    _checks = (("factor", "factor"),)
    factor: Any


@dataclass(frozen=True, repr=False, eq=False)
class SpatialDropout1D(Checked):
    """Drops whole channels while training."""

    _checks = (("rate", "rate"),)
    rate: float = 0.5


@dataclass(frozen=True, repr=False, eq=False)
class SpatialDropout2D(Checked):
    """Drops whole feature maps while training."""

    _checks = (("rate", "rate"),)
    rate: float = 0.5


@dataclass(frozen=True, repr=False, eq=False)
class SpatialDropout3D(Checked):
    """Drops whole feature volumes while training."""

    _checks = (("rate", "rate"),)
    rate: float = 0.5


@dataclass(frozen=True, repr=False, eq=False)
class GaussianNoise(Checked):
    """Adds Gaussian noise while training."""

    _checks = (("stddev", "number"),)
    stddev: float


@dataclass(frozen=True, repr=False, eq=False)
class GaussianDropout(Checked):
    """Multiplies by Gaussian noise around 1 while training."""

    _checks = (("rate", "rate"),)
    rate: float


@dataclass(frozen=True, repr=False, eq=False)
class AlphaDropout(Checked):
    """Dropout that keeps SELU's mean and variance."""

    _checks = (("rate", "rate"),)
    rate: float


@dataclass(frozen=True, repr=False, eq=False)
class Identity(Layer):
    """Passes its input on unchanged."""


@dataclass(frozen=True, repr=False, eq=False)
class Embedding(Checked):
    """Looks up a learned vector of ``output_dim`` values for each integer token below ``input_dim``."""

    _checks = (("input_dim", "positive"), ("output_dim", "positive"))
    input_dim: int
    output_dim: int


@dataclass(frozen=True, repr=False, eq=False)
class Add(Layer):
    """Element-wise sum of its inputs (shapes broadcast)."""


@dataclass(frozen=True, repr=False, eq=False)
class Subtract(Layer):
    """The first input minus the second."""


@dataclass(frozen=True, repr=False, eq=False)
class Multiply(Layer):
    """Element-wise product of its inputs (squeeze-and-excitation's gate)."""


@dataclass(frozen=True, repr=False, eq=False)
class Average(Layer):
    """Element-wise mean of its inputs."""


@dataclass(frozen=True, repr=False, eq=False)
class Maximum(Layer):
    """Element-wise maximum of its inputs."""


@dataclass(frozen=True, repr=False, eq=False)
class Minimum(Layer):
    """Element-wise minimum of its inputs."""


@dataclass(frozen=True, repr=False, eq=False)
class Concatenate(Checked):
    """Joins its inputs along ``axis`` (the channels by default)."""

    _checks = (("axis", "int_axis"),)
    axis: int = -1


@dataclass(frozen=True, repr=False, eq=False)
class Dot(Checked):
    """Dot products of two inputs along ``axes`` (cosine similarity with ``normalize``)."""

    _checks = (("axes", "axis"), ("normalize", "bool"))
    axes: tuple[int, ...]
    normalize: bool = False


@dataclass(frozen=True, repr=False, eq=False)
class LayerScale(Checked):
    """ConvNeXt's learned per-channel scale (``keras.applications.convnext``): ``projection_dim`` weights."""

    _checks = (("init_values", "number"), ("projection_dim", "positive"))
    init_values: float
    projection_dim: int


@dataclass(frozen=True, repr=False, eq=False)
class StochasticDepth(Checked):
    """ConvNeXt's residual branch dropped at random while training (``keras.applications.convnext``)."""

    _checks = (("drop_path_rate", "rate"),)
    drop_path_rate: float


# Element-wise operations written on tensors (``x + 3.0``, ``x * y``): Keras saves them as operations of
# ``keras.src.ops.numpy``; the keys are their class names, the values the ``keras.ops`` functions.
TENSOR_OPS = {
    "Add": "add", "Subtract": "subtract", "Multiply": "multiply", "Divide": "divide", "TrueDivide": "true_divide",
    "Maximum": "maximum", "Minimum": "minimum", "Power": "power", "Negative": "negative", "Absolute": "absolute",
    "Abs": "abs", "Square": "square", "Sqrt": "sqrt", "Exp": "exp", "Log": "log", "Tanh": "tanh",
}


@dataclass(frozen=True, repr=False, eq=False)
class TensorOp(Layer):
    """An element-wise operation on tensors (``op``, a TENSOR_OPS key); ``operands`` holds its constants in
    order, None where a tensor goes. No weights."""

    op: str
    operands: tuple[float | None, ...] = (None, None)

    def __post_init__(self) -> None:
        if self.op not in TENSOR_OPS:
            raise LenetError(f"TensorOp: op must be one of {', '.join(TENSOR_OPS)}, got {self.op!r}")
        operands = self.operands
        if not isinstance(operands, (tuple, list)) or not operands or not all(
                v is None or _is_number(v) for v in operands):
            raise LenetError(f"TensorOp: operands must be numbers or null (a tensor), got {operands!r}")
        object.__setattr__(self, "operands", tuple(operands))

    @property
    def type(self) -> str:
        """Keras names the operation by its class, e.g. ``Add``."""
        return self.op


@dataclass(frozen=True, repr=False, eq=False)
class Model(Layer):
    """A model used as a layer inside another (ConvNeXt's stem and downsampling blocks): ``kind`` is Keras' class
    name, Sequential or Functional."""

    stack: Stack
    kind: str = "Functional"

    def __post_init__(self) -> None:
        if self.kind not in ("Sequential", "Functional"):
            raise LenetError(f"Model: kind must be Sequential or Functional, got {self.kind!r}")

    @property
    def type(self) -> str:
        """Keras prints a nested model's class: Sequential or Functional."""
        return self.kind


MERGE_TYPES = (Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot)

KERAS_LAYER_TYPES: tuple[type[Layer], ...] = (
    Conv1D, Conv3D, Conv1DTranspose, Conv2DTranspose, Conv3DTranspose, SeparableConv1D, SeparableConv2D,
    DepthwiseConv1D, DepthwiseConv2D, MaxPooling1D, AveragePooling1D, MaxPooling3D, AveragePooling3D,
    GlobalAveragePooling1D, GlobalMaxPooling1D, GlobalAveragePooling3D, GlobalMaxPooling3D, UpSampling1D,
    UpSampling2D, UpSampling3D, Cropping1D, Cropping2D, Cropping3D, ZeroPadding1D, ZeroPadding3D, Reshape, Permute,
    RepeatVector, ReLU, LeakyReLU, ELU, Softmax, PReLU, LayerNormalization, GroupNormalization, UnitNormalization,
    Normalization, Rescaling, Resizing, CenterCrop, RandomCrop, RandomFlip, RandomRotation, RandomZoom,
    RandomTranslation, RandomContrast, RandomBrightness, SpatialDropout1D, SpatialDropout2D, SpatialDropout3D,
    GaussianNoise, GaussianDropout, AlphaDropout, Identity, Embedding, *MERGE_TYPES, LayerScale, StochasticDepth,
)
