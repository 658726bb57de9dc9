"""The steppers and the visualizer's connection lines in headless Chromium, used as a learner would: keyboard only,
touch, mouse. What a stepper announces is checked against the page's own tables and the explainer's numbers.

The testing contract: a stepper's root element has ``data-stepper="convolution"`` (``pooling``, ``channels``,
``receptive-field``), is focusable and holds the ``aria-live="polite"`` status line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import numpy as np
import pytest
from formulas import weighted_sum
from test_pages_views import describe_violations, run_axe

from lenet_explain.calculator.stacks import LECTURE
from lenet_explain.site import explainer as ex
from lenet_explain.site import receptive, steppers

STATUS = ".lx-stepper-status"
MAP_TABLES = {"backslash": "map-backslash-lecture", "x": "map-x", "slash": "map-slash"}  # the convolution page's X maps
POOLED_TABLES = {"backslash": "pooled-all-backslash", "x": "pooled-all-x", "slash": "pooled-all-slash"}


def root(kind: str) -> str:
    """The CSS selector of a stepper's root."""
    return f"[data-stepper='{kind}']"


def open_stepper(page: Any, url: str, kind: str) -> Any:
    """Open ``url`` and wait for the stepper ``kind`` to be built."""
    page.goto(url)
    page.wait_for_function(f"document.querySelector(\"{root(kind)}\").dataset.ready === 'true'")
    return page.locator(root(kind))


def status(page: Any, kind: str) -> str:
    """What the stepper's live region says now."""
    return str(page.locator(f"{root(kind)} {STATUS}").text_content())


def tab_until(page: Any, condition: str, back: bool = False, limit: int = 400) -> None:
    """Press Tab (Shift+Tab with ``back``) until ``condition`` (a JS expression over ``el``) holds for the focus."""
    for _ in range(limit):
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!el && ({condition}); }})()"):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"focus never reached {condition}")


def choose_by_keyboard(page: Any, kind: str, value: str) -> None:
    """From inside the stepper, Tab back to its root, then forward to the choice ``value`` and press Space."""
    tab_until(page, f"el.dataset.stepper === '{kind}'", back=True)
    tab_until(page, f"el.dataset.choice === '{value}' && el.closest(\"{root(kind)}\") !== null")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.getAttribute('aria-pressed')") == "true"


def walk(page: Any, kind: str, count: int) -> list[str]:
    """Press Home, then ArrowRight ``count`` − 1 times; return every announcement."""
    page.keyboard.press("Home")
    said = [status(page, kind)]
    for _ in range(count - 1):
        page.keyboard.press("ArrowRight")
        said.append(status(page, kind))
    return said


def table_text(page: Any, table_id: str) -> list[list[str]]:
    """The body cells of a page table as text."""
    return page.evaluate(f"[...document.querySelectorAll('#{table_id} tbody tr')]"
                         ".map(tr => [...tr.querySelectorAll('td')].map(td => td.textContent.trim()))")


def test_the_testing_contract_holds_on_every_stepper(page: Any, site_url: str) -> None:
    for path, kinds in (("convolution/", ("convolution",)), ("pooling/", ("pooling", "receptive-field")),
                        ("activation/", ("channels",))):
        for kind in kinds:
            element = open_stepper(page, site_url + path, kind)
            assert element.get_attribute("tabindex") == "0"
            live = element.locator("[aria-live]")
            assert live.count() == 1 and live.get_attribute("aria-live") == "polite"
            assert live.get_attribute("class") == "lx-stepper-status"


