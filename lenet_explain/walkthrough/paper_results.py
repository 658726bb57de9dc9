"""The 1998 paper's results on MNIST, as data: a few rows of its comparison of classifiers (Fig. 9).

LeCun, Bottou, Bengio and Haffner, *Gradient-Based Learning Applied to Document Recognition*, Proc. IEEE 86(11),
1998: Fig. 9 ("Error rate on the test set (%) for various classification methods") compares the methods of the day
on MNIST's 10,000 test digits. The rows kept here are the ones the site names; ``distortions`` marks the paper's
``[dist]`` rows (trained on the training digits plus artificially distorted copies of them), and ``note`` its other
bracketed remarks. Pages read these rows through macros; nobody types them again.
"""

from __future__ import annotations

from dataclasses import dataclass

PAPER_TITLE = "Gradient-Based Learning Applied to Document Recognition"
PAPER_FIGURE_NUMBER = 9  # Fig. 9, the paper's bar chart of test error rates on MNIST
PAPER_FIGURE = f"Fig. {PAPER_FIGURE_NUMBER}"


@dataclass(frozen=True)
class PaperResult:
    """One classifier of the paper's Fig. 9: its test error on MNIST, in percent."""

    key: str  # a stable name for pages and tests
    name: str  # the classifier as the paper labels it
    error_percent: float  # test error rate, in percent, as the figure prints it
    distortions: bool  # trained with distorted copies of the training digits too (the paper's "[dist]")
    convolutional: bool  # one of the paper's convolutional networks (LeNet-1, -4, -5)
    note: str = ""  # another bracketed remark of the figure, e.g. "[16x16]": inputs subsampled to 16×16


MNIST_RESULTS: tuple[PaperResult, ...] = (
    PaperResult("linear", "Linear", 12.0, distortions=False, convolutional=False),
    PaperResult("knn", "K-NN Euclidean", 5.0, distortions=False, convolutional=False),
    PaperResult("lenet1", "LeNet-1", 1.7, distortions=False, convolutional=True, note="[16x16]"),
    PaperResult("lenet4", "LeNet-4", 1.1, distortions=False, convolutional=True),
    PaperResult("lenet5", "LeNet-5", 0.95, distortions=False, convolutional=True),
    PaperResult("lenet5_dist", "LeNet-5", 0.8, distortions=True, convolutional=True),
    PaperResult("vsvm", "V-SVM poly 9", 0.8, distortions=True, convolutional=False),
    PaperResult("boosted_lenet4", "Boosted LeNet-4", 0.7, distortions=True, convolutional=True),
)


def paper_result(key: str) -> PaperResult:
    """Return the row of the paper's Fig. 9 named ``key`` (KeyError for an unknown one)."""
    for result in MNIST_RESULTS:
        if result.key == key:
            return result
    raise KeyError(f"no result {key!r} in the paper's {PAPER_FIGURE}")


def best_results() -> tuple[PaperResult, ...]:
    """Return the rows with the lowest test error (more than one when they tie)."""
    lowest = min(r.error_percent for r in MNIST_RESULTS)
    return tuple(r for r in MNIST_RESULTS if r.error_percent == lowest)


def ties_with(key: str) -> tuple[PaperResult, ...]:
    """Return the other rows whose test error equals that of ``key``."""
    error = paper_result(key).error_percent
    return tuple(r for r in MNIST_RESULTS if r.key != key and r.error_percent == error)
