"""Every page in headless Chromium: it loads offline with no console error, and what it shows really renders."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from lenet_explain.site import explainer as ex

pytestmark = [pytest.mark.browser, pytest.mark.site, pytest.mark.slow]

# (path, screenshot name, title shown in the page's h1)
PAGES = [
    ("", "home", "LeNet-5 Explained"),
    ("history/", "history", "History"),
    ("convolution/", "convolution", "Convolution"),
    ("pooling/", "pooling", "Pooling"),
    ("activation/", "activation", "Activation and deep stacking"),
    ("output-size/", "output-size", "Output size, stride and padding"),
    ("parameters/", "parameters", "Parameters"),
    ("references/", "references", "References"),
]


ROOT = Path(__file__).resolve().parent.parent


def nav_pages() -> list[str]:
    """Return the URL path of every page in mkdocs.yml's nav that is not one of this file's PAGES."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    paths = []
    for item in config["nav"]:
        source = str(next(iter(item.values())))
        stem = source.rsplit(".", 1)[0].removesuffix("/index")
        path = "" if source == "index.md" else stem + "/"
        if path not in {p[0] for p in PAGES}:
            paths.append(path)
    return paths


@pytest.mark.parametrize("path", nav_pages())
def test_other_nav_pages_load_offline(page: Any, site_url: str, screenshot: Any, path: str) -> None:
    """Every other page of the nav (walkthrough, visualizer, calculator, ...) loads with no error or remote request."""
    response = page.goto(site_url + path, wait_until="load")
    assert response is not None and response.ok
    assert page.locator("h1").count() >= 1
    screenshot(page, "nav-" + path.strip("/").replace("/", "-"))


@pytest.mark.parametrize(("path", "name", "title"), PAGES, ids=[p[1] for p in PAGES])
def test_page_loads_and_renders(page: Any, site_url: str, screenshot: Any, path: str, name: str, title: str) -> None:
    """The page loads from 127.0.0.1 only, its figures load, its formulas take up space; a screenshot is saved."""
    response = page.goto(site_url + path, wait_until="load")
    assert response is not None and response.ok
    assert page.locator("h1").first.inner_text().startswith(title)
    broken = page.evaluate(
        "() => [...document.querySelectorAll('article img')]"
        ".filter(i => !i.complete || i.naturalWidth === 0 || !i.alt).map(i => i.src)"
    )
    assert broken == []
    sizes = page.evaluate(
        "() => [...document.querySelectorAll('article math')].map(m => m.getBoundingClientRect())"
        ".map(r => [r.width, r.height])"
    )
    assert all(w > 0 and h > 0 for w, h in sizes), sizes
    path_png = screenshot(page, f"{name}-light")
    assert path_png.stat().st_size > 10_000


def test_formulas_are_typeset_as_math(page: Any, site_url: str) -> None:
    """Chromium lays MathML out as math: a block fraction is taller than a line of text."""
    page.goto(site_url + "output-size/", wait_until="load")
    heights = page.evaluate(
        "() => [...document.querySelectorAll('article math[display=block]')]"
        ".map(m => m.getBoundingClientRect().height)"
    )
    line = page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('article p')).lineHeight)"
    )
    assert heights and max(heights) > line


def test_matrices_are_tables_with_ink(page: Any, site_url: str) -> None:
    """The X is a real HTML table whose +1 cells are shaded dark, the lecture's map a table of its values."""
    page.goto(site_url + "convolution/", wait_until="load")
    ink = page.locator("#image-x td.lx-ink")
    assert ink.count() == int((ex.draw_x() == 1).sum())
    colour = ink.first.evaluate("td => getComputedStyle(td).backgroundColor")
    assert colour == "rgb(34, 34, 34)"
    first = page.locator("#map-backslash-lecture td").first.inner_text()
    exact = ex.feature_map_exact(ex.draw_x(), ex.draw_features()["backslash"])
    assert first == ex.format_lecture(exact[0][0])


def test_dark_mode_toggle(page: Any, site_url: str, screenshot: Any) -> None:
    """The palette toggle switches to the dark scheme; figures stay on a white card."""
    page.emulate_media(color_scheme="light")
    page.goto(site_url + "pooling/", wait_until="load")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    page.locator("label[title='Switch to dark mode']").first.click()
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    background = page.locator("figure.lx-figure img").first.evaluate("i => getComputedStyle(i).backgroundColor")
    assert background == "rgb(255, 255, 255)"
    screenshot(page, "pooling-dark")


def test_search_works_offline(page: Any, site_url: str) -> None:
    """The search box finds a page from the locally built index."""
    page.goto(site_url, wait_until="load")
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("pooling", delay=50)
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    assert page.locator(".md-search-result__item").count() > 0
