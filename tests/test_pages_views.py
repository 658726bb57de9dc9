"""Every page, as a reader sees it: 1280 and 390 px, light and dark (the theme's toggle), in headless Chromium.

For each page of the nav (read from mkdocs.yml, so pages added later are checked too; it is every page built), in
English and in Chinese (its twin under /zh/), and the 404 page, served under a sub-path (/course/lenet/) by a
server that answers as GitHub Pages does:
- every request the page makes is answered and stays under the sub-path, and so do its links;
- axe-core (the copy bundled by axe-playwright-python) finds no serious or critical violation of the WCAG 2 A
  and AA rules, in every view (the colour rules at 390 px on the home pages only: colours do not change with the
  width, and the phone's own chrome is the same on every page);
- at 1280 px nothing is wider than the text column (tables and figures fit; only code blocks may scroll), and
  on a phone the page never scrolls sideways (a wide table scrolls inside itself);
- every table's caption is shown whole (it wraps within what its scroll box shows), no table cell is cut by an
  ancestor that hides what overflows it (a scroll box reaches its last column), and at 1280 px every table lies
  within the text column (not in the margins the theme lets its scroll boxes bleed into);
- every figure's text is at least 11 CSS px where it is shown, at 1280 and at 390 px, no two labels touch, and no
  raster is shrunk more than about 2×;
- a full-page screenshot is saved to screenshots/<page>-<width>-<scheme>.jpg (git-ignored) for a human to look at.
- at 1280 px in the light scheme, Tab reaches every link, button, field and scrolling region of the content (from
  the top of the home pages, through the theme's header and navigation; elsewhere from the start of the content).
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import SCREENSHOTS, is_local, serve
from conftest import _QuietHandler as QuietHandler

ROOT = Path(__file__).resolve().parent.parent
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Four views, two page loads: a page is loaded at 1280 px in the light scheme and at 390 px (a phone) in the dark
# one, and each is then switched to the other scheme with the theme's own toggle ("Switch to dark mode"), as a
# reader does: the same page with other colours, so of axe-core's rules only those about colours can answer
# differently there, and only they run again.
VIEWS = [(1280, "light"), (390, "dark")]
SCHEMES = {"light": "default", "dark": "slate"}  # the theme's names for them
COLOUR_RULES = ["color-contrast", "link-in-text-block"]  # axe-core's WCAG 2 A/AA rules that read colours
KEYBOARD_VIEW = (1280, "light")  # where every control is also walked to with Tab (the same in every view)
MIN_TEXT_PX = {1280: 11.0, 390: 11.0}  # figure text, CSS px, where the figure is shown (12 at natural size)
MAX_RASTER_SHRINK = 2.05  # a bitmap drawn at less than half its size loses its detail
MIN_LABEL_GAP_PX = 1.0  # two labels closer than this touch
# A page whose script fills it in tells when it is ready; every other page is ready at "load".
READY = {
    "visualizer/": "document.querySelector('#lv-root').dataset.ready !== 'false'",
    "calculator/": "document.querySelector('#ca-shape').textContent.trim() !== ''",
}


def nav_sources(items: list[Any]) -> Iterator[str]:
    """Yield every Markdown or notebook source of a (possibly nested) mkdocs nav."""
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            yield from nav_sources(value)
        elif not str(value).startswith(("http:", "https:")):
            yield str(value)


CHINESE = "zh/"  # the Chinese edition's folder (lenet_explain.site.i18n)
HOME_PAGES = ("", CHINESE)  # where the Tab walk starts at the top of the page and passes the theme's controls


def site_paths() -> list[str]:
    """Return the URL path of every page in mkdocs.yml's nav, then of its Chinese twin, then the 404 page."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    paths = []
    for source in nav_sources(config["nav"]):
        stem = source.rsplit(".", 1)[0]
        paths.append("" if stem == "index" else stem.removesuffix("/index").removesuffix("index") + "/")
    return [*paths, *(CHINESE + p for p in paths), "404.html"]


def view_name(path: str) -> str:
    """Return a file-name-safe name of a page path."""
    return path.removesuffix(".html").strip("/").replace("/", "-") or "home"


