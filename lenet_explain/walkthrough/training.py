"""The lecture's training recipe: preprocess, one-hot, compile, seeded fit, history, save and load.

Imports Keras inside the functions that need it, so importing this module stays cheap.
"""

from __future__ import annotations

import json
import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from lenet_explain.errors import LenetError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from lenet_explain.models.keras_import import keras

EPOCHS = 10  # the lecture's model.fit(..., epochs=10)
BATCH_SIZE = 32  # Keras' default, which the lecture used (1875 steps of 32 per epoch)
SEED = 1
NUM_CLASSES = 10
FAST_ENV = "LENET_EXPLAIN_FAST"  # set to 1 for a quick run: a subset of MNIST and one epoch
FAST_TRAIN_SIZE = 12000
FAST_TEST_SIZE = 2000
OPTIMIZER = "adam"
LOSS = "categorical_crossentropy"
METRICS = ("accuracy",)  # the lecture wrote metrics=['acc']; Keras 3 names it by what you pass


@dataclass(frozen=True)
class TrainResult:
    """A trained model with its per-epoch history and its final test-set numbers."""

    model: keras.Sequential
    history: dict[str, list[float]]  # loss, accuracy, val_loss, val_accuracy: one value per epoch
    test_loss: float
    test_accuracy: float
    seconds: float
    seed: int
    epochs: int
    batch_size: int
    train_size: int
    test_size: int


Data = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def fast_mode() -> bool:
    """True when ``$LENET_EXPLAIN_FAST`` asks for a quick run (tests and notebook checks)."""
    return os.environ.get(FAST_ENV, "") not in ("", "0")


def take_subset(data: Data, train_size: int = FAST_TRAIN_SIZE, test_size: int = FAST_TEST_SIZE) -> Data:
    """Return the first ``train_size`` training and ``test_size`` test examples."""
    (x_train, y_train), (x_test, y_test) = data
    return (x_train[:train_size], y_train[:train_size]), (x_test[:test_size], y_test[:test_size])


def prepare_images(images: np.ndarray) -> np.ndarray:
    """Add the channel axis and scale bytes to [0, 1]: (N, 28, 28) uint8 -> (N, 28, 28, 1) float32."""
    if images.ndim != 3:
        raise LenetError(f"expected images shaped (N, height, width), got {images.shape}")
    return images.reshape(*images.shape, 1).astype(np.float32) / 255  # (N, 28, 28, 1)


