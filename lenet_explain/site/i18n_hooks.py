"""mkdocs hooks for the Chinese edition: what mkdocs-static-i18n 1.3.1 gets wrong with this site's other plugins.

mkdocs-static-i18n rebuilds MkDocs' file list in its ``on_files`` (priority −100) and builds the site once per
language (English to ``/``, Chinese to ``/zh/``). Three fixes run around it:

- Generated files (the figures of :mod:`lenet_explain.site.hooks`, ``File.generated``) have no source path,
  which the plugin cannot handle; they are taken out before it runs and put back after.
- It turns mkdocs-jupyter's notebook pages back into plain files (its issue #198), so the notebook came out as
  raw JSON. Afterwards the current language's notebook (``walkthrough.ipynb`` or ``walkthrough.zh.ipynb``)
  becomes a page again at ``walkthrough/`` or ``zh/walkthrough/``, paired with its twin for the language switcher.
- Material writes ``<html lang="zh">``; the Chinese pages say which script they use: ``zh-Hans``.
- The words on a page that neither the theme nor the plugin translates (:data:`CHROME`): the headings' permalink
  title (the Markdown toc extension's, one setting for every language), mkdocs-jupyter's copy buttons and the
  half-width colon of the theme's footer links. The theme's own settings in words (the palette toggles' names,
  the footer's credit) are set per language in mkdocs.yml.
- The language switcher's links go to the page's twin, relative to the page (the plugin writes ``/zh/``,
  wrong under a sub-path); the theme's ``<head>`` hreflang links go (see :func:`on_post_page`).
- The Chinese build writes its 404 page over the English one at the site's root: the English one is put back.
- Its sitemap says 'None/…' without a ``site_url``: the addresses become site-relative.
"""

from __future__ import annotations

import gzip
import logging
import re
from pathlib import Path, PurePosixPath
from typing import Any

from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files

from lenet_explain.safe_files import write_bytes_atomically, write_text_atomically
from lenet_explain.site.i18n import DEFAULT_LANGUAGE, HTML_LANG, LANGUAGES, page_language

NOTEBOOK_SUFFIX = ".ipynb"
logging.getLogger("jieba").setLevel(logging.WARNING)  # Material's search loads jieba, which logs at DEBUG
_stashed: list[File] = []  # the generated files, between the two halves of on_files
_building = [DEFAULT_LANGUAGE]  # the language mkdocs-static-i18n is building (it builds one after the other)


class NotebookPage(File):
    """A notebook rendered as a page by mkdocs-jupyter (a File that MkDocs treats as documentation)."""

    # what mkdocs-static-i18n gives its files: read by page_language and the language switcher
    locale: str
    localization: str | None
    locale_alternate_of: str
    norm_src_uri: str
    alternates: dict[str, NotebookPage]

    def is_documentation_page(self) -> bool:
        """Return True: mkdocs-jupyter renders the notebook into a page."""
        return True


def notebook_language(src_uri: str) -> str:
    """Return the language of a notebook by its name: 'walkthrough.zh.ipynb' → 'zh'."""
    suffixes = PurePosixPath(src_uri).suffixes
    return suffixes[-2].lstrip(".") if len(suffixes) > 1 and suffixes[-2].lstrip(".") in LANGUAGES \
        else DEFAULT_LANGUAGE


def notebook_page(src_uri: str, language: str, config: Any) -> NotebookPage:
    """Return the notebook ``src_uri`` (docs-relative) as a page of ``language``: ``[zh/]<stem>/index.html``."""
    stem = PurePosixPath(src_uri).name.split(".")[0]
    folder = PurePosixPath(src_uri).parent
    prefix = "" if language == DEFAULT_LANGUAGE else f"{language}/"
    dest = f"{prefix}{(folder / stem).as_posix().lstrip('./')}/index.html"
    page = NotebookPage(src_uri, config["docs_dir"], config["site_dir"], config["use_directory_urls"],
                        dest_uri=dest)
    page.locale = language
    page.localization = None if language == DEFAULT_LANGUAGE else language
    page.locale_alternate_of = language
    page.norm_src_uri = f"{(folder / stem).as_posix().lstrip('./')}{NOTEBOOK_SUFFIX}"
    return page


@event_priority(-90)  # before mkdocs-static-i18n (−100)
def _stash_generated(files: Files, config: Any) -> Files:
    """Take the generated files out of the list before mkdocs-static-i18n reads it."""
    _stashed[:] = [f for f in files if f.generated_by is not None]
    for file in _stashed:
        files.remove(file)
    return files


@event_priority(-110)  # after mkdocs-static-i18n (−100)
def _restore_files(files: Files, config: Any) -> Files:
    """Put the generated files back and make the current language's notebook a page, paired with its twins."""
    for file in _stashed:
        files.append(file)
    _stashed.clear()
    current = _current_language(files)
    _building[0] = current
    docs = Path(config["docs_dir"])
    pages: dict[str, dict[str, NotebookPage]] = {}  # norm_src_uri → language → page
    for path in sorted(docs.rglob(f"*{NOTEBOOK_SUFFIX}")):
        src_uri = path.relative_to(docs).as_posix()
        if ".ipynb_checkpoints" in src_uri:
            continue
        language = notebook_language(src_uri)
        page = notebook_page(src_uri, language, config)
        pages.setdefault(page.norm_src_uri, {})[language] = page
    for twins in pages.values():
        for page in twins.values():
            page.alternates = twins
        if current in twins:
            plain = files.get_file_from_path(twins[current].src_uri)  # the raw JSON copy: the page replaces it
            if plain is not None:
                files.remove(plain)
            files.append(twins[current])
    return files


