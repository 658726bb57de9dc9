"""The explainer's numbers against the lecture's printed values, an independent numpy oracle and Keras."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import ROUND_DOWN, Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lenet_explain.calculator.arithmetic import summarize
from lenet_explain.calculator.formatting import format_shape
from lenet_explain.calculator.stacks import LECTURE, LECTURE32
from lenet_explain.errors import LenetError
from lenet_explain.site import explainer as ex
from lenet_explain.site import figure_layout, figures

ROOT = Path(__file__).resolve().parent.parent

# The lecture's matrices, transcribed from the lecture (the seed file above); when the seed file is
# present, test_transcription_matches_lecture checks this transcription against it.
LECTURE_X = """
-1	-1	-1	-1	-1	-1	-1	-1	-1
-1	1	-1	-1	-1	-1	-1	1	-1
-1	-1	1	-1	-1	-1	1	-1	-1
-1	-1	-1	1	-1	1	-1	-1	-1
-1	-1	-1	-1	1	-1	-1	-1	-1
-1	-1	-1	1	-1	1	-1	-1	-1
-1	-1	1	-1	-1	-1	1	-1	-1
-1	1	-1	-1	-1	-1	-1	1	-1
-1	-1	-1	-1	-1	-1	-1	-1	-1
"""
LECTURE_FEATURE = """
1	-1	-1
-1	1	-1
-1	-1	1
"""
LECTURE_MAP = """
0.77	-0.11	0.11	0.33	0.55	-0.11	0.33
-0.11	1.00	-0.11	0.33	-0.11	0.11	-0.11
0.11	-0.11	1.00	-0.33	0.11	-0.11	0.55
0.33	0.33	-0.33	0.55	-0.33	0.33	0.33
0.55	-0.11	0.11	-0.33	1.00	-0.11	0.11
-0.11	0.11	-0.11	0.33	-0.11	1.00	-0.11
0.33	-0.11	0.55	0.33	0.11	-0.11	0.77
"""
LECTURE_POOLED = """
1.00	0.33	0.55	0.33
0.33	1.00	0.33	0.55
0.55	0.33	1.00	0.11
0.33	0.55	0.11	0.77
"""


def parse_block(text: str) -> list[list[str]]:
    """Return a tab-separated block as rows of cell strings."""
    return [line.split("\t") for line in text.strip().splitlines()]


def test_transcription_matches_lecture(lecture_text: str) -> None:
    """The matrices above appear, verbatim, in the lecture."""
    for block in (LECTURE_X, LECTURE_FEATURE, LECTURE_MAP, LECTURE_POOLED):
        assert block.strip() in lecture_text


def independent_map(image: np.ndarray, feature: np.ndarray) -> np.ndarray:
    """Return the sums of products with numpy's sliding windows (an implementation independent of ours)."""
    windows = np.lib.stride_tricks.sliding_window_view(image, feature.shape)  # (7, 7, 3, 3)
    return np.einsum("rcij,ij->rc", windows, feature)


