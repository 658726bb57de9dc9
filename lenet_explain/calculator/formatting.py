"""Render the calculator's data as formulas, a Keras-like text table, Markdown or JSON-ready dicts."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from lenet_explain.calculator.arithmetic import LayerRow, StackSummary
from lenet_explain.calculator.basics import AxisSize, ConnectionTerms, ParamTerms
from lenet_explain.terminal import escape

MINUS = "−"


def decimal_text(numerator: int, denominator: int, places: int) -> str:
    """Return numerator/denominator (both ≥ 0) with exactly ``places`` decimals, ties to even; exact at any size."""
    whole, rest = divmod(numerator * 10**places, denominator)
    if 2 * rest > denominator or (2 * rest == denominator and whole % 2 == 1):
        whole += 1
    if places == 0:
        return str(whole)
    digits = str(whole).rjust(places + 1, "0")
    return f"{digits[:-places]}.{digits[-places:]}"


def format_quotient(numerator: int, denominator: int) -> str:
    """Format numerator/denominator for a formula: an integer as is, else up to 3 decimals, exactly.

    More decimals are shown only when 3 would round to a whole number (``⌊2.9996⌋`` stays itself, never ``⌊3.⌋``).
    """
    if numerator % denominator == 0:
        return str(numerator // denominator)
    places = 3
    while True:
        text = decimal_text(numerator, denominator, places)
        if text.split(".")[1].strip("0"):
            return text.rstrip("0")
        places += 1


# The words of a formula's notes, as str.format templates keyed like the calculator page's (docs/i18n/en.js,
# section "errors"; the site's Chinese ones are in lenet_explain/site/words_zh.py, under these English texts).
NOTE_WORDS: dict[str, str] = {
    "note_dilated": f"dilated kernel {{effective}} = {{dilation}}×({{kernel}} {MINUS} 1) + 1",
    "note_same": "'same': output ⌈{input}/{stride}⌉ = {output}, padding {pad} ({before} before, {after} after)",
    "note_explicit": "padding {pad} on each side",
    "note_ceil": "ceil mode",
    "note_separator": "; ",
    "note_dropped": " (a last window would start past the input)",
}


def format_size_formula(axis: AxisSize, words: dict[str, str] = NOTE_WORDS) -> str:
    """Return the lecture's (in − k + pad)/stride + 1 with the numbers in, floor or ceil made visible.

    ``(28 − 5 + 4)/1 + 1 = 28``; ``⌊(7 − 2 + 0)/2⌋ + 1 = ⌊2.5⌋ + 1 = 3``; ``⌈(7 − 2 + 0)/2⌉ + 1 = ⌈2.5⌉ + 1 = 4``;
    ``words`` (:data:`NOTE_WORDS`' keys) words the note on a dropped last window.
    """
    inner = f"({axis.input} {MINUS} {axis.effective_kernel} + {axis.pad})/{axis.stride}"
    if axis.exact:
        text = f"{inner} + 1 = {axis.numerator // axis.stride + 1}"
    else:
        left, right = ("⌈", "⌉") if axis.ceil_mode else ("⌊", "⌋")
        quotient = format_quotient(axis.numerator, axis.stride)
        rounded = -(-axis.numerator // axis.stride) if axis.ceil_mode else axis.numerator // axis.stride
        text = f"{left}{inner}{right} + 1 = {left}{quotient}{right} + 1 = {rounded + 1}"
    if axis.dropped_last:
        text += f" {MINUS} 1 = {axis.output}" + words["note_dropped"]
    return text


def describe_axis(axis: AxisSize, words: dict[str, str] = NOTE_WORDS) -> str:
    """Return a short note on what the formula's numbers stand for (padding rule, dilation), in ``words``."""
    notes = []
    if axis.dilation > 1:
        notes.append(words["note_dilated"].format(effective=axis.effective_kernel, dilation=axis.dilation,
                                                  kernel=axis.kernel))
    if axis.mode == "same":
        notes.append(words["note_same"].format(input=axis.input, stride=axis.stride, output=axis.output,
                                               pad=axis.pad, before=axis.pad_before, after=axis.pad_after))
    elif axis.mode == "explicit":
        notes.append(words["note_explicit"].format(pad=axis.pad_before))
    if axis.ceil_mode:
        notes.append(words["note_ceil"])
    return words["note_separator"].join(notes)


def _kernel_text(kernel: tuple[int, ...]) -> str:
    """``(5×5)``."""
    return "(" + "×".join(str(k) for k in kernel) + ")"


def param_formula_text(terms: ParamTerms) -> str:
    """Return a parameter formula without its total, e.g. ``1×(5×5)×6 + 6``; empty for a layer without weights."""
    kind = terms.kind
    if kind in ("conv", "separable"):  # every convolution: inputs read × (kernel) × filters
        text = f"{terms.inputs}×{_kernel_text(terms.kernel or ())}×{terms.outputs}"
        if kind == "separable":
            text += f" + {terms.pointwise[0]}×{terms.pointwise[1]}"
    elif kind == "sparse_conv":
        reads = " + ".join(f"{count}×{maps}" for count, maps in terms.groups)
        text = f"{_kernel_text(terms.kernel or ())}×({reads})"
    elif kind == "dense":
        text = f"{terms.inputs}×{terms.outputs}"
    elif kind == "product":
        text = "×".join(str(v) for v in terms.factors)
    elif kind == "statistics":
        text = f"2×{terms.inputs} + 1 (mean, variance, count)"
    elif kind == "model":
        text = f"{terms.outputs} layers"
    elif kind == "subsampling":
        text = str(terms.outputs)
    elif kind == "batchnorm":
        text = f"{terms.per_channel}×{terms.inputs}"
    elif kind == "rbf":
        text = f"{terms.outputs}×{terms.inputs}"
    else:
        return ""
    return f"{text} + {terms.bias}" if terms.bias else text


def format_param_formula(row: LayerRow) -> str:
    """Return the parameter count as the lecture writes it, e.g. ``1×(5×5)×6 + 6 = 156``."""
    terms = row.param_terms
    text = param_formula_text(terms)
    if not text:
        return str(row.params)
    if terms.kind == "batchnorm":
        return (f"{text} = {row.params} ({terms.trainable_per_channel}×{terms.inputs} trainable, "
                f"2×{terms.inputs} non-trainable)")
    return f"{text} = {row.params} (fixed)" if terms.kind == "rbf" else f"{text} = {row.params}"


def format_connection_formula(terms: ConnectionTerms) -> str:
    """Return how connections add up, the paper's way: ``28×28×6×(25 + 1) = 122,304``; empty when there are none."""
    if not terms.groups:
        return ""
    parts = [f"{units}×({inputs} + {bias})" if bias else f"{units}×{inputs}" for units, inputs, bias in terms.groups]
    if len(parts) == 1 and terms.groups[0][0] == 1:
        parts = [f"({terms.groups[0][1]} + {terms.groups[0][2]})" if terms.groups[0][2] else str(terms.groups[0][1])]
    body = parts[0] if len(parts) == 1 else "(" + " + ".join(parts) + ")"
    positions = "".join(f"{p}×" for p in terms.positions)
    extra = f" + {terms.extra_links}" if terms.extra_links else ""
    return f"{positions}{body}{extra} = {terms.total:,}"


def format_shape(shape: tuple[int, ...] | None, batch: bool = False) -> str:
    """Return a shape like Keras prints it: ``(None, 28, 28, 6)`` with ``batch``, else ``(28, 28, 6)``."""
    if shape is None:
        return "all"
    parts = (["None"] if batch else []) + [str(v) for v in shape]
    return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"


def format_field(value: tuple[int | Fraction, ...] | None) -> str:
    """Return a receptive field or jump: ``5`` when square, ``5×3`` otherwise, ``all`` when global."""
    if value is None:
        return "all"
    return str(value[0]) if len(set(value)) == 1 else "×".join(str(v) for v in value)


def format_bytes(count: int) -> str:
    """Return a byte count the way Keras' summary does (``241.04 KB``), exact at any size (GB at most)."""
    units = ("B", "KB", "MB", "GB")
    power = 0
    while power < len(units) - 1 and count >= 1024 ** (power + 1):
        power += 1
    return f"{decimal_text(count, 1024**power, 2)} {units[power]}"


def size_formula_text(row: LayerRow) -> str:
    """Return the size formula of a row: one formula when both axes agree, else 'H: …; W: …'."""
    if row.sizes is None:
        return ""
    formulas = [format_size_formula(axis) for axis in row.sizes]
    if len(set(formulas)) == 1:
        return formulas[0]
    letters = "HW" if len(formulas) == 2 else "DHW"
    return "; ".join(f"{letter}: {formula}" for letter, formula in zip(letters, formulas, strict=False))


SUMMARY_COLUMNS = (
    "Layer (type)", "Output Shape", "Param #", "Param formula", "Connections", "MACs", "RF", "Size formula"
)
NUMERIC_COLUMNS = {2, 4, 5, 6}  # right-aligned


CONNECTED_TO = "Connected to"  # the column graphs add, as Keras' summary of a Functional model
NEST_MARK = "└ "  # before the name of a layer of a nested model shown expanded


def summary_columns(summary: StackSummary) -> list[str]:
    """Return the column headers: :data:`SUMMARY_COLUMNS`, and "Connected to" for a graph."""
    return [*SUMMARY_COLUMNS, CONNECTED_TO] if summary.connected else list(SUMMARY_COLUMNS)


def summary_table(summary: StackSummary) -> list[list[str]]:
    """Return the summary's cells, one list per layer, in :func:`summary_columns` order."""
    return [
        [
            "  " * (row.depth - 1) + NEST_MARK * (row.depth > 0) + f"{row.name} ({row.type})",
            format_shape(row.output_shape, batch=True),
            f"{row.params:,}",
            format_param_formula(row) if row.params else "",
            f"{row.connections:,}",
            f"{row.macs:,}",
            format_field(row.receptive_field),
            size_formula_text(row),
            *([", ".join(row.inbound)] if summary.connected else []),
        ]
        for row in summary.rows
    ]


def total_lines(summary: StackSummary) -> list[str]:
    """Return the totals under the table, worded like Keras' summary plus MACs and memory."""
    bytes_of = format_bytes
    return [
        f"Total params: {summary.total_params:,} ({bytes_of(summary.param_bytes)})",
        f"Trainable params: {summary.trainable_params:,} ({bytes_of(summary.trainable_params * 4)})",
        f"Non-trainable params: {summary.non_trainable_params:,} ({bytes_of(summary.non_trainable_params * 4)})",
        f"Connections: {summary.total_connections:,} per image (weight and bias links, the 1998 paper's count)",
        f"Multiply-accumulates (MACs): {summary.total_macs:,} per image",
        f"Activation memory: {bytes_of(summary.activation_bytes)} per image (float32, input included)",
    ]


def format_summary(summary: StackSummary) -> str:
    """Return a plain-text table like Keras' ``model.summary()`` with formula, MACs and RF columns."""
    header = summary_columns(summary)
    body = [[escape(cell) for cell in row] for row in summary_table(summary)]  # a name never splits a row
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    numeric = NUMERIC_COLUMNS

    def line(cells: list[str]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        padded = [c.rjust(w) if i in numeric else c.ljust(w) for i, (c, w) in pairs]
        return "  ".join(padded).rstrip()

    rule = "-" * len(line(header))
    title = f'Model: "{escape(summary.name)}"  input {format_shape(summary.input_shape, batch=True)}'
    out = [title, rule, line(header), rule]
    out += [line(r) for r in body]
    out += [rule, *total_lines(summary)]
    return "\n".join(out)


def format_summary_markdown(summary: StackSummary) -> str:
    """Return the summary as a Markdown table followed by the totals."""
    header = summary_columns(summary)
    rule = "|".join("---:" if i in NUMERIC_COLUMNS else "---" for i in range(len(header)))
    lines = ["| " + " | ".join(header) + " |", f"|{rule}|"]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in summary_table(summary)]
    return "\n".join(lines) + "\n\n" + "  \n".join(total_lines(summary)) + "\n"


def axis_to_dict(axis: AxisSize) -> dict[str, Any]:
    """Return one axis' numbers and formula as a JSON-ready dict."""
    return {
        "output": axis.output,
        "input": axis.input,
        "kernel": axis.kernel,
        "stride": axis.stride,
        "dilation": axis.dilation,
        "effective_kernel": axis.effective_kernel,
        "padding": axis.mode if axis.mode != "explicit" else axis.pad_before,
        "pad_before": axis.pad_before,
        "pad_after": axis.pad_after,
        "pad": axis.pad,
        "op": axis.op,
        "ceil_mode": axis.ceil_mode,
        "numerator": axis.numerator,
        "exact": axis.exact,
        "dropped_last": axis.dropped_last,
        "formula": format_size_formula(axis),
        "note": describe_axis(axis),
    }


def row_to_dict(row: LayerRow) -> dict[str, Any]:
    """Return one layer's numbers as a JSON-ready dict."""
    return {
        "name": row.name,
        "type": row.type,
        "input_shape": list(row.input_shape),
        "output_shape": list(row.output_shape),
        "params": row.params,
        "trainable_params": row.trainable_params,
        "non_trainable_params": row.non_trainable_params,
        "param_formula": format_param_formula(row),
        "connections": row.connections,
        "connection_formula": format_connection_formula(row.connection_terms),
        "macs": row.macs,
        "receptive_field": list(row.receptive_field) if row.receptive_field else None,
        "jump": [_json_number(j) for j in row.jump] if row.jump else None,
        "activation_bytes": row.activation_bytes,
        "activation": row.activation,
        "size": [axis_to_dict(a) for a in row.sizes] if row.sizes else None,
        **({"connected_to": list(row.inbound)} if row.inbound else {}),
        **({"depth": row.depth} if row.depth else {}),
    }


def _json_number(value: int | Fraction) -> int | str:
    """An integer as is, a fraction as text like ``1/2`` (exact)."""
    return int(value) if value == int(value) else str(value)


def summary_to_dict(summary: StackSummary) -> dict[str, Any]:
    """Return the whole summary as a JSON-ready dict (the CLI's ``summary --json``)."""
    return {
        "model": summary.name,
        "input_shape": list(summary.input_shape),
        "output_shape": list(summary.output_shape),
        "layers": [row_to_dict(r) for r in summary.rows],
        **({"graph": True} if summary.connected else {}),
        "total_params": summary.total_params,
        "trainable_params": summary.trainable_params,
        "non_trainable_params": summary.non_trainable_params,
        "total_connections": summary.total_connections,
        "total_macs": summary.total_macs,
        "param_bytes": summary.param_bytes,
        "activation_bytes": summary.activation_bytes,
    }
