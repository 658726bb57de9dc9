"""The site's figures, drawn with matplotlib from the package's numbers and returned as SVG text.

Every figure is a ``draw_*`` function returning a matplotlib Figure and an ``alt_*`` text written from the
same numbers; :data:`FIGURES` names them for the site (see :func:`render_figure`).

Readable where they are shown: figures are laid out in points so that they are drawn at (nearly) their natural
size in the site's text column — at most :data:`WIDE_MAX_PT` wide on a desktop, :data:`NARROW_MAX_PT` on a
phone — with no text smaller than :data:`CELL_FONT` (12 CSS px at natural size). A figure too wide for a phone
has a ``narrow`` variant with fewer panels per row; the page picks one with ``<picture>``.

Colours: one convention on the whole site, the visualizer included — for signed values ColorBrewer's PuOr
reversed, **purple negative, white 0, orange positive**; ±1 pixels in grey, +1 (ink) dark. Both maps are
colour-blind safe, and every cell also carries its value as text, so colour is never the only channel.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import FancyArrowPatch, Rectangle
from matplotlib.ticker import FuncFormatter

from lenet_explain.calculator.arithmetic import StackSummary, summarize
from lenet_explain.calculator.bitmaps import INK, bitmap_values
from lenet_explain.calculator.formatting import format_shape
from lenet_explain.calculator.layers import EuclideanRBF, SparseConv2D, Stack
from lenet_explain.calculator.stacks import LECTURE, LECTURE32, LENET1998
from lenet_explain.site import explainer as ex
from lenet_explain.site.figure_text import chinese_figure_text, measure_text
from lenet_explain.walkthrough.lecture import PAPER_YEAR

DIVERGING = "PuOr_r"  # ColorBrewer, colour-blind safe: purple (−1) · white (0) · orange (+1), as the visualizer
PIXELS = "Greys"  # −1 background light, +1 ink dark
SEQUENTIAL = "cividis"  # designed for colour-vision deficiency
SAFE_COLORMAPS = (DIVERGING, PIXELS, SEQUENTIAL)
SIGN_WORDS = {"negative": "purple", "positive": "orange"}  # the colour of each sign, for alt texts and pages
# Okabe–Ito colours for lines and bars (distinguishable with every common colour-vision deficiency).
OKABE_ITO = {"orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "blue": "#0072B2",
             "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000"}
CLASS_STYLE = {"X": (OKABE_ITO["blue"], ""), "O": (OKABE_ITO["orange"], "//")}

STEP_ROW, STEP_COL = 0, 0  # the worked position: the lecture map's first value

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


def words(key: str, **values: object) -> str:
    """Return a figure's words ``key`` in the language being drawn (:func:`render_figure` sets it)."""
    from lenet_explain.site.words import say

    return say(LANGUAGE.get(), "fig_" + key, **values)


