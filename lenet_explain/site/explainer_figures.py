"""The explainer pages' figures: the architecture, the X/O example's maps, pooling, activations and votes.

Every figure is a ``draw_*`` function returning a matplotlib Figure and an ``alt_*`` text written from the
same numbers; :data:`lenet_explain.site.figures.FIGURES` names them for the site.
"""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, Rectangle

from lenet_explain.calculator.arithmetic import StackSummary, summarize
from lenet_explain.calculator.formatting import format_shape
from lenet_explain.calculator.layers import Stack
from lenet_explain.calculator.stacks import LECTURE
from lenet_explain.site import explainer as ex
from lenet_explain.site.figure_layout import (
    CELL_FONT,
    DIVERGING,
    LANGUAGE,
    MARGIN,
    OKABE_ITO,
    PANEL_GAP,
    PIXELS,
    ROW_GAP,
    SEQUENTIAL,
    SIGN_WORDS,
    TITLE_FONT,
    WIDE_MAX_PT,
    Panel,
    add_colour_bar,
    layout_rows,
    text_width,
    words,
)

CLASS_STYLE = {"X": (OKABE_ITO["blue"], ""), "O": (OKABE_ITO["orange"], "//")}

STEP_ROW, STEP_COL = 0, 0  # the worked position: the lecture map's first value


# --- The architecture ----------------------------------------------------------------------------


# Layer types the architecture figure names in words under a box (fig_type_<type> in words.py: short enough for
# the column; in Chinese, 平均池化, 下采样 …); other types (Conv2D, Flatten, Dense) keep their Keras class name.
WORDED_TYPES = ("Input", "AveragePooling2D", "MaxPooling2D", "Subsampling2D", "SparseConv2D", "EuclideanRBF")
WORDED_NAMES = ("input", "flatten", "output")  # layer names that are words (fig_name_<name>); C1, S2 … are names


def layer_name(name: str) -> str:
    """Return a layer's name as the figures write it in the language being drawn ('output' → 输出; C1 stays)."""
    return words("name_" + name) if name in WORDED_NAMES else name


def type_label(kind: str) -> str:
    """Return a layer type as the architecture figure writes it ('AveragePooling2D' → AvgPool, 平均池化)."""
    return words("type_" + kind) if kind in WORDED_TYPES else kind


def shape_text(shape: tuple[int, ...]) -> str:
    """Return an output shape for an alt text: Keras' tuple in English, 28×28×6 in Chinese (no half-width marks)."""
    return format_shape(shape) if LANGUAGE.get() == "en" else "×".join(str(v) for v in shape)


def layer_boxes(stack: Stack = LECTURE) -> list[tuple[str, str, tuple[int, ...]]]:
    """Return (name, type label, output shape) of the input and every layer of ``stack``, in the figure's words."""
    summary = summarize(stack)
    boxes = [(layer_name("input"), type_label("Input"), summary.input_shape)]
    boxes += [(layer_name(r.name), type_label(r.type), r.output_shape) for r in summary.rows]
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
    parts = [words("alt_input", shape=shape_text(summary.input_shape))]
    parts += [words("alt_layer_values", name=layer_name(r.name), type=r.type, shape=shape_text(r.output_shape),
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


CHART_SIZE = {False: (4.6, 2.9), True: (3.75, 2.9)}  # inches: a chart on a desktop, and on a phone (narrow)


def draw_activations(narrow: bool = False) -> Figure:
    """Draw ReLU and the sigmoid on the same axes (``narrow``: as wide as a phone's column at natural size)."""
    x = np.linspace(-4, 4, 161)  # (161,)
    fig = Figure(figsize=CHART_SIZE[narrow])
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


def draw_votes(narrow: bool = False) -> Figure:
    """Draw each input's X and O votes as paired bars (colour and hatching both mark the class); ``narrow``: as
    wide as a phone's column at natural size."""
    inputs = ex.vote_inputs()
    fig = Figure(figsize=CHART_SIZE[narrow])
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


def guess_words(probabilities: np.ndarray) -> str:
    """Return the first guess with its probability in the language being drawn: '3 (99.9%)', '3（99.9%）'."""
    digit = int(np.argmax(probabilities))
    return words("guess", digit=digit, percent=f"{probabilities[digit]:.1%}")


def draw_predict_example(narrow: bool = False) -> Figure:
    """Draw the predict page's example: the picture, the lecture's naive input and the MNIST-style input.

    Made when the site is built, with the reference model (imports Keras).
    """
    from lenet_explain.site import model_answers

    example = model_answers.run_example()
    photo = np.asarray(example.picture, dtype=float) / 255  # (h, w, 3)
    panels = [(words("the_picture"), photo, ""),
              (words("three_lines"), example.naive_input, guess_words(example.naive_probabilities)),
              (words("mnist_style"), example.mnist_input, guess_words(example.mnist_probabilities))]
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
                 digit=example.digit, naive=guess_words(example.naive_probabilities),
                 mnist=guess_words(example.mnist_probabilities))

