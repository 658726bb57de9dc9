"""A line break between two wide characters is removed from a page's HTML, as CSS Text 3 says it should be.

A line break inside a paragraph of the Markdown source (a "segment break") reaches the HTML as a newline, which
browsers draw as a space — between two Chinese characters a space no Chinese text has ("核对； 然后"). CSS Text
Level 3 (§4.1.2, segment break transformation) removes a segment break when the characters on both sides of it
are East Asian wide (F, W or H) and neither is Hangul; browsers do not implement that rule yet, so the site does it
when it builds the pages, at the end of the Markdown pipeline (``hooks.on_page_content``, for Markdown pages and
notebooks alike): in the HTML of a page's content, outside ``<pre>``, ``<code>``, ``<script>``, ``<style>``
and ``<textarea>``, a newline (with the spaces and tabs around it) between two wide characters is removed, also
when tags stand between them (``中文\\n<strong>粗体</strong>``). Every other newline stays as it is, so English text
and text that mixes Chinese with Latin letters or digits keep their spaces.
"""

from __future__ import annotations

import re
import unicodedata

# Blocks whose text is shown as written: a newline there is a real line break, never joined.
_VERBATIM = re.compile(r"(<(pre|code|script|style|textarea)\b.*?</\2>)", re.DOTALL | re.IGNORECASE)
_TAGS = r"(?:<[^<>]*>)*"  # tags that may stand between the two characters (they draw nothing themselves)
_BREAK = re.compile(rf"(?P<before>[^\s<>])(?P<closing>{_TAGS})[ \t]*\n[ \t]*(?P<opening>{_TAGS})(?P<after>[^\s<>])")


def is_wide(character: str) -> bool:
    """Return whether a character is East Asian full-width, wide or half-width, and not Hangul (CSS Text 3)."""
    return unicodedata.east_asian_width(character) in ("F", "W", "H") and "HANGUL" not in unicodedata.name(
        character, "")


def _join(match: re.Match[str]) -> str:
    """Drop the segment break of one match when both its characters are wide; keep it otherwise."""
    if is_wide(match["before"]) and is_wide(match["after"]):
        return match["before"] + match["closing"] + match["opening"] + match["after"]
    return match[0]


def remove_segment_breaks(html: str) -> str:
    """Return ``html`` with every segment break between two wide characters removed, outside verbatim blocks."""
    parts = _VERBATIM.split(html)
    out = []
    # re.split with two groups yields: text, whole verbatim block, its tag name, text, …
    for index in range(0, len(parts), 3):
        text = parts[index]
        previous = None
        while previous != text:  # a match consumes the character after the break: run again for "字\n字\n字"
            previous, text = text, _BREAK.sub(_join, text)
        out.append(text)
        if index + 1 < len(parts):
            out.append(parts[index + 1])
    return "".join(out)
