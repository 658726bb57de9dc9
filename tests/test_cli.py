"""The ``lenet-explain`` contract: size and summary output, --json, --verify, stack files, every bad input."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from lenet_explain.calculator import arithmetic as calculator
from lenet_explain.calculator.arithmetic import output_size, summarize
from lenet_explain.calculator.formatting import format_size_formula, summary_to_dict
from lenet_explain.calculator.layers import Stack
from lenet_explain.calculator.stackfile import load_stack
from lenet_explain.calculator.stacks import LECTURE, LECTURE32
from lenet_explain.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed command in a fresh interpreter, as a user would."""
    return subprocess.run([sys.executable, "-m", "lenet_explain", *args], capture_output=True, text=True, cwd=ROOT)


def same_layers(a: Stack, b: Stack) -> bool:
    """True when two stacks describe the same network, whatever their names."""
    return a.input == b.input and a.layers == b.layers


def test_size_prints_formula_and_result(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["size", "--input", "7", "--kernel", "2", "--stride", "2", "--op", "maxpool", "--ceil-mode"]) == 0
    out = capsys.readouterr().out
    expected = output_size(7, 2, 2, op="maxpool", ceil_mode=True)
    assert format_size_formula(expected) in out
    assert out.strip().endswith(f"output size: {expected.output}")


