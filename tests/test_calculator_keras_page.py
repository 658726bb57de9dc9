"""The calculator page reads a saved .keras file in the browser and shows the command line's table and totals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_calculator_page import open_calculator, page_total_lines, without_connections

from lenet_explain.calculator.arithmetic import summarize
from lenet_explain.calculator.formatting import format_field, format_param_formula, format_shape, summary_to_dict
from lenet_explain.calculator.stackfile import load_stack

pytestmark = pytest.mark.tf
keras = pytest.importorskip("keras")

from saved_models import saved_model, shared_folder  # noqa: E402
from test_keras_models import BUILDERS  # noqa: E402  (the same models as the CLI's test, saved once per run)

# The tutorial LeNet and three applications; EfficientNetB0 is one the page sends to the command line.
MODELS = ["lenet_relu", "ResNet50", "MobileNetV2", "InceptionV3", "EfficientNetB0"]


@pytest.fixture(scope="module")
def keras_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each model saved once by Keras (shared with tests/test_keras_models.py: tests/saved_models.py)."""
    folder = shared_folder(tmp_path_factory)
    return {name: saved_model(folder, name, BUILDERS[name])[0] for name in MODELS}


def read_on_page(page: Any, path: Path) -> str:
    """Choose the file on the page and return the status line once it is read."""
    page.set_input_files("#ca-keras-file", str(path))
    page.wait_for_function("() => /^(Read |.*: )/.test(document.getElementById('ca-keras-status').textContent)"
                           " && !/^Reading /.test(document.getElementById('ca-keras-status').textContent)")
    return str(page.text_content("#ca-keras-status"))


def python_cells(path: Path) -> list[list[str]]:
    """The table the page should show, from the package."""
    summary = summarize(load_stack(str(path)))
    return [[f"{r.name} ({r.type})", format_shape(r.output_shape, batch=True), f"{r.params:,}",
             format_param_formula(r) if r.params else "", f"{r.macs:,}", format_field(r.receptive_field),
             *([", ".join(r.inbound)] if summary.connected else [])] for r in summary.rows]


@pytest.mark.parametrize("name", ["lenet_relu", "ResNet50", "MobileNetV2", "InceptionV3"])
def test_page_shows_the_command_lines_table(page: Any, site_url: str, keras_files: dict[str, Path],
                                            name: str) -> None:
    open_calculator(page, site_url)
    status = read_on_page(page, keras_files[name])
    assert status.startswith(f"Read {name}.keras"), status
    print(status)  # "Read ResNet50.keras: 176 layers in … ms" (shown with pytest -s)
    cells = page.eval_on_selector_all("#ca-keras-table tbody tr",
                                      "rows => rows.map(r => [...r.cells].map(c => c.textContent))")
    assert cells == python_cells(keras_files[name])
    summary = summarize(load_stack(str(keras_files[name])))
    assert page.text_content("#ca-keras-totals") == "\n".join(page_total_lines(summary))
    js = page.evaluate("""async () => {
        const input = document.getElementById('ca-keras-file');
        const buffer = await input.files[0].arrayBuffer();
        const stack = await window.convArithmetic.readKerasArchive(buffer, input.files[0].name);
        return window.convArithmetic.summarize(stack);
    }""")
    assert js == without_connections(summary_to_dict(summary))


def test_page_sends_what_it_cannot_read_to_the_command_line(page: Any, site_url: str,
                                                            keras_files: dict[str, Path]) -> None:
    open_calculator(page, site_url)
    status = read_on_page(page, keras_files["EfficientNetB0"])
    assert status.startswith('EfficientNetB0.keras: layer "normalization": layer type "Normalization"'), status
    assert "lenet-explain summary --model FILE.keras" in status
    assert page.is_hidden("#ca-keras-wrap")
