"""What the reference model answers on the site's examples, computed when the site is built (imports Keras).

- the predict page's example pictures (``docs/examples/digits/``): digits typeset on paper by
  :mod:`lenet_explain.walkthrough.paper`, never taken from MNIST, read by both preprocessing paths;
- the visualizer's example buttons (``docs/visualizer/examples.json``, MNIST test digits), so the page can say
  which of them the model reads wrong.

``scripts/make_examples.py`` writes the example pictures; a test fails when the committed ones are stale.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from lenet_explain.safe_files import write_atomically
from lenet_explain.walkthrough.paper import PaperStyle, paper_digit

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = ROOT / "docs" / "examples" / "digits"
VISUALIZER_EXAMPLES = ROOT / "docs" / "visualizer" / "examples.json"
JPEG_QUALITY = 90  # the example pictures are photos of paper: JPEG, as a phone would save them

# The committed example pictures: file name → (digit, how it is put on paper).
PAPER_EXAMPLES: dict[str, tuple[int, PaperStyle]] = {
    "three-on-paper.jpg": (3, PaperStyle("DejaVuSans.ttf", 120, (360, 270), (0.62, 0.45), -6.0, 0.25)),
    "seven-on-paper.jpg": (7, PaperStyle("DejaVuSerif.ttf", 90, (300, 300), (0.35, 0.6), 5.0, 0.2)),
}
PREDICT_EXAMPLE = "three-on-paper.jpg"  # the predict page's before/after figure


def draw_examples() -> dict[str, Image.Image]:
    """Return the example pictures as :mod:`lenet_explain.walkthrough.paper` draws them."""
    return {name: paper_digit(digit, style) for name, (digit, style) in PAPER_EXAMPLES.items()}


def write_examples(folder: Path = EXAMPLES_DIR) -> list[Path]:
    """Write the example pictures into ``folder``; return their paths."""
    paths = []
    for name, image in draw_examples().items():
        def write(temporary: Path, image: Image.Image = image) -> None:
            image.save(temporary, quality=JPEG_QUALITY)

        paths.append(write_atomically(folder / name, write))
    return paths


@cache
def reference_model() -> Any:
    """Load the reference model once per build."""
    from lenet_explain.walkthrough.predict import load_predictor

    return load_predictor()


def guess_text(probabilities: np.ndarray) -> str:
    """Return the first guess with its probability, e.g. '3 (99.9%)'."""
    digit = int(np.argmax(probabilities))
    return f"{digit} ({probabilities[digit]:.1%})"


@dataclass(frozen=True)
class PaperExample:
    """One example picture read both ways: the lecture's three lines and the MNIST-style preprocessing."""

    name: str
    digit: int
    picture: Image.Image
    naive_input: np.ndarray  # (28, 28) in [0, 1]
    mnist_input: np.ndarray  # (28, 28) in [0, 1]
    naive_probabilities: np.ndarray  # (10,)
    mnist_probabilities: np.ndarray  # (10,)

    @property
    def naive_guess(self) -> str:
        return guess_text(self.naive_probabilities)

    @property
    def mnist_guess(self) -> str:
        return guess_text(self.mnist_probabilities)


@cache
def run_example(name: str = PREDICT_EXAMPLE) -> PaperExample:
    """Read the committed example picture ``name`` both ways with the reference model."""
    from lenet_explain.walkthrough.predict import predict_images, prepare_file

    path = EXAMPLES_DIR / name
    naive, mnist = prepare_file(str(path), "naive"), prepare_file(str(path), "mnist")
    if naive.image is None or mnist.image is None:
        raise RuntimeError(f"{path}: {naive.error or mnist.error}")
    probabilities = predict_images(reference_model(), [naive.image, mnist.image])  # (2, 10)
    with Image.open(path) as picture:
        return PaperExample(name, PAPER_EXAMPLES[name][0], picture.convert("RGB"), naive.image, mnist.image,
                            probabilities[0], probabilities[1])


@dataclass(frozen=True)
class ExampleAnswer:
    """The reference model's answer for one of the visualizer's example digits."""

    index: int  # in MNIST's test set
    label: int
    guess: int
    probability: float  # of the guess
    label_probability: float


@cache
def visualizer_answers() -> tuple[ExampleAnswer, ...]:
    """Return the reference model's answer for every example digit of the visualizer page."""
    from lenet_explain.walkthrough.predict import predict_images

    digits = json.loads(VISUALIZER_EXAMPLES.read_text(encoding="utf-8"))["digits"]
    images = [np.asarray(d["pixels"], dtype=np.float32).reshape(28, 28) / 255 for d in digits]  # (28, 28) each
    probabilities = predict_images(reference_model(), images)  # (n, 10)
    return tuple(ExampleAnswer(d["index"], d["label"], int(np.argmax(p)), float(np.max(p)), float(p[d["label"]]))
                 for d, p in zip(digits, probabilities, strict=True))
