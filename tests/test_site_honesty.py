"""The pages say only what is true: the lecture's numbers are the lecture's, no number is typed by hand, one set of
conventions, the glossary's Chinese terms are the lecture's, generated pictures are current, 404 works anywhere."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from lenet_explain.calculator.stacks import LECTURE
from lenet_explain.site import explainer_figures, figure_layout, figures, glossary, hooks, model_answers
from lenet_explain.walkthrough import lecture, training

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


# --- The lecture's printed results, kept once ---------------------------------------------------------------


def test_the_lecture_log_is_quoted_verbatim(lecture_text: str) -> None:
    """Every line the package keeps as the lecture's output is in the lecture, character for character."""
    squeezed = re.sub(r"[ \t]+", " ", lecture_text)
    for block in (lecture.LECTURE_FIT_LOG, lecture.LECTURE_TIMELINE):
        for line in block.strip().splitlines():
            assert line in lecture_text, line
    for value in lecture.LECTURE_3_PNG:
        assert f"{value:.7e}" in squeezed or f"{value:.8e}".replace("e-0", "e-0") in squeezed, value


def test_the_lecture_log_parses_into_the_lectures_recipe() -> None:
    """Parsed, the log is ten epochs of the same steps: the recipe the package trains with."""
    epochs = lecture.LECTURE_EPOCHS
    assert [e.epoch for e in epochs] == list(range(1, training.EPOCHS + 1))
    assert len({e.steps for e in epochs}) == 1
    assert lecture.LECTURE_BATCH_SIZE == training.BATCH_SIZE
    assert lecture.LECTURE_HISTORY["accuracy"][0] == epochs[0].acc
    assert set(lecture.LECTURE_HISTORY) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == len(epochs) for v in lecture.LECTURE_HISTORY.values())
    assert int(np.argmax(lecture.LECTURE_3_PNG)) == 3 and len(lecture.LECTURE_3_PNG) == training.NUM_CLASSES
    years = [m.year for m in lecture.LECTURE_MILESTONES]
    assert years == sorted(years) and len(years) == 3
    assert 0 < lecture.ZIP_CODE_ERROR_RATE < lecture.ZIP_CODE_REJECTION_RATE < 1


def test_the_glossarys_lecture_terms_are_the_lectures(lecture_text: str) -> None:
    """A Chinese term the glossary attributes to the lecture is in the lecture; the others are not claimed."""
    for term in glossary.lecture_terms():
        assert term in lecture_text, term
    for term in glossary.TERMS:
        if not term.in_lecture:
            assert term.chinese.split("、")[0] not in lecture_text, f"{term.chinese} is in the lecture: say so"


def test_the_lectures_only_normalization_is_dividing_by_255(lecture_text: str) -> None:
    """归一化 appears once in the lecture, as '/255' — the site never calls ReLU the lecture's normalization."""
    assert re.findall(r"归一化[^\n]*", lecture_text) == [f"归一化: /{glossary.PIXEL_MAX}"]
    assert "ReLU" not in lecture_text and "relu" not in lecture_text.lower()
    page = (DOCS / "activation.md").read_text(encoding="utf-8")
    assert "calls the *normalization*" not in page and "lecture calls" not in page


# --- No number typed by hand ----------------------------------------------------------------------------------

# Tokens that hold digits but are names, not numbers: layer names, class names, formats, LeNet's version.
NAME_TOKENS = re.compile(r"^(?:[A-Za-z]+[\w.]*\d[\w.]*|\d+D|\d+-bit|LeNet-\d|.*[\u4e00-\u9fff].*)$")
# Chinese characters and punctuation (CJK symbols, ideographs, full-width forms): a number's neighbours, not its part.
CJK_TEXT = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
# The paper's year names its network ("the 1998 network", "LeNet-5 in 1998"), as "LeNet-5" names the model.
PAPER_YEAR = str(lecture.LECTURE_MILESTONES[-1].year)
# Mathematical constants of the explanations themselves: 0, 1, ±1, ½, and list numbering.
CONSTANTS = {"0", "1", "+1", "−1", "-1", "½"}


