"""Shared fixtures: the built site, a local static server and headless Chromium."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import subprocess
import sys
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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the site once per session with ``mkdocs build --strict``; return its folder."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert result.returncode == 0, f"mkdocs build failed:\n{result.stdout}\n{result.stderr}"
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
        host = urlparse(url).hostname or ""
        if url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
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
