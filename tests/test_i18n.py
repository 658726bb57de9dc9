"""The Chinese edition (issue 14): every page has its twin, the twins show the same generated numbers, the language
switcher pairs them, Chinese pages say they are Chinese, and the words Python writes come from one table per
language."""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest
from bs4 import BeautifulSoup, Tag

from lenet_explain.site import explainer_macros, glossary, i18n, i18n_hooks, interactive_macros, size_macros, words_zh

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
CJK = re.compile(r"[\u4e00-\u9fff]")
DIGITS = re.compile(r"\d+")


def english_sources() -> list[Path]:
    """Return every English page and notebook of docs/ (relative paths)."""
    return sorted(p.relative_to(DOCS) for p in [*DOCS.rglob("*.md"), *DOCS.rglob("*.ipynb")]
                  if ".zh." not in p.name and ".ipynb_checkpoints" not in p.parts)


def twin_of(source: Path) -> Path:
    """Return the Chinese twin's path of an English source: x.md → x.zh.md."""
    return source.with_name(f"{source.stem}.zh{source.suffix}")


def site_path(source: Path) -> str:
    """Return the English page's URL path of a source: 'pooling.md' → 'pooling/', 'index.md' → ''."""
    stem = source.with_suffix("").as_posix()
    return "" if stem == "index" else stem.removesuffix("/index").removesuffix("index") + "/"


PAGES = [site_path(s) for s in english_sources()]


# --- The sources ------------------------------------------------------------------------------------------------


def test_every_english_page_has_a_chinese_twin_and_back() -> None:
    """docs/x.md ↔ docs/x.zh.md, docs/walkthrough.ipynb ↔ docs/walkthrough.zh.ipynb: none without the other."""
    missing = [str(twin_of(s)) for s in english_sources() if not (DOCS / twin_of(s)).is_file()]
    assert not missing, f"pages without a Chinese twin: {missing}"
    chinese = [p.relative_to(DOCS) for p in [*DOCS.rglob("*.zh.md"), *DOCS.rglob("*.zh.ipynb")]]
    orphans = [str(p) for p in chinese if p.with_name(p.name.replace(".zh.", ".")) not in english_sources()]
    assert not orphans, f"Chinese pages without an English original: {orphans}"
    assert len(chinese) == len(english_sources()) >= 15


@pytest.mark.parametrize("source", [s for s in english_sources() if s.suffix == ".md"], ids=str)
def test_the_chinese_twin_is_chinese_and_keeps_the_same_generated_values(source: Path) -> None:
    """A twin is written in Chinese and calls the same value-making macros (its numbers cannot be typed by hand)."""
    english = (DOCS / source).read_text(encoding="utf-8")
    chinese = (DOCS / twin_of(source)).read_text(encoding="utf-8")
    prose = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|```.*?```|<[^>]+>", " ", chinese, flags=re.S)
    assert len(CJK.findall(prose)) > 0.3 * len(re.findall(r"[A-Za-z]", prose)), f"{twin_of(source)} is not Chinese"

    def calls(text: str) -> list[str]:
        """The macros and variables a page calls, in order (their words may differ, their names may not)."""
        found = []
        for expression in re.findall(r"\{\{(.*?)\}\}", text, flags=re.S):
            expression = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', '""', expression)  # words differ
            found += [n for n in re.findall(r"\b([a-z_][a-z_0-9]*)\s*[(.\[]", expression) if n != "format"]
        return sorted(found)  # Chinese word order may put two values the other way round

    assert calls(chinese) == calls(english), f"{twin_of(source)} does not call the same macros as {source}"


def notebook_runner() -> Any:
    """Return scripts/run_notebooks.py as a module."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import run_notebooks

    return run_notebooks


def without_alt(cell: Any) -> Any:
    """Return a copy of a code cell without its alt text (each language has its own)."""
    copy = nbformat.from_dict(cell)
    copy.metadata.pop("alt", None)
    return copy


def images(cell: Any) -> int:
    """Return how many images a code cell's stored outputs show."""
    return sum(any(kind.startswith("image/") for kind in output.get("data", {})) for output in cell.outputs)


