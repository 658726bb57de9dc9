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

The other macros are written by topic and registered here under their own names: the X/O explainer
(:mod:`~lenet_explain.site.explainer_macros`), sizes and parameters (:mod:`~lenet_explain.site.size_macros`),
the trained models and the 1998 network (:mod:`~lenet_explain.site.lenet1998_macros`), the 1998 paper's results on
the history page (:mod:`~lenet_explain.site.history_macros`), the interactive pieces
(:mod:`~lenet_explain.site.interactive_macros`), on the HTML helpers of :mod:`~lenet_explain.site.page_html`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from lenet_explain.calculator import arithmetic as calc
from lenet_explain.calculator import formatting as fmt
from lenet_explain.calculator.stacks import BUILTIN_STACKS
from lenet_explain.site import explainer as ex
from lenet_explain.site import explainer_macros as xo
from lenet_explain.site import history_macros as history
from lenet_explain.site import interactive_macros as interactive
from lenet_explain.site import lenet1998_macros as paper
from lenet_explain.site import page_html
from lenet_explain.site import size_macros as sizes
from lenet_explain.site.figure_layout import SIGN_WORDS
from lenet_explain.site.glossary import PIXEL_MAX, render_glossary, term_link
from lenet_explain.site.i18n import page_language
from lenet_explain.site.mathml import latex_to_mathml
from lenet_explain.site.words import say
from lenet_explain.walkthrough import images, lecture
from lenet_explain.walkthrough.lecture import PAPER_YEAR


def define_env(env: Any) -> None:
    """Register the variables and macros with mkdocs-macros."""
    env.variables.update({
        "calc": calc, "fmt": fmt, "ex": ex, "stacks": BUILTIN_STACKS,
        "summaries": {name: calc.summarize(s) for name, s in BUILTIN_STACKS.items()},
        "image_size": ex.IMAGE_SIZE, "feature_size": ex.FEATURE_SIZE, "pool_size": ex.POOL_SIZE,
        "pool_stride": ex.POOL_STRIDE, "map_size": len(xo.feature_maps("X")["backslash"]),
        "pooled_size": len(xo.pooled()), "feature_count": len(ex.FEATURE_NAMES),
        "vote_count": len(xo.final_values("X")),
        "LAYER_HEADER": sizes.LAYER_HEADER, "SIZE_HEADER": sizes.SIZE_HEADER,
        # the lecture's own printed results and history, kept once in the package
        "lecture": lecture, "milestones": lecture.LECTURE_MILESTONES,
        "paper_year": PAPER_YEAR,
        # MNIST's conventions, as the preprocessing uses them
        "mnist_field": images.FIELD, "mnist_box": images.BOX, "pixel_max": PIXEL_MAX,
        "reference": paper.reference_metrics(),
        "LEDGER_HEADER": paper.LEDGER_HEADER, "COMPARISON_HEADER": paper.COMPARISON_HEADER,
        "VALIDATION_HEADER": paper.VALIDATION_HEADER,
    })

    @env.macro
    def term(id: str, text: str) -> str:
        """A link to a glossary entry in the page's language (an unknown id fails the build)."""
        return term_link(id, text, env.page.url)

    @env.macro
    def sign_word(sign: str) -> str:
        """The colour of the negative or positive values ('purple', 'orange') in the page's language."""
        return say(page_language(env.page), "fig_alt_" + SIGN_WORDS[sign])

    @env.macro
    def summary_table(stack: str = "lecture", id: str = "") -> str:
        """The calculator's summary beside Keras' (its RF header links to the glossary)."""
        return sizes.summary_table_html(stack, id, env.page.url, page_language(env.page))

    @env.macro
    def figure(name: str, caption: str = "") -> str:
        """A site figure with its alt text, linked relative to the current page."""
        return page_html.render_figure(name, caption, env.page.url, page_language(env.page))

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
        return page_html.render_table(rows, header, caption, id, numeric, classes, wrap)

    macros: tuple[Callable[..., Any], ...] = (
        # HTML for a page
        page_html.render_matrix, render_glossary,
        # the X/O explainer: feature maps, the worked position, pooling, ReLU, stacking, votes
        xo.lecture_map, xo.exact_map, xo.pixel_matrix, xo.step_matrices, xo.pooled_table, xo.average_table,
        xo.relu_table, xo.vote_weight_table, xo.final_values_table, xo.votes_table, xo.step, xo.step_latex,
        xo.cut_versus_round, xo.map_distinct_count, xo.pooled, xo.window_rows, xo.pool_axes, xo.negatives,
        xo.stack_activations, xo.feature_maps, xo.two_decimals, xo.fraction_math, xo.number_word,
        # output sizes and parameters
        sizes.layer_table, sizes.size_table, sizes.keras_summary, sizes.size_example, sizes.layer_rows,
        sizes.glance_rows, sizes.size_rows, sizes.totals_rows, sizes.macs_rows, sizes.param_example,
        sizes.conv_defaults, sizes.keras_summary_text, sizes.size_latex, sizes.layer_row, sizes.largest,
        # the trained models: the reference run and the LeNet-5 of 1998
        paper.paper_example, paper.visualizer_answers, paper.percent, paper.ledger_table, paper.ledger_rows,
        paper.comparison_rows, paper.lenet1998_facts, paper.model_metrics, paper.percent_text, paper.validation_rows,
        paper.guess_words, paper.c3_groups, paper.gray_bit_depth,
        # the history page: the 1998 paper's MNIST results (its Fig. 9)
        history.paper_results_table, history.paper_error, history.paper_best_names, history.paper_best_error,
        history.paper_ties, history.figure_reference,
        # steppers, one unit of C3, receptive fields
        interactive.stepper, interactive.channel_unit, interactive.channel_rows, interactive.channel_table,
        interactive.receptive_rows, interactive.receptive_table,
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
