"""Parsed data within the calculator's limits: nesting depth and the digits of whole numbers.

Python's integers are exact at any size, and so are the calculator's results; but parsing, printing and
checking numbers of thousands of digits costs time (Python refuses more than 4,300 digits outright), and
nesting thousands deep exhausts the parser's recursion. So every number the calculator reads has at
most :data:`MAX_DIGITS` digits and every file nests at most :data:`MAX_DEPTH` deep, with these messages.
``docs/calculator/reading.js`` (the calculator page) applies the same rules in the same order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lenet_explain.errors import LenetError
from lenet_explain.limits import MAX_DEPTH, MAX_DIGITS

_LOG10_2 = 0.30102999566398120  # log10(2), to start counting the digits of a huge integer


@dataclass(frozen=True)
class LongNumber:
    """A whole number read as text with more digits than the calculator takes (never turned into an int)."""

    digits: int


def digit_count(value: int) -> int:
    """Return how many decimal digits ``abs(value)`` has, exactly, without printing it."""
    value = abs(value)
    if value < 10**18:
        return len(str(value))
    guess = int((value.bit_length() - 1) * _LOG10_2)  # 10**guess <= value, or one below
    while 10 ** (guess + 1) <= value:
        guess += 1
    return guess + 1


def too_many_digits(value: object) -> int | None:
    """Return the number of digits of a whole number beyond the limit, or None for anything else."""
    if isinstance(value, LongNumber):
        return value.digits
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_DIGITS:
        return digit_count(value)
    return None


def digits_message(what: str, digits: int) -> str:
    """Return the one message for a whole number over the limit."""
    return f"{what} has {digits:,} digits; the calculator takes whole numbers of at most {MAX_DIGITS} digits"


def check_digits(value: object, what: str) -> None:
    """Refuse a whole number with more digits than the calculator takes."""
    digits = too_many_digits(value)
    if digits is not None:
        raise LenetError(digits_message(what, digits))


_INTEGER_TEXT = re.compile(r"[+-]?[0-9]+")  # ASCII digits only, as the calculator page reads them


def parse_integer_text(text: str) -> int | LongNumber:
    """Return the int that ``text`` (optional sign and digits) spells, or a LongNumber when it has too many digits."""
    digits = len(text.lstrip("+-"))
    return LongNumber(digits) if digits > MAX_DIGITS else int(text)


def is_integer_text(text: str) -> bool:
    """True for an optional sign followed by decimal digits only."""
    return _INTEGER_TEXT.fullmatch(text) is not None


def depth_message(where: str) -> str:
    """Return the one message for data nested too deeply."""
    return f"{where}: nested more than {MAX_DEPTH} levels deep (lists and objects nest at most {MAX_DEPTH} deep)"


_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)


def json_nesting_exceeds(text: str, limit: int = MAX_DEPTH) -> bool:
    """True when the JSON text opens more than ``limit`` lists and objects inside each other (strings skipped)."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


def path_text(path: tuple[str | int, ...]) -> str:
    """Return where in a file a value is: ``layer 2 kernel_size[0]``, ``input[1]``, ``config.layers[3].units``."""
    head, rest = "", path
    if len(path) >= 2 and path[0] == "layers" and isinstance(path[1], int):
        head, rest = f"layer {path[1] + 1}", path[2:]
    text = ""
    for part in rest:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text or head else str(part))
    if head and text:
        return head + " " + text.lstrip(".")
    return head or text or "the top level"


def check_data(data: Any, where: str) -> None:
    """Refuse data nested more than MAX_DEPTH deep or holding a whole number of more than MAX_DIGITS digits.

    Walks the data without recursion, depth first in document order, and reports the first problem found.
    """
    pending: list[tuple[Any, tuple[str | int, ...], int]] = [(data, (), 0)]
    while pending:
        value, path, depth = pending.pop()
        if isinstance(value, (dict, list)):
            if depth + 1 > MAX_DEPTH:
                raise LenetError(depth_message(where))
            items = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
            pending.extend((item, (*path, key), depth + 1) for key, item in reversed(items))
            continue
        digits = too_many_digits(value)
        if digits is not None:
            raise LenetError(f"{where}: {digits_message(path_text(path), digits)}")
