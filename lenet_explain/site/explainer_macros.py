"""The X/O explainer's macros: feature maps, the worked position, pooling, ReLU, stacking and the votes."""

from __future__ import annotations

from fractions import Fraction
from functools import cache

from lenet_explain.calculator import arithmetic as calc
from lenet_explain.calculator.stacks import get_stack
from lenet_explain.site import explainer as ex
from lenet_explain.site.i18n import translate
from lenet_explain.site.mathml import latex_to_mathml
from lenet_explain.site.page_html import render_matrix, render_table

# --- Explainer data ----------------------------------------------------------------------------------


def exact_rows(values: list[list[Fraction]], denominator: int | None = None) -> list[list[str]]:
    """Return exact fractions as text, over ``denominator`` when given (3/9 stays 3/9)."""
    if denominator is None:
        return [[ex.format_fraction(v) for v in row] for row in values]
    return [[ex.format_over(v, denominator) for v in row] for row in values]


def feature_pixels() -> int:
    """Return the number of pixels of a feature (the denominator of every map value)."""
    return int(ex.draw_features()["backslash"].size)


NUMBER_WORDS = {"en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
                "zh": ("零", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十")}


def number_word(count: int, language: str = "en") -> str:
    """Return a small count as a word in ``language`` ('three', '三'; '两' before a measure word); digits past ten."""
    words = NUMBER_WORDS.get(language, NUMBER_WORDS["en"])
    return words[count] if 0 <= count < len(words) else str(count)


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
    """Return the voting values' labels ("'\\' map (1,1)", "'\\' 特征图（1，1）") in ``language``."""
    return [translate("{feature} map ({row},{col})", language, feature=ex.FEATURE_SYMBOLS[name], row=row, col=col)
            for name, row, col in ex.vote_positions()]


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
