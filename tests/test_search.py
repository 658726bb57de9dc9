"""Search, in each language (issue 22): the English search finds English pages only and the Chinese search Chinese
pages only, and a search for a term lists the page that explains it among the first three.

The pure-Python checks read the built indexes (``search/search_index.json``, ``zh/search/search_index.json``) and
the pages they point at; the browser test types each query into the theme's search box, once per language.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

from lenet_explain.site.i18n import HTML_LANG
from lenet_explain.site.search_hooks import LESSONS, entry_language, language_base, page_name, split_search_index

FOLDER = {"en": "", "zh": "zh/"}  # each language's root in the site
HTML_LANG_RE = re.compile(r'<html lang="([^"]+)"')
CONFIG_BASE = re.compile(r'<script id="__config" type="application/json">\{[^<]*?"base": "([^"]*)"')
# A query and the page (its path in the site) that explains it. 交叉熵 (cross-entropy) is only named on the
# walkthrough page, which no page defines, so it is not asked for.
QUERIES = {
    "en": [("0.77", "convolution/"), ("softmax", "activation/"), ("ceil mode", "pooling/"),
           ("padding", "output-size/"), ("sigmoid", "activation/")],
    "zh": [("池化", "zh/pooling/"), ("步长", "zh/output-size/"), ("卷积核", "zh/convolution/"),
           ("0.77", "zh/convolution/")],
}


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
    assert indexed == set(pages), f"{language}: indexed but not a page {indexed - set(pages)}, " \
        f"a page not indexed {set(pages) - indexed}"
    boosted = {page_name(path.rstrip("/") or "index") for path in
               {doc["location"].split("#")[0] for doc in index["docs"] if doc.get("boost")}}
    assert boosted == set(LESSONS), boosted


def test_chinese_words_are_indexed_as_words(built_site: Path) -> None:
    """jieba's words, split by the index's own separator: the lecture's terms are whole tokens of the Chinese index;
    the English index loads no Chinese segmenter."""
    chinese = load_index(built_site, "zh")
    separator = re.compile(chinese["config"]["separator"])
    tokens = {token for doc in chinese["docs"] for token in separator.split(doc["text"] + " " + doc["title"])}
    assert {"池化", "步长", "卷积", "特征"} <= tokens
    assert load_index(built_site, "en")["config"]["lang"] == ["en"]


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
    assert split["zh"]["config"]["lang"] == ["en", "zh"]
    assert entry_language("zh") == "en" and entry_language("zh/x/") == "zh"
    config = '<script id="__config" type="application/json">{"annotate": null, "base": "../..", "x": 1}</script>'
    assert '"base": "../../zh/"' in language_base(config, "zh") and language_base(config, "en") == config
    assert '"base": "./zh/"' in language_base(config.replace("../..", "."), "zh")


SEARCH_META_JS = "() => document.querySelector('.md-search-result__meta').textContent.trim()"
# What the theme says once its index is loaded and the box is empty, in the page's language
PLACEHOLDER_JS = ("() => JSON.parse(document.getElementById('__config').textContent)"
                  ".translations['search.result.placeholder']")
RESULTS_JS = """() => [...document.querySelectorAll('.md-search-result__item')].map(item =>
  [...item.querySelectorAll('a[href]')].map(a => a.href))"""


def run_query(page: Any, query: str, placeholder: str) -> list[list[str]]:
    """Type ``query`` into the open search box (an empty one); return each result's links, in order.

    Letters are typed key by key and the theme searches at each key; the list answers the whole query when the
    words it highlights (the links' ``h``) are the query's words. A Chinese word arrives whole, as an input method
    commits it, and the theme searches once at the next key (End).
    """
    box = page.locator("input.md-search__input")
    if query.isascii():
        box.press_sequentially(query)
        words = sorted(query.split())
        page.wait_for_function("""(words) => {
          const seen = new Set();
          for (const a of document.querySelectorAll('.md-search-result__item a[href]'))
            for (const w of (new URL(a.href).searchParams.get('h') || '').split(' ')) if (w) seen.add(w);
          return JSON.stringify([...seen].sort()) === JSON.stringify(words);
        }""", arg=words)
    else:
        page.keyboard.insert_text(query)
        box.press("End")
        page.wait_for_function(f"() => ({SEARCH_META_JS})() !== {json.dumps(placeholder)}"
                               " && document.querySelector('.md-search-result__item') !== null")
    results = page.evaluate(RESULTS_JS)
    box.press("Control+a")
    box.press("Backspace")
    page.wait_for_function(f"() => ({SEARCH_META_JS})() === {json.dumps(placeholder)}")
    return results


def page_path(href: str, site_url: str) -> str:
    """Return a result's page path in the site (no query, no fragment)."""
    return href.removeprefix(site_url).split("#")[0].split("?")[0]


def test_search_finds_the_explaining_page_in_its_own_language(page: Any, site_url: str) -> None:
    """In each language (one page load each) every query lists that language's pages only, the explaining page
    among the first three."""
    for language, queries in QUERIES.items():
        page.goto(site_url + FOLDER[language], wait_until="load")
        page.keyboard.press("/")  # the theme's shortcut to the search box
        placeholder = page.evaluate(PLACEHOLDER_JS)
        page.wait_for_function(f"() => ({SEARCH_META_JS})() === {json.dumps(placeholder)}")  # the index is loaded
        for query, explaining in queries:
            results = run_query(page, query, placeholder)
            paths = [page_path(links[0], site_url) for links in results]
            elsewhere = [link for links in results for link in links
                         if (page_path(link, site_url).startswith("zh/") != (language == "zh"))]
            assert results and not elsewhere, f"{language} {query!r}: results in another language {elsewhere[:3]}"
            assert explaining in paths[:3], f"{language} {query!r}: {explaining} not in the first three {paths[:5]}"
