"""mkdocs hooks: one search index per language, so each edition's search finds its own pages only (issue 22).

mkdocs-static-i18n (``reconfigure_search: true``) writes one index for both languages at ``search/`` and every
page's theme configuration points at it (``"base"``: the site's root), so an English search listed Chinese pages.
After all languages are built, the index is split by each entry's address: ``search/search_index.json`` keeps the
English pages, ``zh/search/search_index.json`` the Chinese ones with addresses relative to ``zh/``; a Chinese
page's ``"base"`` points at ``zh/``, where the theme then finds its index and resolves its results. The Chinese
text stays as the search plugin segmented it with jieba (words joined by U+200B, which mkdocs.yml's ``separator``
splits on).

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

INDEX = "search/search_index.json"
LESSONS = ("convolution", "pooling", "activation", "output-size", "parameters")  # the pages' names in docs/
LESSON_BOOST = 3.0  # above the 2.5 by which the theme ranks an introduction that names a term over a section
_CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*)(")')


def entry_language(location: str) -> str:
    """Return the language of a search entry by its address: 'zh/pooling/#…' → 'zh', 'pooling/' → 'en'."""
    head = location.split("/", 1)[0]
    return head if head in LANGUAGES and head != DEFAULT_LANGUAGE and "/" in location else DEFAULT_LANGUAGE


def split_search_index(index: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return one index per language from the merged one: its entries, addresses relative to that language's root.

    The English index searches English only (no Chinese stemmer or segmenter to load); the Chinese one keeps the
    merged configuration (English words in Chinese text, like 'softmax', are stemmed as English).
    """
    split: dict[str, dict[str, Any]] = {}
    for language in LANGUAGES:
        config = dict(index["config"])
        if language == DEFAULT_LANGUAGE:
            config["lang"] = [DEFAULT_LANGUAGE]
        prefix = "" if language == DEFAULT_LANGUAGE else f"{language}/"
        docs = [{**doc, "location": doc["location"].removeprefix(prefix)}
                for doc in index["docs"] if entry_language(doc["location"]) == language]
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
        raise RuntimeError("no theme configuration with a \"base\" in a Chinese page: its search would be English")
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
