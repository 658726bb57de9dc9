"""Search, in each language (issues 22, 23): the English search finds English pages only and the Chinese search Chinese
pages only; a search for a term lists the page that explains it first or among the first three; a Chinese query is
searched whole (参数, not 参) and marked whole in the results.

The pure-Python checks read the built indexes (``search/search_index.json``, ``zh/search/search_index.json``) and
the pages they point at; the browser test types each query into the theme's search box, once per language.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lenet_explain.site.i18n import HTML_LANG
from lenet_explain.site.search_hooks import (
    LESSONS,
    SEARCH_LANGUAGES,
    ZERO_WIDTH_SPACE,
    entry_language,
    language_base,
    page_name,
    split_chinese_characters,
    split_search_index,
)
from lenet_explain.site.terms_zh import CHINESE

FOLDER = {"en": "", "zh": "zh/"}  # each language's root in the site
HTML_LANG_RE = re.compile(r'<html lang="([^"]+)"')
CONFIG_BASE = re.compile(r'<script id="__config" type="application/json">\{[^<]*?"base": "([^"]*)"')
# A query, the page (its path in the site) that explains it, and the place it must have among the results: 1 is
# first, 3 among the first three. 交叉熵 (cross-entropy) is only named on the walkthrough page, which no page
# defines, so it is not asked for. 全连接 is explained on the activation page (全连接层：投票: each value votes for
# each answer, with a weight), which the parameters page only counts and the glossary names in a line; 感受野 on
# the pooling page (its section 感受野). 卷积核 is explained by the parameters page's section 卷积核的深度与卷积核的个数
# (the convolution page calls a kernel 特征, its lecture's word, and names 卷积核 in passing).
QUERIES = {
    "en": [
        ("0.77", "convolution/", 3),
        ("softmax", "activation/", 3),
        ("ceil mode", "pooling/", 3),
        ("padding", "output-size/", 3),
        ("sigmoid", "activation/", 3),
        ("receptive field", "pooling/", 1),
    ],
    "zh": [
        ("参数", "zh/parameters/", 1),
        ("池化", "zh/pooling/", 1),
        ("全连接", "zh/activation/", 1),
        ("全连接层", "zh/activation/", 1),  # after 全连接: a search leaves the index as it was (its marks too)
        ("感受野", "zh/pooling/", 1),
        ("步长", "zh/output-size/", 3),
        ("卷积核", "zh/parameters/", 3),
        ("0.77", "zh/convolution/", 3),
    ],
}
SEARCH_SCRIPT = "assets/javascripts/lunr/min/lunr.{}.min.js"  # where the theme's worker loads a lunr language from


def load_index(site: Path, language: str) -> dict[str, Any]:
    """Return a language's built search index."""
    return json.loads((site / FOLDER[language] / "search" / "search_index.json").read_text(encoding="utf-8"))


def built_pages(site: Path, language: str) -> dict[str, Path]:
    """Return every built page of ``language`` (by its ``<html lang>``): its path under the language's root → file."""
    root = site / FOLDER[language]
    pages = {}
    for html in root.rglob("index.html"):
        found = HTML_LANG_RE.search(html.read_text(encoding="utf-8")[:500])
        if found and found[1] == HTML_LANG[language]:
            folder = html.parent.relative_to(root).as_posix()
            pages["" if folder == "." else folder + "/"] = html
    return pages


@pytest.mark.parametrize("language", ["en", "zh"])
def test_each_language_has_its_own_index(built_site: Path, language: str) -> None:
    """A language's index lists exactly that language's pages (their <html lang> says so), all of them, with
    addresses under its root; the lessons' entries (only theirs) weigh more."""
    index = load_index(built_site, language)
    pages = built_pages(built_site, language)
    indexed = {doc["location"].split("#")[0] for doc in index["docs"]}
    assert indexed == set(pages), (
        f"{language}: indexed but not a page {indexed - set(pages)}, a page not indexed {set(pages) - indexed}"
    )
    boosted = {
        page_name(path.rstrip("/") or "index")
        for path in {doc["location"].split("#")[0] for doc in index["docs"] if doc.get("boost")}
    }
    assert boosted == set(LESSONS), boosted


