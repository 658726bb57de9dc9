"""Run the calculator page's modules (docs/calculator/*.js) in Node on a batch of cases (one process per batch),
and compare the page's answers with the command line's.

Each case is ``(kind, text)``: ``text`` is JSON that the page's own reader parses (whole numbers stay exact, 5.0
stays a float). See tests/calculator_cases.mjs for the kinds. No browser: tests using this are in the fast tier.
The same cases can be answered as on a Chinese page (``language="zh"``); :func:`english_left` says what in such an
answer is not written in Chinese.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

from lenet_explain.site.calculator_data import calculator_data
from lenet_explain.site.terms_zh import CALCULATOR_CODE, KEPT_ENGLISH, find_english, find_halfwidth, find_variants

RUNNER = Path(__file__).resolve().parent / "calculator_cases.mjs"

# Refusals are compared by what they say: the page writes values as JSON does ("x", true, null), the command
# line as Python does ('x', True, None), and each says in its own words what is wrong with a JSON text.
VALUES = re.compile(r"got .*$|'[^']*'|\"[^\"]*\"|\[[^\]]*\]|\([^)]*\)|\b(?:None|True|False|null|true|false)\b")
LAYER = re.compile(r"^[^:]+: layer (\d+)\b")


def gist(message: str) -> str:
    """A refusal's words without the values it quotes (which each side spells its own way)."""
    return VALUES.sub("…", message)


def same_answer(expected: dict[str, Any], got: dict[str, Any]) -> bool:
    """True when both give the same result, or both refuse with the same wording (values left out)."""
    if "error" in expected or "error" in got:
        return "error" in expected and "error" in got and gist(expected["error"]) == gist(got["error"])
    return expected == got


def same_refusal(expected: dict[str, Any], got: dict[str, Any]) -> bool:
    """True when both give the same result, or both refuse a stack file, the page naming the same layer as the
    command line (or the line and column of the text it refuses)."""
    if "error" in expected or "error" in got:
        if not ("error" in expected and "error" in got):
            return False
        named, says = LAYER.match(expected["error"]), LAYER.match(got["error"])
        at_text = re.search(r"line \d+, column \d+", got["error"]) is not None  # where in the text, as a reader sees it
        return named is None or at_text or (says is not None and says.group(1) == named.group(1))
    return expected == got


def decode_ints(value: dict[str, Any]) -> Any:
    """Turn the runner's {"$int": digits} back into a Python int."""
    return int(value["$int"]) if set(value) == {"$int"} else value


def run_cases(cases: list[tuple[str, str]], language: str = "en") -> list[dict[str, Any]]:
    """Answer every case in one Node process, worded as on a page in ``language``: ``{"ok": result}`` or
    ``{"error": message, "lenet": bool}``."""
    result = subprocess.run(["node", str(RUNNER)], input=json.dumps({"cases": cases, "language": language}),
                            capture_output=True, text=True, check=True, timeout=120)
    answers: list[dict[str, Any]] = json.loads(result.stdout, object_hook=decode_ints)
    assert len(answers) == len(cases)
    return answers


def as_case(kind: str, item: Any) -> tuple[str, str]:
    """A case of ``kind``: the item given as Python data (sent as its JSON text) or as text."""
    return kind, item if isinstance(item, str) else json.dumps(item)


def run_kind(kind: str, items: list[Any]) -> list[dict[str, Any]]:
    """Answer cases of one kind, each item given as Python data (sent as its JSON text) or as text."""
    return run_cases([as_case(kind, item) for item in items])


# --- what a Chinese page says -----------------------------------------------------------------------------------

CJK_CHARACTER = re.compile(r"[\u3400-\u9fff]")
# What a refusal quotes or computes, not its words: quoted values ('same', "x"), code and numbers (a token with a
# digit, an underscore or a '#': conv2d_1, kernel_size, d#1, float32, 5,000, U+FEFF) and tuples of values
# ((None, 28, 28, 6), ((1, 1), (2, 2))). English prose never has any of them; what is left must be Chinese.
QUOTED = re.compile(r"'[^'\n]*'|\"(?:[^\"\\\n]|\\.)*\"")
CODE_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+|[A-Za-z0-9_.+#\-]*[0-9_#][A-Za-z0-9_.+#\-]*")
# A layer's class after its name, as Keras prints it: C1 (Conv2D).
LAYER_TYPE = re.compile(r"\([A-Za-z_][A-Za-z0-9_]*\)")
TUPLE = re.compile(r"\([^()\u3400-\u9fff]*,[^()\u3400-\u9fff]*\)")
# The Latin words a Chinese refusal keeps: the terminology table's list (names of programs, formats and units,
# the command line, a stack file's keys, JSON's words; each group with its reason). Keras' layer classes, their
# default names, their arguments and activations are code too: they come from the page's tables (calculator_data).
KEPT_IN_REFUSALS = KEPT_ENGLISH | CALCULATOR_CODE


def code_words() -> frozenset[str]:
    """Keras' layer classes the page knows, their default names, their arguments and the activations."""
    data = calculator_data()
    words = {*data["layer_types"], *data["keras_layer_types"], *data["keras_base_names"].values(),
             *data["activations"], *data["ops"]}
    for table in data["layer_types"].values():
        words.update(name for name, _ in table["fields"])
    for names in data["keras_fields"].values():
        words.update(names)
    return frozenset(words)


def latin_words(text: str) -> set[str]:
    """Every Latin word of ``text`` (what a reader's own file says: its names, keys and values)."""
    return set(re.findall(r"[A-Za-z][A-Za-z\-]*[A-Za-z]|[A-Za-z]+", text))


def english_left(message: str, kept: frozenset[str]) -> list[str]:
    """The problems of a message meant for a Chinese page: it has no Chinese, or English words outside ``kept``,
    half-width punctuation beside Chinese, or a variant of a term (terms_zh) once values and code are left out."""
    prose = CODE_TOKEN.sub(" ", QUOTED.sub(" ", LAYER_TYPE.sub(" ", message)))
    while TUPLE.search(prose):
        prose = TUPLE.sub(" ", prose)
    problems = [] if CJK_CHARACTER.search(message) else ["no Chinese"]
    problems += find_english(prose, kept) + find_halfwidth(prose)
    return problems + [variant for variant, _ in find_variants(message)]
