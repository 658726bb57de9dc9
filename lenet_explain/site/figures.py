"""The site's figures, drawn with matplotlib from the package's numbers and returned as SVG text.

Every figure is a ``draw_*`` function returning a matplotlib Figure and an ``alt_*`` text written
from the same numbers; :data:`FIGURES` names them for the site (see :func:`render_figure`).
Colour maps are colour-blind safe (ColorBrewer's PuOr for signed values, grey for ±1 pixels) and
every cell also carries its value as text, so colour is never the only channel.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Rectangle

from lenet_explain.calculator.arithmetic import StackSummary, summarize
from lenet_explain.calculator.bitmaps import INK, bitmap_values
from lenet_explain.calculator.formatting import format_shape
from lenet_explain.calculator.layers import EuclideanRBF, SparseConv2D, Stack
from lenet_explain.calculator.stacks import LECTURE, LECTURE32, LENET1998
from lenet_explain.site import explainer as ex

DIVERGING = "PuOr"  # ColorBrewer, colour-blind safe: orange (−1) · white (0) · purple (+1)
PIXELS = "Greys"  # −1 background light, +1 ink dark
SEQUENTIAL = "cividis"  # designed for colour-vision deficiency
SAFE_COLORMAPS = (DIVERGING, PIXELS, SEQUENTIAL)
# Okabe–Ito colours for lines and bars (distinguishable with every common colour-vision deficiency).
OKABE_ITO = {"orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "blue": "#0072B2",
             "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000"}
CLASS_STYLE = {"X": (OKABE_ITO["blue"], ""), "O": (OKABE_ITO["orange"], "//")}

STEP_ROW, STEP_COL = 0, 0  # the worked position: the lecture map's first value

plt.rcParams.update({
    "svg.hashsalt": "lenet-explain",  # stable ids: the same numbers give the same SVG
    "svg.fonttype": "none",  # text stays text: smaller, faster, searchable; the SVG names fallback fonts
    "font.size": 10,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Bitstream Vera Sans", "Arial"],
    "hatch.linewidth": 0.6,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
})


def render_svg(fig: Figure) -> str:
    """Return ``fig`` as SVG text (no date, stable ids) and close it."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def _text_colour(value: float, vmin: float, vmax: float, cmap: str) -> str:
    """Return black or white, whichever reads better on the colour of ``value``."""
    rgba = plt.get_cmap(cmap)((value - vmin) / (vmax - vmin))
    luminance = 0.2126 * rgba[0] + 0.7152 * rgba[1] + 0.0722 * rgba[2]
    return "black" if luminance > 0.5 else "white"


def draw_matrix(ax: plt.Axes, values: np.ndarray, labels: list[list[str]] | None, cmap: str,
                vmin: float = -1.0, vmax: float = 1.0, title: str = "", fontsize: float = 9) -> None:
    """Draw a matrix as coloured cells with an optional label in every cell."""
    values = np.asarray(values, dtype=float)  # (rows, cols)
    ax.imshow(values, cmap=cmap, vmin=vmin, vmax=vmax)
    rows, cols = values.shape
    ax.set_xticks(np.arange(-0.5, cols, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, rows, 1), minor=True)
    ax.grid(which="minor", color="#888888", linewidth=0.5)
    ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
    if labels is not None:
        for r in range(rows):
            for c in range(cols):
                ax.text(c, r, labels[r][c], ha="center", va="center", fontsize=fontsize,
                        color=_text_colour(values[r, c], vmin, vmax, cmap))
    if title:
        ax.set_title(title, fontsize=10)


# --- The architecture ----------------------------------------------------------------------------


