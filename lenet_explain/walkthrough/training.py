"""The lecture's training recipe: preprocess, one-hot, compile, seeded fit, history, save and load.

Imports Keras inside the functions that need it, so importing this module stays cheap.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from lenet_explain.errors import LenetError
from lenet_explain.limits import (
    MAX_ARCHIVE_MEMBERS,
    MAX_BATCH_SIZE,
    MAX_EPOCHS,
    MAX_MODEL_FILE_BYTES,
    MAX_MODEL_PARAMS,
    MAX_SEED,
    format_limit_bytes,
)
from lenet_explain.safe_files import (
    check_writable,
    os_reason,
    replacing,
    write_atomically,
    write_text_atomically,
)

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
# TensorFlow 2.21 logs this C++ "error" once per seeded fit with validation data: the op-determinism rewrite that
# seed_everything turns on makes a MapDataset out of a ParallelMapDatasetV2 and keeps an attribute MapDataset lacks,
# which TensorFlow then ignores ("Unknown attributes will be ignored"). Nothing a user can act on, so it is dropped.
DETERMINISM_NOTICE = re.compile(
    r"^E\d{4} [\d:.]+\s+\d+ node_def_util\.cc:\d+\] NodeDef mentions attribute use_unbounded_threadpool "
    r"which is not in the op definition: Op<name=MapDataset;"
)
# Keras' generic warning (on absl's logger) when a model is saved as .h5; the train command writes the lecture's
# .h5 on purpose and says so in its own words.
KERAS_H5_WARNING = "You are saving your model as an HDF5 file"


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
    from lenet_explain.models.keras_import import keras, tf

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
    if not 1 <= epochs <= MAX_EPOCHS or not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise LenetError(f"epochs must be 1 to {MAX_EPOCHS:,} and the batch size 1 to {MAX_BATCH_SIZE:,}, "
                         f"got {epochs} and {batch_size}")
    if not 0 <= seed <= MAX_SEED:
        raise LenetError(f"the seed must be a whole number from 0 to {MAX_SEED:,}, got {seed}")
    (x_train, y_train), (x_test, y_test) = data
    train_images, test_images = prepare_images(x_train), prepare_images(x_test)
    train_labels, test_labels = one_hot(y_train), one_hot(y_test)
    seed_everything(seed)
    model = compile_model(build_lecture_model(seed))
    from lenet_explain.models.startup_notices import notices_filtered

    start = time.perf_counter()
    with notices_filtered(DETERMINISM_NOTICE):  # file descriptor 2 only: Keras' progress bar (stdout) stays live
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
    from lenet_explain.models.keras_import import keras, tf

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
    """Write ``data`` as indented JSON, atomically."""
    try:
        return write_text_atomically(path, json.dumps(data, indent=2) + "\n")
    except OSError as error:
        raise LenetError(f"{path}: cannot write: {os_reason(error)}") from None


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
    """Draw the loss and accuracy curves into an image file (PNG or SVG by the suffix), atomically."""
    try:
        return write_atomically(path, lambda temporary: draw_history(history).savefig(temporary, dpi=100))
    except OSError as error:
        raise LenetError(f"{path}: cannot write: {os_reason(error)}") from None


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


def check_outputs(out: Path) -> dict[str, Path]:
    """Return the files a training run writes (:func:`output_paths`), refusing any that cannot be written."""
    paths = output_paths(out)
    for path in paths.values():
        check_writable(path)
    return paths


def save_model(model: keras.Model, path: Path) -> Path:
    """Save as .keras (the current format) or .h5 (the lecture's legacy HDF5 format)."""
    if path.suffix not in (".keras", ".h5"):
        raise LenetError(f"save as .keras or .h5, not {str(path)!r}")
    try:
        return write_atomically(path, model.save)  # a failed write leaves the previous file as it was
    except Exception as exc:  # Keras and h5py raise many kinds for a failed write (disk full, …)
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LenetError(f"cannot save the model to {str(path)!r}: {message}") from exc


def check_model_file(path: Path) -> None:
    """Refuse, before Keras reads it, a model file that is not a regular file or breaks a limit.

    A ``.keras`` archive has at most MAX_ARCHIVE_MEMBERS members inflating to at most MAX_MODEL_FILE_BYTES; the
    model it describes has at most MAX_MODEL_PARAMS parameters, counted along its graph and at every layer's
    build shape (a model the calculator cannot count is refused), so Keras never allocates what cannot exist. An
    ``.h5`` file is at most MAX_MODEL_FILE_BYTES and checked alike.
    """
    from lenet_explain.safe_files import open_archive, open_regular, too_big

    if path.suffix not in (".keras", ".h5"):
        raise LenetError(f"a model file ends in .keras or .h5, not {str(path)!r}")
    try:
        with open_regular(path) as file:
            size = os.fstat(file.fileno()).st_size
            if size > MAX_MODEL_FILE_BYTES:
                raise too_big(size, MAX_MODEL_FILE_BYTES, "model files")
            if path.suffix == ".keras":
                with open_archive(file, MAX_ARCHIVE_MEMBERS) as archive:
                    inflated = sum(info.file_size for info in archive.infolist())
                if inflated > MAX_MODEL_FILE_BYTES:
                    raise LenetError(f"inflates to {inflated:,} bytes; model files are limited to "
                                     f"{format_limit_bytes(MAX_MODEL_FILE_BYTES)}")
    except LenetError as error:
        if str(error) == "no such file":
            raise LenetError(f"no model file at {str(path)!r}") from None
        raise LenetError(f"cannot load the model {str(path)!r}: {error}") from None
    params = described_params(path)
    if params is not None and params > MAX_MODEL_PARAMS:
        raise LenetError(f"{str(path)!r} describes a model of {params:,} parameters; models are limited to "
                         f"{MAX_MODEL_PARAMS:,} parameters")


def described_params(path: Path) -> int | None:
    """Return the most parameters Keras can allocate when it loads the model file (None: it holds no config).

    A config that breaks the limits (size, nesting, digits) is refused, and so is one with a layer the calculator
    does not know: its size cannot be checked before Keras allocates it (:mod:`lenet_explain.calculator.keras_bound`).
    """
    from lenet_explain.calculator.keras_bound import model_params_bound
    from lenet_explain.calculator.safe_data import check_data
    from lenet_explain.calculator.stackfile import parse_json, read_keras_config

    try:
        if path.suffix == ".keras":
            config = read_keras_config(path)
        else:
            config = parse_json(h5_model_config(path), "model_config")
        check_data(config, "the model's config")
    except LenetError as error:  # the readers name the file first: it is named once, here
        raise LenetError(f"cannot load the model {str(path)!r}: {str(error).removeprefix(f'{path}: ')}") from None
    if config is None:
        return None
    try:
        return model_params_bound(config)
    except LenetError as error:
        raise LenetError(f"cannot load the model {str(path)!r}: {error}; so its size cannot be checked before Keras "
                         f"builds it") from None


def h5_model_config(path: Path) -> str:
    """Return the model config JSON that Keras keeps in an HDF5 file's attributes ("null" when there is none)."""
    import h5py

    try:
        with h5py.File(path, "r") as file:
            text = file.attrs.get("model_config")
    except (OSError, ValueError) as error:
        raise LenetError(f"not a readable HDF5 file ({error})") from None
    if text is None:
        return "null"
    return text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)


