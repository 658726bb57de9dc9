"""The site's macros (mkdocs-macros): every number, matrix and table on a page comes from here.

mkdocs.yml loads this module with ``macros: modules: [lenet_explain.site.macros]`` and runs with
``on_undefined: strict`` and ``on_error_fail: true``, so a misspelt name or a failing call stops
``mkdocs build --strict``. A page that must not be rendered by Jinja (say, one holding ``{{`` in
JavaScript) opts out with ``render_macros: false`` in its front matter.

The API for every page (all return Markdown/HTML text to put in the page):

- ``table(rows, header=None, caption="", id="", numeric=True)`` — any rows of cells as a real HTML table;
- ``figure(name, caption="")`` — a figure of :data:`lenet_explain.site.figures.FIGURES` with its alt text;
- ``math(latex, display=False)`` — LaTeX as MathML (no JavaScript); ``$…$`` and ``$$…$$`` work too;
- ``page_link(target, text)`` — a link to another page, plain text while that page does not exist;
- ``layer_table(stack="lecture32", id="")`` — the lecture's per-layer table (input, kernels, output, formulas);
- ``summary_table(stack="lecture", id="")`` — the calculator's summary (shape, params, formula, MACs, RF);
- ``keras_summary(stack="lecture")`` — the real Keras ``model.summary()`` text in a ``<pre>``;
- variables ``calc`` (:mod:`lenet_explain.calculator.arithmetic`), ``fmt`` (:mod:`lenet_explain.calculator.formatting`),
  ``ex`` (:mod:`lenet_explain.site.explainer`), ``stacks`` (name → Stack) and ``summaries`` (name → StackSummary).

The other macros serve the explainer pages (convolution, pooling, activation, sizes, parameters).
"""

from __future__ import annotations

import functools
import html
import inspect
import re
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from lenet_explain.calculator import arithmetic as calc
from lenet_explain.calculator import formatting as fmt
from lenet_explain.calculator.layers import AveragePooling2D, Conv2D, Dense, Input, MaxPooling2D, Stack, layer_fields
from lenet_explain.calculator.stacks import BUILTIN_STACKS, get_stack
from lenet_explain.site import explainer as ex
from lenet_explain.site.figure_layout import SIGN_WORDS
from lenet_explain.site.glossary import PIXEL_MAX, render_glossary, term_link
from lenet_explain.site.i18n import page_language, translate, translate_phrases
from lenet_explain.site.mathml import latex_to_mathml
from lenet_explain.walkthrough import images, lecture
from lenet_explain.walkthrough.lecture import PAPER_YEAR

_NUMBER = re.compile(r"^[−+-]?[\d,]*\.?\d+(/\d+)?…?$")
KERAS_LINE_LENGTH = 72  # wide enough for the three columns, narrow enough for the page
FIGURE_CACHE = Path(__file__).resolve().parents[2] / ".cache" / "figures"
PARAM_EXAMPLE = Stack("param-example", Input((7, 7, 3)), (Conv2D(2, (3, 3), name="conv"),))


# --- Generic rendering ----------------------------------------------------------------------------


def _classes(*names: str) -> str:
    """Return a class attribute value from names, skipping empty ones."""
    return " ".join(n for name in names for n in name.split())


class RawHTML(str):
    """A table cell or header that is already HTML (a link, an abbreviation): not escaped again."""


def _text(value: object) -> str:
    """Return a cell's HTML: escaped text, or :class:`RawHTML` as it is."""
    return value if isinstance(value, RawHTML) else html.escape(str(value))


def _cell(value: object, numeric: bool, wrap: bool) -> str:
    """Return one escaped ``<td>``: '+1' pixels get the ink class, number-like cells the number class."""
    text = str(value)
    names = []
    if numeric and text == "+1":
        names.append("lx-ink")
    elif numeric and _NUMBER.match(text):
        names.append("lx-num")
    if wrap:
        names.append("lx-wrap")
    kind = f' class="{" ".join(names)}"' if names else ""
    return f"<td{kind}>{_text(value)}</td>"