def test_the_convolution_stepper_announces_every_window_from_the_keyboard(page: Any, site_url: str,
                                                                           screenshot: Any) -> None:
    """Keyboard only: reach the stepper with Tab, choose each image and feature, step through every window."""
    open_stepper(page, site_url + "convolution/", "convolution")
    tab_until(page, "el.dataset.stepper === 'convolution'")
    assert status(page, "convolution") == "row 1, column 1: 7/9 = 0.77"
    for image in ex.IMAGE_NAMES:
        for feature in ex.FEATURE_NAMES:
            choose_by_keyboard(page, "convolution", image)
            choose_by_keyboard(page, "convolution", feature)
            exact = ex.feature_map_exact(ex.draw_images()[image], ex.draw_features()[feature])
            printed = table_text(page, MAP_TABLES[feature]) if image == "X" else ex.lecture_table(exact)
            assert printed == ex.lecture_table(exact)
            said = walk(page, "convolution", len(exact) * len(exact[0]))
            expected = [f"row {r + 1}, column {c + 1}: {ex.format_over(exact[r][c], 9)} = {printed[r][c]}"
                        for r in range(len(exact)) for c in range(len(exact[0]))]
            assert said == expected, (image, feature)
            page.keyboard.press("ArrowRight")  # past the last window: back to the first, in reading order
            assert status(page, "convolution") == expected[0]
            page.keyboard.press("ArrowLeft")
            assert status(page, "convolution") == expected[-1]
            page.keyboard.press("ArrowUp")
            assert status(page, "convolution") == expected[-1 - len(exact[0])]
    # The map fills in up to the window; the framed window is where the status says.
    filled = page.evaluate("[...document.querySelectorAll(\"[data-stepper='convolution'] .lx-step-output td\")]"
                           ".filter(td => td.textContent !== '').length")
    assert filled == len(expected) - len(exact[0])
    screenshot(page, "stepper-convolution-keyboard")


def test_the_pooling_stepper_announces_every_pooled_value_from_the_keyboard(page: Any, site_url: str) -> None:
    open_stepper(page, site_url + "pooling/", "pooling")
    tab_until(page, "el.dataset.stepper === 'pooling'")
    for rule, ceil in steppers.EDGE_RULES.items():
        for image in ex.IMAGE_NAMES:
            for feature in ex.FEATURE_NAMES:
                choose_by_keyboard(page, "pooling", rule)
                choose_by_keyboard(page, "pooling", image)
                choose_by_keyboard(page, "pooling", feature)
                exact = ex.feature_map_exact(ex.draw_images()[image], ex.draw_features()[feature])
                pooled = ex.lecture_table(ex.max_pool_exact(exact, ceil_mode=ceil))
                if image == "X" and ceil:
                    assert table_text(page, POOLED_TABLES[feature]) == pooled
                if image == "X" and feature == "backslash" and not ceil:
                    assert table_text(page, "pooled-floor") == pooled
                said = walk(page, "pooling", len(pooled) ** 2)
                values = [re.fullmatch(r"row (\d+), column (\d+): max\(.*\) = (\S+?)(,.*)?", s) for s in said]
                assert all(values), said
                assert [(int(m[1]), int(m[2])) for m in values] == [
                    (r + 1, c + 1) for r in range(len(pooled)) for c in range(len(pooled))]
                assert [m[3] for m in values] == [v for row in pooled for v in row], (rule, image, feature)
                partial = [bool(m[4]) for m in values]
                assert partial == [ceil and (r == len(pooled) - 1 or c == len(pooled) - 1)
                                   for r in range(len(pooled)) for c in range(len(pooled))]
    # The winners are marked on the map: the last window (a floor one here) marks the cells of its maximum.
    winners = page.locator(f"{root('pooling')} td.lx-winner")
    assert winners.count() >= 1


def test_the_pooling_stepper_shows_the_edge_windows(page: Any, site_url: str, screenshot: Any) -> None:
    open_stepper(page, site_url + "pooling/", "pooling")
    page.locator(f"{root('pooling')} [data-move='next']").click()
    page.keyboard.press("End")  # keys work while a button inside has the focus
    assert status(page, "pooling").startswith("row 4, column 4: max(0.77) = 0.77, a partial window")
    beyond = page.locator(f"{root('pooling')} td.lx-beyond.lx-shown")
    assert beyond.count() > 0 and beyond.first.is_visible()
    framed = page.evaluate(f"[...document.querySelectorAll(\"{root('pooling')} td.lx-in-window\")].length")
    assert framed == ex.POOL_SIZE ** 2  # the whole 2×2 frame, three of its cells past the edge
    screenshot(page, "stepper-pooling-edge")
    page.locator(f"{root('pooling')} [data-choice='floor']").click()
    assert page.locator(f"{root('pooling')} td.lx-beyond.lx-shown").count() == 0
    assert page.locator(f"{root('pooling')} td.lx-dropped").count() > 0
    assert status(page, "pooling").startswith("row 3, column 3: ")  # the same place, clamped to the smaller grid


