"""The data behind the steppers, the C3 unit and the receptive fields: the pages' own computations, Keras as oracle.

The steppers (docs/steppers/steppers.js) compute nothing; everything they show is made here at build time. These
tests hold that data against the explainer's tables, the calculator's receptive fields, and Keras: the C3 unit
against the reference model's own layer outputs, the receptive fields against TensorFlow's gradients (the input
pixels a unit depends on are exactly the ones its field covers).
"""

from __future__ import annotations

import json
import re
from fractions import Fraction

import numpy as np
import pytest

from lenet_explain.calculator.arithmetic import summarize
from lenet_explain.calculator.stacks import LECTURE, LECTURE32
from lenet_explain.errors import LenetError
from lenet_explain.site import explainer as ex
from lenet_explain.site import receptive, steppers
from lenet_explain.site.figure_layout import _luminance

# --- Convolution and pooling, window by window -----------------------------------------------------------------


@pytest.mark.parametrize("image", ex.IMAGE_NAMES)
@pytest.mark.parametrize("feature", ex.FEATURE_NAMES)
def test_convolution_steps_are_the_map_in_reading_order(image: str, feature: str) -> None:
    picture, kernel = ex.draw_images()[image], ex.draw_features()[feature]
    exact = ex.feature_map_exact(picture, kernel)
    steps = ex.conv_steps(picture, kernel)
    assert [(s.row, s.col) for s in steps] == [(r, c) for r in range(len(exact)) for c in range(len(exact[0]))]
    assert [s.mean for s in steps] == [v for row in exact for v in row]


def test_the_first_window_is_said_as_the_lecture_prints_it() -> None:
    data = steppers.convolution_data()
    assert data["maps"]["X"]["backslash"][0]["say"] == "row 1, column 1: 7/9 = 0.77"
    assert steppers.first_say("convolution", data) == "row 1, column 1: 7/9 = 0.77"


@pytest.mark.parametrize("image", ex.IMAGE_NAMES)
@pytest.mark.parametrize("feature", ex.FEATURE_NAMES)
def test_every_convolution_window_says_its_position_and_the_lecture_value(image: str, feature: str) -> None:
    windows = steppers.convolution_data()["maps"][image][feature]
    exact = ex.feature_map_exact(ex.draw_images()[image], ex.draw_features()[feature])
    printed = ex.lecture_table(exact)
    for w in windows:
        value = exact[w["row"]][w["col"]]
        where = f"row {w['row'] + 1}, column {w['col'] + 1}"
        assert w["say"] == f"{where}: {ex.format_over(value, 9)} = {printed[w['row']][w['col']]}"
        assert Fraction(int(w["total"].replace("−", "-")), w["count"]) == value
        assert sum(w["products"]) == int(w["total"].replace("−", "-"))
        assert w["matches"] == w["products"].count(1)


@pytest.mark.parametrize("ceil_mode", [True, False])
@pytest.mark.parametrize("feature", ex.FEATURE_NAMES)
def test_pool_steps_are_the_pooled_map(feature: str, ceil_mode: bool) -> None:
    for image in ex.draw_images().values():
        exact = ex.feature_map_exact(image, ex.draw_features()[feature])
        pooled = ex.max_pool_exact(exact, ceil_mode=ceil_mode)
        windows = ex.pool_steps(exact, ceil_mode=ceil_mode)
        assert [w.value for w in windows] == [v for row in pooled for v in row]
        side = len(pooled)
        for w in windows:
            assert w.partial == (ceil_mode and (w.row == side - 1 or w.col == side - 1))  # 7 is odd: the last ones
            assert all(exact[r][c] == w.value for r, c in w.winners) and w.winners
            assert len(w.winners) == sum(v == w.value for v in w.values)


