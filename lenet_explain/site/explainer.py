"""The lecture's worked example: an X in a 9×9 image, three 3×3 features, feature maps, pooling and a vote.

Everything here returns data (numpy arrays, exact :class:`fractions.Fraction` values, dataclasses); the figures
(:mod:`lenet_explain.site.explainer_figures`) and the macros (:mod:`lenet_explain.site.explainer_macros`) render it.
Pixels are +1 (ink) and −1 (background), as in the lecture. A feature map holds, at every position,
the mean of the element-wise products of the feature and the image patch under it: 1 for a perfect
match, −1 for a perfect mismatch. The lecture prints these means cut (not rounded) to two decimals,
so 7/9 = 0.777… shows as 0.77; :func:`truncate` and :func:`format_lecture` reproduce that.

Output sizes come from the calculator (:func:`lenet_explain.calculator.arithmetic.output_size`), never from a
formula of this module's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from lenet_explain.calculator.arithmetic import AxisSize, output_size
from lenet_explain.errors import LenetError

IMAGE_SIZE = 9
FEATURE_SIZE = 3
POOL_SIZE = 2
POOL_STRIDE = 2
LECTURE_PLACES = 2
MINUS = "−"

FEATURE_NAMES = ("backslash", "x", "slash")
FEATURE_LABELS = {"backslash": "the '\\' diagonal", "x": "the small X", "slash": "the '/' diagonal"}
FEATURE_SYMBOLS = {"backslash": "'\\'", "x": "'x'", "slash": "'/'"}
IMAGE_NAMES = ("X", "O")


def draw_x(size: int = IMAGE_SIZE) -> np.ndarray:
    """Return the lecture's X: +1 on both diagonals inside a one-pixel −1 border, −1 elsewhere."""
    if size < 3:
        raise LenetError(f"an X image needs a size of at least 3, got {size}")
    image = -np.ones((size, size), dtype=np.int64)  # (size, size)
    for i in range(1, size - 1):
        image[i, i] = 1
        image[i, size - 1 - i] = 1
    return image


def draw_o(size: int = IMAGE_SIZE) -> np.ndarray:
    """Return an O: +1 on a ring (flat sides, cut corners) inside a one-pixel −1 border, −1 elsewhere."""
    if size < 7:
        raise LenetError(f"an O image needs a size of at least 7, got {size}")
    image = -np.ones((size, size), dtype=np.int64)  # (size, size)
    first, last = 1, size - 2
    image[first, 3 : size - 3] = 1  # top edge
    image[last, 3 : size - 3] = 1  # bottom edge
    image[3 : size - 3, first] = 1  # left edge
    image[3 : size - 3, last] = 1  # right edge
    for r, c in ((2, 2), (2, size - 3), (size - 3, 2), (size - 3, size - 3)):
        image[r, c] = 1  # the four cut corners
    return image


def draw_features() -> dict[str, np.ndarray]:
    """Return the lecture's three 3×3 features: '\\' diagonal, small X and '/' diagonal."""
    backslash = np.where(np.eye(FEATURE_SIZE, dtype=bool), 1, -1).astype(np.int64)  # (3, 3)
    slash = backslash[:, ::-1].copy()  # (3, 3)
    small_x = np.where((backslash == 1) | (slash == 1), 1, -1).astype(np.int64)  # (3, 3)
    return {"backslash": backslash, "x": small_x, "slash": slash}


def draw_images() -> dict[str, np.ndarray]:
    """Return the example images by name: the lecture's X and an O."""
    return {"X": draw_x(), "O": draw_o()}


def match_sums(image: np.ndarray, feature: np.ndarray) -> np.ndarray:
    """Return the sum of the element-wise products at every position where ``feature`` fits ('valid')."""
    image = np.asarray(image)
    feature = np.asarray(feature)
    rows = output_size(image.shape[0], feature.shape[0]).output
    cols = output_size(image.shape[1], feature.shape[1]).output
    kh, kw = feature.shape
    sums = np.zeros((rows, cols), dtype=np.int64)  # (rows, cols)
    for r in range(rows):
        for c in range(cols):
            sums[r, c] = int(np.sum(image[r : r + kh, c : c + kw] * feature))
    return sums


def feature_map(image: np.ndarray, feature: np.ndarray) -> np.ndarray:
    """Return the feature map as floats: the mean of the element-wise products at every position."""
    return match_sums(image, feature) / np.asarray(feature).size


