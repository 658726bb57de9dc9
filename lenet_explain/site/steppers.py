"""The data of the pages' steppers, made when the site is built, and the HTML that holds it.

A stepper (``docs/steppers/steppers.js``) moves a window over a grid one position at a time and says where it is
and what it found. It computes nothing: every value, every sentence it announces and every colour comes from here,
from the same functions as the pages' tables (:mod:`lenet_explain.site.explainer`, :mod:`.channels`,
:mod:`.receptive`). The page holds the data as JSON in a ``<script type="application/json">`` inside the
stepper's root element, ``<div data-stepper="convolution">`` (or ``pooling``, ``channels``,
``receptive-field``), which is focusable and holds the ``aria-live="polite"`` status line.

Colours follow the site's convention (:mod:`lenet_explain.site.figure_layout`): signed values purple (negative) through
white to orange (positive); the network's activations in [0, 1] on the visualizer's scale; the text on every
coloured cell black or white, whichever has the higher contrast.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from fractions import Fraction
from functools import cache
from typing import Any

import matplotlib.pyplot as plt
import numpy as np

from lenet_explain.calculator.stacks import LECTURE
from lenet_explain.site import explainer as ex
from lenet_explain.site.figure_layout import DIVERGING, text_colour
from lenet_explain.site.receptive import FieldLayer, field_layers, span_text
from lenet_explain.site.words import say

ACTIVATIONS = "viridis"  # the visualizer's scale for the network's values in [0, 1]
KINDS = ("convolution", "pooling", "channels", "receptive-field")
PLAY_MS = 800  # one step every 0.8 s when playing: time to read the products and the value


def signed(value: float, places: int) -> str:
    """Return a number with ``places`` decimals, rounded, with a real minus sign ('−0.12')."""
    text = f"{value:.{places}f}"
    return text.replace("-", ex.MINUS) if float(text) != 0 else text.lstrip("-")


@cache
def colour(value: float, vmin: float, vmax: float, cmap: str) -> tuple[str, str]:
    """Return a cell's background (hex) for ``value`` on ``cmap`` and the text colour with the higher contrast."""
    t = (value - vmin) / (vmax - vmin) if vmax > vmin else 0.5
    r, g, b, _ = plt.get_cmap(cmap)(min(max(t, 0.0), 1.0))
    background = f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"
    return background, "#000000" if text_colour(value, vmin, vmax, cmap) == "black" else "#ffffff"


def cell(text: str, value: float, vmin: float, vmax: float, cmap: str = DIVERGING) -> dict[str, str]:
    """Return one coloured cell: its text, background and text colour."""
    bg, fg = colour(float(value), float(vmin), float(vmax), cmap)
    return {"t": text, "bg": bg, "fg": fg}


def lecture_palette(values: Sequence[Fraction]) -> dict[str, list[str]]:
    """Return the colours of values printed the lecture's way, by their text: {'0.77': [background, text colour]}."""
    palette: dict[str, list[str]] = {}
    for v in values:
        text, colours = ex.format_lecture(v), list(colour(float(v), -1.0, 1.0, DIVERGING))
        if palette.setdefault(text, colours) != colours:
            raise ValueError(f"two values print as {text} but have different colours")
    return palette


def position(row: int, col: int, language: str = "en") -> str:
    """Return a position in the site's words, counted from 1."""
    return say(language, "position", row=row + 1, col=col + 1)


def picture_options(feature_label: str, language: str = "en") -> list[dict[str, Any]]:
    """Return the choices of image (the X, the O) and feature; a feature button's name is the feature's label."""
    return [
        {"key": "image", "label": say(language, "option_image"),
         "choices": [[n, say(language, "image_choice", name=n)] for n in ex.IMAGE_NAMES]},
        {"key": "feature", "label": feature_label,
         "choices": [[n, ex.FEATURE_SYMBOLS[n].strip("'")] for n in ex.FEATURE_NAMES],
         "names": {n: say(language, f"feature_{n}") for n in ex.FEATURE_NAMES}},
    ]


# --- Convolution on the X and the O ------------------------------------------------------------------------


def convolution_window(step: ex.MatchStep, language: str = "en") -> dict[str, Any]:
    """Return one window of a feature map: the products, their sum and the value in the lecture's form."""
    mean = step.mean
    exact = ex.format_over(mean, step.count)
    text = ex.format_lecture(mean)
    return {
        "row": step.row, "col": step.col, "products": [int(v) for v in step.products.ravel()],
        "total": ex.format_fraction(Fraction(step.total)), "matches": step.matches, "count": step.count,
        "exact": exact, "long": ex.format_lecture(mean, places=4) + "…", "value": text,
        "say": say(language, "conv_say", position=position(step.row, step.col, language), exact=exact, value=text),
    }