def test_the_chinese_notebook_runs_the_same_code_with_the_same_outputs() -> None:
    """walkthrough.zh.ipynb's code cells are walkthrough.ipynb's, outputs included, but for its own cells (the plots'
    words, the same code with other strings, run after their twins); its Markdown and its images' alt texts are
    Chinese."""
    runner = notebook_runner()
    english = nbformat.read(DOCS / "walkthrough.ipynb", as_version=4)
    chinese = nbformat.read(DOCS / "walkthrough.zh.ipynb", as_version=4)
    assert [c.cell_type for c in chinese.cells] == [c.cell_type for c in english.cells]
    own = 0
    for mine, theirs in zip(chinese.cells, english.cells, strict=True):
        if theirs.cell_type == "code":
            assert bool(images(theirs)) == bool(theirs.metadata.get("alt")) == bool(mine.metadata.get("alt"))
            if images(theirs):
                assert CJK.search(mine.metadata["alt"]) and not CJK.search(theirs.metadata["alt"]), theirs.source[:80]
            if mine.metadata.get(runner.TRANSLATED):
                own += 1
                assert runner.same_code(mine.source, theirs.source) and mine.source != theirs.source
                assert mine.execution_count == theirs.execution_count and images(mine) == images(theirs), \
                    f"stale own cell (run scripts/run_notebooks.py): {mine.source[:80]}"
            else:
                assert without_alt(mine) == without_alt(theirs), \
                    f"stale code cell (run scripts/run_notebooks.py): {theirs.source[:80]}"
        else:
            assert CJK.search(mine.source) and mine.source != theirs.source, mine.source[:80]
    assert own >= 2  # the training curves and the preprocessing steps are drawn with Chinese words


def test_run_notebooks_copies_code_cells_into_the_translation(tmp_path: Path) -> None:
    """scripts/run_notebooks.py gives the translation the executed notebook's code cells and keeps its Markdown, its
    own cells and its alt texts."""
    runner = notebook_runner()
    english = nbformat.read(DOCS / "walkthrough.ipynb", as_version=4)
    stored = nbformat.read(DOCS / "walkthrough.zh.ipynb", as_version=4)
    for cell in english.cells:  # a fresh run of every code cell
        if cell.cell_type == "code":
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="a fresh run\n")]
    source = tmp_path / "walkthrough.ipynb"
    nbformat.write(english, source)
    runner.sync_translation(source, DOCS / "walkthrough.zh.ipynb", tmp_path / "walkthrough.zh.ipynb")
    synced = nbformat.read(tmp_path / "walkthrough.zh.ipynb", as_version=4)
    for mine, theirs, before in zip(synced.cells, english.cells, stored.cells, strict=True):
        if theirs.cell_type != "code":
            assert mine.source == before.source and CJK.search(mine.source)
        elif before.metadata.get(runner.TRANSLATED):
            assert mine == before  # its own cell, run by execute_notebook after its twin
        else:
            assert without_alt(mine) == without_alt(theirs) and mine.metadata.get("alt") == before.metadata.get("alt")
    assert runner.is_translation(DOCS / "walkthrough.zh.ipynb")
    assert not runner.is_translation(DOCS / "walkthrough.ipynb")
    assert runner.same_code('ax.set_title("Loss")  # the loss', 'ax.set_title("损失")  # 损失')
    assert not runner.same_code('ax.set_title("Loss")', 'ax.set_xlabel("损失")')


# --- The words Python writes --------------------------------------------------------------------------------------


def placeholders(template: str) -> set[str]:
    """Return the ``{names}`` of a str.format template."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_chinese_word_fills_in_the_same_values() -> None:
    """Each Chinese text has exactly its English text's placeholders, so both show the same generated values."""
    for english, chinese in words_zh.WORDS.items():
        assert placeholders(chinese) == placeholders(english), english
        words = chinese.format(**{n: "" for n in placeholders(chinese)})  # the values are not words
        assert CJK.search(words) or not re.search(r"[A-Za-z]{3,}", words), f"untranslated: {english!r}"


def test_the_glossary_is_bilingual() -> None:
    """Every term has a Chinese definition with the same generated values, and renders in both languages."""
    assert set(words_zh.GLOSSARY) == {t.id for t in glossary.TERMS}
    values = glossary.glossary_values()
    for term in glossary.TERMS:
        text = words_zh.GLOSSARY[term.id].format(**values)
        assert CJK.search(text), term.id
        numbers = set(DIGITS.findall(re.sub(r"<[^>]+>|\(.*?\.md#.*?\)", "", term.definition)))
        assert numbers <= set(DIGITS.findall(text)), f"{term.id}: {numbers - set(DIGITS.findall(text))}"
    english, chinese = glossary.render_glossary("en"), glossary.render_glossary("zh")
    assert re.findall(r"\{#([\w-]+)\}", english) == re.findall(r"\{#([\w-]+)\}", chinese)
    for section in glossary.SECTIONS:
        assert f"## {words_zh.WORDS[section]}" in chinese


