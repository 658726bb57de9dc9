"""The calculator page's tables (docs/calculator/calculator-data.js) are generated from the Python calculator."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from lenet_explain import limits
from lenet_explain.calculator.stacks import LECTURE
from lenet_explain.site import calculator_data


def test_committed_tables_are_up_to_date() -> None:
    expected = calculator_data.calculator_data_text(calculator_data.calculator_data())
    assert calculator_data.DATA_FILE.read_text(encoding="utf-8") == expected, (
        "docs/calculator/calculator-data.js is stale: run python -m lenet_explain.site.calculator_data")


def test_node_reads_the_tables_as_python_wrote_them() -> None:
    script = "import(process.argv[1]).then(m => process.stdout.write(JSON.stringify(m.default)))"
    result = subprocess.run(["node", "-e", script, calculator_data.DATA_FILE.as_uri()], capture_output=True,
                            text=True, check=True)
    data = json.loads(result.stdout)
    assert data["limits"]["MAX_DIGITS"] == limits.MAX_DIGITS
    assert data["builtin_stacks"]["lecture"]["input"] == list(LECTURE.input.shape)
    assert data == calculator_data.calculator_data()


def test_tables_are_written_atomically(tmp_path: Path) -> None:
    target = tmp_path / "data.js"
    target.write_text("old", encoding="utf-8")
    calculator_data.write_calculator_data(target)
    assert target.read_text(encoding="utf-8").startswith("// Generated")
    assert [p.name for p in tmp_path.iterdir()] == ["data.js"]  # no temporary file left behind
