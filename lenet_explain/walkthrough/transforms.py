"""Transforms of a 28×28 digit, as the invariance lab (docs/lab/) applies them, and their conventions as data.

A digit is 28×28 values, row by row, 0 background to 1 ink (MNIST ÷ 255). The lab applies its transforms in the
order of :data:`ORDER`: stroke thickness, the elastic distortion, one bilinear resampling for the random affine
distortion, scaling and rotation (all about the image centre), then the whole-pixel shift, then noise. Rotation is
about the centre of the picture, (13.5, 13.5) in pixel indices, positive angles counter-clockwise as seen on the
screen (rows grow downwards); resampling is bilinear, reading 0 outside the picture. A whole-pixel shift is exact:
dx > 0 moves the digit right, dy > 0 down, and the pixels that come in are 0.

This module holds the conventions the page and its texts read (the page gets them through ``docs/lab/lab_data.json``)
and numpy versions of the shift and the resampling, which the test-set curves use (the page has its own, in
``docs/lab/transforms.js``; tests check both against Pillow). Pure numpy, no TensorFlow.
"""

from __future__ import annotations

import math

import numpy as np

SIDE = 28  # pixels per side of a digit
CENTRE = (SIDE - 1) / 2  # the centre of the picture in pixel indices: rotation and scaling are about it
ORDER = ("thickness", "elastic", "affine", "scale", "rotate", "shift", "noise")  # the order transforms are applied in
# The controls' ranges: (lowest, highest, step).
RANGES: dict[str, tuple[float, float, float]] = {
    "dx": (-6, 6, 1), "dy": (-6, 6, 1),  # whole pixels
    "rotate": (-45, 45, 1),  # degrees, counter-clockwise
    "scale": (0.5, 1.5, 0.05),
    "thickness": (-2, 2, 1),  # passes of a 3×3 minimum (thinner) or maximum (thicker) filter
    "noise": (0, 0.5, 0.05),  # the standard deviation of the Gaussian noise, in units of full ink
    "affine": (0, 1, 0.1),  # the strength of the 1998 paper's random affine distortion (1: the full ranges below)
    "elastic": (0, 40, 2),  # α of Simard et al.'s elastic distortion, in pixels
}
DEFAULTS = {"dx": 0, "dy": 0, "rotate": 0, "scale": 1, "thickness": 0, "noise": 0, "affine": 0, "elastic": 0, "seed": 1}
SWEEP_STEPS = 13  # points of a sweep across one transform's range
FILTER = 3  # the thickness filter's window: 3×3
TOLERANCE = 1e-5  # tests/test_lab.py: the page's rotation and scaling against Pillow's, per pixel
# Simard, Steinkraus and Platt (2003), section 2: a displacement field of uniform random numbers in [−1, 1] per pixel
# and axis, smoothed by a Gaussian of standard deviation σ, scaled by α; they found σ = 4 and α = 34 right for MNIST.
SIMARD_YEAR = 2003
ELASTIC_SIGMA = 4.0
ELASTIC_ALPHA = 34.0
ELASTIC_RADIUS = 3  # the Gaussian kernel reaches 3σ either side; the field is 0 outside the picture
# The 1998 paper (section III.C) names its distortions — horizontal and vertical translations, scaling, squeezing
# (compressing one axis while stretching the other) and horizontal shearing — but not their ranges; these are ours.
# At strength 1 each is drawn uniformly within ± its amount.
PAPER_AFFINE = {"translate": 2.0, "scale": 0.15, "squeeze": 0.15, "shear": 0.3}
# The seeded generator's streams (docs/train/engine.js's LenetEngine.random(seed, stream)).
STREAMS = {"elastic": 101, "affine": 102, "noise": 103}
# The test-set curves (scripts/export_lab_data.py): shifts along one axis, rotations.
TEST_SHIFTS = tuple(range(-6, 7))
TEST_ROTATIONS = tuple(range(-45, 46, 5))


def conventions() -> dict[str, object]:
    """Return the lab's conventions as JSON-ready data (the page reads them; the pages' texts say them)."""
    return {
        "side": SIDE, "centre": CENTRE, "order": list(ORDER),
        "ranges": {name: list(r) for name, r in RANGES.items()}, "defaults": DEFAULTS, "sweep_steps": SWEEP_STEPS,
        "elastic": {"sigma": ELASTIC_SIGMA, "alpha": ELASTIC_ALPHA, "radius": ELASTIC_RADIUS},
        "paper_affine": PAPER_AFFINE, "streams": STREAMS, "resampling": "bilinear", "rotation": "counter-clockwise",
    }


def shift(images: np.ndarray, dx: int, dy: int) -> np.ndarray:
    """Return digits (N, 28, 28) moved by whole pixels, dx right and dy down, with 0 coming in."""
    out = np.zeros_like(images)
    h, w = images.shape[-2:]
    if abs(dx) >= w or abs(dy) >= h:
        return out
    src_rows = slice(max(0, -dy), h - max(0, dy))
    dst_rows = slice(max(0, dy), h - max(0, -dy))
    src_cols = slice(max(0, -dx), w - max(0, dx))
    dst_cols = slice(max(0, dx), w - max(0, -dx))
    out[..., dst_rows, dst_cols] = images[..., src_rows, src_cols]
    return out


def forward_matrix(rotate: float = 0.0, scale: float = 1.0) -> np.ndarray:
    """Return the 2×2 matrix taking (x, y) about the centre (y down) to where scaling then rotation put it."""
    theta = math.radians(rotate)
    c, s = math.cos(theta), math.sin(theta)
    return scale * np.array([[c, s], [-s, c]])  # counter-clockwise on the screen, rows growing downwards


def resample(images: np.ndarray, matrix: np.ndarray, offset: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """Return digits (N, 28, 28) moved by ``matrix`` about the centre then by ``offset`` (x, y), bilinear, 0 outside.

    Output pixel (row, col) reads the input at centre + matrix⁻¹ · ((col, row) − centre − offset).
    """
    values = images.astype(np.float64)
    h, w = values.shape[1:]
    inverse = np.linalg.inv(matrix)
    rows, cols = np.mgrid[0:h, 0:w].astype(np.float64)
    u, v = cols - CENTRE - offset[0], rows - CENTRE - offset[1]
    x = CENTRE + inverse[0, 0] * u + inverse[0, 1] * v
    y = CENTRE + inverse[1, 0] * u + inverse[1, 1] * v
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    fx, fy = x - x0, y - y0
    out = np.zeros_like(values)
    for dy, wy in ((0, 1 - fy), (1, fy)):
        for dx, wx in ((0, 1 - fx), (1, fx)):
            yy, xx = y0 + dy, x0 + dx
            inside = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
            weight = np.where(inside, wy * wx, 0.0)
            out += weight * values[:, np.clip(yy, 0, h - 1), np.clip(xx, 0, w - 1)]
    return out.astype(np.float32)


def rotate(images: np.ndarray, degrees: float) -> np.ndarray:
    """Return digits (N, 28, 28) in [0, 1] rotated about the centre, counter-clockwise, bilinear."""
    return resample(images, forward_matrix(rotate=degrees))
