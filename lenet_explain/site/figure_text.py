"""Text metrics for the figures that need no CJK font: Latin in DejaVu Sans, a wide character one em.

Figures keep their text as text (``svg.fonttype: none``): the reader's browser draws it with its own fonts. The
build only needs each label's size, to lay out cells and to crop the figure. Latin, digits and symbols are measured
in DejaVu Sans, the font matplotlib ships; a wide character (a Chinese ideograph, full-width punctuation: East Asian
width W or F) is one em wide in every CJK font. So a Chinese figure is laid out the same on every machine, with or
without a CJK font installed, and matplotlib never looks one up (no "Glyph … missing" warnings).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

LATIN_FONT = "DejaVu Sans"  # ships with matplotlib: found on every machine
# The fonts a Chinese figure's SVG asks the reader's browser for, after DejaVu Sans for its Latin text.
CJK_CSS_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei")
WIDE_ASCENT = 0.88  # a CJK font's em box above the baseline (Noto Sans CJK, Source Han Sans: 880 of 1000 units)
WIDE_DESCENT = 0.12  # and below it

_TEXT_TO_PATH = TextToPath()
RENDERERS = (RendererSVG, RendererAgg)  # the SVG files; the canvas that tight_layout measures on


def is_wide(char: str) -> bool:
    """Return whether ``char`` is drawn one em wide (East Asian width Wide or Fullwidth)."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def split_runs(text: str) -> list[tuple[bool, str]]:
    """Split ``text`` into runs of wide and of other characters: ``[(wide, run), …]`` in order."""
    return [(wide, "".join(run)) for wide, run in itertools.groupby(text, key=is_wide)]


@cache
def measure_latin(text: str, size: float, weight: str | int) -> tuple[float, float, float]:
    """Return (width, height, descent) of ``text`` in points, set in DejaVu Sans."""
    props = FontProperties(family=LATIN_FONT, size=size, weight=weight)
    width, height, descent = _TEXT_TO_PATH.get_text_width_height_descent(text, props, ismath=False)
    return float(width), float(height), float(descent)


def measure_text(text: str, props: FontProperties) -> tuple[float, float, float]:
    """Return (width, height, descent) of ``text`` in points: Latin runs in DejaVu Sans, wide characters one em."""
    size = float(props.get_size_in_points())
    width = ascent = descent = 0.0
    for wide, run in split_runs(text) or [(False, "")]:
        if wide:
            run_width, run_ascent, run_descent = size * len(run), WIDE_ASCENT * size, WIDE_DESCENT * size
        else:
            run_width, run_height, run_descent = measure_latin(run, size, props.get_weight())
            run_ascent = run_height - run_descent
        width += run_width
        ascent, descent = max(ascent, run_ascent), max(descent, run_descent)
    return width, ascent + descent, descent


class _ForBrowsersOnly(logging.Filter):
    """Drop matplotlib's "findfont: Font family 'X' not found" for the CJK fonts named only for the browser."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (str(record.msg).startswith("findfont: Font family ") and isinstance(record.args, tuple)
                    and len(record.args) >= 1 and record.args[0] in CJK_CSS_FONTS)


@contextlib.contextmanager
def chinese_figure_text() -> Iterator[None]:
    """Within the block, figures ask the browser for CJK fonts and are measured without one (no font looked up)."""
    log = logging.getLogger("matplotlib.font_manager")
    quiet = _ForBrowsersOnly()
    log.addFilter(quiet)
    try:
        with plt.rc_context({"font.family": [LATIN_FONT, *CJK_CSS_FONTS, "sans-serif"]}), wide_text_metrics():
            yield
    finally:
        log.removeFilter(quiet)


@contextlib.contextmanager
def wide_text_metrics() -> Iterator[None]:
    """Within the block, matplotlib's renderers (SVG; Agg for tight layouts) measure text with :func:`measure_text`."""
    originals: dict[type, Callable[..., tuple[float, float, float]]] = {
        renderer: renderer.get_text_width_height_descent for renderer in RENDERERS}

    def patched(renderer: type) -> Callable[..., tuple[float, float, float]]:
        def measure(self: Any, s: str, prop: FontProperties, ismath: bool | str) -> tuple[float, float, float]:
            if ismath:
                return originals[renderer](self, s, prop, ismath)
            scale = float(self.points_to_pixels(1.0))  # SVG draws in points; Agg in pixels at the figure's dpi
            width, height, descent = measure_text(s, prop)
            return width * scale, height * scale, descent * scale

        return measure

    try:
        for renderer in RENDERERS:
            renderer.get_text_width_height_descent = patched(renderer)  # type: ignore[method-assign]
        yield
    finally:
        for kind, original in originals.items():
            kind.get_text_width_height_descent = original  # type: ignore[attr-defined]