def draw_architecture(stack: Stack = LECTURE) -> Figure:
    """Draw one box per layer of ``stack`` with its name, type and output shape (from the calculator)."""
    summary = summarize(stack)
    boxes = [("input", "Input", summary.input_shape)] + [(r.name, r.type, r.output_shape) for r in summary.rows]
    fig, ax = plt.subplots(figsize=(1.05 * len(boxes), 2.9))
    biggest = max(_box_extent(shape) for _, _, shape in boxes)
    for i, (name, kind, shape) in enumerate(boxes):
        height = 0.35 + 1.65 * _box_extent(shape) / biggest
        colour = plt.get_cmap(SEQUENTIAL)(0.25 + 0.6 * i / max(len(boxes) - 1, 1))
        ax.add_patch(FancyBboxPatch((i + 0.12, -height / 2), 0.76, height, boxstyle="round,pad=0.02",
                                    facecolor=colour, edgecolor="black", linewidth=0.8))
        ax.text(i + 0.5, 1.3, name, ha="center", va="bottom", fontsize=11, fontweight="bold")
        ax.text(i + 0.5, 1.06, kind.replace("Pooling2D", "Pool"), ha="center", va="bottom", fontsize=8)
        ax.text(i + 0.5, -1.08, "×".join(str(v) for v in shape), ha="center", va="top", fontsize=10)
        if i:
            ax.annotate("", xy=(i + 0.1, 0), xytext=(i - 0.1, 0),
                        arrowprops={"arrowstyle": "->", "color": "black", "linewidth": 0.8})
    ax.set_xlim(0, len(boxes))
    ax.set_ylim(-1.35, 1.6)
    ax.axis("off")
    return fig


def _box_extent(shape: tuple[int, ...]) -> float:
    """Return a box height measure: the image side for images, a vector's length scaled down."""
    return float(shape[0]) if len(shape) == 3 else float(shape[0]) ** 0.5


def alt_architecture(stack: Stack = LECTURE) -> str:
    """Describe the architecture figure in words, every shape from the calculator."""
    summary: StackSummary = summarize(stack)
    parts = [f"input {format_shape(summary.input_shape)}"]
    parts += [f"{r.name} {r.type} {format_shape(r.output_shape)}" for r in summary.rows]
    return "LeNet-5 as the lecture builds it, one box per layer with its output shape: " + ", ".join(parts) + "."


# --- Images, features, feature maps ----------------------------------------------------------------


def draw_images() -> Figure:
    """Draw the X and the O as ±1 pixel grids."""
    images = ex.draw_images()
    fig, axes = plt.subplots(1, len(images), figsize=(3.4 * len(images), 3.4))
    for ax, (name, image) in zip(axes, images.items(), strict=True):
        draw_matrix(ax, image, ex.sign_labels(image), PIXELS, title=f"{name} ({image.shape[0]}×{image.shape[1]})",
                    fontsize=7)
    return fig


def alt_images() -> str:
    """Describe the X and O figure."""
    images = ex.draw_images()
    size = ex.IMAGE_SIZE
    counts = ", ".join(f"the {name} has {int(np.sum(img == 1))} ink pixels" for name, img in images.items())
    return (f"Two {size}×{size} pixel grids, +1 (dark) for ink and −1 (light) for background: "
            f"an X drawn on both diagonals and an O drawn as a ring; {counts}.")


def draw_features() -> Figure:
    """Draw the three 3×3 features."""
    features = ex.draw_features()
    fig, axes = plt.subplots(1, len(features), figsize=(2.3 * len(features), 2.5))
    for ax, name in zip(axes, ex.FEATURE_NAMES, strict=True):
        draw_matrix(ax, features[name], ex.sign_labels(features[name]), PIXELS, title=ex.FEATURE_LABELS[name],
                    fontsize=10)
    return fig


def alt_features() -> str:
    """Describe the features figure."""
    return ("Three 3×3 features of +1 and −1 pixels: " + "; ".join(
        f"{ex.FEATURE_LABELS[n]}, rows " + " / ".join(" ".join(f"{v:+d}" for v in row) for row in f)
        for n, f in ex.draw_features().items()) + ".")


def draw_feature_maps(image_name: str = "X") -> Figure:
    """Draw the three feature maps of an image, each cell labelled with the lecture's two decimals."""
    image = ex.draw_images()[image_name]
    features = ex.draw_features()
    fig, axes = plt.subplots(1, len(features), figsize=(4.2 * len(features), 4.4))
    for ax, name in zip(axes, ex.FEATURE_NAMES, strict=True):
        exact = ex.feature_map_exact(image, features[name])
        draw_matrix(ax, ex.to_float_matrix(exact), ex.lecture_table(exact), DIVERGING,
                    title=f"{ex.FEATURE_LABELS[name]}")
    fig.colorbar(axes[-1].images[0], ax=list(axes), shrink=0.7, label="mean of the products")
    return fig


