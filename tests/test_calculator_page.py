"""The calculator page (docs/calculator/) in headless Chromium: its JavaScript against the Python calculator,
and the page driven like a reader drives it (clicks, keys, the address, a phone-sized screen).

The oracle for every number is ``lenet_explain`` (and, for the exported Keras code, real Keras); nothing
here compares against numbers typed into the test.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from node_calculator import (
    KEPT_IN_REFUSALS,
    as_case,
    code_words,
    english_left,
    latin_words,
    run_cases,
    same_answer,
    same_refusal,
)
from stack_generators import random_stack

from lenet_explain.calculator.arithmetic import output_size, summarize
from lenet_explain.calculator.formatting import (
    axis_to_dict,
    format_param_formula,
    format_size_formula,
    summary_to_dict,
    total_lines,
)
from lenet_explain.calculator.layers import (
    AveragePooling2D,
    Conv2D,
    Input,
    MaxPooling2D,
    Stack,
    layer_fields,
)
from lenet_explain.calculator.stackfile import load_stack, stack_from_dict
from lenet_explain.calculator.stacks import LECTURE, LECTURE32
from lenet_explain.cli import main
from lenet_explain.errors import LenetError
from lenet_explain.site.i18n import translate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
PHONE = {"width": 390, "height": 844}


# --- helpers -------------------------------------------------------------------------------------


def open_calculator(page: Any, site_url: str, query: str = "") -> Any:
    """Open the calculator page (optionally with a query string) and wait until it has drawn."""
    page.goto(f"{site_url}calculator/{query}")
    page.wait_for_selector("html[data-calculator=ready]")
    return page


def python_size(setting: dict[str, Any]) -> dict[str, Any]:
    """Run one setting through lenet_explain: axis_to_dict, or the LenetError message."""
    try:
        axis = output_size(setting["input"], setting["kernel"], setting["stride"], setting["padding"],
                           setting["dilation"], setting["op"], setting["ceilMode"])
    except LenetError as error:
        return {"error": str(error)}
    return axis_to_dict(axis)


def js_sizes(page: Any, settings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run settings (sent as JSON text, read by the page's reader) through window.convArithmetic.size: its result,
    or the thrown Error's message."""
    return page.evaluate(
        """texts => texts.map(text => {
            const CA = window.convArithmetic;
            try { return CA.size(CA.readJson(text, "setting")); }
            catch (e) { return {error: e.message, isError: e instanceof Error}; }
        })""",
        [json.dumps(s) for s in settings],
    )


def generated_settings(count: int, seed: int) -> list[dict[str, Any]]:
    """Random one-axis settings over every rule, with some bad values of every kind mixed in."""
    rng = random.Random(seed)
    bad_values = [0, -1, -7, 2.5, 0.1, None, "x", "3", True, False, [2]]
    settings = []
    for _ in range(count):
        setting: dict[str, Any] = {
            "input": rng.randint(1, 40),
            "kernel": rng.randint(1, 9),
            "stride": rng.choice([None, None, 1, 1, 2, 2, 3, 4, 5, 7, 16, 32]),
            "padding": rng.choice(["valid", "valid", "same", "same", 0, 1, 2, 3, 4, 6]),
            "dilation": rng.choice([1, 1, 1, 2, 3]),
            "op": rng.choice(["conv", "maxpool", "avgpool"]),
            "ceilMode": rng.random() < 0.3,
        }
        if rng.random() < 0.08:
            setting[rng.choice(["input", "kernel", "stride", "dilation", "padding"])] = rng.choice(bad_values)
        if rng.random() < 0.02:
            setting["op"] = rng.choice(["conv2d", "pool", None, 3])
        if rng.random() < 0.02:
            setting["padding"] = rng.choice(["full", "SAME", -1, 1.5])
        settings.append(setting)
    return settings


def edge_settings() -> list[dict[str, Any]]:
    """Settings that exercise the rounding corners: exact 1/16 ties, dropped last windows, 'same' leftovers."""
    base = {"stride": None, "padding": "valid", "dilation": 1, "op": "conv", "ceilMode": False}
    out = []
    for numerator in range(1, 40, 2):  # quotients numerator/16: ties at the third decimal
        out.append({**base, "input": numerator + 1, "kernel": 1, "stride": 16})
        out.append({**base, "input": numerator + 1, "kernel": 1, "stride": 16, "op": "maxpool", "ceilMode": True})
    for size in range(1, 12):  # ceil mode's dropped last window
        for pad in range(0, 3):
            out.append({**base, "input": size, "kernel": 2 * pad + 1, "stride": 3, "padding": pad, "op": "maxpool",
                        "ceilMode": True})
    for size in range(1, 10):
        out.append({**base, "input": size, "kernel": 1, "stride": 2, "padding": "same"})
        out.append({**base, "input": size, "kernel": 7, "stride": 5, "padding": "same", "dilation": 2})
    out.append({"input": 5, "kernel": 7})  # everything else left out: the defaults
    out.append({"input": 7, "kernel": 2, "op": "maxpool"})
    out.append({"input": 7, "kernel": 3, "stride": 2, "padding": 0, "op": "avgpool", "ceilMode": True, "dilation": 1})
    return out


def python_call(setting: dict[str, Any]) -> dict[str, Any]:
    """Fill in the Python defaults of a setting that leaves some keys out (as the page's function does)."""
    return {"stride": None, "padding": "valid", "dilation": 1, "op": "conv", "ceilMode": False, **setting}


def stack_file(stack: Stack) -> dict[str, Any]:
    """A stack as stack-file data with every argument spelled out (JSON types: lists, null)."""
    layers = [{"type": layer.type, **layer_fields(layer), "name": layer.name} for layer in stack.layers]
    return json.loads(json.dumps({"name": stack.name, "input": list(stack.input.shape), "layers": layers}))


# The page's JavaScript mirrors the calculator except what the 1998 network's issue added (connection counts, its
# three layer types), which a later issue adds to it; until then the comparisons leave them out (and only them).
CONNECTION_KEYS = ("connections", "connection_formula", "total_connections")
LENET1998_TYPES = ", SparseConv2D, Subsampling2D, EuclideanRBF"


