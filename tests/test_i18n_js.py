"""The Chinese edition's words (issue 14): the pages' JavaScript tables and the Python tables agree key for key,
the interactive pages take their words from the page's language, and the figures are drawn in Chinese."""

from __future__ import annotations

import io
import json
import re
import subprocess
import tokenize
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import nbformat
import pytest
from zh_text import COLLECT_JS, DRAW_A_SEVEN_JS, problems

from lenet_explain.calculator.arithmetic import summarize
from lenet_explain.calculator.stacks import LECTURE, LECTURE32, LENET1998
from lenet_explain.site import explainer, figures, interactive_macros, steppers, train_macros, words
from lenet_explain.site.model_answers import PREDICT_EXAMPLE
from lenet_explain.site.terms_zh import find_english, find_halfwidth, find_variants
from lenet_explain.walkthrough.predict import STEP_WORDS

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "docs" / "i18n"
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def kept_in_figures() -> frozenset[str]:
    """Return the Latin words a Chinese figure, plot or alt text keeps, each for a reason a Chinese textbook keeps it.

    Keras' class names of the layers the figures show (the alt texts name each layer's class; the architecture
    figure keeps Conv2D, Flatten and Dense, and says 平均池化 and 下采样 in words); the names of a network, a data set,
    a library, an optimizer and of functions (LeNet, MNIST, Keras, Adam, ReLU, sigmoid) and the abbreviation RBF; the
    lecture's two pictures, X and O; the formulas' x, e and max; the paper's Table I; the example picture's file name.
    """
    classes = {row.type for stack in (LECTURE, LECTURE32, LENET1998) for row in summarize(stack).rows}
    names = {"LeNet", "MNIST", "Keras", "ReLU", "sigmoid", "RBF", "Adam", *explainer.IMAGE_NAMES, "x", "e", "max", "I",
             Path(PREDICT_EXAMPLE).stem}
    return frozenset(word for name in classes | names for word in find_english("中 " + name, frozenset()))


KEPT = kept_in_figures()


def not_chinese(text: str) -> list[str]:
    """Return what a Chinese label or alt text must not have: English a Chinese textbook would not keep, half-width
    punctuation beside Chinese, a variant of a term (:mod:`lenet_explain.site.terms_zh`). A label without any
    Chinese is read as part of a Chinese sentence ("中 " + text): English alone is English too. A number's
    percentage in half-width brackets ("8 (95.3%)", not "8（95.3%）") is English punctuation too; a formula's
    brackets ("max(x, 0)") are not."""
    english = find_english("中 " + text, KEPT)
    brackets = re.findall(r"\d\s*\([\d.,]+%\)", text) if CJK.search(text) else []
    return [*english, *brackets, *find_halfwidth(text), *(variant for variant, _ in find_variants(text))]


def js_tables() -> dict[str, Any]:
    """Return the word tables (STRINGS[language][section]) as Node imports the ES module docs/i18n/i18n.js."""
    script = "import(process.argv[1]).then(m => process.stdout.write(JSON.stringify(m.STRINGS)))"
    result = subprocess.run(["node", "-e", script, (I18N / "i18n.js").as_uri()], capture_output=True, text=True,
                            check=True)
    return dict(json.loads(result.stdout))


def test_js_tables_have_the_same_keys_and_placeholders() -> None:
    tables = js_tables()
    assert set(tables) == {"en", "zh"}
    assert set(tables["en"]) == set(tables["zh"]) >= {"visualizer", "steppers", "calculator", "errors", "train"}
    for section, english in tables["en"].items():
        chinese = tables["zh"][section]
        assert set(english) == set(chinese), f"{section}: keys differ: {set(english) ^ set(chinese)}"
        for key, text in english.items():
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(chinese[key])), f"{section}.{key}"


def test_python_tables_have_the_same_keys_and_placeholders() -> None:
    assert set(words.EN) == set(words.ZH)
    for key, text in words.EN.items():
        assert words.placeholders(text) == words.placeholders(words.ZH[key]), key