@pytest.fixture(scope="module")
def views(browser: Any) -> Iterator[dict[tuple[int, str], Any]]:
    """One browser context per view (width, colour scheme), shared by the module's tests."""
    contexts = {}
    for width, scheme in VIEWS:
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)

        def route(route: Any) -> None:
            if is_local(route.request.url):
                route.continue_()
            else:
                route.abort()  # and open_page records it as an error

        context.route("**/*", route)
        contexts[(width, scheme)] = context
    yield contexts
    for context in contexts.values():
        context.close()


def open_page(context: Any, url: str, path: str) -> tuple[Any, list[str]]:
    """Open ``url`` in a new tab of ``context``; return the page once ready and its console errors, off-site
    requests (blocked) and requests that failed or left the site's folder."""
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("request", lambda request: None if is_local(request.url) else errors.append(f"off-site: {request.url}"))
    page.on("response", functools.partial(record_refusal, errors, url.removesuffix(path)))
    page.goto(url, wait_until="load")
    page.wait_for_function(f"() => {READY.get(path.removeprefix(CHINESE), 'true')}", timeout=30_000)
    page.evaluate("() => document.fonts.ready")
    return page, errors


def record_refusal(errors: list[str], root: str, response: Any) -> None:
    """Note a response for the site's own server that failed, or that came from outside the site's folder."""
    own = is_local(response.url) and not response.url.startswith(("data:", "blob:"))
    if own and (not response.ok or not response.url.startswith(root)):
        errors.append(f"{response.status}: {response.url}")


# The notebook's code cells: thousands of highlighted tokens in a dozen colours, most of axe-core's time on the
# page. They are checked once per colour scheme: on the English page at 1280 px, light and (switched) dark. The
# 390 px views show the same tokens in the same colours, and the Chinese notebook's code cells are the English
# ones (the copy the notebook runner makes), so those views leave them out.
CODE_CELLS = [".highlight-ipynb"]


def colours_checked_elsewhere(path: str, width: int) -> bool:
    """True at 390 px but on the home pages: the page's colours are checked at 1280 px in both schemes.

    Colours come from the same stylesheets at every width (and the theme's type sizes do not shrink on a phone, so
    no text becomes "small" there): axe-core's colour rules give the same answers at 390 px as at 1280 px, but for
    the phone's own chrome (the drawer, the header's buttons), the same on every page, which the home pages check
    in both schemes. At 390 px every page gets every other rule of axe-core and every layout check.
    """
    return path not in HOME_PAGES and width < 1280


def checked_elsewhere(path: str, width: int) -> list[str] | None:
    """What axe-core need not check again on this view of the page (checked on another view), or None."""
    if path == "zh/walkthrough/" or (path == "walkthrough/" and width < 1280):
        return CODE_CELLS
    return None


def run_axe(page: Any, rules: list[str] | None = None, skip: list[str] | None = None,
            without: list[str] | None = None) -> list[dict[str, Any]]:
    """Run axe-core's WCAG 2 A/AA rules (or only ``rules``; never those in ``without``) on the page, outside the
    elements ``skip`` selects; return the serious and critical violations."""
    from axe_playwright_python.base import AXE_SCRIPT

    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    options: dict[str, Any] = {"runOnly": only, "resultTypes": ["violations"]}
    if without:
        options["rules"] = {rule: {"enabled": False} for rule in without}
    context = {"exclude": [[selector] for selector in skip]} if skip else "document"
    result = page.evaluate("([context, options]) => axe.run(context === 'document' ? document : context, options)",
                           [context, options])
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


def switch_scheme(page: Any, scheme: str) -> None:
    """Click the theme's toggle to the other colour scheme ("default" or "slate") and wait until it is shown."""
    page.click(f"label.md-header__button[for='{PALETTE_INPUTS[scheme]}']")
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{scheme}'")


