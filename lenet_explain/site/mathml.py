"""LaTeX to MathML at build time (latex2mathml), so the site shows formulas with no JavaScript and no CDN.

Pages write ``$…$`` and ``$$…$$``; pymdownx.arithmatex (generic mode) wraps them as
``<span class="arithmatex">\\(…\\)</span>`` and ``<div class="arithmatex">\\[…\\]</div>``, and
:func:`convert_math_html` (run by the site hook) turns those into ``<math>`` elements.
"""

from __future__ import annotations

import html
import re

_INLINE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.DOTALL)
_BLOCK = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.DOTALL)
# Notebook pages (mkdocs-jupyter): raw $…$ in the HTML, and a MathJax loader we do not want.
_PROTECTED = re.compile(r"(<(pre|code|script|style|math)\b.*?</\2>)", re.DOTALL | re.IGNORECASE)
_NB_BLOCK = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
_NB_INLINE = re.compile(r"(?<![\\$\w])\$(?=\S)([^$<>]+?)(?<=\S)\$(?![\w$])")
_MATHJAX = re.compile(r'<script src="[^"]*">\s*</script>\s*(?=<!-- MathJax configuration -->)|'
                      r'<script type="text/x-mathjax-config">.*?</script>|<script src="">\s*</script>',
                      re.DOTALL)


def latex_to_mathml(latex: str, display: bool = False) -> str:
    """Return ``latex`` as a MathML ``<math>`` element (``display`` for a centred block)."""
    from latex2mathml.converter import convert

    mathml = convert(latex.strip(), display="block" if display else "inline")
    label = html.escape(latex.strip(), quote=True)
    return mathml.replace("<math ", f'<math alttext="{label}" ', 1)


def convert_math_html(page_html: str) -> str:
    """Replace arithmatex's inline and block wrappers in ``page_html`` with MathML."""
    page_html = _BLOCK.sub(
        lambda m: f'<div class="lx-math">{latex_to_mathml(html.unescape(m.group(1)), display=True)}</div>',
        page_html,
    )
    return _INLINE.sub(lambda m: latex_to_mathml(html.unescape(m.group(1))), page_html)


def convert_notebook_math(page_html: str) -> str:
    """Replace ``$$…$$`` and ``$…$`` of a notebook page with MathML (not inside code) and drop MathJax's loader."""
    page_html = _MATHJAX.sub("", page_html)
    parts = _PROTECTED.split(page_html)
    out = []
    # split() with two groups yields: text, whole protected element, its tag name, text, ...
    for i in range(0, len(parts), 3):
        text = parts[i]
        text = _NB_BLOCK.sub(lambda m: latex_to_mathml(html.unescape(m.group(1)), display=True), text)
        text = _NB_INLINE.sub(lambda m: latex_to_mathml(html.unescape(m.group(1))), text)
        out.append(text)
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out)