def page_message(message: str) -> str:
    """A calculator error message as the page words it: the list of layer types without the 1998 network's."""
    return message.replace(LENET1998_TYPES + ";", ";")


def without_connections(summary: dict[str, Any]) -> dict[str, Any]:
    """A summary dict without the connection counts."""
    kept = {key: value for key, value in summary.items() if key not in CONNECTION_KEYS}
    if "layers" in kept:
        kept["layers"] = [{k: v for k, v in layer.items() if k not in CONNECTION_KEYS} for layer in kept["layers"]]
    return kept


def page_total_lines(summary: Any) -> list[str]:
    """The totals under the table, without the connections line."""
    return [line for line in total_lines(summary) if not line.startswith("Connections:")]


def python_summary(data: dict[str, Any]) -> dict[str, Any]:
    """Read stack-file data and summarize it in Python: summary_to_dict, or the error message."""
    try:
        return without_connections(summary_to_dict(summarize(stack_from_dict(json.loads(json.dumps(data))))))
    except LenetError as error:
        return {"error": page_message(str(error))}


def js_summaries(page: Any, files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Read stack-file data (sent as JSON text) and summarize it in the page's JavaScript."""
    return page.evaluate(
        """texts => texts.map(text => {
            try { return window.convArithmetic.summarize(window.convArithmetic.readStackText(text)); }
            catch (e) { return {error: e.message}; }
        })""",
        [json.dumps(f) for f in files],
    )


def query(page: Any) -> dict[str, str]:
    """The page's current query string as a dict (first value of each key)."""
    # A timer queued now runs after the page's deferred address update; read the address in the page.
    search = page.evaluate("() => new Promise(done => setTimeout(() => done(location.search), 0))")
    return {k: v[0] for k, v in parse_qs(search.lstrip("?")).items()}


def highlighted_cells(page: Any) -> set[tuple[int, int]]:
    """The (row, column) of every input-grid cell highlighted as part of the window, in drawn cells."""
    cells = page.evaluate(
        """() => {
            const cell = +document.querySelector('#ca-in-svg rect.ca-cell').getAttribute('width');
            return Array.from(document.querySelectorAll('#ca-in-svg .ca-hit'))
              .map(r => [Math.round(+r.getAttribute('y') / cell), Math.round(+r.getAttribute('x') / cell)]);
        }"""
    )
    return {(r, c) for r, c in cells}


def grid_size(page: Any, which: str) -> tuple[int, int]:
    """(rows, columns) of the drawn input or output grid."""
    return tuple(page.evaluate(  # type: ignore[return-value]
        """which => {
            const rects = Array.from(document.querySelectorAll(`#ca-${which}-svg rect.ca-cell`));
            const cell = +rects[0].getAttribute('width');
            const rows = new Set(rects.map(r => r.getAttribute('y'))).size;
            const cols = new Set(rects.map(r => r.getAttribute('x'))).size;
            return [rows, cols];
        }""",
        which,
    ))


def set_layer(page: Any, **values: str) -> None:
    """Type into the one-layer controls like a reader: select, clear, type."""
    ids = {"h": "ca-h", "w": "ca-w", "c": "ca-c", "k": "ca-k", "s": "ca-s", "p": "ca-p", "d": "ca-d", "f": "ca-f"}
    for key, value in values.items():
        if key == "op":
            page.select_option("#ca-op", value)
        elif key == "pm":
            page.select_option("#ca-pm", value)
        elif key == "ceil":
            page.set_checked("#ca-ceil", value == "1")
        else:
            page.fill(f"#{ids[key]}", "")
            page.type(f"#{ids[key]}", value)


def editor_values(page: Any) -> list[dict[str, str]]:
    """Every computed cell of the stack table, row by row."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('#ca-rows tr')).map(tr => ({
            shape: tr.querySelector('.ca-out-shape').firstChild?.textContent ?? '',
            params: tr.children[5].firstChild?.textContent ?? '',
            macs: tr.children[6].textContent,
            rf: tr.children[7].textContent,
        }))"""
    )


def expected_table(summary: dict[str, Any], everything: str = "all") -> list[dict[str, str]]:
    """What the stack table must show for a Python summary (input row first); ``everything`` is the page's word for
    a receptive field that is the whole input."""
    shape = summary["input_shape"]
    rows = [{"shape": "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")", "params": "0",
             "macs": "0", "rf": "1" if len(shape) == 3 else everything}]
    for layer in summary["layers"]:
        out = layer["output_shape"]
        field = layer["receptive_field"]
        rows.append({
            "shape": "(" + ", ".join(map(str, out)) + ("," if len(out) == 1 else "") + ")",
            "params": f"{layer['params']:,}",
            "macs": f"{layer['macs']:,}",
            "rf": everything if field is None else str(field[0]) if field[0] == field[1] else f"{field[0]}×{field[1]}",
        })
    return rows


# --- the arithmetic: JavaScript against Python ----------------------------------------------------


def test_page_modules_load_and_agree_on_sizes(page: Any, site_url: str) -> None:
    """A smoke check in the browser: the page's modules load and agree with Python on a few settings (the bulk of
    the comparisons runs in Node: tests/test_calculator_node.py)."""
    open_calculator(page, site_url)
    settings = generated_settings(60, seed=6) + edge_settings()[::8]
    expected = [python_size(python_call(s)) for s in settings]
    got = js_sizes(page, settings)
    assert all(g.get("isError", True) for g in got if "error" in g), "the page must throw real Error objects"
    got = [{"error": g["error"]} if "error" in g else g for g in got]
    assert all(same_answer(e, g) for e, g in zip(expected, got, strict=True)), (expected, got)
    assert any("error" in e for e in expected) and sum("error" not in e for e in expected) >= 30


