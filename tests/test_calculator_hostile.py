"""Hostile input on the calculator page: window.convArithmetic and the page agree with the CLI on every input
the CLI accepts or refuses (huge integers, 5.0 against 5, deep nesting, junk layers, broken JSON), the
address never silently drops what it cannot show, and lenet.js refuses what it cannot compute. The hostile texts
and typed numbers defined here all run in Node (tests/test_calculator_node.py); a few also run in the page.

The oracle is lenet_explain: the same text goes through ``stack_from_json_text`` (what ``summary --model
FILE.json`` runs) and through the page's ``readStackText``, and the results or messages must be identical.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from node_calculator import decode_ints, same_refusal
from test_calculator_page import (
    PAGE_STATE_JS,
    editor_values,
    expected_table,
    open_calculator,
    page_message,
    page_total_lines,
    query,
    set_layer,
    without_connections,
)

from lenet_explain import limits
from lenet_explain.calculator.arithmetic import output_size, summarize
from lenet_explain.calculator.formatting import format_size_formula, summary_to_dict
from lenet_explain.calculator.stackfile import stack_from_json_text
from lenet_explain.calculator.stacks import LECTURE
from lenet_explain.errors import LenetError

LECTURE_FILE = json.loads((Path(__file__).resolve().parent.parent / "docs" / "examples" / "lenet5.json").read_text())


def text_of(data: Any) -> str:
    """JSON text of Python data."""
    return json.dumps(data)


def with_layers(*layers: Any, **top: Any) -> str:
    """A stack file's text: LeNet's input and name with other layers (or other top-level keys)."""
    return text_of({"name": "hostile", "input": [28, 28, 1], "layers": list(layers), **top})


def lecture_with(index: int, **changes: Any) -> dict[str, Any]:
    """The lecture's stack file with one layer changed."""
    data = json.loads(json.dumps(LECTURE_FILE))
    data["layers"][index].update(changes)
    return data


CONV = '{"type": "Conv2D", "filters": 6, "kernel_size": 5}'


