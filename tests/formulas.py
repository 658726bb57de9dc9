"""Read a page's sum formula from its LaTeX (a MathML element's alttext) so a test can evaluate it as written.

The pages count rows and columns from 1. A formula such as ``\\sum_{i=1}^{k} F_{i,j} I_{r+i-1,\\, c+j-1}`` is
evaluated here with those 1-based positions, each symbol's value read at ``array[position − 1]``: a formula that
is off by one reads the wrong cells (or none) and no longer gives the page's numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from itertools import product
from typing import Any

SUM = re.compile(r"\\sum_\{\s*([a-z])\s*=\s*(\w+)\s*\}\^\{?\s*(\w+)\s*\}?")
INDEX_EXPRESSION = re.compile(r"^[a-z0-9+\- ]+$")


def subscripts(latex: str, symbol: str) -> list[str]:
    """Return the index expressions of ``symbol`` in ``latex``: ``I_{r+i-1,\\, c+j-1}`` → ['r+i-1', 'c+j-1']."""
    found = re.search(rf"(?<![A-Za-z\\]){re.escape(symbol)}_\{{(.*?)\}}", latex)
    assert found, f"no {symbol}_{{…}} in {latex!r}"
    parts = [p.strip() for p in re.sub(r"\\[,;:! ]", "", found.group(1)).split(",")]
    for part in parts:
        assert INDEX_EXPRESSION.match(part), f"not an index expression: {part!r}"
    return parts


def sum_ranges(latex: str, values: Mapping[str, int]) -> list[tuple[str, range]]:
    """Return every summation of ``latex`` as (variable, 1-based range), bounds read with ``values``."""
    ranges = []
    for variable, low, high in SUM.findall(latex):
        bounds = [int(b) if b.isdigit() else values[b] for b in (low, high)]
        ranges.append((variable, range(bounds[0], bounds[1] + 1)))
    assert ranges, f"no \\sum_{{v=a}}^{{b}} in {latex!r}"
    return ranges


def evaluate(expression: str, values: Mapping[str, int]) -> int:
    """Return the value of an index expression such as 'r+i-1' (letters, digits, + and − only)."""
    total, sign = 0, 1
    for token in re.findall(r"[+\-]|\w+", expression.replace(" ", "")):
        if token in "+-":
            sign = 1 if token == "+" else -1
        else:
            total += sign * (int(token) if token.isdigit() else values[token])
    return total


def read(array: Any, positions: list[int]) -> Any:
    """Return ``array`` at 1-based ``positions``; a position outside the array is an error, never a wrap-around."""
    for p in positions:
        assert 1 <= p <= len(array), f"position {p} is outside 1…{len(array)}"
        array = array[p - 1]
    return array


def terms(latex: str, values: Mapping[str, int]) -> Iterator[dict[str, int]]:
    """Yield the values of every variable for each term of the formula's sums."""
    ranges = sum_ranges(latex, values)
    for combination in product(*(r for _, r in ranges)):
        yield {**values, **dict(zip((v for v, _ in ranges), combination, strict=True))}


def weighted_sum(latex: str, weight: tuple[str, Any], source: tuple[str, Any], values: Mapping[str, int],
                 zero: Any = 0) -> Any:
    """Return Σ weight[…]·source[…] over the formula's sums, each read at its subscripts as the formula writes them."""
    (w_symbol, w_array), (s_symbol, s_array) = weight, source
    w_index, s_index = subscripts(latex, w_symbol), subscripts(latex, s_symbol)
    total = zero
    for v in terms(latex, values):
        total += (read(w_array, [evaluate(e, v) for e in w_index])
                  * read(s_array, [evaluate(e, v) for e in s_index]))
    return total
