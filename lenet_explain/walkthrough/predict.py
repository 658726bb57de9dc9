"""Predict the digit in image files with the reference model, the 1998 network, or any compatible digit model.

One broken file never stops the others: each file gets either a prediction or an error entry.
Keras is imported only when a model is loaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from lenet_explain.errors import LenetError
from lenet_explain.limits import MAX_SHOW_ROWS, PREDICT_CHUNK
from lenet_explain.safe_files import check_writable, os_reason, write_atomically
from lenet_explain.terminal import escape
from lenet_explain.walkthrough.digit_models import DigitModel, as_digit_model, load_digit_model, resolve_model
from lenet_explain.walkthrough.images import BOX, Preprocessed, preprocess_image, preprocess_naive, reduce_gray

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


def prepare_file(file: str, method: str = "mnist", keep_steps: bool = True) -> Prepared:
    """Preprocess one file, catching its error so the other files still run.

    ``keep_steps=False`` keeps only the 28×28 input, so memory does not grow with the number of files.
    """
    if method not in METHODS:
        raise LenetError(f"unknown preprocessing {method!r} (choose from {', '.join(METHODS)})")
    try:
        if method == "naive":
            return Prepared(file=file, image=preprocess_naive(file))
        steps = preprocess_image(file)
        return Prepared(file=file, image=steps.image, steps=steps if keep_steps else None)
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
    check_request(method, model_path, None)
    return list(iter_predictions(files, model_path, method))


def format_entry(entry: dict[str, Any]) -> str:
    """Return one line for a prediction: first and second guess with their probabilities."""
    name = escape(entry["file"])  # a newline or an escape sequence in a file name never splits the line
    if "error" in entry:
        return f"{name}: error: {escape(entry['error'])}"
    probs = entry["probabilities"]
    first, second = entry["guess"], entry["second"]
    if "penalties" in entry:  # an RBF output: the lowest penalty wins
        penalties = entry["penalties"]
        return (f"{name}: {first} ({probs[first]:.2%}, penalty {penalties[first]:.2f}), second guess "
                f"{second} ({probs[second]:.2%}, penalty {penalties[second]:.2f})")
    return f"{name}: {first} ({probs[first]:.2%}), second guess {second} ({probs[second]:.2%})"


# The words of the steps figure: English for the command line and the notebook, Chinese for the Chinese notebook
# (whose kernel draws them with a CJK font; see scripts/run_notebooks.py).
STEP_WORDS: dict[str, dict[str, str]] = {
    "en": {"as_read": "as read", "inverted": "ink, inverted", "cropped": "cropped", "scaled": "scaled to {box} px",
           "model_input": "model input", "lecture": "lecture's", "mnist_style": "MNIST-style",
           "guesses": "guess {guess}, second {second}"},
    "zh": {"as_read": "读入的图片", "inverted": "墨迹（已反转）", "cropped": "裁剪后", "scaled": "缩放到 {box} 像素",
           "model_input": "模型的输入", "lecture": "课程的做法", "mnist_style": "MNIST 式",
           "guesses": "首选 {guess}，次选 {second}"},
}


def draw_steps(
    prepared: Sequence[Prepared],
    naive: Sequence[np.ndarray | None],
    entries: Sequence[dict[str, Any]],
    naive_entries: Sequence[dict[str, Any] | None],
    language: str = "en",
) -> Figure:
    """Return a figure with, per file, the preprocessing steps and both paths' probabilities.

    Two rows of four panels per file, so that the figure stays readable in a page's column (6.8 in wide,
    12 pt text): the steps on the first row; the model's input, the lecture's naive input and the
    probabilities on the second. Its titles and legend are in ``language`` (:data:`STEP_WORDS`).
    """
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    if language not in STEP_WORDS:
        raise ValueError(f"no language {language!r} (languages: {', '.join(STEP_WORDS)})")
    say = STEP_WORDS[language]
    steps_titles = [say["as_read"], say["inverted"], say["cropped"], say["scaled"].format(box=BOX)]
    rows = max(1, len(prepared))
    fig = Figure(figsize=(6.8, 4.6 * rows), layout="constrained")
    blocks = fig.subfigures(rows, 1, squeeze=False)[:, 0]
    for block, item, naive_image, entry, naive_entry in zip(blocks, prepared, naive, entries, naive_entries,
                                                             strict=False):
        block.suptitle(drawable(Path(item.file).name), fontsize=12, fontweight="bold")
        grid = block.add_gridspec(2, 4)
        top = [block.add_subplot(grid[0, c]) for c in range(4)]
        model_ax, naive_ax = block.add_subplot(grid[1, 0]), block.add_subplot(grid[1, 1])
        bars = block.add_subplot(grid[1, 2:])
        for ax, title in [*zip(top, steps_titles, strict=True), (model_ax, say["model_input"]),
                          (naive_ax, say["lecture"])]:
            ax.set_title(title, fontsize=12)
            ax.set_xticks([])
            ax.set_yticks([])
        steps = item.steps
        if steps is not None:
            t, left, b, right = steps.bbox
            top[0].imshow(steps.gray, cmap="gray", vmin=0, vmax=1)
            top[1].imshow(steps.ink, cmap="gray", vmin=0, vmax=1)
            top[1].add_patch(Rectangle((left - 0.5, t - 0.5), right - left, b - t, fill=False,
                                       edgecolor="tab:red", linewidth=1.5))
            top[2].imshow(steps.ink[t:b, left:right], cmap="gray", vmin=0, vmax=1)
            top[3].imshow(steps.scaled, cmap="gray", vmin=0, vmax=1)
            model_ax.imshow(steps.image, cmap="gray", vmin=0, vmax=1)
            model_ax.plot([steps.centre_of_mass[1]], [steps.centre_of_mass[0]], "+", color="tab:red",
                          markersize=10)
        else:
            top[0].text(0.5, 0.5, drawable(item.error or ""), ha="center", va="center", wrap=True, fontsize=12)
            for ax in [*top[1:], model_ax]:
                ax.remove()
        if naive_image is not None:
            naive_ax.imshow(naive_image, cmap="gray", vmin=0, vmax=1)
        else:
            naive_ax.remove()
        if "probabilities" in entry:
            digits = np.arange(NUM_CLASSES)
            bars.bar(digits - 0.2, entry["probabilities"], width=0.4, label=say["mnist_style"])
            if naive_entry is not None and "probabilities" in naive_entry:
                bars.bar(digits + 0.2, naive_entry["probabilities"], width=0.4, hatch="//", label=say["lecture"])
            bars.set_xticks(digits)
            bars.set_ylim(0, 1.25)
            bars.set_yticks([0, 0.5, 1])
            bars.tick_params(labelsize=12)
            bars.legend(fontsize=12, loc="upper center", ncol=2, frameon=False)
            bars.set_title(say["guesses"].format(guess=entry["guess"], second=entry["second"]), fontsize=12)
        else:
            bars.remove()
    return fig


_SURROGATE = re.compile("[\ud800-\udfff]")


def drawable(text: str) -> str:
    """Return ``text`` as a figure can draw it: controls escaped, and bytes a file name held that are not UTF-8
    (lone surrogates, under a C or C.UTF-8 locale) shown as ``\\xff`` rather than failing the font."""
    def shown(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"

    return _SURROGATE.sub(shown, escape(text))


def plot_steps(
    prepared: Sequence[Prepared],
    naive: Sequence[np.ndarray | None],
    entries: Sequence[dict[str, Any]],
    naive_entries: Sequence[dict[str, Any] | None],
    path: Path,
    note: str = "",
) -> Path:
    """Write the figure of :func:`draw_steps` to ``path`` (``note``, when given, is its title)."""
    figure = draw_steps(prepared, naive, entries, naive_entries)
    if note:
        figure.suptitle(note, fontsize=12)  # the constrained layout makes room for it
    try:
        write_atomically(path, lambda temporary: figure.savefig(temporary, dpi=180))
    except OSError as error:
        raise LenetError(f"{path}: cannot write the figure: {os_reason(error)}") from None
    return path


@dataclass(frozen=True)
class ShownRow:
    """One file as ``--show`` draws it: both paths' inputs and predictions, big images thumbnailed."""

    prepared: Prepared
    naive: np.ndarray | None
    entry: dict[str, Any]
    naive_entry: dict[str, Any] | None


