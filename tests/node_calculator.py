"""Run the calculator page's modules (docs/calculator/*.js) in Node on a batch of cases: one process per batch.

Each case is ``(kind, text)``: ``text`` is JSON that the page's own reader parses (whole numbers stay exact, 5.0
stays a float). See tests/calculator_cases.mjs for the kinds. No browser: tests using this are in the fast tier.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

RUNNER = Path(__file__).resolve().parent / "calculator_cases.mjs"


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