@pytest.mark.tf
def test_the_c3_stepper_adds_the_maps_one_by_one(page: Any, site_url: str) -> None:
    from lenet_explain.site.channels import c3_unit

    unit = c3_unit()
    data = steppers.channels_data()
    open_stepper(page, site_url + "activation/", "channels")
    # The page's formula for z, read as written (rows and columns from 1), gives the unit's own sum.
    latex = page.locator("math[alttext*='W_{i,j,m}']").get_attribute("alttext")
    kh, kw = unit.windows.shape[1:]
    assert kh == kw
    kernel = np.moveaxis(unit.kernels, 0, -1).tolist()  # (5, 5, maps): W_{i,j,m}
    at = {"r": unit.row + 1, "c": unit.col + 1, "k": kh, "M": len(unit.windows)}
    z = unit.bias + weighted_sum(latex, ("W", kernel), ("S", unit.s2.tolist()), at)
    assert abs(z - unit.z) < 1e-9
    tab_until(page, "el.dataset.stepper === 'channels'")
    said = walk(page, "channels", len(unit.windows) + 1)
    assert said[:-1] == [s["say"] for s in data["steps"]]
    assert said[-1] == data["final"] and said[-1].endswith(f"the value of {data['unit']}")
    # The table beside it: each map's sum, the bias, z, σ(z), and Keras' own value for the unit.
    rows = table_text(page, "c3-unit")
    assert [row[-1] for row in rows[: len(unit.windows)]] == [s["sum"] for s in data["steps"]]
    values = {row[0]: row[-1] for row in rows[len(unit.windows):]}
    assert values["bias"] == data["bias"] and values["z"] == data["z"]
    assert values["σ(z)"] == steppers.signed(unit.value, 6)
    assert abs(float(values["Keras"]) - unit.value) < 1e-5


def test_the_receptive_field_explorer_says_what_a_unit_sees(page: Any, site_url: str, screenshot: Any) -> None:
    open_stepper(page, site_url + "pooling/", "receptive-field")
    tab_until(page, "el.dataset.stepper === 'receptive-field'")
    layers = {f.name: f for f in receptive.field_layers(LECTURE)}
    size = LECTURE.input.shape[0]
    for name, field in layers.items():
        choose_by_keyboard(page, "receptive-field", name)
        page.keyboard.press("Home")
        h, w = field.output
        for _ in range(min(h * w - 1, w + 1)):  # along the first row and onto the second
            page.keyboard.press("ArrowRight")
        row, col = divmod(min(h * w - 1, w + 1), w)
        top, left, _, _ = field.window(row, col)
        rows = receptive.span_text(top, field.size[0], size, "row")
        cols = receptive.span_text(left, field.size[1], size, "column")
        assert status(page, "receptive-field") == (f"{name}, row {row + 1}, column {col + 1} sees input rows {rows}; "
                                                   f"columns {cols}: a {field.size[0]}×{field.size[1]} field")
    screenshot(page, "stepper-receptive-field")