def test_chinese_text_is_indexed_character_by_character(built_site: Path) -> None:
    """Split by the index's own separator, every token of the Chinese index that holds a Chinese character is that
    character alone; the index names its own lunr language, whose script the site serves (the English index loads
    none), with the same Chinese characters as the package."""
    chinese = load_index(built_site, "zh")
    separator = re.compile(chinese["config"]["separator"])
    tokens = {token for doc in chinese["docs"] for token in separator.split(doc["text"] + " " + doc["title"])}
    with_chinese = {token for token in tokens if re.search(CHINESE, token)}
    assert {"池", "化", "参", "数"} <= with_chinese
    assert {token for token in with_chinese if len(token) > 1} == set()
    assert (
        chinese["config"]["lang"] == SEARCH_LANGUAGES["zh"] != ["en"] == load_index(built_site, "en")["config"]["lang"]
    )
    script = (built_site / SEARCH_SCRIPT.format(SEARCH_LANGUAGES["zh"][0])).read_text(encoding="utf-8")
    assert f"/^{CHINESE}$/u" in script, "the script's Chinese characters are not lenet_explain.site.terms_zh.CHINESE"


def test_a_chinese_character_is_a_token_of_its_own() -> None:
    """A zero-width space around each Chinese character; jieba's, between its words (参|数量), are dropped."""
    split = split_chinese_characters("用 Keras 算参\u200b数量：")
    assert split == "用\u200b Keras \u200b算\u200b参\u200b数\u200b量\u200b："


@given(st.text(alphabet=st.sampled_from("参数池化全连接层，。 ab1-\u200b\u3400\u9fff\u4dc0")))
def test_only_zero_width_spaces_are_added_or_taken(text: str) -> None:
    """For any text: a Chinese character stands alone between the spaces, nothing else changes."""
    split = split_chinese_characters(text)
    assert split.replace(ZERO_WIDTH_SPACE, "") == text.replace(ZERO_WIDTH_SPACE, "")
    for piece in split.split(ZERO_WIDTH_SPACE):
        assert len(piece) == 1 or not re.search(CHINESE, piece), (text, piece)
    assert ZERO_WIDTH_SPACE * 2 not in split and not split.startswith(ZERO_WIDTH_SPACE)


@pytest.mark.parametrize("path", ["zh/", "zh/pooling/", "zh/train/"])
def test_a_chinese_page_searches_from_the_chinese_root(built_site: Path, path: str) -> None:
    """The theme finds its index and resolves results from the configuration's "base": on a Chinese page, zh/."""
    html = (built_site / path / "index.html").read_text(encoding="utf-8")
    found = CONFIG_BASE.search(html)
    assert found is not None
    site = "http://host/course/"
    assert urljoin(urljoin(site + path, found[1]), "search/search_index.json") == site + "zh/search/search_index.json"


def test_splitting_the_index_keeps_every_entry_once() -> None:
    """The merged index splits by address; a page named 'zh…' in English stays English; a base gains zh/."""
    docs = [{"location": where, "title": "t", "text": ""} for where in ("", "zhou/", "zh/", "zh/p/#s")]
    split = split_search_index({"config": {"lang": ["en", "zh"], "separator": "x"}, "docs": docs})
    assert [d["location"] for d in split["en"]["docs"]] == ["", "zhou/"] and split["en"]["config"]["lang"] == ["en"]
    assert [d["location"] for d in split["zh"]["docs"]] == ["", "p/#s"]
    assert split["zh"]["config"] == {"lang": ["zh-substrings"], "separator": "x"}
    docs[3]["text"] = "参\u200b数量"
    assert split_search_index({"config": {}, "docs": docs})["zh"]["docs"][1]["text"] == "参\u200b数\u200b量"
    assert entry_language("zh") == "en" and entry_language("zh/x/") == "zh"
    config = '<script id="__config" type="application/json">{"annotate": null, "base": "../..", "x": 1}</script>'
    assert '"base": "../../zh/"' in language_base(config, "zh") and language_base(config, "en") == config
    assert '"base": "./zh/"' in language_base(config.replace("../..", "."), "zh")


