"""The site's languages: English at ``/`` and Chinese at ``/zh/`` (issue 14), and how code finds a page's one.

Pages are twins: ``name.md`` (English) and ``name.zh.md`` (Chinese), built by mkdocs-static-i18n with
``docs_structure: suffix``; every number on either page comes from the same macros. Python code that writes words
(table headers, captions, figure labels) takes a ``language`` argument and reads its words from this module's
tables; the pages' JavaScript reads ``document.documentElement.lang``.
"""

from __future__ import annotations

from typing import Any

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
HTML_LANG = {"en": "en", "zh": "zh-Hans"}  # the <html lang> of each language's pages


def page_language(page: Any) -> str:
    """Return 'en' or 'zh' for an mkdocs page (mkdocs-static-i18n sets ``file.locale``; else by file name)."""
    file = getattr(page, "file", None)
    locale = getattr(file, "locale", None)
    if locale in LANGUAGES:
        return str(locale)
    name = str(getattr(file, "src_uri", "") or "")
    return "zh" if ".zh." in name else DEFAULT_LANGUAGE


def translate(text: str, language: str, **values: Any) -> str:
    """Return ``text`` (an English text or ``str.format`` template) in ``language``, filled with ``values``.

    The Chinese words are in :data:`lenet_explain.site.words_zh.WORDS`; a text missing there raises KeyError,
    which fails the Chinese build rather than showing English on a Chinese page.
    """
    if language == "zh":
        from lenet_explain.site.words_zh import WORDS

        if text not in WORDS:
            raise KeyError(f"no Chinese for {text!r}: add it to lenet_explain/site/words_zh.py")
        text = WORDS[text]
    elif language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    return text.format(**values) if values else text


def translate_phrases(text: str, phrases: tuple[str, ...], language: str) -> str:
    """Return generated text (a calculator note) with each of ``phrases`` replaced by its ``language`` words."""
    if language == DEFAULT_LANGUAGE:
        return text
    for phrase in sorted(phrases, key=len, reverse=True):  # the longest first: "'same': output" before "output"
        text = text.replace(phrase, translate(phrase, language))
    return text