@pytest.fixture()
def phone(browser: Any, site_url: str) -> Iterator[Any]:
    """A phone: 390 px wide, touch, no mouse hover; off-site requests are refused."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    context.route("**/*", lambda route: route.continue_() if (urlparse(route.request.url).hostname or "")
                  in ("127.0.0.1", "localhost") else route.abort())
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, errors


def test_the_steppers_work_by_touch(phone: Any, site_url: str, screenshot: Any) -> None:
    open_stepper(phone, site_url + "convolution/", "convolution")
    stepper = phone.locator(root("convolution"))
    stepper.locator("[data-choice='O']").tap()
    stepper.locator(".lx-step-output tr >> nth=2").locator("td >> nth=3").tap()  # row 3, column 4 of the map
    exact = ex.feature_map_exact(ex.draw_o(), ex.draw_features()["backslash"])
    value = exact[2][3]
    assert status(phone, "convolution") == f"row 3, column 4: {ex.format_over(value, 9)} = {ex.format_lecture(value)}"
    stepper.locator("[data-move='next']").tap()
    assert status(phone, "convolution").startswith("row 3, column 5: ")
    stepper.locator("[data-move='back']").tap()
    assert status(phone, "convolution").startswith("row 3, column 4: ")
    # Play moves on by itself, Pause stops it; the status is quiet while it plays.
    stepper.locator("[data-move='play']").tap()
    assert stepper.locator(STATUS).get_attribute("aria-live") == "off"
    phone.wait_for_function(f"!document.querySelector(\"{root('convolution')} {STATUS}\").textContent"
                            ".startsWith('row 3, column 4:')", timeout=10_000)
    stepper.locator("[data-move='play']").tap()
    assert stepper.locator(STATUS).get_attribute("aria-live") == "polite"
    stopped = status(phone, "convolution")
    phone.wait_for_timeout(2 * steppers.PLAY_MS)
    assert status(phone, "convolution") == stopped
    screenshot(phone, "stepper-convolution-phone")
    width = phone.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width} px)"

    open_stepper(phone, site_url + "pooling/", "receptive-field")
    explorer = phone.locator(root("receptive-field"))
    explorer.locator("[data-choice='C3']").tap()
    units = explorer.locator("canvas.lx-pickable")
    box = units.bounding_box()
    units.tap(position={"x": box["width"] * 0.95, "y": box["height"] * 0.95})
    assert status(phone, "receptive-field").startswith("C3, row 10, column 10 sees input rows ")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_steppers_stay_accessible_while_used(browser: Any, site_url: str, scheme: str) -> None:
    """axe-core after stepping and switching choices (the grids are coloured and filled in by then)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme=scheme)
    try:
        tab = context.new_page()
        for path, kinds in (("convolution/", ("convolution",)), ("pooling/", ("pooling", "receptive-field"))):
            for kind in kinds:
                stepper = open_stepper(tab, site_url + path, kind)
                stepper.locator(".lx-step-choice >> nth=1").click()
                for _ in range(5):
                    stepper.locator("[data-move='next']").click()
            violations = run_axe(tab)
            assert not violations, describe_violations(violations)
    finally:
        context.close()


# --- The visualizer's connection lines ------------------------------------------------------------------------------


@pytest.fixture()
def vis(page: Any, site_url: str) -> Any:
    """The visualizer with an MNIST example loaded."""
    page.goto(site_url + "visualizer/")
    page.wait_for_function("document.getElementById('lv-root').dataset.ready === 'true'", timeout=30_000)
    page.click(".lv-example[data-example='3']")
    return page


def links(page: Any) -> int:
    """How many connection lines are drawn."""
    return int(page.evaluate("(document.querySelector('svg.lv-links') || {dataset: {links: '0'}}).dataset.links"))


def segments(page: Any) -> list[tuple[float, float, float, float]]:
    """The lines drawn, as (x1, y1, x2, y2) relative to the layers: one path per line, from its first point to its
    last (a line is drawn in pieces where it passes behind a layer's title)."""
    paths = page.evaluate("[...document.querySelectorAll('svg.lv-links .lv-link')].map(p => p.getAttribute('d'))")
    lines = []
    for d in filter(None, paths):
        points = [tuple(map(float, m)) for m in re.findall(r"[ML]([\d.-]+) ([\d.-]+)", d)]
        lines.append((*points[0], *points[-1]))
    return lines