SEARCH_META_JS = "() => document.querySelector('.md-search-result__meta').textContent.trim()"
# What the theme says once its index is loaded and the box is empty, in the page's language
PLACEHOLDER_JS = (
    "() => JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder']"
)
RESULTS_JS = """() => [...document.querySelectorAll('.md-search-result__item')].map(item =>
  [...item.querySelectorAll('a[href]')].map(a => a.href))"""
# The words marked in the results (a word's characters are marked one by one, with zero-width spaces between)
MARKED_JS = r"""() => [...new Set([...document.querySelectorAll('.md-search-result__item')].flatMap(item =>
  [...item.innerHTML.replace(/<\/mark>\u200b?<mark>/g, '').matchAll(/<mark>(.*?)<\/mark>/g)].map(m => m[1])))]"""


def run_query(page: Any, query: str, placeholder: str) -> tuple[list[list[str]], list[str]]:
    """Type ``query`` into the open search box (an empty one); return each result's links, in order, and the words
    the results mark.

    Letters are typed key by key and the theme searches at each key; the list answers the whole query when the
    words it highlights (the links' ``h``) are the query's words. A Chinese word arrives whole, as an input method
    commits it, and the theme searches once at the next key (End).
    """
    box = page.locator("input.md-search__input")
    if query.isascii():
        box.press_sequentially(query)
        words = sorted(query.split())
        page.wait_for_function(
            """(words) => {
          const seen = new Set();
          for (const a of document.querySelectorAll('.md-search-result__item a[href]'))
            for (const w of (new URL(a.href).searchParams.get('h') || '').split(' ')) if (w) seen.add(w);
          return JSON.stringify([...seen].sort()) === JSON.stringify(words);
        }""",
            arg=words,
        )
    else:
        page.keyboard.insert_text(query)
        box.press("End")
        page.wait_for_function(
            f"() => ({SEARCH_META_JS})() !== {json.dumps(placeholder)}"
            " && document.querySelector('.md-search-result__item') !== null"
        )
    results, marked = page.evaluate(RESULTS_JS), page.evaluate(MARKED_JS)
    box.press("Control+a")
    box.press("Backspace")
    page.wait_for_function(f"() => ({SEARCH_META_JS})() === {json.dumps(placeholder)}")
    return results, marked


def page_path(href: str, site_url: str) -> str:
    """Return a result's page path in the site (no query, no fragment)."""
    return href.removeprefix(site_url).split("#")[0].split("?")[0]


def highlighted(href: str) -> set[str]:
    """Return the words a result's link asks its page to highlight (the theme's ``h``)."""
    return set(parse_qs(urlparse(href).query).get("h", [""])[0].split())


def test_search_finds_the_explaining_page_in_its_own_language(page: Any, site_url: str) -> None:
    """In each language (one page load each) every query lists that language's pages only, the explaining page at
    its place; a Chinese query is searched whole: its results highlight it and mark it, and nothing shorter."""
    for language, queries in QUERIES.items():
        page.goto(site_url + FOLDER[language], wait_until="load")
        page.keyboard.press("/")  # the theme's shortcut to the search box
        placeholder = page.evaluate(PLACEHOLDER_JS)
        page.wait_for_function(f"() => ({SEARCH_META_JS})() === {json.dumps(placeholder)}")  # the index is loaded
        for query, explaining, within in queries:
            results, marked = run_query(page, query, placeholder)
            paths = [page_path(links[0], site_url) for links in results]
            elsewhere = [
                link
                for links in results
                for link in links
                if (page_path(link, site_url).startswith("zh/") != (language == "zh"))
            ]
            assert results and not elsewhere, f"{language} {query!r}: results in another language {elsewhere[:3]}"
            assert explaining in paths[:within], (
                f"{language} {query!r}: {explaining} not in the first {within} {paths[:5]}"
            )
            if re.search(CHINESE, query):
                asked = set().union(*(highlighted(link) for links in results for link in links))
                assert asked == {query} and set(marked) == {query}, f"{query!r}: highlighted {asked}, marked {marked}"
