"""Predict the digit in image files with the reference model, the 1998 network, or any compatible digit model.

One broken file never stops the others: each file gets either a prediction or an error entry.
Keras is imported only when a model is loaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from lenet_explain.errors import LenetError
from lenet_explain.walkthrough.digit_models import DigitModel, as_digit_model, load_digit_model, resolve_model
from lenet_explain.walkthrough.images import Preprocessed, preprocess_image, preprocess_naive

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from lenet_explain.models.keras_import import keras

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
REFERENCE_MODEL = DATA_DIR / "lenet5_mnist.keras"
REFERENCE_METRICS = DATA_DIR / "lenet5_mnist_metrics.json"
METHODS = ("mnist", "naive")  # MNIST-style preprocessing (default) or the lecture's naive path
INPUT_SHAPE = (28, 28, 1)
NUM_CLASSES = 10


@dataclass(frozen=True)
class Prepared:
    """One file after preprocessing: the model input, or the one-line reason it failed."""

    file: str  # exactly as given
    image: np.ndarray | None = None  # (28, 28) float32
    steps: Preprocessed | None = None  # the MNIST-style steps (None for the naive path or on error)
    error: str | None = None


def load_predictor(path: Path | str | None = None) -> DigitModel:
    """Load a model (the reference model by default, or ``lenet1998``) and check it maps a digit to 10 classes."""
    return load_digit_model(path)


def prepare_file(file: str, method: str = "mnist") -> Prepared:
    """Preprocess one file, catching its error so the other files still run."""
    if method not in METHODS:
        raise LenetError(f"unknown preprocessing {method!r} (choose from {', '.join(METHODS)})")
    try:
        if method == "naive":
            return Prepared(file=file, image=preprocess_naive(file))
        steps = preprocess_image(file)
        return Prepared(file=file, image=steps.image, steps=steps)
    except LenetError as exc:
        return Prepared(file=file, error=str(exc))
    except MemoryError:
        return Prepared(file=file, error="absurdly large: out of memory while decoding")


def predict_images(model: keras.Model | DigitModel, images: Sequence[np.ndarray]) -> np.ndarray:
    """Return class probabilities for 28×28 images in [0, 1]: (N, 28, 28) -> (N, 10)."""
    if not images:
        return np.zeros((0, NUM_CLASSES), dtype=np.float32)
    digits = as_digit_model(model)
    return digits.probabilities(digits.raw_outputs(np.stack(list(images))))  # (N, 10)


def top_two(probabilities: Sequence[float]) -> tuple[int, int]:
    """Return the first and second guess: the two most probable digits."""
    order = np.argsort(-np.asarray(probabilities), kind="stable")
    return int(order[0]), int(order[1])


def prediction_entry(file: str, probabilities: Sequence[float]) -> dict[str, Any]:
    """Return the JSON object for one predicted file."""
    guess, second = top_two(probabilities)
    values = [float(p) for p in probabilities]
    return {"file": file, "guess": guess, "second": second, "probabilities": values}


def predict_prepared(prepared: Sequence[Prepared], model: keras.Model | DigitModel | None) -> list[dict[str, Any]]:
    """Predict every prepared file that has an image; keep error entries in their place.

    An RBF model's entries also carry its ten ``penalties`` (the lowest wins).
    """
    images = [item.image for item in prepared if item.image is not None]
    if images and model is None:
        raise LenetError("no model to predict with")
    digits = as_digit_model(model) if images else None
    raw = list(digits.raw_outputs(np.stack(images))) if digits is not None else []
    entries: list[dict[str, Any]] = []
    for item in prepared:
        if item.image is None or digits is None:
            entries.append({"file": item.file, "error": item.error or "unknown error"})
            continue
        outputs = raw.pop(0)
        entries.append(prediction_entry(item.file, digits.probabilities(outputs[np.newaxis])[0]))
        if digits.output == "penalties":  # rank by penalty: far from the winner, probabilities round to 0
            entries[-1]["guess"], entries[-1]["second"] = top_two(-outputs)
            entries[-1]["penalties"] = [float(v) for v in outputs]
    return entries


def predict_files(
    files: Sequence[str], model_path: Path | str | None = None, method: str = "mnist"
) -> list[dict[str, Any]]:
    """Predict each file: ``{"file", "guess", "second", "probabilities"}`` or ``{"file", "error"}``."""
    return predict_and_show(files, model_path, method, None)


def format_entry(entry: dict[str, Any]) -> str:
    """Return one line for a prediction: first and second guess with their probabilities."""
    if "error" in entry:
        return f"{entry['file']}: error: {entry['error']}"
    probs = entry["probabilities"]
    first, second = entry["guess"], entry["second"]
    if "penalties" in entry:  # an RBF output: the lowest penalty wins
        penalties = entry["penalties"]
        return (f"{entry['file']}: {first} ({probs[first]:.2%}, penalty {penalties[first]:.2f}), second guess "
                f"{second} ({probs[second]:.2%}, penalty {penalties[second]:.2f})")
    return f"{entry['file']}: {first} ({probs[first]:.2%}), second guess {second} ({probs[second]:.2%})"


def draw_steps(
    prepared: Sequence[Prepared],
    naive: Sequence[np.ndarray | None],
    entries: Sequence[dict[str, Any]],
    naive_entries: Sequence[dict[str, Any] | None],
) -> Figure:
    """Return a figure with, one row per file, the preprocessing steps and both paths' probabilities."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    titles = [
        "as read (gray)",
        "ink: white on black",
        "cropped",
        "scaled to 20 px",
        "centred 28×28 (model input)",
        "lecture's naive 28×28",
        "probabilities",
    ]
    rows = max(1, len(prepared))
    fig = Figure(figsize=(2.3 * len(titles), 2.5 * rows))
    axes = fig.subplots(rows, len(titles), squeeze=False)
    for r, item in enumerate(prepared):
        row = axes[r]
        for c, title in enumerate(titles):
            row[c].set_title(title if r == 0 else "", fontsize=9)
            row[c].set_xticks([])
            row[c].set_yticks([])
        row[0].set_ylabel(Path(item.file).name, fontsize=9)
        steps = item.steps
        if steps is not None:
            top, left, bottom, right = steps.bbox
            row[0].imshow(steps.gray, cmap="gray", vmin=0, vmax=1)
            row[1].imshow(steps.ink, cmap="gray", vmin=0, vmax=1)
            row[1].add_patch(
                Rectangle(
                    (left - 0.5, top - 0.5),
                    right - left,
                    bottom - top,
                    fill=False,
                    edgecolor="tab:red",
                    linewidth=1,
                )
            )
            row[2].imshow(steps.ink[top:bottom, left:right], cmap="gray", vmin=0, vmax=1)
            row[3].imshow(steps.scaled, cmap="gray", vmin=0, vmax=1)
            row[4].imshow(steps.image, cmap="gray", vmin=0, vmax=1)
            row[4].plot([steps.centre_of_mass[1]], [steps.centre_of_mass[0]], "+", color="tab:red")
        else:
            row[0].text(0.5, 0.5, item.error or "", ha="center", va="center", wrap=True, fontsize=8)
            for ax in row[1:]:
                ax.axis("off")
        if naive[r] is not None:
            row[5].imshow(naive[r], cmap="gray", vmin=0, vmax=1)
        entry, naive_entry = entries[r], naive_entries[r]
        ax = row[6]
        if "probabilities" in entry:
            digits = np.arange(NUM_CLASSES)
            ax.bar(digits - 0.2, entry["probabilities"], width=0.4, label="MNIST-style")
            if naive_entry is not None and "probabilities" in naive_entry:
                ax.bar(digits + 0.2, naive_entry["probabilities"], width=0.4, label="naive")
            ax.set_xticks(digits)
            ax.set_ylim(0, 1)
            ax.legend(fontsize=7, loc="upper right")
            ax.set_xlabel(f"guess {entry['guess']}, second {entry['second']}", fontsize=9)
    fig.tight_layout()
    return fig