def render_svg(fig: Figure) -> str:
    """Return ``fig`` as SVG text (no date, stable ids) and close it."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight", pad_inches=0.04)
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


# --- The architecture ----------------------------------------------------------------------------


# Layer types as the architecture figure names them under a box (short enough for the column).
SHORT_TYPES = {"AveragePooling2D": "AvgPool", "MaxPooling2D": "MaxPool", "Subsampling2D": "Subsample",
               "SparseConv2D": "SparseConv", "EuclideanRBF": "RBF"}


def layer_boxes(stack: Stack = LECTURE) -> list[tuple[str, str, tuple[int, ...]]]:
    """Return (name, short type, output shape) of the input and every layer of ``stack``."""
    summary = summarize(stack)
    boxes = [("input", "Input", summary.input_shape)]
    boxes += [(r.name, SHORT_TYPES.get(r.type, r.type), r.output_shape) for r in summary.rows]
    return boxes


def value_count(shape: tuple[int, ...]) -> int:
    """Return how many numbers a layer outputs (the product of its shape)."""
    return int(np.prod(shape))


def box_sides(stack: Stack, biggest_side: float) -> list[float]:
    """Return each box's side in points: squares whose *area* is proportional to the layer's number of values."""
    counts = [value_count(shape) for _, _, shape in layer_boxes(stack)]
    return [biggest_side * (count / max(counts)) ** 0.5 for count in counts]


def draw_architecture(stack: Stack = LECTURE, narrow: bool = False) -> Figure:
    """Draw one square per layer of ``stack``, its area following the number of values the layer outputs."""
    boxes = layer_boxes(stack)
    colours = [plt.get_cmap(SEQUENTIAL)(0.3 + 0.6 * i / max(len(boxes) - 1, 1)) for i in range(len(boxes))]
    texts = [(name, kind, "×".join(str(v) for v in shape), f"{value_count(shape):,}")
             for name, kind, shape in boxes]
    line = CELL_FONT * 1.35
    if not narrow:
        # One slot per layer, all as wide as the widest labels; where that is too wide for the column, each
        # slot only as wide as its own labels. The biggest square is as big as every slot allows.
        needed = [max(max(text_width(t, CELL_FONT) for t in row[1:]), text_width(row[0], TITLE_FONT, "bold")) + 5
                  for row in texts]
        slots = [max(needed)] * len(boxes)
        if sum(slots) + 2 * MARGIN > WIDE_MAX_PT:
            slots = needed
        counts = [value_count(shape) for _, _, shape in boxes]
        biggest = min((slot - 6) / (count / max(counts)) ** 0.5 for slot, count in zip(slots, counts, strict=True))
        sides = box_sides(stack, biggest)
        width = sum(slots) + 2 * MARGIN
        top_text = 2 * line + 4
        height = MARGIN + top_text + biggest + 4 + 2 * line + MARGIN
        fig = Figure(figsize=(width / 72, height / 72))
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, width)
        ax.set_ylim(height, 0)
        ax.axis("off")
        centre_y = MARGIN + top_text + biggest / 2
        centres = [MARGIN + sum(slots[:i]) + slots[i] / 2 for i in range(len(slots))]
        for i, ((name, kind, shape_text, count_text), side, cx) in enumerate(zip(texts, sides, centres,
                                                                                 strict=True)):
            ax.add_patch(Rectangle((cx - side / 2, centre_y - side / 2), side, side, facecolor=colours[i],
                                   edgecolor="black", linewidth=0.8))
            ax.text(cx, MARGIN + line, name, ha="center", va="baseline", fontsize=TITLE_FONT, fontweight="bold")
            ax.text(cx, MARGIN + 2 * line, kind, ha="center", va="baseline", fontsize=CELL_FONT)
            below = MARGIN + top_text + biggest + 4
            ax.text(cx, below + line, shape_text, ha="center", va="baseline", fontsize=CELL_FONT)
            ax.text(cx, below + 2 * line, count_text, ha="center", va="baseline", fontsize=CELL_FONT,
                    color="#444444")
            if i:
                ax.add_patch(FancyArrowPatch((centres[i - 1] + sides[i - 1] / 2 + 1, centre_y),
                                             (cx - side / 2 - 1, centre_y), arrowstyle="-|>", mutation_scale=7,
                                             linewidth=0.8, color="black"))
        return fig
    # Narrow: one layer per row, the square in the middle, names on the left, shape and count on the right.
    biggest = 64.0
    sides = box_sides(stack, biggest)
    left_w = max(max(text_width(t[0], TITLE_FONT, "bold"), text_width(t[1])) for t in texts) + 8
    right_w = max(max(text_width(t[2]), text_width(t[3])) for t in texts) + 8
    width = MARGIN + left_w + biggest + right_w + MARGIN
    rows = [max(side, 2 * line) + 8 for side in sides]
    height = MARGIN + sum(rows) + MARGIN
    fig = Figure(figsize=(width / 72, height / 72))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.axis("off")
    top = MARGIN
    cx = MARGIN + left_w + biggest / 2
    for i, ((name, kind, shape_text, count_text), side, row) in enumerate(zip(texts, sides, rows, strict=True)):
        cy = top + row / 2
        ax.add_patch(Rectangle((cx - side / 2, cy - side / 2), side, side, facecolor=colours[i], edgecolor="black",
                               linewidth=0.8))
        ax.text(MARGIN + left_w - 8, cy - 1, name, ha="right", va="baseline", fontsize=TITLE_FONT, fontweight="bold")
        ax.text(MARGIN + left_w - 8, cy + line - 1, kind, ha="right", va="baseline", fontsize=CELL_FONT)
        ax.text(cx + biggest / 2 + 8, cy - 1, shape_text, ha="left", va="baseline", fontsize=CELL_FONT)
        ax.text(cx + biggest / 2 + 8, cy + line - 1, count_text, ha="left", va="baseline", fontsize=CELL_FONT,
                color="#444444")
        top += row
    return fig


def alt_architecture(stack: Stack = LECTURE) -> str:
    """Describe the architecture figure in words, every shape from the calculator."""
    summary: StackSummary = summarize(stack)
    parts = [words("alt_input", shape=format_shape(summary.input_shape))]
    parts += [words("alt_layer_values", name=r.name, type=r.type, shape=format_shape(r.output_shape),
                    values=f"{value_count(r.output_shape):,}") for r in summary.rows]
    return words("alt_architecture", parts=words("alt_comma").join(parts))


# --- Feature maps ----------------------------------------------------------------------------------------


def image_label(name: str) -> str:
    """Return a vote input's name in the language being drawn (X and O are names in every language)."""
    return words("sloppy_x") if name == "sloppy X" else name


