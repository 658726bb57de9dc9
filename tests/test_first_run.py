"""A newcomer's first run, as a user runs it: set-up, the build and the serve command on a fresh copy of the project.

The project's files (tracked and new, as ``git clone`` of this work would give) are copied to a temporary folder
with no ``.venv``, no ``.cache`` and a fresh Matplotlib config folder. ``scripts/setup.sh`` makes its own
``.venv`` there (about a minute with pip's cache warm), then ``mkdocs build --strict`` and ``scripts/serve.sh`` run
in it. Their real stdout and stderr must say what happens and hold no warning, banner or stack frame.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [pytest.mark.firstrun, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
# What no line of a first run may hold: warnings, deprecations, stack frames, errors, the theme's banner.
TROUBLE = re.compile(r"warn|deprecat|traceback|error|exception|end of life|│|File \"|^\s+at |^[IWE]\d{4} ", re.I)
MKDOCS_LINE = re.compile(r"^INFO    -  ")  # mkdocs' own lines; anything else (a banner, a frame) fails the test
SET_UP_AGAIN = "setup: already set up (.venv is current with constraints.txt)"
# Set by this test run's own Python (a virtual environment, the theme's switch that .venv's Python sets, the
# TensorFlow log level that keras_import sets), never by a newcomer's shell: the fresh copy must set them itself.
NOT_IN_A_USER_SHELL = ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "NO_MKDOCS_2_WARNING", "TF_CPP_MIN_LOG_LEVEL")


def copy_project(target: Path) -> Path:
    """Copy the project's tracked and new (not ignored) files to ``target``, as a fresh clone would have them."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    for name in filter(None, listed.stdout.decode().split("\0")):
        source = ROOT / name
        if source.is_file():  # a file deleted but not yet committed is listed too
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


def user_env(tmp: Path) -> dict[str, str]:
    """The caller's environment without a virtual environment or Python path, and with no Matplotlib caches."""
    env = {k: v for k, v in os.environ.items() if k not in NOT_IN_A_USER_SHELL}
    venv_bin = str(ROOT / ".venv" / "bin")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    env["MPLCONFIGDIR"] = str(tmp / "matplotlib")  # a first run on a new machine builds the font cache
    return env


def trouble(lines: list[str]) -> list[str]:
    """Return the lines that look like a warning, an error, a banner or a stack frame."""
    return [line for line in lines if TROUBLE.search(line)]


def remove_in_the_background(path: Path) -> None:
    """Delete ``path`` without waiting: 60,000 files of a virtual environment can take minutes on a slow disk."""
    trash = Path(tempfile.mkdtemp(prefix="lenet-explain-first-run-"))  # outside pytest's folders: never reused
    with contextlib.suppress(OSError):  # on another file system, it is deleted where it is
        path = path.rename(trash / path.name)
    subprocess.run(["sh", "-c", 'rm -rf -- "$1" "$2" >/dev/null 2>&1 &', "sh", str(path), str(trash)], check=True)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """A fresh copy of the project and a user's environment; the copy and its 2 GB ``.venv`` go afterwards."""
    tmp = tmp_path_factory.mktemp("first-run")
    project = copy_project(tmp / "project")
    yield project, user_env(tmp)
    remove_in_the_background(project)


@pytest.fixture(scope="module")
def first_set_up(fresh: tuple[Path, dict[str, str]]) -> subprocess.CompletedProcess[str]:
    """``bash scripts/setup.sh`` on the fresh copy: it creates ``.venv`` and installs everything."""
    project, env = fresh
    return subprocess.run(
        ["bash", "scripts/setup.sh"], cwd=project, env=env, capture_output=True, text=True, timeout=3600
    )


def test_the_first_set_up_says_what_it_does_and_when_it_is_done(
    fresh: tuple[Path, dict[str, str]], first_set_up: subprocess.CompletedProcess[str]
) -> None:
    project, _ = fresh
    assert first_set_up.returncode == 0, first_set_up.stdout + first_set_up.stderr
    assert first_set_up.stderr == ""
    lines = first_set_up.stdout.splitlines()
    assert all(line.startswith("setup: ") for line in lines), lines
    assert trouble(lines) == []
    text = first_set_up.stdout
    assert lines[0].startswith("setup: creating .venv with Python 3.")
    assert "TensorFlow 2." in text and "MB to download" in text and "GB installed" in text  # what, how big
    assert re.search(r"^setup:   resolved \d{2,} packages in \d+ s; installing \d{2,} of them", text, re.M)
    assert re.search(r"^setup:   installed in \d+ s$", text, re.M)  # how long each step took
    assert re.fullmatch(r"setup: done in \d+ s; \.venv holds [\d.]+ GB", lines[-1])
    assert "Successfully installed" in (project / ".venv" / "pip.log").read_text()  # pip's own words, kept


