"""Check the calculator against real Keras: build the stack, compare shapes, parameters and the summary text.

Imports Keras when its functions run, never at import time of the calculator.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field, replace
from typing import Any

from lenet_explain.calculator.arithmetic import StackSummary, summarize
from lenet_explain.calculator.layers import Input, Layer, Model, Stack, layer_fields
from lenet_explain.calculator.merging import TensorOp
from lenet_explain.errors import LenetError
from lenet_explain.limits import MAX_MODEL_PARAMS, MAX_VERIFY_SIZE

SUMMARY_LINE_LENGTH = 100
_TOTAL_RE = re.compile(r"^\s*(Total|Trainable|Non-trainable) params:\s*([\d,]+)", re.MULTILINE)
_ROW_RE = re.compile(r"^│\s*(\S+) \((\w+)\)\s*│\s*\(None,?([\d, ]*)\)\s*│\s*([\d,]+)\s*│", re.MULTILINE)
VERIFY_LINE_LENGTH = 180  # wide enough that no layer name wraps inside the table


def keras_summary_text(model: Any, line_length: int = SUMMARY_LINE_LENGTH) -> str:
    """Return the text that Keras' ``model.summary()`` prints for ``model``, ``line_length`` wide."""
    lines: list[str] = []
    # Keras renders with rich, whose console is as wide as $COLUMNS (80 when not a terminal): widen it.
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(line_length + 4)
    try:
        model.summary(line_length=line_length, print_fn=lambda text, **_: lines.append(text))
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved
    return "\n".join(lines)


def stack_summary_text(stack: Stack, line_length: int = SUMMARY_LINE_LENGTH) -> str:
    """Build ``stack`` in Keras and return its real ``model.summary()`` text."""
    from lenet_explain.models.keras_model import build_model

    return keras_summary_text(build_model(stack), line_length)


def parse_summary_totals(text: str) -> dict[str, int]:
    """Return the Total, Trainable and Non-trainable parameter counts printed in a summary text."""
    found = {kind.lower(): int(number.replace(",", "")) for kind, number in _TOTAL_RE.findall(text)}
    if set(found) != {"total", "trainable", "non-trainable"}:
        raise ValueError(f"could not find the three parameter totals in the summary:\n{text}")
    return found


def parse_summary_rows(text: str) -> dict[str, tuple[tuple[int, ...], int]]:
    """Return ``{layer name: (output shape without batch, params)}`` read from a summary's table."""
    rows = {}
    for name, _kind, shape, params in _ROW_RE.findall(text):
        dims = tuple(int(v) for v in shape.replace(" ", "").split(",") if v)
        rows[name] = (dims, int(params.replace(",", "")))
    return rows


@dataclass(frozen=True)
class Mismatch:
    """One value on which the calculator and Keras disagree."""

    layer: str
    what: str
    calculator: Any
    keras: Any


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of checking a stack against Keras."""

    stack: str
    keras_version: str
    layers_checked: int
    totals: dict[str, int]
    mismatches: tuple[Mismatch, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when nothing differs."""
        return not self.mismatches


def keras_layer_facts(model: Any) -> dict[str, tuple[tuple[int, ...], int, int]]:
    """Return ``{layer name: (output shape without batch, params, trainable params)}`` of a built model."""
    facts = {}
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":  # a Functional model lists its input as a layer
            continue
        shape = tuple(int(v) for v in layer.output.shape[1:])
        trainable = sum(math.prod(w.shape) for w in layer.trainable_weights)
        facts[layer.name] = (shape, int(layer.count_params()), trainable)
    return facts


