"""Macros for the learn page's section on the plateau: its figure and the numbers its sentences say.

Loaded by mkdocs-macros next to :mod:`lenet_explain.site.macros`. The numbers come from ``docs/learn/plateau.json``
(``scripts/measure_plateau.py``), computed by :func:`lenet_explain.site.learn_data.plateau_numbers` and formatted
here; both languages show the same strings.
"""

from __future__ import annotations

from typing import Any

from lenet_explain.site import learn_data, page_html
from lenet_explain.site.i18n import translate
from lenet_explain.site.learn_figures import sci
from lenet_explain.site.macros import page_language

CAPTION = ("Solid lines: the RMS of each layer's kernel gradient; dashed: the RMS of Adam's change to those weights; "
           "dotted: the learning rate. Measured every {every} steps of the train page's run with its defaults "
           "(seed {seed}, batch size {batch}).")


def fixed(value: float, digits: int = 2) -> str:
    """Return ``value`` with ``digits`` decimals."""
    return f"{value:.{digits}f}"


def times(value: float) -> str:
    """Return a ratio as a whole number, 884 (the page writes 884× or 884 倍)."""
    return f"{value:,.0f}"


def format_numbers(n: dict[str, Any]) -> dict[str, Any]:
    """Return the plateau numbers as the strings the page shows (same in every language)."""
    layers = learn_data.LAYERS
    ratio, step = n["ratio_window"], n["step_window"]
    later = [name for name in layers if name != "C1"]
    return {
        "lr": f"{n['learning_rate']:g}", "steps": n["steps"], "every": n["every"], "probe_digits": n["probe_digits"],
        "batch_size": n["batch_size"], "seed": n["seed"],
        "grad": {model: {name: sci(value) for name, value in grads.items()}
                 for model, grads in n["first_grad"].items()},
        "layer_spread0": {model: {name: sci(value) for name, value in spreads.items()}
                          for model, spreads in n["layer_spread0"].items()},
        "grad_span": times(n["grad_span"]),
        "modern_grad_low": sci(n["modern_grad_range"][0]), "modern_grad_high": sci(n["modern_grad_range"][1]),
        "first_step_low": sci(n["first_step_range"][0]), "first_step_high": sci(n["first_step_range"][1]),
        "first_loss": {model: fixed(value) for model, value in n["first_loss"].items()}, "ln10": fixed(n["ln10"]),
        "spread0": {model: sci(value) for model, value in n["spread0"].items()},
        "spread_factor": times(n["spread0"]["modern"] / n["spread0"]["lecture"]),
        "leave": n["leave"], "leave_loss": fixed(n["leave_loss"], 1), "settle_step": n["settle_step"],
        "plateau_loss_low": fixed(n["plateau_loss_range"][0]), "plateau_loss_high": fixed(n["plateau_loss_range"][1]),
        "spread_mark": sci(n["spread_mark"]), "spread_pass": n["spread_pass"],
        "spread_at_leave": sci(n["spread_at_leave"]), "spread_end": {m: fixed(v) for m, v in n["spread_end"].items()},
        "c1_weight_start": fixed(n["c1_weight"]["start"]), "c1_weight_leave": fixed(n["c1_weight"]["leave"]),
        "c1_weight_growth": f"{n['weight_growth']['C1']:.1f}",
        "later_weight_growth": f"{max(n['weight_growth'][name] for name in later):.1f}",
        "c1_peak_step": n["c1_step_peak"]["step"], "c1_peak": sci(n["c1_step_peak"]["value"]),
        "c1_peak_ratio": fixed(n["c1_step_peak"]["ratio"]),
        "c1_ratio": fixed(ratio["C1"]), "later_ratio_low": fixed(min(ratio[name] for name in later)),
        "later_ratio_high": fixed(max(ratio[name] for name in later)),
        "c1_step": sci(step["C1"]), "later_step_low": sci(min(step[name] for name in later)),
        "later_step_high": sci(max(step[name] for name in later)),
        "accuracy": {m: {k: f"{v:.0%}" for k, v in a.items()} for m, a in n["accuracy"].items()},
    }


def plateau_numbers() -> dict[str, Any]:
    """The numbers of the section's sentences, formatted (from docs/learn/plateau.json)."""
    return format_numbers(learn_data.plateau_numbers(learn_data.read_plateau()))


def plateau_caption(language: str = "en") -> str:
    """The figure's caption in ``language``."""
    data = learn_data.read_plateau()
    return translate(CAPTION, language, every=data["probe_every"], seed=data["seed"], batch=data["batch_size"])


def define_env(env: Any) -> None:
    """Register the plateau section's macros with mkdocs-macros."""

    @env.macro
    def plateau_figure(language: str = "") -> str:
        """The plateau figure with its alt text and caption, in the page's language."""
        language = language or page_language(env.page)
        return page_html.render_figure("plateau", plateau_caption(language), env.page.url, language)

    env.macro(plateau_numbers, "plateau_numbers")