def independent_pool(values: np.ndarray, reduce: str) -> np.ndarray:
    """Pool 2×2/2 keeping partial windows: pad to even size with NaN, then max/mean ignoring NaN."""
    rows, cols = values.shape
    padded = np.full((rows + rows % 2, cols + cols % 2), np.nan)
    padded[:rows, :cols] = values
    blocks = padded.reshape(padded.shape[0] // 2, 2, padded.shape[1] // 2, 2)
    return np.nanmax(blocks, axis=(1, 3)) if reduce == "max" else np.nanmean(blocks, axis=(1, 3))


def test_x_image_and_feature_are_the_lecture_s() -> None:
    """draw_x and the '\\' feature equal the lecture's matrices."""
    assert ex.draw_x().tolist() == [[int(v) for v in row] for row in parse_block(LECTURE_X)]
    assert ex.draw_features()["backslash"].tolist() == [[int(v) for v in row] for row in parse_block(LECTURE_FEATURE)]


def test_features_are_diagonals_and_their_union() -> None:
    """The '/' feature mirrors the '\\' one, and the small X is +1 wherever either diagonal is."""
    features = ex.draw_features()
    assert np.array_equal(features["slash"], np.fliplr(features["backslash"]))
    union = np.maximum(features["backslash"], features["slash"])
    assert np.array_equal(features["x"], union)


def test_backslash_map_as_the_lecture_prints_it() -> None:
    """The 7×7 map, cut to two decimals, is exactly the lecture's table."""
    exact = ex.feature_map_exact(ex.draw_x(), ex.draw_features()["backslash"])
    assert ex.lecture_table(exact, minus="-") == parse_block(LECTURE_MAP)


def test_pooled_map_as_the_lecture_prints_it() -> None:
    """2×2/2 max pooling with the partial edge windows gives the lecture's 4×4."""
    exact = ex.feature_map_exact(ex.draw_x(), ex.draw_features()["backslash"])
    assert ex.lecture_table(ex.max_pool_exact(exact), minus="-") == parse_block(LECTURE_POOLED)


def test_floor_pooling_drops_the_edge() -> None:
    """Without ceil mode the same pooling gives 3×3: the top-left 6×6 of the map pooled."""
    exact = ex.feature_map_exact(ex.draw_x(), ex.draw_features()["backslash"])
    floor = ex.max_pool_exact(exact, ceil_mode=False)
    expected = independent_pool(ex.to_float_matrix(exact)[:6, :6], "max")
    assert np.allclose(ex.to_float_matrix(floor), expected)


@pytest.mark.parametrize("image_name", ["X", "O", "sloppy X"])
@pytest.mark.parametrize("feature_name", ex.FEATURE_NAMES)
def test_maps_are_exact_ninths_of_the_sliding_sums(image_name: str, feature_name: str) -> None:
    """Every map value is exactly (sum of products)/9, checked against numpy's sliding windows."""
    image = ex.vote_inputs()[image_name]
    feature = ex.draw_features()[feature_name]
    sums = independent_map(image, feature)
    exact = ex.feature_map_exact(image, feature)
    assert [[v * 9 for v in row] for row in exact] == sums.tolist()
    assert all(isinstance(v, Fraction) for row in exact for v in row)
    assert np.allclose(ex.feature_map(image, feature), sums / 9)


def test_three_maps_of_the_x_mirror_each_other() -> None:
    """The X is mirror-symmetric, so the '/' map is the '\\' map flipped and the small-X map is symmetric."""
    maps = {n: ex.to_float_matrix(ex.feature_map_exact(ex.draw_x(), f)) for n, f in ex.draw_features().items()}
    assert np.array_equal(maps["slash"], np.fliplr(maps["backslash"]))
    assert np.array_equal(maps["x"], np.fliplr(maps["x"]))
    assert np.array_equal(maps["x"], maps["x"].T)
    assert maps["x"][3, 3] == 1.0 and (maps["x"] == 1.0).sum() == 1


def test_exact_fraction_text() -> None:
    """Exact values print as fractions; over 9 they keep their ninths."""
    exact = ex.feature_map_exact(ex.draw_x(), ex.draw_features()["backslash"])
    assert ex.format_fraction(exact[0][0]) == "7/9"
    assert ex.format_over(exact[0][3], 9) == "3/9"
    assert ex.format_over(exact[1][1], 9) == "9/9"
    assert ex.format_over(exact[0][1], 9) == f"{ex.MINUS}1/9"
    with pytest.raises(LenetError):
        ex.format_over(Fraction(1, 7), 9)


@given(st.fractions(min_value=-5, max_value=5), st.integers(min_value=0, max_value=6))
def test_truncation_matches_decimal_round_down(value: Fraction, places: int) -> None:
    """Cutting to n decimals is Decimal's ROUND_DOWN (toward zero), text included."""
    with localcontext() as exact:  # divide toward zero too: the default context would round 0.99…9 up to 1
        exact.prec, exact.rounding = 50, ROUND_DOWN
        expected = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(1).scaleb(-places))
    assert ex.truncate(value, places) == Fraction(expected)
    text = ex.format_lecture(value, places, minus="-")
    assert Decimal(text) == expected
    if places:
        assert len(text.split(".")[1]) == places


def test_match_step_is_one_map_value() -> None:
    """The worked position's products, sum and mean agree with the map at that position."""
    image, feature = ex.draw_x(), ex.draw_features()["backslash"]
    exact = ex.feature_map_exact(image, feature)
    for row, col in [(0, 0), (3, 3), (6, 2)]:
        step = ex.match_step(image, feature, row, col)
        assert np.array_equal(step.products, image[row : row + 3, col : col + 3] * feature)
        assert step.total == int(step.products.sum())
        assert step.mean == exact[row][col]
        assert step.matches == int((step.products == 1).sum())
    with pytest.raises(LenetError):
        ex.match_step(image, feature, 7, 0)


@pytest.mark.parametrize("feature_name", ex.FEATURE_NAMES)
def test_pooling_against_an_independent_implementation(feature_name: str) -> None:
    """Max and average pooling (partial windows kept) agree with padding-with-NaN pooling."""
    exact = ex.feature_map_exact(ex.draw_o(), ex.draw_features()[feature_name])
    floats = ex.to_float_matrix(exact)
    assert np.allclose(ex.to_float_matrix(ex.max_pool_exact(exact)), independent_pool(floats, "max"))
    assert np.allclose(ex.max_pool(floats), independent_pool(floats, "max"))
    assert np.allclose(ex.to_float_matrix(ex.average_pool_exact(exact)), independent_pool(floats, "mean"))


