"""Every Chinese string the site has, held to the terminology table (``lenet_explain/site/terms_zh.py``).

A Chinese textbook names each concept one way, sets its prose with full-width punctuation and keeps English only
for names, code, formats, units and a few abbreviations. These tests run the table's three checks —
:func:`find_variants`, :func:`find_halfwidth`, :func:`find_english` — on the built ``/zh/`` pages' prose (the
article's text outside code, ``<pre>``, ``<kbd>`` and formulas, one block at a time, and its alt texts and labels),
on the JavaScript words (``docs/i18n/zh.js``, as Node imports it), on the Python word tables and on every other
Chinese string literal of the package. Each failure names the page or file, the key or line, and the string.
(No space between two Chinese characters on a built page: ``tests/test_prose.py``.)
"""

from __future__ import annotations

import ast
import html
import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from node_calculator import code_words

from lenet_explain.site import glossary, terms_zh, words, words_zh
from lenet_explain.site.terms_zh import (
    CALCULATOR_CODE,
    CHINESE,
    KEPT_ENGLISH,
    find_english,
    find_halfwidth,
    find_variants,
)

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PACKAGE = ROOT / "lenet_explain"
# Verbatim text a reader does not read as prose: code, terminal output, keys, formulas, drawings.
VERBATIM = ("script", "style", "svg", "code", "pre", "kbd", "samp", "math", "textarea")
# Elements that end a block of text (a paragraph, a list item, a cell, a heading, a caption…).
BLOCK_TAG = re.compile(r"</?(?:p|div|li|ul|ol|h[1-6]|table|thead|tbody|tr|td|th|caption|figure|figcaption|br|hr"
                       r"|details|summary|section|nav|blockquote|dl|dt|dd|noscript|label|select|option|button"
                       r"|input|picture|img|output|fieldset|legend|form|span class=\"lx-status\")\b[^<>]*>")
LABELS = ("alt", "aria-label", "title", "placeholder", "aria-description")
# str.format / JS placeholders and Jinja-free templates: {name} is a value, not a word.
PLACEHOLDER = re.compile(r"\{[\w.\[\]]*\}")
# Python modules whose Chinese strings are checked by key below, or that hold the table itself.
CHECKED_BY_KEY = {"words_zh.py", "words.py", "glossary.py", "terms_zh.py"}


def problems(text: str, kept: frozenset[str] = KEPT_ENGLISH) -> list[str]:
    """Return what a Chinese string breaks: a variant of a term, half-width punctuation, English not ``kept``."""
    return ([f"variant {found!r} (the site says {term})" for found, term in find_variants(text)]
            + [f"half-width {found!r}" for found in find_halfwidth(text)]
            + [f"English {word!r}" for word in find_english(text, kept)])


# In a word table's string, code has no markup: a quoted value ('same', "inbound"), an option (--model), or a name
# with an underscore, a dot, a slash or an equals sign in it (data_format, config.json, scripts/x.py, padding='same'),
# a call (model(x)).
CODE = re.compile(r"'[^'\s]*'|\"[^\"\s]*\"|--[\w-]+|[A-Za-z][\w-]*(?:[_.=/][\w'\-]+)+|[a-z]\w*\([\w, ]*\)")
URL = re.compile(r"https?://\S+")