def feature_label(name: str) -> str:
    """Return a feature's name in the language being drawn ('the '\\' diagonal', …)."""
    from lenet_explain.site.words import say

    return say(LANGUAGE.get(), f"feature_{name}")


def map_panel(values: list[list[Any]], title: str) -> Panel:
    """Return a signed map (exact values) as a panel labelled the lecture's way (two decimals, cut)."""
    return Panel(ex.to_float_matrix(values), ex.lecture_table(values), DIVERGING, title)


def draw_feature_maps(image_name: str = "X", narrow: bool = False) -> Figure:
    """Draw the three feature maps of an image: two per row on a desktop, one per row on a phone."""
    image = ex.draw_images()[image_name]
    features = ex.draw_features()
    panels = [map_panel(ex.feature_map_exact(image, features[name]), feature_label(name))
              for name in ex.FEATURE_NAMES]
    label = words("mean_of_products")
    if narrow:
        layout = layout_rows([[p] for p in panels], bottom=46)
        box = (MARGIN + 10, layout.height - 40, layout.width - 2 * MARGIN - 20, 9.0)
        add_colour_bar(layout, box, DIVERGING, label, horizontal=True)
        return layout.fig
    layout = layout_rows([panels[:2], panels[2:]])
    left, top, w, h = layout.boxes[1][0]
    add_colour_bar(layout, (left + w + PANEL_GAP + 10, top + h * 0.1, 10.0, h * 0.8), DIVERGING, label,
                   horizontal=False)
    return layout.fig


def alt_feature_maps(image_name: str = "X") -> str:
    """Describe the feature maps figure with each map's strongest matches."""
    image = ex.draw_images()[image_name]
    features = ex.draw_features()
    notes = []
    for name in ex.FEATURE_NAMES:
        exact = ex.feature_map_exact(image, features[name])
        best = max(v for row in exact for v in row)
        count = sum(v == best for row in exact for v in row)
        notes.append(words("alt_peaks", feature=feature_label(name), best=ex.format_lecture(best), count=count))
    size = len(ex.feature_map_exact(image, features["x"]))
    return words("alt_feature_maps", size=size, image=image_name, negative=words("alt_" + SIGN_WORDS["negative"]),
                 positive=words("alt_" + SIGN_WORDS["positive"]), notes=words("alt_semicolon").join(notes))


