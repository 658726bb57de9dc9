"""Every file the project writes lands whole or not at all: a full disk or an error leaves the old file byte for byte.

The disk is really full: a small tmpfs mounted in a private mount namespace (``unshare -m``; the machines that run
the tests let root do that), so the writers meet ENOSPC as a user's full disk gives it.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lenet_explain.safe_files import replacing, write_bytes_atomically, write_text_atomically

ROOT = Path(__file__).resolve().parents[1]


def can_mount_tmpfs() -> bool:
    """Return True when this user may mount a tmpfs in a private mount namespace."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=4k none /mnt"], capture_output=True)
    return probe.returncode == 0


needs_tmpfs = pytest.mark.skipif(not can_mount_tmpfs(), reason="needs unshare -m and tmpfs (root in CI)")


def digests(folder: Path) -> dict[str, str]:
    """Return the sha256 of every file in ``folder``, by name (temporary files would show up here too)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_a_failed_write_leaves_the_old_files_and_no_temporary(tmp_path: Path) -> None:
    first, second = tmp_path / "model.json", tmp_path / "model.png"
    first.write_text("old json")
    second.write_bytes(b"old png")
    before = digests(tmp_path)
    with pytest.raises(OSError, match="No space"), replacing(first, second) as (new_first, _new_second):
        new_first.write_text("new json, complete")  # the first is written …
        raise OSError(28, "No space left on device")  # … the second fails: neither may change
    assert digests(tmp_path) == before


def test_a_complete_write_replaces_and_keeps_the_file_s_permissions(tmp_path: Path) -> None:
    kept = tmp_path / "kept.txt"
    kept.write_text("old")
    kept.chmod(0o640)
    write_text_atomically(kept, "new")
    fresh = write_bytes_atomically(tmp_path / "sub" / "fresh.bin", b"\x00\x01")
    assert kept.read_text() == "new" and kept.stat().st_mode & 0o777 == 0o640
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.read_bytes() == b"\x00\x01" and fresh.stat().st_mode & 0o777 == 0o666 & ~umask
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["fresh.bin", "kept.txt", "sub"]


@needs_tmpfs
def test_a_full_disk_leaves_the_old_file_whole(tmp_path: Path) -> None:
    """Python writing 64 KiB onto a 16 KiB tmpfs that holds a 4 KiB file: the file is untouched, no leftovers."""
    script = (
        "import sys; from pathlib import Path; from lenet_explain.safe_files import write_bytes_atomically as w\n"
        "p = Path(sys.argv[1]) / 'data.bin'; p.write_bytes(b'old' * 1365)\n"
        "try:\n    w(p, b'new' * 21845)\nexcept OSError as e:\n    print('refused', e.errno)\n"
        "print(sorted(x.name for x in p.parent.iterdir()), p.read_bytes() == b'old' * 1365)\n"
    )
    mount = tmp_path / "disk"
    mount.mkdir()
    shell = (f"mount -t tmpfs -o size=16k none {mount} && "
             f"{shlex.quote(sys.executable)} -c {shlex.quote(script)} {mount}")
    run = subprocess.run(["unshare", "-m", "sh", "-c", shell], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert run.stdout.splitlines() == ["refused 28", "['data.bin'] True"], run.stderr


@needs_tmpfs
@pytest.mark.tf
def test_train_onto_a_full_disk_leaves_the_previous_run_byte_identical(tmp_path: Path) -> None:
    """``train`` over a previous run's four files, on a disk without room for the new ones: one line, exit 2, and
    the previous files unchanged (they stand in for a real run's: what matters is that not one byte changes)."""
    from lenet_explain.walkthrough import training

    previous = tmp_path / "previous"
    previous.mkdir()
    for kind, path in training.output_paths(previous / "digits.keras").items():
        path.write_bytes(os.urandom(780_000 if kind in ("keras", "h5") else 20_000))
    before = digests(previous)
    room = sum(p.stat().st_size for p in previous.iterdir()) + 96 * 1024  # the old files, and not the new ones
    mount = tmp_path / "disk"
    mount.mkdir()
    shell = (f"mount -t tmpfs -o size={room} none {mount} && cp {previous}/* {mount}/ && "
             f"{shlex.quote(sys.executable)} -m lenet_explain train --out {mount}/digits.keras; echo status $?; "
             f"cd {mount} && sha256sum *")
    run = subprocess.run(["unshare", "-m", "sh", "-c", shell], capture_output=True, text=True,
                         env={**os.environ, training.FAST_ENV: "1"}, timeout=600)
    assert "status 2" in run.stdout, run.stdout + run.stderr[-2000:]
    sums = run.stdout.split("status 2", 1)[1].split()
    after = dict(zip(sums[1::2], sums[0::2], strict=True))  # sha256sum prints "digest  name"
    errors = [line for line in run.stderr.splitlines() if line.startswith("lenet-explain: error:")]
    assert len(errors) == 1 and "No space left on device" in errors[0] and "digits" in errors[0], run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert after == before  # byte-identical, and no temporary file left beside them



WRITERS = {"write_text", "write_bytes", "savefig", "save", "savez", "savez_compressed", "tofile"}


def unsafe_writes(path: Path) -> list[str]:
    """Return the calls in a source file that write a file other than a temporary one (``temporary``, ``buffer``)."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func, target = node.func, None
        if isinstance(func, ast.Attribute) and func.attr in {"write_text", "write_bytes"}:
            target = func.value
        elif isinstance(func, ast.Attribute) and func.attr in WRITERS and node.args:
            target = node.args[0]
        elif isinstance(func, ast.Name) and func.id == "open" and len(node.args) > 1:
            mode = node.args[1]
            if isinstance(mode, ast.Constant) and set(str(mode.value)) & set("wax+"):
                target = node.args[0]
        else:
            continue
        if target is not None and not (isinstance(target, ast.Name) and target.id in {"temporary", "buffer"}):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:80]}")
    return found


def test_every_writer_writes_through_a_temporary_file() -> None:
    """The package and the scripts write files only through safe_files' atomic helpers (a source check)."""
    sources = sorted((ROOT / "lenet_explain").rglob("*.py")) + sorted((ROOT / "scripts").glob("*.py"))
    found = [line for path in sources if path.name != "safe_files.py" for line in unsafe_writes(path)]
    assert found == []
