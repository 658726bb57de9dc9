"""mkdocs hooks (``hooks: [lenet_explain/site/hooks.py]``): the figures and the formulas of the site.

- ``on_files`` draws every figure of :data:`lenet_explain.site.figures.FIGURES` as ``figures/<name>.svg``
  (generated files: nothing is written to docs/). Drawing is cached in ``.cache/figures`` keyed by a
  hash of the package's sources and matplotlib's version, so a rebuild with the same code is fast.
- ``on_page_content`` turns the ``$…$`` / ``$$…$$`` that pymdownx.arithmatex marked into MathML; on a
  notebook page (mkdocs-jupyter) it converts the raw ``$…$`` outside code and removes the MathJax loader.
- ``on_page_content`` also drops nbconvert's Mermaid loader from notebook pages: it imports Mermaid from a
  CDN when a notebook has diagrams (ours has none), and the site loads nothing from another host.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from lenet_explain.site.mathml import convert_math_html, convert_notebook_math

log = logging.getLogger("mkdocs.hooks.lenet_explain")
PACKAGE = Path(__file__).resolve().parents[1]
FIGURE_SOURCES = ("site/figures.py", "site/explainer.py", "calculator/arithmetic.py", "calculator/formatting.py",
                  "calculator/layers.py", "calculator/stacks.py", "calculator/bitmaps.py")


def figures_key() -> str:
    """Return a hash of everything the figures depend on (package sources, matplotlib's version)."""
    import matplotlib

    digest = hashlib.sha256(matplotlib.__version__.encode())
    for name in FIGURE_SOURCES:
        digest.update((PACKAGE / name).read_bytes())
    return digest.hexdigest()[:16]


def figure_svgs(cache_dir: Path | None) -> dict[str, str]:
    """Return every site figure's SVG, drawn now or read from ``cache_dir`` when the sources are unchanged."""
    from lenet_explain.site.figures import FIGURES, render_figure

    folder = cache_dir / figures_key() if cache_dir is not None else None
    svgs = {}
    for name in FIGURES:
        cached = folder / f"{name}.svg" if folder is not None else None
        if cached is not None and cached.exists():
            svgs[name] = cached.read_text(encoding="utf-8")
            continue
        svgs[name] = render_figure(name)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_text(svgs[name], encoding="utf-8")
    return svgs


def on_files(files: Files, config: Any) -> Files:
    """Add the generated figures to the site's files."""
    cache_dir = Path(config["config_file_path"]).resolve().parent / ".cache" / "figures"
    for name, svg in figure_svgs(cache_dir).items():
        files.append(File.generated(config, f"figures/{name}.svg", content=svg))
    return files


_MERMAID_LOADER = re.compile(r"<script type=\"module\">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*</script>", re.S)


def drop_cdn_loaders(html: str) -> str:
    """Remove nbconvert's Mermaid loader (a module script that imports Mermaid from a CDN)."""
    return _MERMAID_LOADER.sub("", html)


def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    """Turn the page's LaTeX into MathML (arithmatex's marks; a notebook's raw ``$…$``)."""
    if page.file.src_uri.endswith(".ipynb"):
        return drop_cdn_loaders(convert_notebook_math(html))
    return convert_math_html(html)
