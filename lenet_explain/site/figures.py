"""The site's figures, drawn with matplotlib from the package's numbers and returned as SVG text.

Every figure is a ``draw_*`` function returning a matplotlib Figure and an ``alt_*`` text written from the
same numbers (:mod:`~lenet_explain.site.explainer_figures`, :mod:`~lenet_explain.site.lenet1998_figures`, laid
out by :mod:`~lenet_explain.site.figure_layout`); :data:`FIGURES` names them for the site (see
:func:`render_figure`).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from matplotlib.figure import Figure

from lenet_explain.site import explainer_figures as xo
from lenet_explain.site import lab_figures as lab
from lenet_explain.site import learn_figures as learn
from lenet_explain.site import lenet1998_figures as paper
from lenet_explain.site.figure_layout import LANGUAGE, render_svg
from lenet_explain.site.figure_text import chinese_figure_text


@dataclass(frozen=True)
class FigureSpec:
    """A site figure: how to draw it (``narrow``: the phone layout), how to describe it, what it needs."""

    draw: Callable[..., Figure]
    alt: Callable[[], str]
    responsive: bool = False  # has a narrow (phone) variant: draw(narrow=True)
    needs_keras: bool = False  # drawn with the reference model (imports TensorFlow)


FIGURES: dict[str, FigureSpec] = {
    "architecture": FigureSpec(xo.draw_architecture, xo.alt_architecture, responsive=True),
    "feature-maps-x": FigureSpec(xo.draw_feature_maps, xo.alt_feature_maps, responsive=True),
    "match-step": FigureSpec(xo.draw_match_step, xo.alt_match_step, responsive=True),
    "pooling": FigureSpec(xo.draw_pooling, xo.alt_pooling, responsive=True),
    "activations": FigureSpec(xo.draw_activations, xo.alt_activations, responsive=True),
    "stack-x": FigureSpec(xo.draw_stack, xo.alt_stack, responsive=True),
    "votes": FigureSpec(xo.draw_votes, xo.alt_votes, responsive=True),
    "predict-example": FigureSpec(xo.draw_predict_example, xo.alt_predict_example, responsive=True, needs_keras=True),
}
NARROW_SUFFIX = "-narrow"
FIGURES.update({  # the page "LeNet-5 in 1998"
    "architecture-1998": FigureSpec(paper.draw_architecture_1998, paper.alt_architecture_1998, responsive=True),
    "c3-table": FigureSpec(paper.draw_c3_table, paper.alt_c3_table, responsive=True),
    "rbf-bitmaps": FigureSpec(paper.draw_rbf_bitmaps, paper.alt_rbf_bitmaps, responsive=True),
    "ledger-1998": FigureSpec(paper.draw_ledger, paper.alt_ledger, responsive=True),
})
FIGURES["plateau"] = FigureSpec(learn.draw_plateau, learn.alt_plateau, responsive=True)  # the page "How it learns"
FIGURES["lab-invariance"] = FigureSpec(lab.draw_invariance, lab.alt_invariance, responsive=True)  # the lab page


def figure_spec(name: str) -> FigureSpec:
    """Return the site figure ``name``."""
    if name not in FIGURES:
        raise KeyError(f"no figure {name!r} (figures: {', '.join(FIGURES)})")
    return FIGURES[name]


def render_figure(name: str, narrow: bool = False, language: str = "en") -> str:
    """Return the SVG text of the site figure ``name`` (its phone layout with ``narrow``), words in ``language``."""
    spec = figure_spec(name)
    if narrow and not spec.responsive:
        raise KeyError(f"figure {name!r} has one layout for every screen")
    token = LANGUAGE.set(language)
    try:
        # Chinese labels: the SVG asks the reader's browser for a CJK font; no CJK font is needed to draw it here.
        with chinese_figure_text() if language != "en" else contextlib.nullcontext():
            return render_svg(spec.draw(narrow=True) if narrow else spec.draw())
    finally:
        LANGUAGE.reset(token)


def figure_files() -> dict[str, tuple[str, bool]]:
    """Return every figure file the site needs: file stem → (figure name, narrow)."""
    files = {}
    for name, spec in FIGURES.items():
        files[name] = (name, False)
        if spec.responsive:
            files[name + NARROW_SUFFIX] = (name, True)
    return files


def figure_alt(name: str, language: str = "en") -> str:
    """Return the alt text of the site figure ``name`` in ``language`` (the numbers from the package)."""
    spec = figure_spec(name)
    token = LANGUAGE.set(language)
    try:
        return spec.alt()
    finally:
        LANGUAGE.reset(token)


def svg_size(svg: str) -> tuple[float, float]:
    """Return the natural width and height of SVG text in CSS px (matplotlib writes them in pt)."""
    match = re.search(r'width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    if match is None:
        raise ValueError("not a matplotlib SVG: no width and height in pt")
    return float(match[1]) * 4 / 3, float(match[2]) * 4 / 3
