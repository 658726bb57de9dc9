"""Run the calculator page's modules (docs/calculator/*.js) in Node on a batch of cases (one process per batch),
and compare the page's answers with the command line's.

Each case is ``(kind, text)``: ``text`` is JSON that the page's own reader parses (whole numbers stay exact, 5.0
stays a float). See tests/calculator_cases.mjs for the kinds. No browser: tests using this are in the fast tier.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

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


def run_cases(cases: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Answer every case in one Node process: ``{"ok": result}`` or ``{"error": message, "lenet": bool}``."""
    result = subprocess.run(["node", str(RUNNER)], input=json.dumps({"cases": cases}), capture_output=True,
                            text=True, check=True, timeout=120)
    answers: list[dict[str, Any]] = json.loads(result.stdout, object_hook=decode_ints)
    assert len(answers) == len(cases)
    return answers


def run_kind(kind: str, items: list[Any]) -> list[dict[str, Any]]:
    """Answer cases of one kind, each item given as Python data (sent as its JSON text) or as text."""
    return run_cases([(kind, item if isinstance(item, str) else json.dumps(item)) for item in items])