def prose(text: str) -> str:
    """Return a Markdown page's prose: no front matter, macros, code, HTML tags, link targets or formulas."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    for pattern in (r"\{#.*?#\}", r"\{%.*?%\}", r"\{\{.*?\}\}", r"```.*?```", r"`[^`]*`",
                    r"<(script|style)\b.*?</\1>", r"<[^>]+>", r"\$\$.*?\$\$", r"\$[^$\n]+\$"):
        text = re.sub(pattern, " ", text, flags=re.S)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return re.sub(r"https?://\S+", " ", text)


def typed_numbers(text: str) -> list[str]:
    """Return the numbers written in a page's prose, except names and the explanations' constants."""
    found = []
    for line in prose(text).splitlines():
        line = re.sub(r"^\s*\d+\.\s", " ", line)  # an ordered list's numbering
        line = CJK_TEXT.sub(" ", line)  # Chinese characters are not part of a number: '第3行' holds the number 3
        for token in re.findall(r"[\w.+−-]*\d[\w.,%×/+−-]*", line):
            token = token.strip(".,")
            if token in CONSTANTS or token == PAPER_YEAR or NAME_TOKENS.match(token):
                continue
            found.append(token)
    return found


# the sources' volume, issue and year are bibliography, not the package's numbers
CITATIONS = {"references.md", "references.zh.md"}


@pytest.mark.parametrize("page", sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")
                                        if str(p.relative_to(DOCS)) not in CITATIONS))
def test_no_number_is_typed_by_hand(page: str) -> None:
    """Numbers on a page come from macros (lenet_explain), never from the Markdown."""
    assert typed_numbers((DOCS / page).read_text(encoding="utf-8")) == []


def test_the_typed_number_check_finds_numbers() -> None:
    """The check above is not blind: it finds a number in prose and leaves names, macros and code alone."""
    page = "A {{ map_size }}×{{ map_size }} map, `size --input 7`, C5 and Conv2D, the 1 bias; a 4-pixel margin, 28×28."
    assert typed_numbers(page) == ["4-pixel", "28×28"]
    chinese = "一张 {{ map_size }}×{{ map_size }} 的特征图，`size --input 7`，C5 层，第3行，共28×28个像素，偏置为 1。"
    assert typed_numbers(chinese) == ["3", "28×28"]


def test_the_chinese_pages_are_checked_too() -> None:
    """The typed-number rule covers every Chinese twin (docs/**/*.zh.md) as well as the English pages."""
    checked = {str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md")} - CITATIONS
    assert {"index.zh.md", "convolution.zh.md", "visualizer/index.zh.md"} <= checked


# --- One set of conventions ------------------------------------------------------------------------------------


def test_signed_values_have_one_colour_direction_everywhere() -> None:
    """The figures' diverging map is the visualizer's weight map: purple negative, orange positive."""
    manifest = json.loads((DOCS / "visualizer" / "lenet5_manifest.json").read_text(encoding="utf-8"))
    assert manifest["colormaps"]["weight"]["name"] == figure_layout.DIVERGING
    import matplotlib.pyplot as plt

    low, high = plt.get_cmap(figure_layout.DIVERGING)(0.0), plt.get_cmap(figure_layout.DIVERGING)(1.0)
    assert low[2] > low[1] and high[0] > high[2]  # purple (blue over green) at −1, orange (red over blue) at +1
    page = (DOCS / "i18n" / "en.js").read_text(encoding="utf-8")  # the visualizer's words (issue 14)
    colours = figure_layout.SIGN_WORDS
    assert f"{colours['negative']} negative" in page and f"{colours['positive']} positive" in page


# --- Figures and pictures made by the package ----------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("stem", [s for s, (n, _) in figures.figure_files().items()
                                  if not figures.FIGURES[n].needs_keras])
def test_figures_fit_their_column_with_readable_text(stem: str) -> None:
    """Drawn at natural size a figure fits its column (desktop or phone) and no text is under 9 pt."""
    name, narrow = figures.figure_files()[stem]
    svg = figures.render_figure(name, narrow)
    width, _ = figures.svg_size(svg)
    limit = figure_layout.NARROW_MAX_PT if narrow else figure_layout.WIDE_MAX_PT
    assert width * 3 / 4 <= limit * 1.02, f"{stem}: {width * 3 / 4:.0f} pt wide, the column is {limit:.0f} pt"
    sizes = [float(v) for v in re.findall(r"font-size: ([\d.]+)px", svg)]
    assert sizes and min(sizes) >= figure_layout.CELL_FONT


def test_the_architecture_boxes_follow_the_number_of_values() -> None:
    """C5 (1×1×120) and flatten (120) hold the same values: same box; every box's area follows its count."""
    boxes = explainer_figures.layer_boxes()
    sides = explainer_figures.box_sides(LECTURE, 60.0)
    area = {name: side**2 for (name, _, _), side in zip(boxes, sides, strict=True)}
    counts = {name: explainer_figures.value_count(shape) for name, _, shape in boxes}
    assert area["C5"] == pytest.approx(area["flatten"])
    ratios = [area[n] / counts[n] for n in area]
    assert max(ratios) == pytest.approx(min(ratios))


