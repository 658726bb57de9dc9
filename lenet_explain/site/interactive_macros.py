"""Macros of the interactive pieces: the steppers, one unit of C3 and the receptive fields."""

from __future__ import annotations

from typing import Any

from lenet_explain.calculator.stacks import get_stack
from lenet_explain.site.i18n import translate
from lenet_explain.site.page_html import render_table


def stepper(kind: str, language: str = "en") -> str:
    """Return a stepper (convolution, pooling, channels, receptive-field) with its data made now, in ``language``."""
    from lenet_explain.site import steppers

    return steppers.stepper_html(kind, language)


def channel_unit() -> Any:
    """Return the worked C3 unit of the activation page (reference model, imports Keras)."""
    from lenet_explain.site.channels import c3_unit

    return c3_unit()


def channel_rows(language: str = "en") -> list[list[str]]:
    """Return the C3 unit's sum map by map, the bias, z, σ(z) and what Keras computes for it."""
    from lenet_explain.site.channels import LAYER, SOURCE, c3_unit, keras_value
    from lenet_explain.site.steppers import signed

    unit = c3_unit()
    def t(text: str, **values: Any) -> str:
        return translate(text, language, **values)

    rows = [[t("{source} map {number}", source=SOURCE, number=m + 1), t("Σ w·x over its window"),
             signed(float(v), 3)] for m, v in enumerate(unit.partial_sums)]
    rows += [[t("bias"), t("of {layer} map {number}", layer=LAYER, number=unit.map + 1), signed(unit.bias, 3)],
             ["z", t("the sum of the rows above"), signed(unit.z, 3)],
             ["σ(z)", t("the unit's value, 1/(1 + e^(−z))"), signed(unit.value, 6)],
             ["Keras", t("the model's own {layer} output for this unit", layer=LAYER), signed(keras_value(unit), 6)]]
    return rows


def channel_table(id: str = "c3-unit", language: str = "en") -> str:
    """Return the C3 unit's sums as a table."""
    return render_table(channel_rows(language), header=[translate(h, language) for h in ("input", "what", "value")],
                        id=id, caption=translate("One C3 unit, map by map (rounded; the sums use every digit)",
                                                 language))


def receptive_rows(stack: str = "lecture", language: str = "en") -> list[list[str]]:
    """Return each windowed layer's receptive field: the growth formula with the calculator's numbers."""
    from lenet_explain.site.receptive import field_layers

    rows = []
    for layer in field_layers(get_stack(stack)):
        (k, _), (s, _), (before, _), (jump, _) = layer.kernel, layer.stride, layer.previous_size, layer.previous_jump
        rows.append([layer.name, translate("{k}×{k}, stride {s}", language, k=k, s=s), str(jump),
                     f"{before} + ({k} − 1) × {jump}", f"{layer.size[0]}×{layer.size[1]}"])
    return rows


RECEPTIVE_HEADER = ["layer", "window", "jump of its input", "field before + (window − 1) × jump", "receptive field"]


def receptive_table(stack: str = "lecture", id: str = "receptive-fields", language: str = "en") -> str:
    """Return the receptive field of every windowed layer of a stack, with the formula that grows it."""
    header = [translate(h, language) for h in RECEPTIVE_HEADER]
    return render_table(receptive_rows(stack, language), header=header, id=id, classes="lx-layers", wrap=(2, 3))