def prose_of(source: str) -> str:
    """Return the prose of a word-table string: no placeholders, code, formulas, English marked as such (lang="en"),
    HTML tags or link targets."""
    text = re.sub(r"<(code|kbd|pre)\b[^>]*>.*?</\1>|<(\w+)\b[^>]*\blang=\"en[^\"]*\"[^>]*>.*?</\2>", " ", source,
                  flags=re.S)
    text = re.sub(r"`[^`]*`|\$[^$]+\$", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # a Markdown link keeps its words
    text = PLACEHOLDER.sub("0", text)  # a value stands where a number stands
    text = html.unescape(re.sub(r"<[^<>]*>", "", text))
    return CODE.sub(" ", URL.sub(" ", text))


def page_blocks(page_html: str) -> list[str]:
    """Return the Chinese blocks of text a reader reads in a page's article (prose, cells, captions), and its
    alt texts and labels; code, ``<pre>``, ``<kbd>``, formulas and drawings left out."""
    soup = BeautifulSoup(page_html, "html.parser")
    root = soup.select_one("article") or soup
    hidden = root.select(".clipboard-copy-txt")  # a notebook code cell's text for the copy button
    for element in root.find_all(VERBATIM) + root.find_all(lang=re.compile(r"^en\b")) + hidden:
        element.decompose()  # verbatim text, and English marked as English (a title, a glossary entry's name)
    labels = [str(element[name]) for element in root.find_all(True) for name in LABELS if element.get(name)]
    text = re.sub(r"<[^<>]*>", "", BLOCK_TAG.sub("\n\n", str(root)))
    blocks = [" ".join(URL.sub(" ", block).split()) for block in re.split(r"\n\s*\n", html.unescape(text))]
    return [block for block in blocks + labels if re.search(CHINESE, block)]


def chinese_pages() -> list[str]:
    """Return the built Chinese pages' folders (under zh/), from the Chinese sources in docs/."""
    pages = []
    for source in sorted(DOCS.rglob("*.zh.*")):
        if source.suffix not in (".md", ".ipynb"):
            continue
        folder = source.relative_to(DOCS).as_posix().removesuffix(source.suffix).removesuffix(".zh")
        folder = folder.removesuffix("index").removesuffix("/")
        pages.append(folder + "/" if folder else "")
    return pages


def js_words() -> dict[str, dict[str, str]]:
    """Return docs/i18n/zh.js's tables (section → key → text), as Node imports the ES module."""
    script = "import(process.argv[1]).then(m => process.stdout.write(JSON.stringify(m)))"
    result = subprocess.run(["node", "-e", script, (DOCS / "i18n" / "zh.js").as_uri()], capture_output=True,
                            text=True, check=True)
    return {section: dict(table) for section, table in json.loads(result.stdout).items() if isinstance(table, dict)}


def is_chinese(text: str) -> bool:
    """Return whether a string is Chinese text: it has at least as many Chinese characters as English words (an
    English sentence that quotes the lecture's 加边像素数 is English)."""
    return len(re.findall(CHINESE, text)) >= max(1, len(re.findall(r"[A-Za-z]{2,}", text)))


def chinese_literals(source: str) -> Iterator[tuple[int, str]]:
    """Yield (line, text) of each Chinese string literal in a module's source, docstrings and regular expressions
    left out; an f-string is one text, each value in it written 0."""
    tree = ast.parse(source)
    skipped = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"):
            skipped.update(id(arg) for arg in node.args[:1])  # a regular expression is no text
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skipped.add(id(first.value))
        if isinstance(node, ast.JoinedStr):
            skipped.update(id(part) for part in ast.walk(node) if part is not node)
            text = "".join(part.value if isinstance(part, ast.Constant) else "0" for part in node.values)
            if is_chinese(text):
                yield node.lineno, text
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped
                and is_chinese(node.value)):
            yield node.lineno, node.value


def report(found: dict[str, list[str]]) -> str:
    """Return the failures as lines: where, the string, and what it breaks."""
    return "\n".join(f"{where}: {', '.join(sorted(set(what)))}" for where, what in found.items())


# --- The checks can fail ----------------------------------------------------------------------------------------


def test_the_checks_can_fail() -> None:
    """Each check finds what it is for, in a word table's string and in a page, and passes clean Chinese."""
    assert problems(prose_of("训练 {epochs} 个 epoch，批次大小 {batch}，填充 2 (每侧)；墨水 purple")) == [
        "variant 'epoch' (the site says 轮)", "variant '批次' (the site says 批量、批量大小)",
        "variant '批' (the site says 批量、批量大小)", "variant '墨水' (the site says 墨迹)",
        "variant '墨' (the site says 墨迹)", "variant '填充' (the site says 加边)", "half-width '(每'",
        "half-width '侧)'", "English 'epoch'", "English 'purple'"]
    assert problems(prose_of("训练 {epochs} 轮，批量大小 {batch}，每侧加边 2 个像素（<code>padding='same'</code>），"
                             "用 Keras 的 <code>Conv2D</code>；见[池化](pooling.md)页，$f(x)$。")) == []
    page = ("<html><article><h1>卷积</h1>"
            "<p>用 <code>Conv2D</code> 算出 map(r,c)，再按 <strong>Start</strong> 开始。</p>"
            "<pre>Epoch 1/10</pre><p>公式 <math><mi>x</mi></math>：一 <kbd>Tab</kbd> 键</p>"
            "<table><tr><td>输入</td><td>output</td></tr></table>"
            '<img alt="input 第 1 张特征图" src="a.svg"><p>English only here.</p></article></html>')
    blocks = page_blocks(page)
    assert blocks == ["卷积", "用 算出 map(r,c)，再按 Start 开始。", "公式 ：一 键", "输入", "input 第 1 张特征图"]
    found = {block: problems(block) for block in blocks if problems(block)}
    assert found == {"用 算出 map(r,c)，再按 Start 开始。": ["English 'map'", "English 'Start'"],
                     "input 第 1 张特征图": ["English 'input'"]}
    module = 'def f() -> str:\n    """中文 docstring (not site text)."""\n    return "第 {n} 遍" + f"共{1}批"\n'
    assert list(chinese_literals(module)) == [(3, "共0批"), (3, "第 {n} 遍")]
    assert [problems(prose_of(text)) for _, text in chinese_literals(module)] == [
        ["variant '批' (the site says 批量、批量大小)"], ["variant '0 遍' (the site says 轮)"]]
    assert not is_chinese("Zeros added around the input (the lecture's 加边像素数)") and is_chinese("sigmoid，0 到 1")


