"""Run ``lenet-explain`` as a user does (a fresh process, its real stdout and stderr) and measure its peak memory."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
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


def _drain(stream: IO[bytes], into: list[bytes]) -> None:
    """Read a pipe to its end (in a thread, so neither pipe fills up and blocks the child)."""
    into.append(stream.read())


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 60, cwd: Path = ROOT,
            stdin: int | IO[bytes] | None = subprocess.DEVNULL, encoding: str = "utf-8") -> Run:
    """Run ``python -m lenet_explain ARGS``; a hang past ``timeout`` seconds kills it and fails the test.

    The peak memory is the child's own ``ru_maxrss`` (from ``wait4``), so other tests' processes never count.
    The output is decoded with ``encoding``, strictly: what the command prints must be in its encoding.
    """
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    start = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "lenet_explain", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, stdin=stdin, env=environment, cwd=cwd)
    assert process.stdout is not None and process.stderr is not None
    out: list[bytes] = []
    err: list[bytes] = []
    readers = [threading.Thread(target=_drain, args=(process.stdout, out)),
               threading.Thread(target=_drain, args=(process.stderr, err))]
    for reader in readers:
        reader.start()
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - start > timeout:
            process.kill()
            os.wait4(process.pid, 0)
            process.returncode = -9
            raise AssertionError(f"lenet-explain {' '.join(args)} still ran after {timeout} s (a hang)")
        time.sleep(0.02)
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    return Run(process.returncode, b"".join(out).decode(encoding), b"".join(err).decode(encoding),
               usage.ru_maxrss / 1024, time.monotonic() - start)


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