def test_chinese_tables_are_chinese() -> None:
    """Every Chinese string with letters in it has Chinese in it (names like 'ReLU' or 'MACs' excepted)."""
    latin_only = {key for key, text in words.ZH.items() if not CJK.search(text) and re.search(r"[a-z]{4,}", text)}
    assert latin_only <= {"fig_relu_legend", "fig_sigmoid_legend", "image_choice", "fig_alt_layer"}, latin_only
    for section, table in js_tables()["zh"].items():
        for key, text in table.items():
            if re.search(r"\b[a-z]{4,}\b", PLACEHOLDER.sub("", text)) and not CJK.search(text):
                assert key in {"arg_center", "arg_scale"}, f"{section}.{key}: {text}"


def html_texts(html: str) -> list[str]:
    """The texts a reader sees in generated HTML: between its tags, code as a stand-in (0)."""
    prose = re.sub(r"<code>.*?</code>", "0", html)  # code stands for itself: as a number would
    return [t.strip() for t in re.split(r"<[^>]+>", prose) if t.strip()]


def test_the_interactive_pages_words_are_written_in_chinese() -> None:
    """Every Chinese string of the visualizer, the steppers and the train page (the JS tables' sections, the steppers'
    Python words, the train page's and the receptive fields' tables): the terminology table's terms, full-width
    punctuation beside Chinese, no English a Chinese textbook would not keep (placeholders filled with 0)."""
    tables = js_tables()["zh"]
    texts = [text for section in ("visualizer", "steppers", "train") for text in tables[section].values()]
    texts += [text for key, text in words.ZH.items() if not key.startswith("fig_")]  # the steppers' words
    filled = [PLACEHOLDER.sub("0", text) for text in texts]
    filled += html_texts(train_macros.train_benchmark_table("zh") + train_macros.lecture_history_table("zh")
                         + interactive_macros.receptive_table(language="zh"))
    assert not problems(filled), problems(filled)
    # A planted mistake of each kind is found (the check can fail).
    planted = ["Epoch 1 用了 37 s", "8 (95.3%)", "批大小", "权重从 -0.207 到 0.221", "输入 第 1 张"]
    assert len(problems(planted)) == len(planted), problems(planted)


def test_interactive_scripts_take_their_words_from_the_tables() -> None:
    """No English sentence left as a string literal in the page scripts that were moved to the tables."""
    sentence = re.compile(r"\"([A-Z][a-z]+(?: [a-z]+){2,}[^\"]*)\"")
    pages = ("visualizer/page.js", "steppers/steppers.js", "train/page.js", "calculator/calculator-page.js",
             "calculator/page-common.js", "calculator/page-layer.js", "calculator/page-stack.js")
    for path in pages:
        text = (ROOT / "docs" / path).read_text(encoding="utf-8")
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("//", "*", "/*")))
        assert not sentence.findall(code), (path, sentence.findall(code)[:5])


def test_steppers_speak_chinese_with_the_same_numbers() -> None:
    english, chinese = steppers.convolution_data("en"), steppers.convolution_data("zh")
    for image in english["maps"]:
        for feature in english["maps"][image]:
            for en_step, zh_step in zip(english["maps"][image][feature], chinese["maps"][image][feature],
                                        strict=True):
                assert re.findall(r"[\d.−/]+", en_step["say"].split(":", 1)[1]) == re.findall(
                    r"[\d.−/]+", zh_step["say"].split("：", 1)[1])
                assert CJK.search(zh_step["say"])
    html = steppers.stepper_html("receptive-field", "zh")
    assert "感受野" in html and "sees input" not in html


@pytest.mark.parametrize("name", ["match-step", "pooling", "stack-x", "votes", "c3-table", "ledger-1998"])
def test_figures_in_chinese_have_chinese_labels(name: str) -> None:
    english, chinese = figures.render_figure(name), figures.render_figure(name, language="zh")
    en_texts = re.findall(r"<text[^>]*>([^<]*)</text>", english) or re.findall(r"<!-- (.*?) -->", english)
    zh_texts = re.findall(r"<text[^>]*>([^<]*)</text>", chinese) or re.findall(r"<!-- (.*?) -->", chinese)
    assert any(CJK.search(t) for t in zh_texts), name
    english_words = {w for t in en_texts for w in re.findall(r"\b[a-z]{4,}\b", t)}
    left = {w for t in zh_texts for w in re.findall(r"\b[a-z]{4,}\b", t)} & english_words
    assert not left - {"output"}, (name, left)  # a layer's name stays a name
    # The same numbers in both languages.
    assert sorted(re.findall(r"−?\d+(?:\.\d+)?", " ".join(en_texts))) == sorted(
        re.findall(r"−?\d+(?:\.\d+)?", " ".join(zh_texts)))


