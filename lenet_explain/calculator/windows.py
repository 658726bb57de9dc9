"""How an axis goes through a window (a convolution's kernel, a pooling window), and the input checks of layers
that read positions and channels.

Rules for one axis (``output_size``), in the order they are checked; each failure raises a
:class:`LenetError` with the message below (the calculator page's JavaScript mirrors them):

- ``op`` is 'conv', 'maxpool' or 'avgpool';
- input, kernel, stride and dilation are positive integers, padding is 'valid', 'same' or an integer ≥ 0;
- average pooling has no dilation; ceil mode is for pooling, and not with 'same';
- pooling padding is at most half the pool size (PyTorch's rule);
- with 'valid' or explicit padding the (dilated) kernel fits in the padded input.

Sizes: effective kernel ``ke = dilation·(kernel − 1) + 1``; 'valid' and explicit padding give
``⌊(in − ke + pad)/stride⌋ + 1`` with ``pad`` the total of both sides; ceil mode rounds up instead
and then drops a last window that would start past the input, in the right padding (PyTorch); 'same' gives
``⌈in/stride⌉`` with Keras' padding ``max((out − 1)·stride + ke − in, 0)``, the odd pixel at the end; 'causal'
(1-D convolutions) pads ``ke − 1`` before the start only.
"""

from __future__ import annotations

from lenet_explain.calculator.base import Layer
from lenet_explain.calculator.basics import AxisSize, Padding, Shape
from lenet_explain.calculator.safe_data import check_digits
from lenet_explain.errors import LenetError

OPS = ("conv", "maxpool", "avgpool")


def _check_positive(value: object, what: str) -> int:
    """Return ``value`` if it is a positive integer, else raise a one-line error naming it."""
    check_digits(value, what)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise LenetError(f"{what} must be a positive integer, got {value!r}")
    return value


def _check_padding(padding: object) -> Padding:
    """Return ``padding`` if it is 'valid', 'same' or an integer ≥ 0."""
    check_digits(padding, "padding")
    if padding in ("valid", "same"):
        return str(padding)
    if isinstance(padding, int) and not isinstance(padding, bool) and padding >= 0:
        return padding
    raise LenetError(f"padding must be 'valid', 'same' or a number of pixels >= 0, got {padding!r}")


def output_size(
    input: int,
    kernel: int,
    stride: int | None = None,
    padding: Padding = "valid",
    dilation: int = 1,
    op: str = "conv",
    ceil_mode: bool = False,
) -> AxisSize:
    """Return how one axis of size ``input`` goes through a kernel (stride defaults to 1, or to the pool)."""
    if op not in OPS:
        raise LenetError(f"unknown operation {op!r} (choose conv, maxpool or avgpool)")
    _check_positive(input, "input")
    _check_positive(kernel, "kernel")
    stride = (1 if op == "conv" else kernel) if stride is None else stride
    _check_positive(stride, "stride")
    _check_positive(dilation, "dilation")
    padding = _check_padding(padding)
    if op == "avgpool" and dilation != 1:
        raise LenetError(f"average pooling has no dilation (got dilation {dilation})")
    if ceil_mode and op == "conv":
        raise LenetError("ceil mode applies to pooling only, not to convolution")
    if ceil_mode and padding == "same":
        raise LenetError("ceil mode applies to 'valid' or explicit padding, not to 'same'")
    if op != "conv" and isinstance(padding, int) and padding > kernel // 2:
        raise LenetError(f"padding {padding} is more than half the pool size {kernel}")
    effective = dilation * (kernel - 1) + 1

    if padding == "same":
        output = -(-input // stride)
        total = max((output - 1) * stride + effective - input, 0)
        before, after, mode = total // 2, total - total // 2, "same"
        numerator = input - effective + total
        return AxisSize(input, kernel, stride, dilation, effective, mode, before, after, op, False,
                        numerator, output, False)

    pad = 0 if padding == "valid" else int(padding)
    mode = "valid" if padding == "valid" else "explicit"
    if effective > input + 2 * pad:
        raise LenetError(_too_large_message(input, kernel, dilation, pad))
    numerator = input - effective + 2 * pad
    dropped = False
    if ceil_mode:
        output = -(-numerator // stride) + 1
        if (output - 1) * stride >= input + pad:
            output -= 1
            dropped = True
    else:
        output = numerator // stride + 1
    return AxisSize(input, kernel, stride, dilation, effective, mode, pad, pad, op, ceil_mode,
                    numerator, output, dropped)


def _too_large_message(input: int, kernel: int, dilation: int, pad: int) -> str:
    """Explain in words that the kernel does not fit in the (padded) input."""
    effective = dilation * (kernel - 1) + 1
    what = f"kernel {kernel}" if dilation == 1 else f"dilated kernel {effective} (kernel {kernel}, dilation {dilation})"
    where = f"the input {input}" if pad == 0 else f"the padded input {input + 2 * pad} ({input} + 2×{pad})"
    return f"{what} is larger than {where}"


def causal_size(size: int, kernel: int, stride: int, dilation: int) -> AxisSize:
    """One axis of a 'causal' 1-D convolution: ``dilation·(kernel − 1)`` zeros before the start, none after."""
    effective = dilation * (kernel - 1) + 1
    numerator = size - 1
    return AxisSize(size, kernel, stride, dilation, effective, "causal", effective - 1, 0, "conv", False,
                    numerator, numerator // stride + 1, False)


def window_sizes(layer: Layer, spatial: Shape, kernel: Shape, strides: Shape, padding: Padding,
                 dilation: Shape, op: str, ceil_mode: bool = False) -> tuple[AxisSize, ...]:
    """Return every spatial axis' size through a window; errors name the layer."""
    axes = zip(spatial, kernel, strides, dilation, strict=True)
    try:
        if padding == "causal":
            return tuple(causal_size(n, k, s, d) for n, k, s, d in axes)
        return tuple(output_size(n, k, s, padding, d, op, ceil_mode) for n, k, s, d in axes)
    except LenetError as error:
        raise LenetError(f"{layer.name}: {error}") from None


def split_channels(layer: Layer, shape: Shape, rank: int) -> tuple[Shape, int]:
    """Return (spatial sizes, channels) of an input that must have ``rank`` spatial axes and channels last."""
    if len(shape) != rank + 1:
        want = {1: "(steps, channels)", 2: "(height, width, channels)", 3: "(depth, height, width, channels)"}[rank]
        raise LenetError(f"{layer.name}: {layer.type} needs a {want} input, got {shape}")
    return shape[:-1], shape[-1]


def axis_index(layer: Layer, axis: int, shape: Shape) -> int:
    """Return the index into ``shape`` (no batch axis) of a Keras axis (which counts the batch as 0)."""
    index = axis - 1 if axis > 0 else len(shape) + axis
    if not 0 <= index < len(shape):
        raise LenetError(f"{layer.name}: axis {axis} is outside an input of shape {shape}")
    return index
