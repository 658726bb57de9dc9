"""mkdocs hooks (``hooks: [lenet_explain/site/hooks.py]``): the figures and the formulas of the site.

- ``on_files`` draws every figure of :data:`lenet_explain.site.figures.FIGURES` as ``figures/<name>.svg``
  and, for a figure with a phone layout, ``figures/<name>-narrow.svg`` (generated files: nothing is written to
  docs/). Drawing is cached in ``.cache/figures`` keyed by a hash of the package's sources, the reference model,
  the example pictures and matplotlib's version, so a rebuild with the same inputs is fast.
- ``on_post_build`` makes ``404.html`` work under any sub-path (see :func:`relocatable_404`).
- ``on_page_content`` turns the ``$…$`` / ``$$…$$`` that pymdownx.arithmatex marked into MathML; on a
  notebook page (mkdocs-jupyter) it converts the raw ``$…$`` outside code and removes the MathJax loader.
- ``on_page_content`` also drops nbconvert's Mermaid loader from notebook pages: it imports Mermaid from a
  CDN when a notebook has diagrams (ours has none), and the site loads nothing from another host; and it gives
  each image a notebook draws the alt text of its cell (``alt`` in the cell's metadata, in the notebook's
  language), where nbconvert writes "No description has been provided for this image".
- The interactive pages' word tables (``docs/i18n/``: i18n.js, en.js, zh.js) are ES modules that each page's
  module imports: nothing is injected into the pages.
"""

from __future__ import annotations

import hashlib
import html as html_text
import json
import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from lenet_explain.safe_files import write_text_atomically
from lenet_explain.site.i18n import DEFAULT_LANGUAGE
from lenet_explain.site.mathml import convert_math_html, convert_notebook_math
from lenet_explain.site.segment_breaks import remove_segment_breaks

log = logging.getLogger("mkdocs.hooks.lenet_explain")
PACKAGE = Path(__file__).resolve().parents[1]
# What the figures are drawn from: every module of these subpackages (a new module is covered too) and the model.
FIGURE_SOURCES = ("site/*.py", "calculator/*.py", "walkthrough/*.py", "data/lenet5_mnist.keras")


def figures_key() -> str:
    """Return a hash of everything the figures depend on (sources, model, example pictures, matplotlib)."""
    import matplotlib

    from lenet_explain.site.learn_data import PLATEAU_FILE
    from lenet_explain.site.model_answers import EXAMPLES_DIR

    digest = hashlib.sha256(matplotlib.__version__.encode())
    for pattern in FIGURE_SOURCES:
        for source in sorted(PACKAGE.glob(pattern)):
            digest.update(source.relative_to(PACKAGE).as_posix().encode() + b"\0" + source.read_bytes())
    for picture in sorted(EXAMPLES_DIR.glob("*")):
        digest.update(picture.read_bytes())
    digest.update(PLATEAU_FILE.read_bytes())  # the learn page's measurements (scripts/measure_plateau.py)
    digest.update((PACKAGE.parent / "docs" / "lab" / "lab_data.json").read_bytes())  # the lab's figure is drawn from it
    return digest.hexdigest()[:16]


def figure_svgs(cache_dir: Path | None, language: str = "en") -> dict[str, str]:
    """Return every figure file's SVG by file stem, words in ``language``, drawn now or read from ``cache_dir``."""
    from lenet_explain.site.figures import figure_files, render_figure

    folder = cache_dir / figures_key() / language if cache_dir is not None else None
    svgs = {}
    for stem, (name, narrow) in figure_files().items():
        cached = folder / f"{stem}.svg" if folder is not None else None
        if cached is not None and cached.exists():
            svgs[stem] = cached.read_text(encoding="utf-8")
            continue
        svgs[stem] = render_figure(name, narrow, language)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomically(cached, svgs[stem])
    return svgs


def build_language(config: Any) -> str:
    """Return the language this build pass writes: mkdocs-static-i18n sets the theme's language per pass."""
    language = str(config["theme"].get("language", DEFAULT_LANGUAGE))
    return "zh" if language.lower().startswith("zh") else DEFAULT_LANGUAGE


def figure_path(stem: str, language: str = DEFAULT_LANGUAGE) -> str:
    """Return where a figure file is served from the site's root: ``figures/x.svg``, ``zh/figures/x.svg``."""
    prefix = "" if language == DEFAULT_LANGUAGE else f"{language}/"
    return f"{prefix}figures/{stem}.svg"


@event_priority(-110)  # after mkdocs-static-i18n (-100), which rebuilds the file list and drops no generated file
def on_files(files: Files, config: Any) -> Files:
    """Add the generated figures, drawn with this build pass's words, to the site's files."""
    cache_dir = Path(config["config_file_path"]).resolve().parent / ".cache" / "figures"
    language = build_language(config)
    for name, svg in figure_svgs(cache_dir, language).items():
        file = File.generated(config, f"figures/{name}.svg", content=svg)
        file.dest_uri = figure_path(name, language)  # each language's pass writes its own copy
        files.append(file)
    return files


