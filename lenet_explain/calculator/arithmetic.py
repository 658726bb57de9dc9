"""Layer arithmetic: output sizes, parameters, MACs, receptive fields and memory, as plain data.

Pure Python on purpose: importing this never imports numpy or TensorFlow. Rendering lives in
:mod:`lenet_explain.calculator.formatting`.

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
``⌈in/stride⌉`` with Keras' padding ``max((out − 1)·stride + ke − in, 0)``, the odd pixel at the end.

Connections, counted as the 1998 paper counts them (LeCun et al., section II.B): a connection is a link from an
input value to a unit through a weight (trainable or fixed), and each bias is one more connection, a link from a
constant 1. A layer's count is ``positions × Σ units × (inputs + bias)`` (:class:`ConnectionTerms`), the number of
weight uses per image, which weight sharing makes far larger than the number of parameters. So a convolution unit has
``kernel height × kernel width × input maps it reads`` connections plus its bias (a zero of padding is an input like
any other: the kernel multiplies it); a dense unit one per input plus its bias; a subsampling unit one per input of
its window (they share the map's coefficient) plus its bias; an RBF unit one per input (no bias); batch
normalisation one per value (its scale) plus its shift. Layers without weights (pooling, flattening, padding,
dropout, activation) have no connections: their links carry no parameter.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, replace
from fractions import Fraction
from math import prod
from typing import TYPE_CHECKING

from lenet_explain.calculator.layers import (
    Activation,
    AveragePooling2D,
    BatchNormalization,
    Conv2D,
    Dense,
    Dropout,
    EuclideanRBF,
    Flatten,
    GlobalAveragePooling2D,
    GlobalMaxPooling2D,
    Layer,
    MaxPooling2D,
    Padding,
    SparseConv2D,
    Stack,
    Subsampling2D,
    ZeroPadding2D,
)
from lenet_explain.calculator.safe_data import check_digits

if TYPE_CHECKING:
    from lenet_explain.calculator.layer_arithmetic import Computed
from lenet_explain.errors import LenetError

OPS = ("conv", "maxpool", "avgpool")
BYTES_PER_VALUE = 4  # float32


@dataclass(frozen=True)
class AxisSize:
    """How one spatial axis goes through a convolution or a pooling window."""

    input: int
    kernel: int
    stride: int
    dilation: int
    effective_kernel: int
    mode: str  # 'valid', 'same' or 'explicit'
    pad_before: int
    pad_after: int
    op: str
    ceil_mode: bool
    numerator: int  # input − effective kernel + total padding
    output: int
    dropped_last: bool  # ceil mode: a last window that would start past the input was dropped

    @property
    def pad(self) -> int:
        """Total padding of the axis (both sides)."""
        return self.pad_before + self.pad_after

    @property
    def exact(self) -> bool:
        """True when the stride divides the numerator, so no floor or ceil is needed."""
        return self.numerator % self.stride == 0


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


@dataclass(frozen=True)
class ParamTerms:
    """The pieces of a layer's parameter formula."""

    kind: str  # 'conv', 'dense', 'batchnorm' or 'none'
    inputs: int = 0  # input channels (conv), input units (dense), channels (batchnorm)
    kernel: tuple[int, int] | None = None
    outputs: int = 0  # filters or units
    bias: int = 0  # bias parameters (0 without bias)
    per_channel: int = 0  # batchnorm: parameters per channel
    trainable_per_channel: int = 0
    groups: tuple[tuple[int, int], ...] = ()  # sparse conv: (filters, input maps each reads), in table order
    text: str = ""  # kind 'formula': the formula written out, without its total


@dataclass(frozen=True)
class ConnectionTerms:
    """How a layer's connections add up: ``Π positions × Σ units × (inputs + bias)`` over ``groups``."""

    positions: tuple[int, ...] = ()  # output positions that share the weights, e.g. (28, 28); () for one
    groups: tuple[tuple[int, int, int], ...] = ()  # (units at one position, inputs per unit, bias per unit)
    extra_links: int = 0  # links outside the product: a transposed convolution's biases, a shared layer's other calls

    @property
    def per_position(self) -> int:
        """Connections of the units at one position."""
        return sum(units * (inputs + bias) for units, inputs, bias in self.groups)

    @property
    def total(self) -> int:
        """Connections of the whole layer."""
        return prod(self.positions) * self.per_position + self.extra_links


