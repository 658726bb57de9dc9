"""What the lecture printed, as data: its training log, its prediction for ``3.png`` and its facts.

The lecture (a Chinese slide deck, see ``docs/references.md``) shows the output of its own run. Those lines are
kept here once, verbatim, and parsed, so that pages, the notebook and the training page compare this package's
runs with the lecture's without anyone typing the lecture's numbers again.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from lenet_explain.walkthrough.mnist import SHAPES

# The lecture's `model.fit(train_images, train_labels, epochs = 10, validation_data=(test_images, test_labels))`
# output, exactly as printed (Keras 2 progress bars, metric 'acc'; the validation data is the test set).
LECTURE_FIT_LOG = """\
Epoch 1/10
1875/1875 [=====] - 37s 19ms/step - loss: 1.4908 - acc: 0.4763 - val_loss: 0.2464 - val_acc: 0.9286
Epoch 2/10
1875/1875 [=====] - 31s 17ms/step - loss: 0.2135 - acc: 0.9357 - val_loss: 0.1389 - val_acc: 0.9558
Epoch 3/10
1875/1875 [=====] - 31s 17ms/step - loss: 0.1353 - acc: 0.9581 - val_loss: 0.0920 - val_acc: 0.9710
Epoch 4/10
1875/1875 [=====] - 30s 16ms/step - loss: 0.0919 - acc: 0.9715 - val_loss: 0.0752 - val_acc: 0.9771
Epoch 5/10
1875/1875 [=====] - 28s 15ms/step - loss: 0.0774 - acc: 0.9759 - val_loss: 0.0612 - val_acc: 0.9813
Epoch 6/10
1875/1875 [=====] - 28s 15ms/step - loss: 0.0611 - acc: 0.9820 - val_loss: 0.0628 - val_acc: 0.9799
Epoch 7/10
1875/1875 [=====] - 28s 15ms/step - loss: 0.0533 - acc: 0.9840 - val_loss: 0.0476 - val_acc: 0.9865
Epoch 8/10
1875/1875 [=====] - 29s 15ms/step - loss: 0.0469 - acc: 0.9856 - val_loss: 0.0488 - val_acc: 0.9840
Epoch 9/10
1875/1875 [=====] - 31s 16ms/step - loss: 0.0461 - acc: 0.9847 - val_loss: 0.0459 - val_acc: 0.9842
Epoch 10/10
1875/1875 [=====] - 28s 15ms/step - loss: 0.0366 - acc: 0.9879 - val_loss: 0.0457 - val_acc: 0.9840
"""

# The lecture's `new_model.predict(img)` for its own 3.png, as printed (digits 0 to 9), and its np.argmax.
LECTURE_PREDICT_LOG = """\
array([[2.9374178e-07, 4.0664068e-05, 4.3683460e-05, 9.9903995e-01,
5.0486175e-08, 1.3586319e-04, 1.6269293e-09, 6.7247183e-04,
3.3387743e-05, 3.3583085e-05]], dtype=float32)
"""

_EPOCH = re.compile(
    r"(?P<steps>\d+)/\d+ \[=+\] - (?P<seconds>\d+)s (?P<ms>\d+)ms/step - loss: (?P<loss>[\d.]+) - "
    r"acc: (?P<acc>[\d.]+) - val_loss: (?P<val_loss>[\d.]+) - val_acc: (?P<val_acc>[\d.]+)"
)


@dataclass(frozen=True)
class LectureEpoch:
    """One epoch line of the lecture's training log."""

    epoch: int
    steps: int
    seconds: int
    ms_per_step: int
    loss: float
    acc: float
    val_loss: float
    val_acc: float


def parse_fit_log(text: str) -> tuple[LectureEpoch, ...]:
    """Return the epoch lines of a Keras 2 ``fit`` log (``- loss: … - acc: … - val_loss: … - val_acc: …``)."""
    epochs = []
    for number, match in enumerate(_EPOCH.finditer(text), start=1):
        epochs.append(LectureEpoch(
            epoch=number, steps=int(match["steps"]), seconds=int(match["seconds"]), ms_per_step=int(match["ms"]),
            loss=float(match["loss"]), acc=float(match["acc"]), val_loss=float(match["val_loss"]),
            val_acc=float(match["val_acc"]),
        ))
    return tuple(epochs)


def parse_probabilities(text: str) -> tuple[float, ...]:
    """Return the numbers of a printed numpy array (``array([[2.9e-07, …]], dtype=float32)``)."""
    body = text.split("dtype")[0]
    return tuple(float(v) for v in re.findall(r"\d\.\d+e[-+]\d+", body))


LECTURE_EPOCHS: tuple[LectureEpoch, ...] = parse_fit_log(LECTURE_FIT_LOG)

# The lecture's history as Keras' ``history.history`` would hold it, under Keras 3's metric names
# (the lecture's Keras 2 printed 'acc' and 'val_acc' for metrics=['acc']).
LECTURE_HISTORY: dict[str, list[float]] = {
    "loss": [e.loss for e in LECTURE_EPOCHS],
    "accuracy": [e.acc for e in LECTURE_EPOCHS],
    "val_loss": [e.val_loss for e in LECTURE_EPOCHS],
    "val_accuracy": [e.val_acc for e in LECTURE_EPOCHS],
}

# Not written in the lecture's fit call: Keras' default, found from its steps per epoch over the training images.
LECTURE_BATCH_SIZE = math.ceil(SHAPES["x_train"][0] / LECTURE_EPOCHS[0].steps)
LECTURE_3_PNG: tuple[float, ...] = parse_probabilities(LECTURE_PREDICT_LOG)  # its prediction for its own 3.png

# The lecture's history of LeNet (its "LeNet-5 发展历史" slide), verbatim.
LECTURE_TIMELINE = """\
1989年：Yann LeCun等人，结合反向传播算法的卷积神经网络来识别手写数字，并成功地用于识别手写邮政编码。
1990年：他们的模型在美国邮政总局提供的邮政编码数字数据的测试结果表明，错误率仅为1%，拒绝率约为9%。
1998年：他们将手写数字识别的各种方法在标准的手写数字识别基准上进行比较，结果表明他们的网络优于所有其他模型，经过多年的研究和迭代，最终发展成为LeNet-5。
"""


@dataclass(frozen=True)
class Milestone:
    """One line of the lecture's history: the year and the lecture's sentence."""

    year: int
    text: str


def parse_timeline(text: str) -> tuple[Milestone, ...]:
    """Return the ``<year>年：<sentence>`` lines of the lecture's history."""
    return tuple(Milestone(int(m[1]), m[2]) for m in re.finditer(r"^(\d{4})年：(.+)$", text, re.MULTILINE))


def percent_after(text: str, word: str) -> float:
    """Return the percentage that follows ``word`` in ``text`` ('错误率仅为1%' → 0.01 for '错误率')."""
    match = re.search(re.escape(word) + r"\D*?(\d+(?:\.\d+)?)%", text)
    if match is None:
        raise ValueError(f"no percentage after {word!r}")
    return float(match[1]) / 100


LECTURE_MILESTONES: tuple[Milestone, ...] = parse_timeline(LECTURE_TIMELINE)
ZIP_CODE_ERROR_RATE = percent_after(LECTURE_MILESTONES[1].text, "错误率")  # 1990, US Postal Service digits
ZIP_CODE_REJECTION_RATE = percent_after(LECTURE_MILESTONES[1].text, "拒绝率")
PAPER_YEAR = LECTURE_MILESTONES[-1].year  # LeNet-5's paper (LeCun, Bottou, Bengio and Haffner), the last milestone