PALETTE_INPUTS = {"slate": "__palette_1", "default": "__palette_0"}  # mkdocs.yml's palette: light first, then dark


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """Return a short report: rule, impact, and the first few elements with axe's summary."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])}): {v['help']}")
        for node in v["nodes"][:3]:
            summary = " ".join(node.get("failureSummary", "").split())[:240]
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


# Elements past the text column: every box outside a scrolling container must lie inside the column, and at
# desktop width no table, figure or image scrolls (only code may, since a terminal's output is shown verbatim).
LAYOUT_JS = """(desktop) => {
  // The column: the content area with its side margins (the theme lets code blocks and table scrollers bleed
  // into those margins on purpose). Boxes inside a scrolling container are that container's business.
  const column = document.querySelector('.md-content').getBoundingClientRect();
  const left = column.left - 1, right = column.right + 1;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const past = [], scrolled = [];
  const visit = (el) => {
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.position === 'fixed') return;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0 && (r.left < left || r.right > right))
      past.push(name(el) + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
    if (['auto', 'scroll', 'hidden'].includes(style.overflowX)) {
      const code = el.closest('pre, .highlight, .highlight-ipynb, .jp-OutputArea-output');
      if (desktop && !code && el.scrollWidth > el.clientWidth + 1)
        scrolled.push(name(el) + ' ' + el.scrollWidth + ' > ' + el.clientWidth);
      return;  // what scrolls inside it stays inside it
    }
    for (const child of el.children) visit(child);
  };
  visit(document.querySelector('article.md-content__inner'));
  const page = document.scrollingElement;
  return {past: past.slice(0, 10), scrolled: scrolled.slice(0, 10),
          sideways: page.scrollWidth > window.innerWidth + 1 ? page.scrollWidth : 0};
}"""

# Every table as shown: its caption inside what its nearest clipping ancestor shows (and not cut inside itself),
# each cell within reach of its clipping ancestors (a scroll box reaches all it holds, except what lies before its
# start; a box that hides its overflow, or the window, shows only itself), and at desktop width the table inside
# the text column proper (the article's content box).
TABLES_JS = """(desktop) => {
  const article = document.querySelector('article.md-content__inner');
  const style = getComputedStyle(article), column = article.getBoundingClientRect();
  const left = column.left + parseFloat(style.paddingLeft) - 1;
  const right = column.right - parseFloat(style.paddingRight) + 1;
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const say = (el) => name(el) + ' "' + el.textContent.trim().slice(0, 40) + '"';
  const span = (r) => Math.round(r.left) + '..' + Math.round(r.right);
  const clipping = (table) => {
    const found = [];
    for (let el = table.parentElement; el; el = el.parentElement)
      if (el === document.documentElement || getComputedStyle(el).overflowX !== 'visible') found.push(el);
    return found;
  };
  const shown = (el) => {
    if (el === document.documentElement) return {left: 0, right: window.innerWidth};
    const r = el.getBoundingClientRect();
    return {left: r.left + el.clientLeft, right: r.left + el.clientLeft + el.clientWidth};
  };
  const captions = [], cells = [], wide = [];
  for (const table of article.querySelectorAll('table')) {
    if (!table.getClientRects().length) continue;
    const ancestors = clipping(table);
    const caption = table.caption;
    if (caption && caption.textContent.trim()) {
      const r = caption.getBoundingClientRect(), box = shown(ancestors[0]);
      if (r.left < box.left - 1 || r.right > box.right + 1 || caption.scrollWidth > caption.clientWidth + 1)
        captions.push(say(caption) + ' ' + span(r) + ' shown ' + span(box));
    }
    for (const cell of table.querySelectorAll('th, td')) {
      const r = cell.getBoundingClientRect();
      if (!r.width) continue;
      for (const el of ancestors) {
        const scrolls = el !== document.documentElement && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
        const box = shown(el);
        const start = box.left - el.scrollLeft;
        const reach = scrolls ? {left: start, right: start + el.scrollWidth} : box;
        if (r.left < reach.left - 1 || r.right > reach.right + 1) {
          cells.push(say(cell) + ' ' + span(r) + ' cut by ' + name(el));
          break;
        }
        if (scrolls) break;  // all it holds is reachable by scrolling it; where it sits is checked by LAYOUT_JS
      }
    }
    const r = table.getBoundingClientRect();
    if (desktop && (r.left < left || r.right > right)) wide.push(say(table) + ' ' + span(r));
  }
  return {captions: captions.slice(0, 6), cells: cells.slice(0, 6), wide: wide.slice(0, 6)};
}"""

# Every figure as shown: its SVG text measured at the size it is drawn (the <picture> source in use), its
# raster images' shrink factor.
FIGURES_JS = """async () => {
  const found = [];
  for (const img of document.querySelectorAll('article img')) {
    if (!img.complete || !img.currentSrc) { img.loading = 'eager'; await img.decode().catch(() => null); }
    const src = img.currentSrc || img.src;
    const cs = getComputedStyle(img);
    const shown = img.getBoundingClientRect().width - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)
      - parseFloat(cs.borderLeftWidth) - parseFloat(cs.borderRightWidth);
    const item = {src: src.split('/').slice(-2).join('/').slice(0, 80), natural: img.naturalWidth, shown: shown};
    if (/\\.svg($|[?#])/.test(src)) {
      const text = await (await fetch(src)).text();
      const holder = document.createElement('div');
      holder.style.cssText = 'position:absolute;left:0;top:0;visibility:hidden;';
      holder.innerHTML = text.replace(/^<\\?xml[^>]*>/, '').replace(/<!DOCTYPE[^>]*>/, '');
      document.body.append(holder);
      const svg = holder.querySelector('svg');
      const natural = svg.getBoundingClientRect().width;
      const scale = shown / natural;  // shown px per natural px
      const perUnit = natural / svg.viewBox.baseVal.width;  // natural px per user unit
      const boxes = [];
      let smallest = Infinity, smallestText = '';
      for (const t of svg.querySelectorAll('text')) {
        if (!t.textContent.trim()) continue;
        const size = parseFloat(getComputedStyle(t).fontSize) * perUnit * scale;
        if (size < smallest) { smallest = size; smallestText = t.textContent; }
        const r = t.getBoundingClientRect();
        boxes.push({t: t.textContent, l: r.left * scale, r: r.right * scale, top: r.top * scale,
                    b: r.bottom * scale});
      }
      const touching = [];
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        const gapX = Math.max(b.l - a.r, a.l - b.r), gapY = Math.max(b.top - a.b, a.top - b.b);
        if (Math.max(gapX, gapY) < GAP) touching.push(a.t + ' | ' + b.t);
      }
      holder.remove();
      Object.assign(item, {kind: 'svg', smallest: smallest, smallestText: smallestText,
                           touching: touching.slice(0, 6), texts: boxes.length});
    } else {
      Object.assign(item, {kind: 'raster', shrink: img.naturalWidth / shown});
    }
    found.push(item);
  }
  return found;
}"""


def test_the_views_cover_every_built_page(built_site: Path) -> None:
    """The nav's pages, their Chinese twins and the 404 page are all the site has."""
    built = {str(p.parent.relative_to(built_site)) + "/" for p in built_site.rglob("index.html")}
    assert {"" if p == "./" else p for p in built} | {"404.html"} == set(site_paths())