def test_a_missing_translation_fails_the_build_instead_of_showing_english() -> None:
    """translate() raises on a text words_zh lacks; English passes through, filled in."""
    with pytest.raises(KeyError, match="words_zh"):
        i18n.translate("a sentence nobody translated", "zh")
    assert i18n.translate("{units} neurons", "en", units=84) == "84 neurons"
    assert i18n.translate("{units} neurons", "zh", units=84) == "84 个神经元"
    with pytest.raises(ValueError):
        i18n.translate("input", "fr")


def test_tables_made_in_python_speak_the_pages_language() -> None:
    """The same table in both languages: the same numbers, words from the table of the language."""
    for function in (size_macros.layer_table, size_macros.size_table, explainer_macros.vote_weight_table,
                     explainer_macros.votes_table, interactive_macros.receptive_table):
        english, chinese = function(language="en"), function(language="zh")
        assert DIGITS.findall(BeautifulSoup(english, "html.parser").get_text(" ")) == \
            DIGITS.findall(BeautifulSoup(chinese, "html.parser").get_text(" ")), function.__name__
        assert CJK.search(chinese) and not CJK.search(english), function.__name__
    assert explainer_macros.window_rows(language="zh")[-1][-1] == words_zh.WORDS["partial"]


def test_page_language_reads_the_locale_or_the_file_name() -> None:
    """page_language: mkdocs-static-i18n's file.locale, or '.zh.' in the source name."""

    class File:
        def __init__(self, src_uri: str, locale: str | None = None) -> None:
            self.src_uri, self.locale = src_uri, locale

    class Page:
        def __init__(self, file: File) -> None:
            self.file = file

    assert i18n.page_language(Page(File("pooling.md", "zh"))) == "zh"
    assert i18n.page_language(Page(File("pooling.zh.md"))) == "zh"
    assert i18n.page_language(Page(File("pooling.md"))) == "en"
    assert i18n_hooks.notebook_language("walkthrough.zh.ipynb") == "zh"
    assert i18n_hooks.notebook_language("walkthrough.ipynb") == "en"
    assert glossary.language_root("zh/pooling/") == "zh/" and glossary.language_root("pooling/") == ""


def test_mkdocs_yml_builds_both_languages_with_the_notebook_fix() -> None:
    """The plugin is configured as the project pins it: suffix structure, both languages built, hooks after it."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    plugin = config[config.index("  - i18n:"):]
    assert "docs_structure: suffix" in plugin
    assert re.search(r"\n      languages:\n        - locale: en\n", plugin), "languages: under the plugin's options"
    assert "lenet_explain/site/i18n_hooks.py" in config
    pins = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    assert "mkdocs-static-i18n==1.3.1" in pins and re.search(r"^jieba==", pins, re.M)


# --- The built site ------------------------------------------------------------------------------------------------


def load(site: Path, path: str) -> BeautifulSoup:
    """Return a built page, parsed."""
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def generated_values(soup: BeautifulSoup) -> list[str]:
    """Return the numbers a page got from the package: digits in its tables' cells, formulas, code and figures.

    Prose and headers are left out (they are translated); the cells, MathML, console/``<pre>`` blocks and the
    figures' file names are what the macros wrote.
    """
    content = soup.select_one("article.md-content__inner") or soup
    found: list[str] = []
    for element in content.find_all(["td", "math", "pre", "img"]):
        assert isinstance(element, Tag)
        if element.name == "img":
            source = str(element.get("src", ""))
            if not source.startswith("data:"):  # a notebook's plot: drawn in the page's language from the same run
                found += [source.rsplit("/", 1)[-1]]
            continue
        if element.name == "td" and element.find_parent("table", class_="highlighttable") is not None:
            continue
        found += DIGITS.findall(element.get_text(" "))
    return found


@pytest.mark.parametrize("path", PAGES)
def test_each_pair_of_pages_shows_the_same_generated_numbers(built_site: Path, path: str) -> None:
    """The English page and its Chinese twin hold the same numbers in their tables, formulas, code and figures."""
    english, chinese = generated_values(load(built_site, path)), generated_values(load(built_site, "zh/" + path))
    if path not in PROSE_ONLY:
        assert english, f"{path or 'home'}: no generated values found"
    assert chinese == english, f"{path or 'home'}: the twins differ"


PROSE_ONLY = {"history/", "visualizer/", "glossary/", "made/", "references/"}  # values only in sentences (see below)


@pytest.mark.parametrize("path", PAGES)
def test_each_pair_of_pages_says_the_same_numbers(built_site: Path, path: str) -> None:
    """All the numbers of a page's text, sentences included, are its twin's (in any order: word order differs).

    Sentences may hold only generated numbers and constants (tests/test_site_honesty.py), so a number in one
    language's prose and not in the other's is a translation that changed a number.
    """
    def numbers(page: str) -> Counter[str]:
        article = load(built_site, page).select_one("article")
        assert article is not None, page
        return Counter(DIGITS.findall(article.get_text(" ")))

    english, chinese = numbers(path), numbers("zh/" + path)
    assert english == chinese, f"{path or 'home'}: only English {english - chinese}, only Chinese {chinese - english}"


def switcher(soup: BeautifulSoup) -> dict[str, str]:
    """Return the language switcher's links by language."""
    return {str(a["hreflang"]): str(a["href"]) for a in soup.select("a.md-select__link[hreflang]")}


