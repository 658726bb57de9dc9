"""The LeNet-5 of 1998: counted like the paper, checked against Keras, trained, evaluated and used to predict.

The paper (LeCun, Bottou, Bengio and Haffner 1998, section II.B) is the oracle for the counts: its numbers are
stated here and the calculator must compute them from the description. Keras is the oracle for the layers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from lenet_explain.calculator.arithmetic import summarize
from lenet_explain.calculator.bitmaps import DIGIT_BITMAPS, bitmap_values, min_squared_distance
from lenet_explain.calculator.formatting import format_summary, format_summary_markdown
from lenet_explain.calculator.layers import (
    SCALED_TANH_A,
    SCALED_TANH_S,
    Dense,
    EuclideanRBF,
    Flatten,
    Input,
    SparseConv2D,
    Stack,
    Subsampling2D,
)
from lenet_explain.calculator.stackfile import load_stack, stack_from_dict
from lenet_explain.calculator.stacks import C3_TABLE, LENET1998
from lenet_explain.errors import LenetError

ROOT = Path(__file__).resolve().parent.parent

# Section II.B of the paper: (trainable parameters, connections) of every layer.
PAPER = {
    "C1": (156, 122_304), "S2": (12, 5_880), "C3": (1_516, 151_600), "S4": (32, 2_000),
    "C5": (48_120, 48_120), "F6": (10_164, 10_164), "output": (0, 840),
}
PAPER_TRAINABLE, PAPER_CONNECTIONS = 60_000, 340_908
# Table I of the paper, written out as its rows read: an X where C3 map (column) reads S2 map (row).
TABLE_I = [
    "X   XXX  XXXX XX",
    "XX   XXX  XXXX X",
    "XXX   XXX  X XXX",
    " XXX  XXXX  X XX",
    "  XXX  XXXX XX X",
    "   XXX  XXXX XXX",
]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``lenet-explain`` in a fresh interpreter, as a user would."""
    return subprocess.run([sys.executable, "-m", "lenet_explain", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=900)


def run_here(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command line in this process (TensorFlow already imported): its exit status, stdout and stderr.

    For a second run of a command whose first run in a fresh interpreter a test has checked: the same code, without
    the seconds of importing TensorFlow and loading the model again.
    """
    capsys.readouterr()
    from lenet_explain.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# --- The description and the calculator (no TensorFlow) ---------------------------------------------


def test_every_layer_has_the_papers_parameters_and_connections() -> None:
    summary = summarize(LENET1998)
    assert {row.name: (row.trainable_params, row.connections) for row in summary.rows if row.params} == PAPER
    assert summary.trainable_params == PAPER_TRAINABLE
    assert summary.total_connections == PAPER_CONNECTIONS
    output = summary.rows[-1]
    assert output.non_trainable_params == output.params == 840  # the fixed ±1 prototypes
    assert [row.output_shape for row in summary.rows] == [
        (28, 28, 6), (14, 14, 6), (10, 10, 16), (5, 5, 16), (1, 1, 120), (120,), (84,), (10,)
    ]


def test_c3_reads_s2_through_table_one() -> None:
    c3 = next(layer for layer in LENET1998.layers if isinstance(layer, SparseConv2D))
    read = [{row for row in range(6) if TABLE_I[row][column] == "X"} for column in range(16)]
    assert [set(row) for row in c3.connections] == read == [set(row) for row in C3_TABLE]


def test_summary_json_reports_connections_and_the_paper_totals() -> None:
    result = run_cli("summary", "--model", "lenet1998", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["trainable_params"] == PAPER_TRAINABLE and data["total_connections"] == PAPER_CONNECTIONS
    assert data["non_trainable_params"] == 840
    layers = {layer["name"]: layer for layer in data["layers"]}
    for name, (params, connections) in PAPER.items():
        assert (layers[name]["trainable_params"], layers[name]["connections"]) == (params, connections), name
    assert layers["C1"]["connection_formula"] == "28×28×6×(25 + 1) = 122,304"
    assert layers["C3"]["param_formula"] == "(5×5)×(6×3 + 9×4 + 1×6) + 16 = 1516"
    assert layers["flatten"]["connections"] == 0
    # Ordinary stacks get connections too: every layer of the lecture's model has the key.
    lecture = json.loads(run_cli("summary", "--json").stdout)
    assert all("connections" in layer for layer in lecture["layers"])
    assert lecture["total_connections"] == sum(layer["connections"] for layer in lecture["layers"])


def test_text_and_markdown_tables_show_connections() -> None:
    summary = summarize(LENET1998)
    text = format_summary(summary)
    assert "Connections" in text.splitlines()[2]
    assert "Connections: 340,908 per image" in text
    assert "Trainable params: 60,000" in text and "Non-trainable params: 840" in text
    row = next(line for line in text.splitlines() if line.startswith("C3 (SparseConv2D)"))
    assert "151,600" in row and "1,516" in row
    markdown = format_summary_markdown(summary)
    assert "| Connections |" in markdown and "151,600" in markdown


def test_the_stack_file_is_the_builtin() -> None:
    assert load_stack(str(ROOT / "docs" / "examples" / "lenet1998.toml")) == LENET1998


def test_a_stack_file_can_draw_its_own_prototypes() -> None:
    spec = {
        "input": [4],
        "layers": [{"type": "EuclideanRBF", "prototypes": [["#.", ".#"], ["##", ".."], ["..", ".."]]}],
    }
    stack = stack_from_dict(spec)
    row = summarize(stack).rows[0]
    assert (row.output_shape, row.params, row.trainable_params, row.connections) == ((3,), 12, 0, 12)


@pytest.mark.parametrize(
    ("layer", "message"),
    [
        (lambda: SparseConv2D(2, 5, connections=((0,),)), "each of the 2 filters"),
        (lambda: SparseConv2D(1, 5, connections=((0, 0),)), "names a map twice"),
        (lambda: SparseConv2D(1, 5, connections=((),)), "input map numbers"),
        (lambda: SparseConv2D(1, 5, connections=((-1,),)), "input map numbers"),
        (lambda: Subsampling2D(0), "pool_size must be positive"),
        (lambda: EuclideanRBF(prototypes=(("#x",),)), "prototypes must be bitmaps"),
        (lambda: EuclideanRBF(prototypes=(("##",), ("###",))), "prototypes must be bitmaps"),
        (lambda: EuclideanRBF(prototypes=()), "prototypes must be bitmaps"),
        (lambda: Dense(3, activation="scaled_tan"), "unknown activation"),
    ],
)
def test_bad_descriptions_are_refused(layer: Any, message: str) -> None:
    with pytest.raises(LenetError, match=message):
        layer()


@pytest.mark.parametrize(
    ("layers", "message"),
    [
        ((SparseConv2D(1, 3, connections=((0, 6),)),), "name input map 6 but the input has 6 maps"),
        ((Flatten(), EuclideanRBF()), "EuclideanRBF needs 84 inputs"),
        ((Subsampling2D(9),), "larger than the input"),
    ],
)
def test_layers_that_do_not_fit_their_input_are_refused(layers: tuple[Any, ...], message: str) -> None:
    with pytest.raises(LenetError, match=message):
        summarize(Stack("bad", Input((8, 8, 6)), layers))


def test_bad_stack_files_fail_in_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"input": [14, 14, 6], "layers": [
        {"type": "SparseConv2D", "filters": 2, "kernel_size": 5, "connections": [[0, 1]]}]}))
    result = run_cli("summary", "--model", str(bad))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "layer 1: SparseConv2D: connections must list" in result.stderr


def test_the_digit_bitmaps() -> None:
    assert len(DIGIT_BITMAPS) == 10
    assert all(len(bitmap) == 12 and all(len(row) == 7 for row in bitmap) for bitmap in DIGIT_BITMAPS)
    values = np.array([bitmap_values(bitmap) for bitmap in DIGIT_BITMAPS])  # (10, 84)
    assert set(np.unique(values)) == {-1.0, 1.0}
    distances = ((values[:, None, :] - values[None, :, :]) ** 2).sum(axis=-1)
    assert min_squared_distance(DIGIT_BITMAPS) == distances[~np.eye(10, dtype=bool)].min() >= 16


def test_scaled_tanh_constants_are_the_papers() -> None:
    assert (SCALED_TANH_A, SCALED_TANH_S) == (1.7159, 2 / 3)
    assert SCALED_TANH_A * np.tanh(SCALED_TANH_S) == pytest.approx(1, abs=1e-4)  # f(1) = 1


# --- Keras: the layers, the built model, --verify -------------------------------------------------------

tf = pytest.mark.tf


@pytest.fixture(scope="module")
def keras() -> Any:
    """Keras, imported quietly (the custom layers registered)."""
    from lenet_explain.models import lenet1998_layers  # noqa: F401
    from lenet_explain.models.keras_import import keras as module

    return module


@tf
def test_verify_passes_with_connections_counted_from_the_model() -> None:
    result = run_cli("summary", "--model", "lenet1998", "--verify", "--json")
    assert result.returncode == 0, result.stderr
    verify = json.loads(result.stdout)["verify"]
    assert verify["ok"] and verify["mismatches"] == []
    assert verify["keras_totals"] == {"total": 60_840, "trainable": PAPER_TRAINABLE, "non-trainable": 840,
                                      "connections": PAPER_CONNECTIONS}
    assert "connections, all match" in result.stderr


@tf
def test_connections_come_from_the_weights_and_the_table(keras: Any) -> None:
    from lenet_explain.models.keras_check import count_layer_connections, verify_stack
    from lenet_explain.models.keras_model import build_model

    model = build_model(LENET1998)
    c3 = model.get_layer("C3")
    assert c3.connection_mask().sum() == sum(len(row) for row in C3_TABLE) == c3.kernel.shape[-1]
    assert count_layer_connections(c3) == PAPER["C3"][1]
    # Another table gives other counts, in the calculator and in Keras alike.
    full = tuple(tuple(range(6)) for _ in range(16))
    dense_c3 = Stack("full-c3", Input((14, 14, 6)), (SparseConv2D(16, 5, connections=full, name="C3"),))
    report = verify_stack(dense_c3)
    assert report.ok and report.totals["connections"] == 10 * 10 * 16 * (6 * 25 + 1)


@tf
def test_custom_layers_compute_what_the_paper_says(keras: Any) -> None:
    from lenet_explain.models import lenet1998_layers as custom

    rng = np.random.default_rng(1)
    x = rng.normal(size=(3, 14, 14, 6)).astype("float32")
    sparse = custom.SparseConv2D(16, 5, [list(row) for row in C3_TABLE], activation=None)
    y = np.asarray(sparse(x))
    # Oracle: Keras' own Conv2D with the same kernel, zero where Table I has no link.
    full = np.asarray(sparse.full_kernel())  # (5, 5, 6, 16)
    for column, row in enumerate(C3_TABLE):
        unread = sorted(set(range(6)) - set(row))
        assert np.all(full[:, :, unread, column] == 0)
    conv = keras.layers.Conv2D(16, 5)
    conv.build(x.shape)
    conv.set_weights([full, np.asarray(sparse.bias)])
    np.testing.assert_allclose(y, np.asarray(conv(x)), atol=1e-5)

    sub = custom.Subsampling2D(2, activation="scaled_tanh")
    sub.build(x.shape)
    coefficient, bias = rng.normal(size=6).astype("float32"), rng.normal(size=6).astype("float32")
    sub.set_weights([coefficient, bias])
    sums = x.reshape(3, 7, 2, 7, 2, 6).sum(axis=(2, 4))  # (3, 7, 7, 6)
    expected = SCALED_TANH_A * np.tanh(SCALED_TANH_S * (sums * coefficient + bias))
    np.testing.assert_allclose(np.asarray(sub(x)), expected, atol=1e-5)

    rbf = custom.EuclideanRBF([list(b) for b in DIGIT_BITMAPS])
    f6 = rng.uniform(-1.7, 1.7, size=(4, 84)).astype("float32")
    prototypes = np.array([bitmap_values(b) for b in DIGIT_BITMAPS])
    penalties = ((f6[:, None, :] - prototypes[None]) ** 2).sum(axis=-1)
    np.testing.assert_allclose(np.asarray(rbf(f6)), penalties, rtol=1e-6)
    assert not rbf.trainable_weights and len(rbf.non_trainable_weights) == 1

    targets = np.eye(10, dtype="float32")[[3, 1, 4, 1]]
    j = custom.MAP_J
    expected_loss = penalties[np.arange(4), [3, 1, 4, 1]] + np.log(np.exp(-j) + np.exp(-penalties).sum(axis=-1))
    np.testing.assert_allclose(np.asarray(custom.map_criterion(targets, penalties.astype("float32"))),
                               expected_loss, rtol=1e-5)


@tf
def test_the_model_saves_and_loads_with_safe_mode_on(keras: Any, tmp_path: Path) -> None:
    import zipfile

    from lenet_explain.calculator.stackfile import read_keras_archive
    from lenet_explain.walkthrough.training1998 import build_lenet1998, compile_lenet1998

    model = compile_lenet1998(build_lenet1998(seed=3))
    model.optimizer.build(model.trainable_variables)  # saved as after training, optimizer state included
    path = tmp_path / "paper.keras"
    model.save(path)
    config = json.loads(zipfile.ZipFile(path).read("config.json"))
    registered = {layer.get("registered_name") for layer in config["config"]["layers"]}
    assert {"lenet_explain>SparseConv2D", "lenet_explain>Subsampling2D", "lenet_explain>EuclideanRBF"} <= registered
    loss = config["compile_config"]["loss"]
    assert loss["registered_name"] == "lenet_explain>MapCriterion" and loss["config"]["j"] == 1.0
    again = keras.saving.load_model(path, safe_mode=True)
    x = np.random.default_rng(0).uniform(-0.1, 1.175, size=(5, 32, 32, 1)).astype("float32")
    np.testing.assert_array_equal(np.asarray(again(x)), np.asarray(model(x)))
    assert read_keras_archive(path) == LENET1998  # the .keras file reads back as the same description


@tf
def test_initialisation_follows_the_papers_fan_in_rule(keras: Any) -> None:
    from lenet_explain.walkthrough.training1998 import INIT_LIMIT, build_lenet1998

    model = build_lenet1998(seed=5)
    for name, fan_in in (("C1", 25), ("C5", 400), ("F6", 120)):
        kernel, bias = model.get_layer(name).get_weights()
        assert np.abs(kernel).max() <= INIT_LIMIT / fan_in and np.abs(kernel).max() > 0.9 * INIT_LIMIT / fan_in
        assert np.abs(bias).max() <= INIT_LIMIT / fan_in
    kernel = model.get_layer("C3").get_weights()[0]  # (5, 5, 60): one slice per link of Table I
    limits = np.repeat([INIT_LIMIT / (25 * len(row)) for row in C3_TABLE], [len(row) for row in C3_TABLE])
    assert np.all(np.abs(kernel) <= limits)
    coefficient, _ = model.get_layer("S2").get_weights()
    assert np.abs(coefficient).max() <= INIT_LIMIT / 4
    np.testing.assert_array_equal(model.get_layer("output").get_weights()[0],
                                  np.array([bitmap_values(b) for b in DIGIT_BITMAPS]))


@tf
def test_paper_inputs_pad_and_scale() -> None:
    from lenet_explain.walkthrough.training1998 import paper_inputs

    digits = np.zeros((2, 28, 28), np.uint8)
    digits[1, 10, 12] = 255
    x = paper_inputs(digits)
    assert x.shape == (2, 32, 32, 1) and x.dtype == np.float32
    assert np.all(x[0] == np.float32(-0.1))
    assert x[1, 12, 14, 0] == np.float32(1.175) and (x[1] > 0).sum() == 1
    np.testing.assert_array_equal(paper_inputs(digits.astype(np.float32) / 255), x)


@tf
def test_a_short_training_run_learns(keras: Any) -> None:
    from lenet_explain.walkthrough import mnist, training
    from lenet_explain.walkthrough.training1998 import train_lenet1998

    data = training.take_subset(mnist.load_data(), 6000, 500)
    result = train_lenet1998(data, epochs=2, verbose=0)
    assert set(result.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert result.test_accuracy > 0.5  # chance is 0.1


# --- The committed model: accuracy, evaluate, predict -----------------------------------------------


@pytest.fixture(scope="module")
def metrics() -> dict[str, Any]:
    """The committed metrics of the trained 1998 network."""
    from lenet_explain.walkthrough.digit_models import LENET1998_METRICS

    return dict(json.loads(LENET1998_METRICS.read_text()))


@tf
def test_the_committed_model_scores_its_committed_accuracy(metrics: dict[str, Any]) -> None:
    from lenet_explain.walkthrough import mnist
    from lenet_explain.walkthrough.digit_models import LENET1998_MODEL, evaluate_digit_model, load_digit_model

    _, (images, labels) = mnist.load_data()
    model = load_digit_model("lenet1998")
    assert model.path == LENET1998_MODEL and model.input_size == 32 and model.output == "penalties"
    result = evaluate_digit_model(model, images, labels, "lenet1998")
    assert result["n"] == 10_000 and result["test_accuracy"] >= 0.990
    # the same 10,000 images: at most two predictions may flip on another CPU's float rounding
    assert result["test_accuracy"] == pytest.approx(metrics["test_accuracy"], abs=2e-4)
    assert result["test_loss"] == pytest.approx(metrics["test_loss"], rel=1e-3)
    assert metrics["history"]["val_accuracy"][-1] == pytest.approx(metrics["test_accuracy"], abs=2e-4)
    assert metrics["model"] == "lenet1998" and metrics["loss"] == "map_criterion"
    assert metrics["epochs"] == len(metrics["history"]["val_accuracy"])
    assert LENET1998_MODEL.stat().st_size < 2_000_000


@tf
def test_the_recipe_is_the_best_one_on_the_validation_split(metrics: dict[str, Any]) -> None:
    from lenet_explain.walkthrough import training1998
    from lenet_explain.walkthrough.digit_models import LENET1998_VALIDATION

    runs = json.loads(LENET1998_VALIDATION.read_text())["runs"]
    assert len({run["map_j"] for run in runs}) >= 2  # j was chosen among values, not set
    assert all(run["train_size"] == 55_000 and run["validation_size"] == training1998.VALIDATION_SIZE for run in runs)
    assert all(run["final_val_accuracy"] == pytest.approx(run["val_accuracy"][-1], abs=1e-6) for run in runs)
    best = max(runs, key=lambda run: run["final_val_accuracy"])
    for key in ("optimizer", "learning_rate", "decay_per_epoch", "map_j", "batch_size", "epochs", "seed", "input"):
        assert best[key] == metrics[key], key
    assert metrics["map_j"] == training1998.recipe()["map_j"]  # the default of the code is the chosen j


@tf
def test_the_committed_model_is_the_description() -> None:
    from lenet_explain.calculator.stackfile import read_keras_archive
    from lenet_explain.walkthrough.digit_models import LENET1998_MODEL

    assert read_keras_archive(LENET1998_MODEL) == LENET1998


@tf
def test_evaluate_command(metrics: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    result = run_cli("evaluate", "--model", "lenet1998", "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert set(data) == {"model", "test_accuracy", "test_loss", "n"}
    assert data["model"] == "lenet1998" and data["n"] == 10_000 and data["test_accuracy"] >= 0.990
    assert data["test_accuracy"] == pytest.approx(metrics["test_accuracy"], abs=2e-4)
    code, out, _ = run_here(capsys, "evaluate", "--model", "lenet1998")
    assert code == 0 and f"test accuracy {data['test_accuracy']:.4f}" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--model", "nowhere.keras"], "no model file at 'nowhere.keras'"),
        (["--model", "README.md"], "ends in .keras or .h5"),
        (["--model", "tests/data/stacks/not_a_model.keras"], "cannot load the model"),
        (["--bogus"], "unrecognized arguments"),
    ],
)
def test_evaluate_refuses_bad_input_in_one_line(args: list[str], message: str) -> None:
    result = run_cli("evaluate", *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


@tf
def test_evaluate_takes_any_compatible_keras_file(tmp_path: Path, keras: Any,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from lenet_explain.calculator.stacks import LECTURE
    from lenet_explain.models.keras_model import build_model

    logits = Stack("logits", LECTURE.input, (*LECTURE.layers[:-1], Dense(10, name="output")))
    path = tmp_path / "untrained-logits.keras"
    build_model(logits, seed=1).save(path)
    result = run_cli("evaluate", "--model", str(path), "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["n"] == 10_000 and 0 <= data["test_accuracy"] <= 0.3  # untrained: about chance
    assert data["test_loss"] == pytest.approx(np.log(10), rel=0.2)  # cross-entropy from logits near log 10
    wrong = tmp_path / "wrong.keras"
    build_model(Stack("wrong", Input((8, 8, 1)), (Flatten(), Dense(10)))).save(wrong)
    code, _, err = run_here(capsys, "evaluate", "--model", str(wrong))
    assert code == 2 and "a digit model maps (28, 28, 1) or (32, 32, 1) to (10,)" in err
    assert err.count("\n") == 1


@tf
def test_predict_with_the_1998_network(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lenet_explain.walkthrough import mnist

    _, (images, labels) = mnist.load_data()
    files = []
    for index in (0, 1, 2, 3, 4):
        ink = Image.fromarray(255 - images[index]).resize((112, 112), Image.Resampling.BICUBIC)
        path = tmp_path / f"digit{index}.png"
        ink.save(path)  # black ink on white paper, as a scan would be
        files.append(str(path))
    result = run_cli("predict", "--model", "lenet1998", "--json", *files)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    entries = json.loads(result.stdout)
    assert [entry["guess"] for entry in entries] == [int(labels[i]) for i in (0, 1, 2, 3, 4)]
    for entry in entries:
        penalties, probabilities = np.array(entry["penalties"]), np.array(entry["probabilities"])
        assert (entry["guess"], entry["second"]) == tuple(int(d) for d in np.argsort(penalties)[:2])  # lowest wins
        softmax = np.exp(-(penalties - penalties.min()))
        np.testing.assert_allclose(probabilities, softmax / softmax.sum(), rtol=1e-6)
    code, out, _ = run_here(capsys, "predict", "--model", "lenet1998", files[0])
    assert code == 0 and "penalty" in out


# --- The page "LeNet-5 in 1998" and the pages that now link to it ----------------------------------------


def page_soup(site: Path, page: str) -> Any:
    """The parsed HTML of a built page."""
    from bs4 import BeautifulSoup

    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")


def body_cells(soup: Any, table_id: str) -> list[list[str]]:
    """The body cells of a table, as text."""
    table = soup.find("table", id=table_id)
    assert table is not None, table_id
    return [[td.get_text() for td in tr.find_all("td")] for tr in table.find("tbody").find_all("tr")]


@pytest.mark.slow
def test_the_page_shows_the_package_numbers(built_site: Path, metrics: dict[str, Any]) -> None:
    from lenet_explain.site.lenet1998_macros import comparison_rows, ledger_rows, percent_text

    soup = page_soup(built_site, "lenet1998")
    assert soup.find("h1").get_text().startswith("LeNet-5 in 1998")
    ledger = body_cells(soup, "ledger-lenet1998")
    assert ledger == ledger_rows("lenet1998")
    assert ledger[-1][2:5] == ["60,000", "840", "340,908"]  # the paper's totals, as the page prints them
    comparison = body_cells(soup, "comparison-1998")
    assert comparison == comparison_rows()
    accuracy = next(row for row in comparison if row[0] == "test accuracy")
    assert accuracy[2] == percent_text(metrics["test_accuracy"])
    sources = {img["src"].rsplit("/", 1)[-1] for img in soup.find_all("img")}
    assert {"architecture-1998.svg", "c3-table.svg", "rbf-bitmaps.svg", "ledger-1998.svg"} <= sources
    chosen = body_cells(soup, "chosen-1998")
    assert any("bitmaps" in row[0] and row[1] == "chosen" for row in chosen)
    assert any("biases" in row[0] and row[1] == "chosen" for row in chosen)


@pytest.mark.slow
def test_other_pages_no_longer_call_the_lecture_model_the_1998_one(built_site: Path) -> None:
    parameters = page_soup(built_site, "parameters").get_text(" ")
    assert "The lecture's table is for the 1998 network" not in parameters
    assert "60,000" in parameters
    pooling = page_soup(built_site, "pooling").get_text(" ")
    assert "what LeNet-5 calls" not in pooling
    for page in ("parameters", "pooling", "history"):
        links = [a.get("href", "") for a in page_soup(built_site, page).find_all("a")]
        assert any("lenet1998/" in href for href in links), page