def compare_with_keras(summary: StackSummary, model: Any) -> tuple[int, list[Mismatch], dict[str, int]]:
    """Compare every row with the Keras layer of the same name and with its line in the summary text, and the totals."""
    from lenet_explain.models.keras_model import PAD_SUFFIX

    facts = keras_layer_facts(model)
    mismatches: list[Mismatch] = []
    for row in summary.rows:
        if row.name not in facts:
            mismatches.append(Mismatch(row.name, "layer", "present", "missing"))
            continue
        shape, params, trainable = facts[row.name]
        for what, ours, theirs in (
            ("output shape", row.output_shape, shape),
            ("params", row.params, params),
            ("trainable params", row.trainable_params, trainable),
        ):
            if ours != theirs:
                mismatches.append(Mismatch(row.name, what, ours, theirs))
    mismatches += compare_connections(summary, model)
    extra = set(facts) - {r.name for r in summary.rows} - {r.name + PAD_SUFFIX for r in summary.rows}
    mismatches += [Mismatch(name, "layer", "missing", "present") for name in sorted(extra)]
    text = keras_summary_text(model, VERIFY_LINE_LENGTH)
    printed = parse_summary_rows(text)
    for row in summary.rows:
        if row.name in facts and printed.get(row.name) != (row.output_shape, row.params):
            mismatches.append(Mismatch(row.name, "summary text row", (row.output_shape, row.params),
                                       printed.get(row.name)))
    totals = parse_summary_totals(text)
    totals["connections"] = sum(keras_layer_connections(model).values())
    for what, ours in (
        ("total", summary.total_params),
        ("trainable", summary.trainable_params),
        ("non-trainable", summary.non_trainable_params),
    ):
        if totals[what] != ours:
            mismatches.append(Mismatch("(summary)", f"{what} params", ours, totals[what]))
    return len(summary.rows), mismatches, totals


def keras_safe_names(stack: Stack, prefix: str = "") -> tuple[Stack, dict[str, str]]:
    """Return ``stack`` with names Keras always accepts (``layer_1``, ``layer_2``, …) and the map back.

    Keras refuses some names the calculator takes ('a/b', 'input', a clash with a generated ``<name>_pad``)
    and the summary text cannot be read back for others (spaces, control characters); verify builds with
    these names and reports with the user's own. The map also covers the ``_pad`` layers of explicit padding.
    """
    from lenet_explain.models.keras_model import PAD_SUFFIX

    def renamed(layer: Layer, name: str) -> Layer:
        if isinstance(layer, Model):
            inner, _ = keras_safe_names(layer.stack, f"{name}_")
            return Model(stack=inner, kind=layer.kind, name=name)
        return type(layer)(**layer_fields(layer), name=name)

    layers = tuple(renamed(layer, f"{prefix}layer_{i}") for i, layer in enumerate(stack.layers, 1))
    back = {}
    for ours, theirs in zip(stack.layers, layers, strict=True):
        back[theirs.name] = ours.name
        back[theirs.name + PAD_SUFFIX] = ours.name + PAD_SUFFIX
    model_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", stack.name).strip("_") or "model"
    if not stack.inbound:
        return Stack(name=model_name, input=stack.input, layers=layers), back
    forward = {ours.name: theirs.name for ours, theirs in zip(stack.layers, layers, strict=True)}
    forward[stack.input_name] = f"{prefix}input"

    def ref(name: str) -> str:
        base, _, call = name.partition("#")
        return forward[base] + (f"#{call}" if call else "")

    inbound = tuple(tuple(tuple(ref(r) for r in call) for call in calls) for calls in stack.inbound)
    graph_input = Input(shape=stack.input.shape, name=f"{prefix}input")
    return Stack(name=model_name, input=graph_input, layers=layers, inbound=inbound), back


def check_buildable(summary: StackSummary) -> None:
    """Refuse, before Keras allocates anything, a stack with more weights than Keras may build here, or sizes
    beyond those Keras computes exactly (its shape arithmetic is floating point)."""
    if summary.total_params > MAX_MODEL_PARAMS:
        raise LenetError(
            f"--verify builds the model in Keras, which allocates every weight: {summary.total_params:,} parameters "
            f"is more than the limit of {MAX_MODEL_PARAMS:,} ({MAX_MODEL_PARAMS * 4 // 10**6:,} MB of float32)"
        )
    largest = max([*summary.input_shape, *(size for row in summary.rows for size in row.output_shape)])
    if largest > MAX_VERIFY_SIZE:
        raise LenetError(
            f"--verify compares with Keras, which computes shapes in floating point: a size of {largest:,} is "
            f"beyond 2**53 = {MAX_VERIFY_SIZE:,}, where its answers stop being exact"
        )
def _size(weight: Any) -> int:
    """Return the number of values in a weight (0 for a missing one)."""
    return 0 if weight is None else math.prod(weight.shape)