@pytest.mark.parametrize("path", site_paths())
@pytest.mark.parametrize(("width", "scheme"), VIEWS, ids=[f"{w}-{s}" for w, s in VIEWS])
def test_page_reads_well(views: dict[tuple[int, str], Any], sub_path_url: str, path: str, width: int,
                         scheme: str) -> None:
    page, errors = open_page(views[(width, scheme)], sub_path_url + path, path)
    try:
        wanted = "slate" if scheme == "dark" else "default"
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == wanted
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{view_name(path)}-{width}-{scheme}.jpg"), full_page=True,
                        type="jpeg", quality=85)  # a third of a PNG's time, and as good to look at

        colours_elsewhere = colours_checked_elsewhere(path, width)
        violations = run_axe(page, skip=checked_elsewhere(path, width),
                             without=COLOUR_RULES if colours_elsewhere else None)
        assert not violations, f"axe-core on {path or 'home'} at {width} px, {scheme}:\n" + describe_violations(
            violations)

        layout = page.evaluate(LAYOUT_JS, width >= 1280)
        assert not layout["past"], f"past the text column: {layout['past']}"
        assert not layout["scrolled"], f"wider than the column (scrolls inside): {layout['scrolled']}"
        assert not layout["sideways"], f"the page scrolls sideways: {layout['sideways']} px > {width}"
        tables = page.evaluate(TABLES_JS, width >= 1280)
        assert not tables["captions"], f"captions cut: {tables['captions']}"
        assert not tables["cells"], f"table cells cut by an ancestor: {tables['cells']}"
        assert not tables["wide"], f"tables wider than the text column: {tables['wide']}"

        assert page.locator("h1").count() >= 1
        figures = page.evaluate(FIGURES_JS.replace("GAP", str(MIN_LABEL_GAP_PX)))
        broken = page.evaluate("() => [...document.querySelectorAll('article img')]"
                               ".filter(i => !i.complete || i.naturalWidth === 0 || !i.alt).map(i => i.src)")
        assert broken == [], f"images that did not load or have no alt text: {broken}"
        flat = page.evaluate("() => [...document.querySelectorAll('article math')].map(m => m.getBoundingClientRect())"
                             ".filter(r => r.width === 0 || r.height === 0).length")
        assert flat == 0, f"{flat} formulas take up no space"
        for figure in figures:
            if figure["kind"] == "svg":
                assert figure["smallest"] >= MIN_TEXT_PX[width] - 0.05, (
                    f"{figure['src']}: text '{figure['smallestText']}' is {figure['smallest']:.1f} px "
                    f"(shown {figure['shown']:.0f} px wide)")
                assert not figure["touching"], f"{figure['src']}: labels touch: {figure['touching']}"
            else:
                assert figure["shrink"] <= MAX_RASTER_SHRINK, (
                    f"{figure['src']}: a {figure['natural']} px raster shown at {figure['shown']:.0f} px")
        # The same page in the other scheme, through the theme's toggle: only the colours change
        other = "light" if scheme == "dark" else "dark"
        if not colours_elsewhere:
            switch_scheme(page, SCHEMES[other])
            violations = run_axe(page, COLOUR_RULES, skip=checked_elsewhere(path, width))
            assert not violations, f"axe-core on {path or 'home'} at {width} px, {other}:\n" + describe_violations(
                violations)
            switch_scheme(page, SCHEMES[scheme])  # the theme remembers the choice for the next page
        if (width, scheme) == KEYBOARD_VIEW:  # last: it moves the focus and scrolls
            outside = page.evaluate("base => [...document.querySelectorAll('a[href]')].map(a => a.href)"
                                    ".filter(href => new URL(href).host === location.host && !href.startsWith(base))",
                                    sub_path_url)
            assert outside == [], f"links that leave the site's folder: {outside[:5]}"
            assert_every_control_is_reachable(page, path)
        assert not errors, f"console errors: {errors}"
    finally:
        page.close()


