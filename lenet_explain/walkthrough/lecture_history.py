"""The training history the lecture printed (``model.fit(..., epochs=10)`` in Keras), as data.

These are the only numbers of the lecture's training run; pages and the in-browser trainer read them from
here (``lecture_history()``), never retype them. ``parse_fit_log`` reads a Keras progress log of the same
form, so a test can check these values against the lecture's own text.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

# Keras' fit log, one line per epoch after "Epoch k/N":
# 1875/1875 [=====] - 37s 19ms/step - loss: 1.4908 - acc: 0.4763 - val_loss: 0.2464 - val_acc: 0.9286
_FIT_LINE = re.compile(
    r"(?P<steps>\d+)/\d+ \[=+\] - (?P<seconds>\d+)s (?P<ms_per_step>\d+)ms/step"
    r" - loss: (?P<loss>[\d.]+) - acc: (?P<accuracy>[\d.]+)"
    r" - val_loss: (?P<val_loss>[\d.]+) - val_acc: (?P<val_accuracy>[\d.]+)"
)


@dataclass(frozen=True)
class FitHistory:
    """A Keras run's per-epoch numbers as its progress log printed them (4 decimals)."""

    steps_per_epoch: int  # batches per epoch: 60,000 digits / batch 32 = 1875
    batch_size: int
    train_size: int
    test_size: int
    seconds: tuple[int, ...]  # wall-clock seconds of each epoch on the lecturer's machine
    loss: tuple[float, ...]  # training loss, averaged over the epoch while the weights changed
    accuracy: tuple[float, ...]  # training accuracy, averaged the same way
    val_loss: tuple[float, ...]  # test-set loss at the end of the epoch
    val_accuracy: tuple[float, ...]  # test-set accuracy at the end of the epoch

    @property
    def epochs(self) -> int:
        """The number of epochs."""
        return len(self.loss)

    def as_dict(self) -> dict[str, Any]:
        """Return the history as JSON-ready data (lists, plus ``epochs``)."""
        data = {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()}
        data["epochs"] = self.epochs
        return data


LECTURE_HISTORY = FitHistory(
    steps_per_epoch=1875,
    batch_size=32,
    train_size=60000,
    test_size=10000,
    seconds=(37, 31, 31, 30, 28, 28, 28, 29, 31, 28),
    loss=(1.4908, 0.2135, 0.1353, 0.0919, 0.0774, 0.0611, 0.0533, 0.0469, 0.0461, 0.0366),
    accuracy=(0.4763, 0.9357, 0.9581, 0.9715, 0.9759, 0.9820, 0.9840, 0.9856, 0.9847, 0.9879),
    val_loss=(0.2464, 0.1389, 0.0920, 0.0752, 0.0612, 0.0628, 0.0476, 0.0488, 0.0459, 0.0457),
    val_accuracy=(0.9286, 0.9558, 0.9710, 0.9771, 0.9813, 0.9799, 0.9865, 0.9840, 0.9842, 0.9840),
)


def lecture_history() -> FitHistory:
    """Return the history the lecture printed for its 10 epochs."""
    return LECTURE_HISTORY


def parse_fit_log(text: str) -> dict[str, list[float]]:
    """Return the per-epoch columns of a Keras fit log (``loss``, ``accuracy``, ``val_loss``, ``val_accuracy``,
    ``seconds``, ``steps``) in the order the epochs appear."""
    columns: dict[str, list[float]] = {
        key: [] for key in ("steps", "seconds", "loss", "accuracy", "val_loss", "val_accuracy")
    }
    for match in _FIT_LINE.finditer(text):
        for key in columns:
            columns[key].append(float(match[key]))
    return columns
