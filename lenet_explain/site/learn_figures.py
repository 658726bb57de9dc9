"""The learn page's plateau figure: the first steps of training, layer by layer, both models (docs/learn/plateau.json).

Four panels over the same steps: each model's kernel gradients and Adam's steps per layer (RMS, log scale), then
the spread of F6's outputs over the probe digits (log scale) and the loss on them. Drawn from
:func:`lenet_explain.site.learn_data.read_plateau`; words through :func:`lenet_explain.site.i18n.translate`.
"""

from __future__ import annotations

import math
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from lenet_explain.site import learn_data
from lenet_explain.site.figure_layout import LANGUAGE, OKABE_ITO
from lenet_explain.site.i18n import translate

LAYER_COLOURS = {"C1": OKABE_ITO["vermillion"], "C3": OKABE_ITO["orange"], "C5": OKABE_ITO["green"],
                 "F6": OKABE_ITO["sky"], "output": OKABE_ITO["blue"]}
MODEL_STYLES = {"lecture": (OKABE_ITO["black"], "-"), "modern": (OKABE_ITO["purple"], "--")}  # colour, line
SIZE = {False: (7.0, 5.6), True: (3.55, 10.2)}  # inches: 2 × 2 panels on a desktop, 4 × 1 on a phone (narrow)
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
GRAD_LIMITS = (1e-6, 1e-1)
SPREAD_LIMITS = (1e-5, 3.0)
LOSS_TOP = 3.2  # room for the legend above ln 10


def say(text: str, **values: object) -> str:
    """Return the figure's words ``text`` in the language being drawn."""
    return translate(text, LANGUAGE.get(), **values)


def power_label(value: float, _position: object = None) -> str:
    """Return a power of ten as plain text, 10⁻⁴ (text, not mathtext: the SVG keeps it as text)."""
    return "10" + f"{round(math.log10(value)):d}".translate(SUPERSCRIPT)


def log_axis(ax: Axes, limits: tuple[float, float], every: int = 1) -> None:
    """Give ``ax`` a log y axis within ``limits``, a tick at every ``every``-th power of ten, labelled 10ⁿ."""
    ax.set_yscale("log")
    ax.set_ylim(*limits)
    low, high = math.ceil(math.log10(limits[0])), math.floor(math.log10(limits[1]))
    ax.yaxis.set_major_locator(FixedLocator([10.0 ** n for n in range(low, high + 1, every)]))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(FuncFormatter(power_label))


def tidy(ax: Axes, title: str, steps: int) -> None:
    """Title, x axis (the steps) and frame of one panel."""
    ax.set_title(title, loc="left")
    ax.set_xlim(0, steps)
    ax.set_xlabel(say("step"))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)


def draw_layers(ax: Axes, data: dict[str, Any], model: str) -> None:
    """Draw one model's gradient RMS (solid) and Adam's step RMS (dashed) per layer."""
    run = data["models"][model]
    for layer in run["layers"]:
        colour = LAYER_COLOURS[layer["name"]]
        ax.plot(run["at"], layer["grad"], color=colour, linewidth=1.4)
        ax.plot(run["at"], layer["step"], color=colour, linewidth=1.4, linestyle=(0, (3, 2)))
    ax.axhline(data["learning_rate"], color="#777777", linewidth=0.8, linestyle=":")
    log_axis(ax, GRAD_LIMITS)
    tidy(ax, say("the lecture's model" if model == "lecture" else "the modern variant"), data["steps"])