def alt_feature_maps(image_name: str = "X") -> str:
    """Describe the feature maps figure with each map's strongest matches."""
    image = ex.draw_images()[image_name]
    features = ex.draw_features()
    notes = []
    for name in ex.FEATURE_NAMES:
        exact = ex.feature_map_exact(image, features[name])
        best = max(v for row in exact for v in row)
        count = sum(v == best for row in exact for v in row)
        notes.append(f"{ex.FEATURE_LABELS[name]} peaks at {ex.format_lecture(best)} in {count} places")
    size = len(ex.feature_map_exact(image, features["x"]))
    return (f"The three {size}×{size} feature maps of the {image_name}, orange for −1 through white to purple "
            f"for +1, every cell labelled with its value: " + "; ".join(notes) + ".")


def draw_match_step(row: int = STEP_ROW, col: int = STEP_COL) -> Figure:
    """Draw one position: the image with the window, the feature, the products and the mean."""
    image = ex.draw_x()
    feature = ex.draw_features()["backslash"]
    step = ex.match_step(image, feature, row, col)
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.6), gridspec_kw={"width_ratios": [3, 1.3, 1.3]})
    draw_matrix(axes[0], image, ex.sign_labels(image), PIXELS, title="the X, window at row "
                f"{row + 1}, column {col + 1}", fontsize=7)
    size = feature.shape[0]
    axes[0].add_patch(Rectangle((col - 0.5, row - 0.5), size, size, fill=False,
                                edgecolor=OKABE_ITO["vermillion"], linewidth=3))
    draw_matrix(axes[1], feature, ex.sign_labels(feature), PIXELS, title="'\\' feature", fontsize=10)
    draw_matrix(axes[2], step.products, ex.sign_labels(step.products), DIVERGING, title="products", fontsize=10)
    fig.suptitle(f"sum {step.total} over {step.count} pixels = {ex.format_fraction(step.mean)} "
                 f"→ lecture prints {ex.format_lecture(step.mean)}", y=0.02, fontsize=11)
    return fig


def alt_match_step(row: int = STEP_ROW, col: int = STEP_COL) -> str:
    """Describe the worked position."""
    step = ex.match_step(ex.draw_x(), ex.draw_features()["backslash"], row, col)
    return (f"The 3×3 window at row {row + 1}, column {col + 1} of the X, the '\\' feature and their "
            f"element-wise products: {step.matches} products are +1 and {step.count - step.matches} is −1, "
            f"sum {step.total}, mean {ex.format_fraction(step.mean)}, printed as {ex.format_lecture(step.mean)}.")


# --- Pooling -----------------------------------------------------------------------------------


def draw_pooling() -> Figure:
    """Draw the '\\' map with its 2×2 windows (partial ones hatched) and the pooled 4×4 result."""
    exact = ex.feature_map_exact(ex.draw_x(), ex.draw_features()["backslash"])
    pooled = ex.max_pool_exact(exact)
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.6), gridspec_kw={"width_ratios": [7, 4]})
    draw_matrix(axes[0], ex.to_float_matrix(exact), ex.lecture_table(exact), DIVERGING,
                title=f"{len(exact)}×{len(exact)} map, 2×2 windows, stride 2")
    size = len(exact)
    for r0, r1 in ex.pool_windows(size):
        for c0, c1 in ex.pool_windows(size):
            partial = (r1 - r0) < ex.POOL_SIZE or (c1 - c0) < ex.POOL_SIZE
            axes[0].add_patch(Rectangle((c0 - 0.5, r0 - 0.5), c1 - c0, r1 - r0, fill=False,
                                        edgecolor=OKABE_ITO["vermillion"] if partial else "black",
                                        hatch="//" if partial else None, linewidth=2.2))
    draw_matrix(axes[1], ex.to_float_matrix(pooled), ex.lecture_table(pooled), DIVERGING,
                title=f"max pooled: {len(pooled)}×{len(pooled)}")
    return fig


