"""The learn page's plateau measurements (docs/learn/plateau.json): current, reproducible, and what the figure draws.

The file is made by scripts/measure_plateau.py (the train page's engine in node). Checked here: its inputs have not
changed since (sha256), the first steps rerun in node give the same numbers, a broken measurement is refused, and
the figure's lines and alt text and the section's numbers are the file's.
"""

from __future__ import annotations

import copy

import pytest

from lenet_explain.errors import LenetError
from lenet_explain.site import learn_data, learn_figures, learn_macros
from lenet_explain.site.i18n import translate
from lenet_explain.site.terms_zh import find_english, find_halfwidth, find_variants

RERUN_STEPS = 20  # the first steps rerun in node: two probes and three measurements of the layers


@pytest.fixture(scope="module")
def plateau() -> dict:
    return learn_data.read_plateau()


def test_the_measurement_is_current(plateau: dict) -> None:
    """Every input (engine, manifest, data, both scripts) is the one measured: else rerun the script."""
    assert set(plateau["inputs"]) == set(learn_data.INPUTS)
    assert learn_data.stale_inputs(plateau) == [], "stale: run scripts/measure_plateau.py"


def test_the_first_steps_rerun_in_node_give_the_same_numbers(plateau: dict) -> None:
    """The measurement is deterministic: node reruns the first steps and every number is the committed one."""
    every = plateau["probe_every"]
    rerun = learn_data.run_measurement(RERUN_STEPS, every)
    for key in ("probe_digits", "shards", "seed", "batch_size", "learning_rate"):
        assert rerun[key] == plateau[key], key
    for model in learn_data.MODELS:
        new, old = rerun["models"][model], plateau["models"][model]
        assert new["loss"] == old["loss"][:RERUN_STEPS], model
        count = len(new["at"])
        assert new["at"] == old["at"][:count] and count == 1 + RERUN_STEPS // every
        for a, b in zip(new["layers"], old["layers"], strict=True):
            assert a["name"] == b["name"] and a["count"] == b["count"]
            for series in learn_data.SERIES:
                assert a[series] == b[series][:count], (model, a["name"], series)
        assert new["probes"] == old["probes"][: len(new["probes"])], model


def test_a_broken_measurement_is_refused(plateau: dict) -> None:
    """check_plateau catches a missing step, layer value or probe."""
    for damage in ("loss", "layer", "probe"):
        broken = copy.deepcopy(plateau)
        run = broken["models"]["lecture"]
        if damage == "loss":
            run["loss"].pop()
        elif damage == "layer":
            run["layers"][2]["ratio"].pop()
        else:
            run["probes"].pop(3)
        with pytest.raises(LenetError, match="lecture"):
            learn_data.check_plateau(broken)


@pytest.mark.parametrize("narrow", [False, True])
def test_the_figure_draws_the_measured_numbers(plateau: dict, narrow: bool) -> None:
    """Each line of the figure is a series of plateau.json, at its steps."""
    fig = learn_figures.draw_plateau(narrow=narrow)
    axes = fig.axes
    for ax, model in zip(axes[:2], learn_data.MODELS, strict=True):
        run = plateau["models"][model]
        lines = [line for line in ax.get_lines() if len(line.get_xdata()) > 2]
        expected = [(run["at"], layer[series]) for layer in run["layers"] for series in ("grad", "step")]
        assert [(list(line.get_xdata()), list(line.get_ydata())) for line in lines] == expected
    for ax, series in zip(axes[2:4], ("spread", "loss"), strict=True):
        lines = [line for line in ax.get_lines() if len(line.get_xdata()) > 2]
        expected = [([p["step"] for p in plateau["models"][m]["probes"]],
                     [p[series] for p in plateau["models"][m]["probes"]]) for m in learn_data.MODELS]
        assert [(list(line.get_xdata()), list(line.get_ydata())) for line in lines] == expected


def test_the_alt_text_and_the_section_numbers_are_the_measurement(plateau: dict) -> None:
    """The alt text (both languages) and the macros' numbers come from plateau.json; the Chinese keeps the terms."""
    grads = plateau["models"]["lecture"]["layers"]
    c1, output = learn_figures.sci(grads[0]["grad"][0]), learn_figures.sci(grads[-1]["grad"][0])
    numbers = learn_macros.plateau_numbers()
    assert numbers["grad"]["lecture"]["C1"] == c1 and numbers["grad"]["lecture"]["output"] == output
    assert numbers["spread0"]["lecture"] == learn_figures.sci(plateau["models"]["lecture"]["probes"][0]["spread"])
    leave = numbers["leave"]["lecture"]
    loss = {p["step"]: p["loss"] for p in plateau["models"]["lecture"]["probes"]}
    assert loss[leave] < learn_data.LEAVE_LOSS <= min(v for s, v in loss.items() if s < leave)
    for language in ("en", "zh"):
        token = learn_figures.LANGUAGE.set(language)
        try:
            alt = learn_figures.alt_plateau()
        finally:
            learn_figures.LANGUAGE.reset(token)
        assert c1 in alt and output in alt and f"{leave}" in alt
        if language == "zh":
            assert not find_variants(alt) and not find_halfwidth(alt) and not find_english(alt), alt
            caption = learn_macros.plateau_caption("zh")
            assert not find_variants(caption) and not find_halfwidth(caption) and not find_english(caption)
    assert translate("step", "zh") != "step"