def typeable(value: Any) -> bool:
    """True for a value a reader can type on the command line and the page receives alike."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return not value.is_integer()  # JavaScript cannot tell 6.0 from 6
    if isinstance(value, str):
        return not re.fullmatch(r"\s*[-+]?[\d.e]+\s*", value)  # '3' is a number on the command line
    return False


def test_summary_matches_python_for_lenet_and_generated_stacks(page: Any, site_url: str) -> None:
    """summarize in the browser: the lecture's stacks, the example files and a few generated stacks, field by field
    and totals (the bulk of the comparisons runs in Node: tests/test_calculator_node.py)."""
    open_calculator(page, site_url)
    rng = random.Random(7)
    files = [stack_file(LECTURE), stack_file(LECTURE32)]
    files += [json.loads(p.read_text()) for p in sorted(EXAMPLES.glob("*.json"))]
    files += [stack_file(random_stack(rng, i)) for i in range(6)]  # the bulk: tests/test_calculator_node.py
    expected = [python_summary(f) for f in files]
    assert not [e for e in expected if "error" in e]
    got = js_summaries(page, files)
    for data, e, g in zip(files, expected, got, strict=True):
        assert g == e, data["name"]
    lines = page.evaluate("texts => texts.map(text => window.convArithmetic.totalLines("
                          "window.convArithmetic.summarize(window.convArithmetic.readStackText(text))))",
                          [json.dumps(f) for f in files])
    assert lines == [page_total_lines(summarize(stack_from_dict(f))) for f in files]
    # The page's own copies of the lecture's stacks are the package's.
    builtins = json.loads(page.evaluate("() => window.convArithmetic.toJson([window.convArithmetic.LECTURE, "
                                        "window.convArithmetic.LECTURE32])"))
    assert [python_summary(b) for b in builtins] == expected[:2]


def broken_files() -> list[dict[str, Any]]:
    """Stack files that the calculator must reject, one rule each."""
    lecture = stack_file(LECTURE)
    layers = lecture["layers"]

    def with_layers(*new: dict[str, Any], **top: Any) -> dict[str, Any]:
        return {**lecture, "layers": list(new), **top}

    return [
        with_layers(*layers, input=[5, 5, 1]),
        with_layers(*layers, input=[28, 28]),
        with_layers(*layers, input="28x28"),
        with_layers(*layers[:5], layers[4], *layers[5:]),  # two layers named C5
        with_layers(*layers[:6], {"type": "Conv2D", "filters": 3, "kernel_size": 3}, *layers[6:]),
        with_layers({"type": "Conv2D", "filters": 0, "kernel_size": 3}),
        with_layers({"type": "Conv2D", "filters": 2, "kernel_size": [3, 0]}),
        with_layers({"type": "Conv2D", "filters": 2, "kernel_size": "big"}),
        with_layers({"type": "Conv2D", "kernel_size": 3}),
        with_layers({"type": "Conv2D"}),
        with_layers({"type": "Conv2D", "filters": 2, "kernel_size": 3, "padding": "full"}),
        with_layers({"type": "Conv2D", "filters": 2, "kernel_size": 3, "activation": "sigmoidal"}),
        with_layers({"type": "Conv2D", "filters": 2, "kernel_size": 3, "use_bias": 1}),
        with_layers({"type": "Conv2D", "filters": 2, "kernel_size": 3, "stride": 2}),
        with_layers({"type": "Conv2D", "filters": 2, "kernel_size": 29}),
        with_layers({"type": "Conv2D", "filters": 2, "kernel_size": 15, "dilation_rate": 2}),
        with_layers({"type": "Conv2D", "filters": 2, "kernel_size": 33, "padding": 2}),
        with_layers({"type": "AveragePooling2D", "pool_size": 2, "dilation_rate": 2}),
        with_layers({"type": "MaxPooling2D", "pool_size": 3, "padding": 2}),
        with_layers({"type": "MaxPooling2D", "pool_size": 3, "padding": "same", "ceil_mode": True}),
        with_layers({"type": "MaxPooling2D", "pool_size": 3, "ceil_mode": "yes"}),
        with_layers({"type": "ZeroPadding2D", "padding": [1, 2, 3]}),
        with_layers({"type": "ZeroPadding2D", "padding": -1}),
        with_layers({"type": "Dropout", "rate": 1}),
        with_layers({"type": "Activation", "activation": None}),
        with_layers({"type": "BatchNormalization", "center": "no"}),
        with_layers({"type": "Flatten"}, {"type": "MaxPooling2D"}),
        with_layers({"type": "GlobalMaxPooling2D"}, {"type": "GlobalAveragePooling2D"}),
        with_layers({"type": "Input", "shape": [2]}),
        with_layers({"type": "LSTM"}),
        with_layers({"filters": 3}),
        with_layers(*layers, colour="red"),
        {"name": "x", "layers": []},
        {"name": 3, "input": [2], "layers": []},
        {"name": "x", "input": [2], "layers": {}},
        [],
    ]


def test_rejected_stacks_are_refused_as_python_refuses_them(page: Any, site_url: str) -> None:
    """A few broken stack files or impossible stacks: both refuse, naming the same layer (all: in Node)."""
    open_calculator(page, site_url)
    files = broken_files()[::5]  # every one of them: tests/test_calculator_node.py
    expected = [python_summary(f) if isinstance(f, dict) else {"error": _error_of(f)} for f in files]
    assert all("error" in e for e in expected), [e for e in expected if "error" not in e]
    got = js_summaries(page, files)
    assert all(same_refusal(e, g) for e, g in zip(expected, got, strict=True)), (expected, got)


def _error_of(data: Any) -> str:
    """The message stack_from_dict raises for ``data``."""
    try:
        stack_from_dict(data)
    except LenetError as error:
        return page_message(str(error))
    raise AssertionError(f"{data!r} was accepted")


# --- one layer, driven like a reader --------------------------------------------------------------


def test_one_layer_starts_as_the_lectures_c1(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    c1 = summarize(LECTURE).rows[0]
    assert c1.sizes is not None
    assert page.text_content("#ca-formula-h") == format_size_formula(c1.sizes[0])
    assert page.text_content("#ca-formula-w") == format_size_formula(c1.sizes[1])
    assert page.text_content("#ca-params") == format_param_formula(c1)
    assert page.text_content("#ca-macs").endswith(f"= {c1.macs:,}")
    assert page.text_content("#ca-shape").startswith("Output: " + " × ".join(map(str, c1.output_shape)))


def test_one_layer_controls_show_python_formulas_and_grids(page: Any, site_url: str, screenshot: Any) -> None:
    open_calculator(page, site_url)
    settings = [
        ({"op": "conv", "h": "6", "w": "6", "k": "3", "s": "", "pm": "valid", "d": "1", "f": "2", "c": "3"},
         (6, 6, 3, None, "valid", 1, "conv", False)),
        ({"op": "conv", "h": "11", "w": "9", "k": "3", "s": "2", "pm": "explicit", "p": "1", "d": "2"},
         (11, 9, 3, 2, 1, 2, "conv", False)),
        ({"op": "maxpool", "h": "7", "w": "8", "k": "2", "s": "", "pm": "valid", "d": "1", "ceil": "1"},
         (7, 8, 2, None, "valid", 1, "maxpool", True)),
        ({"op": "avgpool", "h": "28", "w": "28", "k": "3", "s": "2", "pm": "same", "ceil": "0"},
         (28, 28, 3, 2, "same", 1, "avgpool", False)),
    ]
    for values, (h, w, k, s, pad, d, op, ceil) in settings:
        set_layer(page, **values)
        axes = [output_size(n, k, s, pad, d, op, ceil) for n in (h, w)]
        assert page.text_content("#ca-formula-h") == format_size_formula(axes[0])
        assert page.text_content("#ca-formula-w") == format_size_formula(axes[1])
        assert grid_size(page, "out") == (axes[0].output, axes[1].output)
        reach = [max(a.input + a.pad, (a.output - 1) * a.stride + a.effective_kernel) for a in axes]
        assert grid_size(page, "in") == tuple(reach)
        pads = page.evaluate("() => document.querySelectorAll('#ca-in-svg .ca-pad').length")
        padded = [a.input + a.pad for a in axes]
        assert pads == padded[0] * padded[1] - h * w
        channels = int(page.input_value("#ca-c"))
        stack = Stack("one", Input((h, w, channels)), (
            Conv2D(int(page.input_value("#ca-f")), k, strides=s or 1, padding=pad, dilation_rate=d, name="l")
            if op == "conv" else
            (MaxPooling2D if op == "maxpool" else AveragePooling2D)(k, strides=s, padding=pad, ceil_mode=ceil,
                                                                    name="l"),))
        row = summarize(stack).rows[0]
        assert page.text_content("#ca-params").endswith(f"= {row.params}") or row.params == 0
        assert page.text_content("#ca-macs").replace(",", "").endswith(str(row.macs))
        assert page.is_hidden("#ca-error")
        q = query(page)
        assert (q["op"], q["height"], q["width"], q["kernel"]) == (op, str(h), str(w), str(k))
        assert q["pad"] == str(pad)
        assert q.get("ceil") == ("1" if ceil else None)
    screenshot(page, "calculator-desktop-one-layer")


def test_impossible_settings_are_explained_in_words(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    cases = [
        ({"op": "conv", "h": "5", "w": "5", "k": "7", "s": "", "pm": "valid", "d": "1"},
         (5, 7, None, "valid", 1, "conv", False)),
        ({"k": "8", "pm": "explicit", "p": "1"}, (5, 8, None, 1, 1, "conv", False)),
        ({"k": "3", "pm": "valid", "d": "3"}, (5, 3, None, "valid", 3, "conv", False)),
        ({"op": "avgpool", "d": "2", "k": "2"}, (5, 2, None, "valid", 2, "avgpool", False)),
        ({"op": "conv", "d": "1", "ceil": "1"}, (5, 2, None, "valid", 1, "conv", True)),
        ({"op": "maxpool", "pm": "same"}, (5, 2, None, "same", 1, "maxpool", True)),
        ({"pm": "explicit", "p": "2", "ceil": "0"}, (5, 2, None, 2, 1, "maxpool", False)),
        ({"pm": "valid", "s": "0"}, (5, 2, 0, "valid", 1, "maxpool", False)),
    ]
    for values, args in cases:
        set_layer(page, **values)
        with pytest.raises(LenetError) as error:
            output_size(*args)
        assert page.text_content("#ca-error") == str(error.value)
        assert page.is_visible("#ca-error") and page.is_hidden("#ca-results") and page.is_hidden("#ca-grids")
        text = page.inner_text("article")
        assert "NaN" not in text and "undefined" not in text
    set_layer(page, s="", h="")
    assert page.text_content("#ca-error") == "Input height is empty: type a whole number"
    set_layer(page, h="9", w="1")  # only the width fails: the message says which axis
    with pytest.raises(LenetError) as width_error:
        output_size(1, 2, None, "valid", 1, "maxpool")
    assert page.text_content("#ca-error") == f"Width: {width_error.value}"


def test_hover_and_click_highlight_the_window_with_dilation_gaps(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    set_layer(page, op="conv", h="13", w="10", k="3", s="2", pm="explicit", p="1", d="2")
    axes = [output_size(n, 3, 2, 1, 2) for n in (13, 10)]

    def window(i: int, j: int) -> set[tuple[int, int]]:
        """The drawn cells that output (i, j) reads: a dilated kernel sliding by the stride."""
        return {(i * axes[0].stride + a * axes[0].dilation, j * axes[1].stride + b * axes[1].dilation)
                for a in range(axes[0].kernel) for b in range(axes[1].kernel)}

    page.hover("#ca-out-svg rect[data-row='2'][data-col='1']")
    assert highlighted_cells(page) == window(2, 1)
    assert "row 3, column 2" in page.text_content("#ca-window")
    page.click("#ca-out-svg rect[data-row='0'][data-col='3']")
    assert highlighted_cells(page) == window(0, 3)
    assert "padding row" in page.text_content("#ca-window")  # the first row reads the top padding
    page.hover("#ca-op")  # leaving the grid shows the clicked cell again
    assert highlighted_cells(page) == window(0, 3)
    assert query(page)["cell"] == "1,4"
    # Ceil mode: a window that reaches past the padded edge is drawn, and said to be left out.
    set_layer(page, op="maxpool", h="7", w="7", k="3", s="3", pm="valid", d="1", ceil="1")
    axis = output_size(7, 3, 3, "valid", 1, "maxpool", True)
    last = axis.output - 1
    page.click(f"#ca-out-svg rect[data-row='{last}'][data-col='{last}']")
    beyond = sum(1 for r, c in highlighted_cells(page) if r >= 7 or c >= 7)
    assert beyond == 3 * 3 - (7 - last * 3) ** 2
    assert "beyond the padded edge" in page.text_content("#ca-window")


def test_keyboard_reaches_every_part(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    page.focus("#ca-op")
    page.keyboard.press("Tab")  # to the input height
    page.keyboard.press("Control+A")
    page.keyboard.type("12")
    assert page.input_value("#ca-h") == "12"
    for _ in range(15):  # Tab onwards until the output grid has the focus
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "ca-out-svg":
            break
    else:
        pytest.fail("the output grid cannot be reached with Tab")
    for key in ("ArrowRight", "ArrowRight", "ArrowDown"):
        page.keyboard.press(key)
    assert query(page)["cell"] == "2,3"
    axes = [output_size(n, 5, None, "same") for n in (12, 28)]
    page.keyboard.press("End")
    assert query(page)["cell"] == f"2,{axes[1].output}"
    # The stack editor: add a layer with the keyboard alone.
    page.focus("#ca-add-type")
    page.select_option("#ca-add-type", "Dropout")
    page.focus("#ca-add")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.querySelectorAll('#ca-rows tr').length") == len(LECTURE.layers) + 2
    focused = page.evaluate("() => document.activeElement.closest('tr')?.dataset.rowIndex")
    assert focused == str(len(LECTURE.layers))  # the new layer's row has the focus
    page.keyboard.press("Tab")  # from its type to its rate
    page.keyboard.press("Control+A")
    page.keyboard.type("0.25")
    assert page.evaluate("() => window.convArithmetic && document.querySelector('#ca-json').textContent") \
        .count('"rate": 0.25') == 1


def test_stack_editor_add_remove_edit_follow_python(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    assert editor_values(page) == expected_table(summary_to_dict(summarize(LECTURE)))
    # Edit: C1 gets 8 filters and a 3x5 kernel.
    page.fill("#ca-row-1 input[data-key=filters]", "8")
    page.fill("#ca-row-1 input[data-key=kernel_size]", "3,5")
    data = stack_file(LECTURE)
    data["layers"][0].update(filters=8, kernel_size=[3, 5])
    assert editor_values(page) == expected_table(python_summary(data))
    # Add a BatchNormalization after C1, then a Conv2D with explicit padding after S2.
    page.select_option("#ca-add-type", "BatchNormalization")
    page.select_option("#ca-add-after", "1")
    page.click("#ca-add")
    data["layers"].insert(1, {"type": "BatchNormalization"})
    page.select_option("#ca-add-type", "Conv2D")
    page.select_option("#ca-add-after", "3")
    page.click("#ca-add")
    data["layers"].insert(3, {"type": "Conv2D", "filters": 16, "kernel_size": 3, "padding": "same",
                              "activation": "relu"})
    page.fill("#ca-row-4 input[data-key=padding]", "2")
    data["layers"][3]["padding"] = 2
    expected = python_summary(data)
    assert editor_values(page) == expected_table(expected)
    assert page.text_content("#ca-totals") == "\n".join(page_total_lines(summarize(stack_from_dict(data))))
    assert page.get_attribute("#ca-row-2 .ca-name", "placeholder") == expected["layers"][1]["name"]
    # Change a type, move a layer, remove a layer.
    page.select_option("#ca-row-3 select", "MaxPooling2D")
    data["layers"][2] = {"type": "MaxPooling2D", "pool_size": 2, "name": "S2"}
    page.click("#ca-row-2 button[aria-label='move layer 2 down']")
    data["layers"][1], data["layers"][2] = data["layers"][2], data["layers"][1]
    page.click("#ca-row-5 button[aria-label='remove layer 5']")
    del data["layers"][4]
    assert editor_values(page) == expected_table(python_summary(data))
    # An impossible edit: the Python message, the row marked, the rows before it still computed.
    page.fill("#ca-row-6 input[data-key=kernel_size]", "9")
    data["layers"][5]["kernel_size"] = 9
    message = python_summary(data)["error"]
    assert same_answer({"error": message}, {"error": page.text_content("#ca-stack-error")})
    assert page.get_attribute("#ca-row-6", "class") == "ca-bad"
    assert editor_values(page)[5]["shape"] != "—" and editor_values(page)[6]["shape"] == "—"
    assert page.is_disabled("#ca-download-json") and page.is_disabled("#ca-download-py")
    page.fill("#ca-row-6 input[data-key=kernel_size]", "x")
    data["layers"][5]["kernel_size"] = "x"
    assert same_answer(python_summary(data), {"error": page.text_content("#ca-stack-error")})
    page.click("#ca-reset32")
    assert editor_values(page) == expected_table(summary_to_dict(summarize(LECTURE32)))
    assert page.is_hidden("#ca-stack-error")


def test_export_reads_back_with_the_cli(page: Any, site_url: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    """The downloaded stack file is what ``lenet-explain summary --model FILE`` reads, with the same numbers."""
    open_calculator(page, site_url)
    page.fill("#ca-model-input", "64, 96, 3")
    page.fill("#ca-row-1 input[data-key=strides]", "1,2")
    page.fill("#ca-row-1 input[data-key=dilation_rate]", "1")
    page.fill("#ca-row-2 input[data-key=padding]", "1")
    page.fill("#ca-row-2 input[data-key=pool_size]", "3")
    page.check("#ca-row-2 input[data-key=ceil_mode]")
    page.select_option("#ca-add-type", "ZeroPadding2D")
    page.select_option("#ca-add-after", "2")
    page.click("#ca-add")
    page.fill("#ca-row-3 input[data-key=padding]", "0,1,2,0")
    page.fill("#ca-row-3 .ca-name", "pad")
    page.uncheck("#ca-row-6 input[data-key=use_bias]")
    with page.expect_download() as info:
        page.click("#ca-download-json")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    assert path.name == "stack.json"
    page.click("#ca-copy-json")  # headless Chromium may refuse the clipboard: the page says so, no console error
    page.wait_for_function("() => /^(Copied|Could not copy)/.test(document.querySelector('#ca-status').textContent)")
    assert path.read_text() == page.text_content("#ca-json")
    assert main(["summary", "--model", str(path), "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    page_summary = page.evaluate("() => window.convArithmetic.summarize(window.convArithmetic.readStackText("
                                 "document.querySelector('#ca-json').textContent))")
    assert without_connections(cli) == page_summary
    assert editor_values(page) == expected_table(cli)
    assert cli["layers"][2]["name"] == "pad" and cli["input_shape"] == [64, 96, 3]
    # Ceil mode has no Keras equivalent: the Keras export says so instead of writing wrong code.
    assert page.text_content("#ca-keras") == "Keras cannot build this stack: S2: Keras pooling has no ceil mode " \
        "(use padding='same' instead)"


@pytest.mark.tf
def test_exported_keras_code_builds_the_calculated_model(page: Any, site_url: str) -> None:
    """Run the page's Keras code with real Keras: same parameter count and same shape for every layer."""
    import keras

    open_calculator(page, site_url)
    edits: list[tuple[str, str]] = [
        ("#ca-row-1 input[data-key=padding]", "2"),
        ("#ca-row-3 input[data-key=kernel_size]", "3,5"),
        ("#ca-row-4 input[data-key=padding]", "same"),
    ]
    codes = [page.text_content("#ca-keras")]
    for selector, value in edits:
        page.fill(selector, value)
    page.select_option("#ca-add-type", "BatchNormalization")
    page.select_option("#ca-add-after", "1")
    page.click("#ca-add")
    page.select_option("#ca-add-type", "Dropout")
    page.select_option("#ca-add-after", "7")
    page.click("#ca-add")
    page.uncheck("#ca-row-9 input[data-key=use_bias]")
    codes.append(page.text_content("#ca-keras"))
    summaries = [summarize(LECTURE), summarize(stack_from_dict(json.loads(page.text_content("#ca-json"))))]
    assert "ZeroPadding2D" in codes[1] and "BatchNormalization" in codes[1]
    for code, summary in zip(codes, summaries, strict=True):
        namespace: dict[str, Any] = {}
        exec(compile(code, "exported_model.py", "exec"), namespace)  # the exported code, as a reader runs it
        model = namespace["model"]
        assert isinstance(model, keras.Sequential)
        assert model.count_params() == summary.total_params
        for row in summary.rows:
            assert tuple(model.get_layer(row.name).output.shape)[1:] == row.output_shape, row.name
            assert model.get_layer(row.name).count_params() == row.params, row.name