def test_pool_windows_cover_the_axis() -> None:
    """The windows of a 7-cell axis are 3 full ones and 1 partial one that together cover every cell."""
    windows = ex.pool_windows(7)
    assert [stop - start for start, stop in windows] == [2, 2, 2, 1]
    assert sorted(i for start, stop in windows for i in range(start, stop)) == list(range(7))


def test_relu_and_sigmoid() -> None:
    """ReLU zeroes exactly the negative values; the sigmoid is 1/(1 + e^-x)."""
    exact = ex.feature_map_exact(ex.draw_x(), ex.draw_features()["backslash"])
    rectified = ex.relu_exact(exact)
    for row, out in zip(exact, rectified, strict=True):
        for v, r in zip(row, out, strict=True):
            assert r == (v if v > 0 else 0)
    x = np.linspace(-3, 3, 13)
    assert np.allclose(ex.sigmoid(x), np.exp(x) / (np.exp(x) + 1))
    assert np.array_equal(ex.relu(x), np.where(x > 0, x, 0))


def test_votes_read_every_input_correctly() -> None:
    """The X and the sloppy X vote X, the O votes O; weights sum to 1 and the votes are dot products."""
    weights = ex.vote_weights()
    assert all(sum(w) == 1 for w in weights.values())
    expected_winner = {"X": "X", "O": "O", "sloppy X": "X"}
    for name, image in ex.vote_inputs().items():
        scores = ex.vote_scores(image)
        assert ex.vote_winner(scores) == expected_winner[name]
        vector = np.array([float(v) for v in ex.stack_image(image).vector()])
        for cls, w in weights.items():
            assert float(scores[cls]) == pytest.approx(float(vector @ np.array([float(x) for x in w])))


def test_stack_stages_shapes_and_values() -> None:
    """Each stage has the calculator's sizes: 7×7 → 4×4 → 2×2, and the 12 voting values are pooled maxima."""
    stages = ex.stack_image(ex.draw_x())
    for name in ex.FEATURE_NAMES:
        assert np.asarray(stages.convolved[name], dtype=object).shape == (7, 7)
        assert np.asarray(stages.pooled[name], dtype=object).shape == (4, 4)
        assert np.asarray(stages.pooled_again[name], dtype=object).shape == (2, 2)
        floats = ex.to_float_matrix(stages.rectified[name])
        assert np.allclose(ex.to_float_matrix(stages.pooled_again[name]),
                           independent_pool(independent_pool(floats, "max"), "max"))
    assert len(stages.vector()) == len(ex.vote_labels()) == 12


def test_sloppy_x_differs_from_x() -> None:
    """The sloppy X moves the upper-right arm one pixel: same ink count, different pixels."""
    x, sloppy = ex.draw_x(), ex.draw_sloppy_x()
    assert (x == 1).sum() == (sloppy == 1).sum()
    assert 0 < (x != sloppy).sum() <= 8


def test_bad_sizes_raise_lenet_errors() -> None:
    """Images too small to draw raise a one-line LenetError."""
    with pytest.raises(LenetError, match="at least 3"):
        ex.draw_x(2)
    with pytest.raises(LenetError, match="at least 7"):
        ex.draw_o(5)


def test_both_lecture_stacks_agree_after_the_first_layer() -> None:
    """The 28×28 'same' model and the 32×32 'valid' table have the same outputs and parameters per layer."""
    a, b = summarize(LECTURE), summarize(LECTURE32)
    assert [(r.output_shape, r.params) for r in a.rows] == [(r.output_shape, r.params) for r in b.rows]


# --- figures -------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", [pytest.param(name, marks=[pytest.mark.tf] if spec.needs_keras else [])
                                  for name, spec in figures.FIGURES.items()])
def test_every_figure_is_svg_with_alt_text(name: str) -> None:
    """Every site figure renders to well-formed SVG and has a non-trivial alt text."""
    svg = figures.render_figure(name)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert len(figures.figure_alt(name)) > 40


def test_figures_are_reproducible() -> None:
    """The same numbers give byte-identical SVG (no dates, stable ids), so caching and diffs are meaningful."""
    assert figures.render_figure("votes") == figures.render_figure("votes")


