"""Run ``lenet-explain`` as a user does (a fresh process, its real stdout and stderr) and measure its peak memory."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
NO_TF_LIMIT_MB = 500  # the bound for commands that never import TensorFlow
TF_LIMIT_MB = 1024  # and for predict over many large images


@dataclass(frozen=True)
class Run:
    """What one command did: exit status, output, peak resident memory and wall time."""

    returncode: int
    stdout: str
    stderr: str
    peak_mb: float
    seconds: float

    @property
    def error_lines(self) -> list[str]:
        """The lines of stderr."""
        return self.stderr.splitlines()


# A small launcher between the test and the command. Linux counts in a child's ru_maxrss the memory of the
# process it was forked from (the pytest process, which may hold TensorFlow), so the command is started by a
# process that is small, and the launcher reports the command's own peak from wait4.
LAUNCHER = (
    "import os, subprocess, sys\n"
    "child = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(child.pid, 0)\n"
    "open(sys.argv[1], 'w').write(f'{usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}')\n"
)


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60, cwd: Path = ROOT,
            stdin: int | IO[bytes] | None = subprocess.DEVNULL, encoding: str = "utf-8") -> Run:
    """Run ``python -m lenet_explain ARGS``; a hang past ``timeout`` seconds kills it and fails the test.

    The peak memory is the command's own ``ru_maxrss``, so neither the test process nor other tests count.
    The output is decoded with ``encoding``, strictly: what the command prints must be in its encoding.
    """
    # The project first, after any stand-ins the fast tier put on PYTHONPATH (tests/conftest.py).
    path = os.pathsep.join(filter(None, [*os.environ.get("PYTHONPATH", "").split(os.pathsep), str(ROOT)]))
    environment = {**os.environ, "PYTHONPATH": path, **(env or {})}
    with tempfile.NamedTemporaryFile("r", suffix=".rusage") as report:
        start = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, report.name, sys.executable, "-m", "lenet_explain", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=stdin, env=environment, cwd=cwd,
            start_new_session=True,
        )
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # the launcher and the command
            process.communicate()
            raise AssertionError(f"lenet-explain {' '.join(args)} still ran after {timeout} s (a hang)") from None
        seconds = time.monotonic() - start
        peak_kb, returncode = (int(v) for v in report.read().split())
    return Run(returncode, out.decode(encoding), err.decode(encoding), peak_kb / 1024, seconds)


def assert_one_clean_line(run: Run, *fragments: str, peak_mb: float = NO_TF_LIMIT_MB) -> str:
    """Assert the promise for bad input: exit 2, exactly one stderr line ``lenet-explain: error: …``, no
    traceback, the memory bound kept; return the line. Every fragment must be in it."""
    assert run.returncode == 2, (run.returncode, run.stdout[-500:], run.stderr[-2000:])
    lines = run.error_lines
    assert len(lines) == 1, run.stderr[-2000:]
    assert lines[0].startswith("lenet-explain: error: "), lines[0]
    assert "Traceback" not in run.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert run.peak_mb < peak_mb, f"peak memory {run.peak_mb:.0f} MB"
    return lines[0]