SHOW_SIDE = 256  # the largest side of a drawn step image (a figure cell is about 200 px wide); larger ones are reduced


def thumbnail(prepared: Prepared) -> Prepared:
    """Return ``prepared`` with its large step images reduced for drawing (the bounding box scaled alike)."""
    steps = prepared.steps
    if steps is None or max(steps.gray.shape) <= SHOW_SIDE:
        return prepared
    factor = -(-max(steps.gray.shape) // SHOW_SIDE)
    top, left, bottom, right = steps.bbox
    box = (top // factor, left // factor, max(top // factor + 1, -(-bottom // factor)),
           max(left // factor + 1, -(-right // factor)))
    small = replace(steps, gray=reduce_gray(steps.gray, SHOW_SIDE), ink=reduce_gray(steps.ink, SHOW_SIDE), bbox=box)
    return replace(prepared, steps=small)


def check_request(method: str, model_path: Path | str | None, show: Path | None) -> None:
    """Check what can be checked before any file is read: the method, the model file, the figure's path."""
    if method not in METHODS:
        raise LenetError(f"unknown preprocessing {method!r} (choose from {', '.join(METHODS)})")
    if model_path is not None:
        from lenet_explain.walkthrough.training import check_model_file

        check_model_file(resolve_model(model_path))
    if show is not None:
        if show.suffix.lower() not in (".png", ".svg", ".pdf"):
            raise LenetError(f"--show writes .png, .svg or .pdf, not {str(show)!r}")
        check_writable(show)


def iter_predictions(
    files: Sequence[str], model_path: Path | str | None = None, method: str = "mnist",
    shown: list[ShownRow] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield each file's entry in order, :data:`PREDICT_CHUNK` files at a time, keeping nothing of earlier files.

    With ``shown`` (a list), the first :data:`MAX_SHOW_ROWS` files are also prepared the other way and
    appended to it, thumbnailed, for :func:`plot_shown`. The model is loaded when a first file needs it.
    """
    model = None
    for start in range(0, len(files), PREDICT_CHUNK):
        chunk = files[start : start + PREDICT_CHUNK]
        drawn = 0 if shown is None else max(0, min(len(chunk), MAX_SHOW_ROWS - start))
        prepared = [prepare_file(file, method, keep_steps=i < drawn) for i, file in enumerate(chunk)]
        others = [prepare_file(file, "naive" if method == "mnist" else "mnist", keep_steps=True)
                  for file in chunk[:drawn]]
        if model is None and any(item.image is not None for item in [*prepared, *others]):
            model = load_predictor(model_path)
        entries = predict_prepared(prepared, model)
        if shown is not None and drawn:
            other_entries = predict_prepared(others, model)
            for item, other, entry, other_entry in zip(prepared[:drawn], others, entries[:drawn], other_entries,
                                                       strict=True):
                mnist, naive = (item, other) if method == "mnist" else (other, item)
                mnist_entry, naive_entry = (entry, other_entry) if method == "mnist" else (other_entry, entry)
                shown.append(ShownRow(thumbnail(mnist), naive.image, mnist_entry, naive_entry))
        yield from entries


def plot_shown(shown: Sequence[ShownRow], path: Path, total: int) -> Path:
    """Draw the rows kept by :func:`iter_predictions` into ``path``; the title says when files were left out."""
    note = f"the first {len(shown)} of {total} files (all were predicted)" if total > len(shown) else ""
    return plot_steps([row.prepared for row in shown], [row.naive for row in shown],
                      [row.entry for row in shown], [row.naive_entry for row in shown], path, note)