def test_the_kept_english_is_grouped_and_every_word_is_latin() -> None:
    """KEPT_ENGLISH is the union of its groups, each word a single Latin word the finder can return."""
    assert frozenset().union(*terms_zh.KEPT_ENGLISH_GROUPS.values()) == KEPT_ENGLISH
    odd = {w for w in KEPT_ENGLISH if terms_zh.find_english(f"中 {w} 中", frozenset()) != [w]}
    assert odd == set(), f"not one Latin word each: {sorted(odd)}"


# --- Every Chinese string the site has ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", chinese_pages())
def test_a_built_chinese_page_holds_to_the_terms(built_site: Path, page: str) -> None:
    """The built /zh/ page's prose, cells, captions and labels: one term per concept, full-width punctuation
    beside Chinese, English only where a Chinese textbook keeps it."""
    blocks = page_blocks((built_site / "zh" / page / "index.html").read_text(encoding="utf-8"))
    assert blocks, f"zh/{page}: no Chinese text found"
    found = {f"zh/{page}: {block[:160]!r}": problems(block) for block in blocks}
    found = {where: what for where, what in found.items() if what}
    assert not found, "\n" + report(found)


def test_the_javascript_words_hold_to_the_terms() -> None:
    """docs/i18n/zh.js: every string of every section (the calculator's may name its code: keys, layer arguments)."""
    calculator = KEPT_ENGLISH | CALCULATOR_CODE | code_words()
    found = {f"docs/i18n/zh.js {section}.{key}: {text!r}": problems(
                 prose_of(text), calculator if section in ("calculator", "errors") else KEPT_ENGLISH)
             for section, table in js_words().items() for key, text in table.items() if isinstance(text, str)}
    found = {where: what for where, what in found.items() if what}
    assert not found, "\n" + report(found)


def test_the_python_word_tables_hold_to_the_terms() -> None:
    """lenet_explain/site/words_zh.py (table words, glossary definitions), words.py's ZH and the glossary's terms."""
    tables = {"words_zh.py WORDS": words_zh.WORDS, "words_zh.py GLOSSARY": words_zh.GLOSSARY,
              "words.py ZH": words.ZH, "glossary.py TERMS": {t.id: t.chinese for t in glossary.TERMS}}
    found = {f"lenet_explain/site/{table} {key!r}: {text!r}": problems(prose_of(text))
             for table, entries in tables.items() for key, text in entries.items()}
    found = {where: what for where, what in found.items() if what}
    assert not found, "\n" + report(found)


def test_every_other_chinese_string_of_the_package_holds_to_the_terms() -> None:
    """Every Chinese string literal in lenet_explain/**/*.py outside the tables above (docstrings left out)."""
    found: dict[str, list[str]] = {}
    for module in sorted(PACKAGE.rglob("*.py")):
        if module.name in CHECKED_BY_KEY:
            continue
        for line, text in chinese_literals(module.read_text(encoding="utf-8")):
            if what := problems(prose_of(text)):
                found[f"{module.relative_to(ROOT)}:{line}: {text[:160]!r}"] = what
    assert not found, "\n" + report(found)


def test_every_chinese_page_is_checked() -> None:
    """The pages above are every Chinese twin, the notebook included."""
    assert {"", "glossary/", "walkthrough/", "calculator/", "train/", "visualizer/"} <= set(chinese_pages())
    assert len(chinese_pages()) == len(list(DOCS.rglob("*.zh.md"))) + len(list(DOCS.rglob("*.zh.ipynb")))