@pytest.mark.parametrize("image", ex.IMAGE_NAMES)
def test_every_pooling_window_says_the_lecture_values_it_compares(image: str) -> None:
    data = steppers.pooling_data()
    for feature in ex.FEATURE_NAMES:
        exact = ex.feature_map_exact(ex.draw_images()[image], ex.draw_features()[feature])
        entry = data["maps"][image][feature]
        assert entry["cells"] == ex.lecture_table(exact)
        for rule, ceil in steppers.EDGE_RULES.items():
            pooled = ex.lecture_table(ex.max_pool_exact(exact, ceil_mode=ceil))
            windows = entry["windows"][rule]
            assert len(windows) == entry["columns"][rule] ** 2 == len(pooled) ** 2
            for w in windows:
                cells = [ex.format_lecture(exact[r][c]) for r in range(*w["rows"]) for c in range(*w["cols"])]
                said = re.fullmatch(r"row (\d+), column (\d+): max\(([^)]*)\) = (\S+?)(, a partial window.*)?",
                                    w["say"])
                assert said, w["say"]
                assert (int(said[1]), int(said[2])) == (w["row"] + 1, w["col"] + 1)
                assert said[3].split(", ") == cells == w["values"]
                assert said[4] == w["value"] == pooled[w["row"]][w["col"]]
                assert bool(said[5]) == w["partial"]


def test_stepper_colours_are_the_sites_and_readable() -> None:
    """Every coloured cell's text has at least 4.5:1 contrast; negative is purple, positive orange."""
    palettes = [steppers.convolution_data()["palette"], steppers.pooling_data()["palette"]]
    for palette in palettes:
        for text, (background, foreground) in palette.items():
            rgb = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
            fg = [int(foreground[i : i + 2], 16) / 255 for i in (1, 3, 5)]
            light, dark = sorted([_luminance(rgb), _luminance(fg)], reverse=True)
            assert (light + 0.05) / (dark + 0.05) >= 4.5, text
    products = steppers.convolution_data()["products"]
    purple = [int(products["−1"]["bg"][i : i + 2], 16) for i in (1, 3, 5)]
    orange = [int(products["+1"]["bg"][i : i + 2], 16) for i in (1, 3, 5)]
    assert purple[2] > purple[1] and orange[0] > orange[2]


