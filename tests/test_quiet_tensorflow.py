"""TensorFlow's C++ start-up notices never reach the user's stderr, whatever CPU runs the tests.

On CPUs with AVX-512 TensorFlow 2.21 writes its notices to file descriptor 2 from C++ while it is imported;
other CPUs print nothing, so a quiet run proves nothing there. These tests make every machine behave like the
noisy one: a ``sitecustomize`` module writes the notices with libc's ``write(2, …)`` (below Python, as C++
does) the moment ``tensorflow`` starts importing. The commands run as a user runs them, in a subprocess, and
their real stderr is read.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lenet_explain.models.startup_notices import drop_notices

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# Exactly what TensorFlow 2.21 printed on this project's AVX-512 machines, twice per import.
NOTICES = (
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
    "I0000 00:00:1795882818.315012    5917 port.cc:153] oneDNN custom operations are on. You may see slightly "
    "different numerical results due to floating-point round-off errors from different computation orders. "
    "To turn them off, set the environment variable `TF_ENABLE_ONEDNN_OPTS=0`.\n"
)
OTHER = "E0000 00:00:1795882818.400000    5917 something_else.cc:42] a real error the user must see\n"

SITECUSTOMIZE = '''
import ctypes, importlib.abc, sys

_libc = ctypes.CDLL(None)

class _WriteOnTensorFlowImport(importlib.abc.MetaPathFinder):
    """Write to file descriptor 2 from C, as TensorFlow's C++ does, when tensorflow is first imported."""
    done = False
    def find_spec(self, name, path=None, target=None):
        if name == "tensorflow" and not self.done:
            self.done = True
            for _ in range(2):
                data = {text!r}.encode()
                _libc.write(2, data, len(data))
        return None

sys.meta_path.insert(0, _WriteOnTensorFlowImport())
'''


def noisy_env(tmp_path: Path, text: str) -> dict[str, str]:
    """Return an environment whose Python writes ``text`` to fd 2 from C when TensorFlow is imported."""
    (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE.format(text=text), encoding="utf-8")
    path = os.pathsep.join(p for p in (str(tmp_path), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path}


def test_the_simulation_really_writes_below_python(tmp_path: Path) -> None:
    """Control: the simulation's lines reach the real stderr past ``redirect_stderr`` (they are written below Python).

    Looking ``tensorflow`` up fires the simulation without the seconds of importing it; that it fires during a real
    import is shown below, where its extra line reaches the user.
    """
    env = noisy_env(tmp_path, NOTICES)
    code = ("import contextlib, importlib.util, io\nwith contextlib.redirect_stderr(io.StringIO()):\n"
            "    assert importlib.util.find_spec('tensorflow') is not None\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr == NOTICES * 2  # redirect_stderr cannot catch them


@pytest.mark.tf
@pytest.mark.slow
def test_verify_on_a_noisy_cpu_prints_only_the_other_lines(tmp_path: Path) -> None:
    """One run of ``summary --verify`` as a user runs it, with the simulation on and TensorFlow really imported.

    Its stderr is exactly the simulation's extra line, twice: the simulated notices are dropped, the other line
    still reaches the user (so the simulation fired during the real import), and whatever this CPU's TensorFlow
    prints during its import is dropped too (on a quiet CPU there is nothing to drop).
    """
    env = noisy_env(tmp_path, NOTICES + OTHER)
    result = subprocess.run([str(BIN / "lenet-explain"), "summary", "--model", "lecture32", "--verify"],
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr == OTHER * 2
    assert "all match" in result.stdout


def test_only_the_known_notices_are_dropped() -> None:
    assert drop_notices(NOTICES * 2) == ""
    assert drop_notices(NOTICES + OTHER + "plain text\n") == OTHER + "plain text\n"