@dataclass(frozen=True)
class LayerRow:
    """One layer's computed numbers (shapes are without the batch axis)."""

    name: str
    type: str
    input_shape: tuple[int, ...]
    output_shape: tuple[int, ...]
    params: int
    trainable_params: int
    non_trainable_params: int
    param_terms: ParamTerms
    macs: int
    receptive_field: tuple[int, ...] | None  # None: every input pixel (after Flatten/global pooling)
    jump: tuple[int | Fraction, ...] | None
    activation_bytes: int
    sizes: tuple[AxisSize, ...] | None  # per spatial axis, e.g. (height, width), for conv and pooling layers
    activation: str | None
    connection_terms: ConnectionTerms = ConnectionTerms()
    inbound: tuple[str, ...] = ()  # what the layer reads (Keras' "Connected to"), every call's
    depth: int = 0  # 0 for the model's own layers, 1 for those of a model nested in it, …

    @property
    def connections(self) -> int:
        """Links through a weight or from a bias, per image (see the module docstring)."""
        return self.connection_terms.total


@dataclass(frozen=True)
class StackSummary:
    """Every layer's row and the totals of a stack."""

    name: str
    input_shape: tuple[int, ...]
    rows: tuple[LayerRow, ...]
    total_params: int
    trainable_params: int
    non_trainable_params: int
    total_macs: int
    param_bytes: int
    activation_bytes: int  # input and every layer's output, one sample, float32
    connected: bool = False  # a graph: rows say what they read ("Connected to")

    @property
    def own_rows(self) -> tuple[LayerRow, ...]:
        """The model's own layers (without the layers of nested models shown expanded)."""
        return tuple(r for r in self.rows if r.depth == 0)

    @property
    def total_connections(self) -> int:
        """Every layer's connections, per image."""
        return sum(r.connections for r in self.own_rows)

    @property
    def output_shape(self) -> tuple[int, ...]:
        """The shape the last layer returns."""
        rows = self.own_rows
        return rows[-1].output_shape if rows else self.input_shape


@dataclass(frozen=True)
class Field:
    """What flows from one layer to the next: the receptive field size and jump per spatial axis (a jump is a
    fraction after upsampling)."""

    size: tuple[int, ...] | None
    jump: tuple[int | Fraction, ...] | None


def _image_shape(layer: Layer, shape: tuple[int, ...]) -> tuple[int, int, int]:
    """Return ``shape`` as (height, width, channels) or explain that ``layer`` needs an image."""
    if len(shape) != 3:
        raise LenetError(f"{layer.name}: {layer.type} needs a (height, width, channels) input, got {shape}")
    return shape[0], shape[1], shape[2]


def _windowed_sizes(layer: Conv2D | MaxPooling2D | AveragePooling2D, height: int, width: int
                    ) -> tuple[AxisSize, ...]:
    """Return both axes' sizes for a convolution or pooling layer, errors prefixed with its name."""
    if isinstance(layer, Conv2D):
        op, kernel, strides, ceil = "conv", layer.kernel_size, layer.strides, False
    else:
        op = "maxpool" if isinstance(layer, MaxPooling2D) else "avgpool"
        kernel, strides, ceil = layer.pool_size, layer.strides, layer.ceil_mode
    try:
        return (
            output_size(height, kernel[0], strides[0], layer.padding, layer.dilation_rate[0], op, ceil),
            output_size(width, kernel[1], strides[1], layer.padding, layer.dilation_rate[1], op, ceil),
        )
    except LenetError as error:
        raise LenetError(f"{layer.name}: {error}") from None


