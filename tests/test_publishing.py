"""The README's publishing example, followed as written: the built site copied under /lenet/ on a static server.

The visualizer's network loads its weights, and the theme's search finds a page and opens it under the sub-path.
(Every page, with every request it makes answered and none leaving the sub-path, is checked in each of
tests/test_pages_views.py's views, which serve the site under a sub-path too.)
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SUB_PATH = "lenet"  # the README's example: https://example.org/lenet/


def free_port() -> int:
    """Return a TCP port that was free on 127.0.0.1 a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def sub_path_url(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``cp -r site www/lenet`` and ``python3 -m http.server --directory www``, as the README says; yield its URL."""
    www = tmp_path_factory.mktemp("www")
    shutil.copytree(built_site, www / SUB_PATH)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(www)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/{SUB_PATH}/"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    assert response.status == 200
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail(f"the static server never answered at {url}")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_visualizer_network_loads_under_the_sub_path(page: Any, sub_path_url: str) -> None:
    """The weights are fetched relative to the script, checked against the manifest, and the network runs."""
    page.goto(sub_path_url + "visualizer/", wait_until="load")
    page.wait_for_function("document.getElementById('lv-root').dataset.ready !== 'false'", timeout=30_000)
    assert page.evaluate("document.getElementById('lv-root').dataset.ready") == "true"
    total = page.evaluate(
        "async () => { await window.lenet.ready;"
        " const r = window.lenet.forward(new Float32Array(28 * 28));"
        " return Array.from(r.probabilities).reduce((a, b) => a + b, 0); }"
    )
    assert total == pytest.approx(1, abs=1e-4)


def test_search_finds_a_page_and_opens_it_under_the_sub_path(page: Any, sub_path_url: str) -> None:
    """The theme's search worker and index load from the sub-path; a result opens a page under it."""
    page.goto(sub_path_url, wait_until="networkidle")
    page.locator(".md-search__input").focus()
    # "Initializing search" turns into "Type to start searching" once the worker has loaded the index
    page.wait_for_function(
        "() => !document.querySelector('.md-search-result__meta').textContent.includes('Initializing')",
        timeout=60_000,
    )
    page.locator(".md-search__input").press_sequentially("pooling")  # the theme listens to keys
    result = page.locator('.md-search-result__item a[href*="pooling/"]').first  # other pages mention pooling too
    result.wait_for(timeout=30_000)
    result.click()
    page.wait_for_load_state("load")
    assert page.url.startswith(sub_path_url + "pooling/"), page.url