def render_table(rows: Iterable[Sequence[object]], header: Sequence[object] | None = None, caption: str = "",
                 id: str = "", numeric: bool = True, classes: str = "", wrap: Sequence[int] = ()) -> str:
    """Return rows of cells as an HTML table (cells escaped; with ``numeric`` number-like cells align right).

    In tables with the ``lx-layers`` class cells do not wrap, except in the columns listed in ``wrap``.
    """
    kind = "numeric" if numeric else "text"
    attrs = f' id="{html.escape(id)}"' if id else ""
    out = [f'<table class="{_classes("lx-table", f"lx-{kind}", classes)}"{attrs}>']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    if header is not None:
        out.append("<thead><tr>" + "".join(f'<th scope="col">{_text(h)}</th>' for h in header)
                   + "</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        out.append("<tr>" + "".join(_cell(c, numeric, i in wrap) for i, c in enumerate(row)) + "</tr>")
    out.append("</tbody></table>")
    table = "".join(out)
    if "lx-matrix" in classes.split():
        return table  # small, laid out side by side by .lx-matrices
    return f'<div class="lx-scroll">{table}</div>'  # scrolls inside itself on a phone, never the page


def render_matrix(rows: Sequence[Sequence[object]], caption: str = "", id: str = "", classes: str = "") -> str:
    """Return a matrix as a compact HTML table with its caption (for the side-by-side matrix rows)."""
    return render_table(rows, caption=caption, id=id, classes=f"lx-matrix {classes}".strip())


def render_figure(name: str, caption: str = "", page_url: str = "", language: str = "en") -> str:
    """Return HTML for a site figure (alt text from the figure's numbers), linked relative to ``page_url``.

    A figure with a phone layout becomes a ``<picture>``: narrow screens load ``<name>-narrow.svg``. The
    ``<img>`` carries the desktop figure's natural size, so the page does not jump while it loads. A Chinese
    page shows the figure drawn with Chinese words (``zh/figures/``).
    """
    from lenet_explain.site import figures
    from lenet_explain.site.hooks import figure_path

    spec = figures.figure_spec(name)
    alt = html.escape(figures.figure_alt(name, language), quote=True)
    up = "../" * page_url.count("/")
    width, height = figures.svg_size(figure_svg(name, language))
    img = (f'<img src="{up}{figure_path(name, language)}" alt="{alt}" width="{width:.0f}" height="{height:.0f}" '
           f'decoding="async">')
    if spec.responsive:
        narrow = name + figures.NARROW_SUFFIX
        n_width, n_height = figures.svg_size(figure_svg(narrow, language))
        img = (f'<picture><source media="{NARROW_MEDIA}" srcset="{up}{figure_path(narrow, language)}" '
               f'width="{n_width:.0f}" height="{n_height:.0f}">{img}</picture>')
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="lx-figure">{img}{cap}</figure>'


NARROW_MEDIA = "(max-width: 599.98px)"  # phones: the text column is at most 568 CSS px


def figure_svg(name: str, language: str = "en") -> str:
    """Return a figure's SVG in ``language`` (the build's cached copy when the hooks drew it)."""
    from lenet_explain.site.hooks import figure_svgs

    return all_figure_svgs(figure_svgs, language)[name]


@cache
def all_figure_svgs(draw: Callable[[Path | None, str], dict[str, str]], language: str = "en") -> dict[str, str]:
    """Return every figure file's SVG in ``language`` once per build."""
    return draw(FIGURE_CACHE, language)


def render_pre(text: str, classes: str = "") -> str:
    """Return text in a ``<pre>`` block, escaped."""
    return f'<pre class="{_classes("lx-pre", classes)}"><code>{html.escape(text)}</code></pre>'


# --- Explainer data ----------------------------------------------------------------------------------


def exact_rows(values: list[list[Fraction]], denominator: int | None = None) -> list[list[str]]:
    """Return exact fractions as text, over ``denominator`` when given (3/9 stays 3/9)."""
    if denominator is None:
        return [[ex.format_fraction(v) for v in row] for row in values]
    return [[ex.format_over(v, denominator) for v in row] for row in values]


def feature_pixels() -> int:
    """Return the number of pixels of a feature (the denominator of every map value)."""
    return int(ex.draw_features()["backslash"].size)


def two_decimals(value: Fraction) -> str:
    """Return a value rounded (not cut) to two decimals, for our own numbers (votes, weights)."""
    return f"{float(value):.2f}".replace("-", ex.MINUS)


@cache
def feature_maps(image: str = "X") -> dict[str, list[list[Fraction]]]:
    """Return the exact feature maps of an example image by feature name."""
    picture = ex.vote_inputs()[image]
    return {n: ex.feature_map_exact(picture, f) for n, f in ex.draw_features().items()}


def feature_label(feature: str, language: str = "en") -> str:
    """Return a feature's name ("the '\\' diagonal") in ``language``."""
    return translate(ex.FEATURE_LABELS[feature], language)


def lecture_map(feature: str = "backslash", image: str = "X", id: str = "", language: str = "en") -> str:
    """Return a feature map as the lecture prints it (cut to two decimals)."""
    values = feature_maps(image)[feature]
    caption = translate("{label}: as the lecture prints it", language, label=feature_label(feature, language))
    return render_matrix(ex.lecture_table(values), caption=caption, id=id)


def exact_map(feature: str = "backslash", image: str = "X", id: str = "", language: str = "en") -> str:
    """Return a feature map as exact fractions."""
    n = feature_pixels()
    caption = translate("{label}: exact (sum of products / {n})", language, label=feature_label(feature, language),
                        n=n)
    return render_matrix(exact_rows(feature_maps(image)[feature], n), caption=caption, id=id)


def pixel_matrix(name: str, caption: str = "", id: str = "", language: str = "en") -> str:
    """Return an example image or a feature as a ±1 matrix."""
    every = {**ex.vote_inputs(), **ex.draw_features()}
    label = caption or (feature_label(name, language) if name in ex.FEATURE_LABELS
                        else translate("the {name}", language, name=input_name(name, language)))
    return render_matrix(ex.sign_labels(every[name]), caption=label, id=id, classes="lx-pixels")


def step() -> ex.MatchStep:
    """Return the worked position of the '\\' map (the lecture map's first value)."""
    from lenet_explain.site.explainer_figures import STEP_COL, STEP_ROW

    return ex.match_step(ex.draw_x(), ex.draw_features()["backslash"], STEP_ROW, STEP_COL)


def step_matrices(language: str = "en") -> str:
    """Return the worked position's patch, feature and products as three tables."""
    s = step()
    return (render_matrix(ex.sign_labels(s.patch), caption=translate("pixels under the window", language),
                          id="step-patch", classes="lx-pixels")
            + render_matrix(ex.sign_labels(s.feature), caption=translate("the '\\' feature", language),
                            id="step-feature", classes="lx-pixels")
            + render_matrix(ex.sign_labels(s.products), caption=translate("their products", language),
                            id="step-products"))


def step_latex() -> str:
    """Return the worked position's sum and mean as LaTeX."""
    s = step()
    terms = " ".join(("+ " if i and v > 0 else ("- " if v < 0 else "")) + "1"
                     for i, v in enumerate(s.products.ravel()))
    mean = s.mean
    return (rf"\frac{{{terms}}}{{{s.count}}} = \frac{{{s.total}}}{{{s.count}}}"
            rf" = {ex.format_lecture(mean, places=6, minus='-')}\ldots \;\to\; {ex.format_lecture(mean, minus='-')}")


def fraction_math(value: Fraction) -> str:
    """Return an exact fraction as inline MathML (a small fraction bar)."""
    value = Fraction(value)
    if value.denominator == 1:
        return latex_to_mathml(str(value.numerator))
    sign = "-" if value < 0 else ""
    return latex_to_mathml(rf"{sign}\tfrac{{{abs(value.numerator)}}}{{{value.denominator}}}")


def cut_versus_round() -> list[list[str]]:
    """Return the map's distinct values exact, cut (the lecture) and rounded, where cutting and rounding differ."""
    values = sorted({v for row in feature_maps("X")["backslash"] for v in row})
    return [[ex.format_over(v, feature_pixels()), ex.format_lecture(v, places=4) + "…", ex.format_lecture(v),
             two_decimals(v)] for v in values]


def map_distinct_count(feature: str = "backslash") -> int:
    """Return how many different values the feature map of the X holds."""
    return len({v for row in feature_maps("X")[feature] for v in row})


# --- Pooling ---------------------------------------------------------------------------------------------


def pooled(feature: str = "backslash", image: str = "X", ceil_mode: bool = True) -> list[list[Fraction]]:
    """Return a feature map max pooled 2×2 with stride 2."""
    return ex.max_pool_exact(feature_maps(image)[feature], ceil_mode=ceil_mode)


def pooled_table(feature: str = "backslash", image: str = "X", ceil_mode: bool = True, id: str = "",
                 language: str = "en") -> str:
    """Return a max-pooled map as the lecture prints it."""
    values = pooled(feature, image, ceil_mode)
    how = "{label}, max pooled" if ceil_mode else "{label}, max pooled, floor"
    return render_matrix(ex.lecture_table(values), caption=translate(how, language,
                                                                     label=feature_label(feature, language)), id=id)


def average_table(feature: str = "backslash", image: str = "X", exact: bool = False, id: str = "",
                  language: str = "en") -> str:
    """Return a map average pooled 2×2 with stride 2 (partial windows average what they cover)."""
    values = ex.average_pool_exact(feature_maps(image)[feature])
    rows = exact_rows(values) if exact else [[two_decimals(v) for v in row] for row in values]
    kind = "{label}, average pooled (exact)" if exact else "{label}, average pooled (rounded to two decimals)"
    return render_matrix(rows, caption=translate(kind, language, label=feature_label(feature, language)), id=id)


def window_rows(size: int | None = None, language: str = "en") -> list[list[str]]:
    """Return each pooling window of the map's rows: rows covered and how many values it holds."""
    size = size or len(feature_maps("X")["backslash"])
    out = []
    for i, (start, stop) in enumerate(ex.pool_windows(size)):
        covered = f"{start + 1}–{stop}" if stop - start > 1 else f"{start + 1}"
        out.append([str(i + 1), covered, str(stop - start),
                    translate("partial" if stop - start < ex.POOL_SIZE else "full", language)])
    return out


def pool_axes(size: int | None = None) -> dict[str, calc.AxisSize]:
    """Return the calculator's pooling of the map's side in floor mode, ceil mode and Keras 'same'."""
    size = size or len(feature_maps("X")["backslash"])
    return {
        "floor": calc.output_size(size, ex.POOL_SIZE, ex.POOL_STRIDE, op="maxpool"),
        "ceil": calc.output_size(size, ex.POOL_SIZE, ex.POOL_STRIDE, op="maxpool", ceil_mode=True),
        "same": calc.output_size(size, ex.POOL_SIZE, ex.POOL_STRIDE, padding="same", op="maxpool"),
    }


# --- Activation, stacking, votes ---------------------------------------------------------------------


def relu_table(feature: str = "backslash", id: str = "", language: str = "en") -> str:
    """Return the X's feature map after ReLU, as the lecture would print it."""
    values = ex.relu_exact(feature_maps("X")[feature])
    caption = translate("{label} after ReLU", language, label=feature_label(feature, language))
    return render_matrix(ex.lecture_table(values), caption=caption, id=id)


def negatives(feature: str = "backslash") -> int:
    """Return how many values of the X's feature map are negative."""
    return sum(v < 0 for row in feature_maps("X")[feature] for v in row)


def final_values(image: str) -> list[Fraction]:
    """Return the twelve values that vote for an input image."""
    return ex.stack_image(ex.vote_inputs()[image]).vector()


def vote_labels(language: str = "en") -> list[str]:
    """Return the voting values' labels ("'\\' map (1,1)") in ``language``."""
    return [translate_phrases(label, ("map",), language) for label in ex.vote_labels()]


def input_name(name: str, language: str = "en") -> str:
    """Return an example input's name: the letters X and O stay, 'sloppy X' is translated."""
    return name if name in ex.IMAGE_NAMES else translate(name, language)


def vote_weight_table(id: str = "vote-weights", language: str = "en") -> str:
    """Return every voting value's weight for X and for O (rounded to two decimals)."""
    weights = ex.vote_weights()
    rows = [[label] + [two_decimals(weights[c][i]) for c in ex.IMAGE_NAMES]
            for i, label in enumerate(vote_labels(language))]
    header = [translate("value (map, row, column)", language)]
    header += [translate("weight for {name}", language, name=c) for c in ex.IMAGE_NAMES]
    return render_table(rows, header=header, id=id,
                        caption=translate("the fully connected layer's weights (each column sums to 1)", language))


def final_values_table(id: str = "vote-values", language: str = "en") -> str:
    """Return the twelve voting values of every input (cut to two decimals like the maps)."""
    inputs = list(ex.vote_inputs())
    vectors = {name: final_values(name) for name in inputs}
    rows = [[label] + [ex.format_lecture(vectors[n][i]) for n in inputs]
            for i, label in enumerate(vote_labels(language))]
    header = [translate("value (map, row, column)", language)]
    header += [translate("input: {name}", language, name=input_name(n, language)) for n in inputs]
    return render_table(rows, header=header, id=id,
                        caption=translate("the values after convolution → ReLU → pool → pool", language))


def votes_table(id: str = "votes", language: str = "en") -> str:
    """Return each input's votes for X and O and the winner."""
    rows = []
    for name, image in ex.vote_inputs().items():
        scores = ex.vote_scores(image)
        rows.append([input_name(name, language)] + [two_decimals(scores[c]) for c in ex.IMAGE_NAMES]
                    + [ex.vote_winner(scores)])
    header = [translate("input", language)]
    header += [translate("vote for {name}", language, name=c) for c in ex.IMAGE_NAMES]
    return render_table(rows, header=[*header, translate("read as", language)], id=id,
                        caption=translate("the votes (weighted sums, rounded to two decimals)", language))


def stack_activations(stack: str = "lecture") -> list[list[str]]:
    """Return each layer of a stack with its activation (for the sigmoid discussion)."""
    return [[layer.name, layer.type, str(getattr(layer, "activation", None) or "—")]
            for layer in get_stack(stack).layers]


# --- Output size and parameters -----------------------------------------------------------------------


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
    return {"axis": axis, "text": fmt.format_size_formula(axis), "latex": size_latex(axis),
            "note": axis_note(axis, language)}


NOTE_PHRASES = ("dilated kernel", "'same': output", "padding", "before", "after", "on each side", "ceil mode")


def axis_note(axis: calc.AxisSize, language: str = "en") -> str:
    """Return the calculator's note on an axis (padding rule, dilation) in ``language``."""
    return translate_phrases(fmt.describe_axis(axis), NOTE_PHRASES, language)


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


def _shape_text(shape: tuple[int, ...]) -> str:
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
        rows.append([row.name, _shape_text(row.input_shape[:2]), _window_text(layer, language),
                     fmt.size_formula_text(row),
                     notes or "—", _shape_text(row.output_shape[:2])])
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
    rows = [[translate("input", language), "Input", _shape_text(summary.input_shape), "0"]]
    return rows + [[r.name, r.type, _shape_text(r.output_shape), f"{r.params:,}"] for r in summary.rows]


def layer_rows(stack: str = "lecture32", language: str = "en") -> list[list[str]]:
    """Return the lecture's table for a stack: layer, input, window, output, parameters, the lecture's formula."""
    the_stack = get_stack(stack)
    summary = calc.summarize(the_stack)
    rows = [[translate("input", language), "—", "—", _shape_text(summary.input_shape), "0", "—"]]
    for layer, row in zip(the_stack.layers, summary.rows, strict=True):
        rows.append([
            f"{row.name} ({row.type})",
            _shape_text(row.input_shape),
            _window_text(layer, language),
            _shape_text(row.output_shape),
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
    keep = [fmt.SUMMARY_COLUMNS.index(name) for name in SUMMARY_SHOWN]
    rows = [[cells[i] for i in keep] for cells in fmt.summary_table(summary)]
    header: list[object] = list(SUMMARY_SHOWN)
    title = translate("receptive field", language)
    header[-1] = RawHTML(term_link("receptive-field", f'<abbr title="{title}">RF</abbr>', page_url))
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
        "input": _shape_text(summary.input_shape), "output": _shape_text(row.output_shape),
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


# --- The reference model and the lecture ------------------------------------------------------------------


def reference_metrics() -> dict[str, Any]:
    """Return the committed reference run's metrics (lenet_explain/data/lenet5_mnist_metrics.json)."""
    return model_metrics("lecture")


def paper_example(name: str = "") -> Any:
    """Return a committed example picture read both ways by the reference model (imports Keras)."""
    from lenet_explain.site import model_answers

    return model_answers.run_example(name or model_answers.PREDICT_EXAMPLE)


def visualizer_answers() -> Any:
    """Return the reference model's answers for the visualizer's example digits (imports Keras)."""
    from lenet_explain.site import model_answers

    return model_answers.visualizer_answers()


def percent(value: float, places: int = 0) -> str:
    """Return a fraction as a percentage: 0.09 → '9%'."""
    return f"{value:.{places}%}"
# --- The LeNet-5 of 1998 (docs/lenet1998.md) ---------------------------------------------------------


def model_metrics(model: str = "lenet1998") -> dict[str, Any]:
    """Return the committed metrics of a trained model: ``lecture`` or ``lenet1998``."""
    import json

    from lenet_explain.walkthrough.digit_models import LENET1998_METRICS
    from lenet_explain.walkthrough.predict import REFERENCE_METRICS

    path = {"lecture": REFERENCE_METRICS, "lenet1998": LENET1998_METRICS}[model]
    return dict(json.loads(path.read_text(encoding="utf-8")))


def percent_text(value: float, decimals: int = 2) -> str:
    """Return a fraction as a percentage with two decimals by default, e.g. 0.9905 -> '99.05%'."""
    return percent(value, decimals)


def signed_text(value: float) -> str:
    """Return a number with a typographic minus sign: -0.1 -> '−0.1'."""
    return f"{value:g}".replace("-", "−")


def plain_number(value: float, digits: int = 2) -> str:
    """Return a small number without an exponent, to ``digits`` significant digits: 2.06e-05 -> '0.000021'."""
    from decimal import Decimal

    return format(Decimal(f"{value:.{digits}g}"), "f")


def lenet1998_facts() -> dict[str, Any]:
    """Return the 1998 network's constants and training recipe, as the package defines them."""
    from lenet_explain.calculator.bitmaps import BITMAP_COLUMNS, BITMAP_ROWS, DIGIT_BITMAPS, min_squared_distance
    from lenet_explain.calculator.layers import SCALED_TANH_A, SCALED_TANH_S
    from lenet_explain.walkthrough import training1998 as t

    s_fraction = Fraction(SCALED_TANH_S).limit_denominator(10)
    return {
        "A": SCALED_TANH_A, "S": f"{s_fraction.numerator}/{s_fraction.denominator}",
        "background": t.BACKGROUND, "full_ink": t.FULL_INK, "pad": t.PAD, "init_limit": t.INIT_LIMIT,
        "epochs": t.EPOCHS, "batch_size": t.BATCH_SIZE, "learning_rate": plain_number(t.LEARNING_RATE),
        "decay": t.DECAY_PER_EPOCH,
        "final_rate": plain_number(t.LEARNING_RATE * t.DECAY_PER_EPOCH ** (t.EPOCHS - 1)),
        "seed": t.SEED, "bitmap_rows": BITMAP_ROWS, "bitmap_columns": BITMAP_COLUMNS,
        "min_distance": min_squared_distance(DIGIT_BITMAPS), "min_pixels": min_squared_distance(DIGIT_BITMAPS) // 4,
        "validation_size": t.VALIDATION_SIZE, "paper_passes": t.PAPER_PASSES,
        "paper_rates": [plain_number(r) for r in t.PAPER_RATES],
        "paper_accuracy": percent_text(1 - t.PAPER_TEST_ERROR), "paper_error": percent_text(t.PAPER_TEST_ERROR),
        "paper_train_accuracy": percent_text(1 - t.PAPER_TRAIN_ERROR), "background_text": signed_text(t.BACKGROUND),
        "mse_equation": t.PAPER_MSE_EQUATION, "map_equation": t.PAPER_MAP_EQUATION,
    }


LEDGER_HEADER = ["layer", "output", "trainable", "fixed", "connections", "how they add up", "per parameter"]


def ledger_rows(stack: str = "lenet1998", language: str = "en") -> list[list[str]]:
    """Return each layer's parameters beside its connections (weight sharing made visible)."""
    rows = []
    for row in calc.summarize(get_stack(stack)).rows:
        per = f"{row.connections / row.params:,.0f}" if row.params else "—"
        rows.append([row.name, _shape_text(row.output_shape), f"{row.trainable_params:,}",
                     f"{row.non_trainable_params:,}", f"{row.connections:,}",
                     fmt.format_connection_formula(row.connection_terms) or "—", per])
    summary = calc.summarize(get_stack(stack))
    rows.append([translate("total", language), "", f"{summary.trainable_params:,}", f"{summary.non_trainable_params:,}",
                 f"{summary.total_connections:,}", "", ""])
    return rows


def ledger_table(stack: str = "lenet1998", id: str = "", language: str = "en") -> str:
    """Return the parameters-versus-connections ledger of a built-in stack as HTML."""
    header = [translate(h, language) for h in LEDGER_HEADER]
    return render_table(ledger_rows(stack, language), header=header, id=id or f"ledger-{stack}", numeric=True,
                        classes="lx-layers", wrap=(5,))


# The comparison of the lecture's model with the 1998 network: (row, the lecture's model, the 1998 network, why it
# matters) as English templates; their Chinese is in words_zh.py, the values come from the package.
COMPARISON_TEMPLATES: tuple[tuple[str, str, str, str], ...] = (
    ("input", "{side}×{side} MNIST digit, pixels 0 (paper) to 1 (ink); C1 pads 'same'",
     "the digit padded to {paper_side}×{paper_side}, paper {background} and ink {ink}",
     "a mean near 0 and a variance near 1 speed up learning; the padding lets C1 see strokes near the edge"),
    ("squashing", "sigmoid, 0 to 1", "scaled tanh {A}·tanh({S}·a), −{A} to {A}",
     "outputs centred on 0; f(±1) = ±1, the RBF targets, where the curve bends most"),
    ("S2, S4", "average pooling, {pool_params} parameters",
     "trainable subsampling: a coefficient and a bias per map, squashed ({s2_params} and {s4_params} parameters)",
     "each map learns how much its blurred copy should count, and the squash can turn it into an OR or an AND"),
    ("C3", "every map reads all {s2_maps} S2 maps ({c3_params} parameters)",
     "maps read {c3_reads} S2 maps through Table I ({paper_c3_params} parameters, {c3_connections} connections)",
     "fewer connections (the paper's reason in {year}), and different inputs break the symmetry between maps"),
    ("output", "dense, softmax over {classes} ({output_params} trainable parameters)",
     "{classes} Euclidean RBF units, fixed ±1 weights from {columns}×{rows} bitmaps ({rbf_trainable} trainable, "
     "{rbf_fixed} fixed): lowest penalty wins",
     "F6 learns to draw the digit's bitmap; a digit that looks like no bitmap gets high penalties everywhere"),
    ("loss", "categorical cross-entropy", "the MAP criterion (eq. {map_equation}), j = {j}",
     "pulls the right class' penalty down, and a wrong one up only when it comes close"),
    ("training", "{lecture_optimizer}, {lecture_epochs} epochs, batch {lecture_batch}",
     "{paper_optimizer}, learning rate {rate} falling ×{decay} a pass, {paper_epochs} epochs, batch {paper_batch}",
     "the paper's per-weight step sizes (SDLM) in today's usual form"),
    ("parameters", "{lecture_params}", "{paper_params} trainable + {paper_fixed} fixed", ""),
    ("connections", "{lecture_connections}", "{paper_connections}",
     "one weight use per connection: the work per image"),
    ("test accuracy", "{lecture_accuracy}", "{paper_accuracy}", "on the same {test_size} MNIST test digits"),
)


def comparison_rows(language: str = "en") -> list[list[str]]:
    """Return the lecture's model beside the 1998 network, what changed and why it matters, from the package."""
    from lenet_explain.calculator.stacks import C3_TABLE

    lecture, paper = calc.summarize(get_stack("lecture")), calc.summarize(get_stack("lenet1998"))
    f = lenet1998_facts()
    row = {name: {r.name: r for r in s.rows} for name, s in (("lecture", lecture), ("paper", paper))}
    lm, pm = model_metrics("lecture"), model_metrics("lenet1998")
    reads = sorted({len(maps) for maps in C3_TABLE})
    values = {
        "side": lecture.input_shape[0], "paper_side": paper.input_shape[0], "background": f["background_text"],
        "ink": f["full_ink"], "A": f["A"], "S": f["S"], "pool_params": row["lecture"]["S2"].params,
        "s2_params": row["paper"]["S2"].params, "s4_params": row["paper"]["S4"].params,
        "s2_maps": row["lecture"]["C3"].input_shape[2], "c3_params": f"{row['lecture']['C3'].params:,}",
        "c3_reads": translate("{first} or {last}", language, last=reads[-1],
                              first=("、" if language == "zh" else ", ").join(map(str, reads[:-1]))),
        "paper_c3_params": f"{row['paper']['C3'].params:,}", "c3_connections": f"{row['paper']['C3'].connections:,}",
        "year": PAPER_YEAR, "classes": lecture.output_shape[0], "output_params": f"{row['lecture']['output'].params:,}",
        "columns": f["bitmap_columns"], "rows": f["bitmap_rows"],
        "rbf_trainable": row["paper"]["output"].trainable_params,
        "rbf_fixed": row["paper"]["output"].non_trainable_params,
        "map_equation": f["map_equation"], "j": f"{pm['map_j']:g}",
        "lecture_optimizer": lm["optimizer"], "lecture_epochs": lm["epochs"], "lecture_batch": lm["batch_size"],
        "paper_optimizer": pm["optimizer"], "rate": f["learning_rate"], "decay": f["decay"],
        "paper_epochs": pm["epochs"], "paper_batch": pm["batch_size"],
        "lecture_params": f"{lecture.trainable_params:,}", "paper_params": f"{paper.trainable_params:,}",
        "paper_fixed": f"{paper.non_trainable_params:,}", "lecture_connections": f"{lecture.total_connections:,}",
        "paper_connections": f"{paper.total_connections:,}", "lecture_accuracy": percent_text(lm["test_accuracy"]),
        "paper_accuracy": percent_text(pm["test_accuracy"]), "test_size": f"{pm['test_size']:,}",
    }
    return [[(translate(cell, language) if re.search("[A-Za-z]", re.sub(r"\{\w+\}", "", cell)) else cell)
             .format(**values) for cell in cells] for cells in COMPARISON_TEMPLATES]


COMPARISON_HEADER = ["", "the lecture's model", f"the {PAPER_YEAR} network", "why it matters"]
VALIDATION_HEADER = ["j", "optimiser", "batch", "passes", "seed", "validation accuracy after the last pass"]


def validation_rows() -> list[list[str]]:
    """Return the recorded validation runs (how the MAP constant j was chosen), best last."""
    import json

    from lenet_explain.walkthrough.digit_models import LENET1998_VALIDATION

    runs = json.loads(LENET1998_VALIDATION.read_text(encoding="utf-8"))["runs"]
    runs = sorted(runs, key=lambda run: run["final_val_accuracy"])
    return [[f"{run['map_j']:g}", run["optimizer"], str(run["batch_size"]), str(run["epochs"]), str(run["seed"]),
             percent_text(run["final_val_accuracy"])] for run in runs]


# --- Steppers, one unit of C3, receptive fields -----------------------------------------------------------------


def stepper(kind: str, language: str = "en") -> str:
    """Return a stepper (convolution, pooling, channels, receptive-field) with its data made now, in ``language``."""
    from lenet_explain.site import steppers

    return steppers.stepper_html(kind, language)


def channel_unit() -> Any:
    """Return the worked C3 unit of the convolution page (reference model, imports Keras)."""
    from lenet_explain.site.channels import c3_unit

    return c3_unit()


def channel_rows(language: str = "en") -> list[list[str]]:
    """Return the C3 unit's sum map by map, the bias, z, σ(z) and what Keras computes for it."""
    from lenet_explain.site.channels import LAYER, SOURCE, c3_unit, keras_value
    from lenet_explain.site.steppers import signed

    unit = c3_unit()
    def t(text: str, **values: Any) -> str:
        return translate(text, language, **values)

    rows = [[t("{source} map {number}", source=SOURCE, number=m + 1), t("Σ w·x over its window"),
             signed(float(v), 3)] for m, v in enumerate(unit.partial_sums)]
    rows += [[t("bias"), t("of {layer} map {number}", layer=LAYER, number=unit.map + 1), signed(unit.bias, 3)],
             ["z", t("the sum of the rows above"), signed(unit.z, 3)],
             ["σ(z)", t("the unit's value, 1/(1 + e^(−z))"), signed(unit.value, 6)],
             ["Keras", t("the model's own {layer} output for this unit", layer=LAYER), signed(keras_value(unit), 6)]]
    return rows


def channel_table(id: str = "c3-unit", language: str = "en") -> str:
    """Return the C3 unit's sums as a table."""
    return render_table(channel_rows(language), header=[translate(h, language) for h in ("input", "what", "value")],
                        id=id, caption=translate("One C3 unit, map by map (rounded; the sums use every digit)",
                                                 language))


def receptive_rows(stack: str = "lecture", language: str = "en") -> list[list[str]]:
    """Return each windowed layer's receptive field: the growth formula with the calculator's numbers."""
    from lenet_explain.site.receptive import field_layers

    rows = []
    for layer in field_layers(get_stack(stack)):
        (k, _), (s, _), (before, _), (jump, _) = layer.kernel, layer.stride, layer.previous_size, layer.previous_jump
        rows.append([layer.name, translate("{k}×{k}, stride {s}", language, k=k, s=s), str(jump),
                     f"{before} + ({k} − 1) × {jump}", f"{layer.size[0]}×{layer.size[1]}"])
    return rows


RECEPTIVE_HEADER = ["layer", "window", "jump of its input", "field before + (window − 1) × jump", "receptive field"]


def receptive_table(stack: str = "lecture", id: str = "receptive-fields", language: str = "en") -> str:
    """Return the receptive field of every windowed layer of a stack, with the formula that grows it."""
    header = [translate(h, language) for h in RECEPTIVE_HEADER]
    return render_table(receptive_rows(stack, language), header=header, id=id, classes="lx-layers", wrap=(2, 3))


# --- mkdocs-macros entry point -----------------------------------------------------------------------


def define_env(env: Any) -> None:
    """Register the variables and macros with mkdocs-macros."""
    env.variables.update({
        "calc": calc, "fmt": fmt, "ex": ex, "stacks": BUILTIN_STACKS,
        "summaries": {name: calc.summarize(s) for name, s in BUILTIN_STACKS.items()},
        "image_size": ex.IMAGE_SIZE, "feature_size": ex.FEATURE_SIZE, "pool_size": ex.POOL_SIZE,
        "pool_stride": ex.POOL_STRIDE, "map_size": len(feature_maps("X")["backslash"]),
        "pooled_size": len(pooled()), "feature_count": len(ex.FEATURE_NAMES), "vote_count": len(final_values("X")),
        "LAYER_HEADER": LAYER_HEADER, "SIZE_HEADER": SIZE_HEADER,
        # the lecture's own printed results and history, kept once in the package
        "lecture": lecture, "milestones": lecture.LECTURE_MILESTONES,
        "paper_year": PAPER_YEAR,
        # MNIST's conventions, as the preprocessing uses them
        "mnist_field": images.FIELD, "mnist_box": images.BOX, "pixel_max": PIXEL_MAX,
        "sign_words": SIGN_WORDS, "reference": reference_metrics(),
        "LEDGER_HEADER": LEDGER_HEADER, "COMPARISON_HEADER": COMPARISON_HEADER, "VALIDATION_HEADER": VALIDATION_HEADER,
    })

    @env.macro
    def term(id: str, text: str) -> str:
        """A link to a glossary entry in the page's language (an unknown id fails the build)."""
        return term_link(id, text, env.page.url)

    @env.macro
    def summary_table(stack: str = "lecture", id: str = "") -> str:
        """The calculator's summary beside Keras' (its RF header links to the glossary)."""
        return summary_table_html(stack, id, env.page.url, page_language(env.page))

    @env.macro
    def figure(name: str, caption: str = "") -> str:
        """A site figure with its alt text, linked relative to the current page."""
        return render_figure(name, caption, env.page.url, page_language(env.page))

    @env.macro
    def page_link(target: str, text: str) -> str:
        """A Markdown link to another page (docs-relative path), or plain text while that page does not exist."""
        if not (Path(env.conf["docs_dir"]) / target).exists():
            return text
        depth = env.page.file.src_uri.count("/")
        return f"[{text}]({'../' * depth}{target})"

    @env.macro
    def math(latex: str, display: bool = False) -> str:
        """LaTeX as MathML."""
        return latex_to_mathml(latex, display)

    @env.macro
    def table(rows: Iterable[Sequence[object]], header: Sequence[object] | None = None, caption: str = "",
              id: str = "", numeric: bool = True, classes: str = "", wrap: Sequence[int] = ()) -> str:
        """Rows of cells as an HTML table."""
        return render_table(rows, header, caption, id, numeric, classes, wrap)

    macros: tuple[Callable[..., Any], ...] = (
        # HTML for a page
        layer_table, size_table, keras_summary, render_glossary, lecture_map, exact_map, pixel_matrix, step_matrices,
        pooled_table, average_table, relu_table, vote_weight_table, final_values_table, votes_table,
        render_matrix,
        # data for a page's own sentences and tables
        step, step_latex, cut_versus_round, map_distinct_count, pooled, window_rows, pool_axes, negatives,
        stack_activations, size_example, layer_rows, glance_rows, size_rows, totals_rows, macs_rows,
        param_example, conv_defaults, keras_summary_text, feature_maps, two_decimals, size_latex,
        fraction_math, layer_row, largest, paper_example, visualizer_answers, percent,
        # the LeNet-5 of 1998
        ledger_table, ledger_rows, comparison_rows, lenet1998_facts, model_metrics, percent_text, validation_rows,
        # steppers, one unit of C3, receptive fields
        stepper, channel_unit, channel_rows, channel_table, receptive_rows, receptive_table,
    )
    for function in macros:
        env.macro(in_page_language(function, env), function.__name__)


def in_page_language(function: Callable[..., Any], env: Any) -> Callable[..., Any]:
    """Return ``function`` as a macro: one with a ``language`` parameter gets the current page's language."""
    if "language" not in inspect.signature(function).parameters:
        return function

    @functools.wraps(function)
    def macro(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("language", page_language(env.page))
        return function(*args, **kwargs)

    return macro