@pytest.mark.parametrize("name", [pytest.param(name, marks=[pytest.mark.tf] if spec.needs_keras else [])
                                  for name, spec in figures.FIGURES.items()])
def test_figure_alt_texts_in_chinese_have_the_same_numbers(name: str) -> None:
    english, chinese = figures.figure_alt(name), figures.figure_alt(name, language="zh")
    assert figures.figure_alt(name, "en") == english and CJK.search(chinese), chinese
    number = r"−?\d+(?:[.,]\d+)*"
    assert sorted(re.findall(number, chinese)) == sorted(re.findall(number, english)), (english, chinese)
    assert not not_chinese(chinese), (not_chinese(chinese), chinese)


def svg_texts(path: Path) -> list[str]:
    """Return every text an SVG file holds (labels, titles, metadata), its stylesheet excepted."""
    root = ET.parse(path).getroot()
    return [el.text.strip() for el in root.iter() if el.text and el.text.strip() and not str(el.tag).endswith("style")]


def string_literals(source: str) -> set[str]:
    """Return the string literals of a notebook cell's code, their quotes and f-string fields left out."""
    code = "\n".join("" if line.startswith("%") else line for line in source.splitlines())
    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    return {re.sub(r"\{[^}]*\}", "", t.string.lstrip("rbfRBF")[1:-1]) for t in tokens if t.type == tokenize.STRING}


def notebook_plot_words() -> list[str]:
    """Return the words the Chinese notebook's own cells draw in its plots: their strings that are not their twins'."""
    english = nbformat.read(ROOT / "docs" / "walkthrough.ipynb", as_version=4)
    chinese = nbformat.read(ROOT / "docs" / "walkthrough.zh.ipynb", as_version=4)
    found = []
    for mine, theirs in zip(chinese.cells, english.cells, strict=True):
        if mine.cell_type == "code" and mine.metadata.get("translated"):
            found += [s for s in string_literals(mine.source) - string_literals(theirs.source) if CJK.search(s)]
    return found


def test_chinese_figures_and_plots_are_written_in_chinese(built_site: Path) -> None:
    """The built Chinese figures hold no text but Chinese (labels, titles, legends, axes; no metadata), as the
    terminology table writes it; so are the Chinese notebook's plots (the words its own cells draw, the steps
    figure's words) and its images' alt texts on the page."""
    problems = []
    svgs = sorted((built_site / "zh" / "figures").glob("*.svg"))
    assert len(svgs) == len(figures.figure_files())
    for svg in svgs:
        problems += [(svg.name, text, problem) for text in svg_texts(svg) for problem in not_chinese(text)]
    page = (built_site / "zh" / "walkthrough" / "index.html").read_text(encoding="utf-8")
    alts = re.findall(r'<img alt="([^"]*)"', page)
    assert len(alts) >= 4 and all(CJK.search(alt) for alt in alts), alts
    plot_words = notebook_plot_words()
    assert len(plot_words) >= 6, plot_words  # titles, legends and the axis of the curves; the steps' language
    for text in [*alts, *plot_words, *(PLACEHOLDER.sub("", w) for w in STEP_WORDS["zh"].values())]:
        problems += [("walkthrough", text, problem) for problem in not_chinese(text)]
    assert not problems, problems


def open_in_chinese(page: Any, url: str) -> None:
    """Open ``url`` with its <html lang> set to zh-Hans (what the Chinese twin's page says), before any script."""
    page.add_init_script("new MutationObserver((changes, observer) => { if (document.documentElement) {"
                         " document.documentElement.lang = 'zh-Hans'; observer.disconnect(); } })"
                         ".observe(document, { childList: true });")
    page.goto(url)


def numbers(text: str) -> list[str]:
    """The numbers in a text (sorted: a Chinese sentence may say them in another order)."""
    return sorted(re.findall(r"\d+", text))


