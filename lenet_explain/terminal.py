"""What reaches the terminal: names escaped so one error stays one line, and output in any encoding.

- :func:`escape` turns control characters (newlines, ANSI escapes, C1 controls), line separators and
  bidirectional overrides in names from files or the command line into visible escapes (``\\n``, ``\\x1b``),
  so a table row stays one row and nothing re-colours or rewrites the user's terminal.
- :func:`use_fallbacks` lets stdout and stderr print in any encoding (``PYTHONIOENCODING=ascii``, latin-1, …):
  characters the encoding lacks become ASCII (``×`` → ``x``, ``−`` → ``-``, ``⌊x⌋`` → ``floor(x)``) or, for
  anything else, a ``\\u`` escape. JSON is printed with ``\\u`` escapes instead, so it stays exact.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import sys
from typing import Any, TextIO

ERRORS = "lenet-explain-fallback"
# Characters the package prints that a narrow encoding may lack, with their ASCII stand-ins.
ASCII_FALLBACKS = {
    "×": "x", "−": "-", "–": "-", "—": "-", "⌊": "floor(", "⌋": ")", "⌈": "ceil(", "⌉": ")", "→": "->",
    "≥": ">=", "≤": "<=", "≈": "~", "…": "...", "’": "'", "‘": "'", "“": '"', "”": '"', "·": "*", "•": "*",
    "━": "=", "─": "-", "│": "|", "┃": "|", "┏": "+", "┓": "+", "┗": "+", "┛": "+", "┡": "+", "┩": "+",
    "┳": "+", "┻": "+", "╇": "+", "┼": "+", "├": "+", "┤": "+", "┌": "+", "┐": "+", "└": "+", "┘": "+",
    "°": " deg", "\u00a0": " ",
}
# C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional embedding/override/isolate marks.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_one(match: re.Match[str]) -> str:
    """Return the visible escape of one unsafe character."""
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: object) -> str:
    """Return ``str(text)`` with control characters, separators and bidi marks shown as escapes."""
    return _UNSAFE.sub(_escape_one, str(text))


def _fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: an ASCII stand-in for the characters the encoding lacks, else a \\u escape."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    text = "".join(ASCII_FALLBACKS.get(c, f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}")
                   for c in bad)
    return text, error.end


codecs.register_error(ERRORS, _fallback)


def use_fallbacks(*streams: TextIO) -> None:
    """Make the streams (default: stdout and stderr) print what their encoding lacks with fallbacks, not fail."""
    for stream in streams or (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and getattr(stream, "errors", None) in ("strict", "backslashreplace"):
            with contextlib.suppress(ValueError, OSError):  # a closed or detached stream stays as it is
                reconfigure(errors=ERRORS)


def can_encode(text: str, stream: TextIO | None = None) -> bool:
    """True when ``stream`` (default stdout) can print ``text`` as it is."""
    encoding = getattr(stream or sys.stdout, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def json_text(data: Any) -> str:
    """Return JSON for the terminal: readable characters kept when stdout can print them, else \\u escapes;
    control characters, separators and bidi marks always escaped."""
    import json

    text = json.dumps(data, ensure_ascii=False, default=list)
    if not can_encode(text):
        return json.dumps(data, ensure_ascii=True, default=list)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