def test_set_up_again_prints_one_short_line(
    fresh: tuple[Path, dict[str, str]], first_set_up: subprocess.CompletedProcess[str]
) -> None:
    project, env = fresh
    assert first_set_up.returncode == 0
    again = subprocess.run(["bash", "scripts/setup.sh"], cwd=project, env=env, capture_output=True, text=True)
    assert (again.returncode, again.stdout, again.stderr) == (0, SET_UP_AGAIN + "\n", "")
    quiet = subprocess.run(["bash", "scripts/setup.sh", "--quiet"], cwd=project, env=env, capture_output=True)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, b"", b"")


def test_a_clean_build_prints_only_what_mkdocs_does(
    fresh: tuple[Path, dict[str, str]], first_set_up: subprocess.CompletedProcess[str]
) -> None:
    """No theme banner, no DeprecationWarning with frames, no TensorFlow notice, no plugin chatter."""
    project, env = fresh
    assert first_set_up.returncode == 0
    build = subprocess.run(
        [str(project / ".venv" / "bin" / "mkdocs"), "build", "--strict"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    lines = (build.stdout + build.stderr).splitlines()
    assert [line for line in lines if not MKDOCS_LINE.match(line)] == []
    assert trouble(lines) == []
    assert any("Documentation built in" in line for line in lines)
    assert (project / "site" / "index.html").is_file()


def read_until(process: subprocess.Popen[str], marker: str, seconds: float) -> list[str]:
    """Return the process's output lines up to and including the first one holding ``marker``."""
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            break
        if line is None:
            break
        seen.append(line)
        if marker in line:
            return seen
    pytest.fail(f"no line with {marker!r} within {seconds:.0f} s:\n" + "\n".join(seen))


def cjk_font_folders() -> list[str]:
    """Return the folders of the CJK fonts fontconfig lists on this machine."""
    fc_list = shutil.which("fc-list")
    listed = subprocess.run([fc_list, ":lang=zh", "file"], capture_output=True, text=True).stdout if fc_list else ""
    return sorted({str(Path(line.split(":")[0]).parent) for line in listed.splitlines() if line.strip()})


def without_cjk_fonts(command: list[str]) -> list[str]:
    """Return ``command`` run where no CJK font is visible: an empty tmpfs over each CJK font folder, in a mount
    namespace of its own (needs root; CI and the developers' machines are root)."""
    folders = cjk_font_folders()
    if not folders:
        return command
    if subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode != 0:
        pytest.skip("cannot hide the CJK fonts here (unshare -m needs root)")
    mounts = " && ".join(f"mount -t tmpfs none {shlex.quote(folder)}" for folder in folders)
    return ["unshare", "-m", "sh", "-c", f'{mounts} && exec "$@"', "sh", *command]


def test_serve_ends_at_the_address_to_open(
    fresh: tuple[Path, dict[str, str]], first_set_up: subprocess.CompletedProcess[str]
) -> None:
    project, env = fresh
    assert first_set_up.returncode == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"http://127.0.0.1:{port}/"
    command = ["./scripts/serve.sh", "--dev-addr", f"127.0.0.1:{port}"]  # the README's command, on a free port
    serve = subprocess.Popen(
        without_cjk_fonts(command),  # as on a machine with no CJK font: serve.sh installs none
        cwd=project,
        env={**env, "PYTHONUNBUFFERED": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        lines = read_until(serve, "Serving on", 600)
        assert [line for line in lines if not MKDOCS_LINE.match(line)] == []  # set up already: nothing of its own
        assert trouble(lines) == []
        assert lines[-1].endswith(f"Serving on {address}")
        with urllib.request.urlopen(address, timeout=30) as response:
            assert response.status == 200 and b"LeNet-5" in response.read()
    finally:
        os.killpg(serve.pid, signal.SIGTERM)  # unshare, bash and mkdocs
        serve.wait(timeout=60)


def test_when_pip_fails_its_whole_output_is_shown(
    fresh: tuple[Path, dict[str, str]], first_set_up: subprocess.CompletedProcess[str]
) -> None:
    """A broken pin: set-up stops with pip's own error, and the whole pip log, on stderr."""
    project, env = fresh
    assert first_set_up.returncode == 0
    constraints = project / "constraints.txt"
    pins = constraints.read_text()
    constraints.write_text(pins + "numpy==not-a-version\n")
    try:
        failed = subprocess.run(
            ["bash", "scripts/setup.sh"], cwd=project, env=env, capture_output=True, text=True, timeout=600
        )
    finally:
        constraints.write_text(pins)
    assert failed.returncode != 0
    assert "setup: pip failed" in failed.stderr
    assert "not-a-version" in failed.stderr  # pip's own error
    assert (project / ".venv" / "pip.log").read_text() in failed.stderr  # in full
    again = subprocess.run(["bash", "scripts/setup.sh"], cwd=project, env=env, capture_output=True, text=True)
    assert again.stdout == SET_UP_AGAIN + "\n"  # the failed attempt left the working set-up as it was