def draw_match_step(row: int = STEP_ROW, col: int = STEP_COL, narrow: bool = False) -> Figure:
    """Draw one position: the image with the window, the feature, the products and the mean."""
    image = ex.draw_x()
    feature = ex.draw_features()["backslash"]
    step = ex.match_step(image, feature, row, col)
    picture = Panel(image, ex.sign_labels(image), PIXELS, words("x_window", row=row + 1, col=col + 1))
    kernel = Panel(feature, ex.sign_labels(feature), PIXELS, words("backslash_feature"))
    products = Panel(step.products, ex.sign_labels(step.products), DIVERGING, words("products"))
    rows = [[picture], [kernel, products]] if narrow else [[picture, kernel, products]]
    summary = words("step_summary", total=step.total, count=step.count, mean=ex.format_fraction(step.mean),
                    printed=ex.format_lecture(step.mean))
    layout = layout_rows(rows, bottom=TITLE_FONT * 2)
    ax = layout.axes[0][0]
    size = feature.shape[0]
    ax.add_patch(Rectangle((col - 0.5, row - 0.5), size, size, fill=False, edgecolor=OKABE_ITO["vermillion"],
                           linewidth=3))
    layout.fig.text(MARGIN / layout.width, (TITLE_FONT * 0.6) / layout.height, summary, fontsize=TITLE_FONT,
                    ha="left", va="baseline")
    return layout.fig


def alt_match_step(row: int = STEP_ROW, col: int = STEP_COL) -> str:
    """Describe the worked position."""
    step = ex.match_step(ex.draw_x(), ex.draw_features()["backslash"], row, col)
    return words("alt_match_step", row=row + 1, col=col + 1, matches=step.matches, misses=step.count - step.matches,
                 total=step.total, mean=ex.format_fraction(step.mean), printed=ex.format_lecture(step.mean))


# --- Pooling -----------------------------------------------------------------------------------


def draw_pooling(narrow: bool = False) -> Figure:
    """Draw the '\\' map with its 2×2 windows (partial ones hatched) and the pooled result."""
    exact = ex.feature_map_exact(ex.draw_x(), ex.draw_features()["backslash"])
    pooled = ex.max_pool_exact(exact)
    size = len(exact)
    source = map_panel(exact, words("pool_source", size=size))
    result = map_panel(pooled, words("pool_result", size=len(pooled)))
    layout = layout_rows([[source], [result]] if narrow else [[source, result]])
    ax = layout.axes[0][0]
    for r0, r1 in ex.pool_windows(size):
        for c0, c1 in ex.pool_windows(size):
            partial = (r1 - r0) < ex.POOL_SIZE or (c1 - c0) < ex.POOL_SIZE
            ax.add_patch(Rectangle((c0 - 0.5, r0 - 0.5), c1 - c0, r1 - r0, fill=False,
                                   edgecolor=OKABE_ITO["vermillion"] if partial else "black",
                                   hatch="//" if partial else None, linewidth=2.2))
    return layout.fig


def alt_pooling() -> str:
    """Describe the pooling figure."""
    exact = ex.feature_map_exact(ex.draw_x(), ex.draw_features()["backslash"])
    pooled = ex.max_pool_exact(exact)
    rows = " / ".join(" ".join(r) for r in ex.lecture_table(pooled))
    return words("alt_pooling", size=len(exact), pooled=len(pooled), rows=rows)


# --- Activations, stacking and the vote -------------------------------------------------------------