def focus_walk(page: Any, presses: int, from_content: bool = False) -> list[str]:
    """Press Tab ``presses`` times from the top of the page (or from the start of its content, as after the theme's
    "Skip to content" link); return the key of each element that got focus."""
    page.evaluate("""(fromContent) => {
      document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);
      if (fromContent) {  // the focus where "Skip to content" leaves it: the next Tab is the content's first control
        const article = document.querySelector('article');
        article.setAttribute('tabindex', '-1');
        article.focus({preventScroll: true});
        article.removeAttribute('tabindex');
      }
      window.lxFocused = [];
      document.addEventListener('focusin', (e) => window.lxFocused.push(e.target.dataset.lxKey || ''));
    }""", from_content)
    for _ in range(presses):
        page.keyboard.press("Tab")
    return list(page.evaluate("() => window.lxFocused"))


def assert_every_control_is_reachable(page: Any, path: str) -> None:
    """Tab reaches every visible link, button, field and scrolling region of the page's content, in order."""
    count = page.evaluate("""() => {
      const selector = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
      const visible = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
        return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !el.closest('[hidden], [inert]')
          && !el.disabled; };
      const targets = [...document.querySelectorAll('article ' + selector.split(', ').join(', article '))]
        .filter(visible);
      targets.forEach((el, i) => { el.dataset.lxKey = 'k' + i; });
      return targets.length;
    }""")
    # The theme's own controls (the header, the navigation, the table of contents) come first: the walk starts at
    # the top on the home pages, where it passes them all, and at the content elsewhere (the same theme on every page).
    from_content = path not in HOME_PAGES
    header = 0 if from_content else page.evaluate(
        "() => document.querySelectorAll('header a[href], header input, header label[tabindex],"
        " nav a[href], .md-sidebar a[href], .md-skip').length")
    seen = set(focus_walk(page, count + header + 20, from_content))
    missing = [f"k{i}" for i in range(count) if f"k{i}" not in seen]
    names = page.evaluate("""(keys) => keys.map(k => { const el = document.querySelector(`[data-lx-key="${k}"]`);
      return el.outerHTML.slice(0, 120); })""", missing[:5])
    assert not missing, f"{len(missing)} of {count} controls not reached with Tab on {path or 'home'}: {names}"


