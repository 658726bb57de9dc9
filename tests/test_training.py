"""The lecture's recipe: one-hot, a short seeded training run, save/load in both formats, the reference model."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from lenet_explain.errors import LenetError
from lenet_explain.walkthrough import mnist, training
from lenet_explain.walkthrough.predict import REFERENCE_METRICS, REFERENCE_MODEL

pytestmark = pytest.mark.tf

Data = training.Data


@pytest.fixture(scope="module")
def data() -> Data:
    """The real MNIST."""
    return mnist.load_data()


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``lenet-explain`` as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "lenet_explain", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], dict[str, Path]]:
    """``lenet-explain train`` in fast mode: the lecture's recipe on a subset for one epoch."""
    out = tmp_path_factory.mktemp("train") / "run" / "digits.keras"
    result = run_cli("train", "--out", str(out), env={training.FAST_ENV: "1"})
    assert result.returncode == 0, result.stderr[-2000:]
    return result, training.output_paths(out)


@pytest.fixture(scope="module")
def cli_metrics(cli_run: tuple[subprocess.CompletedProcess[str], dict[str, Path]]) -> dict[str, Any]:
    """The history JSON that the fast training run wrote."""
    return dict(json.loads(cli_run[1]["history"].read_text()))


def test_one_hot_matches_keras(data: Data) -> None:
    import keras

    labels = data[0][1][:1000]
    encoded = training.one_hot(labels)
    assert encoded.shape == (1000, 10)
    np.testing.assert_array_equal(encoded, keras.utils.to_categorical(labels, 10))
    # pandas.get_dummies (the lecture's way) makes one column per distinct label, in sorted order:
    # with all ten digits present that is exactly this matrix.
    columns = np.unique(labels)
    dummies = (labels[:, np.newaxis] == columns[np.newaxis, :]).astype(np.float32)
    assert columns.tolist() == list(range(10))
    np.testing.assert_array_equal(encoded, dummies)
    np.testing.assert_array_equal(encoded.argmax(axis=1), labels)
    with pytest.raises(LenetError):
        training.one_hot(np.array([0, 10]))


def test_prepare_images_is_the_lecture_reshape_and_scale(data: Data) -> None:
    images = data[1][0][:50]
    prepared = training.prepare_images(images)
    assert prepared.shape == (50, 28, 28, 1) and prepared.dtype == np.float32
    np.testing.assert_allclose(prepared, images.reshape(50, 28, 28, 1) / 255, rtol=1e-6)


def test_train_command_writes_every_file(
    cli_run: tuple[subprocess.CompletedProcess[str], dict[str, Path]], cli_metrics: dict[str, Any]
) -> None:
    result, paths = cli_run
    steps = math.ceil(training.FAST_TRAIN_SIZE / training.BATCH_SIZE)
    assert f"{steps}/{steps}" in result.stdout  # Keras' progress bar
    for path in paths.values():
        assert path.is_file() and path.stat().st_size > 0, path
    assert f"test accuracy {cli_metrics['test_accuracy']:.4f}" in result.stdout
    with Image.open(paths["plot"]) as plot:
        assert plot.format == "PNG" and plot.width > 500


def test_train_and_predict_speak_in_their_own_words(
    cli_run: tuple[subprocess.CompletedProcess[str], dict[str, Path]], data: Data, tmp_path: Path
) -> None:
    """No Keras HDF5 warning, no TensorFlow notice: train says itself that the lecture's .h5 is on purpose."""
    result, paths = cli_run
    fast_note = f"{training.FAST_ENV} is set: training on {training.FAST_TRAIN_SIZE} images for 1 epoch"
    assert result.stderr.splitlines() == [fast_note]
    assert f"{paths['h5'].name} is written on purpose" in result.stdout
    digit = tmp_path / "digit.png"
    Image.fromarray(255 - data[1][0][0]).save(digit)  # black on white, as a user's scan
    predicted = run_cli("predict", str(digit), "--model", str(paths["h5"]))
    assert predicted.returncode == 0 and predicted.stderr == ""  # an .h5 loads without Keras' compile warning
    assert predicted.stdout.startswith(f"{digit}: ")


def test_a_short_run_clearly_beats_chance(cli_metrics: dict[str, Any]) -> None:
    assert cli_metrics["train_size"] == training.FAST_TRAIN_SIZE and cli_metrics["epochs"] == 1
    assert cli_metrics["test_size"] == training.FAST_TEST_SIZE
    assert set(cli_metrics["history"]) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert cli_metrics["test_accuracy"] > 0.5  # chance is 0.1
    assert cli_metrics["history"]["val_accuracy"][-1] == pytest.approx(cli_metrics["test_accuracy"], abs=1e-6)
    assert cli_metrics["seed"] == training.SEED


