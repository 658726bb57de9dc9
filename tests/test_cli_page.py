"""The command-line page shows what the commands really print: rerun each shown command and compare."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from lenet_explain.site.cli_macros import HELP_COLUMNS, subcommands

ROOT = Path(__file__).resolve().parent.parent


def shown_sessions(built_site: Path) -> list[tuple[str, str, int]]:
    """Return (command, output, status) for every console block on the CLI page."""
    soup = BeautifulSoup((built_site / "cli" / "index.html").read_text(encoding="utf-8"), "html.parser")
    sessions = []
    for block in soup.select("div.highlight pre"):
        lines = block.get_text().rstrip("\n").split("\n")
        if not lines[0].startswith("$ lenet-explain "):
            continue  # a file shown verbatim, not a console session
        status = 0
        if len(lines) >= 2 and lines[-2] == "$ echo $?":
            status = int(lines[-1])
            lines = lines[:-2]
        sessions.append((lines[0][len("$ lenet-explain "):], "\n".join(lines[1:]), status))
    return sessions


def test_every_command_on_the_page_prints_what_the_page_shows(built_site: Path) -> None:
    sessions = shown_sessions(built_site)
    assert len(sessions) >= 8
    assert any("--verify" in command for command, _, _ in sessions)
    assert any(status == 2 for _, _, status in sessions)
    for command, shown, status in sessions:
        result = subprocess.run([sys.executable, "-m", "lenet_explain", *shlex.split(command)],
                                capture_output=True, text=True, cwd=ROOT,
                                env={**os.environ, "COLUMNS": HELP_COLUMNS})
        assert result.returncode == status, command
        printed = (result.stdout + result.stderr).rstrip()
        assert printed == shown, command


def test_every_command_is_documented_with_real_output(built_site: Path) -> None:
    """Each subcommand of ``lenet-explain`` (read from its parser, so new ones count) has a section and a run."""
    soup = BeautifulSoup((built_site / "cli" / "index.html").read_text(encoding="utf-8"), "html.parser")
    commands = [command.split()[0] for command, _, _ in shown_sessions(built_site) if command.split()]
    for name in subcommands():
        assert soup.find(id=name) is not None, f"no section #{name} on the CLI page"
        assert name in commands, f"no `lenet-explain {name} ...` run shown on the CLI page"
    assert "--help" in commands
