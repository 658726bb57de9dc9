"""The figures of the page "LeNet-5 in 1998": its architecture, C3's Table I, the RBF bitmaps, the ledger.

Each ``draw_*`` has its ``alt_*`` text from the same numbers (the 1998 network's description in the calculator).
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from lenet_explain.calculator.arithmetic import summarize
from lenet_explain.calculator.bitmaps import INK, bitmap_values
from lenet_explain.calculator.layers import EuclideanRBF, SparseConv2D, Stack
from lenet_explain.calculator.stacks import LECTURE32, LENET1998
from lenet_explain.site.explainer_figures import draw_architecture, layer_name, shape_text
from lenet_explain.site.figure_layout import (
    CELL_FONT,
    MARGIN,
    NARROW_MAX_PT,
    OKABE_ITO,
    PIXELS,
    ROW_GAP,
    TITLE_FONT,
    Panel,
    draw_matrix,
    text_width,
    words,
)
from lenet_explain.walkthrough.lecture import PAPER_YEAR


def draw_architecture_1998(narrow: bool = False) -> Figure:
    """Draw the 1998 network's layers, as :func:`draw_architecture` draws the lecture's (a phone layout too)."""
    return draw_architecture(LENET1998, narrow)


def alt_architecture_1998() -> str:
    """Describe the 1998 architecture figure, every shape from the calculator."""
    summary = summarize(LENET1998)
    parts = [words("alt_input", shape=shape_text(summary.input_shape))]
    parts += [words("alt_layer", name=layer_name(r.name), type=r.type, shape=shape_text(r.output_shape))
              for r in summary.rows]
    return words("alt_architecture_1998", year=PAPER_YEAR, parts=words("alt_comma").join(parts))


def _c3_layer() -> SparseConv2D:
    """The 1998 network's C3 description."""
    return next(layer for layer in LENET1998.layers if isinstance(layer, SparseConv2D))


C3_CELL = 18.0  # pt: a cell of Table I, room for an X and for two-digit column numbers
C3_CELL_NARROW = 13.0  # pt: on a phone, still wider than a two-digit column number (the table fits at natural size)


def draw_c3_table(narrow: bool = False) -> Figure:
    """Draw the paper's Table I: which of S2's maps (rows) each of C3's maps (columns) reads, an X per link.

    Maps are numbered from 1, as everywhere on the site (the paper numbers them from 0). ``narrow`` (phones):
    narrower cells, so the table fits a phone's column with its text at full size.
    """
    cell = C3_CELL_NARROW if narrow else C3_CELL
    table = _c3_layer().connections
    inputs = 1 + max(max(row) for row in table)
    links = np.zeros((inputs, len(table)))  # (S2 maps, C3 maps)
    for column, row in enumerate(table):
        links[list(row), column] = 1
    labels = [["X" if links[r, c] else "" for c in range(len(table))] for r in range(inputs)]
    line = CELL_FONT * 1.4
    left = MARGIN + 2 * line + text_width(str(inputs))  # the axis label and the row numbers
    top = MARGIN + 2 * line + 4  # the axis label and the column numbers
    grid_w, grid_h = cell * len(table), cell * inputs
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


LEDGER_WIDTH = 372.0  # pt: shown at natural size on a desktop
LEDGER_NARROW_TICKS = (10, 1_000, 100_000)  # a phone's axis: every other power of ten, so its labels never touch
LEDGER_LOW, LEDGER_HIGH = 5.0, 5e6  # the log axis: below the smallest count, room for the largest one's label
LEDGER_ROW = 34.0  # pt per layer: the two value labels of a layer, one above the other, never touch


def draw_ledger(narrow: bool = False) -> Figure:
    """Draw parameters beside connections for every layer with weights, both networks, on one log scale.

    ``narrow`` (phones): as wide as a phone's column at natural size (no text under 12 CSS px), fewer ticks.
    """
    names = [r.name for r in summarize(LENET1998).rows if r.params]  # the layers with weights, in order
    stacks = (LECTURE32, LENET1998)
    height = len(stacks) * len(names) * LEDGER_ROW + 100  # + titles, ticks and the axis label
    width = NARROW_MAX_PT if narrow else LEDGER_WIDTH
    fig, axes = plt.subplots(len(stacks), 1, figsize=(width / 72, height / 72), sharex=True, sharey=True)
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
        ax.set_yticks(y, [layer_name(name) for name in names])
        ax.set_xscale("log")
        ax.set_xlim(LEDGER_LOW, LEDGER_HIGH)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))  # no small superscripts
        if narrow:
            ax.set_xticks(LEDGER_NARROW_TICKS)
            ax.xaxis.set_minor_locator(plt.NullLocator())
        ax.set_title(ledger_title(stack), loc="left")
        ax.spines[["top", "right"]].set_visible(False)
    axes[0].invert_yaxis()  # the first layer on top (the axes share y: invert once)
    axes[-1].set_xlabel(words("count_log"))
    axes[0].legend(loc="lower right", frameon=False)
    fig.tight_layout()
    return fig


def ledger_title(stack: Stack) -> str:
    """Return the ledger's title for one of its two networks: the lecture's layers (32×32) or the 1998 network."""
    if stack is LECTURE32:
        return words("lecture_layers", side=stack.input.shape[0])
    return words("network_1998", year=PAPER_YEAR)


def alt_ledger() -> str:
    """State every bar of the ledger figure."""
    parts = []
    for stack in (LECTURE32, LENET1998):
        rows = [r for r in summarize(stack).rows if r.params]
        layers = words("alt_comma").join(words("alt_ledger_layer", name=layer_name(r.name), params=f"{r.params:,}",
                                                connections=f"{r.connections:,}") for r in rows)
        parts.append(words("alt_ledger_stack", stack=ledger_title(stack), layers=layers))
    return words("alt_ledger", parts=words("alt_semicolon").join(parts))

