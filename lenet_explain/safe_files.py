"""Read and write files so that no input can hang a command or fill the memory.

- Only regular files are read: a FIFO, a device (``/dev/zero``), a socket or a folder, directly or through a
  symbolic link, is refused at once (opened without blocking, then checked with ``fstat``).
- Reads stop at a stated limit instead of reading whole streams; zip archives are checked (number of members,
  inflated sizes) before anything is inflated.
- Output paths are checked before long work starts, so a failed write never throws away minutes of work.
- Every file is written atomically (:func:`replacing`): into a temporary file beside it, renamed into place only
  when complete, so a full disk or a crash leaves what was there before byte for byte.

Every refusal is a :class:`LenetError` with a short reason; callers put the file's name in front.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from lenet_explain.errors import LenetError
from lenet_explain.limits import format_limit_bytes

if TYPE_CHECKING:  # zipfile and tempfile are imported where they are used: the calculator's cold start stays quick
    import zipfile

_KINDS = (
    (stat.S_ISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a regular file"),
    (stat.S_ISCHR, "is a device, not a regular file"),
    (stat.S_ISBLK, "is a device, not a regular file"),
    (stat.S_ISSOCK, "is a socket, not a regular file"),
)


def os_reason(error: OSError) -> str:
    """Return an OS error as a short lower-case reason: ``no such file``, ``permission denied``, …"""
    if error.errno == errno.ENOENT:
        return "no such file"
    text = os.strerror(error.errno) if error.errno else str(error)
    return text[:1].lower() + text[1:]


def file_argument(text: str) -> str:
    """Return a file name typed on the command line (an argparse type); an empty one is refused, not read as '.'."""
    if not text:
        import argparse

        raise argparse.ArgumentTypeError("an empty name is not a file")
    return text


def path_argument(text: str) -> Path:
    """Return :func:`file_argument`'s name as a Path."""
    return Path(file_argument(text))


def kind_problem(mode: int) -> str | None:
    """Return why a file of this ``st_mode`` is not a regular file, or None when it is one."""
    for test, reason in _KINDS:
        if test(mode):
            return reason
    return None if stat.S_ISREG(mode) else "is not a regular file"


def _kind_of(path: Path | str) -> str | None:
    """Return why ``path`` is not a regular file when it cannot be opened (a socket says ENXIO), else None."""
    try:
        return kind_problem(os.stat(path).st_mode)
    except (OSError, ValueError):
        return None


def open_regular(path: Path | str) -> BinaryIO:
    """Open a regular file for reading; refuse anything else without ever blocking."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise LenetError(_kind_of(path) or os_reason(error)) from None
    except ValueError as error:  # an embedded NUL character
        raise LenetError(str(error)) from None
    try:
        problem = kind_problem(os.fstat(fd).st_mode)
        if problem:
            raise LenetError(problem)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def too_big(size: int, limit: int, what: str, exact: bool = True) -> LenetError:
    """Return the error for a file over its limit, the limit stated."""
    told = f"{size:,} bytes" if exact else f"more than {format_limit_bytes(limit)}"
    return LenetError(f"is {told}; {what} are limited to {format_limit_bytes(limit)}")


def read_limited(path: Path | str, limit: int, what: str) -> bytes:
    """Return a regular file's bytes, refusing one larger than ``limit`` (``what`` names the kind of file)."""
    with open_regular(path) as file:
        size = os.fstat(file.fileno()).st_size
        if size > limit:
            raise too_big(size, limit, what)
        try:
            data = file.read(limit + 1)  # a file that grows (or a /proc file that says 0) stops here
        except OSError as error:
            raise LenetError(f"cannot read: {os_reason(error)}") from None
    if len(data) > limit:
        raise too_big(len(data), limit, what, exact=False)
    return data


_END = b"PK\x05\x06"  # the end of central directory record (22 bytes, then a comment)
_END64 = b"PK\x06\x06"  # the zip64 end record (56 bytes), just before its locator
_LOCATOR64 = b"PK\x06\x07"  # the zip64 end record's locator (20 bytes), just before the end record
_ENTRY = b"PK\x01\x02"  # one central directory entry (46 bytes, then its name, extra field and comment)


def check_member_name(raw: bytes, utf8: bool) -> None:
    """Refuse a member name that points outside the archive (``../``, ``/etc``, ``C:``, backslashes): no archive
    Keras writes has one, and extracting it would only skip it with a warning."""
    name = raw.decode("utf-8" if utf8 else "cp437", "replace")
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or ".." in parts or (len(name) > 1 and name[1] == ":"):
        raise LenetError(f"has a file named {name!r}, a path outside the archive; a .keras archive never has one")


