"""What a reader meets on a Chinese interactive page, and what is wrong with it (issue 23).

:data:`COLLECT_JS` gathers a page's words as a reader meets them: every text node (code, formulas set as MathML
and ``<noscript>`` aside) and every ``aria-label``, ``title``, ``alt`` and ``placeholder``; :data:`RECORD_CANVAS_JS`
(an init script) records the text drawn on canvases (a chart's axes). :func:`problems` runs the terminology
table's checks (:mod:`lenet_explain.site.terms_zh`) on them, with the Latin words a Chinese textbook keeps:
:data:`KEPT`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from lenet_explain.site.terms_zh import CHINESE, KEPT_ENGLISH, find_english, find_halfwidth, find_variants

ROOT = Path(__file__).resolve().parents[1]

# The Latin words a Chinese page keeps: the terminology table's list, each group with its reason.
KEPT = KEPT_ENGLISH

# Code in running text: a path or a file's name, or a name mixing letters with digits or underscores (Conv2D,
# float32, sha256, val_acc, im2col).
CODE = re.compile(r"\S*[/\\]\S*|\S+\.(?:js|json|bin|css|py|keras|png)\b"
                  r"|(?<![A-Za-z0-9_])[A-Za-z0-9_]*(?:[0-9_][A-Za-z]|[A-Za-z][0-9_])[A-Za-z0-9_]*")
HYPHEN_MINUS = re.compile(r"(?<![\w.\-])-(?=\d)")  # "-0.207": a minus written with a hyphen
SPACED = re.compile(rf"{CHINESE}\s+{CHINESE}")  # a space between two Chinese characters
# A space beside full-width punctuation: in a text, or where a text follows a link or code ("…json （每个").
PUNCTUATION_SPACED = re.compile(r"(?<=\S)\s+[（，。：；、）]|[（，。：；、）]\s+(?=\S)|^\s+[（，。：；、）]")

# A 7 drawn on the drawing pad with this id, with pointer events as a pen would (the visualizer's, the train page's).
DRAW_A_SEVEN_JS = """(id) => {
  const pad = document.getElementById(id), box = pad.getBoundingClientRect();
  const at = ([px, py], type) => pad.dispatchEvent(new PointerEvent(type, {bubbles: true, cancelable: true,
      pointerId: 3, pointerType: 'pen', isPrimary: true, button: 0, buttons: type === 'pointerup' ? 0 : 1,
      clientX: box.left + px * box.width, clientY: box.top + py * box.height}));
  at([0.25, 0.2], 'pointerdown'); at([0.75, 0.2], 'pointermove'); at([0.45, 0.85], 'pointermove');
  at([0.45, 0.85], 'pointerup');
}"""

COLLECT_JS = """(selector) => {
  const out = [];
  const skip = (el) => el.closest("code, pre, script, style, noscript, math, .headerlink");
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n.textContent; // as it is: a space it starts with shows after a link or code
      if (t.trim() && !skip(n.parentElement)) out.push(t);
    }
    for (const el of [root, ...root.querySelectorAll("*")]) {
      for (const name of ["aria-label", "title", "alt", "placeholder"]) {
        const v = el.getAttribute(name);
        if (v && !skip(el)) out.push(v);
      }
    }
  }
  return out;
}"""

RECORD_CANVAS_JS = """(() => {
  const draw = CanvasRenderingContext2D.prototype.fillText;
  window.canvasTexts = [];
  CanvasRenderingContext2D.prototype.fillText = function (text, ...rest) {
    window.canvasTexts.push(String(text));
    return draw.call(this, text, ...rest);
  };
})();"""


def machine_names() -> list[str]:
    """The processors the committed benchmarks were measured on, as the system names them (a product's name)."""
    names = []
    for path in (ROOT / "docs" / "train" / "benchmark.json", ROOT / "docs" / "visualizer" / "benchmark.json"):
        machine = json.loads(path.read_text())["machine"]
        names.append(re.sub(r", \d+ cores$", "", machine))
    return names


def problems(texts: Iterable[str], kept: frozenset[str] = KEPT) -> list[tuple[str, str]]:
    """Return (what is wrong, the text) for each text a Chinese page shows: English it would not keep, half-width
    punctuation beside Chinese, a variant of a term, a hyphen for a minus, a space between two Chinese characters or
    beside full-width punctuation."""
    names = machine_names()
    found = []
    for raw in texts:
        text = raw.strip()
        prose = text
        for name in names:
            prose = prose.replace(name, " ")
        prose = CODE.sub(" ", prose)
        for label, hits in (("English", find_english("中\n" + prose, kept)), ("half-width", find_halfwidth(text)),
                            ("variant", [v for v, _ in find_variants(text)]), ("hyphen", HYPHEN_MINUS.findall(text)),
                            ("space", SPACED.findall(text) + PUNCTUATION_SPACED.findall(raw))):
            if hits:
                found.append((f"{label}: {hits}", text))
    return found
