"""Train the LeNet-5 of 1998 on MNIST: the paper's input scaling, initialisation and MAP criterion, a chosen optimiser.

Faithful to LeCun et al. 1998: 28×28 digits padded to 32×32 with the background at −0.1 and full ink at 1.175
(section II.B), weights drawn uniformly in ±2.4/F with F the fan-in of their unit (appendix A), the MAP criterion
(eq. 9) on the RBF penalties, 60,000 training images and no distortions. Chosen where the paper is silent or where we
depart from it: biases drawn like the weights of their unit; the constant j of eq. 9; and Adam with mini-batches and
a learning rate decaying each epoch instead of the paper's per-example stochastic diagonal Levenberg–Marquardt
(see :data:`LEARNING_RATE` for why). Keras is imported inside the functions.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from lenet_explain.errors import LenetError
from lenet_explain.safe_files import write_text_atomically
from lenet_explain.walkthrough.paper_results import paper_result
from lenet_explain.walkthrough.training import Data, TrainResult, one_hot, seed_everything

if TYPE_CHECKING:
    from lenet_explain.models.keras_import import keras

PAD = 2  # 28×28 MNIST digits sit in the middle of the paper's 32×32 input
BACKGROUND = -0.1  # the paper's input level for white (background) pixels
FULL_INK = 1.175  # and for black (ink) ones: the mean is then about 0 and the variance about 1
INIT_LIMIT = 2.4  # appendix A: weights uniform in ±2.4/F, F the unit's fan-in
EPOCHS = 25
BATCH_SIZE = 32
SEED = 1
# Adam rather than the paper's SDLM: SDLM is per-example SGD whose step for each weight is divided by an estimate of
# the diagonal Hessian, i.e. a per-weight step size learnt from the curvature; Adam is the per-weight step size that
# every framework ships, and runs on mini-batches. Like the paper's schedule (0.0005 down to 0.00001 over 20 passes),
# the rate falls: from 1e-3 by a factor 0.85 per epoch, to about 2e-5 at the 25th.
LEARNING_RATE = 1e-3
DECAY_PER_EPOCH = 0.85
LOSS = "map_criterion"
OPTIMIZER = "adam"
VALIDATION_SIZE = 5_000  # the recipe was chosen on the last 5,000 training digits (train_lenet1998.py --validate)
# What the paper reports (section III.C) for its own run, to compare with: 20 passes with SDLM, a global rate
# falling from 0.0005 to 0.00001, a test error of 0.95% without distortions and 0.35% on the training set.
PAPER_PASSES = 20
PAPER_RATES = (0.0005, 0.00001)
PAPER_TEST_ERROR = paper_result("lenet5").error_percent / 100  # the same run's row of the paper's Fig. 9
PAPER_TRAIN_ERROR = 0.0035
# The paper's numbers for its two criteria (section II.C): the mean squared error and the MAP criterion trained here.
PAPER_MSE_EQUATION = 8
PAPER_MAP_EQUATION = 9


def paper_inputs(images: np.ndarray) -> np.ndarray:
    """Scale and pad digits as the paper does: (N, 28, 28) in [0, 1] or uint8 -> (N, 32, 32, 1), −0.1 to 1.175."""
    if images.ndim != 3:
        raise LenetError(f"expected images shaped (N, height, width), got {images.shape}")
    values = images.astype(np.float32) / (255 if images.dtype == np.uint8 else 1)  # (N, 28, 28) in [0, 1]
    scaled = BACKGROUND + (FULL_INK - BACKGROUND) * values
    padded = np.pad(scaled, ((0, 0), (PAD, PAD), (PAD, PAD)), constant_values=BACKGROUND)  # (N, 32, 32)
    return padded[..., np.newaxis].astype(np.float32)  # (N, 32, 32, 1)


def fan_ins(layer: Any) -> np.ndarray | None:
    """Return the fan-in of each unit of a layer's output maps, in the order of its kernel's last axis."""
    kind = type(layer).__name__
    if kind == "Conv2D":
        kh, kw, channels, filters = layer.kernel.shape
        return np.full(filters, kh * kw * channels)
    if kind == "Dense":
        inputs, units = layer.kernel.shape
        return np.full(units, inputs)
    if kind == "SparseConv2D":
        kh, kw = layer.kernel_size
        return np.array([kh * kw * len(row) for row in layer.connections])
    if kind == "Subsampling2D":
        return np.full(layer.coefficient.shape[0], layer.pool_size[0] * layer.pool_size[1])
    return None


def initialise_like_the_paper(model: keras.Model, seed: int = SEED) -> None:
    """Draw every trainable weight uniformly in ±2.4/F, F the fan-in of the unit it feeds (biases too)."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        fan_in = fan_ins(layer)
        if fan_in is None:
            continue
        limit = INIT_LIMIT / fan_in  # (units,)
        for weight in layer.trainable_weights:
            shape = tuple(weight.shape)
            if type(layer).__name__ == "SparseConv2D" and weight.name == "kernel":
                per_column = np.repeat(limit, [len(row) for row in layer.connections])  # (links,)
                scale = np.broadcast_to(per_column, shape)
            else:
                scale = np.broadcast_to(limit, shape)
            weight.assign(rng.uniform(-1, 1, size=shape).astype(np.float32) * scale.astype(np.float32))