def load_model(path: Path | str, compile: bool = True) -> keras.Model:
    """Load a .keras or .h5 model with Keras' safe_mode on; never load a file you don't trust.

    ``compile=False`` skips the stored optimizer and loss: enough to predict, and an .h5 then loads without
    Keras' "compiled metrics have yet to be built" warning.
    """
    path = Path(path)
    check_model_file(path)
    from lenet_explain.models import lenet1998_layers  # noqa: F401  (registers the 1998 network's layers)
    from lenet_explain.models.keras_import import keras

    try:
        return keras.models.load_model(path, compile=compile, safe_mode=True)
    except Exception as exc:  # Keras raises many kinds for a bad file
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LenetError(f"cannot load the model {str(path)!r}: {message}") from exc


@contextmanager
def keras_h5_warning_dropped() -> Iterator[None]:
    """Drop Keras' "You are saving your model as an HDF5 file… legacy" warning while the block runs."""

    def keep(record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(KERAS_H5_WARNING)

    absl_logger = logging.getLogger("absl")  # Keras logs it with absl.logging.warning
    absl_logger.addFilter(keep)
    try:
        yield
    finally:
        absl_logger.removeFilter(keep)


def save_training(result: TrainResult, out: Path) -> dict[str, Path]:
    """Save the model (.keras and .h5), its history JSON and the history plot; return the paths."""
    paths = output_paths(out)
    staged: dict[str, Path] = {}
    try:
        with replacing(*paths.values()) as temporaries:  # all four land together, or none does
            staged = dict(zip(paths, temporaries, strict=True))
            save_model(result.model, staged["keras"])
            with keras_h5_warning_dropped():  # the lecture's .h5, written on purpose (the train command says so)
                save_model(result.model, staged["h5"])
            save_json(result_metrics(result), staged["history"])
            plot_history(result.history, staged["plot"])
    except LenetError as error:  # name the file the user asked for, not its temporary twin
        for kind, temporary in staged.items():
            error = LenetError(str(error).replace(str(temporary), str(paths[kind])))
        raise error from None
    except OSError as error:
        raise LenetError(f"{out.parent}: cannot write the trained model: {os_reason(error)}") from None
    return paths