@cache
def convolution_data(language: str = "en") -> dict[str, Any]:
    """Return the convolution stepper's data: both images, the three features, every window of every map."""
    images, features = ex.draw_images(), ex.draw_features()
    return {
        "kind": "convolution",
        "options": picture_options(say(language, "option_feature"), language),
        "images": {n: images[n].tolist() for n in ex.IMAGE_NAMES},
        "features": {n: features[n].tolist() for n in ex.FEATURE_NAMES},
        "products": {"+1": cell("+1", 1, -1, 1), ex.MINUS + "1": cell(ex.MINUS + "1", -1, -1, 1)},
        "maps": {i: {f: [convolution_window(s, language) for s in ex.conv_steps(images[i], features[f])]
                     for f in ex.FEATURE_NAMES} for i in ex.IMAGE_NAMES},
        "columns": len(ex.match_sums(images[ex.IMAGE_NAMES[0]], features[ex.FEATURE_NAMES[0]])[0]),
        "palette": lecture_palette([s.mean for i in ex.IMAGE_NAMES for f in ex.FEATURE_NAMES
                                    for s in ex.conv_steps(images[i], features[f])]),
        "play_ms": PLAY_MS,
    }


# --- Max pooling a feature map ---------------------------------------------------------------------------------


EDGE_RULES = {"ceil": True, "floor": False}


def pooling_window(window: ex.PoolWindow, language: str = "en") -> dict[str, Any]:
    """Return one pooling window: where it lies, its values, its winners and the pooled value."""
    text = ex.format_lecture(window.value)
    values = ", ".join(ex.format_lecture(v) for v in window.values)
    edge = (say(language, "pool_partial", n=len(window.values), of=window.pool * window.pool)
            if window.partial else "")
    return {
        "row": window.row, "col": window.col, "rows": list(window.rows), "cols": list(window.cols),
        "pool": window.pool, "partial": window.partial, "winners": [list(w) for w in window.winners],
        "values": [ex.format_lecture(v) for v in window.values], "value": text,
        "say": say(language, "pool_say", position=position(window.row, window.col, language), values=values,
                   value=text, edge=edge),
    }


@cache
def pooling_data(language: str = "en") -> dict[str, Any]:
    """Return the pooling stepper's data: every feature map of both images and its windows, edges kept or not."""
    images, features = ex.draw_images(), ex.draw_features()
    maps: dict[str, dict[str, Any]] = {}
    for i in ex.IMAGE_NAMES:
        maps[i] = {}
        for f in ex.FEATURE_NAMES:
            values = ex.feature_map_exact(images[i], features[f])
            maps[i][f] = {
                "cells": ex.lecture_table(values),
                "windows": {rule: [pooling_window(w, language) for w in ex.pool_steps(values, ceil_mode=ceil)]
                            for rule, ceil in EDGE_RULES.items()},
                "columns": {rule: ex.pool_axis(len(values[0]), ceil_mode=ceil).output
                            for rule, ceil in EDGE_RULES.items()},
            }
    return {
        "kind": "pooling",
        "options": [
            *picture_options(say(language, "option_feature_map"), language),
            {"key": "edge", "label": say(language, "option_edge"),
             "choices": [["ceil", say(language, "edge_ceil")], ["floor", say(language, "edge_floor")]]},
        ],
        "maps": maps, "pool": ex.POOL_SIZE, "stride": ex.POOL_STRIDE, "play_ms": PLAY_MS,
        "palette": lecture_palette([v for i in ex.IMAGE_NAMES for f in ex.FEATURE_NAMES
                                    for row in ex.feature_map_exact(images[i], features[f]) for v in row]),
    }


# --- One C3 unit: several input maps, one kernel slice each ------------------------------------------------------


def grid(values: np.ndarray, places: int, vmin: float, vmax: float, cmap: str) -> list[list[dict[str, str]]]:
    """Return a matrix as coloured cells with its values rounded to ``places``."""
    return [[cell(signed(float(v), places), float(v), vmin, vmax, cmap) for v in row] for row in values]


@cache
def channels_data(language: str = "en") -> dict[str, Any]:
    """Return the multi-channel stepper's data: one step per S2 map, then the bias and the sigmoid (imports Keras)."""
    from lenet_explain.site.channels import LAYER, SOURCE, c3_unit

    unit = c3_unit()
    n = len(unit.windows)
    weight_max = float(np.abs(unit.kernels).max())
    product_max = float(np.abs(unit.products).max())
    running = np.cumsum(unit.partial_sums)
    steps = []
    for m in range(n):
        part = float(unit.partial_sums[m])
        steps.append({
            "map": m, "s2": [[colour(float(v), 0, 1, ACTIVATIONS)[0] for v in row] for row in unit.s2[..., m]],
            "window": grid(unit.windows[m], 2, 0, 1, ACTIVATIONS),
            "kernel": grid(unit.kernels[m], 2, -weight_max, weight_max, DIVERGING),
            "products": grid(unit.products[m], 2, -product_max, product_max, DIVERGING),
            "sum": signed(part, 3), "running": signed(float(running[m]), 3),
            "say": say(language, "channels_say", source=SOURCE, map=m + 1, n=n, k=unit.windows[m].size,
                       part=signed(part, 3), running=signed(float(running[m]), 3)),
        })
    name = say(language, "unit_name", layer=LAYER, map=unit.map + 1, position=position(unit.row, unit.col, language))
    return {
        "kind": "channels", "layer": LAYER, "source": SOURCE, "unit": name,
        "digit": {"index": unit.digit_index, "label": unit.label},
        "window": {"row": unit.row, "col": unit.col, "size": list(unit.windows.shape[1:])},
        "steps": steps, "bias": signed(unit.bias, 3), "z": signed(unit.z, 3), "value": signed(unit.value, 4),
        "final": say(language, "channels_final", bias=signed(unit.bias, 3), z=signed(unit.z, 3),
                     value=signed(unit.value, 4), name=name),
        "options": [], "play_ms": PLAY_MS,
    }


