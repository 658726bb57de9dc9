"""Digit models by name or file, each with its input and output conventions, and their score on the MNIST test set.

Two conventions are known. The lecture's: a 28×28 input scaled to [0, 1] and ten probabilities out. The 1998
paper's: a 32×32 input (the digit padded by 2, background −0.1, ink 1.175) and, when the last layer is the RBF
output, ten penalties out where the lowest wins; its probabilities are a softmax over −penalty. Any ``.keras``
file whose input is 28×28×1 or 32×32×1 and whose output is 10 values is compatible: the input size picks the
scaling, and outputs that are not probabilities are read as logits. Keras is imported only to load a model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from lenet_explain.errors import LenetError

if TYPE_CHECKING:
    from lenet_explain.models.keras_import import keras

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
LENET1998_MODEL = DATA_DIR / "lenet1998_mnist.keras"
LENET1998_METRICS = DATA_DIR / "lenet1998_mnist_metrics.json"
LENET1998_VALIDATION = DATA_DIR / "lenet1998_validation.json"  # how the recipe was chosen (train_lenet1998 --validate)
NAMED_MODELS = {"lecture": DATA_DIR / "lenet5_mnist.keras", "lenet1998": LENET1998_MODEL}
INPUT_SIZES = (28, 32)
NUM_CLASSES = 10


def resolve_model(model: str | Path | None) -> Path:
    """Return the file of a named model (``lecture``, ``lenet1998``), or ``model`` itself as a path."""
    if model is None:
        return NAMED_MODELS["lecture"]
    return NAMED_MODELS.get(str(model), Path(model))


@dataclass(frozen=True)
class DigitModel:
    """A loaded digit model and how to feed and read it."""

    model: keras.Model
    path: Path
    input_size: int  # 28: the lecture's [0, 1] input; 32: the paper's padded, −0.1..1.175 input
    output: str  # 'probabilities', 'logits' or 'penalties'

    def inputs(self, images: np.ndarray) -> np.ndarray:
        """Return the model's input for 28×28 digits, uint8 or in [0, 1]: (N, 28, 28) -> (N, size, size, 1)."""
        from lenet_explain.walkthrough.training1998 import paper_inputs

        if self.input_size == 32:
            return paper_inputs(images)
        values = images.astype(np.float32) / (255 if images.dtype == np.uint8 else 1)
        return values[..., np.newaxis]  # (N, 28, 28, 1)

    def raw_outputs(self, images: np.ndarray, batch_size: int = 1000) -> np.ndarray:
        """Return what the model's last layer gives for 28×28 digits: (N, 28, 28) -> (N, 10)."""
        if len(images) == 0:
            return np.zeros((0, NUM_CLASSES))
        inputs = self.inputs(images)  # (N, size, size, 1)
        return np.concatenate([call_model(self.model, inputs[start:start + batch_size])
                               for start in range(0, len(inputs), batch_size)])  # (N, 10)

    def probabilities(self, outputs: np.ndarray) -> np.ndarray:
        """Return probabilities from raw outputs: as they are, a softmax of logits or of −penalties."""
        if self.output == "probabilities":
            return outputs
        from lenet_explain.models.lenet1998_layers import penalties_to_probabilities

        return penalties_to_probabilities(-outputs if self.output == "logits" else outputs)


def call_model(model: Any, inputs: np.ndarray) -> np.ndarray:
    """Return the model's outputs for one batch, called directly.

    Not ``model.predict``: it builds a tf.function per model, and many small calls with several models (the site
    build does that) make TensorFlow warn about retracing.
    """
    return np.asarray(model(inputs, training=False), np.float64)


def output_kind(model: Any, sample: np.ndarray) -> str:
    """Return 'penalties' for an RBF output, else 'probabilities' or 'logits' by what the model gives for ``sample``."""
    if type(model.layers[-1]).__name__ == "EuclideanRBF":
        return "penalties"
    outputs = call_model(model, sample)
    sums = outputs.sum(axis=-1)
    return "probabilities" if outputs.min() >= 0 and np.allclose(sums, 1, atol=1e-3) else "logits"


def load_digit_model(model: str | Path | None = None) -> DigitModel:
    """Load a named model or a ``.keras``/``.h5`` file and check that it maps a digit to ten values."""
    from lenet_explain.walkthrough.training import load_model

    path = resolve_model(model)
    return as_digit_model(load_model(path, compile=False), path)  # predicting and scoring need no optimizer


def as_digit_model(keras_model: Any, path: Path | None = None) -> DigitModel:
    """Return a loaded Keras model (or a :class:`DigitModel`, as is) with its conventions, checking its shapes."""
    if isinstance(keras_model, DigitModel):
        return keras_model
    input_shape = tuple(keras_model.input_shape[1:]) if hasattr(keras_model, "input_shape") else None
    output_shape = tuple(keras_model.output_shape[1:]) if hasattr(keras_model, "output_shape") else None
    if input_shape not in ((28, 28, 1), (32, 32, 1)) or output_shape != (NUM_CLASSES,):
        raise LenetError(
            f"the model {str(path or keras_model.name)!r} maps {input_shape} to {output_shape}; "
            f"a digit model maps (28, 28, 1) or (32, 32, 1) to ({NUM_CLASSES},)"
        )
    size = int(input_shape[0])
    probe = DigitModel(keras_model, path or Path(keras_model.name), size, "probabilities")
    kind = output_kind(keras_model, probe.inputs(np.zeros((2, 28, 28), np.uint8)))
    return DigitModel(keras_model, probe.path, size, kind)


def evaluation_loss(digit_model: DigitModel, outputs: np.ndarray, labels: np.ndarray) -> float:
    """Return the mean loss the model trains with: the MAP criterion for penalties, else cross-entropy."""
    from lenet_explain.models.keras_import import keras
    from lenet_explain.models.lenet1998_layers import MAP_J, map_criterion
    from lenet_explain.walkthrough.training import one_hot

    targets = one_hot(labels)
    if digit_model.output == "penalties":
        j = getattr(getattr(digit_model.model, "loss", None), "j", MAP_J)  # the j it was trained with
        losses = map_criterion(targets, outputs.astype(np.float32), j)
    else:
        losses = keras.losses.categorical_crossentropy(
            targets, outputs.astype(np.float32), from_logits=digit_model.output == "logits"
        )
    return float(np.mean(keras.ops.convert_to_numpy(losses)))


def evaluate_digit_model(digit_model: DigitModel, images: np.ndarray, labels: np.ndarray, name: str
                         ) -> dict[str, Any]:
    """Return ``{"model", "test_accuracy", "test_loss", "n"}`` of a model on digits and their labels."""
    outputs = digit_model.raw_outputs(images)  # (N, 10)
    guesses = outputs.argmin(axis=-1) if digit_model.output == "penalties" else outputs.argmax(axis=-1)
    return {
        "model": name,
        "test_accuracy": float(np.mean(guesses == labels)),
        "test_loss": evaluation_loss(digit_model, outputs, labels),
        "n": len(labels),
    }