def count_layer_connections(layer: Any) -> int:
    """Count a built Keras layer's connections from its weights, masks and output shape (arithmetic's convention).

    Per output position: every kernel value is one link, a connection table (mask) keeps only its links, a
    subsampling coefficient serves its whole window, and every bias value is one link from a constant 1.
    """
    kind = type(layer).__name__
    if kind in ("Sequential", "Functional"):
        return sum(keras_layer_connections(layer).values())
    out = tuple(int(v) for v in layer.output.shape[1:])
    positions = math.prod(out[:-1])
    bias = _size(getattr(layer, "bias", None))
    weights = {w.path.rsplit("/", 1)[-1]: _size(w) for w in layer.weights}
    if kind.endswith("Transpose"):  # every input value through the whole kernel; biases at the outputs
        inputs = math.prod(int(v) for v in layer.input.shape[1:-1])
        return inputs * _size(layer.kernel) + positions * bias
    if kind in ("Conv2D", "Dense", "Conv1D", "Conv3D", "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D",
                "SeparableConv2D"):
        kernels = sum(size for key, size in weights.items() if key.endswith("kernel"))
        return positions * (kernels + bias)
    if kind in ("LayerNormalization", "GroupNormalization", "LayerScale"):  # each value: one scale, one shift link
        used = sum(getattr(layer, name, None) is not None for name in ("gamma", "beta"))
        return math.prod(out) * used
    if kind == "PReLU":
        return math.prod(out)
    if kind == "Normalization":
        return 2 * math.prod(out) if layer.weights else 0
    if kind == "SparseConv2D":
        kh, kw = layer.kernel_size
        return positions * (kh * kw * int(layer.connection_mask().sum()) + bias)
    if kind == "Subsampling2D":
        return positions * (layer.pool_size[0] * layer.pool_size[1] * _size(layer.coefficient) + bias)
    if kind == "EuclideanRBF":
        return _size(layer.centres)
    if kind == "BatchNormalization":  # each value: one scale link, one shift link when centred
        return math.prod(out) * (1 + (layer.beta is not None))
    return 0


def keras_layer_connections(model: Any) -> dict[str, int]:
    """Return ``{layer name: connections}`` of a built model, counted from the Keras layers themselves."""
    calls: dict[str, int] = {}
    for node in getattr(model, "_nodes", ()):  # a Functional model's graph: "<id of the layer>_ib-<call>" per call
        key = str(node).split("_ib-")[0]
        calls[key] = calls.get(key, 0) + 1
    return {layer.name: count_layer_connections(layer) * calls.get(str(id(layer)), 1)
            for layer in model.layers if type(layer).__name__ != "InputLayer"}



def compare_connections(summary: StackSummary, model: Any) -> list[Mismatch]:
    """Compare every row's connections, and the total, with those counted from the Keras model."""
    counted = keras_layer_connections(model)
    mismatches = [Mismatch(row.name, "connections", row.connections, counted[row.name])
                  for row in summary.rows if row.name in counted and counted[row.name] != row.connections]
    if sum(counted.values()) != summary.total_connections:
        mismatches.append(Mismatch("(model)", "total connections", summary.total_connections, sum(counted.values())))
    return mismatches


def verify_stack(stack: Stack, summary: StackSummary | None = None) -> VerifyReport:
    """Build ``stack`` in Keras and compare every layer's shape and parameters, and the summary totals."""
    if summary is None or any(row.depth for row in summary.rows):
        summary = summarize(stack)  # the model's own layers, nested models collapsed, as Keras lists them
    check_buildable(summary)
    from lenet_explain.models.keras_model import build_model, keras_version  # imports Keras: after the checks

    keras_stack, back = keras_safe_names(stack)
    try:
        model = build_model(keras_stack)
    except LenetError:
        raise
    except Exception as error:  # Keras raises many kinds of errors for a layer it cannot build
        first = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise LenetError(f"Keras cannot build this stack: {first}") from None
    renamed = [replace(row, name=theirs.name) for row, theirs in zip(summary.rows, keras_stack.layers, strict=True)
               if not isinstance(theirs, TensorOp)]  # operations (x + 3) are not among Keras' layers
    checked, mismatches, totals = compare_with_keras(replace(summary, rows=tuple(renamed)), model)
    mismatches = [replace(m, layer=back.get(m.layer, m.layer)) for m in mismatches]
    return VerifyReport(stack.name, keras_version(), checked, totals, tuple(mismatches))