def test_alt_texts_carry_the_package_numbers() -> None:
    """The alt texts are written from the numbers: shapes from the calculator, pooled rows, votes."""
    alt = figures.figure_alt("architecture")
    for row in summarize(LECTURE).rows:
        assert f"{row.name} {row.type} {format_shape(row.output_shape)}" in alt
    pooled = ex.lecture_table(ex.max_pool_exact(ex.feature_map_exact(ex.draw_x(), ex.draw_features()["backslash"])))
    assert " / ".join(" ".join(r) for r in pooled) in figures.figure_alt("pooling")
    votes = figures.figure_alt("votes")
    for name, image in ex.vote_inputs().items():
        scores = ex.vote_scores(image)
        assert f"the {name} gets {float(scores['X']):.2f} for X and {float(scores['O']):.2f} for O" in votes


def relative_luminance(rgb: np.ndarray) -> np.ndarray:
    """Return WCAG relative luminance of sRGB colours in [0, 1]."""
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def test_colour_maps_read_without_hue() -> None:
    """Colour-blind safety: the sequential maps' lightness is monotonic, the diverging map's peaks in the middle.

    A reader who cannot tell the hues apart still reads the value from lightness (jet or rainbow would fail).
    """
    samples = np.linspace(0, 1, 65)
    for name in (figure_layout.SEQUENTIAL, figure_layout.PIXELS):
        lum = relative_luminance(plt.get_cmap(name)(samples)[:, :3])
        steps = np.diff(lum)
        assert (steps >= -1e-9).all() or (steps <= 1e-9).all(), name
    lum = relative_luminance(plt.get_cmap(figure_layout.DIVERGING)(samples)[:, :3])
    middle = int(np.argmax(lum))
    assert abs(middle - 32) <= 3
    assert (np.diff(lum[: middle + 1]) >= -1e-3).all() and (np.diff(lum[middle:]) <= 1e-3).all()
    for bad in ("jet", "hsv"):
        lum = relative_luminance(plt.get_cmap(bad)(samples)[:, :3])
        steps = np.diff(lum)
        assert not ((steps >= 0).all() or (steps <= 0).all())


def test_svg_has_no_remote_references() -> None:
    """Figures reference nothing outside themselves (no http links, no external fonts)."""
    svg = figures.render_figure("activations")
    assert not re.search(r"(href|src)=\"https?://", svg)
    assert "@import" not in svg and "@font-face" not in svg


# --- Keras as the oracle ---------------------------------------------------------------------------------


@pytest.mark.tf
@pytest.mark.slow
def test_keras_agrees_on_maps_pooling_and_votes() -> None:
    """Keras Conv2D (kernel = feature/9), 'same' pooling and a Dense layer reproduce the explainer's numbers."""
    import keras

    image = ex.draw_x().astype("float32")[None, :, :, None]  # (1, 9, 9, 1)
    features = ex.draw_features()
    kernel = np.stack([features[n] / 9 for n in ex.FEATURE_NAMES], axis=-1)[:, :, None, :]  # (3, 3, 1, 3)
    conv = keras.layers.Conv2D(3, 3, use_bias=False)
    conv.build((None, 9, 9, 1))
    conv.set_weights([kernel.astype("float32")])
    maps = np.asarray(conv(image))  # (1, 7, 7, 3)
    for i, name in enumerate(ex.FEATURE_NAMES):
        exact = ex.feature_map_exact(ex.draw_x(), features[name])
        assert np.allclose(maps[0, :, :, i], ex.to_float_matrix(exact), atol=1e-6)
        pooled = np.asarray(keras.layers.MaxPooling2D(2, padding="same")(maps[..., i : i + 1]))  # (1, 4, 4, 1)
        assert np.allclose(pooled[0, :, :, 0], ex.to_float_matrix(ex.max_pool_exact(exact)), atol=1e-6)
        averaged = np.asarray(keras.layers.AveragePooling2D(2, padding="same")(maps[..., i : i + 1]))
        assert np.allclose(averaged[0, :, :, 0], ex.to_float_matrix(ex.average_pool_exact(exact)), atol=1e-6)

    weights = ex.vote_weights()
    dense = keras.layers.Dense(2, use_bias=False)
    dense.build((None, 12))
    w = np.array([[float(v) for v in weights[c]] for c in ex.IMAGE_NAMES], dtype="float32").T  # (12, 2)
    dense.set_weights([w])
    for picture in ex.vote_inputs().values():
        vector = np.array([[float(v) for v in ex.stack_image(picture).vector()]], dtype="float32")  # (1, 12)
        out = np.asarray(dense(vector))[0]
        scores = ex.vote_scores(picture)
        assert np.allclose(out, [float(scores[c]) for c in ex.IMAGE_NAMES], atol=1e-6)