def hostile_texts() -> list[str]:
    """Stack file texts, each hostile in one way (or a valid edge a reader may not expect)."""
    conv = json.loads(CONV)
    return [
        # floats where whole numbers belong: Python tells 5.0 from 5, JSON.parse cannot
        with_layers(conv).replace('"kernel_size": 5', '"kernel_size": 5.0'),
        with_layers(conv).replace('"kernel_size": 5', '"kernel_size": [5.0, 5]'),
        with_layers(conv).replace('"filters": 6', '"filters": 1e308'),
        with_layers(conv).replace('"filters": 6', '"filters": 1E2'),
        with_layers(conv).replace('"filters": 6', '"filters": -0.0'),
        with_layers(conv).replace("[28, 28, 1]", "[28.0, 28, 1]"),
        with_layers({"type": "Dropout", "rate": 0.0}),
        with_layers({"type": "Dropout", "rate": 1e-400}),
        with_layers({"type": "Dropout"}).replace('"Dropout"}', '"Dropout", "rate": NaN}'),
        with_layers({"type": "Dropout"}).replace('"Dropout"}', '"Dropout", "rate": -Infinity}'),
        with_layers({"type": "Dropout", "rate": 10**40}),
        # whole numbers far beyond 2^53, exact, and beyond the digit limit, refused where they are
        with_layers({"type": "Conv2D", "filters": 10**50 + 1, "kernel_size": 3}, {"type": "Flatten"},
                    {"type": "Dense", "units": 10**99 - 1}),
        text_of({"input": [10**99, 10**99 - 3, 3], "layers": [{"type": "Conv2D", "filters": 2**70, "kernel_size":
                                                                [3, 10**60], "strides": 7, "padding": "same"},
                                                               {"type": "MaxPooling2D", "pool_size": 3,
                                                                "ceil_mode": True, "padding": 1},
                                                               {"type": "BatchNormalization"}]}),
        with_layers({"type": "Dense", "units": 10**100}),
        with_layers({"type": "Dense", "units": -(10**100)}),
        with_layers({"type": "Dense", "units": 1}).replace('"units": 1', '"units": ' + "9" * 5000),
        text_of({"input": [28, 28, 1], "layers": [], "name": "x", "other": [10**120]}),
        # nesting
        "[" * 3000,
        with_layers({"type": "Conv2D", "filters": 1, "kernel_size": 1}).replace(
            '"kernel_size": 1', '"kernel_size": ' + "[" * 70 + "1" + "]" * 70),
        with_layers({"type": "Conv2D", "filters": 1, "kernel_size": 1}).replace(
            '"kernel_size": 1', '"kernel_size": ' + "[" * 60 + "1" + "]" * 60),
        '{"name": "' + "[" * 200 + '", "input": [2], "layers": []}',
        # junk where layers belong
        text_of({"input": [28, 28, 1], "layers": "abc"}),
        text_of({"input": [28, 28, 1], "layers": [1, None, "x", conv]}),
        text_of({"input": [28, 28, 1], "layers": {"0": conv}}),
        with_layers(*[{"type": "Dropout"}] * (limits.MAX_LAYERS + 1), input=[4]),
        with_layers(*[{"type": "Dropout"}] * limits.MAX_LAYERS, input=[4]),
        # missing and odd arguments, names and keys
        with_layers({"type": "Conv2D", "kernel_size": 5}),
        with_layers({"type": "Conv2D"}),
        with_layers({"type": "Dense"}),
        with_layers({"type": "Dense", "units": 3, "name": 5}),
        with_layers({"type": "Dense", "units": 3, "name": None}),
        with_layers({"type": "Dense", "units": 3, "activation": {}}),  # the CLI crashed on it (unhashable)
        with_layers({"type": "Dense", "units": 3, "zz": 1, "5": 2}),
        '{"input": [4], "layers": [{"type": "Dense", "units": 3, "units": 4}]}',
        '{"input": [4], "layers": [{"type": "Dense", "units": 3, "__proto__": 4}]}',
        '{"input": [4], "__proto__": {"layers": []}}',
        text_of({"input": [4], "layers": [{"type": "constructor"}]}),
        text_of({"input": [4], "layers": [{"type": "toString", "units": 1}]}),
        text_of({"input": [4], "layers": [], "😀": 1, "\uffff": 2}),
        text_of({"input": [4], "layers": [{"type": "Dense", "units": 2, "name": "\x1b[31m\n\u2028\u202e\ud800"}]}),
        text_of({"input": [4], "layers": [{"type": "Dense", "units": 2, "name": "a"},
                                           {"type": "Dense", "units": 2, "name": "a"}]}),
        # the cause of a "too small" error: C1 made 'valid' in the lecture's stack
        text_of(lecture_with(0, padding="valid")),
        text_of(lecture_with(4, kernel_size=[5, 30])),
        # broken JSON, as Python's json module explains it
        "", "{", '{"input": [28, 28, 1], "layers": [}', '{"a" 1}', '[1,]', '{"a":1,}', '"abc', "\ufeff{}",
        '{"input": [4], "layers": []} x', '{"input": [01], "layers": []}', '{"name": "a\nb"}', '{"name": "\\q"}',
        '{"name": "\\u12"}', '{"😀": [1, 2', "NaN", "-Infinity", "[tru]",
    ]


def python_result(text: str) -> dict[str, Any]:
    """What ``summary --model FILE.json`` computes from the text: the summary as JSON data, or the error."""
    try:
        summary = summarize(stack_from_json_text(text, "stack", "stack"))
    except LenetError as error:
        return {"error": page_message(str(error))}
    return {"summary": without_connections(json.loads(json.dumps(summary_to_dict(summary)))),
            "totals": page_total_lines(summary)}