def test_calculator_in_chinese_shows_the_same_numbers(page: Any, site_url: str, browser: Any) -> None:
    page.goto(site_url + "calculator/?height=30&width=28&kernel=5&pad=same")
    page.wait_for_selector("html[data-calculator='ready']")
    english = {sel: page.text_content(sel) or "" for sel in ("#ca-shape", "#ca-params", "#ca-note-h", "#ca-window")}
    page.fill("#ca-h", "0")
    english_error = page.text_content("#ca-error") or ""
    chinese_page = browser.new_page()
    try:
        open_in_chinese(chinese_page, site_url + "calculator/?height=30&width=28&kernel=5&pad=same")
        chinese_page.wait_for_selector("html[data-calculator='ready']")
        assert chinese_page.evaluate("document.documentElement.lang") == "zh-Hans"
        for selector, text in english.items():
            chinese = chinese_page.text_content(selector) or ""
            assert numbers(chinese) == numbers(text), selector
            assert CJK.search(chinese) or not re.search(r"[a-z]{4,}", text), (selector, chinese)
        chinese_page.fill("#ca-h", "0")
        chinese_error = chinese_page.text_content("#ca-error") or ""
        assert english_error == "Height: input must be a positive integer, got 0" and CJK.search(chinese_error)
        assert numbers(chinese_error) == numbers(english_error)
    finally:
        chinese_page.close()


# Each layer's units, reached from the keyboard as a reader would (keydown events on the layer's maps), and what the
# inspector then says: its text and its aria-labels.
JS_INSPECT_EVERY_LAYER = """() => {
  const collect = """ + COLLECT_JS + """;
  const said = [];
  for (const maps of document.querySelectorAll('.lv-maps')) {
    for (const key of ['ArrowRight', 'ArrowDown', 'n']) {
      maps.dispatchEvent(new KeyboardEvent('keydown', {key: key, bubbles: true, cancelable: true}));
      said.push(...collect('#lv-inspector'));
    }
  }
  return said;
}"""

# Every stepper of a page, stepped as a reader would (keydown on the stepper: a step, the last window, the first) and
# through each of its choices (a click on each button), and what it then shows and says.
JS_STEP_EVERY_STEPPER = """() => {
  const collect = """ + COLLECT_JS + """;
  const said = [];
  for (const root of document.querySelectorAll('[data-stepper]')) {
    const here = '#' + root.id;
    for (const key of ['ArrowRight', 'End', 'Home']) {
      root.dispatchEvent(new KeyboardEvent('keydown', {key: key, bubbles: true, cancelable: true}));
      said.push(...collect(here));
    }
    for (const choice of root.querySelectorAll('.lx-step-choice')) {
      choice.click();
      said.push(...collect(here));
    }
  }
  return said;
}"""

def test_visualizer_and_steppers_speak_chinese(page: Any, site_url: str) -> None:
    """The Chinese visualizer (both networks) with a digit drawn and every layer's units inspected, and the Chinese
    steppers stepped through every choice: every word they show or give to a screen reader is written in Chinese
    (tests/zh_text.py: the terminology table's checks, with the Latin words a textbook keeps)."""
    said: list[str] = []
    for query in ("", "?model=lenet1998"):
        page.goto(site_url + "zh/visualizer/" + query)
        page.wait_for_selector("#lv-root[data-ready='true']")
        assert page.get_attribute("#lv-pad", "aria-label").startswith("画板")
        page.evaluate(DRAW_A_SEVEN_JS, "lv-pad")
        assert page.text_content("#lv-first") != "–"  # the drawing was read
        said += page.evaluate(COLLECT_JS, "article") + page.evaluate(JS_INSPECT_EVERY_LAYER)
    page.click(".lv-example[data-example='0']")  # an MNIST digit: the status line says so
    said += page.evaluate(COLLECT_JS, ".lv-summary")
    for path in ("convolution/", "pooling/", "activation/"):
        page.goto(site_url + "zh/" + path)
        page.wait_for_selector("[data-stepper][data-ready='true']")
        said += page.evaluate(JS_STEP_EVERY_STEPPER)
        if path == "convolution/":
            assert "下一步" in (page.text_content("[data-stepper='convolution'] [data-move='next']") or "")
    found = problems(sorted(set(said)))
    assert not found, found


