"""Macros of output sizes and parameter counts: formulas per axis, per-layer tables, the Keras summary."""

from __future__ import annotations

from functools import cache
from typing import Any

from lenet_explain.calculator import arithmetic as calc
from lenet_explain.calculator import formatting as fmt
from lenet_explain.calculator.layers import AveragePooling2D, Conv2D, Dense, Input, MaxPooling2D, Stack, layer_fields
from lenet_explain.calculator.stacks import get_stack
from lenet_explain.site.glossary import term_link
from lenet_explain.site.i18n import translate
from lenet_explain.site.page_html import RawHTML, render_pre, render_table

KERAS_LINE_LENGTH = 72  # wide enough for the three columns, narrow enough for the page
PARAM_EXAMPLE = Stack("param-example", Input((7, 7, 3)), (Conv2D(2, (3, 3), name="conv"),))


def size_latex(axis: calc.AxisSize) -> str:
    """Return the size formula of one axis as LaTeX, floor or ceil shown when the division is not exact."""
    inner = rf"\displaystyle \frac{{{axis.input} - {axis.effective_kernel} + {axis.pad}}}{{{axis.stride}}}"
    if not axis.exact:
        left, right = (r"\left\lceil", r"\right\rceil") if axis.ceil_mode else (r"\left\lfloor", r"\right\rfloor")
        inner = f"{left} {inner} {right}"
    return f"{inner} + 1 = {axis.output}"


def size_example(input: int, kernel: int, stride: int = 1, padding: Any = "valid", dilation: int = 1,
                 op: str = "conv", ceil_mode: bool = False, language: str = "en") -> dict[str, Any]:
    """Return the calculator's axis with its lecture-style text formula, its LaTeX and its note."""
    axis = calc.output_size(input, kernel, stride, padding, dilation, op, ceil_mode)
    return {"axis": axis, "text": fmt.format_size_formula(axis, note_words(language)), "latex": size_latex(axis),
            "note": axis_note(axis, language)}


def note_words(language: str = "en") -> dict[str, str]:
    """Return the calculator's words for a formula's notes (:data:`formatting.NOTE_WORDS`) in ``language``."""
    return {key: translate(text, language) for key, text in fmt.NOTE_WORDS.items()}


def axis_note(axis: calc.AxisSize, language: str = "en") -> str:
    """Return the calculator's note on an axis (padding rule, dilation) in ``language``, as the calculator words it."""
    return fmt.describe_axis(axis, note_words(language))


def size_formula(row: calc.LayerRow, language: str = "en") -> str:
    """Return a row's size formula: one when the axes agree, else one per axis (height, width) in ``language``."""
    if row.sizes is None:
        return ""
    formulas = [fmt.format_size_formula(axis, note_words(language)) for axis in row.sizes]
    if len(set(formulas)) == 1:
        return formulas[0]
    if len(formulas) == 2:
        return translate("H: {h}; W: {w}", language, h=formulas[0], w=formulas[1])
    return fmt.size_formula_text(row)


def field_text(value: tuple[Any, ...] | None, language: str = "en") -> str:
    """Return a receptive field as the calculator writes it (5, 5×3), or "all" in ``language`` when global."""
    return translate("all", language) if value is None else fmt.format_field(value)


def _window_text(layer: Any, language: str = "en") -> str:
    """Return a layer's window in the lecture's words: kernels, size, stride, padding."""
    if isinstance(layer, Conv2D):
        kh, kw = layer.kernel_size
        return translate("{filters} kernels {kh}×{kw}, stride {stride}, padding '{padding}'", language,
                         filters=layer.filters, kh=kh, kw=kw, stride=layer.strides[0], padding=layer.padding)
    if isinstance(layer, (MaxPooling2D, AveragePooling2D)):
        ph, pw = layer.pool_size
        return translate("{ph}×{pw} window, stride {stride}", language, ph=ph, pw=pw, stride=layer.strides[0])
    if isinstance(layer, Dense):
        return translate("{units} neurons", language, units=layer.units)
    return "—"


def shape_text(shape: tuple[int, ...]) -> str:
    """Return a shape as height×width×channels."""
    return "×".join(str(v) for v in shape)


