"""mkdocs hooks: one search index per language, so each edition's search finds its own pages only (issue 22), and a
Chinese search that keeps its words whole (issue 23).

mkdocs-static-i18n (``reconfigure_search: true``) writes one index for both languages at ``search/`` and every
page's theme configuration points at it (``"base"``: the site's root), so an English search listed Chinese pages.
After all languages are built, the index is split by each entry's address: ``search/search_index.json`` keeps the
English pages, ``zh/search/search_index.json`` the Chinese ones with addresses relative to ``zh/``; a Chinese
page's ``"base"`` points at ``zh/``, where the theme then finds its index and resolves its results.

Chinese has no spaces between words, and no list of words finds them all: the search plugin's jieba cut
参数量 as 参|数量 and 中池化层 as 中池|化层, so a search for 参数 or 池化 could never find those places, and the theme
cut the query itself into pieces it found in the index (参数 → 参). The Chinese index therefore drops jieba's word
breaks and has one token per Chinese character (:func:`split_chinese_characters`: a zero-width space, which
mkdocs.yml's ``separator`` splits on, around each), and names the lunr language ``zh-substrings``, which the
theme's search worker loads from ``docs/assets/javascripts/lunr/min/``: there each character's term runs to the
end of its run of characters, so the theme's prefix search finds a Chinese query wherever the text contains it;
the query is searched whole, ranked as lunr ranks one word (BM25 on its occurrences) and marked whole.

The pages that explain the lecture's terms (the lessons) weigh more than the pages that use them, so a search for
a term puts the lesson that explains it before a tool's or the 1998 page's introduction that merely names it (the
theme ranks a page's introduction 2.5 times above its sections, mkdocs.yml's ``fields`` explain the title's weight).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

from lenet_explain.safe_files import write_text_atomically
from lenet_explain.site.i18n import DEFAULT_LANGUAGE, LANGUAGES, page_language
from lenet_explain.site.terms_zh import CHINESE

INDEX = "search/search_index.json"
LESSONS = ("convolution", "pooling", "activation", "output-size", "parameters")  # the pages' names in docs/
LESSON_BOOST = 3.0  # above the 2.5 by which the theme ranks an introduction that names a term over a section
# The lunr languages of each index: the theme's English; for Chinese, the site's own (docs/assets/javascripts/lunr/)
SEARCH_LANGUAGES = {"en": ["en"], "zh": ["zh-substrings"]}
ZERO_WIDTH_SPACE = "\u200b"
_CHINESE_CHARACTER = re.compile(CHINESE)
_ZERO_WIDTH_SPACES = re.compile(f"{ZERO_WIDTH_SPACE}+")
_CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*)(")')


def entry_language(location: str) -> str:
    """Return the language of a search entry by its address: 'zh/pooling/#…' → 'zh', 'pooling/' → 'en'."""
    head = location.split("/", 1)[0]
    return head if head in LANGUAGES and head != DEFAULT_LANGUAGE and "/" in location else DEFAULT_LANGUAGE


def split_chinese_characters(text: str) -> str:
    """Return ``text`` with a zero-width space around each Chinese character (and no other): one token each."""
    spaced = _CHINESE_CHARACTER.sub(
        lambda match: f"{ZERO_WIDTH_SPACE}{match[0]}{ZERO_WIDTH_SPACE}", text.replace(ZERO_WIDTH_SPACE, "")
    )
    return _ZERO_WIDTH_SPACES.sub(ZERO_WIDTH_SPACE, spaced).strip(ZERO_WIDTH_SPACE)


def split_search_index(index: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return one index per language from the merged one: its entries, addresses relative to that language's root.

    Each index names its own lunr languages (:data:`SEARCH_LANGUAGES`): the English one searches English only;
    the Chinese one has a token per Chinese character, and English words in it (like 'softmax') are indexed as in
    the English one.
    """
    split: dict[str, dict[str, Any]] = {}
    for language in LANGUAGES:
        config = {**index["config"], "lang": SEARCH_LANGUAGES[language]}
        prefix = "" if language == DEFAULT_LANGUAGE else f"{language}/"
        docs = [
            {**doc, "location": doc["location"].removeprefix(prefix)}
            for doc in index["docs"]
            if entry_language(doc["location"]) == language
        ]
        if language == "zh":
            docs = [
                {**doc, "title": split_chinese_characters(doc["title"]), "text": split_chinese_characters(doc["text"])}
                for doc in docs
            ]
        split[language] = {"config": config, "docs": docs}
    return split


def language_base(html: str, language: str) -> str:
    """Point a page's theme configuration ``"base"`` (its way to the site's root) at its language's root."""
    if language == DEFAULT_LANGUAGE:
        return html

    def point(match: re.Match[str]) -> str:
        base = match[2].rstrip("/")
        return f"{match[1]}{base + '/' if base else ''}{language}/{match[3]}"

    fixed, count = _CONFIG_BASE.subn(point, html, count=1)
    if count != 1:
        raise RuntimeError('no theme configuration with a "base" in a Chinese page: its search would be English')
    return fixed


def page_name(src_uri: str) -> str:
    """Return a page's name without language or extension: 'pooling.zh.md' → 'pooling', 'train/index.md' → 'train'."""
    name = src_uri.split(".", 1)[0]
    return name.removesuffix("/index")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Give a lesson page its search weight (Material's ``search.boost``), before the search plugin indexes it."""
    if page_name(page.file.src_uri) in LESSONS:
        page.meta["search"] = {**(page.meta.get("search") or {}), "boost": LESSON_BOOST}
    return markdown


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Make a Chinese page's search use the Chinese index (at ``zh/search/``) and resolve results under ``zh/``."""
    return language_base(output, page_language(page))


@event_priority(-120)  # after mkdocs-static-i18n (−100) built every language and wrote the merged index
def on_post_build(config: Any) -> None:
    """Split the merged search index into one per language (run after each language's build; the last one wins)."""
    site = Path(config["site_dir"])
    merged = site / INDEX
    if not merged.is_file():
        return
    for language, index in split_search_index(json.loads(merged.read_text(encoding="utf-8"))).items():
        folder = site if language == DEFAULT_LANGUAGE else site / language
        write_text_atomically(folder / INDEX, json.dumps(index, ensure_ascii=False, separators=(",", ":")))