def draw_activations() -> Figure:
    """Draw ReLU and the sigmoid on the same axes."""
    x = np.linspace(-4, 4, 161)  # (161,)
    fig = Figure(figsize=(4.6, 2.9))
    ax = fig.add_subplot()
    ax.plot(x, ex.relu(x), color=OKABE_ITO["blue"], linewidth=2.2, label=words("relu_legend"))
    ax.plot(x, ex.sigmoid(x), color=OKABE_ITO["vermillion"], linewidth=2.2, linestyle="--",
            label=words("sigmoid_legend"))
    ax.axhline(0, color="#999999", linewidth=0.6)
    ax.axvline(0, color="#999999", linewidth=0.6)
    ax.set_xlabel("x")
    ax.set_ylim(-0.5, 2.5)
    ax.legend(loc="upper left", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def alt_activations() -> str:
    """Describe the activations figure."""
    return words("alt_activations", half=f"{float(ex.sigmoid(np.array(0.0))):.1f}")


STACK_STAGES = ("after_relu", "max_pool", "pool_again")  # the stages' words: fig_<stage> in words.py


def draw_stack(image_name: str = "X", narrow: bool = False) -> Figure:
    """Draw an image's path after the convolution: ReLU → max pool → max pool, one row per feature.

    The convolution's own maps are on the convolution page; here every value is already ≥ 0.
    """
    stages = ex.stack_image(ex.vote_inputs()[image_name])
    rows: list[list[Panel]] = []
    titles: list[str] = []
    for name in ex.FEATURE_NAMES:
        maps = (stages.rectified[name], stages.pooled[name], stages.pooled_again[name])
        panels = [map_panel(values, words("stage", stage=words(stage), size=len(values)))
                  for stage, values in zip(STACK_STAGES, maps, strict=True)]
        if narrow:
            rows += [panels[:1], panels[1:]]
            titles += [words("image_feature", image=image_name, feature=feature_label(name)), ""]
        else:
            rows.append(panels)
            titles.append(words("image_feature", image=image_name, feature=feature_label(name)))
    return layout_rows(rows, row_titles=titles, column_titles_once=not narrow).fig


def alt_stack(image_name: str = "X") -> str:
    """Describe the stacking figure with the final values."""
    stages = ex.stack_image(ex.vote_inputs()[image_name])
    last = words("alt_semicolon").join(
        words("alt_stack_feature", feature=feature_label(n),
              values=" ".join(" ".join(r) for r in ex.lecture_table(stages.pooled_again[n])))
        for n in ex.FEATURE_NAMES
    )
    return words("alt_stack", image=image_name, last=last)


def draw_votes() -> Figure:
    """Draw each input's X and O votes as paired bars (colour and hatching both mark the class)."""
    inputs = ex.vote_inputs()
    fig = Figure(figsize=(4.6, 2.9))
    ax = fig.add_subplot()
    width = 0.38
    for i, name in enumerate(inputs):
        scores = ex.vote_scores(inputs[name])
        for j, cls in enumerate(ex.IMAGE_NAMES):
            colour, hatch = CLASS_STYLE[cls]
            value = float(scores[cls])
            ax.bar(i + (j - 0.5) * width, value, width, color=colour, hatch=hatch, edgecolor="black",
                   label=words("vote_for", cls=cls) if i == 0 else None)
            ax.text(i + (j - 0.5) * width, value + 0.01, f"{value:.2f}", ha="center", va="bottom",
                    fontsize=CELL_FONT)
    names = [image_label(n) for n in inputs]
    ax.set_xticks(range(len(inputs)), [words("input_name", name=n) for n in names])
    ax.set_ylim(0, 1.12)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1])
    ax.set_ylabel(words("vote"))
    ax.legend(frameon=False, loc="upper right", ncol=2)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def alt_votes() -> str:
    """Describe the votes figure with every vote."""
    parts = []
    for name, image in ex.vote_inputs().items():
        scores = ex.vote_scores(image)
        said = words("alt_and").join(words("alt_vote_score", score=f"{float(scores[c]):.2f}", cls=c)
                                     for c in ex.IMAGE_NAMES)
        parts.append(words("alt_vote_image", name=image_label(name), scores=said, winner=ex.vote_winner(scores)))
    return words("alt_votes", parts=words("alt_semicolon").join(parts))


# --- Predicting a picture that is not from MNIST ----------------------------------------------------------