def page_results(page: Any, texts: list[str]) -> list[dict[str, Any]]:
    """The same through the page's readStackText and summarize (JSON text, so BigInts arrive exact)."""
    got = page.evaluate(
        """texts => texts.map(text => {
            const CA = window.convArithmetic;
            try {
              const summary = CA.summarize(CA.readStackText(text, "stack", "stack"));
              const exact = (key, value) => typeof value === "bigint" ? {$int: String(value)} : value;
              return {summary: JSON.stringify(summary, exact), totals: CA.totalLines(summary)};
            } catch (e) {
              return {error: e.message, lenet: e instanceof CA.LenetError};
            }
        })""",
        texts,
    )
    results = []
    for item in got:
        if "error" in item:
            assert item["lenet"], item["error"]  # never a JavaScript TypeError or RangeError
            results.append({"error": item["error"]})
        else:
            results.append({"summary": json.loads(item["summary"], object_hook=decode_ints), "totals": item["totals"]})
    return results


def test_hostile_stack_files_get_the_clis_answer_or_both_refuse(page: Any, site_url: str) -> None:
    """A few of the hostile texts in the browser (all of them run in Node: tests/test_calculator_node.py)."""
    open_calculator(page, site_url)
    texts = hostile_texts()[::4]
    expected = [python_result(text) for text in texts]
    got = page_results(page, texts)
    mismatches = [(text[:80], e, g) for text, e, g in zip(texts, expected, got, strict=True)
                  if not same_refusal(e, g)]
    assert not mismatches, mismatches[:3]
    assert any("error" in e for e in expected) and any("summary" in e for e in expected)


def typed_numbers() -> list[str]:
    """What a reader may type as a size: huge, float-looking, odd."""
    return ["100000000000000000001", str(2**64 + 3), "9" * 100, "7" * 101, "7" * 5000, "-" + "7" * 5000, "5.0",
            "28.0", "1e308", "1e400", "5.", ".5", "1e3", "+5", " 5 ", "-0", "00012", "1_000", "0x10", "inf", "nan",
            "5.5", "٣"]


# --- the address ----------------------------------------------------------------------------------


def open_with_stack(page: Any, site_url: str, text: str) -> Any:
    """Open the calculator with a stack in its address (the page must get ready: never stuck)."""
    return open_calculator(page, site_url, "?stack=" + quote(text))


@pytest.mark.parametrize(
    "text",
    [
        "[" * 3000,
        '{"input": [28, 28, 1], "layers": ' + "[" * 3000 + "]" * 3000 + "}",
        text_of({"input": [28, 28, 1], "layers": "abc"}),
        text_of({"input": [28, 28, 1], "layers": [1, None, json.loads(CONV)]}),
        text_of({"input": [28, 28, 1], "layers": [json.loads(CONV)], "colour": "red"}),
        text_of({"input": {"h": 28}, "layers": []}),
        '{"input": [28, 28, 1], "layers": [}',
    ],
    ids=["deep", "deep-layers", "layers-text", "junk-layers", "unknown-key", "input-object", "broken"],
)
def test_an_address_the_editor_cannot_show_is_refused_with_the_clis_message(page: Any, site_url: str,
                                                                          text: str) -> None:
    open_with_stack(page, site_url, text)
    status = page.text_content("#ca-status")
    assert status.startswith("The stack in the address was refused (")
    assert status.endswith("); showing LeNet-5 instead.")
    assert same_refusal(python_result(text), {"error": status.split("(", 1)[1].rsplit(")", 1)[0]})
    assert editor_values(page) == expected_table(summary_to_dict(summarize(LECTURE)))