on_files = CombinedEvent(_stash_generated, _restore_files)


def _current_language(files: Files) -> str:
    """Return the language being built: the locale of the Markdown pages mkdocs-static-i18n kept."""
    for file in files.documentation_pages():
        locale = getattr(file, "locale_alternate_of", None)
        if locale in LANGUAGES:
            return str(locale)
    return DEFAULT_LANGUAGE


_HEAD_ALTERNATE = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')
# What the page's makers other than the theme write in English on every page, and its words in each language.
CHROME: dict[str, dict[str, str]] = {
    "zh": {
        'title="Permanent link"': 'title="永久链接"',  # toc's permalink on every heading
        'aria-label="Copy to Clipboard"': 'aria-label="复制到剪贴板"',  # mkdocs-jupyter's copy button on a code cell
        '>Copied!</span>': '>已复制</span>',  # and what it says once clicked
    },
}


# The theme's footer links say "上一页: …" in Chinese: its template's ": " is half-width, whatever the language.
_FOOTER_COLON = re.compile(r'(aria-label="(?:上一页|下一页)): ')


def translate_chrome(html: str, language: str) -> str:
    """Return a page with the words of :data:`CHROME` in ``language`` (and the footer's full-width colon)."""
    for english, words in CHROME.get(language, {}).items():
        html = html.replace(english, words)
    if language == "zh":
        html = _FOOTER_COLON.sub(r"\1：", html)
    return html


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Drop the ``<head>`` hreflang links; write the page's language as HTML_LANG says, and its chrome's words.

    The theme writes a ``<link rel="alternate" hreflang>`` per language, which must be absolute URLs (the site
    has no fixed address) and from which its script fetches ``<link>/sitemap.xml`` (404 for a page's twin):
    the switcher in the header links the twins. Material writes ``lang="zh"``; the pages say the script,
    ``zh-Hans``.
    """
    output = _HEAD_ALTERNATE.sub("", output)
    language = page_language(page)
    if language == DEFAULT_LANGUAGE:
        return output
    output = translate_chrome(output, language)
    head = output.find("<html lang=")
    end = output.find(">", head)
    if head < 0 or end < 0:
        return output
    tag = output[head:end]
    start = tag.index('"') + 1
    tag = tag[:start] + HTML_LANG[language] + tag[tag.index('"', start):]
    return output[:head] + tag + output[end:]


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """Point the language switcher at this page's twins, relative to the page (the site works under a sub-path).

    mkdocs-static-i18n (priority 50, before this) writes root-absolute links (``/zh/``), wrong when a host serves
    the site under a sub-path, and for a notebook page it finds no twin; the twins are in ``page.file.alternates``.
    """
    twins = getattr(page.file, "alternates", None) or {}
    links = []
    for alternate in config.extra["alternate"]:
        twin = twins.get(alternate["lang"])
        if twin is None or getattr(twin, "locale", None) != alternate["lang"]:  # missing, or a fallback to English
            raise RuntimeError(f"{page.file.src_uri}: no {alternate['lang']} twin for the language switcher")
        links.append({**alternate, "link": twin.url or "."})  # site-relative: Material's `url` filter makes it
    # mkdocs-static-i18n sets the list as an *attribute* of config.extra (on a home page), which the theme's
    # templates read first (Jinja: attribute, then item): set both
    config.extra["alternate"] = links
    config.extra.alternate = links
    return context


def on_template_context(context: Any, template_name: str, config: Any) -> Any:
    """Point the language switcher of a page without a source (the 404 page) at each language's home page."""
    links = [{**alternate, "link": "." if alternate["lang"] == DEFAULT_LANGUAGE else f"{alternate['lang']}/"}
             for alternate in config.extra.get("alternate", [])]
    config.extra["alternate"] = links
    config.extra.alternate = links
    return context


_not_found: dict[str, str] = {}  # the English build's 404 page, kept while the Chinese build overwrites it


@event_priority(-90)  # after hooks.py made the 404 page relocatable (0), before mkdocs-static-i18n builds /zh/ (−100)
def _keep_english_404(config: Any) -> None:
    """Keep the English build's 404.html: the Chinese build writes its own to the same place, the site's root."""
    page = Path(config["site_dir"]) / "404.html"
    if _building[0] == DEFAULT_LANGUAGE and page.is_file():
        _not_found["html"] = _HEAD_ALTERNATE.sub("", page.read_text(encoding="utf-8"))


@event_priority(-110)  # after mkdocs-static-i18n's own on_post_build (−100): the Chinese build and the sitemap
def _mend_after_all_languages(config: Any) -> None:
    """Put the English 404 page back; make the sitemap's addresses site-relative (without a site_url: 'None…')."""
    if "html" in _not_found:
        write_text_atomically(Path(config["site_dir"]) / "404.html", _not_found["html"])
    sitemap = Path(config["site_dir"]) / "sitemap.xml"
    if not sitemap.is_file():
        return
    text = sitemap.read_text(encoding="utf-8")
    fixed = text.replace(">None./<", ">/<").replace('"None"', '"/"').replace(">None", ">/").replace('"None', '"/')
    if fixed != text:
        write_text_atomically(sitemap, fixed)
        write_bytes_atomically(sitemap.with_suffix(".xml.gz"), gzip.compress(fixed.encode("utf-8"), mtime=0))


on_post_build = CombinedEvent(_keep_english_404, _mend_after_all_languages)
