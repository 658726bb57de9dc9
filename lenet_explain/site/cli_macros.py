"""Macros for the CLI page: run ``lenet-explain`` at build time and show exactly what it prints.

Loaded by mkdocs-macros next to :mod:`lenet_explain.site.macros`. A command whose exit status is not the
expected one raises, which fails ``mkdocs build --strict``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shlex
from pathlib import Path
from typing import Any

from lenet_explain.cli import EXIT_BAD_INPUT, main

ROOT = Path(__file__).resolve().parents[2]


HELP_COLUMNS = "80"  # argparse wraps --help to the terminal's width: the page shows an 80-column terminal


def run_cli(command: str) -> tuple[int, str]:
    """Run ``lenet-explain <command>`` in this process; return its exit status and what it printed."""
    out = io.StringIO()
    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = HELP_COLUMNS
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            try:
                status = main(shlex.split(command))
            except SystemExit as exit:  # --help exits through argparse
                status = int(exit.code or 0)
    finally:
        if before is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = before
    return status, out.getvalue()


def cli_block(command: str, status: int = 0) -> str:
    """Return a console code block: the command and its real output (fails if the exit status differs)."""
    code, text = run_cli(command)
    if code != status:
        raise RuntimeError(f"`lenet-explain {command}` exited {code}, expected {status}:\n{text}")
    shown = f"$ lenet-explain {command}\n{text.rstrip()}"
    if status:
        shown += f"\n$ echo $?\n{code}"
    return f"```console\n{shown}\n```"


def file_block(path: str, language: str = "") -> str:
    """Return a code block holding a file of the repository, verbatim."""
    text = (ROOT / path).read_text(encoding="utf-8").rstrip()
    return f"```{language}\n{text}\n```"


def subcommands() -> list[str]:
    """Return the names of the CLI's subcommands, in the order ``lenet-explain --help`` lists them."""
    from lenet_explain.cli import build_parser

    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(action.choices)


def define_env(env: Any) -> None:
    """Register the CLI macros with mkdocs-macros."""
    env.macro(cli_block, "cli")
    env.macro(file_block, "show_file")
    env.macro(subcommands)
    env.variables["exit_bad_input"] = EXIT_BAD_INPUT
    env.variables["help_columns"] = HELP_COLUMNS
