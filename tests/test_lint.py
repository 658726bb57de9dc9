"""The project's own checks: ruff and mypy, as configured in pyproject.toml, pass on the whole code base, and
ESLint (eslint.config.js; pinned in package-lock.json, installed by scripts/setup_lint.sh) on the pages' JavaScript."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.mark.slow
def test_ruff_finds_nothing() -> None:
    result = subprocess.run([str(BIN / "ruff"), "check", "lenet_explain", "scripts", "tests"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_finds_nothing() -> None:
    result = subprocess.run([str(BIN / "mypy")], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_eslint_finds_nothing() -> None:
    eslint = ROOT / "node_modules" / ".bin" / "eslint"
    assert eslint.exists(), "ESLint is not installed: run scripts/setup_lint.sh (scripts/test.sh does)"
    result = subprocess.run([str(eslint), "docs"], capture_output=True, text=True, cwd=ROOT)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")
