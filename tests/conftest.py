"""Shared fixtures (the built site, a local static server, headless Chromium, the lecture's text) and the tiers.

Markers tell the truth because they are derived from what a test uses, not typed beside it: a test that uses
the built site is ``site`` and ``tf`` (a site build runs Keras), one that uses Chromium is ``browser``. A test that
is none of ``tf``, ``browser``, ``site``, ``slow`` is ``fast``. ``-m fast`` runs with TensorFlow and Keras made
unimportable, in this process and in every subprocess a test starts, so a fast test that needs them fails there.
``firstrun`` tests (a fresh ``.venv``, about two minutes) run only when asked for: ``-m firstrun``.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import http.server
import importlib.abc
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from hypothesis import settings

# Few examples by default so the pure tests stay fast; the README's test command asks for "thorough".
settings.register_profile("fast", max_examples=25, deadline=None)
settings.register_profile("thorough", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

ROOT = Path(__file__).resolve().parent.parent
# The lecture's text sits in shared/seed/ beside the project (CI's clone has it there); LENET_LECTURE overrides.
LECTURE_TEXT = Path(os.environ.get("LENET_LECTURE") or ROOT.parent / "shared" / "seed" / "000_fe912d763ed4b9b3.txt")
SITE_FIXTURES = {"built_site", "site_url"}  # building the site imports TensorFlow (the pages' Keras summaries)
BROWSER_FIXTURES = {"browser", "page"}
HEAVY_MARKERS = ("tf", "browser", "site", "slow", "firstrun")
BLOCKED_MODULES = ("tensorflow", "keras", "tf_keras")
NOT_HERE = "No module named {name!r} (the fast tier runs without TensorFlow and Keras)"
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


class _BlockedImports(importlib.abc.MetaPathFinder):
    """A finder that refuses TensorFlow and Keras, as on a machine where they are not installed."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name.split(".")[0] in BLOCKED_MODULES:
            raise ModuleNotFoundError(NOT_HERE.format(name=name))


def write_stand_ins(folder: Path) -> Path:
    """Write stand-in ``tensorflow`` and ``keras`` packages that fail to import into ``folder``; return it.

    First on a subprocess's PYTHONPATH, they make TensorFlow and Keras unimportable in it.
    """
    for name in BLOCKED_MODULES:
        (folder / name).mkdir(parents=True, exist_ok=True)
        (folder / name / "__init__.py").write_text(f"raise ModuleNotFoundError({NOT_HERE.format(name=name)!r})\n")
    return folder


def block_tensorflow(folder: Path) -> None:
    """Make TensorFlow and Keras unimportable here and in subprocesses (stand-in packages first on PYTHONPATH)."""
    sys.meta_path.insert(0, _BlockedImports())
    write_stand_ins(folder)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))


def pytest_configure(config: pytest.Config) -> None:
    """With ``-m fast``, TensorFlow and Keras cannot be imported (the tier's promise is checked, not assumed)."""
    if config.getoption("markexpr", "").strip() == "fast":
        block_tensorflow(Path(tempfile.mkdtemp(prefix="lenet-no-tf-")))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test by what it uses (site → site and tf, Chromium → browser), the rest fast; drop firstrun."""
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & SITE_FIXTURES:
            item.add_marker(pytest.mark.site)
            item.add_marker(pytest.mark.tf)
        if used & BROWSER_FIXTURES:
            item.add_marker(pytest.mark.browser)
        if not any(item.get_closest_marker(name) for name in HEAVY_MARKERS):
            item.add_marker(pytest.mark.fast)
    if "firstrun" not in config.getoption("markexpr", ""):
        kept = [item for item in items if not item.get_closest_marker("firstrun")]
        if len(kept) < len(items):
            config.hook.pytest_deselected(items=[item for item in items if item.get_closest_marker("firstrun")])
            items[:] = kept


@pytest.fixture(scope="session")
def lecture_text() -> str:
    """The lecture's text, from shared/seed/ beside the project (or LENET_LECTURE); the tests that need it skip
    where it is absent, with one reason."""
    if not LECTURE_TEXT.is_file():
        pytest.skip(f"the lecture's text is not at {LECTURE_TEXT} (set LENET_LECTURE to its path)")
    return LECTURE_TEXT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the site once per test run with ``mkdocs build --strict``; return its folder.

    Under pytest-xdist every worker asks for it: the first builds it into the run's shared temporary folder while
    holding a lock, the others wait for the lock and use that build.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's folder, above each worker's own
    out, done = shared / "built-site" / "site", shared / "built-site" / "done"
    with open(shared / "built-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            result = subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
                cwd=ROOT,
                capture_output=True,
                text=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
            assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
            done.touch()
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that does not log every request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    """A server that lets a browser drop a connection (a page closed mid-download) without printing a traceback."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipeError, ConnectionResetError
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[int]:
    """Serve HTTP with ``handler`` on 127.0.0.1 (a free port) from a thread; yield the port."""
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """Serve the built site on 127.0.0.1 (a free port); yield its base URL ending in '/'."""
    with serve(functools.partial(_QuietHandler, directory=str(built_site))) as port:
        yield f"http://127.0.0.1:{port}/"


def is_local(url: str) -> bool:
    """Return whether a request for ``url`` stays on this machine (the site's own server, data: or blob:)."""
    return url.startswith(("data:", "blob:")) or (urlparse(url).hostname or "") in ("127.0.0.1", "localhost")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Launch Debian's headless Chromium through Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure_chromium.sh (or apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


class PageWatch:
    """What a page did that a test must check: console errors and requests that left 127.0.0.1."""

    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.offsite_requests: list[str] = []


@pytest.fixture()
def page(browser: object) -> Iterator[object]:
    """A fresh page that blocks and records off-site requests and records console errors.

    The test fails at teardown if the page logged a console error or tried to leave 127.0.0.1.
    """
    watch = PageWatch()
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]

    def route(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if is_local(url):
            route.continue_()  # type: ignore[attr-defined]
        else:
            watch.offsite_requests.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", route)
    new_page = context.new_page()
    new_page.on("console", lambda msg: msg.type == "error" and watch.console_errors.append(msg.text))
    new_page.on("pageerror", lambda exc: watch.console_errors.append(f"pageerror: {exc}"))
    new_page.watch = watch  # type: ignore[attr-defined]
    yield new_page
    context.close()
    assert not watch.offsite_requests, f"requests left 127.0.0.1: {watch.offsite_requests}"
    assert not watch.console_errors, f"console errors: {watch.console_errors}"


@pytest.fixture()
def screenshot() -> object:
    """Return a function ``(page, name) -> Path`` that saves a full-page screenshot to screenshots/."""

    def save(page: object, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
        return path

    return save