def test_hovering_a_unit_draws_lines_to_every_input_it_reads(vis: Any, screenshot: Any) -> None:
    # A unit reads one window of each map it sums: C3 and C5 every map of S2 and S4, C1 the one input, a pooling
    # unit its own map; a fully connected unit every value before it.
    maps = [layer.filters for layer in LECTURE.layers if hasattr(layer, "filters")]
    units = [layer.units for layer in LECTURE.layers if hasattr(layer, "units")]
    expected = {"C1": LECTURE.input.shape[2], "S2": 1, "C3": maps[0], "S4": 1, "C5": maps[1], "F6": maps[2],
                "output": units[0]}
    for name, count in expected.items():
        vis.hover(f"#lv-layer-{name} canvas.lv-cells >> nth=0", position={"x": 3, "y": 3})
        assert links(vis) == count, name
        assert len(segments(vis)) == count
    vis.hover("#lv-layer-C3 canvas.lv-cells >> nth=2", position={"x": 30, "y": 30})
    lines = segments(vis)
    starts = {(x1, y1) for x1, y1, _, _ in lines}
    assert len(starts) == 1  # every line leaves the one unit …
    ends = vis.evaluate("""() => {
      const origin = document.getElementById('lv-layers').getBoundingClientRect();
      return [...document.querySelectorAll('#lv-layer-S2 .lv-hl')].map(hl => {
        const r = hl.getBoundingClientRect();
        return [r.left - origin.left, r.right - origin.left, r.top - origin.top, r.bottom - origin.top];
      });
    }""")
    for (_, _, x2, y2), (left, right, top, bottom) in zip(lines, ends, strict=True):
        assert left - 1 <= x2 <= right + 1 and top - 1 <= y2 <= bottom + 1  # … for the window in each S2 map
    screenshot(vis, "visualizer-connection-lines")
    vis.mouse.move(5, 5)
    vis.hover("#lv-pad")  # leaving the maps clears them (nothing pinned)
    assert links(vis) == 0


def test_connection_lines_follow_the_keyboard(vis: Any) -> None:
    vis.focus("#lv-layer-C3 .lv-maps")
    vis.keyboard.press("ArrowRight")
    assert links(vis) == 6
    vis.focus("#lv-layer-F6 .lv-maps")
    vis.keyboard.press("ArrowRight")
    assert links(vis) == 120
    vis.keyboard.press("Escape")
    assert links(vis) == 0
    # A hidden layer gets no lines.
    vis.click(".lv-toggle[data-layer='S2']")
    vis.focus("#lv-layer-C3 .lv-maps")
    vis.keyboard.press("ArrowRight")
    assert links(vis) == 0


def test_what_a_unit_reads_comes_from_the_layer_description(vis: Any) -> None:
    """connections.js agrees with lenet.js' explanation of every windowed layer, and reads a sparse table."""
    agreed = vis.evaluate("""() => {
      const model = window.lenet.model, x = window.lenet.ui.state.x, result = window.lenet.ui.state.result;
      const out = [];
      model.layers.forEach((layer, li) => {
        if (!layer.kernel_size && !layer.pool_size) return;
        const [h, w, c] = layer.output_shape;
        for (const [row, col, channel] of [[0, 0, 0], [h - 1, w - 1, c - 1], [h >> 1, w >> 2, 1 % c]]) {
          const e = window.lenet.explain(x, result, li, (row * w + col) * c + channel);
          const i = window.lenetConnections.inputsOf(model, li, {row, col, channel});
          const inC = li ? model.layers[li - 1].output_shape[2] : model.inputShape[2];
          const maps = e.window.channels === null ? Array.from({length: inC}, (_, k) => k) : [e.window.channels];
          out.push([layer.name, i.top === e.window.top && i.left === e.window.left &&
            i.height === e.window.shape[0] && i.width === e.window.shape[1] && i.maps.join() === maps.join()]);
        }
      });
      return out;
    }""")
    assert agreed and all(ok for _, ok in agreed), agreed
    sparse = vis.evaluate("""() => {
      const model = {inputShape: [32, 32, 1], layers: [
        {name: 'S2', type: 'Subsampling2D', pool_size: [2, 2], strides: [2, 2], output_shape: [14, 14, 6]},
        {name: 'C3', type: 'SparseConv2D', kernel_size: [5, 5], output_shape: [10, 10, 16],
         connection_table: [[0, 1, 2], [1, 2, 3]]}]};
      return [window.lenetConnections.inputsOf(model, 1, {row: 2, col: 3, channel: 1}),
              window.lenetConnections.inputsOf(model, 0, {row: 2, col: 3, channel: 4})];
    }""")
    assert sparse[0] == {"source": "S2", "maps": [1, 2, 3], "top": 2, "left": 3, "height": 5, "width": 5}
    assert sparse[1] == {"source": "input", "maps": [4], "top": 4, "left": 6, "height": 2, "width": 2}