def resolve(path: str, href: str) -> str:
    """Return the site path a relative link of the page at ``path`` points to."""
    from posixpath import normpath

    joined = normpath("/" + path + href)
    return "" if joined == "/" else joined.lstrip("/") + "/"


@pytest.mark.parametrize("path", PAGES)
def test_the_language_switcher_links_the_twins(built_site: Path, path: str) -> None:
    """On a page and on its twin, 'English' goes to the English page and '中文' to the Chinese one (relative links)."""
    for here in (path, "zh/" + path):
        links = switcher(load(built_site, here))
        assert set(links) == {"en", "zh"}, here
        assert not any(href.startswith("/") for href in links.values()), f"{here}: root-absolute {links}"
        assert resolve(here, links["en"]) == path, here
        assert resolve(here, links["zh"]) == "zh/" + path, here


@pytest.mark.parametrize("path", PAGES)
def test_chinese_pages_say_they_are_chinese(built_site: Path, path: str) -> None:
    """lang="zh-Hans" and a Chinese title on the twin, lang="en" on the English page; the nav is Chinese."""
    english, chinese = load(built_site, path), load(built_site, "zh/" + path)
    assert english.html is not None and chinese.html is not None
    assert english.html["lang"] == "en" and chinese.html["lang"] == i18n.HTML_LANG["zh"]
    assert chinese.title is not None and CJK.search(chinese.title.get_text())
    nav = " ".join(a.get_text(" ") for a in chinese.select("nav.md-nav--primary a"))
    assert "卷积" in nav and "池化" in nav


# The Latin words the theme's chrome keeps on a Chinese page, and why: the site's name (图解 LeNet-5), the language
# switcher's "English" (each language is named in its own words) and the footer's credit to the theme by its name.
CHROME_KEPT = frozenset({"LeNet", "English", "Material", "for", "MkDocs"})


def chrome_texts(soup: BeautifulSoup) -> tuple[list[str], list[str]]:
    """Return what the theme and the page's other makers write around its text: (the header's and the footer's text,
    the labels): every title, label and placeholder outside the article, the headings' permalink titles and the
    notebook cells' copy buttons. Changes ``soup``."""
    texts = [el.get_text(" ") for el in soup.select("header.md-header, footer.md-footer")]
    labels = [str(a["title"]) for a in soup.select("article a.headerlink[title]")]
    labels += [str(el["aria-label"]) for el in soup.select("article clipboard-copy[aria-label]")]
    texts += [el.get_text() for el in soup.select("article clipboard-copy .notice")]
    for article in soup.select("article"):
        article.decompose()
    labels += [str(el[attr]) for el in soup.find_all(True) for attr in ("title", "aria-label", "placeholder")
               if el.get(attr)]
    return texts, labels


