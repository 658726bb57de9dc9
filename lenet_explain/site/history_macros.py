"""Macros of the history page: the 1998 paper's MNIST results (its Fig. 9) beside the lecture's claim."""

from __future__ import annotations

from lenet_explain.site.i18n import translate
from lenet_explain.site.page_html import render_table
from lenet_explain.walkthrough.lecture import PAPER_YEAR
from lenet_explain.walkthrough.paper_results import (
    MNIST_RESULTS,
    PAPER_FIGURE_NUMBER,
    PaperResult,
    best_results,
    paper_result,
    ties_with,
)

PAPER_RESULTS_HEADER = ["the paper's label", "classifier", "trained on", "test error"]
# What each row is, for a reader who does not know the paper's labels (English; the Chinese is in words_zh.py).
CLASSIFIER_WORDS = {
    "linear": "a linear classifier (one weighted sum per digit)",
    "knn": "k nearest neighbours, by Euclidean distance between pixels",
    "lenet1": "LeNet-1, a smaller convolutional network, on smaller digits",
    "lenet4": "LeNet-4, a convolutional network a little smaller than LeNet-5",
    "lenet5": "LeNet-5, the network this site explains",
    "lenet5_dist": "LeNet-5, the network this site explains",
    "vsvm": "a virtual support vector machine (polynomial kernel)",
    "boosted_lenet4": "LeNet-4s combined by boosting",
}


def error_text(result: PaperResult) -> str:
    """Return a row's test error as the figure prints it, with a percent sign: 0.95 → '0.95%'."""
    return f"{result.error_percent:g}%"


def paper_error(key: str) -> str:
    """Return the test error of one row of the paper's Fig. 9, e.g. 'lenet5' → '0.95%'."""
    return error_text(paper_result(key))


def paper_results_rows(language: str = "en") -> list[list[str]]:
    """Return the rows of the paper's Fig. 9 that the site names: label, what it is, training data, test error."""
    rows = []
    for r in MNIST_RESULTS:
        label = " ".join(part for part in ("[dist]" if r.distortions else "", r.note, r.name) if part)
        data = "training digits and distorted copies" if r.distortions else "the training digits"
        rows.append([label, translate(CLASSIFIER_WORDS[r.key], language), translate(data, language), error_text(r)])
    return rows


def paper_results_table(language: str = "en") -> str:
    """Return the paper's MNIST results (its Fig. 9) as an HTML table with its source in the caption."""
    header = [translate(h, language) for h in PAPER_RESULTS_HEADER]
    caption = translate("LeCun et al. {year}, {figure}: test error on MNIST's test digits", language,
                        year=PAPER_YEAR, figure=figure_reference(language))
    return render_table(paper_results_rows(language), header=header, caption=caption, id="paper-results",
                        numeric=False, classes="lx-layers", wrap=(1,))


def paper_best_names(language: str = "en") -> str:
    """Return the classifier(s) with the paper's lowest test error, as words: 'LeNet-4s combined by boosting'."""
    return translate(" and ", language).join(translate(CLASSIFIER_WORDS[r.key], language) for r in best_results())


def paper_best_error() -> str:
    """Return the lowest test error of the paper's Fig. 9, e.g. '0.7%'."""
    return error_text(best_results()[0])


def paper_ties(key: str, language: str = "en") -> str:
    """Return the other classifiers whose test error equals that of ``key``, as words."""
    return translate(" and ", language).join(
        translate(CLASSIFIER_WORDS[r.key], language) + (translate(", trained with distortions", language)
                                                        if r.distortions else "")
        for r in ties_with(key))


def figure_reference(language: str = "en") -> str:
    """Return the paper's figure that the results come from: 'Fig. 9' (in Chinese '图 9')."""
    return translate("Fig. {number}", language, number=PAPER_FIGURE_NUMBER)