_MERMAID_LOADER = re.compile(r"<script type=\"module\">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*</script>", re.S)


def drop_cdn_loaders(html: str) -> str:
    """Remove nbconvert's Mermaid loader (a module script that imports Mermaid from a CDN)."""
    return _MERMAID_LOADER.sub("", html)


NO_ALT = 'alt="No description has been provided for this image"'  # what nbconvert writes for an image without one


def notebook_alts(path: Path) -> list[str]:
    """Return the alt text of every image a notebook's stored outputs show, in order: its cell's ``alt``."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    alts = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            if any(kind.startswith("image/") for kind in output.get("data", {})):
                alt = cell.get("metadata", {}).get("alt", "")
                if not alt.strip():
                    source = "".join(cell["source"])[:80]
                    raise RuntimeError(f"{path.name}: a cell draws an image and has no 'alt' in its metadata: {source}")
                alts.append(alt)
    return alts


def add_notebook_alts(html: str, path: Path) -> str:
    """Give each image of a rendered notebook the alt text of the cell that drew it (:func:`notebook_alts`)."""
    alts = notebook_alts(path)
    parts = html.split(NO_ALT)
    if len(parts) - 1 != len(alts):
        raise RuntimeError(f"{path.name}: {len(parts) - 1} images without alt text on the page, {len(alts)} in the "
                           "notebook's outputs")
    return parts[0] + "".join(f'alt="{html_text.escape(alt, quote=True)}"{part}'
                              for alt, part in zip(alts, parts[1:], strict=True))


def on_page_content(html: str, page: Any, config: Any, files: Files) -> str:
    """Turn the page's LaTeX into MathML (arithmatex's marks; a notebook's raw ``$…$``) and drop the line breaks
    between two Chinese characters (:mod:`~lenet_explain.site.segment_breaks`), in Markdown pages and notebooks;
    a notebook's images get their cells' alt texts."""
    if page.file.src_uri.endswith(".ipynb"):
        html = add_notebook_alts(html, Path(page.file.abs_src_path))
        return remove_segment_breaks(drop_cdn_loaders(convert_notebook_math(html)))
    return remove_segment_breaks(convert_math_html(html))


# Find the site's root from wherever the 404 page is served: the longest prefix of the address under which the
# theme's script (a hashed file name, unique to this build) exists. Runs before any stylesheet is requested.
_ROOT_FINDER = """<script>(function () {
  var probe = %s, parts = location.pathname.split("/").slice(0, -1);
  for (var n = parts.length; n > 0; n--) {
    var root = parts.slice(0, n).join("/") + "/";
    try {
      var request = new XMLHttpRequest();
      request.open("HEAD", root + probe, false);
      request.send();
      if (request.status === 200) break;
    } catch (error) { root = "/"; break; }
  }
  var base = document.createElement("base");
  base.href = root || "/";
  document.head.appendChild(base);
  window.lxSiteRoot = base.href;
})();</script>"""
# The theme resolves its configuration against the page's address, not <base>: give it the site's root.
_CONFIG_PATCH = """<script>(function () {
  var element = document.getElementById("__config"), config = JSON.parse(element.textContent);
  config.base = window.lxSiteRoot;
  config.search = new URL(config.search, window.lxSiteRoot).href;
  element.textContent = JSON.stringify(config);
})();</script>"""


def relocatable_404(html: str) -> str:
    """Make the 404 page work under any sub-path: root-relative links become relative to a computed ``<base>``.

    mkdocs writes the 404 page with links from the server's root (``/assets/…``), right only when the site is
    served at ``/``. A host serving it under ``/course/lenet/`` (GitHub Pages' project sites, for one) shows it
    for ``/course/lenet/no/such/page``; the links are made relative and a small script in ``<head>`` sets
    ``<base href>`` to the site's root, found by asking the server for the theme's hashed script.
    """
    probe = re.search(r'src="/(assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"', html)
    if probe is None:
        raise RuntimeError("404.html: no theme script found to locate the site's root")
    html = re.sub(r'((?:href|src)=")/(?!/)', r"\1", html)  # root-relative → relative to <base>
    html = html.replace('href="."', 'href="./"')
    html = re.sub(r'("search":\s*")/', r"\1", html)
    config_end = html.index("</script>", html.index('id="__config"')) + len("</script>")
    html = html[:config_end] + _CONFIG_PATCH + html[config_end:]
    head = html.index("<head>") + len("<head>")
    return html[:head] + _ROOT_FINDER % f'"{probe[1]}"' + html[head:]


def on_post_build(config: Any) -> None:
    """Rewrite 404.html so that it works when the site is served under a sub-path."""
    page = Path(config["site_dir"]) / "404.html"
    if page.exists():
        write_text_atomically(page, relocatable_404(page.read_text(encoding="utf-8")))