def draw_predict_example(narrow: bool = False) -> Figure:
    """Draw the predict page's example: the picture, the lecture's naive input and the MNIST-style input.

    Made when the site is built, with the reference model (imports Keras).
    """
    from lenet_explain.site import model_answers

    example = model_answers.run_example()
    photo = np.asarray(example.picture, dtype=float) / 255  # (h, w, 3)
    panels = [(words("the_picture"), photo, ""), (words("three_lines"), example.naive_input, example.naive_guess),
              (words("mnist_style"), example.mnist_input, example.mnist_guess)]
    side = 1.45 * 72  # points per 28×28 input: 4 points per pixel, a raster never shown smaller than its size
    photo_w = side * photo.shape[1] / photo.shape[0]
    widths = [photo_w, side, side]
    caption_h = 3 * CELL_FONT * 1.35
    title_h = TITLE_FONT * 1.6
    grid = [[0], [1, 2]] if narrow else [[0, 1, 2]]
    row_w = [sum(widths[i] for i in row) + PANEL_GAP * (len(row) - 1) for row in grid]
    width = max(row_w) + 2 * MARGIN
    height = MARGIN + len(grid) * (title_h + side + caption_h) + (len(grid) - 1) * ROW_GAP + MARGIN
    fig = Figure(figsize=(width / 72, height / 72))
    top = MARGIN
    for row in grid:
        left = MARGIN
        for i in row:
            title, pixels, guess = panels[i]
            ax = fig.add_axes((left / width, 1 - (top + title_h + side) / height, widths[i] / width, side / height))
            ax.imshow(pixels, cmap="gray", vmin=0, vmax=1, interpolation="nearest" if i else "antialiased")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(title, fontsize=TITLE_FONT, pad=4)
            lines = [words("read_as", guess=guess)] if guess else [
                words("picture_size", w=example.picture.width, h=example.picture.height), words("dark_ink")]
            for k, text in enumerate(lines):
                fig.text((left + widths[i] / 2) / width, 1 - (top + title_h + side + (k + 1) * CELL_FONT * 1.35)
                         / height, text, ha="center", va="baseline", fontsize=CELL_FONT)
            left += widths[i] + PANEL_GAP
        top += title_h + side + caption_h + ROW_GAP
    return fig


def alt_predict_example() -> str:
    """Describe the predict page's example figure with the model's answers."""
    from lenet_explain.site import model_answers

    example = model_answers.run_example()
    return words("alt_predict_example", name=example.name, w=example.picture.width, h=example.picture.height,
                 digit=example.digit, naive=example.naive_guess, mnist=example.mnist_guess)


# --- The registry ------------------------------------------------------------------------------------------
# --- The LeNet-5 of 1998 -----------------------------------------------------------------------------


def draw_architecture_1998(narrow: bool = False) -> Figure:
    """Draw the 1998 network's layers, as :func:`draw_architecture` draws the lecture's (a phone layout too)."""
    return draw_architecture(LENET1998, narrow)


def alt_architecture_1998() -> str:
    """Describe the 1998 architecture figure, every shape from the calculator."""
    summary = summarize(LENET1998)
    parts = [words("alt_input", shape=format_shape(summary.input_shape))]
    parts += [words("alt_layer", name=r.name, type=r.type, shape=format_shape(r.output_shape)) for r in summary.rows]
    return words("alt_architecture_1998", year=PAPER_YEAR, parts=words("alt_comma").join(parts))


def _c3_layer() -> SparseConv2D:
    """The 1998 network's C3 description."""
    return next(layer for layer in LENET1998.layers if isinstance(layer, SparseConv2D))


C3_CELL = 18.0  # pt: a cell of Table I, room for an X and for two-digit column numbers


def draw_c3_table() -> Figure:
    """Draw the paper's Table I: which of S2's maps (rows) each of C3's maps (columns) reads, an X per link.

    Maps are numbered from 1, as everywhere on the site (the paper numbers them from 0).
    """
    table = _c3_layer().connections
    inputs = 1 + max(max(row) for row in table)
    links = np.zeros((inputs, len(table)))  # (S2 maps, C3 maps)
    for column, row in enumerate(table):
        links[list(row), column] = 1
    labels = [["X" if links[r, c] else "" for c in range(len(table))] for r in range(inputs)]
    line = CELL_FONT * 1.4
    left = MARGIN + 2 * line + text_width(str(inputs))  # the axis label and the row numbers
    top = MARGIN + 2 * line + 4  # the axis label and the column numbers
    grid_w, grid_h = C3_CELL * len(table), C3_CELL * inputs
    width, height = left + grid_w + MARGIN, top + grid_h + MARGIN
    fig = Figure(figsize=(width / 72, height / 72))
    ax = fig.add_axes((left / width, MARGIN / height, grid_w / width, grid_h / height))
    draw_matrix(ax, Panel(links, labels, "Blues", vmin=0, vmax=1.6))
    ax.tick_params(labelbottom=False, labeltop=True, labelleft=True)
    ax.set_xticks(range(len(table)), [str(c + 1) for c in range(len(table))])
    ax.set_yticks(range(inputs), [str(r + 1) for r in range(inputs)])
    ax.set_xlabel(words("c3_map", n=len(table)), labelpad=8)
    ax.set_ylabel(words("s2_map_read"), labelpad=4)
    ax.xaxis.set_label_position("top")
    return fig