def test_the_theme_speaks_chinese_on_chinese_pages(built_site: Path) -> None:
    """On every Chinese page the theme's words are Chinese: the header, the footer (its credit, its links' labels),
    the palette toggles, the search box, the headings' permalinks, the notebook's copy buttons. What the chrome
    repeats of the pages' own headings (the header's title, the table of contents' labels) is checked with the prose."""
    from lenet_explain.site.terms_zh import find_english, find_halfwidth

    problems = []
    for path in PAGES:
        soup = load(built_site, "zh/" + path)
        headings = " ".join(h.get_text(" ") for h in soup.select("article :is(h1, h2, h3, h4, h5, h6)"))
        kept = CHROME_KEPT | set(find_english("中 " + headings, frozenset()))  # "中": find_english reads Chinese text
        texts, labels = chrome_texts(soup)
        for text in texts + labels:
            problems += [(path, text.strip()[:60], word) for word in find_english("中 " + text, kept)]
        problems += [(path, label, mark) for label in labels if label not in headings for mark in find_halfwidth(label)]
        palette = soup.select("form[data-md-component=palette] input[aria-label]")
        assert len(palette) == 2 and all(CJK.search(str(toggle["aria-label"])) for toggle in palette), path
    assert not problems, problems[:10]
    footer = load(built_site, "zh/pooling/").select_one("footer .md-copyright")
    assert footer is not None and "Material for MkDocs" in footer.get_text() and CJK.search(footer.get_text())


def test_the_notebook_renders_in_both_languages(built_site: Path) -> None:
    """Both walkthroughs are HTML pages (mkdocs-jupyter's rendering, not the notebook's JSON) with their source."""
    for path, title in (("walkthrough/", "Walkthrough"), ("zh/walkthrough/", "动手实践")):
        html = (built_site / path / "index.html").read_text(encoding="utf-8")
        assert html.lstrip().startswith("<!doctype html>") and title in html, path
        assert '"cell_type"' not in html, f"{path}: raw notebook JSON"
        assert "jp-Notebook" in html or "jupyter-wrapper" in html, path
    assert (built_site / "zh" / "walkthrough" / "walkthrough.zh.ipynb").is_file()


def test_assets_are_shared_not_copied(built_site: Path) -> None:
    """The Chinese pages use the English pages' scripts and weights: under /zh/ only the figures, drawn with Chinese
    words, and the search index of the Chinese pages (tests/test_search.py) are its own."""
    zh = built_site / "zh"
    heavy = [p for p in zh.rglob("*") if p.is_file() and p.suffix in (".bin", ".js", ".svg", ".json")]
    figures = {p.name for p in heavy if p.parent == zh / "figures"}
    assert figures == {p.name for p in (built_site / "figures").iterdir()}  # every figure, in Chinese
    assert [p for p in heavy if p.parent != zh / "figures"] == [zh / "search" / "search_index.json"]
    for path in ("visualizer/", "train/", "calculator/", "lab/"):
        for script in load(built_site, "zh/" + path).select("article script[src]"):
            assert (built_site / resolve("zh/" + path, str(script["src"])).rstrip("/")).is_file(), script["src"]


def iter_glossary_links(soup: BeautifulSoup) -> Iterator[Any]:
    """Yield the page's links into a glossary."""
    yield from (a for a in soup.find_all("a", href=True) if "glossary/#" in a["href"])


def test_chinese_pages_link_the_chinese_glossary(built_site: Path) -> None:
    """term() on a Chinese page goes to the Chinese glossary's entry."""
    links = 0
    for path in PAGES:
        for a in iter_glossary_links(load(built_site, "zh/" + path)):
            assert resolve("zh/" + path, a["href"].split("#")[0]) == "zh/glossary/", (path, a["href"])
            links += 1
    assert links >= 5


def test_the_404_page_at_the_root_is_the_english_one(built_site: Path) -> None:
    """The Chinese build must not leave its 404 page at the root; the switcher there leads to both home pages."""
    soup = BeautifulSoup((built_site / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.html is not None and soup.html["lang"] == "en"
    assert soup.title is not None and not CJK.search(soup.title.get_text())
    assert switcher(soup) == {"en": "./", "zh": "zh/"}
    assert not soup.select('head link[rel="alternate"][hreflang]')
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "None" not in sitemap and "<loc>/zh/pooling/</loc>" in sitemap