def test_the_example_pictures_are_current() -> None:
    """docs/examples/digits/ holds what lenet_explain.site.model_answers draws (scripts/make_examples.py)."""
    drawn = model_answers.draw_examples()
    assert sorted(drawn) == sorted(p.name for p in model_answers.EXAMPLES_DIR.iterdir())
    for name, image in drawn.items():
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=model_answers.JPEG_QUALITY)
        fresh = np.asarray(Image.open(buffer), dtype=np.float64)
        committed = np.asarray(Image.open(model_answers.EXAMPLES_DIR / name), dtype=np.float64)
        assert fresh.shape == committed.shape, f"{name} is stale: run scripts/make_examples.py"
        assert np.abs(fresh - committed).mean() < 1.0, f"{name} is stale: run scripts/make_examples.py"


# --- The built site ------------------------------------------------------------------------------------------


def built_page(site: Path, page: str) -> BeautifulSoup:
    """Return a built page, parsed."""
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_every_glossary_link_lands_on_an_entry(built_site: Path) -> None:
    """Links into the glossary from any page point at an entry that exists, and the glossary lists every term."""
    entries = {tag["id"] for tag in built_page(built_site, "glossary/").find_all(id=True)}
    assert {t.id for t in glossary.TERMS} <= entries
    links = 0
    for html in built_site.rglob("index.html"):
        for a in BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser").find_all("a", href=True):
            if "glossary/#" in a["href"]:
                assert a["href"].split("#", 1)[1] in entries, f"{html}: {a['href']}"
                links += 1
    assert links >= 5


@pytest.mark.tf
def test_the_pages_say_what_the_model_answers(built_site: Path) -> None:
    """The predict page's figure and text, and the visualizer's note on its examples, are the model's answers."""
    example = model_answers.run_example()
    predict = built_page(built_site, "predict/")
    text = predict.get_text(" ")
    assert example.naive_guess in text and example.mnist_guess in text
    assert predict.find("img", src=re.compile(r"predict-example\.svg$")) is not None
    assert not re.search(r"\breal (images?|pictures?|photos?)\b", text), "synthetic pictures are not real"
    visualizer = " ".join(built_page(built_site, "visualizer/").get_text(" ").split())
    misread = [a for a in model_answers.visualizer_answers() if a.guess != a.label]
    assert misread, "the reference model reads every example right: the page's note must change"
    for answer in misread:
        # the page counts the test digits from 1 (answer.index is x_test's, from 0)
        assert f"test digit {answer.index + 1}, a {answer.label}, is read as {answer.guess}" in visualizer


def test_the_404_page_is_made_relocatable() -> None:
    """Root-relative links become relative; a script finds the site's root before anything loads."""
    page = ('<html><head><link href="/assets/stylesheets/main.css"></head><body><a href="/.">home</a>'
            '<a href="/history/">h</a><script id="__config" type="application/json">{"base": "/", '
            '"search": "/assets/javascripts/workers/search.js"}</script>'
            '<script src="/assets/javascripts/bundle.0123abcd.min.js"></script></body></html>')
    out = hooks.relocatable_404(page)
    assert 'href="/' not in out and 'src="/' not in out
    assert 'href="./"' in out and 'href="history/"' in out
    assert out.index("bundle.0123abcd.min.js\"") < out.index('<link href="assets/')  # the probe runs first
    assert out.index('id="__config"') < out.index("lxSiteRoot;") < out.index('src="assets/javascripts/bundle')