def draw_probe(ax: Axes, data: dict[str, Any], series: str) -> None:
    """Draw one probe series (F6's spread, log scale; or the loss) of both models."""
    for model in learn_data.MODELS:
        probes = data["models"][model]["probes"]
        ax.plot([p["step"] for p in probes], [p[series] for p in probes], linewidth=1.6,
                label=say("the lecture's model" if model == "lecture" else "the modern variant"),
                color=MODEL_STYLES[model][0], linestyle=MODEL_STYLES[model][1])
    if series == "spread":
        log_axis(ax, SPREAD_LIMITS)
        ax.axhline(learn_data.SPREAD_MARK, color="#777777", linewidth=0.8, linestyle=":")
        title = say("spread of F6's outputs")
    else:
        ax.set_ylim(0, LOSS_TOP)
        ax.axhline(math.log(10), color="#777777", linewidth=0.8, linestyle=":")
        title = say("loss on {n} test digits", n=data["probe_digits"])
    tidy(ax, title, data["steps"])


def legend_handles() -> tuple[list[Line2D], list[str]]:
    """Return the figure legend: one colour per layer, then solid (gradient) and dashed (Adam's step)."""
    handles = [Line2D([], [], color=colour, linewidth=2.4) for colour in LAYER_COLOURS.values()]
    labels = [say("output") if name == "output" else name for name in LAYER_COLOURS]
    handles += [Line2D([], [], color="#333333", linewidth=1.4),
                Line2D([], [], color="#333333", linewidth=1.4, linestyle=(0, (3, 2))),
                Line2D([], [], color="#777777", linewidth=0.8, linestyle=":")]
    labels += [say("gradient (RMS)"), say("Adam's step (RMS)"), say("learning rate")]
    return handles, labels


def draw_plateau(narrow: bool = False) -> Figure:
    """Draw the plateau figure (``narrow``: one panel a row, for a phone)."""
    data = learn_data.read_plateau()
    fig = Figure(figsize=SIZE[narrow], layout="constrained")
    axes = fig.subplots(4, 1) if narrow else fig.subplots(2, 2).flatten()
    draw_layers(axes[0], data, "lecture")
    draw_layers(axes[1], data, "modern")
    draw_probe(axes[2], data, "spread")
    draw_probe(axes[3], data, "loss")
    axes[3].legend(loc="upper right", frameon=False)
    handles, labels = legend_handles()
    fig.legend(handles, labels, loc="outside upper center", ncol=2 if narrow else 4, frameon=False,
               columnspacing=1.0, handlelength=2.2)
    return fig


def sci(value: float) -> str:
    """Return ``value`` with two significant digits as plain text: 4.1×10⁻⁵ (10⁻² for 1.0×10⁻²)."""
    mantissa, exponent = f"{value:.1e}".split("e")
    power = "10" + str(int(exponent)).translate(SUPERSCRIPT)
    return power if mantissa == "1.0" else f"{mantissa}×{power}"


def alt_plateau() -> str:
    """Describe the plateau figure with its numbers."""
    n = learn_data.plateau_numbers(learn_data.read_plateau())
    grads = n["first_grad"]["lecture"]
    return say(
        "Four charts over the first {steps} steps of training. The lecture's model: at step 1 the kernel gradients' "
        "RMS runs from {c1} (C1) to {out} (output), yet Adam's steps are all near the learning rate, {lr}; then the "
        "steps of C3 to the output shrink while C1's stay large. The modern variant: gradients from {mlow} to {mhigh} "
        "at step 1. The spread of F6's outputs over {n} test digits starts at {s_lecture} for the lecture's model and "
        "{s_modern} for the modern one; the lecture's model's loss stays near ln 10 = {ln10} until about step {leave}, "
        "when its spread has grown to {s_leave}; the modern variant's loss falls below {limit} by step {mleave}.",
        steps=n["steps"], c1=sci(grads["C1"]), out=sci(grads["output"]), lr=f"{n['learning_rate']:g}",
        ln10=f"{n['ln10']:.2f}",
        mlow=sci(n["modern_grad_range"][0]), mhigh=sci(n["modern_grad_range"][1]), n=n["probe_digits"],
        s_lecture=sci(n["spread0"]["lecture"]), s_modern=sci(n["spread0"]["modern"]), leave=n["leave"]["lecture"],
        s_leave=sci(n["spread_at_leave"]), limit=n["leave_loss"], mleave=n["leave"]["modern"])