def test_the_same_seed_gives_the_same_numbers(
    cli_run: tuple[subprocess.CompletedProcess[str], dict[str, Path]], cli_metrics: dict[str, Any], data: Data
) -> None:
    again = training.train_model(training.take_subset(data), epochs=1, seed=cli_metrics["seed"], verbose=0)
    assert again.history == cli_metrics["history"]  # another process, the same numbers
    saved = training.load_model(cli_run[1]["keras"])
    for ours, theirs in zip(again.model.get_weights(), saved.get_weights(), strict=True):
        np.testing.assert_array_equal(ours, theirs)
    assert [layer.name for layer in again.model.layers] == [
        "C1",
        "S2",
        "C3",
        "S4",
        "C5",
        "flatten",
        "F6",
        "output",
    ]
    # and the seed matters: another seed starts from other weights
    first, other = training.build_lecture_model(7), training.build_lecture_model(8)
    assert not np.array_equal(first.get_weights()[0], other.get_weights()[0])


def test_save_and_load_both_formats_predict_identically(
    cli_run: tuple[subprocess.CompletedProcess[str], dict[str, Path]], data: Data, tmp_path: Path
) -> None:
    model = training.load_model(cli_run[1]["keras"])
    images = training.prepare_images(data[1][0][:200])
    expected = model.predict(images, verbose=0)
    for suffix in (".keras", ".h5"):
        path = training.save_model(model, tmp_path / f"again{suffix}")
        np.testing.assert_array_equal(training.load_model(path).predict(images, verbose=0), expected)
    from_cli_h5 = training.load_model(cli_run[1]["h5"])  # the train command's legacy twin
    np.testing.assert_allclose(from_cli_h5.predict(images, verbose=0), expected, rtol=1e-6, atol=1e-7)


def test_load_model_refuses_bad_files(tmp_path: Path) -> None:
    with pytest.raises(LenetError, match="no model file"):
        training.load_model(tmp_path / "missing.keras")
    text = tmp_path / "model.txt"
    text.write_text("hello")
    with pytest.raises(LenetError, match=r"ends in \.keras or \.h5"):
        training.load_model(text)
    garbage = tmp_path / "garbage.keras"
    garbage.write_bytes(b"this is not a zip file")
    with pytest.raises(LenetError, match="cannot load the model"):
        training.load_model(garbage)
    with pytest.raises(LenetError, match=r"must end in \.keras"):
        training.output_paths(tmp_path / "model.h5")


@pytest.fixture(scope="module")
def reference_metrics() -> dict[str, object]:
    """The committed metrics of the reference model."""
    return dict(json.loads(REFERENCE_METRICS.read_text()))


def test_the_committed_model_is_the_lecture_model(reference_metrics: dict[str, object]) -> None:
    from lenet_explain.calculator.stacks import LECTURE
    from lenet_explain.models.keras_model import build_model

    committed = training.load_model(REFERENCE_MODEL)
    built = build_model(LECTURE)
    assert committed.count_params() == built.count_params()
    for ours, fresh in zip(committed.layers, built.layers, strict=True):
        assert (ours.name, type(ours).__name__, ours.output.shape) == (
            fresh.name,
            type(fresh).__name__,
            fresh.output.shape,
        )
    assert reference_metrics["epochs"] == training.EPOCHS and reference_metrics["batch_size"] == training.BATCH_SIZE
    assert reference_metrics["optimizer"] == "adam" and reference_metrics["loss"] == "categorical_crossentropy"
    assert REFERENCE_MODEL.stat().st_size < 2_000_000


def test_the_committed_model_scores_its_committed_accuracy(data: Data, reference_metrics: dict[str, object]) -> None:
    model = training.load_model(REFERENCE_MODEL)
    loss, accuracy = training.evaluate_model(model, data[1][0], data[1][1])
    history = reference_metrics["history"]
    assert isinstance(history, dict)
    assert len(history["val_accuracy"]) == training.EPOCHS
    assert accuracy >= 0.984
    # the same 10,000 images: at most two predictions may flip on another CPU's float rounding
    assert accuracy == pytest.approx(reference_metrics["test_accuracy"], abs=2e-4)
    assert history["val_accuracy"][-1] == pytest.approx(accuracy, abs=2e-4)
    assert loss == pytest.approx(reference_metrics["test_loss"], rel=1e-3)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--epochs", "0"], "from 1 to"),
        (["--batch-size", "many"], "whole number"),
        (["--out", "model.h5"], "must end in .keras"),
    ],
)
def test_train_command_rejects_bad_options(args: list[str], message: str, tmp_path: Path) -> None:
    result = run_cli("train", *args)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