def test_loading_a_stack_file_fills_the_editor(page: Any, site_url: str, tmp_path: Path) -> None:
    open_calculator(page, site_url)
    path = EXAMPLES / "modern-small.json"
    page.set_input_files("#ca-load", str(path))
    page.wait_for_function("() => document.querySelector('#ca-status').textContent.startsWith('Loaded')")
    expected = python_summary(json.loads(path.read_text()))
    assert editor_values(page) == expected_table(expected)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"input": [28, 28, 1], "layers": [{"type": "Conv2D", "filters": 0, "kernel_size": 3}]}))
    page.set_input_files("#ca-load", str(bad))
    page.wait_for_function("() => document.querySelector('#ca-status').textContent.startsWith('bad.json')")
    with pytest.raises(LenetError) as error:
        stack_from_dict(json.loads(bad.read_text()), "bad", "bad.json")
    assert page.text_content("#ca-status") == str(error.value)
    assert editor_values(page) == expected_table(expected)  # the editor keeps what it had


def test_a_loaded_file_is_decoded_as_the_cli_decodes_it(page: Any, site_url: str, tmp_path: Path) -> None:
    """A byte order mark and bytes that are not UTF-8 are refused on loading, as the command line refuses them."""
    open_calculator(page, site_url)
    text = (EXAMPLES / "modern-small.json").read_text()
    for name, data, says in (("bom.json", "\ufeff".encode() + text.encode(), "byte order mark"),
                             ("latin.json", text.encode() + b"\xff", "not UTF-8")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(LenetError):
            load_stack(str(path))
        page.set_input_files("#ca-load", str(path))
        page.wait_for_function(f"() => document.querySelector('#ca-status').textContent.startsWith('{name}')")
        assert says in page.text_content("#ca-status")


def test_a_graph_stack_file_is_read_and_kept(page: Any, site_url: str, tmp_path: Path) -> None:
    """A stack file with "inbound" (a shared layer reading a layer listed after it): the CLI's rows, and the
    stack file the page writes back says the same graph."""
    open_calculator(page, site_url)
    data = {"name": "shared", "input": [8, 8, 2], "layers": [
        {"type": "Conv2D", "filters": 2, "kernel_size": 3, "padding": "same", "name": "d",
         "inbound": [["input"], ["e"]]},
        {"type": "MaxPooling2D", "pool_size": 1, "name": "e", "inbound": "d"}]}
    path = tmp_path / "shared.json"
    path.write_text(json.dumps(data))
    page.set_input_files("#ca-load", str(path))
    page.wait_for_function("() => document.querySelector('#ca-status').textContent.startsWith('Loaded')")
    assert editor_values(page) == expected_table(python_summary(data))
    written = json.loads(page.text_content("#ca-json"))
    assert python_summary(written) == python_summary(data)


def test_an_edit_rewrites_only_the_cells_it_changes(page: Any, site_url: str, tmp_path: Path) -> None:
    """On a 400-layer stack, typing one digit rewrites the few cells whose numbers change, not every row's
    (counted as DOM changes, not timed); the table then shows what the command line computes."""
    open_calculator(page, site_url)
    cycle = [{"type": "Conv2D", "filters": 4, "kernel_size": 3, "padding": "same"}, {"type": "BatchNormalization"},
             {"type": "Activation", "activation": "relu"}, {"type": "Dropout", "rate": 0.1}]
    data = {"name": "deep", "input": [16, 16, 3], "layers": [dict(cycle[i % 4]) for i in range(400)]}
    path = tmp_path / "deep.json"
    path.write_text(json.dumps(data))
    page.set_input_files("#ca-load", str(path))
    page.wait_for_function("() => document.querySelector('#ca-status').textContent.startsWith('Loaded')")
    changed = page.evaluate("""() => {
        const cells = new Set();
        const observer = new MutationObserver((records) => records.forEach((r) => {
            const td = (r.target.nodeType === 1 ? r.target : r.target.parentNode).closest('#ca-rows td');
            if (td) cells.add(td);
        }));
        observer.observe(document.getElementById('ca-rows'), {subtree: true, childList: true, characterData: true});
        const field = document.querySelector("#ca-row-201 input[data-key='filters']");
        field.value = '7';
        field.dispatchEvent(new Event('input', {bubbles: true}));
        observer.takeRecords().forEach((r) => {
            const td = (r.target.nodeType === 1 ? r.target : r.target.parentNode).closest('#ca-rows td');
            if (td) cells.add(td);
        });
        observer.disconnect();
        return Array.from(cells, (td) => td.parentNode.id + ' ' + td.className);
    }""")
    # layer 201's output, parameters and MACs; the next three layers' outputs (7 maps), the normalisation's
    # parameters, the next convolution's parameters and MACs: 9 of the table's 1,600 number cells
    assert len(changed) == 9 and all(" ca-num" in c or "ca-out-shape" in c for c in changed), changed
    assert {c.split()[0] for c in changed} == {"ca-row-201", "ca-row-202", "ca-row-203", "ca-row-204", "ca-row-205"}
    # What the browser redraws: only the rows on screen (the rest are skipped), and no field's state is copied
    # into the history entry when the address changes (a field without autocomplete=off would be)
    shown = ("row => [...document.querySelectorAll(row + ' td > *')]"
             ".map(e => e.checkVisibility({contentVisibilityAuto: true}))")
    page.evaluate("document.getElementById('ca-row-201').scrollIntoView()")  # the row being edited, on screen
    page.wait_for_function(f"() => ({shown})('#ca-row-201').every(Boolean)", polling="raf")
    assert not any(page.evaluate(f"({shown})('#ca-row-400')"))
    saved = page.evaluate("() => [...document.querySelectorAll('#ca-rows input, #ca-rows select')]"
                          ".filter(f => f.autocomplete !== 'off').length")
    assert saved == 0
    page.evaluate("document.getElementById('ca-row-400').scrollIntoView()")  # drawn once scrolled to
    page.wait_for_function(f"() => ({shown})('#ca-row-400').every(Boolean)", polling="raf")
    assert page.evaluate("document.querySelector('#ca-row-400 .ca-out-shape').innerText") == "(16, 16, 4)"
    data["layers"][200]["filters"] = 7
    assert editor_values(page) == expected_table(python_summary(data))


# --- the address ----------------------------------------------------------------------------------


# Everything a reader sees of the one-layer part and the stack: what a shared link must reproduce.
PAGE_STATE_JS = """() => ({
    controls: Array.from(document.querySelectorAll('#ca-controls input, #ca-controls select'))
        .map(e => e.type === 'checkbox' ? e.checked : e.value),
    formula: document.querySelector('#ca-formula-h').textContent,
    window: document.querySelector('#ca-window').textContent,
    table: document.querySelector('#ca-table').innerText,
    json: document.querySelector('#ca-json').textContent })"""


def test_url_reproduces_the_state(page: Any, site_url: str, browser: Any) -> None:
    open_calculator(page, site_url)
    set_layer(page, op="maxpool", h="9", w="7", k="3", s="2", pm="explicit", p="1", d="1", ceil="1")
    page.click("#ca-out-svg rect[data-row='3'][data-col='2']")
    page.fill("#ca-row-5 input[data-key=filters]", "100")
    page.fill("#ca-model-name", "my-net")
    q = query(page)
    assert (q["op"], q["height"], q["width"], q["kernel"], q["stride"], q["pad"], q["ceil"], q["cell"]) == \
        ("maxpool", "9", "7", "3", "2", "1", "1", "4,3")
    assert json.loads(q["stack"])["name"] == "my-net"
    assert "h" not in q  # Material's search highlighting reads ?h=, so the page never writes it
    url = page.evaluate("() => location.href")
    state = page.evaluate(PAGE_STATE_JS)
    other = browser.new_page()
    try:
        other.goto(url)
        other.wait_for_selector("html[data-calculator=ready]")
        again = other.evaluate(PAGE_STATE_JS)
    finally:
        other.close()
    assert again == state
    assert state["formula"] == format_size_formula(output_size(9, 3, 2, 1, 1, "maxpool", True))


def test_a_written_url_sets_the_controls(page: Any, site_url: str) -> None:
    stack = {"name": "tiny", "input": [10, 10, 2], "layers": [{"type": "Conv2D", "filters": 4, "kernel_size": 3},
                                                             {"type": "GlobalAveragePooling2D"}]}
    open_calculator(page, site_url, "?op=conv&height=15&width=6&channels=2&kernel=4&stride=3&pad=same&dilation=1"
                    "&filters=5&cell=2,1&stack="
                    + json.dumps(stack))
    assert [page.input_value(f"#ca-{k}") for k in ("op", "h", "w", "c", "k", "s", "pm", "d", "f")] == \
        ["conv", "15", "6", "2", "4", "3", "same", "1", "5"]
    assert page.text_content("#ca-formula-h") == format_size_formula(output_size(15, 4, 3, "same"))
    assert highlighted_cells(page)  # the cell from the address is chosen
    assert "row 2, column 1" in page.text_content("#ca-window")
    assert editor_values(page) == expected_table(python_summary(stack))


# --- small screens ----------------------------------------------------------------------------------


def test_a_broken_address_falls_back_and_explains(page: Any, site_url: str) -> None:
    open_calculator(page, site_url, "?op=bogus&height=abc&stack=%7Bnot%20json")
    assert page.input_value("#ca-op") == "conv"
    assert page.text_content("#ca-error") == "Input height is empty: type a whole number"
    assert "not valid JSON" in page.text_content("#ca-status")
    assert editor_values(page) == expected_table(summary_to_dict(summarize(LECTURE)))
    unknown = {"name": "u", "input": [8, 8, 1], "layers": [{"type": "LSTM", "units": 64}]}
    open_calculator(page, site_url, "?stack=" + json.dumps(unknown))
    assert same_refusal(python_summary(unknown), {"error": page.text_content("#ca-stack-error")})


def test_phone_sized_screen(page: Any, site_url: str, screenshot: Any) -> None:
    page.set_viewport_size(PHONE)
    open_calculator(page, site_url)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    for selector in ("#ca-h", "#ca-k", "#ca-out-svg", "#ca-row-1 input[data-key=filters]", "#ca-add"):
        box = page.locator(selector).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], selector
    set_layer(page, k="3", s="2")
    page.click("#ca-out-svg rect[data-row='1'][data-col='1']")
    assert highlighted_cells(page)
    page.fill("#ca-row-7 input[data-key=units]", "100")
    data = stack_file(LECTURE)
    data["layers"][6]["units"] = 100
    assert editor_values(page) == expected_table(python_summary(data))
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "calculator-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    page.wait_for_selector("html[data-calculator=ready]")
    screenshot(page, "calculator-desktop")