def plot_steps(
    prepared: Sequence[Prepared],
    naive: Sequence[np.ndarray | None],
    entries: Sequence[dict[str, Any]],
    naive_entries: Sequence[dict[str, Any] | None],
    path: Path,
) -> Path:
    """Write the figure of :func:`draw_steps` to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draw_steps(prepared, naive, entries, naive_entries).savefig(path, dpi=90)
    return path


def predict_and_show(
    files: Sequence[str], model_path: Path | str | None, method: str = "mnist", show: Path | None = None
) -> list[dict[str, Any]]:
    """Predict the files and, when ``show`` is set, draw the steps of both paths into that figure."""
    if method not in METHODS:
        raise LenetError(f"unknown preprocessing {method!r} (choose from {', '.join(METHODS)})")
    if model_path is not None and not resolve_model(model_path).is_file():
        raise LenetError(f"no model file at {str(model_path)!r}")
    if show is not None and show.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise LenetError(f"--show writes .png, .svg or .pdf, not {str(show)!r}")
    prepared = {method: [prepare_file(file, method) for file in files]}
    if show is not None:
        for other in METHODS:
            prepared.setdefault(other, [prepare_file(file, other) for file in files])
    needed = any(item.image is not None for items in prepared.values() for item in items)
    model = load_predictor(model_path) if needed else None
    entries = {name: predict_prepared(items, model) for name, items in prepared.items()}
    if show is not None:
        naive_images = [item.image for item in prepared["naive"]]
        plot_steps(prepared["mnist"], naive_images, entries["mnist"], entries["naive"], show)
    return entries[method]