def one_hot(labels: np.ndarray, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """Return one row per label with a 1 in the label's column: (N,) -> (N, num_classes) float32."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or (labels.size and (labels.min() < 0 or labels.max() >= num_classes)):
        raise LenetError(f"labels must be a 1-D array of integers 0..{num_classes - 1}")
    return np.eye(num_classes, dtype=np.float32)[labels]  # (N, 10)


def seed_everything(seed: int) -> None:
    """Seed Python, numpy and the backend and make TensorFlow's ops deterministic."""
    import tensorflow as tf

    from lenet_explain.models.keras_import import keras

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def build_lecture_model(seed: int = SEED) -> keras.Sequential:
    """Return the lecture's LeNet-5 (28×28 input) with seeded initial weights."""
    from lenet_explain.calculator.stacks import LECTURE
    from lenet_explain.models.keras_model import build_model

    return build_model(LECTURE, seed=seed)


def compile_model(model: keras.Model) -> keras.Model:
    """Compile as the lecture did: adam, categorical cross-entropy, accuracy."""
    model.compile(optimizer=OPTIMIZER, loss=LOSS, metrics=list(METRICS))
    return model


def train_model(
    data: Data,
    epochs: int = EPOCHS,
    batch_size: int = BATCH_SIZE,
    seed: int = SEED,
    verbose: int | str = 1,
) -> TrainResult:
    """Train the lecture's model on MNIST-shaped ``data``, validating on the test set each epoch."""
    if epochs < 1 or batch_size < 1:
        raise LenetError(f"epochs and batch size must be at least 1, got {epochs} and {batch_size}")
    (x_train, y_train), (x_test, y_test) = data
    train_images, test_images = prepare_images(x_train), prepare_images(x_test)
    train_labels, test_labels = one_hot(y_train), one_hot(y_test)
    seed_everything(seed)
    model = compile_model(build_lecture_model(seed))
    start = time.perf_counter()
    fit = model.fit(
        train_images,
        train_labels,
        epochs=epochs,
        batch_size=batch_size,
        validation_data=(test_images, test_labels),
        verbose=verbose,
    )
    seconds = time.perf_counter() - start
    test_loss, test_accuracy = model.evaluate(test_images, test_labels, batch_size=1000, verbose=0)
    history = {key: [float(v) for v in values] for key, values in fit.history.items()}
    return TrainResult(
        model=model,
        history=history,
        test_loss=float(test_loss),
        test_accuracy=float(test_accuracy),
        seconds=seconds,
        seed=seed,
        epochs=epochs,
        batch_size=batch_size,
        train_size=len(x_train),
        test_size=len(x_test),
    )


def evaluate_model(model: keras.Model, images: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Return (loss, accuracy) of ``model`` on uint8 images and integer labels."""
    if not model.compiled:
        compile_model(model)
    loss, accuracy = model.evaluate(prepare_images(images), one_hot(labels), batch_size=1000, verbose=0)
    return float(loss), float(accuracy)


def result_metrics(result: TrainResult) -> dict[str, Any]:
    """Return what a training run measured, with the versions that produced it, as JSON-ready data."""
    import tensorflow as tf

    from lenet_explain.models.keras_import import keras

    return {
        "model": "lecture",
        "test_accuracy": result.test_accuracy,
        "test_loss": result.test_loss,
        "history": result.history,
        "seed": result.seed,
        "epochs": result.epochs,
        "batch_size": result.batch_size,
        "train_size": result.train_size,
        "test_size": result.test_size,
        "optimizer": OPTIMIZER,
        "loss": LOSS,
        "training_seconds": round(result.seconds, 1),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def save_json(data: dict[str, Any], path: Path) -> Path:
    """Write ``data`` as indented JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


def draw_history(history: dict[str, list[float]]) -> Figure:
    """Return a figure with the loss and accuracy curves, training and validation, per epoch."""
    from matplotlib.figure import Figure

    epochs = list(range(1, len(history["loss"]) + 1))
    fig = Figure(figsize=(10, 3.8))
    ax_loss, ax_acc = fig.subplots(1, 2)
    for ax, key, title in ((ax_loss, "loss", "Loss"), (ax_acc, "accuracy", "Accuracy")):
        ax.plot(epochs, history[key], "o-", label="training")
        if f"val_{key}" in history:
            ax.plot(epochs, history[f"val_{key}"], "s-", label="validation (test set)")
        ax.set_title(title)
        ax.set_xlabel("epoch")
        ax.set_xticks(epochs)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return fig


def plot_history(history: dict[str, list[float]], path: Path) -> Path:
    """Draw the loss and accuracy curves into an image file (PNG or SVG by the suffix)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draw_history(history).savefig(path, dpi=100)
    return path


def output_paths(out: Path) -> dict[str, Path]:
    """Return the files a training run writes next to ``out`` (which must end in .keras)."""
    if out.suffix != ".keras":
        raise LenetError(f"the model path must end in .keras, got {str(out)!r}")
    stem = out.with_suffix("")
    return {
        "keras": out,
        "h5": out.with_suffix(".h5"),
        "history": stem.with_name(stem.name + "_history.json"),
        "plot": stem.with_name(stem.name + "_history.png"),
    }


def save_model(model: keras.Model, path: Path) -> Path:
    """Save as .keras (the current format) or .h5 (the lecture's legacy HDF5 format)."""
    if path.suffix not in (".keras", ".h5"):
        raise LenetError(f"save as .keras or .h5, not {str(path)!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    model.save(path)
    return path


def load_model(path: Path | str) -> keras.Model:
    """Load a .keras or .h5 model with Keras' safe_mode on; never load a file you don't trust."""
    path = Path(path)
    if not path.is_file():
        raise LenetError(f"no model file at {str(path)!r}")
    if path.suffix not in (".keras", ".h5"):
        raise LenetError(f"a model file ends in .keras or .h5, not {str(path)!r}")
    from lenet_explain.models import lenet1998_layers  # noqa: F401  (registers the 1998 network's layers)
    from lenet_explain.models.keras_import import keras

    try:
        return keras.models.load_model(path, safe_mode=True)
    except Exception as exc:  # Keras raises many kinds for a bad file
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LenetError(f"cannot load the model {str(path)!r}: {message}") from exc


def save_training(result: TrainResult, out: Path) -> dict[str, Path]:
    """Save the model (.keras and .h5), its history JSON and the history plot; return the paths."""
    paths = output_paths(out)
    save_model(result.model, paths["keras"])
    save_model(result.model, paths["h5"])
    save_json(result_metrics(result), paths["history"])
    plot_history(result.history, paths["plot"])
    return paths