def test_an_address_with_layer_types_named_like_javascripts_own_is_refused_cleanly(page: Any, site_url: str) -> None:
    """Types called constructor, toString or __proto__ are unknown types: shown in the editor, refused by name."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    text = text_of({"input": [28, 28, 1], "layers": [{"type": "constructor"}, {"type": "toString"},
                                                     {"type": "__proto__"}]})
    open_with_stack(page, site_url, text)
    assert same_refusal(python_result(text), {"error": page.text_content("#ca-stack-error")})
    assert '"constructor"' in page.text_content("#ca-stack-error") and not errors


def test_an_address_with_floats_and_huge_numbers_is_shown_exactly(page: Any, site_url: str) -> None:
    floats = text_of(lecture_with(0, kernel_size=5)).replace('"kernel_size": 5', '"kernel_size": 5.0')
    open_with_stack(page, site_url, floats)
    assert same_refusal(python_result(floats), {"error": page.text_content("#ca-stack-error")})
    assert page.get_attribute("#ca-row-1", "class") == "ca-bad"
    assert page.input_value("#ca-row-1 input[data-key=kernel_size]") == "5.0"  # shown as written
    huge = text_of({"name": "huge", "input": [10**30, 10**30, 3], "layers": [
        {"type": "Conv2D", "filters": 10**40, "kernel_size": 3, "padding": "same"}, {"type": "Flatten"},
        {"type": "Dense", "units": 10**20}]})
    open_with_stack(page, site_url, huge)
    expected = python_result(huge)
    assert page.text_content("#ca-totals") == "\n".join(expected["totals"])
    assert "Infinity" not in page.inner_text("article") and "e+" not in page.text_content("#ca-totals")
    page.fill("#ca-model-name", "huge2")  # an edit writes the address again: the numbers stay exact
    written = json.loads(query(page)["stack"])
    assert written["layers"][0]["filters"] == 10**40 and written["input"][0] == 10**30


def test_a_shared_link_to_a_hostile_stack_reproduces_it(page: Any, site_url: str, browser: Any) -> None:
    text = text_of({"name": "n\x1b[31m", "input": [10**25, 7, 1], "layers": [
        {"type": "MaxPooling2D", "pool_size": [3, 2], "strides": 10**24, "name": "5"},
        {"type": "Dropout", "rate": 0.0}]})
    open_with_stack(page, site_url, text)
    state = page.evaluate(PAGE_STATE_JS)
    other = browser.new_page()
    try:
        other.goto(page.url)
        other.wait_for_selector("html[data-calculator=ready]")
        assert other.evaluate(PAGE_STATE_JS) == state
    finally:
        other.close()
    assert '"rate": 0.0' in state["json"] and str(10**24) in state["json"]


# --- the editor --------------------------------------------------------------------------------------


def test_emptying_a_required_field_names_the_missing_argument(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    page.fill("#ca-row-1 input[data-key=filters]", "")
    assert page.get_attribute("#ca-row-1 input[data-key=filters]", "placeholder") == ""
    assert "[object Object]" not in page.inner_html("article")
    data = json.loads(json.dumps(LECTURE_FILE))
    del data["layers"][0]["filters"]
    assert page.text_content("#ca-stack-error") == python_result(text_of(data))["error"] == \
        "stack: layer 1 (Conv2D): missing argument 'filters'"


def test_a_too_small_input_names_the_layers_that_made_it_small(page: Any, site_url: str) -> None:
    """C1 made 'valid': C5 fails, and the message shows the sizes from the input to C5, C1's included."""
    open_calculator(page, site_url)
    page.fill("#ca-row-1 input[data-key=padding]", "valid")
    message = python_result(text_of(lecture_with(0, padding="valid")))["error"]
    assert page.text_content("#ca-stack-error") == message
    assert message.startswith("C5: kernel 5 is larger than the input 4 (sizes: input 28×28 → C1 24×24 → S2 12×12")
    assert page.get_attribute("#ca-row-5", "class") == "ca-bad"
    assert [row["shape"] for row in editor_values(page)[1:5]] == ["(24, 24, 6)", "(12, 12, 6)", "(8, 8, 16)",
                                                                 "(4, 4, 16)"]


