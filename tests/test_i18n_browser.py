"""The Chinese edition in a real browser: the language switcher goes to the same page, Chinese characters are drawn
with a real font (not empty boxes) and nothing is set in italics. Its search is checked with the English one's in
tests/test_search.py."""

from __future__ import annotations

from typing import Any

import pytest


def test_the_language_switcher_goes_to_the_same_page(page: Any, site_url: str) -> None:
    """From the English pooling page the switcher's 中文 opens the Chinese pooling page, and English comes back."""
    page.goto(site_url + "pooling/", wait_until="load")
    page.locator(".md-header__option .md-select").hover()
    page.get_by_role("link", name="中文").click()
    page.wait_for_url(site_url + "zh/pooling/")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    assert "池化" in page.locator("h1").inner_text()
    page.locator(".md-header__option .md-select").hover()
    page.get_by_role("link", name="English").click()
    page.wait_for_url(site_url + "pooling/")
    assert page.evaluate("document.documentElement.lang") == "en"


# Draw a character in the font the page's text uses, and the same for a code point no font has (the
# "missing glyph" box). Real glyphs differ from that box and from each other; boxes are all alike.
GLYPHS_JS = """(chars) => {
  const font = getComputedStyle(document.querySelector('article p')).font;
  const draw = (text) => {
    const canvas = document.createElement('canvas');
    canvas.width = 64; canvas.height = 64;
    const context = canvas.getContext('2d');
    context.font = font.replace(/\\d+(\\.\\d+)?px/, '40px');
    context.fillStyle = '#000';
    context.fillText(text, 4, 48);
    return Array.from(context.getImageData(0, 0, 64, 64).data.filter((_, i) => i % 4 === 3)).join(',');
  };
  return {font, missing: draw('\\u{10FFFD}'), drawn: chars.map(draw)};
}"""


# The elements with text of their own that the browser draws slanted (italic or oblique), formulas and code excepted
# (a formula's variables are italic in every language; the highlighter slants code comments).
ITALIC_JS = """() => [...document.querySelectorAll('body *')].filter((element) => {
  if (element.closest('math, pre, code, script, style, svg')) return false;
  const style = getComputedStyle(element);
  return style.fontStyle !== 'normal' && style.display !== 'none'
    && [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
}).map((element) => `${element.tagName.toLowerCase()}: ${element.textContent.trim().slice(0, 40)}`)"""


@pytest.mark.parametrize("path", ["zh/", "zh/convolution/", "zh/glossary/"])
def test_chinese_characters_are_drawn_with_a_real_font(page: Any, site_url: str, screenshot: Any, path: str) -> None:
    """The page's own font stack draws 卷, 积, 池 and 化 as four different glyphs, none of them a missing-glyph box;
    no caption or emphasis is set in italics (Chinese typesetting has none: emphasis dots instead)."""
    page.goto(site_url + path, wait_until="load")
    assert page.evaluate(ITALIC_JS) == [], path
    if path == "zh/convolution/":  # figures' captions, which the theme slants; and emphasis, which the browser does
        assert page.locator("article figcaption").count()
        slant = page.evaluate("""() => { const em = document.createElement('em'); em.textContent = '着重';
          document.querySelector('article p').append(em); const style = getComputedStyle(em).fontStyle;
          em.remove(); return style; }""")
        assert slant == "normal", slant
    page.evaluate("() => document.fonts.ready")
    result = page.evaluate(GLYPHS_JS, ["卷", "积", "池", "化"])
    drawn = result["drawn"]
    assert len(set(drawn)) == len(drawn), f"two characters look alike (boxes?) in {result['font']}"
    assert result["missing"] not in drawn, f"a character is drawn as the missing-glyph box in {result['font']}"
    assert all(any(v != "0" for v in glyph.split(",")) for glyph in drawn), "a character is blank"
    screenshot(page, f"{path.strip('/').replace('/', '-')}-glyphs")