def size_rows(stack: str = "lecture", language: str = "en") -> list[list[str]]:
    """Return every windowed layer of a stack with its size formula (per axis when they differ) and note."""
    the_stack = get_stack(stack)
    summary = calc.summarize(the_stack)
    rows = []
    for layer, row in zip(the_stack.layers, summary.rows, strict=True):
        if row.sizes is None:
            continue
        notes = "; ".join(dict.fromkeys(n for n in (axis_note(a, language) for a in row.sizes) if n))
        rows.append([row.name, shape_text(row.input_shape[:2]), _window_text(layer, language),
                     size_formula(row, language),
                     notes or "—", shape_text(row.output_shape[:2])])
    return rows


SIZE_HEADER = ["layer", "input (H×W)", "window", "size formula (lecture form)", "note", "output (H×W)"]


def size_table(stack: str = "lecture", variant: str = "lecture32", id: str = "", language: str = "en") -> str:
    """Return every windowed layer's size formula, with the rows where ``variant`` differs."""
    rows = merge_variants(size_rows(stack, language), size_rows(variant, language), variant, language)
    return render_table(rows, header=[translate(h, language) for h in SIZE_HEADER], id=id or f"sizes-{stack}",
                        classes="lx-layers", wrap=(0, 2, 4))


def glance_rows(stack: str = "lecture", language: str = "en") -> list[list[str]]:
    """Return each layer's name, type, output shape and parameter count."""
    summary = calc.summarize(get_stack(stack))
    rows = [[translate("input", language), "Input", shape_text(summary.input_shape), "0"]]
    return rows + [[r.name, r.type, shape_text(r.output_shape), f"{r.params:,}"] for r in summary.rows]


def layer_rows(stack: str = "lecture32", language: str = "en") -> list[list[str]]:
    """Return the lecture's table for a stack: layer, input, window, output, parameters, the lecture's formula."""
    the_stack = get_stack(stack)
    summary = calc.summarize(the_stack)
    rows = [[translate("input", language), "—", "—", shape_text(summary.input_shape), "0", "—"]]
    for layer, row in zip(the_stack.layers, summary.rows, strict=True):
        rows.append([
            f"{row.name} ({row.type})",
            shape_text(row.input_shape),
            _window_text(layer, language),
            shape_text(row.output_shape),
            f"{row.params:,}",
            fmt.format_param_formula(row) if row.params else "—",
        ])
    return rows


LAYER_HEADER = ["layer", "input", "kernels / window / neurons", "output", "parameters",
                "the lecture's formula"]
VARIANT_LABELS = {"lecture": "the Keras model", "lecture32": "the lecture's table"}


def merge_variants(rows: list[list[str]], other: list[list[str]], variant: str,
                   language: str = "en") -> list[list[str]]:
    """Return ``rows``, each followed by the row of ``other`` in its place when that one differs, labelled."""
    label = translate(VARIANT_LABELS[variant], language) if variant in VARIANT_LABELS else variant
    merged = []
    for mine, theirs in zip(rows, other, strict=True):
        merged.append(mine)
        if mine != theirs:
            merged.append([translate("{name}, in {label}", language, name=theirs[0], label=label), *theirs[1:]])
    return merged


def layer_table(stack: str = "lecture32", variant: str = "lecture", id: str = "", language: str = "en") -> str:
    """Return the lecture's per-layer table of a built-in stack, with the rows where ``variant`` differs."""
    rows = merge_variants(layer_rows(stack, language), layer_rows(variant, language), variant, language)
    return render_table(rows, header=[translate(h, language) for h in LAYER_HEADER], id=id or f"layers-{stack}",
                        numeric=True, classes="lx-layers", wrap=(0, 2, 5))


SUMMARY_SHOWN = ("Layer (type)", "Output Shape", "Param #", "RF")  # what Keras' summary prints, and the RF


def summary_table_html(stack: str = "lecture", id: str = "", page_url: str = "parameters/",
                       language: str = "en") -> str:
    """Return the calculator's summary of a stack: the columns Keras' summary has, and the receptive field."""
    summary = calc.summarize(get_stack(stack))
    keep = [fmt.SUMMARY_COLUMNS.index(name) for name in SUMMARY_SHOWN[:-1]]
    rows = [[*(cells[i] for i in keep), field_text(row.receptive_field, language)]
            for cells, row in zip(fmt.summary_table(summary), summary.rows, strict=True)]
    header: list[object] = [translate(name, language) for name in SUMMARY_SHOWN[:-1]]
    title = translate("receptive field", language)  # a Chinese table says 感受野, as the calculator page does
    shown = f'<abbr title="{title}">RF</abbr>' if language == "en" else title
    header.append(RawHTML(term_link("receptive-field", shown, page_url)))
    return render_table(rows, header=header, id=id or f"summary-{stack}", numeric=True, classes="lx-layers",
                        wrap=(0,))


