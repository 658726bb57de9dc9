"""The figures' layout engine: panels of labelled cells placed in points, text sizes, colours and SVG output.

Readable where they are shown: figures are laid out in points so that they are drawn at (nearly) their natural
size in the site's text column — at most :data:`WIDE_MAX_PT` wide on a desktop, :data:`NARROW_MAX_PT` on a
phone — with no text smaller than :data:`CELL_FONT` (12 CSS px at natural size). A figure too wide for a phone
has a ``narrow`` variant with fewer panels per row; the page picks one with ``<picture>``.

Colours: one convention on the whole site, the visualizer included — for signed values ColorBrewer's PuOr
reversed, **purple negative, white 0, orange positive**; ±1 pixels in grey, +1 (ink) dark. Both maps are
colour-blind safe, and every cell also carries its value as text, so colour is never the only channel.
"""

from __future__ import annotations

import contextvars
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from lenet_explain.site import explainer as ex
from lenet_explain.site.figure_text import measure_text

DIVERGING = "PuOr_r"  # ColorBrewer, colour-blind safe: purple (−1) · white (0) · orange (+1), as the visualizer
PIXELS = "Greys"  # −1 background light, +1 ink dark
SEQUENTIAL = "cividis"  # designed for colour-vision deficiency
SAFE_COLORMAPS = (DIVERGING, PIXELS, SEQUENTIAL)
SIGN_WORDS = {"negative": "purple", "positive": "orange"}  # the colour of each sign, for alt texts and pages
# Okabe–Ito colours for lines and bars (distinguishable with every common colour-vision deficiency).
OKABE_ITO = {"orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "blue": "#0072B2",
             "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000"}

# Sizes in points (1/72 in; the browser shows 1 pt as 4/3 CSS px at a figure's natural size).
CELL_FONT = 9.0  # every label in a cell, tick and legend: 12 CSS px at natural size
TITLE_FONT = 10.0
CELL_PAD = 2.5  # space on each side of a cell's widest label, so labels of neighbours never touch
PANEL_GAP = 16.0  # between panels of a row
ROW_GAP = 10.0  # between rows of panels
MARGIN = 4.0
WIDE_MAX_PT = 504.0  # the desktop text column (672 CSS px) at natural size
NARROW_MAX_PT = 256.0  # a 390 px phone's column (342 CSS px) at natural size

plt.rcParams.update({
    "svg.hashsalt": "lenet-explain",  # stable ids: the same numbers give the same SVG
    "svg.fonttype": "none",  # text stays text: smaller, faster, searchable; the SVG names fallback fonts
    "font.size": CELL_FONT,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Bitstream Vera Sans", "Arial"],
    "axes.titlesize": TITLE_FONT,
    "axes.labelsize": CELL_FONT,
    "xtick.labelsize": CELL_FONT,
    "ytick.labelsize": CELL_FONT,
    "legend.fontsize": CELL_FONT,
    "hatch.linewidth": 0.6,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
})


LANGUAGE: contextvars.ContextVar[str] = contextvars.ContextVar("figure_language", default="en")


_SPACE_IN_CHINESE = re.compile(r"(?<=[\u3400-\u9fff\uff00-\uffef]) (?=[\u3400-\u9fff\uff00-\uffef])")


def words(key: str, **values: object) -> str:
    """Return a figure's words ``key`` in the language being drawn (:func:`render_figure` sets it).

    A template's space beside a placeholder that was filled with Chinese ('{name} 有', name 输出) is dropped:
    Chinese puts no space between two Chinese characters.
    """
    from lenet_explain.site.words import say

    return _SPACE_IN_CHINESE.sub("", say(LANGUAGE.get(), "fig_" + key, **values))


# No RDF metadata (date, creator, format, type): the same figure gives the same file, and an SVG holds no text but
# the figure's own words (a Chinese figure nothing English).
NO_METADATA: dict[str, str | None] = {"Date": None, "Creator": None, "Format": None, "Type": None}


def render_svg(fig: Figure) -> str:
    """Return ``fig`` as SVG text (no metadata, stable ids) and close it."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata=NO_METADATA, bbox_inches="tight", pad_inches=0.04)
    plt.close(fig)
    return buffer.getvalue()


@cache
def text_width(text: str, size: float = CELL_FONT, weight: str = "normal") -> float:
    """Return the width of ``text`` in points as the figures lay it out (DejaVu Sans; a wide character one em)."""
    return measure_text(text, FontProperties(size=size, weight=weight))[0]


def _luminance(rgb: Sequence[float]) -> float:
    """Return the WCAG relative luminance of an sRGB colour with channels in [0, 1]."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb[:3]]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_colour(value: float, vmin: float, vmax: float, cmap: str) -> str:
    """Return black or white, whichever has the higher contrast on the colour of ``value``."""
    background = _luminance(plt.get_cmap(cmap)((value - vmin) / (vmax - vmin)))
    on_black = (background + 0.05) / 0.05
    on_white = 1.05 / (background + 0.05)
    return "black" if on_black >= on_white else "white"


# --- Matrices laid out in rows of panels ------------------------------------------------------------------


@dataclass(frozen=True)
class Panel:
    """A matrix to draw as coloured cells, each labelled with its value."""

    values: np.ndarray
    labels: list[list[str]]
    cmap: str
    title: str = ""
    vmin: float = -1.0
    vmax: float = 1.0

    @property
    def shape(self) -> tuple[int, int]:
        rows, cols = np.asarray(self.values).shape
        return int(rows), int(cols)

    def widest_label(self) -> float:
        """The width of the widest cell label, in points."""
        return max(text_width(label) for row in self.labels for label in row)


