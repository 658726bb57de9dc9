"""The training history the lecture printed (``model.fit(..., epochs=10)`` in Keras), as one record.

Built from :mod:`lenet_explain.walkthrough.lecture`, which keeps the lecture's fit log verbatim and parses it;
pages and the in-browser trainer read the history from here (``lecture_history()``), never retype it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from lenet_explain.walkthrough import lecture
from lenet_explain.walkthrough.mnist import SHAPES


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


def history_of(epochs: tuple[lecture.LectureEpoch, ...]) -> FitHistory:
    """Return the record of parsed fit-log epochs (MNIST's split sizes, the batch size the steps imply)."""
    return FitHistory(
        steps_per_epoch=epochs[0].steps, batch_size=lecture.LECTURE_BATCH_SIZE,
        train_size=SHAPES["x_train"][0], test_size=SHAPES["x_test"][0],
        seconds=tuple(e.seconds for e in epochs), loss=tuple(e.loss for e in epochs),
        accuracy=tuple(e.acc for e in epochs), val_loss=tuple(e.val_loss for e in epochs),
        val_accuracy=tuple(e.val_acc for e in epochs),
    )


LECTURE_HISTORY = history_of(lecture.LECTURE_EPOCHS)


def lecture_history() -> FitHistory:
    """Return the history the lecture printed for its 10 epochs."""
    return LECTURE_HISTORY