# --- Receptive fields on a real digit --------------------------------------------------------------------------


def field_entry(layer: FieldLayer, size: int, language: str = "en") -> dict[str, Any]:
    """Return a layer's field geometry and, for every row and column of its units, the input it sees in words."""
    return {
        "name": layer.name, "type": layer.type, "out": list(layer.output), "size": list(layer.size),
        "rowStarts": layer.starts(0), "colStarts": layer.starts(1),
        "rowText": [span_text(s, layer.size[0], size, "row", language) for s in layer.starts(0)],
        "colText": [span_text(s, layer.size[1], size, "column", language) for s in layer.starts(1)],
    }


@cache
def receptive_data(language: str = "en") -> dict[str, Any]:
    """Return the receptive-field explorer's data: a real digit and every windowed layer's fields (lecture model)."""
    from lenet_explain.site.channels import example_digit

    digit = example_digit()
    size = LECTURE.input.shape[0]
    layers = field_layers(LECTURE)
    pad = max(max(-layer.first[0], -layer.first[1], 0) for layer in layers)
    far = max(max(layer.starts(0)[-1] + layer.size[0], layer.starts(1)[-1] + layer.size[1]) for layer in layers)
    return {
        "kind": "receptive-field", "size": size, "pad": pad, "padAfter": max(far - size, 0),
        # "index" counts MNIST's test set from 0, as numpy does; "number" from 1, as the pages do
        "digit": {"index": digit["index"], "number": digit["index"] + 1, "label": digit["label"],
                  "pixels": digit["pixels"]},
        "layers": [field_entry(layer, size, language) for layer in layers],
        "options": [{"key": "layer", "label": say(language, "option_layer"),
                     "choices": [[layer.name, layer.name] for layer in layers]}],
        "play_ms": PLAY_MS,
    }


# --- The HTML that holds a stepper --------------------------------------------------------------------------------


DATA = {"convolution": convolution_data, "pooling": pooling_data, "channels": channels_data,
        "receptive-field": receptive_data}


def first_say(kind: str, data: dict[str, Any], language: str = "en") -> str:
    """Return what the stepper says at its first position (the status line before the script runs)."""
    if kind == "convolution":
        first = data["options"][0]["choices"][0][0], data["options"][1]["choices"][0][0]
        return str(data["maps"][first[0]][first[1]][0]["say"])
    if kind == "pooling":
        image, feature = data["options"][0]["choices"][0][0], data["options"][1]["choices"][0][0]
        return str(data["maps"][image][feature]["windows"]["ceil"][0]["say"])
    if kind == "channels":
        return str(data["steps"][0]["say"])
    layer = data["layers"][0]
    height, width = layer["size"]
    return say(language, "sees", layer=layer["name"], row=1, col=1, rows=layer["rowText"][0],
               cols=layer["colText"][0], h=height, w=width)


def json_for_html(data: Any) -> str:
    """Return JSON that is safe inside a ``<script>`` element (no '<', '>' or '&' left as such)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_stepper(kind: str, label: str, help_text: str, id: str, extra: Sequence[str] = (),
                   language: str = "en") -> str:
    """Return a stepper's root element: its data, its instructions and its live status line (one line of HTML)."""
    if kind not in DATA:
        raise KeyError(f"no stepper {kind!r} (steppers: {', '.join(KINDS)})")
    data = DATA[kind](language)
    parts = [
        f'<div class="lx-stepper" id="{html.escape(id)}" data-stepper="{kind}" tabindex="0" role="group" '
        f'aria-label="{html.escape(label)}" aria-describedby="{html.escape(id)}-help">',
        f'<script type="application/json" class="lx-stepper-data">{json_for_html(data)}</script>',
        f'<p class="lx-stepper-help" id="{html.escape(id)}-help">{html.escape(help_text)}</p>',
        *extra,
        f'<p class="lx-stepper-status" aria-live="polite">{html.escape(first_say(kind, data, language))}</p>',
        "</div>",
    ]
    return "".join(parts)


def stepper_html(kind: str, language: str = "en") -> str:
    """Return the stepper ``kind`` with its label and instructions in ``language``, id ``stepper-<kind>``."""
    if kind not in DATA:
        raise KeyError(f"no stepper {kind!r} (steppers: {', '.join(KINDS)})")
    return render_stepper(kind, say(language, f"stepper_{kind}"), say(language, f"stepper_{kind}_help"),
                          id=f"stepper-{kind}", language=language)