def test_typing_huge_or_float_sizes_in_the_one_layer_part(page: Any, site_url: str) -> None:
    open_calculator(page, site_url)
    set_layer(page, op="conv", h=str(10**20 + 1), w="28", k="2", s="2", pm="valid", d="1")
    assert page.text_content("#ca-formula-h") == format_size_formula(output_size(10**20 + 1, 2, 2))
    assert "drawn up to" in page.text_content("#ca-in-grid")
    set_layer(page, h="5.0")
    with pytest.raises(LenetError) as error:
        output_size(5.0, 2, 2)  # type: ignore[arg-type]
    assert page.text_content("#ca-error") == f"Height: {error.value}"
    page.fill("#ca-h", "7" * 150)  # pasted, not typed key by key: the CLI's message
    with pytest.raises(LenetError) as error:
        output_size(int("7" * 150), 2, 2)
    assert page.text_content("#ca-error") == f"Height: {error.value}"
    page.fill("#ca-h", "7" * 5000)  # more than a number field can hold: it empties itself, and the page says why
    assert page.text_content("#ca-error") == "Input height is not a number this field can hold: the calculator " \
        f"takes whole numbers of at most {limits.MAX_DIGITS} digits"


def test_loading_hostile_files(page: Any, site_url: str, tmp_path: Path) -> None:
    open_calculator(page, site_url)
    big = tmp_path / "big.json"
    big.write_text(" " * (limits.MAX_STACK_FILE_BYTES + 1))
    page.set_input_files("#ca-load", str(big))
    page.wait_for_function("() => document.querySelector('#ca-status').textContent.startsWith('big.json')")
    assert page.text_content("#ca-status") == \
        f"big.json: is {limits.MAX_STACK_FILE_BYTES + 1:,} bytes; stack files are limited to 1 MiB"
    floats = tmp_path / "floats.json"
    floats.write_text(with_layers(json.loads(CONV)).replace('"kernel_size": 5', '"kernel_size": 5.0'))
    page.set_input_files("#ca-load", str(floats))
    page.wait_for_function("() => document.querySelector('#ca-status').textContent.startsWith('floats.json')")
    with pytest.raises(LenetError) as error:
        stack_from_json_text(floats.read_text(), "floats", "floats.json")
    assert page.text_content("#ca-status") == str(error.value)


# --- lenet.js: the visualizer's forward pass and preprocessing -------------------------------------------


def test_lenet_js_refuses_what_it_cannot_compute(page: Any, site_url: str) -> None:
    page.goto(f"{site_url}visualizer/")
    results = page.evaluate(
        """async () => {
            await window.lenet.ready;
            const attempt = (f) => { try { f(); return "no error"; } catch (e) { return e.name + ": " + e.message; } };
            const withValue = (v) => { const x = new Float32Array(784); x[300] = v; return x; };
            return {
              nan: attempt(() => window.lenet.forward(withValue(NaN))),
              inf: attempt(() => window.lenet.forward(withValue(Infinity))),
              short: attempt(() => window.lenet.forward(new Float32Array(10))),
              array: attempt(() => window.lenet.forward(Array(784).fill(0))),
              fine: attempt(() => window.lenet.forward(new Float32Array(784))),
              empty: attempt(() => window.lenet.preprocess({})),
              nothing: attempt(() => window.lenet.preprocess(null)),
              wrong: attempt(() => window.lenet.preprocess({width: 2, height: 2, data: new Uint8ClampedArray(3)})),
            };
        }"""
    )
    assert results["nan"] == "RangeError: forward: input value 300 is NaN; every value must be finite"
    assert results["inf"] == "RangeError: forward: input value 300 is Infinity; every value must be finite"
    assert results["short"].startswith("TypeError: forward expects a Float32Array(784)")
    assert results["array"].startswith("TypeError")
    assert results["fine"] == "no error"
    assert results["empty"] == "TypeError: preprocess expects an ImageData (width × height RGBA pixels), got Object"
    assert results["nothing"].startswith("TypeError: preprocess expects an ImageData")
    assert results["wrong"].startswith("TypeError: preprocess expects an ImageData")