@pytest.mark.parametrize(
    ("args", "call"),
    [
        (["--input", "28", "--kernel", "5", "--padding", "same"], dict(input=28, kernel=5, padding="same")),
        (["--input", "32", "--kernel", "5"], dict(input=32, kernel=5)),
        (["--input", "13", "--kernel", "3", "--stride", "2", "--padding", "1", "--dilation", "2"],
         dict(input=13, kernel=3, stride=2, padding=1, dilation=2)),
        (["--input", "7", "--kernel", "2", "--op", "avgpool"], dict(input=7, kernel=2, op="avgpool")),
    ],
)
def test_size_json_is_one_object_with_the_output(
    capsys: pytest.CaptureFixture[str], args: list[str], call: dict[str, object]
) -> None:
    assert main(["size", *args, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    axis = output_size(**call)  # type: ignore[arg-type]
    assert data["output"] == axis.output
    assert data["formula"] == format_size_formula(axis)


def test_summary_prints_the_lecture_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary"]) == 0
    out = capsys.readouterr().out
    summary = summarize(LECTURE)
    assert f"Total params: {summary.total_params:,}" in out
    for row in summary.rows:
        assert f"{row.name} ({row.type})" in out


@pytest.mark.parametrize("name", ["lecture", "lecture32"])
def test_summary_json_matches_the_calculator(capsys: pytest.CaptureFixture[str], name: str) -> None:
    assert main(["summary", "--model", name, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data == json.loads(json.dumps(summary_to_dict(summarize(load_stack(name)))))
    assert [layer["type"] for layer in data["layers"]][:2] == ["Conv2D", "AveragePooling2D"]


@pytest.mark.parametrize(("file", "builtin"), [("lenet5.json", LECTURE), ("lenet5-32.toml", LECTURE32)])
def test_documented_example_files_describe_the_builtins(file: str, builtin: Stack) -> None:
    assert same_layers(load_stack(str(EXAMPLES / file)), builtin)


def test_every_example_file_loads() -> None:
    files = sorted(EXAMPLES.glob("*.json")) + sorted(EXAMPLES.glob("*.toml"))
    assert len(files) >= 3
    for path in files:
        assert summarize(load_stack(str(path))).total_params > 0


BAD_SIZE = [
    (["size", "--input", "0", "--kernel", "3"], "input must be a positive integer", "got 0"),
    (["size", "--input", "-4", "--kernel", "3"], "input must be a positive integer", "got -4"),
    (["size", "--input", "2.5", "--kernel", "3"], "input must be a positive integer", "got 2.5"),
    (["size", "--input", "ten", "--kernel", "3"], "input must be a positive integer", "got 'ten'"),
    (["size", "--input", "8", "--kernel", "3", "--stride", "0"], "stride must be a positive integer", "got 0"),
    (["size", "--input", "8", "--kernel", "0"], "kernel must be a positive integer", "got 0"),
    (["size", "--input", "8", "--kernel", "3", "--dilation", "0"], "dilation must be a positive integer", "got 0"),
    (["size", "--input", "8", "--kernel", "3", "--padding", "-1"], "padding must be", "got -1"),
    (["size", "--input", "8", "--kernel", "3", "--padding", "full"], "padding must be", "got 'full'"),
    (["size", "--input", "5", "--kernel", "7"], "kernel 7", "input 5"),
    (["size", "--input", "3", "--kernel", "7", "--padding", "1"], "kernel 7", "padded input 5"),
    (["size", "--input", "8", "--kernel", "3", "--op", "conv3d"], "unknown operation", "'conv3d'"),
    (["size", "--input", "8", "--kernel", "3", "--ceil-mode"], "ceil mode", "pooling"),
    (["size", "--kernel", "3"], "--input", "required"),
    (["size", "--input", "8", "--kernel"], "--kernel", "expected one argument"),
    (["summary", "--model", "no-such-model"], "no-such-model", "no such file"),
    (["summary", "--model", "tests/data/stacks/unknown_layer.json"], "unknown_layer.json", "'LSTM'"),
    (["summary", "--model", "tests/data/stacks/bad_value.json"], "layer 2", "got 0"),
    (["summary", "--model", "tests/data/stacks/unknown_arg.json"], "layer 1", "'kernal_size'"),
    (["summary", "--model", "tests/data/stacks/malformed.json"], "malformed.json", "not valid JSON"),
    (["summary", "--model", "tests/data/stacks/malformed.toml"], "malformed.toml", "not valid TOML"),
    (["summary", "--model", "tests/data/stacks/too_small.toml"], "too_small.toml", "C3: kernel 5 is larger than the input 4"),  # noqa: E501
    (["summary", "--model", "tests/data/stacks/not_a_model.keras"], "not_a_model.keras", "not a readable .keras"),
    (["summary", "--model", "tests/data/stacks/lenet.txt"], "lenet.txt", "unknown file type"),
    (["summary", "--model", "tests"], "tests", "folder"),
    (["frobnicate"], "invalid choice", "frobnicate"),
]


def _bad_id(value: object) -> str:
    """Name a bad-input case by its command line."""
    return " ".join(value) if isinstance(value, list) else ""


@pytest.mark.parametrize(("args", "first", "second"), BAD_SIZE, ids=_bad_id)
def test_bad_input_is_one_line_and_exit_status_2(
    capsys: pytest.CaptureFixture[str], args: list[str], first: str, second: str
) -> None:
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("lenet-explain: error: ")
    assert first in lines[0] and second in lines[0]


def test_bad_input_from_a_fresh_process_has_no_traceback() -> None:
    result = run_cli("summary", "--model", "tests/data/stacks/unknown_layer.json")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_calculator_commands_never_import_tensorflow() -> None:
    code = (
        "import sys\n"
        "from lenet_explain.cli import main\n"
        "import lenet_explain\n"
        "from lenet_explain.calculator import arithmetic, formatting, stackfile\n"
        "assert main(['summary', '--json']) == 0\n"
        "assert main(['summary', '--model', 'docs/examples/lenet5-32.toml']) == 0\n"
        "assert main(['size', '--input', '28', '--kernel', '5']) == 0\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'numpy', 'matplotlib'))\n"
        "print('HEAVY', heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "HEAVY []" in result.stdout


def test_python_dash_m_and_console_script_agree() -> None:
    by_module = run_cli("summary", "--json")
    script = Path(sys.executable).with_name("lenet-explain")
    by_script = subprocess.run([str(script), "summary", "--json"], capture_output=True, text=True, cwd=ROOT)
    assert by_module.returncode == by_script.returncode == 0
    assert json.loads(by_module.stdout) == json.loads(by_script.stdout)


# --- with Keras -------------------------------------------------------------------------------


@pytest.mark.tf
@pytest.mark.parametrize("name", ["lecture", "lecture32"])
def test_verify_passes_for_the_builtins(name: str) -> None:
    result = run_cli("summary", "--model", name, "--verify")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all match" in result.stdout
    assert f"Total params {summarize(load_stack(name)).total_params:,}" in result.stdout


@pytest.mark.tf
def test_verify_fails_and_shows_the_difference_on_a_mismatch(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = calculator.summarize

    def off_by_one(stack: Stack) -> calculator.StackSummary:
        summary = real(stack)
        rows = list(summary.rows)
        rows[2] = dataclasses.replace(rows[2], params=rows[2].params + 1, output_shape=(9, 10, 16))
        return dataclasses.replace(summary, rows=tuple(rows), total_params=summary.total_params + 1)

    monkeypatch.setattr(calculator, "summarize", off_by_one)
    assert main(["summary", "--verify"]) == 1
    out = capsys.readouterr().out
    name = LECTURE.layers[2].name
    assert "MISMATCH" in out
    assert f"{name}: output shape: calculator (9, 10, 16), Keras (10, 10, 16)" in out
    assert f"{name}: params: calculator {real(LECTURE).rows[2].params + 1}" in out
    assert "(summary): total params" in out


@pytest.mark.tf
def test_verify_json_reports_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summary", "--json", "--verify"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verify"]["ok"] is True
    assert data["verify"]["keras_totals"]["total"] == data["total_params"]