def alt_c3_table() -> str:
    """List C3's connection table in words (maps numbered from 1)."""
    rows = [words("alt_c3_row", map=c + 1, maps=words("alt_comma").join(str(m + 1) for m in row))
            for c, row in enumerate(_c3_layer().connections)]
    return words("alt_c3_table", rows=words("alt_semicolon").join(rows))


def _rbf_layer() -> EuclideanRBF:
    """The 1998 network's output description."""
    return next(layer for layer in LENET1998.layers if isinstance(layer, EuclideanRBF))


BITMAP_PIXEL = 5.0  # pt: one pixel of a prototype
BITMAP_GAP = 12.0  # pt between two prototypes


def draw_rbf_bitmaps(narrow: bool = False) -> Figure:
    """Draw the RBF units' fixed prototypes: one 7×12 bitmap per digit, ink +1 dark, paper −1 light.

    All ten in a row; ``narrow`` (phones): two rows of five.
    """
    bitmaps = _rbf_layer().prototypes
    per_row = (len(bitmaps) + 1) // 2 if narrow else len(bitmaps)
    n_rows = -(-len(bitmaps) // per_row)
    w, h = BITMAP_PIXEL * len(bitmaps[0][0]), BITMAP_PIXEL * len(bitmaps[0])
    title_h = TITLE_FONT * 1.6
    width = 2 * MARGIN + per_row * w + (per_row - 1) * BITMAP_GAP
    height = 2 * MARGIN + n_rows * (title_h + h) + (n_rows - 1) * ROW_GAP
    fig = Figure(figsize=(width / 72, height / 72))
    for digit, bitmap in enumerate(bitmaps):
        row, col = divmod(digit, per_row)
        left = MARGIN + col * (w + BITMAP_GAP)
        top = MARGIN + row * (title_h + h + ROW_GAP) + title_h
        ax = fig.add_axes((left / width, 1 - (top + h) / height, w / width, h / height))
        values = np.array(bitmap_values(bitmap)).reshape(len(bitmap), len(bitmap[0]))  # (12, 7)
        draw_matrix(ax, Panel(values, [[""] * values.shape[1]] * values.shape[0], PIXELS))
        ax.set_title(str(digit), fontsize=TITLE_FONT, pad=3)
    return fig


def alt_rbf_bitmaps() -> str:
    """Describe the bitmaps and how far apart they are."""
    bitmaps = _rbf_layer().prototypes
    rows, columns = len(bitmaps[0]), len(bitmaps[0][0])
    ink = words("alt_comma").join(words("alt_ink", digit=d, count=sum(row.count(INK) for row in b))
                                  for d, b in enumerate(bitmaps))
    return words("alt_rbf_bitmaps", n=len(bitmaps), columns=columns, rows=rows, last=len(bitmaps) - 1, ink=ink)


LEDGER_WIDTH = 372.0  # pt: shown at natural size on a desktop, and at 390 px still no text under 8 CSS px
LEDGER_LOW, LEDGER_HIGH = 5.0, 5e6  # the log axis: below the smallest count, room for the largest one's label
LEDGER_ROW = 34.0  # pt per layer: the two value labels of a layer, one above the other, never touch


def draw_ledger() -> Figure:
    """Draw parameters beside connections for every layer with weights, both networks, on one log scale."""
    names = [r.name for r in summarize(LENET1998).rows if r.params]  # the layers with weights, in order
    stacks = (LECTURE32, LENET1998)
    height = len(stacks) * len(names) * LEDGER_ROW + 100  # + titles, ticks and the axis label
    fig, axes = plt.subplots(len(stacks), 1, figsize=(LEDGER_WIDTH / 72, height / 72), sharex=True, sharey=True)
    for ax, stack in zip(axes, stacks, strict=True):
        by_name = {r.name: r for r in summarize(stack).rows}
        rows = [by_name[name] for name in names]
        y = np.arange(len(rows))
        ax.barh(y - 0.2, [r.params for r in rows], 0.4, color=OKABE_ITO["orange"], label=words("parameters"))
        ax.barh(y + 0.2, [r.connections for r in rows], 0.4, color=OKABE_ITO["blue"], hatch="//",
                label=words("connections"))
        for i, r in enumerate(rows):
            if not r.params:
                ax.text(LEDGER_LOW * 1.2, i, words("no_weights", type=r.type), va="center")
                continue
            ax.text(r.params * 1.15, i - 0.2, f"{r.params:,}", va="center")
            ax.text(r.connections * 1.15, i + 0.2, f"{r.connections:,}", va="center")
        ax.set_yticks(y, names)
        ax.set_xscale("log")
        ax.set_xlim(LEDGER_LOW, LEDGER_HIGH)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))  # no small superscripts
        side = stack.input.shape[0]
        ax.set_title(words("lecture_layers", side=side) if stack is LECTURE32
                     else words("network_1998", year=PAPER_YEAR), loc="left")
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].invert_yaxis()  # the first layer on top (the axes share y: invert once)
    axes[-1].set_xlabel(words("count_log"))
    axes[0].legend(loc="lower right", frameon=False)
    fig.tight_layout()
    return fig