def grow_field(field: Field, sizes: tuple[AxisSize, ...] | tuple[tuple[int, int], ...]) -> Field:
    """Receptive field after windows, given (effective kernel, stride) per axis: r += (ke − 1)·j, j *= stride
    (a size is rounded up once a jump is a fraction)."""
    if field.size is None or field.jump is None:
        return field
    pairs = [(a.effective_kernel, a.stride) if isinstance(a, AxisSize) else a for a in sizes]
    if len(pairs) != len(field.size):
        return Field(None, None)
    size = tuple(-(-(r + (ke - 1) * j) // 1) for r, j, (ke, _) in zip(field.size, field.jump, pairs, strict=True))
    jump = tuple(j * s for j, (_, s) in zip(field.jump, pairs, strict=True))
    return Field(tuple(int(v) for v in size), jump)


_grow_field = grow_field


def compute_row(layer: Layer, shape: tuple[int, ...], field: Field) -> tuple[LayerRow, Field]:
    """Return the row of ``layer`` given its input ``shape`` and the receptive field so far."""
    terms = ParamTerms("none")
    trainable = non_trainable = macs = 0
    sizes: tuple[AxisSize, ...] | None = None
    out: tuple[int, ...]
    if isinstance(layer, (Conv2D, MaxPooling2D, AveragePooling2D)):
        height, width, channels = _image_shape(layer, shape)
        sizes = windows = _windowed_sizes(layer, height, width)
        field = _grow_field(field, windows)
        if isinstance(layer, Conv2D):
            kh, kw = layer.kernel_size
            bias = layer.filters if layer.use_bias else 0
            if channels % layer.groups or layer.filters % layer.groups:
                raise LenetError(f"{layer.name}: groups={layer.groups} must divide the {channels} input channels "
                                 f"and the {layer.filters} filters")
            channels //= layer.groups  # each filter reads one group of the input maps
            trainable = kh * kw * channels * layer.filters + bias
            terms = ParamTerms("conv", channels, (kh, kw), layer.filters, bias)
            out = (windows[0].output, windows[1].output, layer.filters)
            macs = out[0] * out[1] * layer.filters * kh * kw * channels
        else:
            out = (windows[0].output, windows[1].output, channels)
    elif isinstance(layer, ZeroPadding2D):
        height, width, channels = _image_shape(layer, shape)
        (top, bottom), (left, right) = layer.padding
        out = (height + top + bottom, width + left + right, channels)
    elif isinstance(layer, (GlobalAveragePooling2D, GlobalMaxPooling2D)):
        channels = _image_shape(layer, shape)[2]
        out = (1, 1, channels) if layer.keepdims else (channels,)
        field = Field(None, None)
    elif isinstance(layer, Flatten):
        out = (prod(shape),)
        field = Field(None, None)
    elif isinstance(layer, Dense):
        n_in = shape[-1]
        bias = layer.units if layer.use_bias else 0
        trainable = n_in * layer.units + bias
        terms = ParamTerms("dense", n_in, None, layer.units, bias)
        out = (*shape[:-1], layer.units)
        macs = prod(shape[:-1]) * n_in * layer.units
        if len(shape) == 1:
            field = Field(None, None)
    elif isinstance(layer, BatchNormalization):
        channels = shape[-1]
        learned = int(layer.center) + int(layer.scale)
        trainable, non_trainable = learned * channels, 2 * channels
        terms = ParamTerms("batchnorm", channels, per_channel=learned + 2, trainable_per_channel=learned)
        out = shape
    elif isinstance(layer, (Dropout, Activation)):
        out = shape
    elif isinstance(layer, (SparseConv2D, Subsampling2D, EuclideanRBF)):
        out, terms, sizes, field, trainable, non_trainable, macs = _lenet1998_row(layer, shape, field)
    else:
        from lenet_explain.calculator.layer_arithmetic import compute_keras_layer

        done = compute_keras_layer(layer, shape, field)
        return row_from(layer, shape, done), done.field
    row = LayerRow(
        name=layer.name,
        type=layer.type,
        input_shape=shape,
        output_shape=out,
        params=trainable + non_trainable,
        trainable_params=trainable,
        non_trainable_params=non_trainable,
        param_terms=terms,
        macs=macs,
        receptive_field=field.size,
        jump=field.jump,
        activation_bytes=prod(out) * BYTES_PER_VALUE,
        sizes=sizes,
        activation=getattr(layer, "activation", None),
        connection_terms=connection_terms(layer, shape, out),
    )
    return row, field


def row_from(layer: Layer, shape: tuple[int, ...], done: Computed) -> LayerRow:
    """Return the row of a layer computed by :mod:`layer_arithmetic`."""
    params = done.trainable + done.fixed
    return LayerRow(
        name=layer.name, type=layer.type, input_shape=shape, output_shape=done.out, params=params,
        trainable_params=done.trainable, non_trainable_params=done.fixed,
        param_terms=ParamTerms("formula", text=done.formula), macs=done.macs, receptive_field=done.field.size,
        jump=done.field.jump, activation_bytes=prod(done.out) * BYTES_PER_VALUE, sizes=done.sizes,
        activation=getattr(layer, "activation", None), connection_terms=done.connections,
    )


def start_field(shape: tuple[int, ...]) -> Field:
    """The receptive field of the input: one pixel (or step, or voxel) on each spatial axis."""
    spatial = len(shape) - 1
    return Field((1,) * spatial, (1,) * spatial) if spatial >= 1 else Field(None, None)


def summarize(stack: Stack, expand_nested: bool = False) -> StackSummary:
    """Return every layer's row and the totals of ``stack`` (with ``expand_nested``, nested models' layers too)."""
    rows, _ = summarize_rows(stack, stack.input.shape, start_field(stack.input.shape), expand_nested, 0)
    own = [r for r in rows if r.depth == 0]
    trainable = sum(r.trainable_params for r in own)
    non_trainable = sum(r.non_trainable_params for r in own)
    return StackSummary(
        name=stack.name,
        input_shape=stack.input.shape,
        rows=tuple(rows),
        total_params=trainable + non_trainable,
        trainable_params=trainable,
        non_trainable_params=non_trainable,
        total_macs=sum(r.macs for r in own),
        param_bytes=(trainable + non_trainable) * BYTES_PER_VALUE,
        activation_bytes=prod(stack.input.shape) * BYTES_PER_VALUE + sum(r.activation_bytes for r in own),
        connected=stack.is_graph,
    )


def summarize_rows(stack: Stack, shape: tuple[int, ...], field: Field, expand: bool, depth: int
                   ) -> tuple[list[LayerRow], tuple[tuple[int, ...], Field]]:
    """Return the rows of ``stack`` read on an input of ``shape``, and its last output (shape, field).

    Every call of a layer is computed on what it reads; a layer called more than once (shared) has one row with
    its weights once, the work (MACs, connections, memory) of every call, and the largest receptive field.
    """
    outputs: dict[str, tuple[tuple[int, ...], Field]] = {stack.input_name: (shape, field)}
    rows: list[LayerRow] = []
    own: list[LayerRow] = []
    last = (shape, field)
    for layer, calls in zip(stack.layers, stack.calls(), strict=True):
        row: LayerRow | None = None
        for k, call in enumerate(calls):
            try:
                new, inner = _compute_call(layer, [outputs[ref] for ref in call], expand, depth)
            except LenetError as error:
                raise LenetError(with_size_trail(str(error), stack.input.shape, own)) from None
            if row is None:
                row, first_inner = new, inner
            else:
                row = _add_call(row, new)
            last = (new.output_shape, Field(new.receptive_field, new.jump))
            outputs[layer.name if k == 0 else f"{layer.name}#{k}"] = last
        assert row is not None
        if stack.is_graph:
            row = replace(row, inbound=tuple(ref for call in calls for ref in call))
        row = replace(row, depth=depth)
        rows.append(row)
        own.append(row)
        rows += first_inner
    return rows, last


def _add_call(row: LayerRow, other: LayerRow) -> LayerRow:
    """Return the row of a shared layer with another call's work added (its weights are the same ones)."""
    from lenet_explain.calculator.layer_arithmetic import merge_fields

    field = merge_fields([Field(row.receptive_field, row.jump), Field(other.receptive_field, other.jump)])
    terms = row.connection_terms
    return replace(row, macs=row.macs + other.macs, activation_bytes=row.activation_bytes + other.activation_bytes,
                   receptive_field=field.size, jump=field.jump,
                   connection_terms=replace(terms, extra_links=terms.extra_links + other.connections))


def _compute_call(layer: Layer, inputs: list[tuple[tuple[int, ...], Field]], expand: bool, depth: int
                  ) -> tuple[LayerRow, list[LayerRow]]:
    """Return the row of one call of ``layer`` on ``inputs`` (shape, field), and a nested model's own rows."""
    keras_layers = sys.modules.get("lenet_explain.calculator.keras_layers")  # not loaded: none of its layers here
    shapes = [shape for shape, _ in inputs]
    if keras_layers is not None and isinstance(layer, keras_layers.Model):
        return _compute_nested(layer, inputs, expand, depth)
    if keras_layers is not None and isinstance(layer, (*keras_layers.MERGE_TYPES, keras_layers.TensorOp)):
        from lenet_explain.calculator.layer_arithmetic import compute_merge

        done = compute_merge(layer, shapes, [f for _, f in inputs])
        return row_from(layer, shapes[0], done), []
    if len(inputs) != 1:
        raise LenetError(f"{layer.name}: {layer.type} reads one input, got {len(inputs)}")
    row, _ = compute_row(layer, *inputs[0])
    return row, []


def _compute_nested(layer: Layer, inputs: list[tuple[tuple[int, ...], Field]], expand: bool, depth: int
                    ) -> tuple[LayerRow, list[LayerRow]]:
    """Return the row of a nested model (its totals) and, with ``expand``, its own rows one level deeper."""
    from lenet_explain.calculator.keras_layers import Model
    from lenet_explain.calculator.layer_arithmetic import Computed

    assert isinstance(layer, Model)
    if len(inputs) != 1:
        raise LenetError(f"{layer.name}: a nested model with {len(inputs)} inputs is not supported")
    shape, field = inputs[0]
    try:
        inner, (out, out_field) = summarize_rows(layer.stack, shape, field, expand, depth + 1)
    except LenetError as error:
        raise LenetError(f"{layer.name} > {error}") from None
    own = [r for r in inner if r.depth == depth + 1]
    trainable = sum(r.trainable_params for r in own)
    fixed = sum(r.non_trainable_params for r in own)
    connections = sum(r.connections for r in own)
    done = Computed(out=out, field=out_field, trainable=trainable, fixed=fixed, macs=sum(r.macs for r in own),
                    formula=f"{len(own)} layers", connections=ConnectionTerms((), ((1, connections, 0),)))
    return row_from(layer, shape, done), inner if expand else []


TRAIL_STEPS = 7  # size changes a "too small" message lists before it elides the earlier ones


def with_size_trail(message: str, input_shape: tuple[int, ...], rows: list[LayerRow]) -> str:
    """Add to a "kernel larger than the input" message the sizes that led there, layer by layer.

    ``C5: kernel 5 is larger than the input 4 (sizes: input 28×28 → C1 24×24 → S2 12×12 → C3 8×8 → S4 4×4)``
    names every earlier layer that changed the size, so the cause (here C1's 'valid' padding) shows.
    """
    if " is larger than " not in message or len(input_shape) != 3:
        return message
    steps = [f"input {input_shape[0]}×{input_shape[1]}"]
    previous: tuple[int, ...] = input_shape[:2]
    for row in rows:
        size = row.output_shape[:2]
        if len(row.output_shape) == 3 and size != previous:
            steps.append(f"{row.name} {size[0]}×{size[1]}")
            previous = size
    if len(steps) == 1:
        return message
    if len(steps) > TRAIL_STEPS + 1:
        steps = [steps[0], "…", *steps[-TRAIL_STEPS:]]
    return f"{message} (sizes: {' → '.join(steps)})"
def _lenet1998_row(layer: SparseConv2D | Subsampling2D | EuclideanRBF, shape: tuple[int, ...], field: Field
                   ) -> tuple[tuple[int, ...], ParamTerms, tuple[AxisSize, AxisSize] | None, Field, int, int, int]:
    """Return (output shape, parameter terms, sizes, field, trainable, fixed, MACs) of a layer of the 1998 network."""
    if isinstance(layer, EuclideanRBF):
        if len(shape) != 1 or shape[0] != layer.inputs:
            raise LenetError(f"{layer.name}: EuclideanRBF needs {layer.inputs} inputs (one per prototype pixel), "
                             f"got {shape}")
        fixed = layer.units * layer.inputs
        terms = ParamTerms("rbf", layer.inputs, None, layer.units)
        return (layer.units,), terms, None, Field(None, None), 0, fixed, fixed
    height, width, channels = _image_shape(layer, shape)
    if isinstance(layer, SparseConv2D):
        kernel, strides, op = layer.kernel_size, (1, 1), "conv"
        highest = max(max(row) for row in layer.connections)
        if highest >= channels:
            raise LenetError(f"{layer.name}: connections name input map {highest} but the input has {channels} maps")
    else:
        kernel, strides, op = layer.pool_size, layer.strides, "avgpool"
    try:
        sizes = (output_size(height, kernel[0], strides[0], "valid", 1, op),
                 output_size(width, kernel[1], strides[1], "valid", 1, op))
    except LenetError as error:
        raise LenetError(f"{layer.name}: {error}") from None
    positions = sizes[0].output * sizes[1].output
    field = _grow_field(field, sizes)
    if isinstance(layer, Subsampling2D):
        terms = ParamTerms("subsampling", channels, kernel, channels, channels)
        return (sizes[0].output, sizes[1].output, channels), terms, sizes, field, 2 * channels, 0, positions * channels
    links = sum(len(row) for row in layer.connections)
    bias = layer.filters if layer.use_bias else 0
    terms = ParamTerms("sparse_conv", channels, kernel, layer.filters, bias, groups=table_groups(layer.connections))
    trainable = kernel[0] * kernel[1] * links + bias
    macs = positions * kernel[0] * kernel[1] * links
    return (sizes[0].output, sizes[1].output, layer.filters), terms, sizes, field, trainable, 0, macs


def table_groups(table: tuple[tuple[int, ...], ...]) -> tuple[tuple[int, int], ...]:
    """Return (filters, input maps each reads) for each size of row in a connection table, in order of appearance."""
    reads: dict[int, int] = {}
    for row in table:
        reads[len(row)] = reads.get(len(row), 0) + 1
    return tuple((count, maps) for maps, count in reads.items())


def connection_terms(layer: Layer, shape: tuple[int, ...], out: tuple[int, ...]) -> ConnectionTerms:
    """Return how ``layer``'s connections add up, given its input and output shapes (module docstring)."""
    if isinstance(layer, (Conv2D, SparseConv2D)):
        kh, kw = layer.kernel_size
        bias = int(layer.use_bias)
        groups: tuple[tuple[int, int, int], ...]
        if isinstance(layer, Conv2D):
            groups = ((layer.filters, kh * kw * (shape[-1] // layer.groups), bias),)
        else:
            groups = tuple((count, kh * kw * maps, bias) for count, maps in table_groups(layer.connections))
        return ConnectionTerms(out[:-1], groups)
    if isinstance(layer, Subsampling2D):
        return ConnectionTerms(out[:-1], ((out[-1], layer.pool_size[0] * layer.pool_size[1], 1),))
    if isinstance(layer, Dense):
        return ConnectionTerms(out[:-1], ((layer.units, shape[-1], int(layer.use_bias)),))
    if isinstance(layer, EuclideanRBF):
        return ConnectionTerms((), ((layer.units, layer.inputs, 0),))
    if isinstance(layer, BatchNormalization):
        return ConnectionTerms(out[:-1], ((out[-1], 1, int(layer.center)),))
    return ConnectionTerms()
