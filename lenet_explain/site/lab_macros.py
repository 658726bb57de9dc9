"""Macros for the invariance lab (docs/lab/index.md): its conventions and its test-set numbers.

Loaded by mkdocs-macros next to :mod:`lenet_explain.site.macros`. The conventions come from
:mod:`lenet_explain.walkthrough.transforms` (the page's script reads the same values from ``lab_data.json``, which a
test holds equal to them); the test-set numbers from the committed ``docs/lab/lab_data.json``.
"""

from __future__ import annotations

import math
from typing import Any

from lenet_explain.site import lab_data
from lenet_explain.site.i18n import translate
from lenet_explain.site.lab_figures import lab_numbers
from lenet_explain.site.macros import in_page_language
from lenet_explain.site.page_html import render_table
from lenet_explain.walkthrough import transforms
from lenet_explain.walkthrough.lecture import PAPER_YEAR

TABLE_SHIFTS = (2, 4, 6)  # the shifts and rotations the table lists, both ways
TABLE_ROTATIONS = (15, 30, 45)


def signed_number(value: float) -> str:
    """A number with a real minus sign (U+2212)."""
    text = f"{abs(value):g}"
    return f"−{text}" if value < 0 else text


def lab_facts() -> dict[str, Any]:
    """Return the lab's conventions and test-set numbers for the page's sentences."""
    data = lab_numbers()
    ranges = {name: {"lo": signed_number(lo), "hi": signed_number(hi), "step": f"{step:g}"}
              for name, (lo, hi, step) in transforms.RANGES.items()}
    curves = {model: {kind: lab_data.accuracy(data, model, kind) for kind in ("shift_x", "shift_y", "rotate")}
              for model in lab_data.MODELS}
    shifts, rotations = data["test"]["shifts"], data["test"]["rotations"]
    return {
        "ranges": ranges, "centre": f"{transforms.CENTRE:g}", "side": transforms.SIDE,
        "sigma": f"{transforms.ELASTIC_SIGMA:g}", "alpha": f"{transforms.ELASTIC_ALPHA:g}",
        "radius": transforms.ELASTIC_RADIUS, "affine": {k: f"{v:g}" for k, v in transforms.PAPER_AFFINE.items()},
        "sweep_steps": transforms.SWEEP_STEPS, "count": f"{data['test']['count']:,}", "k": lab_data.TOP_K,
        "shift_max": shifts[-1], "rotation_max": rotations[-1], "rotation_step": rotations[1] - rotations[0],
        "unit_layers": list(lab_data.UNIT_LAYERS), "default_patch": 4,
        "curves": curves, "at": {"shift": shifts.index(0), "rotate": rotations.index(0)},
        "shifts": shifts, "rotations": rotations, "small_shift": TABLE_SHIFTS[0], "positions": transforms.SIDE + 1,
        "filter": transforms.FILTER, "simard_year": transforms.SIMARD_YEAR, "tolerance": tolerance_text(),
    }


def tolerance_text() -> str:
    """The tests' tolerance for rotation and scaling, as 10 to a power (HTML)."""
    exponent = round(math.log10(transforms.TOLERANCE))
    return f"10<sup>−{abs(exponent)}</sup>" if 10.0 ** exponent == transforms.TOLERANCE else f"{transforms.TOLERANCE:g}"


def percent(value: float) -> str:
    """A test accuracy as a percentage with one decimal."""
    return f"{100 * value:.1f}%"


def lab_accuracy(model: str, kind: str, value: int) -> str:
    """A model's committed test accuracy at one shift (pixels) or rotation (degrees), as a percentage."""
    data = lab_numbers()
    values = data["test"]["rotations"] if kind == "rotate" else data["test"]["shifts"]
    return percent(lab_data.accuracy(data, model, kind)[values.index(value)])


def lab_accuracy_table(language: str = "en") -> str:
    """The figure's numbers as a table: each model's test accuracy unchanged, shifted and rotated both ways."""
    def row(label: str, kind: str, value: int) -> list[str]:
        return [label, *(lab_accuracy(model, kind, value) for model in lab_data.MODELS)]

    rows = [row(translate("unchanged", language), "shift_x", 0)]
    for kind, words in (("shift_x", "{n} px left / right"), ("shift_y", "{n} px up / down")):
        rows += [[translate(words, language, n=n), *(f"{lab_accuracy(m, kind, -n)} / {lab_accuracy(m, kind, n)}"
                                                     for m in lab_data.MODELS)] for n in TABLE_SHIFTS]
    rows += [[translate("{n}° clockwise / counter-clockwise", language, n=n),
              *(f"{lab_accuracy(m, 'rotate', -n)} / {lab_accuracy(m, 'rotate', n)}" for m in lab_data.MODELS)]
             for n in TABLE_ROTATIONS]
    header = [translate("The test digits", language), translate("the lecture's model", language),
              translate("LeNet-5 of {year}", language, year=PAPER_YEAR)]
    caption = translate("Test accuracy on all {count} MNIST test digits, moved or turned as the lab does it.",
                        language, count=lab_facts()["count"])
    return render_table(rows, header=header, caption=caption, id="lab-accuracy", numeric=True)


def define_env(env: Any) -> None:
    """Register the lab's variables and macros with mkdocs-macros."""
    env.variables["lab"] = lab_facts()
    for function in (lab_accuracy, lab_accuracy_table):
        env.macro(in_page_language(function, env), function.__name__)