def test_train_page_has_no_english_words_left() -> None:
    """Beyond sentences: no lower-case phrase, label or unit left as a string literal in the train page's script."""
    text = (ROOT / "docs" / "train" / "page.js").read_text(encoding="utf-8")
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(("//", "*", "/*")))
    literals = re.findall(r"\"([^\"\\]*)\"", code)
    # words in a row, a capitalised word ("Start"), or a fragment glued to a number (" s", " digits")
    prose = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}|^[A-Z][a-z]+[.:!]?$|^\s.*[A-Za-z]|[A-Za-z].*\s$")
    code_words = {"use strict", "12px sans-serif", "Enter", "Delete", "Backspace", "Escape"}  # keys pressed
    left = [s for s in literals if prose.search(s) and s not in code_words and not s.startswith("lt-")]
    assert not left, left


@pytest.mark.slow
def test_train_page_speaks_chinese_with_the_same_numbers(browser: Any, site_url: str, screenshot: Any) -> None:
    """The train page in Chinese: its labels, states, numbers panel and the trainer's errors, same numbers."""
    pages = {}
    try:
        for language in ("en", "zh"):
            page = pages[language] = browser.new_page()
            if language == "zh":
                open_in_chinese(page, site_url + "train/?model=modern&batch=16&seed=7")
            else:
                page.goto(site_url + "train/?model=modern&batch=16&seed=7")
            page.wait_for_function("document.getElementById('lt-root').dataset.ready === 'true'", timeout=60_000)
        english, chinese = pages["en"], pages["zh"]
        assert chinese.text_content("#lt-start") == "开始" and english.text_content("#lt-start") == "Start"
        assert chinese.get_attribute("#lt-pad", "aria-label").startswith("画板")
        for selector in ("#lt-state", "#lt-numbers", "#lt-compare", "#lt-confusion", "#lt-guess", "#lt-filter-scale",
                         "label[for='lt-rate'] + input + .lt-help", "#lt-batch-help", ".lt-digit figcaption"):
            en_text = " ".join(english.locator(selector).all_text_contents())
            zh_text = " ".join(chinese.locator(selector).all_text_contents())
            assert numbers(zh_text) == numbers(en_text), (selector, en_text, zh_text)
            assert CJK.search(zh_text) or not re.search(r"[a-z]{4,}", en_text), (selector, zh_text)
        labels = "Array.from(document.querySelectorAll('#lt-root [aria-label]'), (e) => e.getAttribute('aria-label'))"
        en_labels, zh_labels = english.evaluate(labels), chinese.evaluate(labels)
        assert len(en_labels) == len(zh_labels) and all(CJK.search(label) for label in zh_labels), zh_labels
        assert [numbers(label) for label in en_labels] == [numbers(label) for label in zh_labels]
        # The trainer's own errors (English in its API) carry the key of their sentence in the word tables and reach
        # the reader in the page's language, same numbers.
        errors = """() => [{batchSize: 0}, {learningRate: 2}, {seed: -1}].map((o) => {
            try { window.lenetTrainer.settings(o); return null; }
            catch (e) { return [e.message, window.lenetTrainerPage.readerMessage(e), e.key]; } })"""
        for (message, said, key), (zh_message, zh_said, _) in zip(english.evaluate(errors), chinese.evaluate(errors),
                                                                  strict=True):
            assert key in {"err_batch", "err_rate", "err_seed"}, key
            assert said == message == zh_message and CJK.search(zh_said), (message, zh_said)
            assert numbers(zh_said) == numbers(message)
        chinese.fill("#lt-batch", "0")
        chinese.dispatch_event("#lt-batch", "change")
        assert "批量大小" in (chinese.text_content("#lt-form-error") or "")
        screenshot(chinese, "train-zh")
    finally:
        for page in pages.values():
            page.close()


@pytest.mark.slow
def test_train_page_says_a_bad_download_in_chinese(browser: Any, site_url: str) -> None:
    entry = json.loads((ROOT / "docs" / "train" / "train_manifest.json").read_text())["data"]["test"]
    data = bytearray((ROOT / "docs" / "train" / entry["file"]).read_bytes())
    data[1000] ^= 1
    page = browser.new_page()
    try:
        page.route(f"**/{entry['file']}", lambda route: route.fulfill(status=200, body=bytes(data)))
        open_in_chinese(page, site_url + "train/")
        page.wait_for_function("document.getElementById('lt-root').dataset.ready === 'error'", timeout=60_000)
        text = page.text_content("#lt-root") or ""
        assert "训练器无法启动" in text and "与清单不符" in text and entry["file"] in text, text
    finally:
        page.close()