def test_stepper_json_cannot_end_its_script_element() -> None:
    text = steppers.json_for_html({"a": "</script><b>&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><b>&"}


def test_a_stepper_root_holds_its_data_and_a_polite_status() -> None:
    html = steppers.stepper_html("pooling")
    assert html.startswith('<div class="lx-stepper" id="stepper-pooling" data-stepper="pooling" tabindex="0"')
    assert '<p class="lx-stepper-status" aria-live="polite">row 1, column 1: max(' in html
    with pytest.raises(KeyError):
        steppers.render_stepper("nothing", "", "", "x")


# --- Receptive fields -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stack", [LECTURE, LECTURE32])
def test_field_layers_follow_the_calculator(stack: object) -> None:
    layers = receptive.field_layers(stack)  # type: ignore[arg-type]
    rows = {r.name: r for r in summarize(stack).rows}  # type: ignore[arg-type]
    assert [f.name for f in layers] == ["C1", "S2", "C3", "S4", "C5"]
    for f in layers:
        assert f.size == rows[f.name].receptive_field and f.jump == rows[f.name].jump
        assert f.output == rows[f.name].output_shape[:2]
    # 5 → 6 → 14 → 16 → 32 on both: the fields grow the same whatever the padding
    assert [f.size[0] for f in layers] == [r.receptive_field[0] for r in summarize(stack).rows[:5]]  # type: ignore


def test_padding_moves_the_fields_onto_the_frame() -> None:
    """The lecture's C1 pads by 2: every field starts 2 pixels before the picture; the 32×32 table's do not."""
    pad = summarize(LECTURE).rows[0].sizes[0].pad_before  # type: ignore[index]
    assert all(f.first == (-pad, -pad) for f in receptive.field_layers(LECTURE))
    assert all(f.first == (0, 0) for f in receptive.field_layers(LECTURE32))
    c5 = receptive.field_layers(LECTURE32)[-1]
    assert c5.window(0, 0) == (0, 0, *LECTURE32.input.shape[:2])  # C5 sees the whole 32×32 input
    with pytest.raises(LenetError):
        c5.window(1, 0)


def test_span_text_says_the_padding_in_words() -> None:
    assert receptive.span_text(-2, 5, 28, "row") == "1 to 3 and 2 padding rows above"
    assert receptive.span_text(26, 3, 28, "column") == "27 to 28 and 1 padding column on the right"
    assert receptive.span_text(4, 1, 28, "row") == "5"
    assert receptive.span_text(-2, 5, 28, "row", "zh") == "1 到 3，外加上方 2 行加边像素"


def test_the_explorer_says_what_each_unit_sees() -> None:
    data = steppers.receptive_data()
    size = LECTURE.input.shape[0]
    for entry, layer in zip(data["layers"], receptive.field_layers(LECTURE), strict=True):
        assert entry["rowStarts"] == layer.starts(0) and entry["colStarts"] == layer.starts(1)
        for r, text in enumerate(entry["rowText"]):
            top, _, bottom, _ = layer.window(r, 0)
            inside = range(max(top, 0), min(bottom, size))
            assert text.startswith(f"{inside[0] + 1} to {inside[-1] + 1}" if len(inside) > 1 else f"{inside[0] + 1}")
    assert data["pad"] == -receptive.field_layers(LECTURE)[0].first[0]
    assert len(data["digit"]["pixels"]) == size * size


@pytest.mark.tf
@pytest.mark.slow
def test_fields_are_the_pixels_a_unit_depends_on() -> None:
    """TensorFlow's gradient of a unit with respect to the input is non-zero exactly on the unit's field."""
    import tensorflow as tf

    from lenet_explain.models.keras_model import build_model

    model = build_model(LECTURE, seed=3)
    size = LECTURE.input.shape[0]
    x = tf.constant(np.random.default_rng(3).random((1, size, size, 1)), dtype=tf.float32)
    for field in receptive.field_layers(LECTURE):
        upto = next(i for i, layer in enumerate(model.layers) if layer.name == field.name)
        h, w = field.output
        for row, col in {(0, 0), (h // 2, w // 3), (h - 1, w - 1)}:
            with tf.GradientTape() as tape:
                tape.watch(x)
                out = x
                for layer in model.layers[: upto + 1]:
                    out = layer(out)
                unit = out[0, row, col, 0]
            grad = np.abs(tape.gradient(unit, x).numpy()[0, :, :, 0])  # (28, 28)
            top, left, bottom, right = field.window(row, col)
            expected = np.zeros((size, size), dtype=bool)
            expected[max(top, 0) : bottom, max(left, 0) : right] = True
            assert np.array_equal(grad > 0, expected), (field.name, row, col)


# --- One C3 unit, with Keras as the oracle ------------------------------------------------------------------------


@pytest.mark.tf
@pytest.mark.slow
def test_the_c3_unit_is_what_keras_computes() -> None:
    from lenet_explain.site import channels
    from lenet_explain.site.model_answers import reference_model

    unit = channels.c3_unit()
    model = reference_model().model
    outputs = {}
    h = unit.image[None, :, :, None].astype(np.float32)  # (1, 28, 28, 1)
    for layer in model.layers:
        h = layer(h)
        outputs[layer.name] = np.asarray(h)[0]
    assert np.allclose(unit.s2, outputs["S2"], atol=1e-5)  # numpy's C1 and S2 are Keras'
    kh, kw = unit.windows.shape[1:]
    window = outputs["S2"][unit.row : unit.row + kh, unit.col : unit.col + kw]  # (5, 5, 6)
    assert np.allclose(np.moveaxis(unit.windows, 0, -1), window, atol=1e-5)
    kernel, bias = (np.asarray(w) for w in model.get_layer("C3").get_weights())  # (5, 5, 6, 16), (16,)
    assert np.array_equal(np.moveaxis(unit.kernels, 0, -1), kernel[..., unit.map].astype(np.float64))
    assert unit.bias == float(bias[unit.map])
    c3 = outputs["C3"]  # (10, 10, 16)
    assert abs(unit.value - c3[unit.row, unit.col, unit.map]) < 1e-5
    assert abs(unit.z - np.log(c3[unit.row, unit.col, unit.map] / (1 - c3[unit.row, unit.col, unit.map]))) < 1e-2
    assert unit.map == int(np.argmax(c3[unit.row, unit.col]))  # the most active map there
    assert (unit.row, unit.col) == ((c3.shape[0] - 1) // 2, (c3.shape[1] - 1) // 2)  # the middle of C3
    assert len(unit.partial_sums) == kernel.shape[2] and np.isclose(unit.partial_sums.sum() + unit.bias, unit.z)
    assert (unit.partial_sums > 0).any() and (unit.partial_sums < 0).any()  # maps that push and maps that pull
    assert unit.label == channels.EXAMPLE_LABEL and abs(channels.keras_value(unit) - unit.value) < 1e-5


@pytest.mark.tf
@pytest.mark.slow
def test_the_c3_stepper_says_the_units_numbers() -> None:
    from lenet_explain.site import channels

    unit = channels.c3_unit()
    data = steppers.channels_data()
    assert [s["sum"] for s in data["steps"]] == [steppers.signed(float(v), 3) for v in unit.partial_sums]
    assert data["z"] == steppers.signed(unit.z, 3) and data["value"] == steppers.signed(unit.value, 4)
    running = np.cumsum(unit.partial_sums)
    for m, step in enumerate(data["steps"]):
        assert step["say"].startswith(f"S2 map {m + 1} of {len(unit.windows)}: ")
        assert step["say"].endswith(f"running total {steppers.signed(float(running[m]), 3)}")
        assert [[c["t"] for c in row] for row in step["kernel"]] == [
            [steppers.signed(float(v), 2) for v in row] for row in unit.kernels[m]]


# --- The built pages -----------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_pages_hold_the_steppers_and_the_calculators_fields(built_site: object) -> None:
    from pathlib import Path

    from bs4 import BeautifulSoup

    def load(page: str) -> BeautifulSoup:
        return BeautifulSoup((Path(str(built_site)) / page / "index.html").read_text(encoding="utf-8"), "html.parser")

    pooling = load("pooling")
    table = pooling.find("table", id="receptive-fields")
    assert table is not None
    shown = [[td.get_text() for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]
    rows = [r for r in summarize(LECTURE).rows if r.sizes is not None]
    assert [(row[0], row[-1]) for row in shown] == [
        (r.name, f"{r.receptive_field[0]}×{r.receptive_field[1]}") for r in rows]  # type: ignore[index]
    assert pooling.find(id="receptive-field") is not None
    glossary = load("glossary").find(id="receptive-field")
    assert glossary is not None
    links = [a["href"] for p in glossary.find_all_next("p", limit=3) for a in p.find_all("a")]
    assert "../pooling/#receptive-field" in links, links
    for page, kinds in (("convolution", ("convolution",)), ("pooling", ("pooling", "receptive-field")),
                        ("activation", ("channels",))):
        soup = load(page)
        for kind in kinds:
            root = soup.find("div", attrs={"data-stepper": kind})
            assert root is not None and root["tabindex"] == "0"
            data = json.loads(root.find("script", class_="lx-stepper-data").string)
            assert data == json.loads(json.dumps(steppers.DATA[kind]()))  # the package's data, made at build time
            assert root.find("p", class_="lx-stepper-status")["aria-live"] == "polite"


def test_the_build_drops_only_tensorflows_retracing_warning() -> None:
    """A cold build predicts with several models in one process; that warning alone is dropped (quiet_build.py)."""
    import logging

    from lenet_explain.site.quiet_build import not_retracing

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("tensorflow", logging.WARNING, __file__, 1, message, None, None)

    assert not not_retracing(record("5 out of the last 6 calls to <function f> triggered tf.function retracing."))
    assert not_retracing(record("Something else went wrong"))
    assert not_retracing in logging.getLogger("tensorflow").filters
