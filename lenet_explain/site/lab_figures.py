"""The invariance lab's figure: test accuracy against shift and against rotation, for both reference models.

Drawn from the committed ``docs/lab/lab_data.json`` (``scripts/export_lab_data.py`` computes it), so a build needs
no MNIST and no TensorFlow; :func:`alt_invariance` describes it from the same numbers.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from lenet_explain.site.figure_layout import CELL_FONT, NARROW_MAX_PT, OKABE_ITO, WIDE_MAX_PT, words
from lenet_explain.site.lab_data import DATA_FILE, MODELS, accuracy
from lenet_explain.walkthrough.lecture import PAPER_YEAR

LAB_DIR = Path(__file__).resolve().parents[2] / "docs" / "lab"
COLOURS = {"lecture": OKABE_ITO["blue"], "lenet1998": OKABE_ITO["vermillion"]}
STYLES = {"shift_x": "-", "shift_y": "--", "rotate": "-"}
MARKERS = {"lecture": "o", "lenet1998": "s"}


@cache
def lab_numbers() -> dict[str, Any]:
    """Return the committed lab data (read once per build)."""
    return json.loads((LAB_DIR / DATA_FILE).read_text())


def model_words(model: str) -> str:
    """A model's name in the figure's language."""
    return words("lab_model_" + model, year=PAPER_YEAR)


def _percent(value: float, _: object = None) -> str:
    return f"{100 * value:.0f}%"


def draw_invariance(narrow: bool = False) -> Figure:
    """Draw accuracy against shift (along x and y) and against rotation, one line per model and kind."""
    data = lab_numbers()
    width = NARROW_MAX_PT if narrow else WIDE_MAX_PT
    panel_h = 150.0
    height = (2 * panel_h + 190) if narrow else (panel_h + 120)
    fig = Figure(figsize=(width / 72, height / 72))
    if narrow:
        axes = [fig.add_axes((0.16, 0.67, 0.8, 0.3)), fig.add_axes((0.16, 0.2, 0.8, 0.3))]
    else:
        axes = [fig.add_axes((0.09, 0.45, 0.4, 0.52)), fig.add_axes((0.58, 0.45, 0.4, 0.52))]
    shifts, rotations = data["test"]["shifts"], data["test"]["rotations"]
    for model in MODELS:
        for kind in ("shift_x", "shift_y"):
            axes[0].plot(shifts, accuracy(data, model, kind), STYLES[kind], color=COLOURS[model], marker=MARKERS[model],
                         markersize=3, label=model_words(model) + " · " + words("lab_" + kind))
        axes[1].plot(rotations, accuracy(data, model, "rotate"), "-", color=COLOURS[model], marker=MARKERS[model],
                     markersize=3, label=model_words(model))
    axes[0].set_xlabel(words("lab_shift_axis"))
    axes[1].set_xlabel(words("lab_rotate_axis"))
    for ax in axes:
        ax.set_ylim(0, 1)
        ax.set_ylabel(words("lab_accuracy_axis"))
        ax.yaxis.set_major_formatter(FuncFormatter(_percent))
        ax.grid(True, linewidth=0.4, alpha=0.5)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=CELL_FONT, frameon=False)
    return fig


def alt_invariance() -> str:
    """Describe the figure: each model's accuracy at no change and at the ends of each range."""
    data = lab_numbers()
    shifts, rotations = data["test"]["shifts"], data["test"]["rotations"]
    parts = []
    for model in MODELS:
        sx, sy, rot = (accuracy(data, model, k) for k in ("shift_x", "shift_y", "rotate"))
        parts.append(words("alt_lab_model", model=model_words(model), none=_percent(sx[shifts.index(0)]),
                           x_lo=_percent(sx[0]), x_hi=_percent(sx[-1]), y_lo=_percent(sy[0]), y_hi=_percent(sy[-1]),
                           shift=shifts[-1], r_lo=_percent(rot[0]), r_hi=_percent(rot[-1]), angle=rotations[-1]))
    return words("alt_lab_invariance", count=f"{data['test']['count']:,}", parts=words("alt_semicolon").join(parts))
