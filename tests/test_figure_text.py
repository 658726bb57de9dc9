"""Chinese figures need no CJK font: a wide character is one em, Latin is DejaVu Sans, and no font is looked up.

The oracle for "the same on every machine" is the figure drawn with matplotlib's font list as this machine has
it (a CJK font installed by the test command) against the same figure drawn with every CJK font removed from
that list, as on a machine where ``./scripts/serve.sh`` installed none.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator

import pytest
from matplotlib import font_manager
from matplotlib.font_manager import FontProperties

from lenet_explain.site import figures
from lenet_explain.site.figure_text import CJK_CSS_FONTS, measure_latin, measure_text, split_runs

# Chinese-labelled figures: one laid out by the figures' own engine, one by matplotlib's tight_layout.
CHINESE_FIGURES = ["match-step", "ledger-1998"]


def test_a_wide_character_is_one_em_and_latin_is_dejavu() -> None:
    props = FontProperties(size=9.0)
    assert measure_text("卷积核", props)[0] == pytest.approx(27.0)
    assert measure_text("，。", props)[0] == pytest.approx(18.0)  # full-width punctuation too
    latin = measure_latin("C1 ", 9.0, props.get_weight())[0]
    assert latin > 0
    assert measure_text("C1 卷积", props)[0] == pytest.approx(latin + 18.0)
    assert split_runs("C1 卷积 (6)") == [(False, "C1 "), (True, "卷积"), (False, " (6)")]


@pytest.fixture()
def no_cjk_font() -> Iterator[None]:
    """Matplotlib's font list without any CJK font, as on a machine that has none; restored afterwards."""
    manager = font_manager.fontManager
    kept = manager.ttflist
    manager.ttflist = [entry for entry in kept if "CJK" not in entry.name and entry.name not in CJK_CSS_FONTS]
    manager._findfont_cached.cache_clear()
    font_manager._get_font.cache_clear()
    try:
        yield
    finally:
        manager.ttflist = kept
        manager._findfont_cached.cache_clear()
        font_manager._get_font.cache_clear()


class _Records(logging.Handler):
    """Keep every record at WARNING or above."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(record.getMessage())


def render_quietly(name: str) -> tuple[str, list[str]]:
    """Render figure ``name`` in Chinese; return its SVG and every warning or log line matplotlib gave."""
    handler = _Records()
    log = logging.getLogger("matplotlib")
    log.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            svg = figures.render_figure(name, language="zh")
    finally:
        log.removeHandler(handler)
    return svg, [str(w.message) for w in caught] + handler.seen


@pytest.mark.parametrize("name", CHINESE_FIGURES)
def test_chinese_figures_are_the_same_without_a_cjk_font(name: str, no_cjk_font: None) -> None:
    svg, noise = render_quietly(name)
    assert noise == []  # no "Glyph … missing from font(s) DejaVu Sans", no "findfont: … not found"
    assert any("\u4e00" <= char <= "\u9fff" for char in svg)  # the labels are Chinese
    assert "'Noto Sans CJK SC'" in svg  # the reader's browser is asked for a CJK font


@pytest.mark.parametrize("name", CHINESE_FIGURES)
def test_a_cjk_font_on_the_machine_changes_nothing(name: str, request: pytest.FixtureRequest) -> None:
    with_fonts, _ = render_quietly(name)
    request.getfixturevalue("no_cjk_font")
    without, _ = render_quietly(name)
    assert with_fonts == without