def totals_rows(stack: str = "lecture", language: str = "en") -> list[list[str]]:
    """Return the totals of a stack as label/value rows."""
    summary = calc.summarize(get_stack(stack))
    return [[translate(label, language), value] for label, value in (
        ("total parameters", f"{summary.total_params:,}"),
        ("trainable parameters", f"{summary.trainable_params:,}"),
        ("non-trainable parameters", f"{summary.non_trainable_params:,}"),
        ("multiply-accumulates (MACs) per image", f"{summary.total_macs:,}"),
        ("parameter memory (float32)", fmt.format_bytes(summary.param_bytes)),
        ("activation memory per image (float32)", fmt.format_bytes(summary.activation_bytes)),
    )]


def macs_rows(stack: str = "lecture", language: str = "en") -> list[list[str]]:
    """Return each layer's MACs with how they are counted."""
    summary = calc.summarize(get_stack(stack))
    rows = []
    for row in summary.rows:
        terms = row.param_terms
        if terms.kind == "conv" and terms.kernel is not None:
            h, w, c = row.output_shape
            how = translate("{h}×{w}×{c} outputs × ({kh}×{kw}×{inputs}) each", language, h=h, w=w, c=c,
                            kh=terms.kernel[0], kw=terms.kernel[1], inputs=terms.inputs)
        elif terms.kind == "dense":
            how = translate("{outputs} outputs × {inputs} each", language, outputs=terms.outputs, inputs=terms.inputs)
        else:
            how = translate("no multiplications by weights", language)
        rows.append([row.name, how, f"{row.macs:,}"])
    return rows


@cache
def keras_summary_text(stack: str = "lecture") -> str:
    """Return the real Keras ``model.summary()`` text of a built-in stack (imports TensorFlow)."""
    from lenet_explain.models.keras_check import stack_summary_text

    return stack_summary_text(get_stack(stack), KERAS_LINE_LENGTH)


def keras_summary(stack: str = "lecture") -> str:
    """Return the real Keras summary text in a ``<pre>`` block."""
    return render_pre(keras_summary_text(stack), classes="lx-keras")


def param_example() -> dict[str, Any]:
    """Return the kernel-depth example: a 3-channel input, 2 kernels of 3×3 (the lecture's (3×3×3 + 1)×2)."""
    summary = calc.summarize(PARAM_EXAMPLE)
    row = summary.rows[0]
    terms = row.param_terms
    assert terms.kernel is not None
    kh, kw = terms.kernel
    per_kernel = terms.inputs * kh * kw + (1 if terms.bias else 0)
    return {
        "input": shape_text(summary.input_shape), "output": shape_text(row.output_shape),
        "channels": terms.inputs, "kh": kh, "kw": kw, "filters": terms.outputs, "params": row.params,
        "formula": fmt.format_param_formula(row),
        "lecture_form": f"({terms.inputs}×{kh}×{kw} + 1)×{terms.outputs} = {per_kernel * terms.outputs}",
        "per_kernel": per_kernel, "weights_per_kernel": terms.inputs * kh * kw,
        "lecture_latex": rf"({terms.inputs} \times {kh} \times {kw} + 1) \times {terms.outputs} = {row.params}",
    }


def layer_row(stack: str, name: str) -> calc.LayerRow:
    """Return the calculator's row of the layer ``name`` of a built-in stack."""
    for row in calc.summarize(get_stack(stack)).rows:
        if row.name == name:
            return row
    raise KeyError(f"stack {stack!r} has no layer {name!r}")


def largest(stack: str, attribute: str, count: int = 1) -> list[calc.LayerRow]:
    """Return the ``count`` rows of a stack with the largest ``attribute`` (e.g. 'params', 'macs')."""
    rows = calc.summarize(get_stack(stack)).rows
    return sorted(rows, key=lambda r: getattr(r, attribute), reverse=True)[:count]


def conv_defaults() -> dict[str, str]:
    """Return the defaults of the Conv2D description (they mirror Keras' defaults; tests check that)."""
    fields = layer_fields(Conv2D(1, (1, 1)))
    return {"padding": str(fields["padding"]), "strides": str(fields["strides"])}
