"""Saved ``.keras`` models: read without TensorFlow, checked against the model Keras itself loads."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest
from stack_generators import random_stack

from lenet_explain.calculator.arithmetic import summarize
from lenet_explain.calculator.stackfile import load_stack
from lenet_explain.calculator.stacks import LECTURE
from lenet_explain.cli import main

pytestmark = pytest.mark.tf
keras = pytest.importorskip("keras")

from lenet_explain.models.keras_check import compare_with_keras, keras_layer_facts  # noqa: E402
from lenet_explain.models.keras_model import build_model  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def lecture_code_model() -> keras.Sequential:
    """The lecture's model exactly as its code builds it (Keras' automatic layer names)."""
    model = keras.Sequential()
    model.add(keras.Input(shape=(28, 28, 1)))
    model.add(keras.layers.Conv2D(filters=6, kernel_size=(5, 5), padding="same", activation="sigmoid"))
    model.add(keras.layers.AveragePooling2D(pool_size=(2, 2)))
    model.add(keras.layers.Conv2D(filters=16, kernel_size=(5, 5), activation="sigmoid"))
    model.add(keras.layers.AveragePooling2D(pool_size=(2, 2)))
    model.add(keras.layers.Conv2D(filters=120, kernel_size=(5, 5), activation="sigmoid"))
    model.add(keras.layers.Flatten())
    model.add(keras.layers.Dense(84, activation="sigmoid"))
    model.add(keras.layers.Dense(10, activation="softmax"))
    return model


def check_file_against_loaded_model(path: Path) -> None:
    """The calculator's reading of ``path`` agrees with the model Keras loads from it."""
    stack = load_stack(str(path))
    loaded = keras.models.load_model(path)
    checked, mismatches, totals = compare_with_keras(summarize(stack), loaded)
    assert not mismatches, mismatches
    assert checked == len(keras_layer_facts(loaded))  # every layer but a Functional model's InputLayer
    assert totals["total"] == loaded.count_params()


def test_lecture_code_model_read_from_keras_file(tmp_path: Path) -> None:
    path = tmp_path / "mnist.keras"
    lecture_code_model().save(path)
    check_file_against_loaded_model(path)
    stack = load_stack(str(path))
    assert [layer.type for layer in stack.layers] == [layer.type for layer in LECTURE.layers]
    assert summarize(stack).total_params == summarize(LECTURE).total_params


def test_verify_passes_for_a_saved_keras_file(tmp_path: Path) -> None:
    path = tmp_path / "lenet.keras"
    build_model(LECTURE).save(path)
    result = subprocess.run([sys.executable, "-m", "lenet_explain", "summary", "--model", str(path), "--verify"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "all match" in result.stdout
    stack = load_stack(str(path))
    assert stack.input == LECTURE.input and stack.layers == LECTURE.layers


def test_random_stacks_round_trip_through_keras_files(tmp_path: Path) -> None:
    rng = random.Random(7)
    for index in range(12):
        stack = random_stack(rng, index)
        path = tmp_path / f"random_{index}.keras"
        build_model(stack).save(path)
        check_file_against_loaded_model(path)
        assert summarize(load_stack(str(path))).total_params == summarize(stack).total_params


def test_functional_chain_is_read(tmp_path: Path) -> None:
    inputs = keras.Input(shape=(20, 20, 3))
    x = keras.layers.Conv2D(8, 3, strides=2, padding="same", activation="relu")(inputs)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.MaxPooling2D(2)(x)
    x = keras.layers.GlobalMaxPooling2D()(x)
    outputs = keras.layers.Dense(4)(x)
    path = tmp_path / "functional.keras"
    keras.Model(inputs, outputs).save(path)
    check_file_against_loaded_model(path)


def test_branching_model_is_read_with_what_each_layer_reads(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    inputs = keras.Input(shape=(8, 8, 1))
    a = keras.layers.Conv2D(2, 3, padding="same", name="wide")(inputs)
    b = keras.layers.Conv2D(2, 1, name="narrow")(inputs)
    outputs = keras.layers.Add(name="sum")([a, b])
    path = tmp_path / "branch.keras"
    keras.Model(inputs, outputs).save(path)
    check_file_against_loaded_model(path)
    summary = summarize(load_stack(str(path)))
    rows = {row.name: row for row in summary.rows}
    assert rows["sum"].inbound == ("wide", "narrow")
    assert rows["sum"].receptive_field == (3, 3)  # the largest of the two paths
    assert main(["summary", "--model", str(path)]) == 0
    assert "Connected to" in capsys.readouterr().out


@pytest.mark.parametrize("order", ["d(d(x))", "d(e(d(x)))"])
def test_a_shared_layer_reading_its_own_or_a_later_layer_s_output(tmp_path: Path, order: str) -> None:
    """Keras saves a layer's later call that reads its own output, or a layer made after it; both are read."""
    inputs = keras.Input(shape=(8,))
    d, e = keras.layers.Dense(8, name="d"), keras.layers.Dense(8, name="e")
    outputs = d(d(inputs)) if order == "d(d(x))" else d(e(d(inputs)))
    path = tmp_path / "shared.keras"
    keras.Model(inputs, outputs).save(path)
    check_file_against_loaded_model(path)
    assert main(["summary", "--model", str(path), "--verify"]) == 0


def test_layer_normalization_over_several_axes_verifies(tmp_path: Path) -> None:
    """Gamma and beta over (6, 4): one scale and one shift link per value, as the calculator counts them."""
    inputs = keras.Input(shape=(6, 4))
    path = tmp_path / "norm.keras"
    keras.Model(inputs, keras.layers.LayerNormalization(axis=[1, 2])(inputs)).save(path)
    check_file_against_loaded_model(path)
    assert main(["summary", "--model", str(path), "--verify"]) == 0


def test_an_open_input_size_is_given_with_summary_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A fully convolutional model saved with input (None, None, 3): refused without --input, exact and verified with
    it, and refused when --input contradicts a fixed size."""
    inputs = keras.Input(shape=(None, None, 3))
    x = keras.layers.Conv2D(8, 3, strides=2)(inputs)
    path = tmp_path / "open.keras"
    keras.Model(inputs, keras.layers.GlobalAveragePooling2D()(x)).save(path)
    assert main(["summary", "--model", str(path)]) == 2
    assert "input size is left open (None, None, 3); give it with summary --input" in capsys.readouterr().err
    assert main(["summary", "--model", str(path), "--input", "64,64,3", "--verify"]) == 0
    assert "(None, 31, 31, 8)" in capsys.readouterr().out
    assert main(["summary", "--model", str(path), "--input", "64,64,4"]) == 2
    assert "fixed at 3 there" in capsys.readouterr().err


@keras.saving.register_keras_serializable(package="tests")
class Mystery(keras.layers.Layer):
    """A custom layer the calculator cannot know."""

    def call(self, x: object) -> object:
        return x


def test_custom_layer_is_refused_naming_the_layer_and_its_class(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    model = keras.Sequential([keras.Input(shape=(8, 8, 1)), Mystery(name="odd"), keras.layers.Flatten()])
    path = tmp_path / "custom.keras"
    model.save(path)
    assert main(["summary", "--model", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'odd'" in err and "'Mystery'" in err and "unsupported layer type" in err