class _SubPathHandler(QuietHandler):
    """Serve the site under /course/lenet/ as GitHub Pages does: a missing file gets 404.html with status 404."""

    PREFIX = "/course/lenet/"

    def send_head(self) -> Any:
        if not self.path.startswith(self.PREFIX):
            self.send_error(404)
            return None
        inner = self.path[len(self.PREFIX) - 1:].split("?")[0]
        target = Path(self.directory) / inner.lstrip("/")
        if inner.endswith("/"):
            target = target / "index.html"
        if target.is_file():
            self.path = inner
            return super().send_head()
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@pytest.fixture(scope="module")
def sub_path_url(built_site: Path) -> Iterator[str]:
    """Serve the built site under a sub-path (/course/lenet/); yield that base URL."""
    with serve(functools.partial(_SubPathHandler, directory=str(built_site))) as port:
        yield f"http://127.0.0.1:{port}{_SubPathHandler.PREFIX}"


def test_the_404_page_works_under_a_sub_path(browser: Any, sub_path_url: str) -> None:
    """A missing page deep under the site's sub-path shows the styled 404 page whose links lead back into the site."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    failed: list[str] = []
    context.on("requestfailed", lambda request: failed.append(request.url))
    page = context.new_page()
    statuses: dict[str, int] = {}
    page.on("response", lambda response: statuses.__setitem__(response.url, response.status))
    try:
        missing = sub_path_url + "no/such/page/"
        response = page.goto(missing, wait_until="load")
        assert response is not None and response.status == 404
        # Requests under the site's root must all succeed; the root finder's probes (and the browser's
        # speculative fetches made before <base> is set) ask under deeper paths and may fail.
        bad = {url: code for url, code in statuses.items()
               if url != missing and code >= 400 and not url.startswith(sub_path_url + "no/")}
        failed = [url for url in failed if not url.startswith(sub_path_url + "no/")]
        assert not bad and not failed, f"the 404 page could not load: {bad or failed}"
        loaded = page.evaluate("() => [...document.styleSheets].map(s => s.href).filter(Boolean)")
        assert loaded and all(href.startswith(sub_path_url) and "/no/" not in href for href in loaded), loaded
        header = page.evaluate("() => getComputedStyle(document.querySelector('.md-header')).position")
        assert header in ("sticky", "fixed"), "the theme's stylesheet did not load"
        home = page.evaluate("() => document.querySelector('a.md-header__button.md-logo').href")
        assert home == sub_path_url
        links = page.evaluate("() => [...document.querySelectorAll('.md-nav__link[href]')].map(a => a.href)")
        assert links and all(link.startswith(sub_path_url) for link in links), links[:5]
        page.goto(links[1], wait_until="load")
        assert page.evaluate("() => document.querySelector('h1') !== null")
        assert re.match(re.escape(sub_path_url), page.url)
    finally:
        context.close()


def test_the_x_stays_visible_in_the_dark_scheme(views: dict[tuple[int, str], Any], sub_path_url: str) -> None:
    """The ±1 tables' +1 ink cells stand out from the −1 cells in both schemes (at least 3:1)."""
    page, _ = open_page(views[(1280, "light")], sub_path_url + "convolution/", "convolution/")
    try:
        for scheme in ("default", "slate"):
            if scheme == "slate":
                switch_scheme(page, scheme)
            contrast = page.evaluate("""() => {
              const rgb = (el) => getComputedStyle(el).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number);
              const lum = ([r, g, b]) => [r, g, b].map(v => v / 255).map(v => v <= 0.04045 ? v / 12.92
                : ((v + 0.055) / 1.055) ** 2.4).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
              const ink = lum(rgb(document.querySelector('#image-x td.lx-ink')));
              const blank = lum(rgb(document.querySelector('#image-x td:not(.lx-ink)')));
              return (Math.max(ink, blank) + 0.05) / (Math.min(ink, blank) + 0.05);
            }""")
            assert contrast >= 3, f"{scheme}: +1 cells against −1 cells {contrast:.2f}:1"
        switch_scheme(page, "default")
    finally:
        page.close()