def feature_map_exact(image: np.ndarray, feature: np.ndarray) -> list[list[Fraction]]:
    """Return the feature map as exact fractions (sum of products over the number of pixels)."""
    count = int(np.asarray(feature).size)
    return [[Fraction(int(v), count) for v in row] for row in match_sums(image, feature)]


def truncate(value: Fraction, places: int = LECTURE_PLACES) -> Fraction:
    """Cut ``value`` to ``places`` decimals toward zero, as the lecture prints (7/9 → 0.77, −1/9 → −0.11)."""
    scale = 10**places
    return Fraction(int(Fraction(value) * scale), scale)


def format_lecture(value: Fraction, places: int = LECTURE_PLACES, minus: str = MINUS) -> str:
    """Return ``value`` cut to ``places`` decimals and printed with all of them ('0.77', '−0.11', '1.00')."""
    cut = truncate(value, places)
    sign = minus if cut < 0 else ""
    scaled = abs(cut.numerator * 10**places // cut.denominator)
    whole, decimals = divmod(scaled, 10**places)
    return f"{sign}{whole}.{decimals:0{places}d}" if places else f"{sign}{whole}"


def format_fraction(value: Fraction, minus: str = MINUS) -> str:
    """Return an exact fraction as text: '7/9', '−1/9', '1', '0'."""
    sign = minus if value < 0 else ""
    value = abs(value)
    if value.denominator == 1:
        return f"{sign}{value.numerator}"
    return f"{sign}{value.numerator}/{value.denominator}"


def format_over(value: Fraction, denominator: int, minus: str = MINUS) -> str:
    """Return ``value`` as a fraction over ``denominator`` without reducing it: 3/9 stays '3/9', 1 is '9/9'."""
    numerator = Fraction(value) * denominator
    if numerator.denominator != 1:
        raise LenetError(f"{value} is not a whole number of 1/{denominator}")
    sign = minus if numerator < 0 else ""
    return f"{sign}{abs(numerator.numerator)}/{denominator}"


def sign_labels(matrix: Any) -> list[list[str]]:
    """Return ±1 pixels as '+1' / '−1' labels."""
    return [["+1" if v > 0 else f"{MINUS}1" for v in row] for row in np.asarray(matrix)]


def lecture_table(values: list[list[Fraction]], minus: str = MINUS) -> list[list[str]]:
    """Return a matrix of fractions as the lecture prints it (two decimals, cut)."""
    return [[format_lecture(v, minus=minus) for v in row] for row in values]


@dataclass(frozen=True)
class MatchStep:
    """One position of a feature map worked out: the patch, the products, their sum and mean."""

    row: int
    col: int
    patch: np.ndarray  # (3, 3) image pixels under the feature
    feature: np.ndarray  # (3, 3)
    products: np.ndarray  # (3, 3) element-wise products
    total: int
    count: int

    @property
    def mean(self) -> Fraction:
        """The value of the feature map at this position."""
        return Fraction(self.total, self.count)

    @property
    def matches(self) -> int:
        """How many of the products are +1 (pixel and feature agree)."""
        return int(np.sum(self.products == 1))


def match_step(image: np.ndarray, feature: np.ndarray, row: int, col: int) -> MatchStep:
    """Return the worked computation of the feature map at (``row``, ``col``)."""
    kh, kw = np.asarray(feature).shape
    rows, cols = np.asarray(image).shape[0] - kh + 1, np.asarray(image).shape[1] - kw + 1
    if not (0 <= row < rows and 0 <= col < cols):
        raise LenetError(f"position ({row}, {col}) is outside the {rows}×{cols} feature map")
    patch = np.asarray(image)[row : row + kh, col : col + kw].copy()  # (3, 3)
    products = patch * np.asarray(feature)  # (3, 3)
    return MatchStep(row, col, patch, np.asarray(feature).copy(), products, int(products.sum()), int(products.size))


def pool_axis(size: int, pool: int = POOL_SIZE, stride: int = POOL_STRIDE, ceil_mode: bool = True) -> AxisSize:
    """Return the calculator's account of pooling one axis (ceil mode keeps the partial edge window)."""
    return output_size(size, pool, stride, op="maxpool", ceil_mode=ceil_mode)


def pool_windows(size: int, pool: int = POOL_SIZE, stride: int = POOL_STRIDE, ceil_mode: bool = True
                 ) -> list[tuple[int, int]]:
    """Return each pooling window of an axis as (start, stop), a partial last window cut at the edge."""
    count = pool_axis(size, pool, stride, ceil_mode).output
    return [(i * stride, min(i * stride + pool, size)) for i in range(count)]


def _pool(values: Any, reduce: str, pool: int, stride: int, ceil_mode: bool) -> Any:
    """Pool a 2-D matrix (numbers or Fractions) with max or mean over each (possibly partial) window."""
    grid = np.asarray(values, dtype=object)  # (rows, cols)
    row_windows = pool_windows(grid.shape[0], pool, stride, ceil_mode)
    col_windows = pool_windows(grid.shape[1], pool, stride, ceil_mode)
    out = []
    for r0, r1 in row_windows:
        line = []
        for c0, c1 in col_windows:
            cells = list(grid[r0:r1, c0:c1].ravel())
            line.append(max(cells) if reduce == "max" else sum(cells, Fraction(0)) / len(cells))
        out.append(line)
    return out


def max_pool_exact(values: list[list[Fraction]], pool: int = POOL_SIZE, stride: int = POOL_STRIDE,
                   ceil_mode: bool = True) -> list[list[Fraction]]:
    """Return max pooling of exact values; with ``ceil_mode`` the partial edge windows are kept."""
    return _pool(values, "max", pool, stride, ceil_mode)


def average_pool_exact(values: list[list[Fraction]], pool: int = POOL_SIZE, stride: int = POOL_STRIDE,
                       ceil_mode: bool = True) -> list[list[Fraction]]:
    """Return average pooling of exact values; a partial window averages the pixels it covers."""
    exact = [[Fraction(v) for v in row] for row in values]
    return _pool(exact, "mean", pool, stride, ceil_mode)


def max_pool(values: np.ndarray, pool: int = POOL_SIZE, stride: int = POOL_STRIDE,
             ceil_mode: bool = True) -> np.ndarray:
    """Return max pooling of a float matrix (partial edge windows kept with ``ceil_mode``)."""
    return np.array(_pool(np.asarray(values, dtype=float), "max", pool, stride, ceil_mode), dtype=float)


def relu_exact(values: list[list[Fraction]]) -> list[list[Fraction]]:
    """Return ReLU of exact values: negatives become 0."""
    return [[max(v, Fraction(0)) for v in row] for row in values]


def relu(values: np.ndarray) -> np.ndarray:
    """Return ReLU: max(x, 0) element by element."""
    return np.maximum(np.asarray(values, dtype=float), 0.0)


def sigmoid(values: np.ndarray) -> np.ndarray:
    """Return the logistic sigmoid 1/(1 + e^(−x)), the activation of the lecture's model."""
    return 1.0 / (1.0 + np.exp(-np.asarray(values, dtype=float)))


# --- Deep stacking and the fully connected vote -------------------------------------------------


@dataclass(frozen=True)
class StageMaps:
    """The maps of one image through convolution → ReLU → max pool → max pool, per feature (exact)."""

    convolved: dict[str, list[list[Fraction]]]  # 7×7 per feature
    rectified: dict[str, list[list[Fraction]]]  # 7×7 per feature
    pooled: dict[str, list[list[Fraction]]]  # 4×4 per feature
    pooled_again: dict[str, list[list[Fraction]]]  # 2×2 per feature

    def vector(self) -> list[Fraction]:
        """The values that vote: every feature's last map, row by row, features in order."""
        return [v for name in FEATURE_NAMES for row in self.pooled_again[name] for v in row]


def stack_image(image: np.ndarray) -> StageMaps:
    """Run ``image`` through convolution (three features) → ReLU → 2×2 max pool → 2×2 max pool."""
    features = draw_features()
    convolved = {name: feature_map_exact(image, features[name]) for name in FEATURE_NAMES}
    rectified = {name: relu_exact(convolved[name]) for name in FEATURE_NAMES}
    pooled = {name: max_pool_exact(rectified[name]) for name in FEATURE_NAMES}
    again = {name: max_pool_exact(pooled[name]) for name in FEATURE_NAMES}
    return StageMaps(convolved, rectified, pooled, again)


def vote_positions() -> list[tuple[str, int, int]]:
    """Return where every voting value comes from: feature name, row and column (from 1) in the last map."""
    sample = stack_image(draw_x()).pooled_again
    return [(name, r + 1, c + 1) for name in FEATURE_NAMES for r, row in enumerate(sample[name])
            for c, _ in enumerate(row)]


def vote_labels() -> list[str]:
    """Return a label for every voting value: feature name and its (row, column) in the last map."""
    return [f"{FEATURE_SYMBOLS[name]} map ({row},{col})" for name, row, col in vote_positions()]


def vote_weights() -> dict[str, list[Fraction]]:
    """Return the fully connected weights: each class votes with its own prototype's values, summing to 1.

    The weight of value i for class X is what the perfect X gives at i, divided by the sum of those
    values; likewise for O. A value that is high for the X and low for the O is a strong vote for X.
    """
    weights = {}
    for name, image in draw_images().items():
        vector = stack_image(image).vector()
        total = sum(vector, Fraction(0))
        weights[name] = [v / total for v in vector]
    return weights


def vote_scores(image: np.ndarray) -> dict[str, Fraction]:
    """Return each class's vote for ``image``: the weighted sum of its values (a fully connected layer)."""
    vector = stack_image(image).vector()
    return {name: sum((v * w for v, w in zip(vector, weights, strict=True)), Fraction(0))
            for name, weights in vote_weights().items()}


def draw_sloppy_x(size: int = IMAGE_SIZE) -> np.ndarray:
    """Return an imperfect X: the lecture's X with its top-right arm moved one pixel to the left."""
    image = draw_x(size)  # (size, size)
    for i in range(1, (size - 1) // 2):
        image[i, size - 1 - i] = -1
        image[i, size - 2 - i] = 1
    return image


def vote_inputs() -> dict[str, np.ndarray]:
    """Return the images whose votes the site shows: the X, the O and a sloppy X."""
    return {"X": draw_x(), "O": draw_o(), "sloppy X": draw_sloppy_x()}


def vote_winner(scores: dict[str, Fraction]) -> str:
    """Return the class with the highest vote."""
    return max(scores, key=lambda name: scores[name])


def to_float_matrix(values: list[list[Fraction]]) -> np.ndarray:
    """Return a matrix of Fractions as a float array."""
    return np.array([[float(v) for v in row] for row in values], dtype=float)


# --- Step by step: every window in reading order (for the pages' steppers) -------------------------------------


def conv_steps(image: np.ndarray, feature: np.ndarray) -> list[MatchStep]:
    """Return every position of the feature map worked out, in reading order (row by row, left to right)."""
    sums = match_sums(image, feature)  # (rows, cols): only for the map's size
    return [match_step(image, feature, r, c) for r in range(sums.shape[0]) for c in range(sums.shape[1])]


@dataclass(frozen=True)
class PoolWindow:
    """One pooling window worked out: where it lies on the map, the values it covers and the winner."""

    row: int  # the output's row (from 0)
    col: int
    rows: tuple[int, int]  # the map's rows it covers, [start, stop) — fewer than the pool size at a cut edge
    cols: tuple[int, int]
    pool: int  # the full window's side; a window at a cut edge covers fewer rows or columns
    values: tuple[Fraction, ...]  # the covered cells, row by row
    value: Fraction  # the largest of them

    @property
    def partial(self) -> bool:
        """Whether the window hangs over the edge of the map and covers fewer cells than a full one."""
        return self.rows[1] - self.rows[0] < self.pool or self.cols[1] - self.cols[0] < self.pool

    @property
    def winners(self) -> tuple[tuple[int, int], ...]:
        """The map positions (row, column from 0) whose value is the maximum (more than one on a tie)."""
        width = self.cols[1] - self.cols[0]
        return tuple((self.rows[0] + i // width, self.cols[0] + i % width)
                     for i, v in enumerate(self.values) if v == self.value)


def pool_steps(values: list[list[Fraction]], pool: int = POOL_SIZE, stride: int = POOL_STRIDE,
               ceil_mode: bool = True) -> list[PoolWindow]:
    """Return every max-pooling window in reading order; with ``ceil_mode`` the partial edge windows are kept."""
    grid = np.asarray(values, dtype=object)  # (rows, cols)
    out = []
    for i, (r0, r1) in enumerate(pool_windows(grid.shape[0], pool, stride, ceil_mode)):
        for j, (c0, c1) in enumerate(pool_windows(grid.shape[1], pool, stride, ceil_mode)):
            cells = tuple(Fraction(v) for v in grid[r0:r1, c0:c1].ravel())
            out.append(PoolWindow(i, j, (r0, r1), (c0, c1), pool, cells, max(cells)))
    return out
