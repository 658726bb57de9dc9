"""HTML for the pages: tables, matrices, figures and ``<pre>`` blocks, escaped, with the site's classes."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path

_NUMBER = re.compile(r"^[−+-]?[\d,]*\.?\d+(/\d+)?…?$")
FIGURE_CACHE = Path(__file__).resolve().parents[2] / ".cache" / "figures"


def _classes(*names: str) -> str:
    """Return a class attribute value from names, skipping empty ones."""
    return " ".join(n for name in names for n in name.split())


class RawHTML(str):
    """A table cell or header that is already HTML (a link, an abbreviation): not escaped again."""


def _text(value: object) -> str:
    """Return a cell's HTML: escaped text, or :class:`RawHTML` as it is."""
    return value if isinstance(value, RawHTML) else html.escape(str(value))


def _cell(value: object, numeric: bool, wrap: bool) -> str:
    """Return one escaped ``<td>``: '+1' pixels get the ink class, number-like cells the number class."""
    text = str(value)
    names = []
    if numeric and text == "+1":
        names.append("lx-ink")
    elif numeric and _NUMBER.match(text):
        names.append("lx-num")
    if wrap:
        names.append("lx-wrap")
    kind = f' class="{" ".join(names)}"' if names else ""
    return f"<td{kind}>{_text(value)}</td>"


def render_table(rows: Iterable[Sequence[object]], header: Sequence[object] | None = None, caption: str = "",
                 id: str = "", numeric: bool = True, classes: str = "", wrap: Sequence[int] = ()) -> str:
    """Return rows of cells as an HTML table (cells escaped; with ``numeric`` number-like cells align right).

    In tables with the ``lx-layers`` class cells do not wrap, except in the columns listed in ``wrap``.
    """
    kind = "numeric" if numeric else "text"
    attrs = f' id="{html.escape(id)}"' if id else ""
    out = [f'<table class="{_classes("lx-table", f"lx-{kind}", classes)}"{attrs}>']
    if caption:
        out.append(f"<caption>{html.escape(caption)}</caption>")
    if header is not None:
        out.append("<thead><tr>" + "".join(f'<th scope="col">{_text(h)}</th>' for h in header)
                   + "</tr></thead>")
    out.append("<tbody>")
    for row in rows:
        out.append("<tr>" + "".join(_cell(c, numeric, i in wrap) for i, c in enumerate(row)) + "</tr>")
    out.append("</tbody></table>")
    table = "".join(out)
    if "lx-matrix" in classes.split():
        return table  # small, laid out side by side by .lx-matrices
    return f'<div class="lx-scroll">{table}</div>'  # scrolls inside itself on a phone, never the page


def render_matrix(rows: Sequence[Sequence[object]], caption: str = "", id: str = "", classes: str = "") -> str:
    """Return a matrix as a compact HTML table with its caption (for the side-by-side matrix rows)."""
    return render_table(rows, caption=caption, id=id, classes=f"lx-matrix {classes}".strip())


def render_figure(name: str, caption: str = "", page_url: str = "", language: str = "en") -> str:
    """Return HTML for a site figure (alt text from the figure's numbers), linked relative to ``page_url``.

    A figure with a phone layout becomes a ``<picture>``: narrow screens load ``<name>-narrow.svg``. The
    ``<img>`` carries the desktop figure's natural size, so the page does not jump while it loads. A Chinese
    page shows the figure drawn with Chinese words (``zh/figures/``).
    """
    from lenet_explain.site import figures
    from lenet_explain.site.hooks import figure_path

    spec = figures.figure_spec(name)
    alt = html.escape(figures.figure_alt(name, language), quote=True)
    up = "../" * page_url.count("/")
    width, height = figures.svg_size(figure_svg(name, language))
    img = (f'<img src="{up}{figure_path(name, language)}" alt="{alt}" width="{width:.0f}" height="{height:.0f}" '
           f'decoding="async">')
    if spec.responsive:
        narrow = name + figures.NARROW_SUFFIX
        n_width, n_height = figures.svg_size(figure_svg(narrow, language))
        img = (f'<picture><source media="{NARROW_MEDIA}" srcset="{up}{figure_path(narrow, language)}" '
               f'width="{n_width:.0f}" height="{n_height:.0f}">{img}</picture>')
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure class="lx-figure">{img}{cap}</figure>'


NARROW_MEDIA = "(max-width: 599.98px)"  # phones: the text column is at most 568 CSS px


def figure_svg(name: str, language: str = "en") -> str:
    """Return a figure's SVG in ``language`` (the build's cached copy when the hooks drew it)."""
    from lenet_explain.site.hooks import figure_svgs

    return all_figure_svgs(figure_svgs, language)[name]


@cache
def all_figure_svgs(draw: Callable[[Path | None, str], dict[str, str]], language: str = "en") -> dict[str, str]:
    """Return every figure file's SVG in ``language`` once per build."""
    return draw(FIGURE_CACHE, language)


def render_pre(text: str, classes: str = "") -> str:
    """Return text in a ``<pre>`` block, escaped."""
    return f'<pre class="{_classes("lx-pre", classes)}"><code>{html.escape(text)}</code></pre>'