def test_bigger_than_drawable_grids_still_give_numbers(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    set_layer(page, op="conv", h="224", w="224", k="7", s="2", pm="same", d="1")
    axis = output_size(224, 7, 2, "same")
    assert page.text_content("#ca-formula-h") == format_size_formula(axis)
    assert "drawn up to" in page.text_content("#ca-in-grid")
    assert page.evaluate("() => document.querySelectorAll('#ca-in-svg').length") == 0


def test_page_builds_into_the_site(built_site: Path) -> None:
    """The page and its modules are in the built site, and the page loads its module from its own folder."""
    html = (built_site / "calculator" / "index.html").read_text()
    assert '<script type="module" src="calculator-page.js">' in html and 'href="calculator.css"' in html
    for module in sorted((ROOT / "docs" / "calculator").glob("*.js")):
        assert (built_site / "calculator" / module.name).is_file()
    assert "http://" not in re.sub(r'xmlns(:\w+)?="http://[^"]+"', "", html.split("<article")[1].split("</article>")[0])


def test_the_chinese_page_computes_the_same_and_refuses_in_chinese(page: Any, site_url: str, tmp_path: Path,
                                                                   screenshot: Any) -> None:
    """The Chinese twin loads the same modules: the same table and totals, and refusals (the stack editor's, a
    .keras file's) in Chinese, word for word what the page's modules say on a Chinese page (run in Node)."""
    page.goto(f"{site_url}zh/calculator/")
    page.wait_for_selector("html[data-calculator=ready]")
    # the page's word for "all" is the one Python writes on the Chinese pages (tests/test_calculator_node.py)
    assert editor_values(page) == expected_table(summary_to_dict(summarize(LECTURE)), translate("all", "zh"))
    kept = KEPT_IN_REFUSALS | code_words()
    lecture = stack_file(LECTURE)
    without_filters = json.loads(json.dumps(lecture))
    del without_filters["layers"][0]["filters"]
    with_float = json.loads(json.dumps(lecture))
    with_float["layers"][0]["filters"] = 5.0
    bad = tmp_path / "bad.keras"
    bad.write_text("not a zip file")
    saved = ROOT / "lenet_explain" / "data" / "lenet5_mnist.keras"
    said = run_cases([as_case("stack", lecture), as_case("stack", without_filters), as_case("stack", with_float),
                      as_case("kerasFile", json.dumps(str(bad))), as_case("kerasFile", json.dumps(str(saved)))], "zh")
    totals = said[0]["ok"]["totals"]
    assert page.text_content("#ca-totals") == "\n".join(totals) and not any(english_left(t, kept) for t in totals)
    screenshot(page, "calculator-zh-totals")
    page.fill("#ca-row-1 input[data-key=filters]", "")
    assert page.text_content("#ca-stack-error") == said[1]["error"] and not english_left(said[1]["error"], kept)
    assert page.get_attribute("#ca-row-1", "class") == "ca-bad"  # the row is found whatever the language
    page.fill("#ca-row-1 input[data-key=filters]", "5.0")
    assert page.text_content("#ca-stack-error") == said[2]["error"] and not english_left(said[2]["error"], kept)
    screenshot(page, "calculator-zh-stack-error")
    for path, answer in ((saved, said[4]), (bad, said[3])):
        page.set_input_files("#ca-keras-file", str(path))
        page.wait_for_function("() => !/^正在读取 /.test(document.getElementById('ca-keras-status').textContent)")
        status = str(page.text_content("#ca-keras-status"))
        assert not english_left(status, kept | latin_words(path.name)), status  # the file name as it is
        if "ok" in answer:
            assert page.text_content("#ca-keras-totals") == "\n".join(answer["ok"]["totals"])
            heads = page.eval_on_selector_all("#ca-keras-table th", "cells => cells.map(c => c.textContent)")
            assert heads and not [h for h in heads if english_left(h, kept)], heads
        else:
            assert status == answer["error"], status
            assert page.is_hidden("#ca-keras-wrap") and page.is_hidden("#ca-keras-totals")  # the last model's gone
    screenshot(page, "calculator-zh-bad-keras")
