"""The command-line page shows what the commands really print: rerun each shown command and compare."""

from __future__ import annotations

import json
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


# One fresh interpreter runs every shown command through the console script's own entry point (cli.main), each
# with its own stdout and stderr, so TensorFlow is imported once for the five commands that need it, not five
# times. What reaches the interpreter's real stderr (a notice written from C while TensorFlow is imported, a
# warning) belongs to no command's captured output, so it must be nothing at all.
RUN_EACH = """
import io, json, sys
from lenet_explain.cli import main
results = []
for args in json.loads(sys.argv[1]):
    real = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = (io.TextIOWrapper(io.BytesIO(), encoding="utf-8") for _ in range(2))
    try:
        code = main(args)
    except SystemExit as stop:  # argparse's --help and usage errors end this way, as in the console script
        code = stop.code if isinstance(stop.code, int) else 1
    texts = []
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
        texts.append(stream.buffer.getvalue().decode("utf-8"))
    sys.stdout, sys.stderr = real
    results.append([code, *texts])
print(json.dumps(results))
"""


def test_every_command_on_the_page_prints_what_the_page_shows(built_site: Path) -> None:
    sessions = shown_sessions(built_site)
    assert len(sessions) >= 8
    assert any("--verify" in command for command, _, _ in sessions)
    assert any(status == 2 for _, _, status in sessions)
    commands = [shlex.split(command) for command, _, _ in sessions]
    run = subprocess.run([sys.executable, "-c", RUN_EACH, json.dumps(commands)], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "COLUMNS": HELP_COLUMNS}, timeout=600)
    assert run.returncode == 0 and run.stderr == "", run.stderr[-2000:]
    results = json.loads(run.stdout)
    assert len(results) == len(sessions)
    for (command, shown, status), (code, out, err) in zip(sessions, results, strict=True):
        assert code == status, command
        printed = (out + err).rstrip()
        assert printed == shown, command


def test_every_command_is_documented_with_real_output(built_site: Path) -> None:
    """Each subcommand of ``lenet-explain`` (read from its parser, so new ones count) has a section and a run."""
    soup = BeautifulSoup((built_site / "cli" / "index.html").read_text(encoding="utf-8"), "html.parser")
    commands = [command.split()[0] for command, _, _ in shown_sessions(built_site) if command.split()]
    for name in subcommands():
        assert soup.find(id=name) is not None, f"no section #{name} on the CLI page"
        assert name in commands, f"no `lenet-explain {name} ...` run shown on the CLI page"
    assert "--help" in commands