def alt_pooling() -> str:
    """Describe the pooling figure."""
    exact = ex.feature_map_exact(ex.draw_x(), ex.draw_features()["backslash"])
    pooled = ex.max_pool_exact(exact)
    rows = " / ".join(" ".join(r) for r in ex.lecture_table(pooled))
    return (f"The {len(exact)}×{len(exact)} '\\' feature map cut into 2×2 windows with stride 2; the windows of "
            f"the last row and column hang over the edge (hatched) and hold fewer values. The maximum of each "
            f"window gives the {len(pooled)}×{len(pooled)} map, row by row: {rows}.")


# --- Activations, stacking and the vote -------------------------------------------------------------


def draw_activations() -> Figure:
    """Draw ReLU and the sigmoid on the same axes."""
    x = np.linspace(-4, 4, 161)  # (161,)
    fig, ax = plt.subplots(figsize=(6, 3.4))
    ax.plot(x, ex.relu(x), color=OKABE_ITO["blue"], linewidth=2.2, label="ReLU: max(x, 0)")
    ax.plot(x, ex.sigmoid(x), color=OKABE_ITO["vermillion"], linewidth=2.2, linestyle="--",
            label="sigmoid: 1/(1 + e^(−x))")
    ax.axhline(0, color="#999999", linewidth=0.6)
    ax.axvline(0, color="#999999", linewidth=0.6)
    ax.set_xlabel("x")
    ax.set_ylim(-0.5, 2.5)
    ax.legend(loc="upper left", frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def alt_activations() -> str:
    """Describe the activations figure."""
    return ("ReLU (solid) is 0 for every negative x and x itself for positive x; the sigmoid (dashed) rises "
            f"smoothly from 0 to 1 and equals {float(ex.sigmoid(np.array(0.0))):.1f} at x = 0.")


def draw_stack(image_name: str = "X") -> Figure:
    """Draw an image's path: feature map → ReLU → max pool → max pool, one row per feature."""
    stages = ex.stack_image(ex.vote_inputs()[image_name])
    columns = [("convolution", stages.convolved), ("ReLU", stages.rectified), ("max pool", stages.pooled),
               ("max pool again", stages.pooled_again)]
    fig, axes = plt.subplots(len(ex.FEATURE_NAMES), len(columns), figsize=(11, 8.6),
                             gridspec_kw={"width_ratios": [7, 7, 4, 2]})
    for r, name in enumerate(ex.FEATURE_NAMES):
        for c, (stage, maps) in enumerate(columns):
            values = maps[name]
            labels = ex.lecture_table(values)
            draw_matrix(axes[r][c], ex.to_float_matrix(values), labels, DIVERGING,
                        title=f"{stage}" if r == 0 else "", fontsize=6.5 if len(values) > 4 else 8)
        axes[r][0].set_ylabel(ex.FEATURE_LABELS[name], fontsize=9)
    fig.suptitle(f"the {image_name}", fontsize=12)
    return fig


def alt_stack(image_name: str = "X") -> str:
    """Describe the stacking figure with the final values."""
    stages = ex.stack_image(ex.vote_inputs()[image_name])
    last = "; ".join(
        f"{ex.FEATURE_LABELS[n]}: " + " ".join(" ".join(r) for r in ex.lecture_table(stages.pooled_again[n]))
        for n in ex.FEATURE_NAMES
    )
    return (f"The {image_name} through convolution with the three features, ReLU (negatives become 0), 2×2 max "
            f"pooling and 2×2 max pooling again, one row per feature; the final 2×2 values are {last}.")


def draw_votes() -> Figure:
    """Draw each input's X and O votes as paired bars (colour and hatching both mark the class)."""
    inputs = ex.vote_inputs()
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    width = 0.38
    for i, name in enumerate(inputs):
        scores = ex.vote_scores(inputs[name])
        for j, cls in enumerate(ex.IMAGE_NAMES):
            colour, hatch = CLASS_STYLE[cls]
            value = float(scores[cls])
            ax.bar(i + (j - 0.5) * width, value, width, color=colour, hatch=hatch, edgecolor="black",
                   label=f"vote for {cls}" if i == 0 else None)
            ax.text(i + (j - 0.5) * width, value + 0.01, f"{value:.2f}", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(len(inputs)), [f"input: {n}" for n in inputs])
    ax.set_ylim(0, 1)
    ax.set_ylabel("vote")
    ax.legend(frameon=False, loc="upper right", ncol=2)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def alt_votes() -> str:
    """Describe the votes figure with every vote."""
    parts = []
    for name, image in ex.vote_inputs().items():
        scores = ex.vote_scores(image)
        parts.append(f"the {name} gets " + " and ".join(f"{float(scores[c]):.2f} for {c}" for c in ex.IMAGE_NAMES)
                     + f", so it is read as {ex.vote_winner(scores)}")
    return "Bar chart of the fully connected layer's votes: " + "; ".join(parts) + "."


# --- The LeNet-5 of 1998 -----------------------------------------------------------------------------


def draw_architecture_1998() -> Figure:
    """Draw the 1998 network's layers, as :func:`draw_architecture` draws the lecture's (wider: longer names)."""
    fig = draw_architecture(LENET1998)
    fig.set_size_inches(1.4 * (len(LENET1998.layers) + 1), fig.get_size_inches()[1])
    return fig


def alt_architecture_1998() -> str:
    """Describe the 1998 architecture figure, every shape from the calculator."""
    summary = summarize(LENET1998)
    parts = [f"input {format_shape(summary.input_shape)}"]
    parts += [f"{r.name} {r.type} {format_shape(r.output_shape)}" for r in summary.rows]
    return "LeNet-5 as the 1998 paper builds it, one box per layer with its output shape: " + ", ".join(parts) + "."


def _c3_layer() -> SparseConv2D:
    """The 1998 network's C3 description."""
    return next(layer for layer in LENET1998.layers if isinstance(layer, SparseConv2D))


def draw_c3_table() -> Figure:
    """Draw the paper's Table I: which of S2's maps (rows) each of C3's maps (columns) reads, an X per link."""
    table = _c3_layer().connections
    inputs = 1 + max(max(row) for row in table)
    links = np.zeros((inputs, len(table)))  # (S2 maps, C3 maps)
    for column, row in enumerate(table):
        links[list(row), column] = 1
    labels = [["X" if links[r, c] else "" for c in range(len(table))] for r in range(inputs)]
    fig, ax = plt.subplots(figsize=(0.42 * len(table) + 1, 0.42 * inputs + 0.9))
    draw_matrix(ax, links, labels, "Blues", vmin=0, vmax=1.6, fontsize=10)
    ax.tick_params(labelbottom=False, labeltop=True, labelleft=True)
    ax.set_xticks(range(len(table)), [str(c) for c in range(len(table))])
    ax.set_yticks(range(inputs), [str(r) for r in range(inputs)])
    ax.set_xlabel("C3 map (16 filters)")
    ax.set_ylabel("S2 map read")
    ax.xaxis.set_label_position("top")
    return fig


def alt_c3_table() -> str:
    """List C3's connection table in words."""
    rows = [f"map {c} reads S2 maps {', '.join(str(m) for m in row)}" for c, row in enumerate(_c3_layer().connections)]
    return "The paper's Table I, a grid of S2 maps (rows) by C3 maps (columns) with an X where they connect: " \
        + "; ".join(rows) + "."


def _rbf_layer() -> EuclideanRBF:
    """The 1998 network's output description."""
    return next(layer for layer in LENET1998.layers if isinstance(layer, EuclideanRBF))


def draw_rbf_bitmaps() -> Figure:
    """Draw the RBF units' fixed prototypes: one 7×12 bitmap per digit, ink +1 dark, paper −1 light."""
    bitmaps = _rbf_layer().prototypes
    fig, axes = plt.subplots(1, len(bitmaps), figsize=(0.8 * len(bitmaps), 1.75))
    for digit, (ax, bitmap) in enumerate(zip(axes, bitmaps, strict=True)):
        values = np.array(bitmap_values(bitmap)).reshape(len(bitmap), len(bitmap[0]))  # (12, 7)
        draw_matrix(ax, values, None, PIXELS, title=str(digit))
    return fig


def alt_rbf_bitmaps() -> str:
    """Describe the bitmaps and how far apart they are."""
    bitmaps = _rbf_layer().prototypes
    rows, columns = len(bitmaps[0]), len(bitmaps[0][0])
    ink = ", ".join(f"{d}: {sum(row.count(INK) for row in b)}" for d, b in enumerate(bitmaps))
    return (f"The {len(bitmaps)} fixed prototypes of the output layer, one {columns}×{rows} bitmap per digit 0 to "
            f"{len(bitmaps) - 1}, drawn as dark (+1) strokes on light (−1) paper; ink pixels per digit: {ink}.")


def draw_ledger() -> Figure:
    """Draw parameters beside connections for every layer with weights, both networks, on a log scale."""
    names = [r.name for r in summarize(LENET1998).rows if r.params]  # the layers with weights, in order
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 3.4), sharey=True)
    for ax, stack in zip(axes, (LECTURE32, LENET1998), strict=True):
        by_name = {r.name: r for r in summarize(stack).rows}
        rows = [by_name[name] for name in names]
        y = np.arange(len(rows))
        ax.barh(y - 0.2, [r.params for r in rows], 0.4, color=OKABE_ITO["orange"], label="parameters")
        ax.barh(y + 0.2, [r.connections for r in rows], 0.4, color=OKABE_ITO["blue"], hatch="//",
                label="connections")
        for i, r in enumerate(rows):
            if not r.params:
                ax.text(6, i, f"no weights ({r.type})", va="center", fontsize=8)
                continue
            ax.text(r.params * 1.15, i - 0.2, f"{r.params:,}", va="center", fontsize=8)
            ax.text(r.connections * 1.15, i + 0.2, f"{r.connections:,}", va="center", fontsize=8)
        ax.set_yticks(y, names)
        ax.set_xscale("log")
        ax.set_xlim(5, 5e6)
        ax.set_title("the lecture's layers (32×32)" if stack is LECTURE32 else "the 1998 network", fontsize=10)
        ax.set_xlabel("count (log scale)")
    axes[0].invert_yaxis()  # the first layer on top (the axes share y: invert once)
    axes[1].legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def alt_ledger() -> str:
    """State every bar of the ledger figure."""
    parts = []
    for stack in (LECTURE32, LENET1998):
        rows = [r for r in summarize(stack).rows if r.params]
        parts.append(f"{stack.name}: " + ", ".join(f"{r.name} {r.params:,} parameters and {r.connections:,} "
                                                    f"connections" for r in rows) + ", the other layers no weights")
    return "Bar chart, log scale, of parameters beside connections per layer; " + "; ".join(parts) + "."