def build_lenet1998(seed: int = SEED) -> keras.Sequential:
    """Return the 1998 network built from its description, initialised as in the paper's appendix A."""
    from lenet_explain.calculator.stacks import LENET1998
    from lenet_explain.models.keras_model import build_model

    model = build_model(LENET1998, seed=seed)
    initialise_like_the_paper(model, seed)
    return model


def compile_lenet1998(model: keras.Model, steps_per_epoch: int = 1, j: float | None = None) -> keras.Model:
    """Compile with the MAP criterion (constant ``j``), lowest-penalty accuracy and Adam decaying every epoch."""
    from lenet_explain.models.keras_import import keras
    from lenet_explain.models.lenet1998_layers import MAP_J, MapCriterion, lowest_penalty_accuracy

    schedule = keras.optimizers.schedules.ExponentialDecay(
        LEARNING_RATE, decay_steps=steps_per_epoch, decay_rate=DECAY_PER_EPOCH, staircase=True
    )
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss=MapCriterion(MAP_J if j is None else j),
                  metrics=[lowest_penalty_accuracy])
    return model


def train_lenet1998(
    data: Data, epochs: int = EPOCHS, batch_size: int = BATCH_SIZE, seed: int = SEED, verbose: int | str = 2,
    j: float | None = None,
) -> TrainResult:
    """Train the 1998 network on MNIST-shaped ``data``, reporting the test set after each epoch."""
    if epochs < 1 or batch_size < 1:
        raise LenetError(f"epochs and batch size must be at least 1, got {epochs} and {batch_size}")
    (x_train, y_train), (x_test, y_test) = data
    train_images, test_images = paper_inputs(x_train), paper_inputs(x_test)
    train_labels, test_labels = one_hot(y_train), one_hot(y_test)
    seed_everything(seed)
    model = compile_lenet1998(build_lenet1998(seed), steps_per_epoch=-(-len(x_train) // batch_size), j=j)
    start = time.perf_counter()
    fit = model.fit(train_images, train_labels, epochs=epochs, batch_size=batch_size,
                    validation_data=(test_images, test_labels), verbose=verbose)
    seconds = time.perf_counter() - start
    test_loss, test_accuracy = model.evaluate(test_images, test_labels, batch_size=1000, verbose=0)
    history = {key.replace("lowest_penalty_accuracy", "accuracy"): [float(v) for v in values]
               for key, values in fit.history.items()}
    return TrainResult(model=model, history=history, test_loss=float(test_loss), test_accuracy=float(test_accuracy),
                       seconds=seconds, seed=seed, epochs=epochs, batch_size=batch_size, train_size=len(x_train),
                       test_size=len(x_test))


def validation_split(data: Data, size: int = VALIDATION_SIZE) -> Data:
    """Return the training set split in two: all but the last ``size`` digits to train, those to validate."""
    (x_train, y_train), _ = data
    return (x_train[:-size], y_train[:-size]), (x_train[-size:], y_train[-size:])


def recipe(model: keras.Model | None = None) -> dict[str, Any]:
    """Return the choices of this recipe (with the constant j a compiled ``model`` used), for the metrics file."""
    from lenet_explain.models.lenet1998_layers import MAP_J

    return {
        "optimizer": OPTIMIZER, "learning_rate": LEARNING_RATE, "decay_per_epoch": DECAY_PER_EPOCH,
        "loss": LOSS, "map_j": getattr(getattr(model, "loss", None), "j", MAP_J), "init_limit": INIT_LIMIT,
        "input": {"pad": PAD, "background": BACKGROUND, "full_ink": FULL_INK},
    }


def validation_entry(result: TrainResult) -> dict[str, Any]:
    """Return one validation run (``--validate``) as recorded in the validation file: its recipe and its scores."""
    return {**recipe(result.model), "seed": result.seed, "epochs": result.epochs, "batch_size": result.batch_size,
            "train_size": result.train_size, "validation_size": result.test_size,
            "val_accuracy": result.history["val_accuracy"], "final_val_accuracy": result.test_accuracy}


def record_validation(entry: dict[str, Any], path: Path) -> list[dict[str, Any]]:
    """Add a validation run to the file at ``path`` (replacing one with the same recipe); return every run."""
    import json

    runs = json.loads(path.read_text(encoding="utf-8"))["runs"] if path.is_file() else []
    same = ("optimizer", "learning_rate", "decay_per_epoch", "map_j", "seed", "epochs", "batch_size")
    runs = [run for run in runs if any(run.get(key) != entry[key] for key in same)] + [entry]
    write_text_atomically(path, json.dumps({"runs": runs}, indent=1) + "\n")
    return runs


def result_metrics_1998(result: TrainResult) -> dict[str, Any]:
    """Return what a training run of the 1998 network measured, its recipe and the versions, as JSON-ready data."""
    from lenet_explain.walkthrough.training import result_metrics

    return {**result_metrics(result), "model": "lenet1998", **recipe(result.model)}
