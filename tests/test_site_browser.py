"""What some pages show really renders in headless Chromium: math, matrices, the dark scheme.

Every page's loading, images and formulas in four views are checked by tests/test_pages_views.py; the search, in
both languages and offline, by tests/test_search.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lenet_explain.site import explainer as ex

ROOT = Path(__file__).resolve().parent.parent


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