@dataclass(frozen=True)
class FigureSpec:
    """A site figure: how to draw it and how to describe it."""

    draw: Callable[[], Figure]
    alt: Callable[[], str]


FIGURES: dict[str, FigureSpec] = {
    "architecture": FigureSpec(draw_architecture, alt_architecture),
    "feature-maps-x": FigureSpec(draw_feature_maps, alt_feature_maps),
    "match-step": FigureSpec(draw_match_step, alt_match_step),
    "pooling": FigureSpec(draw_pooling, alt_pooling),
    "activations": FigureSpec(draw_activations, alt_activations),
    "stack-x": FigureSpec(draw_stack, alt_stack),
    "votes": FigureSpec(draw_votes, alt_votes),
}
FIGURES.update({  # the page "LeNet-5 in 1998"
    "architecture-1998": FigureSpec(draw_architecture_1998, alt_architecture_1998),
    "c3-table": FigureSpec(draw_c3_table, alt_c3_table),
    "rbf-bitmaps": FigureSpec(draw_rbf_bitmaps, alt_rbf_bitmaps),
    "ledger-1998": FigureSpec(draw_ledger, alt_ledger),
})


def render_figure(name: str) -> str:
    """Return the SVG text of the site figure ``name``."""
    if name not in FIGURES:
        raise KeyError(f"no figure {name!r} (figures: {', '.join(FIGURES)})")
    return render_svg(FIGURES[name].draw())


def figure_alt(name: str) -> str:
    """Return the alt text of the site figure ``name``."""
    if name not in FIGURES:
        raise KeyError(f"no figure {name!r} (figures: {', '.join(FIGURES)})")
    return FIGURES[name].alt()