@dataclass
class Layout:
    """Rows of panels placed in points, with the figure they are drawn in."""

    fig: Figure
    axes: list[list[Axes]]
    width: float
    height: float
    cell: float
    boxes: list[list[tuple[float, float, float, float]]] = field(default_factory=list)  # (left, top, w, h)

    def place(self, left: float, top: float, width: float, height: float) -> Axes:
        """Add axes at a box given in points from the top left corner."""
        return self.fig.add_axes((left / self.width, 1 - (top + height) / self.height,
                                  width / self.width, height / self.height))


def cell_side(panels: Sequence[Panel]) -> float:
    """Return one cell side (points) that fits every panel's widest label with room on both sides."""
    widest = max(p.widest_label() for p in panels)
    return max(widest + 2 * CELL_PAD, CELL_FONT * 1.5)


def layout_rows(rows: Sequence[Sequence[Panel]], row_titles: Sequence[str] = (), bottom: float = 0.0,
                right: float = 0.0, column_titles_once: bool = False) -> Layout:
    """Place rows of panels with one cell size, titles above panels; return the figure and its axes.

    ``row_titles`` are written above each row, on the left; with ``column_titles_once`` only the first row
    shows the panels' titles. ``bottom`` and ``right`` reserve room (points) for a legend or a colour bar.
    """
    cell = cell_side([p for row in rows for p in row])
    title_h = TITLE_FONT * 1.6
    plan: list[tuple[float, list[tuple[float, float, float]], float]] = []  # (top, [(left, w, h)], row height)
    top = MARGIN
    width = 0.0
    for r, row in enumerate(rows):
        if r < len(row_titles) and row_titles[r]:
            top += title_h
        show_titles = any(p.title for p in row) and (r == 0 or not column_titles_once)
        if show_titles:
            top += title_h
        left = MARGIN
        placed = []
        for panel in row:
            n_rows, n_cols = panel.shape
            w, h = n_cols * cell, n_rows * cell
            slot = max(w, text_width(panel.title, TITLE_FONT) if show_titles else 0.0)
            placed.append((left + (slot - w) / 2, w, h))
            left += slot + PANEL_GAP
        row_height = max(h for _, _, h in placed)
        plan.append((top, placed, row_height))
        width = max(width, left - PANEL_GAP + MARGIN)
        top += row_height + ROW_GAP
    height = top - ROW_GAP + MARGIN + bottom
    width += right
    fig = Figure(figsize=(width / 72, height / 72))
    layout = Layout(fig, [], width, height, cell)
    for r, (row, (row_top, placed, _)) in enumerate(zip(rows, plan, strict=True)):
        axes_row = []
        for panel, (left, w, h) in zip(row, placed, strict=True):
            ax = layout.place(left, row_top, w, h)
            draw_matrix(ax, panel)
            if panel.title and (r == 0 or not column_titles_once):
                ax.set_title(panel.title, fontsize=TITLE_FONT, pad=4)
            axes_row.append(ax)
        if r < len(row_titles) and row_titles[r]:
            first_title = row_top - title_h * (2 if any(p.title for p in row) and (r == 0 or not column_titles_once)
                                               else 1)
            fig.text(MARGIN / width, 1 - (first_title + TITLE_FONT) / height, row_titles[r], fontsize=TITLE_FONT,
                     fontweight="bold", ha="left", va="baseline")
        layout.axes.append(axes_row)
        layout.boxes.append([(left, row_top, w, h) for left, w, h in placed])
    return layout


def draw_matrix(ax: Axes, panel: Panel) -> None:
    """Draw a matrix as coloured cells with its label in every cell."""
    values = np.asarray(panel.values, dtype=float)  # (rows, cols)
    ax.imshow(values, cmap=panel.cmap, vmin=panel.vmin, vmax=panel.vmax, aspect="auto", interpolation="nearest")
    rows, cols = values.shape
    ax.set_xticks(np.arange(-0.5, cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, rows, 1), minor=True)
    ax.grid(which="minor", color="#888888", linewidth=0.5)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    for r in range(rows):
        for c in range(cols):
            ax.text(c, r, panel.labels[r][c], ha="center", va="center", fontsize=CELL_FONT,
                    color=text_colour(values[r, c], panel.vmin, panel.vmax, panel.cmap))


def add_colour_bar(layout: Layout, box: tuple[float, float, float, float], cmap: str, label: str,
                   horizontal: bool) -> None:
    """Add a −1 … +1 colour bar in ``box`` (left, top, width, height in points) with its label."""
    ax = layout.place(*box)
    gradient = np.linspace(-1, 1, 256)[None, :] if horizontal else np.linspace(1, -1, 256)[:, None]
    extent = (-1, 1, 0, 1) if horizontal else (0, 1, -1, 1)
    ax.imshow(gradient, cmap=cmap, vmin=-1, vmax=1, aspect="auto", extent=extent)
    ticks, names = [-1, 0, 1], [f"{ex.MINUS}1", "0", "+1"]
    if horizontal:
        ax.set_xticks(ticks, names)
        ax.set_yticks([])
        ax.set_xlabel(label, fontsize=CELL_FONT)
    else:
        ax.set_yticks(ticks, names)
        ax.set_xticks([])
        ax.yaxis.tick_right()
        ax.yaxis.set_label_position("right")
        ax.set_ylabel(label, fontsize=CELL_FONT)
    ax.tick_params(labelsize=CELL_FONT, length=3)

