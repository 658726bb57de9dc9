"""The calculator page in Chromium with saved models made at test time: an input size left open is asked for (in
the page's language) and then the command line's table is shown; a hostile file always ends in a message, never at
"Reading…" (the page fixture fails on any uncaught error)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from keras_archives import deflate_bomb, functional, keras_archive, layer, with_bad_crc
from test_calculator_keras_node import LENET, OPEN

from lenet_explain.calculator.arithmetic import summarize
from lenet_explain.calculator.formatting import format_shape
from lenet_explain.calculator.stackfile import stack_from_keras_config

STATUS = "#ca-keras-status"


def choose(page: Any, path: Path) -> str:
    """Choose ``path`` in the .keras input and return the status line once reading has ended."""
    page.set_input_files("#ca-keras-file", str(path))
    page.wait_for_function("() => { const s = document.getElementById('ca-keras-status').textContent;"
                           " return s && !/^(Reading |正在读取 )/.test(s); }")
    return str(page.text_content(STATUS))


def shown_shapes(page: Any) -> list[str]:
    """The Output Shape column of the saved model's table."""
    return page.eval_on_selector_all("#ca-keras-table tbody tr", "rows => rows.map(r => r.cells[1].textContent)")


def test_an_open_input_size_is_asked_for_then_the_table_is_shown(page: Any, site_url: str, tmp_path: Path) -> None:
    path = keras_archive(tmp_path / "open.keras", OPEN)
    page.goto(f"{site_url}calculator/")
    page.wait_for_selector("html[data-calculator=ready]")
    status = choose(page, path)
    assert status.startswith("open.keras: the model's input size is left open (None, None, 3)"), status
    assert page.is_hidden("#ca-keras-wrap")
    fields = page.locator("#ca-keras-size input")
    assert fields.count() == 3
    assert [fields.nth(i).input_value() for i in range(3)] == ["", "", "3"]
    fields.nth(0).fill("28")
    fields.nth(1).fill("0")
    page.click("#ca-keras-size button")
    assert "axis 2 must be a positive integer" in str(page.text_content(STATUS))
    fields.nth(1).fill("20")
    fields.nth(2).fill("1")  # contradicts the fixed 3: refused as summary --input 28,20,1 refuses it
    page.click("#ca-keras-size button")
    page.wait_for_function("() => /fixed at 3/.test(document.getElementById('ca-keras-status').textContent)")
    assert page.is_visible("#ca-keras-size")
    fields.nth(2).fill("3")
    page.click("#ca-keras-size button")
    page.wait_for_function("() => /^Read open.keras/.test(document.getElementById('ca-keras-status').textContent)")
    expected = summarize(stack_from_keras_config(OPEN, "model", input_size=(28, 20, 3)))
    assert shown_shapes(page) == [format_shape(r.output_shape, batch=True) for r in expected.rows]
    assert page.locator("#ca-keras-size").count() == 0


def test_the_chinese_page_asks_in_chinese(page: Any, site_url: str, tmp_path: Path) -> None:
    page.goto(f"{site_url}zh/calculator/")
    page.wait_for_selector("html[data-calculator=ready]")
    status = choose(page, keras_archive(tmp_path / "open.keras", OPEN))
    assert "模型的输入尺寸没有固定 (None, None, 3)" in status, status
    assert "不含批量维" in str(page.text_content("#ca-keras-size legend"))


def test_hostile_files_always_end_in_a_message(page: Any, site_url: str, tmp_path: Path) -> None:
    """A non-integer shape, malformed inbound_nodes, a bad CRC-32, an inflation bomb: a message each, no table."""
    odd_nodes = functional([layer("Dense", "d", [["x"]], units=2)])
    odd_nodes["config"]["layers"][1]["inbound_nodes"] = [{"args": [{"config": {"keras_history": "x"}}]}]
    files = {
        "shape.keras": (keras_archive(tmp_path / "shape.keras", functional(
            [layer("Dense", "d", [["x"]], units=2)], shape=[None, 4.5, 4, 3])), "is not a shape"),
        "nodes.keras": (keras_archive(tmp_path / "nodes.keras", odd_nodes), "reads a constant"),
        "crc.keras": (with_bad_crc(tmp_path / "crc.keras", LENET), "CRC-32"),
        "bomb.keras": (deflate_bomb(tmp_path / "bomb.keras", inflated=64 << 20, declared=100), ""),
    }
    page.goto(f"{site_url}calculator/")
    page.wait_for_selector("html[data-calculator=ready]")
    for name, (path, words) in files.items():
        status = choose(page, path)
        assert status.startswith(name + ": ") and words in status, status
        assert page.is_hidden("#ca-keras-wrap")