def zip_directory(file: BinaryIO, max_members: int) -> tuple[int, int, int] | None:
    """Return (members declared, directory start, directory size) of a zip file, or None when it has no end record.

    Reads what :mod:`zipfile` will read, the way it finds it (the directory ends where the end record, or the zip64
    end record, begins), and refuses at once a directory that runs before the file's start, or that holds more
    entries than its end record declares or than ``max_members``: the walk stops there, so a directory of
    millions of entries costs no more than one of ``max_members``.
    """
    import struct

    size = file.seek(0, os.SEEK_END)
    tail_size = min(size, 65535 + 22)
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    at = tail.rfind(_END)
    if at < 0 or len(tail) - at < 22:
        return None
    end_at = size - tail_size + at
    count, directory_size = struct.unpack("<HI", tail[at + 10 : at + 16])
    directory_end = end_at
    if end_at >= 20 + 56:
        file.seek(end_at - 20 - 56)
        record, locator = file.read(56), file.read(20)
        if locator[:4] == _LOCATOR64 and record[:4] == _END64:  # zip64: the real numbers are in its end record
            count, directory_size = struct.unpack("<QQ", record[32:48])
            directory_end = end_at - 20 - 56
    if count > max_members:
        raise LenetError(f"has {count:,} files inside; an archive here holds at most {max_members}")
    start = directory_end - directory_size
    if start < 0:
        raise LenetError(f"not a readable zip archive (its directory of {directory_size:,} bytes is larger than "
                         f"the file)")
    found, position = 0, start
    while position < directory_end:
        file.seek(position)
        header = file.read(46)
        if len(header) < 46 or header[:4] != _ENTRY:
            break  # zipfile stops here too, with its own error
        found += 1
        if found > max_members:
            raise LenetError(f"has more than {max_members} files inside; an archive here holds at most "
                             f"{max_members}")
        if found > count:
            raise LenetError(f"not a readable zip archive (its directory holds more entries than the {count:,} "
                             f"its end record declares)")
        name_size, extra_size, comment_size = struct.unpack("<HHH", header[28:34])
        check_member_name(file.read(name_size), utf8=bool(struct.unpack("<H", header[8:10])[0] & 0x800))
        position += 46 + name_size + extra_size + comment_size
    file.seek(0)
    return count, start, directory_size


def open_archive(file: BinaryIO, max_members: int) -> zipfile.ZipFile:
    """Open a zip archive after checking (:func:`zip_directory`) that it has at most ``max_members`` members."""
    import zipfile

    zip_directory(file, max_members)  # refuses an archive with too many members before zipfile reads them all
    try:
        return zipfile.ZipFile(file)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise LenetError(f"not a readable zip archive ({error})") from None  # NotImplementedError: a zip version


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """Return one member of an archive, refusing one that inflates to more than ``limit`` bytes."""
    import zipfile
    import zlib

    try:
        info = archive.getinfo(name)
    except KeyError:
        raise LenetError(f"has no {name}") from None
    if info.file_size > limit:
        raise LenetError(f"its {name} inflates to {info.file_size:,} bytes; the limit is {format_limit_bytes(limit)}")
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError, zlib.error) as error:
        raise LenetError(f"cannot inflate its {name} ({error})") from None
    if len(data) > limit:
        raise LenetError(f"its {name} inflates to more than {format_limit_bytes(limit)}, the limit")
    return data


def check_writable(path: Path) -> None:
    """Refuse an output path that cannot be written, before any long work starts.

    Tries for real (a temporary file in the folder, removed at once), so it is right for every user,
    root included, and on read-only file systems. Creates the folder if it is missing, as the write would.
    """
    import tempfile

    try:
        existing = os.stat(path)
    except FileNotFoundError:
        existing = None
    except OSError as error:
        raise LenetError(f"{path}: cannot write there: {os_reason(error)}") from None
    except ValueError as error:
        raise LenetError(f"{path}: {error}") from None
    if existing is not None:
        problem = kind_problem(existing.st_mode)
        if problem:
            raise LenetError(f"{path}: {problem}")
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".lenet-explain-", dir=folder)
        os.close(handle)
        os.unlink(probe)
        if existing is not None:
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))  # opening does not truncate
    except OSError as error:
        raise LenetError(f"{path}: cannot write there: {os_reason(error)}") from None


def _new_file_mode() -> int:
    """Return the mode a newly created file gets (0o666 less the umask), as ``open`` would give it."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _temporary_beside(path: Path) -> Path:
    """Create an empty temporary file in ``path``'s folder, ending in its suffix (writers choose formats by it)."""
    import tempfile

    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix or ".tmp", dir=path.parent)
    os.close(handle)
    try:
        mode = os.stat(path).st_mode & 0o7777  # an existing file keeps its permissions
    except OSError:
        mode = _new_file_mode()
    os.chmod(name, mode)
    return Path(name)


def _sync_file(path: Path) -> None:
    """Flush a written file's data to the disk (so a crash after the rename cannot leave it empty)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def replacing(*paths: Path) -> Iterator[list[Path]]:
    """Yield a temporary path beside each of ``paths``; when the block ends well, rename them all into place.

    Writers write the temporary files; if any write fails (a full disk, an error, Ctrl-C), every temporary file is
    removed and the files at ``paths`` are left as they were. Several paths are renamed together at the end, so a
    failure in the last write leaves none of them half-new.
    """
    temporaries: list[Path] = []
    try:
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporaries.append(_temporary_beside(path))
        yield temporaries
        for temporary in temporaries:
            _sync_file(temporary)
        for temporary, path in zip(temporaries, paths, strict=True):
            os.replace(temporary, path)
    except BaseException:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(temporary)`` and rename the temporary file to ``path`` once it is complete; return ``path``."""
    with replacing(path) as (temporary,):
        write(temporary)
    return path


def write_bytes_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically."""
    return write_atomically(path, lambda temporary: temporary.write_bytes(data))


def write_text_atomically(path: Path, text: str) -> Path:
    """Write ``text`` to ``path`` atomically, in UTF-8."""
    return write_atomically(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))
