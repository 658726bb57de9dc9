"""Stack arithmetic: every layer's output size, parameters, MACs, connections, receptive field and memory, as
plain data rows, and the totals (:func:`summarize`).

Pure Python on purpose: importing this never imports numpy or TensorFlow. Each layer computes one call of itself
(its family module's ``compute``); one axis through a window is :func:`output_size` (rules in
:mod:`~lenet_explain.calculator.windows`); rendering lives in :mod:`~lenet_explain.calculator.formatting`.

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

from dataclasses import dataclass, replace
from fractions import Fraction
from math import prod

from lenet_explain.calculator.base import Layer
from lenet_explain.calculator.basics import (
    EVERYTHING,
    NO_CONNECTIONS,
    AxisSize,
    Computed,
    ConnectionTerms,
    Field,
    ParamTerms,
    Shape,
    merge_fields,
)
from lenet_explain.calculator.layers import Model, Stack, call_name, call_order
from lenet_explain.calculator.windows import output_size
from lenet_explain.errors import LenetError
from lenet_explain.limits import MAX_RESULT_DIGITS

__all__ = ["AxisSize", "LayerRow", "StackSummary", "output_size", "summarize"]

BYTES_PER_VALUE = 4  # float32


@dataclass(frozen=True)
class LayerRow:
    """One layer's computed numbers (shapes are without the batch axis)."""

    name: str
    type: str
    input_shape: Shape
    output_shape: Shape
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
    connection_terms: ConnectionTerms = NO_CONNECTIONS
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
    input_shape: Shape
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
    def output_shape(self) -> Shape:
        """The shape the last layer returns."""
        rows = self.own_rows
        return rows[-1].output_shape if rows else self.input_shape


def row_from(layer: Layer, shape: Shape, done: Computed) -> LayerRow:
    """Return the row of ``layer`` from one call of it on an input of ``shape``."""
    return LayerRow(
        name=layer.name, type=layer.type, input_shape=shape, output_shape=done.out,
        params=done.trainable + done.fixed, trainable_params=done.trainable, non_trainable_params=done.fixed,
        param_terms=done.terms, macs=done.macs, receptive_field=done.field.size, jump=done.field.jump,
        activation_bytes=prod(done.out) * BYTES_PER_VALUE, sizes=done.sizes,
        activation=getattr(layer, "activation", None), connection_terms=done.connections,
    )


def start_field(shape: Shape) -> Field:
    """The receptive field of the input: one pixel (or step, or voxel) on each spatial axis."""
    spatial = len(shape) - 1
    return Field((1,) * spatial, (1,) * spatial) if spatial >= 1 else EVERYTHING


def summarize(stack: Stack, expand_nested: bool = False) -> StackSummary:
    """Return every layer's row and the totals of ``stack`` (with ``expand_nested``, nested models' layers too)."""
    rows, _ = summarize_rows(stack, stack.input.shape, start_field(stack.input.shape), expand_nested, 0)
    own = [r for r in rows if r.depth == 0]
    trainable = sum(r.trainable_params for r in own)
    non_trainable = sum(r.non_trainable_params for r in own)
    summary = StackSummary(
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
    check_result_sizes(summary)
    return summary


_TOO_LONG = 10**MAX_RESULT_DIGITS


def check_result_sizes(summary: StackSummary) -> None:
    """Refuse a stack whose numbers have more than MAX_RESULT_DIGITS digits (too long to print, or to read)."""
    too_long = f"more than {MAX_RESULT_DIGITS:,} digits; the calculator prints exact results up to that many"
    for row in summary.rows:
        numbers = (*row.output_shape, row.params, row.macs, row.activation_bytes, row.connections,
                   *(row.receptive_field or ()), *(row.jump or ()))
        if any(abs(n) >= _TOO_LONG for n in numbers):
            raise LenetError(f"layer {row.name!r}: its numbers have {too_long}")
    totals = (summary.param_bytes, summary.activation_bytes, summary.total_macs, summary.total_connections)
    if any(n >= _TOO_LONG for n in totals):
        raise LenetError(f"the stack's totals have {too_long}")


def summarize_rows(stack: Stack, shape: tuple[int, ...], field: Field, expand: bool, depth: int
                   ) -> tuple[list[LayerRow], tuple[tuple[int, ...], Field]]:
    """Return the rows of ``stack`` read on an input of ``shape``, and its last output (shape, field).

    Every call of a layer is computed on what it reads; a layer called more than once (shared) has one row with
    its weights once, the work (MACs, connections, memory) of every call, and the largest receptive field.
    """
    outputs: dict[str, tuple[tuple[int, ...], Field]] = {stack.input_name: (shape, field)}
    calls = stack.calls()
    made: dict[int, tuple[LayerRow, list[LayerRow]]] = {}  # a layer's row (its calls so far) and nested rows
    for i, k in call_order(stack.input_name, stack.layers, calls) if stack.is_graph else (
            (i, 0) for i in range(len(stack.layers))):
        layer = stack.layers[i]
        try:
            new, inner = _compute_call(layer, [outputs[ref] for ref in calls[i][k]], expand, depth)
        except LenetError as error:
            done = [made[j][0] for j in sorted(made)]
            raise LenetError(with_size_trail(str(error), stack.input.shape, done)) from None
        made[i] = (_add_call(made[i][0], new), made[i][1]) if i in made else (new, inner)
        outputs[call_name(layer.name, k)] = (new.output_shape, Field(new.receptive_field, new.jump))
    rows: list[LayerRow] = []
    for i in range(len(stack.layers)):
        row, first_inner = made[i]
        if stack.is_graph:
            row = replace(row, inbound=tuple(ref for call in calls[i] for ref in call))
        rows.append(replace(row, depth=depth))
        rows += first_inner
    last_layer = stack.layers[-1] if stack.layers else None
    last = outputs[call_name(last_layer.name, len(calls[-1]) - 1)] if last_layer else (shape, field)
    return rows, last


def _add_call(row: LayerRow, other: LayerRow) -> LayerRow:
    """Return the row of a shared layer with another call's work added (its weights are the same ones)."""
    field = merge_fields([Field(row.receptive_field, row.jump), Field(other.receptive_field, other.jump)])
    terms = row.connection_terms
    return replace(row, macs=row.macs + other.macs, activation_bytes=row.activation_bytes + other.activation_bytes,
                   receptive_field=field.size, jump=field.jump,
                   connection_terms=replace(terms, extra_links=terms.extra_links + other.connections))


def _compute_call(layer: Layer, inputs: list[tuple[Shape, Field]], expand: bool, depth: int
                  ) -> tuple[LayerRow, list[LayerRow]]:
    """Return the row of one call of ``layer`` on ``inputs`` (shape, field), and a nested model's own rows."""
    if isinstance(layer, Model):
        return _compute_nested(layer, inputs, expand, depth)
    shapes = [shape for shape, _ in inputs]
    done = layer.compute_call(shapes, [f for _, f in inputs])
    return row_from(layer, shapes[0], done), []


def _compute_nested(layer: Model, inputs: list[tuple[Shape, Field]], expand: bool, depth: int
                    ) -> tuple[LayerRow, list[LayerRow]]:
    """Return the row of a nested model (its totals) and, with ``expand``, its own rows one level deeper."""
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
                    terms=ParamTerms("model", outputs=len(own)),
                    connections=ConnectionTerms((), ((1, connections, 0),)))
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