def alt_ledger() -> str:
    """State every bar of the ledger figure."""
    parts = []
    for stack in (LECTURE32, LENET1998):
        rows = [r for r in summarize(stack).rows if r.params]
        layers = words("alt_comma").join(words("alt_ledger_layer", name=r.name, params=f"{r.params:,}",
                                                connections=f"{r.connections:,}") for r in rows)
        parts.append(words("alt_ledger_stack", stack=stack.name, layers=layers))
    return words("alt_ledger", parts=words("alt_semicolon").join(parts))


@dataclass(frozen=True)
class FigureSpec:
    """A site figure: how to draw it (``narrow``: the phone layout), how to describe it, what it needs."""

    draw: Callable[..., Figure]
    alt: Callable[[], str]
    responsive: bool = False  # has a narrow (phone) variant: draw(narrow=True)
    needs_keras: bool = False  # drawn with the reference model (imports TensorFlow)


FIGURES: dict[str, FigureSpec] = {
    "architecture": FigureSpec(draw_architecture, alt_architecture, responsive=True),
    "feature-maps-x": FigureSpec(draw_feature_maps, alt_feature_maps, responsive=True),
    "match-step": FigureSpec(draw_match_step, alt_match_step, responsive=True),
    "pooling": FigureSpec(draw_pooling, alt_pooling, responsive=True),
    "activations": FigureSpec(draw_activations, alt_activations),
    "stack-x": FigureSpec(draw_stack, alt_stack, responsive=True),
    "votes": FigureSpec(draw_votes, alt_votes),
    "predict-example": FigureSpec(draw_predict_example, alt_predict_example, responsive=True, needs_keras=True),
}
NARROW_SUFFIX = "-narrow"
FIGURES.update({  # the page "LeNet-5 in 1998"
    "architecture-1998": FigureSpec(draw_architecture_1998, alt_architecture_1998, responsive=True),
    "c3-table": FigureSpec(draw_c3_table, alt_c3_table),
    "rbf-bitmaps": FigureSpec(draw_rbf_bitmaps, alt_rbf_bitmaps, responsive=True),
    "ledger-1998": FigureSpec(draw_ledger, alt_ledger),
})


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
